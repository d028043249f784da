from django.urls import path

from seedbed.events import views_competitions as views

# Included inside the "events" namespace: names start with "competition".
urlpatterns = [
    path("events/<int:pk>/competition/", views.home, name="competition"),
    path("events/<int:pk>/competition/entry/", views.my_entry, name="competition_entry"),
    path("events/<int:pk>/competition/entries/", views.entries, name="competition_entries"),
    path("events/<int:pk>/competition/rubric/", views.rubric, name="competition_rubric"),
    path(
        "events/<int:pk>/competition/rubric/<int:criterion_id>/",
        views.edit_criterion,
        name="competition_criterion",
    ),
    path(
        "events/<int:pk>/competition/rubric/<int:criterion_id>/remove/",
        views.remove_criterion,
        name="competition_criterion_remove",
    ),
    path("events/<int:pk>/competition/judges/", views.judges, name="competition_judges"),
    path(
        "events/<int:pk>/competition/judges/<int:judge_id>/remove/",
        views.remove_judge,
        name="competition_judge_remove",
    ),
    path(
        "events/<int:pk>/competition/judges/<int:judge_id>/conflicts/",
        views.conflicts,
        name="competition_conflicts",
    ),
    path("events/<int:pk>/competition/judging/", views.judging, name="competition_judging"),
    path(
        "events/<int:pk>/competition/judging/<int:entry_id>/",
        views.score,
        name="competition_score",
    ),
    path(
        "events/<int:pk>/competition/judging/<int:entry_id>/conflict/",
        views.declare_conflict,
        name="competition_declare_conflict",
    ),
    path(
        "events/<int:pk>/competition/leaderboard/",
        views.leaderboard,
        name="competition_leaderboard",
    ),
    path("events/<int:pk>/competition/publish/", views.publish, name="competition_publish"),
    path("events/<int:pk>/competition/results/", views.results, name="competition_results"),
]
