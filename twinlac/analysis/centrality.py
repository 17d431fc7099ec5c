"""Centrality of parties in the twinning network: who are the hubs and the brokers."""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["centrality", "province_graph"]

LEVELS = ("party", "province")


def province_graph(graph: nx.Graph) -> nx.Graph:
    """Project the party network onto first-level divisions.

    Each tie is counted for the province of each party (a city's province, or
    the province itself); the edge weight is the number of agreements between
    the two provinces.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:wuxi", province="CN-JS", province_name="Jiangsu", side="china", region="East", country="CN")
    >>> G.add_node("CN-JS", province="CN-JS", province_name="Jiangsu", side="china", region="East", country="CN")
    >>> G.add_node("BR-SP:sao-paulo", province="BR-SP", province_name="São Paulo", side="lac", region="Brazil", country="BR")
    >>> G.add_edges_from([("CN-JS:wuxi", "BR-SP:sao-paulo"), ("CN-JS", "BR-SP:sao-paulo")])
    >>> P = province_graph(G)
    >>> P["CN-JS"]["BR-SP"]["weight"]
    2
    """
    projected = nx.Graph()
    for node, data in graph.nodes(data=True):
        province = data.get("province") or node
        if province not in projected:
            projected.add_node(
                province,
                name=data.get("province_name") or data.get("name"),
                level="province",
                side=data.get("side"),
                region=data.get("region"),
                country=data.get("country"),
                country_name=data.get("country_name"),
            )
    for a, b in graph.edges():
        pa = graph.nodes[a].get("province") or a
        pb = graph.nodes[b].get("province") or b
        if projected.has_edge(pa, pb):
            projected[pa][pb]["weight"] += 1
        else:
            projected.add_edge(pa, pb, weight=1)
    return projected


def centrality(graph: nx.Graph, *, level: str = "party") -> pd.DataFrame:
    """Degree and betweenness centrality of every node, sorted by degree.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``): parties as nodes,
        one edge per agreement.
    level : {"party", "province"}
        ``"party"`` ranks the parties as they signed (cities and provinces);
        ``"province"`` first projects onto first-level divisions
        (``province_graph``) and counts agreements as weighted degree.

    Returns
    -------
    DataFrame with columns ``id, name, level, side, country, region, degree,
    agreements, degree_centrality, betweenness``.

    Notes
    -----
    ``degree`` is the number of distinct partners; ``agreements`` the number of
    ties (equal at party level, where a pair has one tie). ``degree_centrality``
    is degree / (n − 1). ``betweenness`` is the unweighted shortest-path
    betweenness of Freeman (1977), normalised by (n − 1)(n − 2)/2, computed
    with Brandes' algorithm (``networkx.betweenness_centrality``): a LAC city
    twinned with two Chinese cities that have no other partner brokers
    between them.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    Sociometry 40(1), 35–41. Brandes, U. (2001). A faster algorithm for
    betweenness centrality. J. Math. Sociol. 25(2), 163–177.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("a", "x"), ("b", "x"), ("b", "y")])
    >>> centrality(G).set_index("id").loc[["x", "b"], "betweenness"].round(3).tolist()
    [0.667, 0.667]
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    if level == "province":
        graph = province_graph(graph)
    columns = ["id", "name", "level", "side", "country", "region", "degree", "agreements",
               "degree_centrality", "betweenness"]
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=columns)
    degree_c = nx.degree_centrality(graph)
    betweenness = nx.betweenness_centrality(graph)
    rows = []
    for node, data in graph.nodes(data=True):
        rows.append({
            "id": node,
            "name": data.get("name"),
            "level": data.get("level"),
            "side": data.get("side"),
            "country": data.get("country_name") or data.get("country"),
            "region": data.get("region"),
            "degree": graph.degree(node),
            "agreements": int(graph.degree(node, weight="weight")) if level == "province" else graph.degree(node),
            "degree_centrality": degree_c[node],
            "betweenness": betweenness[node],
        })
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["degree", "betweenness", "id"], ascending=[False, False, True]).reset_index(drop=True)
