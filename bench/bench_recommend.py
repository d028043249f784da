"""Recommenders on real data: every algorithm's P@10, R@10, NDCG@10, MAP@10 and coverage.

MovieLens latest-small (Harper & Konstan 2015): temporal split, each user's last 20 % of
ratings by time as test. Last.fm HetRec 2011 (user_artists.dat has no timestamps): random 20 %
per user. All unseen items are ranked. Every algorithm with a grid (the references included:
implicit's ALS, BPR and item-kNN) is tuned on a validation split of the training part made the
same way (the last / a random 20 % of each user's training interactions), refitted on the whole
training part with its best setting, then measured on test. The hybrid picks its own blend on
an inner validation split. Data from $SEEDBED_SHARED_DATA (default /work/shared/data).

Run: .venv/bin/python bench/bench_recommend.py [movielens|lastfm ...]   (prints a markdown table)
"""

from __future__ import annotations

import itertools
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data"))

from seedbed.engine.recommend import (  # noqa: E402
    ALS,
    BPR,
    EASE,
    Hybrid,
    ImplicitItemKNN,
    ItemKNN,
    Popularity,
    UserKNN,
)
from seedbed.engine.recommend.cli import read_interactions  # noqa: E402
from seedbed.engine.recommend.evaluate import evaluate, random_split, temporal_split  # noqa: E402

K = 10
REFERENCES = {"popularity", "implicit ALS", "implicit BPR", "implicit item-kNN"}


def grid(cls, **options):
    keys = list(options)
    return [
        lambda v=values: cls(**dict(zip(keys, v, strict=True)))
        for values in itertools.product(*options.values())
    ]


ALGORITHMS = {
    "popularity": [Popularity],
    "implicit ALS": grid(ALS, factors=[64, 128], regularization=[0.01, 0.1], alpha=[1.0, 5.0]),
    "implicit BPR": grid(BPR, factors=[64, 128], learning_rate=[0.01, 0.05]),
    "implicit item-kNN": grid(ImplicitItemKNN, k=[20, 100, 400], similarity=["cosine", "bm25"]),
    "item-kNN": grid(ItemKNN, k=[20, 100, 400], similarity=["cosine", "bm25"]),
    "user-kNN": grid(UserKNN, k=[20, 50, 200], similarity=["cosine", "bm25"]),
    "EASE": grid(EASE, l2=[50.0, 200.0, 800.0]),
    "hybrid (default)": [Hybrid],
}


def load(name):
    if name == "movielens":
        data = read_interactions(str(SHARED / "ml-latest-small" / "ratings.csv"))
    else:
        data = read_interactions(str(SHARED / "lastfm-hetrec2011" / "user_artists.dat"), "\t")
    return data


def split(matrix, times, temporal):
    if temporal:
        train, test = temporal_split(matrix, times, 0.2)
        train.sum_duplicates()
        full = matrix.copy()
        full.data = times + 1.0
        train_times = np.asarray(full[train.nonzero()]).ravel() - 1.0
        return train, test, train_times
    train, test = random_split(matrix, 0.2, random_state=0)
    train.sum_duplicates()
    return train, test, None


def fit(model, train, times):
    return model.fit(train, timestamps=times) if isinstance(model, Hybrid) else model.fit(train)


def run(name):
    data = load(name)
    temporal = data.timestamps is not None
    train, test, train_times = split(data.matrix, data.timestamps, temporal)
    inner, valid, inner_times = (
        split(train, train_times, temporal) if temporal else split(train, None, False)
    )
    print(
        f"\n## {name}: {data.matrix.shape[0]} users × {data.matrix.shape[1]} items, "
        f"{data.matrix.nnz} interactions, {'temporal' if temporal else 'random'} 80/20\n"
    )
    print("| algorithm | P@10 | R@10 | NDCG@10 | MAP@10 | coverage | best setting | fit s |")
    print("|---|---|---|---|---|---|---|---|")
    rows = {}
    for algorithm, makers in ALGORITHMS.items():
        best, best_maker = -1.0, makers[0]
        if len(makers) > 1:
            for maker in makers:
                score = evaluate(fit(maker(), inner, inner_times), inner, valid, k=K)["ndcg"]
                if score > best:
                    best, best_maker = score, maker
        model = best_maker()
        start = time.perf_counter()
        fit(model, train, train_times)
        seconds = time.perf_counter() - start
        scores = evaluate(model, train, test, k=K)
        rows[algorithm] = scores
        setting = {
            k: v
            for k, v in vars(model).items()
            if not k.endswith("_") and k not in ("num_threads", "random_state", "components")
        }
        if isinstance(model, Hybrid):
            setting = {"weights": [round(float(w), 2) for w in model.weights_]}
        print(
            f"| {algorithm} | {scores['precision']:.4f} | {scores['recall']:.4f} | {scores['ndcg']:.4f} | "
            f"{scores['map']:.4f} | {scores['coverage']:.4f} | {setting} | {seconds:.1f} |",
            flush=True,
        )
    reference = max(rows[r]["ndcg"] for r in REFERENCES)
    print(
        f"\nhybrid NDCG@10 / best reference = {rows['hybrid (default)']['ndcg'] / reference:.3f}; "
        f"best of all / best reference = {max(r['ndcg'] for r in rows.values()) / reference:.3f}"
    )


if __name__ == "__main__":
    print(
        f"# bench_recommend — {platform.processor() or platform.machine()}, Python {platform.python_version()}, 1 thread per model"
    )
    for name in sys.argv[1:] or ["movielens", "lastfm"]:
        run(name)
