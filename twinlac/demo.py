"""The main job: bundled data -> embedded graph -> summary tables -> interactive network and map."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from twinlac.graph import open_store
from twinlac.loaders import LoadReport, load_agreements
from twinlac.queries import run_named

#: Named queries whose results make the demo's summary, in order.
SUMMARY_QUERIES = ("agreements_by_country", "agreements_by_level_and_kind", "top_chinese_provinces")


@dataclass
class DemoResult:
    """What ``run_demo`` built: the load report, summary tables and the network file."""

    db: Path
    load: LoadReport
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    network_html: Path | None = None
    map_html: Path | None = None
    seconds: float = 0.0


def run_demo(db: str | Path, out_dir: str | Path = "twinlac-out") -> DemoResult:
    """Load the bundled data into the embedded store at ``db``, summarise it and draw it.

    Idempotent: a second run finds every agreement already present and adds nothing.
    """
    from twinlac.viz import write_map_html, write_network_html

    started = time.perf_counter()
    with open_store(db) as store:
        report = load_agreements(store)
        tables = {name: run_named(store, name) for name in SUMMARY_QUERIES}
        graph = store.to_networkx()
    network = write_network_html(graph, Path(out_dir) / "network.html")
    world = write_map_html(graph, Path(out_dir) / "map.html")
    return DemoResult(Path(db), report, tables, network, world, time.perf_counter() - started)
