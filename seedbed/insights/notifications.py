"""Notification kinds of the activity side of Insights (reach out, the weekly report)."""
