"""Processes sharing one store: two loads at once (one wins, the other is told in one line),
queries during a load (each reads the state before or after it, or says in one line that a load is
in progress), and two queries at once (both answer, the same)."""

from __future__ import annotations

import json
import subprocess

import pytest

import twinlac

from .conftest import counts, one_line_error, run
from .test_crash import CLI, load_args, make_pairs

pytestmark = pytest.mark.slow  # loads of thousands of rows in other processes

ROWS = 20_000
TIES = "MATCH ()-[t:TWINNED_WITH]->() RETURN count(t) AS n"


def test_two_loads_at_once_one_wins_the_other_is_told_in_one_line(tmp_path, small_db):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    make_pairs(first, ROWS, prefix="A")
    make_pairs(second, ROWS // 2, prefix="B")
    before = counts(small_db)
    loads = [subprocess.Popen(load_args(path, small_db), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=tmp_path) for path in (first, second)]
    ends = [load.communicate(timeout=300) for load in loads]
    codes = [load.returncode for load in loads]
    if codes == [0, 0]:  # a very slow start of one process: the loads ran one after the other
        assert counts(small_db)["TWINNED_WITH"] == before["TWINNED_WITH"] + ROWS + ROWS // 2
        return
    assert sorted(codes) == [0, 1], (codes, ends)
    winner = codes.index(0)
    _, stderr = ends[1 - winner]
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "being written by another process" in lines[0] and "Traceback" not in stderr
    held = counts(small_db)
    assert held["TWINNED_WITH"] == before["TWINNED_WITH"] + (ROWS, ROWS // 2)[winner]
    # Nothing of the loser's file: its towns are not there.
    loser_prefix = "BA"[winner]
    found = run("query", f"MATCH (l:Locality) WHERE l.name STARTS WITH '{loser_prefix}' RETURN count(l) AS n",
                "--db", small_db, "-f", "json")
    assert json.loads(found.stdout) == [{"n": 0}]


@pytest.mark.parametrize("start", ["holding a tie", "without ties"])
def test_queries_during_a_load_read_before_or_after_never_between(tmp_path, small_db, start):
    # A store without ties is loaded through a copy of its file that takes the file's place.
    if start == "without ties":
        small_db = tmp_path / "empty.lbdb"
        twinlac.open(small_db).close()
    data = tmp_path / "pairs.csv"
    make_pairs(data, ROWS)
    before = counts(small_db)["TWINNED_WITH"]
    after = before + ROWS
    load = subprocess.Popen(load_args(data, small_db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path)
    seen: dict[str, int] = {}
    try:
        while load.poll() is None:
            result = run("query", TIES, "--db", small_db, "-f", "json")
            if result.exit_code == 0:
                n = json.loads(result.stdout)[0]["n"]
                assert n in (before, after), n  # no torn read
                seen[str(n)] = seen.get(str(n), 0) + 1
            else:
                one_line_error(result, "a load is in progress")
                seen["busy"] = seen.get("busy", 0) + 1
    finally:
        _, stderr = load.communicate(timeout=300)
    assert load.returncode == 0, stderr
    assert sum(seen.values()) >= 1, "no query ran during the load"
    final = run("query", TIES, "--db", small_db, "-f", "json")
    assert json.loads(final.stdout) == [{"n": after}]


def test_two_queries_at_once_both_answer_the_same(tmp_path, small_db):
    data = tmp_path / "pairs.csv"
    make_pairs(data, 5_000)
    assert run("load", data, *[f"--map={k}" for k in ("a_name=city1", "a_country=country1", "b_name=city2",
                                                       "b_country=country2", "year=year")],
               "--source", "https://example.org/list", "--db", small_db, "-q").exit_code == 0
    cypher = ("MATCH (a:Locality)-[t:TWINNED_WITH]->(b:Locality) "
              "RETURN a.country AS country, count(t) AS ties ORDER BY country")
    for _ in range(3):
        queries = [subprocess.Popen([*CLI, "query", cypher, "--db", str(small_db), "-f", "json"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(2)]
        ends = [query.communicate(timeout=120) for query in queries]
        assert [query.returncode for query in queries] == [0, 0], ends
        answers = [json.loads(stdout) for stdout, _ in ends]
        assert answers[0] == answers[1] and sum(row["ties"] for row in answers[0]) == 5_001
