"""The operator page's table: every algorithm measured by the engine's harness on a temporal
split of the platform's own interactions, stored by the task, read by the page."""

import pytest

from seedbed.discovery.evaluation import ALGORITHMS, evaluate_and_store
from seedbed.discovery.refresh import refresh
from tests.discovery.conftest import client_for, community, interested
from tests.factories import MemberFactory


@pytest.fixture
def platform(db):
    people = [interested(MemberFactory(), "ai") for _ in range(12)]
    clubs = [community(f"AI club {n}", tags=["ai"]) for n in range(8)]
    for i, person in enumerate(people):
        for club in clubs[i % 3 : i % 3 + 5]:
            club.memberships.create(user=person)
    refresh()
    return people


def test_every_algorithm_gets_a_row_with_metrics_between_zero_and_one(platform):
    run = evaluate_and_store()
    block = next(b for b in run.results["kinds"] if b["kind"] == "communities")
    assert block["interactions"] == 60 and block["members"] == 12 and block["items"] == 8
    assert [row["algorithm"] for row in block["rows"]] == list(ALGORITHMS)
    for row in block["rows"]:
        for metric in ("precision", "recall", "ndcg", "coverage"):
            assert 0.0 <= row[metric] <= 1.0
        assert row["users"] == 12
    assert max(row["recall"] for row in block["rows"]) > 0


def test_too_few_interactions_leave_the_table_empty_not_broken(db):
    MemberFactory()
    run = evaluate_and_store()
    assert all(block["rows"] == [] for block in run.results["kinds"])


def test_the_operator_page_shows_the_last_run(platform, operator):
    client = client_for(operator)
    page = client.get("/operator/recommendations/").content.decode()
    assert "No evaluation has run yet" in page
    evaluate_and_store()
    page = client.get("/operator/recommendations/").content.decode()
    assert "hybrid" in page and "NDCG@10" in page and "Communities for you" in page
    page = client.get("/operator/recommendations/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "为你推荐的社区" in page.content.decode()
