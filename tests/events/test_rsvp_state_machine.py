"""Random sequences of join, cancel and resize against the RSVP service, checked after every
step against a plain-Python model of a FIFO waitlist and against the invariants that hold
whatever the model says: never more confirmed than seats (unless an organiser lowered the
capacity, and then the overbooking only shrinks), the waitlist in join order, one RSVP per
member, nobody both going and waiting, and every promotion announced exactly once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from seedbed.events import services
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory

POOL_SIZE = 8
members = st.integers(min_value=0, max_value=POOL_SIZE - 1)
capacities = st.one_of(st.integers(min_value=0, max_value=5), st.none())


class RSVPMachine(RuleBasedStateMachine):
    """Members are numbered 0..POOL_SIZE-1; `pool` and `organiser` are set by the test."""

    pool: list = []
    organiser = None

    @initialize(capacity=st.integers(min_value=0, max_value=4))
    def open_a_fresh_event(self, capacity):
        start = timezone.now() + timedelta(days=3)
        self.event = services.create_event(
            self.organiser,
            kind="salon",
            title="Founder salon",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue="WeWork",
            capacity=capacity,
        )
        self.capacity: int | None = capacity
        self.confirmed: set[int] = set()
        self.waitlist: list[int] = []
        self.ever_joined: set[int] = set()
        self.promotions: Counter[int] = Counter()
        self.ceiling: float = self._limit()

    # the model -----------------------------------------------------------------------------

    def _limit(self) -> float:
        return float("inf") if self.capacity is None else self.capacity

    def _promote_in_model(self) -> list[int]:
        promoted = []
        while self.waitlist and len(self.confirmed) < self._limit():
            member = self.waitlist.pop(0)
            self.confirmed.add(member)
            self.promotions[member] += 1
            promoted.append(member)
        return promoted

    def _status_of(self, member: int) -> str | None:
        if member in self.confirmed:
            return RSVPStatus.CONFIRMED
        if member in self.waitlist:
            return RSVPStatus.WAITLISTED
        if member in self.ever_joined:
            return RSVPStatus.CANCELLED
        return None

    # the rules -----------------------------------------------------------------------------

    @rule(people=st.lists(members, min_size=1, max_size=4, unique=True))
    def join(self, people):
        for member in people:
            if member not in self.confirmed and member not in self.waitlist:
                if len(self.confirmed) < self._limit():
                    self.confirmed.add(member)
                else:
                    self.waitlist.append(member)
            self.ever_joined.add(member)
            row = services.rsvp(self.pool[member], self.event.pk)
            assert row.status == self._status_of(member)

    @rule(member=members)
    def cancel(self, member):
        if member in self.confirmed:
            self.confirmed.remove(member)
            self._promote_in_model()
        elif member in self.waitlist:
            self.waitlist.remove(member)
        others_waiting = [m for m in self._waiting() if m != member]
        row = services.cancel_rsvp(self.pool[member], self.event.pk)
        if member not in self.ever_joined:
            assert row is None
        else:
            assert row.status == RSVPStatus.CANCELLED
        # a freed seat goes to whoever has waited longest: those left waiting are the tail
        still_waiting = self._waiting()
        assert still_waiting == others_waiting[len(others_waiting) - len(still_waiting) :]

    @precondition(lambda self: self.confirmed)
    @rule(data=st.data())
    def a_confirmed_member_cancels(self, data):
        """Drawn from the confirmed members, so that seats free up often enough to test who
        gets them."""
        self.cancel(data.draw(st.sampled_from(sorted(self.confirmed)), label="member"))

    @rule(capacity=capacities)
    def resize(self, capacity):
        self.capacity = capacity
        promoted = self._promote_in_model()
        report = services.set_capacity(self.organiser, self.event.pk, capacity)
        over = 0 if capacity is None else max(0, len(self.confirmed) - capacity)
        assert report == {"promoted": len(promoted), "overbooked_by": over}
        # an organiser may lower the capacity below the confirmed count: that much is allowed
        self.ceiling = max(self._limit(), len(self.confirmed))

    # the checks ----------------------------------------------------------------------------

    def _rows(self) -> list[RSVP]:
        return list(RSVP.objects.filter(event=self.event).order_by("joined_at", "id"))

    def _waiting(self) -> list[int]:
        index = {m.pk: i for i, m in enumerate(self.pool)}
        return [index[r.user_id] for r in self._rows() if r.status == RSVPStatus.WAITLISTED]

    @invariant()
    def confirmed_never_exceeds_the_capacity_unless_an_organiser_lowered_it(self):
        confirmed = RSVP.objects.filter(event=self.event, status=RSVPStatus.CONFIRMED).count()
        assert confirmed <= self.ceiling, (confirmed, self.capacity, self.ceiling)
        # once overbooked, the allowance only shrinks as people leave
        self.ceiling = max(self._limit(), min(self.ceiling, confirmed))

    @invariant()
    def each_member_has_one_rsvp_in_exactly_the_state_the_model_expects(self):
        rows = self._rows()
        by_user = Counter(row.user_id for row in rows)
        assert all(n == 1 for n in by_user.values()), by_user
        index = {m.pk: i for i, m in enumerate(self.pool)}
        actual = {index[row.user_id]: row.status for row in rows}
        expected = {m: self._status_of(m) for m in self.ever_joined}
        assert actual == expected

    @invariant()
    def the_waitlist_is_in_join_order(self):
        assert self._waiting() == self.waitlist

    @invariant()
    def nobody_waits_while_a_seat_is_free(self):
        capacity = Event.objects.values_list("capacity", flat=True).get(pk=self.event.pk)
        statuses = Counter(RSVP.objects.filter(event=self.event).values_list("status", flat=True))
        if statuses[RSVPStatus.WAITLISTED]:
            assert capacity is not None and statuses[RSVPStatus.CONFIRMED] >= capacity

    @invariant()
    def every_promotion_is_announced_to_the_promoted_member_exactly_once(self):
        index = {m.pk: i for i, m in enumerate(self.pool)}
        told = Counter(
            index[user_id]
            for user_id in Notification.objects.filter(
                event=self.event, kind="seat_confirmed"
            ).values_list("recipient_id", flat=True)
        )
        assert told == +self.promotions


@pytest.mark.slow
@pytest.mark.django_db
def test_join_cancel_and_resize_keep_the_waitlist_fifo_and_the_event_never_overbooked():
    RSVPMachine.organiser = MemberFactory(is_staff=True)
    RSVPMachine.pool = MemberFactory.create_batch(POOL_SIZE)
    try:
        run_state_machine_as_test(
            RSVPMachine,
            settings=hypothesis_settings(
                max_examples=60,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        RSVPMachine.pool, RSVPMachine.organiser = [], None
