"""A `twinlac load` of 100,000 rows killed with SIGKILL while checking, while writing and around
its commit: after each kill the store opens and holds what it held before or the whole file,
never part of it, and loading the file again gives the exact count."""

from __future__ import annotations

import csv
import json
import os
import pty
import random
import re
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import twinlac
from twinlac.graph.embedded import COPY_SUFFIX, rebuilds

from .conftest import counts, run

pytestmark = pytest.mark.slow  # runs of a 100,000-row load

ROWS = 100_000
CLI = [sys.executable, "-c", "import sys; from twinlac.cli import app; sys.argv[0] = 'twinlac'; app()"]
#: The command line with every write of ties into a store that holds ties rebuilding the database.
REBUILDING_CLI = [sys.executable, "-c", "import sys; import twinlac.graph.embedded as e; e.REBUILD_MIN_TIES = 1; "
                  "e.REBUILD_SCALE = 0; from twinlac.cli import app; sys.argv[0] = 'twinlac'; app()"]
COUNTRIES = ["China", "Brazil", "Argentina", "Mexico", "France", "Germany", "Japan", "United States",
             "Italy", "Spain", "Chile", "Peru", "Poland", "India", "Canada", "Cuba"]
MAPPING = {"a_name": "city1", "a_country": "country1", "b_name": "city2", "b_country": "country2", "year": "year"}
PROGRESS = re.compile(r"(checking|writing)\D*?(\d+)(?:/(\d+))?")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def make_pairs(path: Path, rows: int, per_country: int = 300, prefix: str = "") -> None:
    """``rows`` distinct ties between synthetic towns of real countries (few names: they resolve fast),
    each name starting with ``prefix``."""
    rng = random.Random(12)
    seen: set[tuple[str, str]] = set()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2", "year"])
        while len(seen) < rows:
            ca, cb = rng.sample(COUNTRIES, 2)
            a = f"{prefix}{ca[:3]}town {rng.randrange(per_country)}"
            b = f"{prefix}{cb[:3]}town {rng.randrange(per_country)}"
            if (a, b) in seen or (b, a) in seen:
                continue
            seen.add((a, b))
            writer.writerow([a, ca, b, cb, rng.randint(1960, 2024)])


def load_args(data: Path, db: Path, cli: list[str] = CLI) -> list[str]:
    return [*cli, "load", str(data), *[f"--map={k}={v}" for k, v in MAPPING.items()],
            "--source", "https://example.org/list", "--db", str(db)]


def load_until(data: Path, db: Path, phase: str, rows: int, then: Callable[[], bool] | None = None,
               delay: float = 0.0, cli: list[str] = CLI) -> None:
    """Run a load with its progress on a terminal; SIGKILL it once ``phase`` (as shown: "checking",
    "writing") has done ``rows`` rows and ``then()`` (if given) holds, ``delay`` seconds later."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm"}
    process = subprocess.Popen(load_args(data, db, cli), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=follower, env=env, cwd=data.parent)
    os.close(follower)
    seen, reached = "", False
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            if reached and (then is None or then()):
                time.sleep(delay)
                process.kill()
                return
            ready, _, _ = select.select([leader], [], [], 0.002 if reached else 0.1)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)  # read on: a full terminal would stall the load
            except OSError:
                break
            for match in PROGRESS.finditer(ANSI.sub("", chunk.decode(errors="replace"))):
                seen = match.group(0)
                reached = reached or (match.group(1) == phase and int(match.group(2)) >= rows)
        pytest.fail(f"the load ended (exit {process.poll()}) before the kill ({phase} {rows}); last: {seen}")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        os.close(leader)


def held(db: Path) -> dict[str, int]:
    """What the store holds, read with the command line (which recovers a store left by a crash)."""
    result = run("info", "--db", db, "-f", "json")
    assert result.exit_code == 0, result.output
    return {row["table"]: row["count"] for row in json.loads(result.stdout)}


def test_a_load_killed_at_any_point_leaves_the_prior_state_or_the_whole_file(tmp_path, small_db):
    data = tmp_path / "pairs.csv"
    make_pairs(data, ROWS)
    before = counts(small_db)
    assert not rebuilds(before["TWINNED_WITH"], ROWS)  # one transaction
    outcomes: dict[str, dict[str, int]] = {}
    for name, phase, rows, in_checkpoint in (("checking", "checking", 30_000, False),
                                             ("writing", "writing", 40_000, False),
                                             ("commit", "writing", ROWS, True)):
        db = tmp_path / f"{name}.lbdb"
        shutil.copy(small_db, db)
        # Around the commit: once every row is written, as soon as the engine's checkpoint has begun
        # (its shadow file exists), a little into it.
        shadow = db.with_name(db.name + ".shadow")
        load_until(data, db, phase, rows, then=shadow.exists if in_checkpoint else None,
                   delay=0.3 if in_checkpoint else 0.0)
        outcomes[name] = held(db)
    # Killed before writing: nothing written. While writing: nothing (one transaction).
    assert outcomes["checking"] == before
    assert outcomes["writing"] == before

    # Loading again after a kill gives the exact count; the kill around the commit left that or nothing.
    db = tmp_path / "writing.lbdb"
    subprocess.run(load_args(data, db), check=True, capture_output=True, cwd=tmp_path)
    full = held(db)
    assert full["TWINNED_WITH"] == before["TWINNED_WITH"] + ROWS
    assert full["Locality"] > before["Locality"]
    assert outcomes["commit"] in (before, full)


@pytest.mark.parametrize("way", ["first load", "rebuild"])
def test_a_load_into_a_copy_killed_at_any_point_leaves_the_prior_state_or_the_whole_file(tmp_path, small_db, way):
    """A load into a store without ties writes a copy of the database, and a load of many ties into
    a store holding ties a new database with what it holds; either takes the file's place once
    complete. Killed while writing, or while the copy is written and swapped in, the store holds
    what it held or the whole file, and the next writable open removes the copy."""
    data = tmp_path / "pairs.csv"
    make_pairs(data, ROWS)
    start, cli = small_db, REBUILDING_CLI
    if way == "first load":
        start, cli = tmp_path / "empty.lbdb", CLI
        twinlac.open(start).close()  # the reference graph only
    before = counts(start)
    outcomes: dict[str, dict[str, int]] = {}
    for name, rows, until in (("writing", 40_000, None), ("copy", ROWS, "copy")):
        db = tmp_path / f"{name}.lbdb"
        shutil.copy(start, db)
        copy = db.with_name(db.name + COPY_SUFFIX)
        # Once every row is kept, as soon as the copy of the database exists, a little later.
        load_until(data, db, "writing", rows, then=copy.exists if until else None, delay=0.5 if until else 0.0,
                   cli=cli)
        outcomes[name] = held(db)
    assert outcomes["writing"] == before
    db = tmp_path / "copy.lbdb"
    with twinlac.open(db):  # writable: removes what the killed load left
        pass
    assert not db.with_name(db.name + COPY_SUFFIX).exists()
    db = tmp_path / "writing.lbdb"
    subprocess.run(load_args(data, db, cli), check=True, capture_output=True, cwd=tmp_path)
    full = held(db)
    assert full["TWINNED_WITH"] == before["TWINNED_WITH"] + ROWS
    assert outcomes["copy"] in (before, full)
