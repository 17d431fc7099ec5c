"""Tests of the static matplotlib charts (twinlac.viz.charts)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import matplotlib
import networkx as nx
import pandas as pd
import pytest

import twinlac
from twinlac.analysis import concentration
from twinlac.analysis import top_localities as top_localities_data
from twinlac.analysis import top_provinces as top_provinces_data
from twinlac.viz import charts
from twinlac.viz.charts import (
    chart_bytes, growth_chart, growth_chart_data, lorenz_chart, lorenz_chart_data, save_chart, top_localities_chart,
    top_provinces_chart,
)

CHARTS = {
    "growth": growth_chart,
    "lorenz": lorenz_chart,
    "provinces": top_provinces_chart,
    "localities": top_localities_chart,
}
PROVINCES = {
    "CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True},
    "CN-SC": {"name": "Sichuan", "region": "West", "coastal": False},
    "CN-HB": {"name": "Hubei", "region": "Central", "coastal": False},
}


def party(g, key, side, *, name, level="city", province=None, country=None, country_name=None, region=None):
    province_name = PROVINCES.get(province, {}).get("name") if side == "china" else None
    g.add_node(key, name=name, side=side, level=level, province=province, province_name=province_name,
               country=country or ("CN" if side == "china" else None),
               country_name=country_name or ("China" if side == "china" else None), region=region,
               coastal=PROVINCES.get(province, {}).get("coastal") if side == "china" else None)


pytestmark = pytest.mark.slow


@pytest.fixture
def tiny() -> nx.Graph:
    """Eight ties: Argentina 4 (1 undated), Brazil 2 (1 undated), Chile 1, Mexico 1."""
    g = nx.Graph(china_provinces=PROVINCES)
    party(g, "CN-JS:wuxi", "china", name="Wuxi", province="CN-JS", region="East")
    party(g, "CN-JS:suzhou", "china", name="Suzhou", province="CN-JS", region="East")
    party(g, "CN-JS", "china", name="Jiangsu", level="province", province="CN-JS", region="East")
    party(g, "CN-SC:chengdu", "china", name="Chengdu", province="CN-SC", region="West")
    lac = {
        "AR-B:a": ("Avellaneda", "AR", "Argentina"), "AR-B:b": ("Bahía Blanca", "AR", "Argentina"),
        "AR-X:c": ("Córdoba", "AR", "Argentina"), "AR-X:d": ("Dolores", "AR", "Argentina"),
        "BR-SP:e": ("Embu", "BR", "Brazil"), "BR-SP:f": ("Franca", "BR", "Brazil"),
        "CL-RM:g": ("Gorbea", "CL", "Chile"), "MX-JAL:h": ("Hostotipaquillo", "MX", "Mexico"),
    }
    for key, (name, code, country) in lac.items():
        party(g, key, "lac", name=name, country=code, country_name=country, province=key.split(":")[0],
              region="Southern Cone" if code in ("AR", "CL") else {"BR": "Brazil", "MX": "Mexico"}[code])
    ties = [
        ("CN-JS:wuxi", "AR-B:a", 2000), ("CN-JS:wuxi", "AR-B:b", 2000), ("CN-JS:suzhou", "AR-X:c", 2002),
        ("CN-SC:chengdu", "AR-X:d", None), ("CN-JS:wuxi", "BR-SP:e", 2001), ("CN-JS", "BR-SP:f", None),
        ("CN-SC:chengdu", "MX-JAL:h", 2002), ("CN-JS", "CL-RM:g", 2003),
    ]
    for cn, la, year in ties:
        g.add_edge(cn, la, id=f"{cn}~{la}", kind="sister", year=year, evidence="press", status="active")
    return g


@pytest.fixture(scope="module")
def real_graph(loaded_db) -> nx.Graph:
    with twinlac.open(loaded_db, read_only=True) as store:
        return store.to_networkx()


# --- rendering ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_saves_as_png_and_svg(tiny, tmp_path, name):
    fig = CHARTS[name](tiny)
    assert isinstance(fig, matplotlib.figure.Figure)
    png = save_chart(fig, tmp_path / f"{name}.png")
    svg = save_chart(fig, tmp_path / "sub" / f"{name}.SVG")  # suffix case does not matter; dirs are made
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 5_000
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and text.rstrip().endswith("</svg>") and svg.stat().st_size > 5_000


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_each_chart_renders_the_bundled_data(real_graph, tmp_path, name):
    fig = CHARTS[name](real_graph)
    for suffix in ("png", "svg"):
        assert save_chart(fig, tmp_path / f"{name}.{suffix}").stat().st_size > 10_000


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_svg_is_deterministic(tiny, name):
    with matplotlib.rc_context({"svg.hashsalt": "test-salt"}):
        first = chart_bytes(CHARTS[name](tiny), "svg")
        second = chart_bytes(CHARTS[name](tiny.copy()), "svg")
    assert first == second
    # The module salts the ids itself: no setting needed for repeatable files.
    assert chart_bytes(CHARTS[name](tiny), "svg") == chart_bytes(CHARTS[name](tiny), "svg")
    assert b"<dc:date>" not in first


def test_svg_is_deterministic_on_the_bundled_data(real_graph):
    assert chart_bytes(growth_chart(real_graph)) == chart_bytes(growth_chart(real_graph.copy()))


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_empty_graph_draws_a_chart_that_says_so(tmp_path, name):
    fig = CHARTS[name](nx.Graph())
    assert save_chart(fig, tmp_path / f"{name}.png").stat().st_size > 1_000


def test_save_chart_refuses_other_formats(tiny, tmp_path):
    fig = top_provinces_chart(tiny)
    for bad in ("chart.pdf", "chart", "chart.svg.txt"):
        with pytest.raises(ValueError, match="png or .svg"):
            save_chart(fig, tmp_path / bad)
        assert not (tmp_path / bad).exists()
    with pytest.raises(ValueError):
        chart_bytes(fig, "jpeg")


def test_names_are_drawn_literally(tiny, tmp_path):
    # A "$" pair would start mathtext (and "$\\x$" would fail to parse); markup is just text.
    tiny.nodes["CN-JS:wuxi"]["name"] = "US$ 5 and $\\x$ <img src=x onerror=alert(1)>"
    tiny.nodes["AR-B:a"]["country_name"] = "Argen$tina$"
    for name, make in CHARTS.items():
        fig = make(tiny)
        assert save_chart(fig, tmp_path / f"{name}.png").stat().st_size > 1_000
    labels = [t.get_text() for t in top_localities_chart(tiny).axes[0].get_yticklabels()]
    assert any(r"US\$ 5" in label for label in labels)


def test_charts_never_import_pyplot():
    code = ("import sys, networkx as nx\n"
            "from twinlac.viz.charts import growth_chart, chart_bytes\n"
            "chart_bytes(growth_chart(nx.Graph()), 'png')\n"
            "assert 'matplotlib.pyplot' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the numbers behind the charts ---------------------------------------------------------------


def test_growth_numbers_equal_a_count_by_hand(tiny):
    data = growth_chart_data(tiny, top=2)
    # Ranked by ties (Argentina 4, Brazil 2), Chile and Mexico (1 each) pooled.
    assert list(data.new.columns) == ["Argentina", "Brazil", "Other countries"]
    assert data.new.to_dict("index") == {
        2000: {"Argentina": 2, "Brazil": 0, "Other countries": 0},
        2001: {"Argentina": 0, "Brazil": 1, "Other countries": 0},
        2002: {"Argentina": 1, "Brazil": 0, "Other countries": 1},
        2003: {"Argentina": 0, "Brazil": 0, "Other countries": 1},
    }
    assert data.cumulative.to_dict("list") == {
        "Argentina": [2, 2, 3, 3], "Brazil": [0, 1, 1, 1], "Other countries": [0, 0, 1, 2],
    }
    assert data.totals.to_dict("records") == [
        {"group": "Argentina", "ties": 4, "dated": 3, "undated": 1},
        {"group": "Brazil", "ties": 2, "dated": 1, "undated": 1},
        {"group": "Other countries", "ties": 2, "dated": 2, "undated": 0},
    ]
    assert (data.ties, data.dated, data.undated) == (8, 6, 2)
    # Everything on its own when top is large enough.
    assert list(growth_chart_data(tiny, top=10).new.columns) == ["Argentina", "Brazil", "Chile", "Mexico"]
    with pytest.raises(ValueError):
        growth_chart_data(tiny, top=0)


def test_growth_chart_draws_those_numbers(tiny):
    data = growth_chart_data(tiny, top=2)
    fig = growth_chart(tiny, top=2)
    ax_new = fig.axes[0]
    assert len(ax_new.containers) == 3
    for container, group in zip(ax_new.containers, data.new.columns, strict=True):
        assert [bar.get_height() for bar in container] == data.new[group].tolist()
        assert [bar.get_x() + bar.get_width() / 2 for bar in container] == data.new.index.tolist()
    subtitle = ax_new.get_title(loc="left")
    assert "8 ties: 6 with a year" in subtitle and "2 without a year" in subtitle
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == ["Argentina (4; 1 undated)", "Brazil (2; 1 undated)", "Other countries (2)"]


def test_growth_data_matches_the_bundled_csv(real_graph, csv_frame):
    data = growth_chart_data(real_graph, top=6)
    by_country = csv_frame["lac_country"].value_counts()
    dated = csv_frame[csv_frame["year"] != ""]["lac_country"].value_counts()
    totals = data.totals.set_index("group")
    for country in ("Brazil", "Argentina", "Mexico", "Chile"):
        assert totals.loc[country, "ties"] == by_country[country]
        assert totals.loc[country, "dated"] == dated[country]
        assert data.cumulative[country].iloc[-1] == dated[country]
    assert data.ties == len(csv_frame) and data.undated == int((csv_frame["year"] == "").sum())
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    by_2015 = int((years <= 2015).sum())
    assert int(data.cumulative.loc[2015].sum()) == by_2015


def test_lorenz_numbers_come_from_the_analysis(tiny, real_graph):
    for graph in (tiny, real_graph):
        conc = concentration(graph)
        data = lorenz_chart_data(graph, years=[2000, 2002])
        by_year = conc.by_year.set_index("year")
        for year in (2000, 2002):
            curve = data[data["year"] == year]
            if year not in by_year.index:
                assert curve.empty
                continue
            assert curve["gini"].iloc[0] == pytest.approx(by_year.loc[year, "gini"])
            assert curve["ties"].iloc[0] == by_year.loc[year, "ties"]
            expected = conc.lorenz[conc.lorenz["year"] == year]
            assert curve["value_share"].tolist() == pytest.approx(expected["value_share"].tolist())
        overall = data[data["year"].isna()]
        assert overall["gini"].iloc[0] == pytest.approx(conc.overall["gini"].iloc[0])


def test_lorenz_chart_legend_gives_each_gini(tiny):
    conc = concentration(tiny)
    fig = lorenz_chart(tiny, years=[2001, 2003])
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    by_year = conc.by_year.set_index("year")
    # Tiny: Jiangsu holds every dated tie but Chengdu's 2002 one, over 3 provinces.
    assert labels[1] == f"by 2001: 3 ties, Gini {by_year.loc[2001, 'gini']:.2f}"
    assert labels[2] == f"by 2003: 6 ties, Gini {by_year.loc[2003, 'gini']:.2f}"
    assert labels[3].startswith("all ties, incl. undated: 8 ties, Gini ")


def test_lorenz_default_years_and_years_out_of_range(real_graph, tiny):
    data = lorenz_chart_data(real_graph)
    last = int(concentration(real_graph).by_year["year"].max())
    curves = list(dict.fromkeys(data["curve"]))
    assert curves == ["by 2005", "by 2015", "by 2021", f"by {last}", "all ties, incl. undated"]
    # Before the first tie: no curve; after the last: the last year's curve.
    data = lorenz_chart_data(tiny, years=[1990, 2010])
    assert list(dict.fromkeys(data["curve"])) == ["by 2010", "all ties, incl. undated"]
    assert data[data["curve"] == "by 2010"]["ties"].iloc[0] == 6


def test_lorenz_without_undated_ties_has_no_repeated_curve(loaded_db):
    with twinlac.open(loaded_db, read_only=True) as store:
        graph = store.to_networkx(as_of=2015)
    curves = list(dict.fromkeys(lorenz_chart_data(graph)["curve"]))
    assert curves == ["by 2005", "by 2015"]


def test_top_provinces_count_the_chinese_partys_province(tiny, real_graph, csv_frame):
    data = top_provinces_data(tiny)
    assert data[["province", "ties", "partners"]].values.tolist() == [["CN-JS", 6, 4], ["CN-SC", 2, 2]]
    real = top_provinces_data(real_graph, top=None).set_index("name")["ties"]
    by_province = csv_frame["cn_province"].value_counts()
    for name in ("Guangdong", "Jiangsu", "Zhejiang", "Sichuan"):
        assert real[name] == by_province[name]
    assert len(top_provinces_data(real_graph, top=5)) == 5
    fig = top_provinces_chart(tiny)
    bars = fig.axes[0].patches
    assert [b.get_width() for b in bars] == [6, 2]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Jiangsu", "Sichuan"]


def test_top_localities_are_city_parties_ranked_by_ties(tiny):
    data = top_localities_data(tiny, top=3)
    assert data[["id", "ties"]].values.tolist() == [["CN-JS:wuxi", 3], ["CN-SC:chengdu", 2], ["AR-B:a", 1]]
    assert data["label"].tolist() == ["Wuxi (Jiangsu)", "Chengdu (Sichuan)", "Avellaneda (Argentina)"]
    everyone = top_localities_data(tiny, top=None, include_provinces=True)
    assert everyone.set_index("id").loc["CN-JS", "ties"] == 2
    assert "CN-JS" not in set(top_localities_data(tiny, top=None)["id"])
    degrees = Counter(n for e in tiny.edges() for n in e)
    assert dict(zip(everyone["id"], everyone["ties"], strict=True)) == dict(degrees)
    with pytest.raises(ValueError):
        top_localities_data(tiny, top=0)


def test_module_exports():
    assert set(charts.__all__) >= {"growth_chart", "lorenz_chart", "top_provinces_chart", "top_localities_chart",
                                   "save_chart"}


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(charts, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_robustness_chart_draws_hubs_first_against_random(tmp_path):
    # a hub with four partners and a separate pair: 7 parties, the giant 5 of them
    graph = nx.star_graph(4)
    graph.add_edge("x", "y")
    fig = charts.robustness_chart(graph, n_random=3, seed=1)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    hubs = {round(x): y for x, y in zip(lines["hubs first"].get_xdata(), lines["hubs first"].get_ydata(), strict=True)}
    assert hubs[0] == pytest.approx(100 * 5 / 7)
    # 14% of 7 is 1 party: the hub goes and the largest part left is the pair, 2 of 7
    assert hubs[14] == pytest.approx(100 * 2 / 7)
    assert "mean of 3 sampled orders" in " ".join(t.get_text() for t in fig.texts)
    for suffix in ("png", "svg"):
        assert save_chart(fig, tmp_path / f"robustness.{suffix}").stat().st_size > 1000
    import twinlac.viz

    assert twinlac.viz.robustness_chart is charts.robustness_chart and "robustness_chart" in twinlac.viz.__all__
