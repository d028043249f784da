"""Operators offer rewards with a price and a stock; members redeem within their balance and the
stock; operators fulfil or refund (points and stock come back)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from seedbed.engagement import services
from seedbed.engagement.models import Action, PointEntry, Redemption, Reward
from seedbed.notifications.models import Notification
from tests.engagement.conftest import veteran

pytestmark = pytest.mark.django_db


@pytest.fixture
def reward(operator):
    return services.create_reward(
        operator, kind="office_hours", title="Office hour with Mia", price=50, stock=1
    )


@pytest.fixture
def rich(operator):
    member = veteran()
    services.award_points(operator, member.pk, 120, "ran the salon")
    return member


def test_redeeming_spends_the_price_and_takes_one_from_the_stock(reward, rich):
    redemption = services.redeem(rich, reward.pk)
    assert services.standing_of(rich).balance == 70
    assert Reward.objects.get(pk=reward.pk).stock == 0
    spent = PointEntry.objects.get(member=rich, action=Action.REDEMPTION)
    assert (spent.amount, spent.source_id) == (-50, redemption.pk)


def test_out_of_stock_and_short_of_points_are_refused_with_a_reason(reward, rich, operator):
    services.redeem(rich, reward.pk)
    with pytest.raises(ValidationError) as refused:
        services.redeem(rich, reward.pk)
    assert "out of stock" in refused.value.messages[0]
    poor = veteran()
    services.update_reward(operator, reward.pk, stock=5)
    with pytest.raises(ValidationError) as refused:
        services.redeem(poor, reward.pk)
    assert "50 more points" in refused.value.messages[0]
    assert services.standing_of(poor).balance == 0


def test_an_inactive_reward_cannot_be_redeemed(reward, rich, operator):
    services.update_reward(operator, reward.pk, active=False)
    with pytest.raises(Http404):
        services.redeem(rich, reward.pk)


def test_a_refund_gives_points_and_stock_back_once(reward, rich, operator):
    redemption = services.redeem(rich, reward.pk)
    services.refund_redemption(operator, redemption.pk, "Mia is ill")
    assert services.standing_of(rich).balance == 120
    assert Reward.objects.get(pk=reward.pk).stock == 1
    with pytest.raises(ValidationError):
        services.refund_redemption(operator, redemption.pk)
    with pytest.raises(ValidationError):
        services.fulfil_redemption(operator, redemption.pk)
    assert Notification.objects.filter(recipient=rich, kind="reward_refunded").count() == 1


def test_fulfilling_tells_the_member_and_keeps_the_points_spent(reward, rich, operator):
    redemption = services.redeem(rich, reward.pk)
    done = services.fulfil_redemption(operator, redemption.pk, "Booked for Tuesday")
    assert (done.status, done.note, done.decided_by) == (
        Redemption.Status.FULFILLED,
        "Booked for Tuesday",
        operator,
    )
    assert services.standing_of(rich).balance == 70
    assert Notification.objects.filter(recipient=rich, kind="reward_fulfilled").exists()


def test_only_operators_define_fulfil_and_refund(reward, rich):
    redemption = services.redeem(rich, reward.pk)
    with pytest.raises(PermissionDenied):
        services.create_reward(rich, kind="merchandise", title="Cap", price=1, stock=1)
    with pytest.raises(PermissionDenied):
        services.fulfil_redemption(rich, redemption.pk)
    with pytest.raises(PermissionDenied):
        services.refund_redemption(rich, redemption.pk)
    with pytest.raises(PermissionDenied):
        services.redemptions_for(rich, everyone=True)


def test_bad_reward_fields_name_the_field(operator):
    with pytest.raises(ValidationError) as refused:
        services.create_reward(operator, kind="yacht", title="\n", price=0, stock=-1)
    assert set(refused.value.message_dict) == {"kind", "title", "price", "stock"}
