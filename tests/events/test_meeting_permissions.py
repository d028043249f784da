"""Who may do what with a roadshow's 1:1 meetings, for every page and API route, with the
roadshow in a private community. A route without an entry fails the completeness tests.

Columns: anonymous, outsider (not in the community), founder and investor (participants),
member (can see the event, has not joined), organiser (the community's owner).
Page codes: "L" a redirect to the login page, "R" any other redirect; numbers are statuses.
"""

import json

import pytest
from django.test import Client
from django.urls import get_resolver

from seedbed.api import api
from seedbed.events import meetings
from tests.events.test_roadshow_meetings import add_slots, client_for, make_roadshow, people
from tests.factories import MemberFactory

ACTORS = ["anonymous", "outsider", "founder", "investor", "member", "organiser"]

PARTICIPANT = "L 404 200 200 403 403"
PARTICIPANT_WRITE = "L 404 R R 403 403"
ORGANISER_PAGE = "L 404 403 403 403 200"
ORGANISER_WRITE = "L 404 403 403 403 R"

BASE = "/events/{event}/meetings"

PAGES = {
    "home": ("get", f"{BASE}/", None, "L 404 200 200 200 200"),
    "join": ("post", f"{BASE}/join/", {"role": "founder"}, "L 404 R 400 R R"),
    "leave": ("post", f"{BASE}/leave/", {}, PARTICIPANT_WRITE),
    "availability": ("post", f"{BASE}/availability/", {"max_meetings": "2"}, PARTICIPANT_WRITE),
    "preferences": ("post", f"{BASE}/preferences/", {"pref_{investor_p}": "like"}, None),
    "agenda": ("get", f"{BASE}/agenda/", None, PARTICIPANT),
    "agenda_ics": ("get", f"{BASE}/agenda.ics", None, PARTICIPANT),
    "organise": ("get", f"{BASE}/organise/", None, ORGANISER_PAGE),
    "add_slot": (
        "post",
        f"{BASE}/slots/",
        {"starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T10:30", "tables": "2"},
        ORGANISER_WRITE,
    ),
    "delete_slot": ("post", f"{BASE}/slots/{{slot}}/delete/", {}, ORGANISER_WRITE),
    "add_participant": (
        "post",
        f"{BASE}/participants/",
        {"handle": "{extra_handle}", "role": "investor"},
        ORGANISER_WRITE,
    ),
    "remove_participant": (
        "post",
        f"{BASE}/participants/{{extra_p}}/remove/",
        {},
        ORGANISER_WRITE,
    ),
    "build": ("post", f"{BASE}/build/", {}, ORGANISER_WRITE),
    "schedule": ("get", f"{BASE}/schedule/", None, ORGANISER_PAGE),
}
# a founder's preference is about an investor: the investor's own form posts a founder's id
PREFERENCE_CODES = {"founder": "R", "investor": "400"}

API_BASE = "/api/v1/events/{event}/meetings"
A_PARTICIPANT = "401 404 200 200 403 403"

API = {
    ("post", "/join"): ({"role": "founder"}, "401 404 200 400 200 200"),
    ("get", "/participants"): (None, "401 404 200 200 403 200"),
    ("post", "/participants"): (
        {"user_id": "{extra_user}", "role": "investor"},
        "401 404 403 403 403 201",
    ),
    ("delete", "/participants/{participant_id}"): (None, "401 404 403 403 403 204"),
    ("get", "/me"): (None, A_PARTICIPANT),
    ("delete", "/me"): (None, "401 404 204 204 403 403"),
    ("put", "/me/availability"): ({"max_meetings": 1, "slots": []}, A_PARTICIPANT),
    ("get", "/me/preferences"): (None, A_PARTICIPANT),
    ("put", "/me/preferences"): ({"preferences": []}, A_PARTICIPANT),
    ("get", "/me/agenda"): (None, A_PARTICIPANT),
    ("get", "/slots"): (None, "404 404 200 200 200 200"),
    ("post", "/slots"): (
        {"starts_at": "2030-01-01T10:00:00", "ends_at": "2030-01-01T10:30:00", "tables": 2},
        "401 404 403 403 403 201",
    ),
    ("patch", "/slots/{slot_id}"): ({"tables": 3}, "401 404 403 403 403 200"),
    ("delete", "/slots/{slot_id}"): (None, "401 404 403 403 403 204"),
    ("post", "/schedule"): (None, "401 404 403 403 403 200"),
    ("get", "/schedule"): (None, "401 404 403 403 403 200"),
}


def _world():
    owner = MemberFactory(display_name="Organiser")
    from seedbed.communities import services as community_services
    from seedbed.communities.models import Visibility

    club = community_services.create_community(
        owner, name="Angel club", visibility=Visibility.PRIVATE
    )
    founder, investor, member, extra = people(club, 4)
    event = make_roadshow(owner, club)
    (slot,) = add_slots(owner, event, [2])
    founder_p = meetings.join(founder, event.pk, "founder")
    investor_p = meetings.join(investor, event.pk, "investor")
    extra_p = meetings.join(extra, event.pk, "founder")
    newcomer = people(club, 1)[0]
    actors = {
        "anonymous": None,
        "outsider": MemberFactory(),
        "founder": founder,
        "investor": investor,
        "member": member,
        "organiser": owner,
    }
    ids = {
        "event": event.pk,
        "slot": slot.pk,
        "slot_id": slot.pk,
        "investor_p": investor_p.pk,
        "founder_p": founder_p.pk,
        "extra_p": extra_p.pk,
        "participant_id": extra_p.pk,
        "extra_handle": newcomer.handle,
        "extra_user": newcomer.pk,
    }
    return actors, ids


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {_fill(k, ids): _fill(v, ids) for k, v in value.items()}
    return value


def _outcome(response) -> str:
    if response.status_code == 302:
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "actor"), [(n, a) for n in PAGES for a in ACTORS])
def test_page_permissions(name, actor):
    method, path, data, codes = PAGES[name]
    actors, ids = _world()
    if codes is None:
        codes = "L 404 {founder} {investor} 403 403".format(**PREFERENCE_CODES)
    client = client_for(actors[actor])
    url = _fill(path, ids)
    response = (
        getattr(client, method)(url, _fill(data, ids))
        if data is not None
        else getattr(client, method)(url)
    )
    assert _outcome(response) == codes.split()[ACTORS.index(actor)], url


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "actor"),
    [(k, a) for k in API for a in ACTORS],
    ids=[f"{k[0]} {k[1]}-{a}" for k in API for a in ACTORS],
)
def test_api_permissions(key, actor):
    body, codes = API[key]
    actors, ids = _world()
    client = client_for(actors[actor])
    url = _fill(API_BASE + key[1], ids)
    payload = _fill(body, ids)
    if isinstance(payload, dict) and "user_id" in payload:
        payload["user_id"] = int(payload["user_id"])
    if payload is None:
        response = getattr(client, key[0])(url)
    else:
        response = getattr(client, key[0])(
            url, json.dumps(payload), content_type="application/json"
        )
    assert str(response.status_code) == codes.split()[ACTORS.index(actor)], (
        url,
        response.content[:300],
    )


@pytest.mark.django_db
def test_a_token_works_like_the_session_for_the_api():
    from seedbed.accounts.services import create_api_token

    actors, ids = _world()
    _token, secret = create_api_token(actors["founder"], "cli")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = _fill(API_BASE + "/me/preferences", ids)
    body = {"preferences": [{"participant_id": ids["investor_p"], "level": "must"}]}
    response = client.put(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200
    assert client.get(url).json() == [{"participant_id": ids["investor_p"], "level": "must"}]


def test_every_meeting_page_route_has_an_entry_in_the_matrix():
    names = set()
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) == "events":
            for inner in pattern.url_patterns:
                if getattr(inner, "namespace", None) == "meetings":
                    names |= {p.name for p in inner.url_patterns}
                for deeper in getattr(inner, "url_patterns", []):
                    if getattr(deeper, "namespace", None) == "meetings":
                        names |= {p.name for p in deeper.url_patterns}
    assert names and names == set(PAGES)


def test_every_meeting_api_route_has_an_entry_in_the_matrix():
    prefix = "/api/v1/events/{event_id}/meetings"
    routes = {
        (method, path.removeprefix(prefix))
        for path, operations in api.get_openapi_schema()["paths"].items()
        if path.startswith(prefix)
        for method in operations
    }
    assert routes and routes == set(API)
