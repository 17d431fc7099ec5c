"""`twinlac query` prints plain rows (``emit_rows``) exactly as it printed their DataFrame (``emit``),
in every format, and starts without pandas."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from twinlac.cli import app, output
from twinlac.cli.options import INPUT_FORMATS, OutputFormat, TableOptions
from twinlac.cli.output import emit, emit_rows, note
from twinlac.graph.store import QueryRows, rows_frame

ROOT = Path(__file__).resolve().parents[2]
FORMATS = [OutputFormat.csv, OutputFormat.json, OutputFormat.table, OutputFormat.auto]

#: Queries on the bundled data: nulls, floats, lists, maps, dates, booleans, unicode, big numbers.
QUERIES = [
    "RETURN 1 AS i, 2.5 AS f, 'Zürich, \"北京\"' AS s, true AS b, NULL AS n, [1, 2] AS l, date('2020-01-02') AS d",
    "UNWIND [1, NULL, 12345] AS x RETURN x AS x, x * 1.5 AS y, x AS year",
    "UNWIND [0.1, 1e20, 1e-7, 12345.678, -0.0, 3.0, 1e16, 2.5e-5] AS f RETURN f AS f, f AS distance_km",
    "UNWIND [CAST('nan' AS DOUBLE), NULL] AS x RETURN x AS x, 'a' AS a",
    "MATCH (c:Country) RETURN c.id AS id, c.name AS name, c.recognises_prc AS rec, c.prc_switch_year AS y "
    "ORDER BY id",
    "MATCH (p:Province) RETURN p.name AS name, p.name_zh AS zh, p.lat AS lat, p.lon AS lon, p.coastal AS coastal "
    "ORDER BY name",
    "MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id, t.year AS year, t.sources AS sources, t.themes AS themes "
    "ORDER BY id LIMIT 40",
    "RETURN {a: 1, b: 'x'} AS m, [[1.5], []] AS nested, '' AS empty, 'two\nlines' AS text",
    "MATCH (c:Country) RETURN c ORDER BY c.id LIMIT 3",
    "MATCH (c:Country) WHERE c.id = 'none' RETURN c.id AS id, c.prc_switch_year AS year",
    "RETURN timestamp('2020-01-01 10:00:00') AS t, interval('1 day') AS span, CAST(1.5 AS DECIMAL(5,2)) AS dec",
]

#: Rows no query of the bundled data returns: mixed types in one column, infinities, text to quote.
ROWS = [
    QueryRows(["mixed", "bools", "both"], [(1, True, True), (2.5, None, 1), (None, False, None)]),
    QueryRows(["x", "text"], [(float("inf"), "a,b"), (float("-inf"), 'say "hi"'), (1e-300, "[red]x[/red]")]),
    QueryRows(["year", "n"], [(2015, 10000), (None, -20000)]),
    QueryRows(["day", "none"], [(dt.date(2024, 2, 29), None), (None, None)]),
    QueryRows(["empty"], []),
    QueryRows(["big"], [(2**63,), (1,)]),
    QueryRows(["when"], [(dt.datetime(2020, 1, 1, 10, 0, 0, 5),), (dt.datetime(2021, 1, 1),)]),
    QueryRows(["a", "a"], [(1, 2)]),
]


def _printed(capsys, show) -> tuple[str, str]:
    output._shown.clear()  # each print warns afresh, as in a new process
    show()
    captured = capsys.readouterr()
    return captured.out, captured.err


def _assert_same(capsys, result: QueryRows, fmt: OutputFormat) -> None:
    options = TableOptions(fmt, wide=True)  # as `twinlac query` prints
    expected = _printed(capsys, lambda: emit(rows_frame(result), options))
    assert _printed(capsys, lambda: emit_rows(result, options)) == expected


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.value)
@pytest.mark.parametrize("cypher", QUERIES)
def test_query_rows_print_as_their_frame(loaded_store, capsys, cypher, fmt):
    result = loaded_store.query_rows(cypher)
    _assert_same(capsys, result, fmt)


@pytest.mark.filterwarnings("ignore:DataFrame columns are not unique")  # the frame's own, for ("a", "a")
@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.value)
@pytest.mark.parametrize("result", ROWS, ids=lambda r: "-".join(r.columns) or "none")
def test_rows_of_every_kind_print_as_their_frame(capsys, result, fmt):
    _assert_same(capsys, result, fmt)


def test_a_blank_number_column_is_noted_as_in_a_frame(capsys):
    result = QueryRows(["score", "name"], [(float("nan"), "a"), (None, "b")])
    _assert_same(capsys, result, OutputFormat.csv)
    assert "score could not be computed" in _printed(capsys, lambda: emit_rows(result))[1]


def test_columns_and_fitted_tables_print_through_the_frame(loaded_store, capsys):
    result = loaded_store.query_rows("MATCH (c:Country) RETURN c.id AS id, c.name AS name ORDER BY id")
    for options in (TableOptions(OutputFormat.table), TableOptions(OutputFormat.csv, columns=("name",))):
        expected = _printed(capsys, lambda o=options: emit(rows_frame(result), o))
        assert _printed(capsys, lambda o=options: emit_rows(result, o)) == expected


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_cli_query_prints_as_before_with_the_row_limit_note(loaded_db, loaded_store, capsys, fmt):
    cypher = "MATCH (l:Locality) RETURN l.id AS id, l.name AS name, l.lat AS lat ORDER BY id"
    frame = loaded_store.query(cypher, max_rows=3)
    assert frame.attrs["truncated"]
    expected = _printed(capsys, lambda: (emit(frame, TableOptions(OutputFormat(fmt), wide=True)),
                                         note("(first 3 rows shown; raise --limit to see more)")))
    result = CliRunner().invoke(app, ["query", cypher, "--db", str(loaded_db), "--limit", "3", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert (result.stdout, result.stderr) == expected


def test_input_formats_are_the_loaders():
    from twinlac.loaders import FORMATS

    assert INPUT_FORMATS == FORMATS


def test_query_starts_without_pandas(loaded_db, tmp_path):
    """`python -m twinlac query` loads no pandas, numpy or networkx (a check of sys.modules)."""
    from benchmarks.cold_start import HEAVY_FOR_QUERY, loaded_by

    args = ["query", "--db", str(loaded_db), "-f", "json", "MATCH (c:Country) RETURN c.id AS id ORDER BY id"]
    loaded, stdout = loaded_by(args, cwd=ROOT)
    assert json.loads(stdout)[0] == {"id": "AG"}
    assert not [m for m in HEAVY_FOR_QUERY if m in loaded]
    assert not {"pandas", "numpy", "networkx"} & loaded


def test_benchmark_probe_sees_pandas_when_a_command_loads_it(loaded_db):
    from benchmarks.cold_start import loaded_by

    loaded, _ = loaded_by(["analyze", "growth", "--db", str(loaded_db), "-f", "csv"], cwd=ROOT)
    assert "pandas" in loaded


def test_info_starts_without_pandas(loaded_db):
    from benchmarks.cold_start import loaded_by

    loaded, stdout = loaded_by(["info", "--db", str(loaded_db), "-f", "csv"], cwd=ROOT)
    assert stdout.splitlines()[0] == "table,count" and "TWINNED_WITH," in stdout
    assert "pandas" not in loaded



def test_plain_values_need_no_frame(loaded_store):
    """Only values pandas would convert (datetimes, durations, decimals, big integers) go through a frame."""
    plain = [output._plain_rows(loaded_store.query_rows(cypher)) is not None for cypher in QUERIES]
    assert plain == [True] * (len(QUERIES) - 1) + [False]
    assert [output._plain_rows(rows) is not None for rows in ROWS] == [True] * 5 + [False] * 3
