"""Visualisations of the twinning graph, as single offline HTML files.

- :func:`network_html` / :func:`write_network_html`: the interactive network
  (vis-network), by place, province or country, with filters and sizing.
- :func:`map_html` / :func:`write_map_html`: ties as arcs on a world map.
- :mod:`twinlac.viz.charts`: static matplotlib charts (growth, Lorenz curves, top
  provinces and places, robustness) and :func:`save_chart` (PNG or SVG).
- :func:`report_html` / :func:`write_report`: a one-page offline report with
  the charts, tables, the published figures beside the data, and the network.

The pages only draw: what they show comes from :mod:`twinlac.analysis`
(``project``, ``centrality``, ``coverage``, ``top_provinces``...). Their parts
are public modules: :mod:`~twinlac.viz.payload` (the data the network and map
embed), :mod:`~twinlac.viz.style` (colours, shapes, tie styles),
:mod:`~twinlac.viz.layout` (the precomputed layout), :mod:`~twinlac.viz.page`
(templates, inert JSON, inlined scripts) and :mod:`~twinlac.viz.values`
(lenient readers of graph attributes).
- :func:`to_pyvis`: the network as a ``pyvis.network.Network`` with the page's
  colours, sizes and (text-only) tooltips, for notebooks.
"""

from twinlac.viz.map import map_html, write_map_html
from twinlac.viz.network import LEVEL_CHOICES, SIZE_BY_CHOICES, network_html, write_network_html

__all__ = ["LEVEL_CHOICES", "SIZE_BY_CHOICES", "map_html", "network_html", "write_map_html", "write_network_html"]

# Static charts (matplotlib) and the one-page report: imported on first use, so that
# the HTML pages (and the command line) do not pay for importing matplotlib.
_LAZY = {
    **dict.fromkeys(
        ["chart_bytes", "growth_chart", "growth_chart_data", "lorenz_chart", "lorenz_chart_data", "robustness_chart",
         "save_chart", "top_localities_chart", "top_provinces_chart"],
        "twinlac.viz.charts"),
    **dict.fromkeys(["report_html", "write_report"], "twinlac.viz.report"),
    "to_pyvis": "twinlac.viz.pyvis",
}
__all__ += sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
