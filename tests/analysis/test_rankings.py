"""top_provinces() and top_localities(): expected numbers by hand, and with pandas on the bundled CSV."""

import networkx as nx
import pytest

from twinlac.analysis import top_localities, top_provinces


def small_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("CN-JS", name="Jiangsu", level="province", side="china", province="CN-JS", province_name="Jiangsu",
               region="East", coastal=True)
    G.add_node("CN-JS:wuxi", name="Wuxi", level="city", side="china", province="CN-JS", province_name="Jiangsu",
               region="East", coastal=True)
    G.add_node("CN-SC:chengdu", name="Chengdu", level="city", side="china", province="CN-SC",
               province_name="Sichuan", region="West", coastal=False)
    G.add_node("AR-B:a", name="Avellaneda", level="city", side="lac", province="AR-B", country="AR",
               country_name="Argentina")
    G.add_node("AR-X:c", name="Córdoba", level="city", side="lac", province="AR-X", country="AR",
               country_name="Argentina")
    G.add_node("CL-RM", name="Santiago", level="province", side="lac", province="CL-RM", country="CL",
               country_name="Chile")
    G.add_edges_from([("CN-JS", "CL-RM"), ("CN-JS:wuxi", "AR-B:a"), ("CN-JS:wuxi", "AR-X:c"),
                      ("CN-SC:chengdu", "AR-X:c")])
    return G


def test_top_provinces_by_hand():
    data = top_provinces(small_graph())
    # Jiangsu: its own tie and Wuxi's two, with three LAC provinces; Sichuan: one.
    assert data[["province", "name", "ties", "partners"]].values.tolist() == [
        ["CN-JS", "Jiangsu", 3, 3], ["CN-SC", "Sichuan", 1, 1]]
    assert data["region"].tolist() == ["East", "West"]
    assert len(top_provinces(small_graph(), top=1)) == 1


def test_top_localities_by_hand():
    data = top_localities(small_graph(), top=None)
    # Ties sorted descending, then the folded name: Córdoba before Wuxi; Avellaneda before Chengdu.
    assert data[["id", "ties"]].values.tolist() == [["AR-X:c", 2], ["CN-JS:wuxi", 2], ["AR-B:a", 1],
                                                   ["CN-SC:chengdu", 1]]
    assert data["label"].tolist()[:2] == ["Córdoba (Argentina)", "Wuxi (Jiangsu)"]
    everyone = top_localities(small_graph(), top=None, include_provinces=True)
    assert set(everyone["id"]) == set(small_graph().nodes)
    with pytest.raises(ValueError):
        top_localities(small_graph(), top=0)


def test_top_provinces_on_the_bundled_data(real_graph, csv_frame):
    real = top_provinces(real_graph, top=None).set_index("name")["ties"]
    by_province = csv_frame["cn_province"].value_counts()
    assert real.sum() == len(csv_frame)
    for name in ("Guangdong", "Jiangsu", "Zhejiang", "Sichuan"):
        assert real[name] == by_province[name]
