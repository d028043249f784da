from django.urls import path

from seedbed.discovery import views

app_name = "discovery"

urlpatterns = [
    path("for-you/", views.for_you, name="for_you"),
    path("for-you/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("operator/recommendations/", views.operator_page, name="operator"),
]
