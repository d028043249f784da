"""How well each algorithm would have suggested on this platform: the engine's harness on a
temporal split of the platform's own interactions (each member's latest 20% held out), per
kind, plus the catalogue coverage of the suggestions actually stored. Stored for the operator
page, which only reads it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np
from django.db.models import Count

from seedbed.discovery import access, adapter
from seedbed.discovery.models import EvaluationRun, Kind, Recommendation
from seedbed.discovery.refresh import features
from seedbed.engine.recommend import (
    ALS,
    BPR,
    EASE,
    ContentBased,
    Hybrid,
    ItemKNN,
    Popularity,
    Recommender,
    UserKNN,
)
from seedbed.engine.recommend.evaluate import evaluate, temporal_split

log = logging.getLogger(__name__)

K = 10
TEST_FRACTION = 0.2
MIN_INTERACTIONS = 10

ALGORITHMS: dict[str, Callable[[], Recommender]] = {
    "popularity": Popularity,
    "item-knn (bm25)": lambda: ItemKNN(k=100, similarity="bm25"),
    "user-knn": lambda: UserKNN(k=50),
    "ease": lambda: EASE(l2=200.0),
    "als (implicit)": lambda: ALS(),
    "bpr (implicit)": lambda: BPR(),
    "content": ContentBased,
    "hybrid": Hybrid,
}

KIND_NAMES: dict[str, str] = {
    Kind.COMMUNITY: "communities",
    Kind.EVENT: "events",
    Kind.PERSON: "people",
    Kind.POST: "posts",
}


def _fit(model: Recommender, train, times_train, items, users) -> Recommender:
    if isinstance(model, Hybrid):
        return model.fit(train, timestamps=times_train, item_features=items, user_features=users)
    if isinstance(model, ContentBased):
        return model.fit(train, items, users)
    return model.fit(train)


def evaluate_kind(snap: adapter.Snapshot, kind: str) -> dict:
    data = snap.kinds[kind]
    matrix = data.matrix
    rows: list[dict[str, Any]] = []
    block: dict[str, Any] = {
        "kind": KIND_NAMES[kind],
        "members": int(np.count_nonzero(np.diff(matrix.indptr))) if matrix.nnz else 0,
        "items": len(data.item_ids),
        "interactions": int(matrix.nnz),
        "rows": rows,
    }
    if matrix.nnz < MIN_INTERACTIONS or len(data.item_ids) < 3:
        return block
    train, test = temporal_split(matrix, data.times, TEST_FRACTION)
    if not test.nnz:
        return block
    train_times = _times_of(matrix, data.times, train)
    items, users, _vocabulary = features(data.texts, snap.declared)
    for name, make in ALGORITHMS.items():
        try:
            model = _fit(make(), train, train_times, items, users)
            scores = evaluate(model, train, test, k=K)
        except (ValueError, RuntimeError) as exc:
            log.warning("evaluating %s on %s failed: %s", name, kind, exc)
            continue
        rows.append(
            {"algorithm": name, **{m: float(scores[m]) for m in ("precision", "recall", "ndcg")}}
            | {"coverage": float(scores["coverage"]), "users": float(scores["users"])}
        )
    return block


def _times_of(matrix, times: np.ndarray, part) -> np.ndarray:
    """The timestamps of ``part``'s entries (a subset of ``matrix``, both canonical CSR)."""
    width = matrix.shape[1]
    rows_all = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    part = part.tocsr()
    part.sort_indices()
    rows_part = np.repeat(np.arange(part.shape[0]), np.diff(part.indptr))
    keys_all = rows_all.astype(np.int64) * width + matrix.indices
    keys_part = rows_part.astype(np.int64) * width + part.indices
    return np.asarray(times)[np.searchsorted(keys_all, keys_part)]


def coverage(snap: adapter.Snapshot) -> dict:
    """Per kind: how many items could be suggested to someone, how many are, the share."""
    stored = dict(
        Recommendation.objects.values("kind")
        .annotate(n=Count("object_id", distinct=True))
        .values_list("kind", "n")
    )
    rows = dict(
        Recommendation.objects.values("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    catalogue: dict[str, int] = {
        Kind.COMMUNITY: access.suggestible_communities().count(),
        Kind.EVENT: access.suggestible_events().count(),
        Kind.PERSON: len(snap.member_ids),
        Kind.POST: len(snap.kinds[Kind.POST].item_ids),
    }
    return {
        "kinds": [
            {
                "kind": KIND_NAMES[kind],
                "items": catalogue[kind],
                "recommended": stored.get(kind, 0),
                "share": stored.get(kind, 0) / catalogue[kind] if catalogue[kind] else 0.0,
                "rows": rows.get(kind, 0),
            }
            for kind in Kind.values
        ]
    }


def evaluate_and_store() -> EvaluationRun:
    snap = adapter.snapshot()
    results = {"kinds": [evaluate_kind(snap, kind) for kind in Kind.values]}
    return EvaluationRun.objects.create(results=results, coverage=coverage(snap))
