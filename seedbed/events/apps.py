from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "seedbed.events"
    label = "events"
