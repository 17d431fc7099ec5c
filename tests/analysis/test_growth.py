"""Growth counts on a hand-built graph and on the bundled data against the CSV."""

import copy

import networkx as nx
import pytest

from twinlac.analysis import GROWTH_BY, growth

from .conftest import SUBREGION_BY_COUNTRY, add_china, add_lac


def _small():
    """Ties 1998 (city–city, sister, AR), 2000 ×2 (one province–city friendship to BR), one undated (BR)."""
    G = nx.Graph()
    add_china(G, "CN-JS", party="CN-JS:wuxi")
    add_china(G, "CN-ZJ")
    add_lac(G, "AR-B:tandil", "AR", "Southern Cone", province="AR-B")
    add_lac(G, "BR-SP:santos", "BR", "Brazil", province="BR-SP")
    add_lac(G, "BR-RJ", "BR", "Brazil")
    G.add_edge("CN-JS:wuxi", "AR-B:tandil", year=1998, kind="sister", id="t1")
    G.add_edge("CN-JS:wuxi", "BR-SP:santos", year=2000, kind="sister", id="t2")
    G.add_edge("CN-ZJ", "BR-SP:santos", year=2000, kind="friendship", id="t3")
    G.add_edge("CN-ZJ", "BR-RJ", year=None, kind="sister", id="t4")
    return G


def test_growth_by_hand():
    result = growth(_small())
    # 1998: 1; 1999: 0 (kept, so the cumulative line has no gap); 2000: 2. The undated tie is counted apart.
    assert result.table[["year", "new", "cumulative"]].values.tolist() == [[1998, 1, 1], [1999, 0, 1], [2000, 2, 3]]
    assert result.totals.loc[0, ["ties", "dated", "undated"]].tolist() == [4, 3, 1]
    assert result.counts["ties_without_year"] == 1 and result.counts["ties_used"] == 3


def test_growth_breakdowns_by_hand():
    by_level = growth(_small(), by="level").totals.set_index("group")
    assert by_level["ties"].to_dict() == {"city–city": 2, "province–city": 1, "province–province": 1}
    by_country = growth(_small(), by="country")
    totals = by_country.totals.set_index("group")
    assert totals.loc["BR", "ties"] == 3 and totals.loc["BR", "undated"] == 1 and totals.loc["BR", "first_year"] == 2000
    wide = by_country.wide("cumulative")
    assert wide.loc[2000].to_dict() == {"AR": 1, "BR": 2}
    kinds = growth(_small(), by="kind").wide("new")
    assert kinds.loc[2000, "friendship"] == 1 and kinds.loc[1999].sum() == 0


def test_unknown_breakdown_empty_graph_and_no_mutation():
    with pytest.raises(ValueError, match="unknown breakdown"):
        growth(_small(), by="planet")
    for by in GROWTH_BY:
        empty = growth(nx.Graph(), by=by)
        assert empty.table.empty and empty.totals.empty
    G = _small()
    before = copy.deepcopy(G)
    growth(G, by="country")
    assert nx.utils.graphs_equal(G, before)


def test_real_counts_by_year_match_the_csv(real_graph, csv_frame):
    result = growth(real_graph)
    dated = csv_frame[csv_frame["year"] != ""]
    expected = dated["year"].astype(int).value_counts()
    table = result.table.set_index("year")["new"]
    assert table[table > 0].to_dict() == expected.sort_index().to_dict()
    assert table.sum() == len(dated) and result.table["cumulative"].iloc[-1] == len(dated)
    assert result.counts["ties_without_year"] == (csv_frame["year"] == "").sum()


def test_real_breakdowns_match_the_csv(real_graph, csv_frame):
    undated = csv_frame["year"] == ""
    checks = {
        "country": csv_frame["lac_country"],
        "kind": csv_frame["kind"],
        "level": csv_frame["cn_level"] + "–" + csv_frame["lac_level"],
        "subregion": csv_frame["lac_country"].map(SUBREGION_BY_COUNTRY),
        "evidence": csv_frame["evidence"],
    }
    for by, column in checks.items():
        totals = growth(real_graph, by=by).totals.set_index("group")
        assert totals["ties"].to_dict() == column.value_counts().to_dict(), by
        expected_undated = column[undated].value_counts().reindex(totals.index, fill_value=0)
        assert totals["undated"].to_dict() == expected_undated.to_dict()


def test_the_vocabulary_names_every_breakdown():
    from twinlac.analysis import GROWTH_BY
    from twinlac.graph.vocabulary import GROWTH_GROUPS

    assert tuple(by for by in GROWTH_BY if by) == GROWTH_GROUPS
