from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "seedbed.engagement"
    label = "engagement"
