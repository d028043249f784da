from django.urls import include, path

from seedbed.matching import urls_intros, urls_models, urls_projects

app_name = "matching"

urlpatterns = [
    path("", include(urls_projects.urlpatterns)),
    path("", include(urls_intros.urlpatterns)),
    path("", include(urls_models.urlpatterns)),
]
