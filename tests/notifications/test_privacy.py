"""A notification about something the reader may no longer read is not shown anywhere: not in
the inbox, the badge, the API or the digest, and its title with it."""

import pytest
from django.core import mail

from seedbed.communities import services as communities
from seedbed.communities.models import ContentStatus, Visibility
from seedbed.notifications import services
from seedbed.notifications.models import Notification
from seedbed.notifications.services import notify
from tests.factories import MemberFactory
from tests.notifications.conftest import client_for, send

pytestmark = pytest.mark.django_db

ABOUT_THE_CLUB = ["mention", "reply", "join_request", "request_approved"]
ABOUT_ITS_EVENT = ["seat_confirmed", "event_message"]
TITLES = ["Pricing our first robot", "Spring pitch night", "Founders Circle"]


def _everything_the_reader_is_shown(reader, django_capture_on_commit_callbacks) -> str:
    client = client_for(reader)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_digest(reader, "weekly")
    return "\n".join(
        [
            client.get("/notifications/").content.decode(),
            client.get("/api/v1/notifications").content.decode(),
            *(m.body for m in mail.outbox),
        ]
    )


def test_leaving_a_private_community_takes_its_notifications_and_titles_away(
    world, reader, actor, django_capture_on_commit_callbacks
):
    for code in ABOUT_THE_CLUB + ABOUT_ITS_EVENT:
        send(code, world, reader, actor)
    assert services.unread_count(reader) == 6
    communities.leave_community(reader, world["community"].slug)
    assert services.unread_count(reader) == 0
    assert services.inbox(reader) == []
    shown = _everything_the_reader_is_shown(reader, django_capture_on_commit_callbacks)
    assert not any(title in shown for title in TITLES)
    assert Notification.objects.filter(recipient=reader).count() == 6


def test_a_hidden_post_or_a_removed_reply_takes_its_notifications_away(world, reader, actor):
    club, post = world["community"], world["post"]
    [mention] = notify([reader], "mention", actor=actor, community=club, post=post)
    send("reply", world, reader, actor)
    world["reply"].status = ContentStatus.REMOVED
    world["reply"].save()
    assert [item.notification for item in services.inbox(reader)] == [mention]
    post.status = ContentStatus.HIDDEN
    post.save()
    assert services.inbox(reader) == []


def test_an_invitation_names_the_hidden_community_only_to_the_invitee(reader, actor):
    board = communities.create_community(actor, name="Board Room", visibility=Visibility.HIDDEN)
    communities.invite_member(actor, board.slug, reader.handle)
    [item] = services.inbox(reader)
    assert item.text == "Alan Actor invited you to join Board Room." and item.url == ""
    stranger = MemberFactory()
    assert services.inbox(stranger) == []
    assert "Board Room" not in client_for(stranger).get("/notifications/").content.decode()


def test_no_one_reads_or_marks_another_members_notifications(world, reader, actor):
    note = send("mention", world, reader, actor)
    other = MemberFactory()
    assert services.unread_count(other) == 0
    assert services.mark_notifications_read(other, [note.pk]) == 0
    note.refresh_from_db()
    assert note.read_at is None
