from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "seedbed.discovery"
    label = "discovery"
