"""Diffusion: does a first tie between a Chinese province and a LAC country lead to more?

New-tie rates of province–country pairs before and after their first tie.

References
----------
Newman, M. E. J. (2001). Phys. Rev. E 64, 025102; Jeong, H., Néda, Z. &
Barabási, A.-L. (2003). Europhys. Lett. 61(4), 567–572: the rate per unit at
risk, here per pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import china_provinces, counts_before, tie_counts, ties_frame, year_matrix

__all__ = ["PairDiffusion", "pair_diffusion"]


@dataclass(frozen=True)
class PairDiffusion:
    """Result of ``pair_diffusion()``."""

    rates: pd.DataFrame
    pairs: pd.DataFrame
    rate_ratio: float
    counts: dict[str, int] = field(default_factory=dict)


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
    keys = list(zip(ties["cn_province"], ties["lac_country"], strict=True))
    table = year_matrix(ties["year"], keys, pairs, end=graph.graph.get("as_of"))
    rates = _rates(table.to_numpy(dtype=int))
    ratio = rates["rate"].iloc[1] / rates["rate"].iloc[0] if rates["rate"].iloc[0] > 0 else np.nan
    undated = pd.Series(keys, dtype=object)[ties["year"].isna().to_numpy()].value_counts()
    detail = _pair_detail(table, pairs, provinces["name"], countries, undated)
    return PairDiffusion(rates, detail, float(ratio), {**tie_counts(graph, ties), "pairs_at_risk": len(pairs)})


def _rates(new: np.ndarray) -> pd.DataFrame:
    """Pair-years, pairs, new ties and rate in each state: before and after a pair's first tie."""
    before = counts_before(new)
    rows = []
    for state, mask in (("no earlier tie", before == 0), ("after a first tie", before > 0)):
        pair_years, got = int(mask.sum()), int(new[mask].sum())
        rows.append({"state": state, "pair_years": pair_years, "pairs": int(mask.any(axis=0).sum()),
                     "new_ties": got, "rate": got / pair_years if pair_years else np.nan})
    return pd.DataFrame(rows, columns=["state", "pair_years", "pairs", "new_ties", "rate"])


def _pair_detail(table: pd.DataFrame, pairs: list[tuple[str, str]], province_names: pd.Series, country_names: pd.Series,
                 undated: pd.Series) -> pd.DataFrame:
    """One row per pair with a dated tie: its first year, further ties and the years between."""
    new = table.to_numpy(dtype=int)
    last = table.index.max() if len(table) else None
    records = []
    for j in np.flatnonzero(new.sum(axis=0)):
        years = np.repeat(table.index.to_numpy(), new[:, j])
        p, c = pairs[j]
        records.append({"cn_province": p, "cn_name": province_names[p], "lac_country": c,
                       "lac_country_name": country_names[c], "first_year": int(years[0]), "dated_ties": len(years),
                       "undated_ties": int(undated.get((p, c), 0)), "further_ties": len(years) - 1,
                       "years_to_second": int(years[1] - years[0]) if len(years) > 1 else None,
                       "years_observed": int(last - years[0])})
    columns = ["cn_province", "cn_name", "lac_country", "lac_country_name", "first_year", "dated_ties",
               "undated_ties", "further_ties", "years_to_second", "years_observed", "further_per_year"]
    detail = pd.DataFrame(records, columns=columns)
    detail["years_to_second"] = detail["years_to_second"].astype("Int64")
    detail["further_per_year"] = detail["further_ties"] / detail["years_observed"].where(detail["years_observed"] > 0)
    return detail.sort_values(["first_year", "cn_province", "lac_country"]).reset_index(drop=True)
