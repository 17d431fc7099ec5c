"""What the command line prints: tables, CSV and JSON, progress, spinners, warnings and errors.

Data goes to stdout; progress, notes, warnings and errors to stderr, so that
``twinlac analyze ... > file.csv`` keeps only the data.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import math
import re
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.text import Text

from twinlac.cli.options import OutputFormat, TableOptions
from twinlac.errors import LoadError, TwinlacError

if TYPE_CHECKING:  # pandas is imported by the commands that print frames: `twinlac query` prints rows
    import pandas as pd
    from rich.table import Table

    from twinlac.graph.store import QueryRows

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

#: Width the default columns of a table must fit in when stdout is not a terminal of known width.
WIDTH = 80
#: Pages above this many nodes are slow to open: say so, and suggest a coarser level or a filter.
LARGE_PAGE_NODES = 5000


def say(message: str) -> None:
    """Print one line to stdout as plain text (never read as rich markup)."""
    out.print(Text(message))


def note(message: str) -> None:
    """Print one line to stderr as plain text."""
    err.print(Text(message))


def warn(message: str) -> None:
    note(f"warning: {message}")


# --- errors -----------------------------------------------------------------------------------

def _engine_error(exc: BaseException) -> bool:
    module = type(exc).__module__ or ""
    # the embedded engine raises plain RuntimeError; subclasses (RecursionError, ...) are bugs, not the engine
    return type(exc) is RuntimeError or module.split(".")[0] in ("ladybug", "neo4j")


def friendly_errors(command: Callable) -> Callable:
    """Errors reach the user as one line and a non-zero exit, never a traceback.

    ``LoadError`` lists every problem (exit 1); other ``TwinlacError``, ``OSError``
    and database engine or driver errors print ``error: ...`` (exit 1); a
    ``ValueError`` from the library means an option value it refused, a usage
    error (exit 2).
    """

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except LoadError as exc:
            if len(exc.issues) == 1:
                note(f"error: {exc.issues[0]} (nothing was written)")
            else:
                for issue in exc.issues:
                    note(f"error: {issue}")
                note(f"{len(exc.issues)} errors; nothing was written.")
            raise typer.Exit(1) from None
        except TwinlacError as exc:
            note(f"error: {exc}")
            raise typer.Exit(1) from None
        except OSError as exc:
            where = f": {exc.filename}" if getattr(exc, "filename", None) else ""
            note(f"error: {exc.strerror or exc}{where}")
            raise typer.Exit(1) from None
        except ValueError as exc:
            note(f"error: {exc}")
            raise typer.Exit(2) from None
        except Exception as exc:
            if not _engine_error(exc):
                raise
            note(f"error: database: {' '.join(str(exc).split())}")
            raise typer.Exit(1) from None

    return wrapper


# --- warnings and spinners ---------------------------------------------------------------------

@contextlib.contextmanager
def working(message: str) -> Iterator[None]:
    """A spinner on stderr while a long analysis or page runs (only when stderr is a terminal),
    and every warning the library raised meanwhile printed once as ``warning: ...``."""
    status = err.status(message, spinner="dots") if err.is_terminal else contextlib.nullcontext()
    with library_warnings(), status:
        yield


@contextlib.contextmanager
def library_warnings() -> Iterator[None]:
    """Every warning the library raised in the block, printed once as ``warning: ...`` when it ends
    (before the error line, when it fails: a warning may say why). Python's own resource warnings
    are not for the user."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            _shown.clear()
            for item in caught:
                _warn_once(str(item.message))


_shown: set[str] = set()


def _warn_once(message: str) -> None:
    line = " ".join(message.split())
    if line and line not in _shown:
        _shown.add(line)
        warn(line)


def frame_notes(frame: pd.DataFrame, name: str | None = None) -> None:
    """Print what a result says about itself: its ``attrs["notes"]``, and any measure left blank."""
    import pandas as pd

    for text in frame.attrs.get("notes") or []:
        _warn_once(str(text))
    if len(frame):
        _blank_columns([c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]) and frame[c].isna().all()],
                       name)


def _blank_columns(blank: list[str], name: str | None) -> None:
    """Warn that the number columns ``blank`` hold no value (unless a warning already named them)."""
    said = " ".join(_shown)
    blank = [c for c in blank if c not in said]
    if blank:
        where = f" in {name}" if name else ""
        _warn_once(f"{', '.join(blank)}{where} could not be computed on this graph (did not converge "
                   "or not defined here); the column is blank")


def large_page(nodes: int) -> None:
    """Warn before writing a page with more than ``LARGE_PAGE_NODES`` nodes."""
    if nodes > LARGE_PAGE_NODES:
        warn(f"{nodes:,} places on one page will be slow to open; try --level province, "
             "or a filter such as --evidence official,press or --as-of YEAR")


# --- tables -----------------------------------------------------------------------------------

def resolve_format(fmt: OutputFormat) -> OutputFormat:
    """``auto`` is a table on a terminal and CSV when stdout is piped or redirected."""
    if fmt is OutputFormat.auto:
        return OutputFormat.table if out.is_terminal else OutputFormat.csv
    return fmt


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: missing values, NaN and infinities as None (JSON has no NaN)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    return [{key: _finite(value) for key, value in row.items()} for row in rows]


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    return value


def _plain(value):
    """numpy scalars and other stragglers as JSON values."""
    if hasattr(value, "item"):
        return _finite(value.item())
    return str(value)


def to_json(data) -> str:
    """``data`` as indented JSON text; never ``NaN`` or ``Infinity``, which JSON readers refuse."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain, allow_nan=False)


def cell(value, column: str = "") -> str:
    """A value as a table shows it: blanks for missing (None, NaN, ``pd.NA``, ``NaT``), km as whole
    numbers, no exponents."""
    if _missing(value):
        return ""
    if isinstance(value, float) and value == float("inf"):
        return "∞"
    if isinstance(value, float):
        if column.endswith("_km") or abs(value) >= 1000:
            return f"{value:,.0f}"
        if value != 0 and abs(value) < 0.001:
            return f"{value:.2e}"
        return f"{value:.4g}"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10000 and column != "year":
        return f"{value:,}"
    return str(value)


def _missing(value: Any) -> bool:
    """None, NaN, and pandas' ``NA`` and ``NaT`` (which exist only once pandas is loaded)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    pd = sys.modules.get("pandas")
    return pd is not None and (value is pd.NA or value is pd.NaT)


def fit_columns(frame: pd.DataFrame, width: int = WIDTH) -> list[str]:
    """The first columns of ``frame`` that fit in ``width`` characters as a table (at least one)."""
    kept, used = [], 1
    for column in frame.columns:
        cells = [cell(v, str(column)) for v in frame[column].head(200)]
        need = max([len(str(column)), *map(len, cells)]) + 3
        if kept and used + need > width:
            break
        kept.append(column)
        used += need
    return kept


def select_columns(frame: pd.DataFrame, options: TableOptions, fmt: OutputFormat,
                   lead: Sequence[str] = ()) -> pd.DataFrame:
    """``--columns`` picks (unknown names are a usage error), ``--wide`` keeps all; a table on
    screen keeps the columns that fit the terminal (80 when unknown), trying the ``lead``
    columns first; CSV and JSON keep all."""
    if options.columns:
        unknown = [c for c in options.columns if c not in frame.columns]
        if unknown:
            raise typer.BadParameter(f"no column {', '.join(unknown)}; choose from {', '.join(map(str, frame.columns))}")
        return frame[list(options.columns)]
    if options.wide or fmt is not OutputFormat.table:
        return frame
    width = out.width if out.is_terminal else WIDTH
    first = [c for c in lead if c in frame.columns]
    ordered = frame[first + [c for c in frame.columns if c not in first]]
    return ordered[fit_columns(ordered, width)]


def _rich_table(frame: pd.DataFrame, title: str | None) -> Table:
    import pandas as pd

    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]
    return _table(list(frame.columns), frame.itertuples(index=False), numeric, title)


def _table(columns: Sequence[Any], rows: Iterable[Sequence[Any]], numeric: Sequence[bool], title: str | None) -> Table:
    """A rich table of ``rows``: numbers right-aligned, each value as ``cell`` shows it."""
    from rich.table import Table  # here, not at the top: CSV and JSON need no table

    table = Table(title=title, title_justify="left", header_style="bold")
    for column, number in zip(columns, numeric):
        table.add_column(Text(str(column)), justify="right" if number else "left")
    for row in rows:
        # Text(), not str: a place named "[red]" must not be read as markup.
        table.add_row(*(Text(cell(v, str(c))) for v, c in zip(row, columns)))
    return table


def _print_table(table: Table, options: TableOptions) -> None:
    if options.wide or options.columns:  # asked for: shown whole, wider than the screen if need be
        from rich.measure import Measurement

        width = Measurement.get(out, out.options.update(width=10**5), table).maximum
        Console(soft_wrap=True, width=max(out.width, width)).print(table)
    else:
        out.print(table)


def emit(frame: pd.DataFrame, options: TableOptions | None = None, title: str | None = None,
         lead: Sequence[str] = ()) -> None:
    """Print one DataFrame as a table (with ``title``), CSV or JSON, and say what it notes about itself."""
    options = options or TableOptions()
    fmt = resolve_format(options.format)
    shown = select_columns(frame, options, fmt, lead)
    if fmt is OutputFormat.csv:
        sys.stdout.write(shown.to_csv(index=False))
    elif fmt is OutputFormat.json:
        sys.stdout.write(to_json(records(shown)) + "\n")
    else:
        _print_table(_rich_table(shown, title), options)
        hidden = len(frame.columns) - len(shown.columns)
        if hidden and not options.columns:
            note(f"({hidden} more column(s): --columns or --wide to show them)")
    frame_notes(frame, title)


# --- rows, without pandas ----------------------------------------------------------------------

#: Value types whose column pandas keeps as Python objects or makes int64, float64 or bool:
#: rows holding only these print without pandas, exactly as their DataFrame would.
_PLAIN_TYPES = frozenset({str, int, float, bool, list, dict, dt.date})
_INT64 = (-(2**63), 2**63 - 1)


def _column_kind(values: Sequence[Any]) -> str | None:
    """What dtype pandas would give a query column (``rows_frame``): "int" (int64), "Int64"
    (integers and nulls), "float" (float64: ints become floats), "bool" or "object"; None for
    values pandas may convert otherwise (datetimes, durations, big integers, ...)."""
    present = [v for v in values if v is not None]
    types = {type(v) for v in present}
    if not types <= _PLAIN_TYPES:
        return None
    if any(type(v) is int and not _INT64[0] <= v <= _INT64[1] for v in present):
        return None
    if types == {int}:
        return "int" if len(present) == len(values) else "Int64"
    if types in ({float}, {int, float}):
        return "float"
    if types == {bool} and len(present) == len(values):
        return "bool"
    return "object"


def _plain_rows(result: QueryRows) -> tuple[list[str], list[list[Any]]] | None:
    """The rows with the values their DataFrame would hold (None for missing, ints of a float
    column as floats) and each column's kind; None when pandas is needed to print them."""
    if len(set(result.columns)) != len(result.columns):
        return None
    kinds = []
    for index in range(len(result.columns)):
        kind = _column_kind([row[index] for row in result.rows])
        if kind is None:
            return None
        kinds.append(kind)
    rows = []
    for row in result.rows:
        values = [None if _missing(v) else v for v in row]
        rows.append([float(v) if kind == "float" and v is not None else v for v, kind in zip(values, kinds)])
    return kinds, rows


def emit_rows(result: QueryRows, options: TableOptions | None = None, title: str | None = None) -> None:
    """Print a query's rows as ``emit`` prints their DataFrame (``rows_frame``), byte for byte,
    but without loading pandas when every value is plain (text, numbers, booleans, lists,
    maps, dates) and the whole table is shown (``--wide``, CSV or JSON).

    >>> from twinlac.graph.store import QueryRows
    >>> emit_rows(QueryRows(["name", "year"], [("Wuxi", 2005), ("Salta", None)]), TableOptions(OutputFormat.csv))
    name,year
    Wuxi,2005
    Salta,
    """
    options = options or TableOptions()
    fmt = resolve_format(options.format)
    plain = _plain_rows(result)
    if plain is None or options.columns or (fmt is OutputFormat.table and not options.wide):
        from twinlac.graph.store import rows_frame

        emit(rows_frame(result), options, title)
        return
    kinds, rows = plain
    columns = result.columns
    if fmt is OutputFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")  # as DataFrame.to_csv writes
        writer.writerow(columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        sys.stdout.write(buffer.getvalue())
    elif fmt is OutputFormat.json:
        sys.stdout.write(to_json([{c: _finite(v) for c, v in zip(columns, row)} for row in rows]) + "\n")
    else:
        # A frame's Int64 column hands numpy integers to `cell`, which prints them without separators.
        shown = ([str(v) if kind == "Int64" and v is not None else v for v, kind in zip(row, kinds)] for row in rows)
        _print_table(_table(columns, shown, [kind != "object" for kind in kinds], title), options)
    if rows:
        _blank_columns([column for index, (column, kind) in enumerate(zip(columns, kinds))
                        if kind == "float" and all(row[index] is None for row in rows)], title)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def emit_tables(tables: Mapping[str, pd.DataFrame], options: TableOptions, default: str | None = None,
                lead: Mapping[str, Sequence[str]] | None = None) -> None:
    """Print a command's named result tables.

    ``--table NAME`` picks one; otherwise a table display or JSON shows
    ``default`` (or all, when None). CSV holds one table: with several, the
    first is printed and stderr names the others and how to get them; ``--out
    DIR`` writes every table as its own file instead.
    """
    names = list(tables)
    if options.table is not None and options.table not in tables:
        raise typer.BadParameter(f"no table {options.table!r}; choose from {', '.join(names)}")
    fmt = resolve_format(options.format)
    if options.out is not None:
        chosen = [options.table] if options.table else names
        folder = Path(options.out)
        folder.mkdir(parents=True, exist_ok=True)
        suffix = "json" if fmt is OutputFormat.json else "csv"
        for name in chosen:
            frame = select_columns(tables[name], options, OutputFormat.csv)
            path = folder / f"{_slug(name)}.{suffix}"
            if suffix == "json":
                path.write_text(to_json(records(frame)) + "\n",
                                encoding="utf-8")
            else:
                frame.to_csv(path, index=False)
            say(f"{name}: {path}")
            frame_notes(tables[name], name)
        return
    chosen = [options.table] if options.table else ([default] if default else names)
    if fmt is OutputFormat.json:
        payload = {name: records(select_columns(tables[name], options, fmt)) for name in chosen}
        sys.stdout.write(to_json(payload if len(payload) > 1 else payload[chosen[0]]) + "\n")
        for name in chosen:
            frame_notes(tables[name], name)
    elif fmt is OutputFormat.csv:
        emit(tables[chosen[0]], options)
        others = [n for n in (chosen[1:] if len(chosen) > 1 else []) + [n for n in names if n not in chosen]]
        if others and options.table is None:
            note(f"(CSV holds one table, {chosen[0]!r}; the others: {', '.join(others)}: "
                 "pick one with --table NAME, or write them all with --out FOLDER)")
    else:
        for name in chosen:
            emit(tables[name], options, title=name, lead=(lead or {}).get(name, ()))
        others = [n for n in names if n not in chosen]
        if others:
            note(f"(more tables: {', '.join(others)}; --table NAME)")


# --- progress ---------------------------------------------------------------------------------

PHASES = {"check": "checking", "write": "writing", "save": "saving to the database"}


class LoadProgress:
    """Rows done for each phase of a load (checking, then writing) on stderr, as
    ``done / total``, a percentage and the time left once the total is known, then
    a running bar while the store saves them (a large load's COPYs).

    The check pass reads the file without knowing its length, so it counts; the
    write pass goes over the same rows, so its total is what the check counted.
    Silent when stderr is not a terminal or with ``quiet``.
    """

    EVERY = 1000  # rows between display updates: an update per row would cost seconds per million

    def __init__(self, *, quiet: bool = False):
        self.quiet = quiet

    def __enter__(self) -> Callable[[str], None]:
        from rich.progress import (
            BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
            TimeRemainingColumn(), console=err, transient=True, disable=self.quiet or not err.is_terminal,
        )
        self._progress.__enter__()
        self._tasks: dict[str, int] = {}
        self._pending: dict[str, int] = {}
        self._done: dict[str, int] = {}
        return self.tick

    def tick(self, phase: str) -> None:
        if phase == "save":  # once, when every row is handed over: the rows before it, then a bar of its own
            for earlier in list(self._pending):
                self._flush(earlier)
            self._tasks[phase] = self._progress.add_task(PHASES[phase], total=None)
            return
        self._pending[phase] = self._pending.get(phase, 0) + 1
        if self._pending[phase] >= self.EVERY:
            self._flush(phase)

    def _flush(self, phase: str) -> None:
        if phase not in self._tasks:
            if phase == "write" and "check" in self._pending:
                self._flush("check")  # writing starts when checking is done: count all of it first
            total = self._done.get("check") if phase == "write" else None
            self._tasks[phase] = self._progress.add_task(PHASES.get(phase, phase), total=total)
        count = self._pending.pop(phase, 0)
        self._done[phase] = self._done.get(phase, 0) + count
        self._progress.advance(self._tasks[phase], count)

    def __exit__(self, *exc):
        for phase in list(self._pending):
            self._flush(phase)
        return self._progress.__exit__(*exc)
