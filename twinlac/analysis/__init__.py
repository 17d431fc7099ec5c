"""Analyses on networkx graphs and DataFrames: they compute, never print or draw.

Every function takes the graph ``GraphStore.to_networkx()`` returns (never
modified) plus keyword options, and returns DataFrames or small frozen
dataclasses holding DataFrames, numbers and ``counts`` of what was used and
left out (e.g. ties without a year).

- ``centrality``: hubs and brokers at party, province and country level.
- ``clusters``: Louvain communities vs NBS regions and LAC subregions.
- ``spillover``: regional shares, concentration (Gini, Theil), preferential
  attachment, diffusion within province–country pairs, time to first tie.
- ``growth``: ties by year, country, level pair and kind.
- ``mixing``: degree assortativity, region mixing, distance.
- ``connectivity``: components, bridges and articulation points, k-cores,
  robustness, LAC–LAC and province projections, path length and clustering.
- ``paths``: shortest paths between places, provinces or countries; a place's
  neighbourhood and ego graph.
- ``claims``: the literature's claims (kept as data with their citations)
  checked against the graph and its well-sourced subset.
"""

from twinlac.analysis.centrality import CENTRALITY_COLUMNS, centrality, country_graph, province_graph
from twinlac.analysis.claims import CLAIM_COLUMNS, VERDICTS, claims, claims_data
from twinlac.analysis.clusters import (
    Clusters, adjusted_rand_index, bipartite_modularity, clusters, normalized_mutual_info,
)
from twinlac.analysis.connectivity import (
    CONNECTIVITY_TABLES, articulation_points, bridges, components, connectivity, giant_by_year, k_core,
    projection, projection_brokers, region_links, robustness, robustness_figure, small_world,
)
from twinlac.analysis.growth import GROWTH_BY, Growth, growth
from twinlac.analysis.mixing import DistanceEffect, assortativity, distance_effect, great_circle_km, region_mixing
from twinlac.analysis.paths import (
    PATH_COLUMNS, PLACE_KINDS, Place, PlaceNotFound, ego_graph, neighbourhood, resolve_place, shortest_paths,
)
from twinlac.analysis.spillover import (
    Concentration, FirstTie, PairDiffusion, PreferentialAttachment, Shares, Spillover, TheilIndex,
    concentration, gini, kaplan_meier, lorenz_curve, pair_diffusion, preferential_attachment,
    regional_shares, spillover, theil, time_to_first_tie,
)

__all__ = [
    # centrality
    "centrality", "province_graph", "country_graph", "CENTRALITY_COLUMNS",
    # clusters
    "clusters", "Clusters", "adjusted_rand_index", "normalized_mutual_info", "bipartite_modularity",
    # spillover
    "spillover", "Spillover", "regional_shares", "Shares", "concentration", "Concentration",
    "preferential_attachment", "PreferentialAttachment", "pair_diffusion", "PairDiffusion",
    "time_to_first_tie", "FirstTie", "gini", "lorenz_curve", "theil", "TheilIndex", "kaplan_meier",
    # growth
    "growth", "Growth", "GROWTH_BY",
    # mixing
    "assortativity", "region_mixing", "distance_effect", "DistanceEffect", "great_circle_km",
    # paths
    "shortest_paths", "neighbourhood", "ego_graph", "resolve_place", "Place", "PlaceNotFound", "PATH_COLUMNS",
    "PLACE_KINDS",
    # claims
    "claims", "claims_data", "CLAIM_COLUMNS", "VERDICTS",
    # connectivity
    "connectivity", "CONNECTIVITY_TABLES", "components", "giant_by_year", "bridges", "articulation_points",
    "k_core", "robustness", "robustness_figure", "projection", "projection_brokers", "region_links", "small_world",
]
