"""A blend of recommenders whose weights are chosen on a validation split, never by hand.

Each component's scores are standardised per user (a user a component knows nothing about gets
zeros from it, so the others decide; a member with nothing in their row is ranked with the
content model weighing at least 1, so a new member with declared interests is served at once, and a
new item reaches users through content). On a split held out from the training data (each user's
latest share when there are timestamps) the tuned components pick their hyperparameters, then the
blend's weights are found by coordinate ascent on NDCG@k, and with timestamps a recency decay of
each user's history is chosen too; then every component is refitted on all of it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .algorithms import EASE, ItemKNN, Popularity, RP3beta
from .base import Reason, Recommender, as_user_items
from .content import ContentBased
from .evaluate import order_in_rows, sample_users, validation_split
from .tuning import Tuned


def _standardise(scores: np.ndarray) -> np.ndarray:
    spread = scores.std(axis=1, keepdims=True)
    spread[spread == 0] = 1.0
    return (scores - scores.mean(axis=1, keepdims=True)) / spread


RECENCY_FLOOR = 0.1

LARGE_DATA = 200_000
"""Above this many interactions the validation that picks settings and weights (the hybrid's
and its tuned components') looks at no more than ``LARGE_VALIDATION_USERS`` users: with that
much data a fit would otherwise spend most of its time scoring the catalogue for them. Below
it nothing changes."""
LARGE_VALIDATION_USERS = 500


def default_components() -> list[Recommender]:
    """Popularity, BM25 item-kNN, EASE with its L2 penalty tuned, RP3beta with its walk and
    popularity exponents tuned."""
    return [
        Popularity(),
        ItemKNN(k=100, similarity="bm25"),
        Tuned.grid(EASE, l2=[50.0, 200.0, 800.0], max_items=[2000]),
        Tuned.grid(RP3beta, alpha=[0.5, 1.0], beta=[0.3, 0.6], k=[200]),
    ]


def recency_weights(user_items: Any, timestamps: ArrayLike, half_life: float) -> sp.csr_matrix:
    """The user × item matrix of how recent each interaction is in its user's history: 1 for the
    latest, halving every ``half_life`` interactions back, never below ``RECENCY_FLOOR``."""
    return _decay(*_steps_back(user_items, timestamps), half_life)


def _steps_back(user_items: Any, timestamps: ArrayLike) -> tuple[sp.csr_matrix, np.ndarray]:
    """The matrix (float64) and, along its data, how many interactions of its user came later:
    the part of ``recency_weights`` that no half-life changes, so a search sorts once."""
    matrix = sp.csr_matrix(user_items, dtype=np.float64, copy=True)
    counts = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), counts)
    order = order_in_rows(matrix, np.asarray(timestamps, dtype=np.float64))
    position = np.empty(matrix.nnz)
    position[order] = np.arange(matrix.nnz) - matrix.indptr[rows[order]]
    return matrix, counts[rows] - 1 - position


def _decay(matrix: sp.csr_matrix, back: np.ndarray, half_life: float) -> sp.csr_matrix:
    decayed = matrix.copy()
    decayed.data = RECENCY_FLOOR + (1 - RECENCY_FLOOR) * np.exp2(-back / half_life)
    return decayed


def _row_weigher(component: Recommender) -> Callable[[sp.csr_matrix], np.ndarray] | None:
    """The item-to-item scorer that takes rows weighted by the caller, when the model has one."""
    inner = component.best_ if isinstance(component, Tuned) else component
    return getattr(inner, "_weighted_scores", None)


def _candidate(raw: np.ndarray, seen: tuple[np.ndarray, np.ndarray], pool: int) -> Any:
    """Standardised float32 scores with seen items at -inf, and each user's top ``pool``."""
    score = np.array(raw, dtype=np.float32)
    score -= score.mean(axis=1, keepdims=True)
    spread = score.std(axis=1, keepdims=True)
    spread[spread == 0] = 1.0
    score /= spread
    score[seen] = -np.inf
    return score, np.argpartition(-score, pool - 1, axis=1)[:, :pool]


class _Judge:
    """NDCG@k of a blend of standardised scores, fast enough for a weight search: only the items
    in some component's top ``pool`` of a user can reach the blend's top k (an approximation
    that ranks candidates, not the whole catalogue)."""

    def __init__(self, scored: list[Any], relevant: np.ndarray, k: int) -> None:
        candidates = np.sort(np.hstack([picked for _, picked in scored]), axis=1)
        duplicate = np.zeros(candidates.shape, dtype=bool)
        duplicate[:, 1:] = candidates[:, 1:] == candidates[:, :-1]
        self.pools = [np.take_along_axis(score, candidates, axis=1) for score, _ in scored]
        for p in self.pools:
            p[duplicate] = -np.inf
        self.hits = np.take_along_axis(relevant, candidates, axis=1)
        self.k = min(k, candidates.shape[1])
        self.discount = 1.0 / np.log2(np.arange(2, self.k + 2))
        counts = np.minimum(relevant.sum(axis=1), self.k)
        self.ideal = np.cumsum(np.r_[0.0, self.discount])[counts]
        self.ideal[self.ideal == 0] = 1.0

    def __call__(self, weights: np.ndarray) -> float:
        if not weights.any():
            return -1.0
        blend = sum(np.float32(w) * p for w, p in zip(weights, self.pools, strict=True) if w)
        blend = np.nan_to_num(np.asarray(blend), nan=-np.inf)
        top = np.argpartition(-blend, self.k - 1, axis=1)[:, : self.k]
        order = np.argsort(-np.take_along_axis(blend, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        hits = np.take_along_axis(self.hits, top, axis=1)
        hits &= np.isfinite(np.take_along_axis(blend, top, axis=1))
        return float(((hits @ self.discount) / self.ideal).mean())


class Hybrid(Recommender):
    """Weighted sum of standardised component scores; ``weights_`` is learned in ``fit``.

    ``components`` defaults to popularity, BM25 item-kNN, tuned EASE and tuned RP3beta; with
    ``item_features`` a content-based model joins. ``grid`` holds the weights tried for each
    component, ``recency`` the half-lives (in interactions; 0 is none) tried for weighting a
    user's history when ``fit`` gets timestamps.
    """

    def __init__(
        self,
        components: Sequence[Recommender] | None = None,
        grid: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0),
        k: int = 10,
        validation_fraction: float = 0.2,
        max_validation_users: int = 1000,
        rounds: int = 2,
        random_state: int | None = 0,
        recency: Sequence[float] = (0.0, 3.0, 10.0, 30.0),
    ) -> None:
        self.components = components
        self.grid = grid
        self.k = k
        self.validation_fraction = validation_fraction
        self.max_validation_users = max_validation_users
        self.rounds = rounds
        self.random_state = random_state
        self.recency = recency

    def _fit_components(
        self,
        user_items: sp.csr_matrix,
        item_features: Any,
        user_features: Any,
        valid: sp.csr_matrix | None = None,
    ) -> None:
        for component in self.components_:
            if isinstance(component, ContentBased):
                component.fit(user_items, item_features, user_features)
            elif isinstance(component, Tuned):
                if valid is not None:
                    component.select(user_items, valid)
                else:
                    component.fit_chosen(user_items)
            else:
                component.fit(user_items)

    def fit(
        self,
        user_items: Any,
        timestamps: ArrayLike | None = None,
        item_features: Any = None,
        user_features: Any = None,
    ) -> Hybrid:
        """Chooses the components' settings, the weights and the recency on a temporal split
        when ``timestamps`` (along the canonical CSR data) are given, else a random one; then
        fits every component on all the data."""
        matrix = sp.csr_matrix(user_items, dtype=np.float32)
        matrix.sum_duplicates()
        components = list(self.components) if self.components else default_components()
        if item_features is not None and not any(isinstance(c, ContentBased) for c in components):
            components.append(ContentBased())
        self.components_ = [copy.deepcopy(c) for c in components]
        self.validation_users_ = self.max_validation_users
        if matrix.nnz > LARGE_DATA:
            self.validation_users_ = min(self.max_validation_users, LARGE_VALIDATION_USERS)
            for component in self.components_:
                if isinstance(component, Tuned):
                    component.max_validation_users = min(
                        component.max_validation_users, LARGE_VALIDATION_USERS
                    )
        train, valid, train_times = validation_split(
            matrix, timestamps, self.validation_fraction, self.random_state
        )
        train = as_user_items(train)
        self._fit_components(train, item_features, user_features, valid)
        self.n_items_ = matrix.shape[1]
        self.weights_, self.recency_half_life_, self.validation_ndcg_ = self._search(
            train, valid, train_times
        )
        self._fit_components(as_user_items(matrix), item_features, user_features)
        self.recency_ = None
        if self.recency_half_life_ and timestamps is not None:
            self.recency_ = recency_weights(matrix, timestamps, self.recency_half_life_)
        return self

    def _search(
        self, train: sp.csr_matrix, valid: sp.csr_matrix, train_times: np.ndarray | None
    ) -> tuple[np.ndarray, float, float]:
        """For each recency half-life, coordinate ascent on the weights from the best of equal
        weights and each component alone; the best pair on validation NDCG@k wins."""
        users = sample_users(valid, self.validation_users_, self.random_state)
        if not len(users):  # nothing held out: equal weights, no recency
            return np.ones(len(self.components_)), 0.0, float("nan")
        rows = train[users]
        seen = rows.nonzero()
        pool = min(100, train.shape[1])
        relevant = valid[users].toarray() > 0
        plain = [_candidate(c.score(users, rows), seen, pool) for c in self.components_]
        options = [0.0]
        if train_times is not None:
            options += sorted({h for h in self.recency if h > 0})
        best: tuple[float, np.ndarray, float] = (-1.0, np.ones(len(plain)), 0.0)
        steps = _steps_back(train, train_times) if train_times is not None else None
        for half_life in options:
            scored = plain
            if half_life and steps is not None:
                self.recency_ = _decay(*steps, half_life)
                weighted = self._recent_rows(users, rows)
                scored = [
                    _candidate(weigh(weighted), seen, pool) if (weigh := _row_weigher(c)) else s
                    for c, s in zip(self.components_, plain, strict=True)
                ]
            judge = _Judge(scored, relevant, self.k)
            starts = [np.ones(len(scored)), *np.eye(len(scored))]
            weights = max(starts, key=judge)
            found = judge(weights)
            for _ in range(self.rounds):
                for i in range(len(weights)):
                    for value in self.grid:
                        trial = weights.copy()
                        trial[i] = value
                        if (score := judge(trial)) > found + 1e-9:
                            found, weights = score, trial
            if found > best[0] + 1e-9:
                best = (found, weights, half_life)
        return best[1], best[2], best[0]

    def _recent_rows(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> sp.csr_matrix:
        """The users' rows as recency weights: the stored weight of each interaction known at
        fit time, 1 (the latest) for one made since, or for a user the model never saw."""
        rows = sp.csr_matrix(user_items, dtype=np.float32, copy=True)
        rows.sum_duplicates()
        rows.data[:] = 1.0
        stored = self.recency_
        assert stored is not None
        for i, user in enumerate(user_ids):
            if not 0 <= user < stored.shape[0]:
                continue
            start, end = rows.indptr[i], rows.indptr[i + 1]
            items = stored.indices[stored.indptr[user] : stored.indptr[user + 1]]
            if not items.size or start == end:
                continue
            cols = rows.indices[start:end]
            at = np.minimum(np.searchsorted(items, cols), items.size - 1)
            known = items[at] == cols
            weights = stored.data[stored.indptr[user] : stored.indptr[user + 1]]
            rows.data[start:end][known] = weights[at[known]]
        return rows

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        cold = np.diff(user_items.indptr) == 0
        total = np.zeros((len(user_ids), self.n_items_))
        recent = self._recent_rows(user_ids, user_items) if self.recency_ is not None else None
        for weight, component in zip(self.weights_, self.components_, strict=True):
            weights = np.full(len(user_ids), weight)
            if isinstance(component, ContentBased):
                weights[cold] = max(weight, 1.0)
            if not weights.any():
                continue
            weigh = _row_weigher(component)
            if recent is not None and weigh is not None:
                scores = weigh(recent)
            else:
                scores = component.score(user_ids, user_items)
            total += weights[:, None] * _standardise(scores)
        return total

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        total = np.zeros((len(item_ids), self.n_items_))
        for weight, component in zip(self.weights_, self.components_, strict=True):
            if weight and not isinstance(component, Popularity):
                total += weight * _standardise(component._similarities(item_ids))
        return total

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        """The reason of the component that lifts this item's blended score the most (for a
        member with an empty row, content weighs at least 1, as in the ranking)."""
        self._check_fitted()
        row = as_user_items(user_items, self.n_items_)
        ids = np.array([user_id])
        cold = row.nnz == 0
        lifts = [
            (max(weight, 1.0) if cold and isinstance(component, ContentBased) else weight)
            * _standardise(component.score(ids, row))[0, item_id]
            for weight, component in zip(self.weights_, self.components_, strict=True)
        ]
        return self.components_[int(np.argmax(lifts))].explain(user_id, item_id, row)
