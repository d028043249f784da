"""Hiding, removing or deleting content takes its points back with linked entries; restoring
gives them back; nothing is ever edited in place."""

import pytest

from seedbed.communities import services as communities
from seedbed.engagement import services
from seedbed.engagement.models import Action, PointEntry

pytestmark = pytest.mark.django_db


def balance(member) -> int:
    return services.standing_of(member).balance


@pytest.fixture
def earned(post, author, fan):
    communities.toggle_reaction(fan, kind="like", post_id=post.pk)
    assert balance(author) == 1
    return PointEntry.objects.get(member=author)


def test_hiding_reverses_with_a_linked_entry_and_restoring_gives_back(earned, post, author, owner):
    communities.moderate(owner, action="hide", post_id=post.pk)
    assert balance(author) == 0
    taken = PointEntry.objects.get(reverses=earned)
    assert (taken.action, taken.amount, taken.actor) == (Action.CONTENT_HIDDEN, -1, owner)
    communities.moderate(owner, action="hide", post_id=post.pk)
    assert balance(author) == 0
    communities.moderate(owner, action="restore", post_id=post.pk)
    assert balance(author) == 1
    given = PointEntry.objects.get(reverses=taken)
    assert given.action == Action.CONTENT_RESTORED
    communities.moderate(owner, action="remove", post_id=post.pk)
    assert balance(author) == 0
    assert PointEntry.objects.get(pk=earned.pk).amount == 1  # never edited
    assert PointEntry.objects.filter(member=author).count() == 4


def test_an_operators_reversal_is_not_undone_by_restoring(earned, post, author, owner, operator):
    services.reverse_entry(operator, earned.pk, "sock puppet")
    communities.moderate(owner, action="hide", post_id=post.pk)
    communities.moderate(owner, action="restore", post_id=post.pk)
    assert balance(author) == 0


def test_deleting_a_post_takes_back_its_points_and_its_replies_points(earned, post, author, fan):
    reply = communities.create_reply(fan, post.pk, body="try this")
    communities.posting.mark_helpful(author, reply.pk)
    assert balance(fan) > 0
    communities.delete_post(author, post.pk)
    assert (balance(author), balance(fan)) == (0, 0)


def test_hiding_a_reply_takes_back_its_helpful_points(post, author, fan, owner):
    reply = communities.create_reply(fan, post.pk, body="try this")
    communities.posting.mark_helpful(author, reply.pk)
    communities.moderate(owner, action="hide", reply_id=reply.pk)
    assert balance(fan) == 0
