"""The weekly Insights e-mail: one per operator and week however often the task runs, in the
operator's language, with the movers, the members at risk and the mood of the week."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from seedbed.insights.models import (
    ContentSentiment,
    MemberEngagement,
    ReportSent,
    SentimentLabel,
)
from seedbed.insights.services import week_of
from seedbed.insights.tasks import send_insights_report
from tests.factories import MemberFactory
from tests.insights.test_activity_refresh import community

NOW = datetime(2026, 6, 17, 9, 0, tzinfo=UTC)  # a Wednesday


def engaged(name: str, level: str, previous: str, risk: float | None = None):
    member = MemberFactory(display_name=name)
    MemberEngagement.objects.create(
        member=member,
        community=None,
        score=5,
        level=level,
        previous_level=previous,
        churn_risk=risk,
        reasons=[{"code": "actions_last_30_days", "weight": 0.9, "value": 1}] if risk else [],
        computed_at=NOW,
    )
    return member


@pytest.fixture
def week(db):
    place = community("Quiet Corner")
    engaged("Rising Rita", "core", "casual")
    engaged("Sliding Sam", "casual", "active")
    engaged("Fading Fay", "casual", "casual", risk=0.91)
    for i, label in enumerate([SentimentLabel.NEGATIVE, SentimentLabel.POSITIVE]):
        ContentSentiment.objects.create(
            kind="post",
            object_id=i + 1,
            community=place,
            language="en",
            score=-0.8 if label == SentimentLabel.NEGATIVE else 0.6,
            label=label,
            written_at=NOW - timedelta(days=1),
        )
    english = MemberFactory(is_staff=True, languages=["en"])
    chinese = MemberFactory(is_staff=True, languages=["zh"])
    MemberFactory(is_staff=True, is_active=False)  # a former operator
    MemberFactory()  # not an operator
    return english, chinese


def send(capture, now=NOW) -> int:
    with capture(execute=True):
        return send_insights_report.call(now=now.isoformat())


def test_each_operator_gets_one_report_even_when_the_task_runs_twice(
    week, django_capture_on_commit_callbacks
):
    english, chinese = week
    assert send(django_capture_on_commit_callbacks) == 2
    assert send(django_capture_on_commit_callbacks) == 0
    assert send(django_capture_on_commit_callbacks, NOW + timedelta(days=2)) == 0  # same week
    assert sorted(m.to[0] for m in mail.outbox) == sorted([english.email, chinese.email])
    assert set(ReportSent.objects.values_list("week", flat=True)) == {week_of(NOW)}


def test_the_next_week_brings_the_next_report(week, django_capture_on_commit_callbacks):
    send(django_capture_on_commit_callbacks)
    assert send(django_capture_on_commit_callbacks, NOW + timedelta(days=7)) == 2
    assert len(mail.outbox) == 4


def test_the_report_names_movers_and_members_at_risk_with_reasons_and_the_mood(
    week, django_capture_on_commit_callbacks
):
    english, _chinese = week
    send(django_capture_on_commit_callbacks)
    body = next(m.body for m in mail.outbox if m.to == [english.email])
    assert "Rising Rita: Casual → Core" in body
    assert "Sliding Sam: Active → Casual" in body
    assert "Fading Fay (91%): Only 1 action in the last 30 days." in body
    assert "this week 2 scored, 1 negative" in body
    assert "/operator/insights/at-risk/" in body


def test_a_chinese_operator_reads_it_in_chinese(week, django_capture_on_commit_callbacks):
    _english, chinese = week
    send(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [chinese.email])
    assert message.subject.startswith("Seedbed 洞察")
    assert "最可能沉寂的成员" in message.body and "最近 30 天只有 1 次动态。" in message.body
    assert "Sliding Sam: 活跃 → 偶尔参与" in message.body


def test_the_command_sends_in_process_or_queues(week, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_insights_report", "--now")
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_insights_report")
    assert len(mail.outbox) == 2
