"""Grouping parties by province or country, and the node measures used for sizing.

The grouping keeps, on every link between two groups, the list of the agreements
it stands for, so that the pages can show each agreement with its source in the
tooltips and filter agreements one by one. ``twinlac.analysis.centrality.province_graph``
projects the same way (each tie counted for the province of each party, the
party itself when it has none) but keeps only a ``weight``.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from twinlac.viz._common import _bool, _fold, _number, _text

#: Accepted values of ``level``.
LEVEL_CHOICES: tuple[str, ...] = ("locality", "province", "country")

#: Accepted names of ``size_by`` (a mapping of node to value is accepted too).
SIZE_BY_CHOICES: tuple[str, ...] = ("degree", "weighted", "betweenness", "pagerank")

SIZE_BY_LABELS = {
    "degree": "Partners",
    "weighted": "Agreements",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "custom": "Size value",
}


def node_sort_key(key: Any) -> tuple[str, str]:
    return (str(key), repr(key))


@dataclass
class Grouping:
    """Parties grouped at one level.

    ``nodes`` maps each group key to its attributes (those of a party, plus
    ``members``: the ``(key, name)`` of its parties, sorted by name); ``links``
    maps each unordered pair of group keys, in node order, to the ``(u, v,
    data)`` of the agreements between them.
    """

    level: str
    nodes: dict[Hashable, dict[str, Any]]
    links: dict[tuple[Hashable, Hashable], list[tuple[Any, Any, Mapping[str, Any]]]] = field(default_factory=dict)


def check_level(level: str) -> None:
    if level not in LEVEL_CHOICES:
        choices = ", ".join(repr(c) for c in LEVEL_CHOICES)
        raise ValueError(f"level must be one of {choices}; got {level!r}")


def group_key(key: Hashable, data: Mapping[str, Any], level: str) -> Hashable:
    """The group a party falls in: its province or country id, else the party itself."""
    if level == "locality":
        return key
    return _text(data.get(level)) or key


def group(graph: nx.Graph, level: str) -> Grouping:
    """Group the parties of `graph` at `level` ("province" or "country")."""
    check_level(level)
    members: dict[Hashable, list[tuple[Any, Mapping[str, Any]]]] = {}
    of: dict[Any, Hashable] = {}
    for key, data in graph.nodes(data=True):
        g = group_key(key, data, level)
        of[key] = g
        members.setdefault(g, []).append((key, data))
    nodes = {g: _group_attrs(g, sorted(ms, key=lambda m: node_sort_key(m[0])), level) for g, ms in members.items()}
    links: dict[tuple[Hashable, Hashable], list] = {}
    for u, v, data in graph.edges(data=True):
        a, b = sorted((of[u], of[v]), key=node_sort_key)
        links.setdefault((a, b), []).append((u, v, data))
    return Grouping(level, nodes, links)


def _group_attrs(key: Hashable, members: list[tuple[Any, Mapping[str, Any]]], level: str) -> dict[str, Any]:
    # The party that is the group itself (a province that signed as such) comes first.
    own = next((d for k, d in members if k == key), None)
    ordered = ([own] if own is not None else []) + [d for k, d in members if k != key]

    def first(name: str) -> Any:
        return next((v for v in (d.get(name) for d in ordered) if _text(v) is not None), None)

    own_name = _text(own.get("name")) if own is not None else None
    if level == "province":
        name = _text(first("province_name")) or own_name or str(key)
        region = _text(first("region"))
        coastal = next((b for b in (_bool(d.get("coastal")) for d in ordered) if b is not None), None)
        extra = {"province": _text(key) or str(key), "province_name": name, "coastal": coastal,
                 "country": _text(first("country")), "country_name": _text(first("country_name"))}
    else:
        name = _text(first("country_name")) or own_name or str(key)
        regions = {r for r in (_text(d.get("region")) for d in ordered) if r}
        region = regions.pop() if len(regions) == 1 else None
        extra = {"country": _text(key) or str(key), "country_name": name}
    member_names = sorted(
        ((k, _text(d.get("name")) or str(k)) for k, d in members),
        key=lambda m: (_fold(m[1]), node_sort_key(m[0])),
    )
    return {
        "name": name,
        "name_zh": _text(own.get("name_zh")) if own is not None else None,
        "level": level,
        "side": _text(first("side")),
        "region": region,
        "members": member_names,
        **extra,
    }


# --- measures -------------------------------------------------------------------------------


def check_size_by(size_by: Any) -> None:
    if isinstance(size_by, Mapping):
        return
    if not isinstance(size_by, str) or size_by not in SIZE_BY_CHOICES:
        choices = ", ".join(repr(c) for c in SIZE_BY_CHOICES)
        raise ValueError(f"size_by must be one of {choices} or a mapping of node to value; got {size_by!r}")


def measure(graph: nx.Graph, size_by: str | Mapping[Any, Any]) -> dict[Any, float]:
    """The value each node of `graph` is sized by.

    `graph` is a simple graph whose edge ``weight`` counts agreements. A mapping
    is taken as given (missing nodes get 0); its values must be finite and >= 0.
    """
    check_size_by(size_by)
    if isinstance(size_by, Mapping):
        values = {}
        for node in graph:
            raw = size_by.get(node, 0)
            value = _number(raw)
            if value is None or value < 0:
                raise ValueError(f"size_by[{node!r}] must be a finite number >= 0; got {raw!r}")
            values[node] = value
        return values
    if size_by == "degree":
        return {n: float(d) for n, d in graph.degree()}
    if size_by == "weighted":
        return {n: float(d) for n, d in graph.degree(weight="weight")}
    if size_by == "betweenness":
        # Unweighted, normalised: as in twinlac.analysis.centrality.
        return {n: float(v) for n, v in nx.betweenness_centrality(graph).items()}
    # Weighted by agreements, as in twinlac.analysis.centrality.
    return {n: float(v) for n, v in nx.pagerank(graph, weight="weight", tol=1e-12, max_iter=1000).items()} if len(graph) else {}
