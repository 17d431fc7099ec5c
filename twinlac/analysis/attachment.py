"""Preferential attachment: do new ties go to the already well connected?

The attachment kernel Π(k) — the rate at which units with k earlier ties
receive new ones — measured on the growing twinning network, its exponent α
(Π(k) ∝ k^α) and a bootstrap interval for α.

References
----------
Newman, M. E. J. (2001). Clustering and preferential attachment in growing
networks. Phys. Rev. E 64, 025102.
Jeong, H., Néda, Z. & Barabási, A.-L. (2003). Measuring preferential
attachment in evolving networks. Europhys. Lett. 61(4), 567–572.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import china_provinces, counts_before, loglog_fit, tie_counts, ties_frame, year_matrix

__all__ = ["PreferentialAttachment", "preferential_attachment"]


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
    counts: dict[str, int] = field(default_factory=dict)


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
    new = _new_ties(graph, ties, level)
    before = counts_before(new)
    at_risk = np.ones_like(new, dtype=bool) if level == "province" else before >= 1
    n_risk, n_new = at_risk.sum(axis=1), np.where(at_risk, new, 0).sum(axis=1)
    rate_t = np.divide(n_new, n_risk, out=np.zeros(len(new)), where=n_risk > 0)
    keep = at_risk & (rate_t[:, None] > 0) if normalise else at_risk
    k, n = before[keep], new[keep]
    weight = (new / np.where(rate_t > 0, rate_t, 1)[:, None])[keep] if normalise else n.astype(float)
    size = int(k.max()) + 1 if len(k) else 0
    kernel = _kernel(k, n, weight, size)
    alpha, intercept = _fit_exponent(kernel["k"].to_numpy(), kernel["pi"].to_numpy(), zero)
    boot = _bootstrap_exponents(k, weight, size, zero=zero, n_boot=n_boot, seed=seed)
    tail = (1 - ci) / 2 * 100
    low, high = (np.percentile(boot, [tail, 100 - tail]) if boot else (np.nan, np.nan))
    counts = {**tie_counts(graph, ties), "unit_years": int(keep.sum()), "tie_ends_used": int(n.sum()),
              "entry_tie_ends": int(np.where(at_risk, 0, new).sum())}
    return PreferentialAttachment(kernel, alpha, intercept, float(low), float(high), len(boot), level, counts)


def _new_ties(graph: nx.Graph, ties: pd.DataFrame, level: str) -> np.ndarray:
    """Years × units matrix of new tie ends: provinces (Chinese end), or parties (both ends)."""
    if level == "province":
        units = china_provinces(graph).index.tolist()
        keys, years = ties["cn_province"], ties["year"]
    else:
        units = list(graph.nodes)
        keys, years = pd.concat([ties["cn"], ties["lac"]]), pd.concat([ties["year"], ties["year"]])
    return year_matrix(years, keys, units, end=graph.graph.get("as_of")).to_numpy(dtype=int)


def _kernel_arrays(k: np.ndarray, new: np.ndarray, weight: np.ndarray,
                   size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit-years at risk, new ties and weighted rate Π for every degree 0 … size − 1."""
    at_risk = np.bincount(k, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        weighted = np.bincount(k, weights=weight, minlength=size) / at_risk
    return at_risk, np.bincount(k, weights=new, minlength=size), weighted


def _kernel(k: np.ndarray, new: np.ndarray, weight: np.ndarray, size: int) -> pd.DataFrame:
    """The kernel table ``k, at_risk, new_ties, rate, pi`` over the degrees observed at risk."""
    risk, got, pi = _kernel_arrays(k, new, weight, size)
    observed = risk > 0
    kernel = pd.DataFrame({"k": np.arange(size)[observed], "at_risk": risk[observed],
                           "new_ties": got[observed].astype(int)})
    kernel["rate"] = kernel["new_ties"] / kernel["at_risk"]
    kernel["pi"] = pi[observed]
    return kernel


def _fit_exponent(k: np.ndarray, pi: np.ndarray, zero: str) -> tuple[float, float]:
    """α and intercept of ln Π = α ln(k + 1) + c (``zero="shift"``) or α ln k + c (``"drop"``)."""
    return loglog_fit(k + 1.0 if zero == "shift" else k.astype(float), pi)


def _bootstrap_exponents(k: np.ndarray, weight: np.ndarray, size: int, *, zero: str, n_boot: int,
                         seed: int) -> list[float]:
    """α refitted on ``n_boot`` resamples of the unit-years (those that allow a fit).

    The same numbers as ``_kernel_arrays`` on ``k[idx], weight[idx]`` for each resample ``idx``, bit for
    bit, with less work: the new-tie counts are not needed for the fit, the degrees are gathered
    from a narrow copy, and the weighted sums gather only the unit-years with a non-zero weight, in the
    resample's order (adding 0.0 leaves a float sum unchanged).  Most unit-years receive no tie, so the
    gathers of 10⁶ unit-years at party level shrink to a few per cent of them.
    """
    rng, boot = np.random.default_rng(seed), []
    narrow = k.astype(np.int16 if size <= np.iinfo(np.int16).max else np.int64)
    nonzero = weight != 0
    for _ in range(n_boot if len(k) else 0):
        idx = rng.integers(0, len(k), len(k))
        risk_b = np.bincount(narrow.take(idx), minlength=size)
        chosen = idx[nonzero.take(idx)]
        with np.errstate(invalid="ignore", divide="ignore"):
            pi_b = np.bincount(k.take(chosen), weights=weight.take(chosen), minlength=size) / risk_b
        ks = np.flatnonzero(risk_b > 0)
        a, _ = _fit_exponent(ks, pi_b[ks], zero)
        if np.isfinite(a):
            boot.append(a)
    return boot
