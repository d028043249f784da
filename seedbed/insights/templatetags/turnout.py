"""The expected turnout beside an event's capacity, for its organisers and operators only:
``{% load turnout %}{% expected_turnout event access %}`` in the organiser panel. The tag asks
the access object itself, so it shows nothing to an attendee wherever it is placed."""

from __future__ import annotations

import math
from typing import Any

from django import template

from seedbed.accounts.access import is_operator
from seedbed.events.models import Event
from seedbed.insights.analysis_turnout import forecast_for

register = template.Library()


def overbooking(forecast: dict[str, Any]) -> int:
    """Seats one could add to a full event: capacity minus the *high* end of the interval, so
    that in most cases (8 of 10) the room still holds everyone who comes."""
    capacity = forecast.get("capacity")
    if not capacity or forecast["rsvps"] < capacity:
        return 0
    return max(0, math.floor(capacity - forecast["high"]))


@register.inclusion_tag("insights/_analysis_turnout.html")
def expected_turnout(event: Event, access: Any) -> dict[str, Any]:
    user = getattr(access, "user", None)
    if not (getattr(access, "is_organiser", False) or is_operator(user)):
        return {"forecast": None}
    found = forecast_for(event)
    if found is None:
        return {"forecast": None, "shown": True}
    forecast, computed_at = found
    return {
        "shown": True,
        "forecast": forecast,
        "computed_at": computed_at,
        "expected": round(forecast["expected"]),
        "rate": round(100 * forecast["no_show_rate"]),
        "low": round(forecast["low"]),
        "high": round(forecast["high"]),
        "extra": overbooking(forecast),
    }
