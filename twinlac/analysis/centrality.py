"""Centrality in the twinning network: who are the hubs and the brokers, at three levels."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import sides
from twinlac.analysis.projection import project

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["centrality", "province_graph", "country_graph", "two_mode_betweenness", "betweenness_estimate",
           "exact_betweenness",
           "CENTRALITY_COLUMNS",
           "BETWEENNESS_EXACT_NODES", "BETWEENNESS_PIVOTS", "NETWORKX_NODES"]

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
    >>> G.add_node("BR-SP:sao-paulo", province="BR-SP", province_name="São Paulo", side="lac", region="Brazil",
    ...            country="BR")
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


#: Betweenness is exact on graphs of at most this many nodes, sampled above (``centrality(k=...)``).
#: Exact, compiled (igraph), it takes about 15 s at 15,000 nodes of a twinning-like network (2.4 ties
#: per node) and grows as n·m: some 2 min at 40,000 nodes (100,000 ties), where it is sampled.
BETWEENNESS_EXACT_NODES = 15000

#: Graphs of at most this many nodes keep networkx's own exact betweenness and eigenvector centrality
#: (pure Python: a second at 1,000 nodes, two minutes at 4,400); larger ones use igraph's compiled exact
#: betweenness and the same power iteration on a sparse matrix, equal to rounding.
NETWORKX_NODES = 1000

#: Source nodes (pivots) of sampled betweenness on graphs above ``BETWEENNESS_EXACT_NODES``.
BETWEENNESS_PIVOTS = 300


def two_mode_betweenness(graph: nx.Graph, nodes: Iterable[Hashable], *,
                         raw: dict[Hashable, float] | None = None) -> dict[Hashable, float]:
    """Betweenness normalised by its largest value in a two-mode network with these side sizes.

    Parameters
    ----------
    graph : nx.Graph
        A two-mode graph (every edge joins a node of `nodes` to one outside).
    nodes : iterable
        The nodes of one side.
    raw : dict, optional
        Unnormalised betweenness of every node (``nx.betweenness_centrality(graph,
        normalized=False)``, or a sampled estimate of it); computed exactly when
        not given.

    Returns
    -------
    dict of node -> raw betweenness / the maximum for the node's side.

    Raises
    ------
    ZeroDivisionError
        When a side has a single node (the maximum there is 0).

    Notes
    -----
    The same values as ``networkx.bipartite.betweenness_centrality`` (Borgatti
    & Halgin 2011's maxima), but the shortest-path counts can be passed in, so
    ``centrality`` runs Brandes' algorithm once for both one-mode and two-mode
    columns, and a sampled estimate is normalised the same way.

    References
    ----------
    Borgatti, S. P. & Halgin, D. S. (2011). Analyzing affiliation networks. In
    The SAGE Handbook of Social Network Analysis, 417–433.

    Example
    -------
    >>> G = nx.Graph([("a", "x"), ("b", "x"), ("b", "y")])
    >>> two_mode_betweenness(G, ["a", "b"]) == nx.bipartite.betweenness_centrality(G, ["a", "b"])
    True
    """
    top = set(nodes)
    n, m = len(top), graph.number_of_nodes() - len(top)
    s, t = divmod(n - 1, m)
    top_max = ((m**2) * ((s + 1) ** 2) + m * (s + 1) * (2 * t - s - 1) - t * (2 * s - t + 3)) / 2.0
    p, r = divmod(m - 1, n)
    bottom_max = ((n**2) * ((p + 1) ** 2) + n * (p + 1) * (2 * r - p - 1) - r * (2 * p - r + 3)) / 2.0
    if raw is None:
        raw = nx.betweenness_centrality(graph, normalized=False)
    return {node: value / (top_max if node in top else bottom_max) for node, value in raw.items()}


def betweenness_estimate(graph: nx.Graph, k: int | None = None, *, seed: int = 0,
                         normalized: bool = True) -> dict[Hashable, float]:
    """Unweighted betweenness from `k` source nodes, by sparse matrix products.

    Parameters
    ----------
    graph : nx.Graph
        An undirected graph (edge weights are ignored).  Not modified.
    k : int, optional
        Number of source nodes (pivots), chosen as ``networkx`` chooses them
        (``random.Random(seed).sample(list(graph), k)``).  None, or k ≥ n,
        uses every node: the exact value.
    seed : int
        Seed of the choice of sources.
    normalized : bool
        Divide by (n − 1)(n − 2)/2, as ``networkx.betweenness_centrality``
        does for an undirected graph; otherwise each pair counts once.

    Returns
    -------
    dict of node -> betweenness; the same values (to rounding) as
    ``nx.betweenness_centrality(graph, k=k, normalized=normalized, seed=seed)``.

    Notes
    -----
    Brandes' accumulation (Brandes 2001) run for a batch of sources at once
    (the linear-algebra formulation of Kepner & Gilbert 2011): a breadth-first
    search level by level counts shortest paths, σ_{d+1} = A σ_d restricted
    to the nodes first reached at depth d + 1, and the dependencies flow back
    level by level, δ_v += σ_v Σ_{w child of v} (1 + δ_w) / σ_w.  With
    k < n sources the sum of their dependencies, scaled by n / k, is an
    unbiased estimate of betweenness (Brandes & Pich 2007).  Cost O(k m)
    in compiled sparse products rather than Python loops.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math.
    Sociol. 25(2), 163–177. Brandes, U. & Pich, C. (2007). Centrality
    estimation in large networks. Int. J. Bifurcat. Chaos 17(7), 2303–2318.
    Kepner, J. & Gilbert, J. (eds.) (2011). Graph Algorithms in the Language
    of Linear Algebra. SIAM.

    Example
    -------
    >>> G = nx.path_graph(4)
    >>> betweenness_estimate(G) == nx.betweenness_centrality(G)
    True
    """
    import random

    from scipy import sparse

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    sources = nodes if k is None or k >= n else random.Random(seed).sample(nodes, k)
    position = {node: i for i, node in enumerate(nodes)}
    rows = [position[u] for u, v in graph.edges() if u != v]
    cols = [position[v] for u, v in graph.edges() if u != v]
    A = sparse.csr_matrix((np.ones(2 * len(rows)), (rows + cols, cols + rows)), shape=(n, n))
    A.data[:] = 1.0  # parallel edges of a multigraph are one link
    total = np.zeros(n)
    batch = max(1, min(len(sources), 2_000_000 // n))  # about 16 MB per n × batch matrix
    for start in range(0, len(sources), batch):
        chunk = np.array([position[s] for s in sources[start:start + batch]])
        total += _dependencies(A, chunk)
    if n <= 2:
        return {node: 0.0 for node in nodes}
    # Each unordered pair is reached from both ends (÷ 2); a sample of k sources stands for the n − 1
    # others of each node: × (n − 1)/k, or (n − 1)/(k − 1) at a node that is itself a source.
    count = n - 1 if len(sources) == n else len(sources)
    scale = np.full(n, (n - 1) / (2.0 * count))
    if len(sources) < n:
        chosen = np.array([position[s] for s in sources])
        scale[chosen] = (n - 1) / (2.0 * (count - 1)) if count > 1 else np.nan
    if normalized:
        scale *= 2.0 / ((n - 1) * (n - 2))
    values = total * scale
    return {node: float(values[i]) for i, node in enumerate(nodes)}


def exact_betweenness(graph: nx.Graph) -> dict[Hashable, float]:
    """Exact unweighted betweenness, unnormalised, by igraph's compiled Brandes algorithm.

    Parameters
    ----------
    graph : nx.Graph
        An undirected graph (edge weights are ignored; parallel edges are one
        link and self-loops are left out, as networkx's breadth-first search
        does).  Not modified.

    Returns
    -------
    dict of node -> betweenness, each unordered pair counted once: the same
    values (to rounding) as ``nx.betweenness_centrality(graph, normalized=False)``.

    Notes
    -----
    Brandes' algorithm (Brandes 2001) in C: O(nm) like networkx's, but tens of
    times faster, so ``centrality`` stays exact on larger graphs.  The
    multiplication by 2 / ((n − 1)(n − 2)) normalises it as networkx does.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality. J. Math.
    Sociol. 25(2), 163–177.

    Example
    -------
    >>> G = nx.barbell_graph(4, 2)
    >>> expected = nx.betweenness_centrality(G, normalized=False)
    >>> all(abs(value - expected[node]) < 1e-9 for node, value in exact_betweenness(G).items())
    True
    """
    import igraph

    nodes = list(graph)
    position = {node: i for i, node in enumerate(nodes)}
    links = {(min(i, j), max(i, j)) for i, j in ((position[u], position[v]) for u, v in graph.edges()) if i != j}
    values = igraph.Graph(n=len(nodes), edges=sorted(links)).betweenness(directed=False)
    return {node: float(value) for node, value in zip(nodes, values, strict=True)}


def _dependencies(A: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Σ over `sources` of Brandes' dependency δ_s(v) of every node v (0 at the source itself)."""
    n: int = A.shape[0]
    b = len(sources)
    columns = np.arange(b)
    depth = np.full((n, b), -1, dtype=np.int32)
    sigma = np.zeros((n, b))
    depth[sources, columns] = 0
    sigma[sources, columns] = 1.0
    frontier = sigma.copy()
    d = 0
    while True:
        reached = np.asarray(A @ frontier)
        new = (reached > 0) & (depth < 0)
        if not new.any():
            break
        d += 1
        depth[new] = d
        sigma[new] = reached[new]
        frontier = np.where(new, sigma, 0.0)
    delta = np.zeros((n, b))
    for level in range(d, 0, -1):
        here = depth == level
        share = np.zeros((n, b))
        share[here] = (1.0 + delta[here]) / sigma[here]
        pulled = np.asarray(A @ share)
        above = depth == level - 1
        delta[above] += sigma[above] * pulled[above]
    delta[sources, columns] = 0.0
    total: np.ndarray = delta.sum(axis=1)  # numpy's stubs type a sum along an axis as Any
    return total


def _eigenvector_sparse(graph: nx.Graph, *, weight: str = "weight", max_iter: int = 100,
                        tol: float = 1.0e-6) -> dict[Hashable, float]:
    """``nx.eigenvector_centrality``'s power iteration on (A + I), with a sparse matrix for A."""
    if len(graph) == 0:
        raise nx.NetworkXPointlessConcept("cannot compute centrality for the null graph")
    nodes = list(graph)
    A = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=weight, format="csr")
    n = len(nodes)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + A.T @ last
        norm = float(np.sqrt((x * x).sum())) or 1.0
        x = x / norm
        if float(np.abs(x - last).sum()) < n * tol:
            return {node: float(x[i]) for i, node in enumerate(nodes)}
    raise nx.PowerIterationFailedConvergence(max_iter)


#: Power iterations allowed to PageRank and eigenvector centrality.
MAX_ITER = {"pagerank": 100, "eigenvector": 1000}


def _measure(measure: Callable[..., dict[Hashable, float]], graph: nx.Graph, name: str, notes: list[str],
             **kwargs: Any) -> dict[Hashable, float]:
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


def centrality(graph: nx.Graph, *, level: str = "party", k: int | None = None, seed: int = 0,
               exact_nodes: int = BETWEENNESS_EXACT_NODES) -> pd.DataFrame:
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
    k : int, optional
        Source nodes (pivots) of the betweenness estimate.  By default
        betweenness is exact on graphs of at most `exact_nodes` nodes and
        sampled from ``BETWEENNESS_PIVOTS`` (300) sources above; ``k >= n``
        is exact.
    seed : int
        Seed of the choice of sources (the same sources for every betweenness
        column).
    exact_nodes : int
        Largest graph whose betweenness is exact by default
        (``BETWEENNESS_EXACT_NODES``, 15,000).

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

    Betweenness that was sampled says so too: a line in ``attrs["notes"]``
    (and a warning) with the number of sources and the seed.

    A column left empty because its measure failed — PageRank or eigenvector
    centrality that did not converge, two-mode betweenness that is undefined —
    says so: ``frame.attrs["notes"]`` holds one line per such column (an empty
    list when every measure was computed), and each line is also issued as a
    ``RuntimeWarning``.

    Notes
    -----
    Betweenness c_B(v) = Σ_{s≠v≠t} σ_st(v)/σ_st (Freeman 1977), computed with
    Brandes' algorithm, which runs once for the plain and the two-mode
    columns (``two_mode_betweenness``): networkx's on graphs of at most
    ``NETWORKX_NODES`` (1,000) nodes, igraph's compiled one above (the same
    values to rounding; ``exact_betweenness``).  On a large graph it is estimated from
    k sources chosen at random (Brandes & Pich 2007): the dependencies of
    the k sources, scaled by n / k, are an unbiased estimate whose relative
    error shrinks as 1/√k; the hubs and brokers keep their rank, while small
    values are noisy.  An exact run costs O(nm) (compiled, about 15 s at
    15,000 nodes and minutes at 100,000 ties; hours in pure Python), a
    sampled one O(km).  The network is two-mode (every tie joins a Chinese and
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
    betweenness centrality. J. Math. Sociol. 25(2), 163–177. Brandes, U. &
    Pich, C. (2007). Centrality estimation in large networks. Int. J.
    Bifurcat. Chaos 17(7), 2303–2318. Brin, S. & Page, L.
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
    notes: list[str] = []
    n = weighted.number_of_nodes()
    if k is None:
        pivots = n if n <= exact_nodes else min(n, BETWEENNESS_PIVOTS)
    else:
        pivots = min(n, k)
    sample = None if pivots >= n else pivots
    small = n <= min(exact_nodes, NETWORKX_NODES)
    if sample is None:
        raw = nx.betweenness_centrality(weighted, normalized=False) if small else exact_betweenness(weighted)
    else:  # the sampled estimate, in sparse products
        raw = betweenness_estimate(weighted, sample, seed=seed, normalized=False)
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    betweenness = {node: value * scale for node, value in raw.items()}
    if len({w for _, _, w in weighted.edges(data="weight")}) <= 1:
        w_betweenness = dict(betweenness)  # every edge has the same length: the same shortest paths
    else:
        w_raw = nx.betweenness_centrality(weighted, k=sample, normalized=False, weight="distance", seed=seed)
        w_betweenness = {node: value * scale for node, value in w_raw.items()}
    if sample is not None:
        notes.append(f"betweenness sampled: {sample:,} of {n:,} nodes as sources (seed {seed}), so the three "
                     "betweenness columns are estimates (exact up to "
                     f"{exact_nodes:,} nodes; pass k= to change the number of sources)")
    pagerank = _measure(nx.pagerank, weighted, "PageRank", notes, weight="weight", max_iter=MAX_ITER["pagerank"])
    power = nx.eigenvector_centrality if small or weighted.is_multigraph() else _eigenvector_sparse
    eigenvector = _measure(power, weighted, "eigenvector centrality", notes, weight="weight",
                           max_iter=MAX_ITER["eigenvector"])
    two_sides = sides(weighted)
    if two_sides and two_sides[0] and two_sides[1]:
        bi_degree = nx.bipartite.degree_centrality(weighted, two_sides[0])
        bi_betweenness = _measure(two_mode_betweenness, weighted, "two-mode betweenness", notes,
                                  nodes=two_sides[0], raw=raw)
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
