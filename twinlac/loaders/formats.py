"""The input formats twinlac reads, and the registry they declare themselves in.

A format is one module that builds an ``InputFormat``: its name, a one-line
summary (the CLI help is built from these), how to recognise a file of its
kind, the columns a file must have, how its columns map onto the *standard
fields* (a ``FormatSpec``) and how to read its rows. ``register`` adds it;
``detect`` picks the format of a file; ``registered`` lists them in the order
they are tried. Adding a format is adding a module that calls ``register`` and
importing it in ``twinlac.loaders``.

Standard fields: for each party ``a_`` and ``b_`` ``name, name_zh, level,
province, country, lat, lon, wikidata``, and for the tie ``kind, year, date,
status, themes, source_url, source_title, evidence, notes``.
"""

from __future__ import annotations

import contextlib
import difflib
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from twinlac.errors import LoadError, RowIssue, TwinlacError
from twinlac.loaders.readers import Row, read_rows

__all__ = [
    "PARTY_FIELDS", "TIE_FIELDS", "FormatSpec", "InputFormat", "Probe", "check_columns", "detect", "format_help",
    "get", "register", "registered", "unregister",
]

PARTY_FIELDS = ("name", "name_zh", "level", "province", "country", "lat", "lon", "wikidata")
TIE_FIELDS = ("kind", "year", "date", "status", "themes", "source_url", "source_title", "evidence", "notes")


@dataclass
class FormatSpec:
    """How a file's columns map onto the standard fields.

    ``columns`` maps a standard field (``a_name``, ``kind``, ...) to the file's
    column; ``constants`` gives a value for fields the file does not have;
    ``required`` lists standard fields that must not be empty; with
    ``china_lac`` the first party must be Chinese and the second a CELAC state.
    """

    name: str
    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)
    required: tuple[str, ...] = ("a_name", "a_country", "b_name", "b_country", "source_url")
    china_lac: bool = False
    #: A second row for the same pair: an error, or (Wikidata lists each twinning
    #: on both items) merged into the first, its source added and counted.
    merge_duplicates: bool = False

    def column(self, standard: str) -> str:
        return self.columns.get(standard, standard)


@dataclass
class Probe:
    """What detection looks at: the path, the user's column mapping, the sheet asked for (XLSX),
    and (read on demand) the header."""

    path: Path
    mapping: dict[str, str] | None = None
    sheet: str | None = None

    @cached_property
    def header(self) -> list[str]:
        header, rows = read_rows(self.path, sheet=self.sheet)
        # Start the rows and close them: a reader's file is closed when its rows are.
        with contextlib.closing(rows):
            next(rows, None)
        return header


@dataclass(frozen=True)
class InputFormat:
    """One input format.

    Parameters
    ----------
    name : str
        What ``--format`` takes.
    summary : str
        One line for the help text.
    detect : callable
        ``detect(probe) -> bool``: whether a file is of this format.
    spec : callable
        ``spec(mapping, source, evidence) -> FormatSpec``.
    required_columns : callable
        ``required_columns(spec) -> columns`` the file's header must have.
    read : callable
        ``read(path, sheet=None) -> (header, rows)``, default ``read_rows`` (CSV, XLSX, JSON).
    order : int
        Formats are tried in increasing order (the most specific first).
    known_columns : callable or None
        ``known_columns(spec) -> columns`` a file may have: any other is an error with the
        closest known name as a hint (a misspelt ``yaer`` would otherwise drop every year),
        or a warning when the load allows extra columns. None: any column is accepted.
    """

    name: str
    summary: str
    detect: Callable[[Probe], bool]
    spec: Callable[[dict | None, str | None, str | None], FormatSpec]
    required_columns: Callable[[FormatSpec], Sequence[str]]
    read: Callable[..., tuple[list[str], Iterator[Row]]] = read_rows
    order: int = 100
    known_columns: Callable[[FormatSpec], Sequence[str]] | None = None


_REGISTRY: dict[str, InputFormat] = {}
#: The formats twinlac ships (``register(..., shipped=True)``), by name.
_SHIPPED: dict[str, InputFormat] = {}


def register(fmt: InputFormat, *, shipped: bool = False) -> InputFormat:
    """Add a format to the registry (a module calls this once, at import); ``shipped`` is for
    twinlac's own formats, which a load may check in a process of its own (it imports them)."""
    if fmt.name == "auto":
        raise TwinlacError("'auto' is reserved for detection")
    _REGISTRY[fmt.name] = fmt
    if shipped:
        _SHIPPED[fmt.name] = fmt
    return fmt


def shipped(fmt: InputFormat) -> bool:
    """Whether ``fmt`` is one of the formats twinlac ships (not one a program registered)."""
    return _SHIPPED.get(fmt.name) is fmt


def unregister(name: str) -> None:
    """Remove a format from the registry (tests, plug-ins that withdraw one)."""
    _REGISTRY.pop(name, None)


def registered() -> list[InputFormat]:
    """The registered formats in the order detection tries them."""
    return sorted(_REGISTRY.values(), key=lambda f: (f.order, f.name))


def get(name: str) -> InputFormat:
    """The format called ``name``; a clear error naming the choices otherwise."""
    if name not in _REGISTRY:
        choices = ", ".join(["auto", *(f.name for f in registered())])
        raise TwinlacError(f"unknown format {name!r}: use one of {choices}")
    return _REGISTRY[name]


def detect(path: Path, mapping: dict | None = None, sheet: str | None = None) -> InputFormat:
    """The first registered format that recognises the file, or a ``LoadError`` saying what to do."""
    probe = Probe(Path(path), mapping, sheet)
    for fmt in registered():
        if fmt.detect(probe):
            return fmt
    raise LoadError([RowIssue(
        str(path), 1, None,
        "columns are not the canonical agreements format (cn_name, lac_name, ...): "
        "map them with --map a_name=COLUMN --map a_country=COLUMN --map b_name=COLUMN --map b_country=COLUMN",
    )])


def check_columns(path: Path, fmt: InputFormat, spec: FormatSpec, header: Sequence[str], *,
                  allow_extra: bool = False) -> list[str]:
    """The columns of ``header`` that ``fmt`` does not know (see ``InputFormat.known_columns``).

    Each one is an error (a ``LoadError`` listing them all, with "did you mean" the closest
    known column) unless ``allow_extra``, when each is a warning and the columns are returned.

    >>> from twinlac.loaders.canonical import FORMAT, CANONICAL
    >>> check_columns(Path("my.csv"), FORMAT, CANONICAL, ["cn_name", "yaer"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    twinlac.errors.LoadError: my.csv, row 1, field 'yaer': unknown column; did you mean `year`? (...)
    """
    if fmt.known_columns is None:
        return []
    known = list(dict.fromkeys(fmt.known_columns(spec)))
    unknown = [c for c in dict.fromkeys(header) if c and c not in known]
    if not unknown:
        return []
    if allow_extra:
        for column in unknown:
            warnings.warn(f"{path}: column {column!r} is not a {fmt.name} column; its values were not loaded",
                          stacklevel=2)
        return unknown
    issues = []
    for column in unknown:
        close = difflib.get_close_matches(column.lower(), known, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else f"the {fmt.name} columns are {', '.join(known)}"
        issues.append(RowIssue(str(path), 1, column,
                               f"unknown column; {hint} (--allow-extra-columns: load without it)"))
    raise LoadError(issues)


def format_help() -> str:
    """One line per format (``name: summary``), for the CLI's ``--format`` help.

    >>> "canonical" in format_help()  # doctest: +SKIP
    True
    """
    return "; ".join(["auto: detected from the file", *(f"{f.name}: {f.summary}" for f in registered())])
