"""Around the event itself: calendars, tickets and check-in, feedback, messages to attendees.

Same conventions as `services.py`: an event the caller may not see raises Http404 (exactly like
a missing one); something they may see but not do raises PermissionDenied; bad input raises
ValidationError naming the field. Writes happen in one transaction and mail leaves on commit.
"""

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import segno
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from seedbed.accounts.models import User
from seedbed.core.pages import absolute_url
from seedbed.core.text import single_line
from seedbed.events import calendars
from seedbed.events import notifications as kinds
from seedbed.events.models import RSVP, CalendarToken, Event, Feedback, RSVPStatus
from seedbed.events.services import (
    EventAccess,
    accesses,
    get_event,
    require_member,
    require_organiser,
    visible_events,
)
from seedbed.notifications.services import notify

#: How far back the subscribable feeds reach (future events are always included).
FEED_PAST = timedelta(days=90)
FEED_LIMIT = 500
MESSAGE_STATUSES = ("confirmed", "waitlisted", "checked_in")
MAX_SUBJECT = 200
MAX_MESSAGE = 10_000
MAX_COMMENT = 4000


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,40}")


def is_token(text: str) -> bool:
    """Whether `text` could be a feed token or ticket code (URL-safe base64): anything else
    names nothing, and must not reach the database (PostgreSQL refuses a NUL outright)."""
    return _TOKEN.fullmatch(text) is not None


def language_of(user: User) -> str:
    """The language a member reads mail in: their first profile language."""
    return "zh-hans" if (user.languages or ["en"])[0] == "zh" else "en"


# Calendars -------------------------------------------------------------------------------------


@dataclass
class CalendarFile:
    name: str
    filename: str
    vevents: list


def event_calendar(user: User | AnonymousUser, event_id: int) -> CalendarFile:
    """The ICS of one event, for whoever may see it; the online link for whoever may see it
    on the event's page."""
    access = get_event(user, event_id)
    component = calendars.vevent_for_event(access.event, online_url=access.online_url)
    return CalendarFile(access.event.title, f"event-{access.event.pk}", [component])


def community_calendar(
    user: User | AnonymousUser, slug: str, *, now: datetime | None = None
) -> CalendarFile:
    """A community's events (recent and upcoming). Readable exactly when the community is:
    anyone for a public one, its members for a private one (who then usually prefer their
    personal feed, which a calendar app can fetch without a session). Never online links: the
    feed is the same for every reader."""
    from seedbed.communities.services import get_community

    community = get_community(user, slug).community
    since = (now or timezone.now()) - FEED_PAST
    events = Event.objects.filter(community=community, ends_at__gte=since).order_by(
        "starts_at", "id"
    )[:FEED_LIMIT]
    vevents = [calendars.vevent_for_event(e) for e in events]
    return CalendarFile(community.name, f"{community.slug}-events", vevents)


def _live_token(user: User) -> CalendarToken | None:
    return (
        CalendarToken.objects.filter(user=user, revoked_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def calendar_token(user: User | AnonymousUser) -> CalendarToken:
    """The member's live feed token, made on first use."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to get a calendar feed."))
    with transaction.atomic():
        found = _live_token(user)
        return found or CalendarToken.objects.create(user=user)


def rotate_calendar_token(user: User | AnonymousUser) -> CalendarToken:
    """Revoke every live token of the member (the old URL stops working at once) and make a
    new one."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to get a calendar feed."))
    with transaction.atomic():
        CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        return CalendarToken.objects.create(user=user)


def calendar_feed_path(token: CalendarToken) -> str:
    return reverse("events:member_ics", args=[token.token])


def member_calendar(secret: str, *, now: datetime | None = None) -> CalendarFile:
    """The personal feed behind a secret URL: the member's confirmed and waitlisted events that
    they can still see (waitlisted ones marked TENTATIVE; online links as on the event pages).
    A revoked or unknown token is a 404."""
    if not is_token(secret):
        raise Http404
    token = (
        CalendarToken.objects.select_related("user")
        .filter(token=secret, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        raise Http404
    user = token.user
    since = (now or timezone.now()) - FEED_PAST
    rsvps = (
        RSVP.objects.filter(
            user=user,
            status__in=[RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED],
            event__in=visible_events(user),
            event__ends_at__gte=since,
        )
        .select_related("event__community")
        .order_by("event__starts_at", "event_id")[:FEED_LIMIT]
    )
    vevents = []
    for access in accesses(user, list(rsvps)):
        component = calendars.vevent_for_event(access.event, online_url=access.online_url)
        if not access.is_confirmed and access.event.cancelled_at is None:
            component.add("status", "TENTATIVE")
        vevents.append(component)
    return CalendarFile(_("My Seedbed events"), "seedbed-events", vevents)


# Tickets and check-in --------------------------------------------------------------------------


def check_in_path(rsvp: RSVP) -> str:
    return reverse("events:check_in_ticket", args=[rsvp.event_id, rsvp.ticket_code])


@dataclass
class Ticket:
    access: EventAccess
    rsvp: RSVP

    @property
    def check_in_url(self) -> str:
        return absolute_url(check_in_path(self.rsvp))


def my_ticket(user: User | AnonymousUser, event_id: int) -> Ticket:
    """A confirmed attendee's ticket; anyone else has none (404)."""
    access = get_event(user, event_id)
    if access.rsvp is None or not access.is_confirmed:
        raise Http404
    return Ticket(access, access.rsvp)


def ticket_qr_svg(user: User | AnonymousUser, event_id: int) -> str:
    """The QR code of the ticket's check-in URL, as a standalone SVG document."""
    ticket = my_ticket(user, event_id)
    buffer = io.BytesIO()
    segno.make(ticket.check_in_url, error="m").save(
        buffer, kind="svg", scale=6, border=2, light="#fff", xmldecl=False, title=_("Ticket")
    )
    return buffer.getvalue().decode()


@dataclass
class AttendanceRate:
    confirmed: int
    checked_in: int

    @property
    def rate(self) -> float | None:
        """Checked-in over confirmed, or None before anyone is confirmed."""
        return self.checked_in / self.confirmed if self.confirmed else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)


def attendance_rate_of(event_id: int) -> AttendanceRate:
    """Without an access check: for the insights dashboards, which aggregate over events."""
    figures = RSVP.objects.filter(event_id=event_id, status=RSVPStatus.CONFIRMED).aggregate(
        confirmed=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False))
    )
    return AttendanceRate(figures["confirmed"], figures["checked_in"])


def attendance_rate(user: User | AnonymousUser, event_id: int) -> AttendanceRate:
    require_organiser(user, event_id)
    return attendance_rate_of(event_id)


@dataclass
class CheckInDesk:
    access: EventAccess
    rate: AttendanceRate
    attendees: QuerySet[RSVP]
    query: str


def check_in_desk(user: User | AnonymousUser, event_id: int, query: str = "") -> CheckInDesk:
    """The organisers' check-in page: confirmed attendees, optionally those whose name (or
    handle) contains `query`, and the attendance so far."""
    access = require_organiser(user, event_id)
    query = query.strip()[:80]
    rows = RSVP.objects.filter(event=access.event, status=RSVPStatus.CONFIRMED).select_related(
        "user"
    )
    if query:
        rows = rows.filter(
            Q(user__display_name__icontains=query) | Q(user__handle__icontains=query.lstrip("@"))
        )
    rows = rows.order_by("user__display_name", "id")
    return CheckInDesk(access, attendance_rate_of(access.event.pk), rows, query)


def ticket_for_check_in(
    user: User | AnonymousUser, event_id: int, code: str
) -> tuple[EventAccess, RSVP]:
    """The RSVP behind a scanned ticket, for an organiser of that event."""
    access = require_organiser(user, event_id)
    if not is_token(code):
        raise Http404
    rsvp = RSVP.objects.select_related("user").filter(event=access.event, ticket_code=code).first()
    if rsvp is None:
        raise Http404
    return access, rsvp


@dataclass
class CheckIn:
    rsvp: RSVP
    already: bool


def check_in(user: User | AnonymousUser, event_id: int, code: str) -> CheckIn:
    """Mark a confirmed attendee as present, once: checking in again changes nothing and
    says when they arrived."""
    access = require_organiser(user, event_id)
    if access.event.cancelled_at:
        raise ValidationError(_("This event is cancelled."))
    if not is_token(str(code)):
        raise Http404
    with transaction.atomic():
        rsvp = (
            RSVP.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(event=access.event, ticket_code=str(code))
            .first()
        )
        if rsvp is None:
            raise Http404
        rsvp.event = access.event
        if rsvp.checked_in_at is not None:
            return CheckIn(rsvp, already=True)
        if rsvp.status != RSVPStatus.CONFIRMED:
            raise ValidationError(
                {"ticket": [_("This ticket is not valid: its holder has no confirmed seat.")]}
            )
        rsvp.checked_in_at = timezone.now()
        rsvp.save(update_fields=["checked_in_at"])
    return CheckIn(rsvp, already=False)


# Feedback --------------------------------------------------------------------------------------


def _is_over(event: Event, now: datetime | None = None) -> bool:
    return event.ends_at <= (now or timezone.now())


@dataclass
class FeedbackState:
    access: EventAccess
    mine: Feedback | None
    is_open: bool


def feedback_state(user: User | AnonymousUser, event_id: int) -> FeedbackState:
    """What the feedback page shows an attendee: whether feedback is open yet (the event is
    over) and what they already said. Only attendees (confirmed or checked in) may give it."""
    access = get_event(user, event_id)
    if not access.attended:
        raise PermissionDenied(_("Only the event's attendees give feedback."))
    mine = Feedback.objects.filter(event=access.event, user=require_member(user)).first()
    return FeedbackState(access, mine, access.may_give_feedback)


def _clean_rating(rating) -> int:
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if isinstance(rating, bool) or not 1 <= value <= 5 or str(value) != str(rating).strip():
        raise ValidationError({"rating": [_("Choose a rating from 1 to 5.")]})
    return value


def leave_feedback(
    user: User | AnonymousUser, event_id: int, *, rating, comment: str = ""
) -> Feedback:
    """One rating (1 to 5) and comment per attendee, after the event; giving it again edits
    it."""
    access = get_event(user, event_id)
    if not access.attended:
        raise PermissionDenied(_("Only the event's attendees give feedback."))
    member = require_member(user)
    if access.event.cancelled_at:
        raise ValidationError(_("This event is cancelled."))
    if not _is_over(access.event):
        raise ValidationError(_("Feedback opens when the event is over."))
    value = _clean_rating(rating)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": [_("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}]}
        )
    with transaction.atomic():
        feedback, _created = Feedback.objects.update_or_create(
            event=access.event, user=member, defaults={"rating": value, "comment": comment}
        )
    return feedback


@dataclass
class FeedbackSummary:
    access: EventAccess
    count: int
    average: float | None
    distribution: dict[int, int]
    comments: QuerySet[Feedback]
    all_answers: QuerySet[Feedback]


def feedback_summary(user: User | AnonymousUser, event_id: int) -> FeedbackSummary:
    """For the organisers: how many answered, the average rating and every comment (newest
    first)."""
    access = require_organiser(user, event_id)
    rows = Feedback.objects.filter(event=access.event)
    by_rating = {r["rating"]: r["n"] for r in rows.values("rating").annotate(n=Count("id"))}
    count = sum(by_rating.values())
    average = rows.aggregate(avg=Avg("rating"))["avg"] if count else None
    answers = rows.select_related("user").order_by("-created_at", "-id")
    return FeedbackSummary(
        access,
        count,
        round(average, 2) if average is not None else None,
        {n: by_rating.get(n, 0) for n in range(5, 0, -1)},
        answers.exclude(comment=""),
        answers,
    )


# Messages to attendees -------------------------------------------------------------------------


def recipients(event: Event, status: str) -> QuerySet[RSVP]:
    rows = RSVP.objects.filter(event=event).select_related("user")
    if status == "checked_in":
        rows = rows.filter(checked_in_at__isnull=False)
    else:
        rows = rows.filter(status=status)
    return rows.filter(user__is_active=True).order_by("id")


def message_attendees(
    user: User | AnonymousUser, event_id: int, *, status: str, subject: str, body: str
) -> int:
    """E-mail everyone with this status (confirmed, waitlisted or checked in) and leave each an
    in-app notification; returns how many were reached. Organisers only."""
    access = require_organiser(user, event_id)
    sender = require_member(user)
    subject, body = (subject or "").strip(), (body or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in MESSAGE_STATUSES:
        errors["status"] = [_("Choose confirmed, waitlisted or checked in.")]
    if not subject:
        errors["subject"] = [_("Give the message a subject.")]
    elif len(subject) > MAX_SUBJECT or "\n" in subject or "\r" in subject:
        errors["subject"] = [
            _("Keep the subject to one line under %(n)d characters.") % {"n": MAX_SUBJECT}
        ]
    if not body:
        errors["body"] = [_("Write the message.")]
    elif len(body) > MAX_MESSAGE:
        errors["body"] = [_("Keep the message under %(n)d characters.") % {"n": MAX_MESSAGE}]
    if errors:
        raise ValidationError(errors)
    event = access.event
    people = [rsvp.user for rsvp in recipients(event, status)]
    mail_subject = single_line(f"[{event.title}] {subject}")
    mails = []
    for person in people:
        with translation.override(language_of(person)):
            text = render_to_string(
                "events/email/message.txt",
                {
                    "event": event,
                    "sender": sender,
                    "body": body,
                    "event_url": absolute_url(reverse("events:detail", args=[event.pk])),
                },
            )
            mails.append(EmailMessage(mail_subject, text, None, [person.email]))
    with transaction.atomic():
        notify(people, kinds.EVENT_MESSAGE, actor=sender, event=event, community=event.community)
        if mails:
            transaction.on_commit(lambda: get_connection().send_messages(mails))
    return len(people)
