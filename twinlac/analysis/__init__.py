"""Analyses on networkx graphs and DataFrames: they compute, never print or draw.

Every function takes the graph ``GraphStore.to_networkx()`` returns (never
modified) plus keyword options, and returns DataFrames or small frozen
dataclasses holding DataFrames, numbers and ``counts`` of what was used and
left out (e.g. ties without a year).

- ``centrality``: hubs and brokers at party, province and country level.
- ``clusters``: Louvain communities vs NBS regions and LAC subregions.
- ``spillover``: every spillover measure at once, with a summary table; the
  measures themselves live in
  ``shares`` (regional shares of ties over time),
  ``inequality`` (Gini, Lorenz, Theil; concentration over provinces),
  ``attachment`` (preferential attachment kernel and exponent, bootstrap),
  ``diffusion`` (within province–country pairs) and
  ``survival`` (Kaplan–Meier time to a first tie).
- ``growth``: ties by year, country, level pair and kind.
- ``mixing``: degree assortativity, region mixing, distance.
- ``projection``: ``project``, parties collapsed onto provinces or countries,
  each edge keeping its agreements.
- ``coverage``: the published figures beside the data's counts.
- ``rankings``: the provinces and places with most ties.
- ``connectivity``: components, bridges and articulation points, k-cores,
  robustness, LAC–LAC and province projections, path length and clustering.
- ``paths``: shortest paths between places, provinces or countries; a place's
  neighbourhood and ego graph.
- ``claims``: the literature's claims (kept as data with their citations)
  checked against the graph and its well-sourced subset.
"""

from twinlac.analysis.attachment import PreferentialAttachment, preferential_attachment
from twinlac.analysis.centrality import (
    CENTRALITY_COLUMNS,
    betweenness_estimate,
    centrality,
    country_graph,
    exact_betweenness,
    province_graph,
    two_mode_betweenness,
)
from twinlac.analysis.claims import CLAIM_COLUMNS, VERDICTS, claims, claims_data
from twinlac.analysis.clusters import (
    Clusters,
    adjusted_rand_index,
    bipartite_modularity,
    clusters,
    normalized_mutual_info,
)
from twinlac.analysis.connectivity import (
    CONNECTIVITY_TABLES,
    articulation_points,
    bridges,
    components,
    connectivity,
    giant_by_year,
    k_core,
    region_links,
    robustness,
    robustness_figure,
    shared_partner_brokers,
    shared_partner_projection,
    small_world,
)
from twinlac.analysis.coverage import (
    COVERAGE_COLUMNS,
    PUBLISHED_FIGURES_FILE,
    coverage,
    figure_kinds,
    published_figures,
    tie_table,
)
from twinlac.analysis.diffusion import PairDiffusion, pair_diffusion
from twinlac.analysis.growth import GROWTH_BY, Growth, growth
from twinlac.analysis.inequality import (
    Concentration,
    TheilIndex,
    concentration,
    gini,
    lorenz_curve,
    theil,
)
from twinlac.analysis.mixing import (
    DistanceEffect,
    assortativity,
    distance_effect,
    great_circle_km,
    region_mixing,
    swap_bipartite_edges,
)
from twinlac.analysis.paths import (
    PATH_COLUMNS,
    PLACE_KINDS,
    Place,
    PlaceNotFound,
    ego_graph,
    neighbourhood,
    resolve_place,
    shortest_paths,
)
from twinlac.analysis.projection import PROJECTION_LEVELS, project
from twinlac.analysis.rankings import top_localities, top_provinces
from twinlac.analysis.shares import Shares, regional_shares
from twinlac.analysis.spillover import Spillover, spillover
from twinlac.analysis.survival import FirstTie, kaplan_meier, time_to_first_tie

__all__ = [
    # centrality
    "centrality", "province_graph", "country_graph", "two_mode_betweenness", "betweenness_estimate",
    "exact_betweenness", "CENTRALITY_COLUMNS",
    # clusters
    "clusters", "Clusters", "adjusted_rand_index", "normalized_mutual_info", "bipartite_modularity",
    # spillover, and the modules of its measures
    "spillover", "Spillover",
    "regional_shares", "Shares",
    "concentration", "Concentration", "gini", "lorenz_curve", "theil", "TheilIndex",
    "preferential_attachment", "PreferentialAttachment",
    "pair_diffusion", "PairDiffusion",
    "time_to_first_tie", "FirstTie", "kaplan_meier",
    # growth
    "growth", "Growth", "GROWTH_BY",
    # mixing
    "assortativity", "region_mixing", "distance_effect", "DistanceEffect", "great_circle_km", "swap_bipartite_edges",
    # projection
    "project", "PROJECTION_LEVELS",
    # coverage
    "coverage", "published_figures", "tie_table", "figure_kinds", "COVERAGE_COLUMNS", "PUBLISHED_FIGURES_FILE",
    # rankings
    "top_provinces", "top_localities",
    # paths
    "shortest_paths", "neighbourhood", "ego_graph", "resolve_place", "Place", "PlaceNotFound", "PATH_COLUMNS",
    "PLACE_KINDS",
    # claims
    "claims", "claims_data", "CLAIM_COLUMNS", "VERDICTS",
    # connectivity
    "connectivity", "CONNECTIVITY_TABLES", "components", "giant_by_year", "bridges", "articulation_points",
    "k_core", "robustness", "robustness_figure", "shared_partner_projection", "shared_partner_brokers", "region_links",
    "small_world",
]
