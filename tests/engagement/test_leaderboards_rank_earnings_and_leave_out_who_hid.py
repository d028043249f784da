"""Leaderboards per community and platform-wide, of all time and this month: earnings only
(spending does not lower a place), members who hid themselves left out, a private community's
board only for its members, in a fixed number of queries."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from seedbed.accounts.models import Visibility
from seedbed.engagement import services
from seedbed.engagement.models import Action
from tests.engagement.conftest import client_for, join, veteran

pytestmark = pytest.mark.django_db


def board(viewer, **kwargs) -> list[tuple[str, int]]:
    return [
        (p.member.display_name, p.points) for p in services.leaderboard(viewer, **kwargs).places
    ]


@pytest.fixture
def scores(public, private, operator, owner):
    """Ann earned 30 in public, Bo 20 in public long ago, Cy 50 in private."""
    ann = join(public, veteran(display_name="Ann"))
    bo = join(public, veteran(display_name="Bo"))
    cy = join(private, veteran(display_name="Cy"))
    old = timezone.now() - timedelta(days=70)
    services.award_points(operator, ann.pk, 30, "salon")
    services.award(bo, Action.ATTENDED, ("rsvp", 1), amount=20, community_id=public.pk, now=old)
    services.award(cy, Action.ATTENDED, ("rsvp", 2), amount=30, community_id=private.pk)
    services.award(
        cy, Action.HELPFUL, ("reply", 3), amount=20, counterpart=owner, community_id=private.pk
    )
    return ann, bo, cy


def test_the_platform_board_of_all_time_and_of_this_month(scores, owner):
    assert board(owner) == [("Cy", 50), ("Ann", 30), ("Bo", 20)]
    assert board(owner, period="month") == [("Cy", 50), ("Ann", 30)]


def test_a_community_board_counts_only_what_was_earned_there(scores, public, private, owner):
    assert board(owner, slug=public.slug) == [("Bo", 20)]
    assert board(owner, slug=private.slug) == [("Cy", 50)]


def test_a_private_communitys_board_is_hidden_from_outsiders_like_a_missing_one(scores, private):
    with pytest.raises(Http404):
        services.leaderboard(veteran(), slug=private.slug)
    assert client_for(None).get(f"/c/{private.slug}/leaderboard/").status_code == 404
    response = client_for(veteran()).get(f"/api/v1/leaderboard?community={private.slug}")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_member_who_hides_is_left_out_and_spending_keeps_the_place(scores, operator, owner):
    ann, _bo, cy = scores
    services.set_leaderboard_visibility(cy, True)
    reward = services.create_reward(operator, kind="merchandise", title="Mug", price=25, stock=9)
    services.redeem(ann, reward.pk)
    assert board(owner) == [("Ann", 30), ("Bo", 20)]
    services.set_leaderboard_visibility(cy, False)
    assert board(owner)[0] == ("Cy", 50)


def test_visitors_do_not_see_members_only_profiles(scores):
    bo = scores[1]
    bo.visibility = Visibility.MEMBERS
    bo.save()
    assert board(None) == [("Cy", 50), ("Ann", 30)]


def test_an_unknown_period_is_refused():
    with pytest.raises(ValidationError):
        services.leaderboard(None, period="week")
    response = client_for(None).get("/api/v1/leaderboard?period=week")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "period"


def test_the_leaderboard_page_and_api_keep_a_fixed_query_budget(
    scores, public, owner, django_assert_max_num_queries
):
    for i in range(20):
        services.award(veteran(), Action.ATTENDED, ("rsvp", 100 + i), community_id=public.pk)
    browser = client_for(owner)
    for url in ("/points/leaderboard/", f"/c/{public.slug}/leaderboard/?period=month"):
        with django_assert_max_num_queries(10):
            assert browser.get(url).status_code == 200
    with django_assert_max_num_queries(6):
        answer = browser.get("/api/v1/leaderboard")
    assert answer.status_code == 200 and len(answer.json()) == 23
