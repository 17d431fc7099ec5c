"""Visualisations of the twinning graph."""

from twinlac.viz.network import network_html, write_network_html

__all__ = ["network_html", "write_network_html"]
