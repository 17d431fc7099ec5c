"""Visualisations of the twinning graph, as single offline HTML files.

- :func:`network_html` / :func:`write_network_html`: the interactive network
  (vis-network), by place, province or country, with filters and sizing.
- :func:`map_html` / :func:`write_map_html`: ties as arcs on a world map.
"""

from twinlac.viz.map import map_html, write_map_html
from twinlac.viz.network import LEVEL_CHOICES, SIZE_BY_CHOICES, network_html, write_network_html

__all__ = ["LEVEL_CHOICES", "SIZE_BY_CHOICES", "map_html", "network_html", "write_map_html", "write_network_html"]
