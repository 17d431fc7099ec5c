"""Mixing on large graphs: batched degree-preserving swaps, and sampled pairs in the distance effect."""

import math

import networkx as nx
import numpy as np
import pytest

from twinlac.analysis import assortativity, distance_effect, mixing
from twinlac.analysis.mixing import swap_bipartite_edges

from .conftest import add_china, add_lac

R = 6371.0088


def _simple_edges(n_china, n_lac, m, seed=0, stretch=1):
    rng = np.random.default_rng(seed)
    keys = np.unique(rng.integers(0, n_china, m) * n_lac + rng.integers(0, n_lac, m))
    return (keys // n_lac) * stretch, (keys % n_lac) * stretch


@pytest.mark.parametrize("stretch", [1, 2000])  # a dense membership table, and sorted keys for sparse ids
def test_batched_swaps_keep_degrees_and_stay_simple(stretch):
    cn, la = _simple_edges(40, 300, 2000, stretch=stretch)
    c2, l2 = swap_bipartite_edges(cn, la, np.random.default_rng(1))
    assert np.array_equal(c2, cn)  # the Chinese end of each edge stays, so its degree does
    assert np.array_equal(np.bincount(l2), np.bincount(la))
    assert len(set(zip(c2.tolist(), l2.tolist(), strict=True))) == len(cn)
    assert (l2 != la).mean() > 0.5  # well mixed after 10 switches per edge


def test_batched_swaps_cannot_move_a_complete_graph():
    cn, la = np.repeat([0, 1], 3), np.tile([0, 1, 2], 2)  # K_{2,3}: every switch repeats an edge
    c2, l2 = swap_bipartite_edges(cn, la, np.random.default_rng(0))
    assert np.array_equal(c2, cn) and np.array_equal(l2, la)


def _two_sided(n_china=12, n_lac=40, m=120, seed=2):
    G = nx.Graph()
    for i in range(n_china):
        add_china(G, f"c{i}")
    for i in range(n_lac):
        add_lac(G, f"l{i}")
    cn, la = _simple_edges(n_china, n_lac, m, seed=seed)
    G.add_edges_from((f"c{c}", f"l{x}") for c, x in zip(cn.tolist(), la.tolist(), strict=True))
    return G


def test_batched_null_model_keeps_the_observed_values(monkeypatch):
    G = _two_sided()
    small = assortativity(G, level="party", n_null=20).set_index(["graph", "measure"])
    monkeypatch.setattr(mixing, "BATCH_SWAP_EDGES", 0)
    large = assortativity(G, level="party", n_null=20).set_index(["graph", "measure"])
    assert large["value"].to_numpy() == pytest.approx(small["value"].to_numpy(), nan_ok=True)
    # same degrees in every null graph: the two-sided z-scores coincide (see the docstring)
    z = large.loc["bipartite", "z"]
    assert z.iloc[0] == pytest.approx(z.iloc[1])
    assert np.isfinite(large.loc[("bipartite", "cross-side degree correlation"), "null_std"])


def test_projection_assortativity_matches_networkx():
    G = _two_sided()
    frame = assortativity(G, level="party", n_null=0).set_index(["graph", "measure"])
    china = [n for n, s in G.nodes(data="side") if s == "china"]
    P = nx.bipartite.projected_graph(G, china)
    expected = nx.degree_pearson_correlation_coefficient(P)
    assert frame.loc[("china projection", "degree assortativity"), "value"] == pytest.approx(expected)
    assert frame.loc[("china projection", "degree assortativity"), "edges"] == P.number_of_edges()


def _equator(n_china=6, n_lac=8):
    """Chinese parties on the equator at 0°…50°E, LAC parties at 90°…160°E; each c_i tied to l_i."""
    G = nx.Graph()
    for i in range(n_china):
        add_china(G, f"c{i}")
        G.nodes[f"c{i}"].update(lat=0.0, lon=10.0 * i)
    for i in range(n_lac):
        add_lac(G, f"l{i}")
        G.nodes[f"l{i}"].update(lat=0.0, lon=90.0 + 10.0 * i)
    G.add_edges_from((f"c{i}", f"l{i}", {"id": f"t{i}"}) for i in range(n_china))
    return G


def test_distance_effect_is_exact_up_to_max_pairs():
    G = _equator()
    exact = distance_effect(G, min_ties=2, n_bins=3)
    assert exact.notes == () and "pairs_sampled" not in exact.counts
    assert exact.by_distance["pairs"].sum() == 48
    at_limit = distance_effect(G, min_ties=2, n_bins=3, max_pairs=48)
    assert at_limit.notes == () and at_limit.by_distance["pairs"].tolist() == exact.by_distance["pairs"].tolist()


def test_distance_effect_sample_estimates_the_pairs():
    G = _equator()
    exact = distance_effect(G, min_ties=2, n_bins=3)
    with pytest.warns(RuntimeWarning, match="40 of 48 China–LAC pairs sampled"):
        sampled = distance_effect(G, min_ties=2, n_bins=3, max_pairs=40, seed=1)
    assert sampled.counts["pairs_sampled"] == 40 and sampled.counts["pairs"] == 48
    assert sampled.notes and "sampled" in sampled.notes[0]
    assert sampled.ties["distance_km"].tolist() == exact.ties["distance_km"].tolist()  # ties all measured
    assert sampled.by_distance["ties"].tolist() == exact.by_distance["ties"].tolist()
    assert abs(sampled.by_distance["pairs"].sum() - 48) <= 2  # shares times 48, rounded per bin
    # arcs between 40° and 160°: mean pair distance (exact) within 15 % from 40 pairs
    assert sampled.mean_pair_km == pytest.approx(exact.mean_pair_km, rel=0.15)
    assert math.pi * R * 40 / 180 <= exact.mean_pair_km <= math.pi * R * 160 / 180
