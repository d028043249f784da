"""Churn: features at a cutoff by hand, and a model that finds a planted signal the recency
baseline cannot see."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from seedbed.engine.activity import DAY
from seedbed.engine.churn import (
    FEATURES,
    REASON_UNITS,
    ChurnModel,
    Log,
    active_at,
    churn_features,
    evaluate_time_split,
    natural_values,
    precision_at_top,
    risks_at,
    went_silent,
)


def _community(n=2000, days=240, seed=0):
    """Members join over time and post, reply and attend at their own rates. Two in five are
    rarely answered (5 % of their posts get a reply, against 80 %) and only they go silent for
    good, at 2 % a day: the planted signal, which recency alone cannot see before they stop."""
    rng = np.random.default_rng(seed)
    rate = rng.lognormal(np.log(0.3), 0.5, n)
    answered = np.where(rng.uniform(size=n) < 0.4, 0.05, 0.8)
    hazard = np.where(answered < 0.5, 0.02, 0.0)
    joined = rng.uniform(-100, days, n)
    alive = np.ones(n, dtype=bool)
    members, kinds, times, targets = [], [], [], []
    for day in range(days):
        alive &= (rng.uniform(size=n) >= hazard) | (joined > day)
        here = alive & (joined <= day)
        who = np.repeat(np.flatnonzero(here), rng.poisson(rate[here]))
        if not len(who):
            continue
        when = (day + rng.uniform(size=len(who))) * DAY
        kind = rng.choice(["post", "attend"], size=len(who), p=[0.8, 0.2])
        members += list(who)
        kinds += list(kind)
        times += list(when)
        targets += [-1] * len(who)
        posts = np.flatnonzero((kind == "post") & (rng.uniform(size=len(who)) < answered[who]))
        living = np.flatnonzero(here)
        repliers = rng.choice(living, size=len(posts))
        keep = repliers != who[posts]
        members += list(repliers[keep])
        kinds += ["reply"] * int(keep.sum())
        times += list(when[posts][keep] + 0.1 * DAY)
        targets += list(who[posts][keep])
    return Log.of(members, kinds, times, targets, n_members=n)


def test_features_at_a_cutoff_use_only_what_happened_before_it():
    log = Log.of(
        members=[0, 0, 1, 0, 2, 0],
        kinds=["post", "post", "reply", "attend", "reply", "post"],
        times=np.array([1, 20, 21, 40, 45, 60]) * DAY,
        targets=[-1, -1, 0, -1, 0, -1],
        n_members=3,
    )
    row = dict(zip(FEATURES, churn_features(log, cutoff=50 * DAY)[0], strict=True))
    assert row["days_since_last_action"] == pytest.approx(10)
    assert row["actions_last_30_days"] == pytest.approx(np.log1p(2))  # days 20 and 40
    assert row["actions_last_90_days"] == pytest.approx(np.log1p(3))
    assert row["trend"] == pytest.approx(np.log1p(2) - np.log1p(1))
    assert row["replies_received_90_days"] == pytest.approx(np.log1p(2))
    assert row["events_attended_90_days"] == pytest.approx(np.log1p(1))
    assert row["partners_90_days"] == pytest.approx(np.log1p(2))


def test_active_members_and_who_went_silent_are_read_off_the_log():
    log = Log.of([0, 1, 1, 2], ["post"] * 4, np.array([5, 25, 35, 40]) * DAY)
    assert list(active_at(log, 30 * DAY)) == [0, 1]
    assert list(went_silent(log, 30 * DAY)) == [1, 0, 0]


def test_the_model_beats_recency_alone_on_a_planted_signal_over_a_time_split():
    model, result = evaluate_time_split(_community(), 150 * DAY, 200 * DAY)
    assert result.n_test > 1000
    assert 0.03 < result.churn_rate < 0.2
    assert result.auc > result.baseline_auc + 0.03
    assert result.auc > 0.95
    assert result.precision_top_decile > result.baseline_precision_top_decile
    replies = FEATURES.index("replies_received_90_days")
    assert model.coef_[replies] < 0


def test_each_at_risk_member_gets_their_top_reasons_in_words():
    log = _community()
    model, _ = evaluate_time_split(log, 150 * DAY, 200 * DAY)
    X = churn_features(log, 200 * DAY)[active_at(log, 200 * DAY)]
    risk = model.predict_proba(X)
    riskiest = X[np.argsort(-risk)[:5]]
    reasons = model.reasons(riskiest, top=2)
    assert all(1 <= len(r) <= 2 for r in reasons)
    assert "few replies to what they write" in {r for rs in reasons for r in rs}
    assert model.contributions(riskiest).sum(axis=1) == pytest.approx(
        model.classifier_.decision_function(model.scaler_.transform(riskiest))
        - model.classifier_.intercept_[0]
    )


def test_precision_at_the_top_counts_churners_among_the_riskiest_tenth():
    y = [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert precision_at_top(y, np.arange(10)) == 1.0
    assert precision_at_top(y, -np.arange(10), fraction=0.2) == 0.5


def test_a_split_without_room_for_the_labels_or_a_single_class_is_refused():
    log = Log.of([0, 1], ["post"] * 2, [0.0, DAY])
    with pytest.raises(ValueError, match="at least horizon_days"):
        evaluate_time_split(log, 10 * DAY, 20 * DAY)
    with pytest.raises(ValueError, match="both members"):
        ChurnModel().fit([[1.0], [2.0]], [0, 0])


def test_reasons_come_as_stable_codes_with_weights_and_values_in_natural_units():
    log = _community()
    model, _ = evaluate_time_split(log, 150 * DAY, 200 * DAY)
    X = churn_features(log, 200 * DAY)[active_at(log, 200 * DAY)]
    riskiest = X[np.argsort(-model.predict_proba(X))[:5]]
    explained = model.explain(riskiest, top=3)
    words = model.reasons(riskiest, top=3)
    for reasons, said in zip(explained, words, strict=True):
        assert len(reasons) == len(said)
        assert all(r.code in FEATURES and r.code in REASON_UNITS for r in reasons)
        assert [r.weight for r in reasons] == sorted((r.weight for r in reasons), reverse=True)
        assert all(r.weight > 0 for r in reasons)
    replies = [r for rs in explained for r in rs if r.code == "replies_received_90_days"]
    assert replies and all(r.value == round(r.value) >= 0 for r in replies)
    assert explained[0][0].as_dict().keys() == {"code", "weight", "value"}


def test_natural_values_undo_the_log_scaling():
    log = Log.of([0, 0, 0], ["post"] * 3, np.array([10, 40, 45]) * DAY)
    values = dict(zip(FEATURES, natural_values(churn_features(log, 50 * DAY))[0], strict=True))
    assert values["days_since_last_action"] == pytest.approx(5)
    assert values["actions_last_30_days"] == pytest.approx(2)
    assert values["actions_last_90_days"] == pytest.approx(3)
    assert values["trend"] == pytest.approx(3 / 2)


def test_risks_now_come_from_a_model_fitted_where_the_labels_are_known():
    log = _community()
    now = 200 * DAY
    result = risks_at(log, now)
    assert list(result.members) == list(active_at(log, now))
    assert len(result.risk) == len(result.members) == len(result.reasons)
    silent = went_silent(log, now)[result.members]
    assert roc_auc_score(silent, result.risk) > 0.9
