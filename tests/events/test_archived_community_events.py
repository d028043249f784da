"""An archived community stays readable, read-only, to those who may still read it (the
communities' own rule), and its events go with it: listed and readable to exactly the same
people, on its events page, on /events/ and in the API. Nobody adds events to it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from seedbed.communities import services as community_services
from seedbed.communities.models import Membership, Visibility
from seedbed.events import services
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived():
    owner = MemberFactory()
    club = community_services.create_community(
        owner, name="Old club", visibility=Visibility.PRIVATE
    )
    member = MemberFactory()
    Membership.objects.create(community=club, user=member)
    event = services.create_event(owner, community=club.slug, **event_fields(title="Last salon"))
    community_services.archive_community(owner, club.slug)
    return {"owner": owner, "member": member, "club": club, "event": event}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _everywhere(client: Client, archived) -> dict[str, bool]:
    """Where this reader finds the archived community's event."""
    slug, pk, title = archived["club"].slug, archived["event"].pk, "Last salon"

    def listed(response) -> bool:
        return response.status_code == 200 and title in response.content.decode()

    api_titles = [e["title"] for e in client.get("/api/v1/events").json()["items"]]
    return {
        "community events page": listed(client.get(f"/c/{slug}/events/")),
        "/events/": listed(client.get("/events/")),
        "event page": client.get(f"/events/{pk}/").status_code == 200,
        "API list": title in api_titles,
        "API list of the community": client.get(f"/api/v1/events?community={slug}").status_code
        == 200,
        "API event": client.get(f"/api/v1/events/{pk}").status_code == 200,
        "calendar file": client.get(f"/events/{pk}/calendar.ics").status_code == 200,
    }


def test_a_member_of_an_archived_community_still_finds_its_events_everywhere(archived):
    member = _client(archived["member"])
    assert member.get(f"/c/{archived['club'].slug}/").status_code == 200
    assert set(_everywhere(member, archived).values()) == {True}


def test_an_outsider_finds_a_private_archived_communitys_events_nowhere(archived):
    outsider = _client(MemberFactory())
    assert outsider.get(f"/c/{archived['club'].slug}/").status_code == 404
    assert set(_everywhere(outsider, archived).values()) == {False}


def test_nobody_adds_events_to_an_archived_community_and_nobody_is_offered_to(archived):
    owner, slug = archived["owner"], archived["club"].slug
    with pytest.raises(PermissionDenied):
        services.create_event(owner, community=slug, **event_fields())
    page = _client(owner).get(f"/c/{slug}/events/").content.decode()
    assert "Last salon" in page and f"/events/new/?community={slug}" not in page
