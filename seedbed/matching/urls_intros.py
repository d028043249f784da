from django.urls import path

from seedbed.matching import views_intros as views

urlpatterns = [
    path("projects/<slug:slug>/intro/", views.intro_request, name="intro_request"),
    path("intros/", views.intros, name="intros"),
    path("intros/<int:pk>/", views.intro, name="intro"),
    path("intros/<int:pk>/accept/", views.intro_accept, name="intro_accept"),
    path("intros/<int:pk>/decline/", views.intro_decline, name="intro_decline"),
    path("intros/<int:pk>/withdraw/", views.intro_withdraw, name="intro_withdraw"),
    path("intros/<int:pk>/met/", views.intro_met, name="intro_met"),
    path("intros/<int:pk>/outcome/", views.intro_outcome, name="intro_outcome"),
    path("intros/<int:pk>/messages/", views.intro_message, name="intro_message"),
    path("operator/pipeline/", views.pipeline, name="pipeline"),
    path("operator/rounds/", views.rounds, name="rounds"),
    path("operator/rounds/<int:pk>/", views.round_detail, name="round"),
    path("operator/rounds/<int:pk>/send/", views.round_send, name="round_send"),
]
