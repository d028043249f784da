"""Reactions earn their author points, but not your own, not from accounts younger than a day,
not beyond the day's cap, and the same pair of members counts once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.engagement import rules, services
from seedbed.engagement.models import Action, PointEntry
from tests.engagement.conftest import join
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def balance(member) -> int:
    return services.standing_of(member).balance


def test_a_reaction_from_another_member_earns_the_author_a_point_once(post, author, fan):
    communities.toggle_reaction(fan, kind="like", post_id=post.pk)
    communities.toggle_reaction(fan, kind="like", post_id=post.pk)  # taken back
    communities.toggle_reaction(fan, kind="like", post_id=post.pk)  # and given again
    communities.toggle_reaction(fan, kind="celebrate", post_id=post.pk)
    assert balance(author) == rules.POINTS[Action.REACTION]
    entry = PointEntry.objects.get(member=author)
    assert (entry.counterpart, entry.community_id, entry.source_kind) == (
        fan,
        post.community_id,
        "post",
    )


def test_reacting_to_yourself_earns_nothing(post, author):
    communities.toggle_reaction(author, kind="like", post_id=post.pk)
    assert balance(author) == 0


def test_reactions_from_accounts_younger_than_a_day_earn_nothing(post, author, public):
    newcomer = join(public, MemberFactory(date_joined=timezone.now() - timedelta(hours=23)))
    communities.toggle_reaction(newcomer, kind="like", post_id=post.pk)
    assert balance(author) == 0
    day_old = join(public, MemberFactory(date_joined=timezone.now() - timedelta(hours=25)))
    communities.toggle_reaction(day_old, kind="like", post_id=post.pk)
    assert balance(author) == 1


def test_the_same_pair_counts_once_a_day_across_posts(post, author, fan, public):
    second = communities.create_post(author, public.slug, title="Another", body="b")
    reply = communities.create_reply(author, post.pk, body="more")
    communities.toggle_reaction(fan, kind="like", post_id=post.pk)
    communities.toggle_reaction(fan, kind="like", post_id=second.pk)
    communities.toggle_reaction(fan, kind="like", reply_id=reply.pk)
    assert balance(author) == 1
    tomorrow = timezone.now() + timedelta(days=1)
    assert services.award(author, Action.REACTION, second, counterpart=fan, now=tomorrow)
    assert balance(author) == 2


def test_a_day_earns_at_most_the_cap_per_action(post, author, public):
    cap = rules.DAILY_CAPS[Action.REACTION]
    for _ in range(cap + 5):
        communities.toggle_reaction(join(public), kind="like", post_id=post.pk)
    assert balance(author) == cap
    late = join(public)
    assert services.award(
        author, Action.REACTION, post, counterpart=late, now=timezone.now() + timedelta(days=1)
    )


def test_award_is_idempotent_per_source_and_refuses_unknown_actions(post, author, fan):
    first = services.award(author, Action.REACTION, post, counterpart=fan)
    assert first is not None
    assert services.award(author, Action.REACTION, ("post", post.pk), counterpart=fan) is None
    with pytest.raises(ValueError):
        services.award(author, "redemption", post)
    assert PointEntry.objects.filter(member=author).count() == 1


def test_the_asker_marks_a_reply_helpful_once_and_only_the_asker(post, author, fan, public):
    from django.core.exceptions import PermissionDenied

    reply = communities.create_reply(fan, post.pk, body="Charge more.")
    with pytest.raises(PermissionDenied):
        communities.posting.mark_helpful(fan, reply.pk)
    with pytest.raises(PermissionDenied):
        communities.posting.mark_helpful(join(public), reply.pk)
    communities.posting.mark_helpful(author, reply.pk)
    communities.posting.mark_helpful(author, reply.pk)
    assert balance(fan) == rules.POINTS[Action.HELPFUL]
    own = communities.create_reply(author, post.pk, body="Thanks")
    with pytest.raises(PermissionDenied):
        communities.posting.mark_helpful(author, own.pk)
