"""Issue #14, finding 7: a worker killed mid-task and started again must not send a seat mail
or a reminder twice. Each is claimed by a unique record before it is sent, so a re-run skips
it: a crash after the claim loses that one mail (at most once), never doubles it."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from seedbed.events import services, tasks
from seedbed.events.models import ReminderSent, RSVPStatus, SeatMail
from seedbed.notifications.models import Notification
from tests.events.conftest import event_fields
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


class WorkerKilled(Exception):
    pass


@pytest.fixture
def full(db):
    """One seat, taken; one member on the waitlist."""
    organiser, seated, waiting = MemberFactory(is_staff=True), MemberFactory(), MemberFactory()
    start = timezone.now() + timedelta(days=3)
    event = services.create_event(
        organiser, **event_fields(capacity=1, starts_at=start, ends_at=start + timedelta(hours=2))
    )
    services.rsvp(seated, event.pk)
    services.rsvp(waiting, event.pk)
    return event, seated, waiting


def _seat_notices(user) -> int:
    return Notification.objects.filter(recipient=user, kind="seat_confirmed").count()


def _crash_on_send(monkeypatch) -> None:
    def killed(*args, **kwargs):
        raise WorkerKilled

    monkeypatch.setattr(tasks, "send_mail", killed)


def test_running_the_seat_mail_task_again_sends_nothing_more(
    full, django_capture_on_commit_callbacks
):
    event, seated, waiting = full
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_rsvp(seated, event.pk)
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_seat_mails.call() == 0
    assert len(mail.outbox) == 1
    assert _seat_notices(waiting) == 1
    assert SeatMail.objects.get().claimed_at is not None


def test_a_seat_mail_whose_queueing_was_lost_goes_out_once_on_the_next_sweep(
    full, django_capture_on_commit_callbacks
):
    event, seated, waiting = full
    services.cancel_rsvp(seated, event.pk)  # committed, then the process died: nothing queued
    assert mail.outbox == []
    for expected in (1, 0, 0):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_seat_mails.call() == expected
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert _seat_notices(waiting) == 1


def test_a_crash_after_the_seat_mail_claim_never_sends_it_twice(
    full, django_capture_on_commit_callbacks, monkeypatch
):
    event, seated, waiting = full
    _crash_on_send(monkeypatch)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        services.cancel_rsvp(seated, event.pk)
    monkeypatch.undo()
    assert event.rsvps.get(user=waiting).status == RSVPStatus.CONFIRMED
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_seat_mails.call() == 0
    assert mail.outbox == []
    assert _seat_notices(waiting) == 1


def test_a_seat_given_back_before_its_mail_leaves_gets_no_mail(
    full, django_capture_on_commit_callbacks
):
    event, seated, waiting = full
    services.cancel_rsvp(seated, event.pk)
    services.cancel_rsvp(waiting, event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_seat_mails.call() == 0
    assert mail.outbox == []


def test_running_the_reminder_task_again_sends_nothing_more(
    full, django_capture_on_commit_callbacks
):
    event, seated, _waiting = full
    moment = event.starts_at - timedelta(hours=23)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.call(now=moment) == 1
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.send_due_reminders.call(now=moment) == 0
    assert [m.to for m in mail.outbox] == [[seated.email]]


def test_a_crash_after_the_reminder_claim_never_sends_it_twice(
    full, django_capture_on_commit_callbacks, monkeypatch
):
    event, _seated, _waiting = full
    moment = event.starts_at - timedelta(hours=23)
    _crash_on_send(monkeypatch)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        tasks.send_due_reminders.call(now=moment)
    monkeypatch.undo()
    assert ReminderSent.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.call(now=moment) == 0
    assert mail.outbox == []


def test_the_send_reminders_command_also_sweeps_lost_seat_mails(
    full, django_capture_on_commit_callbacks
):
    event, seated, waiting = full
    services.cancel_rsvp(seated, event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=StringIO())
        call_command("send_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[waiting.email]]
