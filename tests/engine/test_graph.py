"""Community structure: Zachary's karate club factions recovered, and tiny graphs by hand."""

import networkx as nx
import numpy as np
import pytest

from seedbed.engine.graph import StructureAnalysis, interaction_graph

# Two triangles {0, 1, 2} and {4, 5, 6}, joined only through member 3; member 7 is a newcomer
# with one tie, member 8 a newcomer with none.
BARBELL = ([0, 0, 1, 2, 3, 4, 4, 5, 7], [1, 2, 2, 3, 4, 5, 6, 6, 3])


def _karate():
    club = nx.karate_club_graph()
    sources, targets = zip(*club.edges(), strict=True)
    factions = np.array([club.nodes[i]["club"] == "Mr. Hi" for i in range(len(club))])
    return sources, targets, factions


def test_the_karate_clubs_two_factions_are_recovered_by_its_communities():
    sources, targets, factions = _karate()
    analysis = StructureAnalysis(seed=0).fit(sources, targets)
    labels = analysis.community_
    majority = sum(
        max(np.sum(factions[labels == c]), np.sum(~factions[labels == c])) for c in set(labels)
    )
    assert majority / len(labels) >= 0.95
    assert 2 <= len(set(labels)) <= 5
    assert analysis.modularity_ > 0.38


def test_the_karate_clubs_leaders_are_its_top_influencers():
    sources, targets, _ = _karate()
    analysis = StructureAnalysis().fit(sources, targets)
    assert set(analysis.influencers(top=2)) == {0, 33}


def test_the_same_seed_gives_the_same_communities_numbered_largest_first():
    sources, targets, _ = _karate()
    first = StructureAnalysis(seed=3).fit(sources, targets).community_
    again = StructureAnalysis(seed=3).fit(sources, targets).community_
    assert list(first) == list(again)
    sizes = np.bincount(first)
    assert list(sizes) == sorted(sizes, reverse=True)


def test_the_member_joining_two_clusters_is_the_top_bridge():
    analysis = StructureAnalysis().fit(*BARBELL, n_nodes=9)
    assert analysis.community_[1] == analysis.community_[2] != analysis.community_[5]
    assert analysis.betweenness_.argmax() == 3
    assert list(analysis.bridges(top=1)) == [3]
    assert analysis.brokerage_[5] == 0


def test_on_a_graph_too_large_for_betweenness_bridges_rank_by_brokerage():
    analysis = StructureAnalysis(betweenness_work=1).fit(*BARBELL, n_nodes=9)
    assert np.isnan(analysis.betweenness_).all()
    assert analysis.brokerage_.argmax() == 3
    assert analysis.bridges(top=1)[0] == 3


def test_newcomers_with_at_most_one_tie_are_isolated_fewest_ties_first():
    analysis = StructureAnalysis().fit(*BARBELL, n_nodes=9)
    assert list(analysis.isolated_newcomers([3, 7, 8])) == [8, 7]
    assert list(analysis.isolated_newcomers([3, 7, 8], max_ties=0)) == [8]


def test_repeated_and_reversed_interactions_add_up_and_self_ties_are_dropped():
    graph = interaction_graph([0, 1, 0, 2], [1, 0, 1, 2], [1.0, 2.0, 0.5, 9.0], n_nodes=4)
    assert graph[0][1]["weight"] == pytest.approx(3.5)
    assert graph.number_of_edges() == 1
    assert graph.number_of_nodes() == 4


def test_a_graph_without_ties_is_all_singletons_and_no_bridges():
    analysis = StructureAnalysis().fit([], [], n_nodes=3)
    assert sorted(analysis.community_) == [0, 1, 2]
    assert analysis.modularity_ == 0.0
    assert len(analysis.bridges()) == 0


@pytest.mark.parametrize(
    ("sources", "targets", "weights", "message"),
    [
        ([0, 1], [1], None, "same length"),
        ([-1], [1], None, "non-negative"),
        ([0], [1], [-2.0], "non-negative"),
    ],
)
def test_bad_edge_lists_are_refused_with_a_clear_message(sources, targets, weights, message):
    with pytest.raises(ValueError, match=message):
        interaction_graph(sources, targets, weights)
