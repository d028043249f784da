from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "seedbed.privacy"
    label = "privacy"
