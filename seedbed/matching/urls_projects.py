from django.urls import path

from seedbed.matching import views

urlpatterns = [
    path("matching/", views.home, name="home"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<slug:slug>/", views.project, name="project"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/team/", views.project_team_add, name="project_team_add"),
    path(
        "projects/<slug:slug>/team/<int:member_id>/remove/",
        views.project_team_remove,
        name="project_team_remove",
    ),
    path("projects/<slug:slug>/matches/", views.project_matches, name="project_matches"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer, name="offer"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/matches/", views.offer_matches, name="offer_matches"),
]
