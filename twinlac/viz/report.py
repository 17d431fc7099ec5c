"""A one-page offline report on the twinning network: numbers, charts, tables and the network.

:func:`report_html` renders, and :func:`write_report` writes, a single
self-contained HTML file that opens without network access:

- summary numbers: ties, parties, ties by kind, evidence grade and status,
  dated and undated ties, and what the ``to_networkx`` filters left out;
- the published figures (``twinlac/analysis/data/published_figures.csv``, each
  with its citation) side by side with what the data holds
  (:func:`twinlac.analysis.coverage`): ties signed by the
  figure's year, ties without a year reported apart, and the gap;
- the charts of :mod:`twinlac.viz.charts` (growth by year and country, Lorenz
  curves of ties over Chinese provinces, top provinces and places), embedded as
  ``data:`` URIs;
- tables: ties by LAC country, the top provinces by centrality, the agreement of
  Louvain communities with the known groupings (ARI, NMI), and the spillover
  summary, all computed with :mod:`twinlac.analysis`;
- connectivity (:mod:`twinlac.analysis.connectivity`): the giant component's
  share, the brokers whose loss disconnects others, the robustness chart (hubs
  removed first against random removal) and the LAC countries linked through
  shared Chinese provinces, with the provinces that link them;
- the literature's claims (:func:`twinlac.analysis.claims`), each with its
  verdict and figures on all ties and on the well-sourced ones, and its citation;
- the interactive network page of :func:`twinlac.viz.network_html`, embedded in
  an ``<iframe srcdoc>``.

Safety: every name and table cell goes through Jinja's autoescaping; the
network page is escaped as an attribute value and runs in a sandboxed frame
(scripts only, an opaque origin); charts are images (``data:`` URIs, in which
SVG scripts never run). A Content-Security-Policy forbids every request.
"""

from __future__ import annotations

import base64
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from twinlac.analysis import (
    articulation_points, centrality, claims, clusters, components, coverage, figure_kinds, giant_by_year, growth,
    published_figures, shared_partner_brokers, shared_partner_projection, spillover, tie_table,
)
from twinlac.graph.vocabulary import (
    EVIDENCE_GRADES, EVIDENCE_LABELS, KIND_LABELS, KINDS, STATUS_LABELS, STATUSES, WELL_SOURCED,
)
from twinlac.viz import charts
from twinlac.viz.network import network_html
from twinlac.viz.page import template
from twinlac.viz.payload import LEVEL_CHOICES
from twinlac.viz import values

__all__ = ["DEFAULT_TITLE", "report_html", "write_report"]

DEFAULT_TITLE = "China–LAC twinning: report"

_CHART_FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


# --- the page --------------------------------------------------------------------------------


def report_html(
    graph: nx.Graph,
    *,
    unfiltered: nx.Graph | None = None,
    title: str = DEFAULT_TITLE,
    top: int = 15,
    growth_top: int = 6,
    lorenz_years: Iterable[int] | None = None,
    network_level: str | None = "province",
    cluster_seeds: int = 5,
    cluster_null: int = 20,
    spillover_boot: int = 200,
    robustness_random: int = 20,
    seed: int = 0,
    figures: pd.DataFrame | str | Path | None = None,
    chart_format: str = "svg",
) -> str:
    """Render the report on a twinning graph as one self-contained HTML page.

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network as ``GraphStore.to_networkx(evidence=..., as_of=...)``
        returns it (China–LAC scope); every section but the coverage one is
        computed on it.
    unfiltered : networkx.Graph, optional
        The whole data (``store.to_networkx()`` without filters), for the
        comparison with the published figures and the "ties in the store"
        numbers. Default: `graph` itself (the page says so when `graph` is
        filtered).
    title : str, optional
        Page title (HTML-escaped).
    top : int, optional
        Rows of the centrality table and bars of the top-provinces and
        top-places charts.
    growth_top : int, optional
        LAC countries drawn on their own in the growth chart (the rest as
        "Other countries").
    lorenz_years : iterable of int, optional
        Years of the Lorenz curves (default: see :func:`twinlac.viz.charts.lorenz_chart_data`).
    network_level : {"locality", "province", "country"} or None, optional
        Level of the embedded interactive network (:func:`twinlac.viz.network_html`);
        None leaves it out (a much smaller file).
    cluster_seeds, cluster_null : int, optional
        Louvain runs and null-model graphs of :func:`twinlac.analysis.clusters`
        (small by default, for speed; the command line's defaults are 10 and 100).
    spillover_boot : int, optional
        Bootstrap resamples of the attachment exponents (:func:`twinlac.analysis.spillover`).
    robustness_random : int, optional
        Random removal orders averaged in the robustness chart
        (:func:`twinlac.analysis.robustness`; a sample, and the page says so).
    seed : int, optional
        Seed of the clusters and the bootstrap: the page is deterministic.
    figures : DataFrame, path or None, optional
        Published figures (default: the bundled ``published_figures.csv``).
    chart_format : {"svg", "png"}, optional
        How the charts are embedded (both as ``data:`` URIs).

    Returns
    -------
    str
        The complete HTML document.

    Raises
    ------
    ValueError
        If an option is out of range (`network_level`, `chart_format`, `top`).
    TypeError
        If `graph` or `unfiltered` is not a networkx graph (pass
        ``store.to_networkx()``, not the store).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", name="Jiangsu", level="province", side="china", province="CN-JS", region="East")
    >>> G.add_node("AR-B", name="Buenos Aires", level="province", side="lac", province="AR-B", country="AR")
    >>> G.add_edge("CN-JS", "AR-B", id="t1", kind="sister", year=2010, evidence="official")
    >>> page = report_html(G, network_level=None, cluster_seeds=1, cluster_null=2, spillover_boot=5)
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> report_html(object())
    Traceback (most recent call last):
    ...
    TypeError: graph must be a networkx graph (store.to_networkx()); got object
    """
    graph = _as_graph(graph, "graph")
    unfiltered = _as_graph(unfiltered, "unfiltered") if unfiltered is not None else None
    if network_level is not None and network_level not in LEVEL_CHOICES:
        raise ValueError(f"network_level must be one of {', '.join(LEVEL_CHOICES)} or None; got {network_level!r}")
    if chart_format not in _CHART_FORMATS:
        raise ValueError(f"chart_format must be 'svg' or 'png'; got {chart_format!r}")
    for name, value in (("top", top), ("growth_top", growth_top)):
        if int(value) < 1:
            raise ValueError(f"{name} must be >= 1; got {value!r}")
    if not isinstance(figures, pd.DataFrame):
        figures = published_figures(figures)
    title_text = values.text(title) or DEFAULT_TITLE
    filtered = _is_filtered(graph)
    base = unfiltered if unfiltered is not None else graph

    context: dict[str, Any] = {
        "title": title_text,
        "summary": _summary(graph, unfiltered),
        "coverage": _coverage_section(graph, base, figures, filtered=filtered,
                                      has_unfiltered=unfiltered is not None),
        "charts": _charts(graph, top=top, growth_top=growth_top, lorenz_years=lorenz_years, fmt=chart_format),
        "countries": _countries_table(graph),
        "centrality": _centrality_table(graph, top),
        "clusters": _clusters_tables(graph, n_seeds=cluster_seeds, n_null=cluster_null, seed=seed),
        "spillover": _spillover_table(graph, n_boot=spillover_boot, seed=seed),
        "connectivity": _connectivity_section(graph, top=top, n_random=robustness_random, seed=seed,
                                              fmt=chart_format),
        "claims": _claims_section(graph, base),
        "network": _network(graph, network_level, title_text),
        "options": {"cluster_seeds": cluster_seeds, "cluster_null": cluster_null,
                    "spillover_boot": spillover_boot, "robustness_random": robustness_random, "seed": seed},
    }
    return template("report.html").render(**context)


def write_report(graph: nx.Graph, path: str | Path, **options: Any) -> Path:
    """Write the report of `graph` to `path` (see :func:`report_html` for the options).

    Parent directories are created; an existing file is overwritten.

    Returns
    -------
    pathlib.Path
        The resolved path of the written file.

    Examples
    --------
    >>> import twinlac  # doctest: +SKIP
    >>> store = twinlac.open("twinlac.lbdb", read_only=True)  # doctest: +SKIP
    >>> write_report(store.to_networkx(evidence=["official", "press"]), "report.html",
    ...              unfiltered=store.to_networkx(), title="Well-sourced ties")  # doctest: +SKIP
    """
    page = report_html(graph, **options)
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page, encoding="utf-8", newline="\n")
    return target.resolve()


# --- sections ----------------------------------------------------------------------------------


def _as_graph(value: Any, name: str) -> nx.Graph:
    if isinstance(value, nx.Graph):
        return value
    raise TypeError(f"{name} must be a networkx graph (store.to_networkx()); got {type(value).__name__}")


def _is_filtered(graph: nx.Graph) -> bool:
    meta = graph.graph
    return bool(meta.get("evidence")) or meta.get("as_of") is not None or bool(meta.get("ties_left_out"))


def _summary(graph: nx.Graph, unfiltered: nx.Graph | None) -> dict[str, Any]:
    ties = tie_table(graph)
    n = len(ties)
    sides = Counter(values.lower(d.get("side")) for _, d in graph.nodes(data=True))
    provinces = {values.text(d.get("province")) or str(k) for k, d in graph.nodes(data=True)
                 if values.lower(d.get("side")) == "china"}
    countries = {c for c in ties["country"] if c}
    dated = int(ties["year"].notna().sum())
    years = ties["year"].dropna()
    cards = [
        ("Ties", _int(n), "agreements, one per pair of parties"),
        ("Dated ties", _int(dated), f"{_pct(dated, n)} of the ties have a year"),
        ("Ties without a year", _int(n - dated), "left out of every by-year measure"),
        ("Parties", _int(graph.number_of_nodes()),
         f"{sides.get('china', 0)} Chinese, {sides.get('lac', 0)} LAC (cities and provinces)"),
        ("Chinese provinces", _int(len(provinces)), "with at least one tie"),
        ("LAC countries", _int(len(countries)), "with at least one tie"),
        ("Years signed", f"{int(years.min())}–{int(years.max())}" if len(years) else "–",
         "first and last dated tie"),
    ]

    def breakdown(column: str, order: Iterable[str], labels: Mapping[str, str]) -> list[list[str]]:
        counts = Counter(ties[column])
        keys = [k for k in order if counts.get(k)] + sorted(k for k in counts if k not in order)
        return [[labels.get(k, k), _int(counts[k]), _pct(counts[k], n)] for k in keys]

    meta = graph.graph
    evidence = meta.get("evidence")
    filters = [
        ["Scope", str(meta.get("scope") or "china-lac")],
        ["Evidence grades kept", ", ".join(str(e) for e in evidence) if evidence else "all"],
        ["As of (ties signed by)", str(meta["as_of"]) if meta.get("as_of") is not None else "no limit"],
    ]
    if meta.get("ties_total") is not None:
        filters.append(["Ties in the store", _int(meta.get("ties_total"))])
    filters += [
        ["Ties used here", _int(n)],
        ["Ties left out by the filters", _int(meta.get("ties_left_out", 0) or 0)],
        ["… of which left out by “as of” for lack of a year", _int(meta.get("ties_without_year", 0) or 0)],
    ]
    if unfiltered is not None:
        filters.append(["Ties in the unfiltered graph (coverage section)", _int(unfiltered.number_of_edges())])
    return {
        "cards": cards,
        "kinds": breakdown("kind", KINDS, KIND_LABELS),
        "evidence": breakdown("evidence", EVIDENCE_GRADES, EVIDENCE_LABELS),
        "status": breakdown("status", STATUSES, STATUS_LABELS),
        "filters": filters,
        "filtered": _is_filtered(graph),
        "filter_note": charts.filter_note(graph) or "Filtered.",
    }


def _coverage_section(graph: nx.Graph, base: nx.Graph, figures: pd.DataFrame, *, filtered: bool,
                      has_unfiltered: bool) -> dict[str, Any]:
    table = coverage(base, figures)
    after = coverage(graph, figures) if has_unfiltered and filtered else None
    rows = []
    for i, row in enumerate(table.to_dict("records")):
        scope = "China–LAC" if row["scope"] == "all" else f"{row['country_name']} ({row['country']})"
        kinds = figure_kinds(row["data_kinds"])
        basis = " + ".join(KIND_LABELS.get(k, k).lower() for k in kinds) if kinds else "every kind of tie"
        published = f"{row['kind_of_count']} {row['value']}" if row["kind_of_count"] not in ("", "as stated") \
            else str(row["value"])
        rows.append({
            "id": row["figure_id"],
            "scope": scope,
            "year": row["year"],
            "published": published,
            "counts": row["counts"] + (f" (excluding {row['excludes']})" if row["excludes"] else ""),
            "basis": basis,
            "dated": row["dated_by_year"],
            "undated": row["undated"],
            "upper": row["dated_or_undated"],
            "later": row["signed_later"],
            "gap": _signed(row["gap_dated"]),
            "gap_upper": _signed(row["gap_dated_or_undated"]),
            "coverage": _pct(row["dated_by_year"], row["value"]),
            "after": int(after.iloc[i]["dated_by_year"]) if after is not None else None,
            "source": row["source_url_or_citation"],
            "source_title": row["source_title"],
            "note": row["note"],
            "headline": row["scope"] == "all",
            "sentence": (f"{scope}, by {row['year']}: published {published}. Data ({basis}): dated ties by "
                         f"{row['year']}: {row['dated_by_year']}; with the {row['undated']} undated ties: "
                         f"{row['dated_or_undated']}."),
        })
    sources = list(dict.fromkeys((r["source_title"], r["source"]) for r in rows))
    for r in rows:
        r["ref"] = sources.index((r["source_title"], r["source"])) + 1
    return {"rows": rows, "after": after is not None, "sources": sources,
            "on_filtered": filtered and not has_unfiltered, "ties": base.number_of_edges()}


def _charts(graph: nx.Graph, *, top: int, growth_top: int, lorenz_years, fmt: str) -> dict[str, dict[str, str]]:
    made = [
        ("growth", "Growth by year and LAC country",
         charts.growth_chart(graph, top=growth_top),
         "Ties signed per year and cumulative, by LAC country. Ties without a year cannot be placed in time: "
         "they are counted in the subtitle and the legend, not drawn."),
        ("lorenz", "Concentration over Chinese provinces",
         charts.lorenz_chart(graph, years=lorenz_years),
         "Lorenz curves of the ties signed up to each year over the 31 mainland provinces (zeros included); "
         "the closer to the diagonal, the more even. Gini coefficients from twinlac.analysis.concentration."),
        ("provinces", "Top Chinese provinces",
         charts.top_provinces_chart(graph, top=top),
         "Each tie is counted for the province of its Chinese party (a city's province, or the province itself)."),
        ("places", "Top places",
         charts.top_localities_chart(graph, top=top),
         "City-level parties by the number of ties they signed themselves."),
    ]
    return {key: _chart(key, heading, fig, caption, fmt) for key, heading, fig, caption in made}


def _chart(key: str, heading: str, fig: Any, caption: str, fmt: str) -> dict[str, str]:
    data = charts.chart_bytes(fig, fmt, dpi=110)
    uri = f"data:{_CHART_FORMATS[fmt]};base64,{base64.b64encode(data).decode('ascii')}"
    return {"id": f"chart-{key}", "heading": heading, "uri": uri, "caption": caption, "alt": f"Chart: {heading}"}


def _connectivity_section(graph: nx.Graph, *, top: int, n_random: int, seed: int, fmt: str) -> dict[str, Any]:
    comps = components(graph)
    parties = graph.number_of_nodes()
    giant = int(comps["parties"].iloc[0]) if len(comps) else 0
    by_year = giant_by_year(graph)
    numbers = [
        ["Parties", _int(parties)],
        ["Connected components", _int(len(comps))],
        ["Parties in the giant component", f"{_int(giant)} ({_pct(giant, parties)})"],
    ]
    if len(by_year):
        last = by_year.iloc[-1]
        numbers.append([f"Giant component share, dated ties signed by {int(last['year'])}",
                        _pct_value(last["giant_share"])])
    cuts = articulation_points(graph).head(int(top))
    brokers = [[values.text(r["name"]) or str(r["node"]), _side(r["side"]), values.text(r["country"]) or "",
                _int(r["degree"]), _int(r["pieces"]), _int(r["separated"])] for r in cuts.to_dict("records")]
    pairs = shared_partner_projection(graph, side="lac", level="country", via="province").head(int(top))
    links = [[values.text(r["a_name"]) or str(r["a"]), values.text(r["b_name"]) or str(r["b"]), _int(r["shared"]),
              _num(r["jaccard"]), values.text(r["partners"]) or ""] for r in pairs.to_dict("records")]
    linkers = shared_partner_brokers(graph, side="lac", level="country", via="province").head(int(top))
    lac_brokers = [[values.text(r["name"]) or str(r["partner"]), _int(r["units"]), _int(r["pairs"]),
                    _int(r["exclusive_pairs"]), _pct_value(r["share_of_pairs"])] for r in linkers.to_dict("records")]
    caption = ("Share of all parties in the largest connected component as parties are removed: those with most "
               f"ties first (red), or in random order (blue: the mean and range of {n_random} sampled orders, "
               f"seed {seed}).")
    return {
        "numbers": numbers,
        "brokers": {"headers": ["Place", "Side", "Country", "Partners", "Parts without it", "Parties cut off"],
                    "classes": ["", "", "", "tw-num", "tw-num", "tw-num"], "rows": brokers},
        "chart": _chart("robustness", "Robustness", charts.robustness_chart(graph, n_random=n_random, seed=seed),
                        caption, fmt),
        "links": {"headers": ["LAC country", "LAC country", "Shared Chinese provinces", "Jaccard", "Provinces"],
                  "classes": ["", "", "tw-num", "tw-num", ""], "rows": links},
        "lac_brokers": {"headers": ["Chinese province", "LAC countries", "Pairs linked", "Pairs only it links",
                                    "Share of linked pairs"],
                        "classes": ["", "tw-num", "tw-num", "tw-num", "tw-num"], "rows": lac_brokers},
    }


def _claims_section(graph: nx.Graph, base: nx.Graph) -> dict[str, Any]:
    subset = tuple(graph.graph.get("evidence") or WELL_SOURCED)
    as_of = graph.graph.get("as_of")
    table = claims(base, subset=subset, as_of=as_of)
    rows = [[str(r["claim"]), str(r["verdict"]), str(r["figures"]), str(r["verdict_well_sourced"]),
             str(r["figures_well_sourced"])] for r in table.to_dict("records")]
    grades = ", ".join(str(g) for g in subset)
    return {
        "table": {"headers": ["Claim", "Verdict, all ties", "Figures", f"Verdict, {grades}", f"Figures, {grades}"],
                  "classes": ["", "", "", "", ""], "rows": rows},
        "citations": list(dict.fromkeys(str(c) for c in table["citation"])),
        "grades": grades, "as_of": as_of, "ties": base.number_of_edges(),
    }


def _countries_table(graph: nx.Graph) -> dict[str, Any]:
    totals = growth(graph, by="country").totals
    rows = [[str(r["group"]), _int(r["ties"]), _int(r["dated"]), _int(r["undated"]),
             _year_text(r["first_year"]), _year_text(r["last_year"])] for r in totals.to_dict("records")]
    return {"headers": ["LAC country", "Ties", "Dated", "Undated", "First year", "Last year"],
            "classes": ["", "tw-num", "tw-num", "tw-num", "tw-num", "tw-num"], "rows": rows}


def _centrality_table(graph: nx.Graph, top: int) -> dict[str, Any]:
    frame = centrality(graph, level="province").head(int(top))
    rows = []
    for rank, r in enumerate(frame.to_dict("records"), start=1):
        name = values.text(r["name"]) or str(r["id"])
        rows.append([str(rank), name, str(r["id"]), _side(r["side"]),
                     values.text(r["country"]) or "", values.text(r["region"]) or "", _int(r["degree"]),
                     _int(r["agreements"]),
                     _num(r["betweenness"]), _num(r["weighted_betweenness"]), _num(r["pagerank"]),
                     _num(r["eigenvector"])])
    return {"headers": ["#", "Province", "Id", "Side", "Country", "Region", "Partners", "Agreements",
                        "Betweenness", "Weighted betweenness", "PageRank", "Eigenvector"],
            "classes": ["tw-num", "", "tw-code", "", "", "", "tw-num", "tw-num", "tw-num", "tw-num", "tw-num",
                        "tw-num"],
            "rows": rows}


def _clusters_tables(graph: nx.Graph, *, n_seeds: int, n_null: int, seed: int) -> dict[str, Any]:
    result = clusters(graph, level="province", n_seeds=n_seeds, n_null=n_null, seed=seed)
    agreement = [[str(r["graph"]), _side(r["side"]), str(r["grouping"]), _int(r["nodes"]),
                  _range(r["ari_mean"], r["ari_min"], r["ari_max"]),
                  _range(r["nmi_mean"], r["nmi_min"], r["nmi_max"])] for r in result.agreement.to_dict("records")]
    modularity = [[str(r["graph"]), str(r["partition"]), _num(r["communities"], 1), _num(r["q"]),
                   _num(r["null_mean"]), _num(r["z"], 2), _num(r["percentile"], 1)]
                  for r in result.modularity.to_dict("records")]
    return {
        "agreement": {"headers": ["Graph", "Side", "Compared with", "Nodes", "ARI mean (min–max)",
                                  "NMI mean (min–max)"],
                      "classes": ["", "", "", "tw-num", "tw-num", "tw-num"], "rows": agreement},
        "modularity": {"headers": ["Graph", "Partition", "Communities", "Modularity Q", "Null mean Q", "z",
                                   "Percentile in null"],
                       "classes": ["", "", "tw-num", "tw-num", "tw-num", "tw-num", "tw-num"], "rows": modularity},
        "counts": result.counts, "seeds": len(result.seeds), "n_null": result.n_null,
    }


def _spillover_table(graph: nx.Graph, *, n_boot: int, seed: int) -> dict[str, Any]:
    result = spillover(graph, n_boot=n_boot, seed=seed)
    rows = []
    for r in result.summary.to_dict("records"):
        measure, value = str(r["measure"]), r["value"]
        if measure.startswith("share"):
            text = _pct_value(value)
        elif measure.startswith(("ties", "median year")):
            text = _int(value)
        else:
            text = _num(value)
        rows.append([measure, text, values.text(r["note"]) or ""])
    return {"headers": ["Measure", "Value", "Note"], "classes": ["", "tw-num", ""], "rows": rows}


def _network(graph: nx.Graph, level: str | None, title: str) -> dict[str, Any] | None:
    if level is None:
        return None
    page = network_html(graph, level=level, title=f"{title} — network ({level} level)")
    return {"level": level, "srcdoc": page}


# --- formatting ------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _int(value: Any) -> str:
    return "–" if _missing(value) else str(int(round(float(value))))


def _num(value: Any, digits: int = 3) -> str:
    if _missing(value):
        return "–"
    number = float(value)
    if not math.isfinite(number):
        return "–"
    return f"{number:.{digits}f}"


def _pct(part: Any, whole: Any) -> str:
    if _missing(part) or _missing(whole) or not whole:
        return "–"
    return f"{100.0 * float(part) / float(whole):.0f}%"


def _pct_value(value: Any) -> str:
    return "–" if _missing(value) else f"{100.0 * float(value):.1f}%"


def _range(mean: Any, low: Any, high: Any) -> str:
    if _missing(mean):
        return "–"
    return f"{_num(mean)} ({_num(low)}–{_num(high)})"


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value) if value < 0 else "0"


def _side(value: Any) -> str:
    return {"china": "China", "lac": "LAC"}.get(values.lower(value) or "", values.text(value) or "")


def _year_text(value: Any) -> str:
    return "–" if _missing(value) else str(int(value))
