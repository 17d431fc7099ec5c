"""Pages of large graphs, forced on small ones: the network drawn by province above a node threshold,
grouped lines that list their first agreements only, and the map bundled per pair of provinces."""

from __future__ import annotations

import networkx as nx
import pytest

from twinlac.viz import map as mapmod
from twinlac.viz import map_html, network_html, payload
from twinlac.viz.payload import items_per_line, network_payload, page_level

from .test_network import extract_data


def provinces_graph() -> nx.Graph:
    """Three Jiangsu cities and Beijing (a province itself) tied to two São Paulo cities and Lima:
    six ties, three province pairs (CN-JS–BR-SP ×4, CN-BJ–BR-SP, CN-JS–PE-LIM)."""
    G = nx.Graph()
    for key, lat, lon in (("CN-JS:nanjing", 32.0, 118.8), ("CN-JS:suzhou", 31.3, 120.6),
                          ("CN-JS:wuxi", 31.6, 120.3)):
        G.add_node(key, name=key.split(":")[1].title(), side="china", region="East", province="CN-JS",
                   province_name="Jiangsu", country="CN", lat=lat, lon=lon)
    G.add_node("CN-BJ", name="Beijing", side="china", region="East", level="province", province="CN-BJ",
               province_name="Beijing", country="CN", lat=39.9, lon=116.4)
    for key, lat, lon in (("BR-SP:sao-paulo", -23.5, -46.6), ("BR-SP:campinas", -22.9, -47.1)):
        G.add_node(key, name=key.split(":")[1].title(), side="lac", region="Brazil", province="BR-SP",
                   province_name="São Paulo", country="BR", country_name="Brazil", lat=lat, lon=lon)
    G.add_node("PE-LIM:lima", name="Lima", side="lac", region="Andean", province="PE-LIM", province_name="Lima",
               country="PE", country_name="Peru", lat=-12.0, lon=-77.0)
    ties = [("CN-JS:nanjing", "BR-SP:sao-paulo", "sister", "official", 2001),
            ("CN-JS:suzhou", "BR-SP:sao-paulo", "friendship", "weak", 2005),
            ("CN-JS:wuxi", "BR-SP:campinas", "sister", "press", 2010),
            ("CN-JS:nanjing", "BR-SP:campinas", "sister", "official", 2012),
            ("CN-BJ", "BR-SP:sao-paulo", "sister", "official", 1999),
            ("CN-JS:suzhou", "PE-LIM:lima", "friendship", "press", 2016)]
    for i, (u, v, kind, evidence, year) in enumerate(ties):
        G.add_edge(u, v, id=f"t{i}", kind=kind, evidence=evidence, year=year, source_url=f"https://example.org/{i}")
    return G


# --- the network page ---------------------------------------------------------------------------


def test_page_level_switches_to_provinces_above_the_threshold():
    G = provinces_graph()
    assert page_level(G, "locality") == ("locality", None)  # 7 places: far below 5,000
    level, note = page_level(G, "locality", max_nodes=6)
    assert level == "province" and "7 places" in note and "force_level=True" in note
    assert page_level(G, "locality", max_nodes=6, force_level=True) == ("locality", None)
    assert page_level(G, "country", max_nodes=6) == ("country", None)


def test_network_page_is_drawn_by_province_above_the_threshold_and_says_so(monkeypatch):
    G = provinces_graph()
    monkeypatch.setattr(payload, "PLACE_LEVEL_MAX_NODES", 6)
    with pytest.warns(RuntimeWarning, match="drawn by province"):
        data = extract_data(network_html(G))
    assert data["level"] == "province"
    assert sorted(n["key"] for n in data["nodes"]) == ["BR-SP", "CN-BJ", "CN-JS", "PE-LIM"]
    assert sorted(e["count"] for e in data["edges"]) == [1, 1, 4]
    forced = extract_data(network_html(G, force_level=True))
    assert forced["level"] == "locality" and len(forced["nodes"]) == 7 and len(forced["edges"]) == 6


def test_legend_explains_the_switch(monkeypatch):
    monkeypatch.setattr(payload, "PLACE_LEVEL_MAX_NODES", 6)
    with pytest.warns(RuntimeWarning):
        data = network_payload(provinces_graph())
    assert "drawn by province" in data["legend"]["notes"][0]


def test_items_per_line_by_hand():
    assert items_per_line([4, 1, 1], 6) is None
    assert items_per_line([4, 1, 1], 5) == 3  # 3 + 1 + 1
    assert items_per_line([4, 4, 4], 2) == 1  # at least one each, even over the budget


def test_lines_list_their_first_agreements_only_on_a_large_page(monkeypatch):
    G = provinces_graph()
    full = network_payload(G, level="province")
    assert all(len(e["items"]) == e["count"] for e in full["edges"])
    assert all("facet_common" not in e for e in full["edges"])
    monkeypatch.setattr(payload, "ITEM_BUDGET", 4)  # 2 + 1 + 1: the four-tie line lists two
    capped = network_payload(G, level="province")
    busiest = max(capped["edges"], key=lambda e: e["count"])
    assert busiest["count"] == 4 and len(busiest["items"]) == 2 and len(busiest["facets"]) == 4
    # what all four share (the country and regions) is written once
    assert busiest["facet_common"] == {"country": "BR", "regions": ["china:East", "lac:Brazil"]}
    assert all("country" not in f for f in busiest["facets"])
    assert capped["filters"] == full["filters"]  # the filters still count every agreement
    assert any("first agreements" in note for note in capped["legend"]["notes"])


# --- the map ------------------------------------------------------------------------------------


def test_bundled_map_draws_one_line_per_province_pair():
    G = provinces_graph()
    data = extract_data(map_html(G, bundle=True))
    assert len(data["ties"]) == 3 < G.number_of_edges()
    keys = {p["id"]: p["key"] for p in data["places"]}
    pairs = {frozenset((keys[t["from"]], keys[t["to"]])): t for t in data["ties"]}
    assert set(pairs) == {frozenset(("CN-JS", "BR-SP")), frozenset(("CN-BJ", "BR-SP")),
                          frozenset(("CN-JS", "PE-LIM"))}
    busiest = pairs[frozenset(("CN-JS", "BR-SP"))]
    assert ["Ties", "4"] in busiest["tip"]["rows"] and len(busiest["tip"]["items"]) == 4
    assert busiest["kind"] == "mixed" and busiest["width"] > pairs[frozenset(("CN-BJ", "BR-SP"))]["width"]
    assert pairs[frozenset(("CN-BJ", "BR-SP"))]["kind"] == "sister"
    # a province's dot sits at the mean of its located places
    jiangsu = next(p for p in data["places"] if p["key"] == "CN-JS")
    assert jiangsu["lat"] == pytest.approx((32.0 + 31.3 + 31.6) / 3, abs=1e-4)
    assert jiangsu["degree"] == 5


def test_map_bundles_above_the_threshold_unless_told_not_to(monkeypatch):
    G = provinces_graph()
    assert len(extract_data(map_html(G))["ties"]) == 6  # 6 ties: far below 5,000
    monkeypatch.setattr(mapmod, "BUNDLE_TIES", 5)
    html = map_html(G)
    data = extract_data(html)
    assert len(data["ties"]) == 3
    assert "all the ties between two provinces" in html  # the legend's note
    assert "province pairs drawn" in html
    assert len(extract_data(map_html(G, bundle=False))["ties"]) == 6


def test_bundled_map_caps_listed_ties(monkeypatch):
    monkeypatch.setattr(mapmod, "ITEM_BUDGET", 3)
    data = extract_data(map_html(provinces_graph(), bundle=True))
    busiest = next(t for t in data["ties"] if ["Ties", "4"] in t["tip"]["rows"])
    assert len(busiest["tip"]["items"]) == 1
    assert ["Listed", "the first 1 of 4 ties"] in busiest["tip"]["rows"]


# --- the layout of large components ----------------------------------------------------------------


def test_large_components_get_a_seeded_grid_layout(monkeypatch):
    from twinlac.viz import layout

    G = nx.grid_2d_graph(6, 6)
    keys = sorted(G, key=str)
    small = layout.packed_layout(keys, G.edges())
    monkeypatch.setattr(layout, "GRID_LAYOUT_NODES", 10)
    first, second = layout.packed_layout(keys, G.edges()), layout.packed_layout(keys, G.edges())
    assert first == second and first != small  # another algorithm, deterministic
    assert len(set(first.values())) == 36  # every node has its own place
    radius = 0.75 * layout.NODE_SPACING * 6  # a component of n nodes gets a radius of 0.75 spacing × √n
    for x, y in first.values():
        assert abs(x) <= radius + 0.1 and abs(y) <= radius + 0.1
    # neighbours sit closer together than the average pair
    dist = lambda a, b: ((first[a][0] - first[b][0]) ** 2 + (first[a][1] - first[b][1]) ** 2) ** 0.5  # noqa: E731
    near = sum(dist(a, b) for a, b in G.edges()) / G.number_of_edges()
    far = sum(dist(a, b) for a in keys for b in keys if a != b) / (36 * 35)
    assert near < far / 2
