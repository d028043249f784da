"""Issue #14: a second ``send_digests weekly`` minutes after the first mailed everybody with
news again, and a worker killed mid-run and restarted mailed some members twice. Each member
gets at most one digest per period (daily: a day, weekly: a week from Monday): a unique
``DigestSent`` row is claimed before the mail goes out. The tests run outside a test transaction
(as the worker does, in autocommit), so a crash leaves exactly what a real one would."""

from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from seedbed.notifications import services
from seedbed.notifications.models import DigestSent, Notification
from seedbed.notifications.services import notify
from seedbed.notifications.tasks import send_digests
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db(transaction=True)

FLAKY = f"{__name__}.CrashingMailer"


class CrashingMailer(EmailBackend):
    """The locmem mailer, except that the ``crash_at``-th message (from 1) raises, once."""

    crash_at = 0
    seen = 0

    def send_messages(self, messages):
        for _message in messages:
            type(self).seen += 1
            if type(self).seen == type(self).crash_at:
                raise ConnectionError("the mail server went away")
        return super().send_messages(messages)


def _members_with_news(n: int) -> list:
    members = [MemberFactory(display_name=f"Reader {i}") for i in range(n)]
    _news(members)
    return members


def _news(members, at: datetime | None = None) -> None:
    """Something new and unread for each member (at ``at``), so each has a digest to get."""
    notes = notify(members, "reach_out_platform")
    if at is not None:
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(created_at=at)


def _copies() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def test_running_twice_in_one_week_mails_each_member_once(settings):
    members = _members_with_news(3)
    assert send_digests.enqueue("weekly").return_value == 3
    _news(members)
    assert send_digests.enqueue("weekly").return_value == 0
    assert _copies() == Counter({m.email: 1 for m in members})
    assert DigestSent.objects.filter(frequency="weekly").count() == 3


def test_a_crash_midway_then_a_rerun_mails_the_rest_once_and_nobody_twice(settings):
    settings.EMAIL_BACKEND = FLAKY
    CrashingMailer.crash_at, CrashingMailer.seen = 3, 0
    members = _members_with_news(5)
    crashed = send_digests.enqueue("weekly")
    assert crashed.status == TaskResultStatus.FAILED
    assert crashed.errors[0].exception_class_path == "builtins.ConnectionError"
    assert len(mail.outbox) == 2
    assert DigestSent.objects.count() == 2, "the member whose mail failed is not marked sent"

    assert send_digests.enqueue("weekly").return_value == 3
    assert _copies() == Counter({m.email: 1 for m in members})
    assert send_digests.enqueue("weekly").return_value == 0
    assert len(mail.outbox) == 5


def test_a_new_period_sends_again_and_daily_and_weekly_are_separate(settings):
    member = MemberFactory()
    monday = timezone.make_aware(datetime(2030, 12, 2, 9, 0))
    _news([member], at=monday - timedelta(hours=1))
    assert services.send_digest(member, "weekly", now=monday)
    _news([member], at=monday + timedelta(hours=1))
    assert not services.send_digest(member, "weekly", now=monday + timedelta(days=6, hours=14))
    assert services.send_digest(member, "daily", now=monday + timedelta(days=1))
    _news([member], at=monday + timedelta(days=6))
    assert services.send_digest(member, "weekly", now=monday + timedelta(days=7))
    assert len(mail.outbox) == 3
    assert sorted(DigestSent.objects.values_list("frequency", "period_start")) == [
        ("daily", monday.date() + timedelta(days=1)),
        ("weekly", monday.date()),
        ("weekly", monday.date() + timedelta(days=7)),
    ]


def test_the_database_refuses_a_second_claim_for_the_same_period(settings):
    member = MemberFactory()
    DigestSent.objects.create(user=member, frequency="weekly", period_start="2026-12-07")
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestSent.objects.create(user=member, frequency="weekly", period_start="2026-12-07")
