"""Background work of the activity side of Insights: the refresh of every stored figure and the
weekly operator report. Pages only read what these store."""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from seedbed.communities.models import Community
from seedbed.insights import adapter
from seedbed.insights.models import DailyStats, MemberEngagement

#: Days of daily statistics kept per scope: a year and the period before a 30-day comparison.
HISTORY_DAYS = 400


def history_days() -> int:
    return int(getattr(settings, "INSIGHTS_HISTORY_DAYS", HISTORY_DAYS))


def _moment(now: str | datetime | None) -> datetime:
    return (parse_datetime(now) if isinstance(now, str) else now) or timezone.now()


@task()
def refresh_insights(now: str | datetime | None = None) -> dict[str, float]:
    """Recompute every member's engagement and every day's figures, per community and
    platform-wide, from the whole history. Idempotent: each scope's rows are replaced in one
    transaction, so a second run (or a run beside a page view) leaves the same rows and a
    reader sees the old figures or the new ones, never half. ``now`` (ISO 8601 when queued) is
    for tests and back-filling."""
    started = time.perf_counter()
    snapshot = adapter.load_snapshot(_moment(now))
    churn = adapter.fit_churn(snapshot)
    days = history_days()
    members: dict[int | None, dict[int, float]] = {None: dict(snapshot.accounts)}
    for pk in Community.objects.values_list("id", flat=True):
        members[pk] = {}
    for pk, user_id, joined in snapshot.memberships:
        members.setdefault(pk, {})[user_id] = joined
    rows = 0
    for community_id, scope_members in members.items():
        engagement = adapter.engagement_rows(snapshot, community_id, scope_members, churn)
        daily = adapter.daily_rows(snapshot, community_id, scope_members, days)
        scope = Q(community_id=community_id) if community_id else Q(community__isnull=True)
        with transaction.atomic():
            MemberEngagement.objects.filter(scope).delete()
            MemberEngagement.objects.bulk_create(engagement, batch_size=1000)
            DailyStats.objects.filter(scope).delete()
            DailyStats.objects.bulk_create(daily, batch_size=1000)
        rows += len(engagement) + len(daily)
    return {
        "scopes": len(members),
        "rows": rows,
        "churn_model": churn is not None,
        "seconds": round(time.perf_counter() - started, 2),
    }


@task()
def send_insights_report(now: str | datetime | None = None) -> int:
    """E-mail every operator this week's Insights report; returns how many were sent. Each
    operator's week is claimed before their mail is queued, so running this twice (cron twice,
    two workers) sends nothing more."""
    from seedbed.insights import services

    moment = _moment(now)
    report = services.weekly_report(moment)
    return sum(services.send_weekly_report(op, report, moment) for op in services.operators())
