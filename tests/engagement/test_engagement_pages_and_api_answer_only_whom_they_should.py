"""Who may and who may not, on every engagement page and endpoint, with query budgets; bad
input answers a clear 4xx in the API's envelope."""

import json

import pytest

from seedbed.accounts.services import create_api_token
from seedbed.communities import services as communities
from seedbed.communities.models import Post
from seedbed.engagement import services
from seedbed.engagement.models import HelpfulMark, Redemption, TrustLevel
from tests.engagement.conftest import at_level, client_for, join, veteran

pytestmark = pytest.mark.django_db


def api(user, method: str, url: str, body: dict | None = None):
    client = client_for(None)
    headers = {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {create_api_token(user, 't')[1]}"
    call = getattr(client, method)
    if body is None:
        return call(f"/api/v1{url}", **headers)
    return call(f"/api/v1{url}", json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def reward(operator):
    return services.create_reward(operator, kind="pitch_slot", title="Pitch", price=10, stock=3)


@pytest.fixture
def member_with_points(operator):
    member = veteran()
    services.award_points(operator, member.pk, 40, "welcome")
    return member


def test_my_points_page_needs_sign_in_and_shows_only_my_ledger(
    member_with_points, operator, django_assert_max_num_queries
):
    assert client_for(None).get("/points/").status_code == 302
    browser = client_for(member_with_points)
    with django_assert_max_num_queries(14):
        page = browser.get("/points/")
    assert page.status_code == 200 and "welcome" in page.content.decode()
    assert "welcome" not in client_for(veteran()).get("/points/").content.decode()


def test_a_members_ledger_is_for_operators_only_on_pages_and_api(member_with_points, operator):
    url = f"/points/members/{member_with_points.pk}/"
    assert client_for(veteran()).get(url).status_code == 403
    assert client_for(operator).get(url).status_code == 200
    assert (
        api(veteran(), "get", f"/points/members/{member_with_points.pk}/ledger").status_code == 403
    )
    mine = api(member_with_points, "get", f"/points/members/{member_with_points.pk}/ledger")
    assert mine.status_code == 200 and mine.json()["items"][0]["reason"] == "welcome"
    assert api(operator, "get", "/points/members/999999/ledger").status_code == 404


def test_operators_award_and_reverse_through_page_and_api(member_with_points, operator):
    browser = client_for(operator)
    response = browser.post(
        f"/points/members/{member_with_points.pk}/", {"amount": "15", "reason": "speaker"}
    )
    assert response.status_code == 302
    assert services.standing_of(member_with_points).balance == 55
    entry = services.ledger(operator, member_with_points.pk).first()
    browser.post(
        f"/points/entries/{entry.pk}/reverse/",
        {"reason": "duplicate", "member": member_with_points.pk},
    )
    assert services.standing_of(member_with_points).balance == 40
    answer = api(
        operator,
        "post",
        f"/points/members/{member_with_points.pk}/awards",
        {"amount": 5, "reason": "x"},
    )
    assert answer.status_code == 201
    refused = api(
        operator, "post", f"/points/entries/{answer.json()['id']}/reversal", {"reason": ""}
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "reason"
    denied = api(
        member_with_points,
        "post",
        f"/points/members/{member_with_points.pk}/awards",
        {"amount": 5000, "reason": "me"},
    )
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"


def test_rewards_page_and_redeeming_through_page_and_api(
    reward, member_with_points, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        assert client_for(None).get("/rewards/").status_code == 200
    assert client_for(None).post(f"/rewards/{reward.pk}/redeem/").status_code == 302
    assert not Redemption.objects.exists()
    client_for(member_with_points).post(f"/rewards/{reward.pk}/redeem/")
    answer = api(member_with_points, "post", f"/rewards/{reward.pk}/redemptions")
    assert answer.status_code == 201 and answer.json()["status"] == "pending"
    assert Redemption.objects.filter(member=member_with_points).count() == 2
    poor = api(veteran(), "post", f"/rewards/{reward.pk}/redemptions")
    assert poor.status_code == 400 and poor.json()["code"] == "rule_broken"
    assert api(None, "post", f"/rewards/{reward.pk}/redemptions").status_code == 401
    assert api(veteran(), "get", "/redemptions?everyone=true").status_code == 403


def test_operators_manage_rewards_and_decide_redemptions(reward, member_with_points, operator):
    redemption = services.redeem(member_with_points, reward.pk)
    assert client_for(member_with_points).get("/rewards/manage/").status_code == 403
    browser = client_for(operator)
    page = browser.get("/rewards/manage/")
    assert page.status_code == 200 and member_with_points.display_name in page.content.decode()
    browser.post(f"/rewards/redemptions/{redemption.pk}/fulfil/", {"note": "done"})
    assert Redemption.objects.get(pk=redemption.pk).status == "fulfilled"
    refused = api(operator, "patch", f"/rewards/{reward.pk}", {"stock": -3})
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "stock"
    created = api(
        operator,
        "post",
        "/rewards",
        {"kind": "merchandise", "title": "Hoodie", "price": 80, "stock": 10},
    )
    assert created.status_code == 201
    everyone = api(operator, "get", "/redemptions?everyone=true")
    assert everyone.status_code == 200 and everyone.json()["count"] == 1
    assert (
        api(
            member_with_points,
            "post",
            "/rewards",
            {"kind": "merchandise", "title": "Mine", "price": 1, "stock": 1},
        ).status_code
        == 403
    )


def test_my_standing_api_says_what_the_next_level_needs(member_with_points):
    answer = api(member_with_points, "get", "/points/me")
    body = answer.json()
    assert answer.status_code == 200 and body["balance"] == 40
    assert body["level"] == "new" and body["next_level"]["level"] == "member"
    assert api(None, "get", "/points/me").status_code == 401
    assert (
        api(member_with_points, "put", "/points/me/leaderboards", {"hidden": True}).status_code
        == 204
    )
    assert services.standing_of(member_with_points).hide_from_leaderboards


def test_a_members_only_profiles_standing_is_hidden_from_visitors(member_with_points):
    member_with_points.visibility = "members"
    member_with_points.save()
    assert api(None, "get", f"/standings/{member_with_points.pk}").status_code == 404
    assert api(veteran(), "get", f"/standings/{member_with_points.pk}").status_code == 200


def test_mark_helpful_and_move_through_pages_and_api(public, private, post, author, fan, owner):
    reply = communities.create_reply(fan, post.pk, body="Charge more")
    assert client_for(fan).post(f"/r/{reply.pk}/helpful/").status_code == 403
    assert not HelpfulMark.objects.exists()
    page = client_for(author).get(f"/p/{post.pk}/").content.decode()
    assert f"/r/{reply.pk}/helpful/" in page
    client_for(author).post(f"/r/{reply.pk}/helpful/")
    assert HelpfulMark.objects.filter(reply=reply).exists()
    assert "Marked helpful by the asker" in client_for(None).get(f"/p/{post.pk}/").content.decode()
    assert api(fan, "post", f"/replies/{reply.pk}/helpful").status_code == 403
    outsider = veteran()
    assert (
        api(outsider, "post", f"/posts/{post.pk}/move", {"community": private.slug}).status_code
        == 403
    )
    assert client_for(fan).get(f"/p/{post.pk}/move/").status_code == 403
    leader = at_level(join(public), TrustLevel.LEADER)
    join(private, leader)
    assert f"/p/{post.pk}/move/" in client_for(leader).get(f"/p/{post.pk}/").content.decode()
    assert f"/p/{post.pk}/move/" not in client_for(fan).get(f"/p/{post.pk}/").content.decode()
    assert client_for(leader).get(f"/p/{post.pk}/move/").status_code == 200
    moved = api(leader, "post", f"/posts/{post.pk}/move", {"community": private.slug})
    assert moved.status_code == 200 and moved.json()["community"] == private.slug
    assert Post.objects.get(pk=post.pk).community == private
    assert client_for(None).get(f"/p/{post.pk}/").status_code == 404


def test_the_post_page_keeps_a_fixed_query_budget_with_helpful_marks(
    post, author, public, django_assert_max_num_queries
):
    for _ in range(8):
        reply = communities.create_reply(join(public), post.pk, body="idea")
        communities.posting.mark_helpful(author, reply.pk)
    browser = client_for(author)
    browser.get(f"/p/{post.pk}/")
    with django_assert_max_num_queries(16):
        assert browser.get(f"/p/{post.pk}/").status_code == 200


def test_standing_and_ledger_endpoints_keep_a_fixed_query_budget(
    member_with_points, operator, reward, django_assert_max_num_queries
):
    for i in range(25):
        services.award_points(operator, member_with_points.pk, i + 1, f"talk {i}")
    services.redeem(member_with_points, reward.pk)
    for url, who in (
        ("/points/me", member_with_points),
        ("/points/me/ledger", member_with_points),
        (f"/points/members/{member_with_points.pk}/ledger", operator),
        ("/redemptions?everyone=true", operator),
        ("/rewards", None),
    ):
        client = client_for(who)
        with django_assert_max_num_queries(8):
            assert client.get(f"/api/v1{url}").status_code == 200, url
    browser = client_for(operator)
    with django_assert_max_num_queries(12):
        assert browser.get(f"/points/members/{member_with_points.pk}/").status_code == 200
