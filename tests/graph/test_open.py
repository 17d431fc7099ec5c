"""Opening stores: the clear errors a user meets before any query runs."""

import pytest

import twinlac
from twinlac.errors import StoreError


def test_unknown_backend():
    with pytest.raises(StoreError, match="unknown backend 'sqlite'"):
        twinlac.open(backend="sqlite")


def test_neo4j_without_address(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreError, match="set NEO4J_URI"):
        twinlac.open(backend="neo4j")


def test_neo4j_unreachable_server_is_one_clear_error():
    # Port 1 on loopback: nothing listens there, the driver is refused at once.
    with pytest.raises(StoreError, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1"):
        twinlac.open(backend="neo4j", uri="bolt://127.0.0.1:1")


def test_default_db_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TWINLAC_DB", str(tmp_path / "env.lbdb"))
    assert twinlac.default_db_path() == tmp_path / "env.lbdb"
    monkeypatch.delenv("TWINLAC_DB")
    assert str(twinlac.default_db_path()) == "twinlac.lbdb"
