"""Offline evaluation of recommenders: per-user train/test splits and ranking metrics.

Every user keeps at least one training interaction; a test item is one the model must find among
all items the user has not seen in training. Metrics use binary relevance (an item is relevant
when it is in the user's test row) and average over users who have a test item.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike

from .base import Recommender, as_user_items

SPLITS = ("temporal", "random")


def order_in_rows(user_items: sp.csr_matrix, keys: np.ndarray) -> np.ndarray:
    """The stored interactions sorted by user, then ``keys``, then item: ``np.lexsort((indices,
    keys, rows))``, in two integer sorts when the items of each row are in order (canonical
    CSR), where the position in a row already breaks ties by item."""
    rows = np.repeat(np.arange(user_items.shape[0]), np.diff(user_items.indptr))
    if not user_items.has_sorted_indices:
        return np.lexsort((user_items.indices, keys, rows))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    return np.argsort(rows.astype(np.int64) * max(len(keys), 1) + rank, kind="stable")


def _latest_share(user_items: sp.csr_matrix, keys: np.ndarray, test_fraction: float) -> np.ndarray:
    """Which stored interactions are each user's last ``test_fraction`` by ``keys`` (ties by
    item): the count rounds half up, but never takes the user's last training interaction."""
    counts = np.diff(user_items.indptr)
    rows = np.repeat(np.arange(user_items.shape[0]), counts)
    tests = np.minimum(np.floor(test_fraction * counts + 0.5), np.maximum(counts - 1, 0))
    order = order_in_rows(user_items, keys)
    position = np.arange(user_items.nnz) - user_items.indptr[rows[order]]
    in_test = np.zeros(user_items.nnz, dtype=bool)
    in_test[order] = position >= (counts - tests)[rows[order]]
    return in_test


def _split(user_items: sp.csr_matrix, in_test: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    rows = np.repeat(np.arange(user_items.shape[0]), np.diff(user_items.indptr))
    parts = []
    for mask in (~in_test, in_test):
        part = sp.csr_matrix(
            (user_items.data[mask], (rows[mask], user_items.indices[mask])), shape=user_items.shape
        )
        parts.append(part)
    return parts[0], parts[1]


def _check_fraction(test_fraction: float) -> None:
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, not {test_fraction}")


def temporal_split(
    user_items: Any, timestamps: ArrayLike, test_fraction: float = 0.2
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Each user's last ``test_fraction`` of interactions by time go to test, the rest to train.

    ``timestamps`` runs alongside ``user_items.data`` of the canonical CSR matrix (sorted
    indices, no duplicates); ties in time are broken by item index.
    """
    _check_fraction(test_fraction)
    matrix = sp.csr_matrix(user_items, dtype=np.float32)
    if not matrix.has_canonical_format:
        raise ValueError("user_items must be canonical CSR (sorted indices, no duplicates)")
    times = np.asarray(timestamps, dtype=np.float64)
    if times.shape != (matrix.nnz,):
        raise ValueError(f"timestamps needs one value per stored interaction ({matrix.nnz})")
    in_test = _latest_share(matrix, times, test_fraction)
    return _split(matrix, in_test)


def random_split(
    user_items: Any, test_fraction: float = 0.2, random_state: int | None = 0
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Each user's test interactions are a random ``test_fraction`` of theirs."""
    _check_fraction(test_fraction)
    matrix = as_user_items(user_items)
    keys = np.random.default_rng(random_state).random(matrix.nnz)
    in_test = _latest_share(matrix, keys, test_fraction)
    return _split(matrix, in_test)


def ranking_metrics(
    recommended: ArrayLike, test_items: Any, k: int, n_items: int
) -> dict[str, float]:
    """Precision, recall, NDCG and MAP at ``k``, and catalogue coverage, of ranked lists.

    ``recommended`` has one row per user (item ids, best first, -1 for none) and ``test_items``
    the matching rows of the test matrix. Recall divides by the user's test items; MAP's AP@k
    by ``min(k, test items)``; coverage is the share of all items recommended to someone.
    """
    ranked = np.atleast_2d(np.asarray(recommended, dtype=np.int64))[:, :k]
    test = sp.csr_matrix(test_items)
    if ranked.shape[0] != test.shape[0]:
        raise ValueError("recommended and test_items need the same number of rows")
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    totals = {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0}
    users = 0
    for row in range(ranked.shape[0]):
        relevant = test.indices[test.indptr[row] : test.indptr[row + 1]]
        if not relevant.size:
            continue
        users += 1
        hits = np.isin(ranked[row], relevant) & (ranked[row] >= 0)
        found = int(hits.sum())
        totals["precision"] += found / k
        totals["recall"] += found / relevant.size
        ideal = discount[: min(relevant.size, k)].sum()
        totals["ndcg"] += float(discount[: hits.size][hits].sum() / ideal)
        precision_at = np.cumsum(hits) / np.arange(1, hits.size + 1)
        totals["map"] += float(precision_at[hits].sum() / min(relevant.size, k))
    scores = {name: value / users if users else 0.0 for name, value in totals.items()}
    shown = np.unique(ranked[ranked >= 0])
    scores["coverage"] = shown.size / n_items if n_items else 0.0
    scores["users"] = float(users)
    return scores


def evaluate(
    model: Recommender,
    train: Any,
    test: Any,
    k: int = 10,
    batch_size: int = 512,
    users: ArrayLike | None = None,
) -> dict[str, float]:
    """Metrics at ``k`` of a model already fitted on ``train``, ranking all unseen items for each
    user who has a test item (or only for ``users``, a sample of them)."""
    train, test = as_user_items(train), sp.csr_matrix(test)
    if users is None:
        users = np.flatnonzero(np.diff(test.indptr))
    users = np.asarray(users, dtype=np.int64)
    lists = [np.empty((0, k), dtype=np.int64)]
    for start in range(0, len(users), batch_size):
        batch = users[start : start + batch_size]
        ids, _ = model.recommend(batch, train[batch], n=k, filter_seen=True)
        lists.append(np.pad(ids, ((0, 0), (0, k - ids.shape[1])), constant_values=-1))
    return ranking_metrics(np.vstack(lists), test[users], k, train.shape[1])


def times_of(user_items: Any, timestamps: ArrayLike, part: Any) -> np.ndarray:
    """The timestamps along ``part``'s canonical data (a split of ``user_items``), looked up
    from those along ``user_items``'s canonical data."""
    full = sp.csr_matrix(user_items, dtype=np.float64, copy=True)
    full.data = np.asarray(timestamps, dtype=np.float64) + 1.0
    part = sp.csr_matrix(part, copy=True)
    part.sum_duplicates()
    rows, cols = part.nonzero()
    return np.asarray(full[rows, cols]).ravel() - 1.0


def validation_split(
    user_items: Any,
    timestamps: ArrayLike | None = None,
    fraction: float = 0.2,
    random_state: int | None = 0,
) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray | None]:
    """The split every tuned model chooses on, carved from its training data only: each user's
    latest ``fraction`` when there are timestamps (with the training part's times), else a
    random one."""
    matrix = sp.csr_matrix(user_items, dtype=np.float32)
    matrix.sum_duplicates()
    if timestamps is None:
        train, valid = random_split(matrix, fraction, random_state)
        return train, valid, None
    train, valid = temporal_split(matrix, timestamps, fraction)
    return train, valid, times_of(matrix, timestamps, train)


def sample_users(test: Any, most: int, random_state: int | None = 0) -> np.ndarray:
    """At most ``most`` of the users with a test item, the same ones for every model."""
    users = np.flatnonzero(np.diff(sp.csr_matrix(test).indptr))
    if len(users) > most:
        users = np.sort(np.random.default_rng(random_state).choice(users, most, replace=False))
    return users
