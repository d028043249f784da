"""Included by `seedbed.events.urls` (namespace "events") at the site root."""

from django.urls import path

from seedbed.events import views_attendance as views

urlpatterns = [
    path("events/<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("c/<slug:slug>/events.ics", views.community_ics, name="community_ics"),
    path("calendar/<str:token>.ics", views.member_ics, name="member_ics"),
    path("me/calendar/", views.my_calendar, name="my_calendar"),
    path("me/calendar/rotate/", views.rotate_calendar, name="rotate_calendar"),
    path("events/<int:pk>/ticket/", views.ticket, name="ticket"),
    path("events/<int:pk>/ticket/qr.svg", views.ticket_qr, name="ticket_qr"),
    path("events/<int:pk>/check-in/", views.check_in_desk, name="check_in"),
    path("events/<int:pk>/check-in/<str:code>/", views.check_in_ticket, name="check_in_ticket"),
    path("events/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("events/<int:pk>/feedback/results/", views.feedback_results, name="feedback_results"),
    path("events/<int:pk>/message/", views.message_attendees, name="message_attendees"),
]
