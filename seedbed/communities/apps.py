from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "seedbed.communities"
    label = "communities"
