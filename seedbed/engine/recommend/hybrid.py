"""A blend of recommenders whose weights are chosen on a validation split, never by hand.

Each component's scores are standardised per user (a user a component knows nothing about gets
zeros from it, so the others decide; a member with nothing in their row is ranked with the
content model weighing at least 1, so a new member with declared interests is served at once, and a
new item reaches users through content). The weights are found by coordinate ascent on NDCG@k of
a split held out from the training data, then every component is refitted on all of it.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .algorithms import EASE, ItemKNN, Popularity
from .base import Reason, Recommender, as_user_items, top_n
from .content import ContentBased
from .evaluate import random_split, ranking_metrics, temporal_split


def _standardise(scores: np.ndarray) -> np.ndarray:
    spread = scores.std(axis=1, keepdims=True)
    spread[spread == 0] = 1.0
    return (scores - scores.mean(axis=1, keepdims=True)) / spread


def default_components() -> list[Recommender]:
    return [Popularity(), ItemKNN(k=100, similarity="bm25"), EASE(l2=200.0)]


class Hybrid(Recommender):
    """Weighted sum of standardised component scores; ``weights_`` is learned in ``fit``.

    ``components`` defaults to popularity, BM25 item-kNN and EASE; with ``item_features`` a
    content-based model joins. ``grid`` holds the weights tried for each component.
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
    ) -> None:
        self.components = components
        self.grid = grid
        self.k = k
        self.validation_fraction = validation_fraction
        self.max_validation_users = max_validation_users
        self.rounds = rounds
        self.random_state = random_state

    def _fit_components(
        self, user_items: sp.csr_matrix, item_features: Any, user_features: Any
    ) -> None:
        for component in self.components_:
            if isinstance(component, ContentBased):
                component.fit(user_items, item_features, user_features)
            else:
                component.fit(user_items)

    def fit(
        self,
        user_items: Any,
        timestamps: ArrayLike | None = None,
        item_features: Any = None,
        user_features: Any = None,
    ) -> Hybrid:
        """Chooses the weights on a temporal split when ``timestamps`` (along the canonical
        CSR data) are given, else a random one; then fits every component on all the data."""
        matrix = sp.csr_matrix(user_items, dtype=np.float32)
        matrix.sum_duplicates()
        components = list(self.components) if self.components else default_components()
        if item_features is not None and not any(isinstance(c, ContentBased) for c in components):
            components.append(ContentBased())
        self.components_ = [copy.deepcopy(c) for c in components]
        if timestamps is not None:
            train, valid = temporal_split(matrix, timestamps, self.validation_fraction)
        else:
            train, valid = random_split(matrix, self.validation_fraction, self.random_state)
        self._fit_components(as_user_items(train), item_features, user_features)
        self.weights_ = self._search_weights(as_user_items(train), valid)
        self.validation_ndcg_ = self._validation_ndcg
        self._fit_components(as_user_items(matrix), item_features, user_features)
        self.n_items_ = matrix.shape[1]
        return self

    def _search_weights(self, train: sp.csr_matrix, valid: sp.csr_matrix) -> np.ndarray:
        users = np.flatnonzero(np.diff(valid.indptr))
        if len(users) > self.max_validation_users:
            rng = np.random.default_rng(self.random_state)
            users = np.sort(rng.choice(users, self.max_validation_users, replace=False))
        rows = train[users]
        seen_r, seen_c = rows.nonzero()
        scores = []
        for component in self.components_:
            standard = _standardise(component.score(users, rows)).astype(np.float32)
            standard[seen_r, seen_c] = -np.inf
            scores.append(standard)

        def quality(weights: np.ndarray) -> float:
            if not weights.any():
                return -1.0
            blend = sum(w * s for w, s in zip(weights, scores, strict=True) if w)
            ids, _ = top_n(np.asarray(blend), self.k)
            return ranking_metrics(ids, valid[users], self.k, train.shape[1])["ndcg"]

        weights = np.ones(len(scores))
        best = quality(weights)
        for _ in range(self.rounds):
            for i in range(len(weights)):
                for value in self.grid:
                    trial = weights.copy()
                    trial[i] = value
                    found = quality(trial)
                    if found > best + 1e-9:
                        best, weights = found, trial
        self._validation_ndcg = best
        return weights

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        cold = np.diff(user_items.indptr) == 0
        total = np.zeros((len(user_ids), self.n_items_))
        for weight, component in zip(self.weights_, self.components_, strict=True):
            weights = np.full(len(user_ids), weight)
            if isinstance(component, ContentBased):
                weights[cold] = max(weight, 1.0)
            if weights.any():
                total += weights[:, None] * _standardise(component.score(user_ids, user_items))
        return total

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        total = np.zeros((len(item_ids), self.n_items_))
        for weight, component in zip(self.weights_, self.components_, strict=True):
            if weight and not isinstance(component, Popularity):
                total += weight * _standardise(component._similarities(item_ids))
        return total

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        """The reason of the component that lifts this item's blended score the most."""
        self._check_fitted()
        row = as_user_items(user_items, self.n_items_)
        ids = np.array([user_id])
        lifts = [
            weight * _standardise(component.score(ids, row))[0, item_id]
            for weight, component in zip(self.weights_, self.components_, strict=True)
        ]
        return self.components_[int(np.argmax(lifts))].explain(user_id, item_id, row)
