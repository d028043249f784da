"""Community structure on a real graph with known groups, and the analysis at scale.

Quality: SNAP email-Eu-core (1,005 people, e-mails between them, 42 departments) read from
$SEEDBED_SHARED_DATA/email-eu-core (default /work/shared/data). The e-mails become an
undirected graph weighted by the number of messages either way. In the same run:
``seedbed.engine.graph.StructureAnalysis`` (seeded Louvain), networkx's Louvain called directly
on the unweighted graph, and networkx's two label propagations. Each gets modularity on the
weighted graph and NMI / ARI against the departments (people without e-mails are singletons).
Stability: NMI between the engine's partitions under 5 seeds.

Scale (``--scale N M``, off by default as it takes minutes): a planted-partition graph with N
nodes and about M edges, timing the whole ``fit`` and each part.

Run: .venv/bin/python bench/bench_graph.py [--scale 100000 1000000]
(writes bench/results/graph.md and prints it)
"""

import itertools
import os
import platform
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SEEDBED_SHARED_DATA", "/work/shared/data"))

from seedbed.engine.graph import StructureAnalysis, interaction_graph  # noqa: E402


def labels_of(parts, n):
    labels = np.empty(n, dtype=np.int64)
    for label, members in enumerate(parts):
        labels[list(members)] = label
    return labels


def quality(lines):
    folder = SHARED / "email-eu-core"
    edges = np.loadtxt(folder / "email-Eu-core.txt", dtype=np.int64)
    truth_rows = np.loadtxt(folder / "email-Eu-core-department-labels.txt", dtype=np.int64)
    n = int(truth_rows[:, 0].max()) + 1
    truth = np.empty(n, dtype=np.int64)
    truth[truth_rows[:, 0]] = truth_rows[:, 1]
    graph = interaction_graph(edges[:, 0], edges[:, 1], n_nodes=n)
    plain = nx.Graph(graph.edges())
    plain.add_nodes_from(range(n))

    def row(name, run):
        start = time.perf_counter()
        parts = run()
        seconds = time.perf_counter() - start
        labels = labels_of(parts, n)
        q = nx.community.modularity(graph, parts, weight="weight")
        return (
            f"| {name} | {len(parts)} | {q:.3f} | "
            f"{normalized_mutual_info_score(truth, labels):.3f} | "
            f"{adjusted_rand_score(truth, labels):.3f} | {seconds:.2f} s |"
        )

    def engine():
        fitted = StructureAnalysis(seed=0).fit(edges[:, 0], edges[:, 1], n_nodes=n)
        return [
            set(np.flatnonzero(fitted.community_ == c)) for c in range(fitted.community_.max() + 1)
        ]

    lines += [
        "### Quality on email-Eu-core",
        "",
        f"{n:,} people, {len(edges):,} directed e-mails, {graph.number_of_edges():,} undirected "
        f"ties (self-mails dropped), {len(set(truth)):,} departments. Modularity on the weighted "
        "graph; NMI and ARI against the departments. The engine's time is the whole `fit` "
        "(Louvain, PageRank, betweenness, brokerage).",
        "",
        "| method | communities | modularity | NMI | ARI | time |",
        "|---|---|---|---|---|---|",
        row("engine `StructureAnalysis(seed=0)` (weighted Louvain)", engine),
        row(
            "networkx `louvain_communities(seed=0)`, unweighted",
            lambda: nx.community.louvain_communities(plain, seed=0),
        ),
        row(
            "networkx `label_propagation_communities`",
            lambda: list(nx.community.label_propagation_communities(plain)),
        ),
        row(
            "networkx `asyn_lpa_communities(seed=0)`, weighted",
            lambda: list(nx.community.asyn_lpa_communities(graph, weight="weight", seed=0)),
        ),
        "",
    ]
    runs = [
        StructureAnalysis(seed=s).fit(edges[:, 0], edges[:, 1], n_nodes=n).community_
        for s in range(5)
    ]
    agree = [normalized_mutual_info_score(a, b) for a, b in itertools.combinations(runs, 2)]
    again = StructureAnalysis(seed=0).fit(edges[:, 0], edges[:, 1], n_nodes=n).community_
    same = "gives" if (again == runs[0]).all() else "does NOT give"
    lines += [
        f"Stability: NMI between the engine's partitions under seeds 0–4: min {min(agree):.3f}, "
        f"mean {np.mean(agree):.3f}; seed 0 run twice {same} the same partition.",
        "",
    ]


def scale(lines, n, m):
    rng = np.random.default_rng(0)
    groups = 200
    group = rng.integers(0, groups, n)
    sources = rng.integers(0, n, m)
    inside = rng.uniform(size=m) < 0.8
    by_group = [np.flatnonzero(group == g) for g in range(groups)]
    targets = rng.integers(0, n, m)
    for g in range(groups):
        pick = inside & (group[sources] == g)
        targets[pick] = rng.choice(by_group[g], size=int(pick.sum()))
    start, cpu = time.perf_counter(), time.process_time()
    fitted = StructureAnalysis(seed=0).fit(sources, targets, n_nodes=n)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    ties = fitted.graph_.number_of_edges()
    sampled = fitted.betweenness_work // ties
    between = (
        f"betweenness from {sampled:,} sampled sources"
        if sampled >= 10
        else "no betweenness (over its work budget)"
    )
    nmi = normalized_mutual_info_score(group, fitted.community_)
    lines += [
        f"### Scale: {n:,} nodes, {ties:,} ties",
        "",
        f"Planted partition: {groups} groups, 80 % of {m:,} generated edges inside a group, "
        f"seed 0. The whole `StructureAnalysis(seed=0).fit` (edge list to graph, Louvain, "
        f"PageRank, {between}, brokerage): "
        f"**{seconds:.1f} s** by the wall clock, **{cpu:.1f} s** of this process's CPU time "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end); "
        f"{fitted.community_.max() + 1} communities, NMI {nmi:.3f} against the plant.",
        "",
    ]


def main() -> None:
    lines = [
        "## Community structure (`seedbed.engine.graph`, `bench/bench_graph.py`)",
        "",
        f"Machine: {platform.platform()}, os.cpu_count() = {os.cpu_count()}, "
        f"Python {platform.python_version()}, networkx {nx.__version__}.",
        "",
    ]
    quality(lines)
    if "--scale" in sys.argv:
        at = sys.argv.index("--scale")
        scale(lines, int(sys.argv[at + 1]), int(sys.argv[at + 2]))
    text = "\n".join(lines)
    out = ROOT / "bench" / "results" / "graph.md"
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
