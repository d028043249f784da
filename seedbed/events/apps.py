from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "seedbed.events"
    label = "events"

    def ready(self) -> None:
        from seedbed.events import notifications  # noqa: F401  (registers its kinds)
