"""One answer to "may this person do X here": the access object decides, the services enforce
it, and the pages show a button exactly when pressing it would work."""

import pytest
from django.core.exceptions import PermissionDenied

from seedbed.communities import services
from seedbed.communities.models import Role
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ACTORS = ["author", "member", "moderator", "owner", "outsider", "operator"]


@pytest.fixture
def world(public, owner):
    author = add_member(public)
    post = services.create_post(author, public.slug, title="Hello", body="b")
    reply = services.create_reply(author, post.pk, body="r")
    people = {
        "author": author,
        "member": add_member(public),
        "moderator": add_member(public, role=Role.MODERATOR),
        "owner": owner,
        "outsider": MemberFactory(),
        "operator": MemberFactory(is_staff=True),
    }
    return {"people": people, "post": post, "reply": reply, "community": public}


def _works(call) -> bool:
    try:
        call()
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("actor", ACTORS)
def test_the_edit_links_show_exactly_when_editing_works(world, actor):
    user, post, reply = world["people"][actor], world["post"], world["reply"]
    page = client_for(user).get(f"/p/{post.pk}/").content.decode()
    may_edit_post = _works(lambda: services.edit_post(user, post.pk, title="Edited"))
    may_edit_reply = _works(lambda: services.edit_reply(user, reply.pk, body="Edited"))
    assert (f"/p/{post.pk}/edit/" in page) == may_edit_post
    assert (f"/r/{reply.pk}/edit/" in page) == may_edit_reply
    assert may_edit_post == (actor in ("author", "moderator", "owner", "operator"))
    status = client_for(user).get(f"/p/{post.pk}/edit/").status_code
    assert status == (200 if may_edit_post else 403)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_report_link_shows_exactly_when_reporting_works(world, actor):
    user, post = world["people"][actor], world["post"]
    page = client_for(user).get(f"/p/{post.pk}/").content.decode()
    may_report = _works(lambda: services.report_content(user, reason="spam", post_id=post.pk))
    assert (f"/p/{post.pk}/report/" in page) == may_report
    assert may_report == (actor != "author")


@pytest.mark.parametrize("actor", ACTORS)
def test_pin_and_settings_show_exactly_when_they_work(world, actor):
    user, post, community = world["people"][actor], world["post"], world["community"]
    page = client_for(user).get(f"/p/{post.pk}/").content.decode()
    may_pin = _works(lambda: services.set_pinned(user, post.pk, True))
    may_manage = _works(lambda: services.community_for_editing(user, community.slug))
    assert (f"/p/{post.pk}/pin/" in page) == may_pin
    assert (f"/c/{community.slug}/edit/" in page) == may_manage
    assert may_manage == (actor in ("owner", "operator"))


def test_a_moderation_button_goes_back_to_its_page_never_to_the_referer(world):
    moderator, post = world["people"]["moderator"], world["post"]
    queue = f"/c/{world['community'].slug}/moderation/"
    browser = client_for(moderator)
    data = {"target": "post", "id": post.pk, "action": "hide"}
    answer = browser.post("/moderation/act/", data, HTTP_REFERER="http://testserver/feed/")
    assert answer.status_code == 302 and answer["Location"] == "/"
    answer = browser.post("/moderation/act/", {**data, "action": "restore", "next": queue})
    assert answer["Location"] == queue


@pytest.mark.parametrize("actor", ACTORS)
def test_the_insights_link_shows_exactly_when_the_insights_open(world, actor):
    user, community = world["people"][actor], world["community"]
    page = client_for(user).get(f"/c/{community.slug}/").content.decode()
    insights = f"/c/{community.slug}/insights/"
    opens = client_for(user).get(insights).status_code == 200
    assert (f'href="{insights}"' in page) == opens
    assert opens == (actor in ("moderator", "owner", "operator"))
