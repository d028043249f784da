"""Member activity: a decayed score, an engagement level an operator can read, and its movement.

Every action a member takes counts its kind's weight, halved every ``half_life_days`` since it
happened, so a burst last year weighs less than a steady trickle this month. Levels come from
ordered rules, first match wins, and each member's level carries the rule (with their numbers)
that put them there:

1. new: their first action is under ``new_days`` old;
2. dormant: no action in the last ``dormant_days`` (a member with no action at all is dormant
   before any other rule);
3. at risk: ``lookback_days`` ago their score was at least ``active_score`` and it has since lost
   at least ``at_risk_drop`` of its value;
4. core: score at least ``core_score``;
5. active: score at least ``active_score``;
6. casual: everyone else (some action in the window, but little).

Timestamps are seconds since the epoch (floats) or numpy ``datetime64``; members are indices
``0..n_members-1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["LEVELS", "RULES", "ActivityModel", "LevelRule", "Levels", "Transitions", "as_seconds"]

DAY = 86_400.0
#: Levels from lowest to highest engagement; "new" sits beside "casual".
LEVELS = ("dormant", "at risk", "casual", "new", "active", "core")
_RANK = {"dormant": 0, "at risk": 1, "casual": 2, "new": 2, "active": 3, "core": 4}
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "post": 3.0,
    "reply": 2.0,
    "event": 4.0,
    "attend": 4.0,
    "intro": 3.0,
    "reaction": 0.5,
}


def as_seconds(times: ArrayLike) -> np.ndarray:
    """Timestamps as float seconds since the epoch, whether given as numbers or datetime64."""
    t = np.asarray(times)
    if t.dtype.kind == "M":
        return t.astype("datetime64[s]").astype(float)
    return t.astype(float)


#: Rule codes in the order they are tried, with the level each gives.
RULES = (
    ("no_action", "dormant"),
    ("new", "new"),
    ("dormant", "dormant"),
    ("at_risk", "at risk"),
    ("core", "core"),
    ("active", "active"),
    ("casual", "casual"),
)


@dataclass(frozen=True)
class LevelRule:
    """One level rule as data for a page to show (and translate): its stable ``code``, the
    ``level`` it gives, the ``condition`` in English, and the thresholds it reads."""

    code: str
    level: str
    condition: str
    params: dict[str, float]


@dataclass(frozen=True)
class Levels:
    """Per member: the score at ``at``, the level, and the rule that gave it, in words; ``rule``
    is the rule's stable code and the other arrays are the numbers the rules read (days are
    ``inf`` for a member with no action yet), so a page can word the reason itself."""

    score: np.ndarray
    level: np.ndarray
    reason: np.ndarray
    rule: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    score_before: np.ndarray = field(default_factory=lambda: np.empty(0))
    days_since_first: np.ndarray = field(default_factory=lambda: np.empty(0))
    days_idle: np.ndarray = field(default_factory=lambda: np.empty(0))


@dataclass(frozen=True)
class Transitions:
    """Who moved between two dates: indices of members who moved up or slipped, and counts of
    ``(level before, level after)`` pairs."""

    moved_up: np.ndarray
    slipped: np.ndarray
    counts: dict[tuple[str, str], int]
    level_before: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    level_after: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


class ActivityModel:
    """Fit on a member action log; ask for scores and levels at any time after.

    Unknown action kinds weigh ``default_weight``. Actions after the asked time are ignored,
    so levels "as of last month" use only what was known then.
    """

    def __init__(
        self,
        weights: Mapping[str, float] | None = None,
        half_life_days: float = 30.0,
        default_weight: float = 1.0,
        new_days: float = 30.0,
        dormant_days: float = 90.0,
        lookback_days: float = 30.0,
        at_risk_drop: float = 0.5,
        core_score: float = 20.0,
        active_score: float = 5.0,
    ) -> None:
        self.weights = weights
        self.half_life_days = half_life_days
        self.default_weight = default_weight
        self.new_days = new_days
        self.dormant_days = dormant_days
        self.lookback_days = lookback_days
        self.at_risk_drop = at_risk_drop
        self.core_score = core_score
        self.active_score = active_score

    def fit(
        self,
        members: ArrayLike,
        kinds: ArrayLike,
        times: ArrayLike,
        n_members: int | None = None,
    ) -> ActivityModel:
        m = np.asarray(members, dtype=np.int64)
        k = np.asarray(kinds, dtype=object)
        t = as_seconds(times)
        if not (m.ndim == k.ndim == t.ndim == 1) or not (len(m) == len(k) == len(t)):
            raise ValueError("members, kinds and times must be 1-D arrays of the same length")
        if len(m) and m.min() < 0:
            raise ValueError("member indices must be non-negative")
        if not np.isfinite(t).all():
            raise ValueError("times must be finite")
        if self.half_life_days <= 0:
            raise ValueError("half_life_days must be positive")
        n = int(m.max()) + 1 if len(m) else 0
        if n_members is not None:
            if n_members < n:
                raise ValueError(f"n_members={n_members} but a member index is {n - 1}")
            n = n_members
        table = {**DEFAULT_WEIGHTS, **(self.weights or {})}
        self.members_ = m
        self.times_ = t
        self.action_weights_ = np.array(
            [float(table.get(kind, self.default_weight)) for kind in k], dtype=float
        )
        self.n_members_ = n
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "members_"):
            raise RuntimeError("ActivityModel is not fitted yet: call fit first")

    def scores(self, at: float | np.datetime64) -> np.ndarray:
        """Each member's decayed score at time ``at`` from the actions up to and including it."""
        self._check_fitted()
        now = float(as_seconds(np.asarray([at]))[0])
        seen = self.times_ <= now
        age_days = (now - self.times_[seen]) / DAY
        decayed = self.action_weights_[seen] * 0.5 ** (age_days / self.half_life_days)
        return np.bincount(self.members_[seen], weights=decayed, minlength=self.n_members_)

    def levels(self, at: float | np.datetime64) -> Levels:
        """Each member's engagement level at ``at`` by the rules in the module docstring."""
        self._check_fitted()
        now = float(as_seconds(np.asarray([at]))[0])
        score = self.scores(now)
        before = self.scores(now - self.lookback_days * DAY)
        seen = self.times_ <= now
        first = np.full(self.n_members_, np.inf)
        last = np.full(self.n_members_, -np.inf)
        np.minimum.at(first, self.members_[seen], self.times_[seen])
        np.maximum.at(last, self.members_[seen], self.times_[seen])
        age = (now - first) / DAY
        idle = (now - last) / DAY
        level = np.empty(self.n_members_, dtype=object)
        reason = np.empty(self.n_members_, dtype=object)
        rule = np.empty(self.n_members_, dtype=object)
        for i in range(self.n_members_):
            rule[i], level[i], reason[i] = self._rule(score[i], before[i], age[i], idle[i])
        return Levels(
            score=score,
            level=level,
            reason=reason,
            rule=rule,
            score_before=before,
            days_since_first=age,
            days_idle=idle,
        )

    def rules(self) -> list[LevelRule]:
        """The level rules in the order they are tried, with this model's thresholds, for a
        page that explains what each level means."""
        p = {
            "new_days": self.new_days,
            "dormant_days": self.dormant_days,
            "lookback_days": self.lookback_days,
            "at_risk_drop": self.at_risk_drop,
            "core_score": self.core_score,
            "active_score": self.active_score,
            "half_life_days": self.half_life_days,
        }
        conditions = {
            "no_action": ("no action yet", ()),
            "new": ("first action under {new_days:g} days ago", ("new_days",)),
            "dormant": ("no action in the last {dormant_days:g} days", ("dormant_days",)),
            "at_risk": (
                "score {lookback_days:g} days ago was at least {active_score:g} and has lost "
                "at least {at_risk_drop:.0%} of it since",
                ("lookback_days", "active_score", "at_risk_drop"),
            ),
            "core": ("score at least {core_score:g}", ("core_score",)),
            "active": ("score at least {active_score:g}", ("active_score",)),
            "casual": ("some action, score under {active_score:g}", ("active_score",)),
        }
        out = []
        for code, level in RULES:
            text, keys = conditions[code]
            out.append(LevelRule(code, level, text.format(**p), {k: p[k] for k in keys}))
        return out

    def _rule(self, score: float, before: float, age: float, idle: float) -> tuple[str, str, str]:
        if np.isinf(idle):
            return "no_action", "dormant", "no action yet"
        if age < self.new_days:
            return "new", "new", f"first action {age:.0f} days ago (under {self.new_days:g})"
        if idle >= self.dormant_days:
            return (
                "dormant",
                "dormant",
                f"no action for {idle:.0f} days ({self.dormant_days:g} or more)",
            )
        if before >= self.active_score and score <= before * (1 - self.at_risk_drop):
            return (
                "at_risk",
                "at risk",
                f"score fell from {before:.1f} to {score:.1f} in {self.lookback_days:g} days "
                f"(a drop of {self.at_risk_drop:.0%} or more from {self.active_score:g} or above)",
            )
        if score >= self.core_score:
            return "core", "core", f"score {score:.1f} (at least {self.core_score:g})"
        if score >= self.active_score:
            return "active", "active", f"score {score:.1f} (at least {self.active_score:g})"
        return "casual", "casual", f"score {score:.1f} (under {self.active_score:g})"

    def transitions(
        self, before: float | np.datetime64, after: float | np.datetime64
    ) -> Transitions:
        """Levels at ``before`` against levels at ``after`` (e.g. a month apart)."""
        old = self.levels(before).level
        new = self.levels(after).level
        rank_old = np.array([_RANK[x] for x in old], dtype=int)
        rank_new = np.array([_RANK[x] for x in new], dtype=int)
        counts: dict[tuple[str, str], int] = {}
        for pair in zip(old, new, strict=True):
            counts[pair] = counts.get(pair, 0) + 1
        return Transitions(
            moved_up=np.flatnonzero(rank_new > rank_old),
            slipped=np.flatnonzero(rank_new < rank_old),
            counts=counts,
            level_before=old,
            level_after=new,
        )
