"""Hostile names loaded into a store, then the network page, the map and the report written by the
command line and opened in Chromium: nothing from the data runs (no script, no handler, no
dialog), and every name reads as the text it is."""

from __future__ import annotations

import pytest

from ..conftest import GOOD_ROW, write_rows
from ..viz.browser import page_server
from ..viz.test_browser import MAP_READY, node_dom_point, vis_id_of
from ..viz.test_report import network_frame
from .conftest import run

pytestmark = pytest.mark.slow  # a browser, three pages and a report's charts

HOSTILE = [
    "</script><script>window.__pwned=1;alert(1)</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "'; window.__pwned=1; var x='",
    "<svg onload=window.__pwned=1>Svg",
    "{{constructor.constructor('window.__pwned=1')()}}",
    "\u202eRTL override\u202c town",
    "Zero\u200bwidth\u200dville",
    "\U0001f3d9\ufe0f Emoji \U0001f389 city",
    "Ｆｕｌｌwidth & <b>bold</b>",
]
# The node is first moved to the middle of the view: one drawn near an edge of the frame could
# lie under its border, and the click would then select nothing.
NODE_POINT = """(key) => {
    const net = window.twinlacNetwork.network;
    const id = window.twinlacNetwork.nodes.get({filter: n => n.key === key})[0].id;
    net.focus(id, {scale: net.getScale(), animation: false});
    const p = net.canvasToDOM(net.getPositions([id])[id]);
    const box = document.querySelector('#tw-network canvas').getBoundingClientRect();
    return [box.left + p.x, box.top + p.y];
}"""
TRAP = "() => window.__pwned === undefined"
NO_MARKUP = """() => document.querySelectorAll(
        'img:not(main img), svg[onload], b, iframe:not(.tw-network), object').length === 0
    && document.querySelectorAll('a[href^="javascript" i]').length === 0"""


@pytest.fixture(scope="module")
def hostile_files(tmp_path_factory):
    """A store of ties between the hostile names (each both as a Chinese and a Latin American
    place), and the three pages the command line writes from it."""
    folder = tmp_path_factory.mktemp("hostile-pages")
    rows = []
    for i, name in enumerate(HOSTILE):
        other = HOSTILE[(i + 1) % len(HOSTILE)]
        rows.append({**GOOD_ROW, "cn_name": name, "cn_name_zh": "", "lac_name": other,
                     "source_url": f"https://example.org/{i}", "source_title": name, "notes": other})
    db = folder / "hostile.lbdb"
    result = run("load", write_rows(folder / "hostile.csv", rows), "--db", db, "-q")
    assert result.exit_code == 0, result.output
    pages = {}
    for command, extra in (("viz", ["--level", "place"]), ("map", []), ("report", ["--network-level", "place"])):
        out = folder / f"{command}.html"
        result = run(command, "--db", db, "-o", out, *extra)
        assert result.exit_code == 0, result.output
        pages[command] = out.read_text(encoding="utf-8")
    return pages


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    with page_server(tmp_path_factory.mktemp("hostile-served")) as server:
        yield server


def test_the_network_page_runs_nothing_and_shows_each_name_as_text(pages, hostile_files):
    with pages.open(hostile_files["viz"]) as probe:
        assert probe.js(TRAP) and probe.js(NO_MARKUP)
        labels = probe.js("window.twinlacNetwork.nodes.get().map(n => n.label)")
        assert sorted(labels) == sorted(HOSTILE * 2)  # each name a Chinese and a Latin American place
        probe.js("window.twinlacNetwork.network.setOptions({physics: {enabled: false}})")
        page = probe.page
        for node in probe.js("window.twinlacNetwork.nodes.get().map(n => [n.key, n.label])"):
            key, name = node
            x, y = node_dom_point(probe, vis_id_of(probe, key))
            page.mouse.move(x - 60, y - 60)
            page.mouse.move(x, y)
            probe.wait_for(
                "(name) => { const t = document.querySelector('div.vis-tooltip');"
                " return t && t.style.visibility !== 'hidden' && t.textContent.includes(name); }",
                name, timeout=5,
            )
            page.mouse.click(x, y)
            assert page.text_content("#tw-details .tw-card-title") == name
            assert probe.js(TRAP) and probe.js(NO_MARKUP)
        probe.assert_clean()


def test_the_map_runs_nothing_and_lists_each_name_as_text(pages, hostile_files):
    with pages.open(hostile_files["map"], ready=MAP_READY) as probe:
        assert probe.js(TRAP) and probe.js(NO_MARKUP)
        text = probe.js("document.body.innerText")
        shown = probe.js("Array.from(document.querySelectorAll('#tw-missing li, #tw-places title'))"
                         ".map(e => e.textContent).join('\\n')") + text
        for name in HOSTILE:
            assert name in shown, name
        probe.assert_clean()


def test_the_report_runs_nothing_and_shows_each_name_as_text(pages, hostile_files):
    with pages.open(hostile_files["report"], ready=None) as probe:
        frame = network_frame(probe)
        assert probe.js(TRAP) and frame.evaluate("window.__pwned === undefined")
        assert probe.js(NO_MARKUP) and frame.evaluate(f"({NO_MARKUP})()")
        labels = frame.evaluate("window.twinlacNetwork.nodes.get().map(n => n.label)")
        assert sorted(labels) == sorted(HOSTILE * 2)  # each name a Chinese and a Latin American place
        # Click each place in the embedded network: its details show the name as text.
        frame.evaluate("window.twinlacNetwork.network.setOptions({physics: {enabled: false}})")
        probe.page.locator("iframe.tw-network").scroll_into_view_if_needed()
        box = probe.page.locator("iframe.tw-network").bounding_box()
        for key, name in frame.evaluate("window.twinlacNetwork.nodes.get().map(n => [n.key, n.label])"):
            x, y = frame.evaluate(NODE_POINT, key)
            probe.page.mouse.click(box["x"] + x, box["y"] + y)
            assert frame.text_content("#tw-details .tw-card-title") == name
        assert probe.js(TRAP) and frame.evaluate("window.__pwned === undefined")
        probe.assert_clean()
