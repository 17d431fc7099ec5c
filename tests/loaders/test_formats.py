"""Pairs files, XLSX, JSON and Wikidata results; skip-invalid; second sources; any country pair."""

import csv
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinlac
from twinlac.errors import LoadError, TwinlacError
from twinlac.loaders import load_file, parse_file
from twinlac.loaders.names import locality_key
from twinlac.loaders.wikidata import query_text

from ..conftest import BUNDLED_CSV, GOOD_ROW, write_rows

PAIRS_MAP = {"a_name": "city1", "a_country": "country1", "b_name": "city2", "b_country": "country2"}
SOURCE = "https://example.org/world-list"


def _pairs(path, rows, header=("city1", "country1", "city2", "country2")):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_canonical_xlsx_and_json_load_like_the_csv(tmp_path, csv_frame):
    xlsx, as_json = tmp_path / "a.xlsx", tmp_path / "a.json"
    csv_frame.to_excel(xlsx, index=False)
    as_json.write_text(json.dumps(csv_frame.to_dict("records"), ensure_ascii=False), encoding="utf-8")
    from_csv = parse_file(BUNDLED_CSV).frames.rels["TWINNED_WITH"]
    for path in (xlsx, as_json):
        ties = parse_file(path).frames.rels["TWINNED_WITH"]
        assert ties.drop(columns=["sources"]).equals(from_csv.drop(columns=["sources"])), path.suffix


def test_pairs_file_with_map_and_any_country(store, tmp_path):
    path = _pairs(tmp_path / "world.csv", [
        ["Wuxi", "China", "São Paulo", "Brazil"],
        ["Lyon", "France", "Beijing", "People's Republic of China"],
        ["Lyon", "France", "Montréal", "Canada"],
    ])
    report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert (report.format, report.rows_read, report.ties_added) == ("pairs", 3, 3)
    ties = store.query("MATCH (a)-[t:TWINNED_WITH]->(b) RETURN a.id AS from_id, b.id AS to_id, t.kind AS kind, "
                       "t.evidence AS evidence, t.source_url AS src ORDER BY from_id, to_id")
    # Chinese party first; between two other countries, in id order. Beijing is the province-level
    # municipality; Wuxi and São Paulo get their province from the gazetteer (issue 10).
    assert ties[["from_id", "to_id"]].values.tolist() == [["CA:montreal", "FR:lyon"], ["CN-BJ", "FR:lyon"],
                                               ["CN-JS:wuxi", "BR-SP:sao-paulo"]]
    assert set(ties["kind"]) == {"sister"} and set(ties["evidence"]) == {"weak"} and set(ties["src"]) == {SOURCE}
    sides = store.query("MATCH (c:Country) WHERE c.id IN ['FR', 'CA'] RETURN c.side AS side")
    assert set(sides["side"]) == {"other"}


def test_pairs_map_errors_are_clear(store, tmp_path):
    path = _pairs(tmp_path / "p.csv", [["Wuxi", "China", "Santos", "Brazil"]])
    with pytest.raises(TwinlacError, match="needs a source"):
        load_file(store, path, mapping=PAIRS_MAP)
    with pytest.raises(TwinlacError, match="map b_country"):
        load_file(store, path, mapping={k: v for k, v in PAIRS_MAP.items() if k != "b_country"}, source=SOURCE)
    with pytest.raises(TwinlacError, match="unknown field"):
        load_file(store, path, mapping={**PAIRS_MAP, "b_town": "x"}, source=SOURCE)
    with pytest.raises(LoadError, match="field 'town2': required column is missing"):
        load_file(store, path, mapping={**PAIRS_MAP, "b_name": "town2"}, source=SOURCE)
    with pytest.raises(LoadError, match="--map"):
        load_file(store, path)  # not canonical, no mapping


def test_spellings_of_one_place_merge_different_places_do_not(store, tmp_path):
    load_agreements_rows = [
        {**GOOD_ROW, "cn_name": "Xi'an", "cn_province": "Shaanxi", "lac_name": "Campinas"},
        {**GOOD_ROW, "cn_name": "Binhu (Wuxi)", "lac_name": "Santos"},
    ]
    load_file(store, write_rows(tmp_path / "one.csv", load_agreements_rows))
    second = [
        {**GOOD_ROW, "cn_name": "Xian", "cn_province": "Shaanxi", "lac_name": "Sorocaba"},
        {**GOOD_ROW, "cn_name": "Wuxi – Binhu", "lac_name": "Jundiaí"},
        # Same name, other province: a different place.
        {**GOOD_ROW, "cn_name": "Xian", "cn_province": "Jiangsu", "lac_name": "Osasco"},
    ]
    report = load_file(store, write_rows(tmp_path / "two.csv", second))
    localities = store.query("MATCH (l:Locality) WHERE l.side = 'china' RETURN l.id AS id ORDER BY id")["id"].tolist()
    assert localities == ["CN-JS:binhu-wuxi", "CN-JS:xian", "CN-SN:xi-an"]
    assert report.ties_added == 3


def test_pairs_without_province_reuse_a_known_locality(store, tmp_path):
    load_file(store, write_rows(tmp_path / "c.csv", [GOOD_ROW]))
    path = _pairs(tmp_path / "p.csv", [["Wuxi", "China", "Sao Paulo", "Brasil"]])
    report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert report.ties_added == 0  # the same agreement: Wuxi (Jiangsu) – São Paulo (SP)
    assert report.written.sources_added == 1
    sources = store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.sources AS s").iloc[0, 0]
    assert sources == [GOOD_ROW["source_url"], SOURCE]


def test_second_load_of_same_source_adds_no_source(store, tmp_path):
    path = write_rows(tmp_path / "c.csv", [GOOD_ROW])
    load_file(store, path)
    again = load_file(store, path)
    assert again.written.sources_added == 0 and again.ties_added == 0


def test_skip_invalid_writes_good_rows_and_a_rejects_file(store, tmp_path):
    rows = [GOOD_ROW, {**GOOD_ROW, "lac_name": "Santos", "kind": "twin"}, {**GOOD_ROW, "lac_name": "Campinas"},
            {**GOOD_ROW, "lac_name": "Campinas", "year": "2099"}]
    path = write_rows(tmp_path / "mixed.csv", rows)
    with pytest.raises(LoadError):
        load_file(store, path)
    report = load_file(store, path, skip_invalid=True)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected, report.ties_added) == (4, 2, 2, 2)
    rejects = pd.read_csv(report.rejects_file, dtype=str)
    assert rejects["row"].tolist() == ["3", "5"]
    assert rejects["reason"].tolist()[0] == "kind: unknown kind 'twin' (expected one of sister, friendship, letter_of_intent)"
    assert rejects["lac_name"].tolist() == ["Santos", "Campinas"]


def _binding(item, label, cc, coord, twin, twin_label, twin_cc, start=None):
    """One row of a Wikidata SPARQL result (``query_text``'s variables)."""
    row = {
        "item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{item}"},
        "itemLabel": {"type": "literal", "value": label},
        "itemCountryCode": {"type": "literal", "value": cc},
        "twin": {"type": "uri", "value": f"http://www.wikidata.org/entity/{twin}"},
        "twinLabel": {"type": "literal", "value": twin_label},
        "twinCountryCode": {"type": "literal", "value": twin_cc},
    }
    if coord:
        row["itemCoord"] = {"type": "literal", "value": coord}
    if start:
        row["start"] = {"type": "literal", "value": start}
    return row


def _wikidata_file(path, bindings):
    result = {"head": {"vars": ["item", "itemLabel", "itemCountryCode", "itemCoord", "twin", "twinLabel",
                                "twinCountryCode", "twinCoord", "start"]},
              "results": {"bindings": bindings}}
    path.write_text(json.dumps(result), encoding="utf-8")
    return path


WUXI_SAO_PAULO = _binding("Q42705", "Wuxi", "CN", "Point(120.288 31.569)", "Q174", "São Paulo", "BR",
                          "2005-06-01T00:00:00Z")
# The same twinning stated on the other item: merged, not an error.
SAO_PAULO_WUXI = _binding("Q174", "São Paulo", "BR", None, "Q42705", "Wuxi", "CN")
WUXI_CUENCA = _binding("Q42705", "Wuxi", "CN", None, "Q2868", "Cuenca", "EC")
BOTH_SOURCES = ["https://www.wikidata.org/wiki/Q42705", "https://www.wikidata.org/wiki/Q174"]


def _wuxi_sao_paulo(store):
    return store.query("MATCH (a {id: 'CN-JS:wuxi'})-[t:TWINNED_WITH]->(b {id: 'BR-SP:sao-paulo'}) "
                       "RETURN t.date AS date, t.year AS year, t.evidence AS ev, t.sources AS s, a.lat AS lat, "
                       "a.wikidata AS q").iloc[0]


def test_wikidata_result(store, tmp_path):
    path = _wikidata_file(tmp_path / "query.json", [WUXI_SAO_PAULO, SAO_PAULO_WUXI, WUXI_CUENCA])
    report = load_file(store, path)
    assert (report.format, report.rows_read, report.ties_added, report.duplicates_merged) == ("wikidata", 3, 2, 1)
    tie = _wuxi_sao_paulo(store)
    assert (tie["date"], tie["year"], tie["ev"], tie["lat"], tie["q"]) == ("2005-06-01", 2005, "wikipedia", 31.569, "Q42705")
    assert tie["s"] == BOTH_SOURCES
    assert "P190" in query_text() and "pq:P580" in query_text()


@pytest.mark.parametrize("chunk_rows", [1, 50_000])
def test_a_duplicate_row_adds_its_source_after_its_first_rows_batch_and_to_a_held_tie(store, tmp_path, chunk_rows):
    # Batches of one row: the duplicate comes once the first row's batch is taken.
    path = _wikidata_file(tmp_path / "query.json", [WUXI_SAO_PAULO, WUXI_CUENCA, SAO_PAULO_WUXI])
    report = load_file(store, path, chunk_rows=chunk_rows)
    assert (report.ties_added, report.duplicates_merged, _wuxi_sao_paulo(store)["s"]) == (2, 1, BOTH_SOURCES)

    # Held already from its first source: the first row adds nothing, the duplicate its own source.
    with twinlac.open(tmp_path / "held.lbdb") as held:
        load_file(held, _wikidata_file(tmp_path / "first.json", [WUXI_SAO_PAULO]))
        report = load_file(held, path, chunk_rows=chunk_rows)
        assert (report.ties_added, report.written.sources_added, report.duplicates_merged) == (1, 1, 1)
        assert _wuxi_sao_paulo(held)["s"] == BOTH_SOURCES


def test_failed_pairs_load_leaves_the_store_as_it_was(store, tmp_path):
    before = store.counts()
    path = _pairs(tmp_path / "p.csv", [["Wuxi", "China", "Santos", "Brazil"], ["Lyon", "Atlantis", "Kyoto", "Japan"]])
    with pytest.raises(LoadError, match="row 3, field 'country1'"):
        load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert store.counts() == before


@pytest.mark.slow
def test_chunked_write_equals_single_batch(tmp_path, csv_frame):
    with twinlac.open(tmp_path / "a.lbdb") as one, twinlac.open(tmp_path / "b.lbdb") as many:
        load_file(one, BUNDLED_CSV)
        load_file(many, BUNDLED_CSV, chunk_rows=7)
        assert one.counts() == many.counts()
        assert one.ties().equals(many.ties())


_names = st.sampled_from(["Wuxi", "Santos", "Lyon", "", "Xi'an", "São Paulo", "Atlantis"])
_countries = st.sampled_from(["China", "Brazil", "France", "Atlantis", "", "BR", "México"])


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_names, _countries, _names, _countries), min_size=1, max_size=12))
def test_loaded_plus_rejected_equals_read(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("prop")
    path = _pairs(folder / "p.csv", [list(r) for r in rows])
    # Rows that are blank in every cell are not rows; the reader skips them.
    expected_read = sum(1 for r in rows if any(c for c in r))
    if expected_read == 0:
        return
    with twinlac.open(folder / "p.lbdb") as opened:
        report = load_file(opened, path, mapping=PAIRS_MAP, source=SOURCE, skip_invalid=True)
        assert report.rows_read == expected_read
        assert report.rows_loaded + report.rows_rejected == report.rows_read
        assert opened.counts()["TWINNED_WITH"] == report.ties_added
        if report.rejects_file:
            assert len(pd.read_csv(report.rejects_file)) == report.rows_rejected


@given(st.sampled_from(["Xi'an", "Binhu (Wuxi)", "São Paulo", "Ciudad de México"]), st.data())
def test_locality_key_ignores_case_accents_and_order(name, data):
    variant = data.draw(st.sampled_from([name.upper(), name.lower(), name.replace("'", ""), f" {name} "]))
    assert locality_key(variant) == locality_key(name)


def test_analyses_see_china_lac_by_default_and_count_the_rest(store, tmp_path):
    path = _pairs(tmp_path / "w.csv", [["Wuxi", "China", "Santos", "Brazil"], ["Lyon", "France", "Montréal", "Canada"],
                                     ["Lyon", "France", "Beijing", "China"]])
    load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    china_lac = store.to_networkx()
    assert china_lac.number_of_edges() == 1 and china_lac.graph["ties_left_out"] == 2
    assert store.to_networkx(scope="all").number_of_edges() == 3


@pytest.mark.parametrize("chunk", [3, 4, 5, 1 << 20])
def test_encoding_is_checked_in_chunks_with_the_right_line(tmp_path, monkeypatch, chunk):
    from twinlac.loaders import readers

    monkeypatch.setattr(readers, "_CHUNK", chunk)
    good = tmp_path / "good.csv"
    good.write_bytes("a,b\nSão,Paulo\n\u00e3\u00e3\u00e3,x\n".encode())
    readers.check_utf8(good)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("a,b\n\u00e3o,1\n".encode() + b"S\xe3o,2\n")
    with pytest.raises(LoadError, match=r"bad.csv, row 3: not UTF-8 \(byte 0xe3 on line 3\); it looks like Latin-1"):
        readers.check_utf8(bad)
