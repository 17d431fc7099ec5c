"""Tests of the offline world map page (twinlac.viz.map), without a browser."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from twinlac.viz import map_html, write_map_html
from twinlac.viz import map as mapmod

from .test_network import IMG_NAME, SCRIPT_NAME, data_block, external_references

WORLD = mapmod._WORLD_FILE


def extract(html: str) -> dict:
    return json.loads(data_block(html))


def located_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("CN-BJ", name="Beijing", side="china", region="East", level="province", lat=39.9, lon=116.4)
    g.add_node("CN-JS:suzhou", name="Suzhou", side="china", region="East", lat=31.3, lon=120.6)
    g.add_node("BR-SP:sao-paulo", name="São Paulo", side="lac", region="Brazil", country="BR",
               country_name="Brazil", lat=-23.55, lon=-46.63)
    g.add_node("MX-JAL:guadalajara", name="Guadalajara", side="lac", region="Mexico", country="MX",
               country_name="Mexico")  # no coordinates
    g.add_node("CL-RM:santiago", name="Santiago", side="lac", region="Southern Cone", country="CL",
               country_name="Chile", lat=float("nan"), lon=-70.6)  # invalid
    g.add_node("PE-LIM:lima", name="Lima", side="lac", region="Andean", country="PE", lat=-12.0, lon=-77.0)
    g.add_edge("CN-BJ", "BR-SP:sao-paulo", id="t1", kind="sister", year=2001, evidence="official",
               source_url="https://example.org/t1", source_title="Notice")
    g.add_edge("CN-JS:suzhou", "BR-SP:sao-paulo", id="t2", kind="friendship", year=2010, evidence="weak")
    g.add_edge("CN-BJ", "MX-JAL:guadalajara", id="t3", kind="sister", evidence="press")
    g.add_edge("CN-JS:suzhou", "CL-RM:santiago", id="t4", kind="sister", evidence="press")
    g.add_edge("CN-JS:suzhou", "PE-LIM:lima", id="t5", kind="letter_of_intent", evidence="disputed")
    return g


def test_places_ties_and_missing():
    html = map_html(located_graph(), title="Map")
    data = extract(html)
    assert sorted(p["key"] for p in data["places"]) == ["BR-SP:sao-paulo", "CN-BJ", "CN-JS:suzhou", "PE-LIM:lima"]
    assert sorted(t["agreement_id"] for t in data["ties"]) == ["t1", "t2", "t5"]
    assert data["undrawn_ties"] == 2
    assert [(m["key"], m["ties"], m["reason"]) for m in data["missing"]] == [
        ("MX-JAL:guadalajara", 1, "no coordinates"), ("CL-RM:santiago", 1, "invalid coordinates"),
    ]
    bj = next(p for p in data["places"] if p["key"] == "CN-BJ")
    assert (bj["lat"], bj["lon"]) == (39.9, 116.4)
    rows = dict(bj["tip"]["rows"])
    assert rows["Location"] == "39.90°N, 116.40°E"
    assert rows["Not drawn"] == "1 tie(s): the partner has no location"
    sp = next(p for p in data["places"] if p["key"] == "BR-SP:sao-paulo")
    assert dict(sp["tip"]["rows"])["Location"] == "23.55°S, 46.63°W"
    assert sp["radius"] > next(p for p in data["places"] if p["key"] == "PE-LIM:lima")["radius"]
    assert '<span id="tw-n-places">4</span> places on the map' in html
    assert '<span id="tw-n-ties">3</span> ties drawn' in html
    assert '<span id="tw-n-missing">2</span> places without coordinates' in html
    assert "2 ties not drawn: a party has no location." in html
    assert '<span class="tw-missing-name">Guadalajara</span>' in html
    assert "(Mexico · 1 tie · no coordinates)" in html
    assert "centred on 150°W" in html


def test_out_of_range_and_string_coordinates():
    g = nx.Graph()
    g.add_node("a", lat="12.5", lon="-70")  # numbers as strings are fine
    g.add_node("b", lat=95, lon=0)
    g.add_node("c", lat=10, lon=181)
    g.add_node("d", lat="north", lon=3)
    g.add_node("e", lat=None, lon=None)
    data = extract(map_html(g))
    assert [p["key"] for p in data["places"]] == ["a"]
    assert {m["key"]: m["reason"] for m in data["missing"]} == {
        "b": "invalid coordinates", "c": "invalid coordinates", "d": "invalid coordinates", "e": "no coordinates",
    }


def test_real_graph_without_coordinates_lists_every_place(loaded_store):
    g = loaded_store.to_networkx()
    data = extract(map_html(g))
    located = sum(1 for _, d in g.nodes(data=True) if d.get("lat") is not None and d.get("lon") is not None)
    assert len(data["places"]) == located
    assert len(data["places"]) + len(data["missing"]) == g.number_of_nodes()
    assert len(data["ties"]) + data["undrawn_ties"] == g.number_of_edges()


def test_world_outline_is_bundled_and_compact():
    world = json.loads(WORLD.read_text(encoding="utf-8"))
    assert "Natural Earth" in world["source"]
    codes = {c["a2"] for c in world["countries"]}
    assert {"CN", "BR", "MX", "AR", "CL", "CU", "JM"} <= codes
    assert "AQ" not in codes
    for country in world["countries"]:
        for ring in country["rings"]:
            assert len(ring) % 2 == 0 and len(ring) >= 8
            assert all(isinstance(v, int) for v in ring)
            assert all(-1800 <= x <= 1800 for x in ring[0::2]) and all(-900 <= y <= 900 for y in ring[1::2])
    assert WORLD.stat().st_size < 150_000
    html = map_html(nx.Graph())
    assert len(extract(html)["world"]["rings"]) == sum(len(c["rings"]) for c in world["countries"])


def test_map_is_offline_and_safe():
    g = located_graph()
    g.add_node("X:img", name=IMG_NAME, side="china", lat=30, lon=110, country_name=SCRIPT_NAME)
    g.add_node("X:script", name=SCRIPT_NAME, side="lac", country_name=IMG_NAME)  # listed as missing
    g.add_edge("X:img", "PE-LIM:lima", source_url="javascript:alert(1)", source_title=IMG_NAME)
    g.add_edge("X:img", "X:script")
    html = map_html(g, title=SCRIPT_NAME)
    assert external_references(html) == []
    assert not re.search(r"<script[^>]+src\s*=", html, re.I)
    assert "<img src=x" not in html and "<script>window.__pwned" not in html
    assert not re.search(r"[<>&]", data_block(html))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the missing list, HTML-escaped
    own_js = re.findall(r"<script>(.*?)</script>", html, re.S)[-1]
    assert "innerHTML" not in own_js.replace("never innerHTML", "")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    tie = next(t for t in extract(html)["ties"] if t["source_url"] == "javascript:alert(1)")
    assert tie["tip"]["link"] is None


def test_write_map_and_arguments(tmp_path):
    out = write_map_html(located_graph(), tmp_path / "a" / "map.html", central_meridian=0)
    assert out.exists() and out.is_absolute()
    text = out.read_text(encoding="utf-8")
    assert "centred on Greenwich (0°)" in text and extract(text)["view"]["central_meridian"] == 0
    assert text == map_html(located_graph(), central_meridian=0)
    with pytest.raises(TypeError, match="networkx Graph"):
        map_html([("a", "b")])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="central_meridian"):
        map_html(located_graph(), central_meridian=float("nan"))


def test_map_output_is_deterministic():
    g1 = located_graph()
    g2 = nx.Graph()
    g2.add_nodes_from(reversed(list(g1.nodes(data=True))))
    g2.add_edges_from(reversed([(v, u, d) for u, v, d in g1.edges(data=True)]))
    assert map_html(g1) == map_html(g2)


@pytest.mark.parametrize("module", ["twinlac.viz.network", "twinlac.viz.map"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
