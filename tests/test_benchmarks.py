"""`python -m benchmarks all` runs end to end on a tiny synthetic set and prints its table (no timing is checked)."""

from __future__ import annotations

import subprocess
import sys
import time
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


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="samples /proc (Linux)")
def test_tree_memory_counts_a_child_by_its_own_pages_not_its_parents():
    # A parent holding 600 MB starts a child that holds 100 MB: the child's own peak is its 100 MB
    # and an interpreter's, far under the parent's 600 MB that ru_maxrss would give (carried over
    # when the child starts its program), or that sampling the child before it starts would count.
    # A process started before, holding 300 MB, is not counted.
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.suite import TreeMemory
    finally:
        sys.path.remove(str(ROOT))
    touched = "b = bytearray({} << 20); b[::4096] = b'\\1' * len(b[::4096]); import time; time.sleep({})"
    earlier = subprocess.Popen([sys.executable, "-c", touched.format(300, 30)])
    try:
        held = bytearray(600 << 20)
        held[::4096] = b"\1" * len(held[::4096])  # touched: resident
        time.sleep(1)  # the earlier process holds its memory
        with TreeMemory(interval=0.02) as memory:
            subprocess.run([sys.executable, "-c", touched.format(100, 1)], check=True)
    finally:
        earlier.kill()
        earlier.wait()
    status = Path("/proc/self/status").read_text().splitlines()
    mine = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024  # 600 MB held incl.
    assert 100 <= memory.child_peak_mb < 200
    assert mine + 90 <= memory.peak_mb < mine + 250  # with the child, without the earlier process
    del held


def test_a_step_stopped_by_the_timeout_is_run_once_more(monkeypatch, tmp_path, capsys):
    # The first run of the floor hangs (stopped by the timeout); the second is the one reported.
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import suite
    finally:
        sys.path.remove(str(ROOT))
    runs: list[str] = []

    def measure(step, work, size, timeout, cold_runs):
        runs.append(step)
        if runs == ["data", "copy_csv"]:
            return {"failed": f"stopped after {timeout:g} s"}
        return {"rows": 300, "seconds": 2.0, "note": f"the {step}"}

    monkeypatch.setattr(suite, "measure", measure)
    suite.main(["all", "--size", "300", "--steps", "copy_csv", "--keep", str(tmp_path), "--timeout", "5"])
    out = capsys.readouterr().out
    assert runs == ["data", "copy_csv", "copy_csv"]
    assert "copy_csv      stopped after 5 s: run again" in out
    floor = next(line for line in out.splitlines() if line.startswith("| copy_csv "))
    assert "run again after a hang; the copy_csv" in floor and "| 1× |" in floor
