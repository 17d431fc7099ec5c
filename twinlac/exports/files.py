"""Files for graph tools: GraphML (yEd, Cytoscape, igraph), GEXF (Gephi) and CSV (R, pandas, Kumu).

networkx writes GraphML and GEXF but fails on the network's own attributes
(None values, lists); here every value is made one the formats hold: None is
left out, a list is joined with ``|`` (``LIST_SEPARATOR``), the rest are
text, integers, floats and booleans.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx

from twinlac.exports._errors import ExportError
from twinlac.exports._tables import Tables

#: Joins the items of a list attribute (themes, sources) in every file format:
#: Kumu's separator, and a character a URL may not hold unescaped.
LIST_SEPARATOR = "|"


def join_list(values: Iterable[object], *, what: str = "list") -> str:
    """The items of a list attribute as one text; a URL holding ``|`` has it percent-encoded
    (``%7C``, the same address), any other item holding it is an error.

    >>> join_list(["https://a.org/x", "https://b.org/y|z"])
    'https://a.org/x|https://b.org/y%7Cz'
    """
    items = []
    for value in values:
        text = str(value)
        if LIST_SEPARATOR in text:
            if text.startswith(("http://", "https://")):
                text = quote(text, safe=":/?#[]@!$&'()*+,;=%~")
            else:
                raise ExportError(f"{what}: item {text!r} holds {LIST_SEPARATOR!r}, the list separator of exports")
        items.append(text)
    return LIST_SEPARATOR.join(items)


def flat(row: dict[str, Any], *, what: str) -> dict[str, Any]:
    """A row's values as the file formats hold them: None left out, lists joined."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if value is None:
            continue
        out[key] = join_list(value, what=f"{what} {key}") if isinstance(value, list) else value
    return out


def _graph(tables: Tables) -> nx.Graph:
    """An undirected networkx graph of flat values; nodes in table order, so that each edge
    is written source first."""
    graph = nx.Graph()
    for node in tables.nodes:
        attrs = flat(node, what=f"node {node['id']}")
        node_id = attrs.pop("id")
        attrs["type"] = attrs.pop("label")
        graph.add_node(node_id, **attrs)
    for edge in tables.edges:
        attrs = flat(edge, what=f"edge {edge['id']}")
        graph.add_edge(attrs.pop("source"), attrs.pop("target"), **attrs)
    return graph


def write_graphml(tables: Tables, path: Path) -> list[Path]:
    """GraphML: nodes keyed by id with ``type`` (Locality, Province, Country) and their
    attributes; edges with ``id``, ``type`` and theirs."""
    nx.write_graphml(_graph(tables), path)
    return [path]


def write_gexf(tables: Tables, path: Path) -> list[Path]:
    """GEXF 1.2 for Gephi, dynamic: an edge's ``start`` is its year (an aggregated edge's:
    its first year), a node's the year of its first dated tie, so Gephi's timeline shows
    the network growing; undated elements have no start and are shown at every time.
    Node labels are names."""
    graph = _graph(tables)
    graph.graph["mode"] = "dynamic"
    year = "year" if tables.rel_type == "TWINNED_WITH" else "first_year"
    for _, data in graph.nodes(data=True):
        data["label"] = data.get("name", "")
        if data.get("first_year") is not None:
            data["start"] = float(data["first_year"])  # timeformat "double": Gephi reads it
    for _, _, data in graph.edges(data=True):
        del data["type"]  # in GEXF an edge's type is its direction (directed, undirected, mutual)
        if data.get(year) is not None:
            data["start"] = float(data[year])
        if tables.rel_type == "TIES":
            data["weight"] = data["agreements"]
    nx.write_gexf(graph, path, version="1.2draft")
    return [path]


def write_csv(tables: Tables, folder: Path) -> list[Path]:
    """``nodes.csv`` (``ID, Label, Type`` then the attributes) and ``edges.csv`` (``From, To,
    ID`` then the attributes): Kumu's column names, and plain tables for R and pandas."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges = folder / "nodes.csv", folder / "edges.csv"
    node_columns = ["ID", "Label", "Type"] + [a for a in tables.node_attributes if a != "name"]
    with nodes.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=node_columns)
        writer.writeheader()
        for node in tables.nodes:
            row = flat(node, what=f"node {node['id']}")
            row = {"ID": row.pop("id"), "Label": row.pop("name", ""), "Type": row.pop("label"), **row}
            writer.writerow(row)
    edge_columns = ["From", "To", "ID"] + tables.edge_attributes
    with edges.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=edge_columns, extrasaction="ignore")
        writer.writeheader()
        for edge in tables.edges:
            row = flat(edge, what=f"edge {edge['id']}")
            writer.writerow({"From": row.pop("source"), "To": row.pop("target"), "ID": row.pop("id"), **row})
    return [nodes, edges]
