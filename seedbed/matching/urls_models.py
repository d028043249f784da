from django.urls import path

from seedbed.matching import views_models as views

# Included inside the "matching" namespace: the operators' Models page.
urlpatterns = [
    path("operator/models/", views.models, name="models"),
    path("operator/models/network/", views.network, name="models_network"),
    path("operator/models/network/reset/", views.network_reset, name="models_network_reset"),
]
