from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "seedbed.discovery"
    label = "discovery"

    def ready(self) -> None:
        from seedbed.discovery import notifications, signals  # noqa: F401  (digest section)

        signals.connect()
