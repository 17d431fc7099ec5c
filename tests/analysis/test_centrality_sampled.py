"""Betweenness on large graphs: the sparse-product estimate against networkx, and centrality's sampled path."""

import networkx as nx
import numpy as np
import pytest

from twinlac.analysis import betweenness_estimate, centrality, two_mode_betweenness


def two_sided(n_china: int, n_lac: int, ties: int, seed: int = 1) -> nx.Graph:
    """A random two-sided graph with a few hubs (Zipf-like weights on both sides)."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    G.add_nodes_from((f"c{i}" for i in range(n_china)), side="china")
    G.add_nodes_from((f"l{i}" for i in range(n_lac)), side="lac")
    pc = 1 / np.arange(1, n_china + 1)
    pl = 1 / np.arange(1, n_lac + 1)
    while G.number_of_edges() < ties:
        G.add_edge(f"c{rng.choice(n_china, p=pc / pc.sum())}", f"l{rng.choice(n_lac, p=pl / pl.sum())}")
    return G


def test_path_by_hand():
    # Path a-b-c-d: b lies on a-c and a-d, c on b-d and a-d; 2 of the 3 pairs without the node.
    G = nx.path_graph(["a", "b", "c", "d"])
    assert betweenness_estimate(G) == pytest.approx({"a": 0, "b": 2 / 3, "c": 2 / 3, "d": 0})
    assert betweenness_estimate(G, normalized=False) == pytest.approx({"a": 0, "b": 2, "c": 2, "d": 0})


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.barbell_graph(5, 3), two_sided(30, 60, 120)])
def test_every_source_is_exact(graph):
    expected = nx.betweenness_centrality(graph)
    assert betweenness_estimate(graph) == pytest.approx(expected, abs=1e-12)
    assert betweenness_estimate(graph, k=graph.number_of_nodes()) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("normalized", [True, False])
def test_same_sources_as_networkx_give_the_same_estimate(normalized):
    G = two_sided(40, 80, 200)
    got = betweenness_estimate(G, 15, seed=7, normalized=normalized)
    assert got == pytest.approx(nx.betweenness_centrality(G, k=15, seed=7, normalized=normalized), abs=1e-12)


def test_sampled_estimate_ranks_the_brokers_on_a_mid_size_graph():
    G = two_sided(400, 1200, 3000)
    exact = betweenness_estimate(G)
    estimate = betweenness_estimate(G, 300, seed=0)
    top = sorted(exact, key=exact.__getitem__, reverse=True)[:10]
    errors = [abs(estimate[n] - exact[n]) / exact[n] for n in top]
    assert max(errors) < 0.25  # the hubs within 25 % with 300 of 1,600 sources
    assert sorted(estimate, key=estimate.__getitem__, reverse=True)[0] == top[0]


def test_small_graph_stays_exact_without_a_note():
    G = two_sided(30, 60, 120)
    frame = centrality(G)
    assert frame.attrs["notes"] == []
    expected = nx.betweenness_centrality(G)
    assert dict(zip(frame["id"], frame["betweenness"], strict=True)) == pytest.approx(expected)


def test_above_the_threshold_betweenness_is_sampled_and_says_so():
    G = two_sided(30, 60, 120)
    with pytest.warns(RuntimeWarning, match="betweenness sampled: 20 of 90 nodes"):
        frame = centrality(G, exact_nodes=50, k=20, seed=3).set_index("id")
    assert any("sampled" in note for note in frame.attrs["notes"])
    expected = nx.betweenness_centrality(G, k=20, seed=3)
    assert frame["betweenness"].to_dict() == pytest.approx(expected, abs=1e-12)
    assert (frame["weighted_betweenness"] == frame["betweenness"]).all()  # all weights 1


def test_forced_threshold_with_k_equal_to_n_is_exact():
    G = two_sided(30, 60, 120)
    exact = centrality(G).set_index("id")
    forced = centrality(G, exact_nodes=10, k=G.number_of_nodes()).set_index("id")
    assert forced.attrs["notes"] == []
    for column in ("betweenness", "weighted_betweenness", "bipartite_betweenness", "eigenvector"):
        assert forced[column].to_dict() == pytest.approx(exact.loc[forced.index, column].to_dict(), abs=1e-6)


def test_sparse_eigenvector_matches_networkx_above_the_threshold():
    G = two_sided(30, 60, 120)
    with pytest.warns(RuntimeWarning, match="sampled"):
        frame = centrality(G, exact_nodes=10, k=20).set_index("id")
    expected = nx.eigenvector_centrality(G, weight="weight", max_iter=1000)
    assert frame["eigenvector"].to_dict() == pytest.approx(expected, abs=1e-9)


def test_two_mode_betweenness_matches_networkx():
    G = two_sided(30, 60, 120)
    china = [n for n, s in G.nodes(data="side") if s == "china"]
    assert two_mode_betweenness(G, china) == pytest.approx(nx.bipartite.betweenness_centrality(G, china))
    star = nx.star_graph(3)
    with pytest.raises(ZeroDivisionError):
        two_mode_betweenness(star, [0])
