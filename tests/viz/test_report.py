"""Tests of the one-page offline report (twinlac.viz.report), with and without a browser."""

from __future__ import annotations

import base64
import html as htmllib
import re
import time
from html.parser import HTMLParser

import networkx as nx
import pandas as pd
import pytest

import twinlac
from twinlac.analysis import coverage, published_figures
from twinlac.viz import report_html, write_report

from .browser import ARTIFACTS, page_server

IMG_NAME = "<img src=x onerror=alert(1)>"
SCRIPT_NAME = '"><script>window.__pwned=1</script>'
SECTIONS = ("summary", "coverage", "growth", "concentration", "hubs", "clusters", "spillover", "network")
FAST = {"cluster_seeds": 2, "cluster_null": 2, "spillover_boot": 10}
# ISO code of each published figure's country -> the bundled CSV's country name.
CSV_COUNTRY = {"AR": "Argentina", "CL": "Chile", "UY": "Uruguay", "BR": "Brazil", "MX": "Mexico"}


# --- fixtures -------------------------------------------------------------------------------


def small_graph(names: dict[str, str] | None = None) -> nx.Graph:
    """Five ties, two of them undated; names can be overridden (to test escaping)."""
    names = names or {}
    provinces = {"CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True},
                 "CN-SC": {"name": "Sichuan", "region": "West", "coastal": False}}
    g = nx.Graph(china_provinces=provinces, ties_total=5, ties_left_out=0, ties_without_year=0, evidence=None,
                 as_of=None, scope="china-lac")
    for key, name, province, region, coastal in (("CN-JS:wuxi", "Wuxi", "CN-JS", "East", True),
                                                  ("CN-SC", "Sichuan", "CN-SC", "West", False)):
        g.add_node(key, name=names.get(key, name), side="china", level="province" if ":" not in key else "city",
                   province=province, province_name=provinces[province]["name"], country="CN",
                   country_name="China", region=region, coastal=coastal)
    for key, name, country, country_name, region in (
        ("AR-B:quilmes", "Quilmes", "AR", "Argentina", "Southern Cone"),
        ("AR-X", "Córdoba", "AR", "Argentina", "Southern Cone"),
        ("BR-SP:santos", "Santos", "BR", "Brazil", "Brazil"),
        ("UY-MO:montevideo", "Montevideo", "UY", "Uruguay", "Southern Cone"),
    ):
        level = "province" if ":" not in key else "city"
        # As in the store: a province-level party is its own province, under its own name.
        g.add_node(key, name=names.get(key, name), side="lac", level=level, province=key.split(":")[0],
                   province_name=names.get(key, name) if level == "province" else key.split(":")[0],
                   country=country, country_name=country_name, region=region)
    for cn, lac, kind, year, evidence in (
        ("CN-JS:wuxi", "AR-B:quilmes", "sister", 2010, "official"),
        ("CN-JS:wuxi", "BR-SP:santos", "sister", 2018, "press"),
        ("CN-SC", "AR-X", "friendship", None, "press"),
        ("CN-SC", "UY-MO:montevideo", "letter_of_intent", None, "weak"),
        ("CN-JS:wuxi", "AR-X", "sister", 2021, "wikipedia"),
    ):
        g.add_edge(cn, lac, id=f"{cn}~{lac}", kind=kind, year=year, evidence=evidence, status="active",
                   source_url="https://example.org/" + lac, source_title=names.get("title", "A source"))
    return g


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def graphs(loaded_db) -> dict[str, nx.Graph]:
    with twinlac.open(loaded_db, read_only=True) as store:
        return {"all": store.to_networkx(), "well": store.to_networkx(evidence=["official", "press"])}


@pytest.fixture(scope="module")
def real_page(graphs) -> str:
    return report_html(graphs["all"], **FAST)


@pytest.fixture(scope="module")
def filtered_page(graphs) -> str:
    return report_html(graphs["well"], unfiltered=graphs["all"], network_level=None, **FAST)


# --- helpers --------------------------------------------------------------------------------------


def coverage_cells(page: str) -> dict[str, dict[str, str]]:
    """{figure id: {column: cell text}} from the report's coverage table."""
    rows = re.findall(r'<tr data-figure="([^"]+)">(.*?)</tr>', page, re.S)
    return {fid: dict(re.findall(r'data-col="(\w+)">([^<]*)<', body)) for fid, body in rows}


def expected_coverage(csv_frame: pd.DataFrame, figures: pd.DataFrame, keep=None) -> dict[str, dict[str, int]]:
    """The comparison counts, computed from the bundled CSV with pandas."""
    frame = csv_frame if keep is None else csv_frame[keep(csv_frame)]
    years = pd.to_numeric(frame["year"], errors="coerce")
    out = {}
    for fig in figures.to_dict("records"):
        mask = pd.Series(True, index=frame.index)
        if fig["scope"] == "country":
            mask &= frame["lac_country"] == CSV_COUNTRY[fig["country"]]
        if fig["data_kinds"]:
            mask &= frame["kind"].isin(fig["data_kinds"].split(";"))
        dated = int((mask & (years <= fig["year"])).sum())
        undated = int((mask & years.isna()).sum())
        out[fig["figure_id"]] = {"dated": dated, "undated": undated, "upper": dated + undated,
                                 "later": int((mask & (years > fig["year"])).sum()), "gap": fig["value"] - dated}
    return out


class _Fetches(HTMLParser):
    """Every attribute of the page (outside the srcdoc frame) that could make a browser fetch."""

    ATTRS = {"src", "href", "srcset", "poster", "data", "background", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in self.ATTRS:
                self.found.append((tag, name, value or ""))


# --- the page ---------------------------------------------------------------------------------------


def test_small_graph_report_has_every_section():
    page = report_html(small_graph(), **FAST)
    assert page.startswith("<!DOCTYPE html>")
    for section in SECTIONS:
        assert f'<section id="{section}">' in page
    for table in ("tw-by-kind", "tw-coverage", "tw-countries", "tw-centrality", "tw-cluster-agreement",
                  "tw-spillover"):
        assert f'id="{table}"' in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count('<img src="data:image/svg+xml;base64,') == 5
    assert '<iframe class="tw-network"' in page and 'sandbox="allow-scripts"' in page


def test_page_fetches_nothing_and_embeds_valid_charts():
    page = report_html(small_graph(), chart_format="png", **FAST)
    parser = _Fetches()
    parser.feed(page)
    for tag, name, value in parser.found:
        if name == "href":
            assert tag == "a" and value.startswith("#"), (tag, name, value)  # in-page links only
        else:
            assert tag == "img" and name == "src" and value.startswith("data:image/png;base64,")
            assert base64.b64decode(value.split(",", 1)[1]).startswith(b"\x89PNG")
    assert not {"link", "base", "object", "embed", "script"} & set(parser.tags)
    assert sum(1 for t in parser.tags if t == "img") == 5


def test_names_are_escaped_everywhere():
    names = {"AR-X": IMG_NAME, "CN-JS:wuxi": SCRIPT_NAME, "title": IMG_NAME}
    page = report_html(small_graph(names), title=IMG_NAME, network_level="locality", **FAST)
    assert IMG_NAME not in page and SCRIPT_NAME not in page
    assert "<script" not in page.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # title, tables
    # The network page inside srcdoc is escaped as an attribute: unescaped once, it is
    # the network page, which itself shows names only escaped or as JSON escapes.
    srcdoc = re.search(r'srcdoc="([^"]*)"', page).group(1)
    inner = htmllib.unescape(srcdoc)
    assert inner.startswith("<!DOCTYPE html>") and IMG_NAME not in inner and SCRIPT_NAME not in inner
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in inner


def test_report_on_a_small_graph_counts_by_hand():
    g = small_graph()
    page = report_html(g, **FAST)
    cells = coverage_cells(page)
    # Argentina by 2015: Quilmes 2010 is dated; Córdoba–Sichuan has no year; Wuxi–Córdoba is 2021.
    assert cells["l21-ar-2015"] == {"dated": "1", "undated": "1", "upper": "2", "later": "1", "gap": "+16",
                                    "gap_upper": "+15", "coverage": "6%"}
    # The 2021 total leaves out letters of intent: 3 dated ties, 1 undated friendship.
    assert cells["l21-all-2021"]["dated"] == "3" and cells["l21-all-2021"]["undated"] == "1"
    # Formal pairs (sister only) by 2025.
    assert cells["gaps-all-2025"]["dated"] == "3" and cells["gaps-all-2025"]["undated"] == "0"
    assert "China–LAC, by 2015: published at least 147. Data (every kind of tie): dated ties by 2015: 1; " \
           "with the 2 undated ties: 3." in page


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The body cells of one of the report's tables, as text."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [[htmllib.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_connectivity_and_claims_sections_count_by_hand():
    page = report_html(small_graph(), network_level=None, **FAST)
    # Wuxi – Córdoba – Sichuan joins all six parties in one component.
    assert table_rows(page, "tw-connectivity")[:3] == [["Parties", "6"], ["Connected components", "1"],
                                                       ["Parties in the giant component", "6 (100%)"]]
    # Without Wuxi, Quilmes and Santos are cut off; without Córdoba, Sichuan and Montevideo;
    # without Sichuan, Montevideo.
    assert [(r[0], r[-1]) for r in table_rows(page, "tw-brokers")] == [("Wuxi", "2"), ("Córdoba", "2"),
                                                                       ("Sichuan", "1")]
    # Jiangsu (Wuxi) links Argentina and Brazil; Sichuan links Argentina and Uruguay.
    assert sorted(tuple(r) for r in table_rows(page, "tw-lac-links")) == [
        ("Argentina", "Brazil", "1", "0.500", "Jiangsu"), ("Argentina", "Uruguay", "1", "0.500", "Sichuan")]
    assert 'id="chart-robustness"' in page and "mean and range of 20 sampled orders" in page
    claims = {r[0]: r for r in table_rows(page, "tw-claims")}
    # Argentina by 2021: Quilmes 2010 and Wuxi–Córdoba 2021 dated, Sichuan–Córdoba undated: 3 at most.
    assert claims["Argentina had more than 40 twinnings with China by 2021"][1:3] == [
        "not supported", "2 dated ties by 2021 (+1 undated)"]
    assert "Latinoamérica21" in page.split('id="tw-claim-sources"', 1)[1]
    assert "twinlac/analysis/data/published_figures.csv" in page.split("<footer>", 1)[1]


def test_coverage_function_and_figures_file():
    figures = published_figures()
    assert list(figures["figure_id"]) == [
        "l21-all-2015", "l21-all-2021", "l21-ar-2015", "l21-ar-2021", "l21-cl-2015", "l21-cl-2021",
        "l21-uy-2015", "l21-uy-2021", "gaps-all-2025", "gaps-br-2025", "gaps-mx-2025"]
    values = figures.set_index("figure_id")["value"].to_dict()
    assert values["l21-all-2015"] == 147 and values["l21-all-2021"] == 200 and values["gaps-all-2025"] == 180
    assert (values["l21-ar-2015"], values["l21-ar-2021"]) == (17, 40)
    assert (values["l21-cl-2015"], values["l21-cl-2021"], values["l21-uy-2015"], values["l21-uy-2021"]) == \
        (13, 30, 4, 15)
    assert (values["gaps-br-2025"], values["gaps-mx-2025"]) == (62, 35)
    assert (figures["source_url_or_citation"] != "").all()
    assert not figures["source_url_or_citation"].str.contains("http").any()  # no invented URL
    table = coverage(small_graph()).set_index("figure_id")
    assert table.loc["l21-uy-2021", "undated"] == 1 and table.loc["l21-uy-2021", "dated_by_year"] == 0
    assert table.loc["gaps-br-2025", "dated_by_year"] == 1
    assert table.loc["l21-ar-2021", "gap_dated_or_undated"] == 40 - 3


def test_options_are_checked(tmp_path):
    g = small_graph()
    with pytest.raises(ValueError, match="network_level"):
        report_html(g, network_level="planet")
    with pytest.raises(ValueError, match="chart_format"):
        report_html(g, chart_format="gif")
    with pytest.raises(ValueError, match="top"):
        report_html(g, top=0)
    with pytest.raises(TypeError):
        report_html("not a graph")
    out = write_report(g, tmp_path / "deep" / "report.html", network_level=None, title="Small", **FAST)
    assert out.is_file() and out.read_text(encoding="utf-8").count("<title>Small</title>") == 1
    assert '<section id="network">' not in out.read_text(encoding="utf-8")


def test_report_is_deterministic():
    assert report_html(small_graph(), **FAST) == report_html(small_graph(), **FAST)


def test_empty_graph_still_reports():
    page = report_html(nx.Graph(), **FAST)
    assert '<section id="summary">' in page and "Nothing to show." in page


# --- the bundled data -----------------------------------------------------------------------------------


def test_bundled_report_compares_with_counts_from_the_csv(real_page, csv_frame, graphs):
    cells = coverage_cells(real_page)
    want = expected_coverage(csv_frame, published_figures())
    assert set(cells) == set(want)
    for fid, expected in want.items():
        got = cells[fid]
        assert int(got["dated"]) == expected["dated"], fid
        assert int(got["undated"]) == expected["undated"], fid
        assert int(got["upper"]) == expected["upper"], fid
        assert int(got["later"]) == expected["later"], fid
        assert int(got["gap"]) == expected["gap"], fid
    # The example of the brief, spelled out: Argentina, ties signed by 2015.
    argentina = csv_frame[csv_frame["lac_country"] == "Argentina"]
    years = pd.to_numeric(argentina["year"], errors="coerce")
    assert int(cells["l21-ar-2015"]["dated"]) == int((years <= 2015).sum())
    assert int(cells["l21-ar-2015"]["undated"]) == int(years.isna().sum())
    table = coverage(graphs["all"]).set_index("figure_id")
    assert table.loc["l21-ar-2015", "dated_by_year"] == want["l21-ar-2015"]["dated"]


def test_bundled_report_summary_numbers(real_page, csv_frame):
    kinds = csv_frame["kind"].value_counts()
    grades = csv_frame["evidence"].value_counts()
    assert f"<div class=\"tw-label\">Ties</div><div class=\"tw-value\">{len(csv_frame)}</div>" in real_page
    undated = int((csv_frame["year"] == "").sum())
    assert f"<div class=\"tw-label\">Ties without a year</div><div class=\"tw-value\">{undated}</div>" in real_page
    by_kind = re.search(r'<table id="tw-by-kind">(.*?)</table>', real_page, re.S).group(1)
    assert f"<td>Sister city / province</td><td class=\"tw-num\">{kinds['sister']}</td>" in by_kind
    assert f"<td>Letter of intent</td><td class=\"tw-num\">{kinds['letter_of_intent']}</td>" in by_kind
    by_grade = re.search(r'<table id="tw-by-evidence">(.*?)</table>', real_page, re.S).group(1)
    for grade in ("official", "press", "wikipedia", "weak", "disputed"):
        assert f"<td>{grade.capitalize()}</td><td class=\"tw-num\">{grades[grade]}</td>" in by_grade
    centrality = re.search(r'<table id="tw-centrality">(.*?)</table>', real_page, re.S).group(1)
    assert centrality.count("<tr>") == 1 + 15


def test_filtered_report_says_what_was_left_out(filtered_page, csv_frame, graphs):
    left_out = graphs["well"].graph["ties_left_out"]
    assert left_out == int((~csv_frame["evidence"].isin(["official", "press"])).sum())
    filters = re.search(r'<table id="tw-filters">(.*?)</table>', filtered_page, re.S).group(1)
    assert f"<td>Ties left out by the filters</td><td class=\"tw-num\">{left_out}</td>" in filters
    assert "<td>Evidence grades kept</td><td class=\"tw-num\">official, press</td>" in filters
    # Coverage uses the whole data, with an extra column for the filtered graph.
    cells = coverage_cells(filtered_page)
    whole = expected_coverage(csv_frame, published_figures())
    well = expected_coverage(csv_frame, published_figures(), keep=lambda f: f["evidence"].isin(["official", "press"]))
    for fid in whole:
        assert int(cells[fid]["dated"]) == whole[fid]["dated"]
        assert int(cells[fid]["after"]) == well[fid]["dated"]


def test_report_of_a_whole_store(loaded_store, tmp_path):
    out = write_report(loaded_store.to_networkx(), tmp_path / "r.html", network_level=None, **FAST)
    text = out.read_text(encoding="utf-8")
    assert "All ties of the store, unfiltered." in text


# --- in a browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    with page_server(tmp_path_factory.mktemp("report-pages")) as server:
        yield server


def network_frame(probe, timeout: float = 30.0):
    """The embedded network's frame, once its network is drawn."""
    deadline = time.monotonic() + timeout
    while True:
        frames = [f for f in probe.page.frames if f != probe.page.main_frame]
        if frames and frames[0].evaluate("!!(window.twinlacNetwork && window.twinlacNetwork.ready)"):
            return frames[0]
        if time.monotonic() > deadline:
            raise TimeoutError("the embedded network did not become ready")
        time.sleep(0.05)


def test_report_renders_offline_with_its_network(pages, real_page, graphs):
    with pages.open(real_page, ready=None) as probe:
        frame = network_frame(probe)
        n = graphs["all"].number_of_edges()
        assert frame.evaluate("window.twinlacNetwork.counts()")["agreements"] == n
        assert frame.evaluate("document.querySelectorAll('#tw-network canvas').length") == 1
        # Every chart decoded (an image that failed would have naturalWidth 0).
        widths = probe.js("Array.from(document.images).map(i => i.complete ? i.naturalWidth : -1)")
        assert len(widths) == 5 and all(w > 300 for w in widths)
        for section in SECTIONS:
            assert probe.js(f"document.getElementById('{section}').getBoundingClientRect().height") > 50
        probe.page.locator("#network").scroll_into_view_if_needed()
        time.sleep(0.5)  # let the frame paint before the screenshot
        shot = probe.screenshot("report-network.png")
        assert shot.stat().st_size > 20_000
        full = ARTIFACTS / "report.png"
        probe.page.screenshot(path=str(full), full_page=True)
        assert full.stat().st_size > 100_000
        probe.assert_clean()


def test_hostile_names_run_nothing_in_the_browser(pages):
    names = {"AR-X": IMG_NAME, "CN-JS:wuxi": SCRIPT_NAME, "title": IMG_NAME}
    page = report_html(small_graph(names), title=SCRIPT_NAME, network_level="locality", **FAST)
    with pages.open(page, ready=None) as probe:
        frame = network_frame(probe)
        assert probe.js("window.__pwned === undefined") and frame.evaluate("window.__pwned === undefined")
        assert probe.page.title() == SCRIPT_NAME
        assert IMG_NAME in probe.page.text_content("#tw-centrality")
        assert probe.js("document.querySelectorAll('main img').length") == 5  # the charts, nothing else
        probe.assert_clean()


def test_docstring_examples_run():
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module("twinlac.viz.report"), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
