"""Every recommender answers through one interface, with known answers on tiny matrices."""

import math

import numpy as np
import pytest
import scipy.sparse as sp

from seedbed.engine.recommend import (
    ALS,
    BPR,
    EASE,
    ImplicitItemKNN,
    ItemKNN,
    Popularity,
    RP3beta,
    Tuned,
    UserKNN,
)
from seedbed.engine.recommend.evaluate import evaluate, random_split

# Users 0-2 share items 0-2, users 3-4 share items 3-4.
X = sp.csr_matrix(
    np.array(
        [[1, 1, 0, 0, 0], [1, 1, 1, 0, 0], [0, 1, 1, 0, 0], [0, 0, 0, 1, 1], [0, 0, 0, 1, 0]],
        dtype=np.float32,
    )
)

ALL_MODELS = [
    Popularity(),
    ItemKNN(k=10),
    ItemKNN(similarity="bm25"),
    ItemKNN(shrink=5),
    UserKNN(k=2),
    UserKNN(similarity="bm25"),
    EASE(l2=1.0),
    ALS(factors=4, iterations=5),
    BPR(factors=4, iterations=20),
    ImplicitItemKNN(k=10),
    ImplicitItemKNN(similarity="cosine"),
    RP3beta(),
    RP3beta(alpha=0.5, beta=0.3, k=2),
]


CAPPED = EASE(l2=1.0, max_items=3)


def planted(n_users=200, n_items=60, groups=3, per_user=8, seed=0):
    """Each user touches items of their own group only; popular items span every group."""
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    size = n_items // groups
    for user in range(n_users):
        group = user % groups
        items = rng.choice(size, size=per_user, replace=False) + group * size
        rows += [user] * per_user
        cols += items.tolist()
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_users, n_items))


@pytest.mark.parametrize("model", [*ALL_MODELS, CAPPED], ids=lambda m: type(m).__name__)
def test_every_model_recommends_unseen_items_best_first_and_says_why(model):
    model.fit(X)
    ids, scores = model.recommend(np.arange(5), X, n=2)
    assert ids.shape == scores.shape == (5, 2)
    for user in range(5):
        assert not set(ids[user]) & set(X[user].indices)
        assert scores[user, 0] >= scores[user, 1]
    one_ids, _ = model.recommend(0, X[0], n=3)
    assert one_ids.shape == (3,)
    similar, _ = model.similar_items(0, n=2)
    assert 0 not in similar
    code, params = model.explain(0, int(one_ids[0]), X[0])
    assert code in {"popular", "similar_to", "similar_users"} and isinstance(params, dict)


@pytest.mark.parametrize("model", ALL_MODELS[1:], ids=lambda m: type(m).__name__)
def test_every_personal_model_keeps_a_user_inside_their_planted_group(model):
    data = planted()
    model.fit(data)
    ids, _ = model.recommend(np.arange(30), data[:30], n=5)
    own_group = ids // 20 == (np.arange(30) % 3)[:, None]
    assert own_group.mean() > 0.9


@pytest.mark.parametrize("model", ALL_MODELS[1:], ids=lambda m: type(m).__name__)
def test_every_personal_model_beats_popularity_on_planted_structure(model):
    train, test = random_split(planted(), 0.25, random_state=1)
    baseline = evaluate(Popularity().fit(train), train, test, k=5)
    assert evaluate(model.fit(train), train, test, k=5)["ndcg"] > 1.5 * baseline["ndcg"]


def test_popularity_ranks_by_how_many_users_have_an_item_ties_by_id():
    model = Popularity().fit(X)
    ids, scores = model.recommend(0, X[0], n=3)
    assert ids.tolist() == [2, 3, 4]
    assert scores.tolist() == [2, 2, 1]
    assert model.explain(0, 2, X[0]) == ("popular", {"users": 2})


def test_item_knn_cosine_sums_the_similarities_of_the_users_items():
    model = ItemKNN(k=10).fit(X)
    scores = model.score([2], X[2])[0]
    assert scores[0] == pytest.approx(2 / math.sqrt(6) + 1 / math.sqrt(4))
    assert scores[3] == 0
    code, params = model.explain(2, 0, X[2])
    assert code == "similar_to" and params["item"] == 1
    assert params["similarity"] == pytest.approx(2 / math.sqrt(6))


def test_item_knn_keeps_only_k_neighbours_per_item():
    model = ItemKNN(k=1).fit(X)
    assert np.diff(model.similarity_.indptr).max() == 1


def test_ease_solves_the_closed_form_on_two_items_always_together():
    together = sp.csr_matrix(np.ones((2, 2), dtype=np.float32))
    model = EASE(l2=1.0).fit(together)
    assert model.score([0], sp.csr_matrix([[1, 0]]))[0].tolist() == pytest.approx([0, 2 / 3])


def test_ease_beyond_its_item_cap_ranks_the_rest_after_by_popularity():
    model = EASE(l2=1.0, max_items=2).fit(X)
    assert sorted(model.items_.tolist()) == [0, 1]
    ids, _ = model.recommend(2, X[2], n=3)
    assert ids[0] == 0 and ids[1:].tolist() == [3, 4]


def test_user_knn_explains_with_how_many_neighbours_have_the_item():
    model = UserKNN(k=2).fit(X)
    assert model.explain(0, 2, X[0]) == ("similar_users", {"users": 2})


@pytest.mark.parametrize(
    "model", [ItemKNN(), UserKNN(), EASE(l2=1.0), ALS(factors=4), BPR(factors=4)]
)
def test_a_user_unknown_at_fit_time_is_scored_from_their_row(model):
    model.fit(planted())
    ids, _ = model.recommend(10_000, sp.csr_matrix(planted()[1].toarray()), n=5)
    assert (ids // 20 == 1).mean() >= 0.8


def test_fewer_unseen_items_than_asked_pad_with_minus_one():
    ids, scores = Popularity().fit(X).recommend(1, X[1], n=4)
    assert ids.tolist() == [3, 4, -1, -1]
    assert np.isneginf(scores[2:]).all()


def test_without_filtering_a_users_own_items_may_come_back():
    ids, _ = Popularity().fit(X).recommend(0, X[0], n=2, filter_seen=False)
    assert ids.tolist() == [1, 0]


def test_bad_input_gets_a_clear_error():
    with pytest.raises(RuntimeError, match="not fitted"):
        Popularity().recommend(0, X[0])
    with pytest.raises(ValueError, match="not negative"):
        Popularity().fit(-X)
    model = Popularity().fit(X)
    with pytest.raises(ValueError, match="items"):
        model.recommend(0, sp.csr_matrix((1, 3)))
    with pytest.raises(ValueError, match="one row per user"):
        model.recommend([0, 1], X[0])
    with pytest.raises(ValueError, match="item ids"):
        model.similar_items(5)
    with pytest.raises(ValueError, match="similarity"):
        ItemKNN(similarity="jaccard").fit(X)
    with pytest.raises(ValueError, match="l2"):
        EASE(l2=0).fit(X)


def test_ease_reads_counts_as_interactions_unless_told_otherwise():
    counts = X.copy()
    counts.data *= np.arange(1, counts.nnz + 1) * 1000
    binary = EASE(l2=1.0).fit(X).score([2], X[2])
    assert EASE(l2=1.0).fit(counts).score([2], counts[2]) == pytest.approx(binary)
    weighted = EASE(l2=1.0, binary=False).fit(counts).score([2], counts[2])
    assert weighted != pytest.approx(binary)


@pytest.mark.parametrize(
    ("alpha", "beta", "expected"),
    [
        (1.0, 0.0, [5 / 12, 1 / 6]),
        (1.0, 1.0, [5 / 12 / 3, 1 / 6 / 2]),
        (0.5, 0.0, [1 / 2 + 1 / math.sqrt(6), 1 / math.sqrt(6)]),
    ],
)
def test_rp3beta_walks_item_user_item_and_divides_by_popularity(alpha, beta, expected):
    # From item 0: to user 0 or 1 (1/2 each); user 0 goes on to item 1 (1/2), user 1 to item 1
    # or 2 (1/3 each). Items 1 and 2 have 3 and 2 users.
    model = RP3beta(alpha=alpha, beta=beta).fit(X)
    scores = model.score([9], sp.csr_matrix([[1, 0, 0, 0, 0]]))[0]
    assert scores[1:3].tolist() == pytest.approx(expected)
    assert scores[3:].tolist() == [0, 0]


def test_rp3beta_keeps_k_neighbours_and_rejects_a_bad_setting():
    assert np.diff(RP3beta(k=1).fit(X).similarity_.indptr).max() == 1
    with pytest.raises(ValueError, match="alpha"):
        RP3beta(alpha=0).fit(X)


def test_tuned_keeps_the_candidate_that_finds_the_held_out_items_and_refits_it_on_everything():
    data = planted()
    model = Tuned([Popularity(), ItemKNN(k=50)]).fit(data)
    assert model.chosen_ == 1 and isinstance(model.best_, ItemKNN)
    assert model.validation_scores_[1] > model.validation_scores_[0]
    assert model.best_.similarity_.shape == (60, 60)
    ids, _ = model.recommend(0, data[0], n=5)
    assert (ids // 20 == 0).all()


def test_tuned_grid_tries_every_combination_and_a_timestamped_fit_validates_on_the_latest():
    tuned = Tuned.grid(RP3beta, alpha=[0.5, 1.0], beta=[0.0, 0.5])
    assert [(c.alpha, c.beta) for c in tuned.candidates] == [
        (0.5, 0.0),
        (0.5, 0.5),
        (1.0, 0.0),
        (1.0, 0.5),
    ]
    data = planted()
    tuned.fit(data, timestamps=np.arange(data.nnz, dtype=float))
    assert len(tuned.validation_scores_) == 4 and 0 < tuned.validation_ndcg_ <= 1
    assert tuned.chosen_setting in [
        {"alpha": c.alpha, "beta": c.beta, "k": c.k} for c in tuned.candidates
    ]
