"""Exact centrality on mid-size graphs: igraph's compiled betweenness and the sparse eigenvector iteration,
used above ``NETWORKX_NODES``, against networkx's own routines."""

import importlib

import networkx as nx
import pytest

from twinlac.analysis import centrality, exact_betweenness

from .test_centrality_sampled import two_sided


@pytest.fixture
def compiled_path(monkeypatch):
    """The compiled exact path forced on graphs above 50 nodes."""
    module = importlib.import_module("twinlac.analysis.centrality")  # the package's `centrality` is the function
    monkeypatch.setattr(module, "NETWORKX_NODES", 50)
    return module


@pytest.mark.parametrize(("n_china", "n_lac", "ties"), [(100, 200, 450), (200, 600, 1200), (150, 500, 2000)])
def test_compiled_betweenness_matches_networkx_on_mid_size_two_sided_graphs(n_china, n_lac, ties):
    G = two_sided(n_china, n_lac, ties, seed=n_china)
    assert 300 <= G.number_of_nodes() <= 800
    expected = nx.betweenness_centrality(G, normalized=False)
    assert exact_betweenness(G) == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.barbell_graph(6, 4), nx.les_miserables_graph(),
                                   nx.disjoint_union(nx.path_graph(5), nx.star_graph(4))])
def test_compiled_betweenness_matches_networkx_on_classic_graphs(graph):
    expected = nx.betweenness_centrality(graph, normalized=False)
    assert exact_betweenness(graph) == pytest.approx(expected, abs=1e-9)


def test_parallel_edges_and_self_loops_count_as_networkx_counts_them():
    G = nx.MultiGraph([("a", "x"), ("a", "x"), ("b", "x"), ("b", "y"), ("y", "y")])
    assert exact_betweenness(G) == pytest.approx(nx.betweenness_centrality(G, normalized=False), abs=1e-12)
    assert exact_betweenness(nx.Graph()) == {}


def test_compiled_path_gives_networkx_numbers_without_a_note(compiled_path):
    G = two_sided(150, 450, 1000, seed=4)
    reference = importlib.import_module("twinlac.analysis.centrality")
    fast = centrality(G).set_index("id")
    assert fast.attrs["notes"] == []  # exact: nothing sampled
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reference, "NETWORKX_NODES", 10**6)
        slow = centrality(G).set_index("id")
    assert sorted(fast.index) == sorted(slow.index)
    for column in ("betweenness", "weighted_betweenness", "bipartite_betweenness"):
        assert fast[column].to_dict() == pytest.approx(slow[column].to_dict(), rel=1e-9, abs=1e-12)
    assert fast["eigenvector"].to_dict() == pytest.approx(slow["eigenvector"].to_dict(), abs=1e-9)
    assert fast["pagerank"].equals(slow["pagerank"]) and fast["degree"].equals(slow["degree"])


def test_compiled_path_on_a_disconnected_graph(compiled_path):
    G = nx.disjoint_union(two_sided(40, 80, 150, seed=2), two_sided(20, 30, 60, seed=3))
    fast = centrality(G).set_index("id")
    expected = nx.betweenness_centrality(G)
    assert fast["betweenness"].to_dict() == pytest.approx(expected, abs=1e-12)


def test_small_graphs_keep_networkx_exactly(real_graph):
    frame = centrality(real_graph).set_index("id")
    assert real_graph.number_of_nodes() <= importlib.import_module("twinlac.analysis.centrality").NETWORKX_NODES
    expected = nx.betweenness_centrality(real_graph)
    assert frame["betweenness"].to_dict() == expected  # networkx's own numbers, bit for bit
