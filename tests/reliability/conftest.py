"""Helpers of the reliability suite: run the command line, check a one-line error, count a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import twinlac
from twinlac.cli import app

runner = CliRunner()


def run(*args: object, env: dict[str, str] | None = None) -> Result:
    """The command line, in process; an exception that escapes it fails the test (no traceback allowed)."""
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, env=env)


def one_line_error(result: Result, *names: str) -> str:
    """Assert exit code 1 and one ``error:`` line naming each of ``names``; return the line."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 1, result.output
    assert len(lines) == 1, result.output
    line = lines[0]
    assert line.startswith("error: "), line
    assert "Traceback" not in result.output
    for name in names:
        assert name in line, (name, line)
    return line


def counts(db: Path) -> dict[str, int]:
    """What a store holds, table by table (an empty dict when there is no store)."""
    if not db.exists():
        return {}
    with twinlac.open(db, read_only=True) as store:
        return store.counts()


@pytest.fixture
def small_db(tmp_path: Path) -> Path:
    """A store holding one tie (Wuxi–São Paulo), loaded through the command line."""
    from ..conftest import GOOD_ROW, write_rows

    db = tmp_path / "small.lbdb"
    result = run("load", write_rows(tmp_path / "one.csv", [GOOD_ROW]), "--db", db, "-q")
    assert result.exit_code == 0, result.output
    return db
