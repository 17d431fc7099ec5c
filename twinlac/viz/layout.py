"""The precomputed layout of large network pages, in vis-network pixel coordinates.

A browser force simulation of hundreds of nodes is slow and jittery, so above
``LAYOUT_NODE_THRESHOLD`` nodes the network page places its nodes in Python
and starts with physics off.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import networkx as nx

__all__ = ["COMPONENT_GAP", "GRID_LAYOUT_NODES", "LAYOUT_NODE_THRESHOLD", "NODE_SPACING", "packed_layout",
           "vis_options"]

#: Above this many nodes, positions are computed in Python and physics starts off.
LAYOUT_NODE_THRESHOLD = 300

#: Components larger than this are laid out by igraph's grid Fruchterman–Reingold (compiled, near-linear per
#: iteration) instead of networkx's (O(n²) per iteration: minutes on tens of thousands of places).
GRID_LAYOUT_NODES = 2000

NODE_SPACING = 60.0  # px between neighbours
COMPONENT_GAP = 40.0  # px between packed components


def packed_layout(keys: Sequence[Hashable], pairs: Iterable[tuple[Hashable, Hashable]]
                  ) -> dict[Hashable, tuple[float, float]]:
    """Deterministic layout: a seeded spring layout per connected component, packed in rows.

    Each connected component gets its own seeded ``spring_layout``
    (Fruchterman–Reingold; above ``GRID_LAYOUT_NODES`` nodes igraph's grid
    variant, which only repels nearby nodes), scaled to its size, and the components are packed
    in rows, largest first, then centred on the origin. Laying out the whole
    graph at once would let the many isolated dyads of twinning data (one
    Chinese city, one LAC city) repel each other to the edges and squeeze the
    main component into a small blot in the middle.

    Parameters
    ----------
    keys : sequence of hashable
        The nodes, in a fixed order (the result depends on it, not on set order).
    pairs : iterable of (node, node)
        The lines between them.

    Returns
    -------
    dict
        ``node -> (x, y)`` in pixels, rounded to 0.1.

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. Softw. Pract. Exp. 21(11), 1129–1164.

    Examples
    --------
    >>> pos = packed_layout(["a", "b", "c"], [("a", "b")])
    >>> sorted(pos) == ["a", "b", "c"] and pos["a"][1] == pos["b"][1]
    True
    """
    order = {k: i for i, k in enumerate(keys)}
    simple = nx.Graph()
    simple.add_nodes_from(keys)
    simple.add_edges_from(pairs)
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
    return _centred(_pack(pieces))


def _pack(pieces: list[tuple[dict, float]]) -> dict[Hashable, tuple[float, float]]:
    """Shelf packing: fill rows left to right, at least as wide as the largest
    component and wide enough for a landscape-ish overall shape."""
    total_area = sum((2 * r + COMPONENT_GAP) ** 2 for _, r in pieces)
    row_width = max(2 * pieces[0][1] + COMPONENT_GAP, 1.5 * math.sqrt(total_area)) if pieces else 0.0
    pos: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for layout, radius in pieces:
        cell = 2 * radius + COMPONENT_GAP
        if x > 0 and x + cell > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + cell / 2, y + cell / 2
        for key, (px, py) in layout.items():
            pos[key] = (cx + px, cy + py)
        x += cell
        row_height = max(row_height, cell)
    return pos


def _centred(pos: dict[Hashable, tuple[float, float]]) -> dict[Hashable, tuple[float, float]]:
    """Centred on the origin, where vis starts its view; rounded to 0.1 px."""
    if pos:
        mid_x = (min(p[0] for p in pos.values()) + max(p[0] for p in pos.values())) / 2
        mid_y = (min(p[1] for p in pos.values()) + max(p[1] for p in pos.values())) / 2
        pos = {k: (px - mid_x, py - mid_y) for k, (px, py) in pos.items()}
    return {k: (round(px, 1), round(py, 1)) for k, (px, py) in pos.items()}


def _component_radius(n: int) -> float:
    # Area grows with the node count: about NODE_SPACING px between neighbours.
    return NODE_SPACING / 2 if n <= 2 else 0.75 * NODE_SPACING * math.sqrt(n)


def _component_layout(graph: nx.Graph, radius: float) -> dict[Hashable, tuple[float, float]]:
    """Seeded spring layout of one connected component, centred on (0, 0)."""
    nodes = list(graph)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-radius, 0.0), nodes[1]: (radius, 0.0)}
    if len(nodes) > GRID_LAYOUT_NODES:
        return _grid_layout(graph, radius)
    # networkx >= 3.5 would switch to its "energy" method at 500 nodes; keep the
    # classic Fruchterman-Reingold force model at every size.
    kwargs = {"method": "force"} if "method" in _spring_parameters() else {}
    pos = nx.spring_layout(graph, seed=42, scale=radius, **kwargs)
    return {k: (float(x), float(y)) for k, (x, y) in pos.items()}


def _grid_layout(graph: nx.Graph, radius: float) -> dict[Hashable, tuple[float, float]]:
    """igraph's grid Fruchterman–Reingold with a seeded random number generator, centred and scaled to
    `radius`."""
    import random

    import igraph

    nodes = list(graph)
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in graph.edges()])
    igraph.set_random_number_generator(random.Random(42))
    try:
        coords = g.layout_fruchterman_reingold(grid=True).coords
    finally:
        igraph.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    mid_x, mid_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    reach = max(max(abs(x - mid_x), abs(y - mid_y)) for x, y in coords) or 1.0
    return {node: ((x - mid_x) * radius / reach, (y - mid_y) * radius / reach)
            for node, (x, y) in zip(nodes, coords, strict=True)}


def _spring_parameters() -> set[str]:
    import inspect

    return set(inspect.signature(nx.spring_layout).parameters)


def vis_options(large: bool) -> dict[str, Any]:
    """vis-network options: a seeded force layout in the browser, or, for a `large`
    graph laid out by :func:`packed_layout`, physics off and straight lines."""
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
