"""Roadshow 1:1 meetings: founders and investors join a roadshow, say when they are free and
whom they want to meet; organisers define slots and build the schedule with the engine's
optimiser (`seedbed.engine.matching.schedule_meetings`); everyone gets an agenda.

Rules kept here, for pages and API alike:
- only events of kind roadshow have meetings; on other events every route answers 404;
- whoever may see the event may join, as founder or investor (one role per event);
- preferences are private: a participant reads only their own; agendas never show a weight
  (a pair's weight is the sum of both sides, so it would reveal the other side's answer);
- stored meetings always satisfy the constraints: a build replaces the schedule in one
  transaction after checking that its inputs did not change while the solver ran, and later
  changes ("no", fewer slots, a lower limit, fewer tables) remove the meetings they break;
- every write that changes the scheduler's inputs takes the event's row lock, so a build and
  a change never interleave (on SQLite every write transaction already holds the write lock).

Building runs inline when the instance is small (the solver answers in well under a second)
and as a background task otherwise, so a request never waits on a long solve. Nothing that
merely reads runs the optimiser.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from seedbed.accounts.access import member_by_handle
from seedbed.accounts.models import User
from seedbed.core.pages import absolute_url
from seedbed.events import adapter
from seedbed.events import services as event_services
from seedbed.events.adapter import BuildResult
from seedbed.events.calendars import event_location, uid, vevent
from seedbed.events.models import (
    CalendarToken,
    Event,
    EventKind,
    Meeting,
    MeetingParticipant,
    MeetingPreference,
    MeetingRole,
    MeetingSlot,
)
from seedbed.events.services import EventAccess, lock_event, times_out_of_range

__all__ = ["BuildResult"]

#: Above this many (founder, investor, slot) combinations the build goes to a background task.
INLINE_LIMIT = 20_000
INLINE_TIME_LIMIT = 10.0
TASK_TIME_LIMIT = 300.0
MAX_TABLES = 1000
MAX_MEETINGS_LIMIT = 100
BUILD_ATTEMPTS = 3

LEVELS = tuple(MeetingPreference.Level.values)


# Access ----------------------------------------------------------------------------------------


def roadshow(user: User | AnonymousUser, event_id: int) -> EventAccess:
    """The roadshow as this user sees it; 404 when missing, invisible or not a roadshow."""
    access = event_services.get_event(user, event_id)
    if access.event.kind != EventKind.ROADSHOW:
        raise Http404
    return access


def _organiser(user: User | AnonymousUser, event_id: int) -> EventAccess:
    access = roadshow(user, event_id)
    if not access.is_organiser:
        raise PermissionDenied(_("Only the organisers can do this."))
    return access


def _participant_of(user: User | AnonymousUser, event: Event) -> MeetingParticipant | None:
    if not user.is_authenticated:
        return None
    return MeetingParticipant.objects.filter(event=event, user=user).first()


def _participant(
    user: User | AnonymousUser, event_id: int
) -> tuple[EventAccess, MeetingParticipant]:
    access = roadshow(user, event_id)
    me = _participant_of(user, access.event)
    if me is None:
        raise PermissionDenied(_("Join the roadshow's meetings first."))
    return access, me


def participation(user: User | AnonymousUser, event_id: int) -> MeetingParticipant:
    """My own participation (role, limit, slots); 403 when I have not joined."""
    return _participant(user, event_id)[1]


def _check_open(event: Event) -> None:
    if event.cancelled_at:
        raise ValidationError(_("This event is cancelled."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))


# Joining ---------------------------------------------------------------------------------------


def _check_role(role: str) -> None:
    if role not in MeetingRole.values:
        raise ValidationError({"role": [_("Choose founder or investor.")]})


def _check_limit(max_meetings: int | None) -> None:
    if max_meetings is not None and not 0 <= max_meetings <= MAX_MEETINGS_LIMIT:
        raise ValidationError(
            {
                "max_meetings": [
                    _("Choose a number between 0 and %(n)d, or leave it empty for no limit.")
                    % {"n": MAX_MEETINGS_LIMIT}
                ]
            }
        )


def _enrol(event: Event, user: User, role: str) -> MeetingParticipant:
    current = MeetingParticipant.objects.filter(event=event, user=user).first()
    if current is not None:
        if current.role != role:
            raise ValidationError(
                {
                    "role": [
                        _("Already taking part as %(role)s; one role per event.")
                        % {"role": current.get_role_display().lower()}
                    ]
                }
            )
        return current
    return MeetingParticipant.objects.create(event=event, user=user, role=role)


def join(user: User | AnonymousUser, event_id: int, role: str) -> MeetingParticipant:
    """Take part in the roadshow's meetings as founder or investor. Joining again with the same
    role changes nothing; another role is refused (one role per event)."""
    access = roadshow(user, event_id)
    member = event_services.require_member(user)
    _check_role(role)
    _check_open(access.event)
    with transaction.atomic():
        lock_event(event_id)
        return _enrol(access.event, member, role)


def add_participant(
    user: User | AnonymousUser, event_id: int, member: int | str, role: str
) -> MeetingParticipant:
    """Organisers enrol a member (by id or @handle) who can see the event; never someone it is
    hidden from, which would reveal a private community's event to them."""
    access = _organiser(user, event_id)
    _check_role(role)
    _check_open(access.event)
    if isinstance(member, int):
        person = User.objects.filter(pk=member, is_active=True).first()
    else:
        person = member_by_handle(member)
    visible = (
        person is not None
        and event_services.visible_events(person).filter(pk=access.event.pk).exists()
    )
    if person is None or not visible:
        raise ValidationError({"user_id": [_("No such member can see this event.")]})
    with transaction.atomic():
        lock_event(event_id)
        return _enrol(access.event, person, role)


def leave(user: User | AnonymousUser, event_id: int) -> None:
    """Stop taking part; one's preferences, the preferences about one and one's meetings go."""
    access, me = _participant(user, event_id)
    with transaction.atomic():
        lock_event(access.event.pk)
        me.delete()


def remove_participant(user: User | AnonymousUser, event_id: int, participant_id: int) -> None:
    access = _organiser(user, event_id)
    with transaction.atomic():
        lock_event(access.event.pk)
        found = MeetingParticipant.objects.filter(event=access.event, pk=participant_id).first()
        if found is None:
            raise ValidationError({"participant_id": [_("No such participant.")]})
        found.delete()


# Availability and limits -----------------------------------------------------------------------


def set_availability(
    user: User | AnonymousUser, event_id: int, *, max_meetings: int | None, slot_ids: list[int]
) -> MeetingParticipant:
    """Set my meeting limit and the slots I can attend (none ticked = all slots). Meetings
    that no longer fit are removed at once, latest first when over the limit."""
    access, me = _participant(user, event_id)
    _check_open(access.event)
    _check_limit(max_meetings)
    wanted = set(slot_ids)
    with transaction.atomic():
        lock_event(access.event.pk)
        slots = list(MeetingSlot.objects.filter(event=access.event, pk__in=wanted))
        unknown = wanted - {s.pk for s in slots}
        if unknown:
            raise ValidationError(
                {"slots": [_("Slot %(id)s is not a slot of this event.") % {"id": min(unknown)}]}
            )
        me.max_meetings = max_meetings
        me.save(update_fields=["max_meetings"])
        me.available_slots.set(slots)
        mine = Meeting.objects.filter(Q(founder=me) | Q(investor=me))
        if wanted:
            mine.exclude(slot_id__in=wanted).delete()
        if max_meetings is not None:
            keep = list(mine.order_by("slot__starts_at", "slot_id").values_list("pk", flat=True))
            Meeting.objects.filter(pk__in=keep[max_meetings:]).delete()
    return me


# Preferences -----------------------------------------------------------------------------------


def _other_side(me: MeetingParticipant):
    other_role = MeetingRole.INVESTOR if me.role == MeetingRole.FOUNDER else MeetingRole.FOUNDER
    return MeetingParticipant.objects.filter(event_id=me.event_id, role=other_role)


def my_preferences(user: User | AnonymousUser, event_id: int) -> list[MeetingPreference]:
    """Only the caller's own answers: nobody reads what others said about them."""
    _view, me = _participant(user, event_id)
    return list(me.preferences.order_by("other_id"))


def set_preferences(
    user: User | AnonymousUser, event_id: int, choices: Sequence[tuple[int, str]]
) -> list[MeetingPreference]:
    """Replace all my preferences: `choices` lists (participant id, level) for people on the
    other side; anyone not listed (or listed with "") has no preference. Saying "no" removes
    any meeting already scheduled with that person."""
    access, me = _participant(user, event_id)
    _check_open(access.event)
    levels: dict[int, str] = {}
    for index, (other_id, level) in enumerate(choices):
        if level not in LEVELS and level != "":
            raise ValidationError({f"preferences.{index}.level": [_("Choose must, like or no.")]})
        if other_id in levels:
            raise ValidationError(
                {f"preferences.{index}.participant_id": [_("This person is listed twice.")]}
            )
        levels[other_id] = level
    with transaction.atomic():
        lock_event(access.event.pk)
        others = set(_other_side(me).filter(pk__in=levels).values_list("pk", flat=True))
        for index, (other_id, _level) in enumerate(choices):
            if other_id not in others:
                raise ValidationError(
                    {
                        f"preferences.{index}.participant_id": [
                            _("Participant %(id)s is not on the other side of this roadshow.")
                            % {"id": other_id}
                        ]
                    }
                )
        me.preferences.all().delete()
        rows = [
            MeetingPreference(event=access.event, participant=me, other_id=other_id, level=level)
            for other_id, level in sorted(levels.items())
            if level
        ]
        MeetingPreference.objects.bulk_create(rows)
        vetoed = [other_id for other_id, level in levels.items() if level == "no"]
        if vetoed:
            side = "investor" if me.role == MeetingRole.FOUNDER else "founder"
            mine = "founder" if me.role == MeetingRole.FOUNDER else "investor"
            Meeting.objects.filter(**{mine: me, f"{side}_id__in": vetoed}).delete()
    return rows


# Slots -----------------------------------------------------------------------------------------


def slots(user: User | AnonymousUser, event_id: int) -> list[MeetingSlot]:
    access = roadshow(user, event_id)
    return list(MeetingSlot.objects.filter(event=access.event).order_by("starts_at", "id"))


def _validate_slot(slot: MeetingSlot) -> None:
    errors: dict[str, list[str]] = {}
    if slot.starts_at is None:
        errors["starts_at"] = [_("Give the slot a start.")]
    if slot.ends_at is None:
        errors["ends_at"] = [_("Give the slot an end.")]
    elif slot.starts_at is not None and slot.ends_at <= slot.starts_at:
        errors["ends_at"] = [_("The end must be after the start.")]
    for name, messages in times_out_of_range(
        {"starts_at": slot.starts_at, "ends_at": slot.ends_at}
    ).items():
        errors.setdefault(name, messages)
    if slot.tables is None or not 0 <= slot.tables <= MAX_TABLES:
        errors["tables"] = [_("Choose between 0 and %(n)d tables.") % {"n": MAX_TABLES}]
    if errors:
        raise ValidationError(errors)
    overlapping = (
        MeetingSlot.objects.filter(
            event_id=slot.event_id, starts_at__lt=slot.ends_at, ends_at__gt=slot.starts_at
        )
        .exclude(pk=slot.pk)
        .exists()
    )
    if overlapping:
        # one person could otherwise be placed in two meetings at the same time
        raise ValidationError({"starts_at": [_("This slot overlaps another slot.")]})


def _aware(moment: datetime | None, event: Event) -> datetime | None:
    """Times given without a zone are the event's wall-clock times."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, event.tz)
    return moment


def create_slot(
    user: User | AnonymousUser,
    event_id: int,
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    tables: int,
) -> MeetingSlot:
    access = _organiser(user, event_id)
    slot = MeetingSlot(event=access.event, tables=tables)
    for name, moment in (("starts_at", starts_at), ("ends_at", ends_at)):
        setattr(slot, name, _aware(moment, access.event))  # missing ones refused below
    with transaction.atomic():
        lock_event(access.event.pk)
        _validate_slot(slot)
        slot.save()
    return slot


def update_slot(user: User | AnonymousUser, event_id: int, slot_id: int, **changes) -> MeetingSlot:
    """Change a slot's times or tables; meetings at tables that no longer exist are removed."""
    access = _organiser(user, event_id)
    unknown = set(changes) - {"starts_at", "ends_at", "tables"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("Unknown field.")]})
    with transaction.atomic():
        lock_event(access.event.pk)
        slot = MeetingSlot.objects.filter(event=access.event, pk=slot_id).first()
        if slot is None:
            raise Http404
        for name, value in changes.items():
            setattr(slot, name, _aware(value, access.event) if name != "tables" else value)
        _validate_slot(slot)
        slot.save()
        Meeting.objects.filter(slot=slot, table__gt=slot.tables).delete()
    return slot


def delete_slot(user: User | AnonymousUser, event_id: int, slot_id: int) -> None:
    access = _organiser(user, event_id)
    with transaction.atomic():
        lock_event(access.event.pk)
        deleted, _rows = MeetingSlot.objects.filter(event=access.event, pk=slot_id).delete()
    if not deleted:
        raise Http404


# Pages -----------------------------------------------------------------------------------------


@dataclass
class Choice:
    other: MeetingParticipant
    level: str


@dataclass
class MeetingsPage:
    """What a member sees on the roadshow's meetings page."""

    access: EventAccess
    me: MeetingParticipant | None
    slots: list[MeetingSlot]
    available: set[int] = field(default_factory=set)
    choices: list[Choice] = field(default_factory=list)
    meeting_count: int = 0


def meetings_page(user: User | AnonymousUser, event_id: int) -> MeetingsPage:
    access = roadshow(user, event_id)
    me = _participant_of(user, access.event)
    page = MeetingsPage(access, me, list(MeetingSlot.objects.filter(event=access.event)))
    if me is None:
        return page
    page.available = set(me.available_slots.values_list("pk", flat=True))
    mine = dict(me.preferences.values_list("other_id", "level"))
    page.choices = [
        Choice(other, mine.get(other.pk, ""))
        for other in _other_side(me).select_related("user").order_by("user__display_name", "id")
    ]
    page.meeting_count = Meeting.objects.filter(Q(founder=me) | Q(investor=me)).count()
    return page


def participants(user: User | AnonymousUser, event_id: int) -> list[MeetingParticipant]:
    """Who takes part (names and roles, never preferences): for participants and organisers."""
    access = roadshow(user, event_id)
    if not access.is_organiser and _participant_of(user, access.event) is None:
        raise PermissionDenied(_("Join the roadshow's meetings first."))
    return list(
        MeetingParticipant.objects.filter(event=access.event)
        .select_related("user")
        .order_by("role", "user__display_name", "id")
    )


@dataclass
class OrganiserPage:
    access: EventAccess
    slots: list[MeetingSlot]
    participants: list[MeetingParticipant]
    meeting_count: int
    total_weight: float


def organiser_page(user: User | AnonymousUser, event_id: int) -> OrganiserPage:
    access = _organiser(user, event_id)
    stored = Meeting.objects.filter(event=access.event).aggregate(n=Count("pk"), w=Sum("weight"))
    return OrganiserPage(
        access,
        list(MeetingSlot.objects.filter(event=access.event)),
        list(
            MeetingParticipant.objects.filter(event=access.event)
            .select_related("user")
            .order_by("role", "user__display_name", "id")
        ),
        stored["n"] or 0,
        stored["w"] or 0.0,
    )


@dataclass
class SlotRow:
    slot: MeetingSlot
    cells: list[Meeting | None]


@dataclass
class PersonRow:
    participant: MeetingParticipant
    meetings: list[Meeting]


@dataclass
class ScheduleAccess:
    access: EventAccess
    meetings: list[Meeting]
    rows: list[SlotRow]
    tables: list[int]
    people: list[PersonRow]
    total_weight: float


def schedule(user: User | AnonymousUser, event_id: int) -> ScheduleAccess:
    """The stored schedule for the organisers: a slot × table matrix and a list per person."""
    access = _organiser(user, event_id)
    meetings = list(
        Meeting.objects.filter(event=access.event).select_related(
            "slot", "founder__user", "investor__user"
        )
    )
    slot_list = list(MeetingSlot.objects.filter(event=access.event))
    width = max([s.tables for s in slot_list] + [m.table for m in meetings] + [0])
    at = {(m.slot_id, m.table): m for m in meetings}
    rows = [SlotRow(s, [at.get((s.pk, t)) for t in range(1, width + 1)]) for s in slot_list]
    by_person: dict[int, list[Meeting]] = defaultdict(list)
    for m in meetings:
        by_person[m.founder_id].append(m)
        by_person[m.investor_id].append(m)
    people = [
        PersonRow(p, by_person.get(p.pk, []))
        for p in MeetingParticipant.objects.filter(event=access.event)
        .select_related("user")
        .order_by("role", "user__display_name", "id")
    ]
    return ScheduleAccess(
        access,
        meetings,
        rows,
        list(range(1, width + 1)),
        people,
        float(sum(m.weight for m in meetings)),
    )


@dataclass
class AgendaItem:
    meeting: Meeting
    other: MeetingParticipant


@dataclass
class Agenda:
    access: EventAccess
    me: MeetingParticipant
    items: list[AgendaItem]
    feed_token: str = ""


def _agenda_items(me: MeetingParticipant) -> list[AgendaItem]:
    meetings = Meeting.objects.filter(Q(founder=me) | Q(investor=me)).select_related(
        "slot", "founder__user", "investor__user"
    )
    return [
        AgendaItem(m, m.investor if me.role == MeetingRole.FOUNDER else m.founder) for m in meetings
    ]


def agenda(user: User | AnonymousUser, event_id: int) -> Agenda:
    """My meetings: slot, table and the other person; never a weight."""
    access, me = _participant(user, event_id)
    token = (
        CalendarToken.objects.filter(user_id=me.user_id, revoked_at__isnull=True)
        .order_by("-created_at")
        .values_list("token", flat=True)
        .first()
    )
    return Agenda(access, me, _agenda_items(me), token or "")


def agenda_for_token(token: str, event_id: int) -> Agenda:
    """The agenda behind a private calendar URL: the member's live calendar token stands in
    for the session, with exactly the session's rules (revoking the token kills the URL)."""
    found = (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
        if token
        else None
    )
    if found is None:
        raise Http404
    return agenda(found.user, event_id)


def agenda_vevents(agenda_: Agenda) -> list:
    event = agenda_.access.event
    place = event_location(event)
    result = []
    for item in agenda_.items:
        m = item.meeting
        name = item.other.user.display_name
        table = _("Table %(n)d") % {"n": m.table}
        result.append(
            vevent(
                uid("meeting", m.pk),
                _("1:1 meeting with %(name)s") % {"name": name},
                m.slot.starts_at,
                m.slot.ends_at,
                tz=event.time_zone,
                location=", ".join(part for part in (table, place) if part),
                description=f"{event.title}\n{table}",
                url=absolute_url(reverse("events:meetings:agenda", args=[event.pk])),
            )
        )
    return result


# Building the schedule -------------------------------------------------------------------------


def _build(event_id: int, time_limit: float) -> BuildResult:
    """Solve outside any transaction (a long solve must not hold SQLite's write lock), then
    store the result only if the inputs are still the ones solved; otherwise solve again."""
    for _attempt in range(BUILD_ATTEMPTS):
        inputs = adapter.meeting_inputs(event_id)
        rows, summary = adapter.solve_meetings(inputs, time_limit)
        with transaction.atomic():
            lock_event(event_id)
            if adapter.meeting_inputs(event_id) != inputs:
                continue
            Meeting.objects.filter(event_id=event_id).delete()
            for row in rows:
                row.event_id = event_id
            Meeting.objects.bulk_create(rows)
            return summary
    raise ValidationError(
        _("Participants kept changing their answers while the schedule was built; try again.")
    )


@task()
def build_schedule_task(event_id: int) -> dict:
    """The background build for large roadshows; access was checked when it was queued."""
    if not Event.objects.filter(pk=event_id, kind=EventKind.ROADSHOW).exists():
        return {}
    return asdict(_build(event_id, TASK_TIME_LIMIT))


def build_schedule(user: User | AnonymousUser, event_id: int) -> BuildResult:
    """Replace the schedule with an optimal one (organisers). Small roadshows are solved
    here and now; large ones are queued and the result says `queued`."""
    access = _organiser(user, event_id)
    if access.event.cancelled_at:
        raise ValidationError(_("This event is cancelled."))
    if adapter.meeting_inputs(access.event.pk).size > INLINE_LIMIT:
        build_schedule_task.enqueue(access.event.pk)
        return BuildResult(0, 0.0, 0.0, 0.0, "queued", queued=True)
    return _build(access.event.pk, INLINE_TIME_LIMIT)
