"""``run_demo`` on each backend: ``backend=``, else ``TWINLAC_BACKEND``, else the embedded store."""

from __future__ import annotations

import pytest

from twinlac.demo import run_demo
from twinlac.errors import StoreError


def test_the_embedded_store_by_default(tmp_path, monkeypatch, csv_frame):
    monkeypatch.delenv("TWINLAC_BACKEND", raising=False)
    result = run_demo(tmp_path / "demo.lbdb", tmp_path / "out")
    db = tmp_path / "demo.lbdb"
    assert (result.backend, result.db, result.location) == ("embedded", db, str(db))
    assert result.load.ties_added == len(csv_frame) and result.network_html.is_file()


def test_twinlac_backend_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("TWINLAC_BACKEND", "neo4j")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreError, match="set NEO4J_URI"):
        run_demo(tmp_path / "demo.lbdb", tmp_path / "out")
    assert not (tmp_path / "demo.lbdb").exists()


def test_the_argument_wins_over_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TWINLAC_BACKEND", "neo4j")
    assert run_demo(tmp_path / "demo.lbdb", tmp_path / "out", backend="embedded").backend == "embedded"


def test_on_neo4j_the_demo_talks_to_the_server(fake_server, tmp_path):
    result = run_demo(out_dir=tmp_path / "out", backend="neo4j", uri="bolt://fake:7687", auth=("neo4j", "pw"))
    assert (result.backend, result.db, result.location) == ("neo4j", None, "Neo4j at bolt://fake:7687")
    sent = [s.query for s in fake_server.statements]
    assert any("MERGE (a)-[r:TWINNED_WITH" in q for q in sent)  # the bundled ties were written there
    assert result.network_html.is_file() and result.map_html.is_file()
    assert fake_server.driver.closed


def test_the_demo_command_takes_the_backend(fake_server, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from twinlac.cli import app

    monkeypatch.setenv("NEO4J_URI", "bolt://fake:7687")
    monkeypatch.setenv("NEO4J_PASSWORD", "pw")
    result = CliRunner().invoke(app, ["demo", "--backend", "neo4j", "--out", str(tmp_path / "out")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "already in Neo4j at bolt://fake:7687" in result.output
    assert not list(tmp_path.glob("*.lbdb"))
