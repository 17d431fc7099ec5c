"""The server store: Neo4j through the official ``neo4j`` driver.

Start a server with the project's ``docker-compose.yml`` and open it with
``twinlac.open(backend="neo4j", uri="bolt://localhost:7687", auth=("neo4j", "..."))``
or with ``NEO4J_URI``, ``NEO4J_USERNAME`` (``NEO4J_USER`` is read too),
``NEO4J_PASSWORD`` and ``NEO4J_DATABASE`` in the environment.

Writes are streamed: every chunk of at most ``BATCH`` rows of one label or
relationship type is one ``UNWIND`` statement in its own managed transaction.
Each statement is idempotent (``MERGE`` on ids), so the driver may retry a
chunk after a transient error, and a load that failed half-way can be run
again: it adds only what is missing. The server's memory use is bounded by one
chunk, whatever the size of the file.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from twinlac.errors import QueryError, StoreError, TwinlacError
from twinlac.graph.model import NODE_TABLES, REL_TABLES, GraphFrames, GraphRows, GraphTables, reference_frames
from twinlac.graph.store import GraphStore, WriteReport, update_groups

if TYPE_CHECKING:
    import neo4j
    import pandas as pd

#: Rows per statement and per transaction when writing: one chunk is what the server
#: holds in memory for a write, whatever the size of the load.
BATCH = 5_000

#: Party properties the reads filter on (``WHERE x.province = ...``, ``x.side = 'china'``).
PARTY_INDEXES = [(label, prop) for label in ("Locality", "Province") for prop in ("side", "province", "country")]
#: Tie properties the reads and writes look up.
TIE_INDEXES = ["id", "year"]


def schema_statements() -> list[str]:
    """The constraints and indexes a writable Neo4j store makes sure of when it opens.

    A uniqueness constraint on ``id`` for every node label (it is also the
    index ``MERGE`` and ``MATCH ... {id: ...}`` use), range indexes on the party
    properties the named queries filter on, and on the ties' ``id`` and ``year``.
    """
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODE_TABLES
    ]
    statements += [
        f"CREATE INDEX {label.lower()}_{prop} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})"
        for label, prop in PARTY_INDEXES
    ]
    statements += [
        f"CREATE INDEX twinned_with_{prop} IF NOT EXISTS FOR ()-[r:TWINNED_WITH]-() ON (r.{prop})"
        for prop in TIE_INDEXES
    ]
    return statements


def auth_from_environment() -> tuple[str, str] | None:
    """``(user, password)`` from ``NEO4J_USERNAME`` (or ``NEO4J_USER``, default ``neo4j``) and
    ``NEO4J_PASSWORD``; None when no password is set (a server without authentication)."""
    password = os.environ.get("NEO4J_PASSWORD")
    if password is None:
        return None
    user = os.environ.get("NEO4J_USERNAME") or os.environ.get("NEO4J_USER") or "neo4j"
    return user, password


@dataclass(frozen=True)
class Chunk:
    """One write statement and the rows it runs on: one transaction."""

    table: str  # node label or relationship type
    cypher: str
    rows: list[dict[str, Any]]
    #: A relationship chunk's (start label, end label); None for nodes.
    ends: tuple[str, str] | None = None
    #: Whether the chunk sets properties of held nodes or ties (``GraphFrames.updates``).
    updates: bool = False

    @property
    def rels(self) -> bool:
        return self.ends is not None


class _MissingEnds(Exception):
    """Raised inside a transaction function: some relationships name nodes the store lacks."""

    def __init__(self, missing: list[dict[str, Any]], count: int) -> None:
        super().__init__(f"{count} relationship(s) name a node the store does not hold")
        self.missing, self.count = missing, count


class Neo4jStore(GraphStore):
    """A twinlac graph in a Neo4j database (uniqueness constraints on every ``id``).

    Parameters
    ----------
    uri : str, optional
        The server, e.g. ``bolt://localhost:7687`` or ``neo4j://host`` for a
        cluster; default ``$NEO4J_URI``.
    auth : (user, password), optional
        Default: ``auth_from_environment()``.
    database : str, optional
        Default ``$NEO4J_DATABASE``, else the server's default database.
    read_only : bool
        Open without creating the schema or the reference nodes; every query
        runs in a read transaction, so the server itself refuses writes.

    Notes
    -----
    Every session shares one bookmark manager, so a read that follows a write
    sees it, also on a cluster where reads go to another member.
    """

    backend = "neo4j"
    atomic_writes = False

    def __init__(
        self,
        uri: str | None = None,
        auth: tuple[str, str] | None = None,
        *,
        database: str | None = None,
        read_only: bool = False,
    ):
        import neo4j

        self._neo4j = neo4j
        self._driver = None
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise StoreError("no Neo4j address: pass uri= or set NEO4J_URI (e.g. bolt://localhost:7687)")
        if auth is None:
            auth = auth_from_environment()
        self.uri, self.read_only = uri, read_only
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        self._user = auth[0] if isinstance(auth, tuple) else None
        try:
            try:
                self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
                raise StoreError(f"cannot use {uri!r} as a Neo4j address: {exc}") from exc
            self._bookmarks = neo4j.GraphDatabase.bookmark_manager()
            try:
                self._driver.verify_connectivity()
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as exc:
                raise self._error(exc, "connecting") from exc
            if not read_only:
                self._create_schema()
                self.write_frames(reference_frames())
        except BaseException:
            self.close()
            raise

    # -- sessions and errors ---------------------------------------------------
    def _session(self) -> neo4j.Session:
        if self._driver is None:
            raise StoreError(f"the Neo4j store at {self.uri} is closed")
        return self._driver.session(database=self.database, bookmark_manager=self._bookmarks)

    def _error(self, exc: Exception, doing: str, *, query: bool = False, timeout: float | None = None) -> TwinlacError:
        """A driver or server error as one line a user can act on: a ``QueryError`` when the
        user's query is at fault (``query``), else a ``StoreError``."""
        errors = self._neo4j.exceptions
        where = f"Neo4j at {self.uri}" + (f" (database {self.database!r})" if self.database else "")
        if isinstance(exc, errors.AuthError):
            who = f" of user {self._user!r}" if self._user else " (none were given)"
            return StoreError(
                f"{where} refused the credentials{who}: {exc.message}; "
                "set NEO4J_USERNAME and NEO4J_PASSWORD, or pass auth=(user, password)"
            )
        if isinstance(exc, errors.Neo4jError):
            code = exc.code or ""
            if "TransactionTimedOut" in code and timeout:
                return QueryError(f"query stopped after {timeout:g} s ({code}); pass a longer timeout")
            if code.endswith("DatabaseNotFound"):
                return StoreError(f"{where}: no such database ({exc.message}); check NEO4J_DATABASE")
            if isinstance(exc, errors.Forbidden) or ".Security." in code:
                return StoreError(f"{where} refused {doing}: {code}: {exc.message}")
            if query:
                return QueryError(f"{code}: {exc.message}")
            return StoreError(f"{where} failed while {doing}: {code}: {exc.message}")
        if isinstance(exc, (errors.ServiceUnavailable, errors.SessionExpired, OSError)):
            if doing == "connecting":
                return StoreError(
                    f"cannot reach Neo4j at {self.uri}: {exc} "
                    "(is the server running? `docker compose up -d --wait`)"
                )
            return StoreError(f"lost the connection to {where} while {doing}: {exc}")
        return StoreError(f"{where} failed while {doing}: {type(exc).__name__}: {exc}")

    def _create_schema(self) -> None:
        errors = self._neo4j.exceptions
        with self._session() as session:
            for statement in schema_statements():
                try:
                    # A schema command runs alone in its transaction, sent to the writer.
                    session.execute_write(_run_alone, statement)
                except (errors.Neo4jError, errors.DriverError) as exc:
                    raise self._error(exc, "creating the constraints and indexes") from exc

    # -- queries -------------------------------------------------------------
    def _run(
        self, cypher: str, params: dict[str, Any], *, write: bool, max_rows: int | None, timeout: float | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        if write and self.read_only:
            raise QueryError(f"the Neo4j store at {self.uri} is open read-only")
        errors = self._neo4j.exceptions

        # In a transaction function the timeout is the unit of work's (a Query object
        # is for auto-commit runs only; ManagedTransaction.run takes the text).
        @self._neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]], bool]:
            result = tx.run(cypher, params)
            columns = list(result.keys())
            rows: list[list[Any]] = []
            for record in result:
                if max_rows is not None and len(rows) >= max_rows:
                    return columns, rows, True
                rows.append([_plain(v) for v in record.values()])
            return columns, rows, False

        try:
            with self._session() as session:
                # A read transaction makes the server refuse writes, whatever the text says.
                return (session.execute_write if write else session.execute_read)(work)
        except (errors.Neo4jError, errors.DriverError) as exc:
            raise self._error(exc, "running the query", query=True, timeout=timeout) from exc

    # -- writes ------------------------------------------------------------
    def write_batches(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], *,
                      expected_ties: int | Callable[[], int] | None = None) -> WriteReport:
        """Write each batch as it comes, chunk by chunk: one transaction per chunk.

        Not all or nothing: when a chunk fails, the chunks before it stay
        written and a ``StoreError`` says so; writing the same batches again is
        safe and adds only what is missing. A relationship whose end the store
        does not hold fails its chunk (nothing of that chunk is written).
        """
        if self.read_only:
            raise StoreError(f"the Neo4j store at {self.uri} is open read-only")
        errors = self._neo4j.exceptions
        report = WriteReport()
        committed = 0
        with self._session() as session:
            for batch in batches:
                for chunk in write_chunks(batch if isinstance(batch, GraphFrames) else batch.frames()):
                    try:
                        counts = session.execute_write(_chunk_work(chunk))
                    except _MissingEnds as exc:
                        shown = ", ".join(f"{m['from_id']} -> {m['to_id']}" for m in exc.missing)
                        raise StoreError(
                            f"{exc.count} {chunk.table} relationship(s) name a node the store does not hold "
                            f"(e.g. {shown}); that chunk was not written"
                            + _committed_note(committed)
                        ) from exc
                    except (errors.Neo4jError, errors.DriverError) as exc:
                        error = self._error(exc, f"writing {chunk.table} rows")
                        raise StoreError(str(error) + _committed_note(committed)) from exc
                    # Counted once the chunk is committed: a retried attempt is not counted twice.
                    committed += len(chunk.rows)
                    if chunk.updates:
                        report.updated += counts.get("matched", 0)
                    elif chunk.rels:
                        report.add_rels(chunk.table, counts["added"])
                        report.sources_added += counts.get("sources_added", 0)
                    else:
                        report.add_nodes(chunk.table, counts["added"])
        return report

    def close(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            self._driver = None
            driver.close()


def _run_alone(tx: neo4j.ManagedTransaction, statement: str) -> None:
    """The transaction function of a statement that runs alone in its transaction."""
    tx.run(statement).consume()


def _committed_note(committed: int) -> str:
    if not committed:
        return "; nothing was written"
    return (f"; {committed} rows written before it stay (one transaction per chunk of up to {BATCH}); "
            "writing again is safe: it adds only what is missing")


# -- the write statements --------------------------------------------------------

def node_statement(label: str) -> str:
    """Create the nodes of ``$rows`` the store lacks (keyed by ``id``); returns how many."""
    return (
        f"UNWIND $rows AS row "
        f"OPTIONAL MATCH (held:{label} {{id: row.id}}) "
        f"WITH row, held IS NULL AS new "
        f"MERGE (n:{label} {{id: row.id}}) ON CREATE SET n += row "
        f"RETURN count(n) AS matched, count(CASE WHEN new THEN 1 END) AS added"
    )


def rel_statement(rel_type: str, from_label: str, to_label: str) -> str:
    """Create the relationships of ``$rows`` the store lacks; a tie already held gains the
    ``sources`` it lacks. Returns ``matched`` (rows whose two ends exist), ``added``
    and, for ties, ``sources_added``."""
    ends = (f"UNWIND $rows AS row "
            f"MATCH (a:{from_label} {{id: row.from_id}}) "
            f"MATCH (b:{to_label} {{id: row.to_id}}) ")
    if "id" not in _props(rel_type):  # structural: keyed by its two ends
        return (ends +
                f"OPTIONAL MATCH (a)-[held:{rel_type}]->(b) "
                f"WITH a, b, count(held) = 0 AS new "
                f"MERGE (a)-[r:{rel_type}]->(b) "
                f"RETURN count(r) AS matched, count(CASE WHEN new THEN 1 END) AS added")
    return (ends +
            f"OPTIONAL MATCH (a)-[held:{rel_type} {{id: row.id}}]->(b) "
            f"WITH a, b, row, held, "
            f"[s IN coalesce(row.props.sources, []) WHERE NOT s IN coalesce(held.sources, [])] AS extra "
            f"MERGE (a)-[r:{rel_type} {{id: row.id}}]->(b) ON CREATE SET r += row.props "
            # Only a tie held before this statement gains sources (a new one has them all).
            f"FOREACH (_ IN CASE WHEN held IS NOT NULL AND size(extra) > 0 THEN [1] ELSE [] END | "
            f"SET r.sources = coalesce(r.sources, []) + extra) "
            f"RETURN count(r) AS matched, count(CASE WHEN held IS NULL THEN 1 END) AS added, "
            f"count(CASE WHEN held IS NOT NULL AND size(extra) > 0 THEN 1 END) AS sources_added")


def update_statement(table: str) -> str:
    """Set ``row.props`` on the held node (a label) or tie (``TWINNED_WITH``) of each row's id;
    returns how many were found (``matched``)."""
    if table in REL_TABLES:
        return (f"UNWIND $rows AS row MATCH ()-[t:{table} {{id: row.id}}]->() "
                f"SET t += row.props RETURN count(t) AS matched")
    return f"UNWIND $rows AS row MATCH (n:{table} {{id: row.id}}) SET n += row.props RETURN count(n) AS matched"


def missing_ends_statement(from_label: str, to_label: str) -> str:
    """Up to three rows of ``$rows`` whose start or end node the store lacks."""
    return (f"UNWIND $rows AS row "
            f"OPTIONAL MATCH (a:{from_label} {{id: row.from_id}}) "
            f"OPTIONAL MATCH (b:{to_label} {{id: row.to_id}}) "
            f"WITH row, a, b WHERE a IS NULL OR b IS NULL "
            f"RETURN row.from_id AS from_id, row.to_id AS to_id LIMIT 3")


def write_chunks(frames: GraphFrames, batch: int | None = None) -> Iterator[Chunk]:
    """The statements that write ``frames``: nodes first, then relationships, each in
    chunks of at most ``batch`` rows (default ``BATCH``)."""
    batch = batch or BATCH
    for label in NODE_TABLES:
        frame = frames.nodes.get(label)
        if frame is not None and not frame.empty:
            rows = _records(frame)
            for start in range(0, len(rows), batch):
                yield Chunk(label, node_statement(label), rows[start:start + batch])
    for rel_type, frame in frames.rels.items():
        if frame.empty:
            continue
        props = _props(rel_type)
        for (from_label, to_label), group in frame.groupby(["from_label", "to_label"], sort=True):
            a, b = str(from_label), str(to_label)  # node labels; pandas types group keys as Hashable
            records = _records(group)
            rows = [{"from_id": r["from_id"], "to_id": r["to_id"],
                     **({"id": r["id"], "props": {p: r[p] for p in props}} if props else {})}
                    for r in records]
            for start in range(0, len(rows), batch):
                yield Chunk(rel_type, rel_statement(rel_type, a, b), rows[start:start + batch], ends=(a, b))
    for table, names, grouped in update_groups(frames.updates):  # after the rows they may name
        allowed = {n for n, _ in (NODE_TABLES[table] if table in NODE_TABLES else REL_TABLES[table][1])}
        if "id" in names or not set(names) <= allowed:
            raise StoreError(f"cannot set {', '.join(sorted(set(names) - allowed) or ['id'])} on {table}")
        rows = [{"id": row["id"], "props": {n: _value(row[n]) for n in names}} for row in grouped]
        for start in range(0, len(rows), batch):
            yield Chunk(table, update_statement(table), rows[start:start + batch], updates=True)


def _chunk_work(chunk: Chunk) -> Callable[[neo4j.ManagedTransaction], dict[str, int]]:
    """The transaction function of one chunk: it raises (and so rolls back) when some
    relationship's ends are missing."""

    def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
        record = tx.run(chunk.cypher, rows=chunk.rows).single()
        if record is None:
            if chunk.updates:  # nothing held to update
                return {"matched": 0}
            raise StoreError(f"writing {chunk.table} rows: the statement returned no counts")
        counts = {key: int(record[key] or 0) for key in record.keys()}  # noqa: SIM118 - a Record iterates its values
        if chunk.ends is not None and counts["matched"] < len(chunk.rows):
            missing = [dict(r) for r in tx.run(missing_ends_statement(*chunk.ends), rows=chunk.rows)]
            raise _MissingEnds(missing, len(chunk.rows) - counts["matched"])
        return counts

    return work


def _props(rel_type: str) -> list[str]:
    return [name for name, _ in REL_TABLES[rel_type][1]]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values: numpy scalars unwrapped, NaN and NA as None."""
    # The columns are property names (str); pandas-stubs types record keys as Hashable.
    records = cast(list[dict[str, Any]], frame.to_dict("records"))
    return [{k: _value(v) for k, v in row.items()} for row in records]


def _value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()  # numpy scalars and arrays
        if isinstance(value, list):
            return [_value(v) for v in value]
    if value is None:
        return None
    import pandas as pd  # written values come from frames: pandas is loaded

    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _plain(value: Any) -> Any:
    """Neo4j graph objects as plain dicts, like the embedded store returns them."""
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return dict(value.items())
    return value
