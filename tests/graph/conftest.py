"""Fixtures of the store tests: the recording fake of the Neo4j driver, and stores of each backend."""

from __future__ import annotations

import os

import neo4j
import pytest

import twinlac
from tests.graph.fake_neo4j import FakeServer
from twinlac.graph.model import NODE_TABLES

NEO4J_VARIABLES = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")


def a_server_that_holds_nothing(params: dict) -> list[dict]:
    """The answer of a server on which every row of a write statement is new."""
    rows = len(params["rows"])
    return [{"matched": rows, "added": rows, "sources_added": 0}]


@pytest.fixture
def fake_server(monkeypatch) -> FakeServer:
    """A scripted Neo4j server: ``neo4j.GraphDatabase.driver`` connects to it, nothing
    else is replaced. Write statements are answered as by an empty database."""
    server = FakeServer()
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", server.make_driver)
    for name in NEO4J_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    server.on(r"^UNWIND \$rows AS row .*MERGE", a_server_that_holds_nothing)
    server.on(r"RETURN count\(\w\) AS n$", [{"n": 0}])
    return server


@pytest.fixture
def fake_store(fake_server):
    """A Neo4j store on the fake server, opened writable (schema and reference graph sent)."""
    with twinlac.open(backend="neo4j", uri="bolt://fake:7687", auth=("neo4j", "secret"), database="twinlac") as store:
        yield store


# -- the same store contract on every backend ------------------------------------------------------

def clear_neo4j() -> None:
    """Remove every twinlac node from the live test database (NEO4J_URI), 10,000 at a time."""
    from twinlac.graph.neo4j_store import auth_from_environment

    database = os.environ.get("NEO4J_DATABASE") or None
    with neo4j.GraphDatabase.driver(os.environ["NEO4J_URI"], auth=auth_from_environment()) as driver:
        for label in NODE_TABLES:
            while True:
                records, _, _ = driver.execute_query(
                    f"MATCH (n:{label}) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS deleted",
                    database_=database,
                )
                if records[0]["deleted"] == 0:
                    break


def live_neo4j() -> bool:
    return bool(os.environ.get("NEO4J_URI"))


NO_SERVER = "NEO4J_URI is not set: no Neo4j server to test against"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def new_store(request, tmp_path):
    """A new store holding only the reference graph, on each backend (Neo4j: live only)."""
    if request.param == "neo4j":
        if not live_neo4j():
            pytest.skip(NO_SERVER)
        clear_neo4j()
        with twinlac.open(backend="neo4j") as store:
            yield store
    else:
        with twinlac.open(tmp_path / "contract.lbdb") as store:
            yield store
