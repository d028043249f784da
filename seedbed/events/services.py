"""Events: who may see them, creating and editing them, and RSVPs with a waitlist that is
never overbooked.

An event's visibility follows its community's (platform events, with no community, are public).
Organisers are the event's creator, the community's owners and moderators, and operators.

Capacity is checked after locking the event row inside the transaction (SELECT ... FOR UPDATE
on PostgreSQL; on SQLite every write transaction begins IMMEDIATE and so already holds the
database's write lock), so concurrent RSVPs can never confirm more people than there are seats.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.communities import access as community_access
from seedbed.communities.models import Membership, Notification, Role
from seedbed.core.markdown import render_markdown
from seedbed.events.models import (
    RSVP,
    Event,
    EventKind,
    EventSeries,
    RSVPStatus,
    validate_time_zone,
)

ACTIVE = (RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED, RSVPStatus.PENDING)


# Seeing events ---------------------------------------------------------------------------------


def visible_events(user) -> QuerySet[Event]:
    """Events of communities the user may read, plus platform events; never cancelled ones'
    absence: cancelled events stay visible, marked as cancelled."""
    readable = community_access.readable_communities(user)
    return Event.objects.filter(Q(community__isnull=True) | Q(community__in=readable))


@dataclass
class EventView:
    event: Event
    rsvp: RSVP | None
    is_organiser: bool

    @property
    def is_confirmed(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == RSVPStatus.CONFIRMED


def is_organiser(user, event: Event) -> bool:
    if not (user and user.is_authenticated):
        return False
    if user.is_staff or event.created_by_id == user.pk:
        return True
    return (
        event.community_id is not None
        and Membership.objects.filter(
            community_id=event.community_id, user=user, role__in=[Role.OWNER, Role.MODERATOR]
        ).exists()
    )


def get_event(user, event_id: int) -> EventView:
    """The event for this user, or Http404 when missing or not visible to them."""
    event = visible_events(user).select_related("community").filter(pk=event_id).first()
    if event is None:
        raise Http404
    rsvp = None
    if user and user.is_authenticated:
        rsvp = RSVP.objects.filter(event=event, user=user).first()
    return EventView(event, rsvp, is_organiser(user, event))


def require_organiser(user, event_id: int) -> EventView:
    view = get_event(user, event_id)
    if not view.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    return view


def counts(event: Event) -> dict[str, int]:
    rows = RSVP.objects.filter(event=event).values("status").annotate(n=Count("id"))
    found = {row["status"]: row["n"] for row in rows}
    checked_in = RSVP.objects.filter(event=event, checked_in_at__isnull=False).count()
    return {status: found.get(status, 0) for status in RSVPStatus.values} | {
        "checked_in": checked_in
    }


def upcoming(user, *, community=None, kind: str = "", now: datetime | None = None):
    events = visible_events(user).filter(ends_at__gte=now or timezone.now())
    if community is not None:
        events = events.filter(community=community)
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    return events.select_related("community").order_by("starts_at", "id")


# Creating and editing --------------------------------------------------------------------------

EVENT_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "time_zone",
    "venue",
    "address",
    "map_url",
    "online_url",
    "capacity",
    "rsvp_opens_at",
    "rsvp_closes_at",
    "requires_approval",
    "entries_close_at",
)


def check_can_create(user, community_slug: str | None) -> None:
    """Raise unless this user may create events here (a community's moderators and owners;
    platform events: operators)."""
    _check_organiser_of_community(user, community_slug)


def _check_organiser_of_community(user, community_slug: str | None):
    if not community_slug:
        if not user.is_staff:
            raise PermissionDenied(_("Only operators create platform events."))
        return None
    community_view = _community_view(user, community_slug)
    if not community_view.can_moderate:
        raise PermissionDenied(_("Only the community's owners and moderators create events."))
    return community_view.community


def _community_view(user, slug):
    from seedbed.communities.services import get_community

    return get_community(user, slug)


def _validate(event: Event) -> None:
    errors: dict[str, list[str]] = {}
    event.title = (event.title or "").strip()
    if not event.title:
        errors["title"] = [_("Give the event a title.")]
    if event.kind not in EventKind.values:
        errors["kind"] = [_("Choose salon, roadshow, tech meetup or competition.")]
    try:
        validate_time_zone(event.time_zone)
    except ValidationError as exc:
        errors["time_zone"] = exc.messages
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    if event.capacity is not None and event.capacity < 0:
        errors["capacity"] = [_("Capacity cannot be negative.")]
    if event.rsvp_opens_at and event.rsvp_closes_at and event.rsvp_closes_at <= event.rsvp_opens_at:
        errors["rsvp_closes_at"] = [_("RSVPs must close after they open.")]
    if not (event.venue or event.address or event.online_url):
        errors["venue"] = [_("Give a venue or an online link.")]
    try:
        event.full_clean(exclude=["community", "series", "created_by", "description_html"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def create_event(
    user, *, community: str | None = None, repeat: str = "", occurrences: int = 1, **fields
) -> Event:
    """Create an event (or a weekly or monthly series of `occurrences` events)."""
    home = _check_organiser_of_community(user, community)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    event = Event(community=home, created_by=user, **fields)
    event.description_html = render_markdown(event.description or "")
    _validate(event)
    if repeat and repeat not in EventSeries.Frequency.values:
        raise ValidationError({"repeat": [_("Choose weekly or monthly.")]})
    if not 1 <= occurrences <= 52:
        raise ValidationError({"occurrences": [_("Choose between 1 and 52 occurrences.")]})
    with transaction.atomic():
        if repeat and occurrences > 1:
            event.series = EventSeries.objects.create(frequency=repeat, created_by=user)
        event.save()
        for n in range(1, occurrences if event.series else 1):
            _occurrence(event, n, repeat).save()
    return event


def _shift(moment: datetime | None, n: int, repeat: str, tz) -> datetime | None:
    """The n-th repetition in the event's own time zone, so 19:00 stays 19:00 across a DST
    change; monthly keeps the day of the month (clamped to the month's last day)."""
    if moment is None:
        return None
    local = moment.astimezone(tz)
    if repeat == EventSeries.Frequency.WEEKLY:
        naive = local.replace(tzinfo=None) + timedelta(weeks=n)
    else:
        import calendar

        month_index = local.month - 1 + n
        year, month = local.year + month_index // 12, month_index % 12 + 1
        day = min(local.day, calendar.monthrange(year, month)[1])
        naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return naive.replace(tzinfo=tz)


def _occurrence(first: Event, n: int, repeat: str) -> Event:
    tz = first.tz
    copy = Event(
        **{f: getattr(first, f) for f in EVENT_FIELDS},
        community=first.community,
        series=first.series,
        created_by=first.created_by,
        description_html=first.description_html,
    )
    for field in ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "entries_close_at"):
        setattr(copy, field, _shift(getattr(first, field), n, repeat, tz))
    return copy


def update_event(user, event_id: int, *, scope: str = "one", **changes) -> list[Event]:
    """Edit one event (`scope="one"`), it and every later event of its series
    (`"following"`), or every event of the series (`"series"`).
    Capacity changes go through `set_capacity` so waitlists move."""
    view = require_organiser(user, event_id)
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    capacity = changes.pop("capacity", view.event.capacity)
    targets = [view.event]
    if scope not in ("one", "following", "series"):
        raise ValidationError(
            {"scope": [_("Apply to this event, the following ones, or the whole series.")]}
        )
    if scope != "one" and view.event.series_id:
        targets = Event.objects.filter(series=view.event.series)
        if scope == "following":
            targets = targets.filter(starts_at__gte=view.event.starts_at)
        targets = list(targets)
    with transaction.atomic():
        for event in targets:
            if event.pk != view.event.pk:
                # keep each occurrence's own date; apply a changed clock time or duration
                for field in ("starts_at", "ends_at"):
                    changes.pop(field, None)
            for name, value in changes.items():
                setattr(event, name, value)
            event.description_html = render_markdown(event.description or "")
            _validate(event)
            event.save()
        for event in targets:
            if capacity != event.capacity:
                set_capacity(user, event.pk, capacity)
    return targets


def cancel_event(user, event_id: int) -> Event:
    view = require_organiser(user, event_id)
    view.event.cancelled_at = timezone.now()
    view.event.save(update_fields=["cancelled_at"])
    return view.event


# RSVPs -----------------------------------------------------------------------------------------


def _locked_event(event_id: int) -> Event:
    events = Event.objects.all()
    if settings.EVENTS_LOCK_RSVPS:
        events = events.select_for_update()
    return events.get(pk=event_id)


def _confirmed_count(event: Event) -> int:
    return RSVP.objects.filter(event=event, status=RSVPStatus.CONFIRMED).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


def _check_open(event: Event, now: datetime) -> None:
    if event.cancelled_at:
        raise ValidationError(_("This event is cancelled."))
    if event.ends_at <= now:
        raise ValidationError(_("This event is over."))
    if event.rsvp_opens_at and now < event.rsvp_opens_at:
        raise ValidationError(_("RSVPs are not open yet."))
    if event.rsvp_closes_at and now >= event.rsvp_closes_at:
        raise ValidationError(_("RSVPs are closed."))


def rsvp(user, event_id: int) -> RSVP:
    """Say "going": confirmed while seats remain, otherwise waitlisted (or pending when the
    organisers approve each RSVP). Saying it twice changes nothing."""
    get_event(user, event_id)  # visibility, before any lock
    with transaction.atomic():
        event = _locked_event(event_id)
        now = timezone.now()  # after the lock, so the waitlist follows the order of the lock
        _check_open(event, now)
        current = RSVP.objects.filter(event=event, user=user).first()
        if current and current.status in ACTIVE:
            return current
        if current and current.status == RSVPStatus.DECLINED:
            raise PermissionDenied(_("The organisers declined your RSVP."))
        if event.requires_approval:
            status = RSVPStatus.PENDING
        else:
            status = RSVPStatus.CONFIRMED if _has_seat(event) else RSVPStatus.WAITLISTED
        if current:
            current.status, current.joined_at, current.updated_at = status, now, now
            current.save(update_fields=["status", "joined_at", "updated_at"])
            return current
        return RSVP.objects.create(
            event=event, user=user, status=status, joined_at=now, updated_at=now
        )


def cancel_rsvp(user, event_id: int) -> RSVP | None:
    """Give the seat back; the earliest waitlisted member gets it, exactly once."""
    get_event(user, event_id)
    with transaction.atomic():
        event = _locked_event(event_id)
        current = RSVP.objects.filter(event=event, user=user).first()
        if current is None or current.status not in ACTIVE:
            return current
        was_confirmed = current.status == RSVPStatus.CONFIRMED
        current.status, current.updated_at = RSVPStatus.CANCELLED, timezone.now()
        current.save(update_fields=["status", "updated_at"])
        if was_confirmed:
            _promote(event)
    return current


def _promote(event: Event) -> list[RSVP]:
    """Fill free seats from the waitlist, first in first out. Runs with the event locked."""
    promoted = []
    while _has_seat(event):
        nxt = (
            RSVP.objects.filter(event=event, status=RSVPStatus.WAITLISTED)
            .order_by("joined_at", "id")
            .first()
        )
        if nxt is None:
            break
        nxt.status, nxt.updated_at = RSVPStatus.CONFIRMED, timezone.now()
        nxt.save(update_fields=["status", "updated_at"])
        promoted.append(nxt)
    for seat in promoted:
        _tell_confirmed(seat, event)
    return promoted


def _tell_confirmed(seat: RSVP, event: Event) -> None:
    Notification.objects.create(
        recipient_id=seat.user_id,
        kind=Notification.Kind.SEAT_CONFIRMED,
        event=event,
        community=event.community,
    )
    email = seat.user.email
    subject = _("You have a seat: %(title)s") % {"title": event.title}
    body = _("A seat came free and it is yours: %(title)s, %(when)s.\n%(url)s") % {
        "title": event.title,
        "when": timezone.localtime(event.starts_at, event.tz).strftime("%Y-%m-%d %H:%M %Z"),
        "url": f"{settings.SITE_URL}/events/{event.pk}/",
    }
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def set_capacity(user, event_id: int, capacity: int | None) -> dict:
    """Raising the capacity promotes from the waitlist; lowering it never cancels anyone and
    reports how many are over the new capacity."""
    require_organiser(user, event_id)
    if capacity is not None and capacity < 0:
        raise ValidationError({"capacity": [_("Capacity cannot be negative.")]})
    with transaction.atomic():
        event = _locked_event(event_id)
        event.capacity = capacity
        event.save(update_fields=["capacity"])
        promoted = _promote(event)
        confirmed = _confirmed_count(event)
    over = max(0, confirmed - capacity) if capacity is not None else 0
    return {"promoted": len(promoted), "overbooked_by": over}


def decide_rsvp(user, event_id: int, rsvp_id: int, *, approve: bool) -> RSVP:
    """Approval-required events: an approved member gets a seat if one is free, else the
    waitlist; a declined member cannot ask again."""
    require_organiser(user, event_id)
    with transaction.atomic():
        event = _locked_event(event_id)
        target = RSVP.objects.filter(pk=rsvp_id, event=event).first()
        if target is None:
            raise Http404
        if target.status != RSVPStatus.PENDING:
            raise ValidationError(_("This RSVP was already decided."))
        if approve:
            target.status = RSVPStatus.CONFIRMED if _has_seat(event) else RSVPStatus.WAITLISTED
        else:
            target.status = RSVPStatus.DECLINED
        target.updated_at = timezone.now()
        target.save(update_fields=["status", "updated_at"])
        if target.status == RSVPStatus.CONFIRMED:
            _tell_confirmed(target, event)
    return target


def attendees(user, event_id: int, status: str = "") -> QuerySet[RSVP]:
    require_organiser(user, event_id)
    rows = RSVP.objects.filter(event_id=event_id).select_related("user")
    if status == "checked_in":
        rows = rows.filter(checked_in_at__isnull=False)
    elif status in RSVPStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("joined_at", "id")
