from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "seedbed.insights"
    label = "insights"

    def ready(self) -> None:
        from seedbed.insights import alerts, notifications  # noqa: F401  (register their kinds)
