"""Every benchmark in one run: synthetic data, the engine's floor and baselines, each twinlac step.

    python -m benchmarks all --size 10k|100k|1m [--steps a,b,...] [--timeout S] [--keep DIR] [--repeat N]

One run builds a synthetic pairs file of SIZE ties (``bench_scale.synthetic``'s
network: heavy-tailed degrees on both sides, Chinese parties in the 31
provinces and LAC parties in the first-level divisions of the 33 CELAC
states, every place with coordinates; pinyin-like and Spanish-like place
names), then measures on that same data:

* the floor: a raw ``COPY`` of the same provinces, places, ``IN_PROVINCE`` links
  and ties from CSV files into twinlac's schema (the store's DDL), the same
  COPY from DataFrames, reading them included, and the same in 50,000-row
  COPYs inside one transaction (all or nothing, as a twinlac load writes),
  with and without the ties' list of sources;
* the baselines: per-row ``MERGE`` and ``UNWIND … MERGE`` (batches of 500) of a
  sample of the ties into an empty store, as rows/s;
* twinlac: ``load_file`` of the pairs file, a reload (must add nothing), the
  same load into a store holding the bundled data, the
  networkx graph of the loaded store, then each analysis and page on that graph
  (``bench_scale.py``'s steps), and the command line's cold start
  (``cold_start.py``);
* new places (``new_places``, whatever SIZE): 200,000 places with random names in 18
  provinces loaded by a whole process, against a whole process COPYing them raw.

Each step runs in its own Python process, so its peak resident memory
(``ru_maxrss``) is its own; a step that starts processes of its own (a large load checks
its file in one, and that one plans in another) reports the peak of its processes together,
sampled every 50 ms from ``/proc``, when that is higher.  The table gives the time, rows/s where rows are
written, the peak RSS, the target of issue 11 and the time per tie against the
raw COPY's (the floor).

On a shared machine one run's times, and so its ratios, move from run to run.  ``--repeat N``
measures every step but ``data`` (built once) N times, in rounds: each round runs the selected
steps once, in the table's order, so that the floor and the steps compared with it see the same
stretch of the machine.  The table then gives each step's median time (rows/s from it), its
largest peak and page, and as "vs floor" the median over the rounds of its time per tie over
the floor's in the same round (paired); a reload is checked against the load the same way.  For
an even N every median is the lower of the two middle values, so it is a measured one, and the
notes give each round's time (and ratio) and then the note of the round whose time is the
median.  A round that failed is left out and the note says so; a step that fails in any round
makes the command exit with status 1, and data, load or graph failing stops the run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

MAPPING = {
    "a_name": "city1", "a_province": "province1", "a_country": "country1", "a_lat": "lat1", "a_lon": "lon1",
    "b_name": "city2", "b_province": "province2", "b_country": "country2", "b_lat": "lat2", "b_lon": "lon2",
    "year": "year", "kind": "kind", "evidence": "evidence", "source_url": "source_url",
}
MERGE_SAMPLE = 2000
#: The new-places step: this many new places with random names, in this many provinces (half
#: Chinese, half LAC), two to a tie, loaded by a whole process and copied raw by another.
NEW_PLACES = 200_000
NEW_PLACE_PROVINCES = 18
#: Seconds the new-places step's raw COPY may take before it is taken for hung and run again.
PEER_TIMEOUT = 60.0
#: Rows per COPY when the floor is written as a load writes (``load_file``'s default ``chunk_rows``).
LOAD_BATCH = 50_000
UNWIND_BATCH = 500

#: step -> (what it measures, target of issue 11); the order is the table's.
STEPS: dict[str, tuple[str, str]] = {
    "data": ("synthetic pairs file and floor CSVs", "—"),
    "copy_csv": ("floor: raw COPY from CSV (new store)", "—"),
    "copy_df": ("raw COPY from DataFrames, read_csv incl.", "—"),
    "copy_tx": (f"the same in {LOAD_BATCH // 1000}k-row COPYs in one transaction", "—"),
    "copy_tx_nolist": ("copy_tx with the ties' sources (a list) null", "—"),
    "merge_row": (f"per-row MERGE, {MERGE_SAMPLE:,}-tie sample", "—"),
    "unwind_merge": (f"UNWIND…MERGE ×{UNWIND_BATCH}, {MERGE_SAMPLE:,}-tie sample", "—"),
    "load": ("twinlac load (load_file, new store)", "≤ 3× floor, ≤ 2 GB"),
    "reload": ("reload, adds nothing", "≤ load"),
    "load_onto": ("twinlac load onto the bundled data", "≤ 3× floor, ≤ 2 GB"),
    "new_places": (f"{NEW_PLACES:,} new places, {NEW_PLACE_PROVINCES} provinces", "≤ 5× its COPY, ≤ 1 GB"),
    "graph": ("to_networkx of the loaded store", "—"),
    "centrality": ("analyze centrality (party)", "≤ 60 s"),
    "clusters": ("analyze clusters (province)", "≤ 60 s"),
    "mixing": ("analyze mixing (assort., regions, distance)", "≤ 30 s, ≤ 1 GB"),
    "spillover": ("analyze spillover", "keep (24 s at 100k)"),
    "growth": ("analyze growth", "keep (4.7 s at 100k)"),
    "connectivity": ("analyze connectivity", "—"),
    "viz": ("viz, place level asked", "≤ 30 s, page ≤ 20 MB"),
    "map": ("map", "page ≤ 20 MB"),
    "cold_start": ("twinlac query cold start (median)", "≤ 250 ms"),
}
#: Steps that run an analysis or page through bench_scale.py on the pickled graph.
SCALE_STEPS = ("centrality", "clusters", "mixing", "spillover", "growth", "connectivity", "viz", "map")
#: Steps whose time per tie is compared with the floor's.
FLOOR_RATIO = ("copy_csv", "copy_df", "copy_tx", "copy_tx_nolist", "merge_row", "unwind_merge", "load", "reload",
               "load_onto")
#: Steps the others need: when one fails (in any round), the run stops.
STOP_ON_FAILURE = ("data", "load", "graph")

CN_SYLLABLES = (
    "an bai bao chang cheng chong da dan de dong du feng fu gao guang gui hai han he heng hong hua huai hui "
    "jia jian jiang jin jing kai kang lan le li lian lin ling long lu luo ma mei ming nan ning pan ping pu "
    "qian qing qu quan rong rui sha shan shang shao shen sheng shi shou shui song tai tang tian tong wan wei "
    "wen wu xi xia xian xiang xin xing xu yan yang yi ying yong you yu yuan yun ze zhang zhao zhen zheng zhong "
    "zhou zhu zi"
).split()
LAC_PREFIXES = ("San", "Santa", "Santo", "Villa", "Puerto", "Nueva", "Nova", "São", "Río", "Ciudad", "Valle de",
                "Cerro", "Punta", "Bahía", "Paso")
LAC_ROOTS = ("Rosa", "Cruz", "Vista", "Alegre", "Esperanza", "Paz", "Luz", "Flores", "Palmas", "Verde", "Blanca",
             "Grande", "Pedro", "Juan", "María", "Luis", "Carmen", "Tomás", "Isabel", "Lucía", "Miguel", "Rafael",
             "Antonio", "Clara", "Marcos", "Felipe", "Bárbara", "Elena", "Cristóbal", "Ana", "Jorge", "Pablo",
             "Teresa", "Lorenzo", "Inés", "Rita", "Andrés", "Mateo", "Sofía", "Victoria")
LAC_QUALIFIERS = ("", "del Norte", "del Sur", "de Arriba", "de Abajo", "del Valle", "del Monte", "de la Sierra",
                  "del Mar", "de los Andes", "del Río", "Nuevo")


def parse_size(text: str) -> int:
    """``10k`` -> 10,000; ``1m`` -> 1,000,000; a plain number as it is."""
    text = text.strip().lower().replace("_", "").replace(",", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def _digits(i: int, base: int) -> list[int]:
    out = []
    while True:
        i, d = divmod(i, base)
        out.append(d)
        if i == 0:
            return out


def cn_name(i: int) -> str:
    """A pinyin-like city name, different for every ``i`` (two syllables, then three, ...)."""
    syllables = [CN_SYLLABLES[d] for d in _digits(i + len(CN_SYLLABLES), len(CN_SYLLABLES))]
    return " ".join(s.capitalize() for s in syllables[::-1])


def lac_name(i: int) -> str:
    """A Spanish-like place name, different for every ``i``."""
    i, p = divmod(i, len(LAC_PREFIXES))
    i, r = divmod(i, len(LAC_ROOTS))
    i, q = divmod(i, len(LAC_QUALIFIERS))
    name = " ".join(x for x in (LAC_PREFIXES[p], LAC_ROOTS[r], LAC_QUALIFIERS[q]) if x)
    return f"{name} de {LAC_ROOTS[i % len(LAC_ROOTS)]} {i // len(LAC_ROOTS) + 1}" if i else name


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class TreeMemory:
    """The peak resident memory of this process and its descendants together, and the largest
    descendant's own peak, sampled every ``interval`` seconds from ``/proc`` (Linux; elsewhere
    nothing is sampled) by a thread; without ``own``, the descendants' only.

    A child still running this process's program (started, not yet running its own) is left
    out: until then it shares this process's pages, and counting them would count them twice.
    For the same reason a child's ``ru_maxrss`` is no measure: it starts from this process's
    peak (Linux carries it over to the program the child runs). Processes started before the
    sampling are left out too: they are not the measured work's."""

    def __init__(self, interval: float = 0.05, own: bool = True):
        self.interval = interval
        self.own = own  # this process's memory counted too
        self.peak_mb = 0.0
        self.child_peak_mb = 0.0
        self._before: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        if Path("/proc/self/status").exists():
            self._before = set(_descendants(str(os.getpid())))
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        me = str(os.getpid())
        program = _cmdline(me)
        while not self._stop.wait(self.interval):
            children = [_rss_kb(pid) / 1024 for pid in _descendants(me)
                        if pid not in self._before and _cmdline(pid) != program]
            self.child_peak_mb = max([self.child_peak_mb, *children])
            self.peak_mb = max(self.peak_mb, (_rss_kb(me) / 1024 if self.own else 0) + sum(children))


def _descendants(pid: str) -> list[str]:
    """Every process ``pid`` started, and every process they started, and so on."""
    pids, found = [pid], 0
    while found < len(pids):
        pids += _children(pids[found])
        found += 1
    return pids[1:]


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # the process has ended
        return b""


def _children(pid: str) -> list[str]:
    found: list[str] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += handle.read().split()
    except OSError:  # the process has ended
        pass
    return found


def _cpu_ticks(pid: str) -> int:
    """Clock ticks of CPU a process and the children it waited for have used (0 once it has ended)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime


def _rss_kb(pid: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:  # the process has ended
        pass
    return 0


# --- data -------------------------------------------------------------------------------------------------

def make_data(work: Path, ties: int) -> dict[str, Any]:
    """Write pairs.csv (for twinlac) and the floor's CSVs of the same places and ties."""
    import pycountry

    from benchmarks.bench_scale import synthetic
    from twinlac.graph.groupings import CHINESE_PROVINCE_NAMES, LAC_COUNTRY_NAMES
    from twinlac.loaders.resolve import resolve_province

    G = synthetic(ties)
    divisions: dict[str, list[tuple[str, str]]] = {}  # LAC country -> [(ISO code, name as written)]
    for code in LAC_COUNTRY_NAMES:
        subs = sorted((s for s in pycountry.subdivisions.get(country_code=code) or []  # type: ignore[no-untyped-call]
                       if s.parent_code is None), key=lambda s: s.code)
        found = [(s.code, s.name if getattr(resolve_province(s.name, code), "code", None) == s.code else s.code)
                 for s in subs]
        divisions[code] = found
    places: dict[str, dict[str, Any]] = {}
    for node, a in G.nodes(data=True):
        i = int(node[2:] if node.startswith("cn") else node[3:])
        if a["side"] == "china":
            province, written, country, name = a["province"], CHINESE_PROVINCE_NAMES[a["province"]], "CN", cn_name(i)
        else:
            country = a["country"]
            province, written = divisions[country][i % len(divisions[country])]
            name = lac_name(i)
        places[node] = {"id": f"{province}:{name}", "name": name, "province": province, "written": written,
                        "country": country, "side": a["side"], "lat": round(a["lat"], 5), "lon": round(a["lon"], 5)}
    edges = [(u, v, d) if G.nodes[u]["side"] == "china" else (v, u, d) for u, v, d in G.edges(data=True)]
    with (work / "pairs.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["city1", "province1", "country1", "lat1", "lon1", "city2", "province2", "country2", "lat2",
                      "lon2", "year", "kind", "evidence", "source_url"])
        for u, v, d in edges:
            a, b = places[u], places[v]
            out.writerow([a["name"], a["written"], "China", a["lat"], a["lon"], b["name"], b["written"],
                          LAC_COUNTRY_NAMES[b["country"]], b["lat"], b["lon"], d["year"], d["kind"], d["evidence"],
                          d["source_url"]])
    _write_floor_csvs(work, places, edges)
    return {"rows": len(edges), "note": f"{len(places):,} places, {len({p['province'] for p in places.values()})} "
                                        f"provinces; pairs.csv {(work / 'pairs.csv').stat().st_size / 1e6:.1f} MB"}


def _write_floor_csvs(work: Path, places: dict[str, dict[str, Any]], edges: list) -> None:
    from twinlac.graph.model import NODE_TABLES, REL_TABLES

    def write(name: str, columns: list[str], rows: Any) -> None:
        with (work / name).open("w", newline="", encoding="utf-8") as handle:
            out = csv.writer(handle)
            out.writerow(columns)
            out.writerows(rows)

    province_rows = {}
    for p in places.values():
        province_rows.setdefault(p["province"], {"id": p["province"], "name": p["written"], "level": "province",
                                                 "side": p["side"], "province": p["province"],
                                                 "country": p["country"]})
    columns = [n for n, _ in NODE_TABLES["Province"]]
    write("floor_provinces.csv", columns, ([r.get(c) for c in columns] for r in province_rows.values()))
    columns = [n for n, _ in NODE_TABLES["Locality"]]
    write("floor_places.csv", columns,
          ([{**p, "level": "city", "geo_source": "file"}.get(c) for c in columns] for p in places.values()))
    write("floor_in_province.csv", ["from", "to"], ((p["id"], p["province"]) for p in places.values()))
    props = [n for n, _ in REL_TABLES["TWINNED_WITH"][1]]
    write("floor_ties.csv", ["from", "to", *props], (
        [places[u]["id"], places[v]["id"]] + [
            {"id": f"{places[u]['id']}~{places[v]['id']}", "kind": d["kind"], "year": d["year"],
             "status": "active", "source_url": d["source_url"], "evidence": d["evidence"],
             "sources": f"[{d['source_url']}]"}.get(c) for c in props]
        for u, v, d in edges))


# --- floor and baselines ----------------------------------------------------------------------------------

FLOOR_FILES = (("Province", "floor_provinces.csv", ""), ("Locality", "floor_places.csv", ""),
               ("IN_PROVINCE", "floor_in_province.csv", ""),
               ("TWINNED_WITH", "floor_ties.csv", ", from='Locality', to='Locality'"))


def _fresh(path: Path) -> Path:
    """``path`` with no database there (a kept work folder may hold one from an earlier run)."""
    import shutil

    for old in path.parent.glob(path.name + "*"):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    return path


def _empty_store(path: Path) -> Any:
    """A LadybugDB database with twinlac's schema and nothing else (the store's DDL and page cache)."""
    import ladybug

    from twinlac.graph.embedded import buffer_pool_bytes, node_table_ddl, rel_table_ddl
    from twinlac.graph.model import NODE_TABLES, REL_TABLES

    db = ladybug.Database(str(_fresh(path)), buffer_pool_size=buffer_pool_bytes())
    conn = ladybug.Connection(db)
    for label in NODE_TABLES:
        conn.execute(node_table_ddl(label))
    for rel_type in REL_TABLES:
        conn.execute(rel_table_ddl(rel_type))
    return db, conn


def copy_csv(work: Path) -> dict[str, Any]:
    db, conn = _empty_store(work / "floor_csv.lbdb")
    start = time.perf_counter()
    for table, name, extra in FLOOR_FILES:
        conn.execute(f"COPY {table} FROM '{work / name}' (header=true{extra})")
    seconds = time.perf_counter() - start
    ties = conn.execute("MATCH ()-[t:TWINNED_WITH]->() RETURN count(t)").get_next()[0]
    places = conn.execute("MATCH (n:Locality) RETURN count(n)").get_next()[0]
    conn.close()
    db.close()
    return {"rows": ties, "seconds": seconds, "note": f"{places:,} places, {ties:,} ties; the COPYs only"}


def copy_df(work: Path, transaction: bool = False, lists: bool = True) -> dict[str, Any]:
    """The floor's COPYs from DataFrames (reading the CSVs included); with ``transaction``, as a load
    writes: in batches of ``LOAD_BATCH`` rows inside one transaction; without ``lists``, the ties'
    ``sources`` (a list of text) left null."""
    import pandas as pd

    name = "floor_tx.lbdb" if transaction else "floor_df.lbdb"
    db, conn = _empty_store(work / (name if lists else name.replace(".", "_nolist.")))
    start = time.perf_counter()
    if transaction:
        conn.execute("BEGIN TRANSACTION")
    for table, name, extra in FLOOR_FILES:
        frame = pd.read_csv(work / name, dtype=object, keep_default_na=False).replace("", None)
        if table == "TWINNED_WITH":
            frame["year"] = frame["year"].astype("int64")
            frame["themes"] = None
            frame["sources"] = [[url] for url in frame["source_url"]] if lists else None
        elif table in ("Province", "Locality"):
            frame = frame.astype(object)
            for column in ("lat", "lon"):
                frame[column] = [None if x is None else float(x) for x in frame[column]]
            if table == "Province":
                frame["coastal"] = None
        step = LOAD_BATCH if transaction else len(frame) or 1
        for first in range(0, len(frame), step):
            conn.execute(f"COPY {table} FROM $frame{' (' + extra[2:] + ')' if extra else ''}",
                         {"frame": frame.iloc[first:first + step]})
    copied = time.perf_counter() - start
    if transaction:
        conn.execute("COMMIT")  # the engine writes the whole transaction here
    seconds = time.perf_counter() - start
    ties = conn.execute("MATCH ()-[t:TWINNED_WITH]->() RETURN count(t)").get_next()[0]
    conn.close()
    db.close()
    note = f"read and COPYs {copied:.1f} s, COMMIT {seconds - copied:.1f} s" if transaction else ""
    return {"rows": ties, "seconds": seconds, "note": note}


def _sample(work: Path) -> list[dict[str, Any]]:
    places = {}
    with (work / "floor_places.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            places[row["id"]] = row
    rows = []
    with (work / "floor_ties.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            a, b = places[row["from"]], places[row["to"]]
            rows.append({"a": a["id"], "a_name": a["name"], "a_province": a["province"], "a_lat": float(a["lat"]),
                         "a_lon": float(a["lon"]), "b": b["id"], "b_name": b["name"], "b_province": b["province"],
                         "b_lat": float(b["lat"]), "b_lon": float(b["lon"]), "id": row["id"], "kind": row["kind"],
                         "year": int(row["year"]), "source_url": row["source_url"]})
            if len(rows) == MERGE_SAMPLE:
                break
    return rows


MERGE_ROW = """
MERGE (a:Locality {id: $a}) ON CREATE SET a.name = $a_name, a.province = $a_province, a.side = 'china',
    a.country = 'CN', a.level = 'city', a.lat = $a_lat, a.lon = $a_lon
MERGE (b:Locality {id: $b}) ON CREATE SET b.name = $b_name, b.province = $b_province, b.side = 'lac',
    b.level = 'city', b.lat = $b_lat, b.lon = $b_lon
MERGE (a)-[t:TWINNED_WITH {id: $id}]->(b) ON CREATE SET t.kind = $kind, t.year = $year,
    t.source_url = $source_url, t.sources = [$source_url]
"""
UNWIND_MERGE = "UNWIND $rows AS row " + MERGE_ROW.replace("$", "row.")


def merge(work: Path, batched: bool) -> dict[str, Any]:
    rows = _sample(work)
    db, conn = _empty_store(work / ("unwind.lbdb" if batched else "merge.lbdb"))
    start = time.perf_counter()
    if batched:
        for i in range(0, len(rows), UNWIND_BATCH):
            conn.execute(UNWIND_MERGE, {"rows": rows[i:i + UNWIND_BATCH]})
    else:
        for row in rows:
            conn.execute(MERGE_ROW, row)
    seconds = time.perf_counter() - start
    ties = conn.execute("MATCH ()-[t:TWINNED_WITH]->() RETURN count(t)").get_next()[0]
    conn.close()
    db.close()
    return {"rows": ties, "seconds": seconds, "note": "auto-commit per statement, into an empty store"}


# --- twinlac ----------------------------------------------------------------------------------------------

def load(work: Path, again: bool, onto_bundled: bool = False) -> dict[str, Any]:
    """Load the pairs file into a new store, again into the loaded one (``again``), or into a new
    store holding the bundled data (``onto_bundled``: the bundled load is not timed)."""
    import twinlac
    from twinlac.loaders import load_file

    path = work / ("onto.lbdb" if onto_bundled else "twinlac.lbdb")
    phases: dict[str, float] = {}  # when the load first reported each phase ("check", "write")

    def on_row(phase: str) -> None:
        if phase not in phases:
            phases[phase] = time.perf_counter()

    with twinlac.open(path if again else _fresh(path)) as store:
        if onto_bundled:
            twinlac.load_agreements(store)
        start = time.perf_counter()
        # skip_invalid, as for a world list: two synthetic names that resolve to the same real place
        # (a gazetteer match) can make a pair repeat, and that row is rejected.
        report = load_file(store, work / "pairs.csv", mapping=MAPPING, skip_invalid=True, on_row=on_row)
        seconds = time.perf_counter() - start
        counts = store.counts()
    written = start + seconds - phases.get("write", start + seconds)
    note = (f"{report.ties_added:,} ties added, {report.rows_rejected:,} rows rejected, "
            f"{counts['Locality']:,} places held; checking {seconds - written:.1f} s, writing {written:.1f} s")
    if again and report.ties_added:
        note = f"FAILED: the reload added {report.ties_added:,} ties"
    return {"rows": report.rows_read, "seconds": seconds, "note": note}


def new_places_files(folder: Path, count: int, seed: int = 11) -> Path:
    """A pairs file of ``count // 2`` ties, each between a new place of one of the first Chinese
    provinces and a new place of one of a few LAC divisions (``NEW_PLACE_PROVINCES`` in all),
    every name random (pinyin-like syllables, Spanish-like words) and given once, in ``folder``
    with the floor's CSVs of the same places and ties; the pairs file's path."""
    import random

    from twinlac.graph.groupings import CHINESE_PROVINCE_NAMES
    from twinlac.graph.ids import slug

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    chinese = sorted(CHINESE_PROVINCE_NAMES)[:NEW_PLACE_PROVINCES // 2]
    lac = [("BR-SP", "São Paulo", "BR", "Brazil"), ("BR-RJ", "Rio de Janeiro", "BR", "Brazil"),
           ("BR-MG", "Minas Gerais", "BR", "Brazil"), ("AR-B", "Buenos Aires", "AR", "Argentina"),
           ("MX-JAL", "Jalisco", "MX", "Mexico"), ("CL-VS", "Valparaíso", "CL", "Chile"),
           ("UY-MO", "Montevideo", "UY", "Uruguay"), ("CO-ANT", "Antioquia", "CO", "Colombia"),
           ("CU-03", "La Habana", "CU", "Cuba")][:NEW_PLACE_PROVINCES - len(chinese)]
    names: set[str] = set()

    def fresh(parts: list[str], per_word: int, words: int) -> str:
        """A name of ``words`` words of ``per_word`` random ``parts`` each, its slug not given before."""
        while True:
            name = " ".join("".join(rng.choice(parts) for _ in range(per_word)).capitalize() for _ in range(words))
            if (folded := slug(name)) not in names:
                names.add(folded)
                return name

    places: dict[str, dict[str, Any]] = {}
    edges = []
    spanish = [root.lower() for root in LAC_ROOTS]
    for i in range(count // 2):
        province = chinese[i % len(chinese)]
        a = {"name": fresh(CN_SYLLABLES, 3, 1), "province": province, "written": CHINESE_PROVINCE_NAMES[province],
             "country": "CN", "side": "china", "lat": None, "lon": None}
        code, written, country, _ = lac[i % len(lac)]
        b = {"name": fresh(spanish, 2, 2), "province": code, "written": written, "country": country, "side": "lac",
             "lat": None, "lon": None}
        for key, place in ((f"a{i}", a), (f"b{i}", b)):
            # The id twinlac gives a place the gazetteer does not hold (with the name as written,
            # the engine's COPY of these places waited forever in most tries).
            places[key] = {**place, "id": f"{place['province']}:{slug(place['name'])}"}
        edges.append((f"a{i}", f"b{i}", {"year": 2000 + i % 24, "kind": "sister", "evidence": "press",
                                         "source_url": f"https://example.org/new/{i}"}))
    country_names = {code: name for _, _, code, name in lac}
    path = folder / "pairs.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["city1", "province1", "country1", "city2", "province2", "country2", "year", "kind", "evidence",
                      "source_url"])
        for u, v, d in edges:
            a, b = places[u], places[v]
            out.writerow([a["name"], a["written"], "China", b["name"], b["written"], country_names[b["country"]],
                          d["year"], d["kind"], d["evidence"], d["source_url"]])
    _write_floor_csvs(folder, places, edges)
    return path


def new_places(work: Path, count: int = NEW_PLACES, seed: int = 11) -> dict[str, Any]:
    """``count`` new places with random names in ``NEW_PLACE_PROVINCES`` provinces
    (``new_places_files``) loaded into a new store by a whole Python process (``load_file``:
    every name resolved and searched for among its province's places), against a whole process
    COPYing the same places and ties raw from CSV into twinlac's schema (the peer). Both are
    timed from the process's start; the peak RSS is the load's processes' together."""
    folder = work / "new_places"
    path = new_places_files(folder, count, seed)
    env = _child_env()
    peer = [sys.executable, "-c", "\n".join([
        "from pathlib import Path",
        "from benchmarks.suite import _empty_store",
        f"db, conn = _empty_store(Path({str(folder / 'copy.lbdb')!r}))",
        *(f"conn.execute({f'COPY {table} FROM {str(folder / name)!r} (header=true{extra})'!r})"
          for table, name, extra in FLOOR_FILES)])]
    hangs = 0
    while True:  # the engine's parallel COPY from CSV now and then waits forever (see main): again
        start = time.perf_counter()
        try:
            subprocess.run(peer, env=env, cwd=ROOT, check=True, timeout=PEER_TIMEOUT)
            break
        except subprocess.TimeoutExpired:
            hangs += 1
            if hangs > 2:
                raise
    copied = time.perf_counter() - start
    mapping = {key: value for key, value in MAPPING.items() if "_lat" not in key and "_lon" not in key}
    with TreeMemory(own=False) as together:  # the load's processes, not this one's files and names
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", "\n".join([
            "import twinlac",
            "from twinlac.loaders import load_file",
            f"with twinlac.open({str(_fresh(folder / 'twinlac.lbdb'))!r}) as store:",
            f"    report = load_file(store, {str(path)!r}, mapping={mapping!r}, skip_invalid=True)",
            "    print(report.ties_added, report.rows_rejected, store.counts()['Locality'])"])],
            env=env, cwd=ROOT, check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    added, rejected, held = (int(x) for x in done.stdout.split()[-3:])
    return {"rows": count // 2, "seconds": seconds, "peak": together.peak_mb, "vs_copy": seconds / copied,
            "note": f"{seconds / copied:.1f}× its raw COPY's process ({copied:.1f} s"
                    f"{f', run again after {hangs} hang' + 's' * (hangs > 1) if hangs else ''}); {held:,} places "
                    f"held ({count:,} written), {added:,} ties added, {rejected:,} rows rejected"}


def graph(work: Path) -> dict[str, Any]:
    import twinlac

    with twinlac.open(work / "twinlac.lbdb", read_only=True) as store:
        G = store.to_networkx()
    with (work / "graph.pkl").open("wb") as handle:
        pickle.dump(G, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"note": f"{G.number_of_nodes():,} parties, {G.number_of_edges():,} ties"}


def cold_start(work: Path, runs: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(HERE / "cold_start.py"), str(runs)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    times = {m[1]: float(m[2]) for m in re.finditer(r"^ +(.+?) +(\d+\.\d+) +\(", done.stdout, re.M)}
    query = next((t for n, t in times.items() if n.startswith("twinlac query (count")), float("nan"))
    floor = times.get("python -c pass", float("nan"))
    return {"seconds": query, "peak": None,
            "note": f"median of {runs}; python -c pass {floor * 1000:.0f} ms"}


def run_step(step: str, work: Path, size: int, cold_runs: int) -> dict[str, Any]:
    """Run one step in this process; its result as a dict (seconds, rows, note, peak)."""
    actions: dict[str, Callable[[], dict[str, Any]]] = {
        "data": lambda: make_data(work, size),
        "copy_csv": lambda: copy_csv(work),
        "copy_df": lambda: copy_df(work),
        "copy_tx": lambda: copy_df(work, transaction=True),
        "copy_tx_nolist": lambda: copy_df(work, transaction=True, lists=False),
        "merge_row": lambda: merge(work, batched=False),
        "unwind_merge": lambda: merge(work, batched=True),
        "load": lambda: load(work, again=False),
        "reload": lambda: load(work, again=True),
        "load_onto": lambda: load(work, again=False, onto_bundled=True),
        "new_places": lambda: new_places(work),
        "graph": lambda: graph(work),
        "cold_start": lambda: cold_start(work, cold_runs),
    }
    start = time.perf_counter()
    with TreeMemory() as together:
        result = actions[step]()
    result.setdefault("seconds", time.perf_counter() - start)
    if together.child_peak_mb and step != "cold_start":
        child = f"its largest child process peaked at {together.child_peak_mb:,.0f} MB"
        result["note"] = f"{result['note']}; {child}" if result.get("note") else child
    result.setdefault("peak", max(peak_rss_mb(), together.peak_mb))
    return result


# --- the driver -------------------------------------------------------------------------------------------

def _child_env() -> dict[str, str]:
    """The environment of a child Python process: this one's, importing from the repository first."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


#: Seconds a step's processes may go on using next to no CPU (under ``STALL_SHARE`` of a core): then
#: the step is stopped as hung, as by the timeout, rather than waiting for the timeout (the engine's
#: parallel COPY from CSV now and then waits forever, its idle threads using about 1 % of a core).
#: Every step works all along (none waits for anything but its own processes).
STALL_SECONDS = 60.0
STALL_SHARE = 0.1
#: Seconds between two looks at a step's CPU time.
STALL_POLL = 2.0


def _child(args: list[str], timeout: float) -> tuple[str | None, str]:
    """Run a child process; (its stdout, or None when it failed, and why): stopped after
    ``timeout`` seconds, or once it and its descendants have used next to no CPU for
    ``STALL_SECONDS`` (where ``/proc`` says)."""
    started = time.monotonic()
    done = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=ROOT, env=_child_env())
    pid, used, looked, busy = str(done.pid), 0, started, started
    watched = Path(f"/proc/{pid}/stat").exists()  # its CPU time can be read
    per_second = os.sysconf("SC_CLK_TCK") if watched else 100
    while True:
        try:
            out, err = done.communicate(timeout=STALL_POLL)  # no output is lost between two tries
            break
        except subprocess.TimeoutExpired:
            now = time.monotonic()
            ticks = sum(map(_cpu_ticks, [pid, *_descendants(pid)]))
            if ticks - used >= STALL_SHARE * (now - looked) * per_second:
                busy = now
            used, looked = ticks, now
            why = (f"stopped after {timeout:g} s" if now - started >= timeout else
                   f"stopped after {now - started:.0f} s: next to no CPU used for {now - busy:.0f} s"
                   if watched and now - busy >= STALL_SECONDS else None)
            if why:
                done.kill()
                done.communicate()
                return None, why
    if done.returncode != 0:
        return None, (err.strip().splitlines() or [f"exit status {done.returncode}"])[-1][:160]
    return out, ""


def measure(step: str, work: Path, size: int, timeout: float, cold_runs: int) -> dict[str, Any]:
    # The writes of the steps before on disk first: a step does not pay for their writeback (the
    # floor's databases and the data's files are gigabytes).
    os.sync()
    if step in SCALE_STEPS:
        out, why = _child([str(HERE / "bench_scale.py"), "--step", step, "--graph", str(work / "graph.pkl")],
                          timeout)
        if out is None:
            return {"failed": why}
        lines = out.strip().splitlines()
        seconds, peak, _base, page = (float(x) for x in lines[-1].split())
        notes = [line.strip().removeprefix("note: ") for line in lines[:-1]]
        for line in notes:
            print(f"    [{step}] {line}")
        parts = ([f"page {page:.1f} MB"] if page == page else []) + [_short(n) for n in notes]
        return {"seconds": seconds, "peak": peak, "page": page if page == page else None, "note": "; ".join(parts)}
    out, why = _child(["-m", "benchmarks", "step", step, "--work", str(work), "--size", str(size),
                       "--cold-runs", str(cold_runs)], timeout)
    if out is None:
        return {"failed": why}
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _short(note: str, width: int = 70) -> str:
    return note if len(note) <= width else note[:width - 1].rstrip() + "…"


#: step -> [(measure, limit)] checked in the table: seconds, peak MB, page MB, times the floor, times the load.
CHECKS: dict[str, list[tuple[str, float]]] = {
    "load": [("floor", 3.0), ("peak", 2048.0)], "reload": [("load", 1.0)],
    "load_onto": [("floor", 3.0), ("peak", 2048.0)], "new_places": [("copy", 5.0), ("peak", 1024.0)],
    "centrality": [("seconds", 60.0)], "clusters": [("seconds", 60.0)],
    "mixing": [("seconds", 30.0), ("peak", 1024.0)], "viz": [("seconds", 30.0), ("page", 20.0)],
    "map": [("page", 20.0)], "cold_start": [("seconds", 0.25)],
}


def verdict(step: str, result: dict[str, Any], results: dict[str, dict[str, Any]]) -> str:
    """``ok`` or ``OVER`` against the checkable targets, or '' when there is nothing to check.

    A result summed up from rounds (``summarize``) is checked against the floor and the load
    by its paired median ratios."""
    floor, loaded = results.get("copy_csv", {}), results.get("load", {})
    values = {"seconds": result.get("seconds"), "peak": result.get("peak"), "page": result.get("page"),
              "floor": result["vs_floor"] if "vs_floor" in result
              else result["seconds"] / floor["seconds"] if floor.get("seconds") else None,
              "load": result["vs_load"] if "vs_load" in result
              else result["seconds"] / loaded["seconds"] if loaded.get("seconds") else None,
              "copy": result.get("vs_copy")}
    checked = [(values[m], limit) for m, limit in CHECKS.get(step, []) if values[m] is not None]
    if not checked or len(checked) < len(CHECKS.get(step, [])):
        return ""  # nothing to check, or a measure it needs (the floor, the load) did not run
    return "ok" if all(value <= limit for value, limit in checked) else "OVER"


def fmt_seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s" if s < 100 else f"{s:.0f} s"


def fmt_times(times: list[float]) -> str:
    """Several times in the unit ``fmt_seconds`` gives their median: ``27.1, 29.0, 26.8 s``."""
    middle = statistics.median_low(times)
    if middle < 1:
        return ", ".join(f"{t * 1000:.0f}" for t in times) + " ms"
    return ", ".join(f"{t:.1f}" if middle < 100 else f"{t:.0f}" for t in times) + " s"


def floor_ratio(step: str, result: dict[str, Any], floor_per_row: float | None) -> float | None:
    """The step's time per row over the floor's: the paired median of its rounds when it has
    them (``summarize``), else from its one measurement; None when there is none to give."""
    if step not in FLOOR_RATIO:
        return None
    if "vs_floor" in result:
        ratio: float | None = result["vs_floor"]
        return ratio
    rows = result.get("rows")
    return result["seconds"] / rows / floor_per_row if floor_per_row and rows else None


def paired_ratios(measured: dict[int, dict[str, Any]], other: dict[int, dict[str, Any]],
                  per_row: bool) -> dict[int, float]:
    """round -> a step's time (per row, with ``per_row``) over another step's in the same round,
    for the rounds where both have one."""
    ratios = {}
    for number, result in measured.items():
        theirs = other.get(number, {})
        if "failed" in result or "failed" in theirs or not theirs.get("seconds"):
            continue
        if not per_row:
            ratios[number] = result["seconds"] / theirs["seconds"]
        elif result.get("rows") and theirs.get("rows"):
            ratios[number] = result["seconds"] / result["rows"] / (theirs["seconds"] / theirs["rows"])
    return ratios


def rounds_text(numbers: list[int]) -> str:
    """``round 2`` or ``rounds 2, 4``."""
    return f"round {numbers[0]}" if len(numbers) == 1 else "rounds " + ", ".join(map(str, numbers))


def summarize(step: str, measured: dict[int, dict[str, Any]], floor: dict[int, dict[str, Any]],
              loaded: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """One table row from a step's measurements in several rounds (round -> result), and the
    floor's and the load's: the median time (the lower middle one for an even number), the
    largest peak and page, the paired median ratios to the floor (per row) and to the load
    (``vs_floor``, ``vs_load``), and a note giving each round's time, then the median round's
    note. Failed rounds are left out and named; when every round failed, it failed."""
    done = {number: result for number, result in sorted(measured.items()) if "failed" not in result}
    failed = sorted(number for number in measured if number not in done)
    failures = (f"{len(failed)} of {len(measured)} rounds failed ({rounds_text(failed)}): "
                f"{measured[failed[0]]['failed']}" if failed else "")
    if not done:
        return {"failed": failures if len(measured) > 1 else measured[failed[0]]["failed"]}
    times = [result["seconds"] for result in done.values()]
    middle = statistics.median_low(times)
    median_round = next(number for number, result in done.items() if result["seconds"] == middle)
    vs_floor = paired_ratios(done, floor, per_row=True)
    vs_load = paired_ratios(done, loaded, per_row=False)
    parts = [f"{len(done)} round{'s' if len(done) > 1 else ''}: {fmt_times(times)}"]
    if vs_floor and step in FLOOR_RATIO and step != "copy_csv":
        parts.append("ratios " + ", ".join(f"{ratio:.1f}" for ratio in vs_floor.values()) + "×")
    parts.append(failures)
    # A round whose measurement says it failed its check (a reload that added ties) is named even
    # when it is not the median round.
    parts += [f"round {number}: {result['note']}" for number, result in done.items()
              if number != median_round and "FAILED" in result.get("note", "")]
    parts.append(done[median_round].get("note", ""))
    peaks = [result["peak"] for result in done.values() if result.get("peak") is not None]
    pages = [result["page"] for result in done.values() if result.get("page") is not None]
    return {**done[median_round], "seconds": middle, "peak": max(peaks, default=None),
            "page": max(pages, default=None),
            "vs_floor": statistics.median_low(vs_floor.values()) if vs_floor else None,
            "vs_load": statistics.median_low(vs_load.values()) if vs_load else None,
            "note": "; ".join(filter(None, parts))}


def table(results: dict[str, dict[str, Any]]) -> list[str]:
    floor = results.get("copy_csv", {})
    floor_per_row = floor["seconds"] / floor["rows"] if floor.get("rows") and "seconds" in floor else None
    lines = ["| step | what | time | rows/s | peak RSS | target | vs floor | notes |",
             "|---|---|---|---|---|---|---|---|"]
    for step, result in results.items():
        what, target = STEPS[step]
        if "failed" in result:
            lines.append(f"| {step} | {what} | failed | | | {target} | | {result['failed']} |")
            continue
        seconds, rows = result["seconds"], result.get("rows")
        rate = f"{rows / seconds:,.0f}" if rows and step in FLOOR_RATIO and seconds > 0 else ""
        peak = f"{result['peak']:,.0f} MB" if result.get("peak") else "—"
        versus = floor_ratio(step, result, floor_per_row)
        ratio = ("1×" if step == "copy_csv" and floor_per_row else f"{versus:.1f}×"
                 if versus is not None and step != "copy_csv" else "")
        mark = verdict(step, result, results)
        target = f"{target}: **{mark}**" if mark else target
        lines.append(f"| {step} | {what} | {fmt_seconds(seconds)} | {rate} | {peak} | {target} | {ratio} | "
                     f"{result.get('note', '')} |")
    return lines


def measure_reported(step: str, work: Path, size: int, args: argparse.Namespace, progress: str) -> dict[str, Any]:
    """Measure a step once (once more when the timeout stopped it) and print a line saying how it
    went; ``progress`` (``(round 2 of 3) ``, or '') goes before its note."""
    result = measure(step, work, size, args.timeout, args.cold_runs)
    if result.get("failed", "").startswith("stopped after"):
        # The engine's parallel COPY from CSV now and then waits forever: a step stopped
        # by the timeout is run once more, and says so.
        print(f"  {step:<13} {result['failed']}: run again{' ' + progress.strip() if progress else ''}", flush=True)
        result = measure(step, work, size, args.timeout, args.cold_runs)
        if "failed" not in result:
            result["note"] = "; ".join(filter(None, ["run again after a hang", result.get("note")]))
    shown = result.get("failed") or fmt_seconds(result["seconds"])
    print(f"  {step:<13} {shown}  {progress}{result.get('note', '')}", flush=True)
    return result


def measure_rounds(steps: list[str], work: Path, size: int,
                   args: argparse.Namespace) -> dict[str, dict[int, dict[str, Any]]]:
    """step -> round -> result: ``data`` once, then every other step once per round, in the
    table's order in each round, until a step of ``STOP_ON_FAILURE`` fails."""
    measured: dict[str, dict[int, dict[str, Any]]] = {}
    for number in range(1, args.repeat + 1):
        for step in steps:
            if step == "data" and number > 1:
                continue
            progress = f"(round {number} of {args.repeat}) " if args.repeat > 1 and step != "data" else ""
            result = measure_reported(step, work, size, args, progress)
            measured.setdefault(step, {})[number] = result
            if "failed" in result and step in STOP_ON_FAILURE:
                return measured
    return measured


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["all", "step"])
    parser.add_argument("name", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--size", default="10k", help="ties: 10k, 100k, 1m or a number (default 10k)")
    parser.add_argument("--steps", default=",".join(STEPS), help="comma-separated steps (default: all)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds a step may take (default 1800)")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs of each cold-start command (default 7)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="measure each step but data N times, in rounds of every step in the table's order; "
                             "the table gives median times and the median of each round's ratio to the floor "
                             "(default 1)")
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    size = parse_size(args.size)
    if args.command == "step":
        print(json.dumps(run_step(args.name, args.work, size, args.cold_runs)))
        return
    steps = [s for s in args.steps.split(",") if s]
    unknown = sorted(set(steps) - set(STEPS))
    if unknown:
        parser.error(f"unknown steps {', '.join(unknown)}; choose from {', '.join(STEPS)}")
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if "data" not in steps:
        steps.insert(0, "data")
    if set(steps) & set(SCALE_STEPS) and "graph" not in steps:
        steps.insert(steps.index(next(s for s in steps if s in SCALE_STEPS)), "graph")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="twinlac-bench-"))
    # The graph and a reload read the store a load writes: load first unless a kept one is there.
    if {"reload", "graph"} & set(steps) and "load" not in steps and \
            ("reload" in steps or not (work / "twinlac.lbdb").exists()):
        steps.append("load")
    steps = [s for s in STEPS if s in steps]
    rounds = f", {args.repeat} rounds" if args.repeat > 1 else ""
    print(f"python -m benchmarks all --size {args.size}: {size:,} ties, work in {work}, "
          f"{os.cpu_count()} CPUs{rounds}", flush=True)
    try:
        measured = measure_rounds(steps, work, size, args)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    floor, loaded = measured.get("copy_csv", {}), measured.get("load", {})
    results = {step: by_round[1] if args.repeat == 1 or step == "data" else summarize(step, by_round, floor, loaded)
               for step, by_round in measured.items()}
    print()
    print("\n".join(table(results)))
    failed = [step for step, by_round in measured.items()
              if any("failed" in result or "FAILED" in result.get("note", "") for result in by_round.values())]
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")
