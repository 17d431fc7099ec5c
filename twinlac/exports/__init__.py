"""Exports: the twinning network as files for other tools.

========================  ===================================================================
``format``                what ``out`` becomes
========================  ===================================================================
``graphml``               one GraphML file (yEd, Cytoscape, igraph, networkx)
``gexf``                  one GEXF file for Gephi, dynamic: ties appear in the year signed
``csv``                   a folder: ``nodes.csv`` and ``edges.csv`` (R, pandas, Kumu)
``cypher``                one Cypher script of ``MERGE`` statements (Neo4j Browser, cypher-shell)
``neo4j-import``          a folder: CSV files and ``import.sh`` for ``neo4j-admin database import``
========================  ===================================================================

Every format takes the network as ``GraphStore.to_networkx`` builds it, with
the same filters (``evidence``, ``as_of``, ``scope``), at one ``level``: the
parties themselves, or aggregated onto provinces or countries (edge
``agreements`` = ties between them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from twinlac.exports._errors import ExportError
from twinlac.exports._tables import LEVELS, Tables, check_level, tables
from twinlac.exports.files import LIST_SEPARATOR, write_csv, write_gexf, write_graphml
from twinlac.exports.neo4j import cypher_statements, write_cypher, write_neo4j_import
from twinlac.graph.vocabulary import EXPORT_FORMATS

if TYPE_CHECKING:
    from twinlac.graph.store import GraphStore

__all__ = ["FORMATS", "LEVELS", "LIST_SEPARATOR", "ExportError", "ExportResult", "Tables", "cypher_statements",
           "export", "export_graph", "tables"]

#: Accepted values of ``format``.
FORMATS = EXPORT_FORMATS
#: The file suffix that names each format, when ``format`` is not given.
SUFFIXES = {".graphml": "graphml", ".gexf": "gexf", ".cypher": "cypher", ".cql": "cypher"}


@dataclass
class ExportResult:
    """What ``export`` wrote."""

    format: str
    level: str
    #: The files written (for ``csv`` and ``neo4j-import``, inside the ``out`` folder).
    paths: list[Path] = field(default_factory=list)
    nodes: int = 0
    edges: int = 0
    #: Ties the export stands for (at province or country level: the sum of ``agreements``).
    ties: int = 0
    #: Ties of the store the filters left out (``GraphStore.to_networkx``).
    ties_left_out: int = 0
    #: ``neo4j-import``: the ``neo4j-admin`` command that imports the files.
    command: str | None = None


def export(
    store: GraphStore,
    out: str | Path,
    *,
    format: str | None = None,
    level: str = "party",
    evidence: Iterable[str] | None = None,
    as_of: int | None = None,
    scope: str = "china-lac",
) -> ExportResult:
    """Write the twinning network of ``store`` to ``out`` in another tool's format.

    Parameters
    ----------
    store : GraphStore
        An open store (``twinlac.open(...)``), embedded or Neo4j.
    out : path
        The file to write (``graphml``, ``gexf``, ``cypher``), or the folder
        (``csv``, ``neo4j-import``; made if missing). Existing files are replaced.
    format : {"graphml", "gexf", "csv", "cypher", "neo4j-import"}, optional
        Default: from the suffix of ``out`` (``.graphml``, ``.gexf``,
        ``.cypher``/``.cql``); a folder needs ``format``.
    level : {"party", "province", "country"}
        ``party``: places and provinces as they signed, one edge per tie.
        ``province``/``country``: each tie counted for the province (country) of
        each party (``twinlac.analysis.province_graph``, ``country_graph``); one
        edge per pair, with ``agreements``, ``first_year``, ``last_year``, ``undated``.
    evidence, as_of, scope
        The filters of ``GraphStore.to_networkx``: keep ties of these evidence
        grades, signed in or before ``as_of``, China–LAC only (``"china-lac"``) or
        all (``"all"``).

    Returns
    -------
    ExportResult
        The files written and what they hold.

    Notes
    -----
    Lists (themes, sources) are joined with ``|`` in GraphML, GEXF and CSV, and
    are arrays in the Neo4j formats; None is left out. GEXF is dynamic: each
    edge starts in its year, each node in the year of its first dated tie.
    Edges run from the Chinese party (else the non-LAC party), as ties do in
    the store. At party level the Neo4j formats write the twinlac model (the
    properties the store keeps), so a Neo4j store opened on the result reads
    it as its own; ``neo4j-import`` is for a first load of millions of ties
    into a new database. See ``docs/exports.md``.

    Example
    -------
    >>> with twinlac.open("twinlac.lbdb", read_only=True) as store:  # doctest: +SKIP
    ...     twinlac.export(store, "twinlac.gexf", level="province", evidence=["official", "press"])
    """
    graph = store.to_networkx(evidence=evidence, as_of=as_of, scope=scope)
    return export_graph(graph, out, format=format, level=level)


def export_graph(graph: nx.Graph, out: str | Path, *, format: str | None = None,
                 level: str = "party") -> ExportResult:
    """``export`` of a network already built by ``GraphStore.to_networkx``."""
    out = Path(out)
    format = _format(out, format)
    check_level(level)
    table = tables(graph, level)
    evidence = ", ".join(graph.graph["evidence"]) if graph.graph.get("evidence") else "any"
    header = [
        f"twinlac export: {len(table.nodes)} nodes, {len(table.edges)} {table.rel_type} relationships, level {level}",
        (f"filters: evidence {evidence}, as of {graph.graph.get('as_of') or 'any year'}, "
         f"scope {graph.graph.get('scope', 'china-lac')}"),
    ]
    command = None
    if format in ("graphml", "gexf", "cypher"):
        out.parent.mkdir(parents=True, exist_ok=True)
    if format == "graphml":
        paths = write_graphml(table, out)
    elif format == "gexf":
        paths = write_gexf(table, out)
    elif format == "csv":
        paths = write_csv(table, out)
    elif format == "cypher":
        paths = write_cypher(table, out, header=header)
    else:
        paths, command = write_neo4j_import(table, out)
    ties = len(table.edges) if level == "party" else sum(e["agreements"] for e in table.edges)
    return ExportResult(format, level, paths, len(table.nodes), len(table.edges), ties,
                        int(graph.graph.get("ties_left_out", 0) or 0), command)


def _format(out: Path, format: str | None) -> str:
    if format is None:
        format = SUFFIXES.get(out.suffix.lower())
        if format is None:
            raise ExportError(f"cannot tell the format from {out.name!r}: give the format: {', '.join(FORMATS)}")
    if format not in FORMATS:
        raise ExportError(f"unknown format {format!r}: use one of {', '.join(FORMATS)}")
    return format
