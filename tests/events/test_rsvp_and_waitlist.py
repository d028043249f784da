from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from seedbed.events import services
from seedbed.events.models import RSVPStatus
from seedbed.notifications.models import Notification
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return MemberFactory(is_staff=True)


def make_event(operator, **fields):
    start = timezone.now() + timedelta(days=3)
    values = {
        "kind": "salon",
        "title": "Founder salon",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "venue": "WeWork",
        "capacity": 2,
    }
    values.update(fields)
    return services.create_event(operator, **values)


def test_going_confirms_while_seats_remain_then_waitlists(operator):
    event = make_event(operator)
    people = MemberFactory.create_batch(4)
    statuses = [services.rsvp(p, event.pk).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]


def test_a_double_submit_is_harmless(operator):
    event = make_event(operator)
    me = MemberFactory()
    first = services.rsvp(me, event.pk)
    second = services.rsvp(me, event.pk)
    assert first.pk == second.pk and event.rsvps.count() == 1


def test_a_cancellation_promotes_the_earliest_waitlisted_member_once(
    operator, django_capture_on_commit_callbacks
):
    event = make_event(operator)
    a, b, c, d = MemberFactory.create_batch(4)
    for p in (a, b, c, d):
        services.rsvp(p, event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_rsvp(a, event.pk)
    assert event.rsvps.get(user=c).status == RSVPStatus.CONFIRMED
    assert event.rsvps.get(user=d).status == RSVPStatus.WAITLISTED
    assert [m.to for m in mail.outbox] == [[c.email]]
    assert Notification.objects.filter(recipient=c, kind="seat_confirmed").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_rsvp(a, event.pk)  # cancelling again changes nothing
    assert len(mail.outbox) == 1


def test_raising_capacity_promotes_and_lowering_never_cancels(operator):
    event = make_event(operator)
    people = MemberFactory.create_batch(4)
    for p in people:
        services.rsvp(p, event.pk)
    assert services.set_capacity(operator, event.pk, 3) == {"promoted": 1, "overbooked_by": 0}
    assert services.set_capacity(operator, event.pk, 1) == {"promoted": 0, "overbooked_by": 2}
    assert event.rsvps.filter(status="confirmed").count() == 3


def test_approval_required_events_queue_requests_for_the_organisers(operator):
    event = make_event(operator, requires_approval=True, capacity=1)
    a, b = MemberFactory.create_batch(2)
    ra, rb = services.rsvp(a, event.pk), services.rsvp(b, event.pk)
    assert ra.status == rb.status == RSVPStatus.PENDING
    assert services.decide_rsvp(operator, event.pk, ra.pk, approve=True).status == "confirmed"
    assert services.decide_rsvp(operator, event.pk, rb.pk, approve=True).status == "waitlisted"


def test_rsvps_respect_the_open_and_close_times(operator):
    now = timezone.now()
    event = make_event(operator, rsvp_opens_at=now + timedelta(days=1))
    with pytest.raises(ValidationError):
        services.rsvp(MemberFactory(), event.pk)
    closed = make_event(
        operator, rsvp_opens_at=now - timedelta(days=2), rsvp_closes_at=now - timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.rsvp(MemberFactory(), closed.pk)


def test_bad_event_input_names_the_field(operator):
    start = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.create_event(
            operator,
            kind="party",
            title="",
            starts_at=start,
            ends_at=start,
            time_zone="Mars/Olympus",
            capacity=-1,
        )
    assert {"kind", "title", "ends_at", "time_zone", "capacity", "venue"} <= set(
        error.value.message_dict
    )


def test_the_promoted_member_sees_the_seat_in_notifications(operator, client):
    event = make_event(operator, capacity=1)
    first, second = MemberFactory.create_batch(2)
    services.rsvp(first, event.pk)
    services.rsvp(second, event.pk)
    services.cancel_rsvp(first, event.pk)
    client.force_login(second)
    page = client.get("/notifications/").content.decode()
    assert "Founder salon" in page and f"/events/{event.pk}/" in page
