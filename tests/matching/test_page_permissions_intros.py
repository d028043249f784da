"""Who may do what on the intro, pipeline and round pages. Every URL name of
``urls_intros`` has at least one row; a name without a row fails the completeness test.

Columns: anonymous, outsider (a member on neither side), team (the project's founder, who asked
for the pending intro), owner (the offer's owner) and operator. Codes: "L" a redirect to the
login page, "R" a redirect with a success message, "E" a redirect with an error message (the
service refused: nothing changed); numbers are statuses."""

import pytest
from django.urls import resolve, reverse

from seedbed.matching import services, urls_intros
from tests.matching.intro_pages_helpers import client_for, errors

ACTORS = ["anonymous", "outsider", "team", "owner", "operator"]

ROWS = [
    (
        "intro_request",
        "post",
        "/projects/{slug}/intro/",
        {"offer_id": "{spare_offer}"},
        "L 403 R R 403",
    ),
    ("intros", "get", "/intros/", None, "L 200 200 200 200"),
    ("intro", "get", "/intros/{pending}/", None, "L 404 200 200 200"),
    ("intro", "get", "/intros/{accepted}/", None, "L 404 200 200 200"),
    ("intro", "get", "/intros/999999/", None, "L 404 404 404 404"),
    ("intro_accept", "post", "/intros/{pending}/accept/", {}, "L 404 E R 403"),
    ("intro_accept", "post", "/intros/{accepted}/accept/", {}, "L 404 E E 403"),
    ("intro_decline", "post", "/intros/{pending}/decline/", {"reason": "timing"}, "L 404 E R 403"),
    ("intro_withdraw", "post", "/intros/{pending}/withdraw/", {}, "L 404 R E E"),
    ("intro_met", "post", "/intros/{accepted}/met/", {}, "L 404 R R R"),
    ("intro_met", "post", "/intros/{pending}/met/", {}, "L 404 E E E"),
    ("intro_outcome", "post", "/intros/{accepted}/outcome/", {"outcome": "hired"}, "L 404 R R R"),
    ("intro_message", "post", "/intros/{accepted}/messages/", {"body": "Hi"}, "L 404 R R 403"),
    ("intro_message", "post", "/intros/{pending}/messages/", {"body": "Hi"}, "L 404 403 403 403"),
    ("pipeline", "get", "/operator/pipeline/", None, "L 403 403 403 200"),
    ("rounds", "get", "/operator/rounds/", None, "L 403 403 403 200"),
    (
        "rounds",
        "post",
        "/operator/rounds/",
        {"name": "Autumn", "kind": "mentor"},
        "L 403 403 403 R",
    ),
    ("round", "get", "/operator/rounds/{round}/", None, "L 403 403 403 200"),
    ("round_send", "post", "/operator/rounds/{round}/send/", {}, "L 403 403 403 R"),
]


def _world(founder, investor, outsider, operator, project, investor_offer):
    """A pending intro the founder asked for, an accepted one, a spare offer nobody asked
    about yet (all three offers are the investor's) and an unsent matching round."""
    accepted_offer = services.create_offer(
        investor, "mentor", title="Board seat mentoring", topics=["pricing"]
    )
    spare = services.create_offer(investor, "service", title="Legal clinic", service_type="legal")
    services.refresh_matches()
    pending = services.request_intro(founder, project.slug, investor_offer.pk)
    accepted = services.request_intro(founder, project.slug, accepted_offer.pk)
    services.answer_intro(investor, accepted.pk, accept=True)
    round_ = services.create_round(operator, name="Spring", kind="mentor")
    actors = {
        "anonymous": None,
        "outsider": outsider,
        "team": founder,
        "owner": investor,
        "operator": operator,
    }
    ids = {
        "slug": project.slug,
        "spare_offer": spare.pk,
        "pending": pending.pk,
        "accepted": accepted.pk,
        "round": round_.pk,
    }
    return actors, ids


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _outcome(response) -> str:
    if response.status_code == 302:
        if "/accounts/login/" in response["Location"]:
            return "L"
        return "E" if errors(response) else "R"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "actor"),
    [(row, actor) for row in ROWS for actor in ACTORS],
    ids=[f"{row[0]}-{row[2]}-{row[1]}-{actor}" for row in ROWS for actor in ACTORS],
)
def test_page_permissions(
    row, actor, founder, investor, outsider, operator, project, investor_offer
):
    _name, method, path, data, codes = row
    actors, ids = _world(founder, investor, outsider, operator, project, investor_offer)
    client = client_for(actors[actor])
    url = _fill(path, ids)
    if data is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, _fill(data, ids))
    assert _outcome(response) == codes.split()[ACTORS.index(actor)], (url, actor)


def test_every_intro_page_route_has_a_row_in_the_table():
    assert {p.name for p in urls_intros.urlpatterns} == {row[0] for row in ROWS}


def test_the_table_paths_are_the_routes_they_name():
    ids = {"slug": "robo-arm", "spare_offer": 1, "pending": 1, "accepted": 1, "round": 1}
    for name, _method, path, _data, _codes in ROWS:
        assert resolve(_fill(path, ids)).view_name == f"matching:{name}", path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["intro_accept", "intro_decline", "intro_withdraw", "intro_met", "intro_outcome"]
)
def test_actions_refuse_a_plain_get(name, founder):
    response = client_for(founder).get(reverse(f"matching:{name}", args=[1]))
    assert response.status_code == 405
