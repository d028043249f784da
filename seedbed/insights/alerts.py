"""Notification kinds of the analyses (the negative-sentiment alert, introductions)."""
