from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from seedbed.communities import services
from seedbed.communities.models import Notification, NotificationSettings, Post
from seedbed.communities.tasks import send_digests
from tests.communities.conftest import add_member, client_for

pytestmark = pytest.mark.django_db


def _posts(user, community, n):
    return [
        services.create_post(user, community.slug, title=f"Post {i}", body="b") for i in range(n)
    ]


def test_the_feed_is_newest_first_across_my_communities_only(public, private, owner):
    me = add_member(public)
    add_member(private, me)
    other = services.create_community(owner, name="Elsewhere")
    a = services.create_post(owner, public.slug, title="A", body="b")
    services.create_post(owner, other.slug, title="Not mine", body="b")
    c = services.create_post(owner, private.slug, title="C", body="b")
    posts, cursor = services.home_feed(me)
    assert posts == [c, a] and cursor == ""


def test_the_feed_cursor_never_skips_or_repeats_even_when_new_posts_arrive(settings, public, owner):
    settings.POSTING_RATE_LIMITS = [(1000, 60)]
    me = add_member(public)
    _posts(owner, public, 25)
    first, cursor = services.home_feed(me, limit=10)
    services.create_post(owner, public.slug, title="Brand new", body="b")
    second, cursor2 = services.home_feed(me, cursor, limit=10)
    third, cursor3 = services.home_feed(me, cursor2, limit=10)
    seen = [p.title for p in first + second + third]
    assert seen == [f"Post {i}" for i in range(24, -1, -1)]
    assert cursor3 == ""


def test_a_tampered_cursor_is_a_404_not_a_500(public, owner):
    me = add_member(public)
    assert client_for(me).get("/feed/?cursor=not-a-cursor").status_code == 404
    assert client_for(me).get("/api/v1/feed?cursor=%%%").status_code == 400


def test_unread_notifications_show_in_the_top_bar_and_can_be_marked_read(public, owner):
    me = add_member(public)
    post = services.create_post(me, public.slug, title="Q", body="b")
    services.create_reply(owner, post.pk, body=f"@{me.handle} answer")
    assert services.unread_count(me) == 1
    page = client_for(me).get("/members/").content.decode()
    assert 'class="badge">1<' in page
    client_for(me).post("/notifications/")
    assert services.unread_count(me) == 0


def test_notifications_about_content_i_can_no_longer_read_disappear(private, owner):
    me = add_member(private)
    post = services.create_post(me, private.slug, title="Q", body="b")
    services.create_reply(owner, post.pk, body="answer")
    assert services.unread_count(me) == 1
    services.leave_community(me, private.slug)
    assert services.unread_count(me) == 0


def test_the_digest_mails_new_posts_once_on_commit(
    public, owner, django_capture_on_commit_callbacks
):
    me = add_member(public)
    NotificationSettings.objects.create(user=me, digest="daily")
    services.create_post(owner, public.slug, title="Demo day recap", body="b")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_digests.enqueue("daily").return_value
    assert sent == 1
    assert [m.to for m in mail.outbox] == [[me.email]]
    assert "Demo day recap" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.enqueue("daily").return_value == 0


def test_members_who_chose_never_get_no_digest(public, owner):
    me = add_member(public)
    NotificationSettings.objects.create(user=me, digest="never")
    services.create_post(owner, public.slug, title="x", body="b")
    assert me not in services.members_due_a_digest("daily")
    assert me not in services.members_due_a_digest("weekly")


def test_the_digest_is_in_chinese_for_chinese_speakers(
    public, owner, django_capture_on_commit_callbacks
):
    me = add_member(public)
    me.languages = ["zh"]
    me.save()
    Post.objects.all().delete()
    services.create_post(owner, public.slug, title="路演回顾", body="b")
    NotificationSettings.objects.create(
        user=me, digest="weekly", last_digest_at=timezone.now() - timedelta(days=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_digests.enqueue("weekly")
    mine = next(m for m in mail.outbox if m.to == [me.email])
    assert "路演回顾" in mine.body
    assert "你好" in mine.body


def test_choosing_a_digest_frequency(public):
    me = add_member(public)
    client_for(me).post("/notifications/settings/", {"digest": "daily"})
    assert NotificationSettings.objects.get(user=me).digest == "daily"
    response = client_for(me).post("/notifications/settings/", {"digest": "hourly"})
    assert response.status_code == 200 and response.context["form"].errors
    assert Notification.objects.count() == 0
