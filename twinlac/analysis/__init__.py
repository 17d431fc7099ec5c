"""Analyses on networkx graphs and DataFrames: they compute, never print or draw."""

from twinlac.analysis.centrality import centrality, province_graph

__all__ = ["centrality", "province_graph"]
