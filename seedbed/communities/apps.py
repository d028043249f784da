from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "seedbed.communities"
    label = "communities"

    def ready(self) -> None:
        from seedbed.communities import notifications  # noqa: F401  (registers its kinds)
