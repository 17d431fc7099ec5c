"""Analyses and pages on a synthetic network of 100,000 ties: time and peak memory of each step.

    python benchmarks/bench_scale.py [TIES] [--steps centrality,clusters,mixing,spillover,growth,connectivity,viz,map]

The graph is built once: Chinese parties in
31 provinces and LAC parties in the 33 CELAC countries (16 first-level
divisions each), both ends drawn with heavy-tailed (Zipf-like) weights until
TIES distinct pairs, every party with coordinates inside its side's box, ties
with a year, a kind and an evidence grade.  It is pickled to a temporary file,
and each step runs in a fresh Python process that loads it, so the peak
resident memory (``ru_maxrss``) of a step is its own.  Memory is shown as the
step's peak RSS and its rise over the process just after loading the graph.
The printed table puts each issue-11 target beside the figure.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

from twinlac.graph.groupings import CHINESE_PROVINCE_NAMES, LAC_SUBREGION, NBS_REGION

#: twinlac's kinds and evidence grades (but "disputed"), so the graph is also a valid file to load.
KINDS = ("sister", "friendship", "letter_of_intent")
GRADES = ("official", "press", "wikipedia", "weak")

#: step -> (time target in s, memory target in MB or None, what the target is about)
TARGETS = {
    "centrality": (60.0, None, "analyze centrality, party level"),
    "clusters": (60.0, None, "analyze clusters, province level"),
    "mixing": (30.0, 1024.0, "analyze mixing (assortativity, region mixing, distance)"),
    "spillover": (None, None, "analyze spillover (keep: 24 s at 100k)"),
    "growth": (None, None, "analyze growth (keep: 4.7 s at 100k)"),
    "connectivity": (None, None, "analyze connectivity"),
    "viz": (30.0, None, "viz at place level (page <= 20 MB)"),
    "map": (None, None, "map (page <= 20 MB)"),
}
PAGE_TARGET_MB = 20.0


def synthetic(ties: int, seed: int = 0) -> nx.Graph:
    """Two-sided network of `ties` distinct China–LAC pairs with heavy-tailed degrees and coordinates."""
    rng = np.random.default_rng(seed)
    n_china, n_lac = max(2, ties // 4), max(2, ties // 2)

    def zipf(n: int) -> np.ndarray:
        weights = 1.0 / np.arange(1, n + 1)
        return weights / weights.sum()

    pairs: dict[tuple[int, int], None] = {}
    while len(pairs) < ties:
        draw = 2 * (ties - len(pairs))
        for pair in zip(rng.choice(n_china, size=draw, p=zipf(n_china)).tolist(),
                        rng.choice(n_lac, size=draw, p=zipf(n_lac)).tolist(), strict=True):
            pairs.setdefault(pair, None)
            if len(pairs) == ties:
                break
    cn, lac = (np.array(column) for column in zip(*pairs, strict=True))
    provinces = sorted(NBS_REGION)
    countries = sorted(LAC_SUBREGION)
    G = nx.Graph()
    for i in np.unique(cn).tolist():
        p = provinces[i % len(provinces)]
        G.add_node(f"cn{i}", name=f"Chengshi {i}", side="china", level="city", province=p,
                   province_name=CHINESE_PROVINCE_NAMES[p], country="CN", country_name="China",
                   region=NBS_REGION[p], lat=float(rng.uniform(20, 45)), lon=float(rng.uniform(100, 125)))
    for i in np.unique(lac).tolist():
        c = countries[i % len(countries)]
        G.add_node(f"lac{i}", name=f"Ciudad {i}", side="lac", level="city", province=f"{c}-{i % 16}",
                   province_name=f"{c} division {i % 16}", country=c, country_name=c, region=LAC_SUBREGION[c],
                   lat=float(rng.uniform(-50, 25)), lon=float(rng.uniform(-110, -35)))
    years = rng.integers(1980, 2025, size=ties).tolist()
    kinds = rng.choice(len(KINDS), size=ties).tolist()
    grades = rng.choice(len(GRADES), size=ties).tolist()
    for i, (a, b) in enumerate(zip(cn.tolist(), lac.tolist(), strict=True)):
        G.add_edge(f"cn{a}", f"lac{b}", id=f"t{i}", year=years[i], kind=KINDS[kinds[i]],
                   evidence=GRADES[grades[i]], source_url=f"https://example.org/news/{i}")
    return G


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_step(step: str, graph_file: Path) -> None:
    """Run one step in this process and print ``seconds peak_mb base_mb page_mb`` on the last line."""
    import warnings

    with graph_file.open("rb") as handle:
        G = pickle.load(handle)
    base = peak_rss_mb()
    page_mb = float("nan")
    notes: list[str] = []
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if step == "centrality":
            from twinlac.analysis import centrality

            centrality(G)
        elif step == "clusters":
            from twinlac.analysis import clusters

            clusters(G)
        elif step == "mixing":
            from twinlac.analysis import assortativity, distance_effect, region_mixing

            assortativity(G)
            distance_effect(G)
            region_mixing(G)
        elif step == "spillover":
            from twinlac.analysis import spillover

            spillover(G)
        elif step == "growth":
            from twinlac.analysis import growth

            growth(G)
        elif step == "connectivity":
            from twinlac.analysis import connectivity

            connectivity(G)
        elif step in ("viz", "map"):
            from twinlac.viz import write_map_html, write_network_html

            out = graph_file.with_suffix(f".{step}.html")
            path = write_network_html(G, out) if step == "viz" else write_map_html(G, out)
            page_mb = path.stat().st_size / 1e6
        else:
            raise SystemExit(f"unknown step {step!r}")
    took = time.perf_counter() - start
    notes = list(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    for line in notes:
        print(f"  note: {line[:160]}")
    print(f"{took:.3f} {peak_rss_mb():.1f} {base:.1f} {page_mb:.3f}")


def fmt_target(value: float, target: float | None, unit: str) -> str:
    if target is None:
        return "—"
    mark = "ok" if value <= target else "OVER"
    return f"≤ {target:g} {unit} ({mark})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ties", nargs="?", type=int, default=100_000)
    parser.add_argument("--steps", default=",".join(TARGETS))
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--graph", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        run_step(args.step, args.graph)
        return
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        G = synthetic(args.ties)
        graph_file = Path(folder) / "graph.pkl"
        with graph_file.open("wb") as handle:
            pickle.dump(G, handle, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"synthetic graph: {G.number_of_nodes():,} parties, {G.number_of_edges():,} ties "
              f"({time.perf_counter() - start:.1f} s to build)")
        del G
        rows = []
        for step in args.steps.split(","):
            done = subprocess.run([sys.executable, __file__, "--step", step, "--graph", str(graph_file)],
                                  capture_output=True, text=True, check=False)
            lines = done.stdout.strip().splitlines()
            for line in lines[:-1]:
                print(f"[{step}] {line.strip()}")
            if done.returncode != 0 or not lines:
                print(f"[{step}] failed:\n{done.stderr[-2000:]}")
                continue
            seconds, peak, base, page = (float(x) for x in lines[-1].split())
            rows.append((step, seconds, peak, base, page))
        print()
        print(f"{'step':<11} {'time':>9}  {'target':<16} {'peak RSS':>10} {'rise':>9}  {'target':<18} "
              f"{'page':>9}  target")
        for step, seconds, peak, base, page in rows:
            t_target, m_target, _ = TARGETS[step]
            page_text = f"{page:7.1f} MB" if page == page else "        —"
            page_target = fmt_target(page, PAGE_TARGET_MB, "MB") if page == page else "—"
            print(f"{step:<11} {seconds:7.1f} s  {fmt_target(seconds, t_target, 's'):<16} {peak:7.0f} MB "
                  f"{peak - base:6.0f} MB  {fmt_target(peak, m_target, 'MB'):<18} {page_text}  {page_target}")


if __name__ == "__main__":
    main()
