"""Centrality on hand-built graphs, and store-backed results equal to a graph built from the CSV."""

import networkx as nx
import pytest

from twinlac.analysis import centrality, province_graph


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
    from twinlac.graph.ids import locality_id, slug  # only the id convention, to align node keys

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
