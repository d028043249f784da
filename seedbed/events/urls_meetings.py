from django.urls import include, path

from seedbed.events import views_meetings as views

meeting_patterns = (
    [
        path("", views.home, name="home"),
        path("join/", views.join, name="join"),
        path("leave/", views.leave, name="leave"),
        path("availability/", views.availability, name="availability"),
        path("preferences/", views.preferences, name="preferences"),
        path("agenda/", views.agenda, name="agenda"),
        path("agenda.ics", views.agenda_ics, name="agenda_ics"),
        path("organise/", views.organise, name="organise"),
        path("slots/", views.add_slot, name="add_slot"),
        path("slots/<int:slot_id>/delete/", views.delete_slot, name="delete_slot"),
        path("participants/", views.add_participant, name="add_participant"),
        path(
            "participants/<int:participant_id>/remove/",
            views.remove_participant,
            name="remove_participant",
        ),
        path("build/", views.build, name="build"),
        path("schedule/", views.schedule, name="schedule"),
    ],
    "meetings",
)

urlpatterns = [path("events/<int:pk>/meetings/", include(meeting_patterns))]
