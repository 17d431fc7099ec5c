"""Interactive network view of China–LAC twinning ties as one offline HTML file.

The page is self-contained: the vis-network library (as vendored by pyvis) and its
stylesheet are inlined, our own small controls (search, physics toggle, filters by
tie kind, evidence grade, LAC country, region and year, an "as of" year slider
that replays the growth of the network, details panel, legend) are plain
HTML/CSS/JS, and the graph is embedded as JSON. Nothing is fetched when the file
is opened, so it can be mailed, archived or opened on a machine without network
access.

The network can be drawn with the parties as they signed (``level="locality"``)
or grouped by first-level division or by country, where a line stands for all
the agreements between two provinces (or countries) and lists each of them, with
its source, in its tooltip.

Safety model (the data comes from scraped web pages, so names may contain markup):

* every string that reaches HTML markup (title, legend, filter labels) is escaped by
  Jinja's autoescaping;
* the node/edge data is embedded as JSON inside ``<script type="application/json">``
  with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so no
  data string can close the script element or start markup;
* tooltips and the details panel are built in the browser with ``createElement`` and
  ``textContent`` from structured data, never ``innerHTML``; a source link is only
  created for ``http://`` / ``https://`` URLs, which Python marks beforehand
  (``link`` is ``null`` otherwise) and the page's JS checks again.
"""

from __future__ import annotations

import inspect
import json
import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from twinlac.graph.vocabulary import EVIDENCE_LABELS, KIND_LABELS, STATUS_LABELS
from twinlac.viz._common import (
    _bool,
    _fold,
    _inline_safe,
    _is_http_url,
    _json_for_html,
    _lower,
    _name_with_code,
    _template,
    _text,
    _themes,
    _year,
)
from twinlac.viz._levels import (
    LEVEL_CHOICES,
    SIZE_BY_CHOICES,
    SIZE_BY_LABELS,
    check_level,
    check_size_by,
    group,
    measure,
    node_sort_key,
)

__all__ = [
    "LAYOUT_NODE_THRESHOLD",
    "LEVEL_CHOICES",
    "SIZE_BY_CHOICES",
    "network_html",
    "write_network_html",
]

#: Above this many nodes, positions are computed in Python and physics starts off:
#: a browser force simulation of hundreds of nodes is slow and jittery.
LAYOUT_NODE_THRESHOLD = 300

DEFAULT_TITLE = "China–LAC twinning network"

_TEMPLATE_NAME = "network.html"
# pyvis is pinned (==0.3.2) and ships this exact vis-network build.
_VIS_DIR = ("lib", "vis-9.1.2")

# --- palette -----------------------------------------------------------------

# Chinese NBS regions in reds/oranges, LAC subregions in blues/greens/purples.
_CHINA_REGION_COLORS: dict[str, str] = {
    "East": "#c62828",
    "Central": "#ef6c00",
    "West": "#ffa726",
    "Northeast": "#8e2430",
}
_LAC_REGION_COLORS: dict[str, str] = {
    "Southern Cone": "#1565c0",
    "Brazil": "#2e7d32",
    "Andean": "#00897b",
    "Mexico": "#6a1b9a",
    "Central America": "#64b5f6",
    "Caribbean": "#ba68c8",
}
_CHINA_COLOR = "#b71c1c"  # China as one node, at country level
_UNKNOWN_COLOR = "#9e9e9e"
_UNKNOWN_KEY = "?"  # filter value of a missing country

_SHAPES = {"province": "diamond", "city": "dot", "country": "square"}

_NODE_SPACING = 60.0  # px between neighbours in precomputed layouts
_COMPONENT_GAP = 40.0  # px between packed components

_SIZE_MIN = 10.0  # vis "size" (radius-like) of a node with no ties
_SIZE_SPAN = 30.0  # added for the best-connected node

# Width of a line standing for n agreements (province and country levels):
# base + span * sqrt((n - 1) / (most - 1)), where `most` is the largest number
# of agreements on one line: one agreement is drawn as at place level, the
# busiest line `span` px wider.
_GROUP_WIDTH = {"base": 1.5, "span": 10.0}
_MEMBERS_SHOWN = 12  # places named in a province's or country's tooltip
_TOOLTIP_ITEMS = 10  # agreements listed in a hover tooltip (all in the details panel)


@dataclass(frozen=True)
class _Style:
    label: str
    color: str
    width: float = 1.5
    dashes: bool | list[int] = False


# Colour and width encode the kind of tie ...
_KIND_STYLES: dict[str, _Style] = {
    "sister": _Style(KIND_LABELS["sister"], "#455a64", 2.4),
    "friendship": _Style(KIND_LABELS["friendship"], "#c17d11", 1.6),
    "letter_of_intent": _Style(KIND_LABELS["letter_of_intent"], "#b0bec5", 1.0),
    "other": _Style("Other / unknown kind", "#9e9e9e", 1.0),
}
_MIXED_KIND = _Style("Agreements of several kinds", "#5c6bc0", 2.0)
# ... while a dash pattern flags doubtful evidence, so the two never compete.
_EVIDENCE_STYLES: dict[str, _Style] = {
    "official": _Style(EVIDENCE_LABELS["official"], "", dashes=False),
    "press": _Style(EVIDENCE_LABELS["press"], "", dashes=False),
    "wikipedia": _Style(EVIDENCE_LABELS["wikipedia"], "", dashes=False),
    "weak": _Style(EVIDENCE_LABELS["weak"], "", dashes=[8, 6]),
    "disputed": _Style(EVIDENCE_LABELS["disputed"], "", dashes=[3, 5]),
    "unknown": _Style("Unknown", "", dashes=False),
}
_STATUS_LABELS = STATUS_LABELS
_ENDED_OPACITY = 0.45  # ended ties stay visible but recede

_LEVEL_NOUNS = {
    "locality": ("places", "ties shown"),
    "province": ("provinces", "linked pairs"),
    "country": ("countries", "linked pairs"),
}
_SIZE_HINTS = {
    "degree": "Node size grows with the number of partners.",
    "weighted": "Node size grows with the number of agreements.",
    "betweenness": "Node size grows with betweenness centrality (brokerage between other places).",
    "pagerank": "Node size grows with PageRank (ties to well-tied places count more).",
    "custom": "Node size follows the values given.",
}


# --- public API ----------------------------------------------------------------


def network_html(
    graph: nx.Graph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str | Mapping[Any, float] = "degree",
    level: str = "locality",
) -> str:
    """Render a twinning graph as a self-contained interactive HTML page.

    Nodes are coloured by side and region (Chinese NBS regions in reds/oranges,
    LAC subregions in blues/greens/purples, unknown region grey), sized by
    `size_by` and drawn as diamonds (province-level parties), dots (cities) or
    squares (countries). Edge colour and width show the kind of tie; weak or
    disputed evidence is drawn dashed and ended ties are faded.

    The page offers a search box, a physics toggle, filters by tie kind,
    evidence grade, LAC country, region (Chinese NBS region or LAC subregion of
    either party) and year signed (with a choice for ties without a year), an
    "as of" slider that hides ties signed after a year (and plays the years
    one by one), hover tooltips, a details panel with a link to each
    agreement's source, and a legend. It loads nothing from the network.

    With ``level="province"`` each agreement is counted for the first-level
    division of each party (a city's province, or the province itself) and
    ``level="country"`` does the same per country: a node is then a province
    or a country, a line stands for all the agreements between two of them
    (its width and label give their number) and its tooltip lists them with
    their sources. The filters still act on single agreements: a line shows
    the agreements that pass and disappears when none does.

    Graphs with more than ``LAYOUT_NODE_THRESHOLD`` nodes are laid out in Python
    (a seeded ``spring_layout`` per connected component, components packed in
    rows) and shown with physics off; smaller ones are laid out in the browser
    and physics stops once stabilised.
    The output is deterministic for a given graph.

    Parameters
    ----------
    graph : networkx.Graph
        Parties as nodes (keyed by party id) and agreements as edges, with the
        attributes described in the project's graph contract (``name``,
        ``name_zh``, ``level``, ``side``, ``country``, ``country_name``,
        ``province``, ``province_name``, ``region``, ``coastal`` on nodes;
        ``id``, ``kind``, ``year``, ``date``, ``status``, ``themes``,
        ``source_url``, ``source_title``, ``evidence``, ``notes`` on edges), as
        returned by ``GraphStore.to_networkx()``. Any attribute may be missing
        or None. A ``MultiGraph`` is accepted and draws parallel agreements as
        separate curved edges.
    title : str, optional
        Page title and header text (HTML-escaped).
    size_by : {"degree", "weighted", "betweenness", "pagerank"} or mapping, optional
        What node size shows, computed on the drawn graph (after grouping by
        `level`): ``"degree"`` the number of distinct partners, ``"weighted"``
        the number of agreements, ``"betweenness"`` unweighted betweenness
        centrality (normalised, as in ``twinlac.analysis.centrality``),
        ``"pagerank"`` PageRank with the number of agreements as edge weight.
        A mapping from node (party id, or province / country id at those
        levels) to a finite value >= 0 is used as given; nodes missing from
        it get 0. Size grows with the square root of the value.
    level : {"locality", "province", "country"}, optional
        ``"locality"`` draws the parties as they signed (cities and
        provinces); ``"province"`` and ``"country"`` group them by first-level
        division or by country (a party without one stands alone).

    Returns
    -------
    html : str
        The complete HTML document.

    Raises
    ------
    ValueError
        If `size_by` or `level` is not an accepted value, or a `size_by`
        mapping holds a value that is not a finite number >= 0.
    TypeError
        If `graph` is not a networkx graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", name="Jiangsu", level="province", side="china", region="East")
    >>> G.add_node("BR-SP", name="São Paulo", level="province", side="lac", region="Brazil")
    >>> G.add_edge("CN-JS", "BR-SP", kind="sister", year=2004, evidence="official")
    >>> page = network_html(G, title="Demo")
    >>> page.startswith("<!DOCTYPE html>")
    True
    >>> page = network_html(G, level="country", size_by="pagerank")
    """
    check_size_by(size_by)
    check_level(level)
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx Graph, got {type(graph).__name__}")

    payload = _build_payload(graph, level=level, size_by=size_by)
    js, css = _vis_assets()
    title_text = _text(title) or DEFAULT_TITLE
    filters = payload.pop("filters")
    payload["years"] = filters["years"]  # the page's script resets the year controls to these
    places_noun, ties_noun = _LEVEL_NOUNS[level]
    return _template(_TEMPLATE_NAME).render(
        title=title_text,
        level=level,
        places_noun=places_noun,
        ties_noun=ties_noun,
        n_places=len(payload["nodes"]),
        n_ties=len(payload["edges"]),
        n_agreements=sum(len(e["facets"]) for e in payload["edges"]),
        legend=payload.pop("legend"),
        filters=filters,
        years=filters["years"],
        physics_on=payload["options"]["physics"]["enabled"],
        data_json=Markup(_json_for_html(payload)),
        vis_js=Markup(_inline_safe(js, "script")),
        vis_css=Markup(_inline_safe(css, "style")),
    )


def write_network_html(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str | Mapping[Any, float] = "degree",
    level: str = "locality",
) -> Path:
    """Write the interactive network page of `graph` to `path`.

    See :func:`network_html` for what the page shows. Parent directories are
    created as needed and an existing file is overwritten.

    Parameters
    ----------
    graph : networkx.Graph
        Parties as nodes, agreements as edges (see :func:`network_html`).
    path : str or pathlib.Path
        Destination file, conventionally ending in ``.html``.
    title : str, optional
        Page title and header text.
    size_by : {"degree", "weighted", "betweenness", "pagerank"} or mapping, optional
        What node size shows (see :func:`network_html`).
    level : {"locality", "province", "country"}, optional
        Draw parties as they signed, or grouped by province or by country.

    Returns
    -------
    path : pathlib.Path
        The resolved path of the written file.

    Raises
    ------
    ValueError
        If `size_by` or `level` is not an accepted value.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph([("CN-JS", "BR-SP")])
    >>> out = write_network_html(G, pathlib.Path(tempfile.mkdtemp()) / "net.html", level="province")
    >>> out.exists()
    True
    """
    # Validate before touching the file system, so a bad call leaves no debris.
    check_size_by(size_by)
    check_level(level)
    html = network_html(graph, title=title, size_by=size_by, level=level)
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8", newline="\n")
    return target.resolve()


# --- payload ---------------------------------------------------------------------

_Link = tuple[Any, Any, list[tuple[Any, Any, Mapping[str, Any]]]]


def _build_payload(
    graph: nx.Graph, *, level: str = "locality", size_by: str | Mapping[Any, float] = "degree"
) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready plain data, in a stable order."""
    check_level(level)
    check_size_by(size_by)
    if level == "locality":
        attrs: Mapping[Hashable, Mapping[str, Any]] = {key: graph.nodes[key] for key in graph}
    else:
        grouping = group(graph, level)
        attrs = grouping.nodes
    # Nodes sorted by their string key; vis ids are indexes into that order, so
    # ids are unique even if two keys stringify alike, and never carry data.
    keys = sorted(attrs, key=node_sort_key)
    index = {key: i for i, key in enumerate(keys)}
    attrs = {key: attrs[key] for key in keys}

    links: list[_Link]
    if level == "locality":
        # An undirected edge may come out as (u, v) or (v, u) depending on insertion
        # order: put the endpoints in node order so equal graphs render equally.
        edges = sorted(
            # edges(data=True) also yields every parallel edge of a MultiGraph.
            ((u, v, d) if index[u] <= index[v] else (v, u, d) for u, v, d in graph.edges(data=True)),
            key=lambda e: _edge_sort_key(e, index),
        )
        links = [(u, v, [(u, v, d)]) for u, v, d in edges]
    else:
        links = sorted(
            ((a, b, sorted(agreements, key=_agreement_sort_key)) for (a, b), agreements in grouping.links.items()),
            key=lambda link: (index[link[0]], index[link[1]]),
        )

    # The drawn graph, simple, with the number of agreements as weight: what
    # node sizes are measured on.
    drawn = nx.Graph()
    drawn.add_nodes_from(keys)
    agreements: Counter = Counter()
    for a, b, items in links:
        weight = drawn[a][b]["weight"] if drawn.has_edge(a, b) else 0
        drawn.add_edge(a, b, weight=weight + len(items))
        agreements[a] += len(items)
        if b != a:
            agreements[b] += len(items)
    values = measure(drawn, size_by)
    max_value = max(values.values(), default=0.0)
    measure_name = size_by if isinstance(size_by, str) else "custom"

    large = len(keys) > LAYOUT_NODE_THRESHOLD
    positions = _layout(keys, [(a, b, {}) for a, b, _ in links]) if large else {}
    search_labels = _search_labels(keys, attrs)
    country_names = {
        _text(d.get("country")): _text(d.get("country_name"))
        for d in graph.nodes.values() if _lower(d.get("side")) == "lac" and _text(d.get("country"))
    }

    nodes_out = []
    groups_seen: set[str] = set()
    levels_seen: set[str] = set()
    for key in keys:
        partners = sum(1 for n in drawn[key] if n != key)
        node = _node_payload(key, attrs[key], ties=agreements[key], partners=partners, grouped=level != "locality")
        value = values[key]
        # sqrt keeps hubs from dwarfing everyone while staying monotone in the measure.
        node["size"] = round(_SIZE_MIN + (_SIZE_SPAN * math.sqrt(value / max_value) if max_value > 0 else 0.0), 3)
        node["size_value"] = value
        if measure_name in ("betweenness", "pagerank", "custom"):
            node["tip"]["rows"].insert(-1, [SIZE_BY_LABELS[measure_name], f"{value:.4g}"])
        node["id"] = index[key]
        node["search_label"] = search_labels[key]
        if key in positions:
            node["x"], node["y"] = positions[key]
        groups_seen.add(node.pop("_group"))
        levels_seen.add(node["level"] or "city")
        nodes_out.append(node)

    most = max((len(items) for _, _, items in links), default=1)
    edges_out = []
    pair_seen: Counter = Counter()
    for i, (u, v, items) in enumerate(links):
        if level == "locality":
            ((_, _, data),) = items
            edge = _edge_payload(i, u, v, data, attrs, index)
        else:
            edge = _group_edge_payload(i, u, v, items, graph, attrs, index, most)
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
        edges_out.append(edge)

    return {
        "level": level,
        "nodes": nodes_out,
        "edges": edges_out,
        "options": _vis_options(large),
        "labels": {
            "kind": {k: s.label for k, s in _KIND_STYLES.items()},
            "evidence": {k: s.label for k, s in _EVIDENCE_STYLES.items()},
        },
        "width": {**_GROUP_WIDTH, "most": most},
        "tooltip_items": _TOOLTIP_ITEMS,
        "legend": _legend(groups_seen, levels_seen, edges_out, measure_name, grouped=level != "locality"),
        "filters": _filters(edges_out, nodes_out, country_names),
    }


def _edge_sort_key(edge: tuple[Any, Any, Mapping[str, Any]], index: Mapping[Any, int]) -> tuple:
    u, v, data = edge
    # The full attribute dump breaks ties between parallel edges deterministically.
    return (index[u], index[v], _text(data.get("id")) or "", json.dumps(data, sort_keys=True, default=str))


def _agreement_sort_key(edge: tuple[Any, Any, Mapping[str, Any]]) -> tuple:
    """Agreements of a grouped link: by year (undated last), date, id, parties."""
    u, v, data = edge
    year = _year(data.get("year"))
    return (year is None, year or 0, _text(data.get("date")) or "", _text(data.get("id")) or "",
            sorted((node_sort_key(u), node_sort_key(v))), json.dumps(data, sort_keys=True, default=str))


def _node_payload(key: Any, data: Mapping[str, Any], *, ties: int, partners: int, grouped: bool) -> dict[str, Any]:
    name = _text(data.get("name")) or str(key)
    name_zh = _text(data.get("name_zh"))
    level = _level(data)
    side = _lower(data.get("side"))
    region = _text(data.get("region"))
    group_name, color = _region_color(side, region)
    if level == "country" and side == "china" and group_name == "unknown":
        group_name, color = "china:all", _CHINA_COLOR
    country = _text(data.get("country"))
    country_name = _text(data.get("country_name"))
    province = _text(data.get("province"))
    province_name = _text(data.get("province_name"))
    coastal = _bool(data.get("coastal"))
    members = (data.get("members") or []) if grouped else []

    rows: list[list[str]] = []
    if level:
        rows.append(["Level", level.capitalize()])
    if (province or province_name) and not grouped:
        rows.append(["Province", _name_with_code(province_name, province)])
    if (country or country_name) and not (grouped and level == "country"):
        rows.append(["Country", _name_with_code(country_name, country)])
    if region:
        rows.append(["Region", region])
    if coastal is not None:
        rows.append(["Coastal", "yes" if coastal else "no"])
    if grouped:
        shown = ", ".join(n for _, n in members[:_MEMBERS_SHOWN])
        more = len(members) - _MEMBERS_SHOWN
        rows.append(["Places", shown + (f" and {more} more" if more > 0 else "")])
        rows.append(["Agreements", str(ties)])
        rows.append(["Partners", str(partners)])
    else:
        rows.append(["Ties", str(ties)])
    rows.append(["Id", str(key)])

    border = _shade(color, 0.7)
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
        "country": country,
        "degree": ties,
        "shape": _SHAPES.get(level or "city", "dot"),
        "color": {
            "background": color,
            "border": border,
            "highlight": {"background": color, "border": "#000000"},
            "hover": {"background": color, "border": "#000000"},
        },
        "search": list(dict.fromkeys(t for t in search if t)),
        "tip": {"title": name, "subtitle": name_zh, "rows": rows, "link": None},
        # What the place filters look at when the place has no tie at all.
        "place": {"country": _country_key(data) if side == "lac" else None, "region": _region_key(side, region)},
        "_group": group_name,
    }


def _edge_payload(
    i: int,
    u: Any,
    v: Any,
    data: Mapping[str, Any],
    attrs: Mapping[Any, Mapping[str, Any]],
    index: Mapping[Any, int],
) -> dict[str, Any]:
    kind = _lower(data.get("kind"))
    kind_key = kind if kind in _KIND_STYLES else "other"
    evidence = _lower(data.get("evidence"))
    evidence_key = evidence if evidence in _EVIDENCE_STYLES else "unknown"
    status = _lower(data.get("status"))
    year = _year(data.get("year"))
    date = _text(data.get("date"))
    themes = _themes(data.get("themes"))
    source_url = _text(data.get("source_url"))
    notes = _text(data.get("notes"))
    agreement_id = _text(data.get("id"))

    # Name the Chinese party first, as the literature does.
    first, second = _chinese_first(u, v, attrs)
    names = [_text(attrs[n].get("name")) or str(n) for n in (first, second)]

    kind_style = _KIND_STYLES[kind_key]
    # Unrecognised values are shown as they are rather than hidden in "other".
    kind_text = kind_style.label if kind_key != "other" else (kind or "unknown")
    evidence_text = _EVIDENCE_STYLES[evidence_key].label if evidence_key != "unknown" else (evidence or "unknown")
    rows: list[list[str]] = [["Kind", kind_text]]
    if date or year is not None:
        rows.append(["Date" if date else "Year", date or str(year)])
    if status:
        rows.append(["Status", _STATUS_LABELS.get(status, status)])
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

    color = kind_style.color
    return {
        "facets": [_agreement_facet(data, attrs[u], attrs[v])],
        "id": i,
        "from": index[u],
        "to": index[v],
        "agreement_id": agreement_id,
        "kind": kind_key,
        "evidence": evidence_key,
        "status": status,
        "year": year,
        "source_url": source_url,
        "width": kind_style.width,
        "dashes": _EVIDENCE_STYLES[evidence_key].dashes,
        "color": {
            "color": color,
            "highlight": "#000000",
            "hover": _shade(color, 0.6),
            "opacity": _ENDED_OPACITY if status == "ended" else 1.0,
        },
        "tip": {"title": f"{names[0]} ↔ {names[1]}", "subtitle": None, "rows": rows, "link": link,
                "more_links": more_links},
    }


def _source_links(data: Mapping[str, Any]) -> tuple[dict | None, str | None, list[dict], list[str]]:
    """An agreement's sources: (link, source as text, links to further sources, further non-links).

    Only ``http(s)://`` URLs become links; anything else (e.g. ``javascript:``)
    is kept as visible text. Further sources come from the ``sources`` list
    (every URL that reported the tie), less ``source_url`` itself.
    """
    source_url = _text(data.get("source_url"))
    source_title = _text(data.get("source_title"))
    link = None
    text = None
    if source_url and _is_http_url(source_url):
        link = {"href": source_url, "text": source_title or source_url}
    elif source_url or source_title:
        text = " ".join(t for t in (source_title, source_url and f"<{source_url}>") if t)
    extra = [u for u in dict.fromkeys(_themes(data.get("sources"))) if u != source_url]
    more = [{"href": u, "text": u} for u in extra if _is_http_url(u)]
    other = [u for u in extra if not _is_http_url(u)]
    return link, text, more, other


def _chinese_first(u: Any, v: Any, attrs: Mapping[Any, Mapping[str, Any]]) -> tuple[Any, Any]:
    """The two parties of a tie, the Chinese one first, as the literature names them."""
    if _lower(attrs[v].get("side")) == "china" and _lower(attrs[u].get("side")) != "china":
        return v, u
    return u, v


def _group_edge_payload(
    i: int,
    a: Any,
    b: Any,
    agreements: list[tuple[Any, Any, Mapping[str, Any]]],
    graph: nx.Graph,
    attrs: Mapping[Any, Mapping[str, Any]],
    index: Mapping[Any, int],
    most: int,
) -> dict[str, Any]:
    """A line between two provinces or countries, standing for `agreements`.

    Its rows are summarised in the browser from the agreements that pass the
    filters (``facets``); ``items`` lists each agreement, in the same order,
    with its parties, kind, date, evidence and source.
    """
    parties = graph.nodes
    facets = []
    items = []
    for u, v, data in agreements:
        facet = _agreement_facet(data, parties[u], parties[v])
        facets.append(facet)
        first, second = _chinese_first(u, v, parties)
        names = [_text(parties[n].get("name")) or str(n) for n in (first, second)]
        kind = _lower(data.get("kind"))
        evidence = _lower(data.get("evidence"))
        status = _lower(data.get("status"))
        when = _text(data.get("date")) or (str(facet["year"]) if facet["year"] is not None else "no year")
        detail = [
            _KIND_STYLES[facet["kind"]].label if facet["kind"] != "other" else (kind or "unknown kind"),
            when,
            (_EVIDENCE_STYLES[facet["evidence"]].label if facet["evidence"] != "unknown"
             else (evidence or "unknown")) + " evidence",
        ]
        if status and status != "active":
            detail.append(_STATUS_LABELS.get(status, status))
        link, source, more_links, other_sources = _source_links(data)
        if other_sources:
            source = " ".join([source or ""] + [f"<{u}>" for u in other_sources]).strip()
        items.append({
            "id": _text(data.get("id")),
            "text": f"{names[0]} ↔ {names[1]}",
            "detail": " · ".join(detail),
            "link": link,
            "source": source,
            "more_links": more_links,
        })

    kinds = {f["kind"] for f in facets}
    grades = {f["evidence"] for f in facets}
    statuses = {_lower(d.get("status")) for _, _, d in agreements}
    style = _KIND_STYLES[next(iter(kinds))] if len(kinds) == 1 else _MIXED_KIND
    dashes: bool | list[int] = False
    if grades and grades <= {"weak", "disputed"}:  # only doubtful evidence: dashed
        dashes = _EVIDENCE_STYLES["disputed" if grades == {"disputed"} else "weak"].dashes
    ended = statuses == {"ended"}
    first, second = _chinese_first(a, b, attrs)
    names = [_text(attrs[n].get("name")) or str(n) for n in (first, second)]
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
        "width": _group_width(n, most),
        "label": str(n) if n > 1 else "",
        "dashes": dashes,
        "color": {
            "color": style.color,
            "highlight": "#000000",
            "hover": _shade(style.color, 0.6),
            "opacity": _ENDED_OPACITY if ended else 1.0,
        },
        "tip": {"title": f"{names[0]} ↔ {names[1]}", "subtitle": None, "rows": [], "link": None},
    }


def _group_width(n: int, most: int) -> float:
    """Line width for n agreements; the page's script uses the same formula."""
    if most <= 1:
        return _GROUP_WIDTH["base"]
    return round(_GROUP_WIDTH["base"] + _GROUP_WIDTH["span"] * math.sqrt(max(n - 1, 0) / (most - 1)), 3)


def _lac_party(a: Mapping[str, Any], b: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The attributes of the LAC party of a tie, if either party is on the LAC side."""
    for party in (b, a):
        if _lower(party.get("side")) == "lac":
            return party
    return None


def _country_key(data: Mapping[str, Any] | None) -> str:
    return (_text(data.get("country")) if data else None) or _UNKNOWN_KEY


def _agreement_facet(data: Mapping[str, Any], a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """What the page's filters test about one agreement between parties `a` and `b`."""
    kind = _lower(data.get("kind"))
    evidence = _lower(data.get("evidence"))
    return {
        "kind": kind if kind in _KIND_STYLES else "other",
        "evidence": evidence if evidence in _EVIDENCE_STYLES else "unknown",
        "year": _year(data.get("year")),
        "country": _country_key(_lac_party(a, b)),
        "regions": sorted({_region_key(_lower(p.get("side")), _text(p.get("region"))) for p in (a, b)}),
    }


def _search_labels(keys: list[Any], attrs: Mapping[Any, Mapping[str, Any]]) -> dict[Any, str]:
    """Unambiguous labels for the search suggestions.

    Place names repeat (San José in several countries; São Paulo the state and
    the city), so a name shared by several parties is qualified by country, then
    also by level, then by province, and as a last resort by party id.
    """
    def field(k: Any, *names: str) -> str | None:
        return next((t for t in (_text(attrs[k].get(n)) for n in names) if t), None)

    qualifiers = (
        lambda k: [field(k, "country_name", "country")],
        lambda k: [_level(attrs[k]), field(k, "country_name", "country")],
        lambda k: [_level(attrs[k]), field(k, "province_name", "province"), field(k, "country_name", "country")],
        lambda k: [str(k)],
    )
    base = {k: _text(attrs[k].get("name")) or str(k) for k in keys}
    labels = dict(base)
    for qualify in qualifiers:
        counts = Counter(labels.values())
        for k in keys:
            if counts[labels[k]] > 1:
                parts = [p for p in qualify(k) if p]
                if parts:
                    labels[k] = f"{base[k]} ({', '.join(parts)})"
    return labels


def _layout(keys: list[Any], edges: list[tuple[Any, Any, Mapping[str, Any]]]) -> dict[Any, tuple[float, float]]:
    """Deterministic precomputed layout, in vis pixel coordinates.

    Each connected component gets its own seeded ``spring_layout``, scaled to its
    size, and the components are packed in rows, largest first. Laying out the
    whole graph at once would let the many isolated dyads of twinning data
    (one Chinese city, one LAC city) repel each other to the edges and squeeze
    the main component into a small blot in the middle.
    """
    order = {k: i for i, k in enumerate(keys)}
    simple = nx.Graph()
    simple.add_nodes_from(keys)
    simple.add_edges_from((u, v) for u, v, _ in edges)
    components = sorted(
        (sorted(c, key=order.__getitem__) for c in nx.connected_components(simple)),
        key=lambda c: (-len(c), order[c[0]]),
    )
    pieces = []
    for nodes in components:
        # Rebuilt in sorted order: spring_layout's result depends on node order.
        sub = nx.Graph()
        sub.add_nodes_from(nodes)
        sub.add_edges_from(simple.subgraph(nodes).edges)
        radius = _component_radius(len(nodes))
        pieces.append((_component_layout(sub, radius), radius))

    # Shelf packing: fill rows left to right, at least as wide as the largest
    # component and wide enough for a landscape-ish overall shape.
    total_area = sum((2 * r + _COMPONENT_GAP) ** 2 for _, r in pieces)
    row_width = max(2 * pieces[0][1] + _COMPONENT_GAP, 1.5 * math.sqrt(total_area)) if pieces else 0.0
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for layout, radius in pieces:
        cell = 2 * radius + _COMPONENT_GAP
        if x > 0 and x + cell > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + cell / 2, y + cell / 2
        for key, (px, py) in layout.items():
            pos[key] = (cx + px, cy + py)
        x += cell
        row_height = max(row_height, cell)
    # Centre on the origin, where vis starts its view.
    if pos:
        mid_x = (min(p[0] for p in pos.values()) + max(p[0] for p in pos.values())) / 2
        mid_y = (min(p[1] for p in pos.values()) + max(p[1] for p in pos.values())) / 2
        pos = {k: (px - mid_x, py - mid_y) for k, (px, py) in pos.items()}
    return {k: (round(px, 1), round(py, 1)) for k, (px, py) in pos.items()}


def _component_radius(n: int) -> float:
    # Area grows with the node count: about _NODE_SPACING px between neighbours.
    return _NODE_SPACING / 2 if n <= 2 else 0.75 * _NODE_SPACING * math.sqrt(n)


def _component_layout(graph: nx.Graph, radius: float) -> dict[Any, tuple[float, float]]:
    """Seeded spring layout of one connected component, centred on (0, 0)."""
    nodes = list(graph)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-radius, 0.0), nodes[1]: (radius, 0.0)}
    kwargs: dict[str, Any] = {"seed": 42, "scale": radius}
    # networkx >= 3.5 would switch to its "energy" method at 500 nodes; keep the
    # classic Fruchterman-Reingold force model at every size.
    if "method" in inspect.signature(nx.spring_layout).parameters:
        kwargs["method"] = "force"
    try:
        pos = nx.spring_layout(graph, **kwargs)
    except ImportError:
        # From 500 nodes spring_layout needs scipy, which is not a dependency
        # of twinlac: run the same algorithm on a dense matrix instead.
        pos = _dense_spring_layout(graph, seed=42, scale=radius)
    return {k: (float(x), float(y)) for k, (x, y) in pos.items()}


def _dense_spring_layout(graph: nx.Graph, *, seed: int, scale: float, iterations: int = 50) -> dict[Any, Any]:
    """Fruchterman-Reingold on a dense adjacency matrix, numpy only.

    The same model and cooling schedule as networkx's dense ``spring_layout``
    path; memory is O(n^2), a few tens of MB for the few thousand parties the
    twinning data can have.
    """
    import numpy as np  # networkx's layouts need numpy anyway

    n = len(graph)
    adjacency = nx.to_numpy_array(graph, weight=None)
    pos = np.random.RandomState(seed).rand(n, 2)
    k = math.sqrt(1.0 / n)  # optimal distance between nodes
    t = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1]))) * 0.1  # initial "temperature"
    dt = t / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, np.newaxis, :] - pos[np.newaxis, :, :]
        distance = np.clip(np.linalg.norm(delta, axis=-1), 0.01, None)
        # repulsion k^2/d between all pairs, attraction d^2/k along edges
        force = k * k / distance**2 - adjacency * distance / k
        displacement = np.einsum("ijk,ij->ik", delta, force)
        length = np.linalg.norm(displacement, axis=-1)
        length = np.where(length < 0.01, 0.1, length)
        step = displacement * (t / length)[:, np.newaxis]
        pos += step
        t -= dt
        if np.linalg.norm(step) / n < 1e-4:
            break
    pos = nx.rescale_layout(pos, scale=scale)
    return dict(zip(graph, pos, strict=True))


def _vis_options(large: bool) -> dict[str, Any]:
    physics: dict[str, Any] = {
        "enabled": not large,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -60,
            "centralGravity": 0.01,
            "springLength": 110,
            "springConstant": 0.08,
            "avoidOverlap": 0.3,
        },
        "minVelocity": 0.75,
        "stabilization": {"enabled": not large, "iterations": 200, "updateInterval": 25, "fit": True},
    }
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1.5,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#212121"},
        },
        "edges": {
            "selectionWidth": 2,
            "hoverWidth": 1,
            # Straight edges are much cheaper to draw on big graphs.
            "smooth": {"enabled": not large, "type": "continuous", "roundness": 0.3},
            # Grouped lines are labelled with their number of agreements.
            "font": {"size": 11, "face": "system-ui, sans-serif", "color": "#37474f", "strokeWidth": 3,
                     "align": "middle"},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        # Fixed seed: the browser's initial placement is reproducible too.
        "layout": {"randomSeed": 42, "improvedLayout": not large},
        "physics": physics,
    }


def _legend(
    groups: set[str], levels: set[str], edges: list[dict[str, Any]], measure_name: str, *, grouped: bool
) -> dict[str, list[dict[str, Any]]]:
    regions = [{"label": "China", "color": _CHINA_COLOR}] if "china:all" in groups else []
    regions += [
        {"label": f"China · {r}", "color": c} for r, c in _CHINA_REGION_COLORS.items() if f"china:{r}" in groups
    ] + [
        {"label": f"LAC · {r}", "color": c} for r, c in _LAC_REGION_COLORS.items() if f"lac:{r}" in groups
    ]
    if "unknown" in groups:
        regions.append({"label": "No or unknown region", "color": _UNKNOWN_COLOR})
    shapes = [
        {"label": "City", "shape": "dot"},
        {"label": "Province", "shape": "diamond"},
        {"label": "Country", "shape": "square"},
    ]
    shapes = [s for s in shapes if s["label"].lower() in levels] or shapes[:2]
    kinds_seen = {e["kind"] for e in edges}
    width = (lambda s: _GROUP_WIDTH["base"]) if grouped else (lambda s: s.width)
    ties = [
        {"label": s.label, "color": s.color, "width": width(s), "dash": "solid"}
        for k, s in _KIND_STYLES.items() if k in kinds_seen
    ]
    if "mixed" in kinds_seen:
        ties.append({"label": _MIXED_KIND.label, "color": _MIXED_KIND.color, "width": width(_MIXED_KIND),
                     "dash": "solid"})
    dash_patterns = [e["dashes"] for e in edges]
    ties += [
        {"label": f"{s.label} evidence" + (" only" if grouped else ""), "color": "#616161", "width": 1.5,
         "dash": "dashed" if s.dashes[0] > 4 else "dotted"}
        for k, s in _EVIDENCE_STYLES.items() if s.dashes and s.dashes in dash_patterns
    ]
    if any(e["status"] == "ended" for e in edges):
        ties.append({"label": "Ended (faded)", "color": "#cfd8dc", "width": 1.5, "dash": "solid"})
    notes = [_SIZE_HINTS[measure_name]]
    if grouped:
        notes.append("A line stands for all the agreements between two places; "
                     "its width and number count them.")
    return {"regions": regions, "shapes": shapes, "ties": ties, "notes": notes}


def _filters(
    edges: list[dict[str, Any]], nodes: list[dict[str, Any]], country_names: Mapping[str, str | None]
) -> dict[str, Any]:
    """Checkbox rows for the values present, with the number of agreements of each.

    Kinds and evidence grades come in the order of the legend, LAC countries by
    name, regions Chinese first. A place without any tie still gets its country
    and region offered, with a count of 0.
    """
    facets = [f for e in edges for f in e["facets"]]
    kinds = Counter(f["kind"] for f in facets)
    grades = Counter(f["evidence"] for f in facets)
    countries = Counter(f["country"] for f in facets)
    regions = Counter(r for f in facets for r in f["regions"])
    for node in nodes:
        if node["degree"] == 0:
            if node["place"]["country"] is not None:
                countries[node["place"]["country"]] += 0
            regions[node["place"]["region"]] += 0

    def country_label(code: str) -> str:
        if code == _UNKNOWN_KEY:
            return "Unknown country"
        return _name_with_code(country_names.get(code), code)

    years = [f["year"] for f in facets if f["year"] is not None]
    return {
        "kind": [{"value": k, "label": s.label, "count": kinds[k]} for k, s in _KIND_STYLES.items() if kinds[k]],
        "evidence": [
            {"value": k, "label": s.label, "count": grades[k]} for k, s in _EVIDENCE_STYLES.items() if grades[k]
        ],
        "country": sorted(
            ({"value": c, "label": country_label(c), "count": n} for c, n in countries.items()),
            key=lambda row: (row["value"] == _UNKNOWN_KEY, _fold(row["label"]), row["value"]),
        ),
        "region": [
            {"value": k, "label": label, "count": regions[k]}
            for k, label in _region_filter_labels().items() if k in regions
        ],
        "years": {
            "min": min(years, default=None),
            "max": max(years, default=None),
            "dated": len(years),
            "undated": len(facets) - len(years),
        },
    }




# --- small helpers -----------------------------------------------------------------------


def _level(data: Mapping[str, Any]) -> str | None:
    level = _lower(data.get("level"))
    if level in _SHAPES:
        return level
    # Fall back on the node label of the graph database.
    return {"province": "province", "locality": "city"}.get(_lower(data.get("label")) or "", level)


def _region_key(side: str | None, region: str | None) -> str:
    """The region filter a party falls under (see ``_region_filter_labels``)."""
    group_name, _ = _region_color(side, region)
    if group_name != "unknown":
        return group_name
    return f"{side}:other" if side in ("china", "lac") else "other"


def _region_filter_labels() -> dict[str, str]:
    labels = {f"china:{r}": f"China · {r}" for r in _CHINA_REGION_COLORS}
    labels["china:other"] = "China · no NBS region"
    labels.update({f"lac:{r}": f"LAC · {r}" for r in _LAC_REGION_COLORS})
    labels["lac:other"] = "LAC · no or other subregion"
    labels["other"] = "Side or region unknown"
    return labels


def _region_color(side: str | None, region: str | None) -> tuple[str, str]:
    """Legend group and colour; region names are distinct across the two sides."""
    if region in _CHINA_REGION_COLORS and side in (None, "china"):
        return f"china:{region}", _CHINA_REGION_COLORS[region]
    if region in _LAC_REGION_COLORS and side in (None, "lac"):
        return f"lac:{region}", _LAC_REGION_COLORS[region]
    return "unknown", _UNKNOWN_COLOR


def _shade(hex_color: str, factor: float) -> str:
    """Darken a ``#rrggbb`` colour by `factor` (0 = black, 1 = unchanged)."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's minified JS and CSS, as bundled with pyvis."""
    import pyvis  # local import: only needed to locate the files

    vis_dir = Path(pyvis.__file__).parent.joinpath(*_VIS_DIR)
    try:
        js = (vis_dir / "vis-network.min.js").read_text(encoding="utf-8")
        css = (vis_dir / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as exc:  # pragma: no cover - depends on the install
        raise RuntimeError(
            f"vis-network files not found in {vis_dir}; twinlac expects pyvis==0.3.2"
        ) from exc
    return js, css
