"""Mixing and geography: who twins with whom — by degree, by region, by distance."""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, overload

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd

from twinlac.analysis._common import (
    collapse,
    loglog_fit,
    long_table,
    null_summary,
    oriented_edges,
    pearson,
    rewire_bipartite,
    sides,
    ties_frame,
)
from twinlac.graph.vocabulary import LAC_SUBREGIONS, NBS_GROUPS

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["assortativity", "region_mixing", "DistanceEffect", "distance_effect", "great_circle_km",
           "swap_bipartite_edges", "BATCH_SWAP_EDGES", "MAX_PAIRS"]

ASSORTATIVITY_COLUMNS = ["graph", "measure", "value", "null_mean", "null_std", "z", "percentile", "nodes", "edges"]
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


#: Above this many edges of the two-sided graph, the null model swaps ties in vectorised batches.
BATCH_SWAP_EDGES = 5000

#: Above this many China–LAC pairs with coordinates, ``distance_effect`` measures a random sample of them.
MAX_PAIRS = 2_000_000


def _edge_arrays(B: nx.Graph, china: list[Hashable], lac: list[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """The edges of a two-sided graph as (Chinese index, LAC index) arrays, in edge order."""
    ci, li = {n: i for i, n in enumerate(china)}, {n: i for i, n in enumerate(lac)}
    pairs = [(ci[u], li[v]) if u in ci else (ci[v], li[u]) for u, v in B.edges()]
    cn = np.array([c for c, _ in pairs], dtype=np.int64)
    la = np.array([x for _, x in pairs], dtype=np.int64)
    return cn, la


def _projection_assortativity(M: sparse.csr_matrix) -> tuple[float, int]:
    """Degree assortativity of the one-mode projection M Mᵀ (two rows joined when they share a column)
    and its number of edges."""
    P = (M @ M.T).tocoo()
    off = P.row != P.col
    rows, cols = P.row[off], P.col[off]
    k = np.bincount(rows, minlength=M.shape[0])
    return pearson(k[rows], k[cols]), len(rows) // 2


def _degree_measures(cn: np.ndarray, la: np.ndarray, n_china: int, n_lac: int
                     ) -> dict[tuple[str, str], tuple[float, int, int]]:
    from scipy import sparse

    kc, kl = np.bincount(cn, minlength=n_china)[cn], np.bincount(la, minlength=n_lac)[la]
    nodes, m = n_china + n_lac, len(cn)
    out = {("bipartite", "degree assortativity"): (pearson(np.r_[kc, kl], np.r_[kl, kc]), nodes, m),
           ("bipartite", "cross-side degree correlation"): (pearson(kc, kl), nodes, m)}
    M = sparse.csr_matrix((np.ones(m), (cn, la)), shape=(n_china, n_lac))
    for name, matrix, n in (("china projection", M, n_china), ("lac projection", M.T.tocsr(), n_lac)):
        r, edges = _projection_assortativity(matrix)
        out[(name, "degree assortativity")] = (r, n, edges)
    return out


def swap_bipartite_edges(cn: np.ndarray, la: np.ndarray, rng: np.random.Generator, *,
                         swaps_per_edge: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Degree-preserving rewiring of a simple two-sided graph by Maslov–Sneppen switches in batches.

    Parameters
    ----------
    cn, la : integer arrays of the same length
        Edge i joins Chinese node ``cn[i]`` to LAC node ``la[i]``; no edge repeats.
    rng : numpy Generator
    swaps_per_edge : int
        Attempted switches per edge (in ``2 × swaps_per_edge`` rounds of m/2).

    Returns
    -------
    (cn, la): new arrays; every node keeps its degree, no edge repeats.

    Notes
    -----
    Each round pairs the edges by a random permutation and tries the switch
    c1–l1, c2–l2 → c1–l2, c2–l1 on every pair at once; a switch is kept when
    it makes no edge already present and no edge another switch of the round
    makes.  The kept switches touch disjoint edges, so the round equals doing
    them one after the other: the same Markov chain as one switch at a time,
    with numpy doing the bookkeeping.

    References
    ----------
    Maslov, S. & Sneppen, K. (2002). Specificity and stability in topology of
    protein networks. Science 296, 910–913.

    Example
    -------
    >>> cn, la = np.array([0, 0, 1, 1, 2]), np.array([0, 1, 1, 2, 0])
    >>> c2, l2 = swap_bipartite_edges(cn, la, np.random.default_rng(0))
    >>> np.bincount(c2).tolist(), np.bincount(l2).tolist(), len(set(zip(c2.tolist(), l2.tolist())))
    ([2, 2, 1], [2, 2, 1], 5)
    """
    cn, la = np.asarray(cn, dtype=np.int64).copy(), np.asarray(la, dtype=np.int64).copy()
    m = len(cn)
    if m < 2:
        return cn, la
    width = int(la.max()) + 1
    cells = (int(cn.max()) + 1) * width
    table = np.zeros(cells, dtype=bool) if cells <= 50_000_000 else None  # which edges are present
    if table is not None:
        table[cn * width + la] = True
    for _ in range(2 * swaps_per_edge):
        order = rng.permutation(m)
        i, j = order[: m // 2], order[m // 2: 2 * (m // 2)]
        c1, l1, c2, l2 = cn[i], la[i], cn[j], la[j]
        new1, new2 = c1 * width + l2, c2 * width + l1
        if table is not None:
            taken1, taken2 = table[new1], table[new2]
        else:
            present = np.sort(cn * width + la)
            taken1, taken2 = _sorted_contains(present, new1), _sorted_contains(present, new2)
        ok = (c1 != c2) & (l1 != l2) & ~taken1 & ~taken2
        made = np.r_[new1[ok], new2[ok]]
        values, counts = np.unique(made, return_counts=True)
        twice = values[counts > 1]
        if len(twice):
            ok[ok] = ~(np.isin(new1[ok], twice) | np.isin(new2[ok], twice))
        if table is not None:
            table[c1[ok] * width + l1[ok]] = False
            table[c2[ok] * width + l2[ok]] = False
            table[new1[ok]] = True
            table[new2[ok]] = True
        la[i[ok]], la[j[ok]] = l2[ok], l1[ok]
    return cn, la


def _sorted_contains(sorted_values: np.ndarray, items: np.ndarray) -> np.ndarray:
    at = np.searchsorted(sorted_values, items)
    at[at == len(sorted_values)] = 0
    return sorted_values[at] == items if len(sorted_values) else np.zeros(len(items), dtype=bool)


def assortativity(graph: nx.Graph, *, level: str = "province", n_null: int = 100, seed: int = 0) -> pd.DataFrame:
    """Degree assortativity of the two-sided graph and of its one-mode projections.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    level : {"party", "province", "country"}
        ``"party"``: parties as signed; ``"province"``: Chinese provinces – LAC
        provinces; ``"country"``: Chinese provinces – LAC countries.
    n_null : int
        Degree-preserving random graphs for the null model (0 skips it).
    seed : int
        Seed of the null model.

    Returns
    -------
    DataFrame ``graph, measure, value, null_mean, null_std, z, percentile,
    nodes, edges`` with rows

    - ``bipartite`` / ``degree assortativity``: Newman's r over the edges of the
      two-sided graph (each edge counted in both directions);
    - ``bipartite`` / ``cross-side degree correlation``: Pearson correlation
      of the Chinese end's degree with the LAC end's degree over the edges —
      do hub provinces twin with hub LAC units?;
    - ``china projection`` / ``lac projection`` / ``degree assortativity``: r on
      the one-mode projections (two units joined if they share a partner).

    Empty frame for a graph without edges.  NaN where a degree is constant.

    Notes
    -----
    r = Pearson correlation of the degrees at the two ends of an edge (Newman
    2002), degrees = number of distinct partners.  **A two-sided network is
    disassortative by construction**: the symmetrised r mixes the degree
    distributions of the two sides, and when one side holds the hubs (Chinese
    provinces, with dozens of partners) and the other many units with one or
    two partners, r is strongly negative whatever the wiring (a star has
    r = −1).  Read it only against its null model, or use the cross-side
    correlation or the projections.  Projections have their own bias: a hub's
    partners form a clique of equal degrees, which pushes r up.  The null
    model keeps every unit's degree and rewires the two-sided graph by
    Maslov–Sneppen switches (``10 × edges`` attempts per graph), then
    recomputes every row; z = (value − null_mean) / null_std.  Above
    ``BATCH_SWAP_EDGES`` edges the switches are tried in vectorised batches
    (``swap_bipartite_edges``); the projections' degrees come from sparse
    products at every size.  With every
    degree fixed, both two-sided rows are affine in Σ_edges k_china · k_lac, so
    their z-scores coincide; the cross-side value is the readable one.

    References
    ----------
    Newman, M. E. J. (2002). Assortative mixing in networks. Phys. Rev. Lett.
    89, 208701. Maslov, S. & Sneppen, K. (2002). Specificity and stability in
    topology of protein networks. Science 296, 910–913. Kaltenbrunner, A.,
    Aragón, P., Laniado, D. & Volkovich, Y. (2013). Not all paths lead to Rome:
    analysing the network of sister cities. LNCS 8221, 151–156;
    arXiv:1301.6900 (sister-city networks are highly assortative).

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_nodes_from(["c"], side="china"); G.add_nodes_from(["x", "y", "z"], side="lac")
    >>> G.add_edges_from([("c", "x"), ("c", "y"), ("c", "z")])
    >>> frame = assortativity(G, level="party", n_null=0).set_index(["graph", "measure"])
    >>> round(float(frame.loc[("bipartite", "degree assortativity"), "value"]), 6)
    -1.0
    """
    if level not in ("party", "province", "country"):
        raise ValueError(f"unknown level {level!r}: use party, province or country")
    B = graph if level == "party" else collapse(graph, "province", level)
    two = sides(B)
    if B.number_of_edges() == 0 or not two:
        return pd.DataFrame(columns=ASSORTATIVITY_COLUMNS)
    china, lac = two
    cn, la = _edge_arrays(B, china, lac)
    observed = _degree_measures(cn, la, len(china), len(lac))
    rng = np.random.default_rng(seed)
    null = []
    for _ in range(n_null):
        if len(cn) > BATCH_SWAP_EDGES:
            cn0, la0 = swap_bipartite_edges(cn, la, rng)
        else:
            cn0, la0 = _edge_arrays(rewire_bipartite(B, rng, weighted=False), china, lac)
        null.append(_degree_measures(cn0, la0, len(china), len(lac)))
    rows = [{"graph": g, "measure": m, "value": value, **null_summary(value, [n[(g, m)][0] for n in null]),
             "nodes": nodes, "edges": edges} for (g, m), (value, nodes, edges) in observed.items()]
    return pd.DataFrame(rows, columns=ASSORTATIVITY_COLUMNS)


def region_mixing(graph: nx.Graph) -> pd.DataFrame:
    """Ties between Chinese NBS regions and LAC subregions, against independence.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.

    Returns
    -------
    DataFrame ``china_region, lac_region, ties, expected, ratio``: one row per
    pair of groups (East, Central, West, Northeast, SAR × Southern Cone,
    Brazil, Andean, Mexico, Central America, Caribbean, plus any other LAC
    region present), zeros included; empty for a graph without ties.

    Notes
    -----
    expected = (ties of the Chinese region) × (ties of the LAC subregion) /
    (all ties): the count if partners were chosen regardless of region.
    ratio = ties / expected (NaN when expected is 0): above 1, the two regions
    twin more than their sizes predict.  All ties count, dated or not.

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. Phys. Rev. E 67,
    026126 (mixing matrices).

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", side="china", region="East"); G.add_node("AR-B", side="lac", region="Southern Cone")
    >>> G.add_edge("CN-JS", "AR-B")
    >>> region_mixing(G).query("ties > 0")[["china_region", "lac_region", "ties", "ratio"]].values.tolist()
    [['East', 'Southern Cone', 1, 1.0]]
    """
    ties = ties_frame(graph)
    columns = ["china_region", "lac_region", "ties", "expected", "ratio"]
    if ties.empty:
        return pd.DataFrame(columns=columns)
    lac_regions = ties["lac_region"].fillna("unknown")
    lac_groups = list(LAC_SUBREGIONS) + sorted(set(lac_regions) - set(LAC_SUBREGIONS))
    table = pd.crosstab(ties["nbs"], lac_regions).reindex(index=list(NBS_GROUPS), columns=lac_groups, fill_value=0)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / len(ties)
    frame = long_table({"ties": table, "expected": expected}, index="china_region", column="lac_region")
    frame["ratio"] = frame["ties"] / frame["expected"].where(frame["expected"] > 0)
    return frame[columns]


@overload
def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...


@overload
def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray: ...


def great_circle_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike,
                    lon2: npt.ArrayLike) -> float | np.ndarray:
    """Great-circle distance in km between points given in degrees (arrays broadcast).

    Parameters
    ----------
    lat1, lon1, lat2, lon2 : floats or arrays, in degrees.

    Returns
    -------
    float or ndarray of kilometres.

    Notes
    -----
    Haversine formula: d = 2R arcsin √(sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)),
    R = 6371.0088 km (IUGG mean Earth radius); error below 0.5 % from the
    ellipsoid.

    References
    ----------
    Sinnott, R. W. (1984). Virtues of the haversine. Sky & Telescope 68(2), 159.

    Example
    -------
    >>> round(great_circle_km(0, 0, 0, 90))  # a quarter of the equator: π R / 2
    10008
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    # numpy's stubs type these ufuncs on array-likes as Any: a float for floats, an array for arrays
    distance: float | np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
    return distance


@dataclass(frozen=True)
class DistanceEffect:
    """Result of ``distance_effect()``."""

    ties: pd.DataFrame
    by_distance: pd.DataFrame
    mean_tie_km: float
    mean_pair_km: float
    distance_ratio: float
    slope: float
    counts: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _coordinates(data: dict[str, Any]) -> tuple[float, float] | None:
    raw_lat, raw_lon = data.get("lat"), data.get("lon")
    if raw_lat is None or raw_lon is None:
        return None
    try:
        lat, lon = float(raw_lat), float(raw_lon)
    except (TypeError, ValueError):
        return None
    return (lat, lon) if np.isfinite(lat) and np.isfinite(lon) else None


def distance_effect(graph: nx.Graph, *, n_bins: int = 8, min_ties: int = 10, max_pairs: int = MAX_PAIRS,
                    seed: int = 0) -> DistanceEffect:
    """Does distance shape who twins with whom?  Ties against all possible China–LAC pairs.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``), parties with
        ``lat``/``lon`` where known.  Not modified.
    n_bins : int
        Number of logarithmic distance bins.
    min_ties : int
        Fewest ties with coordinates at both ends for a result; with fewer,
        every number is NaN and the frames are empty, but ``counts`` still
        says what was found.
    max_pairs : int
        Largest number of China–LAC pairs measured one by one; above it a
        uniform random sample of `max_pairs` pairs stands for them all.
    seed : int
        Seed of that sample.

    Returns
    -------
    DistanceEffect, with

    - ``ties``: ``id, cn, lac, distance_km`` for the ties with coordinates at
      both ends;
    - ``by_distance``: ``low_km, high_km, ties, pairs, p_tie`` per bin;
    - ``mean_tie_km``, ``mean_pair_km`` and ``distance_ratio`` = their ratio
      (below 1: ties are shorter than random pairs);
    - ``slope``: least-squares slope of ln p_tie on ln(bin centre) over bins
      with p_tie > 0 (p ∝ d^slope; NaN with fewer than two such bins);
    - ``counts``: ``ties``, ``ties_with_coordinates``,
      ``ties_without_coordinates``, ``parties_with_coordinates``,
      ``parties_without_coordinates``, ``pairs`` (and ``pairs_sampled``
      when the pairs were sampled);
    - ``notes``: a line saying so when the pairs were sampled (also issued
      as a ``RuntimeWarning``).

    Notes
    -----
    Distances are great-circle (haversine) distances between the parties'
    coordinates (a province-level party at its own coordinates).  The
    reference is every pair of a Chinese and a LAC party that both have
    coordinates, tied or not: p_tie(d) = ties / pairs in the bin is the
    chance that a pair at that distance is twinned, so the uneven geography of
    the parties does not pass for a distance effect.  China–LAC distances span
    a narrow range (about 11,000–20,000 km), so any slope rests on little
    leverage.  Kaltenbrunner et al. (2013) found sister-city pairing
    worldwide not influenced by geographical proximity.

    On a large graph the pairs are too many to measure (25,000 Chinese ×
    11,000 LAC parties are 285 million): above `max_pairs` a uniform random
    sample of pairs (with replacement, seeded) gives the share of pairs in
    each bin and the mean pair distance, and the ``pairs`` column is that
    share times the number of pairs.  With 2 million pairs drawn, a bin
    holding a share q of the pairs is estimated within about
    ±2√(q(1 − q)/2·10⁶), under 0.07 percentage points.  The ties themselves
    are always all measured.

    References
    ----------
    Kaltenbrunner, A., Aragón, P., Laniado, D. & Volkovich, Y. (2013). Not all
    paths lead to Rome: analysing the network of sister cities. In
    Self-Organizing Systems (IWSOS 2013), LNCS 8221, 151–156; arXiv:1301.6900.
    Sinnott, R. W. (1984). Virtues of the haversine. Sky & Telescope 68(2), 159.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-SH", side="china", lat=31.2, lon=121.5); G.add_node("BR-SP", side="lac", lat=None, lon=None)
    >>> G.add_edge("CN-SH", "BR-SP")
    >>> result = distance_effect(G)
    >>> result.counts["ties_without_coordinates"], bool(np.isnan(result.slope))
    (1, True)
    """
    coords = {n: _coordinates(d) for n, d in graph.nodes(data=True)}
    known = {n: c for n, c in coords.items() if c is not None}
    ties = [(data.get("id"), cn, lac) for cn, lac, data in oriented_edges(graph)]
    located = [(i, cn, lac) for i, cn, lac in ties if coords[cn] and coords[lac]]
    china = [n for n, d in graph.nodes(data=True) if d.get("side") == "china" and coords[n]]
    lac = [n for n, d in graph.nodes(data=True) if d.get("side") != "china" and coords[n]]
    with_coords = sum(c is not None for c in coords.values())
    counts = {"ties": len(ties), "ties_with_coordinates": len(located),
              "ties_without_coordinates": len(ties) - len(located), "parties_with_coordinates": with_coords,
              "parties_without_coordinates": len(coords) - with_coords, "pairs": len(china) * len(lac)}
    tie_frame = pd.DataFrame(located, columns=["id", "cn", "lac"])
    ends = np.array([(*known[c], *known[la]) for _, c, la in located], dtype=float).reshape(-1, 4)
    tie_frame["distance_km"] = great_circle_km(ends[:, 0], ends[:, 1], ends[:, 2], ends[:, 3])
    bins_columns = ["low_km", "high_km", "ties", "pairs", "p_tie"]
    if len(located) < max(min_ties, 1):
        return DistanceEffect(tie_frame.iloc[0:0], pd.DataFrame(columns=bins_columns), np.nan, np.nan, np.nan,
                              np.nan, counts)
    ci = np.array([known[n] for n in china])
    li = np.array([known[n] for n in lac])
    notes: tuple[str, ...] = ()
    if counts["pairs"] > max_pairs:
        rng = np.random.default_rng(seed)
        a, b = rng.integers(0, len(china), size=max_pairs), rng.integers(0, len(lac), size=max_pairs)
        pair_km = great_circle_km(ci[a, 0], ci[a, 1], li[b, 0], li[b, 1])
        counts["pairs_sampled"] = max_pairs
        notes = (f"distance effect: {max_pairs:,} of {counts['pairs']:,} China–LAC pairs sampled (seed {seed}); "
                 "pairs per bin and the mean pair distance are estimates",)
        for line in notes:
            warnings.warn(line, RuntimeWarning, stacklevel=2)
    else:
        pair_km = great_circle_km(ci[:, None, 0], ci[:, None, 1], li[None, :, 0], li[None, :, 1]).ravel()
    tie_km = tie_frame["distance_km"].to_numpy()
    low, high = max(pair_km.min(), 1e-9), pair_km.max()
    bounds = np.geomspace(low, high, n_bins + 1) if high > low else np.array([low, low])
    centres = np.sqrt(bounds[:-1] * bounds[1:])
    edges = np.concatenate([[0.0], bounds[1:-1], [np.inf]])  # every pair lands in a bin
    pairs_in, ties_in = np.histogram(pair_km, edges)[0], np.histogram(tie_km, edges)[0]
    if len(pair_km) < counts["pairs"]:  # a sample: its share of each bin times all the pairs
        pairs_in = np.rint(pairs_in * (counts["pairs"] / len(pair_km))).astype(np.int64)
    by_distance = pd.DataFrame({"low_km": edges[:-1], "high_km": edges[1:], "ties": ties_in, "pairs": pairs_in})
    by_distance["p_tie"] = by_distance["ties"] / by_distance["pairs"].where(by_distance["pairs"] > 0)
    slope, _ = loglog_fit(centres, by_distance["p_tie"].to_numpy())
    mean_tie, mean_pair = float(tie_km.mean()), float(pair_km.mean())
    return DistanceEffect(tie_frame, by_distance, mean_tie, mean_pair, mean_tie / mean_pair, slope, counts, notes)
