"""The data the network and map pages embed: node and tie payloads, facets, filters, legend.

Everything here is JSON-ready plain data in a stable order, built from the
networkx graph (``GraphStore.to_networkx()``) and, at province and country
level, from its projection ``twinlac.analysis.project``: the pages only draw
it. Names and sources stay structured data (the pages put them in the
document with ``textContent``); a source becomes a link only when it is an
``http(s)://`` URL.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_edge("CN-JS", "BR-SP", id="t1", kind="sister", year=2004, evidence="official")
>>> data = network_payload(G, level="province")
>>> [n["key"] for n in data["nodes"]], data["edges"][0]["count"]
(['BR-SP', 'CN-JS'], 1)
"""

from __future__ import annotations

import json
import math
import warnings
from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx

from twinlac.analysis import centrality, project
from twinlac.graph.vocabulary import STATUS_LABELS
from twinlac.viz.layout import LAYOUT_NODE_THRESHOLD, packed_layout, vis_options
from twinlac.viz.style import (
    CHINA_COLOR, CHINA_REGION_COLORS, ENDED_OPACITY, EVIDENCE_STYLES, GROUP_WIDTH, KIND_STYLES, LAC_REGION_COLORS,
    MIXED_KIND, SHAPES, SIZE_MIN, SIZE_SPAN, UNKNOWN_COLOR, group_width, region_color, region_filter_labels,
    region_key, shade,
)
from twinlac.viz.values import fold, flag, is_http_url, lower, name_with_code, number, text, texts, year

__all__ = [
    "ITEM_BUDGET", "LEVEL_CHOICES", "PLACE_LEVEL_MAX_NODES", "SIZE_BY_CHOICES", "SIZE_BY_LABELS", "agreement_facet",
    "agreement_items",
    "check_level", "check_size_by", "hoist_common_facets", "items_per_line", "page_level",
    "edge_sort_key", "legend", "measure", "network_filters", "network_payload", "node_payload", "node_sort_key",
    "tie_filter_rows", "tie_payload",
]

#: Accepted values of ``level``: the parties as they signed, or grouped by province or country.
LEVEL_CHOICES: tuple[str, ...] = ("locality", "province", "country")
_PROJECTION_LEVEL = {"locality": "party", "province": "province", "country": "country"}

#: Accepted names of ``size_by`` (a mapping of node to value is accepted too).
SIZE_BY_CHOICES: tuple[str, ...] = ("degree", "weighted", "betweenness", "pagerank")

SIZE_BY_LABELS = {
    "degree": "Partners",
    "weighted": "Agreements",
    "betweenness": "Betweenness",
    "pagerank": "PageRank",
    "custom": "Size value",
}
_SIZE_HINTS = {
    "degree": "Node size grows with the number of partners.",
    "weighted": "Node size grows with the number of agreements.",
    "betweenness": "Node size grows with betweenness centrality (brokerage between other places).",
    "pagerank": "Node size grows with PageRank (ties to well-tied places count more).",
    "custom": "Node size follows the values given.",
}

UNKNOWN_KEY = "?"  # filter value of a missing country
MEMBERS_SHOWN = 12  # places named in a province's or country's tooltip
TOOLTIP_ITEMS = 10  # agreements listed in a hover tooltip (all in the details panel)

#: Above this many places, a network page asked for place level is drawn by province unless forced.
PLACE_LEVEL_MAX_NODES = 5000

#: Agreements listed (with parties, dates and sources) over all grouped lines of a page; above it each line
#: lists its first few, the same number for every line, and says how many it holds.
ITEM_BUDGET = 20_000

Agreement = tuple[Any, Any, Mapping[str, Any]]
Link = tuple[Any, Any, list[Agreement]]


# --- checks and measures -------------------------------------------------------------------


def check_level(level: str) -> None:
    """Raise ValueError unless `level` is one of ``LEVEL_CHOICES``."""
    if level not in LEVEL_CHOICES:
        choices = ", ".join(repr(c) for c in LEVEL_CHOICES)
        raise ValueError(f"level must be one of {choices}; got {level!r}")


def check_size_by(size_by: Any) -> None:
    """Raise ValueError unless `size_by` is one of ``SIZE_BY_CHOICES`` or a mapping."""
    if isinstance(size_by, Mapping):
        return
    if not isinstance(size_by, str) or size_by not in SIZE_BY_CHOICES:
        choices = ", ".join(repr(c) for c in SIZE_BY_CHOICES)
        raise ValueError(f"size_by must be one of {choices} or a mapping of node to value; got {size_by!r}")


def node_sort_key(key: Any) -> tuple[str, str]:
    """Nodes sorted by their string key (then repr, should two keys stringify alike)."""
    return (str(key), repr(key))


def measure(graph: nx.Graph, size_by: str | Mapping[Any, Any]) -> dict[Any, float]:
    """The value each node of `graph` is sized by.

    `graph` is a simple graph whose edge ``weight`` counts agreements (as
    ``twinlac.analysis.project`` gives it). ``"degree"`` counts partners,
    ``"weighted"`` agreements; ``"betweenness"`` is the column of
    ``twinlac.analysis.centrality`` on `graph` (unweighted, normalised);
    ``"pagerank"`` is ``networkx.pagerank`` weighted by agreements (damping
    0.85, as in ``centrality``) solved to a tolerance of 1e-12 rather than
    networkx's default 1e-6, so the values shown agree with the exact
    solution to 1e-9. A mapping is taken as given (missing nodes get 0); its
    values must be finite and >= 0.

    >>> G = nx.Graph([("a", "x"), ("b", "x")])
    >>> measure(G, "betweenness")["x"]
    1.0
    """
    check_size_by(size_by)
    if isinstance(size_by, Mapping):
        values = {}
        for node in graph:
            raw = size_by.get(node, 0)
            value = number(raw)
            if value is None or value < 0:
                raise ValueError(f"size_by[{node!r}] must be a finite number >= 0; got {raw!r}")
            values[node] = value
        return values
    if size_by == "degree":
        return {n: float(d) for n, d in graph.degree()}
    if size_by == "weighted":
        return {n: float(d) for n, d in graph.degree(weight="weight")}
    if not len(graph):
        return {}
    if size_by == "pagerank":
        return {n: float(v) for n, v in nx.pagerank(graph, weight="weight", tol=1e-12, max_iter=1000).items()}
    frame = centrality(graph)
    found = dict(zip(frame["id"], frame["betweenness"].astype(float), strict=True))
    return {n: found[n] if math.isfinite(found[n]) else 0.0 for n in graph}


# --- the network page's payload, in named steps --------------------------------------------------


def page_level(graph: nx.Graph, level: str = "locality", *, force_level: bool = False,
               max_nodes: int | None = None) -> tuple[str, str | None]:
    """The level a network page is drawn at, and a note when it is not the one asked for.

    A page of tens of thousands of places cannot be laid out or opened in a
    browser in reasonable time, so above `max_nodes` parties a page asked for
    at ``"locality"`` level is drawn at ``"province"`` level instead, unless
    `force_level` is true.  Other levels are kept as asked.  `max_nodes`
    defaults to ``PLACE_LEVEL_MAX_NODES``.

    >>> G = nx.path_graph(3)
    >>> page_level(G, "locality", max_nodes=2)[0]
    'province'
    >>> page_level(G, "locality", max_nodes=2, force_level=True)
    ('locality', None)
    """
    check_level(level)
    n = graph.number_of_nodes()
    if level != "locality" or force_level or n <= (PLACE_LEVEL_MAX_NODES if max_nodes is None else max_nodes):
        return level, None
    return "province", (f"{n:,} places are more than one page can draw: the network is drawn by province "
                        f"(force_level=True, or --force on the command line, draws every place)")


def items_per_line(counts: list[int], budget: int = ITEM_BUDGET) -> int | None:
    """How many agreements each grouped line lists so that all lines list at most `budget` (at least one
    each); None when every agreement fits.

    >>> items_per_line([1, 5, 20], budget=100) is None
    True
    >>> items_per_line([1, 5, 20], budget=12)  # 1 + 5 + 6 = 12; with 7: 1 + 5 + 7 = 13
    6
    """
    if sum(counts) <= budget:
        return None
    low, high = 1, max(counts)
    while low < high:  # the largest cap whose total fits
        middle = (low + high + 1) // 2
        if sum(min(c, middle) for c in counts) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def network_payload(
    graph: nx.Graph, *, level: str = "locality", size_by: str | Mapping[Any, float] = "degree",
    force_level: bool = False,
) -> dict[str, Any]:
    """Everything the network page needs, as JSON-ready plain data, in a stable order.

    Steps: choose the level (``page_level``: a graph of more than
    ``PLACE_LEVEL_MAX_NODES`` places is drawn by province unless
    `force_level`; the note says so, in the legend and as a
    ``RuntimeWarning``), project the graph at that level
    (``twinlac.analysis.project``), order its nodes and lines, size the
    nodes, lay them out when there are many, then build the node, line,
    legend and filter payloads.  ``payload["level"]`` is the level drawn.
    """
    check_size_by(size_by)
    level, level_note = page_level(graph, level, force_level=force_level)
    if level_note:
        warnings.warn(level_note, RuntimeWarning, stacklevel=2)
    grouped = level != "locality"
    projected = project(graph, _PROJECTION_LEVEL[level])
    # Nodes sorted by their string key; vis ids are indexes into that order, so
    # ids are unique even if two keys stringify alike, and never carry data.
    keys = sorted(projected, key=node_sort_key)
    index = {key: i for i, key in enumerate(keys)}
    attrs = {key: (graph.nodes[key] if not grouped else projected.nodes[key]) for key in keys}
    links = _links(projected, index, grouped=grouped)
    large = len(keys) > LAYOUT_NODE_THRESHOLD
    positions = packed_layout(keys, [(a, b) for a, b, _ in links]) if large else {}
    nodes_out, groups_seen, levels_seen = _nodes(projected, keys, attrs, links, size_by, positions, grouped=grouped)
    edges_out, most = _edges(graph, links, attrs, index, grouped=grouped)
    measure_name = size_by if isinstance(size_by, str) else "custom"
    page_legend = legend(groups_seen, levels_seen, edges_out, measure_name, grouped=grouped)
    if level_note:
        page_legend["notes"].insert(0, level_note)
    listed = sum(len(e.get("items", ())) for e in edges_out)
    filters = network_filters(edges_out, nodes_out, _lac_country_names(graph))
    if grouped and listed < sum(len(e["facets"]) for e in edges_out):
        page_legend["notes"].append("A line lists its first agreements only (the page keeps "
                                    f"{ITEM_BUDGET:,} in all); its counts and filters cover them all.")
        for edge in edges_out:
            hoist_common_facets(edge)
    return {
        "level": level,
        "nodes": nodes_out,
        "edges": edges_out,
        "options": vis_options(large),
        "labels": {
            "kind": {k: s.label for k, s in KIND_STYLES.items()},
            "evidence": {k: s.label for k, s in EVIDENCE_STYLES.items()},
        },
        "width": {**GROUP_WIDTH, "most": most},
        "tooltip_items": TOOLTIP_ITEMS,
        "legend": page_legend,
        "filters": filters,
    }


def _links(projected: nx.Graph, index: Mapping[Any, int], *, grouped: bool) -> list[Link]:
    """The lines to draw: one per agreement between parties, or one per pair of provinces
    (countries) listing its agreements, in node order."""
    if not grouped:
        # An undirected edge may come out as (u, v) or (v, u) depending on insertion
        # order: put the endpoints in node order so equal graphs render equally.
        edges = sorted(
            ((u, v, d) if index[u] <= index[v] else (v, u, d)
             for _, _, items in projected.edges(data="agreements") for u, v, d in items),
            key=lambda e: edge_sort_key(e, index),
        )
        return [(u, v, [(u, v, d)]) for u, v, d in edges]
    links = []
    for a, b, items in projected.edges(data="agreements"):
        a, b = (a, b) if index[a] <= index[b] else (b, a)
        links.append((a, b, sorted(items, key=_agreement_sort_key)))
    return sorted(links, key=lambda link: (index[link[0]], index[link[1]]))


def _nodes(projected: nx.Graph, keys: list, attrs: Mapping[Any, Mapping[str, Any]], links: list[Link],
           size_by: str | Mapping[Any, float], positions: Mapping[Any, tuple[float, float]], *, grouped: bool
           ) -> tuple[list[dict[str, Any]], set[str], set[str]]:
    """Node payloads, sized by `size_by` measured on the drawn (projected) graph."""
    agreements: Counter = Counter()
    for a, b, items in links:
        agreements[a] += len(items)
        if b != a:
            agreements[b] += len(items)
    values = measure(projected, size_by)
    max_value = max(values.values(), default=0.0)
    measure_name = size_by if isinstance(size_by, str) else "custom"
    labels = _search_labels(keys, attrs)
    index = {key: i for i, key in enumerate(keys)}
    nodes, groups_seen, levels_seen = [], set(), set()
    for key in keys:
        partners = sum(1 for n in projected[key] if n != key)
        node = node_payload(key, attrs[key], ties=agreements[key], partners=partners, grouped=grouped)
        value = values[key]
        # sqrt keeps hubs from dwarfing everyone while staying monotone in the measure.
        node["size"] = round(SIZE_MIN + (SIZE_SPAN * math.sqrt(value / max_value) if max_value > 0 else 0.0), 3)
        node["size_value"] = value
        if measure_name in ("betweenness", "pagerank", "custom"):
            node["tip"]["rows"].insert(-1, [SIZE_BY_LABELS[measure_name], f"{value:.4g}"])
        node["id"] = index[key]
        node["search_label"] = labels[key]
        if key in positions:
            node["x"], node["y"] = positions[key]
        groups_seen.add(node.pop("group"))
        levels_seen.add(node["level"] or "city")
        nodes.append(node)
    return nodes, groups_seen, levels_seen


def _edges(graph: nx.Graph, links: list[Link], attrs: Mapping[Any, Mapping[str, Any]], index: Mapping[Any, int],
           *, grouped: bool) -> tuple[list[dict[str, Any]], int]:
    """Line payloads, and the largest number of agreements on one line."""
    most = max((len(items) for _, _, items in links), default=1)
    keep = items_per_line([len(items) for _, _, items in links], ITEM_BUDGET) if grouped else None
    edges = []
    pair_seen: Counter = Counter()
    for i, (u, v, items) in enumerate(links):
        if grouped:
            edge = _line_payload(i, u, v, items, graph.nodes, attrs, index, most, keep=keep)
        else:
            ((_, _, data),) = items
            edge = tie_payload(i, u, v, data, attrs, index)
        # Parallel agreements between the same two parties (MultiGraph) would
        # be drawn on top of each other: bend each further one a little more.
        pair = (min(index[u], index[v]), max(index[u], index[v]))
        if pair_seen[pair]:
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if pair_seen[pair] % 2 else "curvedCCW",
                "roundness": round(0.15 * ((pair_seen[pair] + 1) // 2), 2),
            }
        pair_seen[pair] += 1
        edges.append(edge)
    return edges, most


def hoist_common_facets(edge: dict[str, Any]) -> None:
    """Move what every facet of a grouped line shares (its country and regions, at province level) to
    ``edge["facet_common"]``, leaving each facet only what differs; the page merges them back on load.

    >>> edge = {"facets": [{"kind": "sister", "country": "BR"}, {"kind": "friendship", "country": "BR"}]}
    >>> hoist_common_facets(edge)
    >>> edge
    {'facets': [{'kind': 'sister'}, {'kind': 'friendship'}], 'facet_common': {'country': 'BR'}}
    """
    facets = edge["facets"]
    if len(facets) < 2:
        return
    common = {k: v for k, v in facets[0].items() if all(f.get(k, k) == v for f in facets[1:])}
    if common:
        edge["facets"] = [{k: v for k, v in f.items() if k not in common} for f in facets]
        edge["facet_common"] = common


def _lac_country_names(graph: nx.Graph) -> dict[str | None, str | None]:
    return {text(d.get("country")): text(d.get("country_name"))
            for d in graph.nodes.values() if lower(d.get("side")) == "lac" and text(d.get("country"))}


def edge_sort_key(edge: Agreement, index: Mapping[Any, int]) -> tuple:
    """Ties in node order, then by id; the full attribute dump breaks ties between parallel edges."""
    u, v, data = edge
    return (index[u], index[v], text(data.get("id")) or "", json.dumps(data, sort_keys=True, default=str))


def _agreement_sort_key(edge: Agreement) -> tuple:
    """Agreements of a grouped line: by year (undated last), date, id, parties."""
    u, v, data = edge
    signed = year(data.get("year"))
    return (signed is None, signed or 0, text(data.get("date")) or "", text(data.get("id")) or "",
            sorted((node_sort_key(u), node_sort_key(v))), json.dumps(data, sort_keys=True, default=str))


# --- one node, one tie, one grouped line ---------------------------------------------------------


def node_payload(key: Any, data: Mapping[str, Any], *, ties: int, partners: int, grouped: bool) -> dict[str, Any]:
    """A place (or province, or country) as the pages draw it: label, shape, colour, tooltip rows,
    search terms, and what the place filters test; ``group`` is its legend group."""
    name = text(data.get("name")) or str(key)
    name_zh = text(data.get("name_zh"))
    level = party_level(data)
    side = lower(data.get("side"))
    region = text(data.get("region"))
    group_name, color = region_color(side, region)
    if level == "country" and side == "china" and group_name == "unknown":
        group_name, color = "china:all", CHINA_COLOR
    members = (data.get("members") or []) if grouped else []
    search = [name, name_zh, str(key)]
    for member_key, member_name in members:  # find a province or country by one of its places
        search += [member_name, str(member_key)]
    return {
        "key": str(key),
        "label": name,
        "name": name,
        "name_zh": name_zh,
        "level": level,
        "side": side,
        "region": region,
        "country": text(data.get("country")),
        "degree": ties,
        "shape": SHAPES.get(level or "city", "dot"),
        "color": {
            "background": color,
            "border": shade(color, 0.7),
            "highlight": {"background": color, "border": "#000000"},
            "hover": {"background": color, "border": "#000000"},
        },
        "search": list(dict.fromkeys(t for t in search if t)),
        "tip": {"title": name, "subtitle": name_zh, "rows": _node_rows(key, data, level, region, members, ties,
                                                                       partners, grouped=grouped), "link": None},
        # What the place filters look at when the place has no tie at all.
        "place": {"country": _country_key(data) if side == "lac" else None, "region": region_key(side, region)},
        "group": group_name,
    }


def _node_rows(key: Any, data: Mapping[str, Any], level: str | None, region: str | None, members: list,
               ties: int, partners: int, *, grouped: bool) -> list[list[str]]:
    country, country_name = text(data.get("country")), text(data.get("country_name"))
    province, province_name = text(data.get("province")), text(data.get("province_name"))
    coastal = flag(data.get("coastal"))
    rows: list[list[str]] = []
    if level:
        rows.append(["Level", level.capitalize()])
    if (province or province_name) and not grouped:
        rows.append(["Province", name_with_code(province_name, province)])
    if (country or country_name) and not (grouped and level == "country"):
        rows.append(["Country", name_with_code(country_name, country)])
    if region:
        rows.append(["Region", region])
    if coastal is not None:
        rows.append(["Coastal", "yes" if coastal else "no"])
    if grouped:
        shown = ", ".join(n for _, n in members[:MEMBERS_SHOWN])
        more = len(members) - MEMBERS_SHOWN
        rows.append(["Places", shown + (f" and {more} more" if more > 0 else "")])
        rows.append(["Agreements", str(ties)])
        rows.append(["Partners", str(partners)])
    else:
        rows.append(["Ties", str(ties)])
    rows.append(["Id", str(key)])
    return rows


def tie_payload(i: int, u: Any, v: Any, data: Mapping[str, Any], attrs: Mapping[Any, Mapping[str, Any]],
                index: Mapping[Any, int]) -> dict[str, Any]:
    """One agreement between parties `u` and `v` as a line: style, facets and tooltip."""
    kind = lower(data.get("kind"))
    kind_key = kind if kind in KIND_STYLES else "other"
    evidence = lower(data.get("evidence"))
    evidence_key = evidence if evidence in EVIDENCE_STYLES else "unknown"
    status = lower(data.get("status"))
    signed = year(data.get("year"))
    agreement_id = text(data.get("id"))
    first, second = chinese_first(u, v, attrs)
    names = [text(attrs[n].get("name")) or str(n) for n in (first, second)]
    kind_style = KIND_STYLES[kind_key]
    link, rows = _tie_rows(data, kind, kind_key, evidence, evidence_key, status, signed, agreement_id)
    return {
        "facets": [agreement_facet(data, attrs[u], attrs[v])],
        "id": i,
        "from": index[u],
        "to": index[v],
        "agreement_id": agreement_id,
        "kind": kind_key,
        "evidence": evidence_key,
        "status": status,
        "year": signed,
        "source_url": text(data.get("source_url")),
        "width": kind_style.width,
        "dashes": EVIDENCE_STYLES[evidence_key].dashes,
        "color": _line_color(kind_style.color, ended=status == "ended"),
        "tip": {"title": f"{names[0]} ↔ {names[1]}", "subtitle": None, "rows": rows, "link": link["link"],
                "more_links": link["more_links"]},
    }


def _tie_rows(data: Mapping[str, Any], kind: str | None, kind_key: str, evidence: str | None, evidence_key: str,
              status: str | None, signed: int | None, agreement_id: str | None) -> tuple[dict, list[list[str]]]:
    date = text(data.get("date"))
    themes = texts(data.get("themes"))
    notes = text(data.get("notes"))
    # Unrecognised values are shown as they are rather than hidden in "other".
    kind_text = KIND_STYLES[kind_key].label if kind_key != "other" else (kind or "unknown")
    evidence_text = EVIDENCE_STYLES[evidence_key].label if evidence_key != "unknown" else (evidence or "unknown")
    rows: list[list[str]] = [["Kind", kind_text]]
    if date or signed is not None:
        rows.append(["Date" if date else "Year", date or str(signed)])
    if status:
        rows.append(["Status", STATUS_LABELS.get(status, status)])
    if themes:
        rows.append(["Themes", ", ".join(themes)])
    rows.append(["Evidence", evidence_text])
    if notes:
        rows.append(["Notes", notes])
    link, source_text, more_links, other_sources = _source_links(data)
    if source_text:
        rows.append(["Source", source_text])
    if other_sources:
        rows.append(["Other sources", " ".join(f"<{u}>" for u in other_sources)])
    if agreement_id:
        rows.append(["Id", agreement_id])
    return {"link": link, "more_links": more_links}, rows


def _line_color(color: str, *, ended: bool) -> dict[str, Any]:
    return {"color": color, "highlight": "#000000", "hover": shade(color, 0.6),
            "opacity": ENDED_OPACITY if ended else 1.0}


def _line_payload(i: int, a: Any, b: Any, agreements: list[Agreement], parties: Mapping[Any, Mapping[str, Any]],
                  attrs: Mapping[Any, Mapping[str, Any]], index: Mapping[Any, int], most: int,
                  keep: int | None = None) -> dict[str, Any]:
    """A line between two provinces or countries, standing for `agreements`.

    Its rows are summarised in the browser from the agreements that pass the
    filters (``facets``); ``items`` lists each agreement (the first `keep`
    when given), in the same order, with its parties, kind, date, evidence
    and source.
    """
    facets = [agreement_facet(data, parties[u], parties[v]) for u, v, data in agreements]
    listed = agreements if keep is None else agreements[:keep]
    items = [_line_item(u, v, data, facet, parties) for (u, v, data), facet in zip(listed, facets, strict=False)]
    kinds = {f["kind"] for f in facets}
    grades = {f["evidence"] for f in facets}
    statuses = {lower(d.get("status")) for _, _, d in agreements}
    style = KIND_STYLES[next(iter(kinds))] if len(kinds) == 1 else MIXED_KIND
    dashes: bool | list[int] = False
    if grades and grades <= {"weak", "disputed"}:  # only doubtful evidence: dashed
        dashes = EVIDENCE_STYLES["disputed" if grades == {"disputed"} else "weak"].dashes
    first, second = chinese_first(a, b, attrs)
    names = [text(attrs[n].get("name")) or str(n) for n in (first, second)]
    n = len(agreements)
    return {
        "id": i,
        "from": index[a],
        "to": index[b],
        "facets": facets,
        "items": items,
        "count": n,
        "kind": next(iter(kinds)) if len(kinds) == 1 else "mixed",
        "evidence": next(iter(grades)) if len(grades) == 1 else "mixed",
        "status": next(iter(statuses)) if len(statuses) == 1 else "mixed",
        "year": None,
        "width": group_width(n, most),
        "label": str(n) if n > 1 else "",
        "dashes": dashes,
        "color": _line_color(style.color, ended=statuses == {"ended"}),
        "tip": {"title": f"{names[0]} ↔ {names[1]}", "subtitle": None, "rows": [], "link": None},
    }


def agreement_items(agreements: list[Agreement], parties: Mapping[Any, Mapping[str, Any]],
                    limit: int | None = None) -> list[dict[str, Any]]:
    """The agreements of a grouped line as its tooltip lists them (the first `limit` when given): parties,
    kind, date, evidence and source of each.

    >>> parties = {"a": {"name": "Wuxi", "side": "china"}, "b": {"name": "Campinas", "side": "lac"}}
    >>> [item["text"] for item in agreement_items([("b", "a", {"kind": "sister", "year": 2004})], parties)]
    ['Wuxi ↔ Campinas']
    """
    listed = agreements if limit is None else agreements[:limit]
    return [_line_item(u, v, data, agreement_facet(data, parties[u], parties[v]), parties) for u, v, data in listed]


def _line_item(u: Any, v: Any, data: Mapping[str, Any], facet: Mapping[str, Any],
               parties: Mapping[Any, Mapping[str, Any]]) -> dict[str, Any]:
    """One agreement of a grouped line, as listed in its tooltip."""
    first, second = chinese_first(u, v, parties)
    names = [text(parties[n].get("name")) or str(n) for n in (first, second)]
    kind, evidence, status = lower(data.get("kind")), lower(data.get("evidence")), lower(data.get("status"))
    when = text(data.get("date")) or (str(facet["year"]) if facet["year"] is not None else "no year")
    detail = [
        KIND_STYLES[facet["kind"]].label if facet["kind"] != "other" else (kind or "unknown kind"),
        when,
        (EVIDENCE_STYLES[facet["evidence"]].label if facet["evidence"] != "unknown"
         else (evidence or "unknown")) + " evidence",
    ]
    if status and status != "active":
        detail.append(STATUS_LABELS.get(status, status))
    link, source, more_links, other_sources = _source_links(data)
    if other_sources:
        source = " ".join([source or ""] + [f"<{u}>" for u in other_sources]).strip()
    return {"id": text(data.get("id")), "text": f"{names[0]} ↔ {names[1]}", "detail": " · ".join(detail),
            "link": link, "source": source, "more_links": more_links}


def agreement_facet(data: Mapping[str, Any], a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """What the page's filters test about one agreement between parties `a` and `b`."""
    kind = lower(data.get("kind"))
    evidence = lower(data.get("evidence"))
    return {
        "kind": kind if kind in KIND_STYLES else "other",
        "evidence": evidence if evidence in EVIDENCE_STYLES else "unknown",
        "year": year(data.get("year")),
        "country": _country_key(_lac_party(a, b)),
        "regions": sorted({region_key(lower(p.get("side")), text(p.get("region"))) for p in (a, b)}),
    }


def _source_links(data: Mapping[str, Any]) -> tuple[dict | None, str | None, list[dict], list[str]]:
    """An agreement's sources: (link, source as text, links to further sources, further non-links).

    Only ``http(s)://`` URLs become links; anything else (e.g. ``javascript:``)
    is kept as visible text. Further sources come from the ``sources`` list
    (every URL that reported the tie), less ``source_url`` itself.
    """
    source_url = text(data.get("source_url"))
    source_title = text(data.get("source_title"))
    link = None
    shown = None
    if source_url and is_http_url(source_url):
        link = {"href": source_url, "text": source_title or source_url}
    elif source_url or source_title:
        shown = " ".join(t for t in (source_title, source_url and f"<{source_url}>") if t)
    extra = [u for u in dict.fromkeys(texts(data.get("sources"))) if u != source_url]
    more = [{"href": u, "text": u} for u in extra if is_http_url(u)]
    other = [u for u in extra if not is_http_url(u)]
    return link, shown, more, other


def chinese_first(u: Any, v: Any, attrs: Mapping[Any, Mapping[str, Any]]) -> tuple[Any, Any]:
    """The two parties of a tie, the Chinese one first, as the literature names them."""
    if lower(attrs[v].get("side")) == "china" and lower(attrs[u].get("side")) != "china":
        return v, u
    return u, v


def _lac_party(a: Mapping[str, Any], b: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The attributes of the LAC party of a tie, if either party is on the LAC side."""
    for party in (b, a):
        if lower(party.get("side")) == "lac":
            return party
    return None


def _country_key(data: Mapping[str, Any] | None) -> str:
    return (text(data.get("country")) if data else None) or UNKNOWN_KEY


def party_level(data: Mapping[str, Any]) -> str | None:
    """``city``, ``province`` or ``country``; the node label of the graph database as a fallback."""
    level = lower(data.get("level"))
    if level in SHAPES:
        return level
    return {"province": "province", "locality": "city"}.get(lower(data.get("label")) or "", level)


def _search_labels(keys: list[Any], attrs: Mapping[Any, Mapping[str, Any]]) -> dict[Any, str]:
    """Unambiguous labels for the search suggestions.

    Place names repeat (San José in several countries; São Paulo the state and
    the city), so a name shared by several parties is qualified by country, then
    also by level, then by province, and as a last resort by party id.
    """
    def field(k: Any, *names: str) -> str | None:
        return next((t for t in (text(attrs[k].get(n)) for n in names) if t), None)

    qualifiers = (
        lambda k: [field(k, "country_name", "country")],
        lambda k: [party_level(attrs[k]), field(k, "country_name", "country")],
        lambda k: [party_level(attrs[k]), field(k, "province_name", "province"), field(k, "country_name", "country")],
        lambda k: [str(k)],
    )
    base = {k: text(attrs[k].get("name")) or str(k) for k in keys}
    labels = dict(base)
    for qualify in qualifiers:
        counts = Counter(labels.values())
        for k in keys:
            if counts[labels[k]] > 1:
                parts = [p for p in qualify(k) if p]
                if parts:
                    labels[k] = f"{base[k]} ({', '.join(parts)})"
    return labels


# --- legend and filters ----------------------------------------------------------------------------


def legend(groups: set[str], levels: set[str], edges: list[dict[str, Any]], measure_name: str, *,
           grouped: bool) -> dict[str, list[dict[str, Any]]]:
    """Legend rows for the regions, shapes and kinds of tie present, and notes on sizes and lines."""
    regions = [{"label": "China", "color": CHINA_COLOR}] if "china:all" in groups else []
    regions += [
        {"label": f"China · {r}", "color": c} for r, c in CHINA_REGION_COLORS.items() if f"china:{r}" in groups
    ] + [
        {"label": f"LAC · {r}", "color": c} for r, c in LAC_REGION_COLORS.items() if f"lac:{r}" in groups
    ]
    if "unknown" in groups:
        regions.append({"label": "No or unknown region", "color": UNKNOWN_COLOR})
    shapes = [
        {"label": "City", "shape": "dot"},
        {"label": "Province", "shape": "diamond"},
        {"label": "Country", "shape": "square"},
    ]
    shapes = [s for s in shapes if s["label"].lower() in levels] or shapes[:2]
    kinds_seen = {e["kind"] for e in edges}
    width = (lambda s: GROUP_WIDTH["base"]) if grouped else (lambda s: s.width)
    ties = [
        {"label": s.label, "color": s.color, "width": width(s), "dash": "solid"}
        for k, s in KIND_STYLES.items() if k in kinds_seen
    ]
    if "mixed" in kinds_seen:
        ties.append({"label": MIXED_KIND.label, "color": MIXED_KIND.color, "width": width(MIXED_KIND),
                     "dash": "solid"})
    dash_patterns = [e["dashes"] for e in edges]
    ties += [
        {"label": f"{s.label} evidence" + (" only" if grouped else ""), "color": "#616161", "width": 1.5,
         "dash": "dashed" if s.dashes[0] > 4 else "dotted"}
        for k, s in EVIDENCE_STYLES.items() if s.dashes and s.dashes in dash_patterns
    ]
    if any(e["status"] == "ended" for e in edges):
        ties.append({"label": "Ended (faded)", "color": "#cfd8dc", "width": 1.5, "dash": "solid"})
    notes = [_SIZE_HINTS[measure_name]]
    if grouped:
        notes.append("A line stands for all the agreements between two places; "
                     "its width and number count them.")
    return {"regions": regions, "shapes": shapes, "ties": ties, "notes": notes}


def tie_filter_rows(kinds: Mapping[str, int], grades: Mapping[str, int]) -> dict[str, list[dict[str, Any]]]:
    """Checkbox rows of the kinds and evidence grades present, with their counts, in legend order."""
    return {
        "kind": [{"value": k, "label": s.label, "count": kinds[k]} for k, s in KIND_STYLES.items() if kinds.get(k)],
        "evidence": [{"value": k, "label": s.label, "count": grades[k]}
                     for k, s in EVIDENCE_STYLES.items() if grades.get(k)],
    }


def network_filters(edges: list[dict[str, Any]], nodes: list[dict[str, Any]],
                    country_names: Mapping[str | None, str | None]) -> dict[str, Any]:
    """Checkbox rows for the values present, with the number of agreements of each.

    Kinds and evidence grades come in the order of the legend, LAC countries by
    name, regions Chinese first. A place without any tie still gets its country
    and region offered, with a count of 0.
    """
    facets = [f for e in edges for f in e["facets"]]
    countries = Counter(f["country"] for f in facets)
    regions = Counter(r for f in facets for r in f["regions"])
    for node in nodes:
        if node["degree"] == 0:
            if node["place"]["country"] is not None:
                countries[node["place"]["country"]] += 0
            regions[node["place"]["region"]] += 0

    def country_label(code: str) -> str:
        if code == UNKNOWN_KEY:
            return "Unknown country"
        return name_with_code(country_names.get(code), code)

    years = [f["year"] for f in facets if f["year"] is not None]
    return {
        **tie_filter_rows(Counter(f["kind"] for f in facets), Counter(f["evidence"] for f in facets)),
        "country": sorted(
            ({"value": c, "label": country_label(c), "count": n} for c, n in countries.items()),
            key=lambda row: (row["value"] == UNKNOWN_KEY, fold(row["label"]), row["value"]),
        ),
        "region": [
            {"value": k, "label": label, "count": regions[k]}
            for k, label in region_filter_labels().items() if k in regions
        ],
        "years": {
            "min": min(years, default=None),
            "max": max(years, default=None),
            "dated": len(years),
            "undated": len(facets) - len(years),
        },
    }
