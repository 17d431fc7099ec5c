"""Shares: where the ties go — by Chinese NBS region and coastal vs inland, per year.

Do coastal provinces keep their lead?  Shares of new and of cumulative ties by
the Chinese party's group.  Hong Kong and Macau have no NBS region and no
coastal flag: they are the group ``"SAR"``.

References
----------
National Bureau of Statistics of China, the four economic regions (East,
Central, West, Northeast).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import GROUPINGS, long_table, row_shares, tie_counts, ties_frame, year_matrix

__all__ = ["Shares", "regional_shares", "GROUPINGS", "BY_YEAR_COLUMNS"]

BY_YEAR_COLUMNS = ["grouping", "year", "group", "new", "new_share", "cumulative", "cumulative_share"]


@dataclass(frozen=True)
class Shares:
    """Result of ``regional_shares()``."""

    by_year: pd.DataFrame
    overall: pd.DataFrame
    counts: dict[str, int] = field(default_factory=dict)


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
    end = graph.graph.get("as_of")
    by_year = [_by_year(ties, grouping, column, groups, end) for grouping, (column, groups) in GROUPINGS.items()]
    overall = [_overall(ties, grouping, column, groups) for grouping, (column, groups) in GROUPINGS.items()]
    return Shares(pd.concat(by_year, ignore_index=True), pd.concat(overall, ignore_index=True),
                  tie_counts(graph, ties))


def _by_year(ties: pd.DataFrame, grouping: str, column: str, groups: tuple[str, ...], end: int | None) -> pd.DataFrame:
    """New and cumulative ties of each group, with their shares of the year's total."""
    new = year_matrix(ties["year"], ties[column], groups, end=end)
    cumulative = new.cumsum()
    frame = long_table({"new": new, "new_share": row_shares(new),
                        "cumulative": cumulative, "cumulative_share": row_shares(cumulative)})
    return frame.assign(grouping=grouping)[BY_YEAR_COLUMNS]


def _overall(ties: pd.DataFrame, grouping: str, column: str, groups: tuple[str, ...]) -> pd.DataFrame:
    """Ties of each group over all ties, dated or not."""
    all_ties = ties[column].value_counts().reindex(groups, fill_value=0)
    dated = ties.loc[ties["year"].notna(), column].value_counts().reindex(groups, fill_value=0)
    return pd.DataFrame({"grouping": grouping, "group": list(groups), "ties": all_ties.to_numpy(),
                         "share": (all_ties / all_ties.sum()).to_numpy() if len(ties) else np.nan,
                         "dated": dated.to_numpy(), "undated": (all_ties - dated).to_numpy()})
