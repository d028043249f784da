"""Community structure of the member interaction graph: clusters, influence, brokers, loners.

Interactions of any kind (replies, mentions, reactions, co-attendance, intros) arrive as a
weighted edge list between member indices. The graph is undirected: a reply from A to B and one
from B to A both tie A and B, so their weights add up; self-interactions are dropped.

- Communities: networkx's Louvain with a fixed seed, renumbered so that community 0 is the
  largest (ties by smallest member), which keeps the numbering stable from run to run.
- Influence: weighted PageRank and weighted degree.
- Bridges: betweenness (from a seeded sample of source nodes on large graphs, so that its cost
  stays within ``betweenness_work`` source-times-ties, or none at all on huge ones) and
  brokerage, the number of other communities a member has ties into; a bridge is a member tied
  into at least one other community, ranked by betweenness, then brokerage.
- Isolated newcomers: members the caller marks as new who have at most ``max_ties`` people.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from numpy.typing import ArrayLike

__all__ = ["StructureAnalysis", "interaction_graph"]


def interaction_graph(
    sources: ArrayLike,
    targets: ArrayLike,
    weights: ArrayLike | None = None,
    n_nodes: int | None = None,
) -> nx.Graph:
    """An undirected weighted graph on nodes ``0..n_nodes-1`` from an edge list."""
    s = np.asarray(sources, dtype=np.int64)
    t = np.asarray(targets, dtype=np.int64)
    w = np.ones(len(s)) if weights is None else np.asarray(weights, dtype=float)
    if not (s.ndim == t.ndim == w.ndim == 1) or not (len(s) == len(t) == len(w)):
        raise ValueError("sources, targets and weights must be 1-D and the same length")
    if len(s) and min(s.min(), t.min()) < 0:
        raise ValueError("node indices must be non-negative")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("weights must be finite and non-negative")
    n = int(max(s.max(), t.max())) + 1 if len(s) else 0
    if n_nodes is not None:
        if n_nodes < n:
            raise ValueError(f"n_nodes={n_nodes} but a node index is {n - 1}")
        n = n_nodes
    keep = s != t
    lo, hi, w = np.minimum(s, t)[keep], np.maximum(s, t)[keep], w[keep]
    pairs, inverse = np.unique(np.stack([lo, hi]), axis=1, return_inverse=True)
    total = np.bincount(inverse.ravel(), weights=w, minlength=pairs.shape[1])
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        zip(pairs[0].tolist(), pairs[1].tolist(), total.tolist(), strict=True)
    )
    return graph


class StructureAnalysis:
    """Fit on an edge list; read ``community_``, ``modularity_``, ``pagerank_``, ``degree_``,
    ``betweenness_`` and ``brokerage_`` (arrays indexed by node), then ask for influencers,
    bridges and isolated newcomers.

    Exact betweenness costs one graph search per node; when nodes times ties passes
    ``betweenness_work``, it is estimated from ``betweenness_work // ties`` sampled source nodes,
    and when that is under 10 it is not computed (NaN) and bridges rank by brokerage alone, so
    a large community stays quick to analyse.
    """

    def __init__(
        self, resolution: float = 1.0, seed: int = 0, betweenness_work: int = 5_000_000
    ) -> None:
        self.resolution = resolution
        self.seed = seed
        self.betweenness_work = betweenness_work

    def fit(
        self,
        sources: ArrayLike,
        targets: ArrayLike,
        weights: ArrayLike | None = None,
        n_nodes: int | None = None,
    ) -> StructureAnalysis:
        graph = interaction_graph(sources, targets, weights, n_nodes)
        n = graph.number_of_nodes()
        found = nx.community.louvain_communities(
            graph, weight="weight", resolution=self.resolution, seed=self.seed
        )
        found = sorted(found, key=lambda c: (-len(c), min(c)))
        community = np.empty(n, dtype=np.int64)
        for label, members in enumerate(found):
            community[list(members)] = label
        self.graph_ = graph
        self.community_ = community
        self.modularity_ = (
            float(nx.community.modularity(graph, found, weight="weight"))
            if graph.number_of_edges()
            else 0.0
        )
        rank = nx.pagerank(graph, weight="weight") if n else {}
        self.pagerank_ = np.array([rank[i] for i in range(n)])
        self.degree_ = np.array([d for _, d in sorted(graph.degree(weight="weight"))], dtype=float)
        ties = graph.number_of_edges()
        sources = n if n * ties <= self.betweenness_work else self.betweenness_work // ties
        if sources >= min(n, 10):
            sample = None if sources >= n else sources
            between = nx.betweenness_centrality(graph, k=sample, seed=self.seed)
            self.betweenness_ = np.array([between[i] for i in range(n)])
        else:
            self.betweenness_ = np.full(n, np.nan)
        ends = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
        node = np.concatenate([ends[:, 0], ends[:, 1]])
        other = community[np.concatenate([ends[:, 1], ends[:, 0]])]
        cross = community[node] != other
        links = np.unique(np.stack([node[cross], other[cross]]), axis=1)
        self.brokerage_ = np.bincount(links[0], minlength=n).astype(np.int64)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "graph_"):
            raise RuntimeError("StructureAnalysis is not fitted yet: call fit first")

    def influencers(self, top: int = 10) -> np.ndarray:
        """Nodes by PageRank, highest first (ties by weighted degree, then index)."""
        self._check_fitted()
        order = np.lexsort((np.arange(len(self.pagerank_)), -self.degree_, -self.pagerank_))
        return order[:top]

    def bridges(self, top: int = 10) -> np.ndarray:
        """Nodes tied into another community, by betweenness (when computed), then brokerage."""
        self._check_fitted()
        brokers = np.flatnonzero(self.brokerage_ > 0)
        order = np.lexsort((brokers, -self.brokerage_[brokers], -self.betweenness_[brokers]))
        return brokers[order][:top]

    def isolated_newcomers(self, newcomers: ArrayLike, max_ties: int = 1) -> np.ndarray:
        """Of the given newcomer nodes, those tied to at most ``max_ties`` people, fewest first."""
        self._check_fitted()
        nodes = np.asarray(newcomers, dtype=np.int64)
        if len(nodes) and (nodes.min() < 0 or nodes.max() >= len(self.community_)):
            raise ValueError("newcomers must be node indices of the fitted graph")
        ties = np.array([self.graph_.degree(int(i)) for i in nodes], dtype=np.int64)
        alone = ties <= max_ties
        return nodes[alone][np.argsort(ties[alone], kind="stable")]
