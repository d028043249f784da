from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.notifications import services
from seedbed.notifications.context_processors import notifications as badge
from seedbed.notifications.models import Notification, NotificationSettings
from seedbed.notifications.tasks import send_digests
from tests.notifications.conftest import ABOUT, client_for, send

pytestmark = pytest.mark.django_db


def test_unread_notifications_show_in_the_top_bar_and_can_be_marked_read(world, reader, actor):
    communities.create_reply(actor, world["post"].pk, body=f"@{reader.handle} have a look")
    assert services.unread_count(reader) == 1
    page = client_for(reader).get("/members/").content.decode()
    assert 'class="badge">1<' in page
    client_for(reader).post("/notifications/")
    assert services.unread_count(reader) == 0


def test_the_api_lists_unread_notifications_and_marks_chosen_ones_read(world, reader, actor):
    first, second = (send(code, world, reader, actor) for code in ("mention", "invitation"))
    api = client_for(reader)
    assert api.get("/api/v1/notifications/unread-count").json() == {"count": 2}
    assert api.post(
        "/api/v1/notifications/read", {"ids": [first.pk]}, content_type="application/json"
    ).json() == {"count": 1}
    unread = api.get("/api/v1/notifications?unread=true").json()["items"]
    assert [item["id"] for item in unread] == [second.pk]


def test_visitors_are_sent_to_sign_in_and_the_api_asks_for_a_member():
    visitor = Client()
    for path in ("/notifications/", "/notifications/settings/"):
        assert visitor.get(path)["Location"].startswith("/accounts/login/")
    for path in ("/api/v1/notifications", "/api/v1/notifications/unread-count"):
        assert visitor.get(path).status_code == 401
    assert visitor.post("/api/v1/notifications/read", {}).status_code == 401


@pytest.mark.parametrize("each", [1, 4])
def test_the_inbox_badge_and_api_keep_their_query_budgets_with_every_kind(
    world, reader, actor, each, django_assert_max_num_queries
):
    for code in ABOUT:
        for _ in range(each):
            send(code, world, reader, actor)
    client = client_for(reader)
    with django_assert_max_num_queries(5):
        page = client.get("/notifications/")
    assert page.content.decode().count("<li class=") == each * len(ABOUT)
    request = RequestFactory().get("/")
    request.user = reader
    with django_assert_max_num_queries(1):
        assert badge(request) == {"unread_notifications": each * len(ABOUT)}
    with django_assert_max_num_queries(5):
        items = client.get("/api/v1/notifications?page_size=100").json()["items"]
    assert len(items) == each * len(ABOUT)


def test_the_digest_mails_new_posts_and_unread_notifications_once_on_commit(
    world, reader, actor, django_capture_on_commit_callbacks
):
    NotificationSettings.objects.create(user=reader, digest="daily")
    communities.create_post(actor, world["community"].slug, title="Demo day recap", body="b")
    send("join_request", world, reader, actor)
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_digests.enqueue("daily").return_value
    assert sent == 1
    [message] = mail.outbox
    assert message.to == [reader.email] and message.subject == "Your Seedbed digest"
    assert "Demo day recap" in message.body
    assert "Alan Actor asked to join Founders Circle." in message.body
    assert "http://" in message.body and "/c/founders-circle/requests/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.enqueue("daily").return_value == 0


def test_members_who_chose_never_get_no_digest(reader):
    NotificationSettings.objects.create(user=reader, digest="never")
    assert reader not in services.members_due_a_digest("daily")
    assert reader not in services.members_due_a_digest("weekly")


def test_the_digest_is_in_chinese_for_chinese_speakers(
    world, reader, actor, django_capture_on_commit_callbacks
):
    reader.languages = ["zh"]
    reader.save()
    communities.create_post(actor, world["community"].slug, title="路演回顾", body="b")
    send("seat_confirmed", world, reader, actor)
    NotificationSettings.objects.create(
        user=reader, digest="weekly", last_digest_at=timezone.now() - timedelta(days=7)
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_digests.enqueue("weekly")
    message = next(m for m in mail.outbox if m.to == [reader.email])
    assert message.subject == "你的 Seedbed 摘要"
    assert "你好" in message.body and "路演回顾" in message.body
    assert "你已获得 Spring pitch night 的名额。" in message.body


def test_the_command_queues_the_digests(capsys):
    call_command("send_digests", "daily")
    assert "Queued the daily digests" in capsys.readouterr().out


def test_choosing_a_digest_frequency(reader):
    client_for(reader).post("/notifications/settings/", {"digest": "daily"})
    assert NotificationSettings.objects.get(user=reader).digest == "daily"
    response = client_for(reader).post("/notifications/settings/", {"digest": "hourly"})
    assert response.status_code == 200 and response.context["form"].errors
    assert NotificationSettings.objects.get(user=reader).digest == "daily"
    assert Notification.objects.count() == 0


def test_a_seat_says_when_the_event_starts_through_its_own_inbox_partial(world, reader, actor):
    send("seat_confirmed", world, reader, actor)
    page = client_for(reader).get("/notifications/").content.decode()
    assert "You have a seat at Spring pitch night." in page
    assert world["event"].starts_at.astimezone(world["event"].tz).strftime("%Y-%m-%d %H:%M") in page
