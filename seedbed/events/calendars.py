"""iCalendar (RFC 5545) files: one event, or a feed of many.

Times are written in the event's own time zone (DTSTART;TZID=Europe/Berlin:...) with a matching
VTIMEZONE, not in UTC: a calendar client then keeps a weekly 19:00 meeting at 19:00 local across
a daylight-saving change, and shows the organiser's wall-clock time next to the reader's.

This module only turns data into iCalendar; who may see which event is decided by the callers
(the services in `attendance.py`, the roadshow agenda).
"""

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from seedbed.core.pages import absolute_url
from seedbed.core.text import single_line
from seedbed.events.models import YEARS_AROUND_NOW, Event

PRODID = "-//Seedbed//Seedbed events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "seedbed.invalid"


def uid(kind: str, pk: int) -> str:
    """Stable across downloads and feeds, so a client updates rather than duplicates."""
    return f"{kind}-{pk}@{_host()}"


def event_uid(event_id: int) -> str:
    return uid("event", event_id)


def event_url(event_id: int) -> str:
    return absolute_url(reverse("events:detail", args=[event_id]))


def _zone(tz: zoneinfo.ZoneInfo | str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def _text(value: str) -> str:
    """Multi-line text with plain line breaks only (icalendar escapes those; a stray CR, NUL
    or escape sequence would reach the reader's calendar as is)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(single_line(line) if line.strip() else "" for line in lines)


def vevent(
    uid: str,
    summary: str,
    start: datetime,
    end: datetime,
    *,
    tz: zoneinfo.ZoneInfo | str,
    location: str = "",
    description: str = "",
    url: str = "",
    cancelled: bool = False,
    stamp: datetime | None = None,
) -> icalendar.Event:
    """A VEVENT between two aware instants, written as wall-clock times in `tz`."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("start and end must be aware datetimes")
    zone = _zone(tz)
    component = icalendar.Event()
    component.add("uid", uid)
    component.add("dtstamp", (stamp or timezone.now()).astimezone(zoneinfo.ZoneInfo("UTC")))
    component.add("dtstart", start.astimezone(zone))
    component.add("dtend", end.astimezone(zone))
    component.add("summary", single_line(summary))
    if location:
        component.add("location", single_line(location))
    if description:
        component.add("description", _text(description))
    if url:
        component.add("url", url)
    if cancelled:
        component.add("status", "CANCELLED")
    return component


def event_location(event: Event, *, online_url: str = "") -> str:
    place = ", ".join(part for part in (event.venue, event.address) if part)
    return place or online_url


def vevent_for_event(event: Event, *, online_url: str = "") -> icalendar.Event:
    """The VEVENT of a Seedbed event, with the online link the caller passes: what the
    reader's `EventAccess.online_url` says they may see ("" for none)."""
    description = event.description or ""
    if online_url:
        description = f"{description}\n\n{online_url}".strip()
    return vevent(
        event_uid(event.pk),
        event.title,
        event.starts_at,
        event.ends_at,
        tz=event.time_zone,
        location=event_location(event, online_url=online_url),
        description=description,
        url=event_url(event.pk),
        cancelled=event.cancelled_at is not None,
    )


def build_calendar(name: str, vevents: Iterable[icalendar.Event]) -> icalendar.Calendar:
    """A VCALENDAR with the events and the VTIMEZONEs they refer to (transitions limited to
    the years the events span, to keep feeds small)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", single_line(name))
    days: list[date] = []
    for component in vevents:
        calendar.add_component(component)
        for key in ("dtstart", "dtend"):
            value = component.decoded(key, None)
            if isinstance(value, datetime):
                days.append(value.date())
    if days:
        # never more than the years events may be planned in: one odd row must not add
        # centuries of daylight-saving transitions to every download of the feed
        today, reach = timezone.now().date(), timedelta(days=366 * (YEARS_AROUND_NOW + 1))
        first = min(max(min(days) - timedelta(days=366), today - reach), today + reach)
        last = max(min(max(days) + timedelta(days=366), today + reach), first)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar


def calendar_bytes(name: str, vevents: Iterable[icalendar.Event]) -> bytes:
    return build_calendar(name, vevents).to_ical()


def calendar_response(
    name: str, vevents: Iterable[icalendar.Event], *, filename: str = ""
) -> HttpResponse:
    """An HTTP response carrying the calendar (text/calendar; charset=utf-8), named
    `<filename or slug of name>.ics`."""
    stem = slugify(filename or name) or "calendar"
    response = HttpResponse(calendar_bytes(name, vevents), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response
