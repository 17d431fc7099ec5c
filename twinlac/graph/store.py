"""The store interface: what every backend (embedded LadybugDB, Neo4j) provides.

A store runs Cypher and returns DataFrames, writes ``GraphFrames`` idempotently
and all-or-nothing, and hands the twinning network to networkx.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from twinlac.graph.cypher import check_access, check_bounded, check_parameters
from twinlac.graph.model import NODE_TABLES, REL_TABLES, GraphFrames, GraphRows, GraphTables, PropertyUpdate
from twinlac.graph.vocabulary import SCOPES

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "GraphFrames", "GraphStore", "PropertyUpdate", "QueryRows",
           "WriteReport", "rows_frame", "update_groups"]

#: Rows a query returns unless told otherwise (``max_rows=None`` lifts the limit).
DEFAULT_MAX_ROWS = 10_000
#: Seconds a query may run unless told otherwise.
DEFAULT_TIMEOUT = 60.0

TIE_PROPERTIES = [name for name, _ in REL_TABLES["TWINNED_WITH"][1]]


@dataclass
class WriteReport:
    """What a write added: new rows per node label and relationship type."""

    nodes: dict[str, int] = field(default_factory=dict)
    rels: dict[str, int] = field(default_factory=dict)
    #: Ties already held that gained a source from this write.
    sources_added: int = 0
    #: Nodes and ties already held whose properties an update set (``GraphFrames.updates``).
    updated: int = 0

    @property
    def ties(self) -> int:
        return self.rels.get("TWINNED_WITH", 0)

    def add_nodes(self, label: str, count: int) -> None:
        self.nodes[label] = self.nodes.get(label, 0) + count

    def add_rels(self, rel_type: str, count: int) -> None:
        self.rels[rel_type] = self.rels.get(rel_type, 0) + count


@dataclass(frozen=True)
class QueryRows:
    """A query's result as plain Python rows, without pandas (``GraphStore.query_rows``).

    ``truncated`` says whether the row limit left rows out.

    >>> result = QueryRows(["name", "year"], [("Wuxi", 2005), ("Salta", None)])
    >>> result.columns, result.rows[0], result.truncated
    (['name', 'year'], ('Wuxi', 2005), False)
    """

    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = False


def rows_frame(result: QueryRows) -> pd.DataFrame:
    """The DataFrame ``GraphStore.query`` returns for these rows: an integer column with
    nulls stays integer (``Int64``), ``attrs["truncated"]`` is set."""
    import pandas as pd  # here, not at the top: `twinlac query` prints rows without pandas

    rows, columns = result.rows, result.columns
    frame = pd.DataFrame(rows, columns=columns)
    for index, column in enumerate(columns):
        # An integer column with nulls would become float (1988.0): keep it integer.
        values = [row[index] for row in rows if row[index] is not None]
        if len(values) < len(rows) and values and all(type(v) is int for v in values):
            frame[column] = pd.array([row[index] for row in rows], dtype="Int64")
    frame.attrs["truncated"] = result.truncated
    return frame


def _checked(cypher: str, params: dict[str, Any], *, write: bool, allow_files: bool) -> dict[str, Any]:
    """``params``, once ``cypher`` passes the checks every query passes (see ``GraphStore.query``)."""
    check_parameters(cypher, params)
    check_bounded(cypher)
    check_access(cypher, write=write, allow_files=allow_files)
    return params


def update_groups(updates: Iterable[PropertyUpdate]) -> list[tuple[str, list[str], list[dict[str, Any]]]]:
    """Updates grouped for writing: (table, sorted property names, rows of ``id`` and those
    properties), one group per table and set of properties; a later update of the same
    node or tie and property wins.

    >>> update_groups([PropertyUpdate("TWINNED_WITH", "a~b", {"year": 2005})])
    [('TWINNED_WITH', ['year'], [{'id': 'a~b', 'year': 2005}])]
    """
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for update in updates:
        if update.table not in NODE_TABLES and update.table not in REL_TABLES:
            raise ValueError(f"unknown table {update.table!r} in a property update")
        merged.setdefault((update.table, update.id), {}).update(update.props)
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for (table, key), props in merged.items():
        groups.setdefault((table, tuple(sorted(props))), []).append({"id": key, **props})
    return [(table, list(names), rows) for (table, names), rows in sorted(groups.items())]


class GraphStore(ABC):
    """A twinlac graph in some database. Use ``twinlac.open()`` to get one."""

    backend: str = "abstract"
    #: Whether ``write_batches`` is all or nothing over every batch (the embedded store),
    #: or commits chunk by chunk (Neo4j: a failed write keeps the chunks before it, and
    #: writing the same batches again adds only what is missing).
    atomic_writes: bool = True

    # -- queries -------------------------------------------------------------
    def query(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        max_rows: int | None = DEFAULT_MAX_ROWS,
        timeout: float | None = DEFAULT_TIMEOUT,
        allow_files: bool = False,
        **kwparams: Any,
    ) -> pd.DataFrame:
        """Run one Cypher statement and return its rows as a DataFrame.

        Parameters are given as a dict, as keyword arguments, or both. A query
        that uses a ``$param`` not supplied, or that has an unbounded
        variable-length pattern, is refused before it runs; so is a query that
        is not a read unless ``write=True``, and one that reaches files or the
        network unless ``allow_files=True`` (``cypher.check_access``). At most ``max_rows`` rows are returned
        (``df.attrs["truncated"]`` says whether more were left), and the query
        is stopped after ``timeout`` seconds.

        Example
        -------
        >>> store.query("MATCH (p:Province {name: $name}) RETURN p.id AS id", name="Jiangsu")  # doctest: +SKIP
              id
        0  CN-JS
        """
        return rows_frame(self.query_rows(cypher, params, write=write, max_rows=max_rows, timeout=timeout,
                                          allow_files=allow_files, **kwparams))

    def query_rows(
        self,
        cypher: str,
        params: dict[str, Any] | None = None,
        *,
        write: bool = False,
        max_rows: int | None = DEFAULT_MAX_ROWS,
        timeout: float | None = DEFAULT_TIMEOUT,
        allow_files: bool = False,
        **kwparams: Any,
    ) -> QueryRows:
        """Run one Cypher statement, as ``query`` does (the same checks, row limit and timeout),
        and return its rows as plain Python tuples: no pandas is imported.

        Example
        -------
        >>> store.query_rows("MATCH (p:Province {name: $name}) RETURN p.id AS id", name="Jiangsu")  # doctest: +SKIP
        QueryRows(columns=['id'], rows=[('CN-JS',)], truncated=False)
        """
        params = _checked(cypher, {**(params or {}), **kwparams}, write=write, allow_files=allow_files)
        columns, rows, truncated = self._run(cypher, params, write=write, max_rows=max_rows, timeout=timeout)
        return QueryRows(list(columns), [tuple(row) for row in rows], truncated)

    def query_columns(self, cypher: str, params: dict[str, Any] | None = None, *, timeout: float | None = None,
                      **kwparams: Any) -> dict[str, list[Any]]:
        """Run one read statement, with ``query``'s checks, and return all its rows column by
        column: ``{column: [values]}``, None for null. For reading whole tables (a load reads
        what the store holds): the embedded store fetches each column at once, not row by row.

        Example
        -------
        >>> store.query_columns("MATCH (p:Province) WHERE p.id = 'CN-JS' RETURN p.id AS id")  # doctest: +SKIP
        {'id': ['CN-JS']}
        """
        params = _checked(cypher, {**(params or {}), **kwparams}, write=False, allow_files=False)
        return self._run_columns(cypher, params, timeout=timeout)

    @abstractmethod
    def _run(
        self, cypher: str, params: dict[str, Any], *, write: bool, max_rows: int | None, timeout: float | None
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Run a checked query: (column names, rows, whether rows were left out)."""

    def _run_columns(self, cypher: str, params: dict[str, Any], *, timeout: float | None) -> dict[str, list[Any]]:
        """Run a checked read: every row, column by column (a store may fetch columns faster)."""
        columns, rows, _ = self._run(cypher, params, write=False, max_rows=None, timeout=timeout)
        return {column: [row[index] for row in rows] for index, column in enumerate(columns)}

    # -- writes ------------------------------------------------------------
    def write_frames(self, frames: GraphFrames) -> WriteReport:
        """Write the rows the store does not hold yet (see ``write_batches``)."""
        return self.write_batches([frames])

    @abstractmethod
    def write_batches(self, batches: Iterable[GraphFrames | GraphRows | GraphTables], *,
                      expected_ties: int | Callable[[], int] | None = None) -> WriteReport:
        """Write batches as they come (the iterable is consumed once, lazily), each given as
        frames, as rows (``GraphRows``) or as Arrow tables (``GraphTables``).

        Rows whose key the store holds are skipped (nodes by ``id``, ties by
        ``id``, structural relationships by their two ends); a tie already held
        gains the incoming ``sources`` it lacks, and ``sources_added`` counts
        those ties. A relationship whose end the store does not hold is an
        error (``StoreError``). Each batch's ``updates`` are then set on the
        nodes and ties they name (``updated`` counts those found). With
        ``atomic_writes`` the whole write is all of it, or (on any error) none
        (the embedded store: one transaction, or a copy of the database that
        replaces its file); without, each chunk is its own transaction and writing
        again completes a failed write. ``expected_ties``, the number of tie rows
        the batches hold when the caller knows it, lets a store choose how to write;
        a function when it is known only once every batch has been given (it is
        called then).
        """

    # -- reading the graph -------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Number of nodes per label and of relationships per type."""
        result = {}  # plain rows: `twinlac info` prints these without loading pandas
        for label in NODE_TABLES:
            result[label] = int(self.query_rows(f"MATCH (n:{label}) RETURN count(n) AS n").rows[0][0])
        for rel_type in REL_TABLES:
            result[rel_type] = int(self.query_rows(f"MATCH ()-[r:{rel_type}]->() RETURN count(r) AS n").rows[0][0])
        return result

    def ties(self) -> pd.DataFrame:
        """Every twinning tie: Chinese party id ``a``, LAC party id ``b`` and the tie's properties."""
        props = ", ".join(f"t.{p} AS {p}" for p in TIE_PROPERTIES)
        # ORDER BY the tie id: graphs built from two stores are then identical.
        return self.query(
            f"MATCH (a)-[t:TWINNED_WITH]->(b) RETURN a.id AS a, b.id AS b, {props} ORDER BY id",
            max_rows=None,
        )

    def parties(self) -> pd.DataFrame:
        """Every Locality and Province, with country and region names, indexed by id."""
        localities = self.query(
            "MATCH (x:Locality) RETURN x.id AS id, 'Locality' AS label, x.name AS name, "
            "x.name_zh AS name_zh, x.level AS level, x.side AS side, x.province AS province, "
            "x.country AS country, x.lat AS lat, x.lon AS lon",
            max_rows=None,
        )
        provinces = self.query(
            "MATCH (x:Province) RETURN x.id AS id, 'Province' AS label, x.name AS name, "
            "x.name_zh AS name_zh, x.level AS level, x.side AS side, x.province AS province, "
            "x.country AS country, x.lat AS lat, x.lon AS lon, x.nbs_region AS nbs_region, "
            "x.coastal AS coastal",
            max_rows=None,
        )
        countries = self.query(
            "MATCH (c:Country) RETURN c.id AS country, c.name AS country_name, c.subregion AS subregion",
            max_rows=None,
        )
        province_info = provinces[["id", "name", "nbs_region", "coastal"]].rename(
            columns={"id": "province", "name": "province_name"}
        )
        import pandas as pd

        frame = pd.concat([localities, provinces.drop(columns=["nbs_region", "coastal"])], ignore_index=True)
        frame = frame.merge(province_info, on="province", how="left").merge(countries, on="country", how="left")
        china = frame["side"] == "china"
        frame["region"] = frame["nbs_region"].where(china, frame["subregion"])
        frame["coastal"] = frame["coastal"].where(china, None)
        frame = frame.drop(columns=["nbs_region", "subregion"]).set_index("id").sort_index()
        return frame.astype(object).where(frame.notna(), None)

    def to_networkx(
        self,
        *,
        evidence: Iterable[str] | None = None,
        as_of: int | None = None,
        scope: str = "china-lac",
    ) -> nx.Graph:
        """The twinning network as an undirected networkx graph.

        Nodes are the parties that take part in at least one tie kept by the
        filters (Localities and Provinces, keyed by id, with ``label, name,
        name_zh, level, side, province, province_name, country, country_name,
        region, coastal, lat, lon``); edges are ties with their properties.

        ``scope="china-lac"`` (default) keeps only ties between a Chinese and a
        LAC party; ``scope="all"`` keeps every tie the store holds (files may hold
        the whole world). ``evidence`` keeps only ties with one of the given grades; ``as_of``
        keeps only ties signed in or before that year (ties without a year are
        left out then). ``graph.graph["ties_left_out"]`` counts what the filters
        removed (``graph.graph["ties_left_out_by"]``: per filter, ``scope``,
        ``evidence``, ``as_of``, each counted after the ones before), and
        ``graph.graph["ties_without_year"]`` those dropped for lack of a year.
        ``graph.graph["china_provinces"]`` maps every Chinese first-level division,
        tied or not, to its ``name``, ``region`` (NBS) and ``coastal`` flag, so
        that measures over provinces can count those with no tie.

        Example
        -------
        >>> G = store.to_networkx(evidence=["official", "press"])  # doctest: +SKIP
        >>> G.graph["ties_left_out"]  # doctest: +SKIP
        61
        """
        if scope not in SCOPES:
            raise ValueError(f"unknown scope {scope!r}: use {' or '.join(map(repr, SCOPES))}")
        ties = self.ties()
        parties = self.parties()
        total = len(ties)
        without_year = 0
        left_out = {}  # filter -> ties it removed (each filter applied after the ones before)
        if scope == "china-lac":
            side = parties["side"]
            kept = ties[(ties["a"].map(side) == "china") & (ties["b"].map(side) == "lac")]
            left_out["scope"], ties = len(ties) - len(kept), kept
        if evidence is not None:
            grades = set(evidence)
            kept = ties[ties["evidence"].isin(grades)]
            left_out["evidence"], ties = len(ties) - len(kept), kept
        if as_of is not None:
            has_year = ties["year"].notna()
            without_year = int((~has_year).sum())
            kept = ties[has_year & (ties["year"].astype("float") <= as_of)]
            left_out["as_of"], ties = len(ties) - len(kept), kept
        china = parties[(parties["label"] == "Province") & (parties["side"] == "china")]
        import networkx as nx  # here, not at the top: commands that only query never need it

        graph = nx.Graph(
            ties_total=total, ties_left_out=total - len(ties), ties_left_out_by=left_out,
            ties_without_year=without_year,
            evidence=sorted(evidence) if evidence is not None else None, as_of=as_of, scope=scope,
            china_provinces={  # to_dict, not iterrows: iterrows turns None into NaN
                pid: {"name": row["name"], "region": row["region"], "coastal": row["coastal"]}
                for pid, row in china.to_dict("index").items()
            },
        )
        used = sorted(set(ties["a"]) | set(ties["b"]))
        attributes = parties.to_dict("index")
        for node_id in used:
            graph.add_node(node_id, **{str(k): v for k, v in attributes[node_id].items()})
        for record in ties.to_dict("records"):
            a, b = record.pop("a"), record.pop("b")
            row = {str(k): (None if _is_missing(v) else v) for k, v in record.items()}
            if row["year"] is not None:
                row["year"] = int(row["year"])
            row["themes"] = list(row["themes"] or [])
            row["sources"] = list(row["sources"] or [])
            graph.add_edge(a, b, **row)
        return graph

    # -- lifetime ------------------------------------------------------------
    def release_memory(self) -> None:  # noqa: B027 - optional for backends
        """Give back the memory of what the store has read (the embedded engine keeps each page it
        reads until it closes); the store stays open, as it was. A server's store has none here."""

    def close(self) -> None:  # noqa: B027 - optional for backends
        """Release the database."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _is_missing(value: Any) -> bool:
    import pandas as pd

    if isinstance(value, (list, tuple)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
