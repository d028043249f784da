"""Hyperparameters chosen on a validation split carved from the training data, never by hand.

``Tuned`` wraps a small grid of candidate models: ``fit`` holds out each user's latest share of
interactions (a random share without timestamps), fits every candidate on the rest, keeps the one
with the best NDCG@k on the held-out part and refits it on everything. The references of the
evaluation (implicit's ALS, BPR, item-kNN) are tuned the same way as the project's own models, on
the same split, so the comparison is fair.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .algorithms import shared_walks
from .base import Reason, Recommender, as_user_items
from .evaluate import evaluate, sample_users, validation_split


def setting(model: Recommender) -> dict[str, Any]:
    """A model's hyperparameters (its constructor arguments), for reports."""
    skip = {"num_threads", "random_state", "components", "candidates"}
    return {
        key: value
        for key, value in vars(model).items()
        if not key.endswith("_") and not key.startswith("_") and key not in skip
    }


class Tuned(Recommender):
    """The candidate with the best validation NDCG@``k``, refitted on all the data.

    ``max_validation_users`` bounds the users the candidates are measured on (the same sample
    for each); ``progress`` is told each candidate's result, for a terminal.
    """

    def __init__(
        self,
        candidates: Sequence[Recommender],
        k: int = 10,
        validation_fraction: float = 0.2,
        max_validation_users: int = 1000,
        random_state: int | None = 0,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        if not candidates:
            raise ValueError("Tuned needs at least one candidate")
        self.candidates = list(candidates)
        self.k = k
        self.validation_fraction = validation_fraction
        self.max_validation_users = max_validation_users
        self.random_state = random_state
        self.progress = progress

    @classmethod
    def grid(cls, model: type[Recommender], /, **options: Sequence[Any]) -> Tuned:
        """Every combination of ``options`` as a candidate, e.g. ``Tuned.grid(EASE, l2=[50,
        200])``."""
        keys = list(options)
        candidates = [
            model(**dict(zip(keys, values, strict=True)))
            for values in itertools.product(*options.values())
        ]
        return cls(candidates)

    def select(self, train: sp.csr_matrix, valid: sp.csr_matrix) -> float:
        """Fits every candidate on ``train`` and keeps the best on ``valid`` (fitted on
        ``train``) as ``best_``; returns its NDCG. With one candidate, or nobody to validate
        on, the first candidate is kept."""
        train = as_user_items(train)
        users = sample_users(valid, self.max_validation_users, self.random_state)
        self.validation_scores_: list[float] = [float("nan")] * len(self.candidates)
        best, chosen, fitted = float("nan"), 0, None
        if len(self.candidates) > 1 and len(users):
            best = -1.0
            with shared_walks():
                for i, candidate in enumerate(self.candidates):
                    model = copy.deepcopy(candidate).fit(train)
                    found = evaluate(model, train, valid, k=self.k, users=users)["ndcg"]
                    self.validation_scores_[i] = found
                    if self.progress:
                        self.progress(
                            f"  {setting(candidate)}: validation NDCG@{self.k} {found:.4f}"
                        )
                    if found > best:
                        best, chosen, fitted = found, i, model
        if fitted is None:
            fitted = copy.deepcopy(self.candidates[0]).fit(train)
        self.chosen_ = chosen
        self.validation_ndcg_ = best
        self.best_ = fitted
        self.n_items_ = train.shape[1]
        return best

    def fit_chosen(self, user_items: Any) -> Tuned:
        """Refits the chosen candidate on ``user_items`` (all the training data)."""
        self.best_ = copy.deepcopy(self.candidates[self.chosen_]).fit(as_user_items(user_items))
        self.n_items_ = self.best_.n_items_
        return self

    def fit(self, user_items: Any, timestamps: ArrayLike | None = None) -> Tuned:
        """Chooses on a split of ``user_items`` (temporal with ``timestamps`` along the
        canonical CSR data), then refits the chosen candidate on all of it."""
        if len(self.candidates) == 1:
            self.chosen_, self.validation_scores_ = 0, [float("nan")]
            self.validation_ndcg_ = float("nan")
            return self.fit_chosen(user_items)
        train, valid, _ = validation_split(
            user_items, timestamps, self.validation_fraction, self.random_state
        )
        self.select(train, valid)
        return self.fit_chosen(user_items)

    @property
    def chosen_setting(self) -> dict[str, Any]:
        return setting(self.candidates[self.chosen_])

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return self.best_._scores(user_ids, user_items)

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return self.best_._similarities(item_ids)

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        self._check_fitted()
        return self.best_.explain(user_id, item_id, user_items)
