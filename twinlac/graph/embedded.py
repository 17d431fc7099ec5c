"""The default store: LadybugDB, an embedded Cypher database in one file on disk."""

from __future__ import annotations

from pathlib import Path

import ladybug
import pandas as pd

from twinlac.errors import QueryError, StoreError
from twinlac.graph.model import NODE_TABLES, REL_TABLES, GraphFrames, reference_frames
from twinlac.graph.store import GraphStore, WriteReport


def node_table_ddl(label: str) -> str:
    columns = NODE_TABLES[label]
    props = ", ".join(f"{name} {kind}" for name, kind in columns)
    return f"CREATE NODE TABLE IF NOT EXISTS {label}({props}, PRIMARY KEY ({columns[0][0]}))"


def rel_table_ddl(rel_type: str) -> str:
    pairs, props = REL_TABLES[rel_type]
    parts = [f"FROM {a} TO {b}" for a, b in pairs] + [f"{name} {kind}" for name, kind in props]
    return f"CREATE REL TABLE IF NOT EXISTS {rel_type}({', '.join(parts)})"


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
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(str(self.path), read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        if not read_only:
            self._ensure_schema()
            self.write_frames(reference_frames())

    def _ensure_schema(self) -> None:
        for label in NODE_TABLES:
            self._conn.execute(node_table_ddl(label))
        for rel_type in REL_TABLES:
            self._conn.execute(rel_table_ddl(rel_type))

    def _run(self, cypher, params, *, write, max_rows, timeout):
        if write and self.read_only:
            raise QueryError(f"{self.path} is open read-only; open it writable to run a write query")
        self._conn.set_query_timeout(int(timeout * 1000) if timeout else 0)
        try:
            result = self._conn.execute(cypher, params)
        except RuntimeError as exc:
            message = str(exc).splitlines()[0]
            if "interrupted" in message.lower() or "timeout" in message.lower():
                message = f"query stopped after {timeout:g} s ({message}); pass a longer timeout"
            raise QueryError(message) from exc
        finally:
            self._conn.set_query_timeout(0)
        if isinstance(result, list):
            for part in result:
                part.close()
            raise QueryError("run one statement at a time (the text holds several, separated by ';')")
        try:
            columns = result.get_column_names()
            rows = []
            while result.has_next():
                if max_rows is not None and len(rows) >= max_rows:
                    return columns, rows, True
                rows.append(result.get_next())
            return columns, rows, False
        finally:
            result.close()

    def write_frames(self, frames: GraphFrames) -> WriteReport:
        if self.read_only:
            raise StoreError(f"{self.path} is open read-only")
        report = WriteReport()
        self._conn.execute("BEGIN TRANSACTION")
        try:
            for label in NODE_TABLES:  # nodes first: relationships need their ends
                frame = frames.nodes.get(label)
                if frame is not None and not frame.empty:
                    report.nodes[label] = self._copy_new_nodes(label, frame)
            for rel_type, frame in frames.rels.items():
                if not frame.empty:
                    report.rels[rel_type] = self._copy_new_rels(rel_type, frame)
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return report

    def _existing(self, cypher: str) -> pd.DataFrame:
        return self.query(cypher, max_rows=None, timeout=None)

    def _copy_new_nodes(self, label: str, frame: pd.DataFrame) -> int:
        # Idempotency by anti-join on the primary key, then one bulk COPY:
        # MERGE per row is orders of magnitude slower on large loads.
        have = set(self._existing(f"MATCH (n:{label}) RETURN n.id AS id")["id"])
        new = frame[~frame["id"].isin(have)]
        if not new.empty:
            self._conn.execute(f"COPY {label} FROM $frame", {"frame": _copyable(new)})
        return len(new)

    def _copy_new_rels(self, rel_type: str, frame: pd.DataFrame) -> int:
        props = [name for name, _ in REL_TABLES[rel_type][1]]
        added = 0
        if "id" in props:  # ties: keyed by their own id, whatever their ends' labels
            have_ids = set(self._existing(f"MATCH ()-[r:{rel_type}]->() RETURN r.id AS id")["id"])
        for (from_label, to_label), group in frame.groupby(["from_label", "to_label"], sort=True):
            if "id" in props:
                new = group[~group["id"].isin(have_ids)]
            else:
                have = self._existing(
                    f"MATCH (a:{from_label})-[r:{rel_type}]->(b:{to_label}) RETURN a.id AS from_id, b.id AS to_id"
                )
                keys = set(zip(have["from_id"], have["to_id"]))
                new = group[[k not in keys for k in zip(group["from_id"], group["to_id"])]]
            if new.empty:
                continue
            copy = _copyable(new[["from_id", "to_id", *props]])
            # A table with several FROM/TO pairs needs the pair named in the COPY.
            self._conn.execute(
                f"COPY {rel_type} FROM $frame (from='{from_label}', to='{to_label}')", {"frame": copy}
            )
            added += len(new)
        return added

    def close(self) -> None:
        conn, db = getattr(self, "_conn", None), getattr(self, "_db", None)
        if conn is not None:
            conn.close()
            self._conn = None
        if db is not None:
            db.close()
            self._db = None


def _copyable(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with plain Python objects: ladybug 0.22's DataFrame scan rejects
    pandas' nullable and Arrow-backed dtypes (an internal assertion fails)."""
    frame = frame.reset_index(drop=True).astype(object)
    return frame.where(frame.notna(), None) if not frame.empty else frame
