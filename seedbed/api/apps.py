from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "seedbed.api"
    label = "api"
