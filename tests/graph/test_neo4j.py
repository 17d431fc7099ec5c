"""The Neo4j store against a live server: the same load and queries as the embedded store.

Runs only when NEO4J_URI is set (e.g. after `docker compose up -d`); it clears the
twinlac labels in that database first, so point it at a database kept for tests.
"""

import os

import pytest

import twinlac
from twinlac.graph.model import NODE_TABLES
from twinlac.queries import list_queries, run_named

pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="NEO4J_URI is not set: no Neo4j server to test against"),
]

PARAMS = {"province_agreements": {"province": "Jiangsu"}, "ties_in_year_range": {"from_year": 2010, "to_year": 2020}}


@pytest.fixture(scope="module")
def neo4j_store():
    from neo4j import GraphDatabase

    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "twinlac-password"))
    with GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth) as driver:
        labels = " OR ".join(f"n:{label}" for label in NODE_TABLES)
        driver.execute_query(f"MATCH (n) WHERE {labels} DETACH DELETE n", database_=os.environ.get("NEO4J_DATABASE"))
    with twinlac.open(backend="neo4j") as store:
        twinlac.load_agreements(store)
        yield store


def test_same_counts_as_embedded(neo4j_store, loaded_store):
    assert neo4j_store.counts() == loaded_store.counts()


def test_reload_adds_nothing(neo4j_store):
    assert twinlac.load_agreements(neo4j_store).ties_added == 0


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
    assert sorted(a.nodes) == sorted(b.nodes) and a.number_of_edges() == b.number_of_edges()
