"""The main job: bundled data -> graph (embedded, or Neo4j) -> summary tables -> interactive network and map."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from twinlac.graph import default_db_path, open_store
from twinlac.loaders import LoadReport, load_agreements
from twinlac.queries import run_named

#: Named queries whose results make the demo's summary, in order.
SUMMARY_QUERIES = ("agreements_by_country", "agreements_by_level_and_kind", "top_chinese_provinces")


@dataclass
class DemoResult:
    """What ``run_demo`` built: the load report, summary tables and the network file."""

    db: Path | None
    load: LoadReport
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    network_html: Path | None = None
    map_html: Path | None = None
    seconds: float = 0.0
    #: ``"embedded"`` or ``"neo4j"``.
    backend: str = "embedded"
    #: Where the graph is, for messages: the database file, or ``Neo4j at <uri>``.
    location: str = ""


def run_demo(
    db: str | Path | None = None,
    out_dir: str | Path = "twinlac-out",
    *,
    backend: str | None = None,
    **options: Any,
) -> DemoResult:
    """Load the bundled data into a store, summarise it and draw it.

    Parameters
    ----------
    db : path, optional
        The embedded database file (default ``default_db_path()``: ``$TWINLAC_DB``
        or ``./twinlac.lbdb``); not used by Neo4j.
    out_dir : path
        Folder for ``network.html`` and ``map.html``.
    backend : {"embedded", "neo4j"}, optional
        Default ``$TWINLAC_BACKEND``, else ``"embedded"``.
    **options
        Passed to ``twinlac.open`` for Neo4j: ``uri``, ``auth``, ``database``
        (default: the ``NEO4J_*`` environment variables).

    Idempotent: a second run finds every agreement already present and adds nothing.

    Example
    -------
    >>> run_demo(backend="neo4j").load.ties_added  # doctest: +SKIP
    """
    from twinlac.viz import write_map_html, write_network_html

    backend = backend or os.environ.get("TWINLAC_BACKEND") or "embedded"
    db_path: Path | None = None
    if backend == "embedded":
        db = db_path = Path(db) if db is not None else default_db_path()
    started = time.perf_counter()
    with open_store(db, backend=backend, **options) as store:
        location = str(db) if backend == "embedded" else f"Neo4j at {getattr(store, 'uri', '?')}"
        report = load_agreements(store)
        tables = {name: run_named(store, name) for name in SUMMARY_QUERIES}
        graph = store.to_networkx()
    network = write_network_html(graph, Path(out_dir) / "network.html")
    world = write_map_html(graph, Path(out_dir) / "map.html")
    return DemoResult(db_path, report, tables, network, world, time.perf_counter() - started, backend, location)
