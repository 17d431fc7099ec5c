"""One projection of the twinning network: parties collapsed onto their province or country.

``project`` is the only place where ties are re-grouped by level: the analyses
(``province_graph``, ``country_graph``, the rankings) and the pages of
``twinlac.viz`` draw on it.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx

__all__ = ["PROJECTION_LEVELS", "project"]

#: Accepted values of ``project(graph, level)``.
PROJECTION_LEVELS: tuple[str, ...] = ("party", "province", "country")


def project(graph: nx.Graph, level: str = "province") -> nx.Graph:
    """Collapse the parties of a twinning network onto their province or country.

    Parameters
    ----------
    graph : nx.Graph or nx.MultiGraph
        The twinning network (``GraphStore.to_networkx()``): parties as nodes,
        one edge per agreement.  Not modified.
    level : {"party", "province", "country"}
        ``"party"`` keeps the parties as they signed (parallel agreements of a
        ``MultiGraph`` become one edge); ``"province"`` puts each party in its
        first-level division (a city's ``province``, a province itself);
        ``"country"`` in its ``country``.  A party without that attribute
        stands alone, under its own id.

    Returns
    -------
    nx.Graph
        A simple graph with one node per unit (every unit that has a party,
        tied or not) and ``graph.graph`` copied.  Each edge carries

        - ``weight``: the number of agreements between the two units;
        - ``agreements``: those agreements, as ``(u, v, data)`` with the two
          parties and the attributes of the tie (``id, kind, year, date,
          status, evidence, source_url, ...``), in the order of
          ``graph.edges``.

        At ``"party"`` level a node keeps the party's attributes.  At
        ``"province"`` level a node has ``name, name_zh, level="province",
        side, region, coastal, province, province_name, country,
        country_name``; at ``"country"`` level ``name, name_zh,
        level="country", side, region`` (the LAC subregion when all its
        parties share one, None for China), ``country, country_name``.  Both
        grouped levels add ``members``: the ``(id, name)`` of the unit's
        parties, sorted by name.  Attributes are taken from the party that is
        the unit itself (a province that signed as such) first, then from its
        other parties.

    Raises
    ------
    ValueError
        If `level` is not one of ``PROJECTION_LEVELS``.

    Notes
    -----
    Each agreement counts once for the unit of each party, so the weighted
    degree of a unit is its number of agreements.  Ties are China–LAC, so the
    projection stays two-sided; at country level it is a star around ``CN``
    (Kaltenbrunner et al. 2013 aggregate city ties to countries the same way).

    References
    ----------
    Kaltenbrunner, A., Aragón, P., Laniado, D. & Volkovich, Y. (2013). Not all
    paths lead to Rome: analysing the network of sister cities. LNCS 8221,
    151–156; arXiv:1301.6900.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:wuxi", name="Wuxi", province="CN-JS", province_name="Jiangsu", side="china")
    >>> G.add_node("CN-JS", name="Jiangsu", province="CN-JS", province_name="Jiangsu", side="china")
    >>> G.add_node("BR-SP", name="São Paulo", province="BR-SP", province_name="São Paulo", side="lac")
    >>> G.add_edge("CN-JS:wuxi", "BR-SP", id="t1", kind="sister", year=2004)
    >>> G.add_edge("CN-JS", "BR-SP", id="t2", kind="friendship", year=2011)
    >>> P = project(G, "province")
    >>> P["CN-JS"]["BR-SP"]["weight"]
    2
    >>> [data["id"] for _, _, data in P["CN-JS"]["BR-SP"]["agreements"]]
    ['t1', 't2']
    >>> P.nodes["CN-JS"]["members"]
    [('CN-JS', 'Jiangsu'), ('CN-JS:wuxi', 'Wuxi')]
    """
    if level not in PROJECTION_LEVELS:
        raise ValueError(f"unknown level {level!r}: use one of {', '.join(PROJECTION_LEVELS)}")
    members: dict[Hashable, list[tuple[Any, Mapping[str, Any]]]] = {}
    unit_of: dict[Any, Hashable] = {}
    for key, data in graph.nodes(data=True):
        unit = unit_key(key, data, level)
        unit_of[key] = unit
        members.setdefault(unit, []).append((key, data))
    out = nx.Graph(**graph.graph)
    for unit, parties in members.items():
        out.add_node(unit, **(dict(parties[0][1]) if level == "party" else _unit_attributes(unit, parties, level)))
    for u, v, data in graph.edges(data=True):
        a, b = unit_of[u], unit_of[v]
        if out.has_edge(a, b):
            out[a][b]["weight"] += 1
            out[a][b]["agreements"].append((u, v, data))
        else:
            out.add_edge(a, b, weight=1, agreements=[(u, v, data)])
    return out


def unit_key(key: Hashable, data: Mapping[str, Any], level: str) -> Hashable:
    """The unit a party falls in at `level`: itself, or its province or country id (itself when it has none).

    >>> unit_key("BR-SP:campinas", {"province": "BR-SP", "country": "BR"}, "country")
    'BR'
    """
    if level == "party":
        return key
    return _text(data.get(level)) or key


# --- attributes of a unit --------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, bool) and isinstance(value, numbers.Real) and math.isnan(value):
        return None
    if type(value).__name__ in {"NAType", "NaTType"}:
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return None
    return bool(value)


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def _sort_key(key: Any) -> tuple[str, str]:
    return (str(key), repr(key))


def _unit_attributes(unit: Hashable, parties: list[tuple[Any, Mapping[str, Any]]], level: str) -> dict[str, Any]:
    parties = sorted(parties, key=lambda p: _sort_key(p[0]))
    own = next((d for k, d in parties if k == unit), None)
    ordered = ([own] if own is not None else []) + [d for k, d in parties if k != unit]

    def first(name: str) -> Any:
        return next((v for v in (d.get(name) for d in ordered) if _text(v) is not None), None)

    own_name = _text(own.get("name")) if own is not None else None
    if level == "province":
        name = _text(first("province_name")) or own_name or str(unit)
        region = _text(first("region"))
        extra = {"coastal": next((b for b in (_flag(d.get("coastal")) for d in ordered) if b is not None), None),
                 "province": _text(unit) or str(unit), "province_name": name}
    else:
        name = _text(first("country_name")) or own_name or str(unit)
        regions = {r for r in (_text(d.get("region")) for d in ordered) if r}
        china = _text(first("side")) == "china"
        region = regions.pop() if len(regions) == 1 and not china else None
        extra = {}
    names = sorted(((k, _text(d.get("name")) or str(k)) for k, d in parties),
                   key=lambda m: (_fold(m[1]), _sort_key(m[0])))
    return {
        "name": name,
        "name_zh": _text(own.get("name_zh")) if own is not None else None,
        "level": level,
        "side": _text(first("side")),
        "region": region,
        **extra,
        "country": _text(unit) or str(unit) if level == "country" else _text(first("country")),
        "country_name": name if level == "country" else _text(first("country_name")),
        "members": names,
    }
