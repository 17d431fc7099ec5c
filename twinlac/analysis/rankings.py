"""Rankings: the Chinese provinces and the places with most ties (the data of the top charts)."""

from __future__ import annotations

import math
import unicodedata
from typing import Any

import networkx as nx
import pandas as pd

from twinlac.analysis.projection import project

__all__ = ["TOP_LOCALITY_COLUMNS", "TOP_PROVINCE_COLUMNS", "top_localities", "top_provinces"]

#: Columns of :func:`top_provinces`.
TOP_PROVINCE_COLUMNS = ["province", "name", "region", "coastal", "ties", "partners"]
#: Columns of :func:`top_localities`.
TOP_LOCALITY_COLUMNS = ["id", "name", "label", "level", "side", "country", "ties"]


def top_provinces(graph: nx.Graph, *, top: int | None = 15) -> pd.DataFrame:
    """Chinese first-level divisions by number of ties, each tie counted for the Chinese party's province.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    top : int or None, optional
        Rows kept (None: all).

    Returns
    -------
    DataFrame
        ``TOP_PROVINCE_COLUMNS``: ``province`` (ISO 3166-2 id), ``name``,
        ``region`` (NBS region), ``coastal``, ``ties`` (agreements signed by
        the province or its cities), ``partners`` (distinct LAC provinces),
        sorted by ties (descending), then name (accents and case folded) and
        id.  Provinces without a tie are left out.

    Raises
    ------
    ValueError
        If `top` is below 1.

    Notes
    -----
    Counted on ``project(graph, "province")`` (``province_graph``): a
    province's ties are its weighted degree there, its partners its degree.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:wuxi", side="china", province="CN-JS", province_name="Jiangsu", region="East")
    >>> G.add_node("CN-JS", side="china", province="CN-JS", province_name="Jiangsu", region="East")
    >>> G.add_node("BR-SP", side="lac", province="BR-SP")
    >>> G.add_edges_from([("CN-JS:wuxi", "BR-SP"), ("CN-JS", "BR-SP")])
    >>> top_provinces(G)[["province", "ties", "partners"]].values.tolist()
    [['CN-JS', 2, 1]]
    """
    projected = project(graph, "province")
    rows = []
    for node, data in projected.nodes(data=True):
        if data.get("side") != "china":
            continue
        ties = int(projected.degree(node, weight="weight"))
        if ties == 0:
            continue
        rows.append({"province": str(node), "name": _text(data.get("name")) or str(node),
                     "region": _text(data.get("region")), "coastal": data.get("coastal"), "ties": ties,
                     "partners": int(projected.degree(node))})
    return _rank(pd.DataFrame(rows, columns=TOP_PROVINCE_COLUMNS), top, key="province")


def top_localities(graph: nx.Graph, *, top: int | None = 15, include_provinces: bool = False) -> pd.DataFrame:
    """City-level parties (Chinese and LAC) by the number of ties they signed themselves.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    top : int or None, optional
        Rows kept (None: all).
    include_provinces : bool, optional
        Also rank province-level parties (as parties: a province's own
        agreements, not those of its cities).

    Returns
    -------
    DataFrame
        ``TOP_LOCALITY_COLUMNS``: ``id, name, label`` (the name with its
        province for a Chinese party, its country for a LAC one), ``level,
        side, country, ties`` (degree: one tie per pair of parties), sorted by
        ties (descending), then name (accents and case folded) and id.
        Parties without a tie are left out.

    Raises
    ------
    ValueError
        If `top` is below 1.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:wuxi", name="Wuxi", level="city", side="china", province_name="Jiangsu")
    >>> G.add_node("AR-X:cordoba", name="Córdoba", level="city", side="lac", country_name="Argentina")
    >>> G.add_node("CN-ZJ", name="Zhejiang", level="province", side="china")
    >>> G.add_edges_from([("CN-JS:wuxi", "AR-X:cordoba"), ("CN-ZJ", "AR-X:cordoba")])
    >>> top_localities(G)[["label", "ties"]].values.tolist()
    [['Córdoba (Argentina)', 2], ['Wuxi (Jiangsu)', 1]]
    """
    rows = []
    for node, data in graph.nodes(data=True):
        level = _text(data.get("level"))
        if level != "city" and not (include_provinces and level == "province"):
            continue
        ties = int(graph.degree(node))
        if ties == 0:
            continue
        name = _text(data.get("name")) or str(node)
        side = _text(data.get("side"))
        where = _text(data.get("province_name")) if side == "china" else _text(data.get("country_name"))
        where = where or _text(data.get("country"))
        label = f"{name} ({where})" if where and where != name else name
        rows.append({"id": str(node), "name": name, "label": label, "level": level, "side": side,
                     "country": _text(data.get("country_name")) or _text(data.get("country")), "ties": ties})
    return _rank(pd.DataFrame(rows, columns=TOP_LOCALITY_COLUMNS), top, key="id")


def _rank(frame: pd.DataFrame, top: int | None, key: str) -> pd.DataFrame:
    if top is not None and int(top) < 1:
        raise ValueError(f"top must be >= 1 or None; got {top!r}")
    if frame.empty:
        return frame.reset_index(drop=True)
    order = sorted(range(len(frame)), key=lambda i: (-int(frame["ties"].iloc[i]), _fold(str(frame["name"].iloc[i])),
                                                     str(frame[key].iloc[i])))
    frame = frame.iloc[order].reset_index(drop=True)
    return frame.head(int(top)) if top is not None else frame


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return None
    text = str(value).strip()
    return text or None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()
