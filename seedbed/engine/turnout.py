"""Turnout: how many of an event's RSVPs will come, from how members behaved before.

Each confirmed RSVP gets a probability of attending from a logistic regression on what is known
when the event is announced: the member's own attendance rate so far, shrunk towards the
community's rate by a Beta prior (a member with no past RSVP gets the community's rate, a member
with one no-show is not written off), how many RSVPs that rate rests on, how long before the
event they said yes, the event's kind, weekday, hour and size. A member's rate at an event uses
only events that started before it *and* before ``now`` (by default the ``until`` the model was
fitted with), so training rows and forecasts see the same kind of history and nothing leaks.

With too little history for a regression (fewer than ``min_rows`` past RSVPs or only one
outcome) the model falls back to the shrunk rate alone; with none at all, to ``prior_rate``.

An event's attendance is the sum of its RSVPs' outcomes, so the forecast is that sum's
expectation, and ``low``/``high`` are quantiles of the Poisson-binomial it follows, widened by the
event-to-event spread seen in training (whole events run hot or cold: rain, a famous speaker).

The baseline it is judged against is what an organiser does by hand: the share of RSVPs that
came to the last event held, applied to the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import logit
from scipy.stats import norm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

from seedbed.engine.activity import DAY, as_seconds

__all__ = [
    "Forecast",
    "RsvpHistory",
    "TurnoutEvaluation",
    "TurnoutModel",
    "evaluate_turnout",
    "last_event_rate",
]

HOUR_BINS = (0, 9, 12, 14, 18, 21, 24)  # night/morning, late morning, lunch, afternoon, evening


@dataclass
class RsvpHistory:
    """One row per confirmed RSVP, past or upcoming; ``attended`` is ignored for events not yet
    held. Times are seconds since the epoch (UTC)."""

    member: np.ndarray
    event: np.ndarray
    event_start: np.ndarray
    rsvp_at: np.ndarray
    event_kind: np.ndarray
    attended: np.ndarray

    @classmethod
    def of(
        cls,
        member: ArrayLike,
        event: ArrayLike,
        event_start: ArrayLike,
        rsvp_at: ArrayLike,
        event_kind: ArrayLike,
        attended: ArrayLike | None = None,
    ) -> RsvpHistory:
        """Validated arrays from lists (datetime64 accepted for the times); ``attended`` may be
        left out when every event is still to come."""
        m = np.asarray(member, dtype=np.int64)
        e = np.asarray(event, dtype=np.int64)
        s = as_seconds(event_start)
        r = as_seconds(rsvp_at)
        k = np.asarray(event_kind, dtype=object).astype(str).astype(object)
        a = np.zeros(len(m), dtype=bool) if attended is None else np.asarray(attended, dtype=bool)
        if not (m.ndim == e.ndim == s.ndim == r.ndim == k.ndim == a.ndim == 1) or not (
            len(m) == len(e) == len(s) == len(r) == len(k) == len(a)
        ):
            raise ValueError(
                "member, event, event_start, rsvp_at, event_kind and attended must be 1-D "
                "and the same length"
            )
        if not (np.isfinite(s).all() and np.isfinite(r).all()):
            raise ValueError("event_start and rsvp_at must be finite")
        return cls(m, e, s, r, k, a)

    def __len__(self) -> int:
        return len(self.member)

    def subset(self, mask: np.ndarray) -> RsvpHistory:
        return RsvpHistory(
            self.member[mask],
            self.event[mask],
            self.event_start[mask],
            self.rsvp_at[mask],
            self.event_kind[mask],
            self.attended[mask],
        )


@dataclass(frozen=True)
class Forecast:
    """One event: expected attendance, an interval (``interval`` of the outcomes fall inside),
    the expected no-show share and the number of RSVPs it rests on."""

    expected: float
    low: float
    high: float
    no_show_rate: float
    rsvps: int


def _past_outcomes(history: RsvpHistory, now: float) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the member's RSVPs and attendances at events that started before this row's
    event and before ``now``."""
    _, rank = np.unique(history.event_start, return_inverse=True)
    key = history.member * (int(rank.max(initial=0)) + 1) + rank
    order = np.argsort(key, kind="stable")
    known = (history.event_start < now)[order]
    came = known & history.attended[order]
    cum_seen = np.r_[0, np.cumsum(known)]
    cum_came = np.r_[0, np.cumsum(came)]
    sorted_key = key[order]
    here = np.searchsorted(sorted_key, key, side="left")
    first = np.searchsorted(sorted_key, key - rank, side="left")
    return (
        (cum_seen[here] - cum_seen[first]).astype(float),
        (cum_came[here] - cum_came[first]).astype(float),
    )


class TurnoutModel:
    """P(attends) for each RSVP and expected attendance per event (sklearn conventions).

    ``prior_strength`` is how many RSVPs' worth of weight the community rate gets in a member's
    shrunk rate; ``tz_offset_hours`` moves UTC to local time for the weekday and hour features.
    """

    def __init__(
        self,
        prior_rate: float = 0.6,
        prior_strength: float = 4.0,
        C: float = 1.0,
        min_rows: int = 50,
        tz_offset_hours: float = 0.0,
        interval: float = 0.8,
    ) -> None:
        self.prior_rate = prior_rate
        self.prior_strength = prior_strength
        self.C = C
        self.min_rows = min_rows
        self.tz_offset_hours = tz_offset_hours
        self.interval = interval

    def _member_history(self, history: RsvpHistory, now: float) -> tuple[np.ndarray, np.ndarray]:
        """``_past_outcomes`` for the rows of ``history`` over the RSVPs the model was fitted on
        plus those of ``history`` (a row in both counts once), so a caller may pass only the
        upcoming RSVPs."""
        past = getattr(self, "past_", None)
        if past is None or not len(past):
            return _past_outcomes(history, now)
        width = int(max(past.event.max(), history.event.max(initial=0))) + 1
        known = past.member * width + past.event
        keys = history.member * width + history.event
        extra = ~np.isin(keys, known)
        both = RsvpHistory(
            *(
                np.concatenate([getattr(past, f), getattr(history, f)[extra]])
                for f in ("member", "event", "event_start", "rsvp_at", "event_kind", "attended")
            )
        )
        seen, came = _past_outcomes(both, now)
        all_keys = np.concatenate([known, keys[extra]])
        order = np.argsort(all_keys, kind="stable")
        where = order[np.searchsorted(all_keys[order], keys)]
        return seen[where], came[where]

    def _features(self, history: RsvpHistory, now: float) -> tuple[np.ndarray, np.ndarray]:
        seen, came = self._member_history(history, now)
        a = self.prior_strength
        shrunk = (came + a * self.base_rate_) / (seen + a)
        lead = np.log1p(np.clip(history.event_start - history.rsvp_at, 0, None) / DAY)
        _, inverse, counts = np.unique(history.event, return_inverse=True, return_counts=True)
        size = np.log1p(counts[inverse])
        local = history.event_start + self.tz_offset_hours * 3600.0
        weekday = ((local // DAY).astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
        hour = (local % DAY) / 3600.0
        hour_bin = np.searchsorted(HOUR_BINS, hour, side="right") - 1
        kinds = history.event_kind[:, None] == np.array(self.kinds_, dtype=object)[None, :]
        days = weekday[:, None] == np.arange(7)[None, :]
        hours = hour_bin[:, None] == np.arange(len(HOUR_BINS) - 1)[None, :]
        numeric = np.column_stack([logit(np.clip(shrunk, 0.01, 0.99)), np.log1p(seen), lead, size])
        X = np.hstack([numeric, kinds, days, hours]).astype(float)
        return X, shrunk

    def fit(self, history: RsvpHistory, until: float) -> TurnoutModel:
        """Learn from RSVPs to events that started before ``until`` (their outcomes are known)."""
        self.until_ = float(until)
        past = history.subset(history.event_start < until)
        a = self.prior_strength
        self.base_rate_ = float((past.attended.sum() + a * self.prior_rate) / (len(past) + a))
        self.kinds_ = sorted(set(past.event_kind.tolist()))
        self.n_train_ = len(past)
        self.past_ = None
        self.classifier_: LogisticRegression | None = None
        self.spread_ = 0.0
        if len(past) >= self.min_rows and len(np.unique(past.attended)) == 2:
            X, _ = self._features(past, self.until_)
            self.scaler_ = StandardScaler().fit(X)
            self.classifier_ = LogisticRegression(C=self.C, max_iter=1000)
            self.classifier_.fit(self.scaler_.transform(X), past.attended.astype(int))
            self.spread_ = self._event_spread(past, self._predict(past, self.until_))
        self.past_ = past
        return self

    @staticmethod
    def _event_spread(past: RsvpHistory, p: np.ndarray) -> float:
        """Extra per-event variance beyond the binomial, as a share of the RSVPs squared
        (method of moments over training events, never below 0)."""
        _, inv = np.unique(past.event, return_inverse=True)
        n = np.bincount(inv).astype(float)
        err = np.bincount(inv, weights=past.attended - p)
        binom = np.bincount(inv, weights=p * (1 - p))
        return float(max(0.0, np.mean((err**2 - binom) / n**2)))

    def _predict(self, history: RsvpHistory, now: float) -> np.ndarray:
        if not len(history):
            return np.zeros(0)
        X, shrunk = self._features(history, now)
        if self.classifier_ is None:
            return shrunk
        return self.classifier_.predict_proba(self.scaler_.transform(X))[:, 1]

    def predict_proba(self, history: RsvpHistory, now: float | None = None) -> np.ndarray:
        """P(attends) per row. A member's past is the RSVPs ``fit`` saw plus any in ``history``;
        outcomes count only for events that started before ``now`` (default: the ``until``
        given to ``fit``)."""
        if not hasattr(self, "until_"):
            raise RuntimeError("TurnoutModel is not fitted yet: call fit first")
        return self._predict(history, self.until_ if now is None else float(now))

    def expected_attendance(
        self, history: RsvpHistory, now: float | None = None
    ) -> dict[int, Forecast]:
        """A forecast for every event in ``history`` (callers pick the upcoming ones)."""
        p = self.predict_proba(history, now)
        out: dict[int, Forecast] = {}
        if not len(history):
            return out
        events, inv = np.unique(history.event, return_inverse=True)
        for j, event in enumerate(events):
            out[int(event)] = self._forecast(p[inv == j])
        return out

    def _forecast(self, p: np.ndarray) -> Forecast:
        n = len(p)
        mean = float(p.sum())
        sd = float(np.sqrt((p * (1 - p)).sum() + self.spread_ * n * n))
        z = float(norm.ppf(0.5 + self.interval / 2))
        low = float(np.clip(np.floor(mean - z * sd + 0.5), 0, n))
        high = float(np.clip(np.ceil(mean + z * sd - 0.5), 0, n))
        return Forecast(
            expected=mean,
            low=min(low, mean),
            high=max(high, mean),
            no_show_rate=1 - mean / n,
            rsvps=n,
        )


def last_event_rate(history: RsvpHistory, before: float, default: float = 0.6) -> float:
    """Share of RSVPs who came to the latest event that started before ``before``."""
    past = history.event_start < before
    if not past.any():
        return default
    last = history.event_start[past].max()
    latest = past & (history.event_start == last)
    return float(history.attended[latest].mean())


@dataclass(frozen=True)
class TurnoutEvaluation:
    """Forecasts for events from ``cutoff`` on, made with what was known at ``cutoff``: the model
    against the last held event's rate. Per event: mean absolute error of attendance; per RSVP:
    ROC-AUC (a single rate for all RSVPs ranks nobody, so the baseline's is 0.5) and log-loss."""

    mae: float
    baseline_mae: float
    auc: float
    baseline_auc: float
    log_loss: float
    baseline_log_loss: float
    interval_coverage: float
    n_train: int
    n_test: int
    n_test_events: int
    attendance_rate: float
    #: A stronger reference than the last event: each member's own past rate (with the prior)
    #: and nothing else.
    member_rate_mae: float = float("nan")
    member_rate_auc: float = float("nan")


def evaluate_turnout(
    history: RsvpHistory, cutoff: float, model: TurnoutModel | None = None
) -> TurnoutEvaluation:
    """Fit on events before ``cutoff``, forecast the ones from ``cutoff`` on."""
    model = (model or TurnoutModel()).fit(history, cutoff)
    later = history.event_start >= cutoff
    test = history.subset(later)
    if not len(test) or len(np.unique(test.attended)) < 2:
        raise ValueError("the test period needs RSVPs that came and RSVPs that did not")
    p = model.predict_proba(history, now=cutoff)[later]
    rate = last_event_rate(history, cutoff, model.prior_rate)
    events, inv = np.unique(test.event, return_inverse=True)
    actual = np.bincount(inv, weights=test.attended.astype(float))
    rsvps = np.bincount(inv).astype(float)
    expected = np.bincount(inv, weights=p)
    forecasts = model.expected_attendance(history, now=cutoff)
    inside = [
        forecasts[int(e)].low <= a <= forecasts[int(e)].high
        for e, a in zip(events, actual, strict=True)
    ]
    y = test.attended.astype(int)
    flat = np.full(len(test), np.clip(rate, 0.01, 0.99))
    seen, came = _past_outcomes(history, cutoff)
    a = model.prior_strength
    own = ((came + a * model.base_rate_) / (seen + a))[later]
    return TurnoutEvaluation(
        mae=float(np.abs(expected - actual).mean()),
        baseline_mae=float(np.abs(rate * rsvps - actual).mean()),
        auc=float(roc_auc_score(y, p)),
        baseline_auc=0.5,
        log_loss=float(log_loss(y, np.clip(p, 1e-6, 1 - 1e-6), labels=[0, 1])),
        baseline_log_loss=float(log_loss(y, flat, labels=[0, 1])),
        interval_coverage=float(np.mean(inside)),
        n_train=model.n_train_,
        n_test=len(test),
        n_test_events=len(events),
        attendance_rate=float(y.mean()),
        member_rate_mae=float(np.abs(np.bincount(inv, weights=own) - actual).mean()),
        member_rate_auc=float(roc_auc_score(y, own)),
    )
