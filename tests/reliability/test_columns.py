"""A misspelt column is refused with a hint, or loaded around with a warning; a workbook with
several sheets says which one was read, and ``--sheet`` picks one."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from ..conftest import GOOD_ROW, HEADER, write_rows
from .conftest import counts, one_line_error, run

MISSPELT = [("yaer" if c == "year" else c) for c in HEADER]


def test_misspelt_column_is_an_error_with_a_hint(tmp_path, small_db):
    before = counts(small_db)
    path = write_rows(tmp_path / "yaer.csv", [{**GOOD_ROW, "yaer": "2005"}], header=MISSPELT)
    one_line_error(run("load", path, "--db", small_db), str(path), "row 1", "'yaer'", "did you mean `year`?")
    assert counts(small_db) == before


def test_unknown_column_without_a_close_name_lists_the_columns(tmp_path, small_db):
    path = write_rows(tmp_path / "colour.csv", [{**GOOD_ROW, "colour": "red"}], header=[*HEADER, "colour"])
    one_line_error(run("load", path, "--db", small_db), "'colour'", "the canonical columns are cn_name")


def test_allow_extra_columns_loads_and_warns_naming_the_column(tmp_path):
    db = tmp_path / "extra.lbdb"
    path = write_rows(tmp_path / "yaer.csv", [{**GOOD_ROW, "yaer": "2005"}], header=MISSPELT)
    result = run("load", path, "--db", db, "--allow-extra-columns", "-q")
    assert result.exit_code == 0, result.output
    assert f"warning: {path}: column 'yaer' is not a canonical column" in result.output
    assert counts(db)["TWINNED_WITH"] == 1


def _workbook(path, sheets: dict[str, list[list[str]]]):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


AGREEMENTS = [HEADER, [GOOD_ROW[c] for c in HEADER]]


def test_workbook_with_several_sheets_says_which_was_read(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"Agreements": AGREEMENTS, "Notes": [["read me"]]})
    result = run("load", path, "--db", tmp_path / "two.lbdb", "-q")
    assert result.exit_code == 0, result.output
    assert "has 2 sheets ('Agreements', 'Notes'); read the first, 'Agreements'" in result.output


@pytest.mark.parametrize("sheet, loaded", [("Agreements", True), ("Nope", False)])
def test_sheet_option_chooses(tmp_path, sheet, loaded):
    db = tmp_path / "sheet.lbdb"
    path = _workbook(tmp_path / "two.xlsx", {"Notes": [["read me"]], "Agreements": AGREEMENTS})
    result = run("load", path, "--db", db, "-q", "--sheet", sheet)
    if loaded:
        assert result.exit_code == 0, result.output
        assert counts(db)["TWINNED_WITH"] == 1
    else:
        one_line_error(result, str(path), "no sheet 'Nope'", "'Notes', 'Agreements'")
        assert not db.exists()


def test_first_sheet_not_agreements_warns_then_errors(tmp_path):
    path = _workbook(tmp_path / "two.xlsx", {"Notes": [["read me"]], "Agreements": AGREEMENTS})
    result = run("load", path, "--db", tmp_path / "x.lbdb")
    assert result.exit_code == 1
    warning, error = result.output.strip().splitlines()
    assert "read the first, 'Notes' (--sheet NAME to choose another)" in warning and error.startswith("error: ")


def test_sheet_on_a_csv_is_an_error(tmp_path):
    path = write_rows(tmp_path / "one.csv", [GOOD_ROW])
    one_line_error(run("load", path, "--db", tmp_path / "x.lbdb", "--sheet", "A"), str(path), ".xlsx")
