from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "seedbed.notifications"
    label = "notifications"
