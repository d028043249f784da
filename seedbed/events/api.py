"""Events and RSVPs under /api/v1, with the rules of the pages (the same service functions).
The attendance, competition and meeting routers are mounted beside this one."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.core.api import Input, Pages
from seedbed.events import api_attendance, api_competitions, api_meetings, services
from seedbed.events.models import MAX_CAPACITY, RSVP, Event, EventKind, RSVPStatus

router = Router(tags=["events"])


class EventOut(Schema):
    id: int
    community: str | None
    kind: EventKind
    title: str
    description: str
    description_html: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue: str
    address: str
    map_url: str
    capacity: int | None
    requires_approval: bool
    rsvp_opens_at: datetime | None
    rsvp_closes_at: datetime | None
    cancelled: bool
    series_id: int | None

    @staticmethod
    def resolve_community(obj: Event) -> str | None:
        return obj.community.slug if obj.community else None

    @staticmethod
    def resolve_cancelled(obj: Event) -> bool:
        return obj.cancelled_at is not None


class EventDetailOut(EventOut):
    online_url: str | None = Field(None, description="Only for confirmed attendees and organisers.")
    my_rsvp: RSVPStatus | None = None
    confirmed: int
    waitlisted: int


class EventIn(Input):
    community: str | None = None
    kind: EventKind
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=20_000)
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field("Asia/Shanghai", max_length=64)
    venue: str = Field("", max_length=200)
    address: str = Field("", max_length=300)
    map_url: str = Field("", max_length=200)
    online_url: str = Field("", max_length=200)
    capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY)
    requires_approval: bool = False
    rsvp_opens_at: datetime | None = None
    rsvp_closes_at: datetime | None = None
    entries_close_at: datetime | None = None
    repeat: str = ""
    occurrences: int = Field(1, ge=1, le=52)


class EventPatch(Input):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20_000)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    venue: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    map_url: str | None = Field(None, max_length=200)
    online_url: str | None = Field(None, max_length=200)
    capacity: int | None = Field(None, ge=0, le=MAX_CAPACITY)
    requires_approval: bool | None = None
    rsvp_opens_at: datetime | None = None
    rsvp_closes_at: datetime | None = None
    scope: str = "one"


class RSVPOut(Schema):
    id: int
    user_id: int
    display_name: str
    status: RSVPStatus
    joined_at: datetime
    checked_in_at: datetime | None

    @staticmethod
    def resolve_display_name(obj: RSVP) -> str:
        return obj.user.display_name


class MyRSVPOut(Schema):
    status: RSVPStatus


class CapacityIn(Input):
    capacity: int | None = Field(..., ge=0, le=MAX_CAPACITY)


class CapacityOut(Schema):
    promoted: int
    overbooked_by: int


class _Detail:
    """The event as one caller sees it: its own fields, and what this caller may know."""

    def __init__(self, access: services.EventAccess) -> None:
        self.event = access.event
        self.online_url = access.online_url or None
        self.my_rsvp = access.rsvp.status if access.rsvp else None
        self.confirmed = access.counts["confirmed"]
        self.waitlisted = access.counts["waitlisted"]

    def __getattr__(self, name: str) -> object:
        return getattr(self.event, name)


def _detail(access: services.EventAccess) -> _Detail:
    return _Detail(access)


@router.get("/events", response=list[EventOut], auth=VISITOR)
@paginate(Pages)
def list_events(request: HttpRequest, community: str = "", kind: str = ""):
    """Upcoming events the caller may see."""
    return services.upcoming(request.user, community=community, kind=kind).events


@router.post("/events", response={201: EventDetailOut}, auth=MEMBER)
def create_event(request: HttpRequest, payload: EventIn):
    fields = payload.dict()
    community = fields.pop("community")
    repeat, occurrences = fields.pop("repeat"), fields.pop("occurrences")
    event = services.create_event(
        request.user, community=community, repeat=repeat, occurrences=occurrences, **fields
    )
    return Status(201, _detail(services.get_event(request.user, event.pk)))


@router.get("/events/{event_id}", response=EventDetailOut, auth=VISITOR)
def get_event(request: HttpRequest, event_id: int):
    return _detail(services.get_event(request.user, event_id))


@router.patch("/events/{event_id}", response=EventDetailOut, auth=MEMBER)
def patch_event(request: HttpRequest, event_id: int, payload: EventPatch):
    changes = payload.dict(exclude_unset=True)
    scope = changes.pop("scope", "one")
    services.update_event(request.user, event_id, scope=scope, **changes)
    return _detail(services.get_event(request.user, event_id))


@router.post("/events/{event_id}/cancel", response={204: None}, auth=MEMBER)
def cancel_event(request: HttpRequest, event_id: int):
    services.cancel_event(request.user, event_id)
    return Status(204, None)


@router.post("/events/{event_id}/rsvp", response=MyRSVPOut, auth=MEMBER)
def rsvp(request: HttpRequest, event_id: int):
    """Going: confirmed while seats remain, else waitlisted (or pending approval)."""
    return {"status": services.rsvp(request.user, event_id).status}


@router.delete("/events/{event_id}/rsvp", response={204: None}, auth=MEMBER)
def cancel_rsvp(request: HttpRequest, event_id: int):
    services.cancel_rsvp(request.user, event_id)
    return Status(204, None)


@router.get("/events/{event_id}/rsvps", response=list[RSVPOut], auth=MEMBER)
@paginate(Pages)
def list_rsvps(request: HttpRequest, event_id: int, status: str = ""):
    """Organisers only."""
    return services.attendees(request.user, event_id, status).rows


@router.post("/events/{event_id}/rsvps/{rsvp_id}/approve", response=MyRSVPOut, auth=MEMBER)
def approve_rsvp(request: HttpRequest, event_id: int, rsvp_id: int):
    return {"status": services.decide_rsvp(request.user, event_id, rsvp_id, approve=True).status}


@router.post("/events/{event_id}/rsvps/{rsvp_id}/decline", response=MyRSVPOut, auth=MEMBER)
def decline_rsvp(request: HttpRequest, event_id: int, rsvp_id: int):
    return {"status": services.decide_rsvp(request.user, event_id, rsvp_id, approve=False).status}


@router.put("/events/{event_id}/capacity", response=CapacityOut, auth=MEMBER)
def set_capacity(request: HttpRequest, event_id: int, payload: CapacityIn):
    """Raising promotes from the waitlist; lowering never cancels and reports the overbooking."""
    return services.set_capacity(request.user, event_id, payload.capacity)


router.add_router("", api_attendance.router)
router.add_router("", api_competitions.router)
router.add_router("", api_meetings.router)
