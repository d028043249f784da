"""Seedbed: community, events and resource matching for startup communities."""

__version__ = "0.1.0"
