"""Capacity-aware allocation of projects to offers.

Given a projects × offers score matrix (NaN or -inf for forbidden pairs), each project's and each
offer's capacity (a mentor's office-hour slots, an investor's meeting limit, how many intros a
project can take), choose pairs maximising the total score, each pair at most once.

Method: this is a maximum-weight bipartite b-matching, a min-cost-flow problem. Its constraint
matrix is totally unimodular, so the linear programme has an integral optimal vertex and HiGHS
(via :func:`scipy.optimize.linprog`) returns it exactly, with no branching. At 2,000 × 2,000 the
dense programme has four million columns (the plain ``linprog`` over all of them takes over a
minute at 1,000 × 1,000), and almost all of them are irrelevant. So it is solved by column
generation:

1. scores are divided by the largest absolute one, so the solver's absolute tolerances (about
   1e-7) mean the same for scores around 1e-7 as for scores around 1e7;
2. start from each project's best ``cap + k`` offers and each offer's best ``cap + k`` projects;
3. solve the restricted LP; its duals price every left-out pair in one vectorised numpy
   expression (reduced cost ``-score - u_project - v_offer``);
4. add, per project and per offer, the ``k`` best-priced pairs that improve or nearly improve
   (see :func:`_column_generation` for why per line, and when pairs are dropped again) and
   repeat; when no pair improves, the restricted optimum is optimal for the full problem by LP
   duality, up to the solver tolerance (about 1e-7 per pair of the rescaled scores).

The first rounds use the dual simplex (fast while the restricted LPs are easy); later rounds,
whose LPs are nearly optimal and very degenerate, the interior-point method with crossover,
which still ends on an integral vertex and is several times faster there. Correlated scores
(some offers everybody wants) are the hard case: the duals need several rounds to price those
offers. Pruning each project to its top-k offers up front was rejected: it is not exact
(when the favourites are full, the optimum uses offers far down a project's list).

When every capacity is 1 (and fairness is off) the problem is the assignment problem, and
:func:`scipy.optimize.linear_sum_assignment` solves it directly, several times faster than the
LP on that degenerate case (non-positive and forbidden pairs are worth 0 to it and dropped).

Alternatives considered: networkx min-cost flow is exact but pure Python and needs integer
costs (bench/bench_match.py: several times slower than this at 300 × 300, and its time grows
with the number of edges, four million at 2,000 × 2,000); ``linear_sum_assignment`` solves only
the case where every capacity is 1 (used there), and capacity copies would let a pair be chosen
twice; a greedy pass is fast but about 2% below the optimum on the
benchmark (kept as its baseline, :func:`greedy_allocate`).

Fairness (``fair=True``) is lexicographic: first the largest possible number of projects with at
least one match, then the largest total score among those allocations. Usually the optimum
without fairness already matches every project that can be matched, and then it is the answer.
Otherwise the largest coverage comes from a maximum flow
(:func:`scipy.sparse.csgraph.maximum_flow`), and the programme is solved again with each
project's first unit of flow through a bonus arc and a lower bound on the bonus arcs' total
flow, which fixes the number of covered projects and keeps the programme a flow, so integral.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, linprog, milp
from scipy.sparse.csgraph import maximum_flow

__all__ = ["Allocation", "allocate", "greedy_allocate"]

_TOL = 1e-9
_PRUNED_ROUNDS = 8
_MARGIN = 0.02
_SIMPLEX_ROUNDS = 6


@dataclass(frozen=True)
class Allocation:
    rows: NDArray[np.int64]
    """Project index of each chosen pair (sorted by project, then offer)."""
    cols: NDArray[np.int64]
    """Offer index of each chosen pair."""
    total_score: float
    covered: int
    """Projects with at least one match."""
    iterations: int = 0
    """Pricing rounds of the column generation (0 for the greedy baseline)."""

    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self.rows.tolist(), self.cols.tolist(), strict=True))


def _validate(
    scores: ArrayLike,
    row_capacity: ArrayLike,
    col_capacity: ArrayLike,
    min_score: float | None,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64]]:
    s = np.ascontiguousarray(scores, dtype=float)
    if s.ndim != 2:
        raise ValueError(f"scores must be a 2-d matrix, got shape {s.shape}")
    n_r, n_c = s.shape
    rc = np.broadcast_to(np.asarray(row_capacity, dtype=np.int64), (n_r,)).copy()
    cc = np.broadcast_to(np.asarray(col_capacity, dtype=np.int64), (n_c,)).copy()
    if np.any(rc < 0) or np.any(cc < 0):
        raise ValueError("capacities must be >= 0")
    allowed = np.isfinite(s)
    if min_score is not None:
        allowed &= s > min_score
    allowed &= (rc > 0)[:, None] & (cc > 0)[None, :]
    np.minimum(rc, n_c, out=rc)
    np.minimum(cc, n_r, out=cc)
    return s, allowed, rc, cc


def _result(s, rows, cols, iterations=0) -> Allocation:
    order = np.lexsort((cols, rows))
    rows, cols = rows[order].astype(np.int64), cols[order].astype(np.int64)
    return Allocation(
        rows=rows,
        cols=cols,
        total_score=float(s[rows, cols].sum()) if rows.size else 0.0,
        covered=int(np.unique(rows).size),
        iterations=iterations,
    )


def _top_k_mask(values: NDArray[np.float64], k: NDArray[np.int64], axis: int) -> NDArray[np.bool_]:
    """Mask of the k largest finite entries along ``axis`` (k may differ per line)."""
    n = values.shape[axis]
    kmax = int(min(n, k.max(initial=0)))
    mask = np.zeros(values.shape, dtype=bool)
    if kmax == 0:
        return mask
    neg = -np.where(np.isfinite(values), values, -np.inf)
    part = np.argpartition(neg, kmax - 1, axis=axis) if kmax < n else np.argsort(neg, axis=axis)
    part = np.take(part, np.arange(kmax), axis=axis)
    part_vals = np.take_along_axis(neg, part, axis=axis)
    order = np.argsort(part_vals, axis=axis, kind="stable")
    part = np.take_along_axis(part, order, axis=axis)
    rank_ok = (
        np.arange(kmax)[:, None] < k[None, :]
        if axis == 0
        else np.arange(kmax)[None, :] < k[:, None]
    )
    other = np.arange(values.shape[1 - axis])
    if axis == 1:
        rows = np.broadcast_to(other[:, None], part.shape)
        mask[rows[rank_ok], part[rank_ok]] = True
    else:
        cols = np.broadcast_to(other[None, :], part.shape)
        mask[part[rank_ok], cols[rank_ok]] = True
    return mask & np.isfinite(values)


class _Restricted:
    """The LP over a candidate set of pairs, in flow form.

    Columns: x (one per candidate pair, 0..1), z (first match of each project, 0..1),
    y (further matches, 0..cap-1). Rows: per project ``sum x - z - y = 0``; per offer
    ``sum x <= cap``; optionally ``-sum z <= -covered``.
    """

    def __init__(self, n_r: int, n_c: int, rc: NDArray[np.int64], cc: NDArray[np.int64]):
        self.n_r, self.n_c, self.rc, self.cc = n_r, n_c, rc, cc

    def solve(self, er, ec, cost_x, min_covered=None, method="highs-ds"):
        n_r, n_c, m = self.n_r, self.n_c, er.shape[0]
        ar = np.arange(n_r)
        a_eq = sparse.csr_matrix(
            (
                np.concatenate([np.ones(m), -np.ones(n_r), -np.ones(n_r)]),
                (
                    np.concatenate([er, ar, ar]),
                    np.concatenate([np.arange(m), m + ar, m + n_r + ar]),
                ),
            ),
            shape=(n_r, m + 2 * n_r),
        )
        ub_rows = [ec]
        ub_cols = [np.arange(m)]
        ub_vals = [np.ones(m)]
        b_ub = [self.cc.astype(float)]
        n_ub = n_c
        if min_covered is not None:
            ub_rows.append(np.full(n_r, n_c))
            ub_cols.append(m + ar)
            ub_vals.append(-np.ones(n_r))
            b_ub.append(np.array([-float(min_covered)]))
            n_ub += 1
        a_ub = sparse.csr_matrix(
            (np.concatenate(ub_vals), (np.concatenate(ub_rows), np.concatenate(ub_cols))),
            shape=(n_ub, m + 2 * n_r),
        )
        c = np.concatenate([cost_x, np.zeros(2 * n_r)])
        bounds = np.column_stack(
            [
                np.zeros(m + 2 * n_r),
                np.concatenate([np.ones(m), np.minimum(self.rc, 1), np.maximum(self.rc - 1, 0)]),
            ]
        )
        res = linprog(
            c,
            A_ub=a_ub,
            b_ub=np.concatenate(b_ub),
            A_eq=a_eq,
            b_eq=np.zeros(n_r),
            bounds=bounds,
            method=method,
        )
        if res.status != 0:
            raise RuntimeError(f"allocation LP failed: {res.message}")
        x = res.x[:m]
        if np.any(np.abs(x - np.round(x)) > 1e-6):
            x = self._integral(c, a_ub, np.concatenate(b_ub), a_eq, bounds, m)
        return np.round(x), res.eqlin.marginals, res.ineqlin.marginals[:n_c]

    @staticmethod
    def _integral(c, a_ub, b_ub, a_eq, bounds, m):
        res = milp(
            c,
            integrality=np.concatenate([np.ones(m), np.zeros(c.shape[0] - m)]),
            bounds=Bounds(bounds[:, 0], bounds[:, 1]),
            constraints=[
                LinearConstraint(a_ub, -np.inf, b_ub),
                LinearConstraint(a_eq, 0, 0),
            ],
        )
        return res.x[:m]


def _column_generation(lp, allowed, cand, cost, min_covered, per_line):
    """Solve the restricted LP, price every other allowed pair, repeat until none improves.

    Each round adds, for every project and every offer, its ``per_line`` best-priced pairs
    among those improving or within a margin of it (degenerate duals move; the margin shrinks
    with the largest violation): spread over the whole matrix, so one round repairs many
    projects' duals at once. While the duals are far off (more improving pairs than projects
    and offers), the pairs that neither carry flow nor price at zero are dropped again, so the
    restricted LP stays a few pairs per project however dense the input; the current solution
    is always kept, so the value never gets worse. Near the optimum nothing is dropped (that
    would throw away a good dual), and after ``_PRUNED_ROUNDS`` rounds never, so the loop
    ends."""
    iterations = 0
    n_r, n_c = cand.shape
    while True:
        iterations += 1
        er, ec = np.nonzero(cand)
        method = "highs-ds" if iterations <= _SIMPLEX_ROUNDS else "highs-ipm"
        x, u, v = lp.solve(er, ec, cost[er, ec], min_covered, method)
        reduced = cost - u[:, None] - v[None, :]
        outside = allowed & ~cand
        worst = float(reduced[outside].min(initial=0.0))
        if worst >= -_TOL:
            return er, ec, x, iterations
        far = np.count_nonzero(outside & (reduced < -_TOL)) > n_r + n_c
        if far and iterations <= _PRUNED_ROUNDS:
            keep = (x > 0.5) | (reduced[er, ec] <= _TOL)
            cand = np.zeros_like(cand)
            cand[er[keep], ec[keep]] = True
            outside = allowed & ~cand
        eligible = outside & (reduced < _MARGIN)
        if far:
            priced = np.where(eligible, -reduced, -np.inf)
            cand |= _top_k_mask(priced, np.full(n_r, per_line), axis=1)
            cand |= _top_k_mask(priced, np.full(n_c, per_line), axis=0)
            continue
        flat = np.flatnonzero(eligible)
        values = reduced.ravel()[flat]
        for line in np.divmod(flat, n_c):
            order = np.lexsort((values, line))
            ranked = line[order]
            starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
            rank = np.arange(order.size) - np.repeat(starts, np.diff(np.r_[starts, order.size]))
            cand.ravel()[flat[order[rank < per_line]]] = True


def _max_coverage(allowed: NDArray[np.bool_], cc: NDArray[np.int64]):
    """Pairs giving as many projects as possible one match each: a maximum flow
    (source → project, capacity 1; project → offer, 1; offer → sink, the offer's capacity)."""
    n_r, n_c = allowed.shape
    er, ec = np.nonzero(allowed)
    source, sink = n_r + n_c, n_r + n_c + 1
    rows = np.concatenate([np.full(n_r, source), er, n_r + np.arange(n_c)])
    cols = np.concatenate([np.arange(n_r), n_r + ec, np.full(n_c, sink)])
    caps = np.concatenate([np.ones(n_r + er.size), cc]).astype(np.int32)
    graph = sparse.csr_array((caps, (rows, cols)), shape=(sink + 1, sink + 1))
    flow = maximum_flow(graph, source, sink).flow.tocoo()
    used = (flow.data > 0) & (flow.row < n_r) & (flow.col >= n_r) & (flow.col < source)
    return flow.row[used].astype(np.int64), (flow.col[used] - n_r).astype(np.int64)


def allocate(
    scores: ArrayLike,
    row_capacity: ArrayLike,
    col_capacity: ArrayLike,
    *,
    fair: bool = False,
    min_score: float | None = None,
    extra_candidates: int = 4,
) -> Allocation:
    """Choose project–offer pairs maximising the total score within both sides' capacities.

    ``scores`` is projects × offers; a non-finite entry forbids the pair, and so does a score at
    or below ``min_score`` when it is given. Capacities are scalars or one per project / offer.
    With ``fair=True`` the allocation first matches as many projects as possible (at least one
    match each where the forbidden pairs and capacities allow it), then maximises the score.
    Without it, pairs that would lower the total (negative scores) are never chosen.
    ``extra_candidates`` only tunes speed (the first candidate set and the pairs each pricing
    round adds per line); the result is optimal for any value. The scores are divided by the
    largest absolute one before solving, so multiplying them all by a positive number gives the
    same allocation. Deterministic for the same input.
    """
    s, allowed, rc, cc = _validate(scores, row_capacity, col_capacity, min_score)
    positive = allowed & (s > 0)
    rows, cols, iterations = _best(s, positive, rc, cc, None, extra_candidates)
    coverable = np.count_nonzero(allowed.any(axis=1))
    if fair and np.unique(rows).size < coverable:
        # The optimum without fairness leaves a project out that could be matched: solve
        # again with the coverage of a maximum flow as a constraint (and the weak pairs in).
        cover = _max_coverage(allowed, cc)
        rows, cols, more = _best(s, allowed, rc, cc, cover, extra_candidates)
        iterations += more
        useless = s[rows, cols] <= 0
        if useless.any():
            counts = np.bincount(rows, minlength=s.shape[0])
            drop = _drop_extras(rows, s[rows, cols], useless & (counts[rows] > 1))
            rows, cols = rows[~drop], cols[~drop]
    return _result(s, rows, cols, iterations)


def _best(s, allowed, rc, cc, cover, extra_candidates):
    """Optimal pairs among ``allowed`` (covering as many projects as ``cover`` does, if given)
    and the number of pricing rounds."""
    n_r, n_c = s.shape
    if not allowed.any():
        return np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    if cover is None and rc.max() <= 1 and cc.max() <= 1:
        rows, cols = linear_sum_assignment(np.where(allowed, s, 0.0), maximize=True)
        kept = allowed[rows, cols]
        return rows[kept], cols[kept], 0
    unit = np.where(allowed, s, 0.0)
    unit /= float(np.abs(unit).max()) or 1.0
    ranked = np.where(allowed, unit, -np.inf)
    cand = _top_k_mask(ranked, rc + extra_candidates, axis=1)
    cand |= _top_k_mask(ranked, cc + extra_candidates, axis=0)
    min_covered = None
    if cover is not None:
        cand[cover] = True
        min_covered = cover[0].size
    lp = _Restricted(n_r, n_c, rc, cc)
    er, ec, x, iterations = _column_generation(
        lp, allowed, cand, -unit, min_covered, max(1, extra_candidates)
    )
    chosen = x > 0.5
    return er[chosen], ec[chosen], iterations


def _drop_extras(rows, values, candidates):
    """Drop non-positive pairs a project does not need for its coverage: keep each project's
    single best pair even when it is not positive."""
    order = np.lexsort((-values, rows))
    first = np.zeros(rows.shape[0], dtype=bool)
    first[order[np.r_[True, rows[order][1:] != rows[order][:-1]]]] = True
    return candidates & ~first


def greedy_allocate(
    scores: ArrayLike,
    row_capacity: ArrayLike,
    col_capacity: ArrayLike,
    *,
    min_score: float | None = None,
) -> Allocation:
    """Baseline: best remaining positive pair first while both sides have capacity left."""
    s, allowed, rc, cc = _validate(scores, row_capacity, col_capacity, min_score)
    allowed &= s > 0
    flat = np.flatnonzero(allowed)
    order = flat[np.argsort(-s.ravel()[flat], kind="stable")]
    n_c = s.shape[1]
    left_r, left_c = rc.copy(), cc.copy()
    open_rows, open_cols = int((left_r > 0).sum()), int((left_c > 0).sum())
    rows, cols = [], []
    for idx in order.tolist():
        r, c = divmod(idx, n_c)
        if left_r[r] and left_c[c]:
            rows.append(r)
            cols.append(c)
            left_r[r] -= 1
            left_c[c] -= 1
            open_rows -= left_r[r] == 0
            open_cols -= left_c[c] == 0
            if not open_rows or not open_cols:
                break
    return _result(s, np.asarray(rows, np.int64), np.asarray(cols, np.int64))
