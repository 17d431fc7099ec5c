"""Connectivity measures on small hand-built graphs (expected numbers worked out by hand)
and on the bundled data (expected numbers from the CSV with pandas)."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from twinlac.analysis import (
    CONNECTIVITY_TABLES,
    articulation_points,
    bridges,
    components,
    connectivity,
    giant_by_year,
    k_core,
    region_links,
    robustness,
    robustness_figure,
    shared_partner_brokers,
    shared_partner_projection,
    small_world,
)

from .conftest import add_china, add_lac


@pytest.fixture
def two_clusters():
    """A cycle c1–l1–c2–l2–c1, a pendant l3 on c1, and a chain c2–l4–c3–l5 hanging off c2;
    separately c4–l6.

        l3 — c1 — l1
             |     |
             l2 — c2 — l4 — c3 — l5          c4 — l6
    """
    G = nx.Graph()
    for c in ("c1", "c2", "c3", "c4"):
        add_china(G, c)
    for x in ("l1", "l2", "l3", "l4", "l5", "l6"):
        add_lac(G, x)
    G.add_edge("c1", "l1", kind="sister", year=2001)
    G.add_edge("l1", "c2", kind="sister", year=2003)
    G.add_edge("c2", "l2", kind="friendship", year=2003)
    G.add_edge("l2", "c1", kind="sister", year=2005)
    G.add_edge("c1", "l3", kind="sister", year=None)
    G.add_edge("c2", "l4", kind="sister", year=2001, evidence="press", source_url="https://example.org/c2-l4")
    G.add_edge("l4", "c3", kind="sister", year=2006)
    G.add_edge("c3", "l5", kind="sister", year=2006)
    G.add_edge("c4", "l6", kind="letter_of_intent", year=2002)
    return G


def test_components_by_hand(two_clusters):
    frame = components(two_clusters)
    assert frame[["component", "parties", "ties", "china_parties", "lac_parties"]].values.tolist() == [
        [1, 8, 8, 3, 5], [2, 2, 1, 1, 1]]
    assert frame["share"].tolist() == pytest.approx([0.8, 0.2])
    assert frame["hubs"].iloc[0].startswith("c1, c2")  # degree 3 each, then by id


def test_giant_by_year_by_hand(two_clusters):
    frame = giant_by_year(two_clusters).set_index("year")
    # 2001: c1–l1, c2–l4 -> 4 parties, 2 components of 2.  2002: + c4–l6 -> 6 parties, 3 components.
    # 2003: + l1–c2, c2–l2 -> {c1,l1,c2,l4,l2} and {c4,l6}.  2005: l2–c1 closes a cycle.
    # 2006: + l4–c3, c3–l5 -> giant 7 of 9 parties (l3's tie has no year).
    assert frame.loc[2001, ["ties", "parties", "components", "giant"]].tolist() == [2, 4, 2, 2]
    assert frame.loc[2002, ["ties", "parties", "components", "giant"]].tolist() == [3, 6, 3, 2]
    assert frame.loc[2003, ["parties", "components", "giant"]].tolist() == [7, 2, 5]
    assert frame.loc[2004, "ties"] == 5 and frame.loc[2005, ["components", "giant"]].tolist() == [2, 5]
    assert frame.loc[2006, ["ties", "parties", "components", "giant"]].tolist() == [8, 9, 2, 7]
    assert frame.loc[2006, "giant_share"] == pytest.approx(7 / 9)
    assert list(frame.index) == list(range(2001, 2007))
    assert frame.attrs["ties_without_year"] == 1


def test_giant_by_year_runs_to_as_of(two_clusters):
    two_clusters.graph["as_of"] = 2010
    frame = giant_by_year(two_clusters)
    assert frame["year"].iloc[-1] == 2010 and frame["giant"].iloc[-1] == 7


def test_bridges_by_hand(two_clusters):
    frame = bridges(two_clusters)
    got = {(r.cn, r.lac): r.separated for r in frame.itertuples()}
    # Every tie off the cycle is a bridge: c2–l4 cuts off {l4, c3, l5} (3), l4–c3 cuts {c3, l5} (2),
    # c3–l5, c1–l3 and c4–l6 one party each.  The cycle's four ties are not bridges.
    assert got == {("c2", "l4"): 3, ("c3", "l4"): 2, ("c3", "l5"): 1, ("c1", "l3"): 1, ("c4", "l6"): 1}
    assert frame["separated"].is_monotonic_decreasing
    first = frame.iloc[0]
    assert (first["kind"], first["year"], first["evidence"], first["source_url"]) == (
        "sister", 2001, "press", "https://example.org/c2-l4")
    assert sorted(map(tuple, map(sorted, nx.bridges(two_clusters)))) == sorted(
        tuple(sorted(pair)) for pair in got)


def test_articulation_points_by_hand(two_clusters):
    frame = articulation_points(two_clusters).set_index("node")
    # c2: without it, {c1,l1,l2,l3} (4) and {l4,c3,l5} (3) -> 2 pieces, 3 cut off from the larger.
    # c1: {l3} and the rest (6) -> 1 cut off.  l4: {c3,l5} and the rest (5) -> 2.  c3: {l5} -> 1.
    assert frame["pieces"].to_dict() == {"c2": 2, "l4": 2, "c1": 2, "c3": 2}
    assert frame["separated"].to_dict() == {"c2": 3, "l4": 2, "c1": 1, "c3": 1}
    assert list(frame.index) == ["c2", "l4", "c1", "c3"]
    assert set(frame.index) == set(nx.articulation_points(two_clusters))


def test_articulation_point_of_a_star_root():
    G = nx.star_graph(3)  # the DFS root is the hub 0
    frame = articulation_points(G)
    assert frame[["node", "pieces", "separated"]].values.tolist() == [[0, 3, 2]]


def test_k_core_by_hand(two_clusters):
    cores = k_core(two_clusters).set_index("node")["core"].to_dict()
    # The 4-cycle is the 2-core; everything else hangs off it.
    assert cores == {"c1": 2, "l1": 2, "c2": 2, "l2": 2, "l3": 1, "l4": 1, "c3": 1, "l5": 1, "c4": 1, "l6": 1}
    shells = connectivity(two_clusters, n_random=0, n_null=0)["k_shells"]
    assert shells[["core", "parties", "china_parties", "lac_parties", "in_core"]].values.tolist() == [
        [2, 4, 2, 2, 4], [1, 6, 2, 4, 10]]


def test_robustness_by_hand(two_clusters):
    # Degrees: c1 3, c2 3, then l1, l2, l4, c3 2 (ids sort: c3, l1, l2, l4), the rest 1.
    # Removing 1 party (c1): giant {l1,c2,l2,l4,c3,l5} = 6 of 10.  Removing 2 (c1, c2): pieces of
    # at most 3 ({l4,c3,l5}).  Removing 3 (also c3): pieces of 2 (c4–l6).
    curve = robustness(two_clusters, fractions=[0, 0.1, 0.2, 0.3], n_random=30, seed=1)
    assert curve["removed"].tolist() == [0, 1, 2, 3]
    assert curve["giant_share_targeted"].tolist() == pytest.approx([0.8, 0.6, 0.3, 0.2])
    assert curve["giant_share_random"].iloc[0] == pytest.approx(0.8)
    assert (curve["giant_share_random"] >= curve["giant_share_targeted"] - 1e-12).all()
    assert (curve["random_min"] <= curve["giant_share_random"]).all()
    assert "30 sampled orders" in curve.attrs["note"]
    assert curve.equals(robustness(two_clusters, fractions=[0, 0.1, 0.2, 0.3], n_random=30, seed=1))


@pytest.mark.slow
def test_robustness_random_matches_brute_force_on_average():
    # Removing one random party of a path a–b–c: giant 2 (an end removed, 2 of 3 cases) or 1 (the middle).
    G = nx.path_graph(3)
    curve = robustness(G, fractions=[1 / 3], n_random=3000, seed=0)
    assert curve["giant_share_random"].iloc[0] == pytest.approx((2 * 2 / 3 + 1 / 3) / 3, abs=0.02)
    assert curve["giant_share_targeted"].iloc[0] == pytest.approx(1 / 3)


def test_robustness_figure(two_clusters):
    fig = robustness_figure(robustness(two_clusters, n_random=5))
    ax = fig.axes[0]
    targeted, random = ax.get_lines()
    assert targeted.get_ydata()[0] == pytest.approx(80.0) and random.get_label() == "random (mean)"
    assert "5 sampled orders" in fig.texts[0].get_text()


@pytest.fixture
def projected():
    """Jiangsu (a city and the province) and Zhejiang tie to Argentina, Brazil and Cuba:
    JS: AR (Buenos Aires), BR (São Paulo, via Wuxi); ZJ: AR, BR, CU; GD: CU only."""
    G = nx.Graph()
    add_china(G, "CN-JS", "East", True)
    add_china(G, "CN-JS", "East", True, party="CN-JS:wuxi")
    add_china(G, "CN-ZJ", "East", True)
    add_china(G, "CN-GD", "East", True)
    add_lac(G, "AR-B", "AR", "Southern Cone")
    add_lac(G, "BR-SP", "BR", "Brazil")
    add_lac(G, "CU-03", "CU", "Caribbean")
    add_lac(G, "CL-VS", "CL", "Southern Cone")
    G.add_edges_from([("CN-JS", "AR-B"), ("CN-JS:wuxi", "BR-SP"), ("CN-ZJ", "AR-B"), ("CN-ZJ", "BR-SP"),
                      ("CN-ZJ", "CU-03"), ("CN-GD", "CU-03"), ("CN-GD", "CL-VS")])
    return G


def test_lac_projection_by_hand(projected):
    frame = shared_partner_projection(projected)
    got = {(r.a, r.b): (r.shared, r.partners) for r in frame.itertuples()}
    # AR–BR: JS and ZJ.  AR–CU, BR–CU: ZJ.  CU–CL: GD.  AR–CL, BR–CL: none.
    assert got == {("AR", "BR"): (2, "CN-JS; CN-ZJ"), ("AR", "CU"): (1, "CN-ZJ"), ("BR", "CU"): (1, "CN-ZJ"),
                   ("CL", "CU"): (1, "CN-GD")}
    jaccard = frame.set_index(["a", "b"])["jaccard"]
    assert jaccard[("AR", "BR")] == pytest.approx(1.0) and jaccard[("CL", "CU")] == pytest.approx(1 / 2)
    assert jaccard[("AR", "CU")] == pytest.approx(1 / 3)


def test_china_projection_by_hand(projected):
    got = {(r.a, r.b): r.shared for r in shared_partner_projection(projected, side="china", level="province",
                                                     via="country").itertuples()}
    # JS {AR, BR}, ZJ {AR, BR, CU}, GD {CU, CL}.
    assert got == {("CN-JS", "CN-ZJ"): 2, ("CN-GD", "CN-ZJ"): 1}


def test_projection_brokers_by_hand(projected):
    frame = shared_partner_brokers(projected).set_index("partner")
    # ZJ links AR–BR, AR–CU, BR–CU (3 pairs; AR–BR also through JS, so 2 exclusive); JS 1 pair, 0 exclusive;
    # GD 1 pair (CU–CL), exclusive.  4 linked pairs in all.
    assert frame[["units", "pairs", "exclusive_pairs"]].to_dict("index") == {
        "CN-ZJ": {"units": 3, "pairs": 3, "exclusive_pairs": 2},
        "CN-JS": {"units": 2, "pairs": 1, "exclusive_pairs": 0},
        "CN-GD": {"units": 2, "pairs": 1, "exclusive_pairs": 1},
    }
    assert frame.loc["CN-ZJ", "share_of_pairs"] == pytest.approx(3 / 4)


def test_region_links_by_hand(projected):
    frame = region_links(projected).set_index(["region_a", "region_b"])
    # Countries: Southern Cone {AR, CL}, Brazil {BR}, Caribbean {CU}.
    assert frame.loc[("Southern Cone", "Southern Cone"), ["possible_pairs", "linked_pairs"]].tolist() == [1, 0]
    assert frame.loc[("Brazil", "Southern Cone"), ["possible_pairs", "linked_pairs", "shared"]].tolist() == [2, 1, 2]
    assert frame.loc[("Caribbean", "Southern Cone"), ["possible_pairs", "linked_pairs", "density"]].tolist() == [
        2, 2, 1.0]
    assert frame.loc[("Brazil", "Caribbean"), "linked_pairs"] == 1
    assert ("Brazil", "Brazil") not in frame.index  # one country: no pair within


def test_projection_refuses_unknown_options(projected):
    with pytest.raises(ValueError, match="side"):
        shared_partner_projection(projected, side="both")
    with pytest.raises(ValueError, match="level"):
        shared_partner_projection(projected, level="city")


def test_small_world_matches_networkx_and_null_keeps_degrees(projected):
    frame = small_world(projected, n_null=5, seed=3).set_index("measure")
    giant = projected.subgraph(max(nx.connected_components(projected), key=len))
    assert frame.loc["average path length", "value"] == pytest.approx(nx.average_shortest_path_length(giant))
    assert frame.loc["bipartite clustering", "value"] == pytest.approx(nx.bipartite.average_clustering(projected))
    assert (frame["n_null"] == 5).all() and not frame["sampled"].any()
    assert frame["null_mean"].notna().all()


def test_small_world_samples_and_says_so():
    rng = np.random.default_rng(0)
    G = nx.Graph()
    G.add_nodes_from(range(60), side="china")
    G.add_nodes_from(range(60, 200), side="lac")
    for x in range(60, 200):
        for c in rng.choice(60, size=2, replace=False):
            G.add_edge(int(c), x)
    exact = small_world(G, n_null=0).set_index("measure")
    sampled = small_world(G, n_null=0, max_sources=50, max_nodes=80).set_index("measure")
    assert sampled["sampled"].all() and not exact["sampled"].any()
    assert "sampled: 50 sources" in sampled.loc["average path length", "note"]
    assert "sampled: 80 parties" in sampled.loc["bipartite clustering", "note"]
    for measure in ("average path length", "bipartite clustering"):
        assert sampled.loc[measure, "value"] == pytest.approx(exact.loc[measure, "value"], rel=0.1)


def test_connectivity_tables_and_summary(two_clusters):
    tables = connectivity(two_clusters, n_random=5, n_null=3)
    assert list(tables) == list(CONNECTIVITY_TABLES)
    assert all(isinstance(t, pd.DataFrame) for t in tables.values())
    summary = tables["summary"].set_index("measure")["value"]
    assert summary["components"] == 2 and summary["bridges"] == 5 and summary["articulation points"] == 4
    assert summary["giant component share"] == pytest.approx(0.8)
    assert summary["top broker"] == "c2"
    assert two_clusters.number_of_edges() == 9  # not modified


def test_connectivity_on_the_bundled_data(real_graph, csv_frame):
    tables = connectivity(real_graph, n_random=5, n_null=2)
    comps = tables["components"]
    assert comps["ties"].sum() == len(csv_frame)
    assert comps["parties"].sum() == real_graph.number_of_nodes()
    # Every LAC country pair linked in the projection shares a Chinese province, checked with pandas.
    province_sets = csv_frame.groupby("lac_country")["cn_province"].agg(set)
    lac = tables["lac_projection"]
    for row in lac.head(10).itertuples():
        expected = province_sets[row.a_name] & province_sets[row.b_name]
        assert row.shared == len(expected)
    n = len(province_sets)
    linked = sum(1 for i, a in enumerate(province_sets.index) for b in province_sets.index[i + 1:]
                 if province_sets[a] & province_sets[b])
    assert len(lac) == linked and linked <= n * (n - 1) // 2


def test_region_links_group_parties_without_a_region_as_unknown():
    # Two LAC countries with a region and one without (a file's non-LAC partner, say), all sharing one partner.
    G = nx.Graph()
    G.add_node("js", side="china", country="CN", province="js", region="East", name="js")
    for node, country, region in [("ba", "AR", "Southern Cone"), ("vs", "CL", "Southern Cone"), ("xx", "ZZ", None)]:
        G.add_node(node, side="lac", country=country, province=node, region=region, name=node)
        G.add_edge("js", node)
    frame = region_links(G).set_index(["region_a", "region_b"])
    # 3 countries, each pair linked through js: within the Southern Cone 1 pair, with "?" 2 pairs.
    assert frame.loc[("Southern Cone", "Southern Cone"), "linked_pairs"] == 1
    assert frame.loc[("?", "Southern Cone"), "linked_pairs"] == 2
    assert frame.loc[("?", "Southern Cone"), "possible_pairs"] == 2
