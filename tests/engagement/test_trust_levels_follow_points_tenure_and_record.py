"""Trust levels come from points earned, tenure and the moderation record, are stored by the
recompute task, and change what a member may do: new members post less and their links show
as plain text; regulars' reports come first; leaders pin and move posts."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.communities.models import ModerationAction, Post, Report
from seedbed.core.ratelimit import RateLimited
from seedbed.engagement import services, tasks, trust
from seedbed.engagement.models import Standing, TrustLevel
from seedbed.notifications.models import Notification
from tests.engagement.conftest import at_level, join, veteran
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.mark.parametrize(
    ("points", "age_days", "strikes", "level"),
    [
        (0, 400, {}, TrustLevel.NEW),
        (10, 0, {}, TrustLevel.NEW),
        (10, 1, {}, TrustLevel.MEMBER),
        (10, 1, {30: 2}, TrustLevel.NEW),
        (99, 400, {}, TrustLevel.MEMBER),
        (100, 30, {}, TrustLevel.REGULAR),
        (100, 30, {90: 1, 30: 1}, TrustLevel.MEMBER),
        (400, 89, {}, TrustLevel.REGULAR),
        (400, 90, {}, TrustLevel.LEADER),
        (5000, 400, {180: 1}, TrustLevel.REGULAR),
    ],
)
def test_the_level_is_the_highest_whose_every_requirement_is_met(points, age_days, strikes, level):
    assert trust.level_for(points, NOW - timedelta(days=age_days), strikes, NOW) == level


def test_the_task_stores_levels_from_earned_points_and_hides_and_tells_the_member(operator):
    climber = veteran()
    services.award_points(operator, climber.pk, 150, "ran three salons")
    assert trust.level_of(climber) == TrustLevel.NEW
    tasks.recompute_levels()
    assert trust.level_of(climber) == TrustLevel.REGULAR
    assert Notification.objects.filter(recipient=climber, kind="level_changed").count() == 1
    ModerationAction.objects.create(
        community=communities.create_community(operator, name="X"),
        actor=operator,
        action="hide",
        target_user=climber,
    )
    tasks.recompute_levels()
    assert trust.level_of(climber) == TrustLevel.MEMBER
    assert tasks.recompute_levels() == 0  # nothing changed the second time


def test_spending_points_does_not_lower_the_level(operator):
    member = veteran()
    services.award_points(operator, member.pk, 120, "talks")
    reward = services.create_reward(operator, kind="merchandise", title="Mug", price=100, stock=3)
    services.redeem(member, reward.pk)
    tasks.recompute_levels()
    assert trust.level_of(member) == TrustLevel.REGULAR


def test_the_profile_progress_says_what_the_next_level_needs(operator):
    member = veteran()
    services.award_points(operator, member.pk, 40, "help")
    tasks.recompute_levels()
    progress = trust.progress(member)
    assert (progress.level, progress.next.level) == (TrustLevel.MEMBER, TrustLevel.REGULAR)
    assert (progress.points_missing, progress.days_missing, progress.strikes_over) == (60, 0, 0)


def test_a_new_members_links_show_as_plain_text_and_mentions_stay_links(public):
    newcomer = join(public, MemberFactory(handle="newbie"))
    helper = join(public, MemberFactory(handle="helper"))
    post = communities.create_post(
        newcomer,
        public.slug,
        title="t",
        body="See https://spam.example and [x](http://a.b) @helper",
    )
    assert "spam.example" in post.body_html and 'href="https://spam.example' not in post.body_html
    assert 'href="http://a.b' not in post.body_html
    assert f'href="{reverse("accounts:profile", args=[helper.pk])}"' in post.body_html
    at_level(newcomer, TrustLevel.MEMBER)
    later = communities.create_post(newcomer, public.slug, title="t", body="https://ok.example")
    assert 'href="https://ok.example"' in later.body_html


def test_new_members_post_at_most_the_daily_limit_but_moderators_do_not(settings, public, owner):
    settings.POSTING_RATE_LIMITS = [(1000, 60)]
    newcomer = join(public, MemberFactory())
    post = communities.create_post(newcomer, public.slug, title="first", body="b")
    for i in range(trust.NEW_MEMBER_POSTS_PER_DAY - 1):
        communities.create_reply(newcomer, post.pk, body=f"r{i}")
    with pytest.raises(RateLimited):
        communities.create_reply(newcomer, post.pk, body="one more")
    for i in range(trust.NEW_MEMBER_POSTS_PER_DAY + 1):
        communities.create_reply(owner, post.pk, body=f"owner {i}")
    member = join(public)
    at_level(member, TrustLevel.MEMBER)
    for i in range(trust.NEW_MEMBER_POSTS_PER_DAY + 1):
        communities.create_reply(member, post.pk, body=f"m {i}")


def test_titles_lose_control_characters(public, author):
    post = communities.create_post(author, public.slug, title="Hi\r\nBcc: x\u202e", body="b")
    assert post.title == "Hi Bcc: x"
    with pytest.raises(ValidationError):
        communities.create_post(author, public.slug, title="\x07\x1b", body="b")


def test_reports_by_regulars_and_leaders_come_first_in_the_queue(public, owner, post):
    plain = join(public)
    regular = at_level(join(public), TrustLevel.REGULAR)
    leader = at_level(join(public), TrustLevel.LEADER)
    other = communities.create_post(owner, public.slug, title="o", body="b")
    first = communities.report_content(plain, reason="spam", post_id=post.pk)
    second = communities.report_content(regular, reason="spam", post_id=other.pk)
    third = communities.report_content(leader, reason="rude", post_id=post.pk)
    assert list(communities.moderation_queue(owner, public.slug)) == [third, second, first]
    assert list(communities.moderation_queue(veteran(is_staff=True))) == [third, second, first]


def test_leaders_pin_and_move_posts_in_communities_they_belong_to(public, private, post, owner):
    leader = at_level(join(public), TrustLevel.LEADER)
    regular = at_level(join(public), TrustLevel.REGULAR)
    join(private, regular)
    with pytest.raises(PermissionDenied):
        communities.set_pinned(regular, post.pk, True)
    with pytest.raises(PermissionDenied):
        communities.posting.move_post(regular, post.pk, private.slug)
    assert communities.set_pinned(leader, post.pk, True).pinned
    with pytest.raises(Exception) as refused:  # the leader does not belong to the private one
        communities.posting.move_post(leader, post.pk, private.slug)
    assert refused.type.__name__ == "Http404"
    report = communities.report_content(regular, reason="off topic", post_id=post.pk)
    join(private, leader)
    communities.posting.move_post(leader, post.pk, private.slug)
    assert Post.objects.get(pk=post.pk).community == private
    assert Report.objects.get(pk=report.pk).community == private
    assert ModerationAction.objects.filter(action="move", post=post).count() == 2
    with pytest.raises(ValidationError):
        communities.posting.move_post(leader, post.pk, private.slug)


def test_a_leader_outside_the_community_cannot_pin_there(public, post):
    outsider = at_level(veteran(), TrustLevel.LEADER)
    join(communities.create_community(outsider, name="Elsewhere"), outsider)
    with pytest.raises(PermissionDenied):
        communities.set_pinned(outsider, post.pk, True)
    assert not Standing.objects.filter(member=outsider, level=TrustLevel.NEW).exists()
