"""Tests of the offline interactive network page (twinlac.viz.network)."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest

from twinlac.viz import network as netmod
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


def test_weighted_size_equals_degree_for_now():
    g = sample_graph()
    assert network_html(g, size_by="weighted") == network_html(g, size_by="degree")


def test_unknown_size_by_raises(tmp_path):
    with pytest.raises(ValueError, match=r"size_by must be one of 'degree', 'weighted'; got 'betweenness'"):
        network_html(sample_graph(), size_by="betweenness")
    out = tmp_path / "x" / "net.html"
    with pytest.raises(ValueError, match="size_by"):
        write_network_html(sample_graph(), out, size_by="pagerank")
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
    n = netmod.LAYOUT_NODE_THRESHOLD + 20
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
    assert len(g) > netmod.LAYOUT_NODE_THRESHOLD
    pos = positions(network_html(g))
    pts = sorted(pos.values())
    closest = min(math.dist(a, b) for i, a in enumerate(pts) for b in pts[i + 1:i + 40])
    assert closest > 15  # no two places stacked on each other
    # A dyad's partners sit next to each other, far closer than to other dyads.
    assert math.dist(pos["CN-000"], pos["LAC-000"]) < math.dist(pos["CN-000"], pos["CN-001"])


def test_layout_falls_back_to_dense_solver_without_scipy(monkeypatch):
    # spring_layout needs scipy from 500 nodes; scipy is not a dependency.
    def no_scipy(*args, **kwargs):
        raise ImportError("No module named 'scipy'")

    g = dyads_and_star(n_dyads=10, n_leaves=320)
    monkeypatch.setattr(netmod.nx, "spring_layout", no_scipy)
    html = network_html(g)
    pos = positions(html)
    assert len(pos) == len(g)
    leaves = [pos[f"LAC-LEAF-{i:02d}"] for i in range(320)]
    hub = pos["CN-HUB"]
    assert all(math.dist(hub, leaf) > 20 for leaf in leaves)
    assert network_html(g) == html


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
