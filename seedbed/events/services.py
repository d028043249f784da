"""Events: who may see them, creating and editing them, and RSVPs with a waitlist that is
never overbooked.

An event's visibility follows its community's (platform events, with no community, are public).
Organisers are the event's creator, the community's owners and moderators, and operators.
Everything one person may see or do with one event is answered by their `EventAccess`, which
pages, templates, the API and the calendar files all ask.

Capacity is checked after locking the event row inside the transaction (SELECT ... FOR UPDATE
on PostgreSQL; on SQLite every write transaction begins IMMEDIATE and so already holds the
database's write lock), so concurrent RSVPs can never confirm more people than there are seats.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from seedbed.accounts.access import is_operator
from seedbed.accounts.models import User
from seedbed.communities import access as community_access
from seedbed.communities.models import Community, Membership
from seedbed.core.markdown import render_markdown
from seedbed.core.text import single_line
from seedbed.events import indexing
from seedbed.events import notifications as kinds
from seedbed.events.models import (
    MAX_CAPACITY,
    MAX_DURATION,
    RSVP,
    YEARS_AROUND_NOW,
    Event,
    EventKind,
    EventSeries,
    RSVPStatus,
    SeatMail,
    validate_time_zone,
)
from seedbed.notifications.services import notify

ACTIVE = (RSVPStatus.CONFIRMED, RSVPStatus.WAITLISTED, RSVPStatus.PENDING)

#: Off only in the concurrency tests' control runs, which must then break the rules.
LOCK_EVENTS = True


def lock_event(event_id: int) -> Event:
    """The event row, locked until the transaction ends. Every write whose check counts the
    event's rows (seats, entries, scores, the meeting schedule's inputs) takes it first, so
    concurrent requests queue instead of both passing the check (SELECT ... FOR UPDATE on
    PostgreSQL; on SQLite the IMMEDIATE transaction already holds the database's write lock)."""
    events = Event.objects.select_for_update() if LOCK_EVENTS else Event.objects.all()
    return events.get(pk=event_id)


# Seeing events ---------------------------------------------------------------------------------


def visible_events(user: User | AnonymousUser) -> QuerySet[Event]:
    """Events of communities the user may read (the communities' own rule, archived ones
    included for those who may still read them), plus platform events. Cancelled events stay
    visible, marked as cancelled."""
    readable = community_access.readable_communities(user)
    return Event.objects.filter(Q(community__isnull=True) | Q(community__in=readable))


def _organises(user: User, event: Event, membership: Membership | None) -> bool:
    """The event's creator, operators, and whoever moderates its community (the community's
    own rule, given the user's membership there)."""
    if event.created_by_id == user.pk or is_operator(user):
        return True
    return (
        event.community is not None
        and community_access.CommunityAccess(user, event.community, membership).can_moderate
    )


def is_organiser(user: User | AnonymousUser, event: Event) -> bool:
    if not user.is_authenticated:
        return False
    membership = None
    if event.community is not None and event.created_by_id != user.pk:
        membership = community_access.membership_of(user, event.community)
    return _organises(user, event, membership)


@dataclass
class EventAccess:
    """What one person may see and do with one event. Pages, templates, the API and the
    calendar exports all ask here, so they cannot disagree."""

    user: User | AnonymousUser
    event: Event
    rsvp: RSVP | None
    is_organiser: bool

    @property
    def is_confirmed(self) -> bool:
        return self.rsvp is not None and self.rsvp.status == RSVPStatus.CONFIRMED

    @property
    def attended(self) -> bool:
        """Confirmed, or checked in (a seat given back after arriving still counts)."""
        return self.is_confirmed or (self.rsvp is not None and self.rsvp.checked_in_at is not None)

    @property
    def sees_online_link(self) -> bool:
        """The link lets anyone in, so only those with a seat and the organisers get it."""
        return self.is_confirmed or self.is_organiser

    @property
    def online_url(self) -> str:
        return self.event.online_url if self.sees_online_link else ""

    @property
    def may_edit(self) -> bool:
        return self.is_organiser

    @property
    def rsvp_closed_reason(self) -> str:
        """Why nobody can say "going" now, or "" while RSVPs are open."""
        return closed_reason(self.event, timezone.now())

    @property
    def may_rsvp(self) -> bool:
        asked = self.rsvp is not None and self.rsvp.status != RSVPStatus.CANCELLED
        return self.user.is_authenticated and not asked and not self.rsvp_closed_reason

    @property
    def may_cancel_rsvp(self) -> bool:
        return self.rsvp is not None and self.rsvp.status in ACTIVE

    @property
    def may_give_feedback(self) -> bool:
        """Attendees, once the event is over (never for a cancelled one)."""
        event = self.event
        return self.attended and not event.cancelled_at and event.ends_at <= timezone.now()

    @property
    def sees_standings(self) -> bool:
        """Competition results: the organisers at any time, everyone once published."""
        return self.is_organiser or self.event.results_published_at is not None

    @property
    def sees_full_standings(self) -> bool:
        """Unscored entries and the raw means (which would let entrants work out a judge's
        marks) are for the organisers only."""
        return self.is_organiser

    @cached_property
    def counts(self) -> dict[str, int]:
        return counts(self.event)


def get_event(user: User | AnonymousUser, event_id: int) -> EventAccess:
    """The event for this user, or Http404 when missing or not visible to them."""
    event = visible_events(user).select_related("community").filter(pk=event_id).first()
    if event is None:
        raise Http404
    rsvp = None
    if user.is_authenticated:
        rsvp = RSVP.objects.filter(event=event, user=user).first()
    return EventAccess(user, event, rsvp, is_organiser(user, event))


def require_organiser(user: User | AnonymousUser, event_id: int) -> EventAccess:
    access = get_event(user, event_id)
    if not access.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    return access


def accesses(user: User, rsvps: list[RSVP]) -> list[EventAccess]:
    """The access of one member to the events of their RSVPs (already known visible), with
    one query for every organiser check together."""
    memberships = {m.community_id: m for m in Membership.objects.filter(user=user)}
    return [
        EventAccess(
            user, r.event, r, _organises(user, r.event, memberships.get(r.event.community_id or 0))
        )
        for r in rsvps
    ]


def counts(event: Event) -> dict[str, int]:
    rows = RSVP.objects.filter(event=event).values("status").annotate(n=Count("id"))
    found = {row["status"]: row["n"] for row in rows}
    checked_in = RSVP.objects.filter(event=event, checked_in_at__isnull=False).count()
    return {status: found.get(status, 0) for status in RSVPStatus.values} | {
        "checked_in": checked_in
    }


@dataclass
class Upcoming:
    user: User | AnonymousUser
    community: Community | None
    events: QuerySet[Event]

    @cached_property
    def may_create(self) -> bool:
        """Whether to offer "New event" here: only to those whom creating would not refuse."""
        return not creation_refusal(self.user, self.community)


def upcoming(
    user: User | AnonymousUser,
    *,
    community: str = "",
    kind: str = "",
    now: datetime | None = None,
) -> Upcoming:
    """Upcoming events the user may see, of one community (by slug; 404 when it cannot be
    read) or of all, and whether the user may add one here."""
    home = _readable_community(user, community) if community else None
    events = visible_events(user).filter(ends_at__gte=now or timezone.now())
    if home is not None:
        events = events.filter(community=home)
    if kind in EventKind.values:
        events = events.filter(kind=kind)
    events = events.select_related("community").order_by("starts_at", "id")
    return Upcoming(user, home, events)


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
TIMES = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "entries_close_at")
SINGLE_LINE = ("title", "venue", "address")


def _readable_community(user: User | AnonymousUser, slug: str) -> Community:
    from seedbed.communities.services import get_community

    if not slug_re.match(slug):  # no such address (and NUL would reach PostgreSQL)
        raise Http404
    return get_community(user, slug).community


def creation_refusal(user: User | AnonymousUser, community: Community | None) -> str:
    """Why this user may not create an event here, or "" when they may: a community's
    moderators and owners (not once it is archived: it is read-only); platform events,
    operators."""
    if community is None:
        return "" if is_operator(user) else _("Only operators create platform events.")
    if community.archived_at is not None:
        return _("This community is archived.")
    if not community_access.access_to(user, community).can_moderate:
        return _("Only the community's owners and moderators create events.")
    return ""


def check_can_create(user: User | AnonymousUser, community_slug: str | None) -> Community | None:
    """The community the new event belongs to (None for a platform event); 404 when it cannot
    be read, PermissionDenied unless this user may create events there."""
    home = _readable_community(user, community_slug) if community_slug else None
    refusal = creation_refusal(user, home)
    if refusal:
        raise PermissionDenied(refusal)
    return home


def times_out_of_range(times: dict[str, datetime | None]) -> dict[str, list[str]]:
    """The times (of an event or a meeting slot) that lie more than `YEARS_AROUND_NOW` years
    from now. Beyond that no plan is real, and near year 1 or 9999 converting to a time zone
    overflows: such a row once made every events page fail."""
    now, reach = timezone.now(), timedelta(days=365 * YEARS_AROUND_NOW)
    message = _("Choose a date within %(n)d years of today.") % {"n": YEARS_AROUND_NOW}
    return {
        name: [message]
        for name, value in times.items()
        if value is not None and not now - reach <= value <= now + reach
    }


def capacity_refusal(capacity: int | None) -> dict[str, list[str]]:
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        return {
            "capacity": [
                _("Choose a capacity from 0 to %(n)d, or leave it empty.") % {"n": MAX_CAPACITY}
            ]
        }
    return {}


def _validate(event: Event) -> None:
    for name in SINGLE_LINE:
        setattr(event, name, single_line(getattr(event, name) or ""))
    errors: dict[str, list[str]] = {}
    if not event.title:
        errors["title"] = [_("Give the event a title.")]
    if event.kind not in EventKind.values:
        errors["kind"] = [_("Choose salon, roadshow, tech meetup or competition.")]
    try:
        validate_time_zone(event.time_zone)
    except ValidationError as exc:
        errors["time_zone"] = exc.messages
    errors |= times_out_of_range({name: getattr(event, name) for name in TIMES})
    if event.starts_at and event.ends_at and "ends_at" not in errors:
        if event.ends_at <= event.starts_at:
            errors["ends_at"] = [_("The end must be after the start.")]
        elif event.ends_at - event.starts_at > MAX_DURATION:
            errors["ends_at"] = [_("An event lasts at most %(n)d days.") % {"n": MAX_DURATION.days}]
    errors |= capacity_refusal(event.capacity)
    if (
        event.rsvp_opens_at
        and event.rsvp_closes_at
        and event.rsvp_closes_at <= event.rsvp_opens_at
        and "rsvp_closes_at" not in errors
    ):
        errors["rsvp_closes_at"] = [_("RSVPs must close after they open.")]
    if not (event.venue or event.address or event.online_url):
        errors["venue"] = [_("Give a venue or an online link.")]
    out_of_range = set(errors) & set(TIMES)
    try:
        if not out_of_range:  # checking the constraints converts the times, which could overflow
            event.full_clean(exclude=["community", "series", "created_by", "description_html"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def create_event(
    user: User | AnonymousUser,
    *,
    community: str | None = None,
    repeat: str = "",
    occurrences: int = 1,
    **fields,
) -> Event:
    """Create an event (or a weekly or monthly series of `occurrences` events)."""
    home = check_can_create(user, community)
    member = require_member(user)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    event = Event(community=home, created_by=member, **fields)
    event.description_html = render_markdown(event.description or "")
    _validate(event)
    if repeat and repeat not in EventSeries.Frequency.values:
        raise ValidationError({"repeat": [_("Choose weekly or monthly.")]})
    if not 1 <= occurrences <= 52:
        raise ValidationError({"occurrences": [_("Choose between 1 and 52 occurrences.")]})
    if repeat and occurrences > 1:
        last = _occurrence(event, occurrences - 1, repeat)
        if times_out_of_range({name: getattr(last, name) for name in TIMES}):
            raise ValidationError(
                {
                    "occurrences": [
                        _("The series would run more than %(n)d years from today.")
                        % {"n": YEARS_AROUND_NOW}
                    ]
                }
            )
    with transaction.atomic():
        if repeat and occurrences > 1:
            event.series = EventSeries.objects.create(frequency=repeat, created_by=member)
        event.save()
        for n in range(1, occurrences if event.series else 1):
            _occurrence(event, n, repeat).save()
        transaction.on_commit(lambda: indexing.index_event(event, with_series=True))
    return event


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    """The wall-clock time (naive) of an instant in a time zone."""
    return moment.astimezone(tz).replace(tzinfo=None)


def _shift(moment: datetime | None, n: int, repeat: str, tz: ZoneInfo) -> datetime | None:
    """The n-th repetition in the event's own time zone, so 19:00 stays 19:00 across a DST
    change; monthly keeps the day of the month (clamped to the month's last day)."""
    if moment is None:
        return None
    local = _wall(moment, tz)
    if repeat == EventSeries.Frequency.WEEKLY:
        naive = local + timedelta(weeks=n)
    else:
        import calendar

        month_index = local.month - 1 + n
        year, month = local.year + month_index // 12, month_index % 12 + 1
        day = min(local.day, calendar.monthrange(year, month)[1])
        naive = local.replace(year=year, month=month, day=day)
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
    for field in TIMES:
        setattr(copy, field, _shift(getattr(first, field), n, repeat, tz))
    return copy


def _carried_over(edited: Event, other: Event, changes: dict) -> dict:
    """The changes made to `edited`, as they apply to another event of its series. A new
    start moves every start by the same wall-clock amount in the event's time zone (19:00 →
    20:00 is 20:00 on every date, also across a daylight-saving change); the other times keep
    their wall-clock distance from the start; each event keeps its own date."""
    carried = {name: value for name, value in changes.items() if name not in TIMES}
    zone = ZoneInfo(changes.get("time_zone", edited.time_zone))
    edited_start = changes.get("starts_at") or edited.starts_at
    start = other.starts_at
    if changes.get("starts_at"):
        moved = _wall(changes["starts_at"], zone) - _wall(edited.starts_at, edited.tz)
        start = (_wall(other.starts_at, other.tz) + moved).replace(tzinfo=zone)
        carried["starts_at"] = start
    for name in TIMES[1:]:
        if name not in changes:
            continue
        value = changes[name]
        if value is not None:
            offset = _wall(value, zone) - _wall(edited_start, zone)
            value = (_wall(start, zone) + offset).replace(tzinfo=zone)
        carried[name] = value
    return carried


def update_event(
    user: User | AnonymousUser, event_id: int, *, scope: str = "one", **changes
) -> list[Event]:
    """Edit one event (`scope="one"`), it and every later event of its series
    (`"following"`), or every event of the series (`"series"`). Only the fields given change;
    a new capacity promotes from the waitlist."""
    edited = require_organiser(user, event_id).event
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    if scope not in ("one", "following", "series"):
        raise ValidationError(
            {"scope": [_("Apply to this event, the following ones, or the whole series.")]}
        )
    if "time_zone" in changes:
        try:
            validate_time_zone(changes["time_zone"])
        except ValidationError as exc:
            raise ValidationError({"time_zone": exc.messages}) from None
    refusal = times_out_of_range({name: changes[name] for name in TIMES if name in changes})
    if "capacity" in changes:
        refusal |= capacity_refusal(changes["capacity"])
    if refusal:
        raise ValidationError(refusal)
    targets = [edited]
    if scope != "one" and edited.series_id:
        series = Event.objects.filter(series=edited.series_id)
        if scope == "following":
            series = series.filter(starts_at__gte=edited.starts_at)
        targets = list(series.order_by("starts_at", "id"))
    with transaction.atomic():
        transaction.on_commit(lambda: indexing.index_events([t.pk for t in targets]))
        return [
            _apply_changes(
                lock_event(target.pk),
                changes if target.pk == edited.pk else _carried_over(edited, target, changes),
            )
            for target in targets
        ]


def _apply_changes(event: Event, fields: dict) -> Event:
    """Set, check and save the given fields only. Runs with the event locked."""
    for name, value in fields.items():
        setattr(event, name, value)
    saved = list(fields)
    if "description" in fields:
        event.description_html = render_markdown(event.description or "")
        saved.append("description_html")
    _validate(event)
    event.save(update_fields=saved)
    if "capacity" in fields:
        _promote(event)
    return event


def cancel_event(user: User | AnonymousUser, event_id: int) -> Event:
    event = require_organiser(user, event_id).event
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at"])
    transaction.on_commit(lambda: indexing.index_event(event))
    return event


# RSVPs -----------------------------------------------------------------------------------------


def _confirmed_count(event: Event) -> int:
    return RSVP.objects.filter(event=event, status=RSVPStatus.CONFIRMED).count()


def _has_seat(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


def closed_reason(event: Event, now: datetime) -> str:
    """Why RSVPs to this event are closed at `now`, or "" while they are open."""
    if event.cancelled_at:
        return _("This event is cancelled.")
    if event.ends_at <= now:
        return _("This event is over.")
    if event.rsvp_opens_at and now < event.rsvp_opens_at:
        return _("RSVPs are not open yet.")
    if event.rsvp_closes_at and now >= event.rsvp_closes_at:
        return _("RSVPs are closed.")
    return ""


def require_member(user: User | AnonymousUser) -> User:
    """The signed-in member, for the writes only members make (their pages and endpoints
    already ask for a login; this keeps the services safe on their own)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in"))
    return user


def rsvp(user: User | AnonymousUser, event_id: int) -> RSVP:
    """Say "going": confirmed while seats remain, otherwise waitlisted (or pending when the
    organisers approve each RSVP). Saying it twice changes nothing."""
    get_event(user, event_id)  # visibility, before any lock
    member = require_member(user)
    with transaction.atomic():
        event = lock_event(event_id)
        now = timezone.now()  # after the lock, so the waitlist follows the order of the lock
        reason = closed_reason(event, now)
        if reason:
            raise ValidationError(reason)
        current = RSVP.objects.filter(event=event, user=member).first()
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
            event=event, user=member, status=status, joined_at=now, updated_at=now
        )


def cancel_rsvp(user: User | AnonymousUser, event_id: int) -> RSVP | None:
    """Give the seat back; the earliest waitlisted member gets it, exactly once."""
    get_event(user, event_id)
    member = require_member(user)
    with transaction.atomic():
        event = lock_event(event_id)
        current = RSVP.objects.filter(event=event, user=member).first()
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
    """The in-app notice now, in the transaction that gives the seat; the e-mail owed is
    recorded here too and sent by the worker, which claims it first (see `events.tasks`)."""
    from seedbed.events.tasks import send_seat_mails

    notify([seat.user_id], kinds.SEAT_CONFIRMED, event=event, community=event.community)
    owed = SeatMail.objects.create(rsvp=seat, confirmed_at=seat.updated_at)
    transaction.on_commit(lambda: send_seat_mails.enqueue(owed.pk))


def set_capacity(user: User | AnonymousUser, event_id: int, capacity: int | None) -> dict:
    """Raising the capacity promotes from the waitlist; lowering it never cancels anyone and
    reports how many are over the new capacity."""
    require_organiser(user, event_id)
    refusal = capacity_refusal(capacity)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        event = lock_event(event_id)
        event.capacity = capacity
        event.save(update_fields=["capacity"])
        promoted = _promote(event)
        confirmed = _confirmed_count(event)
    over = max(0, confirmed - capacity) if capacity is not None else 0
    return {"promoted": len(promoted), "overbooked_by": over}


def decide_rsvp(user: User | AnonymousUser, event_id: int, rsvp_id: int, *, approve: bool) -> RSVP:
    """Approval-required events: an approved member gets a seat if one is free, else the
    waitlist; a declined member cannot ask again."""
    require_organiser(user, event_id)
    with transaction.atomic():
        event = lock_event(event_id)
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


@dataclass
class Attendees:
    access: EventAccess
    rows: QuerySet[RSVP]
    status: str

    @property
    def overbooked(self) -> int:
        capacity = self.access.event.capacity
        return max(0, self.access.counts["confirmed"] - capacity) if capacity is not None else 0


def attendees(user: User | AnonymousUser, event_id: int, status: str = "") -> Attendees:
    """The organisers' list of RSVPs, optionally of one status or the checked-in."""
    access = require_organiser(user, event_id)
    rows = RSVP.objects.filter(event_id=event_id).select_related("user")
    if status == "checked_in":
        rows = rows.filter(checked_in_at__isnull=False)
    elif status in RSVPStatus.values:
        rows = rows.filter(status=status)
    return Attendees(access, rows.order_by("joined_at", "id"), status)
