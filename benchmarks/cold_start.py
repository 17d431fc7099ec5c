"""Cold start of the command line: how long a command takes before it does its work.

Runs each command ``RUNS`` times in a fresh process (after one warm-up run that
fills the operating system's file cache) and prints the median wall time beside
``python -c pass``, the floor, and ``python -c "import pandas"``, what ``twinlac
query`` no longer loads: it prints the rows as plain Python values. Then it
prints the heavy modules the command line loads before a command runs, and
those a ``twinlac query`` run loads (``HEAVY_FOR_QUERY``: pandas and numpy
count there; tests/cli/test_query_rows.py checks that it loads none). Target
(issue 11): ``twinlac query`` within 250 ms on a quiet machine; on a shared
one, compare the ratios.

    python benchmarks/cold_start.py [RUNS]        # default 15
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTHON = sys.executable

#: Modules no command needs before it runs (each command imports its own).
HEAVY = ("pydantic", "networkx", "scipy", "matplotlib", "rapidfuzz", "openpyxl", "neo4j", "twinlac.analysis",
         "twinlac.viz", "twinlac.loaders.records", "twinlac.exports")
#: Modules ``twinlac query`` must not load at all: it prints rows without pandas.
HEAVY_FOR_QUERY = (*HEAVY, "pandas", "numpy", "twinlac.loaders")

# Runs `python -m twinlac ARGS` in this process and writes the names in sys.modules to OUT.
_PROBE = """\
import json, runpy, sys
out, args = sys.argv[1], json.loads(sys.argv[2])
sys.argv = ["twinlac", *args]
try:
    runpy.run_module("twinlac", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    if exc.code:
        raise
with open(out, "w", encoding="utf-8") as handle:
    handle.write(" ".join(sorted(sys.modules)))
"""


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


def loaded_by(args: list[str], *, cwd: str | Path | None = None,
              env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """The modules a ``python -m twinlac ARGS`` run holds when it ends, and what it printed."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "modules.txt"
        done = subprocess.run([PYTHON, "-c", _PROBE, str(out), json.dumps(args)], cwd=cwd, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode:
            raise RuntimeError(f"twinlac {' '.join(args)} failed: {done.stderr}")
        return set(out.read_text(encoding="utf-8").split()), done.stdout


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
        loaded = _imported("import twinlac.cli.app", env)
        print("loaded by the command line before a command runs:",
              ", ".join(m for m in HEAVY if m in loaded) or "none of " + ", ".join(HEAVY))
        loaded, _ = loaded_by(["query", "--db", db, "--format", "csv", "MATCH (c:Country) RETURN count(c) AS n"],
                              env=env)
        print("loaded by twinlac query:",
              ", ".join(m for m in HEAVY_FOR_QUERY if m in loaded) or "none of " + ", ".join(HEAVY_FOR_QUERY))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
