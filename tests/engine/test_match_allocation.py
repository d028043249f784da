import itertools
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seedbed.engine.matching.allocate import Allocation, allocate, greedy_allocate


def assert_feasible(result: Allocation, scores, row_cap, col_cap):
    scores = np.asarray(scores, float)
    pairs = result.pairs()
    assert len(set(pairs)) == len(pairs), "a pair is used twice"
    for r, c in pairs:
        assert np.isfinite(scores[r, c]), "forbidden pair chosen"
    rows = np.bincount(result.rows, minlength=scores.shape[0])
    cols = np.bincount(result.cols, minlength=scores.shape[1])
    assert np.all(rows <= np.broadcast_to(row_cap, rows.shape))
    assert np.all(cols <= np.broadcast_to(col_cap, cols.shape))
    assert result.total_score == pytest.approx(sum(scores[r, c] for r, c in pairs))
    assert result.covered == len({r for r, _ in pairs})


def brute_force(scores, row_cap, col_cap, fair):
    """Best (covered, score) if fair else best score, over all feasible pair sets."""
    scores = np.asarray(scores, float)
    edges = [
        (r, c) for r, c in itertools.product(*map(range, scores.shape)) if np.isfinite(scores[r, c])
    ]
    best = (0, 0.0) if fair else 0.0
    for mask in range(1 << len(edges)):
        chosen = [e for k, e in enumerate(edges) if mask >> k & 1]
        rows = np.bincount([r for r, _ in chosen], minlength=scores.shape[0])
        cols = np.bincount([c for _, c in chosen], minlength=scores.shape[1])
        if np.any(rows > row_cap) or np.any(cols > col_cap):
            continue
        total = sum(scores[r, c] for r, c in chosen)
        key = (int(np.count_nonzero(rows)), total) if fair else total
        if fair:
            if key[0] > best[0] or (key[0] == best[0] and key[1] > best[1] + 1e-12):
                best = key
        elif key > best:
            best = key
    return best


@st.composite
def instances(draw, max_r=3, max_c=3):
    n_r = draw(st.integers(1, max_r))
    n_c = draw(st.integers(1, max_c))
    values = st.one_of(
        st.just(math.nan),
        st.just(-math.inf),
        st.integers(-3, 9).map(float),
        st.floats(-1, 1, allow_nan=False),
    )
    scores = np.array([[draw(values) for _ in range(n_c)] for _ in range(n_r)]).reshape(n_r, n_c)
    row_cap = np.array([draw(st.integers(0, 2)) for _ in range(n_r)])
    col_cap = np.array([draw(st.integers(0, 3)) for _ in range(n_c)])
    return scores, row_cap, col_cap


@settings(max_examples=200, deadline=None)
@given(instances(), st.booleans(), st.sampled_from([0, 4]))
def test_allocation_equals_the_brute_force_optimum(instance, fair, extra):
    scores, row_cap, col_cap = instance
    result = allocate(scores, row_cap, col_cap, fair=fair, extra_candidates=extra)
    assert_feasible(result, scores, row_cap, col_cap)
    expected = brute_force(scores, row_cap, col_cap, fair)
    if fair:
        assert result.covered == expected[0]
        assert result.total_score == pytest.approx(expected[1], abs=1e-6)
    else:
        assert result.total_score == pytest.approx(expected, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(instances(max_r=4, max_c=4))
def test_greedy_baseline_is_feasible_and_never_better_than_the_optimum(instance):
    scores, row_cap, col_cap = instance
    greedy = greedy_allocate(scores, row_cap, col_cap)
    assert_feasible(greedy, scores, row_cap, col_cap)
    # optimal up to the LP solver's tolerance (HiGHS works to ~1e-7 per pair)
    assert allocate(scores, row_cap, col_cap).total_score >= greedy.total_score - 1e-6


def test_column_generation_reaches_the_optimum_from_a_poor_start():
    rng = np.random.default_rng(0)
    scores = rng.random((60, 40))
    scores[rng.random(scores.shape) < 0.3] = np.nan
    row_cap, col_cap = rng.integers(1, 4, 60), rng.integers(1, 3, 40)
    start_small = allocate(scores, row_cap, col_cap, extra_candidates=0)
    start_large = allocate(scores, row_cap, col_cap, extra_candidates=40)
    assert start_small.total_score == pytest.approx(start_large.total_score)
    assert start_large.iterations == 1
    fortran_order = np.asfortranarray(scores)
    assert allocate(
        fortran_order, row_cap, col_cap, extra_candidates=0
    ).total_score == pytest.approx(start_large.total_score)
    greedy = greedy_allocate(scores, row_cap, col_cap)
    assert start_small.total_score >= greedy.total_score


def test_optimum_beats_greedy_on_a_crossing():
    scores = np.array([[10.0, 9.0], [9.0, -np.inf]])
    result = allocate(scores, 1, 1)
    assert result.pairs() == [(0, 1), (1, 0)]
    assert result.total_score == 18
    assert greedy_allocate(scores, 1, 1).total_score == 10


def test_fairness_gives_every_project_a_match_where_feasible():
    # Offer 0 is best for everyone but has room for two; offer 1 is weak but allowed for all.
    scores = np.array([[0.9, 0.1], [0.8, 0.1], [0.7, 0.1], [0.6, np.nan]])
    plain = allocate(scores, 1, [2, 1])
    assert plain.covered == 3
    fair = allocate(scores, 1, [2, 1], fair=True)
    assert fair.covered == 3
    # with offer 1 allowed for project 3 nothing changes: at most three projects can be covered
    everybody = np.array([[0.9, 0.1], [0.8, 0.1], [0.7, 0.1], [0.6, 0.1]])
    assert allocate(everybody, 1, [2, 2], fair=True).covered == 4


def test_fairness_trades_score_for_coverage():
    scores = np.array([[5.0, 4.0], [1.0, np.nan]])
    plain = allocate(scores, 2, 1)
    assert plain.pairs() == [(0, 0), (0, 1)]
    fair = allocate(scores, 2, 1, fair=True)
    assert fair.pairs() == [(0, 1), (1, 0)]
    assert fair.covered == 2


def test_fairness_uses_a_negative_pair_only_when_it_is_the_only_way():
    scores = np.array([[2.0, -1.0], [-3.0, np.nan]])
    fair = allocate(scores, 1, 1, fair=True)
    assert fair.pairs() == [(0, 1), (1, 0)]
    assert allocate(scores, 1, 1).pairs() == [(0, 0)]


def test_forbidden_pairs_and_zero_capacities_are_never_used():
    scores = np.array([[np.nan, -np.inf, 1.0], [3.0, 2.0, 1.0]])
    result = allocate(scores, [1, 0], [1, 1, 1])
    assert result.pairs() == [(0, 2)]


def test_min_score_forbids_weak_pairs():
    scores = np.array([[0.2, 0.05]])
    assert allocate(scores, 2, 1, min_score=0.1).pairs() == [(0, 0)]


def test_empty_and_all_forbidden_inputs_allocate_nothing():
    assert allocate(np.zeros((0, 3)), 1, 1).pairs() == []
    assert allocate(np.full((2, 2), np.nan), 1, 1, fair=True).pairs() == []
    assert greedy_allocate(np.zeros((3, 0)), 1, 1).pairs() == []


def test_allocation_is_deterministic():
    rng = np.random.default_rng(5)
    scores = np.round(rng.random((50, 30)), 1)
    runs = [allocate(scores, 2, 3, fair=True) for _ in range(3)]
    assert all(r.pairs() == runs[0].pairs() for r in runs)


def correlated(n, seed=0):
    """Some offers everybody wants: the case where the optimum goes far down each list."""
    rng = np.random.default_rng(seed)
    scores = rng.random(n)[None, :] * rng.random(n)[:, None] + 0.1 * rng.random((n, n))
    return scores, rng.integers(1, 4, n), rng.integers(1, 6, n)


@pytest.mark.parametrize("fair", [False, True])
@pytest.mark.parametrize("factor", [1e-7, 1e7])
def test_multiplying_every_score_by_a_constant_gives_the_same_allocation(fair, factor):
    rng = np.random.default_rng(0)
    scores = rng.random((80, 60))
    scores[rng.random(scores.shape) < 0.3] = np.nan
    row_cap, col_cap = rng.integers(1, 4, 80), rng.integers(1, 3, 60)
    base = allocate(scores, row_cap, col_cap, fair=fair)
    scaled = allocate(scores * factor, row_cap, col_cap, fair=fair)
    assert scaled.pairs() == base.pairs()
    assert scaled.total_score == pytest.approx(base.total_score * factor)


def test_correlated_scores_reach_the_optimum_of_the_whole_linear_programme():
    from scipy import sparse
    from scipy.optimize import linprog

    scores, row_cap, col_cap = correlated(120)
    rows, cols = np.nonzero(scores > 0)
    m = rows.size
    incidence = sparse.csr_matrix(
        (np.ones(2 * m), (np.concatenate([rows, 120 + cols]), np.tile(np.arange(m), 2))),
        shape=(240, m),
    )
    whole = linprog(
        -scores[rows, cols],
        A_ub=incidence,
        b_ub=np.concatenate([row_cap, col_cap]).astype(float),
        bounds=(0, 1),
        method="highs",
    )
    result = allocate(scores, row_cap, col_cap, extra_candidates=0)
    assert_feasible(result, scores, row_cap, col_cap)
    assert result.total_score == pytest.approx(-whole.fun, rel=1e-9)
    assert allocate(scores, row_cap, col_cap, fair=True).total_score == pytest.approx(-whole.fun)


def test_correlated_dense_scores_are_allocated_in_seconds():
    scores, row_cap, col_cap = correlated(400)
    start = time.perf_counter()
    result = allocate(scores, row_cap, col_cap, fair=True)
    assert time.perf_counter() - start < 6  # 12 s before the per-line pricing, 0.8 s after
    assert result.covered == 400
