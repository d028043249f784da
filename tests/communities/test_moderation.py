import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from seedbed.communities import services
from seedbed.communities.models import ContentStatus, ModerationAction, Report, Role
from seedbed.search import services as search
from tests.communities.conftest import add_member, client_for
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spam(public, member_of_public):
    return services.create_post(
        member_of_public, public.slug, title="Cheap followers zqxspam", body="Buy now zqxspam"
    )


def test_any_member_who_can_read_reports_and_moderators_see_the_queue(public, spam, owner):
    reader = add_member(public)
    report = services.report_content(reader, post_id=spam.pk, reason="Spam")
    assert list(services.moderation_queue(owner, public.slug)) == [report]
    with pytest.raises(PermissionDenied):
        services.moderation_queue(reader, public.slug)


def test_operators_see_every_communitys_queue(public, spam):
    services.report_content(add_member(public), post_id=spam.pk, reason="Spam")
    operator = MemberFactory(is_staff=True)
    assert services.moderation_queue(operator).count() == 1
    with pytest.raises(PermissionDenied):
        services.moderation_queue(add_member(public))


def test_hiding_takes_a_post_out_of_pages_feeds_and_search_and_restoring_brings_it_back(
    public, spam, owner
):
    reader = add_member(public)
    services.report_content(reader, post_id=spam.pk, reason="Spam")
    services.moderate(owner, action="hide", post_id=spam.pk)
    with pytest.raises(Http404):
        services.get_post(reader, spam.pk)
    assert spam not in services.home_feed(reader)[0]
    assert search.search("zqxspam", member_community_ids=[public.pk]).total == 0
    assert Report.objects.get().status == Report.Status.RESOLVED
    assert services.get_post(owner, spam.pk)[0].status == ContentStatus.HIDDEN
    services.moderate(owner, action="restore", post_id=spam.pk)
    assert services.get_post(reader, spam.pk)[0] == spam
    assert search.search("zqxspam", member_community_ids=[public.pk]).total == 1


def test_a_removed_post_is_gone_for_everyone_including_moderators(public, spam, owner):
    services.moderate(owner, action="remove", post_id=spam.pk)
    with pytest.raises(Http404):
        services.get_post(owner, spam.pk)
    assert client_for(None).get(f"/p/{spam.pk}/").status_code == 404


def test_replies_are_moderated_too(public, spam, owner, member_of_public):
    reply = services.create_reply(member_of_public, spam.pk, body="more zqxreply")
    services.moderate(owner, action="remove", reply_id=reply.pk)
    reader = add_member(public)
    assert list(services.post_replies(spam, services.get_post(reader, spam.pk)[1])) == []
    assert search.search("zqxreply", member_community_ids=[public.pk]).total == 0
    spam.refresh_from_db()
    assert spam.reply_count == 0


def test_members_cannot_moderate(public, spam):
    with pytest.raises(PermissionDenied):
        services.moderate(add_member(public), action="hide", post_id=spam.pk)


def test_outsiders_cannot_even_learn_a_private_post_exists(private, member_of_private, outsider):
    post = services.create_post(member_of_private, private.slug, title="t", body="b")
    with pytest.raises(Http404):
        services.moderate(outsider, action="hide", post_id=post.pk)
    with pytest.raises(Http404):
        services.report_content(outsider, post_id=post.pk, reason="x")


def test_every_moderator_action_is_in_the_audit_log(public, spam, owner, member_of_public):
    services.moderate(owner, action="hide", post_id=spam.pk)
    services.set_pinned(owner, spam.pk, True)
    services.remove_member(owner, public.slug, member_of_public.pk, ban=True, reason="spammer")
    moderator = add_member(public, role=Role.MODERATOR)
    actions = [a.action for a in services.audit_log(moderator, public.slug)]
    assert actions == ["ban", "pin", "hide"]
    entry = ModerationAction.objects.get(action="ban")
    assert (
        entry.actor == owner and entry.target_user == member_of_public and entry.note == "spammer"
    )


def test_the_moderation_page_lists_reports_for_moderators_only(public, spam, owner):
    services.report_content(add_member(public), post_id=spam.pk, reason="Looks like spam")
    assert (
        "Looks like spam" in client_for(owner).get(f"/c/{public.slug}/moderation/").content.decode()
    )
    assert client_for(add_member(public)).get(f"/c/{public.slug}/moderation/").status_code == 403


def test_dismissing_a_report_resolves_it_and_is_logged(public, spam, owner):
    report = services.report_content(add_member(public), post_id=spam.pk, reason="meh")
    services.dismiss_report(owner, report.pk)
    assert Report.objects.get().status == Report.Status.RESOLVED
    assert ModerationAction.objects.filter(action="dismiss").exists()
