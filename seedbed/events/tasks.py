"""Event mail sent by the worker: reminders 24 hours and 1 hour before the start, and the
"you have a seat" mail of a promotion from the waitlist.

Both tasks are safe to run as often as one likes and from several workers at once: each mail
is claimed in the transaction that queues it (sent on commit), by inserting a `ReminderSent`
row (unique per rsvp and kind) or by setting a `SeatMail`'s `claimed_at` where it was empty. A
second run finds it claimed and skips it, so a mail goes out at most once, even when a worker is
killed half-way and started again.
"""

from datetime import datetime, timedelta

from django.core.mail import send_mail
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
from seedbed.events.models import RSVP, ReminderSent, RSVPStatus, SeatMail

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


def _seat_mail(seat: RSVP) -> tuple[str, str]:
    event, user = seat.event, seat.user
    with translation.override(language_of(user)):
        subject = single_line(_("You have a seat: %(title)s") % {"title": event.title})
        body = _("A seat came free and it is yours: %(title)s, %(when)s.\n%(url)s") % {
            "title": event.title,
            "when": timezone.localtime(event.starts_at, event.tz).strftime("%Y-%m-%d %H:%M %Z"),
            "url": absolute_url(reverse("events:detail", args=[event.pk])),
        }
    return subject, body


def send_seat_mail(owed: SeatMail) -> bool:
    """Claim and queue one seat mail; False when another run claimed it first. A seat given
    back (or an event cancelled) since the promotion is claimed without a mail."""
    seat = owed.rsvp
    still_seated = (
        seat.status == RSVPStatus.CONFIRMED and seat.user.is_active and not seat.event.cancelled_at
    )
    subject, body = _seat_mail(seat) if still_seated else ("", "")
    email = seat.user.email
    with transaction.atomic():
        claimed = SeatMail.objects.filter(pk=owed.pk, claimed_at__isnull=True).update(
            claimed_at=timezone.now()
        )
        if claimed and still_seated:
            transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    return bool(claimed and still_seated)


@task()
def send_seat_mails(seat_mail_id: int | None = None) -> int:
    """Send one owed seat mail (queued when the seat was given), or every one not yet claimed
    (the sweep `send_reminders` also queues, for mail whose queueing a crash lost); returns
    how many were sent."""
    owed = SeatMail.objects.filter(claimed_at__isnull=True).select_related(
        "rsvp__user", "rsvp__event"
    )
    if seat_mail_id is not None:
        owed = owed.filter(pk=seat_mail_id)
    return sum(send_seat_mail(row) for row in owed.order_by("id")[:1000])
