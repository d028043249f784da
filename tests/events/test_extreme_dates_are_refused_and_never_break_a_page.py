"""Issue #14, finding 1: an event from year 1 to year 9999 made every events page answer 500.
Such dates are now refused on every way in, and rows already stored with them (inserted
directly here, bypassing validation) still render on every page, feed and file."""

import json
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership
from seedbed.events import attendance, meetings, services
from seedbed.events.models import (
    MAX_DURATION,
    RSVP,
    YEARS_AROUND_NOW,
    Event,
    Meeting,
    MeetingSlot,
    RSVPStatus,
)
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

FIRST = datetime(1, 1, 1, tzinfo=UTC)
LAST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def club(db):
    owner, member = MemberFactory(), MemberFactory()
    community = community_services.create_community(owner, name="Long Now Club")
    Membership.objects.create(community=community, user=member)
    return owner, member, community


@pytest.mark.parametrize(
    ("start", "end", "time_zone"),
    [
        (FIRST, LAST, "America/Los_Angeles"),
        (FIRST, LAST, "Asia/Shanghai"),
        (FIRST, FIRST + timedelta(hours=2), "America/New_York"),
        (LAST - timedelta(hours=2), LAST, "Pacific/Kiritimati"),
    ],
)
def test_a_stored_row_with_extreme_dates_breaks_no_page_feed_or_file(club, start, end, time_zone):
    owner, member, community = club
    event = Event.objects.create(
        community=community,
        created_by=owner,
        kind="salon",
        title="Forever",
        starts_at=start,
        ends_at=end,
        time_zone=time_zone,
        venue="Somewhere",
    )
    RSVP.objects.create(event=event, user=member, status=RSVPStatus.CONFIRMED)
    feed = attendance.calendar_token(member).token
    pages = [
        "/events/",
        f"/c/{community.slug}/events/",
        f"/events/{event.pk}/",
        f"/events/{event.pk}/edit/",
        f"/events/{event.pk}/attendees/",
        f"/events/{event.pk}/calendar.ics",
        f"/c/{community.slug}/events.ics",
        f"/calendar/{feed}.ics",
        "/api/v1/events",
        f"/api/v1/events/{event.pk}",
        "/",
    ]
    for user in (None, member, owner):
        for path in pages:
            response = _client(user).get(path)
            assert response.status_code in (200, 302, 403, 404), (path, response.status_code)
    for path in pages[5:8]:
        response = _client(member).get(path)
        assert response.status_code == 200, path
        assert len(response.content) < 100_000, path  # no VTIMEZONE spanning ten millennia
        icalendar.Calendar.from_ical(response.content)
    services.cancel_event(owner, event.pk)
    assert _client(member).get(f"/events/{event.pk}/").status_code == 200
    assert _client(None).get("/events/").status_code == 200


def test_extreme_rows_cannot_stay_out_of_range_through_an_edit(club):
    owner, _member, community = club
    event = Event.objects.create(
        community=community,
        created_by=owner,
        kind="salon",
        title="Forever",
        starts_at=FIRST,
        ends_at=LAST,
        time_zone="America/Los_Angeles",
        venue="Somewhere",
    )
    with pytest.raises(ValidationError) as error:
        services.update_event(owner, event.pk, title="Still forever")
    assert {"starts_at", "ends_at"} & set(error.value.message_dict)
    start = timezone.now() + timedelta(days=2)
    services.update_event(owner, event.pk, starts_at=start, ends_at=start + timedelta(hours=1))
    event.refresh_from_db()
    assert event.starts_at == start


def _refusal(owner, community, **fields) -> dict:
    with pytest.raises(ValidationError) as error:
        services.create_event(owner, community=community.slug, **event_fields(**fields))
    return error.value.message_dict


def test_dates_beyond_the_allowed_years_are_refused_with_a_message(club):
    owner, _member, community = club
    now = timezone.now()
    far = now + timedelta(days=366 * (YEARS_AROUND_NOW + 1))
    long_ago = now - timedelta(days=366 * (YEARS_AROUND_NOW + 1))
    assert "starts_at" in _refusal(owner, community, starts_at=long_ago)
    assert "ends_at" in _refusal(owner, community, ends_at=far)
    assert "ends_at" in _refusal(owner, community, starts_at=FIRST, ends_at=LAST)
    assert "starts_at" in _refusal(owner, community, starts_at=FIRST, ends_at=LAST)
    assert "ends_at" in _refusal(owner, community, ends_at=now + MAX_DURATION + timedelta(days=4))
    assert "rsvp_closes_at" in _refusal(owner, community, rsvp_closes_at=far)
    assert "rsvp_opens_at" in _refusal(owner, community, rsvp_opens_at=long_ago)
    assert "entries_close_at" in _refusal(owner, community, entries_close_at=far)
    assert not Event.objects.filter(community=community).exists()


def test_a_series_running_past_the_allowed_years_is_refused(club):
    owner, _member, community = club
    start = timezone.now() + timedelta(days=366 * YEARS_AROUND_NOW - 60)
    with pytest.raises(ValidationError) as error:
        services.create_event(
            owner,
            community=community.slug,
            repeat="monthly",
            occurrences=12,
            **event_fields(starts_at=start, ends_at=start + timedelta(hours=2)),
        )
    assert "occurrences" in error.value.message_dict
    assert not Event.objects.filter(community=community).exists()


def test_moving_a_series_past_the_allowed_years_is_refused_and_changes_nothing(club):
    owner, _member, community = club
    events = services.create_event(
        owner, community=community.slug, repeat="weekly", occurrences=3, **event_fields()
    )
    before = list(Event.objects.filter(series=events.series).values_list("starts_at", flat=True))
    start = events.starts_at + timedelta(days=366 * YEARS_AROUND_NOW - 7)
    with pytest.raises(ValidationError):
        services.update_event(
            owner, events.pk, scope="series", starts_at=start, ends_at=start + timedelta(hours=2)
        )
    after = list(Event.objects.filter(series=events.series).values_list("starts_at", flat=True))
    assert after == before


def test_the_form_refuses_year_9999_with_a_message_not_a_500(club):
    owner, _member, community = club
    client = _client(owner)
    data = {
        "kind": "salon",
        "title": "Forever",
        "time_zone": "America/Los_Angeles",
        "starts_at": "0001-01-01T00:00",
        "ends_at": "9999-12-31T23:59",
        "venue": "Somewhere",
        "repeat": "weekly",
        "occurrences": "52",
    }
    response = client.post(f"/events/new/?community={community.slug}", data)
    assert response.status_code in (200, 400)
    assert not Event.objects.filter(community=community).exists()
    data |= {"starts_at": "9999-12-01T00:00", "ends_at": "9999-12-01T02:00"}
    response = client.post(f"/events/new/?community={community.slug}", data)
    assert response.status_code in (200, 400)
    assert "years" in response.content.decode()
    assert not Event.objects.filter(community=community).exists()


@pytest.mark.parametrize("method", ["post", "patch"])
def test_the_api_refuses_year_9999_naming_the_field(club, method):
    owner, _member, community = club
    client = _client(owner)
    if method == "post":
        url, body = (
            "/api/v1/events",
            {
                "community": community.slug,
                "kind": "salon",
                "title": "Forever",
                "venue": "Somewhere",
                "time_zone": "America/Los_Angeles",
                "repeat": "monthly",
                "occurrences": 52,
            },
        )
    else:
        event = services.create_event(owner, community=community.slug, **event_fields())
        url, body = f"/api/v1/events/{event.pk}", {"time_zone": "America/Los_Angeles"}
    for start, end in [
        ("0001-01-01T00:00:00-08:00", "9999-12-31T15:00:00-08:00"),
        ("9999-12-01T00:00:00-08:00", "9999-12-01T02:00:00-08:00"),
        ("0001-01-01T00:00:00+14:00", "0001-01-01T02:00:00+14:00"),
    ]:
        body |= {"starts_at": start, "ends_at": end}
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
        assert response.status_code in (400, 422), response.content
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields & {"starts_at", "ends_at"}, response.json()
    assert Event.objects.filter(community=community).count() == (method == "patch")


def test_meeting_slots_in_year_9999_are_refused_and_stored_ones_break_no_page(club):
    owner, member, community = club
    start = timezone.now() + timedelta(days=5)
    event = services.create_event(
        owner,
        community=community.slug,
        **event_fields(kind="roadshow", starts_at=start, ends_at=start + timedelta(hours=8)),
    )
    response = _client(owner).post(
        f"/api/v1/events/{event.pk}/meetings/slots",
        json.dumps(
            {"starts_at": "9999-12-31T20:00:00-08:00", "ends_at": "9999-12-31T21:00:00-08:00"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert {e["field"] for e in response.json()["errors"]} >= {"starts_at", "ends_at"}
    assert not MeetingSlot.objects.exists()
    slot = MeetingSlot.objects.create(event=event, starts_at=FIRST, ends_at=LAST, tables=1)
    founder = meetings.join(member, event.pk, "founder")
    investor = meetings.join(MemberFactory(), event.pk, "investor")
    Meeting.objects.create(event=event, slot=slot, table=1, founder=founder, investor=investor)
    for user, path in [
        (owner, f"/events/{event.pk}/meetings/"),
        (owner, f"/events/{event.pk}/meetings/organise/"),
        (owner, f"/events/{event.pk}/meetings/schedule/"),
        (member, f"/events/{event.pk}/meetings/agenda/"),
        (member, f"/events/{event.pk}/meetings/agenda.ics"),
        (member, f"/api/v1/events/{event.pk}/meetings/slots"),
        (member, f"/api/v1/events/{event.pk}/meetings/me/agenda"),
    ]:
        assert _client(user).get(path).status_code == 200, path
