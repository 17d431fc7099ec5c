"""Inequality: how unevenly ties are spread over units, and over Chinese provinces.

Plain numeric measures — the Gini coefficient, the Lorenz curve and the Theil
index with its exact between/within-group decomposition — and their use on the
twinning network: ``concentration`` of ties over the 31 mainland Chinese
provinces, year by year.  Hong Kong and Macau have no NBS region and no coastal
flag: they are left out of the concentration measures and counted apart
(``counts["sar_ties"]``).

References
----------
Gini, C. (1912). Variabilità e mutabilità. Bologna: Cuppini.
Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
Publ. Am. Stat. Assoc. 9(70), 209–219.
Theil, H. (1967). Economics and Information Theory. Amsterdam: North-Holland.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import china_provinces, concat_or_empty, tie_counts, ties_frame, year_matrix

__all__ = ["gini", "lorenz_curve", "TheilIndex", "theil", "Concentration", "concentration",
           "CONCENTRATION_COLUMNS"]


def gini(values: Iterable[float]) -> float:
    """Gini coefficient of non-negative values.

    Parameters
    ----------
    values : array-like of numbers ≥ 0 (zeros count: a province with no tie is
        part of the population).

    Returns
    -------
    float in [0, 1 − 1/n]; NaN when there are no values or they sum to 0.

    Notes
    -----
    G = Σ_i Σ_j |x_i − x_j| / (2 n² μ), computed on the sorted values as
    G = 2 Σ_i i·x_(i) / (n Σ x) − (n + 1)/n, i = 1 … n.  0: all equal; 1 − 1/n:
    one unit holds everything.

    References
    ----------
    Gini, C. (1912). Variabilità e mutabilità. Bologna: Cuppini.

    Example
    -------
    >>> gini([0, 0, 1, 3])  # (|diffs| summed over ordered pairs = 20) / (2 · 16 · 1)
    0.625
    """
    x = np.sort(np.asarray(values, dtype=float))
    if (x < 0).any():
        raise ValueError("gini needs non-negative values")
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return float("nan")
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n)


def lorenz_curve(values: Iterable[float]) -> pd.DataFrame:
    """Points of the Lorenz curve of non-negative values.

    Parameters
    ----------
    values : array-like of numbers ≥ 0.

    Returns
    -------
    DataFrame ``population_share, value_share``: (0, 0), then (i/n, share of the
    total held by the i smallest values) for i = 1 … n; empty when the values
    sum to 0.

    Notes
    -----
    L(i/n) = Σ_{j≤i} x_(j) / Σ x.  The Gini coefficient is twice the area between
    the diagonal and this piecewise-linear curve.

    References
    ----------
    Lorenz, M. O. (1905). Methods of measuring the concentration of wealth.
    Publ. Am. Stat. Assoc. 9(70), 209–219.

    Example
    -------
    >>> lorenz_curve([0, 0, 1, 3])["value_share"].tolist()
    [0.0, 0.0, 0.0, 0.25, 1.0]
    """
    x = np.sort(np.asarray(values, dtype=float))
    if len(x) == 0 or x.sum() == 0:
        return pd.DataFrame(columns=["population_share", "value_share"], dtype=float)
    return pd.DataFrame({"population_share": np.arange(len(x) + 1) / len(x),
                         "value_share": np.concatenate([[0.0], np.cumsum(x) / x.sum()])})


class TheilIndex(NamedTuple):
    """Theil T and its decomposition: ``total == between + within``."""

    total: float
    between: float
    within: float


def theil(values: Iterable[float], groups: Iterable[Hashable] | None = None) -> TheilIndex:
    """Theil T index of non-negative values, decomposed between and within groups.

    Parameters
    ----------
    values : array-like of numbers ≥ 0 (zeros allowed: 0 · ln 0 = 0).
    groups : array-like of group labels, same length, or None (one group).

    Returns
    -------
    TheilIndex(total, between, within); all NaN when the values sum to 0.

    Notes
    -----
    With shares s_i = x_i / Σ x over n units, T = (1/n) Σ (x_i/μ) ln(x_i/μ) =
    Σ s_i ln(n s_i), in [0, ln n].  For groups g with n_g units and share S_g of
    the total, T = Σ_g S_g ln(S_g n / n_g) [between] + Σ_g S_g T_g [within],
    T_g being the Theil index inside g; the decomposition is exact.

    References
    ----------
    Theil, H. (1967). Economics and Information Theory. Amsterdam:
    North-Holland. Shorrocks, A. F. (1980). The class of additively decomposable
    inequality measures. Econometrica 48(3), 613–625.

    Example
    -------
    >>> t = theil([1, 1, 0, 6], ["inland", "inland", "coastal", "coastal"])
    >>> [round(v, 4) for v in t]  # between = .25 ln .5 + .75 ln 1.5; within = .75 ln 2
    [0.6507, 0.1308, 0.5199]
    """
    x = np.asarray(values, dtype=float)
    if (x < 0).any():
        raise ValueError("theil needs non-negative values")
    total = x.sum()
    if len(x) == 0 or total == 0:
        return TheilIndex(float("nan"), float("nan"), float("nan"))

    def t_index(v: np.ndarray) -> float:
        s = v[v > 0] / v.sum()
        return float(np.sum(s * np.log(len(v) * s)))

    t = t_index(x)
    if groups is None:
        return TheilIndex(t, 0.0, t)
    labels = np.asarray(list(groups), dtype=object)
    between = within = 0.0
    for g in dict.fromkeys(labels):
        part = x[labels == g]
        share = part.sum() / total
        if share > 0:
            between += share * np.log(share * len(x) / len(part))
            within += share * t_index(part)
    return TheilIndex(t, float(between), float(within))



@dataclass(frozen=True)
class Concentration:
    """Result of ``concentration()``."""

    by_year: pd.DataFrame
    overall: pd.DataFrame
    lorenz: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


CONCENTRATION_COLUMNS = [
    "year", "ties", "provinces", "provinces_with_ties", "gini", "theil",
    "theil_between_coastal", "theil_within_coastal", "theil_between_nbs", "theil_within_nbs",
]


def concentration(graph: nx.Graph) -> Concentration:
    """Concentration of ties over the 31 mainland Chinese provinces, year by year (cumulative).

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    Concentration, with

    - ``by_year``: for every year from the first to the last dated tie (or
      ``as_of``), over
      the ties signed up to that year: ``year, ties, provinces,
      provinces_with_ties, gini, theil`` and the Theil decompositions
      ``theil_between_coastal, theil_within_coastal`` (coastal vs inland) and
      ``theil_between_nbs, theil_within_nbs`` (East, Central, West, Northeast);
    - ``overall``: the same columns (``year`` missing) over all ties, dated or not;
    - ``lorenz``: ``year, population_share, value_share``, the Lorenz curve of
      each year (``year`` missing: all ties);
    - ``counts``: ties, ties used (dated, mainland), without year, left out by
      filters, and ``sar_ties`` (Hong Kong and Macau, left out).

    Notes
    -----
    Units are all mainland first-level divisions listed in
    ``graph.graph["china_provinces"]`` (31), those without a tie included as
    zeros — leaving them out would understate the inequality.  Hong Kong and
    Macau belong to no NBS region and have no coastal flag, so they are left
    out of the population (their ties are counted in ``sar_ties``).  Gini and
    Theil T: see ``gini`` and ``theil``; between + within = theil in each row.
    A rising Gini with a stable between-coastal part means the concentration
    grows inside the groups rather than between coast and inland.

    References
    ----------
    Gini (1912); Lorenz (1905); Theil (1967); Shorrocks (1980): see ``gini``,
    ``lorenz_curve``, ``theil``.

    Example
    -------
    >>> G = nx.Graph(china_provinces={"CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True},
    ...                               "CN-SC": {"name": "Sichuan", "region": "West", "coastal": False}})
    >>> G.add_node("CN-JS", side="china", province="CN-JS", region="East", coastal=True)
    >>> G.add_node("AR-B", side="lac", province="AR-B", country="AR")
    >>> G.add_edge("CN-JS", "AR-B", year=2000)
    >>> concentration(G).by_year[["year", "ties", "gini"]].to_dict("records")
    [{'year': 2000, 'ties': 1, 'gini': 0.5}]
    """
    provinces = china_provinces(graph)
    mainland = provinces[provinces["mainland"]]
    ties = ties_frame(graph)
    inside = ties["cn_province"].isin(mainland.index)
    used = ties[inside]
    cumulative = year_matrix(used["year"], used["cn_province"], mainland.index,
                             end=graph.graph.get("as_of")).cumsum()
    all_ties = used["cn_province"].value_counts().reindex(mainland.index, fill_value=0).to_numpy()
    by_year = _measures_frame([(int(str(year)), counts.to_numpy()) for year, counts in cumulative.iterrows()],
                              mainland)
    overall = _measures_frame([(None, all_ties)], mainland)
    lorenz: list[tuple[int | None, np.ndarray]] = [(int(str(year)), counts.to_numpy())
                                                   for year, counts in cumulative.iterrows()]
    lorenz.append((None, all_ties))
    counts = {**tie_counts(graph, ties, used=int(used["year"].notna().sum())), "sar_ties": int((~inside).sum())}
    return Concentration(by_year, overall, _lorenz_frame(lorenz), counts)


def _measures(year: int | None, x: np.ndarray, mainland: pd.DataFrame) -> dict[str, Any]:
    """One row of ``concentration``: Gini and Theil (with both decompositions) of ``x``."""
    coastal = theil(x, mainland["coast"])
    nbs = theil(x, mainland["nbs"])
    return {"year": year, "ties": int(x.sum()), "provinces": len(x), "provinces_with_ties": int((x > 0).sum()),
            "gini": gini(x), "theil": coastal.total, "theil_between_coastal": coastal.between,
            "theil_within_coastal": coastal.within, "theil_between_nbs": nbs.between,
            "theil_within_nbs": nbs.within}


def _measures_frame(counts: list[tuple[int | None, np.ndarray]], mainland: pd.DataFrame) -> pd.DataFrame:
    frame = pd.DataFrame([_measures(year, x, mainland) for year, x in counts], columns=CONCENTRATION_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _lorenz_frame(counts: list[tuple[int | None, np.ndarray]]) -> pd.DataFrame:
    """The Lorenz curves of several years, one under the other (``year`` missing: all ties)."""
    curves = [lorenz_curve(x).assign(year=year) for year, x in counts]
    frame = concat_or_empty([curve for curve in curves if len(curve)], ["year", "population_share", "value_share"])
    frame["year"] = frame["year"].astype("Int64")
    return frame
