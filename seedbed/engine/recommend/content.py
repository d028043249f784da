"""Content-based recommending: items as TF-IDF vectors of their text and tags, users as the sum of
what they touched plus what they declared, so a new item or a new member is served at once."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from ..text import tokenize
from .base import Reason, Recommender, as_user_items


def _analyse(text: str) -> list[str]:
    """Words (jieba for Chinese, lower-cased words otherwise) and adjacent word pairs."""
    words = tokenize(text)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def text_features(
    item_texts: Sequence[str], user_texts: Sequence[str] = ()
) -> tuple[sp.csr_matrix, sp.csr_matrix, list[str]]:
    """TF-IDF rows for items (title, text, tags as one string each) and for users' declared
    interests in the same vocabulary, with the vocabulary, so a reason can name a word."""
    vectoriser = TfidfVectorizer(analyzer=_analyse, sublinear_tf=True)
    items = sp.csr_matrix(vectoriser.fit_transform(item_texts))
    width = items.shape[1]
    users = sp.csr_matrix(vectoriser.transform(list(user_texts)) if user_texts else (0, width))
    return items, users, [str(word) for word in vectoriser.get_feature_names_out()]


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)


class ContentBased(Recommender):
    """Scores an item by the cosine between its features and the user's profile: the features of
    the items in their row (weighted) plus ``interest_weight`` × their declared interests."""

    def __init__(self, interest_weight: float = 1.0) -> None:
        self.interest_weight = interest_weight

    def fit(
        self, user_items: Any, item_features: Any = None, user_features: Any = None
    ) -> ContentBased:
        if item_features is None:
            raise ValueError("ContentBased needs item_features (one row per item)")
        matrix = as_user_items(user_items)
        features = _normalise_rows(sp.csr_matrix(item_features, dtype=np.float64))
        if features.shape[0] != matrix.shape[1]:
            raise ValueError(
                f"item_features has {features.shape[0]} rows for {matrix.shape[1]} items"
            )
        self.item_features_ = features
        self.user_features_ = sp.csr_matrix(
            user_features if user_features is not None else (0, features.shape[1]),
            dtype=np.float64,
        )
        self.n_items_ = matrix.shape[1]
        return self

    def _interests(self, user_ids: np.ndarray) -> sp.csr_matrix:
        """The declared interests of each user (an empty row for one without any), as a
        selection product so that no users at all give no rows rather than an error."""
        known = self.user_features_.shape[0]
        inside = np.flatnonzero((user_ids >= 0) & (user_ids < known))
        pick = sp.csr_matrix(
            (np.ones(len(inside)), (inside, user_ids[inside])), shape=(len(user_ids), known)
        )
        return _normalise_rows(sp.csr_matrix(pick @ self.user_features_))

    def _profiles(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> sp.csr_matrix:
        touched = _normalise_rows(sp.csr_matrix(user_items @ self.item_features_))
        return sp.csr_matrix(touched + self.interest_weight * self._interests(user_ids))

    def _scores(self, user_ids: np.ndarray, user_items: sp.csr_matrix) -> np.ndarray:
        profiles = _normalise_rows(self._profiles(user_ids, user_items))
        return np.asarray((profiles @ self.item_features_.T).toarray())

    def _similarities(self, item_ids: np.ndarray) -> np.ndarray:
        return np.asarray((self.item_features_[item_ids] @ self.item_features_.T).toarray())

    def explain(self, user_id: int, item_id: int, user_items: Any) -> Reason:
        """``matches_interest`` with the feature (word) of the declared interests that weighs
        most in the item, when the interests count for more than the history."""
        self._check_fitted()
        row = as_user_items(user_items, self.n_items_)
        item = self.item_features_[item_id]
        interests = self._interests(np.array([user_id]))
        overlap = interests.multiply(item).toarray().ravel()
        history = super().explain(user_id, item_id, row)
        from_history = history[1].get("similarity", 0.0) if history[0] == "similar_to" else 0.0
        if (
            overlap.size
            and overlap.max() > 0
            and self.interest_weight * overlap.sum() >= from_history
        ):
            return ("matches_interest", {"feature": int(np.argmax(overlap))})
        return history
