"""twinlac: explore twinning relations between Chinese and Latin American and Caribbean localities.

>>> import twinlac
>>> store = twinlac.open("twinlac.lbdb")            # doctest: +SKIP
>>> twinlac.load_agreements(store)                  # doctest: +SKIP
>>> twinlac.load_file(store, "pairs.csv", mapping={...}, source="https://...")  # doctest: +SKIP
>>> store.query("MATCH (p:Province) RETURN count(p) AS n")  # doctest: +SKIP
>>> G = store.to_networkx()                         # doctest: +SKIP
>>> twinlac.export(store, "twinlac.gexf", level="province")  # doctest: +SKIP
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from twinlac.errors import LoadError, QueryError, StoreError, TwinlacError
from twinlac.exports import export
from twinlac.graph import GraphStore, default_db_path
from twinlac.graph import open_store as open  # noqa: A001 - the natural name: twinlac.open(db)
from twinlac.loaders import bundled_data_path, load_agreements, load_file
from twinlac.queries import NamedQuery, get_query, list_queries, run_named

try:  # the one place the version is written is pyproject.toml
    __version__ = version("twinlac")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "GraphStore", "LoadError", "NamedQuery", "QueryError", "StoreError", "TwinlacError",
    "bundled_data_path", "default_db_path", "export", "get_query", "list_queries", "load_agreements", "load_file",
    "open", "run_named",
]
