from django.urls import path

from seedbed.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/settings/", views.notification_settings, name="settings"),
]
