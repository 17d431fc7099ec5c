"""Centrality in the twinning network: who are the hubs and the brokers, at three levels."""

from __future__ import annotations

import warnings

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import sides
from twinlac.analysis.projection import project

__all__ = ["centrality", "province_graph", "country_graph", "CENTRALITY_COLUMNS"]

LEVELS = ("party", "locality", "province", "country")

#: Columns of ``centrality()``, in order (stable: the CLI and notebooks rely on them).
CENTRALITY_COLUMNS = [
    "id", "name", "level", "side", "country", "region", "degree", "agreements",
    "degree_centrality", "betweenness", "weighted_betweenness", "pagerank", "eigenvector",
    "bipartite_degree", "bipartite_betweenness",
]


def province_graph(graph: nx.Graph) -> nx.Graph:
    """Project the party network onto first-level divisions.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).

    Returns
    -------
    nx.Graph
        One node per province (ISO 3166-2 id) with ``name, level, side, region,
        coastal, province, province_name, country, country_name`` (and
        ``members``); edge ``weight`` = number of agreements between the two
        provinces (and ``agreements``: the ties themselves);
        ``graph.graph`` copied from the input.  ``project(graph, "province")``.

    Notes
    -----
    Each tie is counted for the province of each party (a city's province, or
    the province itself); see ``twinlac.analysis.project``.  Ties are always China–LAC, so the result stays
    two-sided (Chinese provinces – LAC provinces).

    References
    ----------
    Kaltenbrunner, A., Aragón, P., Laniado, D. & Volkovich, Y. (2013). Not all
    paths lead to Rome: analysing the network of sister cities. LNCS 8221,
    151–156; arXiv:1301.6900 (city ties aggregated to a country network).

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
    return project(graph, "province")


def country_graph(graph: nx.Graph) -> nx.Graph:
    """Project the party network onto countries.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).

    Returns
    -------
    nx.Graph
        One node per country (ISO alpha-2) with ``name, level="country", side,
        region`` (LAC subregion; None for China), ``country, country_name``; edge
        ``weight`` = number of agreements between the two countries (and
        ``agreements``); ``project(graph, "country")``.

    Notes
    -----
    Each tie is counted once for the country of each party.  Since every tie
    has a Chinese end, the country graph is a star around ``CN``: only the
    weights (agreements per LAC country) and weighted measures rank the LAC
    countries; unweighted betweenness is 1 for China and 0 for the rest.

    References
    ----------
    Kaltenbrunner et al. (2013), arXiv:1301.6900: see ``province_graph``.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", side="china", country="CN", country_name="China")
    >>> G.add_node("CN-ZJ", side="china", country="CN", country_name="China")
    >>> G.add_node("BR-SP", side="lac", country="BR", country_name="Brazil", region="Brazil")
    >>> G.add_edges_from([("CN-JS", "BR-SP"), ("CN-ZJ", "BR-SP")])
    >>> country_graph(G)["CN"]["BR"]["weight"]
    2
    """
    return project(graph, "country")


#: Power iterations allowed to PageRank and eigenvector centrality.
MAX_ITER = {"pagerank": 100, "eigenvector": 1000}


def _measure(measure, graph: nx.Graph, name: str, notes: list[str], **kwargs) -> dict:
    """``measure(graph, **kwargs)``, or NaN for every node when it fails, with a line in ``notes``
    that says which measure, why, and that its column is left empty."""
    try:
        return measure(graph, **kwargs)
    except nx.PowerIterationFailedConvergence:
        components = nx.number_connected_components(graph)
        where = f"the graph has {components} components" if components > 1 else "the graph is connected"
        notes.append(f"{name} did not converge within {kwargs.get('max_iter')} iterations ({where}): "
                     "column left empty")
    except ZeroDivisionError:
        notes.append(f"{name} is undefined here (its maximum is 0 when a side has a single node): "
                     "column left empty")
    except nx.NetworkXException as error:
        notes.append(f"{name} could not be computed ({error}): column left empty")
    return {node: np.nan for node in graph}


def centrality(graph: nx.Graph, *, level: str = "party") -> pd.DataFrame:
    """Degree, betweenness, PageRank, eigenvector and two-mode centrality of every node.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``): parties as nodes,
        one edge per agreement.  Not modified.
    level : {"party", "locality", "province", "country"}
        ``"party"`` (alias ``"locality"``) ranks the parties as they signed
        (cities and provinces); ``"province"`` first projects onto first-level
        divisions (``province_graph``), ``"country"`` onto countries
        (``country_graph``; a star around China, see there).

    Returns
    -------
    DataFrame with the columns ``CENTRALITY_COLUMNS``, one row per node, sorted
    by degree, agreements and betweenness (descending), then id:

    - ``id, name, level, side, country`` (country name), ``region`` (NBS region
      or LAC subregion);
    - ``degree``: number of distinct partners; ``agreements``: number of ties
      (weighted degree; equal to degree at party level, one tie per pair);
    - ``degree_centrality``: degree / (n − 1);
    - ``betweenness``: unweighted shortest-path betweenness, normalised by
      (n − 1)(n − 2)/2;
    - ``weighted_betweenness``: the same with edge length 1 / agreements (two
      units with many agreements are "closer"); equals ``betweenness`` at party
      level;
    - ``pagerank``: PageRank (damping 0.85) with edges weighted by agreements;
    - ``eigenvector``: eigenvector centrality of the agreements-weighted
      adjacency matrix (unit Euclidean norm; NaN if the power iteration fails);
    - ``bipartite_degree``: degree / number of nodes on the other side;
    - ``bipartite_betweenness``: betweenness normalised by the largest value
      possible in a two-mode network with these side sizes.
      Both two-mode columns are NaN when the graph has no ``side`` attributes;
      two-mode betweenness is NaN when a side has a single node (the country
      graph), where its maximum is 0.

    A column left empty because its measure failed — PageRank or eigenvector
    centrality that did not converge, two-mode betweenness that is undefined —
    says so: ``frame.attrs["notes"]`` holds one line per such column (an empty
    list when every measure was computed), and each line is also issued as a
    ``RuntimeWarning``.

    Notes
    -----
    Betweenness c_B(v) = Σ_{s≠v≠t} σ_st(v)/σ_st (Freeman 1977), computed with
    Brandes' algorithm.  The network is two-mode (every tie joins a Chinese and
    a LAC unit), so a LAC city twinned with two Chinese cities brokers between
    them, and one-mode normalisations understate the attainable maxima; the
    ``bipartite_*`` columns use ``networkx.algorithms.bipartite`` with the two
    sides given by the ``side`` attribute (Borgatti & Halgin 2011).  PageRank
    solves p = 0.85·W D⁻¹ p + 0.15/n (Brin & Page 1998); on a two-mode graph
    plain eigenvector centrality x ∝ A x is well defined (networkx iterates on
    A + I), but on a disconnected graph it concentrates on the component with
    the largest eigenvalue: read it within the giant component.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    Sociometry 40(1), 35–41. Brandes, U. (2001). A faster algorithm for
    betweenness centrality. J. Math. Sociol. 25(2), 163–177. Brin, S. & Page, L.
    (1998). The anatomy of a large-scale hypertextual Web search engine. Comput.
    Netw. ISDN Syst. 30, 107–117. Bonacich, P. (1972). Factoring and weighting
    approaches to status scores and clique identification. J. Math. Sociol. 2,
    113–120. Borgatti, S. P. & Halgin, D. S. (2011). Analyzing affiliation
    networks. In The SAGE Handbook of Social Network Analysis, 417–433.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_edges_from([("a", "x"), ("b", "x"), ("b", "y")])
    >>> centrality(G).set_index("id").loc[["x", "b"], "betweenness"].round(3).tolist()
    [0.667, 0.667]
    >>> centrality(G).attrs["notes"]  # every measure computed
    []
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")
    if level == "province":
        graph = province_graph(graph)
    elif level == "country":
        graph = country_graph(graph)
    if graph.number_of_nodes() == 0:
        return _with_notes(pd.DataFrame(columns=CENTRALITY_COLUMNS), [])
    weighted = graph.copy()  # weights 1 at party level; never touch the caller's graph
    for _, _, data in weighted.edges(data=True):
        data["weight"] = data.get("weight", 1)
        data["distance"] = 1.0 / data["weight"]
    degree_c = nx.degree_centrality(weighted)
    betweenness = nx.betweenness_centrality(weighted)
    w_betweenness = nx.betweenness_centrality(weighted, weight="distance")
    notes: list[str] = []
    pagerank = _measure(nx.pagerank, weighted, "PageRank", notes, weight="weight", max_iter=MAX_ITER["pagerank"])
    eigenvector = _measure(nx.eigenvector_centrality, weighted, "eigenvector centrality", notes, weight="weight",
                           max_iter=MAX_ITER["eigenvector"])
    two_sides = sides(weighted)
    if two_sides and two_sides[0] and two_sides[1]:
        bi_degree = nx.bipartite.degree_centrality(weighted, two_sides[0])
        bi_betweenness = _measure(nx.bipartite.betweenness_centrality, weighted, "two-mode betweenness", notes,
                                  nodes=two_sides[0])
    else:
        bi_degree = bi_betweenness = {}
    rows = []
    for node, data in weighted.nodes(data=True):
        rows.append({
            "id": node, "name": data.get("name"), "level": data.get("level"), "side": data.get("side"),
            "country": data.get("country_name") or data.get("country"), "region": data.get("region"),
            "degree": weighted.degree(node), "agreements": int(weighted.degree(node, weight="weight")),
            "degree_centrality": degree_c[node], "betweenness": betweenness[node],
            "weighted_betweenness": w_betweenness[node], "pagerank": pagerank[node],
            "eigenvector": eigenvector[node], "bipartite_degree": bi_degree.get(node, np.nan),
            "bipartite_betweenness": bi_betweenness.get(node, np.nan),
        })
    frame = pd.DataFrame(rows, columns=CENTRALITY_COLUMNS)
    frame = frame.sort_values(["degree", "agreements", "betweenness", "id"],
                              ascending=[False, False, False, True]).reset_index(drop=True)
    return _with_notes(frame, notes)


def _with_notes(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Attach ``notes`` to the frame (``frame.attrs["notes"]``) and issue each as a warning."""
    frame.attrs["notes"] = list(notes)
    for note in notes:
        warnings.warn(note, RuntimeWarning, stacklevel=3)
    return frame
