from django.urls import include, path

from seedbed.insights import views, views_analysis

app_name = "insights"

# The same pages platform-wide (operators) and per community (operators, owners, moderators):
# each view takes ``slug=None`` for the platform-wide one.
pages = [
    path("", views.overview, name="overview"),
    path("members/", views.members, name="members"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("at-risk/<int:member_id>/reach-out/", views.reach_out, name="reach_out"),
    path("export.csv", views.export, name="export"),
    path("sentiment/", views_analysis.sentiment, name="sentiment"),
    path("structure/", views_analysis.structure, name="structure"),
    path("structure/introduce/", views_analysis.introduce, name="introduce"),
    path("forecasts/", views_analysis.forecasts, name="forecasts"),
]

urlpatterns = [
    path("operator/insights/", include((pages, "platform"))),
    path("c/<slug:slug>/insights/", include((pages, "community"))),
    path("me/activity/", views.my_activity, name="my_activity"),
]
