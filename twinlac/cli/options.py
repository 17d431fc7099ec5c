"""The command line's choices and the option bundles its commands share.

Choices are Enums built from the library's own names (``twinlac.graph.vocabulary``,
``GROWTH_GROUPS``, ``SIZE_BY``, ``EXPORT_FORMATS``), so ``--help`` lists them and a
new value needs no change here; the input formats (``twinlac.loaders.FORMATS``) are
written out in ``INPUT_FORMATS`` (a test keeps them equal), so that the command line
starts without loading the loaders and pandas. A bundle (``store_options``, ``graph_options``, ``table_options``)
is a decorator that adds its options to a command and hands the command one
object in their place: each option is written once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from twinlac.graph import GraphStore, open_store
from twinlac.graph.vocabulary import EVIDENCE_GRADES, EXPORT_FORMATS, GROWTH_GROUPS, LEVELS, SCOPES, SIZE_BY

if TYPE_CHECKING:
    import networkx as nx


def _choices(name: str, values: Sequence[str]) -> type[Enum]:
    # StrEnum: str() of a member is its word, which typer before 0.29 matches to read the value back
    return StrEnum(name, {value: value for value in values})


class OutputFormat(str, Enum):
    """``--format``: what a command prints (``auto``: a table on a terminal, CSV otherwise)."""

    auto = "auto"
    table = "table"
    csv = "csv"
    json = "json"


class Backend(str, Enum):
    embedded = "embedded"
    neo4j = "neo4j"


class ChartFormat(str, Enum):
    png = "png"
    svg = "svg"


#: ``twinlac.loaders.FORMATS``, written out: importing the loaders would load pandas before
#: any command runs (``twinlac query`` starts without it); a test keeps the two equal.
INPUT_FORMATS = ("auto", "canonical", "pairs", "wikidata")
InputFormat = _choices("InputFormat", INPUT_FORMATS)
ExportFormat = _choices("ExportFormat", EXPORT_FORMATS)
ExportScope = _choices("ExportScope", SCOPES)
SizeBy = _choices("SizeBy", SIZE_BY)
GrowthBy = _choices("GrowthBy", GROWTH_GROUPS)

#: The user-facing place levels: ``place`` (each party as it signed: a city or a
#: province), then the first-level division (``province`` in the vocabulary) and the country.
PLACE = "place"


class Level(StrEnum):
    """``--level``: ``place``, ``province`` or ``country``."""

    place = PLACE
    province = LEVELS[-1]
    country = "country"


#: Old words for ``place``, still accepted.
LEVEL_ALIASES = {"party": PLACE, "locality": PLACE}


def library_level(level: Enum | None, place_word: str) -> str | None:
    """The library's word for a level: ``place`` is ``party`` in analyses, ``locality`` in pages."""
    if level is None:
        return None
    return place_word if level.value == PLACE else level.value


def _level_parser(allowed: Sequence[str]) -> Callable[[str], Enum]:
    def parse(value: str | Enum) -> Enum:
        if isinstance(value, Enum):
            return value
        word = LEVEL_ALIASES.get(value.strip().lower(), value.strip().lower())
        if word not in allowed:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(allowed)}")
        return Level(word)
    return parse


def level_option(allowed: Sequence[str], help: str) -> Any:
    """``--level`` over ``allowed`` (values of ``Level``), accepting the old words ``party`` and ``locality``."""
    return typer.Option("--level", parser=_level_parser(allowed), metavar="[" + "|".join(allowed) + "]",
                        help=f"{help} ({' or '.join(LEVEL_ALIASES)}: old names of {PLACE}).")


def parse_evidence(value: str | tuple | None) -> tuple[str, ...] | None:
    """``official,press`` -> ``("official", "press")``; unknown grades are a usage error."""
    if value is None or isinstance(value, tuple):
        return value
    grades = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [g for g in grades if g not in EVIDENCE_GRADES]
    if unknown:
        raise typer.BadParameter(f"unknown grade(s) {', '.join(unknown)}; use {', '.join(EVIDENCE_GRADES)}")
    return grades or None


def parse_pairs(items: Sequence[str] | None, option: str, what: str = "NAME=VALUE") -> dict[str, str]:
    """Repeated ``KEY=VALUE`` options as a dict; a malformed one is a usage error."""
    pairs = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"{option} {item!r}: write {what}")
        pairs[key.strip()] = value.strip()
    return pairs


# --- bundles ----------------------------------------------------------------------------------

def _bundle(name: str, params: list[inspect.Parameter], build: Callable[..., Any]):
    """A decorator adding ``params`` to a command and passing ``build(**their values)`` as ``name``."""
    names = [p.name for p in params]

    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command, eval_str=True)

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            kwargs[name] = build(**{n: kwargs.pop(n) for n in names})
            return command(*args, **kwargs)

        kept = [p for p in signature.parameters.values() if p.name != name]
        wrapper.__signature__ = signature.replace(parameters=kept + params)
        wrapper.__annotations__ = {p.name: p.annotation for p in kept + params}
        return wrapper

    return decorate


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


_DB = _option("db", Annotated[Optional[Path], typer.Option(
    "--db", envvar="TWINLAC_DB", help="Embedded database file (default: ./twinlac.lbdb).")], None)
_BACKEND = _option("backend", Annotated[Backend, typer.Option(
    "--backend", envvar="TWINLAC_BACKEND", help="Store: the embedded file or a Neo4j server (NEO4J_URI).")],
    Backend.embedded)
_EVIDENCE = _option("evidence", Annotated[Optional[str], typer.Option(
    "--evidence", metavar="GRADE[,GRADE...]",
    help=f"Keep only ties with these evidence grades, comma-separated: {', '.join(EVIDENCE_GRADES)}.")], None)
_AS_OF = _option("as_of", Annotated[Optional[int], typer.Option(
    "--as-of", metavar="YEAR", help="The network as of this year: ties signed by then (undated ones left out).")],
    None)


@dataclass(frozen=True)
class StoreOptions:
    """``--db`` and ``--backend``: which store a command opens."""

    db: Path | None = None
    backend: Backend = Backend.embedded

    def open(self, *, read_only: bool = False) -> GraphStore:
        return open_store(self.db, backend=self.backend.value, read_only=read_only)


@dataclass(frozen=True)
class GraphOptions(StoreOptions):
    """``StoreOptions`` plus ``--evidence`` and ``--as-of``: the graph an analysis or page works on."""

    evidence: tuple[str, ...] | None = None
    as_of: int | None = None

    @property
    def filtered(self) -> bool:
        return self.evidence is not None or self.as_of is not None

    def graph(self) -> nx.Graph:
        """The filtered China–LAC graph (``GraphStore.to_networkx``)."""
        with self.open(read_only=True) as store:
            return store.to_networkx(evidence=self.evidence, as_of=self.as_of)

    def graphs(self) -> tuple[nx.Graph, nx.Graph | None]:
        """The filtered graph and, when filters are set, the unfiltered one (for comparison)."""
        with self.open(read_only=True) as store:
            graph = store.to_networkx(evidence=self.evidence, as_of=self.as_of)
            return graph, (store.to_networkx() if self.filtered else None)


store_options = _bundle("store", [_DB, _BACKEND], StoreOptions)
graph_options = _bundle(
    "source", [_EVIDENCE, _AS_OF, _DB, _BACKEND],
    lambda evidence, as_of, db, backend: GraphOptions(db, backend, parse_evidence(evidence), as_of),
)


@dataclass(frozen=True)
class TableOptions:
    """How result tables are printed: ``--format``, ``--table``, ``--columns``, ``--wide``, ``--out``."""

    format: OutputFormat = OutputFormat.auto
    table: str | None = None
    columns: tuple[str, ...] | None = None
    wide: bool = False
    out: Path | None = None


def _format_option(default: OutputFormat = OutputFormat.auto) -> inspect.Parameter:
    return _option("format", Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="Output format; auto: a table on a terminal, CSV when piped.")], default)


def format_options(command: Callable) -> Callable:
    """``--format`` alone, for commands that print one table (``query``, ``queries``, ``info``)."""
    return _bundle("output", [_format_option()], lambda format: TableOptions(format=format))(command)


def table_options(tables: Sequence[str] = (), default: str | None = None) -> Callable:
    """``--format``, ``--columns``, ``--wide`` and, when a command prints several ``tables``,
    ``--table`` (its help lists them) and ``--out`` (a folder: one file per table)."""
    params = [
        _format_option(),
        _option("columns", Annotated[Optional[str], typer.Option(
            "--columns", metavar="COL[,COL...]", help="Show these columns (default: those that fit 80 columns).")],
            None),
        _option("wide", Annotated[bool, typer.Option("--wide", help="Show every column.")], False),
    ]
    if len(tables) > 1:
        shown = f"; default: {default}" if default else "; default: all"
        params += [
            _option("table", Annotated[Optional[str], typer.Option(
                "--table", metavar="NAME", help=f"Print only this table: {', '.join(tables)}{shown}.")], None),
            _option("out", Annotated[Optional[Path], typer.Option(
                "--out", "-o", help="Folder: write every table there, one CSV (or JSON) file each.")], None),
        ]

    def build(format, columns, wide, table=None, out=None):
        cols = tuple(c.strip() for c in columns.split(",") if c.strip()) if columns else None
        return TableOptions(format, table, cols, wide, out)

    return _bundle("output", params, build)
