"""Helpers shared by the analysis modules (not public API).

Every analysis starts from the graph ``GraphStore.to_networkx()`` returns: one
edge per tie, always between a Chinese party (``side == "china"``) and a LAC
party.  The helpers here turn it into a tie table, collapse it onto provinces
or countries, list the Chinese first-level divisions, and rewire it for null
models.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from twinlac.graph.vocabulary import COASTAL_GROUPS, NBS_GROUPS, SAR

UNITS = ("party", "province", "country")

TIE_COLUMNS = [
    "id", "cn", "lac", "cn_level", "lac_level", "level_pair", "cn_province", "cn_province_name",
    "nbs", "coast", "lac_province", "lac_province_name", "lac_country", "lac_country_name",
    "lac_region", "kind", "year", "evidence",
]


def nbs_label(region: str | None) -> str:
    """NBS region of a Chinese party, ``"SAR"`` for Hong Kong and Macau (region None)."""
    return region if region else SAR


def coast_label(coastal: object) -> str:
    """``"coastal"``, ``"inland"``, or ``"SAR"`` when the flag is None (Hong Kong, Macau)."""
    if coastal is None or (isinstance(coastal, float) and np.isnan(coastal)):
        return SAR
    return "coastal" if bool(coastal) else "inland"


def oriented_edges(graph: nx.Graph) -> Iterator[tuple[Hashable, Hashable, dict[str, Any]]]:
    """Yield ``(chinese_party, lac_party, data)`` for every tie; a tie without exactly one
    Chinese party (``side`` attribute) is an error, since every tie joins China and LAC."""
    for u, v, data in graph.edges(data=True):
        su, sv = graph.nodes[u].get("side"), graph.nodes[v].get("side")
        if su == "china" and sv != "china":
            yield u, v, data
        elif sv == "china" and su != "china":
            yield v, u, data
        else:
            raise ValueError(f"tie {u!r}–{v!r} does not join one Chinese party (side='china') and one LAC party")


#: Tie tables built once for the graphs of an open ``shared_ties`` block: id(graph) -> (graph, frame).
_SHARED_TIES: dict[int, tuple[nx.Graph, pd.DataFrame]] = {}


@contextmanager
def shared_ties(graph: nx.Graph) -> Iterator[None]:
    """Within the block, ``ties_frame(graph)`` is built once and each call gets a copy of it.

    For functions that run several measures on one graph (``spillover`` runs six, each starting from
    the tie table: a second each at 100,000 ties).  The graph must not change inside the block.
    """
    key = id(graph)
    if key in _SHARED_TIES:  # an enclosing block already shares it
        yield
        return
    _SHARED_TIES[key] = (graph, ties_frame(graph))
    try:
        yield
    finally:
        del _SHARED_TIES[key]


def ties_frame(graph: nx.Graph) -> pd.DataFrame:
    """One row per tie, Chinese end first, with the groupings of both ends (see ``TIE_COLUMNS``)."""
    shared = _SHARED_TIES.get(id(graph))
    if shared is not None and shared[0] is graph:
        return shared[1].copy()
    rows = []
    for cn, lac, data in oriented_edges(graph):
        c, la = graph.nodes[cn], graph.nodes[lac]
        rows.append({
            "id": data.get("id"), "cn": cn, "lac": lac,
            "cn_level": c.get("level"), "lac_level": la.get("level"),
            "level_pair": f"{c.get('level')}–{la.get('level')}",
            "cn_province": c.get("province") or cn,
            "cn_province_name": c.get("province_name") or c.get("name"),
            "nbs": nbs_label(c.get("region")), "coast": coast_label(c.get("coastal")),
            "lac_province": la.get("province") or lac,
            "lac_province_name": la.get("province_name") or la.get("name"),
            "lac_country": la.get("country") or lac,
            "lac_country_name": la.get("country_name") or la.get("country") or lac,
            "lac_region": la.get("region"),
            "kind": data.get("kind"), "year": data.get("year"), "evidence": data.get("evidence"),
        })
    frame = pd.DataFrame(rows, columns=TIE_COLUMNS)
    frame["year"] = pd.array([None if y is None or pd.isna(y) else int(y) for y in frame["year"]], dtype="Int64")
    return frame


def year_matrix(years: Iterable[Any], keys: Iterable[Hashable], units: Iterable[Hashable], *,
                end: int | None = None) -> pd.DataFrame:
    """Dated ties per year and unit: rows every year from the first dated year to the
    last (or ``end``, if later), zeros kept; columns ``units`` in order.  Entries of
    ``keys`` whose year is missing are skipped (callers count them)."""
    years = pd.array(list(years), dtype="Int64")
    mask = ~np.asarray(pd.isna(years), dtype=bool)
    y = np.asarray(years[mask], dtype=int)
    columns = pd.Index(list(units), tupleize_cols=False)
    if len(y) == 0:
        return pd.DataFrame(np.zeros((0, len(columns)), dtype=int), index=pd.Index([], name="year", dtype=int),
                            columns=columns)
    first, last = int(y.min()), max(int(y.max()), end or 0)
    position = {u: i for i, u in enumerate(columns)}
    table = np.zeros((last - first + 1, len(columns)), dtype=int)
    columns_of = np.array([position[k] for k, m in zip(keys, mask, strict=True) if m], dtype=int)
    np.add.at(table, (y - first, columns_of), 1)
    return pd.DataFrame(table, index=pd.Index(range(first, last + 1), name="year"), columns=columns)


def tie_counts(graph: nx.Graph, ties: pd.DataFrame, used: int | None = None) -> dict[str, int]:
    """What an analysis used and left out: ties in the graph, ties used (default: the
    dated ones), ties without a year (in the graph, so left out of every by-year
    measure), ties the ``to_networkx`` filters had already removed, and how many of
    those were removed by ``as_of`` for lack of a year."""
    dated = int(ties["year"].notna().sum())
    return {
        "ties": len(ties),
        "ties_used": dated if used is None else int(used),
        "ties_without_year": len(ties) - dated,
        "ties_left_out_by_filters": int(graph.graph.get("ties_left_out", 0) or 0),
        "ties_without_year_left_out_by_filters": int(graph.graph.get("ties_without_year", 0) or 0),
    }


def china_provinces(graph: nx.Graph) -> pd.DataFrame:
    """Every Chinese first-level division, tied or not, indexed by ISO id, with ``name``,
    ``nbs`` and ``coast`` labels and ``mainland`` (False for the SARs).

    From ``graph.graph["china_provinces"]`` when present, else from
    ``twinlac.graph.groupings``; divisions seen on the Chinese side of the graph
    but missing from that table are added from their node attributes.
    """
    table = graph.graph.get("china_provinces")
    if table is None:
        from twinlac.graph.groupings import CHINESE_PROVINCE_NAMES, COASTAL, NBS_REGION

        table = {
            pid: {"name": name, "region": NBS_REGION.get(pid),
                  "coastal": (pid in COASTAL) if pid in NBS_REGION else None}
            for pid, name in CHINESE_PROVINCE_NAMES.items()
        }
    table = dict(table)
    for _, data in graph.nodes(data=True):
        pid = data.get("province")
        if data.get("side") == "china" and pid and pid not in table:
            table[pid] = {"name": data.get("province_name"), "region": data.get("region"),
                          "coastal": data.get("coastal")}
    rows = [{"province": pid, "name": info.get("name"), "nbs": nbs_label(info.get("region")),
             "coast": coast_label(info.get("coastal"))} for pid, info in sorted(table.items())]
    frame = pd.DataFrame(rows, columns=["province", "name", "nbs", "coast"]).set_index("province")
    frame["mainland"] = frame["nbs"] != SAR
    return frame


def _unit(node: Hashable, data: dict[str, Any], unit: str) -> Hashable:
    if unit == "party":
        return node
    return data.get(unit) or node


def _unit_attributes(node: Hashable, data: dict[str, Any], unit: str) -> dict[str, Any]:
    if unit == "party":
        return dict(data)
    if unit == "province":
        return {"name": data.get("province_name") or data.get("name"), "level": "province",
                "side": data.get("side"), "region": data.get("region"), "coastal": data.get("coastal"),
                "province": data.get("province") or node, "province_name": data.get("province_name"),
                "country": data.get("country"), "country_name": data.get("country_name")}
    china = data.get("side") == "china"
    return {"name": data.get("country_name") or data.get("country") or node, "level": "country",
            "side": data.get("side"), "region": None if china else data.get("region"),
            "coastal": None, "country": data.get("country") or node, "country_name": data.get("country_name")}


def collapse(graph: nx.Graph, china: str = "province", lac: str = "province") -> nx.Graph:
    """Count each tie for the unit (``party``, ``province`` or ``country``) of each end:
    Chinese ends at level ``china``, LAC ends at level ``lac``.  Edge ``weight`` =
    number of ties; ``graph.graph`` is copied.  Works on graphs without ``side``
    attributes when both levels are equal."""
    for unit in (china, lac):
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}: use one of {', '.join(UNITS)}")
    out = nx.Graph(**graph.graph)

    def unit_of(node: Hashable) -> Hashable:
        data = graph.nodes[node]
        level = china if data.get("side") == "china" else lac
        key = _unit(node, data, level)
        if key not in out:
            out.add_node(key, **_unit_attributes(node, data, level))
        return key

    for u, v in graph.edges():
        a, b = unit_of(u), unit_of(v)
        out.add_edge(a, b, weight=out[a][b]["weight"] + 1 if out.has_edge(a, b) else 1)
    return out


def sides(graph: nx.Graph) -> tuple[list[Hashable], list[Hashable]] | None:
    """(Chinese nodes, LAC nodes) when every node has a side and every edge crosses, else None."""
    china = [n for n, s in graph.nodes(data="side") if s == "china"]
    lac = [n for n, s in graph.nodes(data="side") if s == "lac"]
    if len(china) + len(lac) != graph.number_of_nodes():
        return None
    china_set = set(china)
    if any((u in china_set) == (v in china_set) for u, v in graph.edges()):
        return None
    return china, lac


def rewire_bipartite(graph: nx.Graph, rng: np.random.Generator, *, weighted: bool,
                     swaps_per_edge: int = 10) -> nx.Graph:
    """A degree-preserving random version of a two-sided graph (a null model).

    ``weighted=True``: bipartite configuration model on tie stubs — each node keeps
    its number of ties (weighted degree); the LAC stubs are matched to the Chinese
    stubs by a uniform random permutation and repeated pairs add up as weight.
    ``weighted=False``: Maslov–Sneppen switches (c1–l1, c2–l2 → c1–l2, c2–l1),
    rejected when they would create a repeated edge; each node keeps its degree
    and the graph stays simple and two-sided.  Node attributes are copied.
    """
    china_set = set(n for n, s in graph.nodes(data="side") if s == "china")
    pairs = [(u, v) if u in china_set else (v, u) for u, v in graph.edges()]
    out = nx.Graph(**graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    if weighted:
        cn = [c for c, la in pairs for _ in range(int(graph[c][la].get("weight", 1)))]
        lac = [la for c, la in pairs for _ in range(int(graph[c][la].get("weight", 1)))]
        for c, la in zip(cn, (lac[i] for i in rng.permutation(len(lac))), strict=True):
            out.add_edge(c, la, weight=out[c][la]["weight"] + 1 if out.has_edge(c, la) else 1)
        return out
    edges, present = list(pairs), set(pairs)
    m = len(edges)
    if m >= 2:
        picks = rng.integers(0, m, size=(swaps_per_edge * m, 2))
        for i, j in picks:
            (c1, l1), (c2, l2) = edges[i], edges[j]
            if i == j or c1 == c2 or l1 == l2 or (c1, l2) in present or (c2, l1) in present:
                continue
            present -= {(c1, l1), (c2, l2)}
            present |= {(c1, l2), (c2, l1)}
            edges[i], edges[j] = (c1, l2), (c2, l1)
    out.add_edges_from(edges, weight=1)
    return out


def null_summary(observed: float, null: Iterable[float]) -> dict[str, float]:
    """Mean, standard deviation, z-score and percentile (share of null values ≤ observed, in %)."""
    values = np.array([x for x in null if np.isfinite(x)], dtype=float)
    if len(values) == 0 or not np.isfinite(observed):
        return {"null_mean": np.nan, "null_std": np.nan, "z": np.nan, "percentile": np.nan}
    std = values.std(ddof=1) if len(values) > 1 else np.nan
    z = (observed - values.mean()) / std if std and np.isfinite(std) and std > 0 else np.nan
    return {"null_mean": values.mean(), "null_std": std, "z": z,
            "percentile": 100.0 * float(np.mean(values <= observed))}


def pearson(x: Iterable[float], y: Iterable[float]) -> float:
    """Pearson correlation; NaN when fewer than two points or a constant variable."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) < 2 or x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


# -- shared by several analysis modules: groupings, counting before a year, tables, fits -------

#: The Chinese groupings of shares and survival curves: name -> (tie column, groups in order).
GROUPINGS = {"nbs": ("nbs", NBS_GROUPS), "coastal": ("coast", COASTAL_GROUPS)}


def counts_before(new: np.ndarray) -> np.ndarray:
    """For a years × units matrix of new ties, the ties each unit had before each year
    (signed in earlier years; the year itself not included)."""
    return np.asarray(np.cumsum(new, axis=0) - new)


def row_shares(table: pd.DataFrame) -> np.ndarray:
    """Each entry over its row's total; NaN in a row that sums to 0."""
    values = table.to_numpy()
    totals = values.sum(axis=1)[:, None]
    return np.asarray(np.divide(values, totals, out=np.full(values.shape, np.nan), where=totals > 0))


def long_table(tables: dict[str, Any], *, index: str = "year", column: str = "group") -> pd.DataFrame:
    """Stack matrices of the same shape (rows × columns, e.g. years × groups) into one long
    frame: ``index``, ``column``, then one column per entry of ``tables``, row by row."""
    first = next(iter(tables.values()))
    rows, columns = first.index.to_numpy(), np.array(list(first.columns))
    frame = {index: np.repeat(rows, len(columns)), column: np.tile(columns, len(rows))}
    for name, table in tables.items():
        frame[name] = np.asarray(table).ravel()
    return pd.DataFrame(frame)


def concat_or_empty(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """``frames`` one under the other with ``columns`` in order; an empty frame with those
    columns when there are none."""
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def loglog_fit(x: Iterable[float], y: Iterable[float]) -> tuple[float, float]:
    """Least-squares line of ln y on ln x over the points with x > 0 and finite y > 0:
    (slope, intercept), NaN for both with fewer than two distinct such x."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = (y > 0) & (x > 0) & np.isfinite(y)
    if len(np.unique(x[ok])) < 2:
        return float("nan"), float("nan")
    slope, intercept = np.polyfit(np.log(x[ok]), np.log(y[ok]), 1)
    return float(slope), float(intercept)
