"""The read path of ``query`` is an allow-list; files and the network need ``--allow-files``.

Each refusal is tried against the real embedded store: the statement is refused before the
engine sees it, and what the engine would have done (a file written, a folder exported) did
not happen. The same statements run when allowed, so the refusals are not of broken text.
"""

from __future__ import annotations

import json
import math

import pytest

import twinlac
from twinlac.errors import QueryError

from .conftest import one_line_error, run


def _statements(tmp_path):
    out = tmp_path / "out.csv"
    export = tmp_path / "export"
    return {
        "copy to": (f"COPY (MATCH (l:Locality) RETURN l.id) TO '{out}'", out),
        "export database": (f"EXPORT DATABASE '{export}'", export),
    }


@pytest.mark.parametrize("kind", ["copy to", "export database"])
@pytest.mark.parametrize("flags", [(), ("--write",)])
def test_file_writing_statements_are_refused_and_leave_no_file(tmp_path, small_db, kind, flags):
    cypher, made = _statements(tmp_path)[kind]
    line = one_line_error(run("query", cypher, "--db", small_db, *flags), "--allow-files")
    assert "files or the network" in line
    assert not made.exists()


def test_the_same_statements_reach_the_engine_when_allowed(tmp_path, small_db):
    statements = _statements(tmp_path)
    cypher, made = statements["copy to"]
    result = run("query", cypher, "--db", small_db, "--write", "--allow-files")
    assert result.exit_code == 0, result.output
    assert made.exists()
    # The engine itself cannot export this schema yet; what matters is that it, not the guard, says so.
    cypher, _ = statements["export database"]
    line = one_line_error(run("query", cypher, "--db", small_db, "--write", "--allow-files"), "Export database")
    assert "--allow-files" not in line


def test_load_from_a_local_file_needs_allow_files(tmp_path, small_db):
    secret = tmp_path / "secret.csv"
    secret.write_text("user,password\nroot,hunter2\n", encoding="utf-8")
    cypher = f"LOAD FROM '{secret}' (header=true) RETURN *"
    line = one_line_error(run("query", cypher, "--db", small_db, "-f", "json"), "LOAD FROM", "--allow-files")
    assert "hunter2" not in line
    allowed = run("query", cypher, "--db", small_db, "-f", "json", "--allow-files")
    assert allowed.exit_code == 0, allowed.output
    assert "hunter2" in allowed.output  # the engine does read the file: the guard is the barrier


@pytest.mark.parametrize("cypher", [
    "INSTALL json", "LOAD EXTENSION json", "LOAD json", "UNINSTALL json",
    "ATTACH 'other.lbdb' AS other (dbtype lbug)", "IMPORT DATABASE 'somewhere'",
    "LOAD FROM 'https://example.org/x.csv' RETURN *",
])
def test_extension_network_and_attach_statements_are_refused(small_db, cypher):
    one_line_error(run("query", cypher, "--db", small_db, "--write"), "files or the network", "--allow-files")


@pytest.mark.parametrize("cypher", [
    "CREATE (:Forum {id: 'forum:x', name: 'X'})", "MATCH (l:Locality) SET l.name = 'x'",
    "MATCH (l:Locality) DETACH DELETE l", "CHECKPOINT", "BEGIN TRANSACTION", "DROP TABLE Forum",
    "CREATE MACRO twice(x) AS x * 2", "CALL project_graph('g', ['Locality'], ['TWINNED_WITH'])",
    "MATCH (l:Locality) RETURN count(l); CREATE (:Forum {id: 'forum:y', name: 'Y'})",
])
def test_anything_outside_the_read_allow_list_needs_write(small_db, cypher):
    before = twinlac.open(small_db, read_only=True)
    try:
        held = before.counts()
    finally:
        before.close()
    one_line_error(run("query", cypher, "--db", small_db), "--write" if ";" not in cypher else "one statement")
    with twinlac.open(small_db, read_only=True) as store:
        assert store.counts() == held


@pytest.mark.parametrize("cypher", [
    "MATCH (l:Locality) RETURN l.name AS copy ORDER BY l.name SKIP 0 LIMIT 5",
    "OPTIONAL MATCH (l:Locality {name: 'LOAD FROM x'}) RETURN count(l) AS n",
    "UNWIND [1, 2] AS x WITH x WHERE x > 1 RETURN x UNION ALL RETURN 3 AS x",
    "MATCH (a:Locality)-[:TWINNED_WITH*1..2]-(b) RETURN count(*) AS n",
    "CALL show_tables() RETURN name",
    "MATCH (set:Locality) RETURN set.id AS id",
])
def test_reads_run_on_a_read_only_store(small_db, cypher):
    result = run("query", cypher, "--db", small_db, "-f", "json")
    assert result.exit_code == 0, result.output


def test_library_refuses_before_the_engine(tmp_path, small_db):
    out = tmp_path / "lib.csv"
    with twinlac.open(small_db) as store:  # writable: only the guard stands in the way
        with pytest.raises(QueryError, match="allow_files=True"):
            store.query(f"COPY (MATCH (l:Locality) RETURN l.id) TO '{out}'", write=True)
    assert not out.exists()


def test_json_output_has_no_nan_or_infinity(small_db):
    result = run("query", "RETURN 0.0 / 0.0 AS nan, 1.0 / 0.0 AS inf, [-1.0 / 0.0, 2.5] AS list",
                 "--db", small_db, "-f", "json")
    assert result.exit_code == 0, result.output

    def refuse(name: str) -> float:
        raise AssertionError(f"{name} in JSON output")

    rows = json.loads(result.stdout, parse_constant=refuse)
    assert rows == [{"nan": None, "inf": None, "list": [None, 2.5]}]
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in rows[0].values())
