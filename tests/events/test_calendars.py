import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.events import attendance, services
from seedbed.events.models import CalendarToken, Event, RSVPStatus
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owner():
    return MemberFactory(display_name="Olivia Organiser")


@pytest.fixture
def public(owner):
    return community_services.create_community(
        owner, name="Climate Builders", visibility=Visibility.PUBLIC
    )


@pytest.fixture
def private(owner):
    return community_services.create_community(
        owner, name="Founders Circle", visibility=Visibility.PRIVATE
    )


def join(community, user=None):
    user = user or MemberFactory()
    Membership.objects.get_or_create(community=community, user=user)
    return user


def make_event(owner, community, **fields):
    start = timezone.now() + timedelta(days=3)
    values = {
        "kind": "salon",
        "title": "Founder salon",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "WeWork",
        "address": "1 Main St",
        "capacity": 10,
    }
    values.update(fields)
    return services.create_event(owner, community=community.slug, **values)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def last_sunday_of_october(year: int) -> date:
    day = date(year, 10, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


# The per-event file ----------------------------------------------------------------------------


def test_the_event_ics_parses_back_with_uid_times_summary_location_and_url(owner, public):
    start = datetime(timezone.now().year + 1, 3, 5, 19, 30, tzinfo=SHANGHAI)
    event = make_event(
        owner,
        public,
        title="AI 创业沙龙",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Asia/Shanghai",
    )
    response = client_for().get(f"/events/{event.pk}/calendar.ics")
    assert f'filename="event-{event.pk}.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    vevent = only_event(calendar)
    assert str(vevent["UID"]) == f"event-{event.pk}@127.0.0.1"
    assert str(vevent["SUMMARY"]) == "AI 创业沙龙"
    assert str(vevent["LOCATION"]) == "WeWork, 1 Main St"
    assert str(vevent["URL"]) == f"http://127.0.0.1:8000/events/{event.pk}/"
    starts, ends = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert starts.tzinfo is not None and ends.tzinfo is not None
    assert starts == start and starts.astimezone(UTC).hour == 11
    assert ends == start + timedelta(hours=2)
    assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_a_weekly_berlin_event_stays_at_19_local_across_the_october_change(owner, public):
    """The UTC instant moves by an hour when summer time ends; the local time does not."""
    change = last_sunday_of_october(timezone.now().year + 1)
    before = change - timedelta(days=5)  # the Tuesday before
    first = make_event(
        owner,
        public,
        starts_at=datetime(before.year, before.month, before.day, 19, tzinfo=BERLIN),
        ends_at=datetime(before.year, before.month, before.day, 21, tzinfo=BERLIN),
        time_zone="Europe/Berlin",
        repeat="weekly",
        occurrences=2,
    )
    occurrences = list(Event.objects.filter(series=first.series).order_by("starts_at"))
    assert len(occurrences) == 2
    parsed = []
    for event in occurrences:
        response = client_for().get(f"/events/{event.pk}/calendar.ics")
        text = response.content.decode()
        assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
        local = event.starts_at.astimezone(BERLIN)
        assert f"DTSTART;TZID=Europe/Berlin:{local:%Y%m%d}T190000" in text
        parsed.append(only_event(parse(response)).decoded("DTSTART"))
    assert [p.astimezone(BERLIN).hour for p in parsed] == [19, 19]
    assert [p.astimezone(UTC).hour for p in parsed] == [17, 18]
    assert parsed[1].astimezone(UTC) - parsed[0].astimezone(UTC) == timedelta(days=7, hours=1)


def test_a_shanghai_event_and_a_berlin_event_at_the_same_instant_keep_their_own_wall_clocks(
    owner, public
):
    instant = datetime(timezone.now().year + 1, 6, 1, 11, 0, tzinfo=UTC)
    ends = instant + timedelta(hours=2)
    shanghai = make_event(owner, public, starts_at=instant, ends_at=ends, time_zone="Asia/Shanghai")
    berlin = make_event(owner, public, starts_at=instant, ends_at=ends, time_zone="Europe/Berlin")
    for event, wall_clock in ((shanghai, "190000"), (berlin, "130000")):
        text = client_for().get(f"/events/{event.pk}/calendar.ics").content.decode()
        assert f"DTSTART;TZID={event.time_zone}:{instant:%Y%m%d}T{wall_clock}" in text
        vevent = only_event(icalendar.Calendar.from_ical(text))
        assert vevent.decoded("DTSTART") == instant


def test_the_online_link_is_in_the_ics_only_for_confirmed_attendees(owner, public):
    event = make_event(owner, public, online_url="https://meet.example.org/secret", capacity=1)
    confirmed, waitlisted, bystander = (join(public) for _ in range(3))
    assert services.rsvp(confirmed, event.pk).status == RSVPStatus.CONFIRMED
    assert services.rsvp(waitlisted, event.pk).status == RSVPStatus.WAITLISTED
    url = f"/events/{event.pk}/calendar.ics"
    assert "meet.example.org" in client_for(confirmed).get(url).content.decode()
    for reader in (None, waitlisted, bystander):
        assert "meet.example.org" not in client_for(reader).get(url).content.decode()


def test_an_online_only_event_uses_the_link_as_location_for_confirmed_attendees(owner, public):
    event = make_event(owner, public, venue="", address="", online_url="https://meet.example.org/x")
    going = join(public)
    services.rsvp(going, event.pk)
    vevent = only_event(parse(client_for(going).get(f"/events/{event.pk}/calendar.ics")))
    assert str(vevent["LOCATION"]) == "https://meet.example.org/x"
    anonymous = only_event(parse(client_for().get(f"/events/{event.pk}/calendar.ics")))
    assert "LOCATION" not in anonymous


def test_a_private_communitys_event_ics_is_hidden_from_outsiders(owner, private):
    event = make_event(owner, private)
    url = f"/events/{event.pk}/calendar.ics"
    assert client_for().get(url).status_code == 404
    assert client_for(MemberFactory()).get(url).status_code == 404
    assert client_for(join(private)).get(url).status_code == 200
    assert client_for(owner).get(url).status_code == 200
    assert client_for().get("/events/999999/calendar.ics").status_code == 404


def test_a_cancelled_event_is_marked_cancelled_in_the_ics(owner, public):
    event = make_event(owner, public)
    services.cancel_event(owner, event.pk)
    vevent = only_event(parse(client_for().get(f"/events/{event.pk}/calendar.ics")))
    assert str(vevent["STATUS"]) == "CANCELLED"


# Community feeds -------------------------------------------------------------------------------


def test_the_community_feed_is_public_for_a_public_community(owner, public, private):
    make_event(owner, public, title="Open salon")
    make_event(owner, private, title="Closed salon")
    calendar = parse(client_for().get(f"/c/{public.slug}/events.ics"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Open salon"]
    assert str(calendar["X-WR-CALNAME"]) == "Climate Builders"


def test_the_community_feed_of_a_private_community_is_for_its_members_only(owner, private):
    make_event(owner, private, title="Closed salon", online_url="https://meet.example.org/p")
    url = f"/c/{private.slug}/events.ics"
    assert client_for().get(url).status_code == 404
    assert client_for(MemberFactory()).get(url).status_code == 404
    body = client_for(join(private)).get(url).content.decode()
    assert "Closed salon" in body and "meet.example.org" not in body


def test_the_community_feed_leaves_out_long_past_events(owner, public):
    old = make_event(owner, public, title="Old salon")
    Event.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=200),
        ends_at=timezone.now() - timedelta(days=200) + timedelta(hours=2),
    )
    make_event(owner, public, title="Next salon")
    calendar = parse(client_for().get(f"/c/{public.slug}/events.ics"))
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Next salon"]


# Personal feeds --------------------------------------------------------------------------------


def test_the_member_feed_holds_confirmed_and_waitlisted_events_only(owner, public):
    me = join(public)
    going = make_event(owner, public, title="Going", online_url="https://meet.example.org/g")
    waiting = make_event(owner, public, title="Waiting", capacity=0)
    make_event(owner, public, title="Not asked")
    cancelled = make_event(owner, public, title="Changed my mind")
    pending = make_event(owner, public, title="Pending", requires_approval=True)
    for event in (going, waiting, cancelled, pending):
        services.rsvp(me, event.pk)
    services.cancel_rsvp(me, cancelled.pk)
    services.rsvp(MemberFactory(), going.pk)
    token = attendance.calendar_token(me)
    calendar = parse(client_for().get(f"/calendar/{token.token}.ics"))
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(found) == {"Going", "Waiting"}
    assert str(found["Waiting"]["STATUS"]) == "TENTATIVE"
    assert "meet.example.org" in found["Going"]["DESCRIPTION"]


def test_the_member_feed_drops_events_the_member_can_no_longer_see(owner, private):
    me = join(private)
    event = make_event(owner, private, title="Closed salon")
    services.rsvp(me, event.pk)
    token = attendance.calendar_token(me)
    assert "Closed salon" in client_for().get(f"/calendar/{token.token}.ics").content.decode()
    Membership.objects.filter(community=private, user=me).delete()
    assert "Closed salon" not in client_for().get(f"/calendar/{token.token}.ics").content.decode()


def test_revoking_the_feed_gives_a_new_address_and_kills_the_old_one(member):
    client = client_for(member)
    page = client.get("/me/calendar/")
    assert page.status_code == 200
    old = CalendarToken.objects.get(user=member)
    assert f"/calendar/{old.token}.ics" in page.content.decode()
    assert f"/calendar/{old.token}.ics" in client.get("/me/calendar/").content.decode()
    assert CalendarToken.objects.filter(user=member).count() == 1
    assert client_for().get(f"/calendar/{old.token}.ics").status_code == 200
    response = client.post("/me/calendar/rotate/")
    assert response.status_code == 302 and response["Location"] == "/me/calendar/"
    new = CalendarToken.objects.get(user=member, revoked_at__isnull=True)
    assert new.token != old.token
    assert client_for().get(f"/calendar/{old.token}.ics").status_code == 404
    assert client_for().get(f"/calendar/{new.token}.ics").status_code == 200
    assert f"/calendar/{new.token}.ics" in client.get("/me/calendar/").content.decode()


def test_the_feed_page_needs_a_member_and_rotating_needs_a_post(member):
    assert client_for().get("/me/calendar/").status_code == 302
    assert client_for().post("/me/calendar/rotate/").status_code == 302
    assert client_for(member).get("/me/calendar/rotate/").status_code == 405
    assert CalendarToken.objects.count() == 0


def test_an_unknown_feed_token_or_a_deactivated_member_is_a_404(member):
    assert client_for().get("/calendar/nope.ics").status_code == 404
    token = attendance.calendar_token(member)
    member.is_active = False
    member.save()
    assert client_for().get(f"/calendar/{token.token}.ics").status_code == 404


# API -------------------------------------------------------------------------------------------


def test_the_api_gives_and_rotates_the_feed_address(member):
    client = client_for(member)
    first = client.get("/api/v1/me/calendar").json()
    assert first["feed_url"].startswith("http://testserver/calendar/")
    assert client.get("/api/v1/me/calendar").json()["feed_url"] == first["feed_url"]
    second = client.post("/api/v1/me/calendar/rotate").json()
    assert second["feed_url"] != first["feed_url"]
    assert client_for().get(first["feed_url"]).status_code == 404
    assert client_for().get("/api/v1/me/calendar").status_code == 401


def test_the_api_ics_follows_the_events_visibility(owner, private):
    event = make_event(owner, private)
    url = f"/api/v1/events/{event.pk}/calendar.ics"
    assert client_for().get(url).status_code == 404
    assert json.loads(client_for(MemberFactory()).get(url).content) == {
        "detail": "Not found.",
        "code": "not_found",
    }
    vevent = only_event(parse(client_for(join(private)).get(url)))
    assert str(vevent["UID"]) == f"event-{event.pk}@127.0.0.1"


# Query budgets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [2, 12])
def test_feeds_and_files_have_a_fixed_query_budget(owner, public, django_assert_max_num_queries, n):
    me = join(public)
    for i in range(n):
        event = make_event(owner, public, title=f"Salon {i}")
        services.rsvp(me, event.pk)
    token = attendance.calendar_token(me)
    reader = client_for(me)
    with django_assert_max_num_queries(6):
        assert reader.get(f"/events/{event.pk}/calendar.ics").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get(f"/c/{public.slug}/events.ics").status_code == 200
    with django_assert_max_num_queries(3):
        body = client_for().get(f"/calendar/{token.token}.ics").content.decode()
    assert body.count("BEGIN:VEVENT") == n
    with django_assert_max_num_queries(6):
        assert reader.get("/me/calendar/").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get("/api/v1/me/calendar").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get(f"/api/v1/events/{event.pk}/calendar.ics").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.post("/me/calendar/rotate/").status_code == 302
    with django_assert_max_num_queries(6):
        assert reader.post("/api/v1/me/calendar/rotate").status_code == 200
