"""Paths and neighbourhoods: how two places are connected, and what lies around one.

Places are named as users name them: a party's name, Chinese name or id
(``Wuxi``, ``无锡``, ``CN-JS:wuxi``), a province's name or ISO 3166-2 code
(``Jiangsu``, ``CN-JS``: the province and every place in it), or a country's
name or ISO code (``Argentina``, ``AR``); case and accents do not matter, and a
name that matches nothing gets "did you mean" suggestions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import networkx as nx
import pandas as pd

from twinlac.errors import QueryError
from twinlac.loaders.names import fold

__all__ = ["PATH_COLUMNS", "PLACE_KINDS", "Place", "PlaceNotFound", "ego_graph", "neighbourhood", "resolve_place",
           "shortest_paths"]

#: What a place name may stand for: ``auto`` tries a party, then a province, then a country.
PLACE_KINDS: tuple[str, ...] = ("auto", "party", "province", "country")
#: Levels :func:`shortest_paths` walks at.
PATH_LEVELS: tuple[str, ...] = ("party", "province")
#: Columns of :func:`shortest_paths`.
PATH_COLUMNS: list[str] = ["path", "hop", "from_id", "from_name", "to_id", "to_name", "kind", "year", "evidence",
                           "source_url", "agreements"]
#: Most paths :func:`shortest_paths` lists with ``all=True``.
MAX_PATHS = 1000

#: Node -> hops from the nearest source.
_Distances = dict[Hashable, int]
#: Node -> its predecessors on shortest paths from the sources.
_Predecessors = dict[Hashable, list[Hashable]]
#: Pair of provinces -> the attributes of each tie between them.
_Ties = dict[frozenset[Hashable], list[dict[str, Any]]]


class PlaceNotFound(QueryError):
    """A place name matches nothing in the graph, or matches several places."""


@dataclass(frozen=True)
class Place:
    """A resolved place: what was asked, what it stands for, and its nodes in the graph."""

    query: str
    kind: str  # party, province or country
    id: str
    name: str
    nodes: tuple[Hashable, ...]


def _suggestions(graph: nx.Graph, text: str) -> list[str]:
    from rapidfuzz import process

    names: set[str] = set()
    for _, data in graph.nodes(data=True):
        names.update(n for n in (data.get("name"), data.get("province_name"), data.get("country_name")) if n)
    folded = {fold(n): n for n in sorted(names)}
    found = process.extract(fold(text), list(folded), limit=3, score_cutoff=60)
    return [folded[match] for match, _, _ in found]


def resolve_place(graph: nx.Graph, text: str, *, kind: str = "auto") -> Place:
    """The place ``text`` names in ``graph``: a party, a province or a country.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).
    text : str
        A name, Chinese name or id, in any case, with or without accents.
    kind : ``"auto"``, ``"party"``, ``"province"`` or ``"country"``
        What to look for; ``auto`` tries ids, then party names, then province
        names, then country names, and takes the first that matches.

    Returns
    -------
    Place
        ``kind``, ``id``, ``name`` and ``nodes`` (the party, or every party in
        the province or country).

    Raises
    ------
    PlaceNotFound
        When nothing matches (with the closest names), or when a name matches
        several parties (with their ids, to pick one).

    Notes
    -----
    Resolved as the named queries resolve a ``province`` parameter: a name
    compared without case (and here without accents), or an id compared in
    upper case.  A province that signed as a party (``Jiangsu``) resolves to
    that party under ``auto``; ask ``kind="province"`` for it with its cities.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:wuxi", name="Wuxi", name_zh="无锡", province="CN-JS", province_name="Jiangsu", country="CN")
    >>> G.add_node("BR-SP:sao-paulo", name="São Paulo", province="BR-SP", province_name="São Paulo", country="BR")
    >>> G.add_edge("CN-JS:wuxi", "BR-SP:sao-paulo")
    >>> resolve_place(G, "sao paulo").id, resolve_place(G, "无锡").id, resolve_place(G, "jiangsu").kind
    ('BR-SP:sao-paulo', 'CN-JS:wuxi', 'province')
    """
    if kind not in PLACE_KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(PLACE_KINDS)}")
    raw, folded, upper = text.strip(), fold(text), text.strip().upper()
    kinds = ("party", "province", "country") if kind == "auto" else (kind,)
    members: dict[str, defaultdict[str, list[Hashable]]] = {"province": defaultdict(list), "country": defaultdict(list)}
    names: dict[str, dict[str, str]] = {"province": {}, "country": {}}
    for node, data in graph.nodes(data=True):
        for level in ("province", "country"):
            key = data.get(level)
            if key:
                members[level][key].append(node)
                names[level].setdefault(key, data.get(f"{level}_name") or key)

    def place(level: str, key: Hashable, nodes: Iterable[Hashable], name: str) -> Place:
        return Place(text, level, str(key), name, tuple(sorted(nodes, key=str)))

    # Ids first.
    for level in kinds:
        if level == "party":
            for node in (raw, upper):
                if node in graph:
                    return place("party", node, [node], graph.nodes[node].get("name") or str(node))
        elif upper in members[level]:
            return place(level, upper, members[level][upper], names[level][upper])
    # Then names.
    for level in kinds:
        if level == "party":
            found = sorted((n for n, d in graph.nodes(data=True)
                            if (d.get("name") and fold(d["name"]) == folded) or d.get("name_zh") == raw), key=str)
            if len(found) == 1:
                return place("party", found[0], found, graph.nodes[found[0]].get("name") or str(found[0]))
            if len(found) > 1:
                raise PlaceNotFound(f"{text!r} names {len(found)} places: {', '.join(map(str, found))}; "
                                    "give the id of the one you mean")
        else:
            for key, name in sorted(names[level].items()):
                if fold(name) == folded:
                    return place(level, key, members[level][key], name)
    hint = _suggestions(graph, text)
    raise PlaceNotFound(f"no place {text!r} in the graph" + (f"; did you mean {', '.join(hint)}?" if hint else ""))


def _province_view(graph: nx.Graph) -> tuple[nx.Graph, _Ties]:
    """The province graph and, per pair of provinces, the ties between them."""
    view = nx.Graph()
    ties: _Ties = defaultdict(list)
    for u, v, data in graph.edges(data=True):
        a = graph.nodes[u].get("province") or u
        b = graph.nodes[v].get("province") or v
        for node, src in ((a, u), (b, v)):
            if node not in view:
                d = graph.nodes[src]
                view.add_node(node, name=d.get("province_name") or d.get("name") or str(node))
        view.add_edge(a, b)
        ties[frozenset((a, b))].append(data)
    return view, ties


def _bfs(graph: nx.Graph, sources: Collection[Hashable], max_hops: int | None) -> tuple[_Distances, _Predecessors]:
    """Distances and shortest-path predecessors from a set of sources (breadth first)."""
    dist = {s: 0 for s in sources}
    preds: _Predecessors = {s: [] for s in sources}
    frontier = sorted(sources, key=str)
    depth = 0
    while frontier and (max_hops is None or depth < max_hops):
        depth += 1
        following: list[Hashable] = []
        for u in frontier:
            for w in sorted(graph[u], key=str):
                if w not in dist:
                    dist[w] = depth
                    preds[w] = [u]
                    following.append(w)
                elif dist[w] == depth:
                    preds[w].append(u)
        frontier = following
    return dist, preds


def _paths_to(target: Hashable, preds: Mapping[Hashable, list[Hashable]], limit: int) -> Iterator[list[Hashable]]:
    """Shortest paths (source first) ending at ``target``, at most ``limit``."""
    stack = [(target, [target])]
    while stack and limit > 0:
        node, path = stack.pop()
        if not preds[node]:
            limit -= 1
            yield path[::-1]
            continue
        for p in reversed(preds[node]):
            stack.append((p, path + [p]))


def _first_tie(ties: list[dict[str, Any]]) -> dict[str, Any]:
    return min(ties, key=lambda d: (d.get("year") is None, d.get("year") or 0, str(d.get("id"))))


def shortest_paths(graph: nx.Graph, source: str, target: str, *, max_hops: int | None = 6, all: bool = False,
                   level: str = "party") -> pd.DataFrame:
    """Shortest chains of ties between two places, provinces or countries.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``; filter it there
        with ``evidence`` and ``as_of``).  Not modified.
    source, target : str
        Places as :func:`resolve_place` reads them; a province or country
        stands for every party in it (the path starts at whichever is closest).
    max_hops : int or None
        Longest path looked for (None: no limit).
    all : bool
        Every shortest path (up to 1,000), not only the first.
    level : ``"party"`` or ``"province"``
        Walk the party graph (default), or the province graph, where a hop is
        any tie between two provinces.

    Returns
    -------
    DataFrame
        One row per hop (:data:`PATH_COLUMNS`): ``path`` (1, 2, …), ``hop``,
        ``from_id``, ``from_name``, ``to_id``, ``to_name``, and the tie's
        ``kind``, ``year``, ``evidence`` and ``source_url`` (at province level
        the earliest of the ``agreements`` between the two provinces).
        Empty when no path of at most ``max_hops`` exists.  ``attrs`` holds
        ``source`` and ``target`` (the resolved :class:`Place`), ``hops``
        (None when not found) and ``truncated``.

    Notes
    -----
    Breadth-first search from every node of the source at once (Moore 1959),
    keeping every predecessor on a shortest path so that ``all=True`` lists
    each one.  Ties are undirected here: a chain may run China–LAC–China–LAC.

    References
    ----------
    Moore, E. F. (1959). The shortest path through a maze. *Proc. Int. Symp. Theory of Switching*, 285–292.

    Example
    -------
    >>> G = nx.Graph()
    >>> for n, name in [("br", "Campinas"), ("cn1", "Wuxi"), ("cn2", "Suzhou"), ("ar", "Rosario"), ("ar2", "Salta")]:
    ...     G.add_node(n, name=name)
    >>> G.add_edge("cn1", "br", kind="sister", year=2005); G.add_edge("cn1", "ar2", kind="friendship", year=2010)
    >>> G.add_edge("cn2", "ar2", kind="sister", year=2012); G.add_edge("cn2", "ar", kind="sister", year=2015)
    >>> path = shortest_paths(G, "Campinas", "Rosario")
    >>> path[["hop", "from_name", "to_name", "year"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[1, 'Campinas', 'Wuxi', 2005], [2, 'Wuxi', 'Salta', 2010],
     [3, 'Salta', 'Suzhou', 2012], [4, 'Suzhou', 'Rosario', 2015]]
    """
    if level not in PATH_LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(PATH_LEVELS)}")
    start, end = resolve_place(graph, source), resolve_place(graph, target)
    ties: _Ties | None  # None: walk the party graph itself
    if level == "province":
        walk, ties = _province_view(graph)

        def units(p: Place) -> list[Hashable]:
            return sorted({graph.nodes[n].get("province") or n for n in p.nodes}, key=str)

        sources, targets = units(start), units(end)
        names = {n: walk.nodes[n]["name"] for n in walk}
    else:
        walk, ties = graph, None
        sources, targets = list(start.nodes), list(end.nodes)
        names = {n: graph.nodes[n].get("name") or str(n) for n in graph}
    overlap = set(sources) & set(targets)
    if overlap:
        raise PlaceNotFound(f"{source!r} and {target!r} share {', '.join(map(str, sorted(overlap, key=str)))}")
    dist, preds = _bfs(walk, sources, max_hops)
    reached = [t for t in targets if t in dist]
    frame_rows: list[dict[str, Any]] = []
    truncated = False
    hops: int | None = None
    if reached:
        hops = min(dist[t] for t in reached)
        limit = MAX_PATHS if all else 1
        number = 0
        for t in sorted((t for t in reached if dist[t] == hops), key=str):
            for path in _paths_to(t, preds, limit - number):
                number += 1
                for i, (a, b) in enumerate(pairwise(path), start=1):
                    if ties is None:
                        data, count = graph.edges[a, b], 1
                    else:
                        between = ties[frozenset((a, b))]
                        data, count = _first_tie(between), len(between)
                    frame_rows.append({"path": number, "hop": i, "from_id": a, "from_name": names[a], "to_id": b,
                                       "to_name": names[b], "kind": data.get("kind"), "year": data.get("year"),
                                       "evidence": data.get("evidence"), "source_url": data.get("source_url"),
                                       "agreements": count})
            if number >= limit:
                truncated = all and number >= MAX_PATHS
                break
    frame = pd.DataFrame(frame_rows, columns=PATH_COLUMNS)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    frame.attrs.update(source=start, target=end, hops=hops, truncated=truncated)
    return frame


def _within(graph: nx.Graph, place: Place, hops: int) -> tuple[_Distances, _Predecessors]:
    if hops < 0:
        raise ValueError("hops must be 0 or more")
    return _bfs(graph, list(place.nodes), hops)


def neighbourhood(graph: nx.Graph, place: str, *, hops: int = 1) -> pd.DataFrame:
    """The places within ``hops`` ties of a place, with their distance and the ties that reach them.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    place : str
        A place, province or country, as :func:`resolve_place` reads it.
    hops : int
        How far to look (1: the partners).

    Returns
    -------
    DataFrame
        One row per tie from a place at distance *d − 1* to a place at
        distance *d* (a place reached through two ties appears twice), and one
        row per starting party at distance 0: ``distance``, ``id``, ``name``,
        ``side``, ``level``, ``country``, ``via_id``, ``via_name`` (the closer
        end of the tie), ``kind``, ``year``, ``evidence``, ``source_url``.
        Sorted by distance, then name.

    Notes
    -----
    The ego network of the place (breadth-first, Moore 1959); see
    :func:`ego_graph` for it as a graph to draw.

    Example
    -------
    >>> G = nx.Graph([("a", "b", {"kind": "sister"}), ("b", "c", {"kind": "friendship"}), ("c", "d", {})])
    >>> neighbourhood(G, "a", hops=2)[["distance", "id", "via_id", "kind"]].values.tolist()
    [[0, 'a', None, None], [1, 'b', 'a', 'sister'], [2, 'c', 'b', 'friendship']]
    """
    start = resolve_place(graph, place)
    dist, preds = _within(graph, start, hops)
    rows: list[dict[str, Any]] = []
    for node, d in dist.items():
        data = graph.nodes[node]
        base = {"distance": d, "id": node, "name": data.get("name") or str(node), "side": data.get("side"),
                "level": data.get("level"), "country": data.get("country")}
        if d == 0:
            rows.append({**base, "via_id": None, "via_name": None, "kind": None, "year": None, "evidence": None,
                         "source_url": None})
        for p in preds[node]:
            tie = graph.edges[p, node]
            rows.append({**base, "via_id": p, "via_name": graph.nodes[p].get("name") or str(p),
                         "kind": tie.get("kind"), "year": tie.get("year"), "evidence": tie.get("evidence"),
                         "source_url": tie.get("source_url")})
    columns = ["distance", "id", "name", "side", "level", "country", "via_id", "via_name", "kind", "year",
               "evidence", "source_url"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["_n"], frame["_i"], frame["_v"] = frame["name"].map(fold), frame["id"].map(str), frame["via_id"].map(str)
    frame = frame.sort_values(["distance", "_n", "_i", "_v"]).drop(columns=["_n", "_i", "_v"]).reset_index(drop=True)
    text = [c for c in columns if c not in ("distance", "year")]
    frame[text] = frame[text].astype(object).where(frame[text].notna(), None)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    frame.attrs["place"] = start
    return frame


def ego_graph(graph: nx.Graph, place: str, *, hops: int = 1) -> nx.Graph:
    """The part of the network within ``hops`` ties of a place, to draw as a focused page.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    place : str
        A place, province or country, as :func:`resolve_place` reads it.
    hops : int
        How far to look.

    Returns
    -------
    nx.Graph
        A copy of the induced subgraph on the parties within ``hops`` ties,
        with every tie among them; ``graph.graph`` is copied, with
        ``centre`` (the starting parties) and ``hops`` added.  Pass it to
        ``twinlac.viz.write_network_html`` for a page around the place.

    Example
    -------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> E = ego_graph(G, "b", hops=1)
    >>> sorted(E), E.graph["centre"]
    (['a', 'b', 'c'], ['b'])
    """
    start = resolve_place(graph, place)
    dist, _ = _within(graph, start, hops)
    ego = graph.subgraph(dist).copy()
    ego.graph.update(graph.graph)
    ego.graph["centre"] = list(start.nodes)
    ego.graph["hops"] = hops
    return ego
