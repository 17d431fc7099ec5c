"""What twinlac holds to under bad input, crashes and a concurrent writer, in figures.

Run: python benchmarks/reliability.py [FUZZ] [ROWS]   (defaults 300 mutated files, 20,000 rows)

- Bad input: the malformed files of tests/reliability/test_bad_input.py, then FUZZ files made by
  mutating good CSV and JSON files at random (bytes flipped, cut, repeated, quotes and control
  characters inserted; seeded). Each is loaded with the command line into a store holding one
  tie: clean means a load, or exit code 1 with one error line naming the file, and the store
  unchanged after an error.
- Crashes: a `twinlac load` of ROWS pairs is killed (SIGKILL) at points through its run; after
  each, the store must open and hold either what it held before or the whole file, and a
  reload must give the exact count. Then writers are killed inside a checkpoint, and `info`
  must open the store and find whole batches.
- Concurrency: `info` runs in a loop against a process writing and checkpointing; each run
  must read a consistent state or say, on one line, that a load is in progress.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import twinlac  # noqa: E402
from benchmarks.bench_load import MAPPING, make_file  # noqa: E402
from tests.conftest import GOOD_ROW  # noqa: E402
from tests.reliability.conftest import run  # noqa: E402
from tests.reliability.test_bad_input import CASES, OTHER, csv_text  # noqa: E402
from tests.reliability.test_recovery import WRITER, crash_during_checkpoint  # noqa: E402

CLI = [sys.executable, "-c", "import sys; from twinlac.cli import app; sys.argv[0] = 'twinlac'; app()"]


def counts(db: Path) -> dict[str, int]:
    with twinlac.open(db, read_only=True) as store:
        return store.counts()


def clean(result, path: Path, loaded: bool) -> bool:
    """A load (exit 0), or exit 1 with one ``error:`` line naming the file."""
    if loaded:
        return result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    return result.exit_code == 1 and len(errors) == 1 and str(path) in errors[0] and "Traceback" not in result.output


def listed_errors(result, path: Path) -> bool:
    """Exit 1, and every problem on its own ``error:`` line naming the file (several are listed
    with a closing count); no traceback."""
    lines = [line for line in result.output.splitlines() if line.strip()]
    problems = [line for line in lines if not line.endswith("errors; nothing was written.")]
    return (result.exit_code == 1 and bool(problems) and "Traceback" not in result.output
            and all(line.startswith(f"error: {path}") for line in problems))


def mutate(data: bytes, rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(len(data) + 1)
        kind = rng.randrange(6)
        if kind == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif kind == 1:
            del data[at:]
        elif kind == 2:
            data[at:at] = data[max(0, at - 40):at] * rng.randint(1, 3)
        elif kind == 3:
            data[at:at] = rng.choice([b'"', b"'", b",", b";", b"\n", b"\r", b"\x00", b"\x1b", b"[", b"{", b"\\"])
        elif kind == 4:
            data[at:at] = rng.choice(["\u202e", "\u200b", "\U0001f3d9", "\ud7ff", "</script>"]).encode()
        else:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(data)


def bad_input(folder: Path, fuzz: int) -> None:
    base = folder / "base.lbdb"
    first = folder / "one.csv"
    first.write_text(csv_text([GOOD_ROW]), encoding="utf-8")
    assert run("load", first, "--db", base, "-q").exit_code == 0
    held = counts(base)
    tried = refused = loaded = unclean = changed = 0
    for case in CASES:
        path = folder / f"case{tried}{case.suffix}"
        case.write(path)
        target = base
        if case.said is None:
            target = folder / f"copy{tried}.lbdb"
            shutil.copy(base, target)
        result = run("load", path, "--db", target, "-q")
        tried += 1
        if not clean(result, path, case.said is None):
            unclean += 1
        elif case.said is None:
            loaded += 1
        else:
            refused += 1
        changed += counts(base) != held
    print(f"matrix: {tried} files tried: {refused} refused on one line naming the file, {loaded} valid loaded, "
          f"{unclean} not clean; store changed by a refused file: {changed} times")

    rng = random.Random(12)
    seeds = {".csv": csv_text([OTHER, {**OTHER, "lac_name": "Cusco", "lac_admin1": "Cusco"}]).encode(),
             ".json": json.dumps([OTHER], ensure_ascii=False).encode()}
    outcomes = {"loaded": 0, "refused": 0, "not clean": 0}
    changed = 0
    for index in range(fuzz):
        suffix = rng.choice(list(seeds))
        path = folder / f"fuzz{index}{suffix}"
        path.write_bytes(mutate(seeds[suffix], rng))
        target = folder / "fuzz.lbdb"
        shutil.copy(base, target)
        try:
            result = run("load", path, "--db", target, "-q")
        except Exception as exc:  # an exception escaping the command line: not clean
            print(f"  {path.name}: {type(exc).__name__}: {exc}")
            outcomes["not clean"] += 1
            continue
        if result.exit_code == 0:
            outcomes["loaded"] += 1
        elif listed_errors(result, path):
            outcomes["refused"] += 1
            changed += counts(target) != held
        else:
            outcomes["not clean"] += 1
            print(f"  {path.name}: exit {result.exit_code}: {result.output.strip()[:200]}")
    print(f"fuzz: {fuzz} mutated files: {outcomes['loaded']} loaded, {outcomes['refused']} refused with each "
          f"problem on one line naming the file, {outcomes['not clean']} not clean; store changed by a refused "
          f"file: {changed} times")


def crashes(folder: Path, rows: int) -> None:
    data = folder / "pairs.csv"
    make_file(data, rows)
    base = folder / "crash-base.lbdb"
    assert run("load", ROOT / "data" / "china_lac_twinnings.csv", "--db", base, "-q").exit_code == 0
    before = counts(base)
    args = ["load", str(data), *[f"--map={k}={v}" for k, v in MAPPING.items()], "--source", "https://example.org/l",
            "-q"]
    full_db = folder / "full.lbdb"
    shutil.copy(base, full_db)
    start = time.perf_counter()
    subprocess.run([*CLI, *args, "--db", str(full_db)], check=True, capture_output=True, cwd=folder)
    seconds = time.perf_counter() - start
    full = counts(full_db)
    kills = opened = prior = whole = torn = 0
    for fraction in (0.1, 0.25, 0.4, 0.55, 0.7, 0.8, 0.9, 0.95, 0.98):
        db = folder / f"kill{kills}.lbdb"
        shutil.copy(base, db)
        process = subprocess.Popen([*CLI, *args, "--db", str(db)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=folder)
        time.sleep(seconds * fraction)
        process.kill()
        process.wait()
        kills += 1
        info = run("info", "--db", db, "-f", "json")
        if info.exit_code != 0:
            print(f"  kill at {fraction:.0%}: {info.output.strip()}")
            continue
        opened += 1
        held = {row["table"]: row["count"] for row in json.loads(info.stdout)}
        if held == before:
            prior += 1
        elif held == full:
            whole += 1
        else:
            torn += 1
        if held == before:  # the load left nothing: loading again gives the whole file, exactly
            subprocess.run([*CLI, *args, "--db", str(db)], check=True, capture_output=True, cwd=folder)
            torn += counts(db) != full
    print(f"load of {rows:,} rows ({seconds:.0f} s) killed {kills} times: store opened {opened} times, "
          f"held the prior state {prior} times and the whole file {whole} times, anything else {torn} "
          f"(a reload after each prior state included)")

    recovered = 0
    attempts = 5
    for index in range(attempts):
        db = folder / f"checkpoint{index}.lbdb"
        shutil.copy(base, db)
        crash_during_checkpoint(db)
        info = run("info", "--db", db, "-f", "json")
        if info.exit_code == 0:
            forum = {row["table"]: row["count"] for row in json.loads(info.stdout)}["Forum"]
            recovered += (forum - before["Forum"]) % 50_000 == 0
        else:
            print(f"  {info.output.strip()}")
    print(f"writers killed inside a checkpoint: {attempts}; `info` opened the store and found whole batches "
          f"{recovered} times")


def concurrency(folder: Path, seconds: float = 10) -> None:
    db = folder / "busy.lbdb"
    first = folder / "busy.csv"
    first.write_text(csv_text([GOOD_ROW]), encoding="utf-8")
    assert run("load", first, "--db", db, "-q").exit_code == 0
    held_before = counts(db)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db)])
    reads = busy = failures = 0
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            result = run("info", "--db", db, "-f", "json")
            if result.exit_code == 0:
                held = {row["table"]: row["count"] for row in json.loads(result.stdout)}
                if (held["Locality"] == held_before["Locality"]
                        and (held["Forum"] - held_before["Forum"]) % 50_000 == 0):
                    reads += 1
                else:
                    failures += 1
            elif "a load is in progress" in result.output and len(result.output.strip().splitlines()) == 1:
                busy += 1
            else:
                failures += 1
                print(f"  {result.output.strip()[:200]}")
    finally:
        writer.kill()
        writer.wait()
    print(f"`info` against a writer checkpointing for {seconds:.0f} s: {reads} consistent reads, {busy} said "
          f"a load is in progress, {failures} other outcomes")


def main() -> None:
    fuzz = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 20_000
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        bad_input(folder, fuzz)
        crashes(folder, rows)
        concurrency(folder)
    print(f"done in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
