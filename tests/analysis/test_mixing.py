"""Assortativity, region mixing and distance on hand-built graphs and the bundled data."""

import copy
import math

import networkx as nx
import numpy as np
import pytest

from twinlac.analysis import assortativity, distance_effect, great_circle_km, region_mixing

from .conftest import NBS_BY_NAME, SUBREGION_BY_COUNTRY, add_china, add_lac

R = 6371.0088


def test_assortativity_by_hand():
    # c1–l1, c1–l2, c2–l2: degrees c1 2, c2 1, l1 1, l2 2.
    # Cross-side pairs (k_china, k_lac) = (2,1), (2,2), (1,2): deviations from 5/3 give
    # covariance ∝ −2/9 + 1/9 − 2/9 = −1/3 and variances ∝ 2/3 each -> r = −1/2.
    # Symmetrised: x = 2,2,1,1,2,2 / y = 1,2,2,2,2,1 -> the same −1/2.
    G = nx.Graph()
    for c in ("c1", "c2"):
        add_china(G, c)
    for x in ("l1", "l2"):
        add_lac(G, x)
    G.add_edges_from([("c1", "l1"), ("c1", "l2"), ("c2", "l2")])
    frame = assortativity(G, level="party", n_null=0).set_index(["graph", "measure"])
    assert frame.loc[("bipartite", "cross-side degree correlation"), "value"] == pytest.approx(-0.5)
    assert frame.loc[("bipartite", "degree assortativity"), "value"] == pytest.approx(-0.5)
    assert frame.loc[("bipartite", "degree assortativity"), "value"] == pytest.approx(
        nx.degree_assortativity_coefficient(G))


def test_assortativity_null_keeps_degrees_and_is_seeded(real_graph):
    first = assortativity(real_graph, level="province", n_null=20, seed=1)
    second = assortativity(real_graph, level="province", n_null=20, seed=1)
    assert first.equals(second)
    assert first["z"].notna().all() and (first["edges"] > 0).all()
    party = assortativity(real_graph, level="party", n_null=0).set_index(["graph", "measure"])
    assert party.loc[("bipartite", "degree assortativity"), "value"] == pytest.approx(
        nx.degree_assortativity_coefficient(real_graph))
    assert assortativity(nx.Graph()).empty


def test_region_mixing_by_hand():
    # East–Southern Cone 2, East–Brazil 1, West–Brazil 1: total 4; East 3, West 1; S. Cone 2, Brazil 2.
    # expected East–Brazil = 3·2/4 = 1.5 -> ratio 2/3; West–Brazil = 1·2/4 = 0.5 -> ratio 2.
    G = nx.Graph()
    add_china(G, "CN-JS"); add_china(G, "CN-SC", "West", False)
    for node, country, region in (("a", "AR", "Southern Cone"), ("b", "CL", "Southern Cone"),
                                  ("c", "BR", "Brazil"), ("d", "BR", "Brazil")):
        add_lac(G, node, country, region)
    G.add_edges_from([("CN-JS", "a"), ("CN-JS", "b"), ("CN-JS", "c"), ("CN-SC", "d")])
    frame = region_mixing(G).set_index(["china_region", "lac_region"])
    assert frame.loc[("East", "Brazil"), "ratio"] == pytest.approx(2 / 3)
    assert frame.loc[("West", "Brazil"), "ratio"] == pytest.approx(2.0)
    assert frame.loc[("Central", "Andean"), "ties"] == 0 and math.isnan(frame.loc[("Central", "Andean"), "ratio"])
    assert frame["ties"].sum() == 4


def test_real_region_mixing_matches_the_csv(real_graph, csv_frame):
    frame = region_mixing(real_graph).set_index(["china_region", "lac_region"])["ties"]
    pairs = zip(csv_frame["cn_province"].map(NBS_BY_NAME), csv_frame["lac_country"].map(SUBREGION_BY_COUNTRY))
    for pair, n in __import__("collections").Counter(pairs).items():
        assert frame[pair] == n
    assert frame.sum() == len(csv_frame)


def test_great_circle_by_hand():
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(math.pi * R / 2)
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * R)
    assert great_circle_km(90, 0, -90, 0) == pytest.approx(math.pi * R)
    assert great_circle_km(10, 20, 10, 20) == pytest.approx(0)


def _located():
    """Chinese c1 at (0°, 0°), c2 at (0°, 45°); LAC l1 at (0°, 90°), l2 at (0°, 180°); all on the equator,
    so distances are arcs: c1–l1 πR/2, c1–l2 πR, c2–l1 πR/4, c2–l2 3πR/4.  Ties c1–l1 and c2–l1,
    plus c3 (no coordinates) – l2."""
    G = nx.Graph()
    for node, lon in (("c1", 0.0), ("c2", 45.0)):
        add_china(G, node); G.nodes[node].update(lat=0.0, lon=lon)
    add_china(G, "c3")
    G.nodes["c3"].update(lat=None, lon=None)
    for node, lon in (("l1", 90.0), ("l2", 180.0)):
        add_lac(G, node); G.nodes[node].update(lat=0.0, lon=lon)
    G.add_edges_from([("c1", "l1", {"id": "t1"}), ("c2", "l1", {"id": "t2"}), ("c3", "l2", {"id": "t3"})])
    return G


def test_distance_effect_by_hand():
    result = distance_effect(_located(), min_ties=2, n_bins=3)
    assert result.counts == {"ties": 3, "ties_with_coordinates": 2, "ties_without_coordinates": 1,
                             "parties_with_coordinates": 4, "parties_without_coordinates": 1, "pairs": 4}
    assert sorted(result.ties["distance_km"]) == pytest.approx([math.pi * R / 4, math.pi * R / 2])
    # ties: mean (1/4 + 1/2)/2 πR = 0.375 πR; pairs: (1/4 + 1/2 + 3/4 + 1)/4 πR = 0.625 πR; ratio 0.6.
    assert result.mean_tie_km == pytest.approx(0.375 * math.pi * R)
    assert result.mean_pair_km == pytest.approx(0.625 * math.pi * R)
    assert result.distance_ratio == pytest.approx(0.6)
    # 3 log bins over [πR/4, πR] (factor 4^(1/3) each): pairs 1, 1, 2 (3πR/4 and πR in the last); ties 1, 1, 0.
    assert result.by_distance["pairs"].tolist() == [1, 1, 2] and result.by_distance["ties"].tolist() == [1, 1, 0]
    assert result.slope == pytest.approx(0.0)  # p_tie = 1 in both non-empty bins


def test_distance_effect_with_too_few_coordinates_reports_counts():
    G = _located()
    before = copy.deepcopy(G)
    result = distance_effect(G)  # min_ties = 10
    assert math.isnan(result.slope) and math.isnan(result.mean_tie_km) and result.by_distance.empty
    assert result.counts["ties_with_coordinates"] == 2 and result.counts["ties_without_coordinates"] == 1
    assert nx.utils.graphs_equal(G, before)
    assert distance_effect(nx.Graph()).counts["ties"] == 0


def test_real_distance_effect_counts_missing_coordinates(real_graph, csv_frame):
    result = distance_effect(real_graph)
    assert result.counts["ties"] == len(csv_frame)
    assert result.counts["ties_with_coordinates"] + result.counts["ties_without_coordinates"] == len(csv_frame)
    assert np.isnan(result.slope) or result.counts["ties_with_coordinates"] >= 10
