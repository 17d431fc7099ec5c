"""Load a large synthetic pairs file: speed, idempotent reload, and peak memory.

Run: python benchmarks/bench_load.py [ROWS]   (default 1,000,000)
Target: a 1M-row file loads in bounded memory; a reload adds nothing.
The file pairs synthetic city names across real countries (country resolution is
the real code path; locality names are new on every row, as in a world list).
"""

from __future__ import annotations

import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import twinlac
from twinlac.loaders import load_file

COUNTRIES = ["China", "Brazil", "Argentina", "Mexico", "France", "Germany", "Japan", "United States",
             "Italy", "Spain", "Chile", "Peru", "Poland", "India", "Canada", "Cuba"]
MAPPING = {"a_name": "city1", "a_country": "country1", "b_name": "city2", "b_country": "country2", "year": "year"}


def make_file(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    cities = {c: [f"{c[:3]}town {i}" for i in range(rows // 8 + 10)] for c in COUNTRIES}
    seen = set()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2", "year"])
        written = 0
        while written < rows:
            ca, cb = rng.sample(COUNTRIES, 2)
            a, b = rng.choice(cities[ca]), rng.choice(cities[cb])
            if (a, b) in seen or (b, a) in seen:
                continue
            seen.add((a, b))
            writer.writerow([a, ca, b, cb, rng.randint(1960, 2024)])
            written += 1


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pairs.csv"
        start = time.perf_counter()
        make_file(path, rows)
        print(f"made {rows:,} rows ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        baseline = peak_rss_mb()
        with twinlac.open(Path(folder) / "bench.lbdb") as store:
            start = time.perf_counter()
            report = load_file(store, path, mapping=MAPPING, source="https://example.org/list")
            first = time.perf_counter() - start
            print(f"load: {report.ties_added:,} ties in {first:.1f} s ({rows / first:,.0f} rows/s); "
                  f"peak RSS {peak_rss_mb():.0f} MB (before: {baseline:.0f} MB)")
            start = time.perf_counter()
            again = load_file(store, path, mapping=MAPPING, source="https://example.org/list")
            second = time.perf_counter() - start
            print(f"reload: {again.ties_added} ties added in {second:.1f} s; peak RSS {peak_rss_mb():.0f} MB")
            counts = store.counts()
            print(f"store: {counts['TWINNED_WITH']:,} ties, {counts['Locality']:,} localities")


if __name__ == "__main__":
    main()
