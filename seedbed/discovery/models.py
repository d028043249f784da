"""Stored recommendations and the signals that shape them (written by seedbed.discovery)."""
