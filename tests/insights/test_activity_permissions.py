"""Who gets what on every activity Insights route, platform-wide and per community (public and
private), for every kind of caller. A route of ``insights.views`` without a row here fails the
completeness test.

Columns: visitor, member, owner of another community, moderator, owner, operator.
Codes: "L" a redirect to the login page, "R" any other redirect; numbers are HTTP statuses.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from seedbed.communities.models import Role, Visibility
from seedbed.insights import views
from seedbed.insights.models import ReachOut
from seedbed.insights.tasks import refresh_insights
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import community, join

ACTORS = ["visitor", "member", "other_owner", "moderator", "owner", "operator"]

PLATFORM = "L 403 403 403 403 200"
COMMUNITY = {"public": "L 403 403 200 200 200", "private": "L 403 404 200 200 200"}

# name: (method, {"platform" | "public" | "private": codes})
ROUTES = {
    "overview": ("get", {"platform": PLATFORM, **COMMUNITY}),
    "members": ("get", {"platform": PLATFORM, **COMMUNITY}),
    "at_risk": ("get", {"platform": PLATFORM, **COMMUNITY}),
    "export": ("get", {"platform": PLATFORM, **COMMUNITY}),
    "reach_out": (
        "post",
        {
            "platform": "L 403 403 403 403 R",
            "public": "L 403 403 R R R",
            "private": "L 403 404 R R R",
        },
    ),
}
MY_ACTIVITY = "L 200 200 200 200 200"


@pytest.fixture
def cast(db):
    """The people and places: each actor, a target member, and the two communities."""
    places = {
        "public": community("Open Lab", Visibility.PUBLIC),
        "private": community("Closed Lab", Visibility.PRIVATE),
    }
    other = community("Elsewhere")
    people = {
        "visitor": None,
        "member": MemberFactory(),
        "other_owner": MemberFactory(),
        "moderator": MemberFactory(),
        "owner": MemberFactory(),
        "operator": MemberFactory(is_staff=True),
    }
    target = MemberFactory(display_name="Target")
    for place in places.values():
        join(place, people["member"])
        join(place, people["moderator"], role=Role.MODERATOR)
        join(place, people["owner"], role=Role.OWNER)
        join(place, target)
    join(other, people["other_owner"], role=Role.OWNER)
    refresh_insights.call()
    return people, places, target


def call(actor, method: str, url: str):
    client = Client()
    if actor is not None:
        client.force_login(actor)
    return getattr(client, method)(url)


def outcome(response) -> str:
    if response.status_code == 302:
        return "L" if "/accounts/login/" in response["Location"] else "R"
    return str(response.status_code)


def url_for(name: str, where: str, places, target) -> str:
    args = [target.pk] if name == "reach_out" else []
    if where == "platform":
        return reverse(f"insights:platform:{name}", args=args)
    return reverse(f"insights:community:{name}", args=[places[where].slug, *args])


CASES = [(name, where) for name, (_method, table) in ROUTES.items() for where in table]


@pytest.mark.parametrize(("name", "where"), CASES)
def test_each_caller_gets_what_the_matrix_says(cast, name, where):
    """One test per route and place, every actor in turn (the reach-out log is emptied between
    them, so each POST is judged on its own)."""
    people, places, target = cast
    method, table = ROUTES[name]
    got = []
    for actor in ACTORS:
        got.append(outcome(call(people[actor], method, url_for(name, where, places, target))))
        ReachOut.objects.all().delete()
    assert dict(zip(ACTORS, got, strict=True)) == dict(
        zip(ACTORS, table[where].split(), strict=True)
    )


@pytest.mark.parametrize(("actor", "expected"), list(zip(ACTORS, MY_ACTIVITY.split(), strict=True)))
def test_my_activity_is_for_every_signed_in_member(cast, actor, expected):
    people, _places, _target = cast
    assert outcome(call(people[actor], "get", reverse("insights:my_activity"))) == expected


def test_every_route_of_the_activity_views_has_a_row_in_the_matrix():
    covered = {f"platform:{n}" for n in ROUTES} | {f"community:{n}" for n in ROUTES}
    covered.add("my_activity")
    mine = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) != "insights":
            continue
        for scope in pattern.url_patterns:
            for route in getattr(scope, "url_patterns", [scope]):
                callback = getattr(route, "callback", None)
                if callback is not None and callback.__module__ == views.__name__:
                    prefix = f"{scope.namespace}:" if hasattr(scope, "namespace") else ""
                    mine.add(prefix + route.name)
    assert mine, "the resolver walk found the activity routes"
    assert mine <= covered, f"routes without a row: {sorted(mine - covered)}"


def test_reading_pages_refuse_other_methods(cast):
    people, places, _target = cast
    response = call(people["operator"], "post", reverse("insights:platform:overview"))
    assert response.status_code == 405
    response = call(people["owner"], "get", url_for("reach_out", "public", places, cast[2]))
    assert response.status_code == 405


def test_an_unknown_community_answers_404(cast):
    people, _places, _target = cast
    url = reverse("insights:community:overview", args=["no-such-place"])
    assert call(people["operator"], "get", url).status_code == 404
