"""Expected turnout: the task forecasts upcoming events from past check-ins and stores them by
community (platform events under none), and the event page shows the forecast beside capacity
to the organisers and operators only, never to attendees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from seedbed.events import services as events
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.insights import analysis_turnout
from seedbed.insights.models import StoredAnalysis
from seedbed.insights.tasks_analysis import refresh_turnout
from seedbed.insights.templatetags.turnout import overbooking
from tests.factories import MemberFactory
from tests.insights.test_analysis_fixtures import client_for, join, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def make_event(community, *, days: float, capacity=None, title="Salon") -> Event:
    start = timezone.now() + timedelta(days=days)
    return Event.objects.create(
        community=community,
        kind="salon",
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
    )


def seat(event, user, *, came: bool | None = None, status=RSVPStatus.CONFIRMED) -> RSVP:
    checked_in = event.starts_at + timedelta(minutes=5) if came else None
    return RSVP.objects.create(
        event=event,
        user=user,
        status=status,
        joined_at=event.starts_at - timedelta(days=3),
        checked_in_at=checked_in,
    )


@pytest.fixture
def history(world):
    """Ten members: the first five always came to the four past salons, the others never did;
    all ten said yes to next week's salon (capacity 10). A past salon without check-in is
    ignored; a platform event has guests of its own."""
    community = world["public"]
    people = [join(community, MemberFactory()) for _ in range(10)]
    for k in range(4):
        past = make_event(community, days=-7 * (k + 1), title=f"Past {k}")
        for i, person in enumerate(people):
            seat(past, person, came=i < 5)
    unchecked = make_event(community, days=-40, title="No check-in used")
    for person in people:
        seat(unchecked, person, came=False)
    upcoming = make_event(community, days=7, capacity=10, title="Next salon")
    for person in people:
        seat(upcoming, person)
    platform = make_event(None, days=10, capacity=50, title="Demo day")
    for person in people[:4]:
        seat(platform, person)
    seat(platform, world["member"], status=RSVPStatus.WAITLISTED)
    return {"people": people, "upcoming": upcoming, "platform": platform}


def test_history_leaves_out_past_events_where_nobody_checked_in(world, history):
    rows = analysis_turnout.history_of(timezone.now())
    assert len(rows) == 4 * 10 + 10 + 4
    assert rows.attended.sum() == 4 * 5


def test_upcoming_events_are_forecast_and_stored_by_community(world, history):
    assert refresh_turnout.call() == 2
    payload = StoredAnalysis.objects.get(kind="turnout", community=world["public"]).payload
    forecast = payload[str(history["upcoming"].pk)]
    assert forecast["rsvps"] == 10 and forecast["capacity"] == 10
    # Five always came and five never did: about half should come.
    assert 3 <= forecast["expected"] <= 7
    assert forecast["low"] <= forecast["expected"] <= forecast["high"] <= 10
    assert forecast["no_show_rate"] == pytest.approx(1 - forecast["expected"] / 10, abs=1e-3)
    platform = StoredAnalysis.objects.get(kind="turnout", community__isnull=True).payload
    assert set(platform) == {str(history["platform"].pk)}
    assert platform[str(history["platform"].pk)]["rsvps"] == 4


def test_a_forecast_goes_when_its_community_has_nothing_upcoming(world, history):
    refresh_turnout.call()
    Event.objects.filter(pk=history["upcoming"].pk).update(cancelled_at=timezone.now())
    refresh_turnout.call()
    assert not StoredAnalysis.objects.filter(kind="turnout", community=world["public"]).exists()


def event_page(user, event) -> str:
    return client_for(user).get(reverse("events:detail", args=[event.pk])).content.decode()


def test_the_organisers_and_operators_see_the_forecast_beside_capacity(world, history):
    refresh_turnout.call()
    for who in ("owner", "moderator", "operator"):
        text = event_page(world[who], history["upcoming"])
        assert "Expected: about " in text and " of 10 confirmed (no-show rate " in text, who


def test_attendees_members_and_visitors_never_see_it(world, history):
    refresh_turnout.call()
    attendee = history["people"][0]
    for user in (attendee, world["member"], world["outsider"], None):
        text = event_page(user, history["upcoming"])
        assert "Expected turnout" not in text and "no-show rate" not in text


def test_the_tag_itself_refuses_an_attendee_wherever_it_is_placed(world, history):
    refresh_turnout.call()
    access = events.get_event(history["people"][0], history["upcoming"].pk)
    rendered = Template("{% load turnout %}{% expected_turnout event access %}").render(
        Context({"event": history["upcoming"], "access": access})
    )
    assert rendered.strip() == ""


def test_a_full_event_suggests_overbooking_by_capacity_minus_the_high_end(world):
    event = make_event(world["public"], days=3, capacity=40)
    StoredAnalysis.objects.create(
        kind="turnout",
        community=world["public"],
        computed_at=timezone.now(),
        payload={
            str(event.pk): {
                "expected": 34.2,
                "low": 31.0,
                "high": 37.0,
                "no_show_rate": 0.145,
                "rsvps": 40,
                "capacity": 40,
            }
        },
    )
    text = event_page(world["owner"], event)
    assert (
        "Expected: about 34 of 40 confirmed (no-show rate 14%) — you could overbook by 3." in text
    )
    assert "Between 31 and 37 in 8 cases out of 10" in text


def test_no_overbooking_while_seats_are_free_or_without_capacity():
    assert overbooking({"capacity": 40, "rsvps": 30, "high": 25.0}) == 0
    assert overbooking({"capacity": None, "rsvps": 30, "high": 25.0}) == 0
    assert overbooking({"capacity": 40, "rsvps": 40, "high": 40.0}) == 0
    assert overbooking({"capacity": 40, "rsvps": 42, "high": 35.4}) == 4


def test_the_organiser_is_told_when_there_is_no_forecast_yet(world):
    event = make_event(world["public"], days=3, capacity=10)
    assert "No turnout forecast yet" in event_page(world["owner"], event)


def test_the_forecast_costs_the_organiser_one_query_and_an_attendee_none(world, history):
    refresh_turnout.call()
    client = client_for(world["owner"])
    path = reverse("events:detail", args=[history["upcoming"].pk])
    with CaptureQueriesContext(connection) as organiser:
        client.get(path)
    attendee = client_for(history["people"][0])
    with CaptureQueriesContext(connection) as guest:
        attendee.get(path)
    turnout = [q for q in organiser.captured_queries if "insights_storedanalysis" in q["sql"]]
    assert len(turnout) == 1
    assert not [q for q in guest.captured_queries if "insights_storedanalysis" in q["sql"]]


def test_members_who_always_came_are_expected_and_those_who_never_came_are_not(world, history):
    """With 40 past RSVPs (under the engine's 50 for a regression) each member's rate is their
    own record shrunk towards everyone's: (4 + 4 × 0.51) / 8 ≈ 0.76 for those who came to all
    four salons, (0 + 4 × 0.51) / 8 ≈ 0.26 for those who came to none."""
    community = world["public"]
    reliable = make_event(community, days=5, title="For the regulars")
    absent = make_event(community, days=6, title="For the others")
    for i, person in enumerate(history["people"]):
        seat(reliable if i < 5 else absent, person)
    refresh_turnout.call()
    payload = StoredAnalysis.objects.get(kind="turnout", community=community).payload
    assert payload[str(reliable.pk)]["expected"] == pytest.approx(5 * 0.755, abs=0.1)
    assert payload[str(absent.pk)]["expected"] == pytest.approx(5 * 0.255, abs=0.1)
