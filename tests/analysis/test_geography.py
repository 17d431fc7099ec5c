"""Coordinates and the distance summary, on hand-built graphs with distances known in closed form."""

import math

import networkx as nx
import pytest

from twinlac.analysis import distance_effect
from twinlac.analysis.geography import (
    DISTANCE_SUMMARY_COLUMNS,
    coordinate_counts,
    coordinates,
    distance_summary,
    places_without_coordinates,
)

R = 6371.0088  # mean Earth radius, km


def test_coordinates_need_two_finite_numbers():
    assert coordinates({"lat": "10", "lon": 20}) == (10.0, 20.0)
    for data in ({}, {"lat": 1}, {"lat": None, "lon": 1}, {"lat": float("nan"), "lon": 1}, {"lat": "x", "lon": 1}):
        assert coordinates(data) is None


def test_coordinate_counts():
    G = nx.Graph()
    G.add_node("a", lat=1.0, lon=2.0)
    G.add_node("b", lat=None, lon=None)
    G.add_node("c", lat=float("nan"), lon=3.0)
    G.add_node("d")
    assert coordinate_counts(G) == {"places": 4, "with_coordinates": 1, "without_coordinates": 3}
    assert places_without_coordinates(G) == ["b", "c", "d"]


def _equator_graph(n_ties: int) -> nx.Graph:
    """Chinese parties at longitude 0 and LAC parties at longitude 90 and 180, on the equator."""
    G = nx.Graph()
    for i in range(n_ties):
        G.add_node(f"cn{i}", side="china", lat=0.0, lon=0.0)
        G.add_node(f"lac{i}", side="lac", lat=0.0, lon=90.0)
        G.add_edge(f"cn{i}", f"lac{i}", id=f"t{i}")
    G.add_node("far", side="lac", lat=0.0, lon=180.0)  # untied: only in the pairs
    G.add_node("lost", side="lac")
    G.add_edge("cn0", "lost", id="t-lost")
    return G


def test_distance_summary_in_km():
    G = _equator_graph(10)
    summary = distance_summary(G)
    assert list(summary.columns) == list(DISTANCE_SUMMARY_COLUMNS) and len(summary) == 1
    row = summary.iloc[0]
    quarter, half = math.pi * R / 2, math.pi * R
    assert row["mean_tie_km"] == pytest.approx(quarter, rel=1e-9)
    # pairs: 10 Chinese x 11 located LAC parties; 10 of the 11 at a quarter turn, 1 at half a turn
    assert row["pairs"] == 110
    assert row["mean_pair_km"] == pytest.approx((10 * quarter + half) / 11, rel=1e-9)
    assert row["distance_ratio"] == pytest.approx(quarter / ((10 * quarter + half) / 11), rel=1e-9)
    assert (row["ties"], row["ties_with_coordinates"], row["ties_without_coordinates"]) == (11, 10, 1)
    assert (row["parties_with_coordinates"], row["parties_without_coordinates"]) == (21, 1)


def test_distance_summary_takes_a_computed_effect():
    G = _equator_graph(10)
    assert distance_summary(distance_effect(G)).equals(distance_summary(G))


def test_too_few_located_ties_give_nan_but_counts():
    row = distance_summary(_equator_graph(2)).iloc[0]
    assert math.isnan(row["mean_tie_km"]) and row["ties_with_coordinates"] == 2
