"""The published figures on China–LAC twinning, beside what the data holds.

Published counts (a Latinoamérica21 analysis by a FLACSO researcher, and
others) are kept with their citations in ``twinlac/analysis/data/published_figures.csv``;
:func:`coverage` counts the data's ties for the same scope, year and kinds of
tie, and the gap. The report of :mod:`twinlac.viz.report` draws this table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "COVERAGE_COLUMNS", "FIGURE_COLUMNS", "PUBLISHED_FIGURES_FILE", "TIE_TABLE_COLUMNS", "coverage", "figure_kinds",
    "published_figures", "tie_table",
]

#: The published figures the data is checked against, one per row, each with its source.
PUBLISHED_FIGURES_FILE = Path(__file__).parent / "data" / "published_figures.csv"

#: Columns of :func:`published_figures`.
FIGURE_COLUMNS = ["figure_id", "scope", "country", "year", "kind_of_count", "value", "counts", "excludes",
                  "data_kinds", "source_title", "source_url_or_citation", "note"]

#: Columns of :func:`coverage`.
COVERAGE_COLUMNS = [
    "figure_id", "scope", "country", "country_name", "year", "kind_of_count", "value", "counts", "excludes",
    "data_kinds", "dated_by_year", "undated", "dated_or_undated", "signed_later", "gap_dated",
    "gap_dated_or_undated", "coverage_dated", "source_title", "source_url_or_citation", "note",
]

#: Columns of :func:`tie_table`.
TIE_TABLE_COLUMNS = ["country", "kind", "status", "evidence", "year"]




def published_figures(path: str | Path | None = None) -> pd.DataFrame:
    """The published figures to check the data against, with their citations.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        A CSV with the columns of the bundled file (default:
        ``twinlac/analysis/data/published_figures.csv``).

    Returns
    -------
    DataFrame
        ``figure_id, scope`` ("all" or "country"), ``country`` (ISO 3166-1
        alpha-2, empty for "all"), ``year`` (the figure holds "by" that year),
        ``kind_of_count`` ("at least", "more than", "about", "as stated"),
        ``value``, ``counts`` (what the source counts), ``excludes`` (what it
        leaves out), ``data_kinds`` (the tie kinds of the data comparable with
        it, ``;``-separated; empty: every kind), ``source_title``,
        ``source_url_or_citation``, ``note``.

    Examples
    --------
    >>> figures = published_figures()
    >>> int(figures.set_index("figure_id").loc["l21-all-2015", "value"])
    147
    """
    frame = pd.read_csv(path or PUBLISHED_FIGURES_FILE, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in FIGURE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"published figures file lacks the column(s) {', '.join(missing)}")
    frame = frame[FIGURE_COLUMNS].copy()
    for column in ("year", "value"):
        frame[column] = pd.to_numeric(frame[column], errors="raise").astype(int)
    frame["country"] = frame["country"].str.strip().str.upper()
    bad = frame[~frame["scope"].isin(["all", "country"]) | ((frame["scope"] == "country") & (frame["country"] == ""))]
    if len(bad):
        raise ValueError(f"figure {bad['figure_id'].iloc[0]!r}: scope must be 'all', or 'country' with a country")
    return frame


def tie_table(graph: nx.Graph) -> pd.DataFrame:
    """One row per tie: its LAC country, kind, status, evidence grade and year.

    Lenient: a tie without a LAC party gets country ``""``, a missing kind,
    status or grade ``"unknown"``, a missing year ``<NA>``.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).

    Returns
    -------
    DataFrame
        ``TIE_TABLE_COLUMNS``: ``country`` (ISO 3166-1 alpha-2, upper case),
        ``kind``, ``status``, ``evidence`` (lower case), ``year`` (Int64).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c", side="china"); G.add_node("a", side="lac", country="ar")
    >>> G.add_edge("c", "a", kind="Sister", year=2010)
    >>> row = tie_table(G).iloc[0]
    >>> row["country"], row["kind"], row["status"], int(row["year"])
    ('AR', 'sister', 'unknown', 2010)
    """
    rows = []
    for u, v, data in graph.edges(data=True):
        a, b = graph.nodes[u], graph.nodes[v]
        lac = b if _lower(b.get("side")) == "lac" else a if _lower(a.get("side")) == "lac" else None
        rows.append({
            "country": (_text(lac.get("country")) or "").upper() if lac is not None else "",
            "kind": _lower(data.get("kind")) or "unknown",
            "status": _lower(data.get("status")) or "unknown",
            "evidence": _lower(data.get("evidence")) or "unknown",
            "year": _year(data.get("year")),
        })
    frame = pd.DataFrame(rows, columns=TIE_TABLE_COLUMNS)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    return frame


def coverage(graph: nx.Graph, figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each published figure beside the data's count for the same scope, year and kinds of tie.

    For a figure "N agreements (of country C) by year Y", the data's ties of
    country C (every China–LAC tie for scope "all") whose kind is among the
    figure's ``data_kinds`` are counted as: signed in or before Y
    (``dated_by_year``), without a year (``undated``: they cannot be placed in
    time, so they may or may not belong by Y), and signed after Y.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``), normally unfiltered:
        coverage is a property of the whole data.
    figures : DataFrame, optional
        Published figures (default: :func:`published_figures`).

    Returns
    -------
    DataFrame with the columns ``COVERAGE_COLUMNS``, one row per figure:
    the figure's own columns, ``country_name``, ``dated_by_year``,
    ``undated``, ``dated_or_undated`` (their sum: an upper bound of what the
    data could hold by Y), ``signed_later``, ``gap_dated`` (value −
    dated_by_year), ``gap_dated_or_undated`` (value − dated_or_undated;
    negative when the data holds more than the figure) and ``coverage_dated``
    (dated_by_year / value).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c", side="china"); G.add_node("a", side="lac", country="AR")
    >>> G.add_edge("c", "a", kind="sister", year=2010)
    >>> row = coverage(G).set_index("figure_id").loc["l21-ar-2015"]
    >>> int(row["dated_by_year"]), int(row["gap_dated"])
    (1, 16)
    """
    figures = published_figures() if figures is None else figures
    ties = tie_table(graph)
    names = _country_names(graph)
    rows = []
    for fig in figures.to_dict("records"):
        kinds = figure_kinds(fig.get("data_kinds"))
        part = ties
        if fig["scope"] == "country":
            part = part[part["country"] == str(fig["country"]).upper()]
        if kinds:
            part = part[part["kind"].isin(kinds)]
        year = int(fig["year"])
        dated = part["year"].notna().to_numpy()
        years = part["year"].to_numpy(dtype=float, na_value=np.nan)
        by_year = int((dated & (years <= year)).sum())
        undated = int((~dated).sum())
        later = int((dated & (years > year)).sum())
        value = int(fig["value"])
        code = str(fig.get("country") or "").upper()
        rows.append({
            **{c: fig.get(c) for c in FIGURE_COLUMNS},
            "country": code,
            "country_name": (names.get(code) or _pycountry_name(code) or code) if code else "",
            "value": value, "year": year,
            "dated_by_year": by_year, "undated": undated, "dated_or_undated": by_year + undated,
            "signed_later": later, "gap_dated": value - by_year, "gap_dated_or_undated": value - by_year - undated,
            "coverage_dated": by_year / value if value else float("nan"),
        })
    return pd.DataFrame(rows, columns=COVERAGE_COLUMNS)


def figure_kinds(value: Any) -> list[str]:
    """The tie kinds a figure's ``data_kinds`` names (``;``-separated); empty: every kind.

    >>> figure_kinds("sister; friendship"), figure_kinds("")
    (['sister', 'friendship'], [])
    """
    text = _text(value) or ""
    return [k.strip().lower() for k in text.split(";") if k.strip()]


def _country_names(graph: nx.Graph) -> dict[str, str]:
    names: dict[str, str] = {}
    for _, data in sorted(graph.nodes(data=True), key=lambda item: str(item[0])):
        code, name = _text(data.get("country")), _text(data.get("country_name"))
        if code and name:
            names.setdefault(code.upper(), name)
    return names


@lru_cache(maxsize=64)
def _pycountry_name(code: str) -> str | None:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - a dependency of twinlac
        return None
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or getattr(country, "name", None) if country else None


def _text(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _year(value: Any) -> int | None:
    if _text(value) is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
