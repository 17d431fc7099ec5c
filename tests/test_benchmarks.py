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


def test_a_step_that_uses_next_to_no_cpu_is_stopped_as_hung_and_one_that_works_is_not(monkeypatch):
    suite = import_suite()
    monkeypatch.setattr(suite, "STALL_SECONDS", 1.0)
    monkeypatch.setattr(suite, "STALL_POLL", 0.2)
    start = time.monotonic()
    # waits, waking now and then, as a hung COPY's idle threads do
    out, why = suite._child(["-c", "import time\nfor _ in range(3000): time.sleep(0.02)"], timeout=120)
    assert out is None and why.startswith("stopped after") and "next to no CPU used for" in why
    assert time.monotonic() - start < 30  # not the minute it would sleep, nor the timeout
    monkeypatch.setattr(suite, "STALL_SECONDS", 5.0)  # a busy machine may starve it for a poll or two
    work = "import time\nend = time.process_time() + 2\nwhile time.process_time() < end: pass\nprint('worked')"
    assert suite._child(["-c", work], timeout=120) == ("worked\n", "")  # two seconds of CPU, every poll sees some


def import_suite():
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks import suite
    finally:
        sys.path.remove(str(ROOT))
    return suite


def scripted(results: dict[str, list[dict]], calls: list[str]):
    """A ``measure`` that gives each step's results in turn and records the order of its calls."""

    def measure(step, work, size, timeout, cold_runs):
        calls.append(step)
        return dict(results[step][calls.count(step) - 1])

    return measure


def timed(step: str, seconds: list[float], peaks: list[float | None], rows: int | None = 300) -> list[dict]:
    """A step's measurements in rounds 1, 2, ...: these seconds and peaks, ``rows`` rows each."""
    return [{"seconds": s, "peak": p, "note": f"the {step} in round {i}", **({"rows": rows} if rows else {})}
            for i, (s, p) in enumerate(zip(seconds, peaks, strict=True), start=1)]


#: Three rounds of the floor, the loads and the cold start, every load of the same 300 rows as the floor.
ROUNDS = {
    "data": [{"rows": 300, "seconds": 1.5, "peak": 150.0, "note": "the data"}],
    "copy_csv": timed("copy_csv", [10.0, 12.0, 8.0], [200.0, 250.0, 220.0]),
    "load": timed("load", [27.0, 30.0, 30.0], [500.0, 700.0, 600.0]),
    "reload": timed("reload", [28.0, 31.0, 29.0], [400.0, 450.0, 420.0]),
    "load_onto": timed("load_onto", [24.0, 37.0, 25.0], [900.0, 1500.0, 1600.0]),
    "cold_start": timed("cold_start", [0.24, 0.26, 0.2], [None, None, None], rows=None),
}
ROUND_STEPS = ["copy_csv", "load", "reload", "load_onto", "cold_start"]


def table_rows(out: str) -> dict[str, str]:
    """The printed table's rows by step."""
    return {line.split(" | ")[0].removeprefix("| "): line for line in out.splitlines() if line.startswith("| ")}


def run_suite(suite, monkeypatch, tmp_path, capsys, results, calls, *options: str) -> tuple[str, str | None]:
    """Run ``python -m benchmarks all`` on scripted measurements: what it printed after its first
    line, and the message it exited with (None when it ended well)."""
    monkeypatch.setattr(suite, "measure", scripted(results, calls))
    exit_message = None
    try:
        suite.main(["all", "--size", "300", "--steps", ",".join(s for s in results if s != "data"),
                    "--keep", str(tmp_path), *options])
    except SystemExit as stop:
        exit_message = str(stop)
    return capsys.readouterr().out.split("\n", 1)[1], exit_message


def test_repeat_measures_in_interleaved_rounds_and_shows_medians_and_paired_ratios(monkeypatch, tmp_path, capsys):
    suite = import_suite()
    calls: list[str] = []
    out, exit_message = run_suite(suite, monkeypatch, tmp_path, capsys, ROUNDS, calls, "--repeat", "3")
    rows = table_rows(out)
    assert exit_message is None
    assert calls == ["data", *ROUND_STEPS * 3]  # data once, then every step once per round
    assert "  data          1.5 s  the data\n" in out
    assert "  load          30.0 s  (round 2 of 3) the load in round 2\n" in out
    assert "  cold_start    200 ms  (round 3 of 3) the cold_start in round 3\n" in out
    # Floor 10, 12, 8 s: median 10 s, 300 rows / 10 s = 30 rows/s, the largest peak 250 MB.
    assert rows["copy_csv"] == ("| copy_csv | floor: raw COPY from CSV (new store) | 10.0 s | 30 | 250 MB | — | 1× | "
                                "3 rounds: 10.0, 12.0, 8.0 s; the copy_csv in round 1 |")
    # Load 27, 30, 30 s over the floor's 10, 12, 8 s in the same rounds: 2.7, 2.5, 3.75, median 2.7
    # (the median time over the median floor would be 30 / 10 = 3.0); time 30 s (first in round 2),
    # 300 / 30 = 10 rows/s, peak 700 MB: within ≤ 3× and ≤ 2 GB.
    assert rows["load"] == ("| load | twinlac load (load_file, new store) | 30.0 s | 10 | 700 MB | "
                            "≤ 3× floor, ≤ 2 GB: **ok** | 2.7× | "
                            "3 rounds: 27.0, 30.0, 30.0 s; ratios 2.7, 2.5, 3.8×; the load in round 2 |")
    # Reload 28, 31, 29 s: over the floor 2.8, 2.58, 3.63 (median 2.8); over the load in the same
    # round 28/27, 31/30, 29/30 = 1.04, 1.03, 0.97, median 1.03 > 1: OVER (though its median time,
    # 29 s, is under the load's 30 s).
    assert rows["reload"] == ("| reload | reload, adds nothing | 29.0 s | 10 | 450 MB | ≤ load: **OVER** | 2.8× | "
                              "3 rounds: 28.0, 31.0, 29.0 s; ratios 2.8, 2.6, 3.6×; the reload in round 3 |")
    # Onto the bundled data 24, 37, 25 s: 2.4, 3.08, 3.125 the floor, median 3.08 > 3: OVER (the median
    # time over the median floor would be 25 / 10 = 2.5), its peaks all under 2 GB.
    assert rows["load_onto"] == ("| load_onto | twinlac load onto the bundled data | 25.0 s | 12 | 1,600 MB | "
                                 "≤ 3× floor, ≤ 2 GB: **OVER** | 3.1× | "
                                 "3 rounds: 24.0, 37.0, 25.0 s; ratios 2.4, 3.1, 3.1×; the load_onto in round 3 |")
    assert rows["cold_start"] == ("| cold_start | twinlac query cold start (median) | 240 ms |  | — | "
                                  "≤ 250 ms: **ok** |  | 3 rounds: 240, 260, 200 ms; the cold_start in round 1 |")
    assert rows["data"] == "| data | synthetic pairs file and floor CSVs | 1.5 s |  | 150 MB | — |  | the data |"


#: What ``python -m benchmarks all`` printed for the first round of ``ROUNDS`` before ``--repeat``.
ONE_RUN = (
    "  data          1.5 s  the data\n"
    "  copy_csv      10.0 s  the copy_csv in round 1\n"
    "  load          27.0 s  the load in round 1\n"
    "  reload        28.0 s  the reload in round 1\n"
    "  load_onto     24.0 s  the load_onto in round 1\n"
    "  cold_start    240 ms  the cold_start in round 1\n"
    "\n"
    "| step | what | time | rows/s | peak RSS | target | vs floor | notes |\n"
    "|---|---|---|---|---|---|---|---|\n"
    "| data | synthetic pairs file and floor CSVs | 1.5 s |  | 150 MB | — |  | the data |\n"
    "| copy_csv | floor: raw COPY from CSV (new store) | 10.0 s | 30 | 200 MB | "
    "— | 1× | the copy_csv in round 1 |\n"
    "| load | twinlac load (load_file, new store) | 27.0 s | 11 | 500 MB | ≤ 3× floor, ≤ 2 GB: **ok** | "
    "2.7× | the load in round 1 |\n"
    "| reload | reload, adds nothing | 28.0 s | 11 | 400 MB | ≤ load: **OVER** | 2.8× | the reload in round 1 |\n"
    "| load_onto | twinlac load onto the bundled data | 24.0 s | 12 | 900 MB | "
    "≤ 3× floor, ≤ 2 GB: **ok** | 2.4× | the load_onto in round 1 |\n"
    "| cold_start | twinlac query cold start (median) | 240 ms |  | — | ≤ 250 ms: **ok** | "
    " | the cold_start in round 1 |\n"
)


@pytest.mark.parametrize("options", [[], ["--repeat", "1"]])
def test_repeat_1_prints_what_one_run_printed_before(monkeypatch, tmp_path, capsys, options):
    suite = import_suite()
    calls: list[str] = []
    out, exit_message = run_suite(suite, monkeypatch, tmp_path, capsys, ROUNDS, calls, *options)
    assert calls == ["data", *ROUND_STEPS]
    assert exit_message is None
    assert out == ONE_RUN


def test_repeat_leaves_out_failed_rounds_and_says_so(monkeypatch, tmp_path, capsys):
    # The floor fails in round 3, the load hangs once in round 2 (run again), the reload fails
    # in every round: the command ends with status 1 after every round.
    suite = import_suite()
    calls: list[str] = []
    results = {
        "data": ROUNDS["data"],
        "copy_csv": [*ROUNDS["copy_csv"][:2], {"failed": "exit status 1"}],
        "load": [ROUNDS["load"][0], {"failed": "stopped after 5 s"}, *ROUNDS["load"][1:]],
        "reload": [{"failed": "boom"}] * 3,
    }
    out, exit_message = run_suite(suite, monkeypatch, tmp_path, capsys, results, calls, "--repeat", "3",
                                  "--timeout", "5")
    assert exit_message == "failed: copy_csv, reload"
    assert calls == ["data", "copy_csv", "load", "reload", "copy_csv", "load", "load", "reload",
                     "copy_csv", "load", "reload"]
    assert "  load          stopped after 5 s: run again (round 2 of 3)\n" in out
    rows = table_rows(out)
    # Floor 10, 12 s: the lower middle of two, 10 s (round 1).
    assert rows["copy_csv"].endswith("| 10.0 s | 30 | 250 MB | — | 1× | 2 rounds: 10.0, 12.0 s; "
                                     "1 of 3 rounds failed (round 3): exit status 1; the copy_csv in round 1 |")
    # Load paired with the floor in rounds 1 and 2 only: 27/10, 30/12 = 2.7, 2.5, lower middle 2.5.
    assert rows["load"].endswith("| 30.0 s | 10 | 700 MB | ≤ 3× floor, ≤ 2 GB: **ok** | 2.5× | "
                                 "3 rounds: 27.0, 30.0, 30.0 s; ratios 2.7, 2.5×; "
                                 "run again after a hang; the load in round 2 |")
    assert rows["reload"] == "| reload | reload, adds nothing | failed | | | ≤ load | | " \
                             "3 of 3 rounds failed (rounds 1, 2, 3): boom |"


def test_repeat_stops_when_the_load_fails_in_a_later_round(monkeypatch, tmp_path, capsys):
    suite = import_suite()
    calls: list[str] = []
    results = {"data": ROUNDS["data"], "copy_csv": ROUNDS["copy_csv"],
               "load": [ROUNDS["load"][0], {"failed": "boom"}], "reload": ROUNDS["reload"]}
    out, exit_message = run_suite(suite, monkeypatch, tmp_path, capsys, results, calls, "--repeat", "3")
    assert exit_message == "failed: load"
    assert calls == ["data", "copy_csv", "load", "reload", "copy_csv", "load"]
    assert "  load          boom  (round 2 of 3) \n" in out
    rows = table_rows(out)
    # The load's round 1 only: 27 s over the floor's 10 s; the reload's 28 s over the load's 27 s.
    assert rows["load"].endswith("| 27.0 s | 11 | 500 MB | ≤ 3× floor, ≤ 2 GB: **ok** | 2.7× | 1 round: 27.0 s; "
                                 "ratios 2.7×; 1 of 2 rounds failed (round 2): boom; the load in round 1 |")
    assert rows["reload"].endswith("| 28.0 s | 11 | 400 MB | ≤ load: **OVER** | 2.8× | 1 round: 28.0 s; "
                                   "ratios 2.8×; the reload in round 1 |")


def test_the_new_places_step_writes_distinct_random_names_in_its_provinces(tmp_path):
    import pandas as pd

    suite = import_suite()
    path = suite.new_places_files(tmp_path / "new", 400)
    pairs = pd.read_csv(path)
    assert len(pairs) == 200  # two new places a tie
    names = pd.concat([pairs["city1"], pairs["city2"]])
    assert names.nunique() == 400 and names.str.len().min() > 3  # every name given once
    assert pairs["country1"].eq("China").all()
    provinces = set(pairs["province1"]) | set(pairs["province2"])
    assert len(provinces) == 18 and {"Anhui", "São Paulo", "La Habana"} <= provinces
    # The peer COPYs the same places, their provinces and ties.
    assert len(pd.read_csv(tmp_path / "new" / "floor_places.csv")) == 400
    assert len(pd.read_csv(tmp_path / "new" / "floor_provinces.csv")) == 18
    assert len(pd.read_csv(tmp_path / "new" / "floor_ties.csv")) == 200
