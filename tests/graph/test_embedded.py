"""The embedded store, on real on-disk LadybugDB files."""

import pandas as pd
import pytest

import twinlac
from twinlac.errors import QueryError, StoreError
from twinlac.graph import groupings as g
from twinlac.graph.embedded import COPY_SUFFIX
from twinlac.graph.model import GraphFrames

from ..conftest import store_rows


def test_new_store_holds_the_reference_graph(store):
    counts = store.counts()
    assert counts["Country"] == len(g.LAC_COUNTRY_NAMES) + 1 == 34
    assert counts["Province"] == 33  # 31 provinces, municipalities, autonomous regions + 2 SARs
    assert counts["Region"] == 4 + 6
    assert counts["Forum"] == 2
    assert counts["MEMBER_OF"] == 34
    assert counts["TWINNED_WITH"] == 0


def test_reopening_adds_nothing(tmp_path):
    path = tmp_path / "x.lbdb"
    with twinlac.open(path) as first:
        before = first.counts()
    with twinlac.open(path) as second:
        assert second.counts() == before


def test_reference_attributes(store):
    row = store.query(
        "MATCH (p:Province {id: 'CN-GX'})-[:IN_REGION]->(r:Region) RETURN p.coastal AS coastal, r.name AS region"
    ).iloc[0]
    assert bool(row["coastal"]) and row["region"] == "West"
    paraguay = store.query("MATCH (c:Country {id: 'PY'}) RETURN c.recognises_prc AS prc, c.subregion AS sub").iloc[0]
    assert paraguay["prc"] == False and paraguay["sub"] == "Southern Cone"  # noqa: E712


def test_missing_parameter_fails_instead_of_returning_nothing(store):
    with pytest.raises(QueryError, match=r"\$name"):
        store.query("MATCH (p:Province) WHERE p.name = $name RETURN p.id")


def test_parameters_by_keyword(store):
    assert store.query("MATCH (p:Province) WHERE p.name = $name RETURN p.id AS id", name="Jiangsu")["id"].tolist() == ["CN-JS"]


def test_write_needs_permission(store):
    with pytest.raises(QueryError, match="write"):
        store.query("CREATE (:Forum {id: 'f', name: 'F'})")
    store.query("CREATE (:Forum {id: 'f', name: 'F'})", write=True)
    assert store.counts()["Forum"] == 3


def test_read_only_store_refuses_writes_even_when_allowed(loaded_db):
    with twinlac.open(loaded_db, read_only=True) as ro:
        with pytest.raises(QueryError):
            ro.query("CREATE (:Forum {id: 'f', name: 'F'})", write=True)


def test_read_only_open_of_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="twinlac load"):
        twinlac.open(tmp_path / "nothing.lbdb", read_only=True)


def test_row_limit_truncates_and_says_so(loaded_store, csv_frame):
    frame = loaded_store.query("MATCH (l:Locality) RETURN l.id AS id", max_rows=7)
    assert len(frame) == 7 and frame.attrs["truncated"]
    whole = loaded_store.query("MATCH (l:Locality) RETURN l.id AS id", max_rows=None)
    cn = csv_frame[csv_frame.cn_level == "city"][["cn_province", "cn_name"]].drop_duplicates()
    lac = csv_frame[csv_frame.lac_level == "city"][["lac_country", "lac_admin1", "lac_name"]].drop_duplicates()
    assert len(whole) == len(cn) + len(lac)
    assert not whole.attrs["truncated"]


def test_timeout_stops_a_runaway_query(loaded_store):
    with pytest.raises(QueryError, match="stopped after"):
        loaded_store.query("MATCH (a)-[*1..30]-(b) RETURN count(*) AS n", timeout=0.3)


def test_unbounded_pattern_is_refused(loaded_store):
    with pytest.raises(QueryError, match="upper bound"):
        loaded_store.query("MATCH (a)-[*]-(b) RETURN count(*)")


def test_several_statements_are_refused(store):
    with pytest.raises(QueryError, match="one statement"):
        store.query("MATCH (a:Region) RETURN a.id; MATCH (b:Forum) RETURN b.id")


def test_failed_write_leaves_the_store_as_it_was(store):
    before = store.counts()
    frames = GraphFrames()
    frames.add_nodes("Locality", [{
        "id": "CN-JS:wuxi", "name": "Wuxi", "level": "city", "side": "china",
        "province": "CN-JS", "country": "CN",
    }])
    # The second tie points at a node that exists nowhere: the COPY fails mid-write.
    frames.add_rels("IN_PROVINCE", [
        {"from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Province", "to_id": "CN-JS"},
    ])
    frames.add_rels("TWINNED_WITH", [{
        "from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Locality", "to_id": "BR-SP:nowhere",
        "id": "CN-JS:wuxi~BR-SP:nowhere", "kind": "sister", "themes": [],
    }])
    with pytest.raises(StoreError, match="nothing was written"):
        store.write_frames(frames)
    assert store.counts() == before
    # The store holds no ties, so the write went to a copy of its file: the copy is gone.
    assert not store.path.with_name(store.path.name + COPY_SUFFIX).exists()


def _tie_batches() -> list[GraphFrames]:
    """Three batches: a place and a tie; the same tie from a second source, and updates of both;
    the tie from a third source."""
    from twinlac.graph.model import PropertyUpdate

    first = GraphFrames()
    first.add_nodes("Locality", [{"id": "CN-JS:wuxi", "name": "Wuxi", "level": "city", "side": "china",
                                  "province": "CN-JS", "country": "CN"}])
    first.add_rels("IN_PROVINCE", [{"from_label": "Locality", "from_id": "CN-JS:wuxi",
                                    "to_label": "Province", "to_id": "CN-JS"}])
    tie = {"from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Province", "to_id": "CN-ZJ",
           "id": "CN-JS:wuxi~CN-ZJ", "kind": "friendship", "themes": ["trade"], "sources": ["https://a.example"]}
    first.add_rels("TWINNED_WITH", [tie])
    second = GraphFrames(updates=[PropertyUpdate("TWINNED_WITH", "CN-JS:wuxi~CN-ZJ", {"year": 2005}),
                                  PropertyUpdate("Locality", "CN-JS:wuxi", {"name_zh": "无锡"})])
    second.add_rels("TWINNED_WITH", [{**tie, "sources": ["https://b.example"]}])
    third = GraphFrames()
    third.add_rels("TWINNED_WITH", [{**tie, "sources": ["https://c.example", "https://a.example"]}])
    return [first, second, third]


def _held_tie() -> GraphFrames:
    frames = GraphFrames()
    frames.add_rels("TWINNED_WITH", [{"from_label": "Province", "from_id": "CN-SH", "to_label": "Province",
                                      "to_id": "CN-BJ", "id": "CN-SH~CN-BJ", "kind": "sister", "year": 1993,
                                      "themes": ["port", "trade"], "sources": ["https://held.example"]}])
    return frames


@pytest.mark.parametrize("given_as", ["frames", "rows"])
def test_a_write_equals_one_in_a_transaction_on_every_path(tmp_path, monkeypatch, given_as):
    # A store without ties is written through a copy of its file; one holding ties, in a
    # transaction, or (many ties coming) rebuilt in a new database with what it holds; when the
    # count is known only at the end (a function), either way from the batches kept until then.
    # Batches given as rows (``GraphRows``, as a load gives them) are written as the same frames.
    from twinlac.graph import embedded

    monkeypatch.setattr(embedded, "REBUILD_MIN_TIES", 3)
    monkeypatch.setattr(embedded, "REBUILD_SCALE", 0)
    into_copy = embedded.EmbeddedStore._write_into_copy
    copied: list[bool] = []  # whether each write through a copy rebuilt the database
    monkeypatch.setattr(embedded.EmbeddedStore, "_write_into_copy", lambda self, *args, **kwargs: (
        copied.append(kwargs.get("rebuild", args[1] if len(args) > 1 else False)), into_copy(self, *args, **kwargs))[1])
    reports, ties, stores, through = {}, {}, {}, {}
    for path, held, expected in (("copy", None, None), ("transaction", _held_tie(), None),
                                 ("rebuild", _held_tie(), 3), ("kept-transaction", _held_tie(), lambda: 2),
                                 ("kept-rebuild", _held_tie(), lambda: 3)):
        with twinlac.open(tmp_path / f"{path}.lbdb") as store:
            if held is not None:
                store.write_frames(held)
            batches = _tie_batches() if given_as == "frames" else [batch.rows() for batch in _tie_batches()]
            copied.clear()
            reports[path] = store.write_batches(batches, expected_ties=expected)
            through[path] = list(copied)
            ties[path] = store.query(
                "MATCH (a:Locality)-[t:TWINNED_WITH]->(b) RETURN t.id AS id, t.year AS year, t.themes AS themes, "
                "t.sources AS sources, a.name_zh AS zh").to_dict("records")
            stores[path] = store_rows(store)
        assert not (tmp_path / f"{path}.lbdb{embedded.COPY_SUFFIX}").exists()
    assert through == {"copy": [False], "transaction": [], "rebuild": [True], "kept-transaction": [],
                       "kept-rebuild": [True]}
    assert reports["copy"] == reports["transaction"] == reports["rebuild"] == reports["kept-transaction"] \
        == reports["kept-rebuild"]
    assert (reports["copy"].ties, reports["copy"].sources_added, reports["copy"].updated) == (1, 2, 2)
    assert ties["copy"] == ties["transaction"] == ties["rebuild"] == ties["kept-transaction"] == ties["kept-rebuild"] \
        == [{
        "id": "CN-JS:wuxi~CN-ZJ", "year": 2005, "themes": ["trade"],
        "sources": ["https://a.example", "https://b.example", "https://c.example"], "zh": "无锡"}]
    # The rebuilt store holds what the store held, every property as it was, and the write.
    assert stores["rebuild"] == stores["transaction"] == stores["kept-transaction"] == stores["kept-rebuild"]
    assert ("Province", "CN-SH", "Province", "CN-BJ", "CN-SH~CN-BJ", "sister", 1993, None, None,
            ["port", "trade"], None, None, None, None, ["https://held.example"]) in stores["rebuild"]["TWINNED_WITH"]
    assert len(stores["rebuild"]["Country"]) > 30 and len(stores["rebuild"]["IN_REGION"]) > 30


@pytest.mark.parametrize("holding_a_tie", [False, True])
def test_rows_naming_a_key_twice_in_a_batch_write_its_first_row_as_frames_do(tmp_path, holding_a_tie):
    from twinlac.graph.model import GraphRows, rel_columns

    def tie(kind: str, source: str) -> tuple:
        values = {"from_label": "Province", "from_id": "CN-SH", "to_label": "Province", "to_id": "CN-GD",
                  "id": "CN-SH~CN-GD", "kind": kind, "sources": [source]}
        return tuple(values.get(column) for column in rel_columns("TWINNED_WITH"))

    rows = GraphRows(nodes={"Forum": [{"id": "forum:x", "name": "First"}, {"id": "forum:x", "name": "Second"}]},
                     rels={"TWINNED_WITH": [tie("sister", "https://a.example"), tie("friendship", "https://b.example")]})
    found = []
    for given in (rows, rows.frames()):
        with twinlac.open(tmp_path / f"{type(given).__name__}.lbdb") as store:
            if holding_a_tie:
                store.write_frames(_held_tie())
            report = store.write_batches([given])
            found.append((report.nodes, report.rels, report.sources_added, store.query_rows(
                "MATCH (f:Forum {id: 'forum:x'}), ()-[t:TWINNED_WITH {id: 'CN-SH~CN-GD'}]->() "
                "RETURN f.name, t.kind, t.sources").rows))
    assert found[0] == found[1]
    assert found[0][3] == [("First", "sister", ["https://a.example"])]
    assert found[0][1]["TWINNED_WITH"] == 1


def test_a_store_holding_a_table_of_its_users_is_never_rebuilt(tmp_path, monkeypatch):
    from twinlac.graph import embedded

    monkeypatch.setattr(embedded, "REBUILD_MIN_TIES", 1)
    monkeypatch.setattr(embedded, "REBUILD_SCALE", 0)
    with twinlac.open(tmp_path / "s.lbdb") as store:
        store.write_frames(_held_tie())
        store.query("CREATE NODE TABLE Note(id STRING, text STRING, PRIMARY KEY (id))", write=True)
        store.query("CREATE (:Note {id: 'n1', text: 'kept'})", write=True)
        store.write_batches(_tie_batches(), expected_ties=3)  # a transaction: the table stays
        assert store.query_rows("MATCH (n:Note) RETURN n.text").rows == [("kept",)]
        assert store.counts()["TWINNED_WITH"] == 2


def test_to_networkx_filters_and_counts_what_it_left_out(loaded_store, csv_frame):
    full = loaded_store.to_networkx()
    assert full.number_of_edges() == len(csv_frame)
    well = loaded_store.to_networkx(evidence=["official", "press"])
    expected = csv_frame["evidence"].isin(["official", "press"]).sum()
    assert well.number_of_edges() == expected
    assert well.graph["ties_left_out"] == len(csv_frame) - expected
    as_of = loaded_store.to_networkx(as_of=2010)
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    assert as_of.number_of_edges() == (years <= 2010).sum()
    assert as_of.graph["ties_without_year"] == years.isna().sum()


def test_to_networkx_node_and_edge_attributes(loaded_store):
    graph = loaded_store.to_networkx()
    wuxi = graph.nodes["CN-JS:wuxi"]
    assert wuxi["name"] == "Wuxi" and wuxi["province_name"] == "Jiangsu" and wuxi["region"] == "East"
    assert wuxi["coastal"] is True and wuxi["side"] == "china" and wuxi["country_name"] == "China"
    sao_paulo = graph.nodes["BR-SP:sao-paulo"]
    assert sao_paulo["region"] == "Brazil" and sao_paulo["coastal"] is None
    edge = next(iter(graph.edges(data=True)))[2]
    assert set(edge) >= {"id", "kind", "year", "date", "status", "themes", "source_url", "evidence"}


def test_to_networkx_lists_every_chinese_province(loaded_store):
    provinces = loaded_store.to_networkx(evidence=["disputed"]).graph["china_provinces"]
    assert len(provinces) == 33
    assert provinces["CN-XZ"] == {"name": "Tibet", "region": "West", "coastal": False}
    assert provinces["CN-MO"]["region"] is None and provinces["CN-MO"]["coastal"] is None


def test_property_updates_set_held_values_in_the_same_write(store):
    from twinlac.graph.model import PropertyUpdate

    frames = GraphFrames()
    frames.add_nodes("Locality", [{"id": "CN-JS:wuxi", "name": "Wuxi", "level": "city", "side": "china",
                                   "province": "CN-JS", "country": "CN"}])
    frames.add_rels("IN_PROVINCE", [{"from_label": "Locality", "from_id": "CN-JS:wuxi",
                                     "to_label": "Province", "to_id": "CN-JS"}])
    frames.add_rels("TWINNED_WITH", [{"from_label": "Locality", "from_id": "CN-JS:wuxi", "to_label": "Province",
                                      "to_id": "CN-ZJ", "id": "CN-JS:wuxi~CN-ZJ", "kind": "friendship",
                                      "themes": [], "sources": []}])
    store.write_frames(frames)
    later = GraphFrames(updates=[
        PropertyUpdate("TWINNED_WITH", "CN-JS:wuxi~CN-ZJ", {"year": 2005, "kind": "sister"}),
        PropertyUpdate("Locality", "CN-JS:wuxi", {"name_zh": "无锡"}),
        PropertyUpdate("Locality", "CN-JS:nowhere", {"name_zh": "无"}),  # held by no node: changes nothing
    ])
    assert store.write_frames(later).updated == 2
    tie = store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.year AS year, t.kind AS kind").iloc[0]
    assert (tie["year"], tie["kind"]) == (2005, "sister")
    assert store.query("MATCH (l:Locality) RETURN l.id AS id, l.name_zh AS zh").values.tolist() == [
        ["CN-JS:wuxi", "无锡"]]
    with pytest.raises(StoreError, match="cannot set id on Locality"):
        store.write_frames(GraphFrames(updates=[PropertyUpdate("Locality", "CN-JS:wuxi", {"id": "x"})]))


def test_a_load_that_fills_the_page_cache_says_how_to_give_it_more_and_writes_nothing(tmp_path, monkeypatch):
    import csv

    from twinlac.loaders import load_file

    path = tmp_path / "pairs.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2"])
        for i in range(5000):
            writer.writerow([f"Chinatown {i}", "China", f"Latintown {i}", "Brazil"])
    first = tmp_path / "first.csv"
    first.write_text("city1,country1,city2,country2\nWuxi,China,Salta,Argentina\n", encoding="utf-8")
    mapping = {"a_name": "city1", "a_country": "country1", "b_name": "city2", "b_country": "country2"}
    # A store holding a tie, with the default cache: the load below is one transaction.
    with twinlac.open(tmp_path / "small.lbdb") as store:
        load_file(store, first, mapping=mapping, source="https://example.org/first")
        before = store.counts()
    monkeypatch.setenv("TWINLAC_BUFFER_POOL_MB", "16")  # read when the database is opened
    with twinlac.open(tmp_path / "small.lbdb") as store:
        with pytest.raises(StoreError, match=r"buffer pool is full.*TWINLAC_BUFFER_POOL_MB \(now 16 MiB\)"):
            load_file(store, path, mapping=mapping, source="https://example.org/list")
    # Counted with the default cache: a query in 16 MiB just after the failed write may itself
    # find the cache full, now and then (the engine frees it as it can).
    monkeypatch.delenv("TWINLAC_BUFFER_POOL_MB")
    with twinlac.open(tmp_path / "small.lbdb", read_only=True) as store:
        assert store.counts() == before


@pytest.mark.parametrize("holding_a_tie", [False, True])
def test_a_value_its_column_cannot_hold_is_refused_on_either_path(tmp_path, holding_a_tie):
    # Without ties the write goes through a copy (Parquet files), with one through a transaction.
    with twinlac.open(tmp_path / "s.lbdb") as store:
        if holding_a_tie:
            held = GraphFrames()
            held.add_rels("TWINNED_WITH", [{"from_label": "Province", "from_id": "CN-SH", "to_label": "Province",
                                            "to_id": "CN-BJ", "id": "CN-SH~CN-BJ", "kind": "sister"}])
            store.write_frames(held)
        before = store.counts()
        frames = GraphFrames()
        frames.add_nodes("Locality", [{"id": "CN-JS:wuxi", "name": "Wuxi", "level": "city", "side": "china",
                                       "province": "CN-JS", "country": "CN", "lat": "north"}])
        with pytest.raises(StoreError, match=r"nothing was written: Conversion exception: .*north") as error:
            store.write_frames(frames)
        assert "\n" not in str(error.value)
        assert store.counts() == before


def test_released_memory_leaves_the_store_as_it_was(tmp_path):
    def resident_mb():
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) // 1024

    rows = [{"id": f"CN-JS:town-{i}", "name": f"Town {i}", "level": "city", "side": "china", "province": "CN-JS",
             "country": "CN"} for i in range(200_000)]
    frames = GraphFrames()
    frames.add_nodes("Locality", rows)
    with twinlac.open(tmp_path / "x.lbdb") as store:
        store.write_frames(frames)
        before = store_rows(store)  # every page read
        held = resident_mb()
        store.release_memory()
        assert resident_mb() < held - 20  # the pages read are given back (about 40 MB here)
        assert store_rows(store) == before
        store.write_frames(GraphFrames(nodes={"Locality": frames.nodes["Locality"].head(0)}))  # still writable
        store.query("CREATE (:Forum {id: 'test', name: 'Test'})", write=True)
        assert store.counts()["Forum"] == 3


def test_opening_again_waits_while_a_query_holds_the_store(tmp_path, monkeypatch):
    from twinlac.graph import embedded

    with twinlac.open(tmp_path / "x.lbdb") as store:
        before = store_rows(store)
        real, refused, slept = store._engine_open, [], []

        def held_twice(read_only):  # a query opened the file between the close and the open
            if len(refused) < 2:
                refused.append(read_only)
                raise RuntimeError("IO exception: Could not set lock on file : x.lbdb (Lock is held by PID 1)")
            return real(read_only)

        monkeypatch.setattr(store, "_engine_open", held_twice)
        monkeypatch.setattr(embedded.time, "sleep", slept.append)
        store.release_memory()
        assert refused == [False, False] and slept == list(embedded.RECOVERY_PAUSES[:2])
        assert store_rows(store) == before

        def broken(read_only):
            raise RuntimeError("IO exception: the file is damaged")

        monkeypatch.setattr(store, "_engine_open", broken)
        with pytest.raises(RuntimeError, match="damaged"):
            store.release_memory()
        assert len(slept) == 2  # another failure: no waiting
