"""Survival: how long until a Chinese province's first LAC tie (Kaplan–Meier).

``kaplan_meier`` is the plain estimator; ``time_to_first_tie`` applies it to the
Chinese first-level divisions, with curves by coastal/inland or NBS region.
Hong Kong and Macau have no NBS region and no coastal flag: they are the group
``"SAR"`` in the curves.

References
----------
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
observations. J. Am. Stat. Assoc. 53(282), 457–481.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd

from twinlac.analysis._common import GROUPINGS, china_provinces, concat_or_empty, tie_counts, ties_frame

__all__ = ["kaplan_meier", "FirstTie", "time_to_first_tie", "FIRST_TWINNING_YEAR"]

#: China's first local twinning abroad: Tianjin–Kobe (Japan), 1973.
FIRST_TWINNING_YEAR = 1973


def kaplan_meier(durations: npt.ArrayLike, events: npt.ArrayLike) -> pd.DataFrame:
    """Kaplan–Meier estimate of the survival function.

    Parameters
    ----------
    durations : array-like of times (≥ 0) to the event or to censoring.
    events : array-like of bools, True where the event was observed (False:
        censored at that time).

    Returns
    -------
    DataFrame ``time, at_risk, events, censored, survival``, one row per
    distinct time, sorted; S(t) = 1 before the first row.  Empty for no data.

    Notes
    -----
    S(t) = Π_{t_i ≤ t} (1 − d_i / n_i), with d_i events at t_i and n_i units at
    risk just before t_i (time ≥ t_i); a unit censored at t_i is still at risk
    at t_i.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete
    observations. J. Am. Stat. Assoc. 53(282), 457–481.

    Example
    -------
    >>> km = kaplan_meier([2, 3, 4, 4, 6], [True, False, True, True, False])
    >>> km["survival"].round(4).tolist()  # 4/5, 4/5, 4/5 · 1/3, 4/15
    [0.8, 0.8, 0.2667, 0.2667]
    """
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    if len(t) != len(e):
        raise ValueError("durations and events differ in length")
    rows: list[dict[str, Any]] = []
    survival = 1.0
    for time in np.unique(t):
        at_risk = int((t >= time).sum())
        died = int((e & (t == time)).sum())
        survival *= 1 - died / at_risk
        rows.append({"time": time, "at_risk": at_risk, "events": died,
                     "censored": int((~e & (t == time)).sum()), "survival": survival})
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "censored", "survival"])



@dataclass(frozen=True)
class FirstTie:
    """Result of ``time_to_first_tie()``."""

    provinces: pd.DataFrame
    survival: pd.DataFrame
    medians: pd.DataFrame
    origin: int | None
    end: int | None
    counts: dict[str, int] = field(default_factory=dict)


def time_to_first_tie(graph: nx.Graph, *, origin: int | str = FIRST_TWINNING_YEAR, end: int | None = None,
                      grouping: str = "coastal") -> FirstTie:
    """Time to each Chinese province's first LAC tie, Kaplan–Meier curves by group.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    origin : int or "data"
        Year of time 0: default 1973, China's first local twinning abroad
        (Tianjin–Kobe); ``"data"`` uses the first dated tie in the graph.
    end : int, optional
        Last year observed (censoring year); default ``graph.graph["as_of"]``
        if set, else the last dated tie.
    grouping : {"coastal", "nbs"}
        Groups of the curves: coastal / inland / SAR, or the NBS regions and
        SAR.  A curve for ``"all"`` is always included.

    Returns
    -------
    FirstTie, with

    - ``provinces``: every Chinese first-level division: ``province, name,
      group, first_year, time, event`` (False: censored at ``end``),
      ``undated_only`` (has ties, none dated: left out of the curves);
    - ``survival``: ``group, time, year, at_risk, events, censored, survival``
      (Kaplan–Meier, see ``kaplan_meier``; year = origin + time);
    - ``medians``: ``group, provinces, events, median_time, median_year``
      (first time with S ≤ 0.5; NaN when the curve stays above);
    - ``origin``, ``end``, ``counts`` (ties, used, without year, left out,
      ``provinces_undated_only``).

    Notes
    -----
    Event: the province's first dated LAC tie; time = its year − origin.
    Provinces without a dated tie by ``end`` are censored at end − origin.
    Undated ties may be older than the first dated one, so the times are upper
    bounds, and provinces whose ties are all undated are left out rather
    than counted as tie-less.  Units: all 33 first-level divisions of
    ``graph.graph["china_provinces"]``.

    References
    ----------
    Kaplan, E. L. & Meier, P. (1958). J. Am. Stat. Assoc. 53, 457–481.

    Example
    -------
    >>> G = nx.Graph(china_provinces={"CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True},
    ...                               "CN-SC": {"name": "Sichuan", "region": "West", "coastal": False}})
    >>> G.add_node("CN-JS", side="china", province="CN-JS", region="East", coastal=True)
    >>> G.add_node("AR-B", side="lac", province="AR-B", country="AR")
    >>> G.add_edge("CN-JS", "AR-B", year=1993)
    >>> ft = time_to_first_tie(G, origin=1973)
    >>> ft.provinces[["province", "time", "event"]].values.tolist()
    [['CN-JS', 20, True], ['CN-SC', 20, False]]
    """
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}: use {' or '.join(GROUPINGS)}")
    provinces = china_provinces(graph)
    ties = ties_frame(graph)
    dated = ties[ties["year"].notna()]
    first = dated.groupby("cn_province")["year"].min()
    start: int | None
    if origin == "data":
        start = int(first.min()) if len(first) else None
    elif isinstance(origin, str):
        raise ValueError(f"unknown origin {origin!r}: use a year or 'data'")
    else:
        start = origin
    if end is None:
        end = graph.graph.get("as_of") or (int(dated["year"].max()) if len(dated) else None)
    column, groups = GROUPINGS[grouping]
    if len(first) and start is not None and int(first.min()) < start:
        raise ValueError(f"origin {start} is after the first dated tie ({int(first.min())})")
    frame = _province_times(provinces, ties, column, first, start, end)
    curves: list[pd.DataFrame] = []
    median_rows: list[dict[str, Any]] = []
    if end is not None and start is not None:
        curves, median_rows = _curves(frame[~frame["undated_only"]], groups, start)
    survival = concat_or_empty(curves, ["group", "time", "year", "at_risk", "events", "censored", "survival"])
    medians = pd.DataFrame(median_rows, columns=["group", "provinces", "events", "median_time", "median_year"])
    counts = {**tie_counts(graph, ties), "provinces_undated_only": int(frame["undated_only"].sum())}
    return FirstTie(frame.reset_index(drop=True), survival, medians, start, end, counts)


def _province_times(provinces: pd.DataFrame, ties: pd.DataFrame, column: str, first: pd.Series,
                    origin: int | None, end: int | None) -> pd.DataFrame:
    """One row per province: its group, first dated tie, time to it (or to ``end``) and event flag."""
    frame = provinces.reset_index()[["province", "name", column]].rename(columns={column: "group"})
    frame["first_year"] = frame["province"].map(first).astype("Int64")
    frame["undated_only"] = frame["province"].isin(set(ties["cn_province"])) & frame["first_year"].isna()
    first_year = frame["first_year"].fillna(0).to_numpy(dtype=int)
    frame["event"] = frame["first_year"].notna().to_numpy() & (first_year <= (end or 0))
    if end is not None and origin is not None:
        frame["time"] = np.where(frame["event"], first_year, end) - origin
    else:
        frame["time"] = np.nan
    return frame[["province", "name", "group", "first_year", "time", "event", "undated_only"]]


def _curves(usable: pd.DataFrame, groups: Iterable[str],
            origin: int) -> tuple[list[pd.DataFrame], list[dict[str, Any]]]:
    """Kaplan–Meier curve and median of every group with provinces ("all" first)."""
    survival: list[pd.DataFrame] = []
    medians: list[dict[str, Any]] = []
    for group in ("all", *groups):
        part = usable if group == "all" else usable[usable["group"] == group]
        if part.empty:
            continue
        km = kaplan_meier(part["time"], part["event"]).assign(group=group)
        km["year"] = (km["time"] + origin).astype(int)
        survival.append(km)
        below = km[km["survival"] <= 0.5]
        median = float(below["time"].iloc[0]) if len(below) else np.nan
        medians.append({"group": group, "provinces": len(part), "events": int(part["event"].sum()),
                        "median_time": median, "median_year": median + origin})
    return survival, medians
