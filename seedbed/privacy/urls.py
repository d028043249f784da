from django.urls import path

from seedbed.privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/export/", views.export, name="export"),
    path("account/delete/", views.delete, name="delete"),
]
