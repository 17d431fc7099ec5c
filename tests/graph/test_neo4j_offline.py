"""The Neo4j store without a server: what it sends, how, and what it makes of the answers.

The store is the real one; only the network and the server are replaced, by the
recording fake in ``fake_neo4j.py``. These tests prove the protocol side
(statements, parameters the driver can pack, read or write routing, the
database, bookmarks, timeouts, chunked commits, retries, error messages). The
syntax of every statement is proven by Neo4j's linter (``test_cypher_lint.py``);
what a real server answers, by the live suite (``NEO4J_URI``).
"""

from __future__ import annotations

import math

import neo4j
import pytest
from neo4j import exceptions as errors

import twinlac
from tests.graph.fake_neo4j import server_error
from twinlac.errors import QueryError, StoreError
from twinlac.graph import neo4j_store
from twinlac.graph.model import GraphFrames
from twinlac.graph.neo4j_store import schema_statements

PLAIN = (str, int, float, bool, type(None))


def _plain_values(value) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_values(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_values(v) for v in value)
    return type(value) in PLAIN


def writes(server, table: str | None = None):
    """The UNWIND write statements sent (of one label or relationship type)."""
    found = [s for s in server.statements if s.query.startswith("UNWIND $rows") and "MERGE" in s.query]
    if table is not None:
        found = [s for s in found if f":{table} {{id: row.id}}" in s.query.split("MERGE", 1)[1]
                 or f"[r:{table}" in s.query]
    return found


# -- opening ---------------------------------------------------------------------------------------

def test_opening_sends_the_schema_then_the_reference_graph(fake_server, fake_store):
    sent = fake_server.statements
    schema = schema_statements()
    assert [s.query for s in sent[:len(schema)]] == schema
    # Each schema command alone in a write transaction (the server refuses schema and data together).
    assert all(s.mode == "WRITE" and len(s.transaction.statements) == 1 for s in sent[:len(schema)])
    labels = {q.split("FOR (n:", 1)[1].split(")", 1)[0] for q in schema if "CONSTRAINT" in q}
    assert labels == {"Country", "Province", "Locality", "Region", "Forum"}
    # Then the reference graph: China and the 33 CELAC states, 31 provinces and 2 SARs,
    # 4 NBS regions and 6 LAC subregions, 2 forums.
    rows = {}
    for statement in writes(fake_server):
        label = statement.query.split("MERGE (n:", 1)[1].split(" ", 1)[0] if "MERGE (n:" in statement.query else None
        if label:
            rows[label] = rows.get(label, 0) + len(statement.params["rows"])
    assert rows == {"Country": 34, "Province": 33, "Region": 10, "Forum": 2}
    assert all(tx.state == "committed" for tx in fake_server.transactions)


def test_every_session_names_the_database_and_shares_one_bookmark_manager(fake_server, fake_store):
    fake_store.query("MATCH (p:Province) RETURN p.id AS id")
    sessions = fake_server.driver.sessions
    assert sessions and {s.database for s in sessions} == {"twinlac"}
    managers = {id(s.bookmark_manager) for s in sessions}
    assert len(managers) == 1
    assert isinstance(sessions[0].bookmark_manager, neo4j.api.BookmarkManager)


def test_credentials_and_database_from_the_environment(fake_server, monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster:7687")
    monkeypatch.setenv("NEO4J_USERNAME", "alice")
    monkeypatch.setenv("NEO4J_USER", "bob")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("NEO4J_DATABASE", "twins")
    with twinlac.open(backend="neo4j", read_only=True) as store:
        store.query("RETURN 1 AS one")
    driver = fake_server.driver
    assert (driver.uri, driver.auth) == ("neo4j://cluster:7687", ("alice", "s3cret"))
    assert {s.database for s in driver.sessions} == {"twins"}


def test_neo4j_user_is_read_when_neo4j_username_is_not_set(fake_server, monkeypatch):
    monkeypatch.setenv("NEO4J_USER", "bob")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    twinlac.open(backend="neo4j", uri="bolt://fake", read_only=True).close()
    assert fake_server.driver.auth == ("bob", "s3cret")


def test_no_password_means_no_authentication_not_a_default_password(fake_server):
    twinlac.open(backend="neo4j", uri="bolt://fake", read_only=True).close()
    assert fake_server.driver.auth is None


def test_read_only_store_sends_no_schema_and_writes_nothing(fake_server):
    with twinlac.open(backend="neo4j", uri="bolt://fake", read_only=True) as store:
        assert fake_server.statements == []
        with pytest.raises(QueryError, match="read-only"):
            store.query("CREATE (:Forum {id: 'f'})", write=True)
        with pytest.raises(StoreError, match="read-only"):
            store.write_frames(GraphFrames())
    assert fake_server.statements == []


# -- errors met when opening: one line each, and the driver is closed ------------------------------

@pytest.mark.parametrize("failure, message", [
    (server_error("Neo.ClientError.Security.Unauthorized", "The client is unauthorized"),
     r"refused the credentials of user 'neo4j': The client is unauthorized; set NEO4J_USERNAME and NEO4J_PASSWORD"),
    (errors.ServiceUnavailable("Couldn't connect to fake:7687"),
     r"cannot reach Neo4j at bolt://fake:7687: Couldn't connect .*docker compose up -d --wait"),
])
def test_connection_failures(fake_server, failure, message):
    fake_server.connect_error = failure
    with pytest.raises(StoreError, match=message):
        twinlac.open(backend="neo4j", uri="bolt://fake:7687", auth=("neo4j", "wrong"))
    assert fake_server.driver.closed


def test_authentication_failure_is_not_called_unreachable(fake_server):
    fake_server.connect_error = server_error("Neo.ClientError.Security.Unauthorized")
    with pytest.raises(StoreError) as caught:
        twinlac.open(backend="neo4j", uri="bolt://fake", auth=("neo4j", "wrong"))
    assert "cannot reach" not in str(caught.value)


def test_bad_address(fake_server):
    fake_server.driver_error = ValueError("Unknown URI scheme 'http'")
    with pytest.raises(StoreError, match=r"cannot use 'http://fake' as a Neo4j address: Unknown URI scheme"):
        twinlac.open(backend="neo4j", uri="http://fake")


@pytest.mark.parametrize("code, message", [
    ("Neo.ClientError.Security.Forbidden", r"refused creating the constraints and indexes: Neo\.ClientError\.Security\.Forbidden"),
    ("Neo.ClientError.Database.DatabaseNotFound", r"\(database 'twinlac'\): no such database .*check NEO4J_DATABASE"),
])
def test_schema_failures(fake_server, code, message):
    fake_server.fail(r"^CREATE CONSTRAINT", server_error(code))
    with pytest.raises(StoreError, match=message):
        twinlac.open(backend="neo4j", uri="bolt://fake", database="twinlac")
    assert fake_server.driver.closed


def test_connection_lost_while_writing_the_reference_graph(fake_server):
    fake_server.fail(r"^UNWIND", errors.SessionExpired("the server went away"), times=99)
    with pytest.raises(StoreError, match=r"lost the connection to Neo4j at bolt://fake while writing Country rows: the server went away; nothing was written"):
        twinlac.open(backend="neo4j", uri="bolt://fake")
    assert fake_server.driver.closed


# -- queries ---------------------------------------------------------------------------------------

def test_reads_run_in_read_transactions_writes_in_write_transactions(fake_store, fake_server):
    before = len(fake_server.transactions)
    fake_store.query("MATCH (p:Province) WHERE p.name = $name RETURN p.id AS id", name="Jiangsu", timeout=7)
    fake_store.query("MATCH (p:Province {id: $id}) SET p.lat = 1.5", id="CN-JS", write=True, timeout=None)
    read, write = fake_server.transactions[before:]
    assert (read.mode, read.timeout, read.state) == ("READ", 7, "committed")
    assert read.statements[0].params == {"name": "Jiangsu"}
    assert (write.mode, write.timeout) == ("WRITE", None)
    assert write.statements[0].params == {"id": "CN-JS"}


def test_rows_are_limited_and_the_cut_is_reported(fake_store, fake_server):
    fake_server.on(r"RETURN p\.id AS id", [{"id": f"P{i}"} for i in range(5)])
    frame = fake_store.query("MATCH (p:Province) RETURN p.id AS id", max_rows=3)
    assert frame["id"].tolist() == ["P0", "P1", "P2"] and frame.attrs["truncated"]
    assert not fake_store.query("MATCH (p:Province) RETURN p.id AS id", max_rows=5).attrs["truncated"]


@pytest.mark.parametrize("failure, error, message", [
    (server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRN'"), QueryError,
     r"^Neo\.ClientError\.Statement\.SyntaxError: Invalid input 'RETRN'$"),
    (server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", "timed out"), QueryError,
     r"^query stopped after 2 s \(Neo\.ClientError\.Transaction\.TransactionTimedOutClientConfiguration\); pass a longer timeout$"),
    (errors.SessionExpired("connection closed"), StoreError,
     r"^lost the connection to Neo4j at bolt://fake:7687 \(database 'twinlac'\) while running the query"),
    (errors.ServiceUnavailable("no routing servers"), StoreError, r"^lost the connection"),
    (server_error("Neo.ClientError.Security.Unauthorized", "token expired"), StoreError,
     r"refused the credentials of user 'neo4j': token expired"),
])
def test_query_errors_are_one_line_each(fake_store, fake_server, failure, error, message):
    fake_server.fail(r"RETURN 1 AS one", failure, times=99)  # a lost connection is retried: make it stay lost
    with pytest.raises(error, match=message):
        fake_store.query("RETURN 1 AS one", timeout=2)


def test_a_transient_error_is_retried_by_the_driver(fake_store, fake_server):
    fake_server.fail(r"RETURN 1 AS one", server_error("Neo.TransientError.Transaction.DeadlockDetected"))
    fake_server.on(r"RETURN 1 AS one", [{"one": 1}])
    assert fake_store.query("RETURN 1 AS one")["one"].tolist() == [1]
    attempts = [tx for tx in fake_server.transactions if tx.statements and tx.statements[0].query == "RETURN 1 AS one"]
    assert [(tx.attempt, tx.state) for tx in attempts] == [(1, "rolled back"), (2, "committed")]


# -- writes ----------------------------------------------------------------------------------------

@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(neo4j_store, "BATCH", 40)
    return 40


def test_a_load_is_written_chunk_by_chunk(fake_store, fake_server, small_chunks, csv_frame):
    start = len(fake_server.transactions)
    report = twinlac.load_agreements(fake_store)
    transactions = [tx for tx in fake_server.transactions[start:] if tx.mode == "WRITE"]
    # One statement per transaction, at most one chunk of rows each, all committed.
    assert all(len(tx.statements) == 1 and tx.state == "committed" for tx in transactions)
    statements = [tx.statements[0] for tx in transactions if tx.statements[0].query.startswith("UNWIND $rows")]
    assert statements and all(0 < len(s.params["rows"]) <= small_chunks for s in statements)
    # Ties: one chunk sequence per pair of end labels; the pairs and their sizes from the CSV.
    ties = [s for s in statements if "[r:TWINNED_WITH" in s.query]
    label = {"city": "Locality", "province": "Province"}
    pairs = csv_frame.groupby(["cn_level", "lac_level"]).size()
    expected = sum(math.ceil(n / small_chunks) for n in pairs)
    assert len(ties) == expected
    assert sum(len(s.params["rows"]) for s in ties) == len(csv_frame) == report.ties_added
    for (cn, lac), n in pairs.items():
        query = f"MATCH (a:{label[cn]} {{id: row.from_id}}) MATCH (b:{label[lac]} {{id: row.to_id}})"
        assert sum(len(s.params["rows"]) for s in ties if query in s.query) == n
    # Every parameter is a plain value the driver packs as meant (the fake packed each one).
    assert all(_plain_values(s.params) for s in statements)
    row = ties[0].params["rows"][0]
    assert set(row) == {"from_id", "to_id", "id", "props"}
    assert set(row["props"]) == {"id", "kind", "year", "date", "status", "themes", "source_url",
                                 "source_title", "evidence", "notes", "sources"}


def test_undated_ties_are_sent_with_null_not_nan(fake_store, fake_server, csv_frame):
    twinlac.load_agreements(fake_store)
    years = [row["props"]["year"] for s in writes(fake_server, "TWINNED_WITH") for row in s.params["rows"]]
    assert sum(y is None for y in years) == (csv_frame["year"] == "").sum()
    assert all(y is None or type(y) is int for y in years)


def test_sources_added_is_what_the_server_counted(fake_store, fake_server):
    # A server on which every tie is held already, and every one gains a source.
    fake_server.on(r"\[r:TWINNED_WITH", lambda p: [{"matched": len(p["rows"]), "added": 0,
                                                     "sources_added": len(p["rows"])}])
    report = twinlac.load_agreements(fake_store)
    assert report.ties_added == 0
    assert report.written.sources_added == report.rows_loaded


def test_batches_are_written_as_they_come(fake_store, fake_server):
    seen = []

    def batches():
        for n in range(3):
            seen.append(len(fake_server.committed))  # transactions committed before this batch was made
            frames = GraphFrames()
            frames.add_nodes("Forum", [{"id": f"forum:test-{n}", "name": f"Test {n}"}])
            yield frames

    report = fake_store.write_batches(batches())
    assert seen[1] == seen[0] + 1 and seen[2] == seen[1] + 1
    assert report.nodes == {"Forum": 3}


def test_a_retried_chunk_is_counted_once(fake_store, fake_server):
    fake_server.fail(r"MERGE \(n:Forum", server_error("Neo.TransientError.Transaction.DeadlockDetected"))
    frames = GraphFrames()
    frames.add_nodes("Forum", [{"id": "forum:a", "name": "A"}, {"id": "forum:b", "name": "B"}])
    report = fake_store.write_frames(frames)
    tries = [tx for tx in fake_server.transactions if tx.statements and "MERGE (n:Forum" in tx.statements[0].query]
    assert [tx.state for tx in tries[-2:]] == ["rolled back", "committed"]
    assert report.nodes == {"Forum": 2}


def test_a_failure_half_way_keeps_what_was_committed_and_says_so(fake_store, fake_server, small_chunks):
    fake_server.fail(r"\[r:TWINNED_WITH", server_error("Neo.ClientError.Schema.ConstraintValidationFailed", "clash"),
                     after=2)
    with pytest.raises(StoreError) as caught:
        twinlac.load_agreements(fake_store)
    message = str(caught.value)
    assert "Neo.ClientError.Schema.ConstraintValidationFailed: clash" in message
    assert "rows written before it stay" in message and "writing again is safe" in message
    tie_transactions = [tx for tx in fake_server.transactions
                        if tx.statements and "MERGE (a)-[r:TWINNED_WITH" in tx.statements[0].query]
    assert [tx.state for tx in tie_transactions] == ["committed", "committed", "rolled back"]


def test_a_relationship_to_a_missing_node_fails_its_chunk(fake_store, fake_server):
    fake_server.on(r"\[r:TWINNED_WITH", lambda p: [{"matched": len(p["rows"]) - 1, "added": len(p["rows"]) - 1,
                                                     "sources_added": 0}])
    fake_server.on(r"WHERE a IS NULL OR b IS NULL", [{"from_id": "CN-JS:wuxi", "to_id": "BR-SP:nowhere"}])
    frames = GraphFrames()
    frames.add_rels("TWINNED_WITH", [{
        "from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Locality", "to_id": "BR-SP:nowhere",
        "id": "CN-JS:wuxi~BR-SP:nowhere", "kind": "sister", "themes": [], "sources": [],
    }])
    with pytest.raises(StoreError, match=r"1 TWINNED_WITH relationship\(s\) name a node the store does not hold "
                                         r"\(e\.g\. CN-JS:wuxi -> BR-SP:nowhere\); that chunk was not written"):
        fake_store.write_frames(frames)
    failed = fake_server.transactions[-1]
    assert failed.state == "rolled back" and len(failed.statements) == 2


def test_property_updates_are_sent_after_the_rows_and_counted(fake_store, fake_server):
    from twinlac.graph.model import PropertyUpdate

    fake_server.on(r"SET [tn] \+= row\.props", lambda p: [{"matched": len(p["rows"]) - 1}])
    frames = GraphFrames()
    frames.add_nodes("Forum", [{"id": "forum:new", "name": "New"}])
    frames.updates = [
        PropertyUpdate("TWINNED_WITH", "CN-JS:wuxi~BR-SP:sao-paulo", {"year": 2005, "date": "2005-06-01"}),
        PropertyUpdate("TWINNED_WITH", "CN-JS:wuxi~BR-SP:santos", {"year": 2009, "date": "2009"}),
        PropertyUpdate("Locality", "CN-JS:wuxi", {"name_zh": "无锡"}),
    ]
    start = len(fake_server.statements)
    report = fake_store.write_frames(frames)
    sent = fake_server.statements[start:]
    assert "MERGE (n:Forum" in sent[0].query  # new rows first, then the updates
    assert len(sent) == 3
    ties, places = (next(s for s in sent[1:] if marker in s.query) for marker in ("TWINNED_WITH", "Locality"))
    assert ties.query == ("UNWIND $rows AS row MATCH ()-[t:TWINNED_WITH {id: row.id}]->() "
                          "SET t += row.props RETURN count(t) AS matched")
    assert ties.params["rows"] == [
        {"id": "CN-JS:wuxi~BR-SP:sao-paulo", "props": {"date": "2005-06-01", "year": 2005}},
        {"id": "CN-JS:wuxi~BR-SP:santos", "props": {"date": "2009", "year": 2009}},
    ]
    assert places.query == ("UNWIND $rows AS row MATCH (n:Locality {id: row.id}) "
                            "SET n += row.props RETURN count(n) AS matched")
    assert places.params["rows"] == [{"id": "CN-JS:wuxi", "props": {"name_zh": "无锡"}}]
    assert all(s.mode == "WRITE" and s.transaction.state == "committed" for s in sent)
    assert report.updated == (2 - 1) + (1 - 1)  # what the server said it matched


def test_a_property_update_outside_the_schema_is_refused(fake_store):
    from twinlac.graph.model import PropertyUpdate

    frames = GraphFrames(updates=[PropertyUpdate("TWINNED_WITH", "a~b", {"colour": "red"})])
    with pytest.raises(StoreError, match="cannot set colour on TWINNED_WITH"):
        fake_store.write_frames(frames)
