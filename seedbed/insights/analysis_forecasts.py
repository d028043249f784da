"""Growth of members and of activity (posts and replies) for the next eight weeks, per community
and platform-wide, fitted by the background task and stored; the page reads the stored fits.

The fitting, the rule for calling something a trend and the plain-words verdicts are the Models
page's (``matching.predictive``), so the two pages can never disagree about what is a trend."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.models import Community, Membership, Post, Reply
from seedbed.insights.models import StoredAnalysis
from seedbed.matching.predictive import (
    Growth,
    as_json,
    fit_growth,
    growth_from,
    week_start,
    weekly_counts,
    weekly_series,
)

KIND = "forecasts"
SERIES = ("members", "activity")


def _sum(*counts: dict[date, int]) -> dict[date, int]:
    total: dict[date, int] = {}
    for one in counts:
        for week, n in one.items():
            total[week] = total.get(week, 0) + n
    return total


def series_of(community: Community | None, this_week: date) -> dict[str, list[tuple[date, int]]]:
    """New members and posts + replies per complete week (four queries)."""
    joined: QuerySet
    if community is None:
        joined, joined_at = User.objects.filter(is_active=True), "date_joined"
        posts, replies = Post.objects.all(), Reply.objects.all()
    else:
        joined, joined_at = Membership.objects.filter(community=community), "joined_at"
        posts = Post.objects.filter(community=community)
        replies = Reply.objects.filter(post__community=community)
    activity = _sum(
        weekly_counts(posts, "created_at", this_week),
        weekly_counts(replies, "created_at", this_week),
    )
    return {
        "members": weekly_series(weekly_counts(joined, joined_at, this_week), this_week),
        "activity": weekly_series(activity, this_week),
    }


def forecast_scope(community: Community | None, now: datetime | None = None) -> StoredAnalysis:
    now = now or timezone.now()
    series = series_of(community, week_start(now))
    payload = {key: as_json(asdict(fit_growth(key, history))) for key, history in series.items()}
    stored, _created = StoredAnalysis.objects.update_or_create(
        kind=KIND, community=community, defaults={"payload": payload, "computed_at": now}
    )
    return stored


def refresh_all(now: datetime | None = None) -> int:
    """Every active community and the platform; returns how many scopes were stored."""
    now = now or timezone.now()
    scopes: list[Community | None] = [None, *Community.objects.active()]
    for community in scopes:
        forecast_scope(community, now)
    return len(scopes)


def stored_forecasts(community: Community | None) -> tuple[list[Growth], datetime] | None:
    """The stored fits of this scope in page order, or None when none are stored (or their
    shape is from an older version: the next refresh replaces them)."""
    stored = StoredAnalysis.objects.filter(kind=KIND, community=community).first()
    if stored is None:
        return None
    try:
        return [growth_from(stored.payload[key]) for key in SERIES], stored.computed_at
    except (KeyError, TypeError, ValueError):
        return None
