"""Turnout: known answers on tiny inputs, a sensible answer with no history, and a model that
beats the last event's rate on generated data with planted show-up habits and a lead-time
effect."""

import numpy as np
import pytest

from seedbed.engine.activity import DAY
from seedbed.engine.turnout import (
    Forecast,
    RsvpHistory,
    TurnoutModel,
    evaluate_turnout,
    last_event_rate,
)

KINDS = ("salon", "roadshow", "meetup", "competition")
KIND_EFFECT = {"salon": 0.3, "roadshow": -0.6, "meetup": 0.0, "competition": 0.8}


def community(n_members=600, n_events=120, seed=0):
    """Weekly-ish events; each member has a fixed show-up propensity (the planted habit), saying
    yes weeks ahead lowers the odds, and the kind of event shifts them."""
    rng = np.random.default_rng(seed)
    habit = rng.normal(0.6, 1.3, n_members)
    popularity = rng.lognormal(0, 0.8, n_members)
    popularity /= popularity.sum()
    rows: dict[str, list] = {k: [] for k in ("member", "event", "start", "rsvp", "kind", "came")}
    for e in range(n_events):
        start = (e * 3.5 + rng.uniform(0, 1)) * DAY + 19 * 3600
        kind = KINDS[rng.integers(len(KINDS))]
        size = int(rng.integers(15, 80))
        who = rng.choice(n_members, size=size, replace=False, p=popularity)
        lead = rng.exponential(6, size)
        logit = habit[who] - 0.5 * np.log1p(lead) + KIND_EFFECT[kind]
        came = rng.uniform(size=size) < 1 / (1 + np.exp(-logit))
        rows["member"] += list(who)
        rows["event"] += [e] * size
        rows["start"] += [start] * size
        rows["rsvp"] += list(start - lead * DAY)
        rows["kind"] += [kind] * size
        rows["came"] += list(came)
    return RsvpHistory.of(
        rows["member"], rows["event"], rows["start"], rows["rsvp"], rows["kind"], rows["came"]
    )


def test_with_no_history_every_rsvp_gets_the_prior_rate():
    upcoming = RsvpHistory.of([1, 2], [9, 9], [10 * DAY] * 2, [DAY] * 2, ["meetup"] * 2)
    model = TurnoutModel(prior_rate=0.6).fit(upcoming, until=5 * DAY)
    assert model.predict_proba(upcoming) == pytest.approx([0.6, 0.6])
    forecast = model.expected_attendance(upcoming)[9]
    assert forecast.expected == pytest.approx(1.2)
    assert forecast.no_show_rate == pytest.approx(0.4)
    assert forecast.rsvps == 2
    assert forecast.low <= 1.2 <= forecast.high


def test_a_little_history_shrinks_each_member_towards_the_community_rate():
    # two past events: member 0 came twice, member 1 missed once; then one upcoming event
    history = RsvpHistory.of(
        member=[0, 0, 1, 0, 1, 2],
        event=[1, 2, 2, 3, 3, 3],
        event_start=np.array([1, 2, 2, 9, 9, 9]) * DAY,
        rsvp_at=np.zeros(6),
        event_kind=["salon"] * 6,
        attended=[True, True, False, False, False, False],
    )
    model = TurnoutModel(prior_rate=0.5, prior_strength=2).fit(history, until=5 * DAY)
    base = (2 + 2 * 0.5) / (3 + 2)  # 2 of 3 past RSVPs came, plus the prior
    assert model.base_rate_ == pytest.approx(base)
    p = model.predict_proba(history)[3:]
    assert p == pytest.approx([(2 + 2 * base) / 4, (0 + 2 * base) / 3, base])
    assert model.expected_attendance(history)[3].expected == pytest.approx(p.sum())


def test_outcomes_of_events_after_now_are_not_history():
    history = RsvpHistory.of(
        [0, 0], [1, 2], [1 * DAY, 3 * DAY], [0, 0], ["salon"] * 2, [False, False]
    )
    model = TurnoutModel(prior_rate=0.5, prior_strength=1).fit(history, until=2 * DAY)
    assert model.predict_proba(history, now=0.5 * DAY) == pytest.approx([0.25, 0.25])
    assert model.predict_proba(history)[1] == pytest.approx((0 + 0.25) / 2)


def test_the_last_event_rate_is_the_share_who_came_to_the_latest_held_event():
    history = RsvpHistory.of(
        [0, 1, 2, 0, 1],
        [1, 1, 1, 2, 2],
        [1, 1, 1, 2, 2],
        [0] * 5,
        ["m"] * 5,
        [1, 1, 0, 1, 0],
    )
    assert last_event_rate(history, before=1.5) == pytest.approx(2 / 3)
    assert last_event_rate(history, before=3) == pytest.approx(0.5)
    assert last_event_rate(history, before=0, default=0.7) == 0.7


def test_the_model_beats_the_last_event_rate_on_planted_habits_and_lead_times():
    history = community()
    result = evaluate_turnout(history, cutoff=300 * DAY)
    assert result.n_test_events > 30
    assert result.auc > 0.75
    assert result.log_loss < result.baseline_log_loss - 0.05
    assert result.mae < 0.8 * result.baseline_mae
    assert 0.6 <= result.interval_coverage <= 1.0


def test_the_model_learns_that_a_late_yes_is_a_surer_yes():
    history = community(seed=1)
    model = TurnoutModel().fit(history, until=300 * DAY)
    upcoming = RsvpHistory.of(
        [5, 5], [999, 998], [500 * DAY] * 2, [499 * DAY, 470 * DAY], ["meetup"] * 2
    )
    same_day, month_ahead = model.predict_proba(upcoming)
    assert same_day > month_ahead


def test_forecasts_come_for_every_event_with_sane_numbers():
    history = community(n_events=40, seed=2)
    model = TurnoutModel().fit(history, until=100 * DAY)
    forecasts = model.expected_attendance(history)
    assert set(forecasts) == set(np.unique(history.event).tolist())
    for f in forecasts.values():
        assert isinstance(f, Forecast)
        assert 0 <= f.low <= f.expected <= f.high <= f.rsvps
        assert 0 <= f.no_show_rate <= 1


def test_mismatched_columns_and_unfitted_models_are_refused():
    with pytest.raises(ValueError, match="same length"):
        RsvpHistory.of([0, 1], [1], [0.0], [0.0], ["m"])
    with pytest.raises(ValueError, match="finite"):
        RsvpHistory.of([0], [1], [np.nan], [0.0], ["m"])
    with pytest.raises(RuntimeError, match="fit first"):
        TurnoutModel().predict_proba(RsvpHistory.of([0], [1], [0.0], [0.0], ["m"]))


def test_the_upcoming_rsvps_alone_get_the_same_forecast_as_the_whole_history():
    history = community(n_events=60, seed=3)
    until = 150 * DAY
    model = TurnoutModel().fit(history, until)
    upcoming = history.event_start >= until
    alone = model.predict_proba(history.subset(upcoming))
    assert alone == pytest.approx(model.predict_proba(history)[upcoming])
    assert model.expected_attendance(history.subset(upcoming)) == {
        e: f
        for e, f in model.expected_attendance(history).items()
        if e in set(history.event[upcoming].tolist())
    }


def test_no_rsvps_at_all_give_no_forecasts_rather_than_an_error():
    empty = RsvpHistory.of([], [], [], [], [])
    assert TurnoutModel().fit(empty, until=0.0).expected_attendance(empty) == {}
    model = TurnoutModel().fit(community(n_events=40), until=100 * DAY)
    assert len(model.predict_proba(empty)) == 0
    assert model.expected_attendance(empty) == {}
