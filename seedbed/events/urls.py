from django.urls import include, path

from seedbed.events import views

app_name = "events"

urlpatterns = [
    path("events/", views.upcoming, name="upcoming"),
    path("events/new/", views.create, name="create"),
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/edit/", views.edit, name="edit"),
    path("events/<int:pk>/cancel/", views.cancel_event, name="cancel"),
    path("events/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("events/<int:pk>/rsvp/cancel/", views.cancel_rsvp, name="cancel_rsvp"),
    path("events/<int:pk>/attendees/", views.attendees, name="attendees"),
    path("events/<int:pk>/attendees/<int:rsvp_id>/<str:decision>/", views.decide, name="decide"),
    path("events/<int:pk>/capacity/", views.capacity, name="capacity"),
    path("c/<slug:slug>/events/", views.upcoming, name="community_events"),
    path("", include("seedbed.events.urls_attendance")),
    path("", include("seedbed.events.urls_competitions")),
    path("", include("seedbed.events.urls_meetings")),
]
