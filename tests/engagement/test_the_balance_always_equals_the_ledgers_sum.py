"""The cached balance is never the only record: after any sequence of awards, deductions,
reversals, redemptions and refunds it equals the ledger's sum, and a reversal always restores
the balance from before the entry it cancels."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from seedbed.engagement import services
from seedbed.engagement.models import NOT_EARNED, PointEntry, Redemption, RewardKind, Standing
from tests.engagement.conftest import veteran

operations = st.lists(
    st.one_of(
        st.tuples(st.just("award"), st.integers(0, 2), st.integers(-40, 60).filter(bool)),
        st.tuples(st.just("reverse"), st.integers(0, 50), st.just(0)),
        st.tuples(st.just("redeem"), st.integers(0, 2), st.just(0)),
        st.tuples(st.just("refund"), st.integers(0, 50), st.just(0)),
    ),
    max_size=25,
)


def _sums_match() -> None:
    for standing in Standing.objects.all():
        entries = PointEntry.objects.filter(member_id=standing.member_id)
        assert standing.balance == (entries.aggregate(s=Sum("amount"))["s"] or 0)
        earned = entries.exclude(action__in=NOT_EARNED).aggregate(s=Sum("amount"))["s"] or 0
        assert standing.earned == earned


@pytest.mark.slow
@pytest.mark.django_db
def test_any_sequence_of_ledger_operations_keeps_balance_equal_to_the_sum():
    operator = veteran(is_staff=True)
    members = [veteran() for _ in range(3)]
    reward = services.create_reward(
        operator, kind=RewardKind.MERCHANDISE, title="T-shirt", price=20, stock=1000
    )

    @hypothesis_settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(operations)
    def run(ops):
        for op, index, amount in ops:
            if op == "award":
                services.award_points(operator, members[index].pk, amount, "because")
            elif op == "reverse":
                entries = list(PointEntry.objects.order_by("id"))
                if not entries:
                    continue
                entry = entries[index % len(entries)]
                before = services.standing_of(entry.member).balance
                try:
                    services.reverse_entry(operator, entry.pk, "mistake")
                except ValidationError:
                    assert (
                        entry.action in NOT_EARNED
                        or PointEntry.objects.filter(reverses=entry).exists()
                    )
                    continue
                assert services.standing_of(entry.member).balance == before - entry.amount
            elif op == "redeem":
                try:
                    services.redeem(members[index], reward.pk)
                except ValidationError:
                    assert services.standing_of(members[index]).balance < reward.price
            else:
                pending = list(Redemption.objects.filter(status="pending").order_by("id"))
                if pending:
                    chosen = pending[index % len(pending)]
                    before = services.standing_of(chosen.member).balance
                    services.refund_redemption(operator, chosen.pk)
                    assert services.standing_of(chosen.member).balance == before + chosen.price
            _sums_match()

    run()


def test_a_reversal_names_the_entry_it_cancels_and_an_entry_is_reversed_once(db, operator):
    member = veteran()
    entry = services.award_points(operator, member.pk, 30, "Ran the salon")
    reversal = services.reverse_entry(operator, entry.pk, "Counted twice")
    assert (reversal.reverses_id, reversal.amount, reversal.actor, reversal.reason) == (
        entry.pk,
        -30,
        operator,
        "Counted twice",
    )
    with pytest.raises(ValidationError):
        services.reverse_entry(operator, entry.pk, "again")
    assert services.standing_of(member).balance == 0
    assert PointEntry.objects.filter(member=member).count() == 2


def test_only_operators_award_or_reverse_and_a_reason_is_required(db, operator):
    member, other = veteran(), veteran()
    with pytest.raises(PermissionDenied):
        services.award_points(other, member.pk, 10, "friend")
    entry = services.award_points(operator, member.pk, 10, "talk")
    with pytest.raises(PermissionDenied):
        services.reverse_entry(member, entry.pk, "mine")
    with pytest.raises(ValidationError) as refused:
        services.reverse_entry(operator, entry.pk, "   ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.award_points(operator, member.pk, 0, "nothing")
    assert "amount" in refused.value.message_dict
