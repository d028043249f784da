import json

import pytest
from django.apps import apps
from django.test import Client

from seedbed.accounts.models import ApiToken
from seedbed.communities.models import Membership, ModerationAction, Post
from tests.factories import MemberFactory
from tests.privacy.conftest import CANARY, SECRET, canary

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _download(user) -> dict:
    response = _login(user).post("/account/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_export_holds_the_members_profile_and_everything_they_wrote(world):
    data = _download(world.member)
    assert data["profile"]["email"] == world.member.email
    assert data["profile"]["bio"] == canary("bio")
    assert data["profile"]["skills"] == [canary("skill")]
    assert {p["title"] for p in data["posts"]} == {canary("title1"), canary("title2")}
    assert [r["body"] for r in data["replies"]] == [canary("reply")]
    assert data["reactions"][0]["reply_id"] == world.neighbour_reply
    assert data["memberships"]["communities"][0]["community"] == "makers"
    rsvp = data["events"]["rsvps"][0]
    assert rsvp["status"] == "confirmed" and rsvp["ticket_code"]
    assert data["events"]["feedback"][0]["comment"] == canary("feedback")
    assert data["matching"]["projects"][0]["funding_notes"] == canary("funding")
    assert data["matching"]["offers"][0]["title"] == canary("offer")
    assert {i["my_request_message"] for i in data["matching"]["intros"]} == {canary("intro"), ""}
    assert [m["body"] for m in data["matching"]["my_intro_messages"]] == [canary("message")]
    assert data["notifications"]["items"][0]["kind"] == "reply"
    assert data["account"]["api_tokens"][0]["name"] == canary("token")
    assert data["library"]["ratings"][0]["review"] == canary("review")
    assert data["library"]["reports"][0]["reason"] == canary("libreport")
    assert data["library"]["shelf"][0]["saved_at"]
    assert [b["code"] for b in data["points"]["badges"]] == ["first_post"]


def test_nothing_private_of_another_member_is_in_the_export(world):
    ModerationAction.objects.create(
        community_id=world.event.community_id, action="hide", note=f"{SECRET}note"
    )
    text = json.dumps(_download(world.member), ensure_ascii=False)
    assert SECRET not in text  # their e-mail, their side's messages, their offer, mod notes
    assert world.neighbour.email not in text
    assert "d" * 64 not in text  # a token's digest never leaves the server


def test_another_members_export_holds_none_of_the_members_data(world):
    text = json.dumps(_download(world.owner), ensure_ascii=False)
    assert CANARY not in text


def test_the_api_gives_the_same_export(world):
    ApiToken.objects.create(
        user=world.member, name="script", digest=ApiToken.digest_of("sbt_y"), hint="sbt_y"
    )
    response = Client(HTTP_AUTHORIZATION="Bearer sbt_y").get("/api/v1/me/export")
    assert response.status_code == 200
    data = response.json()
    assert data["profile"]["email"] == world.member.email
    assert SECRET not in json.dumps(data)


def test_visitors_get_a_login_redirect_or_a_401(client):
    assert client.get("/account/export/").status_code == 302
    assert client.post("/account/export/").status_code == 302
    response = client.get("/api/v1/me/export")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_the_export_is_rate_limited(world, settings):
    settings.EXPORT_RATE_LIMITS = [(2, 3600)]
    client = _login(world.member)
    assert client.post("/account/export/").status_code == 200
    assert client.get("/api/v1/me/export").status_code == 200
    page = client.post("/account/export/")
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert "You are going very fast" in page.content.decode()
    api = client.get("/api/v1/me/export")
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"


def test_the_export_costs_the_same_queries_however_much_the_member_wrote(
    world, django_assert_max_num_queries
):
    client = _login(world.member)
    with django_assert_max_num_queries(40) as few:
        client.post("/account/export/")
    busy = MemberFactory()
    Membership.objects.create(community_id=world.event.community_id, user=busy)
    Post.objects.bulk_create(
        Post(community_id=world.event.community_id, author=busy, title=f"t{i}", body="b")
        for i in range(30)
    )
    busy_client = _login(busy)
    with django_assert_max_num_queries(len(few.captured_queries)):
        busy_client.post("/account/export/")


def test_the_export_page_explains_and_is_translated(world, django_assert_max_num_queries):
    client = _login(world.member)
    with django_assert_max_num_queries(8):
        page = client.get("/account/export/")
    assert page.status_code == 200 and "Download my data" in page.content.decode()
    zh = client.get("/account/export/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "下载我的数据" in zh


def test_the_profile_page_links_to_export_and_deletion(member_client):
    page = member_client.get("/me/profile/").content.decode()
    assert "/account/export/" in page and "/account/delete/" in page


def test_an_app_adds_its_own_section_through_its_appconfig(world, monkeypatch):
    config = apps.get_app_config("library")
    monkeypatch.setattr(
        config,
        "export_sections",
        lambda: {"reading_list": lambda user: [f"book of {user.pk}"]},
        raising=False,
    )
    data = _download(world.member)
    assert data["reading_list"] == [f"book of {world.member.pk}"]


def test_the_export_api_has_a_query_budget(world, django_assert_max_num_queries):
    client = _login(world.member)
    with django_assert_max_num_queries(40):
        assert client.get("/api/v1/me/export").status_code == 200
