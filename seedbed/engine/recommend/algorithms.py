"""Collaborative-filtering recommenders on implicit feedback, all behind ``Recommender``.

Popularity and the neighbourhood and linear models are written here on numpy/scipy; ALS and BPR
wrap the ``implicit`` library so that the references and the project's own models are measured
through the same door.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import scipy.sparse as sp
from implicit.cpu.als import AlternatingLeastSquares
from implicit.cpu.bpr import BayesianPersonalizedRanking
from implicit.nearest_neighbours import BM25Recommender, CosineRecommender
from implicit.utils import ParameterWarning
from threadpoolctl import threadpool_limits

from .base import Reason, Recommender, as_user_items

SIMILARITIES = ("cosine", "bm25")


def _check_similarity(similarity: str) -> None:
    if similarity not in SIMILARITIES:
        raise ValueError(f"similarity must be one of {', '.join(SIMILARITIES)}, not {similarity!r}")


def _row_normalise(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


def _keep_top_k_per_row(matrix: sp.csr_matrix, k: int) -> sp.csr_matrix:
    """Keeps the ``k`` largest entries of every row (the neighbourhood), dropping the rest."""
    matrix = sp.csr_matrix(matrix)
    keep = np.zeros(matrix.nnz, dtype=bool)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end - start <= k:
            keep[start:end] = True
        else:
            keep[start + np.argpartition(-matrix.data[start:end], k - 1)[:k]] = True
    matrix.data[~keep] = 0
    matrix.eliminate_zeros()
    return matrix


def _binary(matrix: sp.csr_matrix) -> sp.csr_matrix:
    ones = sp.csr_matrix(matrix, copy=True)
    ones.data[:] = 1.0
    return ones


class _BM25:
    """Okapi BM25 weights of a user × item matrix: an item's long user list is damped (``b``),
    repeated weight saturates (``k1``), and a user who touched everything says little (idf)."""

    def __init__(self, matrix: sp.csr_matrix, k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        item_users = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
        self.item_length = item_users / max(item_users.mean(), 1e-12)
        self.n_items = matrix.shape[1]

    def __call__(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        weighted = sp.csr_matrix(matrix, dtype=np.float64, copy=True)
        counts = np.diff(weighted.indptr)
        idf = np.log(self.n_items / (1.0 + counts)).clip(min=0.0) + 1e-3
        rows = np.repeat(np.arange(weighted.shape[0]), counts)
        x = weighted.data
        length = self.item_length[weighted.indices]
        weighted.data = x * (self.k1 + 1.0) / (self.k1 * (1.0 - self.b + self.b * length) + x)
        weighted.data *= idf[rows]
        return weighted


class Popularity(Recommender):
    """Every user gets the items the most users have touched: the baseline every model must beat."""

    def fit(self, user_items: Any) -> Popularity:
        matrix = as_user_items(user_items)
        self.n_items_ = matrix.shape[1]
        self.item_users_ = np.bincount(matrix.indices, minlength=self.n_items_)
        return self

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return np.broadcast_to(self.item_users_.astype(np.float64), (len(user_ids), self.n_items_))

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.item_users_.astype(np.float64), (len(item_ids), self.n_items_))

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        self._check_fitted()
        return ("popular", {"users": int(self.item_users_[item_id])})


class ItemKNN(Recommender):
    """Item-based neighbours: an item scores by how like it each item the user has is, over the
    ``k`` nearest neighbours of each of those items (cosine, or dot product on BM25 weights)."""

    def __init__(
        self,
        k: int = 100,
        similarity: str = "cosine",
        shrink: float = 0.0,
        k1: float = 1.2,
        b: float = 0.75,
    ) -> None:
        self.k = k
        self.similarity = similarity
        self.shrink = shrink
        self.k1 = k1
        self.b = b

    def fit(self, user_items: Any) -> ItemKNN:
        _check_similarity(self.similarity)
        matrix = as_user_items(user_items)
        if self.similarity == "bm25":
            weighted = _BM25(matrix, self.k1, self.b)(matrix)
        else:
            weighted = sp.csr_matrix(matrix, dtype=np.float64)
        item_users = sp.csr_matrix(weighted.T)
        gram = sp.csr_matrix(item_users @ item_users.T)
        if self.similarity == "cosine":
            norms = np.sqrt(gram.diagonal())
            norms[norms == 0] = 1.0
            gram = sp.csr_matrix(sp.diags(1.0 / norms) @ gram @ sp.diags(1.0 / norms))
            if self.shrink:
                binary = (item_users > 0).astype(np.float64)
                damping = sp.csr_matrix(binary @ binary.T)
                damping.data = damping.data / (damping.data + self.shrink)
                gram = sp.csr_matrix(gram.multiply(damping))
        gram.setdiag(0)
        gram.eliminate_zeros()
        self.similarity_ = _keep_top_k_per_row(gram, self.k).astype(np.float32)
        self.similarity_t_ = sp.csr_matrix(self.similarity_.T)
        self.n_items_ = matrix.shape[1]
        return self

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return self._weighted_scores(user_items)

    def _weighted_scores(self, user_items: sp.csr_matrix) -> np.ndarray:
        """Scores from rows whose values are taken as they are (the hybrid's recency weights)."""
        rows = sp.csr_matrix(user_items, dtype=np.float32)  # not a float64 copy of the weights
        return np.asarray((rows @ self.similarity_).toarray())

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return np.asarray(self.similarity_t_[item_ids].toarray())


_WALKS = threading.local()


@contextmanager
def shared_walks() -> Iterator[None]:
    """Within it, RP3beta fits on the same data and ``alpha`` share one walk product (a grid
    over ``beta`` multiplies the matrices once); it is let go at the end."""
    _WALKS.cache = {}
    try:
        yield
    finally:
        _WALKS.cache = None


def _walk(binary: sp.csr_matrix, alpha: float) -> tuple[np.ndarray, sp.csr_matrix]:
    """Item degrees and the item → user → item transition product before the popularity
    penalty, which does not depend on ``beta``: inside ``shared_walks`` the last is reused."""
    cache = getattr(_WALKS, "cache", None)
    key: tuple[Any, ...] = ()
    if cache is not None:
        digest = hashlib.blake2b(binary.indptr.tobytes(), digest_size=16)
        digest.update(binary.indices.tobytes())
        key = (binary.shape, alpha, digest.hexdigest())
        if key in cache:
            return cache[key]
    user_degree = np.maximum(np.diff(binary.indptr), 1)
    item_users = sp.csr_matrix(binary.T)
    item_degree = np.diff(item_users.indptr)
    to_items = sp.csr_matrix(sp.diags(1.0 / user_degree) @ binary)
    to_users = sp.csr_matrix(sp.diags(1.0 / np.maximum(item_degree, 1)) @ item_users)
    if alpha != 1.0:
        to_items.data **= alpha
        to_users.data **= alpha
    found = (item_degree, sp.csr_matrix(to_users @ to_items))
    if cache is not None:
        cache.clear()
        cache[key] = found
    return found


class RP3beta(Recommender):
    """Random walks of three steps, item → user → item, with a popularity penalty (Paudel et al.,
    2017; Christoffel et al., 2015): the transition probabilities are raised to ``alpha`` and
    the chance of landing on item j is divided by its popularity to the power ``beta``, so
    the niche items a user's neighbours share rise above what everyone has. Only the ``k``
    strongest neighbours of each item are kept."""

    def __init__(self, alpha: float = 1.0, beta: float = 0.5, k: int = 200) -> None:
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def fit(self, user_items: Any) -> RP3beta:
        if self.alpha <= 0 or self.k < 1:
            raise ValueError("alpha must be positive and k at least 1")
        binary = _binary(as_user_items(user_items)).astype(np.float64)
        self.n_items_ = binary.shape[1]
        item_degree, product = _walk(binary, self.alpha)
        penalty = np.power(np.maximum(item_degree, 1).astype(np.float64), -self.beta)
        walks = sp.csr_matrix(product @ sp.diags(penalty))
        walks.setdiag(0)
        walks.eliminate_zeros()
        self.similarity_ = _keep_top_k_per_row(walks, self.k).astype(np.float32)
        self.similarity_t_ = sp.csr_matrix(self.similarity_.T)
        return self

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return self._weighted_scores(_binary(user_items))

    def _weighted_scores(self, user_items: sp.csr_matrix) -> np.ndarray:
        """Scores from rows whose values are taken as they are (the hybrid's recency weights)."""
        rows = sp.csr_matrix(user_items, dtype=np.float32)  # not a float64 copy of the weights
        return np.asarray((rows @ self.similarity_).toarray())

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return np.asarray(self.similarity_t_[item_ids].toarray())


class UserKNN(Recommender):
    """User-based neighbours: an item scores by the similarity of the ``k`` users most like this
    one who have it (cosine on raw or BM25 weights)."""

    def __init__(
        self, k: int = 50, similarity: str = "cosine", k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.k = k
        self.similarity = similarity
        self.k1 = k1
        self.b = b

    def _weigh(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        if self.similarity == "bm25":
            return _row_normalise(self.bm25_(matrix))
        return _row_normalise(sp.csr_matrix(matrix, dtype=np.float64))

    def fit(self, user_items: Any) -> UserKNN:
        _check_similarity(self.similarity)
        matrix = as_user_items(user_items)
        self.bm25_ = _BM25(matrix, self.k1, self.b)
        self.user_items_ = matrix
        self.users_t_ = sp.csr_matrix(self._weigh(matrix).T)
        self.items_ = sp.csr_matrix(_row_normalise(sp.csr_matrix(matrix.T, dtype=np.float64)))
        self.n_items_ = matrix.shape[1]
        return self

    def _neighbours(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        sims = np.asarray((self._weigh(user_items) @ self.users_t_).toarray())
        known = user_ids < sims.shape[1]
        sims[np.flatnonzero(known), user_ids[known]] = 0.0
        k = min(self.k, sims.shape[1])
        if k < sims.shape[1]:
            cut = np.partition(sims, sims.shape[1] - k, axis=1)[:, sims.shape[1] - k][:, None]
            sims[sims < cut] = 0.0
        return sims

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return np.asarray(self.user_items_.T @ self._neighbours(user_ids, user_items).T).T

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return np.asarray((self.items_[item_ids] @ self.items_.T).toarray())

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        """``similar_users``: how many of the user's nearest neighbours have the item."""
        self._check_fitted()
        row = as_user_items(user_items, self.n_items_)
        sims = self._neighbours(np.array([user_id]), row)[0]
        holders = self.user_items_[:, item_id].nonzero()[0]
        count = int(np.count_nonzero(sims[holders] > 0))
        if count:
            return ("similar_users", {"users": count})
        return super().explain(user_id, item_id, user_items)


class EASE(Recommender):
    """Embarrassingly Shallow Autoencoder (Steck, 2019): the closed-form item-item weights that
    best rebuild each user's row from the rest of it under an L2 penalty.

    The solve is dense in the number of items, so it runs on the ``max_items`` most popular
    items; items beyond the cap rank after all of those, by popularity.
    """

    def __init__(self, l2: float = 500.0, max_items: int = 4000, binary: bool = True) -> None:
        self.l2 = l2
        self.max_items = max_items
        self.binary = binary

    def _input(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        """Binary by default: raw play counts in the thousands swamp the L2 penalty."""
        return _binary(matrix) if self.binary else matrix

    def fit(self, user_items: Any) -> EASE:
        if self.l2 <= 0:
            raise ValueError("l2 must be positive")
        matrix = self._input(as_user_items(user_items))
        self.n_items_ = matrix.shape[1]
        counts = np.bincount(matrix.indices, minlength=self.n_items_)
        if self.n_items_ > self.max_items:
            kept = np.sort(np.argsort(-counts, kind="stable")[: self.max_items])
        else:
            kept = np.arange(self.n_items_)
        sub = sp.csr_matrix(matrix[:, kept], dtype=np.float64)
        gram = np.asarray((sub.T @ sub).toarray())
        gram[np.diag_indices_from(gram)] += self.l2
        precision = np.linalg.inv(gram)
        weights = precision / -np.diag(precision)
        np.fill_diagonal(weights, 0.0)
        self.items_ = kept
        self.weights_ = weights.astype(np.float32)
        self.popularity_ = counts / max(int(counts.max(initial=0)) + 1, 1)
        return self

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return self._weighted_scores(self._input(user_items))

    def _weighted_scores(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores from rows whose values are taken as they are (the hybrid's recency weights)."""
        sub = sp.csr_matrix(rows[:, self.items_], dtype=np.float32)  # no float64 weights copy
        kept = np.asarray(sub @ self.weights_, dtype=np.float64)
        if len(self.items_) == self.n_items_:
            return kept
        scores = (kept.min(axis=1, initial=0.0) - 1.0)[:, None] + self.popularity_[None, :]
        scores[:, self.items_] = kept
        return scores

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        position = np.full(self.n_items_, -1)
        position[self.items_] = np.arange(len(self.items_))
        sims = np.zeros((len(item_ids), self.n_items_))
        inside = position[item_ids] >= 0
        sims[np.ix_(np.flatnonzero(inside), self.items_)] = self.weights_[
            :, position[item_ids[inside]]
        ].T
        return sims


class _ImplicitFactors(Recommender):
    """Matrix factorisation from ``implicit``: a user's score for an item is the dot product of
    their factors; users unknown at fit time are folded in from their row."""

    num_threads: int
    random_state: int | None

    def _model(self) -> Any:
        raise NotImplementedError

    def fit(self, user_items: Any) -> _ImplicitFactors:
        matrix = as_user_items(user_items)
        with threadpool_limits(1, "blas"):
            model = self._model()
            model.fit(matrix, show_progress=False)
        self.model_ = model
        self.user_factors_ = np.asarray(model.user_factors)
        self.item_factors_ = np.asarray(model.item_factors, dtype=np.float64)
        self.n_items_ = matrix.shape[1]
        return self

    def _fold_in(self, row: sp.csr_matrix) -> np.ndarray:
        seen = row.indices
        if not seen.size:
            return np.zeros(self.item_factors_.shape[1])
        return np.asarray(self.item_factors_[seen].mean(axis=0))

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        vectors = np.empty((len(user_ids), self.item_factors_.shape[1]), dtype=np.float64)
        for i, user in enumerate(user_ids):
            if 0 <= user < len(self.user_factors_):
                vectors[i] = self.user_factors_[user]
            else:
                vectors[i] = self._fold_in(user_items[i])
        return vectors @ self.item_factors_.T

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        factors = self.item_factors_.astype(np.float64)
        norms = np.linalg.norm(factors, axis=1)
        norms[norms == 0] = 1.0
        return (factors[item_ids] / norms[item_ids, None]) @ (factors / norms[:, None]).T


class ALS(_ImplicitFactors):
    """``implicit``'s alternating least squares (Hu, Koren & Volinsky, 2008); a new user is
    solved for exactly from their row."""

    def __init__(
        self,
        factors: int = 64,
        regularization: float = 0.05,
        alpha: float = 2.0,
        iterations: int = 15,
        num_threads: int = 1,
        random_state: int | None = 0,
    ) -> None:
        self.factors = factors
        self.regularization = regularization
        self.alpha = alpha
        self.iterations = iterations
        self.num_threads = num_threads
        self.random_state = random_state

    def _model(self) -> Any:
        return AlternatingLeastSquares(
            factors=self.factors,
            regularization=self.regularization,
            alpha=self.alpha,
            iterations=self.iterations,
            num_threads=self.num_threads,
            random_state=self.random_state,
        )

    def _fold_in(self, row: sp.csr_matrix) -> np.ndarray:
        with threadpool_limits(1, "blas"):
            return np.asarray(self.model_.recalculate_user(0, row)).ravel()


class BPR(_ImplicitFactors):
    """``implicit``'s Bayesian personalised ranking (Rendle et al., 2009); a new user is the mean
    of the factors of the items they have."""

    def __init__(
        self,
        factors: int = 64,
        learning_rate: float = 0.05,
        regularization: float = 0.01,
        iterations: int = 100,
        num_threads: int = 1,
        random_state: int | None = 0,
    ) -> None:
        self.factors = factors
        self.learning_rate = learning_rate
        self.regularization = regularization
        self.iterations = iterations
        self.num_threads = num_threads
        self.random_state = random_state

    def _model(self) -> Any:
        return BayesianPersonalizedRanking(
            factors=self.factors,
            learning_rate=self.learning_rate,
            regularization=self.regularization,
            iterations=self.iterations,
            num_threads=self.num_threads,
            random_state=self.random_state,
        )


class ImplicitItemKNN(Recommender):
    """``implicit``'s item-item nearest neighbours (cosine or BM25), as the reference for
    ``ItemKNN``: a user's scores are their row times its pruned similarity matrix."""

    def __init__(
        self,
        k: int = 100,
        similarity: str = "bm25",
        k1: float = 1.2,
        b: float = 0.75,
        num_threads: int = 1,
    ) -> None:
        self.k = k
        self.similarity = similarity
        self.k1 = k1
        self.b = b
        self.num_threads = num_threads

    def fit(self, user_items: Any) -> ImplicitItemKNN:
        _check_similarity(self.similarity)
        matrix = as_user_items(user_items)
        if self.similarity == "bm25":
            model: Any = BM25Recommender(
                K=self.k, K1=self.k1, B=self.b, num_threads=self.num_threads
            )
        else:
            model = CosineRecommender(K=self.k, num_threads=self.num_threads)
        with warnings.catch_warnings():  # implicit's BM25 weighting hands itself a COO matrix
            warnings.simplefilter("ignore", ParameterWarning)
            model.fit(matrix, show_progress=False)
        self.similarity_ = sp.csr_matrix(model.similarity, dtype=np.float32)
        self.similarity_t_ = sp.csr_matrix(self.similarity_.T)
        self.n_items_ = matrix.shape[1]
        return self

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        return np.asarray((user_items @ self.similarity_).toarray())

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        sims = np.asarray(self.similarity_t_[item_ids].toarray())
        sims[np.arange(len(item_ids)), item_ids] = 0.0
        return sims
