"""Paths, neighbourhoods and place resolution on a hand-built graph, and on the bundled data."""

import networkx as nx
import pytest

from twinlac.analysis import PlaceNotFound, ego_graph, neighbourhood, resolve_place, shortest_paths

from .conftest import add_china, add_lac


@pytest.fixture
def chain():
    """Campinas (BR-SP) – Wuxi (CN-JS) – Salta (AR-A) – Suzhou (CN-JS) – Rosario (AR-S), and a second
    route Campinas – Hangzhou (CN-ZJ) – Córdoba (AR-X) – Suzhou; Lima (PE) alone with Chengdu (CN-SC).

        Campinas ─ Wuxi ─ Salta ─ Suzhou ─ Rosario
           └── Hangzhou ─ Córdoba ──┘
    """
    G = nx.Graph()
    add_china(G, "CN-JS", party="CN-JS:wuxi")
    G.nodes["CN-JS:wuxi"].update(name="Wuxi", name_zh="无锡")
    add_china(G, "CN-JS", party="CN-JS:suzhou")
    G.nodes["CN-JS:suzhou"]["name"] = "Suzhou"
    add_china(G, "CN-ZJ", party="CN-ZJ:hangzhou")
    G.nodes["CN-ZJ:hangzhou"]["name"] = "Hangzhou"
    add_china(G, "CN-SC", region="West", coastal=False, party="CN-SC:chengdu")
    G.nodes["CN-SC:chengdu"]["name"] = "Chengdu"
    for node, name, country, province in [("BR-SP:campinas", "Campinas", "BR", "BR-SP"),
                                          ("AR-A:salta", "Salta", "AR", "AR-A"),
                                          ("AR-S:rosario", "Rosario", "AR", "AR-S"),
                                          ("AR-X:cordoba", "Córdoba", "AR", "AR-X"),
                                          ("PE-LIM:lima", "Lima", "PE", "PE-LIM")]:
        add_lac(G, node, country, "Southern Cone", province=province)
        G.nodes[node].update(name=name, country_name={"BR": "Brazil", "AR": "Argentina", "PE": "Peru"}[country])
    ties = [("CN-JS:wuxi", "BR-SP:campinas", "sister", 2005, "official"),
            ("CN-JS:wuxi", "AR-A:salta", "friendship", 2010, "press"),
            ("CN-JS:suzhou", "AR-A:salta", "sister", 2012, "official"),
            ("CN-JS:suzhou", "AR-S:rosario", "sister", 2015, "wikipedia"),
            ("CN-ZJ:hangzhou", "BR-SP:campinas", "sister", 2001, "press"),
            ("CN-ZJ:hangzhou", "AR-X:cordoba", "letter_of_intent", None, "weak"),
            ("CN-JS:suzhou", "AR-X:cordoba", "sister", 2018, "press"),
            ("CN-SC:chengdu", "PE-LIM:lima", "sister", 1999, "official")]
    for cn, lac, kind, year, evidence in ties:
        G.add_edge(cn, lac, kind=kind, year=year, evidence=evidence, source_url=f"https://example.org/{cn}-{lac}")
    return G


def test_resolve_by_id_name_chinese_name_province_and_country(chain):
    assert resolve_place(chain, "CN-JS:wuxi").kind == "party"
    assert resolve_place(chain, "wuxi").id == "CN-JS:wuxi"
    assert resolve_place(chain, "无锡").id == "CN-JS:wuxi"
    assert resolve_place(chain, "cordoba").id == "AR-X:cordoba"  # accents folded
    province = resolve_place(chain, "cn-js")
    assert (province.kind, province.nodes) == ("province", ("CN-JS:suzhou", "CN-JS:wuxi"))
    country = resolve_place(chain, "Argentina")
    assert country.kind == "country" and len(country.nodes) == 3
    assert resolve_place(chain, "AR", kind="country").id == "AR"


def test_resolve_says_did_you_mean(chain):
    with pytest.raises(PlaceNotFound, match="did you mean.*Rosario"):
        resolve_place(chain, "Rosaro")
    with pytest.raises(PlaceNotFound, match="no place"):
        resolve_place(chain, "Wuxi", kind="country")


def test_resolve_refuses_an_ambiguous_name(chain):
    add_lac(chain, "MX-X:salta", "MX", "Mexico", province="MX-X")
    chain.nodes["MX-X:salta"]["name"] = "Salta"
    with pytest.raises(PlaceNotFound, match="2 places: AR-A:salta, MX-X:salta"):
        resolve_place(chain, "Salta")


def test_shortest_path_by_hand(chain):
    frame = shortest_paths(chain, "Campinas", "Rosario")
    # Two shortest routes of 4 hops: via Wuxi–Salta and via Hangzhou–Córdoba; the first found is listed.
    assert frame.attrs["hops"] == 4 and frame["path"].unique().tolist() == [1]
    assert frame["hop"].tolist() == [1, 2, 3, 4]
    assert frame["from_name"].iloc[0] == "Campinas" and frame["to_name"].iloc[-1] == "Rosario"
    every = shortest_paths(chain, "Campinas", "Rosario", all=True)
    routes = {tuple(p["to_name"]) for _, p in every.groupby("path")}
    assert routes == {("Wuxi", "Salta", "Suzhou", "Rosario"), ("Hangzhou", "Córdoba", "Suzhou", "Rosario")}
    via_cordoba = every[every["to_name"] == "Córdoba"].iloc[0]
    assert (via_cordoba["kind"], via_cordoba["evidence"]) == ("letter_of_intent", "weak")
    assert via_cordoba["year"] is None or str(via_cordoba["year"]) == "<NA>"


def test_shortest_path_limits_and_missing(chain):
    assert shortest_paths(chain, "Campinas", "Rosario", max_hops=3).empty
    none = shortest_paths(chain, "Campinas", "Lima")
    assert none.empty and none.attrs["hops"] is None
    with pytest.raises(PlaceNotFound, match="share"):
        shortest_paths(chain, "CN-JS", "Wuxi")


def test_shortest_path_between_a_country_and_a_province(chain):
    frame = shortest_paths(chain, "Brazil", "Salta")  # Campinas – Wuxi – Salta
    assert frame["to_name"].tolist() == ["Wuxi", "Salta"]


def test_shortest_path_at_province_level(chain):
    frame = shortest_paths(chain, "BR-SP", "AR-S", level="province")
    # Provinces: BR-SP – CN-JS – AR-S (Wuxi–Campinas, then Suzhou–Rosario).
    assert frame[["from_id", "to_id"]].values.tolist() == [["BR-SP", "CN-JS"], ["CN-JS", "AR-S"]]
    assert frame["agreements"].tolist() == [1, 1] and frame["year"].tolist() == [2005, 2015]


def test_neighbourhood_by_hand(chain):
    frame = neighbourhood(chain, "Salta", hops=2)
    got = {(r.distance, r.id, r.via_id) for r in frame.itertuples()}
    assert got == {(0, "AR-A:salta", None), (1, "CN-JS:wuxi", "AR-A:salta"), (1, "CN-JS:suzhou", "AR-A:salta"),
                   (2, "BR-SP:campinas", "CN-JS:wuxi"), (2, "AR-S:rosario", "CN-JS:suzhou"),
                   (2, "AR-X:cordoba", "CN-JS:suzhou")}
    assert frame["distance"].is_monotonic_increasing
    wuxi = frame[frame["id"] == "CN-JS:wuxi"].iloc[0]
    assert (wuxi["kind"], wuxi["year"], wuxi["evidence"]) == ("friendship", 2010, "press")


def test_neighbourhood_lists_each_tie_that_reaches_a_place(chain):
    frame = neighbourhood(chain, "Campinas", hops=3)
    suzhou = frame[frame["id"] == "CN-JS:suzhou"]
    assert sorted(suzhou["via_id"]) == ["AR-A:salta", "AR-X:cordoba"] and set(suzhou["distance"]) == {3}


def test_ego_graph(chain):
    ego = ego_graph(chain, "Salta", hops=1)
    assert sorted(ego) == ["AR-A:salta", "CN-JS:suzhou", "CN-JS:wuxi"]
    assert ego.number_of_edges() == 2 and ego.graph["centre"] == ["AR-A:salta"]
    assert ego.nodes["CN-JS:wuxi"]["name"] == "Wuxi" and chain.number_of_nodes() == 9


def test_paths_on_the_bundled_data(real_graph, csv_frame):
    partners = neighbourhood(real_graph, "Jiangsu", hops=1, )
    # Jiangsu resolves to the province party: its own ties, from the CSV.
    own = csv_frame[(csv_frame["cn_name"] == "Jiangsu") & (csv_frame["cn_level"] == "province")]
    assert (partners["distance"] == 1).sum() == len(own)
    frame = shortest_paths(real_graph, "Brazil", "Argentina")
    assert frame.attrs["hops"] == 2 and frame["from_name"].iloc[0] != frame["to_name"].iloc[-1]
