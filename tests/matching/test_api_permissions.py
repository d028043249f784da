"""Who may call each matching API route. A route of the router without an entry here fails the
completeness test.

Columns: anonymous, outsider (a signed-in member with no part in anything), team (the founder
of both projects), owner (the investor who owns both offers), operator (staff).
The world: "Robo Arm" has a pending intro with the seed fund (the founder asked); "Solar Grid"
has an accepted intro with the same fund; a second fund of the investor has no intro yet."""

import pytest

from seedbed.accounts.auth import MEMBER
from seedbed.accounts.services import create_api_token
from seedbed.matching import services
from seedbed.matching.api import router
from tests.matching.api_helpers import send
from tests.matching.conftest import client_for

ACTORS = ["anonymous", "outsider", "team", "owner", "operator"]

READ = "401 200 200 200 200"
CREATE = "401 201 201 201 201"
OPERATOR_ONLY = "401 403 403 403 200"

TABLE = {
    ("GET", "/projects"): (None, READ),
    ("POST", "/projects"): ({"name": "Kite", "one_liner": "Kites", "stage": "idea"}, CREATE),
    ("GET", "/projects/{slug}"): (None, READ),
    ("PATCH", "/projects/{slug}"): ({"one_liner": "Better"}, "401 403 200 403 403"),
    ("GET", "/projects/{slug}/matches"): (None, "401 403 200 403 200"),
    ("GET", "/offers"): (None, READ),
    ("POST", "/offers"): ({"kind": "mentor", "title": "Hours"}, CREATE),
    ("GET", "/offers/{offer_id}"): (None, READ),
    ("PATCH", "/offers/{offer_id}"): ({"capacity": 2}, "401 403 403 200 403"),
    ("GET", "/offers/{offer_id}/matches"): (None, "401 403 403 200 200"),
    ("GET", "/intros"): (None, READ),
    ("POST", "/intros"): (
        {"project": "{slug}", "offer": "{fresh_offer}"},
        "401 403 201 201 403",
    ),
    ("GET", "/intros/{intro_id}"): (None, "401 404 200 200 200"),
    ("POST", "/intros/{intro_id}/accept"): (None, "401 404 400 200 403"),
    ("POST", "/intros/{intro_id}/decline"): ({"reason": "timing"}, "401 404 400 200 403"),
    ("POST", "/intros/{intro_id}/withdraw"): (None, "401 404 200 400 400"),
    ("POST", "/intros/{accepted_id}/met"): (None, "401 404 200 200 200"),
    ("POST", "/intros/{accepted_id}/outcome"): ({"outcome": "invested"}, "401 404 200 200 200"),
    ("GET", "/intros/{accepted_id}/messages"): (None, "401 404 200 200 403"),
    ("POST", "/intros/{accepted_id}/messages"): ({"body": "Hi"}, "401 404 201 201 403"),
    ("GET", "/pipeline"): (None, OPERATOR_ONLY),
    ("POST", "/rounds"): ({"name": "Spring", "kind": "investor"}, "401 403 403 403 201"),
    ("GET", "/rounds/{round_id}"): (None, OPERATOR_ONLY),
    ("POST", "/rounds/{round_id}/send"): (None, OPERATOR_ONLY),
}

# The table's paths name which intro they act on; the router's paths all say {intro_id}.
ROUTER_PATH = {"/intros/{accepted_id}": "/intros/{intro_id}"}


def _router_path(path: str) -> str:
    for ours, theirs in ROUTER_PATH.items():
        path = path.replace(ours, theirs)
    return path


@pytest.fixture
def world(founder, cofounder, investor, outsider, operator, project, investor_offer):
    solar = services.create_project(founder, name="Solar Grid", one_liner="Sun", stage="seed")
    fresh_offer = services.create_offer(investor, "investor", title="Growth fund")
    pending = services.request_intro(founder, project.slug, investor_offer.pk)
    accepted = services.request_intro(founder, solar.slug, investor_offer.pk)
    services.answer_intro(investor, accepted.pk, accept=True)
    round_ = services.create_round(operator, name="Autumn", kind="investor")
    actors = {
        "anonymous": None,
        "outsider": outsider,
        "team": founder,
        "owner": investor,
        "operator": operator,
    }
    ids = {
        "slug": project.slug,
        "offer_id": investor_offer.pk,
        "fresh_offer": fresh_offer.pk,
        "intro_id": pending.pk,
        "accepted_id": accepted.pk,
        "round_id": round_.pk,
    }
    return actors, ids


def _fill(value, ids):
    if isinstance(value, str):
        filled = value.format(**ids)
        return int(filled) if filled.isdigit() and value != filled else filled
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "actor"),
    [(k, a) for k in TABLE for a in ACTORS],
    ids=[f"{k[0]} {k[1]}-{a}" for k in TABLE for a in ACTORS],
)
def test_api_permissions(world, key, actor):
    actors, ids = world
    method, path = key
    body, codes = TABLE[key]
    url = "/api/v1" + path.format(**ids)
    response = send(client_for(actors[actor]), method.lower(), url, _fill(body, ids))
    expected = codes.split()[ACTORS.index(actor)]
    assert str(response.status_code) == expected, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")


def test_every_route_of_the_router_has_an_entry_in_the_table():
    routes = {
        (method, path)
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    table = {(method, _router_path(path)) for method, path in TABLE}
    assert routes and routes == table


def test_every_route_needs_a_signed_in_member():
    for view in router.path_operations.values():
        for operation in view.operations:
            assert operation.auth_callbacks == MEMBER, operation.view_func.__name__


@pytest.mark.django_db
def test_a_bearer_token_works_like_the_session(world):
    from django.test import Client

    actors, ids = world
    _token, secret = create_api_token(actors["owner"], "cli")
    token_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert token_client.get(f"/api/v1/intros/{ids['intro_id']}").status_code == 200
    accepted = token_client.post(f"/api/v1/intros/{ids['intro_id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    dead = Client(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert dead.get("/api/v1/projects").status_code == 401
