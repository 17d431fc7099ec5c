"""The graph: model, ids and stores (embedded LadybugDB by default, Neo4j on request)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from twinlac.graph.model import GraphFrames
from twinlac.graph.store import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, GraphStore, QueryRows, WriteReport

#: Where the embedded database lives unless ``--db`` or ``TWINLAC_DB`` says otherwise.
DEFAULT_DB = "twinlac.lbdb"

__all__ = [
    "DEFAULT_DB", "DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "GraphFrames", "GraphStore", "QueryRows",
    "WriteReport", "default_db_path", "open_store",
]


def default_db_path() -> Path:
    """The embedded database path: ``$TWINLAC_DB`` if set, else ``./twinlac.lbdb``."""
    return Path(os.environ.get("TWINLAC_DB") or DEFAULT_DB)


def open_store(
    db: str | Path | None = None,
    *,
    backend: str = "embedded",
    read_only: bool = False,
    **options: Any,
) -> GraphStore:
    """Open a twinlac graph.

    ``backend="embedded"`` (default) opens the LadybugDB file ``db`` (default:
    ``default_db_path()``), creating it when writable. ``backend="neo4j"``
    connects to a server (``uri=``, ``auth=``, ``database=`` or the ``NEO4J_*``
    environment variables).
    """
    if backend == "embedded":
        from twinlac.graph.embedded import EmbeddedStore

        return EmbeddedStore(db if db is not None else default_db_path(), read_only=read_only)
    if backend == "neo4j":
        from twinlac.graph.neo4j_store import Neo4jStore

        return Neo4jStore(read_only=read_only, **options)
    from twinlac.errors import StoreError

    raise StoreError(f"unknown backend {backend!r}: use 'embedded' or 'neo4j'")
