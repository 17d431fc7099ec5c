"""The network as two tables, at one level: what every export format writes.

Party level: the parties (Localities and Provinces) and the ties of
``GraphStore.to_networkx``. Province and country levels: the projections of
``twinlac.analysis.province_graph`` and ``country_graph`` (each tie counted for
the province, or country, of each party), with the years of the ties each
aggregated edge stands for.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from twinlac.exports._errors import ExportError
from twinlac.graph.store import TIE_PROPERTIES

LEVELS = ("party", "province", "country")

#: Node attributes, in order, after ``id`` and ``label`` (the Neo4j label: Locality, Province, Country).
PARTY_ATTRIBUTES = ["name", "name_zh", "level", "side", "province", "province_name", "country", "country_name",
                    "region", "coastal", "lat", "lon"]
GROUP_ATTRIBUTES = ["name", "level", "side", "province", "province_name", "country", "country_name", "region",
                    "coastal"]
#: Added to every node: its ties in the export, and the year of its first dated tie.
NODE_MEASURES = ["ties", "first_year"]
#: Attributes of an aggregated edge (type ``TIES``).
GROUP_EDGE_ATTRIBUTES = ["agreements", "first_year", "last_year", "undated"]

SIDE_ORDER = {"china": 0, "other": 1, "lac": 2}


@dataclass
class Tables:
    """Nodes and edges of an export, each a list of dicts with plain values (None when unknown).

    Nodes: ``id``, ``label`` and the level's attributes; edges: ``source``,
    ``target`` (the Chinese end first, else the non-LAC end, else id order, as
    the store runs ``TWINNED_WITH``), ``id``, ``type`` and their attributes.
    Nodes come in that order too: every edge's source before its target.
    """

    level: str
    rel_type: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    node_attributes: list[str] = field(default_factory=list)
    edge_attributes: list[str] = field(default_factory=list)


def check_level(level: str) -> None:
    if level not in LEVELS:
        raise ExportError(f"unknown level {level!r}: use one of {', '.join(LEVELS)}")


def tables(graph: nx.Graph, level: str = "party") -> Tables:
    """The tables of ``graph`` (a ``GraphStore.to_networkx()`` network) at ``level``."""
    check_level(level)
    if level == "party":
        return _party_tables(graph)
    return _group_tables(graph, level)


def _node_key(node: Hashable, data: dict[str, Any]) -> tuple[int, str]:
    return SIDE_ORDER.get(data.get("side", "other"), 1), str(node)


def orient(graph: nx.Graph, u: Hashable, v: Hashable) -> tuple[Hashable, Hashable]:
    """``(source, target)`` of an edge: the Chinese end, else the non-LAC end, else id order."""
    source, target = sorted((u, v), key=lambda n: _node_key(n, graph.nodes[n]))
    return source, target


def _first_years(edges: list[dict[str, Any]], year_key: str) -> dict[Hashable, Any]:
    first: dict[Hashable, Any] = {}
    for edge in edges:
        year = edge.get(year_key)
        if year is not None:
            for end in (edge["source"], edge["target"]):
                first[end] = year if first.get(end) is None else min(first[end], year)
    return first


def _party_tables(graph: nx.Graph) -> Tables:
    edges: list[dict[str, Any]] = []
    for u, v, data in graph.edges(data=True):
        source, target = _tie_ends(graph, u, v, data.get("id"))
        row = {"source": source, "target": target, "id": data.get("id"), "type": "TWINNED_WITH"}
        row.update({p: _plain(data.get(p)) for p in TIE_PROPERTIES if p != "id"})
        edges.append(row)
    edges.sort(key=lambda e: e["id"] or "")
    first = _first_years(edges, "year")
    nodes: list[dict[str, Any]] = []
    for node, data in sorted(graph.nodes(data=True), key=lambda item: _node_key(*item)):
        row = {"id": node, "label": data.get("label") or "Locality"}
        row.update({a: _plain(data.get(a)) for a in PARTY_ATTRIBUTES})
        row.update({"ties": graph.degree(node), "first_year": first.get(node)})
        nodes.append(row)
    return Tables("party", "TWINNED_WITH", nodes, edges, PARTY_ATTRIBUTES + NODE_MEASURES,
                  [p for p in TIE_PROPERTIES if p != "id"])


def _tie_ends(graph: nx.Graph, u: Hashable, v: Hashable, tie_id: object) -> tuple[Hashable, Hashable]:
    """The ends as the tie's id names them (``<from>~<to>``), else by the store's rule."""
    if isinstance(tie_id, str) and "~" in tie_id:
        a, b = tie_id.split("~", 1)
        if {a, b} == {u, v}:
            return a, b
    return orient(graph, u, v)


def _group_tables(graph: nx.Graph, level: str) -> Tables:
    from twinlac.analysis import country_graph, province_graph

    projected = (province_graph if level == "province" else country_graph)(graph)
    # The same rule as the projection: a party counts for its province (country), or itself.
    unit = {node: data.get(level) or node for node, data in graph.nodes(data=True)}
    years: dict[frozenset[Hashable], list[Any]] = {}
    for u, v, data in graph.edges(data=True):
        years.setdefault(frozenset((unit[u], unit[v])), []).append(data.get("year"))
    edges: list[dict[str, Any]] = []
    for a, b, data in projected.edges(data=True):
        source, target = orient(projected, a, b)
        dated = [y for y in years[frozenset((a, b))] if y is not None]
        agreements = int(data["weight"])
        if agreements != len(years[frozenset((a, b))]):  # the projection and this count must agree
            counted = len(years[frozenset((a, b))])
            raise RuntimeError(f"{source}–{target}: {agreements} agreements projected, {counted} ties")
        edges.append({"source": source, "target": target, "id": f"{source}~{target}", "type": "TIES",
                      "agreements": agreements, "first_year": min(dated) if dated else None,
                      "last_year": max(dated) if dated else None, "undated": agreements - len(dated)})
    edges.sort(key=lambda e: e["id"])
    first = _first_years(edges, "first_year")
    label = "Province" if level == "province" else "Country"
    nodes: list[dict[str, Any]] = []
    for node, data in sorted(projected.nodes(data=True), key=lambda item: _node_key(*item)):
        row = {"id": node, "label": label}
        row.update({a: _plain(data.get(a)) for a in GROUP_ATTRIBUTES})
        row.update({"ties": int(projected.degree(node, weight="weight")), "first_year": first.get(node)})
        nodes.append(row)
    return Tables(level, "TIES", nodes, edges, GROUP_ATTRIBUTES + NODE_MEASURES, GROUP_EDGE_ATTRIBUTES)


def _plain(value: Any) -> Any:
    """numpy scalars as Python values, NaN as None, tuples as lists."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
