"""Communities of the twinning network, compared with the known groupings.

Do twinning communities follow the LAC subregions (Southern Cone, Andean,
Central America, Caribbean …) or the Chinese NBS regions?  Louvain communities
of the two-sided province (or province–country) graph and of its one-mode
projections, compared with those groupings by adjusted Rand index and
normalised mutual information, and tested against degree-preserving null
models.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, TypeAlias

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import collapse, nbs_label, null_summary, rewire_bipartite, sides

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["Clusters", "adjusted_rand_index", "normalized_mutual_info", "bipartite_modularity", "clusters"]

PARTITION_COLUMNS = ["id", "name", "side", "country", "region", "community", "projection_community"]
AGREEMENT_COLUMNS = ["graph", "side", "grouping", "nodes", "ari_mean", "ari_min", "ari_max",
                     "nmi_mean", "nmi_min", "nmi_max"]
MODULARITY_COLUMNS = ["graph", "partition", "nodes", "edges", "communities", "q", "q_min", "q_max",
                      "q_bipartite", "null_mean", "null_std", "z", "percentile"]

#: A partition: the node sets of its communities.
Blocks: TypeAlias = list[set[Hashable]]


def _contingency(a: Sequence[Hashable], b: Sequence[Hashable]) -> np.ndarray:
    if len(a) != len(b):
        raise ValueError(f"partitions of different lengths: {len(a)} and {len(b)}")
    codes_a, codes_b = ({label: i for i, label in enumerate(dict.fromkeys(x))} for x in (a, b))
    table = np.zeros((len(codes_a), len(codes_b)))
    np.add.at(table, ([codes_a[x] for x in a], [codes_b[x] for x in b]), 1)
    return table


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labellings of the same items.

    Parameters
    ----------
    a, b : sequences of hashable labels, same length.

    Returns
    -------
    float in [-1, 1]: 1 for identical partitions (up to relabelling), about 0
    for independent ones; NaN for no items.

    Notes
    -----
    With contingency counts n_ij, row sums a_i, column sums b_j and n items,
    ARI = (Σ C(n_ij,2) − E) / (½[Σ C(a_i,2) + Σ C(b_j,2)] − E), where
    E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2).  The denominator is 0 only when both
    partitions are all singletons or both one block — identical — and the
    index is then 1.

    References
    ----------
    Hubert, L. & Arabie, P. (1985). Comparing partitions. J. Classif. 2, 193–218.

    Example
    -------
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]), 4)  # 4/7
    0.5714
    """
    if len(a) == 0:
        return float("nan")
    table = _contingency(a, b)
    pairs: Callable[[np.ndarray], float] = lambda x: (x * (x - 1) / 2).sum()  # noqa: E731 - Σ C(x, 2)
    index, rows, cols, total = pairs(table), pairs(table.sum(1)), pairs(table.sum(0)), len(a) * (len(a) - 1) / 2
    expected = rows * cols / total if total else 0.0
    denominator = (rows + cols) / 2 - expected
    return 1.0 if denominator == 0 else float((index - expected) / denominator)


def normalized_mutual_info(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Normalised mutual information of two labellings (arithmetic-mean normalisation).

    Parameters
    ----------
    a, b : sequences of labels, same length.

    Returns
    -------
    float in [0, 1]: 1 for identical partitions, 0 for independent ones; NaN
    for no items.

    Notes
    -----
    NMI = I(A;B) / ((H(A) + H(B)) / 2) with natural logarithms,
    I = Σ p_ij ln(p_ij / (p_i p_j)) and H = −Σ p ln p (scikit-learn's default
    ``average_method="arithmetic"``).  When both entropies are 0 (one block
    each) the partitions are identical and NMI = 1.  NMI is not corrected for
    chance: many small communities raise it; read it beside the ARI.

    References
    ----------
    Danon, L., Díaz-Guilera, A., Duch, J. & Arenas, A. (2005). Comparing
    community structure identification. J. Stat. Mech. P09008. Vinh, N. X.,
    Epps, J. & Bailey, J. (2010). Information theoretic measures for
    clusterings comparison. J. Mach. Learn. Res. 11, 2837–2854.

    Example
    -------
    >>> round(normalized_mutual_info([0, 0, 1, 1], [0, 0, 1, 2]), 4)  # ln2 / (2.5 ln2 / 2)
    0.8
    """
    if len(a) == 0:
        return float("nan")
    p = _contingency(a, b) / len(a)
    pa, pb = p.sum(1), p.sum(0)
    entropy: Callable[[np.ndarray], float] = lambda q: -float((q[q > 0] * np.log(q[q > 0])).sum())  # noqa: E731
    ha, hb = entropy(pa), entropy(pb)
    if ha == 0 and hb == 0:
        return 1.0
    nz = p > 0
    mutual = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())
    return max(0.0, mutual / ((ha + hb) / 2))


def _labels(communities: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """Community number of every node, from a list of node sets."""
    return {node: i for i, block in enumerate(communities) for node in block}


def bipartite_modularity(graph: nx.Graph, communities: Iterable[Iterable[Hashable]], china_nodes: Iterable[Hashable],
                         *, weight: str = "weight") -> float:
    """Barber's bipartite modularity of a partition of a two-sided graph.

    Parameters
    ----------
    graph : nx.Graph
        Two-sided graph (every edge joins a node of ``china_nodes`` to another).
    communities : iterable of sets of nodes covering the graph.
    china_nodes : the nodes of one side.
    weight : edge attribute holding the weight (1 when missing).

    Returns
    -------
    float; NaN for a graph without edges.

    Notes
    -----
    Q_B = (1/m) Σ_{i∈China} Σ_{j∈LAC} (A_ij − k_i d_j / m) δ(g_i, g_j), with m the
    total weight, k_i and d_j the weighted degrees on each side.  Unlike
    Newman–Girvan modularity, whose null model k_i k_j / 2m also expects edges
    within a side (impossible here), the null model only pairs nodes across
    sides, so a partition that separates the sides scores ≤ 0.

    References
    ----------
    Barber, M. J. (2007). Modularity and community detection in bipartite
    networks. Phys. Rev. E 76, 066102.

    Example
    -------
    >>> G = nx.Graph([("c1", "l1"), ("c2", "l2")])
    >>> bipartite_modularity(G, [{"c1", "l1"}, {"c2", "l2"}], ["c1", "c2"])
    0.5
    """
    m = graph.size(weight=weight)
    if m == 0:
        return float("nan")
    label = _labels(communities)
    china = set(china_nodes)
    strength = dict(graph.degree(weight=weight))
    inside = sum(d.get(weight, 1) for u, v, d in graph.edges(data=True) if label[u] == label[v])
    k_china: dict[int, float] = {}
    k_lac: dict[int, float] = {}
    for node, k in strength.items():
        target = k_china if node in china else k_lac
        target[label[node]] = target.get(label[node], 0) + k
    expected = sum(k * k_lac.get(g, 0) for g, k in k_china.items()) / m
    return float((inside - expected) / m)


@dataclass(frozen=True)
class Clusters:
    """Result of ``clusters()``; see its docstring for the columns."""

    partition: pd.DataFrame
    agreement: pd.DataFrame
    modularity: pd.DataFrame
    level: str
    seeds: tuple[int, ...]
    n_null: int
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


#: Above this many edges of the two-sided graph, ``clusters`` works on sparse matrices with igraph's Louvain.
#: networkx's Louvain, in pure Python, costs about 10 s with the 100 null graphs at 800 edges (a
#: 1,000-tie network) and over 200 s at 4,600 (10,000 ties), whose projections are dense; the bundled
#: data (about 230 edges) stays below, on the networkx path.
MATRIX_EDGES = 1000


class _Matrix:
    """A weighted undirected graph as a sparse symmetric adjacency matrix: the large-graph stand-in for an
    nx.Graph in ``clusters`` (iterates over its nodes, counts its nodes and edges)."""

    def __init__(self, nodes: Iterable[Hashable], adjacency: sparse.spmatrix) -> None:
        self.nodes = list(nodes)
        A = adjacency.tocsr()
        A.setdiag(0)
        A.eliminate_zeros()
        self.A = A

    def __iter__(self) -> Iterator[Hashable]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return int(self.A.nnz // 2)

    def total_weight(self) -> float:
        return float(self.A.sum()) / 2

    def codes(self, communities: Iterable[Iterable[Hashable]]) -> np.ndarray:
        label = _labels(communities)
        return np.array([label[n] for n in self.nodes])


def _modularity(graph: nx.Graph | _Matrix, communities: Blocks) -> float:
    if isinstance(graph, _Matrix):
        return _matrix_modularity(graph, communities)
    if graph.size(weight="weight") == 0:
        return float("nan")
    return float(nx.community.modularity(graph, communities, weight="weight"))


def _matrix_modularity(graph: _Matrix, communities: Blocks, resolution: float = 1.0) -> float:
    """Newman–Girvan modularity Σ_c [L_c / 2m − γ (K_c / 2m)²], as ``nx.community.modularity``."""
    two_m = float(graph.A.sum())
    if two_m == 0:
        return float("nan")
    code = graph.codes(communities)
    A = graph.A.tocoo()
    inside = np.bincount(code[A.row], weights=A.data * (code[A.row] == code[A.col]), minlength=code.max() + 1)
    strength = np.bincount(code, weights=np.asarray(graph.A.sum(axis=1)).ravel(), minlength=code.max() + 1)
    return float((inside / two_m - resolution * (strength / two_m) ** 2).sum())


def _bipartite_modularity(graph: nx.Graph | _Matrix, communities: Blocks, china_nodes: Iterable[Hashable]) -> float:
    if not isinstance(graph, _Matrix):
        return bipartite_modularity(graph, communities, china_nodes)
    m = graph.total_weight()
    if m == 0:
        return float("nan")
    code = graph.codes(communities)
    china_set = set(china_nodes)
    china = np.array([n in china_set for n in graph.nodes], dtype=bool)
    A = graph.A.tocoo()
    inside = float((A.data * (code[A.row] == code[A.col])).sum()) / 2
    strength = np.asarray(graph.A.sum(axis=1)).ravel()
    size = code.max() + 1
    k_china = np.bincount(code[china], weights=strength[china], minlength=size)
    k_lac = np.bincount(code[~china], weights=strength[~china], minlength=size)
    return float((inside - (k_china * k_lac).sum() / m) / m)


def _louvain(graph: nx.Graph | _Matrix, seed: int, resolution: float) -> Blocks:
    if graph.number_of_edges() == 0:
        return [{n} for n in graph]
    if isinstance(graph, _Matrix):
        communities = _igraph_louvain(graph, seed, resolution)
    else:
        communities = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    return sorted((set(c) for c in communities), key=lambda c: (-len(c), min(map(str, c))))


def _igraph_louvain(graph: _Matrix, seed: int, resolution: float) -> Blocks:
    """Louvain (igraph's ``community_multilevel``, compiled) with a seeded random number generator."""
    import random

    import igraph

    upper = graph.A.tocoo()
    keep = upper.row < upper.col
    g = igraph.Graph(n=len(graph.nodes), edges=np.column_stack([upper.row[keep], upper.col[keep]]).tolist())
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = g.community_multilevel(weights=upper.data[keep].tolist(), resolution=resolution).membership
    finally:
        igraph.set_random_number_generator(random)
    blocks: dict[int, set[Hashable]] = {}
    for node, block in zip(graph.nodes, membership, strict=True):
        blocks.setdefault(block, set()).add(node)
    return list(blocks.values())


def _projections(bipartite: nx.Graph, china: list[Hashable], lac: list[Hashable]) -> dict[str, nx.Graph]:
    return {"china projection": nx.bipartite.weighted_projected_graph(bipartite, china),
            "lac projection": nx.bipartite.weighted_projected_graph(bipartite, lac)}


def _biadjacency(B: nx.Graph, china: list[Hashable], lac: list[Hashable]) -> sparse.csr_matrix:
    """Ties between each Chinese and each LAC unit, as a sparse (china × lac) matrix."""
    from scipy import sparse

    ci, li = {n: i for i, n in enumerate(china)}, {n: i for i, n in enumerate(lac)}
    rows, cols, weights = [], [], []
    for u, v, w in B.edges(data="weight", default=1):
        c, x = (u, v) if u in ci else (v, u)
        rows.append(ci[c])
        cols.append(li[x])
        weights.append(w)
    return sparse.csr_matrix((weights, (rows, cols)), shape=(len(china), len(lac)), dtype=float)


def _matrix_graphs(M: sparse.csr_matrix, china: list[Hashable], lac: list[Hashable]) -> dict[str, _Matrix]:
    """The two-sided graph of biadjacency `M` and its weighted one-mode projections (weight = shared
    partners, as ``bipartite.weighted_projected_graph``), as sparse matrices."""
    from scipy import sparse

    binary = (M > 0).astype(float)
    return {"bipartite": _Matrix(china + lac, sparse.bmat([[None, M], [M.T, None]])),
            "china projection": _Matrix(china, binary @ binary.T),
            "lac projection": _Matrix(lac, binary.T @ binary)}


def _configuration(M: sparse.csr_matrix, rng: np.random.Generator) -> sparse.csr_matrix:
    """A bipartite configuration model of biadjacency `M`: every unit keeps its number of ties, the LAC
    tie-ends matched to the Chinese ones by a random permutation (as ``rewire_bipartite(weighted=True)``)."""
    from scipy import sparse

    C = M.tocoo()
    counts = C.data.astype(np.int64)
    china_ends = np.repeat(C.row, counts)
    lac_ends = np.repeat(C.col, counts)[rng.permutation(int(counts.sum()))]
    return sparse.csr_matrix((np.ones(len(china_ends)), (china_ends, lac_ends)), shape=M.shape)


def clusters(graph: nx.Graph, *, level: str = "province", n_seeds: int = 10, seed: int = 0,
             n_null: int = 100, resolution: float = 1.0) -> Clusters:
    """Louvain communities of the province graph, compared with the known groupings.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    level : {"province", "country"}
        The LAC unit: ``"province"`` clusters Chinese provinces with LAC
        first-level divisions (``province_graph``); ``"country"`` clusters
        Chinese provinces with LAC countries (the Chinese side stays at province
        level: China as one node would make a star).
    n_seeds : int
        Louvain runs (seeds ``seed … seed + n_seeds − 1``); agreement and
        modularity are summarised over them (mean, min, max).
    seed : int
        First seed; also seeds the null model, so results are deterministic.
    n_null : int
        Random graphs of the null model (0 skips it).
    resolution : float
        Louvain resolution γ (1 = Newman–Girvan modularity).

    Returns
    -------
    Clusters, with

    - ``partition``: ``id, name, side, country, region, community,
      projection_community`` — the Louvain communities of the two-sided graph
      and of the node's one-mode projection (each from the seed with the
      highest modularity, numbered by size);
    - ``agreement``: per graph (``bipartite``, ``china projection``, ``lac
      projection``) and side, the ARI and NMI between Louvain communities and
      the known grouping (``NBS region``: East, Central, West, Northeast, SAR;
      ``subregion``: Southern Cone, Brazil, Andean, Mexico, Central America,
      Caribbean), as ``ari_mean, ari_min, ari_max, nmi_mean, nmi_min, nmi_max``
      over the seeds;
    - ``modularity``: per graph and partition (``louvain`` or the known
      grouping), ``q`` (Newman–Girvan, mean over seeds), ``q_min, q_max``,
      ``q_bipartite`` (Barber, two-sided graph only) and the null model's
      ``null_mean, null_std, z`` and ``percentile`` (share of null values ≤ q);
    - ``counts``: nodes and edges, ties used and left out;
    - ``notes``: what was done differently on a large graph (the engine),
      empty otherwise.

    Notes
    -----
    *Graphs.*  The two-sided graph has weight = number of ties between two
    units.  The one-mode projections (``bipartite.weighted_projected_graph``)
    join two Chinese provinces with weight = number of LAC units (provinces or
    countries, per ``level``) both are tied to, and two LAC units with weight =
    number of Chinese provinces they share; agreements are not counted there.
    Projections turn every hub's partners into a clique, so they inflate
    clustering and modularity: compare them only with their null model.
    The known groupings are one-sided, so their modularity is reported on the
    projections only (on the two-sided graph they contain no edge).

    *Communities.*  Louvain (Blondel et al. 2008), ``nx.community.
    louvain_communities`` with the given seeds.  networkx's
    ``leiden_communities`` is a dispatch stub that needs a backend
    (none is installed), so Louvain is used.

    *Large graphs.*  Above ``MATRIX_EDGES`` (1,000) edges of the two-sided graph
    (some 1,200 ties or more; the bundled data has about 230) the graphs are
    sparse matrices (projections B Bᵀ and Bᵀ B of the 0/1
    biadjacency), Louvain is igraph's ``community_multilevel`` with the same
    seeds, modularity comes from the matrices, and null graphs are drawn as
    matrices (all `n_null` of them: a province graph has at most a few
    hundred units, so the cost stays bounded however many ties there are).

    *Agreement.*  ARI and NMI (``adjusted_rand_index``,
    ``normalized_mutual_info``) over the nodes of one side.

    *Null model.*  Each null graph keeps every unit's number of ties: the LAC
    tie-ends are matched to the Chinese ones by a random permutation
    (bipartite configuration model, ``weighted=True``); Louvain (seed r) runs on
    it and on its projections, and the known groupings' modularity is measured
    on its projections.  z = (q − null_mean) / null_std.  Random graphs have
    sizeable modularity too (Guimerà et al. 2004): a community structure is
    notable only when q is far above the null.

    References
    ----------
    Blondel, V. D., Guillaume, J.-L., Lambiotte, R. & Lefebvre, E. (2008). Fast
    unfolding of communities in large networks. J. Stat. Mech. P10008.
    Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community
    structure in networks. Phys. Rev. E 69, 026113. Barber, M. J. (2007).
    Phys. Rev. E 76, 066102. Guimerà, R., Sales-Pardo, M. & Amaral, L. A. N.
    (2004). Modularity from fluctuations in random graphs and complex networks.
    Phys. Rev. E 70, 025101. Newman, M. E. J., Strogatz, S. H. & Watts, D. J.
    (2001). Random graphs with arbitrary degree distributions and their
    applications. Phys. Rev. E 64, 026118 (projections of two-mode networks).
    Hubert & Arabie (1985); Danon et al. (2005): see ``adjusted_rand_index``,
    ``normalized_mutual_info``.

    Example
    -------
    >>> G = nx.Graph()
    >>> for n, s, r in [("CN-JS", "china", "East"), ("CN-SC", "china", "West"),
    ...                 ("AR-B", "lac", "Southern Cone"), ("MX-JAL", "lac", "Mexico")]:
    ...     G.add_node(n, side=s, region=r, province=n, country=n[:2])
    >>> G.add_edges_from([("CN-JS", "AR-B"), ("CN-SC", "MX-JAL")])
    >>> result = clusters(G, n_seeds=2, n_null=0)
    >>> float(result.agreement.set_index(["graph", "side"]).loc[("bipartite", "lac"), "ari_mean"])
    1.0
    """
    if level not in ("province", "country"):
        raise ValueError(f"unknown level {level!r}: use province or country")
    B = collapse(graph, "province", level)
    seeds = tuple(range(seed, seed + n_seeds))
    counts = {"nodes": B.number_of_nodes(), "edges": B.number_of_edges(),
              "ties_used": int(B.size(weight="weight")),
              "ties_left_out_by_filters": int(graph.graph.get("ties_left_out", 0) or 0)}
    two = sides(B)
    if B.number_of_edges() == 0 or not two or not n_seeds:
        return Clusters(pd.DataFrame(columns=PARTITION_COLUMNS), pd.DataFrame(columns=AGREEMENT_COLUMNS),
                        pd.DataFrame(columns=MODULARITY_COLUMNS), level, seeds, n_null, counts)
    china, lac = two
    known = _known(B)
    notes: list[str] = []
    if B.number_of_edges() > MATRIX_EDGES:
        M = _biadjacency(B, china, lac)
        graphs: dict[str, nx.Graph | _Matrix] = _matrix_graphs(M, china, lac)
        notes.append(f"clusters: igraph's Louvain on sparse matrices for this large graph ({B.number_of_edges():,} "
                     f"edges between units, over {MATRIX_EDGES:,}): its partitions differ from networkx's run "
                     "for run but reach about the same modularity")
    else:
        M = None
        graphs = {"bipartite": B, **_projections(B, china, lac)}
    found = {name: [_louvain(G, s, resolution) for s in seeds] for name, G in graphs.items()}
    agreement = _agreement(found, known, china, lac)
    null = _null_modularity(B, china, lac, known, n_null=n_null, seed=seed, resolution=resolution, matrix=M)
    modularity = _modularity_table(graphs, found, known, china, null)
    partition = _partition(B, graphs, found, known)
    for line in notes:
        warnings.warn(line, RuntimeWarning, stacklevel=2)
    return Clusters(partition, agreement, modularity, level, seeds, n_null, counts, tuple(notes))


#: The two groupings the communities are compared with, by side.
KNOWN_GROUPINGS = {"china": "NBS region", "lac": "subregion"}

#: Partitions whose modularity is reported: (graph, partition, side of the known grouping or None for Louvain).
PARTITIONS = [("bipartite", "louvain", None), ("china projection", "louvain", None),
              ("china projection", "NBS region", "china"), ("lac projection", "louvain", None),
              ("lac projection", "subregion", "lac")]


def _known(graph: nx.Graph) -> dict[Hashable, str]:
    """The known grouping: NBS region ("SAR" for HK/Macau) for Chinese nodes, subregion for LAC nodes."""
    return {n: nbs_label(d.get("region")) if d.get("side") == "china" else (d.get("region") or "unknown")
            for n, d in graph.nodes(data=True)}


def _known_blocks(graph: nx.Graph | _Matrix, known: dict[Hashable, str]) -> Blocks:
    """The nodes of ``graph`` grouped by their known grouping."""
    blocks: dict[str, set[Hashable]] = {}
    for n in graph:
        blocks.setdefault(known[n], set()).add(n)
    return list(blocks.values())


def _agreement(found: dict[str, list[Blocks]], known: dict[Hashable, str], china: list[Hashable],
               lac: list[Hashable]) -> pd.DataFrame:
    """ARI and NMI of the Louvain communities of each graph and side against the known grouping."""
    side_nodes = {"bipartite": {"china": china, "lac": lac}, "china projection": {"china": china},
                  "lac projection": {"lac": lac}}
    rows = []
    for name, by_side in side_nodes.items():
        for side, nodes in by_side.items():
            truth = [known[n] for n in nodes]
            ari: list[float] = []
            nmi: list[float] = []
            for communities in found[name]:
                labels = _labels(communities)
                ari.append(adjusted_rand_index([labels[n] for n in nodes], truth))
                nmi.append(normalized_mutual_info([labels[n] for n in nodes], truth))
            rows.append({"graph": name, "side": side, "grouping": KNOWN_GROUPINGS[side], "nodes": len(nodes),
                         "ari_mean": np.mean(ari), "ari_min": np.min(ari), "ari_max": np.max(ari),
                         "nmi_mean": np.mean(nmi), "nmi_min": np.min(nmi), "nmi_max": np.max(nmi)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _null_modularity(B: nx.Graph, china: list[Hashable], lac: list[Hashable], known: dict[Hashable, str], *,
                     n_null: int, seed: int, resolution: float,
                     matrix: sparse.csr_matrix | None = None) -> dict[tuple[str, str], list[float]]:
    """Modularity of every partition of ``PARTITIONS`` on ``n_null`` rewired graphs (configuration model);
    drawn as sparse matrices when `matrix` (the biadjacency of ``B``) is given."""
    null: dict[tuple[str, str], list[float]] = {(g, p): [] for g, p, _ in PARTITIONS}
    rng = np.random.default_rng(seed)
    for r in range(n_null):
        if matrix is not None:
            null_graphs: dict[str, nx.Graph | _Matrix] = _matrix_graphs(_configuration(matrix, rng), china, lac)
        else:
            B0 = rewire_bipartite(B, rng, weighted=True)
            null_graphs = {"bipartite": B0, **_projections(B0, china, lac)}
        for g, p, side in PARTITIONS:
            G0 = null_graphs[g]
            blocks = _louvain(G0, seed + r, resolution) if side is None else _known_blocks(G0, known)
            null[(g, p)].append(_modularity(G0, blocks))
    return null


def _modularity_table(graphs: dict[str, nx.Graph | _Matrix], found: dict[str, list[Blocks]], known: dict[Hashable, str],
                      china: list[Hashable], null: dict[tuple[str, str], list[float]]) -> pd.DataFrame:
    """Modularity of every partition (mean, min, max over seeds), Barber's on the two-sided graph,
    and its place in the null model."""
    rows = []
    for g, p, side in PARTITIONS:
        G = graphs[g]
        runs = found[g] if side is None else [_known_blocks(G, known)]
        qs = [_modularity(G, blocks) for blocks in runs]
        qb = [_bipartite_modularity(G, blocks, china) for blocks in runs] if g == "bipartite" else [np.nan]
        rows.append({"graph": g, "partition": p, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                     "communities": float(np.mean([len(b) for b in runs])), "q": float(np.mean(qs)),
                     "q_min": float(np.min(qs)), "q_max": float(np.max(qs)), "q_bipartite": float(np.mean(qb)),
                     **null_summary(float(np.mean(qs)), null[(g, p)])})
    return pd.DataFrame(rows, columns=MODULARITY_COLUMNS)


def _partition(B: nx.Graph, graphs: dict[str, nx.Graph | _Matrix], found: dict[str, list[Blocks]],
               known: dict[Hashable, str]) -> pd.DataFrame:
    """Every node with its community in the two-sided graph and in its projection, each from the
    seed with the highest modularity."""
    best = {g: _labels(max(found[g], key=partial(_modularity, graphs[g]))) for g in graphs}
    labels, projected = best["bipartite"], {**best["china projection"], **best["lac projection"]}
    rows = [{"id": n, "name": d.get("name"), "side": d.get("side"),
             "country": d.get("country_name") or d.get("country"),
             "region": known[n], "community": labels[n], "projection_community": projected.get(n)}
            for n, d in B.nodes(data=True)]
    partition = pd.DataFrame(rows, columns=PARTITION_COLUMNS).sort_values(["community", "side", "id"])
    return partition.reset_index(drop=True)
