"""ORM rows → the engine's action logs, and the engine's answers → Insights rows.

One :func:`load_snapshot` reads every table once (a fixed number of queries, whatever the
number of communities); each scope (a community, or the platform) is then a numpy selection of
that snapshot. Actions are: ``join`` (a membership; platform-wide, the sign-up), ``post``,
``reply`` and ``reaction`` (aimed at the author replied or reacted to), ``rsvp``, ``attend``
(a check-in) and ``intro`` (an intro asked for; platform-wide only).

Days are calendar days in ``settings.TIME_ZONE`` at the offset it has at the time of the
refresh (a DST change moves at most an hour of actions across midnight).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property

import numpy as np
from django.db.models import F, Min, Q
from django.utils import timezone

from seedbed.accounts.models import User
from seedbed.communities.models import ContentStatus, Membership, Post, Reaction, Reply
from seedbed.engine.activity import DAY, ActivityModel
from seedbed.engine.churn import FEATURES, ChurnModel, Log, active_at, churn_features, went_silent
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.insights.models import DailyStats, Level, MemberEngagement
from seedbed.matching.models import Intro

#: The engine's weights plus the kinds only Seedbed has (joining, RSVPs, check-ins).
WEIGHTS = {
    "join": 1.0,
    "post": 3.0,
    "reply": 2.0,
    "reaction": 0.5,
    "rsvp": 1.0,
    "attend": 4.0,
    "intro": 3.0,
}
ENGINE_LEVEL = {"at risk": Level.AT_RISK.value}
WEEK = 7 * DAY
#: Churn is asked of members with an action in the last 30 days, about the next 30.
HORIZON_DAYS = 30.0
NEW_MEMBER_DAYS = 30
TOP_REASONS = 3
_COUNT_FEATURES = {
    "actions_last_30_days",
    "actions_last_90_days",
    "replies_received_90_days",
    "events_attended_90_days",
    "partners_90_days",
}


@dataclass(frozen=True)
class Actions:
    """Columns of an action log: who, what, when (epoch seconds), aimed at whom (-1: nobody),
    in which community (0: none) and whether it counts platform-wide."""

    users: np.ndarray
    kinds: np.ndarray
    times: np.ndarray
    targets: np.ndarray
    communities: np.ndarray
    platform: np.ndarray

    @classmethod
    def of(cls, rows: list[tuple[int, str, float, int, int, bool]]) -> Actions:
        if not rows:
            empty = np.zeros(0, dtype=np.int64)
            return cls(empty, np.zeros(0, dtype=object), np.zeros(0), empty, empty, empty > 0)
        users, kinds, times, targets, communities, platform = zip(*rows, strict=True)
        return cls(
            np.asarray(users, dtype=np.int64),
            np.asarray(kinds, dtype=object),
            np.asarray(times, dtype=float),
            np.asarray(targets, dtype=np.int64),
            np.asarray(communities, dtype=np.int64),
            np.asarray(platform, dtype=bool),
        )

    def where(self, mask: np.ndarray) -> Actions:
        return Actions(
            self.users[mask],
            self.kinds[mask],
            self.times[mask],
            self.targets[mask],
            self.communities[mask],
            self.platform[mask],
        )

    def scope(self, community_id: int | None) -> Actions:
        if community_id is None:
            return self.where(self.platform)
        return self.where(self._by_community.get(community_id, np.zeros(0, dtype=np.int64)))

    @cached_property
    def _by_community(self) -> dict[int, np.ndarray]:
        """Each community's action indices, found once (not one scan per community)."""
        order = np.argsort(self.communities, kind="stable")
        keys, starts = np.unique(self.communities[order], return_index=True)
        ends = [*starts[1:], len(order)]
        return {int(k): order[a:b] for k, a, b in zip(keys, starts, ends, strict=True)}


@dataclass(frozen=True)
class Snapshot:
    """Everything a refresh reads, read once."""

    now: datetime
    actions: Actions
    #: (community id, user id, joined at) of current memberships of active members.
    memberships: list[tuple[int, int, float]]
    #: (user id, signed up at) of active members: the platform's members.
    accounts: list[tuple[int, float]]
    #: (community id or 0, created at, hours to the first reply by someone else or None).
    posts: list[tuple[int, float, float | None]]
    #: (community id or 0, starts at) of events not cancelled.
    events: list[tuple[int, float]]
    #: (community id or 0, RSVP'd at, event starts at, confirmed, checked in).
    rsvps: list[tuple[int, float, float, bool, bool]]
    _groups: dict[int, dict[int, list[tuple]]] = field(default_factory=dict, repr=False)

    def grouped(self, rows: list[tuple]) -> dict[int, list[tuple]]:
        """``rows`` (posts, events or RSVPs: community id first) by community, grouped once."""
        key = id(rows)
        if key not in self._groups:
            groups: dict[int, list[tuple]] = {}
            for row in rows:
                groups.setdefault(row[0], []).append(row)
            self._groups[key] = groups
        return self._groups[key]


def _ts(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else np.nan


def load_snapshot(now: datetime | None = None) -> Snapshot:
    """Read the action log and the figures the daily statistics need (nine queries)."""
    now = now or timezone.now()
    rows: list[tuple[int, str, float, int, int, bool]] = []
    memberships = [
        (c, u, _ts(at))
        for c, u, at in Membership.objects.filter(user__is_active=True).values_list(
            "community_id", "user_id", "joined_at"
        )
    ]
    rows += [(u, "join", at, -1, c, False) for c, u, at in memberships]
    accounts = [
        (u, _ts(at))
        for u, at in User.objects.filter(is_active=True).values_list("id", "date_joined")
    ]
    rows += [(u, "join", at, -1, 0, True) for u, at in accounts]
    for c, u, at in Post.objects.exclude(status=ContentStatus.REMOVED).values_list(
        "community_id", "author_id", "created_at"
    ):
        rows.append((u, "post", _ts(at), -1, c, True))
    for c, u, at, target in Reply.objects.exclude(status=ContentStatus.REMOVED).values_list(
        "post__community_id", "author_id", "created_at", "post__author_id"
    ):
        rows.append((u, "reply", _ts(at), target, c, True))
    for c, u, at, target in Reaction.objects.filter(post__isnull=False).values_list(
        "post__community_id", "user_id", "created_at", "post__author_id"
    ):
        rows.append((u, "reaction", _ts(at), target, c, True))
    for c, u, at, target in Reaction.objects.filter(reply__isnull=False).values_list(
        "reply__post__community_id", "user_id", "created_at", "reply__author_id"
    ):
        rows.append((u, "reaction", _ts(at), target, c, True))
    rsvps = []
    for c, u, at, starts, status, checked_in in RSVP.objects.filter(
        event__cancelled_at__isnull=True
    ).values_list(
        "event__community_id", "user_id", "joined_at", "event__starts_at", "status", "checked_in_at"
    ):
        rows.append((u, "rsvp", _ts(at), -1, c or 0, True))
        if checked_in is not None:
            rows.append((u, "attend", _ts(checked_in), -1, c or 0, True))
        rsvps.append(
            (c or 0, _ts(at), _ts(starts), status == RSVPStatus.CONFIRMED, checked_in is not None)
        )
    for u, at in Intro.objects.filter(requested_by__isnull=False).values_list(
        "requested_by_id", "created_at"
    ):
        rows.append((u, "intro", _ts(at), -1, 0, True))
    first_reply = Min("replies__created_at", filter=~Q(replies__author=F("author")))
    posts = [
        (c, _ts(at), (_ts(first) - _ts(at)) / 3600 if first else None)
        for c, at, first in Post.objects.exclude(status=ContentStatus.REMOVED)
        .annotate(first=first_reply)
        .values_list("community_id", "created_at", "first")
    ]
    events = [
        (c or 0, _ts(at))
        for c, at in Event.objects.filter(cancelled_at__isnull=True).values_list(
            "community_id", "starts_at"
        )
    ]
    return Snapshot(now, Actions.of(rows), memberships, accounts, posts, events, rsvps)


# Engagement ------------------------------------------------------------------------------------


def fit_churn(snapshot: Snapshot) -> ChurnModel | None:
    """The churn model, fitted platform-wide on the members active 30 days ago and whether they
    went silent since (labels the refresh already knows). None when there is too little history
    (fewer than 10 such members, or nobody stayed or nobody left)."""
    actions = snapshot.actions.scope(None)
    universe, users, targets = _local(actions, [])
    if not len(universe):
        return None
    log = Log.of(users, actions.kinds, actions.times, targets, n_members=len(universe))
    cutoff = snapshot.now.timestamp() - HORIZON_DAYS * DAY
    asked = active_at(log, cutoff, HORIZON_DAYS)
    y = went_silent(log, cutoff, HORIZON_DAYS)[asked]
    if len(asked) < 10 or len(np.unique(y)) < 2:
        return None
    return ChurnModel().fit(churn_features(log, cutoff)[asked], y)


def _local(actions: Actions, members: Iterable[int]) -> tuple[np.ndarray, ...]:
    """Compact indices: the sorted user ids, then each action's user and target index."""
    aimed = actions.targets[actions.targets >= 0]
    ids = np.fromiter(members, dtype=np.int64)
    universe = np.unique(np.concatenate([ids, actions.users, aimed]))
    users = np.searchsorted(universe, actions.users)
    targets = np.where(actions.targets >= 0, np.searchsorted(universe, actions.targets), -1)
    return universe, users, targets


def _reason(code: str, weight: float, row: np.ndarray) -> dict[str, float | str]:
    value = row[FEATURES.index(code)]
    reason: dict[str, float | str] = {"code": code, "weight": round(float(weight), 3)}
    if code == "trend":
        now = float(np.expm1(row[FEATURES.index("actions_last_30_days")]))
        reason["value"] = round(now)
        reason["before"] = round(float(np.expm1(np.log1p(now) - value)))
    elif code in _COUNT_FEATURES:
        reason["value"] = round(float(np.expm1(value)))
    else:
        reason["value"] = round(float(value))
    return reason


def engagement_rows(
    snapshot: Snapshot,
    community_id: int | None,
    members: dict[int, float],
    churn: ChurnModel | None,
) -> list[MemberEngagement]:
    """One unsaved row per member of the scope (``members``: user id → joined at)."""
    if not members:
        return []
    now = snapshot.now.timestamp()
    actions = snapshot.actions.scope(community_id)
    universe, users, targets = _local(actions, members)
    model = ActivityModel(weights=WEIGHTS).fit(
        users, actions.kinds, actions.times, n_members=len(universe)
    )
    current, week_ago = model.levels(now), model.levels(now - WEEK)
    before = model.scores(now - model.lookback_days * DAY)
    log = Log.of(users, actions.kinds, actions.times, targets, n_members=len(universe))
    counted = actions.kinds != "join"
    recent = counted & (actions.times > now - 30 * DAY) & (actions.times <= now)
    actions_30d = np.bincount(users[recent], minlength=len(universe))
    per_kind = {
        kind: np.bincount(users[actions.kinds == kind], minlength=len(universe))
        for kind in ("post", "reply", "attend")
    }
    seen = counted & (actions.times <= now)
    first = np.full(len(universe), np.inf)
    last = np.full(len(universe), -np.inf)
    np.minimum.at(first, users[seen], actions.times[seen])
    np.maximum.at(last, users[seen], actions.times[seen])
    risk = np.full(len(universe), np.nan)
    reasons: dict[int, list[dict[str, float | str]]] = {}
    if churn is not None:
        asked = active_at(log, now, HORIZON_DAYS)
        if len(asked):
            X = churn_features(log, now)[asked]
            risk[asked] = churn.predict_proba(X)
            for i, row, parts in zip(asked, X, churn.contributions(X), strict=True):
                order = np.argsort(-parts, kind="stable")[:TOP_REASONS]
                reasons[int(i)] = [
                    _reason(FEATURES[j], parts[j], row) for j in order if parts[j] > 0
                ]
    computed_at = snapshot.now
    community = community_id or None
    out = []
    for user_id, joined in members.items():
        i = int(np.searchsorted(universe, user_id))
        out.append(
            MemberEngagement(
                member_id=user_id,
                community_id=community,
                score=round(float(current.score[i]), 3),
                score_before=round(float(before[i]), 3),
                level=_level(current.level[i]),
                previous_level=_level(week_ago.level[i]),
                churn_risk=None if np.isnan(risk[i]) else round(float(risk[i]), 4),
                reasons=reasons.get(i, []),
                joined_at=_dt(joined),
                first_action_at=_dt(first[i]),
                last_action_at=_dt(last[i]),
                actions_30d=int(actions_30d[i]),
                posts=int(per_kind["post"][i]),
                replies=int(per_kind["reply"][i]),
                events_attended=int(per_kind["attend"][i]),
                computed_at=computed_at,
            )
        )
    return out


def _level(engine_level: str) -> str:
    return ENGINE_LEVEL.get(engine_level, engine_level)


def _dt(seconds: float) -> datetime | None:
    if not np.isfinite(seconds):
        return None
    return datetime.fromtimestamp(float(seconds), tz=timezone.get_current_timezone())


# Daily statistics ------------------------------------------------------------------------------


def _day_numbers(seconds: np.ndarray, offset: float) -> np.ndarray:
    return np.floor((np.asarray(seconds, dtype=float) + offset) / DAY).astype(np.int64)


def _distinct_in_window(
    users: np.ndarray, days: np.ndarray, window: int, span: range
) -> np.ndarray:
    """For each day of ``span``: how many distinct users acted in the ``window`` days ending on
    it. Each user's active days open an interval of ``window`` days, cut short where their next
    active day opens another, so a difference array counts each user once per day."""
    counts = np.zeros(len(span) + 1, dtype=np.int64)
    if not len(users):
        return counts[:-1]
    pairs = np.unique(np.stack([users, days]), axis=1)
    u, d = pairs
    end = d + window
    same = np.append(u[1:] == u[:-1], False)
    end = np.where(same, np.minimum(end, np.append(d[1:], 0)), end)
    start = np.clip(d - span.start, 0, len(span))
    stop = np.clip(end - span.start, 0, len(span))
    keep = stop > start
    np.add.at(counts, start[keep], 1)
    np.add.at(counts, stop[keep], -1)
    return np.cumsum(counts)[:-1]


def _per_day(days: np.ndarray, span: range, weights: np.ndarray | None = None) -> np.ndarray:
    inside = (days >= span.start) & (days < span.stop)
    w = None if weights is None else weights[inside]
    return np.bincount(days[inside] - span.start, weights=w, minlength=len(span))


def daily_rows(
    snapshot: Snapshot, community_id: int | None, members: dict[int, float], history_days: int
) -> list[DailyStats]:
    """Unsaved rows, one per day of the last ``history_days`` (today included)."""
    now = snapshot.now
    offset = float(timezone.localtime(now).utcoffset().total_seconds())  # type: ignore[union-attr]
    today = int(_day_numbers(np.array([now.timestamp()]), offset)[0])
    span = range(today - history_days + 1, today + 1)
    actions = snapshot.actions.scope(community_id)
    acted = actions.kinds != "join"
    users, days = actions.users[acted], _day_numbers(actions.times[acted], offset)
    kinds = actions.kinds[acted]
    active = {w: _distinct_in_window(users, days, w, span) for w in (1, 7, 30)}

    ids = np.fromiter(members, dtype=np.int64, count=len(members))
    join_days = _day_numbers(np.fromiter(members.values(), dtype=float, count=len(members)), offset)
    new = _per_day(join_days, span)
    total = np.cumsum(new) + int(np.sum(join_days < span.start))
    joined_day = np.full(len(users), -(10**9))
    if len(ids):
        order = np.argsort(ids)
        pos = np.searchsorted(ids[order], users).clip(0, len(ids) - 1)
        joined_day = np.where(ids[order][pos] == users, join_days[order][pos], joined_day)
    old = days - joined_day >= NEW_MEMBER_DAYS  # members of unknown date count as returning
    returning_users, returning_days = users[old], days[old]
    returning = _distinct_in_window(returning_users, returning_days, 1, span)

    def scoped(rows: list[tuple]) -> list[tuple]:
        return rows if community_id is None else snapshot.grouped(rows).get(community_id, [])

    posts = scoped(snapshot.posts)
    post_days = _day_numbers(np.array([p[1] for p in posts]), offset)
    hours = np.array([np.nan if p[2] is None else p[2] for p in posts], dtype=float)
    answered = ~np.isnan(hours)
    events = scoped(snapshot.events)
    rsvps = scoped(snapshot.rsvps)
    starts = _day_numbers(np.array([r[2] for r in rsvps]), offset)
    confirmed = np.array([r[3] for r in rsvps], dtype=float)
    checked_in = np.array([r[4] for r in rsvps], dtype=float)
    series = {
        "members": total,
        "new_members": new,
        "active_members": active[1],
        "active_7d": active[7],
        "active_30d": active[30],
        "returning_members": returning,
        "posts": _per_day(days[kinds == "post"], span),
        "replies": _per_day(days[kinds == "reply"], span),
        "reactions": _per_day(days[kinds == "reaction"], span),
        "answered_posts": _per_day(post_days[answered], span),
        "response_hours": _per_day(post_days[answered], span, hours[answered]),
        "events": _per_day(_day_numbers(np.array([e[1] for e in events]), offset), span),
        "rsvps": _per_day(_day_numbers(np.array([r[1] for r in rsvps]), offset), span),
        "confirmed": _per_day(starts, span, confirmed),
        "attended": _per_day(starts, span, checked_in),
    }
    first_day = date.fromordinal(date(1970, 1, 1).toordinal() + span.start)
    return [
        DailyStats(
            community_id=community_id,
            day=first_day + timedelta(days=i),
            **{
                name: round(float(values[i]), 2) if name == "response_hours" else int(values[i])
                for name, values in series.items()
            },
        )
        for i in range(len(span))
    ]
