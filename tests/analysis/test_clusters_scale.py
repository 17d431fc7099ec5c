"""Clusters on large graphs: the sparse-matrix path (igraph's Louvain, matrix null models) forced on small
graphs, where its numbers can be checked by hand or against the networkx path."""

import importlib

import networkx as nx
import pytest

from twinlac.analysis import clusters

from .test_clusters import _two_blocks


@pytest.fixture
def matrix_path(monkeypatch):
    module = importlib.import_module("twinlac.analysis.clusters")  # the package's `clusters` is the function
    monkeypatch.setattr(module, "MATRIX_EDGES", 0)
    return module


def test_matrix_path_recovers_two_blocks(matrix_path):
    result = clusters(_two_blocks(), n_seeds=3, n_null=10)
    agreement = result.agreement.set_index(["graph", "side"])
    assert agreement.loc[("bipartite", "china"), "ari_min"] == pytest.approx(1.0)
    assert agreement.loc[("bipartite", "lac"), "ari_min"] == pytest.approx(1.0)
    modularity = result.modularity.set_index(["graph", "partition"])
    # as on the networkx path: 2 × (4/8 − (8/16)²) = 1/2, and Barber's Q_B = 1/2
    assert modularity.loc[("bipartite", "louvain"), "q"] == pytest.approx(0.5)
    assert modularity.loc[("bipartite", "louvain"), "q_bipartite"] == pytest.approx(0.5)
    assert modularity.loc[("bipartite", "louvain"), "edges"] == 8
    assert len(result.notes) == 1  # the engine named


def test_matrix_path_measures_the_known_groupings_as_networkx_does(real_graph, monkeypatch):
    small = clusters(real_graph, n_seeds=2, n_null=0).modularity.set_index(["graph", "partition"])
    monkeypatch.setattr(importlib.import_module("twinlac.analysis.clusters"), "MATRIX_EDGES", 0)
    large = clusters(real_graph, n_seeds=2, n_null=0).modularity.set_index(["graph", "partition"])
    for row in (("china projection", "NBS region"), ("lac projection", "subregion")):
        assert large.loc[row, "q"] == pytest.approx(small.loc[row, "q"], abs=1e-12)
    assert large["nodes"].tolist() == small["nodes"].tolist()
    assert large["edges"].tolist() == small["edges"].tolist()
    # another Louvain implementation: partitions differ, but reach about the same modularity
    assert large.loc[("bipartite", "louvain"), "q"] == pytest.approx(small.loc[("bipartite", "louvain"), "q"],
                                                                   abs=0.05)


def test_matrix_path_draws_every_null_model_asked_and_names_its_engine(matrix_path):
    with pytest.warns(RuntimeWarning, match="igraph's Louvain"):
        result = clusters(_two_blocks(), n_seeds=2, n_null=10)
    assert result.n_null == 10 and len(result.notes) == 1
    assert result.modularity["null_std"].notna().any()


def test_matrix_path_is_deterministic_and_leaves_the_graph_alone(matrix_path, real_graph):
    before = nx.Graph(real_graph)
    first = clusters(real_graph, n_seeds=2, n_null=3, seed=5)
    second = clusters(real_graph, n_seeds=2, n_null=3, seed=5)
    assert first.modularity.equals(second.modularity) and first.partition.equals(second.partition)
    assert nx.utils.graphs_equal(real_graph, before)


def test_bundled_data_stays_on_the_networkx_path(real_graph):
    module = importlib.import_module("twinlac.analysis.clusters")
    result = clusters(real_graph, n_seeds=1, n_null=0)
    assert 0 < result.counts["edges"] <= module.MATRIX_EDGES
    assert result.notes == ()
