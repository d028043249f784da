"""Roadshow 1:1 meetings under /api/v1/events/{event_id}/meetings, with the rules of the pages
(the same service functions in `meetings.py`). Preferences are only ever the caller's own, and
agendas carry no weights."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.core.api import Input
from seedbed.events import meetings
from seedbed.events.models import MeetingParticipant, MeetingRole

router = Router(tags=["events"])

BASE = "/events/{event_id}/meetings"


class MeetingPersonOut(Schema):
    id: int
    display_name: str


class ParticipantOut(Schema):
    id: int
    role: MeetingRole
    user: MeetingPersonOut


class MyParticipationOut(ParticipantOut):
    max_meetings: int | None
    available_slots: list[int] = Field(..., description="Empty means every slot.")

    @staticmethod
    def resolve_available_slots(obj: MeetingParticipant) -> list[int]:
        return sorted(s.pk for s in obj.available_slots.all())


class MeetingJoinIn(Input):
    role: MeetingRole


class AddParticipantIn(Input):
    user_id: int
    role: MeetingRole


class AvailabilityIn(Input):
    max_meetings: int | None = Field(None, ge=0, le=meetings.MAX_MEETINGS_LIMIT)
    slots: list[int] = Field([], max_length=1000, description="Empty means every slot.")


class PreferenceItem(Input):
    participant_id: int
    level: Literal["must", "like", "no"]


class PreferenceOut(Schema):
    participant_id: int
    level: Literal["must", "like", "no"]

    @staticmethod
    def resolve_participant_id(obj) -> int:
        return obj.other_id


class PreferencesIn(Input):
    preferences: list[PreferenceItem] = Field(..., max_length=2000)


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    tables: int


class SlotIn(Input):
    starts_at: datetime
    ends_at: datetime
    tables: int = Field(1, ge=0, le=meetings.MAX_TABLES)


class SlotPatch(Input):
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    tables: int | None = Field(None, ge=0, le=meetings.MAX_TABLES)


class BuildOut(Schema):
    status: str = Field(..., description="optimal, time_limit, greedy, or queued.")
    meetings: int
    total_weight: float
    upper_bound: float
    gap: float


class MeetingOut(Schema):
    id: int
    slot: SlotOut
    table: int
    founder: ParticipantOut
    investor: ParticipantOut
    weight: float


class ScheduleOut(Schema):
    total_weight: float
    meetings: list[MeetingOut]


class AgendaItemOut(Schema):
    slot: SlotOut
    table: int
    other: ParticipantOut

    @staticmethod
    def resolve_slot(obj: meetings.AgendaItem):
        return obj.meeting.slot

    @staticmethod
    def resolve_table(obj: meetings.AgendaItem) -> int:
        return obj.meeting.table


class AgendaOut(Schema):
    role: MeetingRole
    meetings: list[AgendaItemOut]


# Taking part -----------------------------------------------------------------------------------


@router.post(f"{BASE}/join", response=MyParticipationOut, auth=MEMBER)
def join(request: HttpRequest, event_id: int, payload: MeetingJoinIn):
    """Take part as founder or investor (one role per event)."""
    return meetings.join(request.user, event_id, payload.role)


@router.get(f"{BASE}/participants", response=list[ParticipantOut], auth=MEMBER)
def list_participants(request: HttpRequest, event_id: int):
    """Who takes part, never what anyone said (participants and organisers)."""
    return meetings.participants(request.user, event_id)


@router.post(f"{BASE}/participants", response={201: ParticipantOut}, auth=MEMBER)
def add_participant(request: HttpRequest, event_id: int, payload: AddParticipantIn):
    """Organisers enrol a member who can see the event."""
    return Status(
        201, meetings.add_participant(request.user, event_id, payload.user_id, payload.role)
    )


@router.delete(f"{BASE}/participants/{{participant_id}}", response={204: None}, auth=MEMBER)
def remove_participant(request: HttpRequest, event_id: int, participant_id: int):
    meetings.remove_participant(request.user, event_id, participant_id)
    return Status(204, None)


@router.get(f"{BASE}/me", response=MyParticipationOut, auth=MEMBER)
def me(request: HttpRequest, event_id: int):
    return meetings.participation(request.user, event_id)


@router.delete(f"{BASE}/me", response={204: None}, auth=MEMBER)
def leave(request: HttpRequest, event_id: int):
    meetings.leave(request.user, event_id)
    return Status(204, None)


@router.put(f"{BASE}/me/availability", response=MyParticipationOut, auth=MEMBER)
def set_availability(request: HttpRequest, event_id: int, payload: AvailabilityIn):
    return meetings.set_availability(
        request.user, event_id, max_meetings=payload.max_meetings, slot_ids=payload.slots
    )


@router.get(f"{BASE}/me/preferences", response=list[PreferenceOut], auth=MEMBER)
def my_preferences(request: HttpRequest, event_id: int):
    """My own answers only."""
    return meetings.my_preferences(request.user, event_id)


@router.put(f"{BASE}/me/preferences", response=list[PreferenceOut], auth=MEMBER)
def set_preferences(request: HttpRequest, event_id: int, payload: PreferencesIn):
    """Replace all my answers; people not listed get no preference."""
    choices = [(item.participant_id, item.level) for item in payload.preferences]
    return meetings.set_preferences(request.user, event_id, choices)


@router.get(f"{BASE}/me/agenda", response=AgendaOut, auth=MEMBER)
def my_agenda(request: HttpRequest, event_id: int):
    found = meetings.agenda(request.user, event_id)
    return {"role": found.me.role, "meetings": found.items}


# Slots and the schedule ------------------------------------------------------------------------


@router.get(f"{BASE}/slots", response=list[SlotOut], auth=VISITOR)
def list_slots(request: HttpRequest, event_id: int):
    return meetings.slots(request.user, event_id)


@router.post(f"{BASE}/slots", response={201: SlotOut}, auth=MEMBER)
def create_slot(request: HttpRequest, event_id: int, payload: SlotIn):
    """Times without a zone are the event's local times."""
    return Status(201, meetings.create_slot(request.user, event_id, **payload.dict()))


@router.patch(f"{BASE}/slots/{{slot_id}}", response=SlotOut, auth=MEMBER)
def update_slot(request: HttpRequest, event_id: int, slot_id: int, payload: SlotPatch):
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return meetings.update_slot(request.user, event_id, slot_id, **changes)


@router.delete(f"{BASE}/slots/{{slot_id}}", response={204: None}, auth=MEMBER)
def delete_slot(request: HttpRequest, event_id: int, slot_id: int):
    meetings.delete_slot(request.user, event_id, slot_id)
    return Status(204, None)


@router.post(f"{BASE}/schedule", response=BuildOut, auth=MEMBER)
def build_schedule(request: HttpRequest, event_id: int):
    """Replace the schedule with an optimal one; large roadshows are queued (status queued)."""
    return meetings.build_schedule(request.user, event_id)


@router.get(f"{BASE}/schedule", response=ScheduleOut, auth=MEMBER)
def get_schedule(request: HttpRequest, event_id: int):
    found = meetings.schedule(request.user, event_id)
    return {"total_weight": found.total_weight, "meetings": found.meetings}
