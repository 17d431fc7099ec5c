"""A later source fills what a held tie or place lacks, records its source, and keeps conflicts apart."""

import csv

import pandas as pd
import pytest

from twinlac.loaders import load_file

from ..conftest import GOOD_ROW, write_rows

TIE = "CN-JS:wuxi~BR-SP:sao-paulo"
MAP = {"a_name": "city1", "a_name_zh": "zh1", "a_province": "province1", "a_country": "country1",
       "b_name": "city2", "b_province": "province2", "b_country": "country2",
       "kind": "kind", "year": "year", "date": "date", "source_url": "source"}
LATER = "https://example.org/later-list"


def _later(path, rows):
    """A pairs file from another source: Wuxi–São Paulo and what it says of the tie."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(MAP.values()))
        writer.writeheader()
        for row in rows:
            writer.writerow({"city1": "Wuxi", "province1": "Jiangsu", "country1": "China", "city2": "Sao Paulo",
                             "province2": "São Paulo", "country2": "Brazil", "source": LATER, **row})
    return path


def _tie(store):
    return store.query("MATCH ()-[t:TWINNED_WITH]->() WHERE t.id = $id RETURN t.year AS year, t.date AS date, "
                       "t.kind AS kind, t.sources AS sources, t.notes AS notes", id=TIE).iloc[0]


def _name_zh(store):
    return store.query("MATCH (l:Locality) WHERE l.id = 'CN-JS:wuxi' RETURN l.name_zh AS zh").iloc[0, 0]


@pytest.fixture
def held(store, tmp_path):
    """A store holding Wuxi–São Paulo as a friendship with no year, no date and no Chinese name."""
    bare = {**GOOD_ROW, "cn_name_zh": "", "year": "", "date": "", "kind": "friendship"}
    load_file(store, write_rows(tmp_path / "first.csv", [bare]))
    return store


def test_a_later_source_fills_year_date_kind_and_chinese_name(held, tmp_path):
    path = _later(tmp_path / "later.csv", [{"zh1": "无锡", "kind": "sister", "year": "2005", "date": "2005-06-01"}])
    report = load_file(held, path, mapping=MAP)
    assert (report.ties_added, report.enriched, report.places_enriched) == (0, 1, 1)
    assert report.conflicts == [] and report.conflicts_file is None
    tie = _tie(held)
    assert (tie["year"], tie["date"], tie["kind"]) == (2005, "2005-06-01", "sister")
    assert list(tie["sources"]) == [GOOD_ROW["source_url"], LATER]
    assert f"year, date, kind from {LATER}" in tie["notes"]
    assert _name_zh(held) == "无锡"
    again = load_file(held, path, mapping=MAP)  # the same file again: nothing left to fill
    assert (again.enriched, again.places_enriched, again.conflicts) == (0, 0, [])


def test_different_values_are_conflicts_not_overwrites(held, tmp_path):
    load_file(held, _later(tmp_path / "second.csv", [{"zh1": "无锡市", "year": "2005", "kind": "sister"}]), mapping=MAP)
    path = _later(tmp_path / "third.csv", [{"zh1": "锡城", "year": "2007", "date": "2007-03-01",
                                            "kind": "letter_of_intent"}])
    report = load_file(held, path, mapping=MAP)
    assert report.enriched == 0 and report.places_enriched == 0
    found = {(c.id, c.field, c.held, c.new, c.row) for c in report.conflicts}
    assert found == {(TIE, "year", "2005", "2007", 2), (TIE, "kind", "sister", "letter_of_intent", 2),
                     ("CN-JS:wuxi", "name_zh", "无锡市", "锡城", 2)}
    tie = _tie(held)
    assert (tie["year"], tie["kind"]) == (2005, "sister") and pd.isna(tie["date"])  # the 2007 date is not taken
    assert _name_zh(held) == "无锡市"
    assert report.conflicts_file == tmp_path / "third.csv.conflicts.csv"
    written = pd.read_csv(report.conflicts_file, dtype=str)
    assert list(written.columns) == ["id", "field", "held", "new", "row", "source"]
    assert set(written["field"]) == {"year", "kind", "name_zh"} and set(written["source"]) == {LATER}


def test_a_weaker_or_same_kind_and_a_same_chinese_name_change_nothing(held, tmp_path):
    report = load_file(held, _later(tmp_path / "l.csv", [{"kind": "friendship"}]), mapping=MAP)
    assert report.enriched == 0 and report.conflicts == []
    report = load_file(held, _later(tmp_path / "m.csv", [{"kind": "letter_of_intent"}]), mapping=MAP,
                       conflicts=tmp_path / "mine.csv")
    assert [(c.field, c.held, c.new) for c in report.conflicts] == [("kind", "friendship", "letter_of_intent")]
    assert report.conflicts_file == tmp_path / "mine.csv" and (tmp_path / "mine.csv").exists()
    assert _tie(held)["kind"] == "friendship"


def test_a_failed_load_enriches_nothing(held, tmp_path):
    path = _later(tmp_path / "later.csv", [{"zh1": "无锡", "year": "2005"}])
    with path.open("a", newline="", encoding="utf-8") as handle:  # a second, new tie
        handle.write("Suzhou,,Jiangsu,China,Recife,Pernambuco,Brazil,sister,2006,,https://example.org/x\n")
    calls = []

    def stop_on_the_second_row(phase):
        calls.append(phase)
        if calls.count("write") == 2:  # after the first batch (one row: the enrichment) was written
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_file(held, path, mapping=MAP, chunk_rows=1, on_row=stop_on_the_second_row)
    tie = _tie(held)
    assert pd.isna(tie["year"]) and tie["kind"] == "friendship" and list(tie["sources"]) == [GOOD_ROW["source_url"]]
    assert pd.isna(_name_zh(held))
    assert held.counts()["TWINNED_WITH"] == 1


@pytest.mark.parametrize("chunk_rows", [50_000, 1])  # the place in the batch being built, or in one already kept
def test_a_place_new_in_this_load_takes_a_later_rows_chinese_name(store, tmp_path, chunk_rows):
    path = _later(tmp_path / "new.csv", [{"year": "2005"}])
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["Wuxi", "无锡", "Jiangsu", "China", "Curitiba", "Paraná", "Brazil",
                                     "", "2010", "", LATER])
    report = load_file(store, path, mapping=MAP, chunk_rows=chunk_rows)
    assert report.ties_added == 2 and report.conflicts == []
    assert _name_zh(store) == "无锡"


def test_a_held_place_keeps_its_chinese_name_when_a_new_row_of_it_names_it_otherwise(store, tmp_path):
    load_file(store, write_rows(tmp_path / "first.csv", [{**GOOD_ROW, "cn_name_zh": "无锡市"}]))
    path = _later(tmp_path / "new.csv", [{"year": "2005"}])
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(["Wuxi", "锡城", "Jiangsu", "China", "Curitiba", "Paraná", "Brazil",
                                     "", "2010", "", LATER])
    report = load_file(store, path, mapping=MAP, chunk_rows=1)
    assert [(c.field, c.held, c.new) for c in report.conflicts] == [("name_zh", "无锡市", "锡城")]
    assert _name_zh(store) == "无锡市"


def test_a_held_tie_is_handed_to_the_store_only_when_a_row_adds_a_source_to_it(held, tmp_path, monkeypatch):
    handed: list[list[str]] = []
    write = held.write_batches

    def recording(batches, **kwargs):  # the store's own write, noting the ties it is given
        def noted():
            for batch in batches:
                ties = batch.frames().rels.get("TWINNED_WITH")
                handed.append([] if ties is None else ties["id"].tolist())
                yield batch
        return write(noted(), **kwargs)

    monkeypatch.setattr(held, "write_batches", recording)
    load_file(held, write_rows(tmp_path / "first.csv", [{**GOOD_ROW, "year": "", "date": "", "kind": "friendship"}]))
    assert handed == [[]]  # the same tie from its own source: nothing for the store to do
    handed.clear()
    report = load_file(held, _later(tmp_path / "later.csv", [{}]), mapping=MAP)
    assert handed == [[TIE]] and report.written.sources_added == 1
    assert list(_tie(held)["sources"]) == [GOOD_ROW["source_url"], LATER]
