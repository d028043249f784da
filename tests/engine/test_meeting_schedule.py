import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedbed.engine.matching.schedule import (
    Schedule,
    greedy_schedule,
    pair_weights,
    preference_weight,
    schedule_meetings,
)

NO = -math.inf


def assert_feasible(result: Schedule, weights, fa, ia, tables, f_limit=None, i_limit=None):
    weights = np.asarray(weights, dtype=float)
    n_f, n_i = weights.shape
    f_limit = np.full(n_f, 10**9) if f_limit is None else np.broadcast_to(f_limit, (n_f,))
    i_limit = np.full(n_i, 10**9) if i_limit is None else np.broadcast_to(i_limit, (n_i,))
    seen_pairs, f_slot, i_slot, slot_table = set(), set(), set(), set()
    f_count, i_count = np.zeros(n_f, int), np.zeros(n_i, int)
    for m in result.meetings:
        w = weights[m.founder, m.investor]
        assert np.isfinite(w) and w > 0, "unwanted or vetoed pair scheduled"
        assert m.weight == w
        assert fa[m.founder][m.slot] and ia[m.investor][m.slot], "someone is not available"
        assert 1 <= m.table <= tables[m.slot], "table number out of range"
        assert (m.founder, m.investor) not in seen_pairs, "pair met twice"
        assert (m.founder, m.slot) not in f_slot, "founder double-booked"
        assert (m.investor, m.slot) not in i_slot, "investor double-booked"
        assert (m.slot, m.table) not in slot_table, "table used twice in a slot"
        seen_pairs.add((m.founder, m.investor))
        f_slot.add((m.founder, m.slot))
        i_slot.add((m.investor, m.slot))
        slot_table.add((m.slot, m.table))
        f_count[m.founder] += 1
        i_count[m.investor] += 1
    assert np.all(f_count <= f_limit) and np.all(i_count <= i_limit), "limit exceeded"
    for s, t in enumerate(tables):
        assert sum(1 for m in result.meetings if m.slot == s) <= t
    assert result.total_weight == pytest.approx(sum(m.weight for m in result.meetings))
    assert result.upper_bound >= result.total_weight - 1e-9


def brute_force_optimum(weights, fa, ia, tables, f_limit, i_limit) -> float:
    weights = np.asarray(weights, dtype=float)
    candidates = [
        (f, i, s)
        for f, i in itertools.product(range(weights.shape[0]), range(weights.shape[1]))
        for s in range(len(tables))
        if np.isfinite(weights[f, i]) and weights[f, i] > 0 and fa[f][s] and ia[i][s]
    ]
    best = 0.0
    for r in range(len(candidates) + 1):
        for subset in itertools.combinations(candidates, r):
            pairs = [(f, i) for f, i, _ in subset]
            if len(set(pairs)) < len(pairs):
                continue
            if len({(f, s) for f, _, s in subset}) < r or len({(i, s) for _, i, s in subset}) < r:
                continue
            if any(sum(1 for *_, s in subset if s == k) > t for k, t in enumerate(tables)):
                continue
            if any(sum(1 for f, _, _ in subset if f == k) > lim for k, lim in enumerate(f_limit)):
                continue
            if any(sum(1 for _, i, _ in subset if i == k) > lim for k, lim in enumerate(i_limit)):
                continue
            best = max(best, sum(weights[f, i] for f, i, _ in subset))
    return best


@st.composite
def instances(draw, max_f=4, max_i=3, max_s=3):
    n_f = draw(st.integers(0, max_f))
    n_i = draw(st.integers(0, max_i))
    n_s = draw(st.integers(0, max_s))
    prefs = st.sampled_from(["must", "like", "", "no"])
    a = [[preference_weight(draw(prefs)) for _ in range(n_i)] for _ in range(n_f)]
    b = [[preference_weight(draw(prefs)) for _ in range(n_i)] for _ in range(n_f)]
    weights = pair_weights(np.asarray(a).reshape(n_f, n_i), np.asarray(b).reshape(n_f, n_i))
    fa = np.asarray([[draw(st.booleans()) for _ in range(n_s)] for _ in range(n_f)], bool)
    ia = np.asarray([[draw(st.booleans()) for _ in range(n_s)] for _ in range(n_i)], bool)
    tables = [draw(st.integers(0, 3)) for _ in range(n_s)]
    f_limit = [draw(st.integers(0, 3)) for _ in range(n_f)]
    i_limit = [draw(st.integers(0, 3)) for _ in range(n_i)]
    return (
        weights,
        fa.reshape(n_f, n_s),
        ia.reshape(n_i, n_s),
        tables,
        np.asarray(f_limit, int),
        np.asarray(i_limit, int),
    )


@settings(max_examples=150, deadline=None)
@given(instances())
def test_no_constraint_is_ever_violated_on_random_small_instances(instance):
    weights, fa, ia, tables, f_limit, i_limit = instance
    result = schedule_meetings(weights, fa, ia, tables, f_limit, i_limit)
    assert_feasible(result, weights, fa, ia, tables, f_limit, i_limit)
    greedy = greedy_schedule(weights, fa, ia, tables, f_limit, i_limit)
    assert_feasible(greedy, weights, fa, ia, tables, f_limit, i_limit)
    assert result.total_weight >= greedy.total_weight


@settings(max_examples=60, deadline=None)
@given(instances(max_f=3, max_i=2, max_s=2))
def test_result_equals_the_brute_force_optimum_on_tiny_instances(instance):
    weights, fa, ia, tables, f_limit, i_limit = instance
    result = schedule_meetings(weights, fa, ia, tables, f_limit, i_limit, mip_rel_gap=0)
    expected = brute_force_optimum(weights, fa, ia, tables, f_limit, i_limit)
    assert result.total_weight == pytest.approx(expected)
    assert result.upper_bound == pytest.approx(expected)
    assert result.gap == 0


def test_optimum_beats_greedy_where_greedy_blocks_itself():
    # Greedy puts the heaviest pair (founder 0, investor 0) into the earliest slot, where it
    # blocks founder 1, who is free only then; the optimum moves it to slot 1.
    weights = np.array([[3.0, 2.0], [2.0, NO]])
    fa = np.array([[True, True], [True, False]])
    ia = np.array([[True, True], [True, True]])
    tables = [1, 1]
    result = schedule_meetings(weights, fa, ia, tables, founder_limit=1)
    greedy = greedy_schedule(weights, fa, ia, tables, founder_limit=1)
    assert greedy.total_weight == 3
    assert result.total_weight == 5
    assert {(m.founder, m.investor, m.slot) for m in result.meetings} == {(1, 0, 0), (0, 0, 1)}


def test_no_meeting_is_scheduled_where_either_side_said_no():
    founder_side = np.array([[3.0, NO], [3.0, 3.0]])
    investor_side = np.array([[NO, 3.0], [1.0, 0.0]])
    weights = pair_weights(founder_side, investor_side)
    ones = np.ones((2, 2), bool)
    result = schedule_meetings(weights, ones, ones, [2, 2])
    pairs = {(m.founder, m.investor) for m in result.meetings}
    assert pairs == {(1, 0), (1, 1)}


def test_a_pair_nobody_asked_for_is_not_scheduled():
    result = schedule_meetings(np.zeros((2, 2)), np.ones((2, 1), bool), np.ones((2, 1), bool), [5])
    assert result.meetings == ()


def test_meetings_happen_only_when_both_sides_are_available():
    weights = np.full((2, 2), 4.0)
    fa = np.array([[True, False, False], [False, True, True]])
    ia = np.array([[False, True, True], [True, True, False]])
    result = schedule_meetings(weights, fa, ia, [5, 5, 5])
    assert_feasible(result, weights, fa, ia, [5, 5, 5])
    assert {(m.founder, m.investor, m.slot) for m in result.meetings} == {
        (0, 1, 0),
        (1, 0, 2),
        (1, 1, 1),
    }


def test_meeting_limits_are_respected():
    weights = np.full((4, 2), 3.0)
    ones_f, ones_i = np.ones((4, 6), bool), np.ones((2, 6), bool)
    result = schedule_meetings(
        weights, ones_f, ones_i, [2] * 6, founder_limit=1, investor_limit=[3, 1]
    )
    assert_feasible(result, weights, ones_f, ones_i, [2] * 6, 1, np.array([3, 1]))
    assert len(result.meetings) == 4
    assert sum(1 for m in result.meetings if m.investor == 1) == 1


def test_tables_per_slot_are_respected():
    weights = np.full((6, 6), 1.0)
    fa, ia = np.ones((6, 2), bool), np.ones((6, 2), bool)
    result = schedule_meetings(weights, fa, ia, [2, 3])
    assert_feasible(result, weights, fa, ia, [2, 3])
    assert len(result.meetings) == 5
    assert sorted(m.table for m in result.meetings if m.slot == 0) == [1, 2]
    assert sorted(m.table for m in result.meetings if m.slot == 1) == [1, 2, 3]


def test_investors_keep_their_table_between_slots_when_possible():
    weights = np.full((4, 2), 1.0)
    fa, ia = np.ones((4, 2), bool), np.ones((2, 2), bool)
    result = schedule_meetings(weights, fa, ia, [2, 2])
    tables = {}
    for m in result.meetings:
        tables.setdefault(m.investor, set()).add(m.table)
    assert all(len(t) == 1 for t in tables.values())


def test_empty_input_gives_an_empty_schedule():
    result = schedule_meetings(np.zeros((0, 0)), np.zeros((0, 0), bool), np.zeros((0, 0), bool), [])
    assert result.meetings == ()
    assert result.total_weight == 0
    assert result.gap == 0
    result = schedule_meetings(np.ones((2, 2)), np.ones((2, 0), bool), np.ones((2, 0), bool), [])
    assert result.meetings == ()


def test_output_is_deterministic():
    rng = np.random.default_rng(7)
    weights = rng.choice([0.0, 1.0, 2.0, 3.0, 4.0, 6.0, NO], size=(30, 8))
    fa, ia = rng.random((30, 6)) < 0.6, rng.random((8, 6)) < 0.7
    runs = [schedule_meetings(weights, fa, ia, [4] * 6, 2, 4) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]
    assert_feasible(runs[0], weights, fa, ia, [4] * 6, 2, 4)


def test_medium_instance_is_solved_with_a_small_proven_gap():
    rng = np.random.default_rng(3)
    weights = rng.choice([0.0] * 6 + [1.0, 2.0, 3.0, 4.0, 6.0, NO], size=(80, 20))
    fa, ia = rng.random((80, 8)) < 0.5, rng.random((20, 8)) < 0.6
    result = schedule_meetings(weights, fa, ia, [10] * 8, 3, 6, time_limit=20)
    assert_feasible(result, weights, fa, ia, [10] * 8, 3, 6)
    assert result.gap <= 0.01
    assert result.total_weight >= greedy_schedule(weights, fa, ia, [10] * 8, 3, 6).total_weight


def test_unknown_preference_is_rejected():
    with pytest.raises(ValueError, match="unknown preference"):
        preference_weight("maybe")
    assert preference_weight(" Must ") == 3


def test_a_tight_time_limit_still_returns_a_feasible_schedule_with_a_valid_bound():
    rng = np.random.default_rng(11)
    weights = rng.choice([0.0] * 4 + [1.0, 2.0, 3.0, 4.0, 6.0, NO], size=(120, 30))
    fa, ia = rng.random((120, 12)) < 0.7, rng.random((30, 12)) < 0.7
    quick = schedule_meetings(weights, fa, ia, [15] * 12, 5, 10, time_limit=0.01)
    assert_feasible(quick, weights, fa, ia, [15] * 12, 5, 10)
    best = schedule_meetings(weights, fa, ia, [15] * 12, 5, 10, mip_rel_gap=0)
    assert quick.upper_bound >= best.total_weight - 1e-6
    assert quick.total_weight <= best.total_weight


def test_availability_of_the_wrong_shape_is_rejected():
    with pytest.raises(ValueError, match="founder_available must have shape"):
        schedule_meetings(np.ones((2, 3)), np.ones((3, 2), bool), np.ones((3, 3), bool), [1, 1, 1])


def dense_instance(n_f, n_i, n_s=16, tables=40, seed=0):
    """Each side marks 10% must, 30% like, 2% no; everybody is free in 80% of the slots."""
    rng = np.random.default_rng(seed)

    def side(shape):
        u = rng.random(shape)
        return np.select([u < 0.1, u < 0.4, u < 0.42], [3.0, 1.0, NO], 0.0)

    weights = pair_weights(side((n_f, n_i)), side((n_i, n_f)).T)
    return weights, rng.random((n_f, n_s)) < 0.8, rng.random((n_i, n_s)) < 0.8, [tables] * n_s


def test_the_time_limit_covers_the_whole_call():
    weights, fa, ia, tables = dense_instance(300, 60)
    start = time.perf_counter()
    result = schedule_meetings(weights, fa, ia, tables, 3, 8, time_limit=0.5)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.5  # 2.25 s when the relaxation got its own full limit after the MILP
    assert_feasible(result, weights, fa, ia, tables, 3, 8)


def test_the_bound_under_a_time_limit_is_the_best_one_known():
    rng = np.random.default_rng(11)
    weights = rng.choice([0.0] * 4 + [1.0, 2.0, 3.0, 4.0, 6.0, NO], size=(120, 30))
    fa, ia = rng.random((120, 12)) < 0.7, rng.random((30, 12)) < 0.7
    quick = schedule_meetings(weights, fa, ia, [15] * 12, 5, 10, time_limit=0.01)
    best = schedule_meetings(weights, fa, ia, [15] * 12, 5, 10, mip_rel_gap=0)
    assert quick.upper_bound >= best.total_weight - 1e-6
    # the sum of every wanted pair's weight (5,928 here) was reported before
    assert quick.upper_bound < 2 * best.total_weight


def test_a_dense_instance_is_solved_to_optimality_by_its_relaxation_in_seconds():
    weights, fa, ia, tables = dense_instance(300, 60, tables=30)
    start = time.perf_counter()
    result = schedule_meetings(weights, fa, ia, tables, 3, 8, time_limit=60)
    assert time.perf_counter() - start < 5  # the MILP alone took 6-10 s
    assert result.status == "optimal"
    assert result.gap == 0
    assert_feasible(result, weights, fa, ia, tables, 3, 8)
