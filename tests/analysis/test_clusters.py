"""Partition comparison by hand, communities of hand-built graphs, and the bundled data."""

import copy

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twinlac.analysis import adjusted_rand_index, bipartite_modularity, clusters, normalized_mutual_info

from .conftest import add_china, add_lac

labels = st.lists(st.integers(0, 4), min_size=1, max_size=30)


def test_ari_by_hand():
    # a = [0,0,1,1], b = [0,0,1,2]: n_ij = 2,1,1 -> Σ C(n_ij,2) = 1; rows (2,2) -> 2; columns (2,1,1) -> 1;
    # C(4,2) = 6, expected = 2·1/6 = 1/3, max = (2+1)/2 = 3/2: ARI = (1 − 1/3)/(3/2 − 1/3) = 4/7.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    # a = [0,0,1,1], b = [0,1,0,1]: every n_ij = 1 -> 0; rows 2, columns 2, expected 4/6:
    # ARI = (0 − 2/3)/(2 − 2/3) = −1/2.
    assert adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    # one block against singletons: index 0, expected 0 -> 0.
    assert adjusted_rand_index([0, 0, 0, 0], [0, 1, 2, 3]) == pytest.approx(0.0)
    assert adjusted_rand_index(["x", "x", "y"], [5, 5, 7]) == 1.0


def test_nmi_by_hand():
    # H(a) = ln 2, H(b) = 1.5 ln 2; b determines a, so I = H(a) = ln 2: NMI = ln2 / (1.25 ln2) = 0.8.
    assert normalized_mutual_info([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(0.8)
    # independent: p_ij = p_i p_j -> I = 0.
    assert normalized_mutual_info([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)


@given(labels)
def test_a_partition_agrees_with_itself(a):
    assert adjusted_rand_index(a, a) == pytest.approx(1.0)
    assert normalized_mutual_info(a, a) == pytest.approx(1.0)


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=30))
def test_agreement_is_symmetric_bounded_and_blind_to_labels(pairs):
    a, b = [x for x, _ in pairs], [y for _, y in pairs]
    renamed = [f"community {x * 7 + 3}" for x in a]  # an injective relabelling
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_index(b, a))
    assert adjusted_rand_index(renamed, b) == pytest.approx(adjusted_rand_index(a, b))
    assert normalized_mutual_info(renamed, b) == pytest.approx(normalized_mutual_info(a, b))
    assert -1 - 1e-12 <= adjusted_rand_index(a, b) <= 1 + 1e-12
    assert -1e-12 <= normalized_mutual_info(a, b) <= 1 + 1e-12


def test_partitions_of_different_lengths_are_an_error():
    with pytest.raises(ValueError):
        adjusted_rand_index([0, 1], [0])


def _two_blocks():
    """Two disjoint K_{2,2}: East provinces × Southern Cone, West provinces × Andean."""
    G = nx.Graph()
    for c, r, coastal in (("CN-JS", "East", True), ("CN-ZJ", "East", True), ("CN-SC", "West", False),
                          ("CN-CQ", "West", False)):
        add_china(G, c, r, coastal)
    for node, country, region in (("AR-B", "AR", "Southern Cone"), ("CL-RM", "CL", "Southern Cone"),
                                  ("PE-LIM", "PE", "Andean"), ("EC-P", "EC", "Andean")):
        add_lac(G, node, country, region)
    G.add_edges_from([(c, x) for c in ("CN-JS", "CN-ZJ") for x in ("AR-B", "CL-RM")])
    G.add_edges_from([(c, x) for c in ("CN-SC", "CN-CQ") for x in ("PE-LIM", "EC-P")])
    return G


def test_bipartite_modularity_by_hand():
    G = _two_blocks()
    blocks = [{"CN-JS", "CN-ZJ", "AR-B", "CL-RM"}, {"CN-SC", "CN-CQ", "PE-LIM", "EC-P"}]
    china = ["CN-JS", "CN-ZJ", "CN-SC", "CN-CQ"]
    # m = 8, all edges inside; Σ_g k_china(g) k_lac(g) = 4·4 + 4·4 = 32: Q_B = (8 − 32/8)/8 = 1/2.
    assert bipartite_modularity(G, blocks, china) == pytest.approx(0.5)
    # one block: inside 8, expected 8·8/8 = 8 -> 0.
    assert bipartite_modularity(G, [set(G)], china) == pytest.approx(0.0)


def test_clusters_recover_two_blocks():
    result = clusters(_two_blocks(), n_seeds=3, n_null=10)
    agreement = result.agreement.set_index(["graph", "side"])
    assert agreement.loc[("bipartite", "china"), "ari_min"] == pytest.approx(1.0)
    assert agreement.loc[("bipartite", "lac"), "ari_min"] == pytest.approx(1.0)
    modularity = result.modularity.set_index(["graph", "partition"])
    # Newman–Girvan for two blocks of 4 edges each, every degree 2: 2 × (4/8 − (8/16)²) = 1/2.
    assert modularity.loc[("bipartite", "louvain"), "q"] == pytest.approx(0.5)
    assert modularity.loc[("bipartite", "louvain"), "q_bipartite"] == pytest.approx(0.5)
    # the known groupings are one-sided: reported on the projections only
    assert set(modularity.index) == {("bipartite", "louvain"), ("china projection", "louvain"),
                                     ("china projection", "NBS region"), ("lac projection", "louvain"),
                                     ("lac projection", "subregion")}
    assert result.partition.groupby("community")["region"].nunique().max() == 2  # one Chinese + one LAC region


def test_clusters_are_deterministic_and_leave_the_graph_alone():
    G = _two_blocks()
    before = copy.deepcopy(G)
    first, second = clusters(G, n_seeds=2, n_null=5, seed=3), clusters(G, n_seeds=2, n_null=5, seed=3)
    assert first.modularity.equals(second.modularity) and first.partition.equals(second.partition)
    assert nx.utils.graphs_equal(G, before)


def test_tiny_and_empty_graphs():
    assert clusters(nx.Graph()).partition.empty
    G = nx.Graph()
    add_china(G, "CN-JS"); add_lac(G, "AR-B")
    G.add_edge("CN-JS", "AR-B")
    result = clusters(G, n_seeds=2, n_null=3)
    assert len(result.partition) == 2 and result.counts["ties_used"] == 1
    with pytest.raises(ValueError, match="unknown level"):
        clusters(G, level="party")


def test_real_data_covers_every_province_and_tie(real_graph, csv_frame):
    result = clusters(real_graph, n_seeds=2, n_null=3)
    assert result.counts["ties_used"] == len(csv_frame)
    partition = result.partition
    assert (partition["side"] == "china").sum() == csv_frame["cn_province"].nunique()
    lac_units = csv_frame[["lac_country", "lac_admin1"]].drop_duplicates()
    assert (partition["side"] == "lac").sum() == len(lac_units)
    by_country = clusters(real_graph, level="country", n_seeds=2, n_null=0)
    assert (by_country.partition["side"] == "lac").sum() == csv_frame["lac_country"].nunique()
    assert by_country.agreement[["ari_mean", "nmi_mean"]].notna().all().all()
