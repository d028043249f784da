from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "seedbed.matching"
    label = "matching"
