"""Expected attendance of upcoming events, from how members turned up before (the engine's
``TurnoutModel``), stored per community (platform events under ``community`` null) as
``StoredAnalysis(kind="turnout")`` with a payload keyed by event id::

    {"<event id>": {"expected", "low", "high", "no_show_rate", "rsvps", "capacity"}}

Past events teach the model only when someone checked in there: an event whose organisers did
not use check-in would otherwise count every guest as a no-show."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import numpy as np
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from seedbed.engine.turnout import RsvpHistory, TurnoutModel
from seedbed.events.models import RSVP, Event, RSVPStatus
from seedbed.insights.models import StoredAnalysis

KIND = "turnout"


def _rows(now: datetime) -> list[tuple[Any, ...]]:
    checked_in = RSVP.objects.filter(event=OuterRef("event"), checked_in_at__isnull=False)
    return list(
        RSVP.objects.filter(event__cancelled_at__isnull=True)
        .alias(used_check_in=Exists(checked_in))
        .filter(
            Q(event__starts_at__gte=now, status=RSVPStatus.CONFIRMED)
            | Q(
                Q(status=RSVPStatus.CONFIRMED) | Q(checked_in_at__isnull=False),
                event__starts_at__lt=now,
                used_check_in=True,
            )
        )
        .order_by("event_id", "user_id")
        .values_list(
            "user_id", "event_id", "event__starts_at", "joined_at", "event__kind", "checked_in_at"
        )
    )


def history_of(now: datetime) -> RsvpHistory:
    """One row per confirmed RSVP of an upcoming event or a past one with check-ins (one
    query)."""
    rows = _rows(now)
    return RsvpHistory.of(
        [r[0] for r in rows],
        [r[1] for r in rows],
        np.array([r[2].timestamp() for r in rows], dtype=float),
        np.array([r[3].timestamp() for r in rows], dtype=float),
        [r[4] for r in rows],
        [r[5] is not None for r in rows],
    )


def refresh_turnout(now: datetime | None = None) -> int:
    """Fit on every past event, forecast every upcoming one, store them by community (stale
    rows of communities with nothing upcoming go). Returns how many events were forecast."""
    now = now or timezone.now()
    history = history_of(now)
    until = now.timestamp()
    model = TurnoutModel().fit(history, until)
    upcoming = history.subset(history.event_start >= until)
    forecasts = model.expected_attendance(upcoming, now=until)
    events = Event.objects.filter(pk__in=list(forecasts)).values_list(
        "pk", "community_id", "capacity"
    )
    by_scope: dict[int | None, dict[str, Any]] = defaultdict(dict)
    for pk, community_id, capacity in events:
        found = forecasts[pk]
        by_scope[community_id][str(pk)] = {
            "expected": round(found.expected, 2),
            "low": found.low,
            "high": found.high,
            "no_show_rate": round(found.no_show_rate, 4),
            "rsvps": found.rsvps,
            "capacity": capacity,
        }
    for scope_id, payload in by_scope.items():
        where: dict[str, Any] = {"community_id": scope_id}
        StoredAnalysis.objects.update_or_create(
            kind=KIND, defaults={"payload": payload, "computed_at": now}, **where
        )
    stale = StoredAnalysis.objects.filter(kind=KIND)
    kept = [pk for pk in by_scope if pk is not None]
    stale = stale.exclude(community_id__in=kept)
    if None in by_scope:
        stale = stale.exclude(community__isnull=True)
    stale.delete()
    return len(forecasts)


def forecast_for(event: Event) -> tuple[dict[str, Any], datetime] | None:
    """The stored forecast of one event and when it was made (one query), or None."""
    scope = (
        Q(community_id=event.community_id)
        if event.community_id is not None
        else Q(community__isnull=True)
    )
    stored = StoredAnalysis.objects.filter(scope, kind=KIND).first()
    if stored is None or str(event.pk) not in stored.payload:
        return None
    return stored.payload[str(event.pk)], stored.computed_at
