from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that Django finds the ``demo`` management command; it has no models."""

    name = "seedbed.demo"
    label = "demo"
