"""Notification kinds of points, badges, trust levels and rewards. A notification row names no
badge or reward (the table has no column for them), so each sentence leads to the member's
points page, which lists them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from seedbed.notifications.registry import register


def _mine(_n: object) -> str:
    return reverse("engagement:mine")


def _nothing(_n: object) -> dict[str, str]:
    return {}


POINTS_AWARDED = register(
    "points_awarded",
    _("%(actor)s changed your points; see why on your points page."),
    names=_nothing,
    link=_mine,
)
BADGE_GRANTED = register("badge_granted", _("You earned a new badge."), names=_nothing, link=_mine)
LEVEL_CHANGED = register(
    "level_changed", _("Your trust level changed."), names=_nothing, link=_mine
)
REWARD_FULFILLED = register(
    "reward_fulfilled",
    _("%(actor)s fulfilled your reward redemption."),
    names=_nothing,
    link=_mine,
)
REWARD_REFUNDED = register(
    "reward_refunded",
    _("%(actor)s refunded your reward redemption; the points are back."),
    names=_nothing,
    link=_mine,
)
