"""The Neo4j store against a live server: the same results as the embedded store.

Runs only when NEO4J_URI is set (e.g. after `docker compose up -d --wait`), with
NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE as the store reads them; it
deletes the twinlac nodes of that database first, so point it at a database
kept for tests. The contract every store keeps is in ``test_contract.py``; what
the store sends, proven without a server, in ``test_neo4j_offline.py``.
"""

import os

import pytest

import twinlac
from tests.graph.conftest import NO_SERVER, clear_neo4j, live_neo4j
from twinlac.queries import list_queries, run_named

pytestmark = [pytest.mark.neo4j, pytest.mark.skipif(not live_neo4j(), reason=NO_SERVER)]

PARAMS = {"province_agreements": {"province": "Jiangsu"}, "place_ties": {"place": "Wuxi"},
          "ties_in_year_range": {"from_year": 2010, "to_year": 2020}}


@pytest.fixture(scope="module")
def neo4j_store():
    clear_neo4j()
    with twinlac.open(backend="neo4j") as store:
        twinlac.load_agreements(store)
        yield store


def test_same_counts_as_embedded(neo4j_store, loaded_store):
    assert neo4j_store.counts() == loaded_store.counts()


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_queries_agree(neo4j_store, loaded_store, name):
    params = PARAMS.get(name, {})
    ours = run_named(loaded_store, name, **params)
    theirs = run_named(neo4j_store, name, **params)
    assert ours.astype(str).values.tolist() == theirs.astype(str).values.tolist()


def test_read_transactions_refuse_writes(neo4j_store):
    # Past the text check, the server itself refuses a write in a read transaction.
    with pytest.raises(twinlac.QueryError):
        neo4j_store._run("CREATE (:Forum {id: 'x'})", {}, write=False, max_rows=None, timeout=10)


def test_same_network(neo4j_store, loaded_store):
    a, b = neo4j_store.to_networkx(), loaded_store.to_networkx()
    assert sorted(a.nodes) == sorted(b.nodes) and sorted(a.edges) == sorted(b.edges)
    assert all(a.nodes[n] == b.nodes[n] for n in a.nodes)
    assert all(a.edges[e] == b.edges[e] for e in a.edges)


def test_the_schema_is_in_place(neo4j_store):
    constraints = neo4j_store.query("SHOW CONSTRAINTS YIELD name RETURN name")["name"].tolist()
    indexes = neo4j_store.query("SHOW INDEXES YIELD name RETURN name")["name"].tolist()
    assert {"locality_id", "province_id", "country_id", "region_id", "forum_id"} <= set(constraints)
    assert {"locality_province", "province_side", "twinned_with_year"} <= set(indexes)


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_queries_do_not_scan_every_node(neo4j_store, name):
    from neo4j import GraphDatabase

    from twinlac.graph.neo4j_store import auth_from_environment

    query = twinlac.get_query(name)
    with GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth_from_environment()) as driver:
        _, summary, _ = driver.execute_query(
            "EXPLAIN " + query.cypher, query.bind(PARAMS.get(name, {})),
            database_=os.environ.get("NEO4J_DATABASE") or None, routing_="r",
        )
    operators = []

    def walk(plan):
        operators.append(plan["operatorType"] if isinstance(plan, dict) else plan.operator_type)
        for child in (plan["children"] if isinstance(plan, dict) else plan.children):
            walk(child)

    walk(summary.plan)
    assert not [op for op in operators if op.startswith("AllNodesScan")], operators


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_query_rows_agree_with_query(neo4j_store, name):
    query = next(q for q in list_queries() if q.name == name)
    params = query.bind(PARAMS.get(name, {}))
    rows = neo4j_store.query_rows(query.cypher, params)
    frame = neo4j_store.query(query.cypher, params)
    assert rows.columns == list(frame.columns) and len(rows.rows) == len(frame)
