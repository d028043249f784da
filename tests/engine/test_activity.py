"""Activity scores, engagement levels and month-over-month movement, with answers by hand."""

import numpy as np
import pytest

from seedbed.engine.activity import DAY, ActivityModel

NOW = 1000 * DAY


def test_an_action_one_half_life_old_counts_half_its_weight():
    model = ActivityModel(weights={"post": 4.0}, half_life_days=10).fit(
        [0, 0, 1], ["post", "post", "post"], [NOW, NOW - 10 * DAY, NOW - 20 * DAY]
    )
    assert model.scores(NOW) == pytest.approx([4.0 + 2.0, 1.0])


def test_weights_are_configurable_and_unknown_kinds_weigh_the_default():
    model = ActivityModel(weights={"reaction": 0.25}, default_weight=7.0).fit(
        [0, 1], ["reaction", "mystery"], [NOW, NOW]
    )
    assert model.scores(NOW) == pytest.approx([0.25, 7.0])


def test_actions_after_the_asked_time_are_ignored():
    model = ActivityModel(weights={"post": 1.0}, half_life_days=1).fit(
        [0, 0], ["post", "post"], [NOW - DAY, NOW + DAY]
    )
    assert model.scores(NOW) == pytest.approx([0.5])


def test_datetimes_and_epoch_seconds_give_the_same_scores():
    stamps = np.array(["2026-01-01T00:00", "2026-01-11T00:00"], dtype="datetime64[m]")
    model = ActivityModel(weights={"post": 1.0}, half_life_days=10).fit(
        [0, 0], ["post"] * 2, stamps
    )
    assert model.scores(np.datetime64("2026-01-11T00:00")) == pytest.approx([1.5])


def _levels_log():
    # weights: post 1; half-life 10 days; thresholds core 3, active 1.5
    members, times = [], []

    def act(member, *days_ago):
        for d in days_ago:
            members.append(member)
            times.append(NOW - d * DAY)

    act(0, 100, 0, 0, 0, 0)  # core: 4.0 + a trickle from 100 days ago
    act(1, 100, 0, 0)  # active: about 2
    act(2, 100, 5)  # casual: about 0.7
    act(3, 10)  # new: first action 10 days ago
    act(4, 200, 120)  # dormant: idle 120 days
    act(5, 200, 31, 31, 31, 31, 31, 31, 31, 31)  # at risk: 8 points a month ago, about 0.9 now
    return members, times


def test_each_member_gets_the_level_of_the_first_rule_that_matches_with_the_reason():
    members, times = _levels_log()
    model = ActivityModel(
        weights={"post": 1.0},
        half_life_days=10,
        new_days=30,
        dormant_days=90,
        lookback_days=30,
        at_risk_drop=0.5,
        core_score=3,
        active_score=1.5,
    ).fit(members, ["post"] * len(members), times, n_members=7)
    levels = model.levels(NOW)
    assert list(levels.level) == [
        "core",
        "active",
        "casual",
        "new",
        "dormant",
        "at risk",
        "dormant",
    ]
    assert levels.reason[3] == "first action 10 days ago (under 30)"
    assert levels.reason[4] == "no action for 120 days (90 or more)"
    assert levels.reason[6] == "no action yet"
    assert levels.reason[5].startswith("score fell from 7.5 to 0.9 in 30 days")
    assert levels.reason[0] == "score 4.0 (at least 3)"


def test_transitions_name_who_moved_up_and_who_slipped_month_over_month():
    # member 0 casual then, active now; member 1 core then, at risk now; member 2 steady casual
    members = [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2]
    days_ago = [100, 40, 1, 1, 100, 31, 31, 31, 31, 80, 50, 20]
    model = ActivityModel(
        weights={"post": 1.0}, half_life_days=20, core_score=3, active_score=1.5, dormant_days=90
    ).fit(members, ["post"] * 12, [NOW - d * DAY for d in days_ago])
    moves = model.transitions(NOW - 30 * DAY, NOW)
    assert list(moves.moved_up) == [0]
    assert list(moves.slipped) == [1]
    assert moves.counts[("casual", "active")] == 1
    assert moves.counts[("core", "at risk")] == 1
    assert moves.counts[("casual", "casual")] == 1


@pytest.mark.parametrize(
    ("members", "kinds", "times", "message"),
    [
        ([0, 1], ["post"], [0.0, 1.0], "same length"),
        ([-1], ["post"], [0.0], "non-negative"),
        ([0], ["post"], [np.nan], "finite"),
    ],
)
def test_bad_logs_are_refused_with_a_clear_message(members, kinds, times, message):
    with pytest.raises(ValueError, match=message):
        ActivityModel().fit(members, kinds, times)


def test_asking_before_fitting_says_so():
    with pytest.raises(RuntimeError, match="fit first"):
        ActivityModel().scores(NOW)


def test_levels_carry_the_rule_code_and_the_numbers_it_read():
    members, times = _levels_log()
    model = ActivityModel(
        weights={"post": 1.0}, half_life_days=10, core_score=3, active_score=1.5
    ).fit(members, ["post"] * len(members), times, n_members=7)
    levels = model.levels(NOW)
    assert list(levels.rule) == [
        "core",
        "active",
        "casual",
        "new",
        "dormant",
        "at_risk",
        "no_action",
    ]
    assert levels.days_idle[4] == pytest.approx(120)
    assert levels.days_since_first[3] == pytest.approx(10)
    assert levels.score_before[5] == pytest.approx(7.5, abs=0.05)
    assert np.isinf(levels.days_idle[6])


def test_the_rules_are_data_an_operator_can_read_with_this_models_thresholds():
    model = ActivityModel(dormant_days=60, core_score=25, at_risk_drop=0.4)
    rules = model.rules()
    assert [r.code for r in rules] == [
        "no_action",
        "new",
        "dormant",
        "at_risk",
        "core",
        "active",
        "casual",
    ]
    by_code = {r.code: r for r in rules}
    assert by_code["dormant"].params == {"dormant_days": 60}
    assert by_code["dormant"].condition == "no action in the last 60 days"
    assert by_code["core"].level == "core"
    assert "40%" in by_code["at_risk"].condition
    assert {r.level for r in rules} == {"dormant", "new", "at risk", "core", "active", "casual"}


def test_every_level_a_member_gets_is_explained_by_a_listed_rule():
    members, times = _levels_log()
    model = ActivityModel(weights={"post": 1.0}, half_life_days=10).fit(
        members, ["post"] * len(members), times, n_members=7
    )
    rules = {r.code: r.level for r in model.rules()}
    levels = model.levels(NOW)
    assert all(rules[code] == level for code, level in zip(levels.rule, levels.level, strict=True))


def test_transitions_keep_each_members_level_before_and_after():
    model = ActivityModel(weights={"post": 1.0}, half_life_days=20, active_score=1.5).fit(
        [0, 0, 0], ["post"] * 3, [NOW - 100 * DAY, NOW - DAY, NOW - DAY]
    )
    moves = model.transitions(NOW - 30 * DAY, NOW)
    assert list(moves.level_before) == ["casual"]
    assert list(moves.level_after) == ["active"]
