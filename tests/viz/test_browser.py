"""The network page in a real browser (headless Debian Chromium via Playwright).

Skipped, with the reason, when the playwright package or Chromium is missing;
see tests/viz/browser.py. Every page is opened fully offline: any request other
than the page itself is aborted and fails the test.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pytest

import twinlac
from twinlac.viz import map_html, network_html

from .browser import page_server

IMG_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = '"><script>window.__pwned=1</script>'


pytestmark = pytest.mark.slow

# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """One browser and one local server for the whole module."""
    with page_server(tmp_path_factory.mktemp("pages")) as server:
        yield server


@pytest.fixture(scope="module")
def real_graph(loaded_db) -> nx.Graph:
    with twinlac.open(loaded_db, read_only=True) as store:
        return store.to_networkx()


@pytest.fixture(scope="module")
def real_page_html(real_graph) -> str:
    return network_html(real_graph, title="Browser test")


# --- helpers ----------------------------------------------------------------------------


def counts(probe) -> dict:
    return probe.js("window.twinlacNetwork.counts()")


def header_counts(probe) -> dict:
    return {
        "places": int(probe.page.text_content("#tw-n-places")),
        "ties": int(probe.page.text_content("#tw-n-ties")),
    }


def expected(graph: nx.Graph, keep=lambda u, v, d: True) -> dict:
    """Counts the page should show when only the ties for which keep(u, v, data) is true pass.

    A place is shown while it keeps a tie (the real graph has no place without one).
    """
    kept = [(u, v) for u, v, d in graph.edges(data=True) if keep(u, v, d)]
    places = {n for edge in kept for n in edge} | {n for n in graph if graph.degree(n) == 0}
    return {"places": len(places), "ties": len(kept), "agreements": len(kept)}


def lac_country(graph: nx.Graph, u, v) -> str:
    (party,) = [n for n in (u, v) if graph.nodes[n]["side"] == "lac"]
    return graph.nodes[party]["country"]


def china_region(graph: nx.Graph, u, v):
    (party,) = [n for n in (u, v) if graph.nodes[n]["side"] == "china"]
    return graph.nodes[party]["region"]


def assert_counts(probe, want: dict) -> None:
    assert counts(probe) == want
    assert header_counts(probe) == {"places": want["places"], "ties": want["ties"]}
    assert probe.js("window.twinlacNetwork.drawn()") == {"places": want["places"], "ties": want["ties"]}


def node_dom_point(probe, vis_id: int) -> tuple[float, float]:
    """Page coordinates of a node's centre."""
    return tuple(probe.js(
        """(id) => {
            const net = window.twinlacNetwork.network;
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.querySelector('#tw-network canvas').getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        vis_id,
    ))


def edge_dom_point(probe, vis_id: int) -> tuple[float, float] | None:
    """Page coordinates of a point on a drawn (possibly curved) edge where a click (or a pointer a
    few pixels off) hits that edge alone, or None where other lines or nodes cover all of it (dense
    province graphs, lines crossing near a hub)."""
    point = probe.js(
        """(id) => {
            const net = window.twinlacNetwork.network;
            const box = document.querySelector('#tw-network canvas').getBoundingClientRect();
            const at = (t) => net.canvasToDOM(net.body.edges[id].edgeType.getPoint(t));  // vis internals
            // No other line may pass within 12 px of the pointer: the tooltip takes whichever line
            // passes within its hover width, not the nearest.
            const ring = [[1, 0], [-1, 0], [0, 1], [0, -1], [0.7, 0.7], [-0.7, 0.7], [0.7, -0.7], [-0.7, -0.7]];
            const near = (p) => [].concat(...[6, 12].map((r) => ring.map(([dx, dy]) => ({x: p.x + r * dx, y: p.y + r * dy}))));
            const alone = (q) => [id, undefined].includes(net.getEdgeAt(q));
            const hits = (p) => net.getNodeAt(p) === undefined && net.getEdgeAt(p) === id && near(p).every(alone);
            const steps = [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75, 0.2, 0.8, 0.15, 0.85, 0.9, 0.1];
            const p = steps.map(at).find(hits);
            return p ? [box.left + p.x, box.top + p.y] : null;
        }""",
        vis_id,
    )
    return tuple(point) if point else None


def select_edge(probe, vis_id: int) -> None:
    """Select a drawn edge through the network's own click event (what vis-network emits for a
    click on it). In the dense province graph a mouse click can land on a crossing line, so
    tests of what the panel says for one line use this; mouse clicks are tested on sparse graphs."""
    probe.js("(id) => window.twinlacNetwork.network.emit('click', {nodes: [], edges: [id]})", vis_id)


def vis_id_of(probe, key: str) -> int:
    return probe.js("(key) => window.twinlacNetwork.nodes.get({filter: n => n.key === key})[0].id", key)


# --- the real graph ---------------------------------------------------------------------


def test_real_network_renders_every_place_and_tie(pages, real_graph, real_page_html):
    with pages.open(real_page_html) as probe:
        n_nodes, n_edges = real_graph.number_of_nodes(), real_graph.number_of_edges()
        assert_counts(probe, {"places": n_nodes, "ties": n_edges, "agreements": n_edges})
        assert probe.js("document.querySelectorAll('#tw-network canvas').length") == 1
        shot = probe.screenshot("network.png")
        assert shot.stat().st_size > 10_000
        probe.assert_clean()


@pytest.mark.parametrize("facet", ["kind", "evidence"])
def test_unticking_a_filter_hides_its_ties(pages, real_graph, real_page_html, facet):
    values = Counter(d[facet] for _, _, d in real_graph.edges(data=True))
    assert len(values) >= 2
    total = real_graph.number_of_edges()
    with pages.open(real_page_html) as probe:
        unticked: set[str] = set()
        for value, n in sorted(values.items()):
            probe.page.uncheck(f'input[data-filter="{facet}"][value="{value}"]')
            unticked.add(value)
            want = expected(real_graph, lambda u, v, d: d[facet] not in unticked)
            assert want["ties"] == total - sum(values[v] for v in unticked)
            assert_counts(probe, want)
        assert counts(probe)["ties"] == 0
        for value in values:
            probe.page.check(f'input[data-filter="{facet}"][value="{value}"]')
        assert_counts(probe, expected(real_graph))
        probe.assert_clean()


def test_search_finds_a_place_ignoring_case_and_accents(pages, real_graph, real_page_html):
    names = Counter(d["name"] for _, d in real_graph.nodes(data=True))
    key = "AR-B:bahia-blanca"
    assert real_graph.nodes[key]["name"] == "Bahía Blanca" and names["Bahía Blanca"] == 1
    with pages.open(real_page_html) as probe:
        probe.page.fill("#tw-search-input", "BAHIA blanca")
        probe.page.click("#tw-search button")
        selected = probe.js("window.twinlacNetwork.network.getSelectedNodes()")
        assert selected == [vis_id_of(probe, key)]
        assert probe.page.text_content("#tw-details .tw-card-title") == "Bahía Blanca"
        assert probe.page.text_content("#tw-status") == ""
        probe.page.fill("#tw-search-input", "Atlantis")
        probe.page.click("#tw-search button")
        assert "No place matches" in probe.page.text_content("#tw-status")
        probe.assert_clean()


def test_physics_toggle(pages, real_graph, real_page_html):
    with pages.open(real_page_html) as probe:
        physics = "window.twinlacNetwork.network.physics.options.enabled"
        before = probe.js(physics)
        probe.page.click("#tw-physics")
        assert probe.js(physics) is (not before)
        assert probe.page.is_checked("#tw-physics") is (not before)
        probe.page.click("#tw-physics")
        assert probe.js(physics) is before
        probe.assert_clean()


# --- step 2: place and time filters --------------------------------------------------------


def test_country_filter(pages, real_graph, real_page_html):
    by_country = Counter(lac_country(real_graph, u, v) for u, v in real_graph.edges())
    with pages.open(real_page_html) as probe:
        offered = probe.js("""Array.from(document.querySelectorAll('input[data-filter="country"]'))
                              .map(b => b.value)""")
        assert sorted(offered) == sorted(by_country)
        probe.page.uncheck('input[data-filter="country"][value="BR"]')
        assert_counts(probe, expected(real_graph, lambda u, v, d: lac_country(real_graph, u, v) != "BR"))
        # "None", then one country: only its ties remain.
        probe.page.click('button[data-none="country"]')
        assert_counts(probe, expected(real_graph, lambda u, v, d: False))
        for code in ("AR", "CL"):
            probe.page.check(f'input[data-filter="country"][value="{code}"]')
        want = expected(real_graph, lambda u, v, d: lac_country(real_graph, u, v) in {"AR", "CL"})
        assert want["ties"] == by_country["AR"] + by_country["CL"]
        assert_counts(probe, want)
        probe.page.click('button[data-all="country"]')
        assert_counts(probe, expected(real_graph))
        probe.assert_clean()


def test_region_filter(pages, real_graph, real_page_html):
    with pages.open(real_page_html) as probe:
        probe.page.uncheck('input[data-filter="region"][value="china:East"]')
        assert_counts(probe, expected(real_graph, lambda u, v, d: china_region(real_graph, u, v) != "East"))
        probe.page.uncheck('input[data-filter="region"][value="lac:Brazil"]')
        assert_counts(probe, expected(
            real_graph,
            lambda u, v, d: china_region(real_graph, u, v) != "East" and lac_country(real_graph, u, v) != "BR",
        ))
        # Hong Kong and Macau have no NBS region: their own checkbox.
        probe.page.click("#tw-reset")
        probe.page.uncheck('input[data-filter="region"][value="china:other"]')
        assert_counts(probe, expected(real_graph, lambda u, v, d: china_region(real_graph, u, v) is not None))
        probe.assert_clean()


def test_year_range_and_undated_ties(pages, real_graph, real_page_html):
    years = [d["year"] for *_, d in real_graph.edges(data=True) if d["year"] is not None]
    with pages.open(real_page_html) as probe:
        page = probe.page
        assert int(page.input_value("#tw-year-from")) == min(years)
        assert int(page.input_value("#tw-year-to")) == max(years)
        page.fill("#tw-year-from", "2000")
        page.fill("#tw-year-to", "2010")
        assert_counts(probe, expected(real_graph, lambda u, v, d: d["year"] is None or 2000 <= d["year"] <= 2010))
        page.uncheck("#tw-undated")
        want = expected(real_graph, lambda u, v, d: d["year"] is not None and 2000 <= d["year"] <= 2010)
        assert 0 < want["ties"] < len(years)
        assert_counts(probe, want)
        page.fill("#tw-year-from", "")  # an empty bound is no bound
        assert_counts(probe, expected(real_graph, lambda u, v, d: d["year"] is not None and d["year"] <= 2010))
        page.check("#tw-undated")
        page.fill("#tw-year-to", str(min(years) - 1))
        assert_counts(probe, expected(real_graph, lambda u, v, d: d["year"] is None))
        probe.page.click("#tw-reset")
        assert_counts(probe, expected(real_graph))
        probe.assert_clean()


def test_as_of_slider_matches_the_store(pages, loaded_db, real_graph, real_page_html):
    years = sorted({d["year"] for *_, d in real_graph.edges(data=True) if d["year"] is not None})
    with pages.open(real_page_html) as probe, twinlac.open(loaded_db, read_only=True) as store:
        page = probe.page
        assert int(page.input_value("#tw-asof")) == years[-1]
        page.uncheck("#tw-undated")  # the store's as_of leaves out ties without a year
        for year in (years[0], 2005, 2015, years[-1]):
            page.fill("#tw-asof", str(year))
            assert page.text_content("#tw-asof-value") == str(year)
            as_of = store.to_networkx(as_of=year)
            want = {"places": as_of.number_of_nodes(), "ties": as_of.number_of_edges(),
                    "agreements": as_of.number_of_edges()}
            assert want == expected(real_graph, lambda u, v, d, y=year: d["year"] is not None and d["year"] <= y)
            assert_counts(probe, want)
        # Play starts from the first year; clicking again pauses.
        page.click("#tw-play")
        assert page.text_content("#tw-play") == "Pause"
        page.click("#tw-play")
        assert page.text_content("#tw-play") == "Play"
        year = int(page.input_value("#tw-asof"))
        assert years[0] <= year < years[-1]
        assert_counts(probe, expected(real_graph, lambda u, v, d: d["year"] is not None and d["year"] <= year))
        probe.assert_clean()


def test_filters_combine(pages, real_graph, real_page_html):
    def keep(u, v, d):
        return (d["kind"] == "sister" and d["evidence"] in {"official", "press"}
                and lac_country(real_graph, u, v) != "MX" and (d["year"] is None or d["year"] <= 2012))

    with pages.open(real_page_html) as probe:
        page = probe.page
        for kind in ("friendship", "letter_of_intent"):
            page.uncheck(f'input[data-filter="kind"][value="{kind}"]')
        for grade in ("wikipedia", "weak", "disputed"):
            page.uncheck(f'input[data-filter="evidence"][value="{grade}"]')
        page.uncheck('input[data-filter="country"][value="MX"]')
        page.fill("#tw-asof", "2012")
        assert_counts(probe, expected(real_graph, keep))
        # A place hidden by the filters is found, but reported as hidden.
        hidden = next(n for n in real_graph if real_graph.nodes[n]["country"] == "MX")
        page.fill("#tw-search-input", hidden)
        page.click("#tw-search button")
        assert "hidden by the current filters" in page.text_content("#tw-status")
        probe.screenshot("network-filtered.png")
        probe.assert_clean()


# --- step 3: provinces and countries ----------------------------------------------------------


def grouped_expected(graph: nx.Graph, level: str, keep=lambda u, v, d: True) -> tuple[dict, Counter]:
    """Counts at province or country level, and agreements per pair of groups, computed here."""
    group_of = {n: (d.get(level) or n) for n, d in graph.nodes(data=True)}
    pairs: Counter = Counter()
    for u, v, d in graph.edges(data=True):
        if keep(u, v, d):
            pairs[frozenset((group_of[u], group_of[v]))] += 1
    places = {g for pair in pairs for g in pair}
    return {"places": len(places), "ties": len(pairs), "agreements": sum(pairs.values())}, pairs


def grouped_counts_by_pair(probe) -> Counter:
    """Agreements per drawn line, read back from the page (width aside)."""
    pairs = probe.js("""() => {
        const t = window.twinlacNetwork;
        return t.edgesView.get().map(e => [t.nodes.get(e.from).key, t.nodes.get(e.to).key, e.id]);
    }""")
    shown = probe.js("() => window.twinlacNetwork.shownCounts()")
    return Counter({frozenset((a, b)): shown[str(i)] for a, b, i in pairs})


def assert_grouped_counts(probe, want: dict) -> None:
    assert counts(probe) == want
    assert header_counts(probe) == {"places": want["places"], "ties": want["ties"]}
    assert int(probe.page.text_content("#tw-n-agreements")) == want["agreements"]
    assert probe.js("window.twinlacNetwork.drawn()") == {"places": want["places"], "ties": want["ties"]}


@pytest.fixture(scope="module")
def grouped_html(real_graph) -> dict[str, str]:
    return {level: network_html(real_graph, level=level, size_by="pagerank") for level in ("province", "country")}


@pytest.mark.parametrize("level", ["province", "country"])
def test_grouped_levels_render(pages, real_graph, grouped_html, level):
    want, pairs = grouped_expected(real_graph, level)
    assert want["agreements"] == real_graph.number_of_edges()
    with pages.open(grouped_html[level]) as probe:
        assert probe.js("window.twinlacNetwork.level") == level
        assert_grouped_counts(probe, want)
        assert grouped_counts_by_pair(probe) == pairs
        noun = {"province": "provinces", "country": "countries"}[level]
        assert f"{want['places']} {noun}" in probe.page.text_content("#tw-counts")
        probe.screenshot(f"network-{level}.png")
        probe.assert_clean()


def test_grouped_lines_follow_the_filters(pages, loaded_db, real_graph, grouped_html):
    import twinlac.analysis as analysis

    _, all_pairs = grouped_expected(real_graph, "province")
    most = max(all_pairs.values())
    with pages.open(grouped_html["province"]) as probe, twinlac.open(loaded_db, read_only=True) as store:
        page = probe.page
        page.uncheck('input[data-filter="kind"][value="friendship"]')
        want, pairs = grouped_expected(real_graph, "province", lambda u, v, d: d["kind"] != "friendship")
        assert_grouped_counts(probe, want)
        assert grouped_counts_by_pair(probe) == pairs
        # A line that lost some agreements is redrawn thinner and says so.
        pair = max((p for p in pairs if pairs[p] < all_pairs[p]), key=lambda p: (pairs[p], sorted(p)))
        a, b = sorted(pair)
        edge = probe.js("""([a, b]) => {
            const t = window.twinlacNetwork;
            const ids = t.nodes.get({filter: n => n.key === a || n.key === b}).map(n => n.id);
            return t.edges.get({filter: e => ids.includes(e.from) && ids.includes(e.to)})[0];
        }""", [a, b])
        n = pairs[pair]
        assert edge["width"] == pytest.approx(1.5 + 10.0 * ((n - 1) / (most - 1)) ** 0.5, abs=1e-3)
        assert edge["label"] == (str(n) if n > 1 else "")
        select_edge(probe, edge["id"])
        details = page.text_content("#tw-details")
        assert f"{n} of {all_pairs[pair]} (the others are hidden by the filters)" in details
        assert probe.js("document.querySelectorAll('#tw-details li').length") == n

        # As of a year, without undated ties: the same lines as the store's own as_of graph.
        page.click("#tw-reset")
        page.uncheck("#tw-undated")
        page.fill("#tw-asof", "2010")
        projected = analysis.province_graph(store.to_networkx(as_of=2010))
        want = {"places": projected.number_of_nodes(), "ties": projected.number_of_edges(),
                "agreements": int(projected.size(weight="weight"))}
        assert_grouped_counts(probe, want)
        assert grouped_counts_by_pair(probe) == Counter(
            {frozenset((x, y)): w for x, y, w in projected.edges(data="weight")})
        probe.assert_clean()


def test_grouped_tooltip_lists_agreements_with_sources(pages, real_graph, grouped_html):
    _, pairs = grouped_expected(real_graph, "country")
    n = pairs[frozenset(("CN", "BR"))]
    assert n > 10
    with pages.open(grouped_html["country"]) as probe:
        page = probe.page
        probe.js("window.twinlacNetwork.network.setOptions({physics: {enabled: false}})")
        edge_id = probe.js("""() => {
            const t = window.twinlacNetwork;
            const ids = t.nodes.get({filter: n => n.key === "CN" || n.key === "BR"}).map(n => n.id);
            return t.edges.get({filter: e => ids.includes(e.from) && ids.includes(e.to)})[0].id;
        }""")
        x, y = edge_dom_point(probe, edge_id)
        # Come in from an empty corner of the canvas, so no other line is hovered on the way.
        box = page.locator("#tw-network canvas").bounding_box()
        page.mouse.move(box["x"] + 2, box["y"] + 2)
        page.mouse.move(x, y, steps=4)
        probe.wait_for("() => { const t = document.querySelector('div.vis-tooltip');"
                       " return t && t.style.visibility !== 'hidden' && t.textContent.includes('Brazil'); }")
        tooltip = page.text_content("div.vis-tooltip")
        assert "China ↔ Brazil" in tooltip and f"Agreements{n}" in tooltip
        assert probe.js("document.querySelectorAll('div.vis-tooltip li').length") == 10
        assert f"and {n - 10} more" in tooltip
        page.mouse.click(x, y)
        assert probe.js("document.querySelectorAll('#tw-details li').length") == n
        hrefs = probe.js("Array.from(document.querySelectorAll('#tw-details a')).map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs)
        urls = {d["source_url"] for u, v, d in real_graph.edges(data=True)
                if {real_graph.nodes[u]["country"], real_graph.nodes[v]["country"]} == {"CN", "BR"}}
        assert set(hrefs) >= {u for u in urls if u and u.startswith("http")}
        probe.assert_clean()


# --- hostile data -------------------------------------------------------------------------


def hostile_graph() -> nx.Graph:
    g = nx.Graph()
    g.add_node("CN-X:img", name=IMG_NAME, side="china", region="East", level="city")
    g.add_node("BR-X:script", name=SCRIPT_NAME, side="lac", region="Brazil", level="city", country="BR")
    g.add_edge("CN-X:img", "BR-X:script", id="evil", kind="sister", year=2001, evidence="official",
               source_url="javascript:alert(1)", source_title=IMG_NAME)
    return g


@pytest.mark.parametrize("level", ["locality", "province"])
def test_hostile_names_do_not_run_in_the_browser(pages, level):
    html = network_html(hostile_graph(), title=SCRIPT_NAME, level=level)
    with pages.open(html) as probe:
        page = probe.page
        no_script_ran = """() => window.__pwned === undefined
            && document.querySelectorAll('img[src="x"], img').length === 0
            && document.querySelectorAll('a[href^="javascript" i]').length === 0"""
        assert probe.js(no_script_ran)
        assert page.title() == SCRIPT_NAME
        assert page.text_content("#tw-header h1") == SCRIPT_NAME

        # Hover each node: the tooltip shows the raw name as text.
        probe.js("window.twinlacNetwork.network.setOptions({physics: {enabled: false}})")
        for key, name in (("CN-X:img", IMG_NAME), ("BR-X:script", SCRIPT_NAME)):
            x, y = node_dom_point(probe, vis_id_of(probe, key))
            page.mouse.move(x - 40, y - 40)
            page.mouse.move(x, y)
            probe.wait_for(
                "(name) => { const t = document.querySelector('div.vis-tooltip');"
                " return t && t.style.visibility !== 'hidden' && t.textContent.includes(name); }",
                name, timeout=5,
            )
            assert page.text_content("div.vis-tooltip .tw-card-title") == name
            # Click: the details panel shows it too.
            page.mouse.click(x, y)
            assert page.text_content("#tw-details .tw-card-title") == name
            assert probe.js(no_script_ran)

        # The tie: its javascript: source is text, never a link.
        page.mouse.click(*edge_dom_point(probe, 0))
        details = page.text_content("#tw-details")
        assert "javascript:alert(1)" in details and IMG_NAME in details
        assert probe.js("document.querySelectorAll('#tw-details a').length") == 0
        assert probe.js(no_script_ran)
        probe.assert_clean()


# --- step 4: the world map ------------------------------------------------------------------

MAP_READY = "window.twinlacMap && window.twinlacMap.ready"


def map_graph() -> nx.Graph:
    from .test_map import located_graph

    g = located_graph()
    g.add_node("X:img", name=IMG_NAME, side="china", region="East", lat=30.0, lon=110.0)
    g.add_node("X:script", name=SCRIPT_NAME, side="lac", region="Andean", country="PE", lat=-5.0, lon=-80.0)
    g.add_edge("X:img", "X:script", id="evil", kind="sister", evidence="official",
               source_url="javascript:alert(1)", source_title=IMG_NAME)
    return g


def map_counts(probe) -> dict:
    return probe.js("window.twinlacMap.counts()")


def test_map_renders_offline(pages):
    g = map_graph()
    with pages.open(map_html(g, title="Map test"), ready=MAP_READY) as probe:
        page = probe.page
        assert map_counts(probe) == {"places": 6, "ties": 4, "missing": 2, "undrawn": 2}
        assert probe.js("document.querySelectorAll('#tw-places circle').length") == 6
        assert probe.js("document.querySelectorAll('#tw-ties path').length") == 4
        assert probe.js("document.querySelectorAll('#tw-land path').length") >= 1
        # Beijing, 116.4°E, sits 266.4° east of the central meridian (150°W): x = -93.6.
        bj = probe.js("""() => { const c = Array.from(document.querySelectorAll('#tw-places circle'))
                                   .find(c => Math.abs(+c.getAttribute('cy') + 39.9) < 1e-9);
                                 return [+c.getAttribute('cx'), +c.getAttribute('cy')]; }""")
        assert bj == pytest.approx([-93.6, -39.9])
        missing = page.text_content("#tw-missing")
        assert "Guadalajara" in missing and "Santiago" in missing
        # Kind filter: friendship (t2) hidden; Suzhou keeps other ties.
        page.uncheck('input[data-filter="kind"][value="friendship"]')
        assert map_counts(probe)["ties"] == 3
        page.uncheck('input[data-filter="kind"][value="sister"]')
        # Left: t5 (letter of intent, Suzhou–Lima); Beijing and São Paulo lose every drawn tie.
        assert map_counts(probe) == {"places": 2, "ties": 1, "missing": 2, "undrawn": 2}
        page.check('input[data-filter="kind"][value="sister"]')
        page.check('input[data-filter="kind"][value="friendship"]')
        # Zoom in and back.
        width = probe.js("window.twinlacMap.view().w")
        page.click("#tw-zoom-in")
        assert probe.js("window.twinlacMap.view().w") == pytest.approx(width / 1.5)
        page.click("#tw-zoom-reset")
        assert probe.js("window.twinlacMap.view().w") == pytest.approx(width)
        probe.screenshot("map.png")
        probe.assert_clean()


def test_map_hostile_names_do_not_run(pages):
    with pages.open(map_html(map_graph(), title=SCRIPT_NAME), ready=MAP_READY) as probe:
        page = probe.page
        no_script_ran = """() => window.__pwned === undefined
            && document.querySelectorAll('img').length === 0
            && document.querySelectorAll('a[href^="javascript" i]').length === 0"""
        assert probe.js(no_script_ran)
        assert page.title() == SCRIPT_NAME
        circle = page.locator("#tw-places circle").nth(
            probe.js("""() => Array.from(document.querySelectorAll('#tw-places circle'))
                         .findIndex(c => +c.getAttribute('cy') === -30)"""))
        circle.hover()
        assert page.text_content("#tw-tip .tw-card-title") == IMG_NAME
        circle.click()
        assert page.text_content("#tw-details .tw-card-title") == IMG_NAME
        x, y = probe.js("""() => {
            const i = JSON.parse(document.getElementById('tw-data').textContent)
                .ties.findIndex(t => t.agreement_id === 'evil');
            const path = document.querySelectorAll('#tw-ties path')[i];
            const p = path.getPointAtLength(path.getTotalLength() / 2), m = path.getScreenCTM();
            return [p.x * m.a + p.y * m.c + m.e, p.x * m.b + p.y * m.d + m.f];
        }""")
        page.mouse.click(x, y)
        details = page.text_content("#tw-details")
        assert "javascript:alert(1)" in details and IMG_NAME in details and SCRIPT_NAME in details
        assert probe.js("document.querySelectorAll('#tw-details a').length") == 0
        assert probe.js(no_script_ran)
        probe.assert_clean()


def test_map_of_the_real_graph_lists_places_without_coordinates(pages, real_graph):
    located = sum(1 for _, d in real_graph.nodes(data=True) if d.get("lat") is not None)
    with pages.open(map_html(real_graph), ready=MAP_READY) as probe:
        got = map_counts(probe)
        assert got["missing"] == real_graph.number_of_nodes() - located
        assert got["places"] == located
        assert probe.js("document.querySelectorAll('#tw-missing li').length") == got["missing"]
        assert got["ties"] + got["undrawn"] == real_graph.number_of_edges()
        probe.screenshot("map-real.png")
        probe.assert_clean()
