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

import importlib
from typing import TYPE_CHECKING, Any

from twinlac.errors import LoadError, QueryError, StoreError, TwinlacError

if TYPE_CHECKING:
    from twinlac.exports import export
    from twinlac.graph import GraphStore, default_db_path
    from twinlac.graph import open_store as open  # noqa: A001 - the natural name: twinlac.open(db)
    from twinlac.loaders import bundled_data_path, load_agreements, load_file
    from twinlac.queries import NamedQuery, get_query, list_queries, run_named

# The public names, imported when first used: a command that only queries the store
# never loads the analyses, the pages or the loaders (see benchmarks/cold_start.py).
_LAZY = {
    "export": ("twinlac.exports", "export"),
    "GraphStore": ("twinlac.graph", "GraphStore"),
    "default_db_path": ("twinlac.graph", "default_db_path"),
    "open": ("twinlac.graph", "open_store"),
    "bundled_data_path": ("twinlac.loaders.bundled", "bundled_data_path"),
    "load_agreements": ("twinlac.loaders", "load_agreements"),
    "load_file": ("twinlac.loaders", "load_file"),
    "NamedQuery": ("twinlac.queries", "NamedQuery"),
    "get_query": ("twinlac.queries", "get_query"),
    "list_queries": ("twinlac.queries", "list_queries"),
    "run_named": ("twinlac.queries", "run_named"),
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:  # the one place the version is written is pyproject.toml
        return version("twinlac")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        return _version()
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value  # once imported, an ordinary attribute
        return value
    raise AttributeError(f"module 'twinlac' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY, "__version__"])


__all__ = [
    "GraphStore", "LoadError", "NamedQuery", "QueryError", "StoreError", "TwinlacError",
    "bundled_data_path", "default_db_path", "export", "get_query", "list_queries", "load_agreements", "load_file",
    "open", "run_named",
]
