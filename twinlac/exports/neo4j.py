"""Files for Neo4j: a Cypher script, and CSV files for ``neo4j-admin database import``.

At party level both write the twinlac model: ``Locality`` and ``Province``
nodes with the properties the store keeps on them, and ``TWINNED_WITH`` ties
with all of theirs, so that a Neo4j store opened on the result (``twinlac.open(
backend="neo4j")``) reads them as its own. At province and country level they
write ``Province`` or ``Country`` nodes with the export's attributes, joined by
``TIES`` relationships carrying the number of ``agreements``.
"""

from __future__ import annotations

import csv
import math
import shlex
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

from twinlac.exports._tables import Tables
from twinlac.exports.files import LIST_SEPARATOR, join_list
from twinlac.graph.model import NODE_TABLES

#: Types of the neo4j-admin import header, by attribute (the rest are strings).
IMPORT_TYPES = {
    "lat": "double", "lon": "double", "coastal": "boolean", "year": "int", "ties": "int", "first_year": "int",
    "last_year": "int", "agreements": "int", "undated": "int", "themes": "string[]", "sources": "string[]",
}


def node_properties(tables: Tables, label: str) -> list[str]:
    """The properties written on ``label`` nodes: at party level those the store keeps
    (its model's columns), else every attribute of the export."""
    if tables.level == "party":
        kept = {name for name, _ in NODE_TABLES[label]}
        return [a for a in tables.node_attributes if a in kept]
    return list(tables.node_attributes)


def edge_properties(tables: Tables) -> list[str]:
    return ["id", *tables.edge_attributes]


# -- Cypher ------------------------------------------------------------------------------------

def cypher_string(text: str) -> str:
    r"""A Cypher string literal, in single quotes, that Neo4j and the embedded store read back as ``text``.

    >>> print(cypher_string("Xi'an \\ \"Chang'an\"\n"))
    'Xi\'an \\ "Chang\'an"\n'
    """
    escaped = (text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f"'{escaped}'"


def cypher_literal(value: object) -> str | None:
    """A value as a Cypher literal; None for a value not to write (None, NaN, infinity)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        items = [cypher_literal(v) for v in value]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    return cypher_string(str(value))


def _sets(variable: str, row: dict[str, Any], properties: list[str]) -> str:
    assignments = [f"{variable}.{p} = {literal}" for p in properties
                   if p != "id" and (literal := cypher_literal(row.get(p))) is not None]
    return (" SET " + ", ".join(assignments)) if assignments else ""


def cypher_statements(tables: Tables) -> list[str]:
    """The script's statements, one per node and relationship, each on one line.

    Constraints first (``IF NOT EXISTS``, named as the Neo4j store names them), then
    ``MERGE`` of each node by ``id`` and of each relationship between its two nodes:
    running the script twice, or on a graph that holds some of it, adds only what
    is missing and sets the properties to the exported values.
    """
    labels = list(dict.fromkeys(node["label"] for node in tables.nodes))
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in labels
    ]
    label_of: dict[Hashable, str] = {}
    for node in tables.nodes:
        label_of[node["id"]] = label = node["label"]
        statements.append(f"MERGE (n:{label} {{id: {cypher_string(str(node['id']))}}})"
                          + _sets("n", node, node_properties(tables, label)))
    properties = edge_properties(tables)
    for edge in tables.edges:
        a, b = edge["source"], edge["target"]
        statements.append(
            f"MATCH (a:{label_of[a]} {{id: {cypher_string(str(a))}}}) "
            f"MATCH (b:{label_of[b]} {{id: {cypher_string(str(b))}}}) "
            f"MERGE (a)-[r:{tables.rel_type} {{id: {cypher_string(str(edge['id']))}}}]->(b)"
            + _sets("r", edge, properties)
        )
    return statements


def write_cypher(tables: Tables, path: Path, *, header: Sequence[str] = ()) -> list[Path]:
    """A Cypher script for Neo4j Browser or ``cypher-shell -f``: one statement per line,
    each ending with ``;``, after ``//`` comment lines."""
    with path.open("w", encoding="utf-8") as handle:
        for line in header:
            handle.write(f"// {line}\n")
        handle.write("// Run it with: cypher-shell -f " + shlex.quote(path.name) + " (or paste it in Neo4j Browser)\n")
        for statement in cypher_statements(tables):
            handle.write(statement + ";\n")
    return [path]


# -- neo4j-admin database import -------------------------------------------------------------------

def _header(name: str, key: str | None = None) -> str:
    return key if key else (f"{name}:{IMPORT_TYPES[name]}" if name in IMPORT_TYPES else name)


def _cell(value: Any, *, what: str) -> Any:
    if value is None:
        return None  # an empty, unquoted field: no property
    if isinstance(value, list):
        return join_list(value, what=what)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def import_command(folder: Path, *, multiline: bool, database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command that imports the files of ``folder`` into a new ``database``."""
    options = [
        "neo4j-admin database import full",
        f"--nodes={shlex.quote(str(folder / 'nodes.csv'))}",
        f"--relationships={shlex.quote(str(folder / 'relationships.csv'))}",
        f"--array-delimiter={shlex.quote(LIST_SEPARATOR)}",
    ]
    if multiline:
        options.append("--multiline-fields=true")
    return " ".join(options + [database])


def write_neo4j_import(tables: Tables, folder: Path) -> tuple[list[Path], str]:
    """``nodes.csv`` (``id:ID``, ``:LABEL``, typed properties) and ``relationships.csv``
    (``:START_ID``, ``:END_ID``, ``:TYPE``, typed properties) for ``neo4j-admin database
    import full``, and ``import.sh`` holding the command. Lists use ``|`` as the array
    delimiter; an empty field is no property."""
    folder.mkdir(parents=True, exist_ok=True)
    labels = list(dict.fromkeys(node["label"] for node in tables.nodes))
    node_props = list(dict.fromkeys(p for label in labels for p in node_properties(tables, label)))
    multiline = False
    nodes_path, rels_path = folder / "nodes.csv", folder / "relationships.csv"
    with nodes_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id:ID", ":LABEL"] + [_header(p) for p in node_props])
        for node in tables.nodes:
            kept = set(node_properties(tables, node["label"]))
            cells = [node["id"], node["label"]] + [
                _cell(node.get(p) if p in kept else None, what=f"node {node['id']} {p}") for p in node_props
            ]
            multiline = multiline or any(isinstance(c, str) and ("\n" in c or "\r" in c) for c in cells)
            writer.writerow(cells)
    edge_props = edge_properties(tables)
    with rels_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([":START_ID", ":END_ID", ":TYPE"] + [_header(p) for p in edge_props])
        for edge in tables.edges:
            cells = [edge["source"], edge["target"], edge["type"]] + [
                _cell(edge.get(p), what=f"edge {edge['id']} {p}") for p in edge_props
            ]
            multiline = multiline or any(isinstance(c, str) and ("\n" in c or "\r" in c) for c in cells)
            writer.writerow(cells)
    command = import_command(Path("."), multiline=multiline)
    script = folder / "import.sh"
    script.write_text(
        "#!/bin/sh\n"
        "# Imports these files into a new Neo4j database named neo4j (stop it first, or name another\n"
        "# database at the end of the command and CREATE DATABASE it afterwards). Needs neo4j-admin 5.\n"
        'cd "$(dirname "$0")" || exit 1\n'
        f"exec {command}\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return [nodes_path, rels_path, script], import_command(folder, multiline=multiline)
