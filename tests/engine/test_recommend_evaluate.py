"""The evaluation harness splits each user's history and scores ranked lists as worked by hand."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from seedbed.engine.recommend import Popularity
from seedbed.engine.recommend.evaluate import (
    evaluate,
    order_in_rows,
    random_split,
    ranking_metrics,
    temporal_split,
)

# User 0 has five items, user 1 one item, user 2 two items.
X = sp.csr_matrix(
    np.array([[1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 1], [1, 0, 0, 0, 0, 1]], dtype=np.float32)
)
TIMES = np.array([50, 10, 40, 20, 30, 7, 9, 3])  # along X.data, row by row


def test_a_temporal_split_puts_each_users_latest_share_in_test():
    train, test = temporal_split(X, TIMES, test_fraction=0.4)
    assert test[0].indices.tolist() == [0, 2]  # times 50 and 40
    assert test[1].nnz == 0  # a single interaction stays in training
    assert test[2].indices.tolist() == [0]  # time 9 beats 3
    assert (train + test - X).nnz == 0
    assert train.multiply(test).nnz == 0


def test_a_temporal_split_breaks_ties_in_time_by_item():
    _, test = temporal_split(X[:1], np.zeros(5), test_fraction=0.2)
    assert test.indices.tolist() == [4]


def test_a_random_split_takes_the_same_share_reproducibly():
    train, test = random_split(X, test_fraction=0.4, random_state=3)
    assert np.diff(test.indptr).tolist() == [2, 0, 1]
    assert (train + test - X).nnz == 0
    again = random_split(X, test_fraction=0.4, random_state=3)[1]
    assert (again != test).nnz == 0


def test_metrics_at_k_match_the_hand_computation():
    test = sp.csr_matrix(([1, 1, 1], ([0, 0, 1], [1, 5, 4])), shape=(3, 8))
    scores = ranking_metrics([[3, 1, 2], [4, 0, 7], [5, 6, -1]], test, k=3, n_items=8)
    ideal_two = 1 + 1 / math.log2(3)
    assert scores["users"] == 2  # the third user has nothing to find
    assert scores["precision"] == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert scores["recall"] == pytest.approx((1 / 2 + 1) / 2)
    assert scores["ndcg"] == pytest.approx(((1 / math.log2(3)) / ideal_two + 1) / 2)
    assert scores["map"] == pytest.approx(((1 / 2) / 2 + 1) / 2)
    assert scores["coverage"] == pytest.approx(8 / 8)


def test_evaluate_ranks_only_unseen_items_for_users_with_a_test_item():
    train, test = temporal_split(X, TIMES, test_fraction=0.4)
    scores = evaluate(Popularity().fit(train), train, test, k=2)
    # Train popularity: item 5 has two users, items 1, 3 and 4 one, items 0 and 2 none.
    # User 0 (has 1, 3, 4; test 0, 2) gets [5, 0]: one hit. User 2 (has 5; test 0) gets [1, 3].
    assert scores["users"] == 2
    assert scores["precision"] == pytest.approx((1 / 2 + 0) / 2)
    assert scores["recall"] == pytest.approx((1 / 2 + 0) / 2)
    assert scores["coverage"] == pytest.approx(4 / 6)


def test_bad_splits_get_a_clear_error():
    with pytest.raises(ValueError, match="between 0 and 1"):
        temporal_split(X, TIMES, test_fraction=1.0)
    with pytest.raises(ValueError, match="one value per stored interaction"):
        temporal_split(X, TIMES[:3])
    with pytest.raises(ValueError, match="same number of rows"):
        ranking_metrics([[1]], sp.csr_matrix((2, 3)), k=1, n_items=3)


def test_sorting_interactions_within_rows_matches_a_lexicographic_sort_ties_by_item():
    rng = np.random.default_rng(3)
    for _ in range(50):
        shape = (int(rng.integers(1, 20)), int(rng.integers(1, 20)))
        matrix = sp.random(*shape, density=rng.random(), format="csr", random_state=rng)
        keys = rng.integers(0, 3, matrix.nnz).astype(float)
        rows = np.repeat(np.arange(shape[0]), np.diff(matrix.indptr))
        expected = np.lexsort((matrix.indices, keys, rows))
        assert np.array_equal(order_in_rows(matrix, keys), expected)
        shuffled = matrix.copy()
        shuffled.has_sorted_indices = False
        assert np.array_equal(order_in_rows(shuffled, keys), expected)
