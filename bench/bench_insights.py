"""Turnout and churn models against the baselines an organiser would use, on generated data.

No public data set has RSVPs with attendance, or a community's action log with who went quiet,
so both are generated with planted signals (below) over several seeds; each seed is a fresh
community, and the figures are the median and the spread across seeds.

* Turnout: 600 members, 120 events over 14 months (salon, roadshow, meetup, competition, evening
  or lunchtime, any weekday). Each member has a fixed show-up propensity (logit ~ N(0.6, 1.3));
  an RSVP made days ahead is less sure (-0.5 per log-day of lead time); event kinds shift the
  odds. Split in time at day 300: fit on the events before, forecast every event after with
  only what was known at the split. Baseline: the last held event's attendance rate applied to
  every RSVP. Per event: mean absolute error of attendance; per RSVP: ROC-AUC and log-loss;
  and how often the 80 % interval held the real count.
* Churn: 2,000 members joining over 240 days, posting, replying and attending at their own
  pace. Two in five are rarely answered, and only they go silent for good (2 % a day).
  Train at day 150, test at day 200 (members active in the last 30 days; label: no action in
  the next 30). Baseline: days since the last action alone.

Run: .venv/bin/python bench/bench_insights.py (writes bench/results/insights.md and prints it)
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEEDS = int(os.environ.get("BENCH_INSIGHTS_SEEDS", "5"))

from seedbed.engine.activity import DAY  # noqa: E402
from seedbed.engine.churn import Log, evaluate_time_split  # noqa: E402
from seedbed.engine.turnout import RsvpHistory, evaluate_turnout  # noqa: E402

KINDS = ("salon", "roadshow", "meetup", "competition")
KIND_EFFECT = {"salon": 0.3, "roadshow": -0.6, "meetup": 0.0, "competition": 0.8}


def rsvps(seed, n_members=600, n_events=120):
    rng = np.random.default_rng(seed)
    habit = rng.normal(0.6, 1.3, n_members)
    popularity = rng.lognormal(0, 0.8, n_members)
    popularity /= popularity.sum()
    cols = {k: [] for k in ("member", "event", "start", "rsvp", "kind", "came")}
    for e in range(n_events):
        hour = rng.choice([12, 19])
        start = (e * 3.5 + rng.uniform(0, 1)) * DAY + hour * 3600
        kind = KINDS[rng.integers(len(KINDS))]
        size = int(rng.integers(15, 80))
        who = rng.choice(n_members, size=size, replace=False, p=popularity)
        lead = rng.exponential(6, size)
        logit = habit[who] - 0.5 * np.log1p(lead) + KIND_EFFECT[kind]
        came = rng.uniform(size=size) < 1 / (1 + np.exp(-logit))
        cols["member"] += list(who)
        cols["event"] += [e] * size
        cols["start"] += [start] * size
        cols["rsvp"] += list(start - lead * DAY)
        cols["kind"] += [kind] * size
        cols["came"] += list(came)
    return RsvpHistory.of(
        cols["member"], cols["event"], cols["start"], cols["rsvp"], cols["kind"], cols["came"]
    )


def actions(seed, n=2000, days=240):
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
        repliers = rng.choice(np.flatnonzero(here), size=len(posts))
        keep = repliers != who[posts]
        members += list(repliers[keep])
        kinds += ["reply"] * int(keep.sum())
        times += list(when[posts][keep] + 0.1 * DAY)
        targets += list(who[posts][keep])
    return Log.of(members, kinds, times, targets, n_members=n)


def spread(values, digits=3):
    return (
        f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–"
        f"{max(values):.{digits}f})"
    )


def main():
    turnout = []
    for seed in range(SEEDS):
        history = rsvps(seed)
        start = time.perf_counter()
        result = evaluate_turnout(history, cutoff=300 * DAY)
        turnout.append((result, time.perf_counter() - start))
        print(f"turnout seed {seed}: {result}", flush=True)
    churn = []
    for seed in range(SEEDS):
        log = actions(seed)
        start = time.perf_counter()
        _, result = evaluate_time_split(log, 150 * DAY, 200 * DAY)
        churn.append((result, time.perf_counter() - start))
        print(f"churn seed {seed}: {result}", flush=True)

    def t(field):
        return [getattr(r, field) for r, _ in turnout]

    def c(field):
        return [getattr(r, field) for r, _ in churn]

    first = turnout[0][0]
    lines = [
        "## Turnout and churn (`seedbed.engine.turnout`, `seedbed.engine.churn`,"
        " `bench/bench_insights.py`)",
        "",
        f"Machine: {platform.platform()}, os.cpu_count() = {os.cpu_count()}, Python "
        f"{platform.python_version()}. Generated data with planted signals (see the script's"
        f" docstring), {SEEDS} seeds; median (min–max) across seeds.",
        "",
        "### Turnout: forecasts made at a time split against the last event's rate",
        "",
        f"About {first.n_train:,} past RSVPs to fit, {first.n_test:,} RSVPs to"
        f" {first.n_test_events} later events to forecast per seed; attendance rate"
        f" {spread(t('attendance_rate'), 2)}.",
        "",
        "| measure | model | last event's rate (baseline) | member's own past rate |",
        "|---|---|---|---|",
        f"| per-event attendance MAE (people) | {spread(t('mae'), 2)} |"
        f" {spread(t('baseline_mae'), 2)} | {spread(t('member_rate_mae'), 2)} |",
        f"| per-RSVP ROC-AUC | {spread(t('auc'))} | 0.500 (one rate ranks nobody) |"
        f" {spread(t('member_rate_auc'))} |",
        f"| per-RSVP log-loss | {spread(t('log_loss'))} | {spread(t('baseline_log_loss'))} | — |",
        f"| 80 % interval held the real count | {spread(t('interval_coverage'), 2)} | — | — |",
        f"| fit and forecast time | {spread([s for _, s in turnout], 2)} s | — | — |",
        "",
        "### Churn: will a member active now go silent in the next 30 days",
        "",
        f"About {churn[0][0].n_train:,} active members to fit and {churn[0][0].n_test:,} to"
        f" rank per seed; churn rate {spread(c('churn_rate'), 3)}.",
        "",
        "| measure | model | days since last action alone |",
        "|---|---|---|",
        f"| ROC-AUC | {spread(c('auc'))} | {spread(c('baseline_auc'))} |",
        f"| precision in the riskiest 10 % | {spread(c('precision_top_decile'))} |"
        f" {spread(c('baseline_precision_top_decile'))} |",
        f"| features, fit and scoring time | {spread([s for _, s in churn], 2)} s | — |",
        "",
        "The riskiest 10 % holds more members than there are churners when the churn rate is"
        " under 10 %, so precision there cannot reach 1 (about 0.6 at most here).",
        "",
        "Planted signals are what the models are built to find; these figures show that they"
        " find them and that the baselines cannot, not how they will do on a real community.",
        "",
    ]
    text = "\n".join(lines)
    (ROOT / "bench" / "results" / "insights.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
