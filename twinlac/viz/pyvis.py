"""The twinning network as a pyvis ``Network``, for notebook users.

``to_pyvis(G)`` gives a :class:`pyvis.network.Network` drawn like our own page:
the same node colours (NBS region, LAC subregion), shapes, sizes, edge colours
and dashes (kind, evidence), and the same tooltips, as plain text.  Show it in
a notebook (``net.show("twinlac.html")``) or tweak it with pyvis's API.

It is the notebook path, not the safe one: pyvis's own page template loads
resources from CDNs, and its link template writes tooltips as HTML.  Tooltips
here are text only (any ``href`` in a name is broken up so that pyvis never
switches to that template), but for a page to mail or archive use
:func:`twinlac.viz.write_network_html`, which fetches nothing and never
interprets a name as markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

# The page's payload (palette, shapes, sizes, tooltips) is built in network.py; the
# palette is to move to a public twinlac.viz.style module.
from twinlac.viz.payload import network_payload

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["to_pyvis"]

_ZERO_WIDTH_SPACE = "\u200b"


def _tooltip(tip: Mapping[str, Any]) -> str:
    """A page tooltip (title, subtitle, label–value rows, source links) as plain text lines."""
    lines = [str(tip.get("title") or "")]
    if tip.get("subtitle"):
        lines.append(str(tip["subtitle"]))
    lines += [f"{label}: {value}" for label, value in tip.get("rows") or []]
    link = tip.get("link")
    if link:
        lines.append(f"Source: {link['text']} <{link['href']}>" if link["text"] != link["href"]
                     else f"Source: <{link['href']}>")
    lines += [f"Also: <{more['href']}>" for more in tip.get("more_links") or []]
    text = "\n".join(line for line in lines if line)
    # pyvis switches to a template that writes every node title as HTML when one contains "href".
    return text.replace("href", "hre" + _ZERO_WIDTH_SPACE + "f").replace("HREF", "HRE" + _ZERO_WIDTH_SPACE + "F")


def to_pyvis(graph: nx.Graph, *, level: str = "locality", size_by: str | Mapping[Any, float] = "degree",
             height: str = "750px", width: str = "100%", notebook: bool = True,
             cdn_resources: str = "in_line") -> Network:
    """The network as a ``pyvis.network.Network`` with our page's colours, sizes and tooltips.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``, or a part of it
        such as ``twinlac.analysis.ego_graph``).  Not modified.
    level : ``"locality"``, ``"province"`` or ``"country"``
        As on the page: parties as they signed, or grouped.
    size_by : str or mapping
        As on the page: ``degree``, ``weighted``, ``betweenness``,
        ``pagerank``, or a value per node.
    height, width, notebook, cdn_resources
        Passed to ``pyvis.network.Network``.

    Returns
    -------
    pyvis.network.Network
        Nodes keyed by the page's ids (0, 1, …) with ``label``, ``color``,
        ``shape``, ``size`` and a plain-text ``title``; edges with ``color``,
        ``width``, ``dashes`` and a plain-text ``title``.

    Notes
    -----
    For notebooks.  The offline, safe page remains
    :func:`twinlac.viz.write_network_html`.

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", name="Jiangsu", side="china", level="province", region="East")
    >>> G.add_node("BR-SP", name="São Paulo", side="lac", level="province", region="Brazil")
    >>> G.add_edge("CN-JS", "BR-SP", kind="sister", year=2004, evidence="official")
    >>> net = to_pyvis(G)
    >>> sorted(n["label"] for n in net.nodes), net.edges[0]["title"].splitlines()[0]
    (['Jiangsu', 'São Paulo'], 'Jiangsu ↔ São Paulo')
    """
    from pyvis.network import Network

    payload = network_payload(graph, level=level, size_by=size_by)
    net = Network(height=height, width=width, notebook=notebook, cdn_resources=cdn_resources)
    for node in payload["nodes"]:
        extra = {k: node[k] for k in ("x", "y") if k in node}
        net.add_node(node["id"], label=node["label"], color=node["color"], shape=node["shape"], size=node["size"],
                     title=_tooltip(node["tip"]), **extra)
    for edge in payload["edges"]:
        options = {"color": edge["color"], "width": edge["width"], "dashes": edge["dashes"],
                   "title": _tooltip(edge["tip"])}
        if "smooth" in edge:
            options["smooth"] = edge["smooth"]
        net.add_edge(edge["from"], edge["to"], **options)
    net.toggle_physics(not any("x" in node for node in payload["nodes"]))
    return net
