"""Churn: will a member who is active now go silent in the next 30 days?

Features are built from the action log as it stood at a cutoff, so training on an earlier cutoff
and testing on a later one is an honest time split (nothing after a cutoff leaks into its
features). The model is a standardised logistic regression: with standardised inputs, each
feature's contribution to a member's log-odds is ``coef * z``, which gives every at-risk member
their top reasons in the same units as the prediction.

The action log is arrays: ``members`` (who acted), ``kinds`` (``reply``, ``attend``, ...),
``times`` (seconds since the epoch or datetime64) and optionally ``targets`` (the member an
action was aimed at, such as the author replied to; -1 for none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from seedbed.engine.activity import DAY, as_seconds

__all__ = [
    "FEATURES",
    "REASON_UNITS",
    "ChurnModel",
    "Evaluation",
    "Log",
    "Reason",
    "Risks",
    "churn_features",
    "evaluate_time_split",
    "precision_at_top",
    "risks_at",
]

FEATURES = (
    "days_since_last_action",
    "actions_last_30_days",
    "actions_last_90_days",
    "trend",
    "replies_received_90_days",
    "events_attended_90_days",
    "partners_90_days",
)
_REASONS = {
    "days_since_last_action": "long since their last action",
    "actions_last_30_days": "few actions this month",
    "actions_last_90_days": "few actions in three months",
    "trend": "fewer actions this month than the month before",
    "replies_received_90_days": "few replies to what they write",
    "events_attended_90_days": "few events attended",
    "partners_90_days": "few people they interact with",
}


#: What each reason's ``value`` measures, for a page that words it in the reader's language.
REASON_UNITS = {
    "days_since_last_action": "days",
    "actions_last_30_days": "actions",
    "actions_last_90_days": "actions",
    "trend": "ratio of (actions in the last 30 days + 1) to (actions in the 30 before + 1)",
    "replies_received_90_days": "replies",
    "events_attended_90_days": "events",
    "partners_90_days": "members",
}


@dataclass(frozen=True)
class Reason:
    """One reason a member's churn risk is high: a stable ``code`` (a name in ``FEATURES``),
    its ``weight`` (what it adds to the member's log-odds against the average member) and the
    member's ``value`` in the units of ``REASON_UNITS``."""

    code: str
    weight: float
    value: float

    def as_dict(self) -> dict[str, float | str]:
        return {"code": self.code, "weight": self.weight, "value": self.value}


def natural_values(X: np.ndarray) -> np.ndarray:
    """Feature rows back in the units of ``REASON_UNITS`` (counts undo their log1p)."""
    out = np.expm1(np.asarray(X, dtype=float))
    out[:, 0] = X[:, 0]
    trend = FEATURES.index("trend")
    out[:, trend] = np.exp(X[:, trend])
    return out


@dataclass(frozen=True)
class Log:
    """A validated action log."""

    members: np.ndarray
    kinds: np.ndarray
    times: np.ndarray
    targets: np.ndarray
    n_members: int

    @classmethod
    def of(
        cls,
        members: ArrayLike,
        kinds: ArrayLike,
        times: ArrayLike,
        targets: ArrayLike | None = None,
        n_members: int | None = None,
    ) -> Log:
        m = np.asarray(members, dtype=np.int64)
        k = np.asarray(kinds, dtype=object)
        t = as_seconds(times)
        g = np.full(len(m), -1, dtype=np.int64) if targets is None else np.asarray(targets)
        g = g.astype(np.int64)
        if not (m.ndim == k.ndim == t.ndim == g.ndim == 1) or not (
            len(m) == len(k) == len(t) == len(g)
        ):
            raise ValueError("members, kinds, times and targets must be 1-D and the same length")
        if len(m) and m.min() < 0:
            raise ValueError("member indices must be non-negative")
        if not np.isfinite(t).all():
            raise ValueError("times must be finite")
        n = max(int(m.max()) + 1 if len(m) else 0, int(g.max()) + 1 if len(g) else 0)
        if n_members is not None:
            if n_members < n:
                raise ValueError(f"n_members={n_members} but a member index is {n - 1}")
            n = n_members
        return cls(m, k, t, g, n)


def churn_features(log: Log, cutoff: float) -> np.ndarray:
    """One row per member, columns as ``FEATURES``, from actions strictly before ``cutoff``.

    Counts are log1p-scaled; a member with no action yet has 10 years as their recency."""
    n, m, t, g = log.n_members, log.members, log.times, log.targets
    seen = t < cutoff
    age = (cutoff - t) / DAY

    def count(mask: np.ndarray, who: np.ndarray) -> np.ndarray:
        return np.bincount(who[mask], minlength=n).astype(float)

    last = np.full(n, -np.inf)
    np.maximum.at(last, m[seen], t[seen])
    recency = np.where(np.isinf(last), 3650.0, (cutoff - last) / DAY)
    a30 = count(seen & (age <= 30), m)
    a60 = count(seen & (age > 30) & (age <= 60), m)
    a90 = count(seen & (age <= 90), m)
    recent = seen & (age <= 90)
    aimed = recent & (g >= 0)
    replies = count(aimed & (log.kinds == "reply"), g)
    attended = count(recent & (log.kinds == "attend"), m)
    pairs = np.unique(np.stack([m[aimed], g[aimed]]), axis=1) if aimed.any() else np.zeros((2, 0))
    both = np.concatenate([pairs, pairs[::-1]], axis=1).astype(np.int64)
    both = np.unique(both[:, both[0] != both[1]], axis=1)
    partners = np.bincount(both[0], minlength=n).astype(float)
    return np.column_stack(
        [
            recency,
            np.log1p(a30),
            np.log1p(a90),
            np.log1p(a30) - np.log1p(a60),
            np.log1p(replies),
            np.log1p(attended),
            np.log1p(partners),
        ]
    )


def active_at(log: Log, cutoff: float, days: float = 30.0) -> np.ndarray:
    """Members with an action in the ``days`` before ``cutoff``: the ones churn is asked about."""
    recent = (log.times < cutoff) & (log.times >= cutoff - days * DAY)
    return np.flatnonzero(np.bincount(log.members[recent], minlength=log.n_members) > 0)


def went_silent(log: Log, cutoff: float, horizon_days: float = 30.0) -> np.ndarray:
    """1 for each member with no action in ``[cutoff, cutoff + horizon)``, else 0."""
    window = (log.times >= cutoff) & (log.times < cutoff + horizon_days * DAY)
    return (np.bincount(log.members[window], minlength=log.n_members) == 0).astype(int)


class ChurnModel:
    """Logistic regression on standardised features; ``reasons`` explains each prediction."""

    def __init__(self, C: float = 1.0, class_weight: str | None = "balanced") -> None:
        self.C = C
        self.class_weight = class_weight

    def fit(self, X: ArrayLike, y: ArrayLike) -> ChurnModel:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=int)
        if len(np.unique(y)) < 2:
            raise ValueError("churn needs both members who stayed and members who went silent")
        self.scaler_ = StandardScaler().fit(X)
        self.classifier_ = LogisticRegression(C=self.C, class_weight=self.class_weight)
        self.classifier_.fit(self.scaler_.transform(X), y)
        self.coef_ = self.classifier_.coef_[0]
        return self

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Probability of going silent, one per row."""
        z = self.scaler_.transform(np.asarray(X, dtype=float))
        return self.classifier_.predict_proba(z)[:, 1]

    def contributions(self, X: ArrayLike) -> np.ndarray:
        """Each feature's share of each row's log-odds, relative to the average member."""
        return self.scaler_.transform(np.asarray(X, dtype=float)) * self.coef_

    def reasons(self, X: ArrayLike, top: int = 3) -> list[list[str]]:
        """The features pushing each row's risk up most, in words, largest first."""
        parts = self.contributions(X)
        out = []
        for row in parts:
            order = np.argsort(-row, kind="stable")[:top]
            out.append([_REASONS[FEATURES[j]] for j in order if row[j] > 0])
        return out

    def explain(self, X: ArrayLike, top: int = 3) -> list[list[Reason]]:
        """Each row's top reasons as stable codes with weights and values, largest first; only
        features that push the risk up are reasons."""
        X = np.asarray(X, dtype=float)
        parts = self.contributions(X)
        values = natural_values(X)
        out = []
        for row, vals in zip(parts, values, strict=True):
            order = np.argsort(-row, kind="stable")[:top]
            out.append(
                [
                    Reason(FEATURES[j], round(float(row[j]), 4), round(float(vals[j]), 4))
                    for j in order
                    if row[j] > 0
                ]
            )
        return out


def precision_at_top(y: ArrayLike, score: ArrayLike, fraction: float = 0.1) -> float:
    """Share of real churners among the ``fraction`` of members ranked riskiest."""
    y = np.asarray(y)
    k = max(1, round(len(y) * fraction))
    return float(y[np.argsort(-np.asarray(score), kind="stable")[:k]].mean())


@dataclass(frozen=True)
class Evaluation:
    """Test-period quality of the model against ranking by recency alone."""

    auc: float
    baseline_auc: float
    precision_top_decile: float
    baseline_precision_top_decile: float
    n_train: int
    n_test: int
    churn_rate: float


def evaluate_time_split(
    log: Log,
    train_cutoff: float,
    test_cutoff: float,
    horizon_days: float = 30.0,
    active_days: float = 30.0,
) -> tuple[ChurnModel, Evaluation]:
    """Fit on members active (an action in the last ``active_days``) at ``train_cutoff``, test
    on those active at ``test_cutoff``.

    The train labels must be known by the test cutoff, so the two are ``horizon_days`` apart
    at least."""
    if test_cutoff < train_cutoff + horizon_days * DAY:
        raise ValueError("test_cutoff must be at least horizon_days after train_cutoff")
    train = active_at(log, train_cutoff, active_days)
    test = active_at(log, test_cutoff, active_days)
    X_train = churn_features(log, train_cutoff)[train]
    y_train = went_silent(log, train_cutoff, horizon_days)[train]
    X_test = churn_features(log, test_cutoff)[test]
    y_test = went_silent(log, test_cutoff, horizon_days)[test]
    if len(np.unique(y_test)) < 2:
        raise ValueError("the test period needs both members who stayed and who went silent")
    model = ChurnModel().fit(X_train, y_train)
    risk = model.predict_proba(X_test)
    recency = X_test[:, FEATURES.index("days_since_last_action")]
    return model, Evaluation(
        auc=float(roc_auc_score(y_test, risk)),
        baseline_auc=float(roc_auc_score(y_test, recency)),
        precision_top_decile=precision_at_top(y_test, risk),
        baseline_precision_top_decile=precision_at_top(y_test, recency),
        n_train=len(train),
        n_test=len(test),
        churn_rate=float(y_test.mean()),
    )


@dataclass(frozen=True)
class Risks:
    """Members active at a time, their churn risk and their top reasons."""

    members: np.ndarray
    risk: np.ndarray
    reasons: list[list[Reason]]
    model: ChurnModel


def risks_at(
    log: Log, at: float, horizon_days: float = 30.0, active_days: float = 30.0, top: int = 3
) -> Risks:
    """Churn risk now for every member active at ``at``, from a model fitted at
    ``at - horizon_days`` (the latest cutoff whose labels are already known)."""
    train_cutoff = at - horizon_days * DAY
    train = active_at(log, train_cutoff, active_days)
    y = went_silent(log, train_cutoff, horizon_days)[train]
    model = ChurnModel().fit(churn_features(log, train_cutoff)[train], y)
    members = active_at(log, at, active_days)
    X = churn_features(log, at)[members]
    risk = model.predict_proba(X) if len(members) else np.zeros(0)
    return Risks(members, risk, model.explain(X, top) if len(members) else [], model)
