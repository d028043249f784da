from django.urls import path

from seedbed.search import views

urlpatterns = [path("", views.search, name="search")]
