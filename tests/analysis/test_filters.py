"""describe_filters: the words every analysis prints about what it used and left out."""

import networkx as nx
import pytest

import twinlac
from twinlac.analysis.filters import describe_filters

from ..conftest import GOOD_ROW, write_rows


def test_unfiltered_graph_says_only_ties_used():
    G = nx.Graph()
    G.add_edges_from([("a", "x"), ("b", "x")])
    assert describe_filters(G) == "2 ties used"


def test_only_filters_that_removed_something_are_named():
    G = nx.Graph(ties_left_out=2, ties_left_out_by={"scope": 0, "evidence": 0, "as_of": 2}, as_of=1999,
                 evidence=None, ties_without_year=1)
    G.add_edge("a", "x")
    assert describe_filters(G) == "1 ties used, 2 left out (2 not signed by 1999), 1 of them for lack of a year"


@pytest.fixture
def small_store(tmp_path):
    rows = [
        {**GOOD_ROW},
        {**GOOD_ROW, "lac_name": "Santos", "evidence": "wikipedia", "year": "2010", "date": ""},
        {**GOOD_ROW, "lac_name": "Campinas", "evidence": "press", "year": "", "date": ""},
    ]
    with twinlac.open(tmp_path / "f.lbdb") as store:
        twinlac.load_file(store, write_rows(tmp_path / "three.csv", rows))
        yield store


def test_words_match_the_store_filters(small_store):
    # Three ties: official 2005, wikipedia 2010, press undated.
    G = small_store.to_networkx(evidence=["official", "press"], as_of=2008)
    # evidence drops the wikipedia tie; as-of then drops the undated press tie.
    assert describe_filters(G) == ("1 ties used, 2 left out (1 evidence not official,press; 1 not signed by 2008), "
                                   "1 of them for lack of a year")
    assert describe_filters(small_store.to_networkx()) == "3 ties used"
