"""`python -m benchmarks all` runs end to end on a tiny synthetic set and prints its table (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STEPS = ["copy_csv", "copy_df", "copy_tx", "copy_tx_nolist", "merge_row", "unwind_merge", "load", "reload",
         "growth", "map"]


@pytest.mark.slow
def test_benchmark_harness_prints_its_table(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "all", "--size", "300", "--steps", ",".join(STEPS),
         "--keep", str(tmp_path), "--timeout", "300"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    header = lines.index("| step | what | time | rows/s | peak RSS | target | vs floor | notes |")
    rows = {line.split(" | ")[0].removeprefix("| "): line for line in lines[header + 2:] if line.startswith("| ")}
    assert list(rows) == ["data", *STEPS[:8], "graph", *STEPS[8:]]
    assert "failed" not in done.stdout
    assert "| 1× |" in rows["copy_csv"]  # the floor
    assert "×" in rows["load"].split(" | ")[6]  # load against the floor
    assert "0 ties added" in rows["reload"]
    assert "COMMIT" in rows["copy_tx"]
    assert "page" in rows["map"]
