"""The hybrid learns its blend on a validation split and serves new members and new items."""

import numpy as np
import pytest
import scipy.sparse as sp

from seedbed.engine.recommend import (
    ContentBased,
    Hybrid,
    ItemKNN,
    Popularity,
    hybrid,
    text_features,
)
from seedbed.engine.recommend.evaluate import evaluate, random_split
from seedbed.engine.recommend.hybrid import RECENCY_FLOOR, recency_weights

TOPICS = ["fintech payments", "医疗 健康", "climate energy"]


def planted(n_users=150, n_items=60, per_user=8, seed=0):
    """User u touches items of topic u % 3 only; item i is about topic i // 20."""
    rng = np.random.default_rng(seed)
    rows, cols = [], []
    for user in range(n_users):
        items = rng.choice(20, size=per_user, replace=False) + (user % 3) * 20
        rows += [user] * per_user
        cols += items.tolist()
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_users, n_items))


def item_texts(n_items=60):
    return [f"{TOPICS[i // 20]} item{i}" for i in range(n_items)]


def test_the_blend_is_learned_and_favours_the_model_that_finds_the_held_out_items():
    model = Hybrid(components=[Popularity(), ItemKNN()]).fit(planted())
    popularity, knn = model.weights_
    assert knn > 0 and knn > popularity
    assert 0 < model.validation_ndcg_ <= 1


def test_the_hybrid_beats_popularity_on_planted_structure():
    train, test = random_split(planted(), 0.25, random_state=2)
    hybrid = evaluate(Hybrid().fit(train), train, test, k=5)["ndcg"]
    baseline = evaluate(Popularity().fit(train), train, test, k=5)["ndcg"]
    assert hybrid > 1.5 * baseline


def test_timestamps_make_the_validation_split_temporal():
    data = planted()
    times = np.arange(data.nnz, dtype=float)
    model = Hybrid(components=[Popularity(), ItemKNN()]).fit(data, timestamps=times)
    assert model.weights_.shape == (2,)


def test_a_new_member_with_only_interests_gets_items_of_those_interests():
    items, interests, _ = text_features(item_texts(), ["医疗"])
    data = planted()
    new_member = sp.vstack([data, sp.csr_matrix((1, 60))]).tocsr()
    features = sp.vstack([sp.csr_matrix((150, interests.shape[1])), interests]).tocsr()
    model = Hybrid().fit(new_member, item_features=items, user_features=features)
    ids, _ = model.recommend(150, new_member[150], n=5)
    assert (ids // 20 == 1).all()
    code, params = model.explain(150, int(ids[0]), new_member[150])
    assert code == "matches_interest" and params["feature"] >= 0


def test_a_new_item_with_only_content_reaches_the_members_of_its_topic():
    texts = [*item_texts(), "climate energy item60"]
    items, _, _ = text_features(texts)
    data = sp.hstack([planted(), sp.csr_matrix((150, 1))]).tocsr()
    model = ContentBased().fit(data, item_features=items)
    ids, _ = model.recommend(np.array([2, 5]), data[[2, 5]], n=20)
    assert (ids == 60).any(axis=1).all()
    code, params = model.explain(2, 60, data[2])
    assert code == "similar_to" and params["item"] // 20 == 2


def test_chinese_and_english_words_are_both_features():
    _, _, vocabulary = text_features(["医疗 健康 startup", "fintech payments"])
    assert {"医疗", "健康", "startup", "fintech payments"} <= set(vocabulary)


def drifting(n_users=150, seed=0):
    """Each user first touches 8 items of topic u % 3, then 4 of the next topic: the latest
    interactions say what comes next. Returns the matrix and timestamps along its data."""
    rng = np.random.default_rng(seed)
    rows, cols, times = [], [], []
    for user in range(n_users):
        early = rng.choice(20, size=8, replace=False) + (user % 3) * 20
        late = rng.choice(20, size=4, replace=False) + ((user + 1) % 3) * 20
        rows += [user] * 12
        cols += [*early.tolist(), *late.tolist()]
        times += list(range(12))
    coo = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_users, 60))
    order = np.lexsort((coo.col, coo.row))
    return sp.csr_matrix(coo), np.asarray(times, dtype=float)[order]


def test_recency_weights_halve_every_half_life_back_down_to_a_floor():
    row = sp.csr_matrix([[1.0, 1.0, 1.0, 1.0]])
    weights = recency_weights(row, np.array([30.0, 10.0, 20.0, 0.0]), half_life=1.0)
    floor = RECENCY_FLOOR
    assert weights.toarray()[0].tolist() == pytest.approx(
        [1.0, floor + (1 - floor) / 4, floor + (1 - floor) / 2, floor + (1 - floor) / 8]
    )


def test_with_timestamps_the_hybrid_learns_to_weigh_a_users_latest_interactions_more():
    data, times = drifting()
    next_topic = ((np.arange(150) + 1) % 3)[:, None]
    model = Hybrid().fit(data, timestamps=times)
    plain = Hybrid(recency=(0.0,)).fit(data, timestamps=times)
    assert model.recency_half_life_ > 0 and plain.recency_half_life_ == 0
    assert model.validation_ndcg_ > plain.validation_ndcg_
    recent_share = (model.recommend(np.arange(150), data, n=5)[0] // 20 == next_topic).mean()
    plain_share = (plain.recommend(np.arange(150), data, n=5)[0] // 20 == next_topic).mean()
    assert recent_share > plain_share + 0.2


def test_an_interaction_made_since_the_fit_counts_as_the_latest():
    data, times = drifting()
    model = Hybrid().fit(data, timestamps=times)
    row = data[0].toarray()
    row[0, 55] = 1.0
    weighted = model._recent_rows(np.array([0]), sp.csr_matrix(row)).toarray()[0]
    assert weighted[55] == 1.0
    assert weighted[data[0].indices].tolist() == pytest.approx(model.recency_[0].data.tolist())


def test_too_little_data_to_hold_anything_out_still_fits_with_equal_weights():
    one_each = sp.csr_matrix(np.eye(4, dtype=np.float32))
    model = Hybrid().fit(one_each, timestamps=np.arange(4.0))
    assert model.weights_.tolist() == [1, 1, 1, 1] and model.recency_half_life_ == 0
    ids, _ = model.recommend(0, one_each[0], n=2)
    assert 0 not in ids


def test_with_content_and_too_little_data_to_hold_anything_out_the_hybrid_still_fits():
    one_each = sp.csr_matrix(np.eye(4, dtype=np.float32))
    items, _, _ = text_features([TOPICS[i % 3] for i in range(4)])
    model = Hybrid().fit(one_each, timestamps=np.arange(4.0), item_features=items)
    assert model.weights_.tolist() == [1, 1, 1, 1, 1]
    ids, _ = model.recommend(0, one_each[0], n=2)
    assert 0 not in ids


def test_content_scores_an_empty_list_of_users_as_no_rows():
    items, _, _ = text_features(item_texts())
    model = ContentBased().fit(planted(), item_features=items)
    assert model.score(np.array([], dtype=int), sp.csr_matrix((0, 60))).shape == (0, 60)


def test_only_above_the_large_data_threshold_does_the_validation_look_at_fewer_users(monkeypatch):
    small = Hybrid().fit(planted())
    assert small.validation_users_ == 1000
    assert all(c.max_validation_users == 1000 for c in small.components_ if hasattr(c, "best_"))
    monkeypatch.setattr(hybrid, "LARGE_DATA", planted().nnz - 1)
    large = Hybrid().fit(planted())
    assert large.validation_users_ == hybrid.LARGE_VALIDATION_USERS
    tuned = [c for c in large.components_ if hasattr(c, "best_")]
    assert tuned and all(c.max_validation_users == hybrid.LARGE_VALIDATION_USERS for c in tuned)
