"""Interactive network view of China–LAC twinning ties as one offline HTML file.

The page is self-contained: the vis-network library (as vendored by pyvis) and its
stylesheet are inlined, our own small controls (search, physics toggle, filters by
tie kind and evidence grade, details panel, legend) are plain HTML/CSS/JS, and the
graph is embedded as JSON. Nothing is fetched when the file is opened, so it can be
mailed, archived or opened on a machine without network access.

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
import numbers
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
from markupsafe import Markup

__all__ = [
    "LAYOUT_NODE_THRESHOLD",
    "SIZE_BY_CHOICES",
    "network_html",
    "write_network_html",
]

#: Accepted values of ``size_by``. ``"weighted"`` is reserved for a future
#: weighting of ties (e.g. by evidence grade) and means ``"degree"`` for now.
SIZE_BY_CHOICES: tuple[str, ...] = ("degree", "weighted")

#: Above this many nodes, positions are computed in Python and physics starts off:
#: a browser force simulation of hundreds of nodes is slow and jittery.
LAYOUT_NODE_THRESHOLD = 300

DEFAULT_TITLE = "China–LAC twinning network"

_TEMPLATE_DIR = Path(__file__).parent / "templates"
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
_UNKNOWN_COLOR = "#9e9e9e"

_SHAPES = {"province": "diamond", "city": "dot"}

_NODE_SPACING = 60.0  # px between neighbours in precomputed layouts
_COMPONENT_GAP = 40.0  # px between packed components

_SIZE_MIN = 10.0  # vis "size" (radius-like) of a node with no ties
_SIZE_SPAN = 30.0  # added for the best-connected node


@dataclass(frozen=True)
class _Style:
    label: str
    color: str
    width: float = 1.5
    dashes: bool | list[int] = False


# Colour and width encode the kind of tie ...
_KIND_STYLES: dict[str, _Style] = {
    "sister": _Style("Sister city / province", "#455a64", 2.4),
    "friendship": _Style("Friendship", "#c17d11", 1.6),
    "letter_of_intent": _Style("Letter of intent", "#b0bec5", 1.0),
    "other": _Style("Other / unknown kind", "#9e9e9e", 1.0),
}
# ... while a dash pattern flags doubtful evidence, so the two never compete.
_EVIDENCE_STYLES: dict[str, _Style] = {
    "official": _Style("Official", "", dashes=False),
    "press": _Style("Press", "", dashes=False),
    "wikipedia": _Style("Wikipedia", "", dashes=False),
    "weak": _Style("Weak", "", dashes=[8, 6]),
    "disputed": _Style("Disputed", "", dashes=[3, 5]),
    "unknown": _Style("Unknown", "", dashes=False),
}
_STATUS_LABELS = {"active": "Active", "in_process": "In process", "ended": "Ended"}
_ENDED_OPACITY = 0.45  # ended ties stay visible but recede

# Characters that must not appear raw in JSON embedded in HTML: "<" and ">" could
# close the <script> element or open a comment, "&" could start an entity in
# legacy parsers, and U+2028/U+2029 are line terminators in older JS engines.
_JSON_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_HTML_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


# --- public API ----------------------------------------------------------------


def network_html(
    graph: nx.Graph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str = "degree",
) -> str:
    """Render a twinning graph as a self-contained interactive HTML page.

    Nodes are coloured by side and region (Chinese NBS regions in reds/oranges,
    LAC subregions in blues/greens/purples, unknown region grey), sized by degree
    and drawn as diamonds (province-level parties) or dots (cities). Edge colour
    and width show the kind of tie; weak or disputed evidence is drawn dashed and
    ended ties are faded. The page offers a search box, a physics toggle, filters
    by tie kind and evidence grade, hover tooltips, a details panel with a link
    to each agreement's source, and a legend. It loads nothing from the network.

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
        ``source_url``, ``source_title``, ``evidence``, ``notes`` on edges).
        Any attribute may be missing or None. A ``MultiGraph`` is accepted and
        draws parallel agreements as separate curved edges.
    title : str, optional
        Page title and header text (HTML-escaped).
    size_by : {"degree", "weighted"}, optional
        Node size measure. ``"weighted"`` currently equals ``"degree"``.

    Returns
    -------
    html : str
        The complete HTML document.

    Raises
    ------
    ValueError
        If `size_by` is not one of ``SIZE_BY_CHOICES``.
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
    """
    _check_size_by(size_by)
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx Graph, got {type(graph).__name__}")

    payload = _build_payload(graph)
    js, css = _vis_assets()
    title_text = _text(title) or DEFAULT_TITLE
    return _template().render(
        title=title_text,
        n_places=len(payload["nodes"]),
        n_ties=len(payload["edges"]),
        legend=payload.pop("legend"),
        filters=payload.pop("filters"),
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
    size_by: str = "degree",
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
    size_by : {"degree", "weighted"}, optional
        Node size measure.

    Returns
    -------
    path : pathlib.Path
        The resolved path of the written file.

    Raises
    ------
    ValueError
        If `size_by` is not one of ``SIZE_BY_CHOICES``.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph([("CN-JS", "BR-SP")])
    >>> out = write_network_html(G, pathlib.Path(tempfile.mkdtemp()) / "net.html")
    >>> out.exists()
    True
    """
    # Validate before touching the file system, so a bad call leaves no debris.
    _check_size_by(size_by)
    html = network_html(graph, title=title, size_by=size_by)
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8", newline="\n")
    return target.resolve()


# --- payload ---------------------------------------------------------------------


def _check_size_by(size_by: str) -> None:
    if size_by not in SIZE_BY_CHOICES:
        choices = ", ".join(repr(c) for c in SIZE_BY_CHOICES)
        raise ValueError(f"size_by must be one of {choices}; got {size_by!r}")


def _build_payload(graph: nx.Graph) -> dict[str, Any]:
    """Everything the page needs, as JSON-ready plain data, in a stable order."""
    # Nodes sorted by their string key; vis ids are indexes into that order, so
    # ids are unique even if two keys stringify alike, and never carry data.
    keys = sorted(graph.nodes, key=lambda n: (str(n), repr(n)))
    index = {key: i for i, key in enumerate(keys)}
    attrs = {key: graph.nodes[key] for key in keys}

    # An undirected edge may come out as (u, v) or (v, u) depending on insertion
    # order: put the endpoints in node order so equal graphs render equally.
    edges = sorted(
        # edges(data=True) also yields every parallel edge of a MultiGraph.
        ((u, v, d) if index[u] <= index[v] else (v, u, d) for u, v, d in graph.edges(data=True)),
        key=lambda e: _edge_sort_key(e, index),
    )
    degree = Counter()
    for u, v, _ in edges:
        degree[u] += 1
        degree[v] += 1
    max_degree = max(degree.values(), default=0)

    large = len(keys) > LAYOUT_NODE_THRESHOLD
    positions = _layout(keys, edges) if large else {}
    search_labels = _search_labels(keys, attrs)

    nodes_out = []
    groups_seen: set[str] = set()
    levels_seen: set[str] = set()
    for key in keys:
        node = _node_payload(key, attrs[key], degree[key], max_degree)
        node["id"] = index[key]
        node["search_label"] = search_labels[key]
        if key in positions:
            node["x"], node["y"] = positions[key]
        groups_seen.add(node.pop("_group"))
        levels_seen.add(node["level"] or "city")
        nodes_out.append(node)

    edges_out = []
    pair_seen: Counter = Counter()
    for i, (u, v, data) in enumerate(edges):
        edge = _edge_payload(i, u, v, data, attrs, index)
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
        "nodes": nodes_out,
        "edges": edges_out,
        "options": _vis_options(large),
        "legend": _legend(groups_seen, levels_seen, edges_out),
        "filters": _filters(edges_out),
    }


def _edge_sort_key(edge: tuple[Any, Any, Mapping[str, Any]], index: Mapping[Any, int]) -> tuple:
    u, v, data = edge
    # The full attribute dump breaks ties between parallel edges deterministically.
    return (index[u], index[v], _text(data.get("id")) or "", json.dumps(data, sort_keys=True, default=str))


def _node_payload(key: Any, data: Mapping[str, Any], degree: int, max_degree: int) -> dict[str, Any]:
    name = _text(data.get("name")) or str(key)
    name_zh = _text(data.get("name_zh"))
    level = _level(data)
    side = _lower(data.get("side"))
    region = _text(data.get("region"))
    group, color = _region_color(side, region)
    country = _text(data.get("country"))
    country_name = _text(data.get("country_name"))
    province = _text(data.get("province"))
    province_name = _text(data.get("province_name"))
    coastal = _bool(data.get("coastal"))

    rows: list[list[str]] = []
    if level:
        rows.append(["Level", level.capitalize()])
    if province or province_name:
        rows.append(["Province", _name_with_code(province_name, province)])
    if country or country_name:
        rows.append(["Country", _name_with_code(country_name, country)])
    if region:
        rows.append(["Region", region])
    if coastal is not None:
        rows.append(["Coastal", "yes" if coastal else "no"])
    rows.append(["Ties", str(degree)])
    rows.append(["Id", str(key)])

    # sqrt keeps hubs from dwarfing everyone while staying monotone in degree.
    size = _SIZE_MIN + (_SIZE_SPAN * math.sqrt(degree / max_degree) if max_degree else 0.0)
    border = _shade(color, 0.7)
    return {
        "key": str(key),
        "label": name,
        "name": name,
        "name_zh": name_zh,
        "level": level,
        "side": side,
        "region": region,
        "country": country,
        "degree": degree,
        "size": round(size, 3),
        "shape": _SHAPES.get(level or "city", "dot"),
        "color": {
            "background": color,
            "border": border,
            "highlight": {"background": color, "border": "#000000"},
            "hover": {"background": color, "border": "#000000"},
        },
        "search": [t for t in (name, name_zh, str(key)) if t],
        "tip": {"title": name, "subtitle": name_zh, "rows": rows, "link": None},
        "_group": group,
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
    source_title = _text(data.get("source_title"))
    notes = _text(data.get("notes"))
    agreement_id = _text(data.get("id"))

    # Name the Chinese party first, as the literature does.
    first, second = u, v
    if _lower(attrs[v].get("side")) == "china" and _lower(attrs[u].get("side")) != "china":
        first, second = v, u
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
    link = None
    if source_url and _is_http_url(source_url):
        link = {"href": source_url, "text": source_title or source_url}
    elif source_url or source_title:
        # Kept as visible text, never as a link: e.g. "javascript:" URLs.
        rows.append(["Source", " ".join(t for t in (source_title, source_url and f"<{source_url}>") if t)])
    if agreement_id:
        rows.append(["Id", agreement_id])

    color = kind_style.color
    return {
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
        "tip": {"title": f"{names[0]} ↔ {names[1]}", "subtitle": None, "rows": rows, "link": link},
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
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        # Fixed seed: the browser's initial placement is reproducible too.
        "layout": {"randomSeed": 42, "improvedLayout": not large},
        "physics": physics,
    }


def _legend(groups: set[str], levels: set[str], edges: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    regions = [
        {"label": f"China · {r}", "color": c} for r, c in _CHINA_REGION_COLORS.items() if f"china:{r}" in groups
    ] + [
        {"label": f"LAC · {r}", "color": c} for r, c in _LAC_REGION_COLORS.items() if f"lac:{r}" in groups
    ]
    if "unknown" in groups:
        regions.append({"label": "No or unknown region", "color": _UNKNOWN_COLOR})
    shapes = [
        {"label": "City", "shape": "dot"},
        {"label": "Province", "shape": "diamond"},
    ]
    shapes = [s for s in shapes if s["label"].lower() in levels] or shapes
    kinds_seen = {e["kind"] for e in edges}
    evidence_seen = {e["evidence"] for e in edges}
    ties = [
        {"label": s.label, "color": s.color, "width": s.width, "dash": "solid"}
        for k, s in _KIND_STYLES.items() if k in kinds_seen
    ] + [
        {"label": f"{s.label} evidence", "color": "#616161", "width": 1.5,
         "dash": "dashed" if s.dashes[0] > 4 else "dotted"}
        for k, s in _EVIDENCE_STYLES.items() if k in evidence_seen and s.dashes
    ]
    if any(e["status"] == "ended" for e in edges):
        ties.append({"label": "Ended (faded)", "color": "#cfd8dc", "width": 1.5, "dash": "solid"})
    return {"regions": regions, "shapes": shapes, "ties": ties}


def _filters(edges: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Checkbox rows for the tie kinds and evidence grades present, with counts."""
    kinds = Counter(e["kind"] for e in edges)
    grades = Counter(e["evidence"] for e in edges)
    return {
        "kind": [{"value": k, "label": s.label, "count": kinds[k]} for k, s in _KIND_STYLES.items() if kinds[k]],
        "evidence": [
            {"value": k, "label": s.label, "count": grades[k]} for k, s in _EVIDENCE_STYLES.items() if grades[k]
        ],
    }


# --- small value helpers ----------------------------------------------------------


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return math.isnan(float(value))
    # pandas' NA/NaT, should a frame-built graph carry them.
    return type(value).__name__ in {"NAType", "NaTType"}


def _text(value: Any) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _year(value: Any) -> int | None:
    if _is_missing(value) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool | None:
    if _is_missing(value):
        return None
    return bool(value)


def _themes(value: Any) -> list[str]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        value = [value]
    try:
        return [t for t in (_text(v) for v in value) if t]
    except TypeError:
        return []


def _level(data: Mapping[str, Any]) -> str | None:
    level = _lower(data.get("level"))
    if level in _SHAPES:
        return level
    # Fall back on the node label of the graph database.
    return {"province": "province", "locality": "city"}.get(_lower(data.get("label")) or "", level)


def _region_color(side: str | None, region: str | None) -> tuple[str, str]:
    """Legend group and colour; region names are distinct across the two sides."""
    if region in _CHINA_REGION_COLORS and side in (None, "china"):
        return f"china:{region}", _CHINA_REGION_COLORS[region]
    if region in _LAC_REGION_COLORS and side in (None, "lac"):
        return f"lac:{region}", _LAC_REGION_COLORS[region]
    return "unknown", _UNKNOWN_COLOR


def _name_with_code(name: str | None, code: str | None) -> str:
    if name and code and name != code:
        return f"{name} ({code})"
    return name or code or ""


def _is_http_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _shade(hex_color: str, factor: float) -> str:
    """Darken a ``#rrggbb`` colour by `factor` (0 = black, 1 = unchanged)."""
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


# --- HTML assembly ---------------------------------------------------------------------


def _json_for_html(payload: Any) -> str:
    """Serialise `payload` as JSON that is inert inside an HTML ``<script>`` element."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_HTML_ESCAPE_RE.sub(lambda m: _JSON_HTML_ESCAPES[m.group()], text)


def _inline_safe(code: str, tag: str) -> str:
    """Make third-party code safe to inline in a ``<tag>`` element.

    ``</script`` would end the element early and ``<!--`` can switch the HTML
    parser into a state where the real end tag is missed. The vendored files
    contain neither today; the rewrites (``<\\/`` and ``<\\!`` are the same
    characters inside JS strings and regexes) keep it that way if they change.
    """
    code = re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


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


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(_TEMPLATE_NAME)
