"""Time the main job on the bundled data: load, summary queries, network, and a second (idempotent) run.

Run: python benchmarks/bench_demo.py
Target: `twinlac demo` under 30 s on a 2-core machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import twinlac
from twinlac.demo import SUMMARY_QUERIES, run_demo
from twinlac.viz import write_network_html


def timed(label: str, func):
    start = time.perf_counter()
    value = func()
    print(f"{label:<38} {time.perf_counter() - start:7.3f} s")
    return value


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.lbdb"
        store = timed("open new store (schema + reference)", lambda: twinlac.open(db))
        report = timed("load bundled data", lambda: twinlac.load_agreements(store))
        timed("reload (idempotent, adds nothing)", lambda: twinlac.load_agreements(store))
        timed("summary queries", lambda: [twinlac.run_named(store, q) for q in SUMMARY_QUERIES])
        graph = timed("to_networkx", store.to_networkx)
        timed("network page", lambda: write_network_html(graph, Path(folder) / "n.html"))
        store.close()
        first = timed("run_demo on a new database", lambda: run_demo(Path(folder) / "demo.lbdb", folder))
        second = timed("run_demo again (idempotent)", lambda: run_demo(Path(folder) / "demo.lbdb", folder))
        print(f"rows {report.rows_read}, ties added {report.ties_added}; "
              f"demo {first.seconds:.2f} s then {second.seconds:.2f} s (target < 30 s)")


if __name__ == "__main__":
    main()
