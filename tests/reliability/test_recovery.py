"""After a crash in the middle of a checkpoint, read-only commands open the store: they finish
the checkpoint (a writable open, when no other process holds the database) and read what was
committed. While another process writes, they read what it committed, or wait a little and then
say in one line that a load is in progress."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import ladybug
import pytest

from .conftest import counts, one_line_error, run

pytestmark = pytest.mark.slow  # a writer killed or running for seconds

# Writes Forum nodes in batches, a checkpoint after each, until killed.
WRITER = r"""
import sys, ladybug
db = ladybug.Database(sys.argv[1], buffer_pool_size=256 * 1024 * 1024)
conn = ladybug.Connection(db)
for batch in range(1000):
    conn.execute(f"UNWIND range(1, 50000) AS i CREATE (:Forum {{id: 'crash:{batch}:' + string(i), name: 'x'}})")
    conn.execute("CHECKPOINT")
"""


def _recovery_pending(db: Path) -> bool:
    try:
        ladybug.Database(str(db), read_only=True).close()
    except RuntimeError as exc:
        return "checkpoint recovery is pending" in str(exc)
    return False


def crash_during_checkpoint(db: Path, attempts: int = 10) -> None:
    """SIGKILL a writer while its checkpoint is being applied (the shadow file exists)."""
    shadow = db.with_name(db.name + ".shadow")
    for attempt in range(attempts):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)])
        deadline = time.monotonic() + 60
        while writer.poll() is None and not shadow.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(0.002 * attempt)
        writer.kill()
        writer.wait()
        if _recovery_pending(db):
            return
    pytest.fail(f"no kill out of {attempts} landed inside a checkpoint")


def test_read_only_commands_recover_after_a_crash_in_a_checkpoint(small_db):
    before = counts(small_db)
    crash_during_checkpoint(small_db)
    result = run("info", "--db", small_db, "-f", "json")
    assert result.exit_code == 0, result.output
    held = {row["table"]: row["count"] for row in json.loads(result.stdout)}
    assert {k: v for k, v in held.items() if k != "Forum"} == {k: v for k, v in before.items() if k != "Forum"}
    assert held["Forum"] >= before["Forum"]
    assert (held["Forum"] - before["Forum"]) % 50_000 == 0  # whole committed batches, nothing torn
    assert not small_db.with_name(small_db.name + ".shadow").exists()
    query = run("query", "MATCH (l:Locality) RETURN count(l) AS n", "--db", small_db, "-f", "json")
    assert json.loads(query.stdout) == [{"n": before["Locality"]}]


def test_readers_during_a_checkpointing_writer_read_or_say_a_load_is_in_progress(small_db):
    before = counts(small_db)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(small_db)])
    outcomes = []
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            result = run("info", "--db", small_db, "-f", "json")
            if result.exit_code == 0:
                held = {row["table"]: row["count"] for row in json.loads(result.stdout)}
                assert held["Locality"] == before["Locality"]
                assert (held["Forum"] - before["Forum"]) % 50_000 == 0  # no torn read
                outcomes.append("read")
            else:
                line = one_line_error(result, "a load is in progress")
                outcomes.append(line)
    finally:
        writer.kill()
        writer.wait()
    # Every run read a consistent state or said a load is in progress (on a busy machine, maybe every
    # run waited out the writer's checkpoints: how many read is not asserted).
    assert writer.returncode is not None and outcomes
    assert counts(small_db)["Locality"] == before["Locality"]


def test_a_second_writer_is_told_in_one_line(tmp_path, small_db):
    from ..conftest import GOOD_ROW, write_rows

    before = counts(small_db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time, ladybug; db = ladybug.Database(sys.argv[1]); "
         "conn = ladybug.Connection(db); print('open', flush=True); time.sleep(30)", str(small_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        path = write_rows(tmp_path / "other.csv", [{**GOOD_ROW, "cn_name": "Hangzhou", "cn_province": "Zhejiang"}])
        one_line_error(run("load", path, "--db", small_db), str(small_db), "being written by another process")
    finally:
        holder.kill()
        holder.wait()
    assert counts(small_db) == before
