"""Every page and endpoint reads stored rows in a fixed number of queries, whatever the number
of suggestions: at most three per kind in the service, and the same count with one row per
kind as with a full page of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seedbed.discovery import services
from seedbed.discovery.refresh import refresh
from tests.discovery.conftest import client_for, community, event_in, interested, join, post
from tests.factories import MemberFactory

SERVICE_BUDGET = 3
FOR_YOU_BUDGET = 20
API_BUDGET = 6
DISMISS_BUDGET = 8
SETTING_BUDGET = 10
OPERATOR_BUDGET = 6


def grow(n: int, prefix: str = "a"):
    """``n`` communities, events, posts and people that match the reader, and a refresh."""
    reader = interested(MemberFactory(display_name="Reader"), "climate")
    author = MemberFactory()
    home = community(f"{prefix} Home", members=[reader, author])
    for i in range(n):
        club = community(f"{prefix} Climate club {i}", tags=["climate"], members=[author])
        event_in(author, club, title=f"Climate salon {i}", description="climate")
        post(home, author, f"Climate post {i}", "climate", tags=["climate"])
        interested(MemberFactory(display_name=f"Climate person {i}"), "climate")
        join(club, reader) if i == 0 else None
    refresh()
    return reader


def count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", services.KINDS)
def test_the_service_needs_at_most_three_queries_per_kind_whatever_the_limit(kind):
    reader = grow(14)
    assert len(services.suggestions_for(reader, kind, 12)) == 12
    few = count(lambda: services.suggestions_for(reader, kind, 1))
    many = count(lambda: services.suggestions_for(reader, kind, 12))
    assert few == many <= SERVICE_BUDGET


@pytest.mark.django_db
def test_pages_and_endpoints_cost_the_same_with_one_or_many_suggestions(operator):
    from seedbed.discovery.evaluation import evaluate_and_store

    def costs(reader):
        client = client_for(reader)
        row = reader.recommendations.first()
        return {
            "for_you": count(lambda: client.get("/for-you/")),
            "api": count(lambda: client.get("/api/v1/recommendations?kind=posts")),
            "setting": count(lambda: client.post("/for-you/", {"in_digest": "on"})),
            "dismiss": count(lambda: client.post(f"/for-you/{row.pk}/dismiss/")),
            "api_dismiss": count(
                lambda: client.post(
                    f"/api/v1/recommendations/{reader.recommendations.last().pk}/dismiss"
                )
            ),
        }

    small = costs(grow(2, "small"))
    large = costs(grow(14, "large"))
    assert small == large
    assert large["for_you"] <= FOR_YOU_BUDGET
    assert large["api"] <= API_BUDGET
    assert max(large["dismiss"], large["api_dismiss"]) <= DISMISS_BUDGET
    assert large["setting"] <= SETTING_BUDGET
    evaluate_and_store()
    client = client_for(operator)
    assert count(lambda: client.get("/operator/recommendations/")) <= OPERATOR_BUDGET


@pytest.mark.django_db
def test_the_for_you_page_stays_within_its_budget(django_assert_max_num_queries):
    reader = grow(6)
    client = client_for(reader)
    with django_assert_max_num_queries(FOR_YOU_BUDGET):
        assert client.get("/for-you/").status_code == 200
    with django_assert_max_num_queries(API_BUDGET):
        assert client.get("/api/v1/recommendations?kind=people").status_code == 200
