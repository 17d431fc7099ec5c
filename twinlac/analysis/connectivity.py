"""Connectivity of the twinning network: components, brokers, cores, robustness, projections.

Every function takes the graph ``GraphStore.to_networkx()`` returns (never
modified) and returns a DataFrame; :func:`connectivity` gathers them all in a
``dict[str, DataFrame]``.  Definitions and references: ``docs/analysis.md``,
section "Connectivity".

- :func:`components` and :func:`giant_by_year`: who can reach whom, and how the
  largest connected part grew.
- :func:`bridges` and :func:`articulation_points`: the ties and the places whose
  loss disconnects someone (the brokers).
- :func:`k_core`: core numbers (k-core shells).
- :func:`robustness`: share of parties in the largest component as the hubs are
  removed, against random removal; :func:`robustness_figure` draws it.
- :func:`shared_partner_projection`, :func:`shared_partner_brokers`, :func:`region_links`: the
  LAC–LAC network through shared Chinese partners (and the Chinese one through
  shared LAC partners), who brokers it, and which subregions it links.
- :func:`small_world`: average path length and clustering against a
  degree-preserving null model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations
from typing import TYPE_CHECKING, Any, cast

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.analysis._common import null_summary, rewire_bipartite, sides

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from scipy.sparse import csr_matrix

__all__ = [
    "CONNECTIVITY_TABLES", "articulation_points", "bridges", "components", "connectivity", "giant_by_year",
    "k_core", "shared_partner_projection", "shared_partner_brokers", "region_links", "robustness", "robustness_figure",
    "small_world",
]

#: The tables :func:`connectivity` returns, in order.
CONNECTIVITY_TABLES: tuple[str, ...] = (
    "summary", "components", "giant_by_year", "bridges", "articulation_points", "k_core", "k_shells",
    "robustness", "lac_projection", "lac_subregions", "lac_brokers", "china_projection", "china_brokers",
    "small_world",
)

#: Fractions of parties removed in :func:`robustness` unless told otherwise.
DEFAULT_FRACTIONS: tuple[float, ...] = tuple(round(0.01 * i, 2) for i in range(31))

_UNIT_KEYS = ("party", "province", "country")

#: What :func:`_partner_sets` gives: unit -> its partner units; unit -> name; unit -> region (or None).
_PartnerSets = tuple[dict[Hashable, set[Hashable]], dict[Hashable, str], dict[Hashable, str | None]]


# --- helpers --------------------------------------------------------------------


def _name(graph: nx.Graph, node: Hashable) -> str:
    return graph.nodes[node].get("name") or str(node)


def _sort_key(node: Hashable) -> str:
    return str(node)


def _chinese_first(graph: nx.Graph, u: Hashable, v: Hashable) -> tuple[Hashable, Hashable]:
    return (v, u) if graph.nodes[v].get("side") == "china" and graph.nodes[u].get("side") != "china" else (u, v)


def _dfs(graph: nx.Graph) -> tuple[dict[Hashable, int], dict[Hashable, int], dict[Hashable, Hashable | None],
                                   dict[Hashable, int], dict[Hashable, int]]:
    """Iterative depth-first search: discovery index, low-link, DFS parent, subtree
    size and component size (by root) of every node (Hopcroft & Tarjan 1973)."""
    index: dict[Hashable, int] = {}
    low: dict[Hashable, int] = {}
    parent: dict[Hashable, Hashable | None] = {}
    size: dict[Hashable, int] = {}
    component: dict[Hashable, int] = {}
    counter = 0
    for root in sorted(graph, key=_sort_key):
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        parent[root], size[root] = None, 1
        stack = [(root, iter(graph[root]))]
        members = [root]
        while stack:
            v, neighbours = stack[-1]
            for w in neighbours:
                if w == v:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    parent[w], size[w] = v, 1
                    members.append(w)
                    stack.append((w, iter(graph[w])))
                    break
                if w != parent[v]:
                    low[v] = min(low[v], index[w])
            else:
                stack.pop()
                if stack:
                    p = stack[-1][0]
                    low[p] = min(low[p], low[v])
                    size[p] += size[v]
        for member in members:
            component[member] = size[root]
    return index, low, parent, size, component


class _UnionFind:
    """Union by size with path halving, over the integers 0..n-1."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        """Join the sets of a and b; the size of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return self.size[ra]
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return self.size[ra]


# --- components --------------------------------------------------------------


def components(graph: nx.Graph) -> pd.DataFrame:
    """The connected components, largest first.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    DataFrame
        One row per component: ``component`` (1 = the giant), ``parties``,
        ``ties``, ``china_parties``, ``lac_parties``, ``lac_countries`` (distinct
        LAC countries), ``share`` (its parties over all parties) and ``hubs``
        (the names of its three best-tied parties).

    Notes
    -----
    Two parties are in the same component when a chain of ties joins them.
    The share of the largest ("giant") component is the usual summary of how
    connected a network is (Newman 2010, ch. 6).

    Example
    -------
    >>> G = nx.Graph([("c1", "l1"), ("c1", "l2"), ("c2", "l3")])
    >>> components(G)[["component", "parties", "ties"]].values.tolist()
    [[1, 3, 2], [2, 2, 1]]
    """
    n = graph.number_of_nodes()
    label = {}
    groups = list(nx.connected_components(graph))
    for i, members in enumerate(groups):
        for x in members:
            label[x] = i
    ties = np.zeros(len(groups), dtype=int)
    for u, _ in graph.edges():
        ties[label[u]] += 1
    rows = []
    for i, members in enumerate(groups):
        side = [graph.nodes[x].get("side") for x in members]
        hubs = (sorted(members, key=lambda x: (-graph.degree(x), _sort_key(x)))[:3] if len(members) > 1
                else list(members))
        rows.append({
            "parties": len(members), "ties": int(ties[i]),
            "china_parties": side.count("china"), "lac_parties": side.count("lac"),
            "lac_countries": len({graph.nodes[x].get("country") for x in members
                                  if graph.nodes[x].get("side") == "lac"} - {None}),
            "share": len(members) / n, "hubs": ", ".join(_name(graph, x) for x in hubs),
            "_key": _sort_key(hubs[0]),
        })
    columns = ["component", "parties", "ties", "china_parties", "lac_parties", "lac_countries", "share", "hubs"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values(["parties", "ties", "_key"], ascending=[False, False, True])
    frame.insert(0, "component", range(1, len(frame) + 1))
    return frame.drop(columns="_key").reset_index(drop=True)[columns]


def giant_by_year(graph: nx.Graph) -> pd.DataFrame:
    """Components and the giant component's share, year by year, over the dated ties.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``, possibly with
        ``as_of``).  Not modified.

    Returns
    -------
    DataFrame
        One row per year from the first dated tie to the last (or to the
        graph's ``as_of``): ``year``, ``ties`` (dated ties signed by then),
        ``parties`` (parties with at least one of them), ``components``,
        ``giant`` (parties in the largest component) and ``giant_share``
        (giant / parties).  ``attrs["ties_without_year"]`` counts the ties left
        out for lack of a year.

    Notes
    -----
    The network as it stood at the end of each year: the ties signed in or
    before that year.  Computed in one pass with a union–find structure.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_edge("c1", "l1", year=2000); G.add_edge("c2", "l2", year=2001); G.add_edge("c1", "l2", year=2002)
    >>> giant_by_year(G)[["year", "components", "giant"]].values.tolist()
    [[2000, 1, 2], [2001, 2, 2], [2002, 1, 4]]
    """
    dated = sorted(((int(y), u, v) for u, v, y in graph.edges(data="year") if y is not None and not pd.isna(y)),
                   key=lambda e: e[0])
    without = graph.number_of_edges() - len(dated)
    columns = ["year", "ties", "parties", "components", "giant", "giant_share"]
    if not dated:
        frame = pd.DataFrame(columns=columns)
        frame.attrs["ties_without_year"] = without
        return frame
    first, last = dated[0][0], dated[-1][0]
    as_of = graph.graph.get("as_of")
    if as_of is not None:
        last = max(last, int(as_of))
    position: dict[Hashable, int] = {}
    sets = _UnionFind(2 * len(dated))
    components_count = giant = ties = 0
    rows = []
    i = 0
    for year in range(first, last + 1):
        while i < len(dated) and dated[i][0] == year:
            _, u, v = dated[i]
            for x in (u, v):
                if x not in position:
                    position[x] = len(position)
                    components_count += 1
                    giant = max(giant, 1)
            ru, rv = sets.find(position[u]), sets.find(position[v])
            if ru != rv:
                components_count -= 1
                giant = max(giant, sets.union(ru, rv))
            ties += 1
            i += 1
        rows.append((year, ties, len(position), components_count, giant, giant / len(position)))
    frame = pd.DataFrame(rows, columns=columns)
    frame.attrs["ties_without_year"] = without
    return frame


# --- brokers -------------------------------------------------------------------


def bridges(graph: nx.Graph) -> pd.DataFrame:
    """The ties whose loss splits a component (bridges), most consequential first.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    DataFrame
        One row per bridge: ``cn``, ``cn_name``, ``lac``, ``lac_name`` (the
        Chinese end first when the ends have a ``side``), ``kind``, ``year``,
        ``evidence``, ``source_url``, ``separated`` (parties on the smaller side
        once the tie is gone) and ``component`` (parties in its component).
        Sorted by ``separated``, largest first.

    Notes
    -----
    A bridge is an edge that lies on no cycle; removing it increases the
    number of components by one.  Found in linear time from a depth-first
    search (Tarjan 1974): tree edge *p*–*v* is a bridge when no edge from the
    subtree of *v* climbs above *v*.  Every tie to a party with no other tie is
    a bridge that separates one party; ``separated > 1`` marks the ties that
    hold a whole group of places to the rest.

    References
    ----------
    Tarjan, R. E. (1974). A note on finding the bridges of a graph. *Inf. Process. Lett.* 2(6), 160–161.

    Example
    -------
    >>> G = nx.Graph([("c1", "l1"), ("l1", "c2"), ("c2", "l2"), ("c2", "l3"), ("l3", "c3"), ("c3", "l2")])
    >>> bridges(G)[["cn", "lac", "separated"]].values.tolist()
    [['l1', 'c2', 2], ['c1', 'l1', 1]]
    """
    index, low, parent, size, component = _dfs(graph)
    rows = []
    for v, p in parent.items():
        if p is None or low[v] <= index[p]:
            continue
        cn, lac = _chinese_first(graph, p, v)
        data = graph.edges[p, v]
        below = size[v]
        rows.append({
            "cn": cn, "cn_name": _name(graph, cn), "lac": lac, "lac_name": _name(graph, lac),
            "kind": data.get("kind"), "year": data.get("year"), "evidence": data.get("evidence"),
            "source_url": data.get("source_url"), "separated": min(below, component[v] - below),
            "component": component[v],
        })
    columns = ["cn", "cn_name", "lac", "lac_name", "kind", "year", "evidence", "source_url", "separated",
               "component"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame):
        frame["_a"], frame["_b"] = frame["cn"].map(_sort_key), frame["lac"].map(_sort_key)
        frame = frame.sort_values(["separated", "component", "_a", "_b"], ascending=[False, False, True, True])
        frame = frame.drop(columns=["_a", "_b"]).reset_index(drop=True)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    return frame


def articulation_points(graph: nx.Graph) -> pd.DataFrame:
    """The places whose loss disconnects others (articulation points), most consequential first.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    DataFrame
        One row per articulation point: ``node``, ``name``, ``side``, ``level``,
        ``country``, ``degree``, ``pieces`` (parts its component falls into
        without it), ``separated`` (parties cut off from the largest of those
        parts) and ``component`` (parties in its component).  Sorted by
        ``separated``, largest first.

    Notes
    -----
    A node is an articulation (cut) vertex when removing it leaves its
    component in two or more parts.  From the same depth-first search as
    :func:`bridges` (Hopcroft & Tarjan 1973): a non-root *v* is one when some
    child subtree has no edge climbing above *v*; the root when it has two or
    more children.  ``separated`` is the number of parties that would lose
    every path to the largest remaining part: the broker's reach.

    References
    ----------
    Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph manipulation.
    *Commun. ACM* 16(6), 372–378.

    Example
    -------
    >>> G = nx.Graph([("hub", "a"), ("hub", "b"), ("hub", "c"), ("c", "d")])
    >>> articulation_points(G)[["node", "pieces", "separated"]].values.tolist()
    [['hub', 3, 2], ['c', 2, 1]]
    """
    index, low, parent, size, component = _dfs(graph)
    children: defaultdict[Hashable, list[Hashable]] = defaultdict(list)
    for v, p in parent.items():
        if p is not None:
            children[p].append(v)
    rows = []
    for v, kids in children.items():
        if parent[v] is None:
            pieces = [size[c] for c in kids]
        else:
            pieces = [size[c] for c in kids if low[c] >= index[v]]
            if pieces:
                pieces.append(component[v] - 1 - sum(pieces))
        if len(pieces) < 2:
            continue
        data = graph.nodes[v]
        rows.append({
            "node": v, "name": _name(graph, v), "side": data.get("side"), "level": data.get("level"),
            "country": data.get("country"), "degree": graph.degree(v), "pieces": len(pieces),
            "separated": sum(pieces) - max(pieces), "component": component[v],
        })
    columns = ["node", "name", "side", "level", "country", "degree", "pieces", "separated", "component"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame):
        frame["_k"] = frame["node"].map(_sort_key)
        frame = frame.sort_values(["separated", "degree", "_k"], ascending=[False, False, True])
        frame = frame.drop(columns="_k").reset_index(drop=True)
    return frame


def k_core(graph: nx.Graph) -> pd.DataFrame:
    """Core number of every party: the largest *k* such that it belongs to the k-core.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    DataFrame
        One row per party: ``node``, ``name``, ``side``, ``country``, ``degree``,
        ``core``; highest core first.

    Notes
    -----
    The k-core is the largest subgraph in which every node has at least *k*
    neighbours; the k-shell holds the nodes of the k-core that are not in the
    (k+1)-core (Seidman 1983; computed as in Batagelj & Zaveršnik 2003).  In a
    two-sided network a 2-core needs a cycle: places tied to a single partner
    are in the 1-shell, the periphery.

    References
    ----------
    Seidman, S. B. (1983). Network structure and minimum degree. *Soc. Networks* 5(3), 269–287.
    Batagelj, V. & Zaveršnik, M. (2003). An O(m) algorithm for cores decomposition of networks.
    arXiv:cs/0310049.

    Example
    -------
    >>> G = nx.Graph([("c1", "l1"), ("l1", "c2"), ("c2", "l2"), ("l2", "c1"), ("c1", "l3")])
    >>> k_core(G).set_index("node")["core"].to_dict()
    {'c1': 2, 'c2': 2, 'l1': 2, 'l2': 2, 'l3': 1}
    """
    simple = graph
    if nx.number_of_selfloops(graph):
        simple = nx.Graph(graph)
        simple.remove_edges_from(nx.selfloop_edges(simple))
    cores = nx.core_number(simple) if graph.number_of_nodes() else {}
    rows = [{"node": n, "name": _name(graph, n), "side": graph.nodes[n].get("side"),
             "country": graph.nodes[n].get("country"), "degree": graph.degree(n), "core": k}
            for n, k in cores.items()]
    frame = pd.DataFrame(rows, columns=["node", "name", "side", "country", "degree", "core"])
    if len(frame):
        frame["_k"] = frame["node"].map(_sort_key)
        frame = frame.sort_values(["core", "degree", "_k"], ascending=[False, False, True])
        frame = frame.drop(columns="_k").reset_index(drop=True)
    return frame


def _shells(cores: pd.DataFrame) -> pd.DataFrame:
    columns = ["core", "parties", "china_parties", "lac_parties", "in_core"]
    if cores.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for key, members in cores.groupby("core"):
        k = cast(int, key)  # a core number: the stubs type group keys as any scalar
        rows.append({"core": int(k), "parties": len(members),
                     "china_parties": int((members["side"] == "china").sum()),
                     "lac_parties": int((members["side"] == "lac").sum()),
                     "in_core": int((cores["core"] >= k).sum())})
    return pd.DataFrame(rows, columns=columns).sort_values("core", ascending=False).reset_index(drop=True)


# --- robustness ----------------------------------------------------------------


def _giant_after_removals(matrix: csr_matrix, order: np.ndarray, kmax: int) -> list[int]:
    """``giant[k]`` for k = 0..kmax: size of the largest component once ``order[:k]`` are removed.

    The components left after removing ``order[:kmax]`` come from scipy in one
    call; then parties are added back in reverse order (Newman & Ziff 2000) with a
    union–find structure whose roots start as those components."""
    from scipy.sparse.csgraph import connected_components

    n = matrix.shape[0]
    kmax = min(kmax, n)
    present = np.zeros(n, dtype=bool)
    present[order[kmax:]] = True
    kept = np.flatnonzero(present)
    sets = _UnionFind(2 * n)
    best = 0
    if len(kept):
        _, labels = connected_components(matrix[kept][:, kept], directed=False)
        counts = np.bincount(labels)
        best = int(counts.max())
        parent = sets.parent
        for v, label in zip(kept.tolist(), labels.tolist(), strict=True):
            parent[v] = n + label
        for label, count in enumerate(counts.tolist()):
            sets.size[n + label] = count
    indptr, indices = matrix.indptr.tolist(), matrix.indices.tolist()
    mask = present.tolist()
    giant = [0] * (kmax + 1)
    giant[kmax] = best
    for k in range(kmax - 1, -1, -1):
        v = int(order[k])
        mask[v] = True
        best = max(best, 1)
        for w in indices[indptr[v]:indptr[v + 1]]:
            if mask[w]:
                best = max(best, sets.union(v, w))
        giant[k] = best
    return giant


def robustness(graph: nx.Graph, *, fractions: Iterable[float] | None = None, n_random: int = 20,
               seed: int = 0) -> pd.DataFrame:
    """Share of parties in the largest component as parties are removed: hubs first, or at random.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    fractions : sequence of float, optional
        Fractions of the parties to remove (default 0, 0.01, …, 0.30).
    n_random : int
        Random removal orders averaged (a sample: the output says how many).
    seed : int
        Seed of the random orders.

    Returns
    -------
    DataFrame
        One row per fraction: ``removed_fraction``, ``removed`` (parties),
        ``giant_share_targeted`` (largest component over all parties of the
        intact graph, after removing the ``removed`` parties with most ties),
        ``giant_share_random`` (mean over ``n_random`` random orders),
        ``random_std``, ``random_min``, ``random_max``.
        ``attrs["note"]`` says how the curves were computed.

    Notes
    -----
    The attack-tolerance experiment of Albert, Jeong & Barabási (2000):
    networks with heavy-tailed degrees keep their giant component under random
    failure but break quickly when the hubs go.  Hubs are ranked once, by
    their degree in the intact graph (ties broken by id).  Each curve is
    computed by adding the parties back in reverse order with a union–find
    structure (Newman & Ziff 2000).

    References
    ----------
    Albert, R., Jeong, H. & Barabási, A.-L. (2000). Error and attack tolerance of complex networks.
    *Nature* 406, 378–382.
    Newman, M. E. J. & Ziff, R. M. (2000). Efficient Monte Carlo algorithm and high-precision results for
    percolation. *Phys. Rev. Lett.* 85, 4104–4107.

    Example
    -------
    >>> G = nx.star_graph(4)  # hub 0 and four leaves
    >>> curve = robustness(G, fractions=[0, 0.2], n_random=0)
    >>> curve["giant_share_targeted"].tolist()
    [1.0, 0.2]
    """
    nodes = sorted(graph, key=_sort_key)
    return _robustness(_matrix(graph, nodes), fractions=fractions, n_random=n_random, seed=seed)


def _robustness(matrix: csr_matrix, *, fractions: Iterable[float] | None = None, n_random: int = 20,
                seed: int = 0) -> pd.DataFrame:
    fractions = list(DEFAULT_FRACTIONS if fractions is None else fractions)
    n = matrix.shape[0]
    removed = [min(n, int(round(f * n))) for f in fractions]
    columns = ["removed_fraction", "removed", "giant_share_targeted", "giant_share_random", "random_std",
               "random_min", "random_max"]
    if n == 0:
        return pd.DataFrame(columns=columns)
    kmax = max(removed, default=0)
    degree = np.diff(matrix.indptr)
    targeted_order = np.lexsort((np.arange(n), -degree))  # most ties first, then node order
    targeted = _giant_after_removals(matrix, targeted_order, kmax)
    rng = np.random.default_rng(seed)
    runs = np.array([[curve[k] for k in removed]
                     for curve in (_giant_after_removals(matrix, rng.permutation(n), kmax)
                                   for _ in range(n_random))], dtype=float).reshape(n_random, len(removed)) / n
    frame = pd.DataFrame({
        "removed_fraction": fractions, "removed": removed,
        "giant_share_targeted": [targeted[k] / n for k in removed],
        "giant_share_random": runs.mean(axis=0) if n_random else np.nan,
        "random_std": runs.std(axis=0, ddof=1) if n_random > 1 else np.nan,
        "random_min": runs.min(axis=0) if n_random else np.nan,
        "random_max": runs.max(axis=0) if n_random else np.nan,
    }, columns=columns)
    frame.attrs["note"] = (f"hubs removed in order of degree in the intact graph; random removal: mean of "
                           f"{n_random} sampled orders (seed {seed})")
    return frame


def robustness_figure(curve: pd.DataFrame, *, title: str = "Robustness of the twinning network") -> Figure:
    """A matplotlib Figure of a :func:`robustness` curve: targeted against random removal.

    Parameters
    ----------
    curve : DataFrame
        What :func:`robustness` returns.
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
        Not attached to pyplot: save it with ``fig.savefig(path)`` or show it
        in a notebook by leaving it as a cell's value.

    Example
    -------
    >>> fig = robustness_figure(robustness(nx.star_graph(4), fractions=[0, 0.2], n_random=3))
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['hubs first', 'random (mean)']
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.4, 4.2), dpi=100)
    ax = fig.add_subplot()
    x = 100 * curve["removed_fraction"].astype(float)
    ax.plot(x, 100 * curve["giant_share_targeted"].astype(float), color="#c62828", marker="o", markersize=3,
            label="hubs first")
    random = curve["giant_share_random"].astype(float)
    if random.notna().any():
        ax.plot(x, 100 * random, color="#1565c0", marker="s", markersize=3, label="random (mean)")
        ax.fill_between(x, 100 * curve["random_min"].astype(float), 100 * curve["random_max"].astype(float),
                        color="#1565c0", alpha=0.15, linewidth=0, label="random (range)")
    ax.set_xlabel("parties removed (%)")
    ax.set_ylabel("parties in the largest component (%)")
    ax.set_ylim(0, 102)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    if curve.attrs.get("note"):
        fig.text(0.01, 0.01, curve.attrs["note"], fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


# --- projections ---------------------------------------------------------------


def _check_projection(side: str, level: str, via: str) -> None:
    if side not in ("lac", "china"):
        raise ValueError(f"unknown side {side!r}: use 'lac' or 'china'")
    for value in (level, via):
        if value not in _UNIT_KEYS:
            raise ValueError(f"unknown level {value!r}: use one of {', '.join(_UNIT_KEYS)}")


def _unit(node: Hashable, data: Mapping[str, Any], level: str) -> Hashable:
    return node if level == "party" else (data.get(level) or node)


def _unit_name(node: Hashable, data: Mapping[str, Any], level: str) -> str:
    if level == "party":
        return data.get("name") or str(node)
    if level == "province":
        return data.get("province_name") or data.get("name") or str(node)
    return data.get("country_name") or data.get("country") or str(node)


def _partner_sets(graph: nx.Graph, side: str, level: str, via: str) -> _PartnerSets:
    """unit on ``side`` -> set of partner units; and names and regions of both."""
    partners: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    names: dict[Hashable, str] = {}
    regions: dict[Hashable, str | None] = {}
    attributes = dict(graph.nodes(data=True))
    for u, v in graph.edges():
        for a, b in ((u, v), (v, u)):
            da, db = attributes[a], attributes[b]
            if da.get("side") != side or db.get("side") == side:
                continue
            ka, kb = _unit(a, da, level), _unit(b, db, via)
            partners[ka].add(kb)
            names.setdefault(ka, _unit_name(a, da, level))
            names.setdefault(kb, _unit_name(b, db, via))
            regions.setdefault(ka, da.get("region"))
            regions.setdefault(kb, db.get("region"))
    return partners, names, regions


def shared_partner_projection(graph: nx.Graph, *, side: str = "lac", level: str = "country",
                              via: str = "province") -> pd.DataFrame:
    """Pairs of one side's units linked through shared partners on the other side.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    side : ``"lac"`` or ``"china"``
        Whose units are paired: LAC units through shared Chinese partners, or
        Chinese units through shared LAC partners.
    level : ``"party"``, ``"province"`` or ``"country"``
        The units paired (default: countries; for ``side="china"`` use
        ``"province"``).
    via : ``"party"``, ``"province"`` or ``"country"``
        The unit of the shared partners (default: provinces).

    Returns
    -------
    DataFrame
        One row per linked pair: ``a``, ``a_name``, ``a_region``, ``b``,
        ``b_name``, ``b_region``, ``shared`` (partners tied to both),
        ``jaccard`` (shared over the partners of either) and ``partners``
        (their names, ``; ``-separated).  Strongest first.

    Notes
    -----
    The one-mode projection of a two-mode network (Breiger 1974; Newman
    2001): two LAC countries are linked when some Chinese province (or one of
    its cities) has ties in both, with weight the number of such provinces.
    It is how the twinning network could carry the "dialogue among the
    countries of the region" the literature describes: shared partners give
    countries common interlocutors.

    References
    ----------
    Breiger, R. L. (1974). The duality of persons and groups. *Soc. Forces* 53(2), 181–190.
    Newman, M. E. J. (2001). Scientific collaboration networks. I. *Phys. Rev. E* 64, 016131.

    Example
    -------
    >>> G = nx.Graph()
    >>> for n, s, c, p in [("js", "china", "CN", "CN-JS"), ("zj", "china", "CN", "CN-ZJ"),
    ...                    ("ba", "lac", "AR", "AR-B"), ("sp", "lac", "BR", "BR-SP"), ("vs", "lac", "CL", "CL-VS")]:
    ...     G.add_node(n, side=s, country=c, province=p, name=n)
    >>> G.add_edges_from([("js", "ba"), ("js", "sp"), ("zj", "ba"), ("zj", "sp"), ("zj", "vs")])
    >>> shared_partner_projection(G)[["a", "b", "shared"]].values.tolist()
    [['AR', 'BR', 2], ['AR', 'CL', 1], ['BR', 'CL', 1]]
    """
    _check_projection(side, level, via)
    return _projection(_partner_sets(graph, side, level, via))


def _projection(sets: _PartnerSets) -> pd.DataFrame:
    partners, names, regions = sets
    by_partner: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for unit, ps in partners.items():
        for p in ps:
            by_partner[p].add(unit)
    pairs: defaultdict[tuple[Hashable, Hashable], list[Hashable]] = defaultdict(list)
    for p, units in by_partner.items():
        for a, b in combinations(sorted(units, key=_sort_key), 2):
            pairs[a, b].append(p)
    rows = []
    for (a, b), shared in pairs.items():
        union = len(partners[a] | partners[b])
        rows.append({"a": a, "a_name": names[a], "a_region": regions[a], "b": b, "b_name": names[b],
                     "b_region": regions[b], "shared": len(shared), "jaccard": len(shared) / union,
                     "partners": "; ".join(sorted(names[p] for p in shared))})
    columns = ["a", "a_name", "a_region", "b", "b_name", "b_region", "shared", "jaccard", "partners"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame):
        frame["_a"], frame["_b"] = frame["a"].map(_sort_key), frame["b"].map(_sort_key)
        frame = frame.sort_values(["shared", "jaccard", "_a", "_b"], ascending=[False, False, True, True])
        frame = frame.drop(columns=["_a", "_b"]).reset_index(drop=True)
    return frame


def shared_partner_brokers(graph: nx.Graph, *, side: str = "lac", level: str = "country",
                       via: str = "province") -> pd.DataFrame:
    """Who brokers a :func:`shared_partner_projection`: the partners that link pairs of units.

    Parameters
    ----------
    graph, side, level, via
        As in :func:`shared_partner_projection`.

    Returns
    -------
    DataFrame
        One row per partner tied to at least two units: ``partner``, ``name``,
        ``region``, ``units`` (how many units it ties to), ``pairs`` (pairs it
        links: units·(units−1)/2), ``exclusive_pairs`` (pairs no other partner
        links) and ``share_of_pairs`` (``pairs`` over all linked pairs).  Most
        pairs first.

    Notes
    -----
    A partner tied to *u* units makes a clique of *u(u−1)/2* pairs in the
    projection.  A pair linked by one partner only depends on it: losing that
    partner's ties would unlink the two countries (a brokerage in the sense
    of Gould & Fernandez 1989, here of the "liaison" kind).

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociol. Methodol.* 19, 89–126.

    Example
    -------
    >>> G = nx.Graph()
    >>> for n, s, c, p in [("js", "china", "CN", "CN-JS"), ("zj", "china", "CN", "CN-ZJ"),
    ...                    ("ba", "lac", "AR", "AR-B"), ("sp", "lac", "BR", "BR-SP"), ("vs", "lac", "CL", "CL-VS")]:
    ...     G.add_node(n, side=s, country=c, province=p, name=n)
    >>> G.add_edges_from([("js", "ba"), ("js", "sp"), ("zj", "ba"), ("zj", "sp"), ("zj", "vs")])
    >>> shared_partner_brokers(G)[["partner", "pairs", "exclusive_pairs"]].values.tolist()
    [['CN-ZJ', 3, 2], ['CN-JS', 1, 0]]
    """
    _check_projection(side, level, via)
    return _brokers(_partner_sets(graph, side, level, via))


def _brokers(sets: _PartnerSets) -> pd.DataFrame:
    partners, names, regions = sets
    by_partner: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for unit, ps in partners.items():
        for p in ps:
            by_partner[p].add(unit)
    linkers: defaultdict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for units in by_partner.values():
        for pair in combinations(sorted(units, key=_sort_key), 2):
            linkers[pair] += 1
    total = len(linkers)
    rows = []
    for p, units in by_partner.items():
        if len(units) < 2:
            continue
        ordered = sorted(units, key=_sort_key)
        n_pairs = len(ordered) * (len(ordered) - 1) // 2
        exclusive = sum(1 for pair in combinations(ordered, 2) if linkers[pair] == 1)
        rows.append({"partner": p, "name": names[p], "region": regions[p], "units": len(units), "pairs": n_pairs,
                     "exclusive_pairs": exclusive, "share_of_pairs": n_pairs / total})
    columns = ["partner", "name", "region", "units", "pairs", "exclusive_pairs", "share_of_pairs"]
    frame = pd.DataFrame(rows, columns=columns)
    if len(frame):
        frame["_k"] = frame["partner"].map(_sort_key)
        frame = frame.sort_values(["pairs", "exclusive_pairs", "_k"], ascending=[False, False, True])
        frame = frame.drop(columns="_k").reset_index(drop=True)
    return frame


def region_links(graph: nx.Graph, *, side: str = "lac", level: str = "country",
                 via: str = "province") -> pd.DataFrame:
    """Which regions the :func:`shared_partner_projection` links, and how densely.

    Parameters
    ----------
    graph, side, level, via
        As in :func:`shared_partner_projection`; regions are LAC subregions (``side="lac"``)
        or NBS regions (``side="china"``).

    Returns
    -------
    DataFrame
        One row per pair of regions (a region with itself for links within
        it): ``region_a``, ``region_b``, ``units_a``, ``units_b`` (units with any
        tie), ``possible_pairs``, ``linked_pairs``, ``density`` (linked over
        possible) and ``shared`` (sum of shared partners over the linked pairs).

    Notes
    -----
    The density of the projection within and between regions: whether
    shared partners link, for instance, Southern Cone countries to each other
    more than to the Caribbean.

    Example
    -------
    >>> G = nx.Graph()
    >>> for n, s, c, r in [("js", "china", "CN", "East"), ("ba", "lac", "AR", "Southern Cone"),
    ...                    ("vs", "lac", "CL", "Southern Cone"), ("hv", "lac", "CU", "Caribbean")]:
    ...     G.add_node(n, side=s, country=c, province=n, region=r, name=n)
    >>> G.add_edges_from([("js", "ba"), ("js", "vs")])
    >>> region_links(G)[["region_a", "region_b", "linked_pairs", "possible_pairs"]].values.tolist()
    [['Southern Cone', 'Southern Cone', 1, 1]]
    """
    _check_projection(side, level, via)
    sets = _partner_sets(graph, side, level, via)
    return _region_links(sets, _projection(sets))


def _region_label(region: object) -> str:
    # A unit without a region (None, or NaN once pandas has built the pair table) is grouped as "?".
    return "?" if region is None or (isinstance(region, float) and pd.isna(region)) or region == "" else str(region)


def _region_links(sets: _PartnerSets, pairs: pd.DataFrame) -> pd.DataFrame:
    partners, names, regions = sets
    units_by_region: defaultdict[str, int] = defaultdict(int)
    for unit in partners:
        units_by_region[_region_label(regions[unit])] += 1
    order = sorted(units_by_region)
    linked: defaultdict[tuple[str, ...], list[int]] = defaultdict(lambda: [0, 0])
    for a_region, b_region, n_shared in zip(pairs["a_region"], pairs["b_region"], pairs["shared"], strict=True):
        key = tuple(sorted((_region_label(a_region), _region_label(b_region))))
        linked[key][0] += 1
        linked[key][1] += n_shared
    rows = []
    for i, ra in enumerate(order):
        for rb in order[i:]:
            na, nb = units_by_region[ra], units_by_region[rb]
            possible = na * (na - 1) // 2 if ra == rb else na * nb
            if possible == 0:
                continue
            count, shared = linked.get((ra, rb), (0, 0))
            rows.append({"region_a": ra, "region_b": rb, "units_a": na, "units_b": nb, "possible_pairs": possible,
                         "linked_pairs": count, "density": count / possible, "shared": shared})
    columns = ["region_a", "region_b", "units_a", "units_b", "possible_pairs", "linked_pairs", "density", "shared"]
    return pd.DataFrame(rows, columns=columns)


# --- small world ---------------------------------------------------------------


def _matrix(graph: nx.Graph, nodes: list[Hashable]) -> csr_matrix:
    """Symmetric 0/1 adjacency matrix (CSR, float32) of ``graph`` in the order of ``nodes``."""
    position = {x: i for i, x in enumerate(nodes)}
    pairs = np.array([(position[u], position[v]) for u, v in graph.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    return _symmetric(pairs[:, 0], pairs[:, 1], len(nodes))


def _symmetric(a: np.ndarray, b: np.ndarray, n: int) -> csr_matrix:
    import scipy.sparse as sp

    rows, cols = np.concatenate([a, b]), np.concatenate([b, a])
    matrix = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0  # a repeated pair counts once
    return matrix


def _path_length(matrix: csr_matrix, rng: np.random.Generator, max_sources: int) -> tuple[float, bool]:
    """Mean shortest-path length within the largest component: breadth-first from every
    source at once (one sparse product per level), sources sampled above ``max_sources``."""
    from scipy.sparse.csgraph import connected_components

    n = matrix.shape[0]
    if n < 2:
        return float("nan"), False
    _, labels = connected_components(matrix, directed=False)
    members = np.flatnonzero(labels == np.bincount(labels).argmax())
    g = len(members)
    if g < 2:
        return float("nan"), False
    sampled = g > max_sources
    sources = np.sort(rng.choice(members, size=max_sources, replace=False)) if sampled else members
    k = len(sources)
    visited = np.zeros((n, k), dtype=bool)
    visited[sources, np.arange(k)] = True
    frontier = visited.astype(np.float32)
    total, depth = 0.0, 0
    while True:
        depth += 1
        new = (np.asarray(matrix @ frontier) > 0) & ~visited
        count = int(new.sum())
        if count == 0:
            break
        total += depth * count
        visited |= new
        frontier = new.astype(np.float32)
    return total / (k * (g - 1)), sampled


def _bipartite_clustering(matrix: csr_matrix, rng: np.random.Generator, max_nodes: int) -> tuple[float, bool]:
    """Mean Latapy clustering (``nx.bipartite.average_clustering``, mode "dot"), over a sample of
    ``max_nodes`` nodes when there are more."""
    n = matrix.shape[0]
    if n == 0:
        return float("nan"), False
    sampled = n > max_nodes
    rows = np.sort(rng.choice(n, size=max_nodes, replace=False)) if sampled else np.arange(n)
    degree = np.asarray(matrix.sum(axis=1)).ravel()
    common = (matrix[rows] @ matrix).tocsr()  # common[i, v] = |N(rows[i]) ∩ N(v)|
    values = np.zeros(len(rows))
    for i in range(len(rows)):
        start, end = common.indptr[i], common.indptr[i + 1]
        cols, inter = common.indices[start:end], common.data[start:end]
        keep = (cols != rows[i]) & (inter > 0)
        if keep.any():
            cols, inter = cols[keep], inter[keep]
            values[i] = float(np.mean(inter / (degree[rows[i]] + degree[cols] - inter)))
    return float(values.mean()), sampled


#: Above this many ties, :func:`small_world` draws its null graphs from the configuration model.
SWAP_LIMIT = 20_000


def _null_matrix(graph: nx.Graph, nodes: list[Hashable], stubs: np.ndarray, rng: np.random.Generator) -> csr_matrix:
    """A degree-preserving random two-sided graph: Maslov–Sneppen switches up to
    ``SWAP_LIMIT`` ties, else the bipartite configuration model (stubs matched at random,
    repeated pairs merged)."""
    if graph.number_of_edges() <= SWAP_LIMIT:
        return _matrix(rewire_bipartite(graph, rng, weighted=False), nodes)
    cn, lac = stubs
    return _symmetric(cn, lac[rng.permutation(len(lac))], len(nodes))


def small_world(graph: nx.Graph, *, n_null: int = 10, seed: int = 0, max_sources: int = 200,
                max_nodes: int = 2000) -> pd.DataFrame:
    """Average path length and clustering against a degree-preserving null model.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    n_null : int
        Degree-preserving random versions of the graph to compare with.
    seed : int
        Seed of the null models and of the samples.
    max_sources : int
        Above this many parties in the largest component, path lengths are
        measured from a uniform sample of that many sources.
    max_nodes : int
        Above this many parties, clustering is averaged over a uniform sample
        of that many parties.

    Returns
    -------
    DataFrame
        Two rows (``average path length``, ``bipartite clustering``) with
        ``value``, ``null_mean``, ``null_std``, ``z``, ``percentile``,
        ``n_null`` and ``sampled`` (whether a sample was used), and ``note``.

    Notes
    -----
    *Average path length*: mean number of ties on a shortest path between two
    parties of the largest component.  *Bipartite clustering*: in a two-sided
    network there are no triangles, so clustering is measured as in Latapy,
    Magnien & Del Vecchio (2008): for a party *u* and each party *v* at two
    hops, the overlap |N(u)∩N(v)| / |N(u)∪N(v)| of their partners, averaged
    over *v* and then over the parties (``nx.bipartite.average_clustering``).
    The null model keeps every party's number of partners and rewires the ties
    at random (Maslov & Sneppen 2002; above ``SWAP_LIMIT`` ties, for speed, the
    bipartite configuration model: tie ends matched at random, the few repeated
    pairs merged, Newman, Strogatz & Watts 2001), so the comparison asks whether paths
    are shorter and partners more shared than the degrees alone would make
    them (Watts & Strogatz 1998).  When the graph is not two-sided the
    clustering row is left empty.

    References
    ----------
    Watts, D. J. & Strogatz, S. H. (1998). Collective dynamics of 'small-world' networks. *Nature* 393, 440–442.
    Latapy, M., Magnien, C. & Del Vecchio, N. (2008). Basic notions for the analysis of large two-mode
    networks. *Soc. Networks* 30(1), 31–48.
    Maslov, S. & Sneppen, K. (2002). Specificity and stability in topology of protein networks.
    *Science* 296, 910–913.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["c1", "c2"], side="china"); G.add_nodes_from(["l1", "l2"], side="lac")
    >>> G.add_edges_from([("c1", "l1"), ("c1", "l2"), ("c2", "l2")])
    >>> small_world(G, n_null=0).set_index("measure")["value"].round(3).to_dict()
    {'average path length': 1.667, 'bipartite clustering': 0.5}
    """
    nodes = sorted(graph, key=_sort_key)
    return _small_world(graph, nodes, _matrix(graph, nodes), n_null=n_null, seed=seed, max_sources=max_sources,
                        max_nodes=max_nodes)


def _small_world(graph: nx.Graph, nodes: list[Hashable], matrix: csr_matrix, *, n_null: int, seed: int,
                 max_sources: int, max_nodes: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    two_sided = sides(graph) is not None
    apl, apl_sampled = _path_length(matrix, rng, max_sources)
    cc, cc_sampled = _bipartite_clustering(matrix, rng, max_nodes) if two_sided else (float("nan"), False)
    null_apl: list[float] = []
    null_cc: list[float] = []
    if two_sided:
        china = {n for n, s in graph.nodes(data="side") if s == "china"}
        position = {x: i for i, x in enumerate(nodes)}
        stubs = np.array([(position[u], position[v]) if u in china else (position[v], position[u])
                          for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2).T
        for _ in range(n_null):
            null = _null_matrix(graph, nodes, stubs, rng)
            null_apl.append(_path_length(null, rng, max_sources)[0])
            null_cc.append(_bipartite_clustering(null, rng, max_nodes)[0])
    method = ("Maslov–Sneppen rewirings" if graph.number_of_edges() <= SWAP_LIMIT
              else "configuration-model graphs, repeated pairs merged")
    rows = []
    for measure, value, null, sampled, size in (
        ("average path length", apl, null_apl, apl_sampled, max_sources),
        ("bipartite clustering", cc, null_cc, cc_sampled, max_nodes),
    ):
        note = (f"sampled: {size} {'sources' if measure.startswith('average') else 'parties'}" if sampled
                else "exact")
        note += f"; null: {len(null)} degree-preserving {method} (seed {seed})" if null else "; no null model"
        rows.append({"measure": measure, "value": value, **null_summary(value, null), "n_null": len(null),
                     "sampled": sampled, "note": note})
    return pd.DataFrame(rows, columns=["measure", "value", "null_mean", "null_std", "z", "percentile", "n_null",
                                       "sampled", "note"])


# --- all of it -----------------------------------------------------------------


def _hubs_to_halve(curve: pd.DataFrame, column: str) -> float:
    start = curve[column].iloc[0] if len(curve) else np.nan
    below = curve[curve[column] <= start / 2]
    return float(below["removed_fraction"].iloc[0]) if len(below) else np.nan


def connectivity(graph: nx.Graph, *, n_random: int = 20, n_null: int = 10, seed: int = 0,
                 max_sources: int = 200, max_nodes: int = 2000) -> dict[str, pd.DataFrame]:
    """Every connectivity measure, with a one-table summary of the headline numbers.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``, with ``evidence``
        and ``as_of`` as wanted).  Not modified.
    n_random : int
        Random removal orders in :func:`robustness`.
    n_null, max_sources, max_nodes : int
        Null models and sample sizes of :func:`small_world`.
    seed : int
        Seed of every random draw.

    Returns
    -------
    dict[str, DataFrame]
        Keyed by :data:`CONNECTIVITY_TABLES`: ``summary`` (``measure, value,
        note``), ``components``, ``giant_by_year``, ``bridges``,
        ``articulation_points``, ``k_core`` (per party), ``k_shells`` (parties
        per core number), ``robustness``, ``lac_projection`` (LAC countries
        through shared Chinese provinces), ``lac_subregions`` (its density
        within and between subregions), ``lac_brokers`` (the Chinese provinces
        that link them), ``china_projection`` (Chinese provinces through shared
        LAC countries), ``china_brokers`` and ``small_world``.

    Notes
    -----
    See the functions named above for the definitions.  Robustness and the
    null models are random samples (``n_random``, ``n_null``, ``seed``), and
    path lengths and clustering are sampled on large graphs: the summary's
    notes say so.

    Example
    -------
    >>> tables = connectivity(nx.Graph([("c1", "l1")]), n_random=2, n_null=0)
    >>> list(tables) == list(CONNECTIVITY_TABLES)
    True
    """
    comps = components(graph)
    by_year = giant_by_year(graph)
    bridge_table = bridges(graph)
    cuts = articulation_points(graph)
    cores = k_core(graph)
    nodes = sorted(graph, key=_sort_key)
    matrix = _matrix(graph, nodes)
    curve = _robustness(matrix, n_random=n_random, seed=seed)
    lac_sets = _partner_sets(graph, "lac", "country", "province")
    lac = _projection(lac_sets)
    lac_regions = _region_links(lac_sets, lac)
    lac_brokers = _brokers(lac_sets)
    china_sets = _partner_sets(graph, "china", "province", "country")
    china = _projection(china_sets)
    china_brokers = _brokers(china_sets)
    world = _small_world(graph, nodes, matrix, n_null=n_null, seed=seed, max_sources=max_sources,
                         max_nodes=max_nodes)

    lac_countries = len({d.get("country") for _, d in graph.nodes(data=True) if d.get("side") == "lac"} - {None})
    possible = lac_countries * (lac_countries - 1) // 2
    world_rows = world.set_index("measure")
    giant_share = float(comps["share"].iloc[0]) if len(comps) else np.nan
    rows = [
        ("parties", graph.number_of_nodes(), "with at least one tie"),
        ("ties", graph.number_of_edges(), ""),
        ("components", len(comps), ""),
        ("giant component share", giant_share, "parties in the largest component over all parties"),
        ("bridges", len(bridge_table), "ties whose loss splits a component"),
        ("bridges separating more than one party", int((bridge_table["separated"] > 1).sum()), ""),
        ("articulation points", len(cuts), "places whose loss disconnects others"),
        ("top broker", cuts["name"].iloc[0] if len(cuts) else "",
         f"separates {int(cuts['separated'].iloc[0])} parties" if len(cuts) else ""),
        ("largest core number", int(cores["core"].max()) if len(cores) else 0, "k of the innermost k-core"),
        ("share of parties removed to halve the giant, hubs first", _hubs_to_halve(curve,
         "giant_share_targeted"), "NaN: not reached within the fractions tried"),
        ("share of parties removed to halve the giant, random", _hubs_to_halve(curve, "giant_share_random"),
         curve.attrs.get("note", "")),
        ("LAC country pairs linked through a shared Chinese province", len(lac),
         f"of {possible} pairs of the {lac_countries} LAC countries with a tie"),
        ("Chinese province pairs linked through a shared LAC country", len(china), ""),
        ("average path length", world_rows.loc["average path length", "value"],
         world_rows.loc["average path length", "note"]),
        ("average path length, null mean", world_rows.loc["average path length", "null_mean"], ""),
        ("bipartite clustering", world_rows.loc["bipartite clustering", "value"],
         world_rows.loc["bipartite clustering", "note"]),
        ("bipartite clustering, null mean", world_rows.loc["bipartite clustering", "null_mean"], ""),
    ]
    summary = pd.DataFrame(rows, columns=["measure", "value", "note"])
    return {
        "summary": summary, "components": comps, "giant_by_year": by_year, "bridges": bridge_table,
        "articulation_points": cuts, "k_core": cores, "k_shells": _shells(cores), "robustness": curve,
        "lac_projection": lac, "lac_subregions": lac_regions, "lac_brokers": lac_brokers,
        "china_projection": china, "china_brokers": china_brokers, "small_world": world,
    }
