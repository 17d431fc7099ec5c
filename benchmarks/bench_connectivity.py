"""Time ``twinlac.analysis.connectivity`` on a synthetic network of 100,000 ties (or TIES).

    python benchmarks/bench_connectivity.py [TIES]

The graph is two-sided like the real one: Chinese parties in 31 provinces, LAC
parties in the 33 CELAC countries, each tie between one of each.  Both ends are
drawn with heavy-tailed (Zipf-like, exponent 1) weights, so a few hubs hold
many ties and most parties hold one; pairs are drawn until TIES distinct ones.  Robustness (random orders) and the null
models are samples, and path length and clustering are sampled on a graph this
size: the printed notes say how.
"""

from __future__ import annotations

import sys
import time

import networkx as nx
import numpy as np

from twinlac.analysis import connectivity
from twinlac.graph.groupings import CHINESE_PROVINCE_NAMES, LAC_SUBREGION, NBS_REGION


def synthetic(ties: int, seed: int = 0) -> nx.Graph:
    rng = np.random.default_rng(seed)
    n_china, n_lac = max(2, ties // 4), max(2, ties // 2)

    def zipf(n):
        weights = 1.0 / np.arange(1, n + 1)
        return weights / weights.sum()

    pairs: dict[tuple[int, int], None] = {}
    while len(pairs) < ties:  # draw until `ties` distinct pairs
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
    for i in np.unique(cn):
        p = provinces[i % len(provinces)]
        G.add_node(f"cn{i}", name=f"cn{i}", side="china", level="city", province=p,
                   province_name=CHINESE_PROVINCE_NAMES[p], country="CN", country_name="China", region=NBS_REGION[p])
    for i in np.unique(lac):
        c = countries[i % len(countries)]
        G.add_node(f"lac{i}", name=f"lac{i}", side="lac", level="city", province=f"{c}-{i % 7}",
                   province_name=f"{c}-{i % 7}", country=c, country_name=c, region=LAC_SUBREGION[c])
    years = rng.integers(1980, 2025, size=ties)
    for a, b, y in zip(cn, lac, years, strict=True):
        G.add_edge(f"cn{a}", f"lac{b}", year=int(y), kind="sister", evidence="press")
    return G


def main() -> None:
    ties = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    start = time.perf_counter()
    G = synthetic(ties)
    built = time.perf_counter() - start
    print(f"synthetic graph: {G.number_of_nodes():,} parties, {G.number_of_edges():,} ties ({built:.1f} s to build)")
    start = time.perf_counter()
    tables = connectivity(G)
    took = time.perf_counter() - start
    summary = tables["summary"]
    for row in summary.itertuples():
        print(f"  {row.measure}: {row.value}" + (f"  ({row.note})" if row.note else ""))
    print(f"connectivity(): {took:.1f} s")


if __name__ == "__main__":
    main()
