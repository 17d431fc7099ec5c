"""The spillover aggregator: every measure at once on tiny and empty graphs, without touching
its input; the names it re-exports.  The measures have their own test modules
(test_shares, test_inequality, test_attachment, test_diffusion, test_survival)."""

import copy

import networkx as nx

from twinlac.analysis import spillover

from .conftest import five_provinces, growing_graph


def test_spillover_on_tiny_and_empty_graphs_and_no_mutation():
    for G in (nx.Graph(), growing_graph(), five_provinces()):
        before = copy.deepcopy(G)
        result = spillover(G, n_boot=20)
        assert len(result.summary) > 0
        assert nx.utils.graphs_equal(G, before) and G.graph == before.graph


def test_names_importable_before_the_split_still_are():
    # Everything twinlac.analysis.spillover exported before it was split by topic.
    import importlib

    import twinlac.analysis as analysis
    from twinlac.analysis import attachment, diffusion, inequality, shares, survival

    module = importlib.import_module("twinlac.analysis.spillover")  # the package's ``spillover`` is the function

    before = ["TheilIndex", "gini", "lorenz_curve", "theil", "kaplan_meier", "Shares", "regional_shares",
              "Concentration", "concentration", "PreferentialAttachment", "preferential_attachment",
              "PairDiffusion", "pair_diffusion", "FirstTie", "time_to_first_tie", "Spillover", "spillover"]
    assert set(before) <= set(module.__all__)
    for name in before:
        assert getattr(module, name) is getattr(analysis, name)
    assert module.FIRST_TWINNING_YEAR == survival.FIRST_TWINNING_YEAR == 1973
    assert module.GROUPINGS is shares.GROUPINGS and module.BY_YEAR_COLUMNS is shares.BY_YEAR_COLUMNS
    assert module.CONCENTRATION_COLUMNS is inequality.CONCENTRATION_COLUMNS
    assert module.preferential_attachment is attachment.preferential_attachment
    assert module.pair_diffusion is diffusion.pair_diffusion
