"""Who may open the sentiment, structure and forecast pages and press "introduce", platform-wide
and in a public and a private community, and what each page costs in queries as the data grows.
A route of ``views_analysis`` without a row here fails the completeness test.

Codes: "L" a redirect to the login page, "R" another redirect (the action's answer); numbers are
HTTP status codes. Columns follow ``ACTORS``."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from seedbed.communities import services
from seedbed.communities.models import Reaction
from seedbed.insights import analysis_forecasts, analysis_structure, urls, views_analysis
from seedbed.insights.analysis_sentiment import score_new_content
from seedbed.insights.models import StoredAnalysis
from tests.factories import MemberFactory
from tests.insights.test_analysis_fixtures import client_for, join, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "outsider", "member", "other_owner", "moderator", "owner", "operator"]

PAGE = {
    "platform": "L 403 403 403 403 403 200",
    "public": "L 403 403 403 200 200 200",
    "private": "L 404 403 404 200 200 200",
}
ACTION = {
    "platform": "L 403 403 403 403 403 R",
    "public": "L 403 403 403 R R R",
    "private": "L 404 403 404 R R R",
}
ROUTES = {
    "sentiment": ("get", PAGE),
    "structure": ("get", PAGE),
    "forecasts": ("get", PAGE),
    "introduce": ("post", ACTION),
}


def _analysis_routes() -> set[str]:
    return {
        p.name
        for p in urls.pages
        if isinstance(p, URLPattern) and p.callback.__module__ == views_analysis.__name__
    }


def test_every_analysis_route_has_a_row_in_the_permission_table():
    assert _analysis_routes() == set(ROUTES)


@pytest.fixture
def suggested(world):
    """A newcomer and the member the stored analysis suggests introducing them to, in both
    communities and platform-wide."""
    newcomer = MemberFactory(display_name="Nina Newcomer")
    mentor = MemberFactory(display_name="Sam Suggested")
    for scope in (None, world["public"], world["private"]):
        if scope is not None:
            join(scope, newcomer)
            join(scope, mentor)
        StoredAnalysis.objects.create(
            kind=analysis_structure.KIND,
            community=scope,
            computed_at=timezone.now(),
            payload=analysis_structure.EMPTY
            | {"newcomers": [{"id": newcomer.pk, "ties": 0, "suggest": [mentor.pk]}]},
        )
    return {"newcomer": newcomer.pk, "member": mentor.pk}


def _path(name: str, scope: str, world) -> str:
    if scope == "platform":
        return reverse(f"insights:platform:{name}")
    return reverse(f"insights:community:{name}", args=[world[scope].slug])


CASES = [
    (name, scope, actor, expected)
    for name, (_method, table) in ROUTES.items()
    for scope, codes in table.items()
    for actor, expected in zip(ACTORS, codes.split(), strict=True)
]


@pytest.mark.parametrize(("name", "scope", "actor", "expected"), CASES)
def test_who_may_use_each_analysis_route(name, scope, actor, expected, world, suggested):
    method, _table = ROUTES[name]
    client = client_for(None if actor == "anonymous" else world[actor])
    path = _path(name, scope, world)
    response = client.post(path, suggested) if method == "post" else client.get(path)
    if expected == "L":
        assert response.status_code == 302 and "/login/" in response["Location"]
    elif expected == "R":
        assert response.status_code == 302 and "/login/" not in response["Location"]
    else:
        assert response.status_code == int(expected)


def test_the_pages_refuse_posts_and_the_action_refuses_gets(world):
    client = client_for(world["operator"])
    assert client.post(_path("sentiment", "platform", world)).status_code == 405
    assert client.get(_path("introduce", "public", world)).status_code == 405


def test_an_unknown_community_is_404_for_an_operator(world):
    client = client_for(world["operator"])
    for name in ("sentiment", "structure", "forecasts"):
        url = reverse(f"insights:community:{name}", args=["no-such-place"])
        assert client.get(url).status_code == 404


# Query budgets ---------------------------------------------------------------------------------

BUDGET = 14


def _grow(community, n: int) -> None:
    """``n`` members, each with a post; each post gets a reply and a reaction from the next
    member; then everything the pages read is computed, as the tasks would."""
    people = [join(community, MemberFactory()) for _ in range(n)]
    for i, person in enumerate(people):
        mood = "This is awful and I am furious." if i % 2 else "Wonderful news, thank you all!"
        post = services.create_post(person, community.slug, title=f"Post {i}", body=mood)
        other = people[(i + 1) % n]
        services.create_reply(other, post.pk, body="Terrible, I hate this." if i % 3 else "Great!")
        Reaction.objects.create(user=other, post=post, kind="like")
    score_new_content()
    analysis_structure.store_scope(community)
    analysis_structure.store_scope(None)
    analysis_forecasts.forecast_scope(community)
    analysis_forecasts.forecast_scope(None)


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sentiment", "structure", "forecasts"])
@pytest.mark.parametrize("scope", ["platform", "public"])
def test_no_page_costs_more_queries_with_20_members_and_posts_than_with_2(
    name, scope, world, django_assert_max_num_queries
):
    client = client_for(world["operator"] if scope == "platform" else world["owner"])
    path = _path(name, scope, world)
    _grow(world["public"], 2)
    small = _queries(client, path)
    _grow(world["public"], 18)
    with django_assert_max_num_queries(BUDGET):
        large = _queries(client, path)
    # Never more (an empty list of posts or of replies skips its query, so it may be fewer).
    assert large <= small
