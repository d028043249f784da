"""What events tell their attendees, registered with the notifications app."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import User
from seedbed.communities.access import readable_communities
from seedbed.notifications.models import Notification
from seedbed.notifications.registry import register


def _readable_event(user: User) -> Q:
    """The event's community (if any) is still one the reader may read: the events' own rule."""
    return Q(event__community__isnull=True) | Q(event__community__in=readable_communities(user))


def _event(n: Notification) -> dict[str, str]:
    assert n.event is not None
    return {"event": n.event.title}


def _event_link(n: Notification) -> str:
    return reverse("events:detail", args=[n.event_id])


SEAT_CONFIRMED = register(
    "seat_confirmed",
    _("You have a seat at %(event)s."),
    names=_event,
    link=_event_link,
    related=("event",),
    visible=_readable_event,
    template="events/_seat_notification.html",  # says when it starts
)
EVENT_MESSAGE = register(
    "event_message",
    _("%(actor)s sent a message about %(event)s."),
    names=_event,
    link=_event_link,
    related=("event",),
    visible=_readable_event,
)
