"""Spillover: do coastal provinces keep their lead, do new ties go to the well connected,
does a first tie between a Chinese province and a LAC country lead to more?

Regional shares of ties over time, concentration of ties over Chinese provinces
(Gini, Lorenz, Theil with its between/within decomposition), the preferential
attachment kernel, and diffusion within province–country pairs together with
the time to a province's first LAC tie (Kaplan–Meier).

All by-year measures use the ties with a year; every result says how many ties
had none (``counts["ties_without_year"]``) and were therefore left out of them.
Chinese parties are counted for their first-level division (a city for its
province).  Hong Kong and Macau have no NBS region and no coastal flag: they
are the group ``"SAR"`` in shares and survival curves and are left out of the
concentration measures, which run over the 31 mainland divisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import (
    COASTAL_GROUPS, NBS_GROUPS, china_provinces, tie_counts, ties_frame, year_matrix,
)

__all__ = [
    "TheilIndex", "gini", "lorenz_curve", "theil", "kaplan_meier",
    "Shares", "regional_shares", "Concentration", "concentration",
    "PreferentialAttachment", "preferential_attachment", "PairDiffusion", "pair_diffusion",
    "FirstTie", "time_to_first_tie", "Spillover", "spillover",
]

#: China's first local twinning abroad: Tianjin–Kobe (Japan), 1973.
FIRST_TWINNING_YEAR = 1973

GROUPINGS = {"nbs": ("nbs", NBS_GROUPS), "coastal": ("coast", COASTAL_GROUPS)}
BY_YEAR_COLUMNS = ["grouping", "year", "group", "new", "new_share", "cumulative", "cumulative_share"]


# -- inequality and survival: plain numeric helpers -----------------------------

def gini(values) -> float:
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


def lorenz_curve(values) -> pd.DataFrame:
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


def theil(values, groups=None) -> TheilIndex:
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

    def t_index(v):
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


def kaplan_meier(durations, events) -> pd.DataFrame:
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
    rows, survival = [], 1.0
    for time in np.unique(t):
        at_risk = int((t >= time).sum())
        died = int((e & (t == time)).sum())
        survival *= 1 - died / at_risk
        rows.append({"time": time, "at_risk": at_risk, "events": died,
                     "censored": int((~e & (t == time)).sum()), "survival": survival})
    return pd.DataFrame(rows, columns=["time", "at_risk", "events", "censored", "survival"])


# -- shares and concentration -------------------------------------------------

@dataclass(frozen=True)
class Shares:
    """Result of ``regional_shares()``."""

    by_year: pd.DataFrame
    overall: pd.DataFrame
    counts: dict = field(default_factory=dict)


def regional_shares(graph: nx.Graph) -> Shares:
    """Shares of ties by Chinese NBS region and by coastal vs inland, per year and cumulative.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    Shares, with

    - ``by_year``: ``grouping`` ("nbs" or "coastal"), ``year``, ``group``,
      ``new`` (ties signed that year), ``new_share`` (of that year's ties; NaN
      in a year without ties), ``cumulative`` (ties signed up to that year) and
      ``cumulative_share``; every year from the first to the last dated tie
      (or to ``graph.graph["as_of"]``, when set), and
      every group (East, Central, West, Northeast, SAR; coastal, inland, SAR),
      zeros included;
    - ``overall``: ``grouping, group, ties, share, dated, undated`` over all
      ties, with or without a year;
    - ``counts``: ties, ties used (dated), without year, left out by filters.

    Notes
    -----
    Ties are counted for the Chinese party's division; groups follow its
    ``region`` (NBS; None → "SAR") and ``coastal`` attributes.  Shares of new
    ties show where the growth goes; cumulative shares show whether the lead
    of a group holds.

    References
    ----------
    National Bureau of Statistics of China, the four economic regions (East,
    Central, West, Northeast).

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", side="china", province="CN-JS", region="East", coastal=True)
    >>> G.add_node("CN-SC", side="china", province="CN-SC", region="West", coastal=False)
    >>> G.add_node("AR-B", side="lac", province="AR-B", country="AR")
    >>> G.add_edge("CN-JS", "AR-B", year=2000); G.add_edge("CN-SC", "AR-B", year=None)
    >>> s = regional_shares(G)
    >>> s.overall.query("grouping == 'coastal'").set_index("group")["ties"].to_dict()
    {'coastal': 1, 'inland': 1, 'SAR': 0}
    >>> s.counts["ties_without_year"]
    1
    """
    ties = ties_frame(graph)
    by_year, overall = [], []
    for grouping, (column, groups) in GROUPINGS.items():
        new = year_matrix(ties["year"], ties[column], groups, end=graph.graph.get("as_of"))
        long = {"grouping": grouping, "year": np.repeat(new.index.to_numpy(), len(groups)),
                "group": np.tile(list(groups), len(new))}
        for name, table in (("new", new), ("cumulative", new.cumsum())):
            totals = table.sum(axis=1).to_numpy()[:, None]
            long[name] = table.to_numpy().ravel()
            long[f"{name}_share"] = np.divide(table.to_numpy(), totals, out=np.full(table.shape, np.nan),
                                              where=totals > 0).ravel()
        by_year.append(pd.DataFrame(long, columns=BY_YEAR_COLUMNS))
        all_ties = ties[column].value_counts().reindex(groups, fill_value=0)
        dated = ties.loc[ties["year"].notna(), column].value_counts().reindex(groups, fill_value=0)
        overall.append(pd.DataFrame({"grouping": grouping, "group": list(groups), "ties": all_ties.to_numpy(),
                                     "share": (all_ties / all_ties.sum()).to_numpy() if len(ties) else np.nan,
                                     "dated": dated.to_numpy(), "undated": (all_ties - dated).to_numpy()}))
    return Shares(pd.concat(by_year, ignore_index=True), pd.concat(overall, ignore_index=True),
                  tie_counts(graph, ties))


@dataclass(frozen=True)
class Concentration:
    """Result of ``concentration()``."""

    by_year: pd.DataFrame
    overall: pd.DataFrame
    lorenz: pd.DataFrame
    counts: dict = field(default_factory=dict)


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

    def measures(year, x) -> dict:
        coastal = theil(x, mainland["coast"])
        nbs = theil(x, mainland["nbs"])
        return {"year": year, "ties": int(x.sum()), "provinces": len(x), "provinces_with_ties": int((x > 0).sum()),
                "gini": gini(x), "theil": coastal.total, "theil_between_coastal": coastal.between,
                "theil_within_coastal": coastal.within, "theil_between_nbs": nbs.between,
                "theil_within_nbs": nbs.within}

    cumulative = year_matrix(used["year"], used["cn_province"], mainland.index,
                             end=graph.graph.get("as_of")).cumsum()
    all_ties = used["cn_province"].value_counts().reindex(mainland.index, fill_value=0).to_numpy()
    rows = [measures(int(year), counts.to_numpy()) for year, counts in cumulative.iterrows()]
    lorenz = [lorenz_curve(counts.to_numpy()).assign(year=int(year)) for year, counts in cumulative.iterrows()]
    lorenz.append(lorenz_curve(all_ties).assign(year=None))
    lorenz_columns = ["year", "population_share", "value_share"]
    lorenz = [frame for frame in lorenz if len(frame)]
    lorenz_frame = pd.concat(lorenz, ignore_index=True)[lorenz_columns] if lorenz else \
        pd.DataFrame(columns=lorenz_columns)
    lorenz_frame["year"] = lorenz_frame["year"].astype("Int64")
    by_year = pd.DataFrame(rows, columns=CONCENTRATION_COLUMNS)
    overall = pd.DataFrame([measures(None, all_ties)], columns=CONCENTRATION_COLUMNS)
    by_year["year"], overall["year"] = by_year["year"].astype("Int64"), overall["year"].astype("Int64")
    counts = {**tie_counts(graph, ties, used=int(used["year"].notna().sum())), "sar_ties": int((~inside).sum())}
    return Concentration(by_year, overall, lorenz_frame, counts)


# -- preferential attachment ---------------------------------------------------

@dataclass(frozen=True)
class PreferentialAttachment:
    """Result of ``preferential_attachment()``: the kernel and the fitted exponent."""

    kernel: pd.DataFrame
    alpha: float
    intercept: float
    alpha_low: float
    alpha_high: float
    n_boot_used: int
    level: str
    counts: dict = field(default_factory=dict)


def _fit_exponent(k: np.ndarray, pi: np.ndarray, zero: str) -> tuple[float, float]:
    x = k + 1.0 if zero == "shift" else k.astype(float)
    ok = (pi > 0) & (x > 0) & np.isfinite(pi)
    if len(np.unique(x[ok])) < 2:
        return float("nan"), float("nan")
    slope, intercept = np.polyfit(np.log(x[ok]), np.log(pi[ok]), 1)
    return float(slope), float(intercept)


def _kernel_arrays(k, new, weight, size):
    at_risk = np.bincount(k, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = np.bincount(k, weights=weight, minlength=size) / at_risk
    return at_risk, np.bincount(k, weights=new, minlength=size), weighted


def preferential_attachment(graph: nx.Graph, *, level: str = "province", zero: str = "shift",
                            normalise: bool = True, n_boot: int = 1000, seed: int = 0,
                            ci: float = 0.95) -> PreferentialAttachment:
    """Preferential attachment kernel Π(k) of new ties and its exponent α, Π(k) ∝ k^α.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    level : {"province", "party"}
        ``"province"``: units are all Chinese first-level divisions of
        ``graph.graph["china_provinces"]`` (33, SARs included), each tie counted
        for the Chinese party's division; every unit is at risk every year, so
        k = 0 is observed.  ``"party"``: units are the parties of both sides,
        each tie counted for both ends; a party is at risk from the year after
        its first dated tie (the set of parties that could still enter is
        unknown), so the kernel starts at k = 1 and first ties are counted
        apart (``entry_tie_ends``).
    zero : {"shift", "drop"}
        How k = 0 enters the fit: ``"shift"`` fits Π ∝ (k + 1)^α over all k;
        ``"drop"`` fits Π ∝ k^α over k ≥ 1.
    normalise : bool
        Divide each year's new ties by that year's mean rate per unit at risk
        (see Notes); False pools raw counts.
    n_boot : int
        Bootstrap resamples for the interval of α (0: none).
    seed : int
        Seed of the bootstrap (results are deterministic).
    ci : float
        Coverage of the percentile interval.

    Returns
    -------
    PreferentialAttachment, with

    - ``kernel``: ``k, at_risk`` (unit-years at degree k), ``new_ties`` (ties
      those units received in the year), ``rate`` = new_ties / at_risk, and
      ``pi`` (the normalised rate if ``normalise``, else ``rate``);
    - ``alpha``, ``intercept``: least-squares line of ln Π on ln(k + 1) (or
      ln k), over the k with Π > 0; NaN with fewer than two such k;
    - ``alpha_low``, ``alpha_high``: bootstrap percentile interval;
      ``n_boot_used`` resamples that allowed a fit;
    - ``counts``: ties, ties used (dated), without year, left out by filters,
      ``unit_years``, ``tie_ends_used`` and ``entry_tie_ends``.

    Notes
    -----
    Years run from the first to the last dated tie (or ``as_of``, when the
    graph was filtered with it).  For a tie signed in year
    t, the degree of its end is k = number of its dated ties signed before t
    (in years ≤ t − 1), so all ties of one year see the same degrees.  Pooling
    the years (Newman 2001), Π(k) = Σ_t n_t(k) / Σ_t N_t(k), with n_t(k) the new
    ties to units of degree k in year t and N_t(k) the units at risk with
    degree k.  With ``normalise``, each year's n_t is divided by r_t = (new ties
    to units at risk in t) / (units at risk in t), so that busy years, in
    which high degrees are also more common, do not bend the kernel upward
    (Jeong, Néda & Barabási 2003 measure Π within a time window for the same
    reason); years with r_t = 0 carry no information and are left out.
    Π(k) ∝ k^α: α ≈ 1 is linear preferential attachment, α = 0 none, α < 1
    sublinear.  Points with Π = 0 cannot be logged and are left out of the
    fit.  The bootstrap resamples unit-years with replacement and refits.
    Ties without a year are left out entirely, so degrees are undercounts.

    References
    ----------
    Newman, M. E. J. (2001). Clustering and preferential attachment in growing
    networks. Phys. Rev. E 64, 025102. Jeong, H., Néda, Z. & Barabási, A.-L.
    (2003). Measuring preferential attachment in evolving networks. Europhys.
    Lett. 61(4), 567–572.

    Example
    -------
    >>> G = nx.Graph(china_provinces={p: {"name": p, "region": "East", "coastal": True} for p in "ABC"})
    >>> for p in "ABC":
    ...     G.add_node(p, side="china", province=p, region="East", coastal=True)
    >>> for x, (p, year) in enumerate([("A", 2000), ("A", 2001), ("B", 2001), ("A", 2002)]):
    ...     G.add_node(x, side="lac"); G.add_edge(p, x, year=year)
    >>> pa = preferential_attachment(G, normalise=False, n_boot=0)
    >>> pa.kernel[["k", "at_risk", "new_ties"]].values.tolist()
    [[0, 6, 2], [1, 2, 1], [2, 1, 1]]
    """
    if level not in ("province", "party"):
        raise ValueError(f"unknown level {level!r}: use province or party")
    if zero not in ("shift", "drop"):
        raise ValueError(f"unknown zero {zero!r}: use shift or drop")
    ties = ties_frame(graph)
    if level == "province":
        units = china_provinces(graph).index.tolist()
        keys, years = ties["cn_province"], ties["year"]
    else:
        units = list(graph.nodes)
        keys, years = pd.concat([ties["cn"], ties["lac"]]), pd.concat([ties["year"], ties["year"]])
    new = year_matrix(years, keys, units, end=graph.graph.get("as_of")).to_numpy(dtype=int)
    before = np.cumsum(new, axis=0) - new
    at_risk = np.ones_like(new, dtype=bool) if level == "province" else before >= 1
    n_risk, n_new = at_risk.sum(axis=1), np.where(at_risk, new, 0).sum(axis=1)
    rate_t = np.divide(n_new, n_risk, out=np.zeros(len(new)), where=n_risk > 0)
    keep = at_risk & (rate_t[:, None] > 0) if normalise else at_risk
    k, n = before[keep], new[keep]
    weight = (new / np.where(rate_t > 0, rate_t, 1)[:, None])[keep] if normalise else n.astype(float)
    size = int(k.max()) + 1 if len(k) else 0
    risk, got, pi = _kernel_arrays(k, n, weight, size)
    observed = risk > 0
    kernel = pd.DataFrame({"k": np.arange(size)[observed], "at_risk": risk[observed],
                           "new_ties": got[observed].astype(int)})
    kernel["rate"] = kernel["new_ties"] / kernel["at_risk"]
    kernel["pi"] = pi[observed]
    alpha, intercept = _fit_exponent(kernel["k"].to_numpy(), kernel["pi"].to_numpy(), zero)
    rng, boot = np.random.default_rng(seed), []
    for _ in range(n_boot if len(k) else 0):
        idx = rng.integers(0, len(k), len(k))
        risk_b, _, pi_b = _kernel_arrays(k[idx], n[idx], weight[idx], size)
        ks = np.flatnonzero(risk_b > 0)
        a, _ = _fit_exponent(ks, pi_b[ks], zero)
        if np.isfinite(a):
            boot.append(a)
    tail = (1 - ci) / 2 * 100
    low, high = (np.percentile(boot, [tail, 100 - tail]) if boot else (np.nan, np.nan))
    counts = {**tie_counts(graph, ties), "unit_years": int(keep.sum()), "tie_ends_used": int(n.sum()),
              "entry_tie_ends": int(np.where(at_risk, 0, new).sum())}
    return PreferentialAttachment(kernel, alpha, intercept, float(low), float(high), len(boot), level, counts)


# -- diffusion -----------------------------------------------------------------

@dataclass(frozen=True)
class PairDiffusion:
    """Result of ``pair_diffusion()``."""

    rates: pd.DataFrame
    pairs: pd.DataFrame
    rate_ratio: float
    counts: dict = field(default_factory=dict)


def pair_diffusion(graph: nx.Graph) -> PairDiffusion:
    """Does a first tie between a Chinese province and a LAC country lead to more?

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    PairDiffusion, with

    - ``rates``: for ``state`` "no earlier tie" and "after a first tie":
      ``pair_years`` at risk, distinct ``pairs``, ``new_ties`` signed and
      ``rate`` = new ties per pair-year;
    - ``rate_ratio``: rate after a first tie / rate without one;
    - ``pairs``: one row per pair with a dated tie: ``cn_province, cn_name,
      lac_country, lac_country_name, first_year, dated_ties, undated_ties,
      further_ties`` (dated ties after the first, same year included),
      ``years_to_second`` (years from the first to the second dated tie),
      ``years_observed`` (last year − first year) and ``further_per_year``;
    - ``counts``: ties, ties used (dated), without year, left out by filters,
      ``pairs_at_risk``.

    Notes
    -----
    Pairs: every Chinese first-level division (``graph.graph["china_provinces"]``,
    33) × every LAC country with at least one tie in the graph (countries with
    none, e.g. those recognising Taiwan, would add structural zeros).  Years
    run from the first to the last dated tie (or ``as_of``).  The state of a
    pair in year t is set by its ties signed before t; all its ties of year t
    count for that state (so extra ties signed in the same year as the first
    count for "no earlier tie").  A rate ratio well above 1 is the within-pair spillover;
    part of it is heterogeneity (pairs that tie once are the ones likely to
    tie), not a causal effect.

    References
    ----------
    Newman (2001) and Jeong et al. (2003) for the rate-per-unit-at-risk
    approach; see ``preferential_attachment``.

    Example
    -------
    >>> G = nx.Graph(china_provinces={"CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True}})
    >>> G.add_node("CN-JS", side="china", province="CN-JS")
    >>> for x, y in [("a", 2000), ("b", 2001)]:
    ...     G.add_node(x, side="lac", country="AR"); G.add_edge("CN-JS", x, year=y)
    >>> pair_diffusion(G).rates[["state", "pair_years", "new_ties"]].values.tolist()
    [['no earlier tie', 1, 1], ['after a first tie', 1, 1]]
    """
    provinces = china_provinces(graph)
    ties = ties_frame(graph)
    countries = ties.drop_duplicates("lac_country").set_index("lac_country")["lac_country_name"].sort_index()
    pairs = [(p, c) for p in provinces.index for c in countries.index]
    keys = list(zip(ties["cn_province"], ties["lac_country"]))
    table = year_matrix(ties["year"], keys, pairs, end=graph.graph.get("as_of"))
    new = table.to_numpy(dtype=int)
    before = np.cumsum(new, axis=0) - new
    rows = []
    for state, mask in (("no earlier tie", before == 0), ("after a first tie", before > 0)):
        pair_years, got = int(mask.sum()), int(new[mask].sum())
        rows.append({"state": state, "pair_years": pair_years, "pairs": int(mask.any(axis=0).sum()),
                     "new_ties": got, "rate": got / pair_years if pair_years else np.nan})
    rates = pd.DataFrame(rows, columns=["state", "pair_years", "pairs", "new_ties", "rate"])
    ratio = rates["rate"].iloc[1] / rates["rate"].iloc[0] if rates["rate"].iloc[0] > 0 else np.nan

    last = table.index.max() if len(table) else None
    undated = pd.Series(keys, dtype=object)[ties["year"].isna().to_numpy()].value_counts()
    detail = []
    for j in np.flatnonzero(new.sum(axis=0)):
        years = np.repeat(table.index.to_numpy(), new[:, j])
        p, c = pairs[j]
        detail.append({"cn_province": p, "cn_name": provinces.loc[p, "name"], "lac_country": c,
                       "lac_country_name": countries[c], "first_year": int(years[0]), "dated_ties": len(years),
                       "undated_ties": int(undated.get((p, c), 0)), "further_ties": len(years) - 1,
                       "years_to_second": int(years[1] - years[0]) if len(years) > 1 else None,
                       "years_observed": int(last - years[0])})
    columns = ["cn_province", "cn_name", "lac_country", "lac_country_name", "first_year", "dated_ties",
               "undated_ties", "further_ties", "years_to_second", "years_observed", "further_per_year"]
    detail = pd.DataFrame(detail, columns=columns)
    detail["years_to_second"] = detail["years_to_second"].astype("Int64")
    detail["further_per_year"] = detail["further_ties"] / detail["years_observed"].where(detail["years_observed"] > 0)
    detail = detail.sort_values(["first_year", "cn_province", "lac_country"]).reset_index(drop=True)
    return PairDiffusion(rates, detail, float(ratio), {**tie_counts(graph, ties), "pairs_at_risk": len(pairs)})


@dataclass(frozen=True)
class FirstTie:
    """Result of ``time_to_first_tie()``."""

    provinces: pd.DataFrame
    survival: pd.DataFrame
    medians: pd.DataFrame
    origin: int
    end: int | None
    counts: dict = field(default_factory=dict)


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
    if origin == "data":
        origin = int(first.min()) if len(first) else None
    if end is None:
        end = graph.graph.get("as_of") or (int(dated["year"].max()) if len(dated) else None)
    column, groups = GROUPINGS[grouping]
    if len(first) and int(first.min()) < origin:
        raise ValueError(f"origin {origin} is after the first dated tie ({int(first.min())})")
    frame = provinces.reset_index()[["province", "name", column]].rename(columns={column: "group"})
    frame["first_year"] = frame["province"].map(first).astype("Int64")
    frame["undated_only"] = frame["province"].isin(set(ties["cn_province"])) & frame["first_year"].isna()
    first_year = frame["first_year"].fillna(0).to_numpy(dtype=int)
    frame["event"] = frame["first_year"].notna().to_numpy() & (first_year <= (end or 0))
    observed = end is not None and origin is not None
    frame["time"] = np.where(frame["event"], first_year, end) - origin if observed else np.nan
    frame = frame[["province", "name", "group", "first_year", "time", "event", "undated_only"]]
    survival, medians = [], []
    usable = frame[~frame["undated_only"]]
    for group in ("all", *groups):
        part = usable if group == "all" else usable[usable["group"] == group]
        if not observed or part.empty:
            continue
        km = kaplan_meier(part["time"], part["event"]).assign(group=group)
        km["year"] = (km["time"] + origin).astype(int)
        survival.append(km)
        below = km[km["survival"] <= 0.5]
        median = float(below["time"].iloc[0]) if len(below) else np.nan
        medians.append({"group": group, "provinces": len(part), "events": int(part["event"].sum()),
                        "median_time": median, "median_year": median + origin})
    survival_columns = ["group", "time", "year", "at_risk", "events", "censored", "survival"]
    survival = pd.concat(survival, ignore_index=True)[survival_columns] if survival else \
        pd.DataFrame(columns=survival_columns)
    medians = pd.DataFrame(medians, columns=["group", "provinces", "events", "median_time", "median_year"])
    counts = {**tie_counts(graph, ties), "provinces_undated_only": int(frame["undated_only"].sum())}
    return FirstTie(frame.reset_index(drop=True), survival, medians, origin, end, counts)


# -- everything at once ---------------------------------------------------------

@dataclass(frozen=True)
class Spillover:
    """Result of ``spillover()``: every spillover measure, and a summary table."""

    summary: pd.DataFrame
    shares: Shares
    concentration: Concentration
    attachment_province: PreferentialAttachment
    attachment_party: PreferentialAttachment
    diffusion: PairDiffusion
    first_tie: FirstTie


def _interval(pa: PreferentialAttachment) -> str:
    if not pa.n_boot_used:
        return "no bootstrap interval"
    return f"{pa.alpha_low:.2f}–{pa.alpha_high:.2f} bootstrap interval ({pa.n_boot_used} resamples)"


def spillover(graph: nx.Graph, *, n_boot: int = 1000, seed: int = 0,
              origin: int | str = FIRST_TWINNING_YEAR) -> Spillover:
    """All spillover measures, with a one-table summary of the headline numbers.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    n_boot, seed : bootstrap of the attachment exponents (``preferential_attachment``).
    origin : time origin of ``time_to_first_tie``.

    Returns
    -------
    Spillover: ``summary`` (DataFrame ``measure, value, note``), and the
    results of ``regional_shares``, ``concentration``,
    ``preferential_attachment`` (province and party level), ``pair_diffusion``
    and ``time_to_first_tie`` (coastal vs inland).

    Notes
    -----
    See the functions named above for the definitions.  The summary reports
    the shares and concentration over all ties (dated or not) and, for the
    by-year measures, how many ties lacked a year.

    References
    ----------
    Newman (2001); Jeong, Néda & Barabási (2003); Theil (1967); Kaplan & Meier
    (1958): see the functions.

    Example
    -------
    >>> G = nx.Graph()
    >>> spillover(G, n_boot=0).summary.empty
    False
    """
    shares = regional_shares(graph)
    conc = concentration(graph)
    pa_province = preferential_attachment(graph, level="province", n_boot=n_boot, seed=seed)
    pa_party = preferential_attachment(graph, level="party", n_boot=n_boot, seed=seed)
    diffusion = pair_diffusion(graph)
    first = time_to_first_tie(graph, origin=origin)

    overall = shares.overall.set_index(["grouping", "group"])["share"]
    last = {c: conc.by_year[c].iloc[-1] for c in ("year", "gini")} if len(conc.by_year) else None
    all_ties = {c: conc.overall[c].iloc[0] for c in conc.overall.columns}
    medians = first.medians.set_index("group")["median_year"]
    rows = [
        ("ties", shares.counts["ties"], "in the graph"),
        ("ties without year", shares.counts["ties_without_year"], "left out of every by-year measure"),
        ("share of ties, East", overall.get(("nbs", "East"), np.nan), "all ties, by the Chinese party's province"),
        ("share of ties, coastal", overall.get(("coastal", "coastal"), np.nan), "all ties"),
        ("Gini over mainland provinces", all_ties["gini"],
         f"all ties, {int(all_ties['provinces'])} provinces incl. zeros"),
        ("Theil T", all_ties["theil"], "all ties"),
        ("Theil T between coastal and inland", all_ties["theil_between_coastal"], "all ties"),
        ("Gini, last year", last["gini"] if last is not None else np.nan,
         f"dated ties up to {int(last['year'])}" if last is not None else "no dated ties"),
        ("attachment exponent α, provinces", pa_province.alpha, _interval(pa_province)),
        ("attachment exponent α, parties", pa_party.alpha, _interval(pa_party)),
        ("new-tie rate ratio after / before a first province–country tie", diffusion.rate_ratio,
         "per pair-year"),
        *((f"median year of first LAC tie, {group}", medians.get(group, np.nan),
           f"Kaplan–Meier, origin {first.origin}") for group in ("coastal", "inland")),
    ]
    summary = pd.DataFrame(rows, columns=["measure", "value", "note"])
    summary["value"] = [np.nan if pd.isna(v) else float(v) for v in summary["value"]]
    return Spillover(summary, shares, conc, pa_province, pa_party, diffusion, first)
