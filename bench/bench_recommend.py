"""The default recommender against the references: quality on real data, speed on generated data.

Quality: MovieLens latest-small (Harper & Konstan 2015; temporal split, each user's last 20 % of
ratings by time as test) and Last.fm HetRec 2011 (user_artists.dat has no timestamps: random
20 % per user), ranking all unseen items, through the same code as ``seedbed engine evaluate``:
every algorithm with hyperparameters, the references included (implicit's ALS, BPR and item-kNN),
is tuned on a validation split carved from the training part the same way, then measured on test.

Speed: the default recommender (``Hybrid()``, the one the quality table reports) fitted on
1,000,000 generated interactions (100,000 users x 20,000 items, Zipf popularity, seeded, with
timestamps), median and spread over repeats; top-10 for one user timed over 1,000 calls (one
BLAS thread, as a request would run); peak
memory; implicit's ALS on the same data in the same run.

Run: .venv/bin/python bench/bench_recommend.py [speed] [movielens] [lastfm]
(all three by default; then bench/results/recommend.md is written). BENCH_REPEATS sets the fit
repeats (default 3). Data from $SEEDBED_SHARED_DATA (default ../shared/data, then
/work/shared/data).
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seedbed.engine.recommend import ALS, Hybrid  # noqa: E402
from seedbed.engine.recommend.cli import (  # noqa: E402
    DEFAULT,
    compare,
    ratio_to_references,
    read_interactions,
)

K = 10
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
CALLS = 1000


def shared() -> Path:
    if "SEEDBED_SHARED_DATA" in os.environ:
        return Path(os.environ["SEEDBED_SHARED_DATA"])
    near = ROOT.parent / "shared" / "data"
    return near if near.exists() else Path("/work/shared/data")


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            line.split(":", 1)[1].strip()
            for line in lscpu.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, StopIteration):
        model = platform.processor() or platform.machine()
    return (
        f"{model}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"numpy {np.__version__}; load average {os.getloadavg()[0]:.1f} at the start"
    )


def generate(
    n_users: int = 100_000, n_items: int = 20_000, n: int = 1_000_000, seed: int = 0
) -> tuple[sp.csr_matrix, np.ndarray]:
    """``n`` distinct (user, item) pairs: users uniform, items by a Zipf law (exponent 0.9) over
    a shuffled catalogue, each with a random time; timestamps along the canonical CSR data."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, n_items + 1) ** 0.9
    catalogue = rng.permutation(n_items)
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < n:
        draw = 2 * (n - len(keys))
        items = catalogue[rng.choice(n_items, size=draw, p=weights / weights.sum())]
        users = rng.integers(0, n_users, size=draw)
        fresh = np.concatenate([keys, users.astype(np.int64) * n_items + items])
        _, first = np.unique(fresh, return_index=True)
        keys = fresh[np.sort(first)][:n]
    keys = np.sort(keys)
    matrix = sp.csr_matrix(
        (np.ones(n, dtype=np.float32), (keys // n_items, keys % n_items)), shape=(n_users, n_items)
    )
    return matrix, rng.random(n) * 1e8


def spread(values: list[float]) -> str:
    return (
        f"{np.median(values):.1f} s (min {min(values):.1f}, max {max(values):.1f}, n={len(values)})"
    )


def latency(model, matrix: sp.csr_matrix, seed: int = 1) -> dict[str, float]:
    users = np.random.default_rng(seed).choice(matrix.shape[0], CALLS, replace=False)
    for user in users[:20]:
        model.recommend(int(user), matrix[user], n=K)
    times = []
    with threadpool_limits(1):  # one request needs no BLAS threads; they only queue on 2 cores
        for user in users:
            row = matrix[user]
            start = time.perf_counter()
            model.recommend(int(user), row, n=K)
            times.append((time.perf_counter() - start) * 1000)
    return {
        q: float(np.percentile(times, p)) for q, p in (("median", 50), ("p95", 95), ("p99", 99))
    }


def speed() -> str:
    matrix, times = generate()
    fits, cpu, model = [], [], None
    for _ in range(REPEATS):
        start, used = time.perf_counter(), time.process_time()
        model = Hybrid().fit(matrix, timestamps=times)
        fits.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
        print(f"hybrid fit {fits[-1]:.1f} s, {cpu[-1]:.1f} CPU s", file=sys.stderr, flush=True)
    assert model is not None
    ours = latency(model, matrix)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    als_fits, als_cpu, als = [], [], None
    for _ in range(REPEATS):
        start, used = time.perf_counter(), time.process_time()
        als = ALS(num_threads=2).fit(matrix)
        als_fits.append(time.perf_counter() - start)
        als_cpu.append(time.process_time() - used)
    assert als is not None
    theirs = latency(als, matrix)
    blend = ", ".join(
        f"{type(getattr(c, 'best_', c)).__name__} {w:g}"
        for c, w in zip(model.components_, model.weights_, strict=True)
    )
    lines = [
        "### Speed: 1,000,000 generated interactions (100,000 users × 20,000 items)",
        "",
        f"Default recommender as fitted: {blend}; recency half-life "
        f"{model.recency_half_life_:g} (0 = none).",
        "",
        "| | default (`Hybrid()`) | implicit ALS (64 factors, 15 iterations, 2 threads) | ratio |",
        "|---|---|---|---|",
        f"| fit | {spread(fits)} | {spread(als_fits)} | "
        f"{np.median(fits) / np.median(als_fits):.1f}× |",
        f"| fit, CPU time (both cores) | {spread(cpu)} | {spread(als_cpu)} | "
        f"{np.median(cpu) / np.median(als_cpu):.1f}× |",
    ]
    for q in ("median", "p95", "p99"):
        lines.append(
            f"| top-10 for one user, {q} ({CALLS} calls) | {ours[q]:.2f} ms | {theirs[q]:.2f} ms"
            f" | {ours[q] / theirs[q]:.1f}× |"
        )
    lines += [
        f"| peak memory (process maxrss after the default's fits) | {peak:,.0f} MiB | | |",
        "",
        f"Targets: fit under 60 s — {'met' if np.median(fits) < 60 else 'NOT met'} "
        f"(median {np.median(fits):.1f} s); p99 under 10 ms — "
        f"{'met' if ours['p99'] < 10 else 'NOT met'} ({ours['p99']:.2f} ms). "
        f"Load average at the end: {os.getloadavg()[0]:.1f}.",
    ]
    return "\n".join(lines)


def quality(name: str) -> str:
    data_dir = shared()
    if name == "movielens":
        data = read_interactions(str(data_dir / "ml-latest-small" / "ratings.csv"))
        split, source, command = "temporal", "ml-latest-small/ratings.csv", ""
    else:
        data = read_interactions(str(data_dir / "lastfm-hetrec2011" / "user_artists.dat"), "\t")
        split, source, command = "random", "lastfm-hetrec2011/user_artists.dat", " --sep tab"
    rows = compare(
        data,
        split,
        0.2,
        K,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    ratio, best = ratio_to_references(rows)
    lines = [
        f"### {name}: {data.matrix.shape[0]:,} users × {data.matrix.shape[1]:,} items, "
        f"{data.matrix.nnz:,} interactions, {split} 80/20 per user",
        "",
        f"`seedbed engine evaluate --interactions {source}{command} --k 10 --test-fraction 0.2 "
        f"--split {split}`",
        "",
        "| algorithm | P@10 | R@10 | NDCG@10 | MAP@10 | coverage | fit s | chosen on validation |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['algorithm']} | {row['precision']:.4f} | {row['recall']:.4f} | "
            f"{row['ndcg']:.4f} | {row['map']:.4f} | {row['coverage']:.4f} | "
            f"{row['fit_seconds']:.1f} | `{row['setting']}` |"
        )
    default = next(r["ndcg"] for r in rows if r["algorithm"] == DEFAULT)
    lines += [
        "",
        f"**{DEFAULT} NDCG@10 / best reference ({best}) = {ratio:.3f}** "
        f"({default:.4f}; target ≥ 1.10).",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    wanted = argv or ["speed", "movielens", "lastfm"]
    sections = [
        "## Recommender (`bench/bench_recommend.py`)",
        f"Command: `{' '.join(['.venv/bin/python bench/bench_recommend.py', *argv])}`  ",
        f"Machine: {machine()}",
    ]
    for name in wanted:
        section = speed() if name == "speed" else quality(name)
        print(section + "\n", flush=True)
        sections.append(section)
    if not argv:
        (ROOT / "bench" / "results" / "recommend.md").write_text("\n\n".join(sections) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
