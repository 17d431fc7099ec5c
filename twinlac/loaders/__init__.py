"""Loaders: read files, validate and resolve every row, write all or nothing.

Formats: the canonical agreements table (CSV, XLSX, JSON), generic pairs files
mapped with ``--map``, and Wikidata SPARQL results. A load reads the file once:
every row is checked and resolved, the good rows' graph rows kept in batches
(spilled to a temporary file, so memory stays bounded); nothing is written if
any row is bad (unless ``skip_invalid``), else the batches are written all or
nothing (on the embedded store: one transaction, or into a new database file that
then replaces the store's: a copy of a store without ties, or a rebuild when many
new ties come), so a failure leaves the store as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from twinlac.errors import LoadError, RowIssue, TwinlacError
from twinlac.graph.model import GraphFrames
from twinlac.graph.store import GraphStore, WriteReport
from twinlac.loaders import canonical, formats, pairs, wikidata  # noqa: F401 - importing registers the formats
from twinlac.loaders.bundled import BUNDLED_FILE, bundled_data_path
from twinlac.loaders.formats import FormatSpec, InputFormat, format_help, registered
from twinlac.loaders.readers import Row

if TYPE_CHECKING:
    from twinlac.loaders.records import METHODS, Conflict, LocalityIndex, RecordParser, Resolution, ResolvedName


def __getattr__(name: str) -> Any:
    # The resolvers (rapidfuzz, pycountry, the gazetteer) load with the first load, not with
    # ``twinlac.loaders``: the command line lists the formats without them.
    if name in ("METHODS", "Conflict", "Resolution"):
        from twinlac.loaders import records

        return getattr(records, name)
    raise AttributeError(f"module 'twinlac.loaders' has no attribute {name!r}")

#: What ``format=`` takes: "auto" (detected) and every registered format (see ``registered()``).
FORMATS = ("auto", *sorted(f.name for f in registered()))
#: Rows per write batch: bounds memory on large files.
CHUNK_ROWS = 50_000

__all__ = [
    "FORMATS", "InputFormat", "LoadReport", "format_help", "registered", "ParsedFile", "bundled_data_path", "load_agreements", "load_file", "parse_file",
    "METHODS", "Conflict", "Resolution", "place_provinces", "write_conflicts", "write_matches",
]


@dataclass
class LoadReport:
    """What a load read, accepted, rejected and added.

    ``rows_loaded + rows_rejected == rows_read`` always holds.
    """

    file: Path
    format: str
    rows_read: int
    rows_rejected: int = 0
    written: WriteReport = field(default_factory=WriteReport)
    duplicates_merged: int = 0
    rejects_file: Path | None = None
    #: Names resolved per method ("exact", "alias", "library", "division name", "gazetteer province",
    #: "alternate name", "fuzzy", "country level"), counted once per row and field.
    method_counts: dict[str, int] = field(default_factory=dict)
    #: Every name not resolved exactly, one ``Resolution`` each in row order, as written to
    #: ``matches_file`` (iterable, with a length; kept in a temporary file beyond 50,000).
    matches: Collection[Resolution] = field(default_factory=list)
    matches_file: Path | None = None
    issues: list[RowIssue] = field(default_factory=list)
    #: Ids of the new places left without coordinates (not in the file, not found in the gazetteer).
    unlocated: list[str] = field(default_factory=list)
    #: Held ties this file gave a year, date or stronger kind they lacked (the fields its source filled).
    enriched: int = 0
    #: Held localities this file gave the Chinese name they lacked.
    places_enriched: int = 0
    #: Values this file gives for held ties and places that differ from the held ones: kept, not written.
    conflicts: list[Conflict] = field(default_factory=list)
    conflicts_file: Path | None = None

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    @property
    def resolutions(self) -> list[tuple[int, str, str, str]]:
        """(row, column, value, how) of every name not resolved exactly: ``matches`` as short text."""
        return [m.as_tuple() for m in self.matches]

    @property
    def ties_added(self) -> int:
        return self.written.ties

    @property
    def ties_already_present(self) -> int:
        return self.rows_loaded - self.duplicates_merged - self.ties_added


@dataclass
class ParsedFile:
    """A checked file held in memory (small files, tests): its graph rows and resolutions."""

    path: Path
    rows_read: int
    frames: GraphFrames
    resolutions: list[tuple[int, str, str, str]]


def _source(path: Path, format: str, mapping: dict | None, source: str | None, evidence: str | None,
            sheet: str | None = None) -> tuple[str, FormatSpec, Callable[[], tuple[list[str], Iterator[Row]]]]:
    fmt = None if format == "auto" else formats.get(format)
    if not path.exists():
        raise LoadError([RowIssue(str(path), None, None, "no such file")])
    fmt = fmt or formats.detect(path, mapping, sheet)
    return fmt.name, fmt.spec(mapping, source, evidence), lambda: fmt.read(path, sheet=sheet)


def _check_header(path: Path, format: str, spec: FormatSpec, header: list[str],
                  allow_extra_columns: bool = False) -> None:
    wanted = formats.get(format).required_columns(spec)
    missing = [c for c in dict.fromkeys(wanted) if c not in header]
    if missing:
        raise LoadError([RowIssue(str(path), 1, c, "required column is missing") for c in missing])
    formats.check_columns(path, formats.get(format), spec, header, allow_extra=allow_extra_columns)


def _held_localities(store: GraphStore) -> dict[str, list[Any]]:
    """Every held locality: id, name, province, country and Chinese name, column by column (one read per load)."""
    return store.query_columns(
        "MATCH (l:Locality) RETURN l.id AS id, l.name AS name, l.province AS province, l.country AS country, "
        "l.name_zh AS name_zh")


def _locality_index(store: GraphStore | None) -> LocalityIndex:
    from twinlac.loaders.records import LocalityIndex

    if store is None:
        return LocalityIndex()
    return LocalityIndex.from_columns(_held_localities(store))


def _held_ties(store: GraphStore) -> dict[str, list[Any]]:
    """The year, date, kind, notes and sources of every held tie, column by column."""
    return store.query_columns(
        "MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id, t.year AS year, t.date AS date, t.kind AS kind, "
        "t.notes AS notes, t.sources AS sources")


def parse_file(path: str | Path, *, format: str = "auto", mapping: dict | None = None,
               source: str | None = None, evidence: str | None = None,
               today: dt.date | None = None, store: GraphStore | None = None) -> ParsedFile:
    """Check a whole file and return its graph rows; any bad row raises ``LoadError`` (all listed).

    Example
    -------
    >>> parsed = parse_file("data/china_lac_twinnings.csv")  # doctest: +SKIP
    >>> len(parsed.frames.rels["TWINNED_WITH"])  # doctest: +SKIP
    281
    """
    path = Path(path)
    format, spec, open_rows = _source(path, format, mapping, source, evidence)
    header, rows = open_rows()
    _check_header(path, format, spec, header)
    from twinlac.loaders.records import RecordParser

    parser = RecordParser(str(path), spec, today=today, localities=_locality_index(store))
    issues, read = [], 0
    for row_number, raw in rows:
        read += 1
        issues.extend(parser.parse(row_number, raw))
    if read == 0:
        issues.append(RowIssue(str(path), None, None, "the file has a header but no rows"))
    if issues:
        raise LoadError(issues)
    return ParsedFile(path, read, parser.take_frames(), parser.resolutions)


def load_file(
    store: GraphStore,
    path: str | Path | None = None,
    *,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    source: str | None = None,
    evidence: str | None = None,
    skip_invalid: bool = False,
    rejects: str | Path | None = None,
    today: dt.date | None = None,
    matches: str | Path | None = None,
    conflicts: str | Path | None = None,
    chunk_rows: int = CHUNK_ROWS,
    geocode: bool = True,
    on_row: Callable[[str], None] | None = None,
    allow_extra_columns: bool = False,
    sheet: str | None = None,
) -> LoadReport:
    """Load a file of agreements into ``store`` (default: the bundled data).

    Every row is checked first. By default a file with any bad row raises
    ``LoadError`` listing every problem, and nothing is written. With
    ``skip_invalid`` the good rows are written and the bad ones go to a
    rejects CSV (``rejects``, default ``<file>.rejects.csv``) with the reason
    for each. Every name resolved otherwise than exactly goes to a matches CSV
    (``matches``, default ``<file>.matches.csv``, not written for the bundled data; see ``LoadReport.method_counts``
    for the counts per method). Loading the same file again adds nothing; a tie already held
    from another source gains this file's source, and the year, date or stronger kind
    (letter of intent < friendship < sister) it lacks, noted in its ``notes``; a held
    locality gains the Chinese name it lacks. A value that differs from the held one is
    not written: it is a conflict, listed in ``LoadReport.conflicts`` and written to a
    conflicts CSV (``conflicts``, default ``<file>.conflicts.csv``).

    Places without coordinates in the file get them from the offline gazetteer
    (``geocode``; the match is recorded in ``geo_source``). ``on_row(phase)`` is called for every row of each pass (``"check"``,
    ``"write"``), then once with ``"save"`` when the store has every row and saves them (the
    COPYs of a large load take seconds), for progress bars.

    A column the format does not know (a misspelt ``yaer``) is an error with the
    closest known name as a hint, or with ``allow_extra_columns`` a warning naming
    it. ``sheet`` picks the sheet of an XLSX workbook (default: the first; a
    workbook with several warns which one was read).

    Example
    -------
    >>> with twinlac.open("twinlac.lbdb") as store:  # doctest: +SKIP
    ...     report = load_file(store, "pairs.csv", mapping={"a_name": "city1", "a_country": "country1",
    ...                        "b_name": "city2", "b_country": "country2"}, source="https://example.org")
    """
    path = Path(path) if path is not None else bundled_data_path()
    format, spec, _ = _source(path, format, mapping, source, evidence, sheet)
    with _without_cycle_collection():
        return _load(store, path, format, spec, skip_invalid=skip_invalid, rejects=rejects,
                     today=today, matches=matches, conflicts=conflicts, chunk_rows=chunk_rows, geocode=geocode,
                     on_row=on_row, allow_extra_columns=allow_extra_columns, sheet=sheet)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: a load makes millions of small objects that live
    until its end (indexes, rows, batches) and no cycles, and each full collection walks them all.
    Memory is freed by reference counting as before; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(store: GraphStore, path: Path, format: str, spec: FormatSpec, *, skip_invalid: bool,
          rejects: str | Path | None, today: dt.date | None, matches: str | Path | None,
          conflicts: str | Path | None, chunk_rows: int, geocode: bool,
          on_row: Callable[[str], None] | None, allow_extra_columns: bool = False,
          sheet: str | None = None) -> LoadReport:
    from twinlac.loaders.check import Batches, Checked, CheckJob, check_file, rows_to_check
    from twinlac.loaders.records import METHODS

    # A file the built-in readers read is read as cells: a dict is made for a rejected row only.
    header, rows = rows_to_check(format, path, sheet)
    _check_header(path, format, spec, header, allow_extra_columns)
    # One pass checks and resolves every row, keeping the good rows' graph rows in batches
    # (spilled to a file beyond the first, so memory stays bounded); nothing is written until
    # every row has been read (but into a store holding no ties: below). A large file is
    # checked in a process of its own.
    job = CheckJob(path, format, spec, sheet, today or dt.date.today(), geocode, chunk_rows,
                   places=_held_localities(store), ties=_held_ties(store))
    if job.ties["id"]:  # the pages they were read from, given back before the check's peak
        store.release_memory()
    report = LoadReport(path, format, 0)
    # The bundled data's matches and conflicts are part of the package: listed in the report,
    # never written beside it unless a file is named.
    bundled = path == bundled_data_path()
    matches_aside: _WrittenAside | None = None

    def accept(checked: Checked) -> None:  # every row checked: refuse the load, or set its rejects aside
        nonlocal matches_aside
        report.rows_read, report.issues = checked.rows_read, checked.issues
        if checked.bad_rows and not skip_invalid:
            raise LoadError(report.issues)
        report.rows_rejected = len(checked.bad_rows)
        if checked.bad_rows:
            report.rejects_file = _beside(path, rejects, ".rejects.csv")
            _write_rejects(report.rejects_file, header, checked.bad_rows)
        if checked.matches and (matches or not bundled):  # a million rows take seconds: while the store saves
            found = checked.matches
            matches_aside = _WrittenAside(_beside(path, matches, ".matches.csv"), lambda to: write_matches(to, found))

    # An all-or-nothing write may take a large file's batches as they are checked (in a process
    # of its own): a refused load is then abandoned, not written. How many ties it adds is known
    # at the check's end, which a store holding ties needs to choose how to write.
    stream = store.atomic_writes
    try:
        with tempfile.TemporaryDirectory(prefix="twinlac-check-", ignore_cleanup_errors=True) as folder:
            checked = check_file(job, rows, on_row, Path(folder), accept, stream=stream, header=header)
            del job, rows
            with checked.batches as kept:
                kept.on_end = lambda: matches_aside.start() if matches_aside is not None else None
                streamed = not isinstance(kept, Batches)
                report.written = store.write_batches(
                    kept, expected_ties=(lambda: checked.new_ties) if streamed else checked.new_ties)
    except BaseException:
        if matches_aside is not None:
            matches_aside.drop()
        raise
    if geocode:
        placed = set(place_provinces(store))
        report.unlocated = [node for node in checked.unlocated if node not in placed]
    report.method_counts = {m: checked.method_counts[m] for m in METHODS if m in checked.method_counts}
    report.matches = checked.matches
    if matches_aside is not None:
        report.matches_file = matches_aside.keep()
    report.duplicates_merged = checked.duplicates_merged
    report.enriched, report.places_enriched = checked.enriched, checked.places_enriched
    report.conflicts = checked.conflicts
    if checked.conflicts and (conflicts or not bundled):
        report.conflicts_file = write_conflicts(_beside(path, conflicts, ".conflicts.csv"), checked.conflicts)
    return report


def _lowest_priority() -> None:
    """Give the calling thread the lowest scheduling priority (niceness 19), on Linux, where each
    thread has its own; elsewhere (where it would be the whole process's) do nothing."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        except OSError:  # not allowed here: the thread keeps its priority
            pass


class _WrittenAside:
    """A report file written by a thread of its own (``start()``) while the store saves what it was
    handed (the database engine lets other threads run while it works), under another name in
    its folder; ``keep()`` puts it in its place once the load has succeeded (writing it then if
    it was not started), ``drop()`` removes it otherwise.

    On Linux the thread runs at the lowest priority (``_lowest_priority``): the engine's
    COPYs, running meanwhile on every core, come first. A million ties' COPY took 0.6 s less so,
    the matches file (1.3 million rows) still written before it ended."""

    def __init__(self, path: Path, write: Callable[[Path], object]):
        self.path = path
        self._part = path.with_name(f".{path.name}.part")
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(write,), daemon=True)

    def start(self) -> None:
        if self._thread.ident is None:  # not started yet
            self._thread.start()

    def _write(self, write: Callable[[Path], object]) -> None:
        _lowest_priority()
        try:
            write(self._part)
        except BaseException as exc:  # noqa: BLE001 - raised again by keep(), in the load's thread
            self._error = exc

    def keep(self) -> Path:
        self.start()
        self._thread.join()
        if self._error is not None:
            self.drop()
            raise self._error
        os.replace(self._part, self.path)
        return self.path

    def drop(self) -> None:
        if self._thread.ident is not None:
            self._thread.join()
        try:
            os.unlink(self._part)
        except FileNotFoundError:
            pass


def _beside(path: Path, given: str | Path | None, suffix: str) -> Path:
    """The report file ``given``, else ``<file><suffix>`` next to the loaded file."""
    return Path(given) if given else path.with_name(path.name + suffix)


def place_provinces(store: GraphStore) -> list[str]:
    """Give provinces the gazetteer could not place the centroid of their located localities.

    A state such as Coahuila has no namesake city; the mean position of its
    localities in the store (Torreón, ...) puts its ties on the map, and its
    ``geo_source`` says so. Returns the ids of the provinces placed.
    """
    found = store.query(
        "MATCH (l:Locality)-[:IN_PROVINCE]->(p:Province) WHERE p.lat IS NULL AND l.lat IS NOT NULL "
        "RETURN p.id AS id, avg(l.lat) AS lat, avg(l.lon) AS lon, count(l) AS n",
        max_rows=None, timeout=None,
    )
    if found.empty:
        return []
    # Rounded to a tenth of a metre: the engine sums in no set order, and the last digits of a
    # mean would differ between two loads of the same rows.
    rows = [{"id": r.id, "lat": round(float(r.lat), 6), "lon": round(float(r.lon), 6),
             "how": f"centroid of {int(r.n)} located localit{'y' if r.n == 1 else 'ies'} in the store"}
            for r in found.itertuples()]
    store.query("UNWIND $rows AS row MATCH (p:Province) WHERE p.id = row.id "
                "SET p.lat = row.lat, p.lon = row.lon, p.geo_source = row.how", {"rows": rows}, write=True)
    return [row["id"] for row in rows]


def load_agreements(store: GraphStore, path: str | Path | None = None) -> LoadReport:
    """Load a canonical agreements file (default: the bundled data) into ``store``, all or nothing.

    Example
    -------
    >>> with twinlac.open("demo.lbdb") as store:  # doctest: +SKIP
    ...     load_agreements(store).ties_added
    281
    """
    return load_file(store, path)


def _write_rejects(path: Path, header: list[str], bad_rows: dict[int, tuple[dict, list[RowIssue]]]) -> None:
    columns = ["row", "reason"] + [h for h in header if h != "__error__"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row_number, (raw, problems) in sorted(bad_rows.items()):
            reason = "; ".join(
                (f"{p.field}: " if p.field else "") + p.message for p in problems
            ) or raw.get("__error__", "")
            writer.writerow({**raw, "row": row_number, "reason": reason})


def write_matches(path: str | Path, matches: Iterable[Resolution]) -> Path:
    """Write the names resolved otherwise than exactly, one per row, for a user to audit.

    Columns: ``row`` (spreadsheet numbering), ``column``, ``value`` (as written in
    the file), ``method``, ``resolved`` (ISO code or node id), ``score`` (fuzzy
    ratio, else 100) and ``note`` (the gazetteer place or why none was taken).
    """
    from twinlac.loaders.records import Resolutions

    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "column", "value", "method", "resolved", "score", "note"])
        if isinstance(matches, Resolutions):  # a load's own list, read by row: no million objects made
            handle.writelines(_matches_lines(matches.by_row()))
        else:
            writer.writerows((m.row, m.column, m.value, m.method, m.resolved, f"{m.score:g}", m.note)
                             for m in matches)
    return path


def _matches_lines(by_row: Iterator[tuple[int, tuple[ResolvedName, ...]]]) -> Iterator[str]:
    """The matches file's lines, as ``csv.writer`` writes them. A party's names are one tuple on
    all its rows (``Resolutions.by_row``): each is written once, then given each row's number (an
    integer, which csv never quotes). A million lines took seconds through the writer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    written: dict[tuple[ResolvedName, ...], list[str]] = {}
    for row, names in by_row:
        lines = written.get(names)
        if lines is None:
            lines = []
            for column, value, method, resolved, score, note in names:
                buffer.seek(0)
                buffer.truncate()
                writer.writerow((column, value, method, resolved, f"{score:g}", note))
                lines.append(buffer.getvalue())
            if len(written) >= 100_000:  # bounded: a list whose every name differs repeats none
                written.clear()
            written[names] = lines
        prefix = f"{row},"
        for line in lines:
            yield prefix + line


def write_conflicts(path: str | Path, conflicts: list[Conflict]) -> Path:
    """Write the values a file gives for held ties and places that differ from the held ones.

    Columns: ``id`` (tie or locality), ``field`` (``year``, ``date``, ``kind``,
    ``name_zh``), ``held`` (the value kept), ``new`` (the file's), ``row``
    (spreadsheet numbering) and ``source`` (the row's source).
    """
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "field", "held", "new", "row", "source"])
        for c in conflicts:
            writer.writerow([c.id, c.field, c.held, c.new, c.row, c.source])
    return path
