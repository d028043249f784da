"""The demo's engagement data: loaded by `seedbed demo` after the rest of the demo, its points come from the
demo's own reactions, check-ins and intros by the same rules as live ones, and it holds
rewards, redemptions, trust levels and badges. Loaded once for the module and wiped after."""

import pytest
from allauth.account.models import EmailAddress
from django.db.models import Sum
from django.test import override_settings

from seedbed.accounts.models import User
from seedbed.communities.models import Community
from seedbed.core.models import Tag
from seedbed.demo.loader import load_demo
from seedbed.engagement import badges, tasks
from seedbed.engagement.models import (
    Action,
    MemberBadge,
    PointEntry,
    Redemption,
    Reward,
    Standing,
    TrustLevel,
)
from seedbed.events.models import Event, EventSeries
from seedbed.matching.models import MatchingRound, Offer, Project
from seedbed.search.models import SearchDocument
from tests.factories import wipe_library_and_engagement

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _wipe() -> None:
    wipe_library_and_engagement()
    Redemption.objects.all().delete()
    Reward.objects.all().delete()
    MatchingRound.objects.all().delete()
    Project.objects.all().delete()
    Offer.objects.all().delete()
    Event.objects.all().delete()
    EventSeries.objects.all().delete()
    SearchDocument.objects.all().delete()
    Community.objects.all().delete()
    User.objects.all().delete()
    Tag.objects.all().delete()
    EmailAddress.objects.all().delete()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(TASKS=DUMMY_TASKS):
        _wipe()
        lines: list[str] = []
        assert load_demo(echo=lines.append)  # the engagement step runs inside the demo
        assert any(line.strip().startswith("engagement:") for line in lines)
        tasks.refresh_engagement.call(days=None)  # what the worker runs next
        yield {
            "earners": Standing.objects.filter(earned__gt=0).count(),
            "redemptions": Redemption.objects.count(),
        }
        _wipe()


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.TASKS = DUMMY_TASKS


def test_points_come_from_every_kind_of_activity_and_balances_match_the_ledger(demo):
    actions = set(PointEntry.objects.values_list("action", flat=True))
    assert {Action.REACTION, Action.HELPFUL, Action.ATTENDED, Action.AWARD} <= actions
    assert Action.REDEMPTION in actions
    for standing in Standing.objects.all():
        total = PointEntry.objects.filter(member_id=standing.member_id).aggregate(s=Sum("amount"))
        assert standing.balance == (total["s"] or 0)
    assert demo["earners"] > 20 and demo["redemptions"] > 0


def test_the_demo_has_rewards_in_both_languages_levels_and_badges(demo):
    assert Reward.objects.count() == 4
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in r.title) for r in Reward.objects.all())
    levels = set(Standing.objects.values_list("level", flat=True))
    assert TrustLevel.NEW in levels and len(levels) >= 2
    codes = set(MemberBadge.objects.values_list("code", flat=True))
    assert {"first_post", "first_event"} <= codes
    assert Standing.objects.filter(hide_from_leaderboards=True).exists()


def test_replaying_the_demo_history_and_badges_again_adds_nothing(demo):
    entries, granted = PointEntry.objects.count(), MemberBadge.objects.count()
    assert tasks.earn_from_history(None) == 0
    assert badges.grant_badges() == 0
    assert (PointEntry.objects.count(), MemberBadge.objects.count()) == (entries, granted)
