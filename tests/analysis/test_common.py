"""The shared helpers: tie table, collapse, null-model rewiring; and every docstring example runs."""

import doctest
import importlib

import networkx as nx
import numpy as np
import pytest

from twinlac.analysis import _common
from twinlac.analysis._common import china_provinces, collapse, rewire_bipartite, shared_ties, ties_frame, year_matrix

from .conftest import add_china, add_lac

MODULES = ["centrality", "clusters", "spillover", "growth", "mixing"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(f"twinlac.analysis.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_is_documented(name):
    module = importlib.import_module(f"twinlac.analysis.{name}")
    for attr in module.__all__:
        obj = getattr(module, attr)
        if callable(obj) and not isinstance(obj, type):
            doc = obj.__doc__ or ""
            for section in ("Parameters", "Returns", "Notes", "References", "Example"):
                assert section in doc, f"{name}.{attr} lacks {section}"


def _random_two_sided(seed, n_china=6, n_lac=10, m=25):
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    for i in range(n_china):
        add_china(G, f"c{i}")
    for j in range(n_lac):
        add_lac(G, f"l{j}")
    while G.number_of_edges() < m:
        G.add_edge(f"c{rng.integers(n_china)}", f"l{rng.integers(n_lac)}", weight=int(rng.integers(1, 4)))
    return G


@pytest.mark.parametrize("seed", range(5))
def test_rewiring_keeps_degrees_and_sides(seed):
    G = _random_two_sided(seed)
    china = {n for n, s in G.nodes(data="side") if s == "china"}
    simple = rewire_bipartite(G, np.random.default_rng(seed), weighted=False)
    assert dict(simple.degree()) == dict(G.degree())
    assert all((u in china) != (v in china) for u, v in simple.edges())
    weighted = rewire_bipartite(G, np.random.default_rng(seed), weighted=True)
    assert dict(weighted.degree(weight="weight")) == dict(G.degree(weight="weight"))
    assert all((u in china) != (v in china) for u, v in weighted.edges())


def test_ties_frame_orients_and_rejects_non_china_lac_ties():
    G = nx.Graph()
    add_china(G, "CN-JS")
    add_lac(G, "AR-B")
    G.add_edge("AR-B", "CN-JS", year=2000)
    frame = ties_frame(G)
    assert frame.loc[0, "cn"] == "CN-JS" and frame.loc[0, "lac"] == "AR-B" and frame.loc[0, "year"] == 2000
    add_lac(G, "CL-RM")
    G.add_edge("AR-B", "CL-RM")
    with pytest.raises(ValueError, match="does not join"):
        ties_frame(G)


def test_shared_ties_builds_the_table_once_and_hands_out_copies(monkeypatch):
    G = _random_two_sided(0)
    plain = ties_frame(G)
    built = []
    original = _common.oriented_edges

    def counted(graph):
        built.append(graph)
        return original(graph)

    monkeypatch.setattr(_common, "oriented_edges", counted)
    with shared_ties(G):
        first = ties_frame(G)
        first["cn"] = None  # a caller's change does not reach the next one
        with shared_ties(G):
            second = ties_frame(G)
    assert len(built) == 1
    assert second.equals(plain) and not first.equals(plain)
    assert _common._SHARED_TIES == {}
    ties_frame(G)
    assert len(built) == 2  # outside the block, built again


def test_collapse_mixed_levels_and_china_provinces_fallback():
    G = nx.Graph()
    add_china(G, "CN-JS", party="CN-JS:wuxi")
    add_lac(G, "AR-B:tandil", "AR", province="AR-B")
    add_lac(G, "AR-C", "AR")
    G.add_edges_from([("CN-JS:wuxi", "AR-B:tandil"), ("CN-JS:wuxi", "AR-C")])
    mixed = collapse(G, "province", "country")
    assert mixed["CN-JS"]["AR"]["weight"] == 2
    table = china_provinces(G)  # no graph.graph["china_provinces"]: from twinlac.graph.groupings
    assert len(table) == 33 and table["mainland"].sum() == 31
    assert year_matrix([2001, None, 1999], ["a", "b", "a"], ["a", "b"]).to_numpy().tolist() == [[1, 0], [0, 0], [1, 0]]
