"""The online link lets anyone in, so it goes only to confirmed attendees and the organisers
(operators included). The event page, the API, the event's calendar file and the member's
calendar feed all ask `EventAccess.online_url`, so they agree for every kind of caller."""

import pytest
from django.test import Client

from seedbed.communities import services as community_services
from seedbed.events import attendance, services
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
LINK = "https://meet.example.org/secret-room"
CALLERS = ["anonymous", "outsider", "waitlisted", "confirmed", "organiser", "operator"]
SEES_IT = {"confirmed", "organiser", "operator"}


@pytest.fixture
def people():
    """One caller of each kind around a public community's event with one seat."""
    organiser = MemberFactory()
    club = community_services.create_community(organiser, name="Open club")
    event = services.create_event(
        organiser, community=club.slug, **event_fields(online_url=LINK, capacity=1)
    )
    found = {
        "anonymous": None,
        "outsider": MemberFactory(),
        "confirmed": MemberFactory(),
        "waitlisted": MemberFactory(),
        "organiser": organiser,
        "operator": MemberFactory(is_staff=True),
    }
    services.rsvp(found["confirmed"], event.pk)
    services.rsvp(found["waitlisted"], event.pk)
    return event, found


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _where_the_link_is(event, user) -> dict[str, bool]:
    client = _client(user)
    return {
        "page": LINK in client.get(f"/events/{event.pk}/").content.decode(),
        "api": client.get(f"/api/v1/events/{event.pk}").json()["online_url"] == LINK,
        "ics": LINK in client.get(f"/events/{event.pk}/calendar.ics").content.decode(),
        "api ics": LINK in client.get(f"/api/v1/events/{event.pk}/calendar.ics").content.decode(),
    }


@pytest.mark.parametrize("caller", CALLERS)
def test_the_page_the_api_and_the_calendar_file_agree_on_who_sees_the_online_link(people, caller):
    event, found = people
    seen = _where_the_link_is(event, found[caller])
    assert seen == dict.fromkeys(seen, caller in SEES_IT)


@pytest.mark.parametrize("caller", ["confirmed", "waitlisted"])
def test_the_personal_calendar_feed_agrees_with_the_event_page(people, caller):
    event, found = people
    token = attendance.calendar_token(found[caller])
    feed = _client(None).get(attendance.calendar_feed_path(token)).content.decode()
    assert (LINK in feed) == (caller in SEES_IT) == _where_the_link_is(event, found[caller])["page"]
