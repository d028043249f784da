from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "seedbed.matching"
    label = "matching"

    def ready(self) -> None:
        from seedbed.matching import notifications  # noqa: F401  (registers its kinds)
