"""The one interface every recommender shares, in the manner of ``implicit``.

A model is fitted on a CSR user × item matrix of implicit feedback (weights allowed), then asked
for the top ``n`` items of some users given *their* rows (so a member the model never saw, or one
who acted since the fit, is scored from what they have now). Reasons are codes with parameters,
worded later by the app in its reader's language.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

Reason = tuple[str, dict[str, Any]]
"""A stable code with its parameters, e.g. ``("similar_to", {"item": 12, "similarity": 0.4})``."""


def as_user_items(user_items: Any, n_items: int | None = None) -> sp.csr_matrix:
    """A clean CSR float32 copy with summed duplicates; rejects negative or non-finite weights."""
    if not sp.issparse(user_items):
        user_items = sp.csr_matrix(np.asarray(user_items, dtype=np.float32))
    matrix = sp.csr_matrix(user_items, dtype=np.float32)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    if matrix.nnz and (not np.all(np.isfinite(matrix.data)) or matrix.data.min() < 0):
        raise ValueError("user_items weights must be finite and not negative")
    if n_items is not None and matrix.shape[1] != n_items:
        raise ValueError(
            f"user_items has {matrix.shape[1]} items; the model was fitted on {n_items}"
        )
    return matrix


def top_n(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` best (index, score) of each row, best first, ties by index; ``-inf`` is id -1."""
    n = min(n, scores.shape[1])
    if n <= 0:
        empty = np.empty((scores.shape[0], 0))
        return empty.astype(np.int64), empty
    part = np.argpartition(-scores, n - 1, axis=1)[:, :n]
    values = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -values))
    ids = np.take_along_axis(part, order, axis=1).astype(np.int64)
    values = np.take_along_axis(values, order, axis=1)
    ids[~np.isfinite(values)] = -1
    return ids, values


class Recommender:
    """Base class: subclasses set ``n_items_`` in ``fit`` and implement ``_scores`` and
    ``_similarities``; everything else (filtering, top-n, reasons) is shared."""

    n_items_: int

    def fit(self, user_items: Any) -> Recommender:
        raise NotImplementedError

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        """Dense scores, one row per user, one column per item; higher is better."""
        raise NotImplementedError

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        """Dense item-to-item similarities, one row per asked item."""
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_items_"):
            raise RuntimeError(f"{type(self).__name__} is not fitted yet; call fit first")

    def score(self, user_ids: ArrayLike, user_items: Any) -> np.ndarray:
        """Scores of every item for ``user_ids``, given one row of ``user_items`` each."""
        self._check_fitted()
        ids = np.atleast_1d(np.asarray(user_ids, dtype=np.int64))
        rows = as_user_items(user_items, self.n_items_)
        if rows.shape[0] != len(ids):
            raise ValueError(
                f"user_items needs one row per user: {rows.shape[0]} rows, {len(ids)} users"
            )
        return np.array(self._scores(ids, rows), dtype=np.float64)

    def recommend(
        self, user_ids: ArrayLike, user_items: Any, n: int = 10, filter_seen: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` best items per user as ``(ids, scores)``, best first, like ``implicit``.

        ``user_items`` holds the rows of the asked users (one each, in order). One user id gives
        1-D arrays, several give 2-D. With ``filter_seen`` an item in the user's row is never
        returned; when fewer than ``n`` items are left, the tail is id -1 with score ``-inf``.
        """
        single = np.ndim(user_ids) == 0
        scores = self.score(user_ids, user_items)
        if filter_seen:
            rows = as_user_items(user_items, self.n_items_)
            r, c = rows.nonzero()
            scores[r, c] = -np.inf
        ids, values = top_n(scores, n)
        return (ids[0], values[0]) if single else (ids, values)

    def similar_items(self, item_ids: ArrayLike, n: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The ``n`` items most like each asked item (never itself), as ``(ids, scores)``."""
        self._check_fitted()
        single = np.ndim(item_ids) == 0
        ids = np.atleast_1d(np.asarray(item_ids, dtype=np.int64))
        if ids.size and (ids.min() < 0 or ids.max() >= self.n_items_):
            raise ValueError(f"item ids must be between 0 and {self.n_items_ - 1}")
        sims = np.array(self._similarities(ids), dtype=np.float64)
        sims[np.arange(len(ids)), ids] = -np.inf
        found, values = top_n(sims, n)
        return (found[0], values[0]) if single else (found, values)

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        """Why ``item_id`` suits the user whose row is ``user_items``: the item they have that is
        most like it (``similar_to``), or ``popular`` when nothing they have resembles it."""
        self._check_fitted()
        row = as_user_items(user_items, self.n_items_)
        seen = row.indices[row.indptr[0] : row.indptr[1]]
        if seen.size:
            sims = np.asarray(self._similarities(np.array([item_id])), dtype=np.float64)[0, seen]
            sims[seen == item_id] = -np.inf
            best = int(np.argmax(sims))
            if np.isfinite(sims[best]) and sims[best] > 0:
                return ("similar_to", {"item": int(seen[best]), "similarity": float(sims[best])})
        return ("popular", {})
