"""Geographic view of China–LAC twinning ties as one offline HTML file.

Each tie is drawn as an arc between its two parties' locations (node attributes
``lat`` and ``lon``, in degrees) on a world map in an equirectangular projection,
centred on the Pacific by default so that China and Latin America face each other.
The land is Natural Earth's 1:110m country outlines (public domain), bundled with
twinlac (``twinlac/viz/data/world_110m.json``): nothing is fetched, no tiles, no
web fonts, no scripts from elsewhere. The map is an inline SVG built by the page's
own script; it zooms with the mouse wheel (or the + / − buttons) and pans by
dragging.

Places without usable coordinates are not dropped silently: the side panel lists
each of them with its number of ties, and counts the ties that could not be drawn
because a party has no location.

The safety model is that of :mod:`twinlac.viz.network`: data is embedded as
escaped JSON, and tooltips and the details panel are built with ``createElement``
and ``textContent`` (``templates/card.js`` and ``map.js``); only ``http(s)://``
sources become links. Places and ties are the payloads of
:mod:`twinlac.viz.payload`, shared with the network page.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Hashable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from twinlac.analysis.projection import project
from twinlac.graph.vocabulary import STATUS_LABELS
from twinlac.viz.page import json_for_html, page_script, template
from twinlac.viz.payload import (
    ITEM_BUDGET,
    agreement_facet,
    agreement_items,
    chinese_first,
    edge_sort_key,
    items_per_line,
    legend,
    node_payload,
    node_sort_key,
    tie_filter_rows,
    tie_payload,
)
from twinlac.viz.style import ENDED_OPACITY, EVIDENCE_STYLES, KIND_STYLES, MIXED_KIND, group_width, shade
from twinlac.viz.values import fold, lower, number, text

__all__ = ["BUNDLE_TIES", "map_html", "write_map_html"]

#: Above this many drawable ties, the map draws one line per pair of provinces (``bundle=None``).
BUNDLE_TIES = 5000

DEFAULT_TITLE = "China–LAC twinning map"

_TEMPLATE_NAME = "map.html"
_SCRIPTS = ("card.js", "map.js")
_WORLD_FILE = Path(__file__).parent / "data" / "world_110m.json"

_RADIUS_MIN = 0.8  # map units (degrees) at full view, for a place with one tie
_RADIUS_SPAN = 1.6  # added for the best-connected place
_LAT_RANGE = (-58.0, 84.0)  # the map's extent: Antarctica and the far north left out


# --- public API ----------------------------------------------------------------


def map_html(graph: nx.Graph, *, title: str = DEFAULT_TITLE, central_meridian: float = -150.0,
             bundle: bool | None = None) -> str:
    """Render a twinning graph as a self-contained world map page.

    Ties are drawn as arcs between the locations of their parties (node
    attributes ``lat`` and ``lon`` in degrees), coloured by kind of tie, dashed
    for weak or disputed evidence and faded when ended; places are dots
    coloured by side and region (as in :func:`twinlac.viz.network_html`) and
    sized by their number of ties. Hovering shows a tooltip, clicking fills a
    details panel with a link to the agreement's source; ties can be filtered
    by kind and evidence grade. The world outline is Natural Earth 1:110m,
    bundled; the page loads nothing from the network.

    Places without coordinates, or with coordinates out of range, are listed in
    the side panel with their number of ties, and the ties that cannot be
    drawn for want of a location are counted there.

    Parameters
    ----------
    graph : networkx.Graph
        Parties as nodes and agreements as edges, as returned by
        ``GraphStore.to_networkx()`` (see :func:`twinlac.viz.network_html` for
        the attributes used); ``lat`` and ``lon`` place a party on the map.
        Any attribute may be missing or None. A ``MultiGraph`` is accepted.
    title : str, optional
        Page title and header text (HTML-escaped).
    central_meridian : float, optional
        Longitude at the centre of the map, in degrees. The default, -150,
        puts the Pacific in the middle, China on the left and Latin America
        on the right; 0 gives the usual Greenwich-centred map.
    bundle : bool or None, optional
        Draw one line per pair of first-level divisions instead of one per
        tie, with the provinces as dots (each at the mean position of its
        located places). None (the default) bundles above ``BUNDLE_TIES``
        (5,000) drawable ties, where a line per tie makes a page of tens of
        megabytes; the page's legend says so. A bundled line is as wide as
        its number of ties and lists them in its tooltip (the first few on a
        large page); lines of one kind and evidence grade follow the filters,
        mixed ones stay shown.

    Returns
    -------
    html : str
        The complete HTML document.

    Raises
    ------
    TypeError
        If `graph` is not a networkx graph.
    ValueError
        If `central_meridian` is not a finite number.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS:nanjing", name="Nanjing", side="china", region="East", lat=32.06, lon=118.80)
    >>> G.add_node("BR-SP:sao-paulo", name="São Paulo", side="lac", region="Brazil", lat=-23.55, lon=-46.63)
    >>> G.add_node("MX-JAL:guadalajara", name="Guadalajara", side="lac", region="Mexico")  # no location
    >>> G.add_edge("CN-JS:nanjing", "BR-SP:sao-paulo", kind="sister", year=2010, evidence="official")
    >>> G.add_edge("CN-JS:nanjing", "MX-JAL:guadalajara", kind="friendship")
    >>> page = map_html(G)
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    if not isinstance(graph, nx.Graph):
        raise TypeError(f"graph must be a networkx Graph, got {type(graph).__name__}")
    meridian = number(central_meridian)
    if meridian is None:
        raise ValueError(f"central_meridian must be a finite number; got {central_meridian!r}")
    payload = _build_map_payload(graph, central_meridian=meridian, bundle=bundle)
    title_text = text(title) or DEFAULT_TITLE
    filters = payload.pop("filters")
    bundled = payload.pop("bundled")
    return template(_TEMPLATE_NAME).render(
        title=title_text,
        places_noun="provinces" if bundled else "places",
        ties_noun="province pairs" if bundled else "ties",
        n_places=len(payload["places"]),
        n_ties=len(payload["ties"]),
        n_missing=len(payload["missing"]),
        n_undrawn=payload["undrawn_ties"],
        missing=payload["missing"],
        filters=filters,
        legend=payload.pop("legend"),
        meridian_label=_meridian_label(meridian),
        data_json=Markup(json_for_html(payload)),
        page_js=page_script(*_SCRIPTS),
    )


def _meridian_label(lon: float) -> str:
    lon = (lon + 180) % 360 - 180
    if lon == 0:
        return "Greenwich (0°)"
    return f"{abs(lon):g}°{'E' if lon > 0 else 'W'}"


def write_map_html(
    graph: nx.Graph, path: str | Path, *, title: str = DEFAULT_TITLE, central_meridian: float = -150.0,
    bundle: bool | None = None,
) -> Path:
    """Write the world map page of `graph` to `path`.

    See :func:`map_html` for what the page shows. Parent directories are
    created as needed and an existing file is overwritten.

    Parameters
    ----------
    graph : networkx.Graph
        Parties as nodes (with ``lat`` / ``lon`` where known), agreements as edges.
    path : str or pathlib.Path
        Destination file, conventionally ending in ``.html``.
    title : str, optional
        Page title and header text.
    central_meridian : float, optional
        Longitude at the centre of the map (default -150: the Pacific).
    bundle : bool or None, optional
        One line per pair of provinces (True), per tie (False), or per tie
        up to ``BUNDLE_TIES`` drawable ties (None; see :func:`map_html`).

    Returns
    -------
    path : pathlib.Path
        The resolved path of the written file.

    Examples
    --------
    >>> import networkx as nx, tempfile, pathlib
    >>> G = nx.Graph()
    >>> G.add_edge("CN-BJ", "CL-RM")  # no coordinates: both listed, nothing drawn
    >>> out = write_map_html(G, pathlib.Path(tempfile.mkdtemp()) / "map.html")
    >>> out.exists()
    True
    """
    html = map_html(graph, title=title, central_meridian=central_meridian, bundle=bundle)
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8", newline="\n")
    return target.resolve()


# --- payload, in named steps ----------------------------------------------------------


def _location(data: Mapping[str, Any]) -> tuple[float, float] | None | str:
    """(lat, lon), None when absent, or "invalid" when present but unusable."""
    raw_lat, raw_lon = data.get("lat"), data.get("lon")
    lat, lon = number(raw_lat), number(raw_lon)
    if lat is None and lon is None and text(raw_lat) is None and text(raw_lon) is None:
        return None
    if lat is None or lon is None or not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        return "invalid"
    return lat, lon


def _build_map_payload(graph: nx.Graph, *, central_meridian: float = -150.0, bundle: bool | None = None
                       ) -> dict[str, Any]:
    """Everything the map page needs: the placed parties and the ties between them, the
    parties without a location, filters, legend, the land outlines and the view."""
    keys: list[Hashable] = sorted(graph.nodes, key=node_sort_key)
    index = {key: i for i, key in enumerate(keys)}
    attrs = {key: graph.nodes[key] for key in keys}
    located = {key: _location(attrs[key]) for key in keys}
    placed = {key for key, loc in located.items() if isinstance(loc, tuple)}
    edges = sorted(
        ((u, v, d) if index[u] <= index[v] else (v, u, d) for u, v, d in graph.edges(data=True)),
        key=lambda e: edge_sort_key(e, index),
    )
    degree: Counter = Counter()
    for u, v, _ in edges:
        degree[u] += 1
        if v != u:
            degree[v] += 1
    drawable = sum(1 for u, v, _ in edges if u in placed and v in placed)
    if bundle if bundle is not None else drawable > BUNDLE_TIES:
        return {**_bundled_payload(graph, located, placed, len(edges) - drawable),
                "missing": _missing(keys, placed, located, attrs, degree), "world": _world(),
                "view": {"central_meridian": central_meridian, "lat_min": _LAT_RANGE[0], "lat_max": _LAT_RANGE[1]},
                "bundled": True}
    ties, drawn_degree, undrawn = _ties(edges, placed, attrs, index)
    places, groups_seen = _places(keys, located, attrs, index, degree, drawn_degree)
    return {
        "bundled": False,
        "places": places,
        "ties": ties,
        "missing": _missing(keys, placed, located, attrs, degree),
        "undrawn_ties": undrawn,
        "world": _world(),
        "view": {"central_meridian": central_meridian, "lat_min": _LAT_RANGE[0], "lat_max": _LAT_RANGE[1]},
        "filters": tie_filter_rows(Counter(t["kind"] for t in ties), Counter(t["evidence"] for t in ties)),
        "legend": {
            **legend(groups_seen, {"city"}, ties, "weighted", grouped=False),
            "shapes": [],
            "notes": ["Dot size grows with the number of ties."],
        },
    }


def _bundled_payload(graph: nx.Graph, located: Mapping[Hashable, Any], placed: set, undrawn: int
                     ) -> dict[str, Any]:
    """Provinces as dots (at the mean position of their located places) and one line per pair of
    provinces standing for the drawable ties between them."""
    projected = project(graph, "province")
    units = sorted(projected, key=node_sort_key)
    position: dict[Hashable, tuple[float, float]] = {}
    for unit in units:
        spots = [located[m] for m, _ in projected.nodes[unit]["members"] if m in placed]
        if spots:
            position[unit] = (sum(p[0] for p in spots) / len(spots), sum(p[1] for p in spots) / len(spots))
    index = {unit: i for i, unit in enumerate(u for u in units if u in position)}
    links = []
    for a, b, agreements in projected.edges(data="agreements"):
        drawn = [(u, v, d) for u, v, d in agreements if u in placed and v in placed]
        if drawn:
            a, b = (a, b) if index[a] <= index[b] else (b, a)
            links.append((a, b, drawn))
    links.sort(key=lambda link: (index[link[0]], index[link[1]]))
    most = max((len(items) for _, _, items in links), default=1)
    keep = items_per_line([len(items) for _, _, items in links], ITEM_BUDGET)
    ties = [_bundled_line(i, a, b, items, graph.nodes, projected.nodes, index, most, keep)
            for i, (a, b, items) in enumerate(links)]
    degree: Counter = Counter()
    for a, b, items in links:
        degree[a] += len(items)
        degree[b] += len(items)
    max_degree = max(degree.values(), default=0)
    places = []
    groups_seen: set[str] = set()
    for unit, i in index.items():
        node = node_payload(unit, projected.nodes[unit], ties=degree[unit], partners=len(projected[unit]),
                            grouped=True)
        groups_seen.add(node["group"])
        lat, lon = position[unit]
        ratio = math.sqrt(degree[unit] / max_degree) if max_degree else 0.0
        places.append({"id": i, "key": node["key"], "name": node["name"], "lat": round(lat, 4),
                       "lon": round(lon, 4), "radius": round(_RADIUS_MIN + _RADIUS_SPAN * ratio, 3),
                       "color": node["color"]["background"], "border": node["color"]["border"],
                       "degree": degree[unit], "tip": node["tip"]})
    kinds: Counter = Counter()
    grades: Counter = Counter()
    for _, _, items in links:
        for u, v, data in items:
            facet = agreement_facet(data, graph.nodes[u], graph.nodes[v])
            kinds[facet["kind"]] += 1
            grades[facet["evidence"]] += 1
    notes = ["Dots are provinces, at the mean position of their located places; size grows with their ties.",
             "A line stands for all the ties between two provinces; its width counts them. Lines of several "
             "kinds or evidence grades stay shown whatever the filters."]
    if keep is not None:
        notes.append(f"A line lists its first ties only (the page keeps {ITEM_BUDGET:,} in all).")
    return {
        "places": places,
        "ties": ties,
        "undrawn_ties": undrawn,
        "filters": tie_filter_rows(kinds, grades),
        "legend": {**legend(groups_seen, {"province"}, ties, "weighted", grouped=True), "shapes": [],
                   "notes": notes},
    }


def _bundled_line(i: int, a: Hashable, b: Hashable, agreements: list, parties: Mapping[Hashable, Mapping[str, Any]],
                  units: Mapping[Hashable, Mapping[str, Any]], index: Mapping[Hashable, int], most: int,
                  keep: int | None) -> dict[str, Any]:
    """One line between provinces `a` and `b` standing for `agreements`."""
    kinds = Counter(k if k in KIND_STYLES else "other" for k in (lower(d.get("kind")) for _, _, d in agreements))
    grades = Counter(g if g in EVIDENCE_STYLES else "unknown"
                     for g in (lower(d.get("evidence")) for _, _, d in agreements))
    statuses = {lower(d.get("status")) for _, _, d in agreements}
    years = [y for y in (number(d.get("year")) for _, _, d in agreements) if y is not None]
    style = KIND_STYLES[next(iter(kinds))] if len(kinds) == 1 else MIXED_KIND
    dashes: bool | list[int] = False
    if set(grades) <= {"weak", "disputed"}:
        dashes = EVIDENCE_STYLES["disputed" if set(grades) == {"disputed"} else "weak"].dashes
    first, second = chinese_first(a, b, units)
    n = len(agreements)
    rows = [["Ties", str(n)],
            ["Kinds", ", ".join(f"{KIND_STYLES[k].label} ×{c}" for k, c in kinds.most_common())],
            ["Evidence", ", ".join(f"{EVIDENCE_STYLES[g].label} ×{c}" for g, c in grades.most_common())]]
    if years:
        low, high = int(min(years)), int(max(years))
        rows.append(["Years", str(low) if low == high else f"{low}–{high}"])
    if statuses - {None, "active"}:
        rows.append(["Status", ", ".join(sorted(STATUS_LABELS.get(s, s) for s in statuses if s))])
    items = agreement_items(agreements, parties, keep)
    if len(items) < n:
        rows.append(["Listed", f"the first {len(items)} of {n} ties"])
    return {
        "id": i, "from": index[a], "to": index[b],
        "kind": next(iter(kinds)) if len(kinds) == 1 else "mixed",
        "evidence": next(iter(grades)) if len(grades) == 1 else "mixed",
        "status": next(iter(statuses)) if len(statuses) == 1 else "mixed",
        "width": group_width(n, most), "dashes": dashes,
        "color": {"color": style.color, "highlight": "#000000", "hover": shade(style.color, 0.6),
                  "opacity": ENDED_OPACITY if statuses == {"ended"} else 1.0},
        "tip": {"title": f"{text(units[first].get('name')) or first} ↔ {text(units[second].get('name')) or second}",
                "subtitle": None, "rows": rows, "link": None, "items": items},
    }


def _ties(edges: list, placed: set, attrs: Mapping[Hashable, Mapping[str, Any]], index: Mapping[Hashable, int]
          ) -> tuple[list[dict[str, Any]], Counter, int]:
    """Tie payloads of the ties whose two parties are placed, the drawn ties of each
    party, and the number of ties not drawn."""
    ties = []
    drawn_degree: Counter = Counter()
    undrawn = 0
    for u, v, data in edges:
        if u in placed and v in placed:
            ties.append(tie_payload(len(ties), u, v, data, attrs, index))
            drawn_degree[u] += 1
            drawn_degree[v] += 1
        else:
            undrawn += 1
    return ties, drawn_degree, undrawn


def _places(keys: list, located: Mapping[Hashable, Any], attrs: Mapping[Hashable, Mapping[str, Any]],
            index: Mapping[Hashable, int], degree: Counter, drawn_degree: Counter
            ) -> tuple[list[dict[str, Any]], set[str]]:
    """Dots of the placed parties, sized by their number of ties, and the legend groups seen."""
    placed = [key for key in keys if isinstance(located[key], tuple)]
    max_degree = max((degree[k] for k in placed), default=0)
    places = []
    groups_seen: set[str] = set()
    for key in placed:
        lat, lon = located[key]
        node = node_payload(key, attrs[key], ties=degree[key], partners=degree[key], grouped=False)
        node["tip"]["rows"].insert(-1, ["Location", f"{abs(lat):.2f}°{'N' if lat >= 0 else 'S'}, "
                                                    f"{abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"])
        if drawn_degree[key] < degree[key]:
            node["tip"]["rows"].insert(-1, ["Not drawn", f"{degree[key] - drawn_degree[key]} tie(s): "
                                                         "the partner has no location"])
        groups_seen.add(node["group"])
        ratio = math.sqrt(degree[key] / max_degree) if max_degree else 0.0
        places.append({
            "id": index[key],
            "key": node["key"],
            "name": node["name"],
            "lat": lat,
            "lon": lon,
            "radius": round(_RADIUS_MIN + _RADIUS_SPAN * ratio, 3),
            "color": node["color"]["background"],
            "border": node["color"]["border"],
            "degree": degree[key],
            "tip": node["tip"],
        })
    return places, groups_seen


def _missing(keys: list, placed: set, located: Mapping[Hashable, Any], attrs: Mapping[Hashable, Mapping[str, Any]],
             degree: Counter) -> list[dict[str, Any]]:
    """The parties without usable coordinates, most ties first."""
    missing = []
    for key in keys:
        if key in placed:
            continue
        data = attrs[key]
        missing.append({
            "key": str(key),
            "name": text(data.get("name")) or str(key),
            "where": text(data.get("country_name")) or text(data.get("country")),
            "ties": degree[key],
            "reason": "invalid coordinates" if located[key] == "invalid" else "no coordinates",
        })
    missing.sort(key=lambda m: (-m["ties"], fold(m["name"]), m["key"]))
    return missing


@lru_cache(maxsize=1)
def _world() -> dict[str, Any]:
    """The bundled land outlines: rings of (lon, lat) * scale, as flat integer lists."""
    world = json.loads(_WORLD_FILE.read_text(encoding="utf-8"))
    return {"scale": world["scale"], "rings": [ring for c in world["countries"] for ring in c["rings"]]}
