"""Tickets, check-in, attendance, feedback, messages to attendees and calendars under /api/v1,
with exactly the rules of the pages (the same service functions in `attendance.py`)."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from seedbed.accounts.auth import MEMBER, VISITOR
from seedbed.core.api import Input, Pages
from seedbed.events import attendance, calendars
from seedbed.events.models import CalendarToken

router = Router(tags=["events"])

ICS_DOC = {"responses": {200: {"description": "iCalendar", "content": {"text/calendar": {}}}}}


class AttendeeOut(Schema):
    id: int
    display_name: str
    handle: str


class TicketOut(Schema):
    event_id: int
    ticket_code: str
    check_in_url: str
    qr_svg_url: str
    checked_in_at: datetime | None


class CheckInIn(Input):
    ticket_code: str = Field(..., min_length=1, max_length=40)


class CheckInOut(Schema):
    rsvp_id: int
    user: AttendeeOut
    checked_in_at: datetime
    already_checked_in: bool


class AttendanceOut(Schema):
    confirmed: int
    checked_in: int
    rate: float | None = Field(None, description="checked_in / confirmed; null when 0 confirmed")


class FeedbackIn(Input):
    rating: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=attendance.MAX_COMMENT)


class FeedbackOut(Schema):
    id: int
    rating: int
    comment: str
    created_at: datetime


class FeedbackItemOut(FeedbackOut):
    user: AttendeeOut


class FeedbackSummaryOut(Schema):
    count: int
    average: float | None
    distribution: dict[int, int]


class MessageIn(Input):
    status: Literal["confirmed", "waitlisted", "checked_in"]
    subject: str = Field(..., min_length=1, max_length=attendance.MAX_SUBJECT)
    body: str = Field(..., min_length=1, max_length=attendance.MAX_MESSAGE)


class MessageOut(Schema):
    recipients: int


class CalendarFeedOut(Schema):
    feed_url: str
    created_at: datetime


def _feed(request: HttpRequest, token: CalendarToken) -> dict:
    return {
        "feed_url": request.build_absolute_uri(attendance.calendar_feed_path(token)),
        "created_at": token.created_at,
    }


@router.get("/events/{event_id}/ticket", response=TicketOut, auth=MEMBER)
def my_ticket(request: HttpRequest, event_id: int):
    """Your ticket for an event where you hold a confirmed seat (404 otherwise)."""
    ticket = attendance.my_ticket(request.user, event_id)
    return {
        "event_id": event_id,
        "ticket_code": ticket.rsvp.ticket_code,
        "check_in_url": ticket.check_in_url,
        "qr_svg_url": request.build_absolute_uri(reverse("events:ticket_qr", args=[event_id])),
        "checked_in_at": ticket.rsvp.checked_in_at,
    }


@router.post("/events/{event_id}/check-in", response=CheckInOut, auth=MEMBER)
def check_in(request: HttpRequest, event_id: int, payload: CheckInIn):
    """Organisers: mark a ticket's holder present. A second check-in changes nothing and
    answers `already_checked_in: true` with the first time."""
    result = attendance.check_in(request.user, event_id, payload.ticket_code)
    return {
        "rsvp_id": result.rsvp.pk,
        "user": result.rsvp.user,
        "checked_in_at": result.rsvp.checked_in_at,
        "already_checked_in": result.already,
    }


@router.get("/events/{event_id}/attendance", response=AttendanceOut, auth=MEMBER)
def attendance_rate(request: HttpRequest, event_id: int):
    rate = attendance.attendance_rate(request.user, event_id)
    return {"confirmed": rate.confirmed, "checked_in": rate.checked_in, "rate": rate.rate}


@router.post("/events/{event_id}/feedback", response=FeedbackOut, auth=MEMBER)
def leave_feedback(request: HttpRequest, event_id: int, payload: FeedbackIn):
    """Attendees, after the event: your rating and comment (sending again edits them)."""
    return attendance.leave_feedback(request.user, event_id, **payload.dict())


@router.get("/events/{event_id}/feedback", response=list[FeedbackItemOut], auth=MEMBER)
@paginate(Pages)
def list_feedback(request: HttpRequest, event_id: int):
    """Organisers: every answer, newest first."""
    summary = attendance.feedback_summary(request.user, event_id)
    return summary.all_answers


@router.get("/events/{event_id}/feedback/summary", response=FeedbackSummaryOut, auth=MEMBER)
def feedback_summary(request: HttpRequest, event_id: int):
    summary = attendance.feedback_summary(request.user, event_id)
    return {
        "count": summary.count,
        "average": summary.average,
        "distribution": summary.distribution,
    }


@router.post("/events/{event_id}/messages", response=MessageOut, auth=MEMBER)
def message_attendees(request: HttpRequest, event_id: int, payload: MessageIn):
    """Organisers: e-mail and notify everyone with this status."""
    return {"recipients": attendance.message_attendees(request.user, event_id, **payload.dict())}


@router.get("/events/{event_id}/calendar.ics", auth=VISITOR, openapi_extra=ICS_DOC)
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    file = attendance.event_calendar(request.user, event_id)
    return calendars.calendar_response(file.name, file.vevents, filename=file.filename)


@router.get("/me/calendar", response=CalendarFeedOut, auth=MEMBER)
def my_calendar_feed(request: HttpRequest):
    """The secret address of your personal calendar feed."""
    return _feed(request, attendance.calendar_token(request.user))


@router.post("/me/calendar/rotate", response=CalendarFeedOut, auth=MEMBER)
def rotate_calendar_feed(request: HttpRequest):
    """Revoke the current feed address and get a new one."""
    return _feed(request, attendance.rotate_calendar_token(request.user))
