"""project(): parties collapsed onto provinces or countries, each edge keeping its agreements."""

import copy
import doctest

import networkx as nx
import pytest

from twinlac.analysis import country_graph, project, province_graph
from twinlac.analysis import projection as projection_module


def party(G, key, name, side, level, province, province_name, country, country_name, region):
    G.add_node(key, name=name, side=side, level=level, province=province, province_name=province_name,
               country=country, country_name=country_name, region=region)


def small_graph() -> nx.Graph:
    """Jiangsu (the province and Wuxi), Zhejiang's Hangzhou; São Paulo state and city, Córdoba (AR)."""
    G = nx.Graph(scope="china-lac")
    party(G, "CN-JS", "Jiangsu", "china", "province", "CN-JS", "Jiangsu", "CN", "China", "East")
    party(G, "CN-JS:wuxi", "Wuxi", "china", "city", "CN-JS", "Jiangsu", "CN", "China", "East")
    party(G, "CN-ZJ:hangzhou", "Hangzhou", "china", "city", "CN-ZJ", "Zhejiang", "CN", "China", "East")
    party(G, "BR-SP", "São Paulo", "lac", "province", "BR-SP", "São Paulo", "BR", "Brazil", "Brazil")
    party(G, "BR-SP:sao-paulo", "São Paulo", "lac", "city", "BR-SP", "São Paulo", "BR", "Brazil", "Brazil")
    party(G, "AR-X:cordoba", "Córdoba", "lac", "city", "AR-X", "Córdoba", "AR", "Argentina", "Southern Cone")
    G.add_edge("CN-JS", "BR-SP", id="t1", kind="sister", year=2004, evidence="official")
    G.add_edge("CN-JS:wuxi", "BR-SP:sao-paulo", id="t2", kind="friendship", year=2011, evidence="press")
    G.add_edge("CN-JS:wuxi", "AR-X:cordoba", id="t3", kind="sister", year=None, evidence="weak")
    G.add_edge("CN-ZJ:hangzhou", "BR-SP:sao-paulo", id="t4", kind="letter_of_intent", year=2019)
    return G


def test_province_level_counts_and_lists_the_agreements():
    P = project(small_graph(), "province")
    # By hand: JS–SP holds t1 (province–province) and t2 (Wuxi–São Paulo city).
    assert sorted(P.nodes) == ["AR-X", "BR-SP", "CN-JS", "CN-ZJ"]
    assert P["CN-JS"]["BR-SP"]["weight"] == 2
    assert [d["id"] for _, _, d in P["CN-JS"]["BR-SP"]["agreements"]] == ["t1", "t2"]
    assert P["CN-JS"]["AR-X"]["weight"] == 1 and P["CN-ZJ"]["BR-SP"]["weight"] == 1
    u, v, data = P["CN-ZJ"]["BR-SP"]["agreements"][0]
    assert {u, v} == {"CN-ZJ:hangzhou", "BR-SP:sao-paulo"}
    assert (data["kind"], data["year"]) == ("letter_of_intent", 2019)
    assert sum(w for _, _, w in P.edges(data="weight")) == 4  # every tie counted once
    assert P.nodes["CN-JS"]["members"] == [("CN-JS", "Jiangsu"), ("CN-JS:wuxi", "Wuxi")]
    assert P.nodes["CN-JS"]["name"] == "Jiangsu" and P.nodes["CN-JS"]["side"] == "china"
    assert P.graph["scope"] == "china-lac"


def test_country_level_is_a_star_and_china_has_no_subregion():
    C = project(small_graph(), "country")
    assert sorted(C.nodes) == ["AR", "BR", "CN"]
    assert dict(C["CN"]).keys() == {"AR", "BR"}
    assert C["CN"]["BR"]["weight"] == 3 and C["CN"]["AR"]["weight"] == 1
    assert C.nodes["CN"]["region"] is None
    assert C.nodes["BR"]["region"] == "Brazil"


def test_party_level_merges_parallel_agreements_of_a_multigraph():
    M = nx.MultiGraph()
    M.add_edge("a", "x", id="1")
    M.add_edge("a", "x", id="2")
    M.add_node("lonely", name="Lonely")
    P = project(M, "party")
    assert P["a"]["x"]["weight"] == 2
    assert [d["id"] for _, _, d in P["a"]["x"]["agreements"]] == ["1", "2"]
    assert P.nodes["lonely"]["name"] == "Lonely"  # untied parties are kept


def test_wrappers_are_the_projection_and_input_is_untouched():
    G = small_graph()
    before = copy.deepcopy(G)
    for level, wrapper in (("province", province_graph), ("country", country_graph)):
        expected, got = project(G, level), wrapper(G)
        assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
        assert {frozenset((u, v)): w for u, v, w in got.edges(data="weight")} == \
            {frozenset((u, v)): w for u, v, w in expected.edges(data="weight")}
    assert nx.utils.graphs_equal(G, before)


def test_unknown_level_is_an_error():
    with pytest.raises(ValueError, match="unknown level"):
        project(small_graph(), "city")


def test_doctests():
    assert doctest.testmod(projection_module).failed == 0
