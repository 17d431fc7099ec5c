"""Cold start of the command line: how long a command takes before it does its work.

Runs each command ``RUNS`` times in a fresh process (after one warm-up run that
fills the operating system's file cache) and prints the median wall time beside
two floors measured in the same run: ``python -c pass`` and ``python -c "import
pandas"`` (a query's results are pandas frames, so its import is the floor of
``twinlac query``). Target (issue 11): ``twinlac query`` within 250 ms on a quiet
machine; on a shared one, compare the ratios.

    python benchmarks/cold_start.py [RUNS]        # default 15
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable


def _median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm-up: file cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _imported(code: str, env: dict[str, str]) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([PYTHON, "-c", probe], env=env, check=True, capture_output=True, text=True).stdout
    return set(out.split())


def main(runs: int = 15) -> None:
    env = {**os.environ, "COLUMNS": "80", "TWINLAC_BACKEND": "embedded"}
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.lbdb")
        script = Path(PYTHON).parent / "twinlac"  # the installed console script, as users run it
        twinlac = [str(script)] if script.exists() else [PYTHON, "-m", "twinlac"]
        subprocess.run([*twinlac, "load", "--db", db, "--quiet"], env=env, check=True, capture_output=True)
        cases = {
            "python -c pass": [PYTHON, "-c", "pass"],
            "python -c 'import pandas'": [PYTHON, "-c", "import pandas"],
            "twinlac --version": [*twinlac, "--version"],
            "twinlac --help": [*twinlac, "--help"],
            "twinlac query (count countries)": [*twinlac, "query", "--db", db, "--format", "csv",
                                                "MATCH (c:Country) RETURN count(c) AS n"],
            "twinlac query --name agreements_by_country": [*twinlac, "query", "--db", db, "--format", "csv",
                                                           "--name", "agreements_by_country"],
            "twinlac info": [*twinlac, "info", "--db", db, "--format", "csv"],
        }
        print(f"median of {runs} runs, seconds (ratio to python -c pass)")
        floor = None
        for name, command in cases.items():
            seconds = _median_seconds(command, runs, env)
            floor = floor or seconds
            print(f"  {name:<46} {seconds:6.3f}  ({seconds / floor:4.1f}x)")
    heavy = ("networkx", "scipy", "matplotlib", "rapidfuzz", "openpyxl", "neo4j", "twinlac.analysis",
             "twinlac.viz", "twinlac.loaders.records", "twinlac.exports")
    loaded = _imported("import twinlac.cli.app", env)
    print("loaded by the command line before a command runs:",
          ", ".join(m for m in heavy if m in loaded) or "none of " + ", ".join(heavy))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
