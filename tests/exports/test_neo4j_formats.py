"""The Neo4j exports: the Cypher script (replayed into a new embedded store, and linted by
Neo4j's linter) and the neo4j-admin import files (read back with pandas)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import twinlac
from tests.graph.cypher_lint import lint, node_binary, problems
from twinlac.exports import export
from twinlac.exports.neo4j import cypher_literal
from twinlac.graph.model import NODE_TABLES

SEP = "|"


def script_statements(path) -> list[str]:
    """The statements of a Cypher script written by ``export``: one a line, ``;`` at the end."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return [line[:-1] for line in lines if line and not line.startswith("//")]


def replay(script, db):
    """Run a script's statements on a new embedded store, leaving out the constraints
    (Neo4j's schema commands: the embedded store keys its tables by id already)."""
    store = twinlac.open(db)
    for statement in script_statements(script):
        if not statement.startswith("CREATE CONSTRAINT"):
            store.query(statement, write=True)
    return store


def _model(frame: pd.DataFrame, ids) -> pd.DataFrame:
    """Parties' own properties (those the store keeps), for the given ids."""
    columns = ["label", "name", "name_zh", "level", "side", "province", "country", "lat", "lon"]
    return frame.loc[sorted(ids), columns]


# -- Cypher --------------------------------------------------------------------------------------

def test_the_script_replays_into_a_new_embedded_store(loaded_store, tmp_path):
    export(loaded_store, tmp_path / "ties.cypher", evidence=["official", "press"])
    with replay(tmp_path / "ties.cypher", tmp_path / "replayed.lbdb") as replayed:
        original = loaded_store.to_networkx(evidence=["official", "press"])
        ties = replayed.ties().set_index("id")
        expected = loaded_store.ties().set_index("id").loc[sorted(d["id"] for _, _, d in original.edges(data=True))]
        pd.testing.assert_frame_equal(ties.sort_index(), expected.sort_index(), check_dtype=False)
        parties = replayed.parties()
        pd.testing.assert_frame_equal(_model(parties, original.nodes), _model(loaded_store.parties(), original.nodes),
                                      check_dtype=False)
        # Run again: MERGE adds nothing.
        before = replayed.counts()
        for statement in script_statements(tmp_path / "ties.cypher"):
            if not statement.startswith("CREATE CONSTRAINT"):
                replayed.query(statement, write=True)
        assert replayed.counts() == before


def test_awkward_text_replays_exactly(awkward_store, tmp_path):
    export(awkward_store, tmp_path / "awkward.cypher")
    with replay(tmp_path / "awkward.cypher", tmp_path / "replayed.lbdb") as replayed:
        pd.testing.assert_frame_equal(replayed.ties(), awkward_store.ties(), check_dtype=False)
        names = replayed.parties()["name"].to_dict()
    assert names["CN-JS:wuxi-new-district"] == "Wu'xi \"New\" \\ District"
    assert names["BR-SP:sao-paulo-norte"] == "São Paulo|Norte"


def test_the_script_header_and_constraints(loaded_store, tmp_path):
    result = export(loaded_store, tmp_path / "p.cypher", level="province", as_of=2000)
    text = (tmp_path / "p.cypher").read_text(encoding="utf-8")
    assert text.startswith("// twinlac export: ") and "as of 2000" in text
    statements = script_statements(tmp_path / "p.cypher")
    assert statements[0] == "CREATE CONSTRAINT province_id IF NOT EXISTS FOR (n:Province) REQUIRE n.id IS UNIQUE"
    assert sum(s.startswith("MERGE (n:Province") for s in statements) == result.nodes
    assert sum(" MERGE (a)-[r:TIES " in s for s in statements) == result.edges


@pytest.mark.parametrize("value, literal", [
    (None, None), (True, "true"), (3, "3"), (1e-05, "1e-05"), (float("nan"), None), (float("inf"), None),
    (["a'b", "c"], "['a\\'b', 'c']"), ([], "[]"), ("back\\slash", "'back\\\\slash'"),
])
def test_cypher_literals(value, literal):
    assert cypher_literal(value) == literal


def _shape(statement: str) -> str:
    """A statement with its literals blanked: statements of one shape differ only in values."""
    return re.sub(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", "0", re.sub(r"'(?:[^'\\]|\\.)*'", "''", statement))


@pytest.mark.parametrize("level", ["party", "province", "country"])
def test_the_scripts_pass_neo4js_linter(loaded_store, awkward_store, tmp_path, level):
    node_binary()
    statements = []
    # The awkward store's scripts whole (every escape), the bundled data's one statement of each shape.
    export(awkward_store, tmp_path / "awkward.cypher", level=level)
    statements += script_statements(tmp_path / "awkward.cypher")
    export(loaded_store, tmp_path / "bundled.cypher", level=level)
    shapes = {}
    for statement in script_statements(tmp_path / "bundled.cypher"):
        shapes.setdefault(_shape(statement), statement)
    statements += list(shapes.values())
    named = [(f"{level} {i}", s, {}) for i, s in enumerate(statements)]
    found = problems(lint(named), named)
    assert not found, "\n".join(found)


# -- neo4j-admin import --------------------------------------------------------------------------

def _read(folder):
    nodes = pd.read_csv(folder / "nodes.csv", dtype=str, keep_default_na=False)
    rels = pd.read_csv(folder / "relationships.csv", dtype=str, keep_default_na=False)
    return nodes, rels


def test_import_files_at_party_level(loaded_store, csv_frame, tmp_path):
    result = export(loaded_store, tmp_path / "import", format="neo4j-import")
    nodes, rels = _read(tmp_path / "import")
    locality_columns = [name for name, _ in NODE_TABLES["Locality"]]
    assert list(nodes.columns) == ["id:ID", ":LABEL", "name", "name_zh", "level", "side", "province", "country",
                                   "coastal:boolean", "lat:double", "lon:double"]
    assert {c.split(":")[0] for c in nodes.columns[2:]} <= set(locality_columns) | {"coastal"}
    assert list(rels.columns) == [":START_ID", ":END_ID", ":TYPE", "id", "kind", "year:int", "date", "status",
                                  "themes:string[]", "source_url", "source_title", "evidence", "notes",
                                  "sources:string[]"]
    assert nodes["id:ID"].is_unique and set(nodes[":LABEL"]) == {"Locality", "Province"}
    assert set(rels[":START_ID"]) | set(rels[":END_ID"]) <= set(nodes["id:ID"])
    assert len(rels) == len(csv_frame) and set(rels[":TYPE"]) == {"TWINNED_WITH"}
    assert (rels["year:int"] == "").sum() == pd.to_numeric(csv_frame["year"], errors="coerce").isna().sum()
    assert all(y == "" or y.isdigit() for y in rels["year:int"])
    assert all(v == "" or float(v) == float(v) for v in nodes["lat:double"])
    assert set(nodes["coastal:boolean"]) <= {"true", "false", ""}
    ties = loaded_store.ties().set_index("id")
    for row in rels.itertuples(index=False):
        tie = ties.loc[row.id]
        assert (row[0], row[1]) == (tie["a"], tie["b"])
        assert row[-1].split(SEP) == list(tie["sources"])
    script = (tmp_path / "import" / "import.sh").read_text(encoding="utf-8")
    assert "neo4j-admin database import full --nodes=nodes.csv --relationships=relationships.csv " \
           "--array-delimiter='|'" in script
    assert result.command.startswith("neo4j-admin database import full --nodes=")
    multiline = any("\n" in v for v in rels["notes"])
    assert ("--multiline-fields=true" in result.command) == multiline


def test_import_files_for_awkward_text(awkward_store, tmp_path):
    result = export(awkward_store, tmp_path / "import", format="neo4j-import")
    nodes, rels = _read(tmp_path / "import")
    assert "--multiline-fields=true" in result.command  # a note spans two lines
    names = dict(zip(nodes["id:ID"], nodes["name"], strict=False))
    assert names["CN-JS:wuxi-new-district"] == "Wu'xi \"New\" \\ District"
    tie = rels.set_index("id").loc["CN-JS:wuxi-new-district~BR-SP:sao-paulo-norte"]
    assert tie["notes"] == "first line\nsecond line\twith a tab"
    assert tie["sources:string[]"].split(SEP) == ["https://example.org/a%7Cb?x='1'",
                                                  "https://example.org/a%7Cb?x='1'#again"]


def test_import_files_at_country_level(loaded_store, csv_frame, tmp_path):
    export(loaded_store, tmp_path / "countries", format="neo4j-import", level="country")
    nodes, rels = _read(tmp_path / "countries")
    assert set(nodes[":LABEL"]) == {"Country"} and set(rels[":TYPE"]) == {"TIES"}
    assert "agreements:int" in rels.columns and "name" in nodes.columns
    names = dict(zip(nodes["id:ID"], nodes["name"], strict=False))
    got = {names[row[1]]: int(row.agreements) for row in rels.rename(columns={"agreements:int": "agreements"})
           .itertuples(index=False)}
    assert got == csv_frame["lac_country"].value_counts().to_dict()
