"""How the command line prints: columns that fit, CSV of several tables, warnings, errors, progress."""

import json
import warnings

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from twinlac.cli.options import OutputFormat, TableOptions
from twinlac.cli.output import (
    LoadProgress, cell, emit_tables, fit_columns, friendly_errors, frame_notes, large_page, working,
)
from twinlac.errors import StoreError

runner = CliRunner()


def test_cells_have_no_exponents_for_kilometres():
    assert cell(10150.7, "mean_tie_km") == "10,151"
    assert cell(16839.2) == "16,839"
    assert cell(0.12345) == "0.1235" and cell(float("nan")) == "" and cell(None) == ""
    assert cell(2015, "year") == "2015"


def test_missing_values_print_blank_not_na():
    assert cell(pd.NA, "year") == "" and cell(pd.NaT) == ""
    frame = pd.DataFrame({"name": ["Salta", "Xuzhou"], "year": pd.array([None, 1999], dtype="Int64"),
                          "kind": pd.array([None, "sister"], dtype="string")})
    result = runner.invoke(_emit_app(frame), [])
    assert "<NA>" not in result.output and "1999" in result.output and "sister" in result.output
    salta = next(line for line in result.output.splitlines() if "Salta" in line)
    assert set(salta.replace("Salta", "").replace("│", "").replace("|", "")) <= {" "}


def _emit_app(frame: pd.DataFrame) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def show() -> None:
        from twinlac.cli.output import emit

        emit(frame, TableOptions(OutputFormat.table))

    return app


def test_fit_columns_stops_at_the_width():
    frame = pd.DataFrame({f"column_{i}": ["x" * 10] for i in range(10)})  # each column 10 + 3 wide
    assert fit_columns(frame, 80) == [f"column_{i}" for i in range(6)]  # 1 + 6 * 13 = 79
    assert fit_columns(pd.DataFrame({"a" * 200: [1]}), 80) == ["a" * 200]  # at least one


def test_csv_of_several_tables_names_the_others(capsys):
    tables = {"first": pd.DataFrame({"a": [1]}), "second": pd.DataFrame({"b": [2]})}
    emit_tables(tables, TableOptions(OutputFormat.csv))
    captured = capsys.readouterr()
    assert captured.out == "a\n1\n"
    assert "second" in captured.err and "--out FOLDER" in captured.err


def test_out_folder_writes_one_file_per_table(tmp_path, capsys):
    tables = {"by year": pd.DataFrame({"a": [1]}), "totals": pd.DataFrame({"b": [2]})}
    emit_tables(tables, TableOptions(OutputFormat.csv, out=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["by_year.csv", "totals.csv"]
    assert pd.read_csv(tmp_path / "totals.csv")["b"].tolist() == [2]
    emit_tables(tables, TableOptions(OutputFormat.json, out=tmp_path / "j", table="totals"))
    assert json.loads((tmp_path / "j" / "totals.json").read_text()) == [{"b": 2}]


def test_warnings_and_notes_are_printed_once(capsys):
    with working("computing"):
        for _ in range(3):
            warnings.warn("eigenvector did not converge", RuntimeWarning)
    frame = pd.DataFrame({"id": ["a"], "eigenvector": [float("nan")], "pagerank": [0.5]})
    frame.attrs["notes"] = ["pagerank was computed on the giant component"]
    frame_notes(frame, "centrality")
    err = capsys.readouterr().err
    assert err.count("warning: eigenvector did not converge") == 1
    assert "warning: pagerank was computed on the giant component" in err
    # the blank column was already named by the warning: not said twice
    assert err.count("eigenvector") == 1


def test_blank_column_is_a_warning(capsys):
    frame_notes(pd.DataFrame({"id": ["a", "b"], "bipartite_betweenness": [float("nan")] * 2}))
    assert "warning: bipartite_betweenness could not be computed" in capsys.readouterr().err


def test_large_page_warns(capsys):
    large_page(5000)
    assert capsys.readouterr().err == ""
    large_page(5001)
    err = capsys.readouterr().err
    assert "warning: 5,001 places" in err and "--level province" in err


@pytest.mark.parametrize("exc,code,line", [
    (StoreError("cannot open x.lbdb"), 1, "error: cannot open x.lbdb"),
    (FileNotFoundError(2, "No such file or directory", "nope.csv"), 1, "error: No such file or directory: nope.csv"),
    (ValueError("level must be one of 'a', 'b'"), 2, "error: level must be one of 'a', 'b'"),
    (RuntimeError("Binder exception: table X does not exist"), 1,
     "error: database: Binder exception: table X does not exist"),
])
def test_errors_are_one_line(exc, code, line):
    app = typer.Typer()

    @app.command()
    @friendly_errors
    def fail() -> None:
        raise exc

    result = runner.invoke(app, [])
    assert result.exit_code == code
    assert result.stderr.strip() == line and "Traceback" not in result.output


def test_a_bug_is_not_passed_off_as_a_database_error():
    app = typer.Typer()

    @app.command()
    @friendly_errors
    def fail() -> None:
        raise RecursionError("deep")

    assert isinstance(runner.invoke(app, []).exception, RecursionError)


def test_load_progress_totals_the_write_pass_by_the_check_pass_then_shows_the_save():
    progress = LoadProgress()
    with progress as tick:
        for _ in range(2500):
            tick("check")
        for _ in range(2500):
            tick("write")
        tick("save")
        tasks = {task.description: task for task in progress._progress.tasks}
        # The rows short of a display update (500 of each pass) are counted before the save begins.
        assert tasks["checking"].completed == 2500 and tasks["checking"].total is None
        assert tasks["writing"].completed == 2500 and tasks["writing"].total == 2500
        assert tasks["saving to the database"].total is None and not tasks["saving to the database"].finished
    interrupted = LoadProgress()  # no save (a load that failed): the rows short of an update counted on exit
    with interrupted as tick:
        for _ in range(1500):
            tick("check")
    assert [(task.description, task.completed) for task in interrupted._progress.tasks] == [("checking", 1500)]
