"""Trust levels: the one place that says what each level needs (points earned, tenure, a clean
moderation record) and what it unlocks. The recompute task stores each member's level on their
:class:`~seedbed.engagement.models.Standing`; the communities app asks the helpers at the end
(posting limits, links, report weight, pinning and moving)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seedbed.engagement.models import Standing, TrustLevel

if TYPE_CHECKING:
    from seedbed.communities.access import CommunityAccess


@dataclass(frozen=True)
class Requirement:
    level: TrustLevel
    points: int
    tenure_days: int
    #: At most this many of the member's posts or replies hidden or removed (or bans) ...
    max_strikes: int
    #: ... in this many days.
    strike_days: int


REQUIREMENTS = (
    Requirement(TrustLevel.MEMBER, points=10, tenure_days=1, max_strikes=1, strike_days=30),
    Requirement(TrustLevel.REGULAR, points=100, tenure_days=30, max_strikes=0, strike_days=90),
    Requirement(TrustLevel.LEADER, points=400, tenure_days=90, max_strikes=0, strike_days=180),
)

STRIKE_ACTIONS = ("hide", "remove", "ban")

UNLOCKS = {
    TrustLevel.NEW: _(
        "Posts and replies: at most %(per_day)d a day; links show as plain text until the "
        "next level."
    ),
    TrustLevel.MEMBER: _("Links in posts; the ordinary posting limits."),
    TrustLevel.REGULAR: _("Your reports weigh more in the moderators' queue."),
    TrustLevel.LEADER: _("Pin posts and move them between communities you belong to."),
}

#: New members' posts and replies a day (on top of everyone's per-minute and per-hour limits).
NEW_MEMBER_POSTS_PER_DAY = 10

#: How much one report counts in the moderation queue's order.
REPORT_WEIGHTS = {
    TrustLevel.NEW: 1,
    TrustLevel.MEMBER: 1,
    TrustLevel.REGULAR: 3,
    TrustLevel.LEADER: 5,
}


def unlocks(level: int) -> str:
    return str(UNLOCKS[TrustLevel(level)]) % {"per_day": NEW_MEMBER_POSTS_PER_DAY}


def level_for(points: int, joined: datetime, strikes: dict[int, int], now: datetime) -> TrustLevel:
    """The highest level whose every requirement is met; ``strikes`` maps a window in days to
    the strikes within it."""
    reached = TrustLevel.NEW
    for need in REQUIREMENTS:
        if (
            points >= need.points
            and now - joined >= timedelta(days=need.tenure_days)
            and strikes.get(need.strike_days, 0) <= need.max_strikes
        ):
            reached = need.level
        else:
            break
    return reached


def strike_counts(now: datetime, member_ids: Any = None) -> dict[int, dict[int, int]]:
    """Per member, the strikes in each requirement's window: one aggregate query."""
    from seedbed.communities.models import ModerationAction

    windows = sorted({need.strike_days for need in REQUIREMENTS})
    rows = ModerationAction.objects.filter(
        action__in=STRIKE_ACTIONS,
        target_user__isnull=False,
        created_at__gte=now - timedelta(days=max(windows)),
    )
    if member_ids is not None:
        rows = rows.filter(target_user_id__in=member_ids)
    counted = rows.values("target_user_id").annotate(
        **{
            f"d{days}": Count("id", filter=Q(created_at__gte=now - timedelta(days=days)))
            for days in windows
        }
    )
    found: dict[int, dict[int, int]] = {}
    for row in counted:
        values: dict[str, Any] = dict(row)
        found[values["target_user_id"]] = {days: values[f"d{days}"] for days in windows}
    return found


@dataclass(frozen=True)
class Progress:
    level: TrustLevel
    next: Requirement | None
    points: int
    tenure_days: int
    strikes: int

    @property
    def points_missing(self) -> int:
        return max(0, self.next.points - self.points) if self.next else 0

    @property
    def days_missing(self) -> int:
        return max(0, self.next.tenure_days - self.tenure_days) if self.next else 0

    @property
    def strikes_over(self) -> int:
        return max(0, self.strikes - self.next.max_strikes) if self.next else 0

    @property
    def unlocks(self) -> str:
        return unlocks(self.level)

    @property
    def next_unlocks(self) -> str:
        return unlocks(self.next.level) if self.next else ""


def progress(member: Any, now: datetime | None = None) -> Progress:
    """Where the member stands and what the next level needs, for their profile."""
    now = now or timezone.now()
    standing = Standing.objects.filter(member=member).first()
    level = TrustLevel(standing.level) if standing else TrustLevel.NEW
    points = standing.earned if standing else 0
    following = [need for need in REQUIREMENTS if need.level > level]
    need = following[0] if following else None
    strikes = strike_counts(now, [member.pk]).get(member.pk, {})
    return Progress(
        level=level,
        next=need,
        points=points,
        tenure_days=(now - member.date_joined).days,
        strikes=strikes.get(need.strike_days, 0) if need else 0,
    )


# What the communities app asks ----------------------------------------------------------------


def level_of(user: Any) -> TrustLevel:
    """The stored level; a member the recompute task has not seen yet is NEW."""
    if user is None or not getattr(user, "is_authenticated", False):
        return TrustLevel.NEW
    level = Standing.objects.filter(member_id=user.pk).values_list("level", flat=True).first()
    return TrustLevel(level or TrustLevel.NEW)


def is_restricted(found: CommunityAccess) -> bool:
    """New members' limits apply, except to the community's moderators and the operators
    (whom someone trusted already)."""
    return not found.can_moderate and found.trust_level == TrustLevel.NEW


def may_pin_and_move(found: CommunityAccess) -> bool:
    return found.is_member and found.trust_level >= TrustLevel.LEADER
