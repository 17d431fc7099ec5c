"""coverage(): the published figures beside the data's counts, computed here by hand and with pandas."""

import networkx as nx
import pandas as pd
import pytest

from twinlac.analysis import COVERAGE_COLUMNS, coverage, figure_kinds, published_figures, tie_table


def figures(*rows) -> pd.DataFrame:
    base = {"kind_of_count": "at least", "counts": "agreements", "excludes": "", "data_kinds": "",
            "source_title": "A source", "source_url_or_citation": "https://example.org", "note": ""}
    return pd.DataFrame([{**base, **r} for r in rows])


def small_graph() -> nx.Graph:
    G = nx.Graph()
    G.add_node("cn1", side="china")
    G.add_node("cn2", side="china")
    for node, country in (("ar1", "AR"), ("ar2", "AR"), ("cl1", "CL")):
        G.add_node(node, side="lac", country=country, country_name={"AR": "Argentina", "CL": "Chile"}[country])
    G.add_edge("cn1", "ar1", kind="sister", year=2010, status="active", evidence="official")
    G.add_edge("cn2", "ar1", kind="friendship", year=2016, evidence="press")
    G.add_edge("cn1", "ar2", kind="letter_of_intent", year=None)
    G.add_edge("cn2", "cl1", kind="sister", year=2014)
    return G


def test_tie_table_one_row_per_tie():
    table = tie_table(small_graph())
    assert len(table) == 4
    assert sorted(table["country"]) == ["AR", "AR", "AR", "CL"]
    assert int(table["year"].isna().sum()) == 1
    assert sorted(table["status"]) == ["active", "unknown", "unknown", "unknown"]


def test_coverage_counts_by_year_undated_and_later():
    figs = figures(
        {"figure_id": "all-2015", "scope": "all", "country": "", "year": 2015, "value": 10},
        {"figure_id": "ar-2015", "scope": "country", "country": "ar", "year": 2015, "value": 3,
         "data_kinds": "sister;friendship"},
    )
    table = coverage(small_graph(), figs).set_index("figure_id")
    assert list(coverage(small_graph(), figs).columns) == COVERAGE_COLUMNS
    # All ties: by 2015 the 2010 and 2014 ties; one undated; one signed in 2016.
    assert table.loc["all-2015", ["dated_by_year", "undated", "signed_later"]].tolist() == [2, 1, 1]
    assert table.loc["all-2015", "gap_dated"] == 8 and table.loc["all-2015", "gap_dated_or_undated"] == 7
    assert table.loc["all-2015", "coverage_dated"] == pytest.approx(0.2)
    # Argentina, sister + friendship only: the 2010 tie by 2015, the 2016 one later; the letter is left out.
    assert table.loc["ar-2015", ["dated_by_year", "undated", "signed_later"]].tolist() == [1, 0, 1]
    assert table.loc["ar-2015", "country"] == "AR" and table.loc["ar-2015", "country_name"] == "Argentina"


def test_bundled_figures_and_kinds():
    figs = published_figures()
    assert figs.set_index("figure_id").loc["l21-all-2015", "value"] == 147
    assert set(figs["scope"]) <= {"all", "country"}
    assert figure_kinds(" Sister ; friendship;") == ["sister", "friendship"] and figure_kinds(None) == []


def test_bad_figures_file_is_an_error(tmp_path):
    bad = tmp_path / "f.csv"
    bad.write_text("figure_id,scope\nx,all\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the column"):
        published_figures(bad)
