"""Suggestions come from the member's interests, their projects' needs and sectors, and what
members who found the same resources useful also found useful; each says why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from seedbed.core.models import Sector
from seedbed.core.services import tags_named
from seedbed.library import services
from seedbed.library.suggestions import suggestions_for
from seedbed.matching.models import Project
from tests.factories import MemberFactory
from tests.library.conftest import client_for, published


@pytest.fixture
def shelf(world):
    operator = world["operator"]
    return {
        "ml": world["platform_resource"],
        "fintech": published(operator, title="Payments primer", sectors=["fintech"]),
        "term": published(operator, title="Term sheet template", topics=["融资"]),
        "rl": published(operator, title="Reinforcement learning notes"),
        "cooking": published(operator, title="Cooking for founders", topics=["cooking"]),
    }


def test_interests_give_matching_resources_with_the_reason(world, shelf):
    member = world["outsider"]
    member.interests.set(tags_named(["machine learning"]))
    [only] = suggestions_for(member)
    assert only.resource == shelf["ml"]
    assert only.reason == "Matches your interest in machine learning."


def test_a_project_needing_funding_and_its_sector_bring_their_resources(world, shelf):
    member = world["outsider"]
    project = Project.objects.create(
        slug="payly", name="Payly", one_liner="Payments", stage="seed", needs_funding=True
    )
    project.sectors.add(Sector.objects.get(slug="fintech"))
    project.team.add(member)
    reasons = {s.resource.title: s.reason for s in suggestions_for(member)}
    assert reasons["Term sheet template"] == "Useful for Payly, which needs 融资."
    assert reasons["Payments primer"] == "About Fintech, the sector of Payly."
    assert "Cooking for founders" not in reasons


def test_what_similar_members_found_useful(world, shelf):
    me = world["outsider"]
    services.mark_done(me, shelf["ml"].pk)
    for _ in range(2):
        peer = MemberFactory()
        services.mark_done(peer, shelf["ml"].pk)
        services.rate_resource(peer, shelf["rl"].pk, 5)
    stranger = MemberFactory()
    services.rate_resource(stranger, shelf["cooking"].pk, 5)
    suggested = suggestions_for(me)
    assert [s.resource for s in suggested] == [shelf["rl"]]
    assert suggested[0].reason == (
        "2 members who found the same resources useful found this useful too."
    )


def test_done_and_own_resources_are_not_suggested(world, shelf):
    operator = world["operator"]
    operator.interests.set(tags_named(["machine learning", "cooking"]))
    assert suggestions_for(operator) == []
    member = world["outsider"]
    member.interests.set(tags_named(["machine learning"]))
    services.mark_done(member, shelf["ml"].pk)
    assert suggestions_for(member) == []


def test_visitors_get_none_and_the_home_page_shows_the_reasons(world, shelf):
    assert suggestions_for(None) == []
    member = world["outsider"]
    member.interests.set(tags_named(["cooking"]))
    page = client_for(member).get(reverse("library:home"))
    assert "Suggested for you" in page.text
    assert "Matches your interest in cooking." in page.text


def test_a_hidden_resource_is_never_suggested(world, shelf):
    member = world["outsider"]
    member.interests.set(tags_named(["cooking"]))
    services.decide_resource(world["operator"], shelf["cooking"].pk, "hide")
    assert suggestions_for(member) == []


def test_ratings_rank_among_equally_relevant_resources(world, shelf):
    operator = world["operator"]
    better = published(operator, title="Cooking, the good one", topics=["cooking"])
    rater = MemberFactory(date_joined=timezone.now() - timedelta(days=9))
    services.rate_resource(rater, better.pk, 5)
    services.rate_resource(rater, shelf["cooking"].pk, 1)
    member = world["outsider"]
    member.interests.set(tags_named(["cooking"]))
    assert [s.resource for s in suggestions_for(member)] == [better, shelf["cooking"]]
