"""Interactive network view of China–LAC twinning ties as one offline HTML file.

The page is self-contained: the vis-network library (as vendored by pyvis) and its
stylesheet are inlined, our own small controls (search, physics toggle, filters by
tie kind, evidence grade, LAC country, region and year, an "as of" year slider
that replays the growth of the network, details panel, legend) are plain
HTML/CSS/JS (``templates/network.html``, ``card.js`` and ``network.js``), and the
graph is embedded as JSON. Nothing is fetched when the file is opened, so it can
be mailed, archived or opened on a machine without network access.

This module renders the page; what it shows is built by
:mod:`twinlac.viz.payload` (from the projection ``twinlac.analysis.project``),
styled by :mod:`twinlac.viz.style` and, for large graphs, placed by
:mod:`twinlac.viz.layout`.

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

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx
from markupsafe import Markup

from twinlac.viz.layout import LAYOUT_NODE_THRESHOLD
from twinlac.viz.page import inline_safe, json_for_html, page_script, template
from twinlac.viz.payload import (
    LEVEL_CHOICES,
    PLACE_LEVEL_MAX_NODES,
    SIZE_BY_CHOICES,
    check_level,
    check_size_by,
    network_payload,
)
from twinlac.viz.values import text

__all__ = [
    "LAYOUT_NODE_THRESHOLD",
    "LEVEL_CHOICES",
    "PLACE_LEVEL_MAX_NODES",
    "SIZE_BY_CHOICES",
    "network_html",
    "write_network_html",
]

DEFAULT_TITLE = "China–LAC twinning network"

_TEMPLATE_NAME = "network.html"
_SCRIPTS = ("card.js", "network.js")
# pyvis is pinned (==0.3.2) and ships this exact vis-network build.
_VIS_DIR = ("lib", "vis-9.1.2")

_LEVEL_NOUNS = {
    "locality": ("places", "ties shown"),
    "province": ("provinces", "linked pairs"),
    "country": ("countries", "linked pairs"),
}


# --- public API ----------------------------------------------------------------


def network_html(
    graph: nx.Graph,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str | Mapping[Any, float] = "degree",
    level: str = "locality",
    force_level: bool = False,
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
    (:func:`twinlac.viz.layout.packed_layout`: a seeded ``spring_layout`` per
    connected component, igraph's grid Fruchterman–Reingold for a component
    of more than ``GRID_LAYOUT_NODES`` nodes, components packed in rows) and
    shown with physics off; smaller ones are laid out in the browser and
    physics stops once stabilised.
    The output is deterministic for a given graph. Above ``PLACE_LEVEL_MAX_NODES``
    places a page asked for at ``"locality"`` level is drawn by province (see
    `force_level`), and when the grouped lines hold more than ``ITEM_BUDGET``
    agreements each lists its first few (its counts and filters still cover
    all of them).

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
        `level` with ``twinlac.analysis.project``): ``"degree"`` the number of
        distinct partners, ``"weighted"`` the number of agreements,
        ``"betweenness"`` unweighted betweenness centrality and ``"pagerank"``
        PageRank with the number of agreements as edge weight, both the
        columns of ``twinlac.analysis.centrality`` on the drawn graph.
        A mapping from node (party id, or province / country id at those
        levels) to a finite value >= 0 is used as given; nodes missing from
        it get 0. Size grows with the square root of the value.
    level : {"locality", "province", "country"}, optional
        ``"locality"`` draws the parties as they signed (cities and
        provinces); ``"province"`` and ``"country"`` group them by first-level
        division or by country (a party without one stands alone).
    force_level : bool, optional
        Draw every place even when there are more than
        ``PLACE_LEVEL_MAX_NODES`` (5,000). By default such a graph asked for
        at ``"locality"`` level is drawn by province, and the page's legend
        and a ``RuntimeWarning`` say so.

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

    payload = network_payload(graph, level=level, size_by=size_by, force_level=force_level)
    level = payload["level"]  # by province when there are too many places (see `force_level`)
    js, css = _vis_assets()
    title_text = text(title) or DEFAULT_TITLE
    filters = payload.pop("filters")
    payload["years"] = filters["years"]  # the page's script resets the year controls to these
    places_noun, ties_noun = _LEVEL_NOUNS[level]
    return template(_TEMPLATE_NAME).render(
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
        data_json=Markup(json_for_html(payload)),
        page_js=page_script(*_SCRIPTS),
        vis_js=Markup(inline_safe(js, "script")),
        vis_css=Markup(inline_safe(css, "style")),
    )


def write_network_html(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str = DEFAULT_TITLE,
    size_by: str | Mapping[Any, float] = "degree",
    level: str = "locality",
    force_level: bool = False,
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
    force_level : bool, optional
        Keep place level above ``PLACE_LEVEL_MAX_NODES`` places (see
        :func:`network_html`).

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
    html = network_html(graph, title=title, size_by=size_by, level=level, force_level=force_level)
    target = Path(path).expanduser()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8", newline="\n")
    return target.resolve()


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
