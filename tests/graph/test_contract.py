"""What every store must do, run on each backend.

The embedded store always; Neo4j when ``NEO4J_URI`` points at a server (the
test database's twinlac nodes are deleted first), skipped with that reason
otherwise. Expected numbers come from the CSV read with pandas, from the
groupings by hand, or from the small files made here.
"""

from __future__ import annotations

import pandas as pd
import pytest

import twinlac
from tests.conftest import GOOD_ROW, write_rows
from twinlac.errors import QueryError, StoreError, TwinlacError
from twinlac.graph.model import GraphFrames
from twinlac.graph.store import TIE_PROPERTIES

SOURCE_A = "https://example.org/first-report"
SOURCE_B = "https://example.org/second-report"


def _rows(source: str) -> list[dict]:
    """Two agreements reported by ``source``."""
    return [
        {**GOOD_ROW, "source_url": source},
        {**GOOD_ROW, "cn_name": "Suzhou", "cn_name_zh": "苏州", "lac_name": "Campinas", "source_url": source,
         "year": "2012", "date": "2012"},
    ]


def test_a_new_store_holds_the_reference_graph(new_store):
    counts = new_store.counts()
    # China and the 33 CELAC states; 31 provinces, municipalities and autonomous regions and
    # 2 SARs; 4 NBS regions and 6 LAC subregions; the CELAC forum and the local-government forum.
    assert (counts["Country"], counts["Province"], counts["Region"], counts["Forum"]) == (34, 33, 10, 2)
    assert (counts["Locality"], counts["TWINNED_WITH"]) == (0, 0)
    assert counts["MEMBER_OF"] == 34 and counts["PART_OF"] == 1 and counts["IN_COUNTRY"] == 33
    assert counts["IN_REGION"] == 31 + 33  # provinces in an NBS region (not the SARs), every CELAC state


def test_load_then_reload_adds_nothing(new_store, csv_frame):
    first = twinlac.load_agreements(new_store)
    assert first.ties_added == len(csv_frame)
    counts = new_store.counts()
    assert counts["TWINNED_WITH"] == len(csv_frame)
    again = twinlac.load_agreements(new_store)
    assert again.ties_added == 0 and again.ties_already_present == len(csv_frame)
    assert sum(again.written.nodes.values()) == 0 and sum(again.written.rels.values()) == 0
    assert again.written.sources_added == 0
    assert new_store.counts() == counts


def test_a_second_source_is_merged_and_counted(new_store, tmp_path):
    first = twinlac.load_file(new_store, write_rows(tmp_path / "a.csv", _rows(SOURCE_A)))
    assert first.ties_added == 2 and first.written.sources_added == 0
    second = twinlac.load_file(new_store, write_rows(tmp_path / "b.csv", _rows(SOURCE_B)))
    assert second.ties_added == 0 and second.written.sources_added == 2
    sources = new_store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id, t.sources AS sources ORDER BY id")
    assert [list(s) for s in sources["sources"]] == [[SOURCE_A, SOURCE_B]] * 2
    assert twinlac.load_file(new_store, tmp_path / "b.csv").written.sources_added == 0  # nothing new the second time


def test_counts_ties_and_parties(new_store, csv_frame):
    twinlac.load_agreements(new_store)
    cn = csv_frame[csv_frame.cn_level == "city"][["cn_province", "cn_name"]].drop_duplicates()
    lac = csv_frame[csv_frame.lac_level == "city"][["lac_country", "lac_admin1", "lac_name"]].drop_duplicates()
    assert new_store.counts()["Locality"] == len(cn) + len(lac)
    ties = new_store.ties()
    assert list(ties.columns) == ["a", "b", *TIE_PROPERTIES]
    assert len(ties) == ties["id"].nunique() == len(csv_frame)
    assert ties["id"].tolist() == sorted(ties["id"])
    assert ties["kind"].value_counts().to_dict() == csv_frame["kind"].value_counts().to_dict()
    assert ties["evidence"].value_counts().to_dict() == csv_frame["evidence"].value_counts().to_dict()
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    assert int(ties["year"].notna().sum()) == int(years.notna().sum())
    assert sorted(ties["year"].dropna().astype(int)) == sorted(years.dropna().astype(int))
    parties = new_store.parties()
    assert parties.index.is_unique and set(ties["a"]) | set(ties["b"]) <= set(parties.index)
    wuxi = parties.loc["CN-JS:wuxi"]
    assert (wuxi["name"], wuxi["side"], wuxi["province_name"], wuxi["region"]) == ("Wuxi", "china", "Jiangsu", "East")


def test_to_networkx_with_filters(new_store, csv_frame):
    twinlac.load_agreements(new_store)
    assert new_store.to_networkx().number_of_edges() == len(csv_frame)
    well = new_store.to_networkx(evidence=["official", "press"])
    expected = csv_frame["evidence"].isin(["official", "press"]).sum()
    assert well.number_of_edges() == expected and well.graph["ties_left_out"] == len(csv_frame) - expected
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    as_of = new_store.to_networkx(as_of=2010)
    assert as_of.number_of_edges() == (years <= 2010).sum()
    assert as_of.graph["ties_without_year"] == years.isna().sum()
    # Wuxi–Sorocaba: a sister-city tie of 2010 in the CSV.
    assert as_of.has_edge("CN-JS:wuxi", "BR-SP:sorocaba")
    assert (as_of.edges["CN-JS:wuxi", "BR-SP:sorocaba"]["year"], as_of.edges["CN-JS:wuxi", "BR-SP:sorocaba"]["kind"]) \
        == (2010, "sister")


def test_read_only_refuses_writes(new_store):
    with _read_only_twin(new_store) as ro:
        with pytest.raises(QueryError, match="read-only"):
            ro.query("CREATE (:Forum {id: 'forum:x', name: 'X'})", write=True)
        with pytest.raises(StoreError, match="read-only"):
            ro.write_frames(GraphFrames())
        with pytest.raises(QueryError, match="writes to the graph"):
            ro.query("CREATE (:Forum {id: 'forum:x', name: 'X'})")
        assert ro.counts()["Forum"] == 2


def _read_only_twin(store):
    """The same database opened read-only (the embedded file is closed first: one writer or readers)."""
    if store.backend == "embedded":
        store.close()
        return twinlac.open(store.path, read_only=True)
    return twinlac.open(backend="neo4j", read_only=True)


def test_a_runaway_query_is_stopped(new_store):
    twinlac.load_agreements(new_store)
    with pytest.raises(QueryError, match="stopped after 0.5 s"):
        new_store.query("MATCH (a)-[*1..30]-(b) RETURN count(*) AS n", timeout=0.5)


@pytest.mark.parametrize("cypher, message", [
    ("MATCH (p:Province RETURN p", None),
    ("MATCH (p:Province) RETURN nosuchfunction(p.id) AS x", None),
    ("MATCH (p:Province) WHERE p.id = $id RETURN p.id", r"\$id"),
    ("MATCH (a)-[*]-(b) RETURN count(*)", "upper bound"),
])
def test_query_errors_are_query_errors(new_store, cypher, message):
    with pytest.raises(QueryError, match=message):
        new_store.query(cypher)


def test_query_columns_are_the_rows_of_query_rows_column_by_column(new_store, tmp_path):
    nanjing = {**GOOD_ROW, "cn_name": "Nanjing", "cn_name_zh": "", "lac_name": "Santos", "year": "", "date": ""}
    twinlac.load_file(new_store, write_rows(tmp_path / "a.csv", [*_rows(SOURCE_A), nanjing]))
    # Text, integers and Chinese names with a null, lists: the types a load reads back.
    cypher = ("MATCH (a)-[t:TWINNED_WITH]->(b) RETURN t.id AS id, t.year AS year, a.name_zh AS zh, "
              "t.sources AS sources, b.lat AS lat ORDER BY id")
    rows = new_store.query_rows(cypher, max_rows=None)
    columns = new_store.query_columns(cypher)
    assert list(columns) == rows.columns
    assert list(zip(*columns.values(), strict=True)) == rows.rows
    assert (columns["year"], columns["zh"]) == ([None, 2012, 2005], [None, "苏州", "无锡"])
    assert columns["sources"] == [[GOOD_ROW["source_url"]], [SOURCE_A], [SOURCE_A]]
    assert new_store.query_columns("MATCH (l:Locality) WHERE l.id = 'none' RETURN l.id AS id") == {"id": []}
    with pytest.raises(QueryError):  # a write is refused as query() refuses it
        new_store.query_columns("MATCH (l:Locality) SET l.name = 'x' RETURN l.id AS id")


def test_a_relationship_to_a_missing_node_is_refused(new_store):
    before = new_store.counts()
    frames = GraphFrames()
    frames.add_nodes("Locality", [{
        "id": "CN-JS:wuxi", "name": "Wuxi", "level": "city", "side": "china", "province": "CN-JS", "country": "CN",
    }])
    frames.add_rels("TWINNED_WITH", [{
        "from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Locality", "to_id": "BR-SP:nowhere",
        "id": "CN-JS:wuxi~BR-SP:nowhere", "kind": "sister", "themes": [], "sources": [],
    }])
    with pytest.raises(StoreError):
        new_store.write_frames(frames)
    after = new_store.counts()
    assert after["TWINNED_WITH"] == 0
    if new_store.atomic_writes:
        assert after == before
    else:  # the node's chunk was committed before the tie's failed
        assert after["Locality"] == before["Locality"] + 1


def test_errors_are_twinlac_errors(new_store):
    """Nothing a store raises for a bad query or write reaches the caller as a driver's or engine's error."""
    for attempt in (lambda: new_store.query("RETURN 1 +"), lambda: new_store.query("MATCH (n) RETURN n.x.y.z(")):
        with pytest.raises(TwinlacError):
            attempt()
