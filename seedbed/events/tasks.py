"""Event reminders, 24 hours and 1 hour before the start.

`send_due_reminders` is safe to run as often as one likes and from several workers at once:
each reminder's `ReminderSent` row is inserted in the transaction that queues its mail (sent on
commit), and a unique constraint on (rsvp, kind) stops a second insert. So a reminder goes out
at most once, even when a worker restarts half-way.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task

from seedbed.core.pages import absolute_url
from seedbed.core.text import single_line
from seedbed.events.attendance import language_of
from seedbed.events.models import RSVP, ReminderSent, RSVPStatus

#: kind -> how long before the start it is due. Each is due from that moment until the next
#: (shorter) one is: a 24-hour reminder is not sent once the 1-hour one is due.
REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def due_reminders(kind: str, now: datetime):
    """Confirmed seats of events (not cancelled) inside this reminder's window, not reminded
    yet. Someone who got their seat after the reminder time already knows: no reminder."""
    lead = dict(REMINDERS)[kind]
    shorter = [d for _k, d in REMINDERS if d < lead]
    latest = now + lead
    earliest = now + max(shorter) if shorter else now
    return (
        RSVP.objects.filter(
            status=RSVPStatus.CONFIRMED,
            user__is_active=True,
            event__cancelled_at__isnull=True,
            event__starts_at__gt=earliest,
            event__starts_at__lte=latest,
            updated_at__lt=F("event__starts_at") - lead,
        )
        .exclude(Exists(ReminderSent.objects.filter(rsvp=OuterRef("pk"), kind=kind)))
        .select_related("user", "event")
        .order_by("event__starts_at", "id")
    )


def _mail(rsvp: RSVP, kind: str) -> tuple[str, str]:
    event, user = rsvp.event, rsvp.user
    with translation.override(language_of(user)):
        if kind == "1h":
            subject = _("In one hour: %(title)s") % {"title": event.title}
        else:
            subject = _("Tomorrow: %(title)s") % {"title": event.title}
        subject = single_line(subject)
        body = render_to_string(
            "events/email/reminder.txt",
            {
                "user": user,
                "event": event,
                "kind": kind,
                "event_url": absolute_url(reverse("events:detail", args=[event.pk])),
                "ticket_url": absolute_url(reverse("events:ticket", args=[event.pk])),
            },
        )
    return subject, body


def send_reminder(rsvp: RSVP, kind: str) -> bool:
    """Record and queue one reminder; False when it was already sent."""
    from django.core.mail import send_mail

    subject, body = _mail(rsvp, kind)
    email = rsvp.user.email
    try:
        with transaction.atomic():
            ReminderSent.objects.create(rsvp=rsvp, kind=kind)
            transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    except IntegrityError:
        return False
    return True


@task()
def send_due_reminders(now: str | datetime | None = None) -> int:
    """Send every reminder that is due; returns how many were sent. `now` (a datetime, or ISO
    8601 text when queued) is for tests and catching up."""
    moment = (parse_datetime(now) if isinstance(now, str) else now) or timezone.now()
    sent = 0
    for kind, _lead in REMINDERS:
        for rsvp in list(due_reminders(kind, moment)):
            sent += send_reminder(rsvp, kind)
    return sent
