import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from seedbed.accounts.models import ApiToken
from seedbed.communities.models import Membership, Post, Reply
from seedbed.events.models import RSVP, RSVPStatus
from seedbed.library.models import Resource
from seedbed.matching.models import IntroStatus, Project
from seedbed.privacy.erasure import DELETED_NAME, delete_account
from seedbed.search.models import SearchDocument
from tests.factories import PASSWORD
from tests.privacy.conftest import CANARY

pytestmark = pytest.mark.django_db
User = get_user_model()


def _dump() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_removed_member_leaves_no_canary_anywhere_in_the_database(world):
    assert CANARY in _dump()  # the canary is there to be found before
    delete_account(world.member, keep_content=False)
    dump = _dump()
    assert CANARY not in dump, dump[max(0, dump.find(CANARY) - 300) : dump.find(CANARY) + 100]


def test_a_member_who_keeps_content_leaves_canaries_only_in_that_content(world):
    delete_account(world.member, keep_content=True)
    rows = json.loads(_dump())
    kept_models = {
        "communities.post",
        "communities.reply",
        "communities.report",
        "events.feedback",
        "library.rating",
        "library.resourcereport",
        "matching.intro",
        "matching.intromessage",
        "search.searchdocument",
    }
    leaks = [r for r in rows if CANARY in json.dumps(r) and r["model"] not in kept_models]
    leaks += [
        r
        for r in rows
        if r["model"] == "search.searchdocument"
        and CANARY in json.dumps(r)
        and r["fields"]["kind"] not in ("post", "reply")
    ]
    assert [(r["model"], r["pk"]) for r in leaks] == []
    post = Post.objects.select_related("author").get(pk=world.post_alone)
    assert post.title.startswith(CANARY) and post.author.display_name == DELETED_NAME


def test_the_account_is_anonymised_and_can_never_log_in_again(world):
    delete_account(world.member, keep_content=True)
    user = User.objects.get(pk=world.member.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.display_name == DELETED_NAME and user.email.endswith("@deleted.invalid")
    assert not user.bio and not user.city and not user.skills.exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not SearchDocument.objects.filter(kind="member", object_id=user.pk).exists()
    assert not Client().login(email=world.member.email, password=PASSWORD)


def test_removing_content_keeps_others_replies_under_the_members_posts(world):
    delete_account(world.member, keep_content=False)
    assert not Post.objects.filter(pk=world.post_alone).exists()
    answered = Post.objects.get(pk=world.post_answered)
    assert answered.title == "[deleted]" and answered.body == ""
    assert list(answered.replies.values_list("pk", flat=True)) == [world.neighbour_reply]
    assert answered.reply_count == 1
    assert not Reply.objects.filter(author=world.member).exists()
    assert Reply.objects.get(pk=world.neighbour_reply).reaction_count == 0
    book = Resource.objects.get(title="Shared book")
    assert (book.rating_count, book.rating_sum) == (0, 0)
    titles = SearchDocument.objects.filter(thread_id=world.post_answered).values_list(
        "title", flat=True
    )
    assert set(titles) == {"[deleted]"}


def test_their_seat_goes_to_the_waitlist_and_pending_intros_are_withdrawn(world):
    delete_account(world.member, keep_content=True)
    assert RSVP.objects.get(user=world.waiting).status == RSVPStatus.CONFIRMED
    world.intro.refresh_from_db()
    assert world.intro.status == IntroStatus.WITHDRAWN
    project = Project.objects.get(slug="zq-project")
    assert project.funding_notes == "" and not project.team.exists()


def test_the_page_deletes_with_the_password_and_signs_out(world):
    client = _login(world.member)
    page = client.get("/account/delete/")
    assert page.status_code == 200 and "Delete my account" in page.content.decode()
    response = client.post("/account/delete/", {"content": "remove", "password": PASSWORD})
    assert response.status_code == 200
    assert not User.objects.get(pk=world.member.pk).is_active
    assert client.get("/me/profile/").status_code == 302  # signed out


def test_a_session_elsewhere_ends_when_the_account_is_deleted(world):
    elsewhere = _login(world.member)
    delete_account(world.member, keep_content=True)
    assert elsewhere.get("/me/profile/").status_code == 302
    assert elsewhere.get("/api/v1/me").status_code == 401


def test_a_wrong_password_or_no_choice_is_a_form_error_and_nothing_changes(world):
    client = _login(world.member)
    wrong = client.post("/account/delete/", {"content": "keep", "password": "nope"})
    assert wrong.status_code == 200 and wrong.context["form"].errors["password"]
    missing = client.post("/account/delete/", {"password": PASSWORD})
    assert missing.context["form"].errors["content"]
    assert User.objects.get(pk=world.member.pk).is_active


def test_the_last_owner_of_a_community_is_refused_with_a_clear_message(world, owned_community):
    client = _login(world.member)
    page = client.get("/account/delete/")
    assert "Only mine" in page.content.decode()
    response = client.post("/account/delete/", {"content": "keep", "password": PASSWORD})
    assert "last owner of Only mine" in str(response.context["form"].non_field_errors())
    assert User.objects.get(pk=world.member.pk).is_active
    api = _login(world.member).delete(
        "/api/v1/me",
        {"password": PASSWORD, "keep_content": True},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "rule_broken"


def test_an_archived_community_does_not_block_deletion(world, owned_community):
    owned_community.archived_at = owned_community.created_at
    owned_community.save()
    delete_account(world.member, keep_content=True)
    assert not User.objects.get(pk=world.member.pk).is_active


def test_the_api_deletes_with_the_password(world):
    token = ApiToken.objects.create(
        user=world.member, name="script", digest=ApiToken.digest_of("sbt_x"), hint="sbt_x"
    )
    api = Client(HTTP_AUTHORIZATION="Bearer sbt_x")
    wrong = api.delete(
        "/api/v1/me", {"password": "no", "keep_content": True}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "password"
    bad = api.delete("/api/v1/me", {"password": PASSWORD}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "keep_content"
    done = api.delete(
        "/api/v1/me", {"password": PASSWORD, "keep_content": False}, content_type="application/json"
    )
    assert done.status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api.get("/api/v1/me").status_code == 401


def test_visitors_may_not_delete(client):
    assert client.get("/account/delete/").status_code == 302
    assert client.post("/account/delete/", {"content": "keep"}).status_code == 302
    response = client.delete(
        "/api/v1/me", {"password": "x", "keep_content": True}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_admin_delete_goes_through_the_same_erasure(world, admin_client):
    response = admin_client.post(f"/admin/accounts/user/{world.member.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    user = User.objects.get(pk=world.member.pk)
    assert not user.is_active and user.display_name == DELETED_NAME
    assert not Post.objects.filter(pk=world.post_alone).exists()


def test_the_delete_page_has_a_query_budget(world, django_assert_max_num_queries):
    client = _login(world.member)
    with django_assert_max_num_queries(12):
        assert client.get("/account/delete/").status_code == 200


def test_the_delete_page_is_translated(world):
    client = _login(world.member)
    page = client.get("/account/delete/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "删除我的账户" in page


def test_the_admin_bulk_action_erases_each_member_and_its_log_names_no_one(world, admin_client):
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [world.member.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=world.member.pk).display_name == DELETED_NAME
    assert not [e for e in LogEntry.objects.all() if CANARY in e.object_repr]


def test_a_deleted_members_profile_is_gone_like_a_missing_one(world):
    viewer = _login(world.owner)
    assert viewer.get(f"/members/{world.member.pk}/").status_code == 200
    delete_account(world.member, keep_content=True)
    assert viewer.get(f"/members/{world.member.pk}/").status_code == 404
    assert viewer.get(f"/api/v1/members/{world.member.pk}").status_code == 404


def test_deleting_twice_changes_nothing_more(world):
    first = delete_account(world.member, keep_content=True)
    again = delete_account(first, keep_content=False)
    assert again.email == first.email
    assert Post.objects.filter(author=first).count() == 2


def test_an_apps_erase_member_hook_runs_inside_the_deletion(world, monkeypatch):
    seen = []
    config = apps.get_app_config("library")
    monkeypatch.setattr(
        config, "erase_member", lambda user, keep: seen.append((user.pk, keep)), raising=False
    )
    delete_account(world.member, keep_content=False)
    assert seen == [(world.member.pk, False)]


def test_password_guesses_through_the_deletion_form_are_rate_limited(world):
    client = _login(world.member)
    for _ in range(5):
        client.post("/account/delete/", {"content": "keep", "password": "guess"})
    response = client.post("/account/delete/", {"content": "keep", "password": PASSWORD})
    assert "very fast" in str(response.context["form"].non_field_errors())
    assert User.objects.get(pk=world.member.pk).is_active
    api = client.delete(
        "/api/v1/me", {"password": PASSWORD, "keep_content": True}, content_type="application/json"
    )
    assert api.status_code == 429 and api.json()["code"] == "rate_limited"


def test_deletion_has_a_query_budget_for_this_members_data(world, django_assert_max_num_queries):
    """Deletion is a one-off write that grows with what the member wrote (each removed thread
    is recounted and re-indexed); this budget catches a loop over everyone else's rows."""
    client = _login(world.member)
    with django_assert_max_num_queries(160):
        client.post("/account/delete/", {"content": "remove", "password": PASSWORD})
    assert not User.objects.get(pk=world.member.pk).is_active


def test_the_admin_is_refused_for_a_last_owner_and_says_why(world, owned_community, admin_client):
    response = admin_client.post(
        f"/admin/accounts/user/{world.member.pk}/delete/", {"post": "yes"}, follow=True
    )
    page = response.content.decode()
    assert "last owner of Only mine" in page and "was deleted successfully" not in page
    assert User.objects.get(pk=world.member.pk).is_active
