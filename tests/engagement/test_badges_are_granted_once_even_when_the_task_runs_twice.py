"""Each badge is granted by the background task to whoever earned it, never twice."""

import pytest
from django.db import IntegrityError
from django.utils import timezone

from seedbed.communities import services as communities
from seedbed.engagement import badges
from seedbed.engagement.models import HelpfulMark, MemberBadge, TrustLevel
from seedbed.notifications.models import Notification
from tests.engagement.conftest import (
    at_level,
    attend,
    held_event,
    intro,
    join,
    offer_of,
    project_with,
    veteran,
)

pytestmark = pytest.mark.django_db


def codes(member) -> set[str]:
    return set(MemberBadge.objects.filter(member=member).values_list("code", flat=True))


def test_every_badge_goes_to_whoever_earned_it(public, post, author, owner):
    helper = at_level(join(public), TrustLevel.MEMBER)
    for i in range(10):
        question = communities.create_post(owner, public.slug, title=f"q{i}", body="b")
        reply = communities.create_reply(helper, question.pk, body="a")
        HelpfulMark.objects.create(reply=reply, post=question, marked_by=owner)
    host, guest = veteran(), veteran()
    attend(held_event(public, host=host), guest)
    mentor, connector, founder = veteran(), veteran(), veteran()
    project = project_with([founder], "acme")
    for _ in range(5):
        intro(project, offer_of(mentor), status="accepted", met_at=timezone.now())
    for _ in range(3):
        intro(
            project_with([veteran()], f"p{_}"),
            offer_of(veteran()),
            status="accepted",
            requested_by=connector,
        )
    intro(project, offer_of(veteran(), "investor"), status="accepted", outcome="invested")
    badges.grant_badges()
    assert codes(author) == {"first_post"}
    assert codes(helper) == {"helpful"}
    assert codes(guest) == {"first_event"}
    assert codes(host) == {"speaker"}
    assert codes(mentor) == {"mentor"}
    assert codes(connector) == {"connector"}
    assert codes(founder) == {"founder_raised"}


def test_nine_helpful_marks_and_four_mentoring_sessions_are_not_enough(public, owner):
    helper = at_level(join(public), TrustLevel.MEMBER)
    for i in range(9):
        question = communities.create_post(owner, public.slug, title=f"q{i}", body="b")
        reply = communities.create_reply(helper, question.pk, body="a")
        HelpfulMark.objects.create(reply=reply, post=question, marked_by=owner)
    mentor = veteran()
    project = project_with([veteran()], "acme")
    for _ in range(4):
        intro(project, offer_of(mentor), status="accepted", met_at=timezone.now())
    badges.grant_badges()
    assert "helpful" not in codes(helper) and codes(mentor) == set()


def test_running_the_grant_twice_grants_and_tells_nothing_more(post, author):
    assert badges.grant_badges() == 1
    assert badges.grant_badges() == 0
    assert MemberBadge.objects.filter(member=author).count() == 1
    assert Notification.objects.filter(recipient=author, kind="badge_granted").count() == 1
    with pytest.raises(IntegrityError):
        MemberBadge.objects.create(member=author, code="first_post")


def test_badges_have_names_and_descriptions_in_both_languages():
    from django.utils import translation

    for badge in badges.BADGES:
        with translation.override("zh-hans"):
            zh = (str(badge.name), str(badge.description))
        with translation.override("en"):
            en = (str(badge.name), str(badge.description))
        assert zh != en, badge.code
