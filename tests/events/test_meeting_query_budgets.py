"""Every meeting page and endpoint runs a fixed number of queries, whatever the roadshow's size.
Each test runs at two sizes with the same budget."""

import pytest

from seedbed.communities import services as community_services
from seedbed.communities.models import Visibility
from seedbed.events import meetings
from seedbed.events.models import CalendarToken
from tests.events.test_roadshow_meetings import add_slots, client_for, make_roadshow, people
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[2, 9], ids=["small", "large"])
def roadshow(request):
    n = request.param
    owner = MemberFactory()
    club = community_services.create_community(
        owner, name="Angel club", visibility=Visibility.PRIVATE
    )
    event = make_roadshow(owner, club)
    slots = add_slots(owner, event, [n] * n)
    founders = [meetings.join(u, event.pk, "founder") for u in people(club, n)]
    investors = [meetings.join(u, event.pk, "investor") for u in people(club, n)]
    for k, person in enumerate(founders + investors):
        others = investors if person in founders else founders
        levels = ["must", "like", "no"]
        choices = [(o.pk, levels[(k + j) % 3]) for j, o in enumerate(others)]
        meetings.set_preferences(person.user, event.pk, choices)
        meetings.set_availability(
            person.user, event.pk, max_meetings=None, slot_ids=[s.pk for s in slots[: n - 1]]
        )
    meetings.build_schedule(owner, event.pk)
    founder = founders[0].user
    CalendarToken.objects.create(user=founder)
    return {"event": event, "owner": owner, "founder": founder, "n": n}


PAGES = [  # the organiser has not joined: the page offers to join
    ("founder", "/events/{id}/meetings/", 12),
    ("founder", "/events/{id}/meetings/agenda/", 9),
    ("founder", "/events/{id}/meetings/agenda.ics", 8),
    ("owner", "/events/{id}/meetings/", 7),
    ("owner", "/events/{id}/meetings/organise/", 8),
    ("owner", "/events/{id}/meetings/schedule/", 8),
]

API = [
    ("founder", "get", "/participants", 7),
    ("founder", "get", "/me", 8),
    ("founder", "get", "/me/preferences", 7),
    ("founder", "get", "/me/agenda", 8),
    ("founder", "get", "/slots", 6),
    ("owner", "get", "/schedule", 7),
    ("owner", "post", "/schedule", 21),
]


@pytest.mark.parametrize(("who", "path", "budget"), PAGES, ids=[f"{p[0]} {p[1]}" for p in PAGES])
def test_meeting_pages_have_a_fixed_query_budget(
    roadshow, django_assert_max_num_queries, who, path, budget
):
    browser = client_for(roadshow[who])
    with django_assert_max_num_queries(budget):
        response = browser.get(path.format(id=roadshow["event"].pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "method", "path", "budget"), API, ids=[f"{a[1]} {a[2]}" for a in API]
)
def test_meeting_endpoints_have_a_fixed_query_budget(
    roadshow, django_assert_max_num_queries, who, method, path, budget
):
    browser = client_for(roadshow[who])
    with django_assert_max_num_queries(budget):
        response = getattr(browser, method)(f"/api/v1/events/{roadshow['event'].pk}/meetings{path}")
    assert response.status_code == 200, response.content[:200]
