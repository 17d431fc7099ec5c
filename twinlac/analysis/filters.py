"""What an analysis used and what the filters of ``GraphStore.to_networkx`` left out, in words."""

from __future__ import annotations

import networkx as nx

__all__ = ["describe_filters"]


def describe_filters(G: nx.Graph) -> str:
    """One line saying how many ties a graph holds and what its filters left out.

    Parameters
    ----------
    G : nx.Graph
        A graph from ``GraphStore.to_networkx()``, whose ``G.graph`` carries
        ``ties_left_out``, ``ties_left_out_by`` (per filter: ``scope``,
        ``evidence``, ``as_of``), ``ties_without_year``, ``evidence`` and
        ``as_of``.  A graph without these keys is described by its edge count
        alone.  Not modified.

    Returns
    -------
    str
        ``"<n> ties used"``, then, when the filters removed ties,
        ``", <m> left out (<k> outside China–LAC; <k> evidence not <grades>;
        <k> not signed by <year>)"``, and ``", <k> of them for lack of a year"``
        when the as-of filter dropped undated ties.  Only the filters that
        removed something are named.

    Notes
    -----
    Each filter is counted after the ones before it (scope, then evidence,
    then as-of), so the counts add up to the number left out.  The command
    line prints this line on stderr after every analysis and page; the report
    page shows the same words.

    Examples
    --------
    >>> G = nx.Graph(ties_left_out=3, ties_left_out_by={"scope": 1, "evidence": 2},
    ...              evidence=["official"], ties_without_year=0)
    >>> G.add_edge("CN-JS", "BR-SP")
    >>> describe_filters(G)
    '1 ties used, 3 left out (1 outside China–LAC; 2 evidence not official)'
    >>> describe_filters(nx.Graph())
    '0 ties used'
    """
    info = G.graph
    parts = [f"{G.number_of_edges()} ties used"]
    if info.get("ties_left_out"):
        labels = {
            "scope": "outside China–LAC",
            "evidence": f"evidence not {','.join(info.get('evidence') or [])}",
            "as_of": f"not signed by {info.get('as_of')}",
        }
        reasons = [f"{count} {labels.get(name, name)}" for name, count in (info.get("ties_left_out_by") or {}).items()
                   if count]
        parts.append(f"{info['ties_left_out']} left out" + (f" ({'; '.join(reasons)})" if reasons else ""))
    if info.get("ties_without_year"):
        parts.append(f"{info['ties_without_year']} of them for lack of a year")
    return ", ".join(parts)
