"""Named queries: ``.cypher`` files in this folder, readable in any Cypher console.

Each file starts with ``//`` comment lines: the first is its title, the next
ones (before any ``@param``) the question it answers, and ``// @param NAME:
description`` or ``// @param NAME = DEFAULT: description`` document its
parameters. The text runs unchanged on the embedded store and on Neo4j.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from twinlac.errors import QueryError

if TYPE_CHECKING:
    import pandas as pd

    from twinlac.graph.store import GraphStore

_PARAM_LINE = re.compile(r"^@param\s+(\w+)\s*(?:=\s*([^:]+?))?\s*:\s*(.*)$")


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    default: object = None


@dataclass(frozen=True)
class NamedQuery:
    """A named Cypher query shipped with twinlac."""

    name: str
    title: str
    question: str
    cypher: str
    params: tuple[QueryParam, ...] = field(default_factory=tuple)

    def bind(self, given: dict[str, Any]) -> dict[str, Any]:
        """The parameters to run with: defaults filled in, unknown names refused."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            expected = ", ".join(sorted(known)) or "none"
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)} (it takes: {expected})")
        bound = {p.name: p.default for p in self.params if p.default is not None}
        bound.update(given)
        missing = [p.name for p in self.params if p.name not in bound]
        if missing:
            hints = "; ".join(f"{p.name}: {p.description}" for p in self.params if p.name in missing)
            raise QueryError(f"query {self.name!r} needs --param {', '.join(missing)} ({hints})")
        return bound


def parse_value(text: str) -> Any:
    """A parameter value from the command line: a JSON number, boolean, list or quoted
    string (`"2015"` stays text), else the text as it is.

    >>> parse_value("2015"), parse_value("Jiangsu"), parse_value('["press", "official"]')
    (2015, 'Jiangsu', ['press', 'official'])
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    return value if isinstance(value, (int, float, bool, list, str)) else text


def _parse(name: str, text: str) -> NamedQuery:
    header = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        header.append(line[2:].strip())
    params, prose = [], []
    for line in header:
        match = _PARAM_LINE.match(line)
        if match:
            default = parse_value(match.group(2).strip()) if match.group(2) else None
            params.append(QueryParam(match.group(1), match.group(3), default))
        elif line:
            prose.append(line)
    title = prose[0] if prose else name
    return NamedQuery(name, title, " ".join(prose[1:]), text, tuple(params))


@lru_cache(maxsize=1)
def _all() -> dict[str, NamedQuery]:
    folder = resources.files(__package__)
    queries = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".cypher"):
            name = entry.name[: -len(".cypher")]
            queries[name] = _parse(name, entry.read_text(encoding="utf-8"))
    return queries


def list_queries() -> list[NamedQuery]:
    """Every named query, sorted by name."""
    return list(_all().values())


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; a clear error lists the names when it does not exist."""
    try:
        return _all()[name]
    except KeyError:
        raise QueryError(f"no named query {name!r}; available: {', '.join(_all())}") from None


def run_named(store: GraphStore, name: str, **params: Any) -> pd.DataFrame:
    """Run a named query on ``store`` with its parameters (defaults filled in).

    Example
    -------
    >>> run_named(store, "province_agreements", province="Jiangsu")  # doctest: +SKIP
    """
    query = get_query(name)
    return store.query(query.cypher, query.bind(params))
