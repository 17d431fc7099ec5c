"""Spillover: do coastal provinces keep their lead, do new ties go to the well connected,
does a first tie between a Chinese province and a LAC country lead to more?

``spillover()`` runs every spillover measure and sums up the headline numbers in
one table.  The measures live in their own modules, and are re-exported here:

- ``shares``: regional shares of ties over time (``regional_shares``);
- ``inequality``: Gini, Lorenz, Theil with its between/within decomposition,
  and the ``concentration`` of ties over Chinese provinces;
- ``attachment``: the preferential attachment kernel and its exponent
  (``preferential_attachment``);
- ``diffusion``: diffusion within province–country pairs (``pair_diffusion``);
- ``survival``: the time to a province's first LAC tie (``kaplan_meier``,
  ``time_to_first_tie``).

All by-year measures use the ties with a year; every result says how many ties
had none (``counts["ties_without_year"]``) and were therefore left out of them.
Chinese parties are counted for their first-level division (a city for its
province).  Hong Kong and Macau have no NBS region and no coastal flag: they
are the group ``"SAR"`` in shares and survival curves and are left out of the
concentration measures, which run over the 31 mainland divisions.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import shared_ties
from twinlac.analysis.attachment import PreferentialAttachment, preferential_attachment
from twinlac.analysis.diffusion import PairDiffusion, pair_diffusion
from twinlac.analysis.inequality import (
    CONCENTRATION_COLUMNS,
    Concentration,
    TheilIndex,
    concentration,
    gini,
    lorenz_curve,
    theil,
)
from twinlac.analysis.shares import BY_YEAR_COLUMNS, GROUPINGS, Shares, regional_shares
from twinlac.analysis.survival import FIRST_TWINNING_YEAR, FirstTie, kaplan_meier, time_to_first_tie

__all__ = [
    "Spillover", "spillover",
    # re-exported from the modules of each measure
    "TheilIndex", "gini", "lorenz_curve", "theil", "kaplan_meier",
    "Shares", "regional_shares", "Concentration", "concentration",
    "PreferentialAttachment", "preferential_attachment", "PairDiffusion", "pair_diffusion",
    "FirstTie", "time_to_first_tie",
    "FIRST_TWINNING_YEAR", "GROUPINGS", "BY_YEAR_COLUMNS", "CONCENTRATION_COLUMNS",
]


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
    >>> G = nx.Graph(china_provinces={"CN-JS": {"name": "Jiangsu", "region": "East", "coastal": True}})
    >>> G.add_node("CN-JS", side="china", province="CN-JS", region="East", coastal=True)
    >>> G.add_node("AR-B", side="lac", province="AR-B", country="AR")
    >>> G.add_edge("CN-JS", "AR-B", year=2000)
    >>> summary = spillover(G, n_boot=0).summary.set_index("measure")["value"]
    >>> summary[["ties", "share of ties, coastal"]].tolist()
    [1.0, 1.0]
    """
    with shared_ties(graph):  # the six measures start from the same tie table: built once
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
