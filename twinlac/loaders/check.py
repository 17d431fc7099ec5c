"""The check of a load: every row of a file validated and resolved, the good rows' graph rows
kept in batches on disk until the write.

A large file (``CHECK_APART_BYTES`` or more, of a format twinlac ships: a format a program
registers is known to that program only) loaded into a store holding fewer than
``CHECK_APART_HELD_TIES`` ties is checked in a Python process of its own, started with the
interpreter running the load. Checking a million rows makes millions of small objects; freed,
they leave the memory they were spread over held by the process. In a process of its own they
are given back when it ends, before the database engine's write, the peak of a load. A third
process, reading the same file, works out each distinct party's resolution ahead of it
(``PlanFeed``): the two share the work over two cores. What it hands back, the report's parts
and the batches' file, is the same as a check in the load's process; if it cannot be started,
the check runs in the load's process (and what the planning process does not make, the check
makes). A large file loaded into a store holding more ties is checked in the load's process,
which holds the ties' facts already, with a planning process beside it all the same; so is a
smaller file of ``PLAN_AHEAD_BYTES`` or more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import pickle
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from twinlac.errors import LoadError, RowIssue
from twinlac.graph.model import GraphRows, GraphTables
from twinlac.loaders import formats
from twinlac.loaders.formats import FormatSpec
from twinlac.loaders.readers import CellBlock, CellsRow, Row, read_cell_blocks, read_cells, read_rows, rows_numbered

if TYPE_CHECKING:
    from twinlac.loaders.records import PartyKey, PartyPlan, RecordParser
    from twinlac.loaders.resolve import Match

#: Files of this many bytes or more (built-in formats only) have their parties planned ahead by a
#: process of their own (``PlanFeed``): below it, starting the process costs what it saves.
PLAN_AHEAD_BYTES = 4 << 20
#: CSV files of this many bytes or more are read in blocks (``read_cell_blocks``): below it, loading
#: Arrow costs what the blocks save.
BLOCKS_BYTES = 4 << 20
#: Files of this many bytes or more are checked in a process of their own (built-in formats only) ...
CHECK_APART_BYTES = 32 << 20
#: ... when the store holds fewer ties than this: the held ties' facts, read in the load's process
#: (with the engine's pages they came from), would be held twice, there and in the other process.
#: Such a file is checked in the load's process, each distinct party planned ahead by another.
CHECK_APART_HELD_TIES = 100_000
#: Rows between two progress messages from a check in its own process.
PROGRESS_EVERY = 2_000
#: Plans per message from the planning process (``PlanFeed``).
PLANS_PER_MESSAGE = 500
#: New parties the planning process plans together (``RecordParser.plan_parties``).
PLANNED_TOGETHER = 5_000


@dataclass
class CheckJob:
    """What a check needs: the file, how to read it, and what the store holds (column by column,
    as ``GraphStore.query_columns`` reads them)."""

    path: Path
    format: str
    spec: FormatSpec
    sheet: str | None
    today: dt.date
    geocode: bool
    chunk_rows: int
    #: Held localities: id, name, province, country, name_zh (taken, emptied, by the check).
    places: dict[str, list[Any]]
    #: Held ties: id, year, date, kind, notes, sources (taken, emptied, by the check).
    ties: dict[str, list[Any]]


@dataclass
class Checked:
    """What a check found: the rows read, the bad ones, the good ones' batches, and the report's parts."""

    rows_read: int
    batches: Batches | CheckStream
    issues: list[RowIssue] = field(default_factory=list)
    bad_rows: dict[int, tuple[dict[str, str], list[RowIssue]]] = field(default_factory=dict)
    new_ties: int = 0
    unlocated: list[str] = field(default_factory=list)
    method_counts: dict[str, int] = field(default_factory=dict)
    matches: Any = None  # records.Resolutions
    duplicates_merged: int = 0
    enriched: int = 0
    places_enriched: int = 0
    conflicts: list[Any] = field(default_factory=list)  # records.Conflict
    #: Warnings the reading raised (a workbook's sheet chosen), raised again by the load.
    warnings: list[tuple[str, type[Warning]]] = field(default_factory=list)


class Batches:
    """The checked batches of one load (``GraphRows``), in order: the last in memory, earlier ones
    pickled to a file (temporary, or ``path``) as Arrow tables (``GraphTables``), which the
    store COPYs as they are. Iterating yields each one once, calling
    ``on_row("write")`` for the rows it covers (rejected rows included) before it, and
    ``on_row("save")`` after the last.

    Pickled (a check in its own process hands them over), the last batch goes to the file too,
    and the file is passed by its path: the process reading them owns it then. ``on_spill(n)``
    is called once the file holds ``n`` whole batches (another process may read them then)."""

    def __init__(self, on_row: Callable[[str], None] | None = None, path: Path | None = None,
                 on_spill: Callable[[int], None] | None = None):
        self.on_row = on_row
        self.on_spill = on_spill
        #: Called once every batch has been handed over (the store saves them then).
        self.on_end: Callable[[], object] | None = None
        self.rows = 0  # rows read since the last batch kept
        self._path = path
        self._spill: IO[bytes] | None = None
        self._spilled = 0
        self._last: tuple[int, GraphRows | GraphTables] | None = None

    def __enter__(self) -> Batches:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    @property
    def spilled(self) -> bool:
        """Whether batches went to the file (more rows than one batch holds)."""
        return self._spilled > 0

    @property
    def in_file(self) -> int:
        """How many batches went to the file."""
        return self._spilled

    def keep(self, rows: GraphRows) -> None:
        if self._last is not None:
            self._dump(self._last)
        self._last, self.rows = (self.rows, rows), 0

    def _dump(self, batch: tuple[int, GraphRows | GraphTables]) -> None:
        if self._spill is None:
            self._spill = open(self._path, "w+b") if self._path else tempfile.TemporaryFile(prefix="twinlac-load-")
        rows, graph_rows = batch
        if isinstance(graph_rows, GraphRows):
            try:
                # Arrow tables are read back at once, and written by the store as they are: the
                # rows pickled took seconds to read back, and seconds to turn into tables then.
                batch = rows, graph_rows.tables()
            except RuntimeError:  # a value its column cannot hold: the store says so, as it writes it
                pass
        pickler = pickle.Pickler(self._spill, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # without a memo: each object of a batch is met once
        pickler.dump(batch)
        self._spilled += 1
        if self.on_spill is not None:
            self._spill.flush()
            self.on_spill(self._spilled)

    def __getstate__(self) -> dict[str, Any]:
        if self._path is None:
            raise TypeError("only batches kept in a named file can be handed to another process")
        self.on_spill = None  # pickled into a message: no other message in the middle of it
        if self._last is not None:
            self._dump(self._last)
            self._last = None
        self.close()
        return {"path": self._path, "spilled": self._spilled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(None, state["path"])  # type: ignore[misc]
        self._spilled = state["spilled"]
        if self._spilled:
            self._spill = open(self._path, "rb")  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[GraphRows | GraphTables]:
        if self._spill is not None:
            self._spill.seek(0)
            for _ in range(self._spilled):
                yield self._written(*pickle.load(self._spill))
        if self._last is not None:
            last, self._last = self._last, None  # not kept once written: the engine's peak comes after
            yield self._written(*last)
        _handed_over(self.on_end, self.on_row)

    def _written(self, rows: int, graph_rows: GraphRows | GraphTables) -> GraphRows | GraphTables:
        _report_written(rows, self.on_row)
        return graph_rows


def check_file(job: CheckJob, rows: Iterator[Row] | Iterator[CellsRow], on_row: Callable[[str], None] | None,
               folder: Path, accept: Callable[[Checked], None], *, stream: bool = False,
               header: list[str] | None = None) -> Checked:
    """Check every row of ``job``'s file (``rows``, read already in this process; given ``header``,
    as ``read_cells`` reads them), in a process of
    its own when the file is large and the store holds few ties, else in this one, with each
    party planned ahead by a process of its own from ``PLAN_AHEAD_BYTES``; batches and matches
    beyond memory go to ``folder``. ``accept(checked)`` is called once every row is checked,
    before any batch is read after it (it may refuse the load by raising).

    With ``stream``, a file checked in a process of its own is not waited for: the ``Checked``
    comes back at once, its ``batches`` a ``CheckStream`` yielding each batch as it is checked,
    and its other fields filled (then ``accept`` called) when the stream reaches the check's end.
    Only a write that is all or nothing may take such batches: the load may yet be refused."""
    size, shipped = job.path.stat().st_size, formats.shipped(formats.get(job.format))
    if shipped and size >= CHECK_APART_BYTES and len(job.ties.get("id", ())) < CHECK_APART_HELD_TIES:
        checked = check_apart(job, on_row, folder, accept, stream)
        if checked is not None:
            close = getattr(rows, "close", None)
            if close is not None:
                close()
            if not isinstance(checked.batches, CheckStream):  # a stream hands it over at its end
                accept(checked)
            return checked

    def progress(rows: int) -> None:
        if on_row:
            for _ in range(rows):
                on_row("check")

    kept = Batches(on_row)
    if shipped and size >= PLAN_AHEAD_BYTES:  # checked here, its parties planned ahead
        feed = PlanFeed(job, folder / "plans")
        try:
            checked = check_rows(job, rows, kept, progress, planned=feed.ready, header=header)
        finally:
            feed.close()
    else:
        checked = check_rows(job, rows, kept, progress, header=header)
    if kept.spilled:  # a large file: the cached lookups and the gazetteer too, before the write
        from twinlac.loaders.records import forget

        forget()
    accept(checked)
    return checked


def rows_to_check(format: str, path: Path, sheet: str | None, *, encoding_checked: bool = False,
                  blocks: bool | None = None) -> tuple[list[str], Iterator[Row] | Iterator[CellsRow | CellBlock]]:
    """A file's header and rows as a check takes them: as their cells (``read_cells``) from the
    readers twinlac ships, a CSV file in blocks (``read_cell_blocks``) when ``blocks`` (None: from
    ``BLOCKS_BYTES``), else as its format's reader gives them. ``encoding_checked``: see ``read_cells``."""
    fmt = formats.get(format)
    if fmt.read is read_rows:
        if blocks is None:
            blocks = path.is_file() and path.stat().st_size >= BLOCKS_BYTES
        if blocks and sheet is None:
            return read_cell_blocks(path, encoding_checked=encoding_checked)
        return read_cells(path, sheet=sheet, encoding_checked=encoding_checked)
    return fmt.read(path, sheet=sheet)


def check_rows(job: CheckJob, rows: Iterator[Row] | Iterator[CellsRow | CellBlock], kept: Batches,
               progress: Callable[[int], None], *, matches_path: Path | None = None,
               planned: Callable[[str], PartyPlan | None] | None = None,
               header: list[str] | None = None, free: bool = True) -> Checked:
    """Check ``rows`` one by one, keeping the good rows' graph rows in ``kept``, in batches of
    ``job.chunk_rows`` good rows; ``progress(n)`` is called as ``n`` more rows are checked.
    ``matches_path`` names the file of the matches beyond memory;
    ``planned`` gives the plans a ``PlanFeed`` made ahead. With ``header``, rows may be given as
    their cells, as ``read_cells`` gives them, and in blocks, as ``read_cell_blocks`` gives them.
    Without ``free``, what the check used is left as it is: a process of its own ends once it is
    done, and freeing a long list's indexes would only delay its result."""
    from twinlac.loaders.records import HeldFacts, LocalityIndex, RecordParser, Resolutions

    places, ties = job.places, job.ties
    job.places, job.ties = {}, {}  # taken: a reload holds a million ties' columns, needed only to build these
    held, localities = HeldFacts.from_columns(ties, places), LocalityIndex.from_columns(places)
    del places, ties
    writer = RecordParser(str(job.path), job.spec, today=job.today, localities=localities, geocode=job.geocode,
                          held=held, matches=Resolutions(matches_path), planned=planned)
    if header is not None:
        writer.read_cells_of(header)
    checked = Checked(0, kept)
    pending = 0  # good rows since the last batch kept

    writer.room = job.chunk_rows  # good rows a block may keep before the one it yields to fill a batch

    def good(rows: int) -> None:
        """``rows`` more good rows checked: a batch kept once there are ``job.chunk_rows``."""
        nonlocal pending
        checked.rows_read += rows
        kept.rows += rows
        progress(rows)
        pending += rows
        if pending >= job.chunk_rows:
            kept.keep(writer.take_rows())
            pending = 0
        writer.room = job.chunk_rows - pending

    for item in rows:
        if type(item) is CellBlock:  # noqa: E721 - rows column by column
            # Rows the block keeps without yielding them are counted as it yields the next (or
            # ends); it yields the one that fills a batch (``RecordParser.parse_block``).
            for row_number, at, problems in writer.parse_block(item.first, item.columns, item.arrays):
                if writer.kept_quietly:
                    good(writer.kept_quietly)
                if problems:
                    _bad(checked, kept, progress, row_number, problems,
                         dict(zip(cast(list[str], header), item.cells(at), strict=True)))
                else:
                    good(1)
            if writer.kept_quietly:
                good(writer.kept_quietly)
            continue
        row_number, raw = cast(Row | CellsRow, item)
        if type(raw) is list:  # noqa: E721 - its cells: a dict is made for a bad row only
            problems = writer.parse_cells(row_number, raw)
            if problems:
                raw = dict(zip(cast(list[str], header), raw, strict=True))
        else:
            problems = writer.parse(row_number, cast(dict[str, str], raw))
        if problems:
            _bad(checked, kept, progress, row_number, problems, cast(dict[str, str], raw))
        else:
            good(1)
    kept.keep(writer.take_rows())
    if checked.rows_read == 0:
        raise LoadError([RowIssue(str(job.path), None, None, "the file has a header but no rows")])
    if free:
        writer.finish()  # the parser's indexes are not needed to write: free them before the engine's peak
    else:
        _LEFT.append(writer)
    checked.new_ties, checked.unlocated = writer.new_ties, writer.unlocated
    checked.method_counts, checked.matches = writer.method_counts, writer.matches
    checked.duplicates_merged, checked.conflicts = writer.duplicates_merged, writer.conflicts
    checked.enriched, checked.places_enriched = len(writer.enriched_ties), len(writer.enriched_places)
    return checked


def _bad(checked: Checked, kept: Batches, progress: Callable[[int], None], row_number: int,
         problems: list[RowIssue], raw: dict[str, str]) -> None:
    """A bad row checked: its problems, and the row as the rejects file keeps it."""
    checked.rows_read += 1
    kept.rows += 1
    progress(1)
    checked.bad_rows[row_number] = (raw, problems)
    checked.issues.extend(problems)


#: What a check in a process of its own leaves to the end of the process (``check_rows``' ``free``).
_LEFT: list[Any] = []


def check_apart(job: CheckJob, on_row: Callable[[str], None] | None, folder: Path,
                accept: Callable[[Checked], None] | None = None, stream: bool = False) -> Checked | None:
    """``check_rows`` in a process of its own; None when the process cannot be started or ends
    before it has taken its job (its Python cannot run twinlac). With ``stream`` (and
    ``accept``), the ``Checked`` comes back at once, as ``check_file`` says."""
    apart = CheckApart.start(job, folder)
    if apart is None:
        return None
    if stream:
        assert accept is not None
        return CheckStream(apart, on_row, accept).checked
    with apart:
        checked = apart.result(on_row)
    checked.batches.on_row = on_row
    return checked


class CheckApart:
    """A check running in a process of its own (``start``), and what it says as it goes."""

    def __init__(self, process: subprocess.Popen[bytes], job: CheckJob, folder: Path):
        self.process, self.path, self.batches_file = process, job.path, folder / "batches.pickle"

    @classmethod
    def start(cls, job: CheckJob, folder: Path) -> CheckApart | None:
        """The check of ``job`` started in a process of its own, once that process has taken it
        (``job``'s held places and ties are emptied then); None when it cannot be started or
        ends before it has taken its job (its Python cannot run twinlac)."""
        process = _start("check")
        if process is None:
            return None
        assert process.stdin is not None and process.stdout is not None
        apart = cls(process, job, folder)
        try:
            pickle.dump((job, folder), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
            kind, _ = pickle.load(process.stdout)
        except (BrokenPipeError, EOFError):  # it ended before taking its job: nothing was checked
            apart.close()
            return None
        except BaseException:
            apart.close()
            raise
        assert kind == "ready"
        job.places, job.ties = {}, {}  # taken: not held here while the other process checks
        return apart

    def __enter__(self) -> CheckApart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def messages(self, on_row: Callable[[str], None] | None) -> Iterator[tuple[str, Any]]:
        """What the check says, as it says it: ("batch", n) once its batches' file holds ``n``
        whole batches, ("planned", None) once its parties are all planned, then ("done",
        ``Checked``); its progress goes to ``on_row``, its errors are raised."""
        assert self.process.stdout is not None
        while True:
            try:
                kind, value = pickle.load(self.process.stdout)
            except EOFError:
                self.process.wait()
                raise RuntimeError(f"checking {self.path} in its own process failed: it ended with status "
                                   f"{self.process.returncode} before its result (see the error output above)"
                                   ) from None
            if kind == "progress":
                if on_row:
                    for _ in range(value):
                        on_row("check")
            elif kind == "error":
                raise value
            elif kind == "crash":  # a fault of twinlac's, with the other process's traceback
                raise RuntimeError(f"checking {self.path} in its own process failed:\n{value}")
            else:
                if kind == "done":  # the warnings its reading raised, raised here
                    for message, category in value.warnings:
                        warnings.warn(message, category, stacklevel=5)
                yield kind, value
                if kind == "done":
                    return

    def result(self, on_row: Callable[[str], None] | None) -> Checked:
        """What the check found, once it has checked every row."""
        for kind, value in self.messages(on_row):
            if kind == "done":
                checked: Checked = value
                return checked
        raise AssertionError("unreachable: the messages end with the result")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class CheckStream:
    """The batches of a check running in a process of its own, each yielded once the check has
    written it (``Batches.on_spill``), so that a write takes each while the rows after it are
    checked. At the check's end its ``Checked`` (``checked``, the one the load has) gets the check's
    findings and is handed to ``accept``, which may refuse the load by raising; only then are
    the batches left yielded. ``on_row`` gets every "check" as the check reports it, then the
    "write" of the rows already written at once, then as in ``Batches``.

    With fewer than three cores the batches wait until the check's parties are all planned:
    the planning process and the check keep two cores busy until then."""

    def __init__(self, apart: CheckApart, on_row: Callable[[str], None] | None,
                 accept: Callable[[Checked], None]):
        self.apart, self.on_row, self.accept = apart, on_row, accept
        self.on_end: Callable[[], object] | None = None  # as Batches.on_end
        #: What the check finds, filled at its end: the load's ``Checked``, these its batches.
        self.checked = Checked(0, self)
        self._file: IO[bytes] | None = None

    def __enter__(self) -> CheckStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.apart.close()
        if self._file is not None:
            self._file.close()
            self._file = None

    def __iter__(self) -> Iterator[GraphRows | GraphTables]:
        written = announced = 0
        unwritten_rows = 0  # "write" not yet reported: the check is still reporting "check"
        planned = _cores() >= 3
        found: Checked | None = None
        for kind, value in self.apart.messages(self.on_row):
            if kind == "batch":
                announced = value
            elif kind == "planned":
                planned = True
            elif kind == "done":
                found = value
                break
            while planned and written < announced:
                rows, batch = self._next()
                written, unwritten_rows = written + 1, unwritten_rows + rows
                yield batch
        assert found is not None
        self.apart.close()  # ended: its memory is given back before the engine's peak
        assert isinstance(found.batches, Batches)
        total = found.batches.in_file
        found.batches.close()
        for name in (f.name for f in dataclasses.fields(Checked) if f.name != "batches"):
            setattr(self.checked, name, getattr(found, name))
        self.accept(self.checked)
        _report_written(unwritten_rows, self.on_row)
        for _ in range(total - written):
            rows, batch = self._next()
            _report_written(rows, self.on_row)
            yield batch
        _handed_over(self.on_end, self.on_row)
        self.close()

    def _next(self) -> tuple[int, GraphRows | GraphTables]:
        """The next batch in the check's file: (rows it covers, the batch)."""
        if self._file is None:
            self._file = open(self.apart.batches_file, "rb")
        return cast("tuple[int, GraphRows | GraphTables]", pickle.load(self._file))


def _report_written(rows: int, on_row: Callable[[str], None] | None) -> None:
    """``on_row("write")`` for each of ``rows`` rows handed to the store."""
    if on_row:
        for _ in range(rows):
            on_row("write")


def _handed_over(on_end: Callable[[], object] | None, on_row: Callable[[str], None] | None) -> None:
    """Every batch handed to the store: ``on_end()``, then ``on_row("save")`` (what the store does
    next has no rows to count)."""
    if on_end:
        on_end()
    if on_row:
        on_row("save")


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _start(role: str) -> subprocess.Popen[bytes] | None:
    """A Python process running this module as ``role`` ("check" or "plan"), talking through its
    standard input and output; None when it cannot be started. The planning process is silent:
    what it fails to make, the check makes and reports on."""
    # It imports twinlac from where this process did, whatever its path says.
    found = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (found, os.environ.get("PYTHONPATH")) if p)}
    try:
        return subprocess.Popen([sys.executable, "-m", "twinlac.loaders.check", role],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                                stderr=subprocess.DEVNULL if role == "plan" else None)
    except OSError:
        return None


class PlanFeed:
    """Every distinct party's plan (``RecordParser.plan_party``), made ahead by a process of its
    own reading the same file, which appends them to a file as it goes; a check asks for them in
    the order they are made, and the two use both cores. ``ready(key)`` is the plan if it has
    been written, else None: the check makes it then, rather than wait (while the process starts,
    and wherever the check is ahead of it). ``get(key)`` waits for the plan, and is None for a
    plan the process will not make (it failed, or could not start). Each plan is handed over
    once, and not kept: a check settles a party on its first good row (a party asked for again
    is planned by the check), and a million rows' plans would take hundreds of MB."""

    def __init__(self, job: CheckJob, path: Path):
        self._plans: dict[str, PartyPlan] = {}  # by ``plan_key``
        self._provinces: dict[tuple[Any, ...], Match] = {}  # shared by the plans (``PartyPlan.from_plain``)
        self._path = path
        self._file: IO[bytes] | None = None
        self._ended = False
        self._process = _start("plan")
        if self._process is None:
            self._ended = True
            return
        assert self._process.stdin is not None
        try:
            pickle.dump((dataclasses.replace(job, places={}, ties={}), path), self._process.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.close()
        except OSError:
            self.close()

    def _take(self, key: str) -> PartyPlan | None:
        """The plan if it has been written (reading what has been since the last call), else None."""
        plan = self._plans.pop(key, None)
        if plan is None and not self._ended:
            finished = self.finished()
            self._read()
            plan = self._plans.pop(key, None)
            if plan is None and finished:  # it ended without its last message: it failed
                self._ended = True
        return plan

    ready = _take  # one call less on the check's path, twice a row

    def finished(self) -> bool:
        """Whether the planning process has ended (or never started): it makes no more plans."""
        return self._process is None or self._process.poll() is not None

    def get(self, key: str) -> PartyPlan | None:
        while (plan := self._take(key)) is None and not self._ended:
            time.sleep(0.001)
        return plan

    def _read(self) -> None:
        """Take every whole message written so far: a length (8 bytes), then the pickled plans."""
        from twinlac.loaders.records import PartyPlan

        if self._file is None:
            try:
                self._file = open(self._path, "rb")
            except FileNotFoundError:
                return
        while True:
            start = self._file.tell()
            head = self._file.read(8)
            size = int.from_bytes(head, "little") if len(head) == 8 else -1
            body = self._file.read(size) if size >= 0 else b""
            if size < 0 or len(body) < size:
                self._file.seek(start)  # not all written yet
                return
            kind, made = pickle.loads(body)
            if kind == "end":
                self._ended = True
                return
            for key, plain in made:
                self._plans[key] = PartyPlan.from_plain(plain, self._provinces)

    def close(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
        if self._file is not None:
            self._file.close()
        self._ended = True
        self._plans = {}


def _plan_ahead() -> None:
    """The other end of ``PlanFeed``: read the job, then the file, and append each distinct
    party's plan to the feed's file, in the order the rows name them."""
    from twinlac.loaders.records import RecordParser, forget_names, plan_key

    sys.stdout = sys.stderr
    job, path = pickle.load(sys.stdin.buffer)
    gc.disable()
    parser = RecordParser(str(job.path), job.spec, today=job.today)
    # Keys by their hashes (a third of the process's memory at a million rows), the key's own
    # (plan_key is made for a new key only): of two keys with one hash, the second's plan is left
    # to the check, which makes it as it would here.
    seen: set[int] = set()
    made: list[tuple[str, tuple[Any, ...]]] = []  # (plan_key, plan as plain values)
    with open(path, "wb") as out, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the check reads the same file and says what there is to say

        def send(kind: str, value: Any) -> None:
            body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
            out.write(len(body).to_bytes(8, "little") + body)
            out.flush()

        def plan(keys: list[PartyKey]) -> None:
            for at, made_plan in enumerate(parser.plan_parties(keys)):
                made.append((plan_key(keys[at]), made_plan.plain()))
                if len(made) >= PLANS_PER_MESSAGE:
                    send("plans", made)
                    made.clear()

        parent = os.getppid()
        keys: list[PartyKey] = []  # new ones, planned together (``plan_parties``)
        for read, key in enumerate(_party_keys(job, parser)):
            if read % 20_000 == 0 and os.getppid() != parent:
                return  # the check has ended (it failed, or was stopped): nobody reads these plans
            if key is not None and (hashed := hash(key)) not in seen:
                seen.add(hashed)
                keys.append(key)
                if len(keys) >= PLANNED_TOGETHER:
                    plan(keys)
                    keys = []
                    forget_names()  # met again within a group only: their caches would hold tens of MB
        plan(keys)
        send("plans", made)
        send("end", None)


def _party_keys(job: CheckJob, parser: RecordParser) -> Iterator[PartyKey | None]:
    """Each row's parties' keys (``party_key``), its first party's then its second's: of a CSV
    file read by Arrow, column by column (several times faster than row by row, so the plans stay
    ahead of the check), else from every row as the check reads them. Only the plans' order
    depends on it: where the two readers differ, the check makes a plan itself, and never gets
    another one."""
    fmt = formats.get(job.format)
    if job.path.suffix.lower() == ".csv" and fmt.read is read_rows:
        try:
            yield from _arrow_party_keys(job.path, job.spec)
            return
        except Exception:  # noqa: BLE001 - any file Arrow reads otherwise: the check's reader
            pass
    for _, raw in fmt.read(job.path, sheet=job.sheet)[1]:
        if "__error__" not in raw:
            row = parser.standard_row(raw)
            yield parser.party_key("a", row)
            yield parser.party_key("b", row)


def _arrow_party_keys(path: Path, spec: FormatSpec) -> Iterator[PartyKey | None]:
    """``_party_keys`` of a CSV file, from the party columns read by Arrow: each field as
    ``standard_row`` makes it (the file's cell stripped, else the format's constant; a level
    lower-cased, "city" when not given), then the key as ``party_key`` makes it. Of the rows of a
    block naming a party by the same cells, the first only: Arrow tells them apart (dictionary
    encoding), so that a key is made in Python once a block."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pv

    fields = ("name", "country", "province", "level", "name_zh")
    wanted = {f"{prefix}_{name}": spec.columns.get(f"{prefix}_{name}") for prefix in ("a", "b") for name in fields}
    parse = pv.ParseOptions(newlines_in_values=True)
    header = pv.open_csv(path, parse_options=parse).schema.names  # reads the first block only
    named = {h.strip().lstrip("\ufeff") for h in header}  # as the check's reader names them
    if any(column is not None and column in named and column not in header for column in wanted.values()):
        raise ValueError("the header names a party's column otherwise than the check's reader")
    columns = [c for c in dict.fromkeys(wanted.values()) if c is not None and c in header]
    reader = pv.open_csv(path, parse_options=parse, convert_options=pv.ConvertOptions(
        include_columns=columns, column_types={c: pa.string() for c in columns},
        strings_can_be_null=False, quoted_strings_can_be_null=False))
    for batch in reader:
        firsts: list[tuple[int, str, PartyKey | None]] = []  # (row in the block, prefix, key)
        for prefix in ("a", "b"):
            own = [column for column in dict.fromkeys(wanted[f"{prefix}_{name}"] for name in fields)
                   if column in columns]
            if own:  # cells holding U+001F may pass for others (rows_numbered): the check plans those
                numbered = rows_numbered([batch.column(column) for column in own])
                rows = np.unique(numbered.indices.to_numpy(), return_index=True)[1]
            else:
                rows = np.arange(min(batch.num_rows, 1))
            taken = pa.array(rows, type=pa.int64())
            cells = {c: [(v or "").strip() for v in batch.column(c).take(taken).to_pylist()] for c in own}
            values: dict[str, list[str]] = {}
            for name in fields:
                column = wanted[f"{prefix}_{name}"]
                got = cells[column] if column in cells else [""] * len(rows)
                constant = spec.constants.get(f"{prefix}_{name}")
                values[name] = [v or constant for v in got] if constant else got
            firsts.extend(
                (row, prefix, (prefix, name, country, province, level.lower() if level else "city", bool(level),
                               name_zh or None) if name and country else None)
                for row, name, country, province, level, name_zh in zip(
                    rows.tolist(), *(values[name] for name in fields), strict=True))
        firsts.sort(key=lambda first: (first[0], first[1]))
        for _, _, key in firsts:
            yield key


def _run_apart() -> None:
    """The other end of ``check_apart``: read the job, check, write back messages."""
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed must not mix with the messages

    def send(kind: str, value: Any) -> None:
        pickle.dump((kind, value), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    job, folder = pickle.load(sys.stdin.buffer)
    send("ready", None)
    gc.disable()  # millions of objects and no cycles: see load_file
    counted, planned = 0, False
    feed: PlanFeed | None = None

    def progress(rows: int) -> None:
        nonlocal counted
        counted += rows
        if counted >= PROGRESS_EVERY:
            send("progress", counted)
            counted = 0
            tell_planned()

    def spilled(batches: int) -> None:
        send("batch", batches)
        tell_planned()

    def tell_planned() -> None:  # once: the other end may take the second core then
        nonlocal planned
        if not planned and feed is not None and feed.finished():
            send("planned", None)
            planned = True

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            feed = PlanFeed(job, folder / "plans")
            try:
                # The load's process read the file's encoding already, before it started this one.
                # A file checked apart is long: a CSV file is read in blocks.
                header, rows = rows_to_check(job.format, job.path, job.sheet, encoding_checked=True, blocks=True)
                kept = Batches(path=folder / "batches.pickle", on_spill=spilled)
                checked = check_rows(job, rows, kept, progress, planned=feed.ready,
                                     matches_path=folder / "matches.pickle", header=header, free=False)
            finally:
                feed.close()
        checked.warnings = [(str(w.message), w.category) for w in caught]
        send("progress", counted)
        send("done", checked)
    except LoadError as exc:
        send("error", exc)
    except BaseException:  # noqa: BLE001 - any other failure is reported with its traceback
        send("crash", traceback.format_exc())


if __name__ == "__main__":
    # Run from the module by its name, so that what it pickles names twinlac.loaders.check, not __main__.
    from twinlac.loaders import check

    check._plan_ahead() if sys.argv[1:] == ["plan"] else check._run_apart()
