"""The server store: Neo4j through the official ``neo4j`` driver.

Start a server with the project's ``docker-compose.yml`` and open it with
``twinlac.open(backend="neo4j", uri="bolt://localhost:7687", auth=("neo4j", "..."))``
or ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` in the environment.
"""

from __future__ import annotations

import os

import pandas as pd

from twinlac.errors import QueryError, StoreError
from twinlac.graph.model import NODE_TABLES, REL_TABLES, GraphFrames, reference_frames
from twinlac.graph.store import GraphStore, WriteReport

# Rows per UNWIND batch: large enough to amortise round trips, small enough for the heap.
BATCH = 5_000


class Neo4jStore(GraphStore):
    """A twinlac graph in a Neo4j database (uniqueness constraints on every ``id``)."""

    backend = "neo4j"

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
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise StoreError("no Neo4j address: pass uri= or set NEO4J_URI (e.g. bolt://localhost:7687)")
        if auth is None:
            auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "twinlac-password"))
        self.uri, self.database, self.read_only = uri, database or os.environ.get("NEO4J_DATABASE"), read_only
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            self._driver.verify_connectivity()
        except Exception as exc:  # the driver raises several unrelated types here
            raise StoreError(f"cannot reach Neo4j at {uri}: {exc}") from exc
        if not read_only:
            with self._driver.session(database=self.database) as session:
                for label in NODE_TABLES:
                    session.run(
                        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
                        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                    ).consume()
            self.write_frames(reference_frames())

    def _run(self, cypher, params, *, write, max_rows, timeout):
        if write and self.read_only:
            raise QueryError(f"the Neo4j store at {self.uri} is open read-only")
        # In a transaction function the timeout is the unit of work's (a Query object
        # is for auto-commit runs only; ManagedTransaction.run takes the text).
        @self._neo4j.unit_of_work(timeout=timeout)
        def work(tx):
            result = tx.run(cypher, params)
            columns = list(result.keys())
            rows = []
            for record in result:
                if max_rows is not None and len(rows) >= max_rows:
                    return columns, rows, True
                rows.append([_plain(v) for v in record.values()])
            return columns, rows, False

        try:
            with self._driver.session(database=self.database) as session:
                # A read transaction makes the server refuse writes, whatever the text says.
                return (session.execute_write if write else session.execute_read)(work)
        except self._neo4j.exceptions.Neo4jError as exc:
            raise QueryError(f"{exc.code}: {exc.message}") from exc

    def write_batches(self, batches) -> WriteReport:
        if self.read_only:
            raise StoreError(f"the Neo4j store at {self.uri} is open read-only")
        report = WriteReport()
        batches = list(batches)  # a retried transaction function must see them again

        def work(tx):
            report.nodes.clear(), report.rels.clear()
            report.sources_added = 0
            for frames in batches:
                _write(tx, frames, report)

        with self._driver.session(database=self.database) as session:
            session.execute_write(work)  # one transaction: all or nothing
        return report

    def close(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            driver.close()
            self._driver = None


def _write(tx, frames: GraphFrames, report: WriteReport) -> None:
    """One batch, inside the caller's transaction (MERGE keeps it idempotent)."""
    for label in NODE_TABLES:
        frame = frames.nodes.get(label)
        if frame is not None and not frame.empty:
            report.add_nodes(label, _unwind(
                tx, f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
                "ON CREATE SET n += row, n._new = true "
                "WITH n WHERE n._new REMOVE n._new RETURN count(n) AS added",
                frame,
            ))
    for rel_type, frame in frames.rels.items():
        props = [name for name, _ in REL_TABLES[rel_type][1]]
        key = "{id: row.id}" if "id" in props else ""
        frame = frame.astype(object).where(frame.notna(), None)
        for (a, b), group in frame.groupby(["from_label", "to_label"], sort=True):
            # ON MATCH: a tie already held gains the sources it lacks.
            on_match = ("ON MATCH SET r.sources = coalesce(r.sources, []) + "
                        "[s IN row.props.sources WHERE NOT s IN coalesce(r.sources, [])] ") if key else ""
            report.add_rels(rel_type, _unwind(
                tx, f"UNWIND $rows AS row MATCH (a:{a} {{id: row.from_id}}) "
                f"MATCH (b:{b} {{id: row.to_id}}) MERGE (a)-[r:{rel_type} {key}]->(b) "
                "ON CREATE SET r += row.props, r._new = true " + on_match +
                "WITH r WHERE r._new REMOVE r._new RETURN count(r) AS added",
                pd.DataFrame({
                    "from_id": group["from_id"], "to_id": group["to_id"],
                    "props": group[props].to_dict("records") if props else [{}] * len(group),
                }),
            ))


def _unwind(tx, cypher: str, frame: pd.DataFrame) -> int:
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    added = 0
    for start in range(0, len(records), BATCH):
        added += tx.run(cypher, rows=records[start:start + BATCH]).single()["added"]
    return added


def _plain(value):
    """Neo4j graph objects as plain dicts, like the embedded store returns them."""
    if hasattr(value, "items") and hasattr(value, "element_id"):
        return dict(value.items())
    return value
