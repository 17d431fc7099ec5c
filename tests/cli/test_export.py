"""``twinlac export``: the library's ``export`` from the command line, on a real embedded store."""

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from twinlac.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(loaded_db):
    return loaded_db


def _province_pairs(frame: pd.DataFrame) -> int:
    """Distinct (Chinese province, LAC province) pairs, counted from the CSV."""
    china = frame.cn_province.where(frame.cn_level == "city", frame.cn_name)
    lac = frame.lac_country + "/" + frame.lac_admin1.where(frame.lac_level == "city", frame.lac_name)
    return len(set(zip(china, lac, strict=True)))


def test_graphml_at_province_level_aggregates_every_tie(db, csv_frame, tmp_path):
    out = tmp_path / "provinces.graphml"
    result = run("export", "--db", db, "--out", out, "--level", "province")
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.number_of_edges() == _province_pairs(csv_frame)
    assert sum(int(d["agreements"]) for _, _, d in graph.edges(data=True)) == len(csv_frame)
    assert f"{graph.number_of_edges()} edges ({len(csv_frame)} ties)" in result.output
    assert str(out) in result.output


def test_filters_say_what_they_left_out(db, csv_frame, tmp_path):
    out = tmp_path / "well-sourced"
    result = run("export", "--db", db, "--out", out, "--format", "csv", "--evidence", "official,press")
    assert result.exit_code == 0, result.output
    kept = csv_frame.evidence.isin(["official", "press"]).sum()
    assert len(pd.read_csv(out / "edges.csv")) == kept
    assert f"{len(csv_frame) - kept} ties left out by the filters" in result.output


def test_neo4j_import_prints_the_command(db, tmp_path):
    result = run("export", "--db", db, "--out", tmp_path / "import", "--format", "neo4j-import")
    assert result.exit_code == 0, result.output
    assert "neo4j-admin database import full" in result.output
    assert (tmp_path / "import" / "import.sh").is_file()


def test_an_unknown_suffix_is_one_line(db, tmp_path):
    result = runner.invoke(app, ["export", "--db", str(db), "--out", str(tmp_path / "network.txt")])
    assert result.exit_code == 1
    assert "cannot tell the format from 'network.txt'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "network.txt").exists()


def test_the_store_is_only_read(db, tmp_path):
    before = run("info", "--db", db, "--format", "csv").output
    run("export", "--db", db, "--out", tmp_path / "all.gexf", "--scope", "all")
    assert run("info", "--db", db, "--format", "csv").output == before
