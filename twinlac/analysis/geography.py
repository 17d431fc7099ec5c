"""Where the parties are: which have coordinates, and how far apart tied parties are."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import networkx as nx
import pandas as pd

from twinlac.analysis.mixing import DistanceEffect, distance_effect

__all__ = ["coordinates", "coordinate_counts", "places_without_coordinates", "distance_summary",
           "DISTANCE_SUMMARY_COLUMNS"]

#: Columns of ``distance_summary``.
DISTANCE_SUMMARY_COLUMNS: tuple[str, ...] = (
    "mean_tie_km", "mean_pair_km", "distance_ratio", "slope", "ties", "ties_with_coordinates",
    "ties_without_coordinates", "parties_with_coordinates", "parties_without_coordinates", "pairs",
)


def coordinates(data: Mapping[str, Any]) -> tuple[float, float] | None:
    """A node's ``(lat, lon)`` in degrees, or None when either is missing or not a finite number.

    Examples
    --------
    >>> coordinates({"lat": -34.6, "lon": -58.4}), coordinates({"lat": None, "lon": 2.0})
    ((-34.6, -58.4), None)
    """
    try:
        lat, lon = float(data.get("lat", math.nan)), float(data.get("lon", math.nan))
    except (TypeError, ValueError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def places_without_coordinates(G: nx.Graph) -> list[Any]:
    """The nodes of ``G`` without coordinates (see ``coordinates``), in node order.

    Examples
    --------
    >>> G = nx.Graph(); G.add_node("CN-SH", lat=31.2, lon=121.5); G.add_node("BR-SP")
    >>> places_without_coordinates(G)
    ['BR-SP']
    """
    return [node for node, data in G.nodes(data=True) if coordinates(data) is None]


def coordinate_counts(G: nx.Graph) -> dict[str, int]:
    """How many places of ``G`` have coordinates, and how many do not.

    Parameters
    ----------
    G : nx.Graph
        The twinning network (``GraphStore.to_networkx()``), nodes with
        ``lat``/``lon`` where known.  Not modified.

    Returns
    -------
    dict with ``places``, ``with_coordinates`` and ``without_coordinates``.

    Notes
    -----
    A place counts as located when both ``lat`` and ``lon`` are finite
    numbers; the map page draws only ties between located places and lists
    the others.

    Examples
    --------
    >>> G = nx.Graph(); G.add_node("CN-SH", lat=31.2, lon=121.5); G.add_node("BR-SP", lat=None, lon=None)
    >>> coordinate_counts(G)
    {'places': 2, 'with_coordinates': 1, 'without_coordinates': 1}
    """
    missing = len(places_without_coordinates(G))
    return {"places": G.number_of_nodes(), "with_coordinates": G.number_of_nodes() - missing,
            "without_coordinates": missing}


def distance_summary(G: nx.Graph | DistanceEffect) -> pd.DataFrame:
    """The distance effect in one row: mean distances in km, their ratio, the slope, and the counts.

    Parameters
    ----------
    G : nx.Graph or DistanceEffect
        The twinning network (``distance_effect`` is run on it with its
        defaults), or a result of ``distance_effect`` already computed.

    Returns
    -------
    DataFrame with one row and the columns ``DISTANCE_SUMMARY_COLUMNS``:
    ``mean_tie_km`` (mean great-circle distance of the ties with coordinates
    at both ends), ``mean_pair_km`` (mean over every located China–LAC pair),
    ``distance_ratio`` (their ratio; below 1, ties are shorter than random
    pairs), ``slope`` (of ln p_tie on ln distance) and the counts of
    ``DistanceEffect.counts``.  Numbers are NaN when too few ties are located.

    Notes
    -----
    Definitions and references: ``twinlac.analysis.distance_effect``.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("CN-SH", side="china", lat=31.2, lon=121.5); G.add_node("BR-SP", side="lac")
    >>> G.add_edge("CN-SH", "BR-SP")
    >>> distance_summary(G)[["ties", "ties_without_coordinates"]].values.tolist()
    [[1, 1]]
    """
    effect = G if isinstance(G, DistanceEffect) else distance_effect(G)
    row = {"mean_tie_km": effect.mean_tie_km, "mean_pair_km": effect.mean_pair_km,
           "distance_ratio": effect.distance_ratio, "slope": effect.slope, **effect.counts}
    return pd.DataFrame([row], columns=list(DISTANCE_SUMMARY_COLUMNS))
