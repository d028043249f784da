"""Every onboarding page costs the same number of queries with 2 communities as with 20."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from seedbed.core.models import Sector, Tag
from tests.factories import MemberFactory
from tests.site.conftest import client_for, make_community

pytestmark = pytest.mark.django_db

#: Each includes the session, the member and the unread badge (3 queries).
BUDGETS = {
    "interests page": 9,
    # the profile's own validation and writes, and one queued refresh
    "interests saved": 25,
    # stored suggestions, else the plain query filled up with popular communities
    "communities page": 10,
    "join": 8,
    "join with htmx": 9,
    "profile page": 9,
    "profile saved": 15,
    "skip": 4,
}


def world(n: int):
    fintech = Sector.objects.get(slug="fintech")
    tags = [Tag.objects.create(name=f"topic {i}") for i in range(n)]
    for i in range(n):
        club = make_community(
            sector=fintech if i % 2 else None, members=MemberFactory.create_batch(2)
        )
        club.tags.add(*tags[: i + 1])
    member = MemberFactory(onboarding_step=1)
    member.sectors.add(fintech)
    member.interests.add(*tags)
    return member


def calls(slug: str):
    interests = {
        "roles": ["founder"],
        "sectors": ["fintech"],
        "city": "Shanghai",
        "interests": "a, b",
    }
    profile = {"headline": "Hi", "bio": "", "languages": ["en"], "visibility": "public"}
    return {
        "interests page": ("get", "/welcome/interests/", None, {}),
        "interests saved": ("post", "/welcome/interests/", interests, {}),
        "communities page": ("get", "/welcome/communities/", None, {}),
        "join": ("post", f"/welcome/communities/{slug}/join/", None, {}),
        "join with htmx": (
            "post",
            f"/welcome/communities/{slug}/join/",
            None,
            {"HTTP_HX_REQUEST": "true"},
        ),
        "skip": ("post", "/welcome/2/skip/", None, {}),
        "profile page": ("get", "/welcome/profile/", None, {}),
        "profile saved": ("post", "/welcome/profile/", profile, {}),
    }


@pytest.mark.parametrize("rows", [2, 20])
def test_every_onboarding_page_stays_within_its_budget_whatever_the_number_of_communities(
    rows, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(world(rows))
    client.get("/welcome/")
    spent = {}
    for name, (method, path, data, headers) in calls(make_community().slug).items():
        if name == "join with htmx":
            path = f"/welcome/communities/{make_community().slug}/join/"
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(path, data or {}, **headers)
        assert response.status_code in (200, 302), name
        spent[name] = len(captured)
    assert {name: n for name, n in spent.items() if n > BUDGETS[name]} == {}


def test_saving_step_one_queues_one_refresh_of_the_members_suggestions_for_the_worker(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    member = world(2)
    client_for(member).post("/welcome/interests/", {"roles": ["founder"], "interests": "ai"})
    task = DBTaskResult.objects.get()
    assert task.task_path == "seedbed.discovery.tasks.refresh_member_recommendations"
    assert task.args_kwargs["args"] == [member.pk]
