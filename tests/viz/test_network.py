"""Tests of the offline interactive network page (twinlac.viz.network)."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from twinlac.viz import layout, payload, style
from twinlac.viz import network_html, write_network_html

# --- helpers ---------------------------------------------------------------------

DATA_BLOCK_RE = re.compile(r'<script id="tw-data" type="application/json">(.*?)</script>', re.S)
URL_RE = re.compile(r"https?://[^\s\"'<>()\\]+", re.I)


def vis_dir() -> Path:
    import pyvis

    return Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


def data_block(html: str) -> str:
    blocks = DATA_BLOCK_RE.findall(html)
    assert len(blocks) == 1, "expected exactly one embedded JSON data block"
    return blocks[0]


def extract_data(html: str) -> dict:
    return json.loads(data_block(html))


class _ResourceScanner(HTMLParser):
    """Collects everything in a page that would make a browser fetch something.

    HTMLParser treats <script>/<style> content as raw text, so strings inside the
    inlined JS cannot be mistaken for tags.
    """

    FETCHING_ATTRS = {"src", "href", "srcset", "poster", "data", "background", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag in {"link", "base", "iframe", "object", "embed", "img", "audio", "video", "source"}:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name in self.FETCHING_ATTRS:
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and value and self._css_fetches(value):
                self.problems.append(f"<{tag} style={value!r}>")
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and self._css_fetches(data):
            self.problems.append("stylesheet fetches a resource")

    @staticmethod
    def _css_fetches(css: str) -> bool:
        if "@import" in css:
            return True
        targets = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
        return any(not t.startswith("data:") for t in targets)


def external_references(html: str) -> list[str]:
    scanner = _ResourceScanner()
    scanner.feed(html)
    scanner.close()
    problems = scanner.problems
    for needle in ("//cdn", "node_modules"):
        if needle in html:
            problems.append(f"contains {needle!r}")
    return problems


def party(name, *, side, region, level="city", **extra):
    return {"name": name, "side": side, "region": region, "level": level,
            "label": "Province" if level == "province" else "Locality", **extra}


def sample_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("CN-JS", **party("Jiangsu", side="china", region="East", level="province", name_zh="江苏",
                                country="CN", country_name="China", province="CN-JS",
                                province_name="Jiangsu", coastal=True))
    g.add_node("CN-JS:suzhou", **party("Suzhou", side="china", region="East", name_zh="苏州", country="CN",
                                       country_name="China", province="CN-JS", province_name="Jiangsu",
                                       coastal=True))
    g.add_node("CN-HK", **party("Hong Kong", side="china", region=None, level="province", name_zh="香港"))
    g.add_node("BR-SP", **party("São Paulo", side="lac", region="Brazil", level="province", country="BR",
                                country_name="Brazil", province="BR-SP", province_name="São Paulo"))
    g.add_node("BR-SP:sao-paulo", **party("São Paulo", side="lac", region="Brazil", country="BR",
                                          country_name="Brazil", province="BR-SP", province_name="São Paulo"))
    g.add_node("MX-JAL:guadalajara", **party("Guadalajara", side="lac", region="Mexico", country="MX",
                                             country_name="Mexico", province="MX-JAL",
                                             province_name="Jalisco"))
    g.add_edge("BR-SP", "CN-JS", id="a1", kind="sister", year=2004, date="2004-05-17", status="active",
               themes=["trade", "culture"], source_url="https://gov.example.org/a1?x=1&y=2",
               source_title="Jiangsu FAO notice", evidence="official", notes=None)
    g.add_edge("CN-JS:suzhou", "BR-SP:sao-paulo", id="a2", kind="friendship", year=2011, date="2011",
               status="ended", themes=[], source_url="http://press.example.com/a2",
               source_title="Press report", evidence="weak", notes="Renewal unclear")
    g.add_edge("CN-HK", "MX-JAL:guadalajara", id="a3", kind="letter_of_intent", year=None, date=None,
               status="in_process", themes=["ports"], source_url="https://en.wikipedia.org/wiki/X",
               source_title="Wikipedia", evidence="disputed", notes=None)
    g.add_edge("CN-JS", "MX-JAL:guadalajara", id="a4", kind="sister", year=2015, date="2015-09",
               status="active", themes=[], source_url="https://gov.example.org/a4",
               source_title="Notice", evidence="press", notes=None)
    return g


def edge_by_agreement(data: dict, agreement_id: str) -> dict:
    (edge,) = [e for e in data["edges"] if e["agreement_id"] == agreement_id]
    return edge


def node_by_key(data: dict, key: str) -> dict:
    (node,) = [n for n in data["nodes"] if n["key"] == key]
    return node


# --- file, inlining, no external resources ----------------------------------------


def test_write_creates_parents_and_returns_resolved_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = write_network_html(sample_graph(), "a/b/net.html")
    assert out == (tmp_path / "a" / "b" / "net.html").resolve()
    assert out.is_absolute() and out.exists()
    assert out.read_text(encoding="utf-8") == network_html(sample_graph())


def test_vis_network_is_inlined_verbatim(tmp_path):
    html = write_network_html(sample_graph(), tmp_path / "net.html").read_text(encoding="utf-8")
    vis_js = (vis_dir() / "vis-network.min.js").read_text(encoding="utf-8")
    vis_css = (vis_dir() / "vis-network.css").read_text(encoding="utf-8")
    # The whole library, not just a marker, must be in the page.
    assert vis_js.strip() in html
    assert vis_css.strip() in html
    assert "new vis.Network(" in html
    assert html.lstrip().startswith("<!DOCTYPE html>")


def test_no_external_resource_references():
    html = network_html(sample_graph())
    assert external_references(html) == []
    assert not re.search(r"<script[^>]+src\s*=", html, re.I)
    assert not re.search(r"<link[^>]+href\s*=", html, re.I)


@pytest.mark.parametrize(
    "bad",
    [
        '<script src="https://cdn.example.com/vis.js"></script>',
        '<link rel="stylesheet" href="style.css">',
        "<img src=//cdn.example.com/a.png>",
        "<style>@import url(https://fonts.example.com/x.css);</style>",
        '<style>.a { background: url("https://example.com/bg.png") }</style>',
        '<div style="background:url(/x.png)"></div>',
        '<script src="../node_modules/vis/dist/vis-network.min.js"></script>',
    ],
)
def test_external_reference_checker_catches_fetches(bad):
    # Guards the guard: the check above must be able to fail.
    html = network_html(sample_graph())
    assert external_references(html.replace("</body>", bad + "</body>")) != []


def test_only_http_urls_are_source_urls_or_vis_licence_comments():
    g = sample_graph()
    html = network_html(g)
    block = data_block(html)
    outside = html.replace(block, "")
    vis_urls = set()
    for name in ("vis-network.min.js", "vis-network.css"):
        vis_urls |= set(URL_RE.findall((vis_dir() / name).read_text(encoding="utf-8")))
    # Our own template adds no URL at all: whatever is outside the data comes
    # from the vendored library (licence headers, SVG namespace).
    assert set(URL_RE.findall(outside)) <= vis_urls
    # Inside the data, URLs are exactly the agreements' sources.
    data = extract_data(html)
    graph_urls = {d["source_url"] for _, _, d in g.edges(data=True)}
    assert {e["source_url"] for e in data["edges"]} == graph_urls
    assert {e["tip"]["link"]["href"] for e in data["edges"]} == graph_urls


# --- embedded data -------------------------------------------------------------------


def test_embedded_json_counts_and_header():
    g = sample_graph()
    html = network_html(g, title="Demo")
    data = extract_data(html)
    assert len(data["nodes"]) == g.number_of_nodes() == 6
    assert len(data["edges"]) == g.number_of_edges() == 4
    assert '<span id="tw-n-places">6</span> places' in html
    assert '<span id="tw-n-ties">4</span> ties shown' in html
    assert "<title>Demo</title>" in html
    ids = [n["id"] for n in data["nodes"]]
    assert len(set(ids)) == len(ids)
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])


def test_sizes_follow_degree():
    g = nx.star_graph(5)  # hub of degree 5
    nx.add_path(g, [1, 10, 11, 12])  # degrees 2, 2, 2, 1
    g.add_node(99)  # isolated
    data = extract_data(network_html(g))
    by_key = {n["key"]: n for n in data["nodes"]}
    for u in g:
        for v in g:
            du, dv = g.degree(u), g.degree(v)
            su, sv = by_key[str(u)]["size"], by_key[str(v)]["size"]
            if du < dv:
                assert su < sv, (u, v)
            elif du == dv:
                assert su == sv, (u, v)
    assert by_key["0"]["degree"] == 5


def test_weighted_size_counts_agreements():
    g = sample_graph()
    sizes = {n["key"]: n["size"] for n in extract_data(network_html(g)).get("nodes")}
    weighted = {n["key"]: n["size"] for n in extract_data(network_html(g, size_by="weighted"))["nodes"]}
    assert weighted == sizes  # a simple graph: one agreement per partner
    m = nx.MultiGraph()
    m.add_edges_from([("a", "x"), ("a", "x"), ("a", "x"), ("b", "x"), ("b", "y")])
    by_degree = {n["key"]: n for n in extract_data(network_html(m))["nodes"]}
    by_agreements = {n["key"]: n for n in extract_data(network_html(m, size_by="weighted"))["nodes"]}
    assert by_degree["a"]["size_value"] == 1 and by_agreements["a"]["size_value"] == 3
    assert by_degree["b"]["size"] > by_degree["a"]["size"]
    assert by_agreements["a"]["size"] > by_agreements["b"]["size"]
    assert "Node size grows with the number of agreements." in network_html(m, size_by="weighted")
    assert "Node size grows with the number of partners." in network_html(m)


def test_unknown_size_by_or_level_raises(tmp_path):
    with pytest.raises(ValueError, match=r"size_by must be one of 'degree', 'weighted', 'betweenness', "
                                         r"'pagerank' or a mapping of node to value; got 'closeness'"):
        network_html(sample_graph(), size_by="closeness")
    with pytest.raises(ValueError, match=r"level must be one of 'locality', 'province', 'country'; got 'city'"):
        network_html(sample_graph(), level="city")
    out = tmp_path / "x" / "net.html"
    with pytest.raises(ValueError, match="size_by"):
        write_network_html(sample_graph(), out, size_by="eigenvector")
    with pytest.raises(ValueError, match="level"):
        write_network_html(sample_graph(), out, level="region")
    assert not out.exists() and not out.parent.exists()


def test_non_graph_input_raises():
    with pytest.raises(TypeError, match="networkx Graph"):
        network_html({"a": ["b"]})  # type: ignore[arg-type]


def test_node_tooltip_content_and_shape():
    data = extract_data(network_html(sample_graph()))
    js = node_by_key(data, "CN-JS")
    assert js["shape"] == "diamond"
    assert js["tip"]["title"] == "Jiangsu" and js["tip"]["subtitle"] == "江苏"
    rows = dict(js["tip"]["rows"])
    assert rows["Level"] == "Province"
    assert rows["Province"] == "Jiangsu (CN-JS)"
    assert rows["Country"] == "China (CN)"
    assert rows["Region"] == "East"
    assert rows["Coastal"] == "yes"
    assert rows["Ties"] == "2"
    assert node_by_key(data, "CN-JS:suzhou")["shape"] == "dot"


def test_edge_tooltip_content():
    data = extract_data(network_html(sample_graph()))
    a1 = edge_by_agreement(data, "a1")
    # Chinese party named first even though the edge was added LAC-first.
    assert a1["tip"]["title"] == "Jiangsu ↔ São Paulo"
    rows = dict(a1["tip"]["rows"])
    assert rows["Kind"] == "Sister city / province"
    assert rows["Date"] == "2004-05-17"
    assert rows["Status"] == "Active"
    assert rows["Themes"] == "trade, culture"
    assert rows["Evidence"] == "Official"
    assert a1["tip"]["link"] == {"href": "https://gov.example.org/a1?x=1&y=2", "text": "Jiangsu FAO notice"}
    a3 = dict(edge_by_agreement(data, "a3")["tip"]["rows"])
    assert "Date" not in a3 and "Year" not in a3


def test_edge_styles_by_kind_and_evidence():
    data = extract_data(network_html(sample_graph()))
    a1, a2, a3, a4 = (edge_by_agreement(data, a) for a in ("a1", "a2", "a3", "a4"))
    assert not a1["dashes"] and not a4["dashes"]  # official, press: solid
    assert a2["dashes"] and a3["dashes"]  # weak, disputed: dashed
    assert a2["dashes"] != a3["dashes"]
    colors = {e["kind"]: e["color"]["color"] for e in (a1, a2, a3)}
    assert len(set(colors.values())) == 3
    assert a1["width"] > a2["width"] > a3["width"]  # letter of intent lightest
    assert a2["color"]["opacity"] < 1.0  # ended
    assert a1["color"]["opacity"] == 1.0


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))


def test_palette_by_side_and_region():
    g = nx.Graph()
    for r in ("East", "Central", "West", "Northeast"):
        g.add_node(f"cn-{r}", side="china", region=r)
    for r in ("Southern Cone", "Brazil", "Andean", "Mexico", "Central America", "Caribbean"):
        g.add_node(f"lac-{r}", side="lac", region=r)
    g.add_node("cn-hk", side="china", region=None)
    g.add_node("odd", side="lac", region="Atlantis")
    data = extract_data(network_html(g))
    colors = {n["key"]: n["color"]["background"] for n in data["nodes"]}
    assert len({c for k, c in colors.items() if k not in {"cn-hk", "odd"}}) == 10
    for key, color in colors.items():
        r, gr, b = _rgb(color)
        if key in {"cn-hk", "odd"}:
            assert r == gr == b  # grey
        elif key.startswith("cn-"):
            assert r > gr and r > b  # reds / oranges
        else:
            assert max(gr, b) > r  # blues / greens / purples
    html = network_html(g)
    assert "China · Northeast" in html and "LAC · Caribbean" in html and "No or unknown region" in html


# --- safety ---------------------------------------------------------------------------

IMG_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = '"></script><script>alert(1)</script>'


def hostile_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("CN-X:img", name=IMG_NAME, name_zh="北\u2028<b>", side="china", region="East", level="city",
               province_name="</style><style>*{}", country_name="&amp; & <")
    g.add_node("BR-X:script", name=SCRIPT_NAME, side="lac", region="Brazil", level="city")
    g.add_edge("CN-X:img", "BR-X:script", id="</script>", kind="sister", evidence="official",
               source_url="https://ok.example.org/?q=</script><script>alert(2)</script>",
               source_title="<a href=javascript:alert(3)>x</a>", notes="<!-- <script>")
    return g


def test_hostile_names_are_inert_in_html():
    html = network_html(hostile_graph(), title="<script>alert('t')</script> & co")
    assert "</script><script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "alert(2)</script>" not in html
    assert "<a href=javascript" not in html
    assert "<!-- <script>" not in html
    assert "\u2028" not in html
    # The JSON-escaped forms are there instead.
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html
    # The title is HTML-escaped in <title> and in the header.
    assert html.count("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co") == 2
    # The data block holds no raw markup characters at all.
    assert not re.search(r"[<>&]", data_block(html))
    # Hostile data adds no fetching element or attribute.
    assert external_references(html) == []


def test_hostile_names_round_trip_through_json():
    g = hostile_graph()
    data = extract_data(network_html(g))
    names = {n["key"]: n["name"] for n in data["nodes"]}
    assert names == {"CN-X:img": IMG_NAME, "BR-X:script": SCRIPT_NAME}
    assert node_by_key(data, "CN-X:img")["label"] == IMG_NAME
    assert node_by_key(data, "CN-X:img")["name_zh"] == "北\u2028<b>"
    (edge,) = data["edges"]
    assert edge["source_url"] == "https://ok.example.org/?q=</script><script>alert(2)</script>"
    assert edge["tip"]["link"]["text"] == "<a href=javascript:alert(3)>x</a>"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example.com/x",
        "ftp://files.example.com/x",
        "mailto:someone@example.com",
        "",
    ],
)
def test_non_http_source_urls_are_data_not_links(url):
    g = nx.Graph()
    g.add_edge("a", "b", id="e1", kind="sister", source_url=url, source_title="Source")
    (edge,) = extract_data(network_html(g))["edges"]
    assert edge["tip"]["link"] is None
    assert edge["source_url"] == (url.strip() or None)  # kept as data
    if url.strip():
        assert any(row[0] == "Source" and url.strip() in row[1] for row in edge["tip"]["rows"])


@pytest.mark.parametrize("url", ["http://example.org/x", "HTTPS://EXAMPLE.ORG/Y", "  https://example.org/z  "])
def test_http_source_urls_are_links(url):
    g = nx.Graph()
    g.add_edge("a", "b", kind="sister", source_url=url, source_title=None)
    (edge,) = extract_data(network_html(g))["edges"]
    assert edge["tip"]["link"] == {"href": url.strip(), "text": url.strip()}


def test_page_script_builds_links_safely():
    html = network_html(sample_graph())
    own_js = re.findall(r"<script>(.*?)</script>", html, re.S)[-1]
    assert "HTTP_URL = /^https?:\\/\\//i" in own_js
    assert 'a.setAttribute("rel", "noopener noreferrer")' in own_js
    assert 'a.setAttribute("target", "_blank")' in own_js
    assert "innerHTML" not in own_js.replace("never innerHTML", "")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


# --- robustness, layout, determinism --------------------------------------------------


def test_missing_and_none_attributes_are_handled():
    g = nx.Graph()
    g.add_node("bare")  # no attributes at all
    g.add_node("nones", label=None, name=None, name_zh=None, level=None, side=None, country=None,
               country_name=None, province=None, province_name=None, region=None, coastal=None)
    g.add_node("nan", name=float("nan"), region=float("nan"), coastal=float("nan"), level="Province")
    g.add_node("label-only", label="Province", name="  ")
    g.add_edge("bare", "nones")  # no attributes at all
    g.add_edge("nones", "nan", id=None, kind=None, year=None, date=None, status=None, themes=None,
               source_url=None, source_title=None, evidence=None, notes=None)
    g.add_edge("nan", "bare", kind="Sister", year="n/a", themes="trade", evidence="mystery", status="ended")
    data = extract_data(network_html(g))
    nodes = {n["key"]: n for n in data["nodes"]}
    assert nodes["bare"]["name"] == "bare" and nodes["nones"]["name"] == "nones"
    assert nodes["nan"]["name"] == "nan" and nodes["nan"]["region"] is None
    assert nodes["nan"]["shape"] == "diamond"  # level compared case-insensitively
    assert nodes["label-only"]["shape"] == "diamond" and nodes["label-only"]["degree"] == 0
    assert {n["color"]["background"] for n in data["nodes"]} == {"#9e9e9e"}
    assert all(n["tip"]["link"] is None for n in data["nodes"])
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert len(edges) == 3
    odd = next(e for e in data["edges"] if e["status"] == "ended")
    assert odd["kind"] == "sister" and odd["year"] is None and odd["evidence"] == "unknown"
    assert ["Themes", "trade"] in odd["tip"]["rows"]
    assert all(e["tip"]["link"] is None for e in data["edges"])


def test_empty_graph_renders():
    html = network_html(nx.Graph())
    assert extract_data(html)["nodes"] == []
    assert '<span id="tw-n-places">0</span> places' in html


def test_output_is_deterministic_and_order_independent():
    g1 = sample_graph()
    g2 = nx.Graph()
    g2.add_nodes_from(reversed(list(g1.nodes(data=True))))
    g2.add_edges_from(reversed([(v, u, d) for u, v, d in g1.edges(data=True)]))
    assert network_html(g1) == network_html(g1)
    assert network_html(g1) == network_html(g2)


def test_small_graph_uses_browser_physics_then_stops():
    html = network_html(sample_graph())
    data = extract_data(html)
    physics = data["options"]["physics"]
    assert physics["enabled"] is True
    assert physics["stabilization"]["iterations"] == 200
    assert physics["solver"] in {"barnesHut", "forceAtlas2Based"}
    assert all("x" not in n for n in data["nodes"])
    assert 'network.once("stabilizationIterationsDone"' in html
    assert '<input type="checkbox" id="tw-physics" checked>' in html


def test_large_graph_is_laid_out_in_python_with_physics_off():
    n = layout.LAYOUT_NODE_THRESHOLD + 20
    g = nx.Graph()
    for i in range(n):
        g.add_node(f"p{i:03d}", name=f"Place {i}", side="china" if i % 2 else "lac")
    for i in range(1, n):
        g.add_edge(f"p{i:03d}", f"p{(i * 7) % i:03d}", kind="sister", evidence="official")
    html = network_html(g)
    data = extract_data(html)
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    xs = [node["x"] for node in data["nodes"]]
    assert max(xs) - min(xs) > 100  # scaled beyond the unit square
    assert '<input type="checkbox" id="tw-physics">' in html
    assert network_html(g) == html  # seeded layout


def dyads_and_star(n_dyads: int = 150, n_leaves: int = 40) -> nx.Graph:
    g = nx.Graph()
    for i in range(n_dyads):
        g.add_edge(f"CN-{i:03d}", f"LAC-{i:03d}", kind="sister")
    g.add_edges_from(("CN-HUB", f"LAC-LEAF-{i:02d}") for i in range(n_leaves))
    return g


def positions(html: str) -> dict[str, tuple[float, float]]:
    return {n["key"]: (n["x"], n["y"]) for n in extract_data(html)["nodes"]}


def test_large_layout_keeps_components_apart():
    g = dyads_and_star()
    assert len(g) > layout.LAYOUT_NODE_THRESHOLD
    pos = positions(network_html(g))
    pts = sorted(pos.values())
    closest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1:i + 40])
    assert closest > 15  # no two places stacked on each other
    # A dyad's partners sit next to each other, far closer than to other dyads.
    assert math.dist(pos["CN-000"], pos["LAC-000"]) < math.dist(pos["CN-000"], pos["CN-001"])


def test_multigraph_parallel_agreements_are_all_drawn():
    g = nx.MultiGraph()
    g.add_node("CN-JS", name="Jiangsu", side="china", region="East")
    g.add_node("BR-SP", name="São Paulo", side="lac", region="Brazil")
    g.add_edge("CN-JS", "BR-SP", id="a1", kind="friendship", year=1995)
    g.add_edge("CN-JS", "BR-SP", id="a2", kind="sister", year=2004)
    data = extract_data(network_html(g))
    assert [e["agreement_id"] for e in data["edges"]] == ["a1", "a2"]
    assert "smooth" not in data["edges"][0] and data["edges"][1]["smooth"]["enabled"]
    assert {n["degree"] for n in data["nodes"]} == {2}


def test_filters_and_search_controls_present():
    html = network_html(sample_graph())
    for kind in ("sister", "friendship", "letter_of_intent"):
        assert f'data-filter="kind" value="{kind}" checked' in html
    for grade in ("official", "press", "weak", "disputed"):
        assert f'data-filter="evidence" value="{grade}" checked' in html
    assert 'data-filter="evidence" value="wikipedia"' not in html  # absent grades are not offered
    assert 'id="tw-search-input"' in html and "new vis.DataView(" in html
    data = extract_data(html)
    labels = sorted(n["search_label"] for n in data["nodes"])
    assert "São Paulo (city, Brazil)" in labels and "São Paulo (province, Brazil)" in labels
    assert len(set(labels)) == len(labels)


def test_sizes_are_finite_numbers():
    data = extract_data(network_html(sample_graph()))
    assert all(math.isfinite(n["size"]) and n["size"] > 0 for n in data["nodes"])


# --- place and time filters -------------------------------------------------------------


def test_edges_carry_filter_facets():
    data = extract_data(network_html(sample_graph()))
    assert edge_by_agreement(data, "a1")["facets"] == [
        {"kind": "sister", "evidence": "official", "year": 2004, "country": "BR",
         "regions": ["china:East", "lac:Brazil"]}
    ]
    # Hong Kong is in no NBS region: its own filter value.
    assert edge_by_agreement(data, "a3")["facets"] == [
        {"kind": "letter_of_intent", "evidence": "disputed", "year": None, "country": "MX",
         "regions": ["china:other", "lac:Mexico"]}
    ]


def test_country_region_and_year_filters_offered():
    html = network_html(sample_graph())
    for value, label, count in (("BR", "Brazil (BR)", 2), ("MX", "Mexico (MX)", 2)):
        assert (f'<input type="checkbox" data-filter="country" value="{value}" checked> {label} '
                f'<span class="tw-count">({count})</span>') in html
    for value, label, count in (("china:East", "China · East", 3), ("china:other", "China · no NBS region", 1),
                                ("lac:Brazil", "LAC · Brazil", 2), ("lac:Mexico", "LAC · Mexico", 2)):
        assert (f'<input type="checkbox" data-filter="region" value="{value}" checked> {label} '
                f'<span class="tw-count">({count})</span>') in html
    assert html.index('value="china:East"') < html.index('value="china:other"') < html.index('value="lac:Brazil"')
    assert '<input type="number" id="tw-year-from" step="1" min="2004" max="2015" value="2004">' in html
    assert '<input type="number" id="tw-year-to" step="1" min="2004" max="2015" value="2015">' in html
    assert 'min="2004" max="2015" value="2015">' in html.split('id="tw-asof"')[1]
    assert 'Include ties without a year <span class="tw-count">(1)</span>' in html
    assert extract_data(html)["years"] == {"min": 2004, "max": 2015, "dated": 3, "undated": 1}


def test_countries_sorted_by_name_ignoring_accents_and_unknown_last():
    g = nx.Graph()
    g.add_node("c", side="china", region="East")
    for code, name in (("PE", "Perú"), ("PA", "Panama"), ("EC", "Ecuador")):
        g.add_node(code, side="lac", country=code, country_name=name)
        g.add_edge("c", code)
    g.add_node("nowhere", side="lac")
    g.add_edge("c", "nowhere")
    g.add_node("lonely", side="lac", country="CU", country_name="Cuba")  # no tie: offered, count 0
    filters = payload.network_payload(g)["filters"]
    assert [(f["value"], f["count"]) for f in filters["country"]] == [
        ("CU", 0), ("EC", 1), ("PA", 1), ("PE", 1), ("?", 1)
    ]
    assert filters["country"][-1]["label"] == "Unknown country"
    lonely = node_by_key(payload.network_payload(g), "lonely")
    assert lonely["place"] == {"country": "CU", "region": "lac:other"}


def test_year_controls_disabled_without_years():
    g = nx.Graph()
    g.add_edge("a", "b", kind="sister")
    html = network_html(g)
    assert '<input type="number" id="tw-year-from" step="1" disabled>' in html
    assert '<button type="button" id="tw-play" disabled>' in html
    assert "No tie has a year." in html
    assert extract_data(html)["years"] == {"min": None, "max": None, "dated": 0, "undated": 1}


# --- levels: provinces and countries ------------------------------------------------------


def edge_between(data: dict, a: str, b: str) -> dict:
    ids = {n["key"]: n["id"] for n in data["nodes"]}
    (edge,) = [e for e in data["edges"] if {e["from"], e["to"]} == {ids[a], ids[b]}]
    return edge


def test_province_level_groups_agreements_with_their_sources():
    html = network_html(sample_graph(), level="province")
    data = extract_data(html)
    assert data["level"] == "province"
    assert sorted(n["key"] for n in data["nodes"]) == ["BR-SP", "CN-HK", "CN-JS", "MX-JAL"]
    js = node_by_key(data, "CN-JS")
    assert js["name"] == "Jiangsu" and js["shape"] == "diamond" and js["level"] == "province"
    rows = dict(js["tip"]["rows"])
    assert rows["Places"] == "Jiangsu, Suzhou"
    assert rows["Agreements"] == "3" and rows["Partners"] == "2"
    assert rows["Country"] == "China (CN)" and rows["Coastal"] == "yes"
    assert "suzhou" in [t.lower() for t in js["search"]]  # find a province by one of its places
    assert node_by_key(data, "MX-JAL")["name"] == "Jalisco"

    edge = edge_between(data, "CN-JS", "BR-SP")
    assert edge["count"] == 2 and edge["label"] == "2" and edge["kind"] == "mixed"
    assert edge["tip"]["title"] == "Jiangsu ↔ São Paulo"
    assert [i["id"] for i in edge["items"]] == ["a1", "a2"]  # by year
    assert [i["text"] for i in edge["items"]] == ["Jiangsu ↔ São Paulo", "Suzhou ↔ São Paulo"]
    assert edge["items"][0]["detail"] == "Sister city / province · 2004-05-17 · Official evidence"
    assert edge["items"][1]["detail"] == "Friendship · 2011 · Weak evidence · Ended"
    assert edge["items"][0]["link"] == {"href": "https://gov.example.org/a1?x=1&y=2", "text": "Jiangsu FAO notice"}
    assert [f["kind"] for f in edge["facets"]] == ["sister", "friendship"]
    assert {f["country"] for f in edge["facets"]} == {"BR"}
    assert not edge["dashes"]  # one of its agreements is well sourced
    single = edge_between(data, "CN-HK", "MX-JAL")
    assert single["count"] == 1 and single["label"] == "" and single["dashes"] == [3, 5]  # disputed only
    assert single["items"][0]["detail"] == "Letter of intent · no year · Disputed evidence · In process"
    # Width grows with the number of agreements: one is drawn as at place level.
    assert single["width"] == 1.5 and edge["width"] == 11.5
    assert data["width"] == {"base": 1.5, "span": 10.0, "most": 2}
    assert '<span id="tw-n-places">4</span> provinces' in html
    assert '<span id="tw-n-ties">3</span> linked pairs · <span id="tw-n-agreements">4</span> agreements shown' in html
    assert "Agreements of several kinds" in html and "width and number count them" in html


def test_country_level():
    html = network_html(sample_graph(), level="country")
    data = extract_data(html)
    keys = sorted(n["key"] for n in data["nodes"])
    assert keys == ["BR", "CN", "CN-HK", "MX"]  # Hong Kong carries no country here: it stands alone
    br = node_by_key(data, "BR")
    assert br["name"] == "Brazil" and br["shape"] == "square" and br["region"] == "Brazil"
    assert dict(br["tip"]["rows"])["Places"] == "São Paulo, São Paulo"
    assert "Country" not in dict(br["tip"]["rows"])
    assert edge_between(data, "CN", "BR")["count"] == 2
    assert edge_between(data, "CN", "MX")["count"] == 1
    assert '<span id="tw-n-places">4</span> countries' in html


def test_china_is_one_red_node_at_country_level():
    g = nx.Graph()
    g.add_node("CN-JS", side="china", region="East", country="CN", country_name="China")
    g.add_node("CN-SC", side="china", region="West", country="CN", country_name="China")
    g.add_node("AR-B", side="lac", region="Southern Cone", country="AR", country_name="Argentina")
    g.add_edges_from([("CN-JS", "AR-B"), ("CN-SC", "AR-B")], kind="sister")
    html = network_html(g, level="country")
    cn = node_by_key(extract_data(html), "CN")
    assert cn["region"] is None and cn["color"]["background"] == style.CHINA_COLOR
    assert '<span class="tw-swatch" style="background: #b71c1c"></span>China</div>' in html
    # Filters still see each party's own region.
    (edge,) = extract_data(html)["edges"]
    assert [f["regions"] for f in edge["facets"]] == [["china:East", "lac:Southern Cone"],
                                                      ["china:West", "lac:Southern Cone"]]


@pytest.mark.parametrize("level", ["province", "country"])
def test_grouped_weights_match_the_analysis_projections(loaded_store, level):
    import twinlac.analysis as analysis

    g = loaded_store.to_networkx()
    project = getattr(analysis, f"{level}_graph", None)
    if project is None:
        pytest.skip(f"twinlac.analysis has no {level}_graph")
    projected = project(g)
    data = extract_data(network_html(g, level=level))
    keys = {n["id"]: n["key"] for n in data["nodes"]}
    ours = {frozenset((keys[e["from"]], keys[e["to"]])): e["count"] for e in data["edges"]}
    theirs = {frozenset((a, b)): w for a, b, w in projected.edges(data="weight")}
    assert ours == theirs
    assert sum(ours.values()) == g.number_of_edges()
    assert {n["key"] for n in data["nodes"]} == set(projected)
    # Every agreement is listed once, with its id.
    ids = sorted(i["id"] for e in data["edges"] for i in e["items"])
    assert ids == sorted(d["id"] for *_, d in g.edges(data=True))


def test_grouped_filters_count_agreements():
    filters = payload.network_payload(sample_graph(), level="province")["filters"]
    assert {f["value"]: f["count"] for f in filters["kind"]} == {"sister": 2, "friendship": 1, "letter_of_intent": 1}
    assert {f["value"]: f["count"] for f in filters["country"]} == {"BR": 2, "MX": 2}


def test_grouped_multigraph_and_locality_fallback():
    g = nx.MultiGraph()
    g.add_node("CN-JS:a", side="china", province="CN-JS", province_name="Jiangsu")
    g.add_node("loose", name="No province", side="lac")
    g.add_edge("CN-JS:a", "loose", id="x1", kind="sister", year=2001)
    g.add_edge("CN-JS:a", "loose", id="x2", kind="sister", year=1999)
    data = extract_data(network_html(g, level="province"))
    assert sorted(n["key"] for n in data["nodes"]) == ["CN-JS", "loose"]
    assert node_by_key(data, "loose")["name"] == "No province"
    (edge,) = data["edges"]
    assert [i["id"] for i in edge["items"]] == ["x2", "x1"] and edge["kind"] == "sister"


def test_grouped_sources_and_hostile_items():
    g = hostile_graph()
    g.nodes["CN-X:img"]["province"] = "CN-X"
    g.nodes["BR-X:script"]["province"] = "BR-X"
    g.edges["CN-X:img", "BR-X:script"]["sources"] = [
        "https://ok.example.org/?q=</script><script>alert(2)</script>", "https://second.example.org/",
        "javascript:alert(4)",
    ]
    html = network_html(g, level="province")
    assert not re.search(r"[<>&]", data_block(html))
    assert external_references(html) == []
    (edge,) = extract_data(html)["edges"]
    (item,) = edge["items"]
    assert item["text"] == f"{IMG_NAME} ↔ {SCRIPT_NAME}"
    assert item["more_links"] == [{"href": "https://second.example.org/", "text": "https://second.example.org/"}]
    assert item["source"] == "<javascript:alert(4)>"


def test_more_sources_at_place_level():
    g = nx.Graph()
    g.add_edge("a", "b", source_url="https://one.example.org/", source_title="One",
               sources=["https://one.example.org/", "https://two.example.org/", "ftp://three.example.org/"])
    (edge,) = extract_data(network_html(g))["edges"]
    assert edge["tip"]["link"] == {"href": "https://one.example.org/", "text": "One"}
    assert edge["tip"]["more_links"] == [{"href": "https://two.example.org/", "text": "https://two.example.org/"}]
    assert ["Other sources", "<ftp://three.example.org/>"] in edge["tip"]["rows"]


def test_grouped_output_is_deterministic_and_order_independent():
    g1 = sample_graph()
    g2 = nx.Graph()
    g2.add_nodes_from(reversed(list(g1.nodes(data=True))))
    g2.add_edges_from(reversed([(v, u, d) for u, v, d in g1.edges(data=True)]))
    for level in ("province", "country"):
        assert network_html(g1, level=level) == network_html(g2, level=level)


# --- sizing ---------------------------------------------------------------------------------


def sizes_and_values(html: str) -> dict[str, tuple[float, float]]:
    return {n["key"]: (n["size"], n["size_value"]) for n in extract_data(html)["nodes"]}


def test_betweenness_sizes():
    g = nx.path_graph(["a", "b", "c", "d"])
    g.add_edge("b", "e")
    got = sizes_and_values(network_html(g, size_by="betweenness"))
    want = nx.betweenness_centrality(g)
    assert {k: v for k, (_, v) in got.items()} == pytest.approx(want)
    assert got["b"][0] == style.SIZE_MIN + style.SIZE_SPAN  # the broker is biggest
    assert got["a"][0] == style.SIZE_MIN  # leaves broker nothing
    assert got["c"][0] < got["b"][0]
    tip = dict(node_by_key(extract_data(network_html(g, size_by="betweenness")), "b")["tip"]["rows"])
    assert tip["Betweenness"] == f"{want['b']:.4g}"


def test_pagerank_matches_networkx_power_iteration():
    from networkx.algorithms.link_analysis import pagerank_alg

    g = nx.Graph()
    g.add_edges_from([("a", "x"), ("b", "x"), ("b", "y"), ("c", "y"), ("c", "z")])
    g.add_node("lonely")
    got = {k: v for k, (_, v) in sizes_and_values(network_html(g, size_by="pagerank")).items()}
    want = pagerank_alg._pagerank_python(g, alpha=0.85, tol=1e-12, max_iter=1000)
    assert got == pytest.approx(want, abs=1e-9)
    assert sum(got.values()) == pytest.approx(1.0)


def test_pagerank_weighs_agreements_at_province_level():
    g = nx.Graph()
    for i in range(3):
        g.add_node(f"CN-A:{i}", province="CN-A", side="china")
    g.add_node("CN-B:0", province="CN-B", side="china")
    g.add_node("AR-X:0", province="AR-X", side="lac")
    g.add_node("AR-Y:0", province="AR-Y", side="lac")
    g.add_edges_from([(f"CN-A:{i}", "AR-X:0") for i in range(3)] + [("CN-B:0", "AR-Y:0"), ("CN-B:0", "AR-X:0")])
    values = {k: v for k, (_, v) in sizes_and_values(network_html(g, size_by="pagerank", level="province")).items()}
    # AR-X has three agreements with CN-A and one with CN-B: weighted, CN-A outranks CN-B's other partner.
    assert values["AR-X"] > values["CN-A"] > values["AR-Y"]


def test_size_by_mapping():
    g = sample_graph()
    data = extract_data(network_html(g, size_by={"CN-JS": 4.0, "BR-SP": 1}))
    got = {n["key"]: n["size"] for n in data["nodes"]}
    assert got["CN-JS"] == style.SIZE_MIN + style.SIZE_SPAN
    assert got["BR-SP"] == pytest.approx(style.SIZE_MIN + style.SIZE_SPAN * 0.5)
    assert got["CN-HK"] == style.SIZE_MIN  # missing from the mapping: 0
    assert dict(node_by_key(data, "CN-JS")["tip"]["rows"])["Size value"] == "4"
    assert "Node size follows the values given." in network_html(g, size_by={"CN-JS": 1})
    # Keys are the drawn nodes: province ids at province level.
    prov = extract_data(network_html(g, level="province", size_by={"CN-JS": 2.0}))
    assert node_by_key(prov, "CN-JS")["size"] == style.SIZE_MIN + style.SIZE_SPAN
    assert {n["size"] for n in extract_data(network_html(g, size_by={}))["nodes"]} == {style.SIZE_MIN}


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "big", None])
def test_size_by_mapping_rejects_bad_values(bad):
    with pytest.raises(ValueError, match=r"size_by\['CN-JS'\] must be a finite number >= 0"):
        network_html(sample_graph(), size_by={"CN-JS": bad})


@pytest.mark.parametrize("size_by", ["degree", "weighted", "betweenness", "pagerank"])
@pytest.mark.parametrize("level", ["locality", "province", "country"])
def test_every_size_and_level_renders(size_by, level):
    g = sample_graph()
    data = extract_data(network_html(g, size_by=size_by, level=level))
    assert all(math.isfinite(n["size"]) and n["size"] >= style.SIZE_MIN for n in data["nodes"])
    assert sum(len(e["facets"]) for e in data["edges"]) == g.number_of_edges()
    html = network_html(nx.Graph(), size_by=size_by, level=level)
    assert extract_data(html)["nodes"] == []
