"""Every activity Insights page costs the same number of queries with 2 members as with 20 (and
stays under its budget): pages read stored rows, with their members joined in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from seedbed.communities.models import Role
from seedbed.insights.models import MemberEngagement
from seedbed.insights.tasks import refresh_insights
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import busy_community, join

BUDGET = 10
PAGES = [
    ("overview", ""),
    ("overview", "?range=365"),
    ("members", ""),
    ("members", "?level=core&role=founder"),
    ("at_risk", ""),
    ("export", ""),
]


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def measure(members: int) -> dict[str, int]:
    place = busy_community(members, name=f"Busy {members}")
    owner = join(place, MemberFactory(), role=Role.OWNER)
    operator = MemberFactory(is_staff=True)
    refresh_insights.call()
    MemberEngagement.objects.update(churn_risk=0.9)  # everyone on the at-risk list
    out = {}
    for who, user in (("owner", owner), ("operator", operator)):
        client = Client()
        client.force_login(user)
        client.get(reverse("insights:my_activity"))  # the session is warm
        for name, query in PAGES:
            out[f"{who} community {name}{query}"] = queries(
                client, reverse(f"insights:community:{name}", args=[place.slug]) + query
            )
        if who == "operator":
            for name, query in PAGES:
                out[f"platform {name}{query}"] = queries(
                    client, reverse(f"insights:platform:{name}") + query
                )
            url = reverse("insights:platform:members") + f"?community={place.slug}"
            out["platform members of one community"] = queries(client, url)
        out[f"{who} my activity"] = queries(client, reverse("insights:my_activity"))
    return out


@pytest.mark.slow
def test_no_page_costs_more_with_20_members_than_with_2(db):
    small = measure(2)
    large = measure(20)
    assert small == large
    assert max(large.values()) <= BUDGET, large
