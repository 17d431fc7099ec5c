"""Centrality on hand-built graphs, and store-backed results equal to a graph built from the CSV."""

import copy
import warnings

import networkx as nx
import pytest

from twinlac.analysis import CENTRALITY_COLUMNS, centrality, country_graph, province_graph

from .conftest import add_china, add_lac


def test_star_by_hand():
    # x twinned with a, b, c: degree 3 of n-1 = 3, on every shortest path between leaves.
    G = nx.Graph([("x", "a"), ("x", "b"), ("x", "c")])
    frame = centrality(G).set_index("id")
    assert frame.loc["x", "degree"] == 3
    assert frame.loc["x", "degree_centrality"] == pytest.approx(1.0)
    assert frame.loc["x", "betweenness"] == pytest.approx(1.0)  # 3 leaf pairs of 3
    assert frame.loc["a", "betweenness"] == 0
    assert frame.index[0] == "x"


def test_path_by_hand():
    # a - x - b - y: x lies between (a,b) and (a,y): 2 of the 3 pairs not involving x.
    G = nx.Graph([("a", "x"), ("b", "x"), ("b", "y")])
    frame = centrality(G).set_index("id")
    assert frame.loc["x", "betweenness"] == pytest.approx(2 / 3)
    assert frame.loc["b", "betweenness"] == pytest.approx(2 / 3)
    assert frame.loc["y", "betweenness"] == 0


def test_province_projection_counts_agreements_as_weight():
    G = nx.Graph()
    G.add_node("CN-JS:wuxi", province="CN-JS", province_name="Jiangsu", side="china")
    G.add_node("CN-JS:suzhou", province="CN-JS", province_name="Jiangsu", side="china")
    G.add_node("CN-JS", province="CN-JS", province_name="Jiangsu", side="china")
    G.add_node("BR-SP:santos", province="BR-SP", province_name="São Paulo", side="lac")
    G.add_node("AR-B", province="AR-B", province_name="Buenos Aires", side="lac")
    G.add_edges_from([("CN-JS:wuxi", "BR-SP:santos"), ("CN-JS:suzhou", "BR-SP:santos"), ("CN-JS", "AR-B")])
    P = province_graph(G)
    assert sorted(P.nodes) == ["AR-B", "BR-SP", "CN-JS"]
    assert P["CN-JS"]["BR-SP"]["weight"] == 2 and P["CN-JS"]["AR-B"]["weight"] == 1
    frame = centrality(G, level="province").set_index("id")
    assert frame.loc["CN-JS", "degree"] == 2 and frame.loc["CN-JS", "agreements"] == 3
    assert frame.loc["CN-JS", "name"] == "Jiangsu"


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="unknown level"):
        centrality(nx.Graph(), level="planet")


def test_empty_graph_gives_empty_frame():
    assert centrality(nx.Graph()).empty


def _graph_from_csv(frame):
    """The party graph built straight from the CSV, without twinlac's loader or store."""
    from twinlac.graph.ids import slug  # only the id convention, to align node keys

    G = nx.Graph()
    for row in frame.itertuples():
        cn = row.cn_province if row.cn_level == "province" else f"{row.cn_province}:{slug(row.cn_name)}"
        lac = f"{row.lac_country}|{row.lac_admin1}" if row.lac_level == "province" else \
            f"{row.lac_country}|{row.lac_admin1}:{slug(row.lac_name)}"
        G.add_edge(cn, lac)
    return G


def test_store_backed_equals_csv_built(loaded_store, csv_frame):
    from_store = centrality(loaded_store.to_networkx())
    from_csv = centrality(_graph_from_csv(csv_frame))
    assert len(from_store) == len(from_csv)
    assert sorted(from_store["degree"]) == sorted(from_csv["degree"])
    assert sorted(from_store["betweenness"].round(10)) == sorted(from_csv["betweenness"].round(10))


# -- three levels, weighted and two-mode columns --------------------------------


def _square():
    """Provinces A, B (China) and L1, L2 (LAC): A–L1 3 ties, B–L1 3 ties, B–L2 1, A–L2 1."""
    G = nx.Graph()
    for i in range(3):
        add_china(G, "CN-A", party=f"CN-A:a{i}")
        add_china(G, "CN-B", party=f"CN-B:b{i}")
        add_lac(G, f"L1:x{i}", province="L1")
        G.add_edge(f"CN-A:a{i}", f"L1:x{i}")
        G.add_edge(f"CN-B:b{i}", "L1:x0" if i == 0 else f"L1:x{i}")
    add_china(G, "CN-B")
    add_lac(G, "L2", country="BR", region="Brazil")
    G.add_edges_from([("CN-B", "L2"), ("CN-A:a0", "L2")])
    return G


def test_columns_are_stable():
    assert list(centrality(nx.Graph([("a", "b")])).columns) == CENTRALITY_COLUMNS
    assert list(centrality(nx.Graph(), level="country").columns) == CENTRALITY_COLUMNS


def test_locality_is_an_alias_of_party():
    G = _square()
    assert centrality(G, level="locality").equals(centrality(G, level="party"))


def test_weighted_betweenness_by_hand():
    # Province square A–L1–B–L2–A, weights A–L1 = B–L1 = 3, B–L2 = A–L2 = 1; n = 4, so
    # normalised betweenness = raw / 3 (pairs not involving the node).
    # Unweighted: A–B has two shortest paths (via L1, via L2): L1 gets 1/2 -> 1/6.
    # Lengths 1/w: A–L1–B = 2/3 < A–L2–B = 2, so L1 gets the whole A–B pair -> 1/3, L2 0;
    # L1–L2: via A = 1/3 + 1 = via B, so A and B get 1/2 each -> 1/6.
    frame = centrality(_square(), level="province").set_index("id")
    assert frame.loc["L1", "betweenness"] == pytest.approx(1 / 6)
    assert frame.loc["L1", "weighted_betweenness"] == pytest.approx(1 / 3)
    assert frame.loc["L2", "weighted_betweenness"] == pytest.approx(0)
    assert frame.loc["CN-A", "weighted_betweenness"] == pytest.approx(1 / 6)
    assert frame.loc["CN-A", "agreements"] == 4 and frame.loc["L1", "agreements"] == 6
    # two-mode degree: partners / size of the other side (2 LAC provinces)
    assert frame.loc["CN-A", "bipartite_degree"] == pytest.approx(1.0)
    assert frame["pagerank"].sum() == pytest.approx(1.0)


def test_eigenvector_of_a_star_by_hand():
    # Star, centre c and 3 leaves: x_c = √3 x_leaf and unit norm -> x_c = 1/√2, x_leaf = 1/√6.
    frame = centrality(nx.Graph([("c", "x"), ("c", "y"), ("c", "z")])).set_index("id")
    assert frame.loc["c", "eigenvector"] == pytest.approx(2 ** -0.5, abs=1e-4)
    assert frame.loc["x", "eigenvector"] == pytest.approx(6 ** -0.5, abs=1e-4)


def test_two_mode_columns_need_sides():
    frame = centrality(nx.Graph([("a", "x")]))
    assert frame["bipartite_degree"].isna().all() and frame["bipartite_betweenness"].isna().all()


def test_country_graph_is_a_star_weighted_by_agreements():
    G = _square()
    C = country_graph(G)
    assert sorted(C.nodes) == ["AR", "BR", "CN"]
    assert C["CN"]["AR"]["weight"] == 6 and C["CN"]["BR"]["weight"] == 2
    frame = centrality(G, level="country").set_index("id")
    assert frame.loc["CN", "agreements"] == 8 and frame.loc["CN", "betweenness"] == pytest.approx(1.0)
    assert frame.loc["AR", "level"] == "country" and frame.loc["AR", "region"] == "Southern Cone"


def test_input_is_not_modified():
    G = _square()
    before = copy.deepcopy(G)
    for level in ("party", "province", "country"):
        centrality(G, level=level)
    assert nx.utils.graphs_equal(G, before)


def test_real_agreements_per_province_and_country_match_the_csv(real_graph, csv_frame):
    provinces = centrality(real_graph, level="province")
    china = provinces[provinces["side"] == "china"].set_index("name")["agreements"]
    assert china.sort_index().to_dict() == csv_frame["cn_province"].value_counts().sort_index().to_dict()
    countries = centrality(real_graph, level="country").set_index("name")["agreements"]
    expected = csv_frame["lac_country"].value_counts()
    assert countries.drop("China").sort_index().to_dict() == expected.sort_index().to_dict()
    assert countries["China"] == len(csv_frame)


# -- a measure that fails says so -----------------------------------------------------


def _star_beside_a_chain():
    """A Chinese province with four LAC partners, and apart from it a chain of eight parties
    (a path of seven with a leaf on its third node: the tree E8).  Their largest adjacency
    eigenvalues are 2 and 2 cos(π/30) ≈ 1.989, so the power iteration on A + I gains only a
    factor 2.989/3 per step on the second component and has not converged after 1000 steps."""
    G = nx.Graph()
    add_china(G, "CN-A")
    for x in "wxyz":
        add_lac(G, x)
        G.add_edge("CN-A", x)
    chain = ["CN-B", "l1", "CN-C", "l2", "CN-D", "l3", "CN-E"]
    for node in chain:
        add_china(G, node) if node.startswith("CN") else add_lac(G, node)
    add_lac(G, "l4")
    G.add_edges_from(zip(chain, chain[1:]))
    G.add_edge("CN-C", "l4")
    return G


def test_eigenvector_that_does_not_converge_says_so():
    G = _star_beside_a_chain()
    assert nx.number_connected_components(G) == 2 and G.number_of_nodes() == 13
    message = "eigenvector centrality did not converge within 1000 iterations (the graph has 2 components): " \
              "column left empty"
    with pytest.warns(RuntimeWarning) as caught:
        frame = centrality(G)
    assert [str(w.message) for w in caught] == [message]
    assert frame.attrs["notes"] == [message]
    assert frame["eigenvector"].isna().all()
    # the other measures are still there: PageRank sums to 1, the star's centre has degree 4
    assert frame["pagerank"].sum() == pytest.approx(1.0)
    assert frame.set_index("id").loc["CN-A", "degree"] == 4


def test_measures_that_are_computed_leave_no_note():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        frame = centrality(_square(), level="province")
    assert frame.attrs["notes"] == [] and frame["eigenvector"].notna().all()
    assert centrality(nx.Graph()).attrs["notes"] == []


def test_undefined_two_mode_betweenness_of_the_country_graph_says_so():
    # The country graph has one Chinese node, where two-mode betweenness has maximum 0.
    with pytest.warns(RuntimeWarning, match="two-mode betweenness is undefined"):
        frame = centrality(_square(), level="country")
    assert frame["bipartite_betweenness"].isna().all()
    assert len(frame.attrs["notes"]) == 1 and frame.attrs["notes"][0].endswith(": column left empty")
