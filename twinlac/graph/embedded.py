"""The default store: LadybugDB, an embedded Cypher database in one file on disk."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Container, Hashable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import ladybug

from twinlac.errors import QueryError, StoreError
from twinlac.graph.model import NODE_TABLES, REL_TABLES, GraphFrames, GraphRows, GraphTables, reference_frames
from twinlac.graph.store import GraphStore, PropertyUpdate, WriteReport, update_groups

if TYPE_CHECKING:  # pyarrow is imported by the writes that use it: `twinlac query` never needs it
    import pyarrow as pa


def node_table_ddl(label: str) -> str:
    columns = NODE_TABLES[label]
    props = ", ".join(f"{name} {kind}" for name, kind in columns)
    return f"CREATE NODE TABLE IF NOT EXISTS {label}({props}, PRIMARY KEY ({columns[0][0]}))"


def rel_table_ddl(rel_type: str) -> str:
    pairs, props = REL_TABLES[rel_type]
    parts = [f"FROM {a} TO {b}" for a, b in pairs] + [f"{name} {kind}" for name, kind in props]
    return f"CREATE REL TABLE IF NOT EXISTS {rel_type}({', '.join(parts)})"


def create_schema(conn: ladybug.Connection) -> None:
    """Create twinlac's tables that a database lacks."""
    for label in NODE_TABLES:
        conn.execute(node_table_ddl(label))
    for rel_type in REL_TABLES:
        conn.execute(rel_table_ddl(rel_type))


_T = TypeVar("_T")

#: A write into a store that holds ties rebuilds the database (``EmbeddedStore._write_into_copy``)
#: when it brings at least this many ties ...
REBUILD_MIN_TIES = 200_000
#: ... and the square of the ties it brings is at least this many times all the ties held and
#: brought: the cost of a transaction grows with the former, the cost of a rebuild with the latter.
REBUILD_SCALE = 50_000


def rebuilds(held: int, new: int) -> bool:
    """Whether a write of ``new`` ties into a store holding ``held`` rebuilds the database.

    A transaction writes the ties' lists in time growing with the square of ``new`` (a million
    new ties: over a minute in the COMMIT, ``benchmarks/`` step ``copy_tx``); a rebuild copies
    everything, in time growing with ``held + new`` (a million: about 20 s, step ``load_onto``).

    >>> rebuilds(300, 1_000_000), rebuilds(1_000_000, 100_000), rebuilds(1_000_000, 300_000)
    (True, False, True)
    """
    return new >= REBUILD_MIN_TIES and new * new >= REBUILD_SCALE * (held + new)


#: Memory the database engine may use for its page cache, in MiB (``TWINLAC_BUFFER_POOL_MB``).
#: LadybugDB's own default takes a large share of the machine's memory; a fixed pool
#: keeps large loads bounded (pages beyond it are read from and written to disk).
DEFAULT_BUFFER_POOL_MB = 1024


#: Files the engine keeps beside the database file (``PATH.wal``, ...).
ENGINE_SUFFIXES = (".wal", ".shadow", ".tmp", ".lock", ".wal.checkpoint", ".checkpoint.apply.lock",
                   ".checkpoint.intent.lock")
#: Suffix of the copy of the database a first load writes before it takes the file's place.
COPY_SUFFIX = ".loading"

#: What the engine says when a read-only open meets a checkpoint a crash left unfinished.
RECOVERY_PENDING = ("checkpoint recovery is pending",)
#: Seconds between tries when another process is finishing a checkpoint (about 3 s in all).
RECOVERY_PAUSES = (0.1, 0.2, 0.4, 0.8, 1.6)


def buffer_pool_bytes() -> int:
    return int(os.environ.get("TWINLAC_BUFFER_POOL_MB", DEFAULT_BUFFER_POOL_MB)) * 1024 * 1024


def engine_message(exc: BaseException) -> str:
    """The first line of an engine error, with what to do when its page cache ran out.

    >>> full = RuntimeError("Buffer manager exception: The buffer pool is full")
    >>> "with TWINLAC_BUFFER_POOL_MB" in engine_message(full)
    True
    """
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "buffer pool is full" in message.lower():
        message += ("; give the database engine more memory with TWINLAC_BUFFER_POOL_MB "
                    f"(now {buffer_pool_bytes() // (1024 * 1024)} MiB)")
    return message


class _KnownKeys:
    """Keys the store holds, fetched once per table for a whole batched write."""

    def __init__(self, store: "EmbeddedStore"):
        self.store = store
        # label -> node ids, (rel_type, pair) -> relationship keys, "sources" -> tie sources
        self._cache: dict[Hashable, Any] = {}

    def nodes(self, label: str) -> set[str]:
        if label not in self._cache:
            self._cache[label] = set(self.store._existing(f"MATCH (n:{label}) RETURN n.id AS id")["id"])
        ids: set[str] = self._cache[label]
        return ids

    def rels(self, rel_type: str, pair: tuple[str, str] | None) -> set[Hashable]:
        key = (rel_type, pair)
        if key not in self._cache:
            if pair is None:
                found = self.store._existing(f"MATCH ()-[r:{rel_type}]->() RETURN r.id AS id")
                self._cache[key] = set(found["id"])
            else:
                found = self.store._existing(
                    f"MATCH (a:{pair[0]})-[r:{rel_type}]->(b:{pair[1]}) RETURN a.id AS a, b.id AS b"
                )
                self._cache[key] = set(zip(found["a"], found["b"], strict=True))
        keys: set[Hashable] = self._cache[key]  # tie ids, or (from id, to id) pairs
        return keys

    def note_ties(self, ids: list[str], sources: pa.ChunkedArray) -> None:
        """Remember the sources of ties this write copied (their ids, and their ``sources`` column),
        once the sources are cached."""
        cached = self._cache.get("sources")
        if cached is not None:
            for tid, listed in zip(ids, sources.to_pylist(), strict=True):
                cached.setdefault(tid, list(listed or []))

    def tie_sources(self) -> dict[str, list[str]]:
        """Sources of every tie held, read once, on the first batch that meets a held tie:
        one scan and dict lookups (`t.id IN $ids` would scan once per id)."""
        if "sources" not in self._cache:
            self._cache["sources"] = _tie_sources(self.store._conn)
        sources: dict[str, list[str]] = self._cache["sources"]
        return sources


class _Writer:
    """Where a write's COPYs and statements go: into the open transaction, as they come."""

    def __init__(self, conn: ladybug.Connection):
        self.conn = conn

    def copy(self, table: str, rows: pa.Table, pair: tuple[str, str] | None = None) -> None:
        """COPY ``rows`` (a node table's columns, or a relationship's ``_copy_columns``) into ``table``
        (a relationship table with several FROM/TO pairs needs the ``pair`` named)."""
        self.conn.execute(f"COPY {table} FROM $rows{_pair_option(pair)}", {"rows": rows})

    def run(self, cypher: str, params: dict[str, Any]) -> None:
        self.conn.execute(cypher, params)

    def count(self, cypher: str, params: dict[str, Any]) -> int:
        """Run a statement returning one count; the count."""
        result = _single(self.conn.execute(cypher, params))
        try:
            return int(_row(result)[0])
        finally:
            result.close()

    def merge_sources(self, incoming: list[tuple[str, Any]], known: _KnownKeys) -> int:
        """Add the sources of incoming ties (id, sources) to the same ties held; how many gained one."""
        updates = _sources_gained(known.tie_sources(), incoming)
        if updates:
            self.run(_MERGE_SOURCES, {"rows": updates})
        return len(updates)

    def finish(self, report: WriteReport) -> None:
        """Write what was held back, adding its counts to ``report`` (nothing here)."""


class _SpooledWriter(_Writer):
    """A write kept in Parquet files, one per batch, table and pair, and written by ``finish``:
    one COPY per table and pair from all its files (nodes first), then the sources gained and the
    properties set, in the order they came (they may name rows of the COPYs). A tie met again is
    merged then, from the sources the COPYs wrote: no tie's sources are kept until then."""

    def __init__(self, conn: ladybug.Connection, folder: Path):
        super().__init__(conn)
        self.folder = folder
        self.parts: dict[tuple[str, tuple[str, str] | None], list[Path]] = {}
        # (statement, parameters, counted) or (None, ties met again, False), in order
        self.steps: list[tuple[str | None, Any, bool]] = []
        self.written = 0  # files

    def copy(self, table: str, rows: pa.Table, pair: tuple[str, str] | None = None) -> None:
        import pyarrow.parquet as pq

        pq.write_table(rows, self._next_file(table, pair))

    def run(self, cypher: str, params: dict[str, Any]) -> None:
        self.steps.append((cypher, params, False))

    def count(self, cypher: str, params: dict[str, Any]) -> int:
        self.steps.append((cypher, params, True))
        return 0

    def merge_sources(self, incoming: list[tuple[str, Any]], known: _KnownKeys) -> int:
        self.steps.append((None, incoming, False))
        return 0

    def add(self, source: ladybug.Connection, table: str, pair: tuple[str, str] | None, query: str) -> None:
        """COPY what ``query`` returns in another database (``source``) into ``table`` too, before
        every row given (the rows a database held come first in the one rebuilt)."""
        source.execute(f"COPY ({query}) TO {_quoted(self._next_file(table, pair, first=True))}")

    def _next_file(self, table: str, pair: tuple[str, str] | None, first: bool = False) -> Path:
        """A new Parquet file for ``table`` (and ``pair``), COPYed by ``finish`` after the ones
        before (``first``: before them)."""
        self.written += 1
        path = self.folder / f"{self.written}.parquet"
        files = self.parts.setdefault((table, pair), [])
        if first:
            files.insert(0, path)
        else:
            files.append(path)
        return path

    def finish(self, report: WriteReport) -> None:
        _return_freed_memory()  # what the write freed, before the engine's peak
        order = list(NODE_TABLES) + list(REL_TABLES)
        for (table, pair), files in sorted(self.parts.items(), key=lambda item: order.index(item[0][0])):
            listed = ", ".join(_quoted(f) for f in files)
            self.conn.execute(f"COPY {table} FROM [{listed}]{_pair_option(pair)}")
        met_again = {tid for cypher, step, _ in self.steps if cypher is None for tid, _ in step}
        current: dict[str, list[str]] | None = None  # their sources, read when first needed
        for cypher, params, counts in self.steps:
            if cypher is None:
                if current is None:
                    current = _tie_sources(self.conn, only=met_again)
                updates = _sources_gained(current, params)
                if updates:
                    super().run(_MERGE_SOURCES, {"rows": updates})
                report.sources_added += len(updates)
                continue
            if counts:
                report.updated += super().count(cypher, params)
            else:
                super().run(cypher, params)
            current = None  # a statement may have set sources: read them again



class EmbeddedStore(GraphStore):
    """A twinlac graph in a LadybugDB file.

    Opened writable, it creates the schema and the reference nodes (China's
    provinces, CELAC states, regions, forums) when they are missing. Opened
    ``read_only``, the database itself refuses every write.
    """

    backend = "embedded"

    def __init__(self, path: str | Path, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(
                f"no twinlac database at {self.path}: build it with `twinlac load` or `twinlac demo`"
            )
        #: Whether this open made the database file, and whether anything was written since.
        self.created = not read_only and not self.path.exists()
        self.written = False
        self._opening = True  # the schema and reference nodes written on opening are not a write
        made_folder = None if read_only or self.path.parent.exists() else _first_missing(self.path.parent)
        self._made_folder = made_folder
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._database(read_only)
            self._conn = ladybug.Connection(self._db)
            if not read_only:
                # A first load killed before its copy took the file's place left the copy: this
                # open holds the database, so no load is writing it.
                _remove_database(self.path.with_name(self.path.name + COPY_SUFFIX))
                self._ensure_schema()
                self.write_frames(reference_frames())
        except (RuntimeError, StoreError) as exc:
            self.discard(made_folder)
            if isinstance(exc, StoreError):
                raise
            if not read_only and held_by_another_process(self.path):
                raise StoreError(f"{self.path} is being written by another process (a load?); "
                                 "try again when it ends") from exc
            raise StoreError(f"cannot open {self.path}: {engine_message(RuntimeError(' '.join(str(exc).split())))}") \
                from exc
        self._opening = False

    def _database(self, read_only: bool) -> ladybug.Database:
        """The engine's database, opened read-only through what another process leaves behind.

        A read-only open fails while another process writes (the engine reads its log or
        checkpoint half done) and after a crash in the middle of a checkpoint. While another
        process holds the database, try again a few times (``RECOVERY_PAUSES``), then say a load
        is in progress; when none does and a checkpoint is pending, open it writable once, which
        completes the checkpoint, and open it read-only again.
        """
        try:
            return self._engine_open(read_only)
        except RuntimeError as exc:
            if not read_only:
                raise
            if held_by_another_process(self.path):
                return self._wait_for_writer()
            if not any(marker in str(exc) for marker in RECOVERY_PENDING):
                raise
        try:
            self._engine_open(read_only=False).close()
        except RuntimeError as exc:
            if held_by_another_process(self.path):
                return self._wait_for_writer()
            raise StoreError(
                f"{self.path} was left in the middle of a write and could not be recovered "
                f"({' '.join(str(exc).split())}); open it writable once: "
                f"twinlac query --write 'RETURN 1' --db {self.path}") from exc
        return self._engine_open(read_only=True)

    def _engine_open(self, read_only: bool) -> ladybug.Database:
        return ladybug.Database(str(self.path), read_only=read_only, buffer_pool_size=buffer_pool_bytes())

    def _wait_for_writer(self) -> ladybug.Database:
        for pause in RECOVERY_PAUSES:
            time.sleep(pause)
            try:
                return self._engine_open(read_only=True)
            except RuntimeError:
                if not held_by_another_process(self.path):
                    return self._database(read_only=True)
        raise StoreError(f"{self.path}: a load is in progress (another process is writing it); "
                         "try again when it ends")

    def __exit__(self, *exc: object) -> None:
        """Close; a database this open created and that received nothing is removed when the block
        failed (a failed first load leaves no file behind)."""
        if exc and exc[0] is not None and self.created and not self.written:
            self.discard(self._made_folder)
        else:
            self.close()

    def discard(self, folder: Path | None = None) -> None:
        """Close and delete the database files this open created (and ``folder``, made for them)."""
        self.close()
        if not self.created:
            return
        _remove_database(self.path)
        _remove_database(self.path.with_name(self.path.name + COPY_SUFFIX))
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    def _ensure_schema(self) -> None:
        create_schema(self._conn)

    def _run(
        self, cypher: str, params: dict[str, Any], *, write: bool, max_rows: int | None, timeout: float | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        if write and self.read_only:
            raise QueryError(f"{self.path} is open read-only; open it writable to run a write query")
        result = self._execute(cypher, params, timeout)
        self.written = self.written or write
        try:
            columns = result.get_column_names()
            rows: list[list[Any]] = []
            while result.has_next():
                if max_rows is not None and len(rows) >= max_rows:
                    return columns, rows, True
                rows.append(_row(result))
            return columns, rows, False
        finally:
            result.close()

    def _run_columns(self, cypher: str, params: dict[str, Any], *, timeout: float | None) -> dict[str, list[Any]]:
        # One Arrow table, each column converted at once: fetching a million rows one by one
        # took seconds of a reload.
        return _columns(self._execute(cypher, params, timeout))

    def _execute(self, cypher: str, params: dict[str, Any], timeout: float | None) -> ladybug.QueryResult:
        """Run a checked statement within ``timeout`` seconds; its one result."""
        self._conn.set_query_timeout(int(timeout * 1000) if timeout else 0)
        try:
            result = self._conn.execute(cypher, params)
        except RuntimeError as exc:
            message = engine_message(exc)
            if "interrupted" in message.lower() or "timeout" in message.lower():
                message = f"query stopped after {timeout:g} s ({message}); pass a longer timeout"
            raise QueryError(message) from exc
        finally:
            self._conn.set_query_timeout(0)
        return _single(result)

    def write_batches(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], *,
                      expected_ties: int | Callable[[], int] | None = None) -> WriteReport:
        """Write every batch, or nothing (see ``GraphStore.write_batches``).

        A write into a store that holds no ties (a first load) goes into a copy of the database
        file and replaces it once complete; a write of many ties into a store that holds ties
        (``rebuilds``) goes into a new database with what the store holds; any other write is
        one transaction (see ``_write_into_copy`` for why). When ``expected_ties`` is known only
        once every batch is given (a function), the batches are kept in Parquet files as they
        come, and written either way then.
        """
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        if not self._opening:
            held = self._tie_count()
            if held == 0:
                return self._write_into_copy(batches)
            if callable(expected_ties):
                return self._write_kept(batches, held, expected_ties)
            if expected_ties is not None and rebuilds(held, expected_ties) and self._rebuildable():
                return self._write_into_copy(batches, rebuild=True)
        report = self._in_transaction(lambda: self._write(batches, _Writer(self._conn)))
        self.written = self.written or not self._opening
        return report

    def _in_transaction(self, write: Callable[[], _T]) -> _T:
        """``write()`` in one transaction, rolled back on any error (the engine's as a ``StoreError``)."""
        self._conn.execute("BEGIN TRANSACTION")
        try:
            done = write()
            self._conn.execute("COMMIT")
        except RuntimeError as exc:  # the engine's errors: a COPY naming a node it lacks, ...
            self._rollback()
            raise self._write_failed(exc) from exc
        except BaseException:
            self._rollback()
            raise
        return done

    def _write(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], writer: _Writer) -> WriteReport:
        report = WriteReport()
        # Each batch is written, or held back, in a call of its own: once it returns, nothing holds
        # the keys read or the last batch, which are freed before the held-back COPYs (the engine's
        # peak). A name left here would keep the last batch, 50,000 ties, and the memory it spans.
        self._write_each(batches, writer, report)
        writer.finish(report)
        return report

    def _write_each(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], writer: _Writer,
                    report: WriteReport) -> None:
        # Written as Arrow tables, never framed: a million ties framed, then filtered, then turned
        # into Arrow tables took several seconds more than the rows turned into Arrow tables.
        known = _KnownKeys(self)
        for batch in batches:
            tables = batch if isinstance(batch, GraphTables) else \
                (batch if isinstance(batch, GraphRows) else batch.rows()).tables()
            for label in NODE_TABLES:  # nodes first: relationships need their ends
                nodes = tables.nodes.get(label)
                if nodes is not None and nodes.num_rows:
                    report.add_nodes(label, self._copy_new_nodes(label, nodes, known, writer))
            ties = tables.rels.get("TWINNED_WITH")
            tie_ids: list[str] = []
            held: list[tuple[str, Any]] = []
            if ties is not None:  # ties held before this batch may gain sources (an id's first row only)
                tie_ids = ties.column("id").to_pylist()
                have, met = known.rels("TWINNED_WITH", None), set()
                for at, tid in enumerate(tie_ids):
                    if tid in have and tid not in met:
                        met.add(tid)
                        held.append((tid, ties.column("sources")[at].as_py()))
            for rel_type, rels in tables.rels.items():
                if rels.num_rows:
                    report.add_rels(rel_type, self._copy_new_rels(
                        rel_type, rels, known, writer, tie_ids if rel_type == "TWINNED_WITH" else None))
            if held:
                report.sources_added += writer.merge_sources(held, known)
            if ties is not None:
                known.note_ties(tie_ids, ties.column("sources"))
            if tables.updates:
                report.updated += self._set_properties(tables.updates, writer)

    def _write_failed(self, exc: Exception) -> StoreError:
        return StoreError(f"writing to {self.path} failed, nothing was written: {engine_message(exc)}")

    def _tie_count(self) -> int:
        result = _single(self._conn.execute("MATCH ()-[t:TWINNED_WITH]->() RETURN count(t)"))
        try:
            return int(_row(result)[0])
        finally:
            result.close()

    def _rebuildable(self) -> bool:
        """Whether the database holds twinlac's tables only, with the columns of its schema, so
        that a new database with the same tables and rows is the same store."""
        tables = _read_columns(self._conn, "CALL show_tables() RETURN name, type")
        if set(tables["name"]) != set(NODE_TABLES) | set(REL_TABLES):
            return False
        for table, columns in [*NODE_TABLES.items(), *((t, props) for t, (_, props) in REL_TABLES.items())]:
            info = _read_columns(self._conn, f"CALL table_info('{table}') RETURN name, type")
            wanted = [(name, kind.replace("BOOLEAN", "BOOL")) for name, kind in columns]  # as the engine says
            if list(zip(info["name"], info["type"], strict=True)) != wanted:
                return False
        return True

    def _write_kept(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], held: int,
                    expected_ties: Callable[[], int]) -> WriteReport:
        """Keep every batch in Parquet files as it comes (a load's check may still be reading the
        rows after it), then, knowing how many ties came, rebuild the database with them
        (``rebuilds``) or COPY them in one transaction."""
        import tempfile

        with tempfile.TemporaryDirectory(prefix="twinlac-write-") as spool:
            kept, report = _SpooledWriter(self._conn, Path(spool)), WriteReport()
            self._write_each(batches, kept, report)
            if rebuilds(held, expected_ties()) and self._rebuildable():
                return self._write_into_copy((), rebuild=True, kept=(kept, report))
            self._in_transaction(lambda: kept.finish(report))
        self.written = True
        return report

    def _write_into_copy(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], rebuild: bool = False, *,
                         kept: tuple[_SpooledWriter, WriteReport] | None = None) -> WriteReport:
        """Write into a copy of the database file (or, with ``rebuild``, into a new database given
        every row the store holds), then put it in the file's place. ``kept``: the batches are in
        Parquet files already (``_write_kept``), and their report so far.

        Why: the engine writes list properties (a tie's ``sources`` and ``themes``) from a
        transaction, or into a table that holds rows, in time growing with the square of the
        rows (a million ties: over a minute), but a COPY into an empty table writes them
        straight to the file (a few seconds). So such a write keeps its batches in Parquet files
        and COPYs each table and pair once: into a copy of the database when it holds no ties,
        else into a new one, after the rows the store holds (exported to Parquet first). The
        new file replaces the old one in one step (``os.replace``). Until then the store is as
        it was: a failure, or a kill, leaves the old file (and a copy that the next writable
        open removes).
        """
        import tempfile

        copy = self.path.with_name(self.path.name + COPY_SUFFIX)
        _remove_database(copy)
        try:
            with tempfile.TemporaryDirectory(prefix="twinlac-write-") as spool:
                if not rebuild:
                    self._conn.execute("CHECKPOINT")  # the whole store in its file, none in the log
                    shutil.copyfile(self.path, copy)
                db = ladybug.Database(str(copy), buffer_pool_size=buffer_pool_bytes())
                conn = ladybug.Connection(db)
                try:
                    writer = _SpooledWriter(conn, Path(spool)) if kept is None else kept[0]
                    writer.conn = conn
                    if rebuild:
                        create_schema(conn)
                        self._export(writer)
                    if kept is None:
                        report = self._write(batches, writer)
                    else:
                        report = kept[1]
                        writer.finish(report)
                    conn.execute("CHECKPOINT")
                finally:
                    conn.close()
                    db.close()
            _sync(copy)
        except (RuntimeError, OSError) as exc:  # the engine's errors; the disk full, ...
            _remove_database(copy)
            raise self._write_failed(exc) from exc
        except BaseException:
            _remove_database(copy)
            raise
        self.close()
        os.replace(copy, self.path)
        _remove_database(copy)  # what the engine kept beside the copy
        _sync(self.path.parent)
        self._reopen()
        self.written = True
        return report

    def _export(self, writer: _SpooledWriter) -> None:
        """Every row the store holds, table by table (and pair by pair), as the first rows ``writer``
        COPYs: a rebuilt database holds them all, with their properties as they are."""
        for label, columns in NODE_TABLES.items():
            values = ", ".join(f"n.{name} AS {name}" for name, _ in columns)
            writer.add(self._conn, label, None, f"MATCH (n:{label}) RETURN {values}")
        for rel_type, (pairs, props) in REL_TABLES.items():
            for a, b in pairs:
                values = ", ".join([f"x.{NODE_TABLES[a][0][0]} AS from_id", f"y.{NODE_TABLES[b][0][0]} AS to_id",
                                    *(f"r.{name} AS {name}" for name, _ in props)])
                writer.add(self._conn, rel_type, (a, b), f"MATCH (x:{a})-[r:{rel_type}]->(y:{b}) RETURN {values}")

    def _rollback(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except RuntimeError:  # a failed statement has already rolled the transaction back
            pass

    def _existing(self, cypher: str) -> dict[str, list[Any]]:
        return _read_columns(self._conn, cypher)

    def _copy_new_nodes(self, label: str, nodes: pa.Table, known: _KnownKeys, writer: _Writer) -> int:
        # Idempotency by anti-join on the primary key (the first row of an id wins), then one
        # bulk COPY: MERGE per row is orders of magnitude slower on large loads.
        new = _first_new(nodes.column("id").to_pylist(), known.nodes(label))
        if new:
            writer.copy(label, nodes if len(new) == nodes.num_rows else nodes.take(new))
        return len(new)

    def _copy_new_rels(self, rel_type: str, rels: pa.Table, known: _KnownKeys, writer: _Writer,
                       ids: list[str] | None = None) -> int:
        """COPY the rows of ``rels`` whose key the store lacks, pair by pair (ties: keyed by their
        own id, ``ids`` when read already, whatever their ends' labels; others by their ends)."""
        import pyarrow.compute as pc

        keyed_by_id = rel_type == "TWINNED_WITH"
        pairs = rels.group_by(["from_label", "to_label"], use_threads=False).aggregate([])
        added = 0
        for pair in sorted(zip(*(pairs.column(end).to_pylist() for end in ("from_label", "to_label")), strict=True)):
            these = rels
            if pairs.num_rows > 1:
                these = rels.filter(pc.and_(pc.equal(rels.column("from_label"), pair[0]),
                                            pc.equal(rels.column("to_label"), pair[1])))
            have = known.rels(rel_type, None if keyed_by_id else pair)
            if keyed_by_id:
                keys: list[Any] = ids if ids is not None and pairs.num_rows == 1 else these.column("id").to_pylist()
            else:
                keys = list(zip(these.column("from_id").to_pylist(), these.column("to_id").to_pylist(), strict=True))
            new = _first_new(keys, have)
            if new:
                these = these if len(new) == these.num_rows else these.take(new)
                writer.copy(rel_type, these.select(_copy_columns(rel_type)), pair)
                added += len(new)
        return added

    def _set_properties(self, updates: list[PropertyUpdate], writer: _Writer) -> int:
        """Set the properties of held nodes and ties; how many were found."""
        found = 0
        for table, names, rows in update_groups(updates):
            allowed = {n for n, _ in (NODE_TABLES[table] if table in NODE_TABLES else REL_TABLES[table][1])}
            unknown = sorted(set(names) - allowed)
            if unknown or "id" in names:
                raise StoreError(f"cannot set {', '.join(unknown or ['id'])} on {table}")
            pattern = f"()-[x:{table}]->()" if table in REL_TABLES else f"(x:{table})"
            sets = ", ".join(f"x.{n} = row.{n}" for n in names)
            found += writer.count(
                f"UNWIND $rows AS row MATCH {pattern} WHERE x.id = row.id SET {sets} RETURN count(x) AS n",
                {"rows": rows},
            )
        return found

    def release_memory(self) -> None:
        """Close the database and open it again: its buffer pool gives back the pages it has read
        (a million ties' columns, read by a load: about 380 MB). Takes some tens of ms."""
        self.close()
        self._reopen()

    def _reopen(self) -> None:
        """Open the database again, as it was opened, after this process closed it. A query may
        have opened it in between, and holds its lock for a moment: wait for it (``RECOVERY_PAUSES``)."""
        for pause in (*RECOVERY_PAUSES, None):
            try:
                self._db = self._database(self.read_only)
                break
            except RuntimeError as exc:
                if pause is None or "lock" not in str(exc).lower():
                    raise
                time.sleep(pause)
        self._conn = ladybug.Connection(self._db)

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        if conn is not None:
            conn.close()
            del self._conn
        if db is not None:
            db.close()
            del self._db


def _copy_columns(rel_type: str) -> list[str]:
    """The columns a relationship table's COPY takes: its ends' ids, then its properties."""
    return ["from_id", "to_id", *(name for name, _ in REL_TABLES[rel_type][1])]


def _first_new(keys: list[Any], have: set[Any]) -> list[int]:
    """Positions of the keys ``have`` lacks, the first of each only; ``have`` gains them."""
    new = []
    for at, key in enumerate(keys):
        if key not in have:
            have.add(key)
            new.append(at)
    return new


def held_by_another_process(path: Path) -> bool:
    """Whether another process holds ``path`` open for writing (the engine's lock on the file).

    Only asked after an open of ``path`` failed: closing the probe releases any lock this
    process holds on the file, and it then holds none.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: cannot tell
        return False
    try:
        with path.open("rb") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.lockf(handle, fcntl.LOCK_UN)
    except OSError:
        return False
    return False


def _columns(result: ladybug.QueryResult) -> dict[str, list[Any]]:
    """Every row of ``result``, column by column, None for null: one Arrow table, each column
    converted at once (fetching a million rows one by one takes seconds)."""
    try:
        table = result.get_as_arrow(0)
        return {name: table.column(name).to_pylist() for name in result.get_column_names()}
    finally:
        result.close()


def _read_columns(conn: ladybug.Connection, cypher: str) -> dict[str, list[Any]]:
    """Every row of a read of the store's own (held keys, its tables), column by column."""
    return _columns(_single(conn.execute(cypher)))


def _tie_sources(conn: ladybug.Connection, only: Container[str] | None = None) -> dict[str, list[str]]:
    """Tie id -> sources of every tie (of ``only``'s), by one scan (``t.id IN $ids`` would scan once per id)."""
    held = _read_columns(conn, "MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id, t.sources AS sources")
    return {i: list(s or []) for i, s in zip(held["id"], held["sources"], strict=True) if only is None or i in only}


#: Sets the sources of ties (rows of id and sources).
_MERGE_SOURCES = "UNWIND $rows AS row MATCH ()-[t:TWINNED_WITH]->() WHERE t.id = row.id SET t.sources = row.sources"


def _sources_gained(current: dict[str, list[str]], incoming: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The ties of ``incoming`` (id, sources) that gain a source over ``current`` (id -> sources, held
    before): their ids and whole new lists, ``current`` updated."""
    updates = []
    for tid, sources in incoming:
        have = current[tid]
        extra = [source for source in (sources or []) if source not in have]
        if extra:
            current[tid] = [*have, *extra]  # a new list: a noted one is a copied frame's
            updates.append({"id": tid, "sources": current[tid]})
    return updates


def _return_freed_memory() -> None:
    """Give back to the system the memory the allocators hold free: Arrow's pool (the Parquet files
    written) and the C heap (glibc's ``malloc_trim``: what Python freed, a load's indexes and the
    keys read). They keep it for later use otherwise, and a write's peak, the engine's COPYs,
    comes after."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _quoted(path: Path) -> str:
    """A file's path as a Cypher string."""
    return "'" + str(path).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _pair_option(pair: tuple[str, str] | None) -> str:
    return f" (from='{pair[0]}', to='{pair[1]}')" if pair else ""


def _remove_database(path: Path) -> None:
    """Delete the database file ``path`` and what the engine keeps beside it."""
    for leftover in (path, *(path.with_name(path.name + s) for s in ENGINE_SUFFIXES)):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _sync(path: Path) -> None:
    """Flush ``path`` (a file, or a folder's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _first_missing(folder: Path) -> Path:
    """The outermost folder of ``folder``'s ancestors (or itself) that does not exist."""
    while not folder.parent.exists():
        folder = folder.parent
    return folder


def _single(result: ladybug.QueryResult | list[ladybug.QueryResult]) -> ladybug.QueryResult:
    """The result of one statement: the engine returns a list only for a text of several."""
    if isinstance(result, list):
        for part in result:
            part.close()
        raise QueryError("run one statement at a time (the text holds several, separated by ';')")
    return result


def _row(result: ladybug.QueryResult) -> list[Any]:
    """The next row, a list (a dict only after ``rows_as_dict()``, never called here)."""
    return cast("list[Any]", result.get_next())



