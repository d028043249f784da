"""The site itself: the pages that belong to no one app (home, health, operator overview)."""
