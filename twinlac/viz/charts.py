"""Static charts of the twinning network with matplotlib: growth, concentration, top places.

Each chart is a public function that takes the networkx graph of
``GraphStore.to_networkx()`` and returns a :class:`matplotlib.figure.Figure`;
:func:`save_chart` writes it as PNG or SVG (chosen by the file suffix) and
:func:`chart_bytes` returns those bytes (the report embeds them). The numbers
behind each chart come from a ``*_data`` function, so they can be checked or
tabulated without drawing (the rankings of the top charts are
:func:`twinlac.analysis.top_provinces` and :func:`twinlac.analysis.top_localities`).

- :func:`growth_chart`: new ties per year and cumulative ties, by LAC country
  (the top countries, the rest as "Other countries"); ties without a year are
  counted in the subtitle and the legend.
- :func:`lorenz_chart`: Lorenz curves of the ties over the 31 mainland Chinese
  provinces for a few years (cumulative), with each curve's Gini coefficient;
  the numbers come from :func:`twinlac.analysis.concentration`.
- :func:`top_provinces_chart`: Chinese provinces by number of ties (each tie
  counted for the Chinese party's province), coloured by NBS region.
- :func:`top_localities_chart`: city-level parties (both sides) by number of ties.
- :func:`robustness_chart`: share of parties in the largest component as the
  hubs are removed, against random removal (a sampled mean); the numbers come
  from :func:`twinlac.analysis.robustness`.

The figures are built with matplotlib's object-oriented API on the Agg canvas,
never through ``pyplot``: nothing needs a display, the global backend is left
alone and no figure is kept alive by a figure manager. Text is set in DejaVu
Sans (shipped with matplotlib), SVG text is drawn as paths (the file needs no
font) and SVG ids are salted with a fixed string, so the same graph always
gives the same bytes. Names taken from the data are drawn literally (a ``$``
never starts mathtext).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from twinlac.analysis import concentration, growth, robustness, robustness_figure, top_localities, top_provinces
from twinlac.analysis.filters import describe_filters
from twinlac.viz.style import CHINA_REGION_COLORS, UNKNOWN_COLOR

__all__ = [
    "CHART_FORMATS",
    "DEFAULT_LORENZ_YEARS",
    "GrowthChartData",
    "chart_bytes",
    "filter_note",
    "growth_chart",
    "growth_chart_data",
    "lorenz_chart",
    "lorenz_chart_data",
    "robustness_chart",
    "save_chart",
    "top_localities_chart",
    "top_provinces_chart",
]

#: File formats :func:`save_chart` writes, by suffix.
CHART_FORMATS: tuple[str, ...] = ("png", "svg")

#: Years drawn by :func:`lorenz_chart` by default (those inside the data's range),
#: besides the last dated year and all ties.
DEFAULT_LORENZ_YEARS: tuple[int, ...] = (2005, 2015, 2021)

OTHER = "Other countries"

# Fixed salt for the ids matplotlib writes in SVG (clip paths, markers): the same
# figure gives the same file.
SVG_HASHSALT = "twinlac"

_STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "axes.titlesize": 9.0,
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.titlesize": 12.0,
    "figure.titleweight": "bold",
    "figure.dpi": 100,
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASHSALT,
    "text.usetex": False,
}

# The network page's colours: Chinese NBS regions in reds/oranges, grey for Hong Kong, Macau or unknown.
_CHINA_REGION_COLORS = CHINA_REGION_COLORS
_NO_REGION_COLOR = UNKNOWN_COLOR
_SIDE_COLORS = {"china": "#c62828", "lac": "#1565c0"}
# Qualitative palette for the countries of the growth chart (Tableau 10, less grey).
_COUNTRY_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
                   "#ff9da7", "#9c755f", "#86bcb6", "#8cd17d", "#d4a6c8"]
_OTHER_COLOR = "#bab0ac"
_SUBTITLE_COLOR = "#555555"
_MAX_LABEL = 42  # characters of a name shown on an axis


# --- saving -------------------------------------------------------------------------------


def chart_bytes(fig: Figure, fmt: str = "svg", *, dpi: float = 150) -> bytes:
    """The chart as PNG or SVG bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A chart of this module (any Figure works).
    fmt : {"svg", "png"}
        Output format.
    dpi : float, optional
        Resolution of PNG output (SVG is resolution-independent).

    Returns
    -------
    bytes
        The file's content. SVG output carries no date and salted ids, so the
        same figure always gives the same bytes.

    Raises
    ------
    ValueError
        If `fmt` is not one of ``CHART_FORMATS``.
    """
    fmt = str(fmt).lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format must be one of {', '.join(CHART_FORMATS)}; got {fmt!r}")
    FigureCanvasAgg(fig)  # attach an Agg canvas: no display, no pyplot
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    with _style():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()


def save_chart(fig: Figure, path: str | Path, *, dpi: float = 150) -> Path:
    """Write `fig` to `path` as PNG or SVG, chosen by the suffix.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart.
    path : str or pathlib.Path
        Destination ending in ``.png`` or ``.svg`` (any case). Parent
        directories are created; an existing file is overwritten.
    dpi : float, optional
        Resolution of PNG output.

    Returns
    -------
    pathlib.Path
        The resolved path of the written file.

    Raises
    ------
    ValueError
        If the suffix is neither ``.png`` nor ``.svg`` (nothing is written).

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> out = save_chart(growth_chart(nx.Graph()), pathlib.Path(tempfile.mkdtemp()) / "growth.svg")
    >>> out.suffix
    '.svg'
    """
    target = Path(path).expanduser()
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart file must end in .png or .svg; got {str(path)!r}")
    data = chart_bytes(fig, fmt, dpi=dpi)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target.resolve()


# --- growth --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthChartData:
    """The numbers of :func:`growth_chart`.

    ``new`` and ``cumulative``: years × groups (the top LAC countries by number
    of ties, then ``"Other countries"`` when there are more), dated ties only,
    every year from the first to the last dated tie (or ``as_of``), zeros kept.
    ``totals``: ``group, ties, dated, undated`` per group, in the chart's order.
    ``ties``, ``dated``, ``undated``: over the whole graph.
    """

    new: pd.DataFrame
    cumulative: pd.DataFrame
    totals: pd.DataFrame
    ties: int
    dated: int
    undated: int


def growth_chart_data(graph: nx.Graph, *, top: int = 6) -> GrowthChartData:
    """New and cumulative dated ties per year, by LAC country (top `top`, rest as "Other countries").

    Counted with :func:`twinlac.analysis.growth` (``by="country"``): a tie
    counts for the country of its LAC party in the year it was signed. Countries
    are ranked by their number of ties, dated or not (then by name).

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    top : int, optional
        Countries shown on their own (>= 1).

    Returns
    -------
    GrowthChartData

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("c", side="china"); G.add_node("a", side="lac", country_name="Argentina")
    >>> G.add_edge("c", "a", year=2001)
    >>> growth_chart_data(G).new.to_dict("index")
    {2001: {'Argentina': 1}}
    """
    if int(top) < 1:
        raise ValueError(f"top must be >= 1; got {top!r}")
    result = growth(graph, by="country")
    totals = result.totals
    groups = [str(g) for g in totals["group"]]
    shown, rest = groups[: int(top)], groups[int(top):]
    years = sorted({int(y) for y in result.table["year"]})
    wide = result.wide("new").reindex(index=years, columns=groups, fill_value=0) if years else \
        pd.DataFrame(columns=groups, dtype=int)
    new = pd.DataFrame(index=pd.Index(years, name="year"))
    for g in shown:
        new[g] = wide[g].astype(int).to_numpy() if years else []
    if rest:
        new[OTHER] = wide[rest].sum(axis=1).astype(int).to_numpy() if years else []
    new = new.astype(int)
    new.columns.name = "group"

    by_group = totals.set_index("group")
    rows = [{"group": g, "ties": int(by_group.loc[g, "ties"]), "dated": int(by_group.loc[g, "dated"]),
             "undated": int(by_group.loc[g, "undated"])} for g in shown]
    if rest:
        part = by_group.loc[rest]
        rows.append({"group": OTHER, "ties": int(part["ties"].sum()), "dated": int(part["dated"].sum()),
                     "undated": int(part["undated"].sum())})
    chart_totals = pd.DataFrame(rows, columns=["group", "ties", "dated", "undated"])
    counts = result.counts
    return GrowthChartData(new=new, cumulative=new.cumsum(), totals=chart_totals, ties=int(counts["ties"]),
                           dated=int(counts["ties_used"]), undated=int(counts["ties_without_year"]))


def growth_chart(graph: nx.Graph, *, top: int = 6, title: str | None = None) -> Figure:
    """Ties signed per year (stacked bars) and cumulative (stacked area), by LAC country.

    The top `top` countries by number of ties are drawn on their own, the rest
    as "Other countries". Only ties with a year can be placed in time: the
    subtitle says how many have none, and each legend entry gives the group's
    ties and how many of them are undated (so not drawn).

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    top : int, optional
        Countries shown on their own.
    title : str, optional
        Figure title (default: "Growth of China–LAC twinning").

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = growth_chart(nx.Graph())  # an empty graph gives a chart that says so
    >>> fig.axes[0].get_title(loc="left").startswith("0 ties")
    True
    """
    data = growth_chart_data(graph, top=top)
    with _style():
        fig = Figure(figsize=(10.5, 7.2), layout="constrained")
        ax_new, ax_cum = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.25])
        fig.suptitle(_literal(title or "Growth of China–LAC twinning"), x=0.01, ha="left")
        subtitle = _growth_subtitle(data, graph)
        ax_new.set_title(subtitle, loc="left", color=_SUBTITLE_COLOR, fontsize=8.5)
        years = data.new.index.to_numpy()
        colors = _group_colors(list(data.new.columns))
        if len(years) == 0:
            for ax in (ax_new, ax_cum):
                _empty_note(ax, "No tie has a year")
        else:
            totals = data.totals.set_index("group")
            bottom = np.zeros(len(years))
            lower = np.zeros(len(years))
            for group in data.new.columns:
                label = _literal(_legend_label(group, totals.loc[group]))
                values = data.new[group].to_numpy(dtype=float)
                ax_new.bar(years, values, bottom=bottom, width=0.8, color=colors[group], label=label,
                           linewidth=0)
                bottom += values
                upper = lower + data.cumulative[group].to_numpy(dtype=float)
                ax_cum.fill_between(years, lower, upper, step="mid", color=colors[group], linewidth=0)
                lower = upper
            ax_cum.step(years, lower, where="mid", color="#212121", linewidth=1.0)
            ax_cum.annotate(f"{int(lower[-1])} dated ties by {int(years[-1])}", xy=(years[-1], lower[-1]),
                            xytext=(-4, 6), textcoords="offset points", ha="right", fontsize=8.5)
            ax_new.set_ylabel("New ties signed in the year")
            ax_cum.set_ylabel("Ties signed up to the year (cumulative)")
            ax_cum.set_xlabel("Year signed")
            ax_cum.set_xlim(years[0] - 0.8, years[-1] + 0.8)
            for ax in (ax_new, ax_cum):
                ax.yaxis.get_major_locator().set_params(integer=True)
                ax.xaxis.get_major_locator().set_params(integer=True)
                ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
                ax.set_axisbelow(True)
            fig.legend(loc="outside right upper", title="LAC country (ties; undated)", alignment="left")
    return fig


def _growth_subtitle(data: GrowthChartData, graph: nx.Graph) -> str:
    lines = [f"{data.ties} ties: {data.dated} with a year (drawn), {data.undated} without a year "
             "(not drawn: they cannot be placed in time; counted in the legend)."]
    filters = filter_note(graph)
    if filters:
        lines.append(filters)
    return _literal("\n".join(lines))


def _legend_label(group: str, row: pd.Series) -> str:
    label = _short(group)
    undated = int(row["undated"])
    return f"{label} ({int(row['ties'])}; {undated} undated)" if undated else f"{label} ({int(row['ties'])})"


def _group_colors(groups: Sequence[str]) -> dict[str, str]:
    colors, i = {}, 0
    for group in groups:
        if group == OTHER:
            colors[group] = _OTHER_COLOR
        else:
            colors[group] = _COUNTRY_COLORS[i % len(_COUNTRY_COLORS)]
            i += 1
    return colors


# --- concentration (Lorenz) --------------------------------------------------------------------

LORENZ_COLUMNS = ["curve", "year", "ties", "gini", "population_share", "value_share"]


def lorenz_chart_data(graph: nx.Graph, *, years: Iterable[int] | None = None) -> pd.DataFrame:
    """Lorenz curves of ties over the mainland Chinese provinces, as drawn by :func:`lorenz_chart`.

    Every number comes from :func:`twinlac.analysis.concentration`: for each
    year, the curve and Gini coefficient of the ties signed up to that year
    (its ``lorenz`` and ``by_year`` tables), and a last curve over all ties,
    dated or not (its ``overall`` table).

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    years : iterable of int, optional
        Years to draw. Default: those of ``DEFAULT_LORENZ_YEARS`` inside the
        data's range, and the last dated year. A year after the last dated tie
        gets the last year's curve (no tie was signed since); a year before
        the first mainland tie has no curve and is left out.

    Returns
    -------
    DataFrame
        ``curve`` (legend label), ``year`` (Int64; missing for "all ties"),
        ``ties`` (ties counted), ``gini``, ``population_share``,
        ``value_share``: one row per point, curves in drawing order.
    """
    conc = concentration(graph)
    by_year = conc.by_year.dropna(subset=["year"])
    lorenz = conc.lorenz
    available = [int(y) for y in by_year["year"]]
    first, last = (min(available), max(available)) if available else (None, None)
    if years is None:
        wanted = [y for y in DEFAULT_LORENZ_YEARS if available and first <= y <= last]
        if last is not None and last not in wanted:
            wanted.append(last)
    else:
        wanted = sorted({int(y) for y in years})

    frames = []
    for year in wanted:
        if last is None or year < first:
            continue
        source = min(year, last)  # nothing was signed after the last dated year
        row = by_year[by_year["year"] == source].iloc[0]
        points = lorenz[lorenz["year"] == source]
        if points.empty or pd.isna(row["gini"]):
            continue
        frames.append(_lorenz_frame(f"by {year}", year, int(row["ties"]), float(row["gini"]), points))
    overall = conc.overall.iloc[0]
    points = lorenz[lorenz["year"].isna()]
    # Without undated ties, "all ties" would repeat the last year's curve.
    repeat = bool(frames) and not conc.counts["ties_without_year"] and wanted and max(wanted) >= last
    if not points.empty and not pd.isna(overall["gini"]) and not repeat:
        frames.append(_lorenz_frame("all ties, incl. undated", None, int(overall["ties"]), float(overall["gini"]),
                                    points))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "year" else float) for c in LORENZ_COLUMNS})
    out = pd.concat(frames, ignore_index=True)[LORENZ_COLUMNS]
    out["year"] = out["year"].astype("Int64")
    return out


def _lorenz_frame(label: str, year: int | None, ties: int, gini: float, points: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "curve": label, "year": year, "ties": ties, "gini": gini,
        "population_share": points["population_share"].to_numpy(dtype=float),
        "value_share": points["value_share"].to_numpy(dtype=float),
    })


def lorenz_chart(graph: nx.Graph, *, years: Iterable[int] | None = None, title: str | None = None) -> Figure:
    """Lorenz curves of ties over the 31 mainland Chinese provinces, with each curve's Gini.

    Each curve counts the ties signed up to a year (cumulative), each province
    for the ties of its parties; provinces without a tie count as zeros. The
    dashed curve counts all ties, including those without a year. Hong Kong
    and Macau are outside the population (no NBS region or coastal flag), as in
    :func:`twinlac.analysis.concentration`, which computes every number drawn.

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    years : iterable of int, optional
        Years to draw (see :func:`lorenz_chart_data`).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = lorenz_chart_data(graph, years=years)
    conc_counts = concentration(graph).counts if data.empty else None
    with _style():
        fig = Figure(figsize=(7.2, 6.8), layout="constrained")
        ax = fig.subplots()
        fig.suptitle(_literal(title or "Concentration of ties over Chinese provinces"), x=0.01, ha="left")
        ax.plot([0, 1], [0, 1], color="#9e9e9e", linewidth=0.9, linestyle=":", label="equality (Gini 0)")
        curves = list(dict.fromkeys(data["curve"]))
        dated = [c for c in curves if not data.loc[data["curve"] == c, "year"].isna().all()]
        palette = matplotlib.colormaps["viridis"]
        for curve in curves:
            part = data[data["curve"] == curve]
            row = part.iloc[0]
            label = f"{curve}: {int(row['ties'])} ties, Gini {row['gini']:.2f}"
            if pd.isna(row["year"]):
                style = {"color": "#212121", "linestyle": "--", "linewidth": 1.6}
            else:
                i = dated.index(curve)
                style = {"color": palette(0.15 + 0.7 * i / max(len(dated) - 1, 1)), "linewidth": 1.8}
            ax.plot(part["population_share"], part["value_share"], label=_literal(label),
                    marker="o", markersize=2.2, **style)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("Share of mainland provinces, from fewest ties to most")
        ax.set_ylabel("Share of ties")
        ax.grid(color="#eeeeee", linewidth=0.6)
        ax.legend(loc="upper left", title="Ties signed …", alignment="left")
        ax.set_title(_literal(_lorenz_subtitle(graph, data, conc_counts)), loc="left", color=_SUBTITLE_COLOR,
                     fontsize=8.5)
        if data.empty:
            _empty_note(ax, "No tie of a mainland province")
    return fig


def _lorenz_subtitle(graph: nx.Graph, data: pd.DataFrame, counts: dict | None) -> str:
    if counts is None:
        counts = concentration(graph).counts
    undated = counts["ties_without_year"]
    text = ("31 mainland provinces, those without a tie counted as zeros; each tie counted for the "
            "Chinese party's province. "
            + (f"Ties without a year ({undated}) appear only in the dashed curve; " if undated else
               "Every tie has a year; ")
            + f"{counts['sar_ties']} ties of Hong Kong and Macau are left out.")
    filters = filter_note(graph)
    if filters:
        text += " " + filters
    return textwrap.fill(text, width=92)


# --- top provinces and localities ------------------------------------------------------------------


def top_provinces_chart(graph: nx.Graph, *, top: int = 15, title: str | None = None) -> Figure:
    """Horizontal bars of the Chinese provinces with most ties, coloured by NBS region.

    Each tie counts for the province of its Chinese party (a city's province,
    or the province itself); see :func:`twinlac.analysis.top_provinces`.

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    top : int, optional
        Provinces shown.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = top_provinces(graph, top=top)
    everyone = top_provinces(graph, top=None)
    colors = [_CHINA_REGION_COLORS.get(r or "", _NO_REGION_COLOR) for r in data["region"]]
    regions = [r for r in _CHINA_REGION_COLORS if r in set(data["region"])]
    legend = [(r, _CHINA_REGION_COLORS[r]) for r in regions]
    if any((r or "") not in _CHINA_REGION_COLORS for r in data["region"]):
        legend.append(("No NBS region (Hong Kong, Macau)", _NO_REGION_COLOR))
    subtitle = (f"Each tie counted for the Chinese party's province; {int(everyone['ties'].sum())} ties "
                f"over {len(everyone)} provinces with at least one.")
    return _bars(
        data, labels=list(data["name"]), colors=colors, legend=legend,
        title=title or f"Chinese provinces with most ties (top {top})", subtitle=subtitle,
        xlabel="Ties (agreements of the province and its cities)", graph=graph, empty="No tie",
    )


def top_localities_chart(graph: nx.Graph, *, top: int = 15, include_provinces: bool = False,
                         title: str | None = None) -> Figure:
    """Horizontal bars of the city-level parties with most ties, Chinese in red, LAC in blue.

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    top : int, optional
        Places shown.
    include_provinces : bool, optional
        Rank province-level parties too (see :func:`twinlac.analysis.top_localities`).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    data = top_localities(graph, top=top, include_provinces=include_provinces)
    colors = [_SIDE_COLORS.get(s or "", _NO_REGION_COLOR) for s in data["side"]]
    legend = [(label, _SIDE_COLORS[side]) for side, label in (("china", "Chinese party"), ("lac", "LAC party"))
              if side in set(data["side"])]
    what = "parties (cities and provinces)" if include_provinces else "city-level parties"
    subtitle = (f"Ties each place signed itself, among {what}; the place's province or "
                "country in brackets.")
    return _bars(
        data, labels=list(data["label"]), colors=colors, legend=legend,
        title=title or f"Places with most ties (top {top})", subtitle=subtitle,
        xlabel="Ties", graph=graph, empty="No tie of a city-level party",
    )


def _bars(data: pd.DataFrame, *, labels: list[str], colors: list[str], legend: list[tuple[str, str]], title: str,
          subtitle: str, xlabel: str, graph: nx.Graph, empty: str) -> Figure:
    n = max(len(data), 1)
    with _style():
        fig = Figure(figsize=(8.6, 1.55 + 0.29 * n), layout="constrained")
        ax = fig.subplots()
        fig.suptitle(_literal(title), x=0.01, ha="left")
        filters = filter_note(graph)
        ax.set_title(_literal(subtitle + ("\n" + filters if filters else "")), loc="left", color=_SUBTITLE_COLOR,
                     fontsize=8.5)
        if data.empty:
            _empty_note(ax, empty)
            ax.set_yticks([])
        else:
            positions = np.arange(len(data))
            values = data["ties"].to_numpy(dtype=float)
            ax.barh(positions, values, color=colors, height=0.72, linewidth=0)
            ax.set_yticks(positions, labels=[_literal(_short(label)) for label in labels])
            ax.invert_yaxis()
            for y, value in zip(positions, values, strict=True):
                ax.annotate(str(int(value)), xy=(value, y), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=8)
            ax.set_xlim(0, values.max() * 1.1)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.grid(axis="x", color="#e0e0e0", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.tick_params(axis="y", length=0)
            ax.spines["left"].set_visible(False)
        ax.set_xlabel(xlabel)
        if legend:
            from matplotlib.patches import Patch

            handles = [Patch(color=color, label=_literal(label)) for label, color in legend]
            ax.legend(handles=handles, loc="lower right")
    return fig


# --- robustness -------------------------------------------------------------------------------


def robustness_chart(graph: nx.Graph, *, n_random: int = 20, seed: int = 0, title: str | None = None) -> Figure:
    """The giant component's share as parties are removed, hubs first against random removal.

    Parameters
    ----------
    graph : networkx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    n_random : int, optional
        Random removal orders averaged (a sample; the chart's note says how many).
    seed : int, optional
        Seed of the random orders: the same graph gives the same chart.
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        The curve of :func:`twinlac.analysis.robustness`, drawn by
        :func:`twinlac.analysis.robustness_figure`, with the filters (if any) in
        the title.

    Examples
    --------
    >>> fig = robustness_chart(nx.star_graph(4), n_random=2)
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['hubs first', 'random (mean)']
    """
    curve = robustness(graph, n_random=n_random, seed=seed)
    filters = filter_note(graph)
    text = title or "Robustness: parties in the largest component as parties are removed"
    with _style():
        return robustness_figure(curve, title=_literal(text + ("\n" + filters if filters else "")))


# --- helpers --------------------------------------------------------------------------------------


@contextmanager
def _style():
    with matplotlib.rc_context(_STYLE):
        yield


def _literal(text: str) -> str:
    """Text drawn as written: a ``$`` is escaped so that it never starts mathtext."""
    return str(text).replace("$", r"\$")


def _short(text: str, limit: int = _MAX_LABEL) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _empty_note(ax, text: str) -> None:
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center", color=_SUBTITLE_COLOR, fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])


def filter_note(graph: nx.Graph) -> str:
    """The subtitle of a chart drawn from a filtered graph: :func:`~twinlac.analysis.filters.describe_filters`
    when any filter was set or left ties out, "" otherwise.

    >>> G = nx.Graph(evidence=["official"], ties_left_out=3, ties_left_out_by={"evidence": 3})
    >>> filter_note(G)
    '0 ties used, 3 left out (3 evidence not official).'
    >>> filter_note(nx.Graph())
    ''
    """
    meta = graph.graph
    if not (meta.get("ties_left_out") or meta.get("evidence") or meta.get("as_of") is not None):
        return ""
    return describe_filters(graph) + "."
