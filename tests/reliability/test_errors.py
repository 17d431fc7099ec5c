"""Input that breaks a reader, an option out of range or an engine failure reaches the user as one
line naming the file (row, field) and exit code 1, never a traceback; nothing is written."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from ..conftest import GOOD_ROW, HEADER, write_rows
from .conftest import counts, one_line_error, run


def test_cell_over_the_csv_field_limit(tmp_path, small_db):
    before = counts(small_db)
    path = write_rows(tmp_path / "big.csv", [GOOD_ROW, {**GOOD_ROW, "notes": "x" * (csv.field_size_limit() + 1)}])
    line = one_line_error(run("load", path, "--db", small_db), str(path), "row 3", "longer than")
    assert "nothing was written" in line
    assert counts(small_db) == before


def test_unterminated_quote_names_the_row_where_it_opens(tmp_path, small_db):
    path = tmp_path / "quote.csv"
    text = ",".join(HEADER) + "\n" + ",".join(GOOD_ROW[h] for h in HEADER) + "\n" + '"Wuxi,' + "x" * 140_000 + "\n"
    path.write_text(text, encoding="utf-8")
    one_line_error(run("load", path, "--db", small_db), str(path), "row 3", "quote")


@pytest.mark.parametrize("where", ["top level", "inside a field"])
def test_json_nested_100000_deep(tmp_path, small_db, where):
    before = counts(small_db)
    deep = "[" * 100_000 + "]" * 100_000
    path = tmp_path / "deep.json"
    path.write_text(deep if where == "top level" else f'[{{"cn_name": {deep}}}]', encoding="utf-8")
    one_line_error(run("load", path, "--db", small_db), str(path), "nested too deeply")
    assert counts(small_db) == before


def test_json_nested_value_in_a_field_names_row_and_field(tmp_path, small_db):
    path = tmp_path / "nested.json"
    path.write_text(json.dumps([GOOD_ROW, {**GOOD_ROW, "cn_name": [["Wuxi"]]}]), encoding="utf-8")
    one_line_error(run("load", path, "--db", small_db), str(path), "row 3", "'cn_name'", "nested")


def test_a_folder_given_as_the_input_file(tmp_path, small_db):
    folder = tmp_path / "agreements.csv"
    folder.mkdir()
    one_line_error(run("load", folder, "--db", small_db), str(folder), "folder")


@pytest.mark.parametrize("option, value, said", [
    ("--timeout", "-1", "timeout"), ("--timeout", "0", "timeout"), ("--timeout", "0.0001", "timeout"),
    ("--timeout", "nan", "timeout"), ("--limit", "-1", "row limit"),
])
def test_query_limits_out_of_range(small_db, option, value, said):
    one_line_error(run("query", "MATCH (p:Province) RETURN count(p)", option, value, "--db", small_db), said, value)


def test_engine_error_while_writing_is_one_line_and_leaves_nothing(tmp_path):
    db = tmp_path / "tiny.lbdb"
    # A buffer pool far too small for the bundled data: the engine fails while writing.
    result = run("load", "--db", db, "-q", env={"TWINLAC_BUFFER_POOL_MB": "6"})
    one_line_error(result, str(db), "Buffer manager")
    assert not db.exists()


@pytest.mark.parametrize("bad, shown", [("\x00", "U+0000"), ("\x1b", "U+001B"), ("\x7f", "U+007F"),
                                        ("\x85", "U+0085")])
def test_control_characters_in_names_are_refused_with_row_and_field(tmp_path, small_db, bad, shown):
    before = counts(small_db)
    path = write_rows(tmp_path / "ctl.csv", [{**GOOD_ROW, "cn_name": "Hang", "cn_province": "Zhejiang"},
                                             {**GOOD_ROW, "cn_name": f"Camp{bad}inas"}])
    one_line_error(run("load", path, "--db", small_db), str(path), "row 3", "'cn_name'", shown)
    assert counts(small_db) == before


def test_unpaired_surrogate_from_json_is_refused(tmp_path, small_db):
    path = tmp_path / "surrogate.json"
    path.write_text(json.dumps([{**GOOD_ROW, "lac_name": "S\ud800o Paulo"}]), encoding="utf-8")
    one_line_error(run("load", path, "--db", small_db), str(path), "row 2", "'lac_name'", "U+D800")


def test_tab_and_zero_width_characters_are_kept(tmp_path):
    db = tmp_path / "kept.lbdb"
    name = "Wu\u200bxi"
    path = write_rows(tmp_path / "zw.csv", [{**GOOD_ROW, "cn_name": name, "notes": "a\tb\nc"}])
    assert run("load", path, "--db", db, "-q").exit_code == 0
    got = run("query", "MATCH (l:Locality) WHERE l.name = $n RETURN l.name AS name", "-p", f"n={name}",
              "--db", db, "-f", "json")
    assert json.loads(got.output) == [{"name": name}]


def test_rejects_file_keeps_the_cells_of_a_row_with_too_many(tmp_path, small_db):
    path = tmp_path / "wide.csv"
    cells = [GOOD_ROW[h] for h in HEADER]
    path.write_text(",".join(HEADER) + "\n" + ",".join([*cells[:4], "Caracas", *cells[5:], "extra1", "extra2"]) + "\n",
                    encoding="utf-8")
    result = run("load", path, "--db", small_db, "--skip-invalid", "--rejects", tmp_path / "rejects.csv")
    assert result.exit_code == 0, result.output
    with (tmp_path / "rejects.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["row"] == "2" and "extra1" in row["reason"] and "extra2" in row["reason"]
    assert row["cn_name"] == "Wuxi" and row["lac_name"] == "Caracas"


def test_failed_first_load_creates_no_database(tmp_path):
    db = tmp_path / "new" / "folder" / "first.lbdb"
    path = write_rows(tmp_path / "bad.csv", [{**GOOD_ROW, "year": "20x5"}])
    result = run("load", path, "--db", db)
    assert result.exit_code == 1
    assert not (tmp_path / "new").exists()


def test_failed_load_keeps_an_existing_database(tmp_path, small_db):
    before = counts(small_db)
    path = write_rows(tmp_path / "bad.csv", [{**GOOD_ROW, "year": "20x5"}])
    assert run("load", path, "--db", small_db).exit_code == 1
    assert counts(small_db) == before


def test_library_open_of_a_new_path_left_by_an_error_leaves_nothing(tmp_path):
    import twinlac
    from twinlac.errors import LoadError

    db = tmp_path / "lib.lbdb"
    with pytest.raises(LoadError), twinlac.open(db) as store:
        twinlac.load_agreements(store, write_rows(tmp_path / "bad.csv", [{**GOOD_ROW, "evidence": "rumour"}]))
    assert list(tmp_path.glob("lib.lbdb*")) == []
    with twinlac.open(db) as store:  # a write kept: the database stays even when the block then fails
        twinlac.load_agreements(store, write_rows(tmp_path / "good.csv", [GOOD_ROW]))
    assert counts(Path(db))["TWINNED_WITH"] == 1


@pytest.mark.parametrize("args, said", [
    (("RETURN $x AS x", "-p", "x=caf\udce9"), "parameter x holds U+DCE9"),
    (("RETURN 'caf\udce9' AS x",), "the query holds U+DCE9"),
    (("--name", "province_agreements", "-p", "province=\udcff"), "parameter province holds U+DCFF"),
])
def test_query_text_that_is_not_utf8_is_one_line(small_db, args, said):
    # Bytes that are not UTF-8 in an argument reach Python as unpaired surrogates; the engine cannot take them.
    one_line_error(run("query", *args, "--db", small_db), said)


def test_load_source_that_is_not_utf8_is_a_usage_error(tmp_path, small_db):
    path = write_rows(tmp_path / "pairs.csv", [{"cn_name": "Wuxi"}], header=["cn_name"])
    result = run("load", path, "--map", "a_name=cn_name", "--map", "a_country=cn_name", "--map", "b_name=cn_name",
                 "--map", "b_country=cn_name", "--source", "https://example.org/\udcff", "--db", small_db)
    assert result.exit_code == 2 and "--source holds the unpaired surrogate U+DCFF" in result.output
    assert "Traceback" not in result.output
