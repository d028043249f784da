from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "seedbed.insights"
    label = "insights"
