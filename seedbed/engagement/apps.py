from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "seedbed.engagement"
    label = "engagement"

    def ready(self) -> None:
        from seedbed.engagement import notifications, signals  # noqa: F401  (register them)
