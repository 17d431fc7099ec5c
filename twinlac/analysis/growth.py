"""Growth of the twinning network: ties by year, cumulative, by country, level pair and kind."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from twinlac.analysis._common import long_table, tie_counts, ties_frame, year_matrix

__all__ = ["Growth", "growth", "GROWTH_BY"]

#: What ``growth(by=...)`` can break the counts down by, and the tie column it uses.
GROWTH_BY = {
    None: None,
    "country": "lac_country_name",   # LAC country (name)
    "subregion": "lac_region",       # LAC subregion
    "level": "level_pair",           # "city–city", "city–province", … (Chinese party first)
    "kind": "kind",                  # sister, friendship, letter_of_intent
    "china_region": "nbs",           # NBS region of the Chinese party ("SAR" for HK/Macau)
    "evidence": "evidence",          # official, press, wikipedia, weak, disputed
}


@dataclass(frozen=True)
class Growth:
    """Result of ``growth()``."""

    table: pd.DataFrame
    totals: pd.DataFrame
    by: str | None
    counts: dict[str, int] = field(default_factory=dict)

    def wide(self, value: str = "cumulative") -> pd.DataFrame:
        """``table`` as years × groups of ``value`` ("new" or "cumulative").

        Example
        -------
        >>> G = nx.Graph()
        >>> G.add_node("CN-JS", side="china"); G.add_node("AR-B", side="lac", country_name="Argentina")
        >>> G.add_node("BR-SP", side="lac", country_name="Brazil")
        >>> G.add_edge("CN-JS", "AR-B", year=2000); G.add_edge("CN-JS", "BR-SP", year=2001)
        >>> growth(G, by="country").wide().to_dict("index")
        {2000: {'Argentina': 1, 'Brazil': 0}, 2001: {'Argentina': 1, 'Brazil': 1}}
        """
        return self.table.pivot(index="year", columns="group", values=value)


def growth(graph: nx.Graph, *, by: str | None = None) -> Growth:
    """Ties signed per year and cumulative, overall or by LAC country, level pair, kind, …

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    by : {None, "country", "subregion", "level", "kind", "china_region", "evidence"}
        Breakdown (see ``GROWTH_BY``); None counts all ties as group ``"all"``.

    Returns
    -------
    Growth, with

    - ``table``: ``year, group, new, cumulative`` — every year from the first
      to the last dated tie (or ``graph.graph["as_of"]``, when set) for every
      group, zeros included (``wide()`` pivots
      it to years × groups);
    - ``totals``: ``group, ties, dated, undated, first_year, last_year``, over
      all ties, sorted by ties (descending) then group: the ties without a
      year are counted here, not dropped;
    - ``by``; ``counts``: ties, used (dated), without year, left out by filters.

    Notes
    -----
    ``cumulative`` in year t counts the dated ties signed up to t; adding a
    group's ``undated`` gives its total.  The level pair is written Chinese
    party first: "city–province" is a Chinese city twinned with a LAC
    province, state or region.

    References
    ----------
    Published counts to check against (Latinoamérica21, FLACSO researcher): at
    least 147 China–LAC agreements by 2015, more than 200 by 2021.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", side="china", level="province"); G.add_node("AR-B", side="lac", level="province")
    >>> G.add_node("CN-SC", side="china", level="province")
    >>> G.add_edge("CN-JS", "AR-B", year=2000, kind="sister"); G.add_edge("CN-SC", "AR-B", year=2002, kind="sister")
    >>> growth(G).table[["year", "new", "cumulative"]].values.tolist()
    [[2000, 1, 1], [2001, 0, 1], [2002, 1, 2]]
    """
    if by not in GROWTH_BY:
        raise ValueError(f"unknown breakdown {by!r}: use one of {', '.join(str(b) for b in GROWTH_BY if b)}")
    ties = ties_frame(graph)
    groups = ties[GROWTH_BY[by]].fillna("unknown") if by else pd.Series("all", index=ties.index, dtype=object)
    keys = sorted(groups.unique()) if len(ties) else ["all"]
    new = year_matrix(ties["year"], groups, keys, end=graph.graph.get("as_of"))
    table = long_table({"new": new, "cumulative": new.cumsum()})
    frame = ties.assign(group=groups.to_numpy())
    totals = frame.groupby("group").agg(ties=("id", "size"), dated=("year", "count"),
                                        first_year=("year", "min"), last_year=("year", "max")).reset_index()
    totals["dated"] = totals["dated"].astype(int)
    totals["undated"] = totals["ties"] - totals["dated"]
    totals = totals[["group", "ties", "dated", "undated", "first_year", "last_year"]]
    totals = totals.sort_values(["ties", "group"], ascending=[False, True]).reset_index(drop=True)
    return Growth(table, totals, by, tie_counts(graph, ties))
