import json
from datetime import timedelta

import pytest
from django.test import Client

from seedbed.events import services
from seedbed.events.models import Event
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
ACTORS = ["anonymous", "outsider", "member", "moderator", "owner"]


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# (method, path, data, {"public": codes, "private": codes}); codes per ACTORS;
# "L" = redirect to login, "R" = other redirect.
PAGES = {
    "upcoming": (
        "get",
        "/events/",
        None,
        {"public": "200 200 200 200 200", "private": "200 200 200 200 200"},
    ),
    "community_events": (
        "get",
        "/c/{slug}/events/",
        None,
        {"public": "200 200 200 200 200", "private": "404 404 200 200 200"},
    ),
    "create": (
        "get",
        "/events/new/?community={slug}",
        None,
        {"public": "L 403 403 200 200", "private": "L 404 403 200 200"},
    ),
    "detail": (
        "get",
        "/events/{id}/",
        None,
        {"public": "200 200 200 200 200", "private": "404 404 200 200 200"},
    ),
    "edit": (
        "get",
        "/events/{id}/edit/",
        None,
        {"public": "L 403 403 200 200", "private": "L 404 403 200 200"},
    ),
    "cancel": (
        "post",
        "/events/{id}/cancel/",
        {},
        {"public": "L 403 403 R R", "private": "L 404 403 R R"},
    ),
    "rsvp": ("post", "/events/{id}/rsvp/", {}, {"public": "L R R R R", "private": "L 404 R R R"}),
    "cancel_rsvp": (
        "post",
        "/events/{id}/rsvp/cancel/",
        {},
        {"public": "L R R R R", "private": "L 404 R R R"},
    ),
    "attendees": (
        "get",
        "/events/{id}/attendees/",
        None,
        {"public": "L 403 403 200 200", "private": "L 404 403 200 200"},
    ),
    "decide": (
        "post",
        "/events/{id}/attendees/{rsvp}/approve/",
        {},
        {"public": "L 403 403 R R", "private": "L 404 403 R R"},
    ),
    "capacity": (
        "post",
        "/events/{id}/capacity/",
        {"capacity": "5"},
        {"public": "L 403 403 R R", "private": "L 404 403 R R"},
    ),
}

API = {
    ("get", "/api/v1/events"): (
        "/api/v1/events",
        None,
        {"public": "200 200 200 200 200", "private": "200 200 200 200 200"},
    ),
    ("post", "/api/v1/events"): (
        "/api/v1/events",
        "create",
        {"public": "401 403 403 201 201", "private": "401 404 403 201 201"},
    ),
    ("get", "/api/v1/events/{event_id}"): (
        "/api/v1/events/{id}",
        None,
        {"public": "200 200 200 200 200", "private": "404 404 200 200 200"},
    ),
    ("patch", "/api/v1/events/{event_id}"): (
        "/api/v1/events/{id}",
        {"title": "Renamed"},
        {"public": "401 403 403 200 200", "private": "401 404 403 200 200"},
    ),
    ("post", "/api/v1/events/{event_id}/cancel"): (
        "/api/v1/events/{id}/cancel",
        {},
        {"public": "401 403 403 204 204", "private": "401 404 403 204 204"},
    ),
    ("post", "/api/v1/events/{event_id}/rsvp"): (
        "/api/v1/events/{id}/rsvp",
        {},
        {"public": "401 200 200 200 200", "private": "401 404 200 200 200"},
    ),
    ("delete", "/api/v1/events/{event_id}/rsvp"): (
        "/api/v1/events/{id}/rsvp",
        None,
        {"public": "401 204 204 204 204", "private": "401 404 204 204 204"},
    ),
    ("get", "/api/v1/events/{event_id}/rsvps"): (
        "/api/v1/events/{id}/rsvps",
        None,
        {"public": "401 403 403 200 200", "private": "401 404 403 200 200"},
    ),
    ("post", "/api/v1/events/{event_id}/rsvps/{rsvp_id}/approve"): (
        "/api/v1/events/{id}/rsvps/{rsvp}/approve",
        {},
        {"public": "401 403 403 200 200", "private": "401 404 403 200 200"},
    ),
    ("post", "/api/v1/events/{event_id}/rsvps/{rsvp_id}/decline"): (
        "/api/v1/events/{id}/rsvps/{rsvp}/decline",
        {},
        {"public": "401 403 403 200 200", "private": "401 404 403 200 200"},
    ),
    ("put", "/api/v1/events/{event_id}/capacity"): (
        "/api/v1/events/{id}/capacity",
        {"capacity": 4},
        {"public": "401 403 403 200 200", "private": "401 404 403 200 200"},
    ),
}


def _setup(world, visibility):
    event = world[visibility]
    services.update_event(world["owner"], event.pk, requires_approval=True)
    pending = services.rsvp(MemberFactory(), event.pk) if visibility == "public" else None
    if pending is None:
        from seedbed.communities.models import Membership

        requester = MemberFactory()
        Membership.objects.create(community=event.community, user=requester)
        pending = services.rsvp(requester, event.pk)
    return {"id": event.pk, "slug": event.community.slug, "rsvp": pending.pk}


def _outcome(response) -> str:
    if response.status_code == 302:
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("actor", ACTORS)
def test_event_page_permissions(world, name, visibility, actor):
    method, path, data, codes = PAGES[name]
    ids = _setup(world, visibility)
    client = _client(None if actor == "anonymous" else world[actor])
    url = path.format(**ids)
    response = client.post(url, data) if method == "post" else client.get(url)
    assert _outcome(response) == codes[visibility].split()[ACTORS.index(actor)], url


@pytest.mark.parametrize("key", list(API), ids=[f"{m} {p}" for m, p in API])
@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("actor", ACTORS)
def test_event_api_permissions(world, key, visibility, actor):
    path, body, codes = API[key]
    ids = _setup(world, visibility)
    client = _client(None if actor == "anonymous" else world[actor])
    url = path.format(**ids)
    if body == "create":
        fields = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in event_fields().items()
        }
        body = {**fields, "community": ids["slug"]}
    method = key[0]
    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
    assert str(response.status_code) == codes[visibility].split()[ACTORS.index(actor)], (
        url,
        response.content[:200],
    )


def test_every_event_page_route_is_in_the_matrix():
    from seedbed.events import urls

    names = {p.name for p in urls.urlpatterns if getattr(p, "name", None)}
    assert names == set(PAGES)


def test_every_core_event_api_route_is_in_the_matrix():
    from seedbed.events.api import router

    routes = {
        (method.lower(), "/api/v1" + path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert routes == set(API)


def test_the_online_link_is_shown_only_to_confirmed_attendees_and_organisers(world):
    event = world["public"]
    member = world["member"]
    secret = "secret-room"
    assert secret not in _client(member).get(f"/events/{event.pk}/").content.decode()
    assert _client(member).get(f"/api/v1/events/{event.pk}").json()["online_url"] is None
    services.rsvp(member, event.pk)
    assert secret in _client(member).get(f"/events/{event.pk}/").content.decode()
    assert secret in _client(member).get(f"/api/v1/events/{event.pk}").json()["online_url"]
    assert secret in _client(world["owner"]).get(f"/events/{event.pk}/").content.decode()
    assert secret not in Client().get(f"/events/{event.pk}/").content.decode()


def test_a_waitlisted_member_does_not_see_the_online_link(world):
    event = world["public"]
    services.set_capacity(world["owner"], event.pk, 0)
    services.rsvp(world["member"], event.pk)
    assert (
        "secret-room" not in _client(world["member"]).get(f"/events/{event.pk}/").content.decode()
    )


def test_private_events_stay_out_of_outsiders_lists(world):
    titles = [e["title"] for e in _client(world["outsider"]).get("/api/v1/events").json()["items"]]
    assert "Closed salon" not in titles and "Founder salon" in titles
    assert "Closed salon" not in _client(world["outsider"]).get("/events/").content.decode()


@pytest.mark.parametrize("n", [2, 15])
def test_event_pages_have_fixed_query_budgets(world, django_assert_max_num_queries, n):
    event = world["public"]
    for _ in range(n):
        services.rsvp(MemberFactory(), event.pk)
        services.create_event(world["owner"], community=event.community.slug, **event_fields())
    owner = _client(world["owner"])
    with django_assert_max_num_queries(14):
        assert owner.get(f"/events/{event.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert owner.get("/events/").status_code == 200
    with django_assert_max_num_queries(12):
        assert owner.get(f"/events/{event.pk}/attendees/").status_code == 200
    with django_assert_max_num_queries(10):
        assert owner.get("/api/v1/events").status_code == 200
    with django_assert_max_num_queries(10):
        assert owner.get(f"/api/v1/events/{event.pk}/rsvps").status_code == 200


def test_bad_event_api_input_is_400_or_422_naming_the_field(world):
    owner = _client(world["owner"])
    body = {
        **{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in event_fields().items()},
        "community": world["public"].community.slug,
        "time_zone": "Mars/Base",
    }
    response = owner.post("/api/v1/events", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "time_zone"
    body["capacity"] = -1
    response = owner.post("/api/v1/events", json.dumps(body), content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "actor, on_the_community, on_all_events",
    [
        ("anonymous", False, False),
        ("outsider", False, False),
        ("member", False, False),
        ("moderator", True, False),
        ("owner", True, False),
        ("operator", True, True),
    ],
)
def test_new_event_is_offered_only_to_those_who_may_create_one(
    world, actor, on_the_community, on_all_events
):
    """Platform events are the operators'; a community's events its owners' and moderators'."""
    user = MemberFactory(is_staff=True) if actor == "operator" else world.get(actor)
    client, slug = _client(user), world["public"].community.slug
    assert ("/events/new/" in client.get(f"/c/{slug}/events/").content.decode()) == on_the_community
    assert ("/events/new/" in client.get("/events/").content.decode()) == on_all_events


def test_an_event_that_is_over_offers_no_rsvp_but_says_why(world):
    event = world["public"]
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at - timedelta(days=10), ends_at=event.ends_at - timedelta(days=10)
    )
    page = _client(world["member"]).get(f"/events/{event.pk}/").content.decode()
    assert f"/events/{event.pk}/rsvp/" not in page and "This event is over." in page
