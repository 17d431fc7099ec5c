"""Loading the canonical agreements format: validation, all-or-nothing, idempotence."""

import datetime as dt

import pytest

import twinlac
from twinlac.errors import LoadError
from twinlac.loaders import bundled_data_path, load_agreements, load_file, parse_file

from ..conftest import BUNDLED_CSV, GOOD_ROW, HEADER, write_rows


def test_bundled_path_is_the_data_folder():
    assert bundled_data_path().read_bytes() == BUNDLED_CSV.read_bytes()


def test_bundled_data_loads_every_row(store, csv_frame):
    report = load_agreements(store)
    assert report.rows_read == len(csv_frame)
    assert report.ties_added == len(csv_frame)
    counts = store.counts()
    assert counts["TWINNED_WITH"] == len(csv_frame)
    cn_cities = csv_frame[csv_frame.cn_level == "city"][["cn_province", "cn_name"]].drop_duplicates()
    lac_cities = csv_frame[csv_frame.lac_level == "city"][["lac_country", "lac_admin1", "lac_name"]].drop_duplicates()
    assert counts["Locality"] == len(cn_cities) + len(lac_cities)
    assert counts["IN_PROVINCE"] == counts["Locality"]
    lac_provinces = csv_frame[["lac_country", "lac_admin1"]].drop_duplicates()
    assert counts["Province"] == 33 + len(lac_provinces)


def test_loading_twice_changes_nothing(store):
    load_agreements(store)
    before = store.counts()
    again = load_agreements(store)
    assert again.ties_added == 0 and again.ties_already_present == again.rows_read
    assert store.counts() == before


def test_ties_carry_the_row_fields(store, tmp_path):
    path = write_rows(tmp_path / "one.csv", [{**GOOD_ROW, "notes": "a note"}])
    load_agreements(store, path)
    tie = store.query(
        "MATCH (a:Locality)-[t:TWINNED_WITH]->(b:Locality) RETURN a.id AS a, b.id AS b, t.kind AS kind, "
        "t.year AS year, t.date AS date, t.status AS status, t.evidence AS evidence, "
        "t.source_url AS url, t.notes AS notes, a.name_zh AS zh"
    ).iloc[0].to_dict()
    assert tie == {
        "a": "CN-JS:wuxi", "b": "BR-SP:sao-paulo", "kind": "sister", "year": 2005, "date": "2005-06-01",
        "status": "active", "evidence": "official", "url": "https://example.org/wuxi-sao-paulo",
        "notes": "a note", "zh": "无锡",
    }


def test_themes_column_is_optional_and_split_on_semicolons(store, tmp_path):
    path = write_rows(tmp_path / "themes.csv", [{**GOOD_ROW, "themes": "culture; trade ;"}], HEADER + ["themes"])
    load_agreements(store, path)
    assert store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.themes AS t").iloc[0, 0] == ["culture", "trade"]


def test_province_level_parties_are_province_nodes(store, tmp_path):
    row = {**GOOD_ROW, "cn_name": "Jiangsu", "cn_level": "province", "lac_name": "São Paulo",
           "lac_level": "province"}
    load_agreements(store, write_rows(tmp_path / "p.csv", [row]))
    ends = store.query("MATCH (a:Province)-[t:TWINNED_WITH]->(b:Province) RETURN a.id AS a, b.id AS b")
    assert ends.values.tolist() == [["CN-JS", "BR-SP"]]


def test_year_is_taken_from_the_date_when_missing(store, tmp_path):
    load_agreements(store, write_rows(tmp_path / "d.csv", [{**GOOD_ROW, "year": "", "date": "2011-10"}]))
    assert store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.year AS y").iloc[0, 0] == 2011


def _errors(tmp_path, rows, header=HEADER):
    path = write_rows(tmp_path / "bad.csv", rows, header)
    with pytest.raises(LoadError) as info:
        parse_file(path, today=dt.date(2026, 11, 29))
    return [str(issue) for issue in info.value.issues]


@pytest.mark.parametrize("field,value,message", [
    ("kind", "sisters", "unknown kind 'sisters'"),
    ("cn_level", "county", "unknown level 'county'"),
    ("status", "maybe", "unknown status"),
    ("evidence", "rumour", "unknown evidence grade"),
    ("year", "2031", "2031 is in the future"),
    ("year", "1948", "before 1949"),
    ("year", "20x5", "not a year"),
    ("date", "2005-13-01", "no such date"),
    ("date", "05/06/2005", "not an ISO date"),
    ("source_url", "javascript:alert(1)", "not an http(s) URL"),
    ("source_url", "", "is empty"),
    ("cn_province", "Atlantis", "cannot resolve"),
    ("lac_country", "Spain", "not a CELAC member"),
    ("lac_admin1", "Atlantis", "cannot resolve 'Atlantis'"),
])
def test_a_bad_field_is_named_with_file_and_row(tmp_path, field, value, message):
    errors = _errors(tmp_path, [GOOD_ROW, {**GOOD_ROW, "lac_name": "Campinas", "date": "", field: value}])
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path / 'bad.csv'}, row 3, field {field!r}: ")
    assert message in errors[0]


def test_date_must_fall_in_the_year(tmp_path):
    errors = _errors(tmp_path, [{**GOOD_ROW, "year": "2005", "date": "2004-06-01"}])
    assert errors == [f"{tmp_path / 'bad.csv'}, row 2, field 'date': 2004-06-01 does not fall in the row's year 2005"]
    errors = _errors(tmp_path, [{**GOOD_ROW, "year": "", "date": "1890-01-01"}])
    assert errors == [f"{tmp_path / 'bad.csv'}, row 2, field 'date': 1890-01-01 is outside 1900–2026"]


def test_party_twinned_with_itself(tmp_path):
    errors = _errors(tmp_path, [{**GOOD_ROW, "cn_name": "Wuxi", "lac_name": "Wuxi", "lac_country": "China",
                                 "lac_admin1": "Jiangsu"}])
    assert any("not a CELAC member" in e for e in errors)


def test_unresolved_place_lists_candidates(tmp_path):
    errors = _errors(tmp_path, [{**GOOD_ROW, "lac_admin1": "Sao Paolo State X"}])
    assert "closest:" in errors[0] and "São Paulo" in errors[0]


def test_every_error_is_listed(tmp_path):
    rows = [{**GOOD_ROW, "kind": "x"}, {**GOOD_ROW, "lac_name": "Santos", "year": "3000"}, GOOD_ROW]
    errors = _errors(tmp_path, rows)
    assert [e.split(":")[0].rsplit(", ", 2)[1] for e in errors] == ["row 2", "row 3"]


def test_duplicate_pair_names_the_first_row(tmp_path):
    errors = _errors(tmp_path, [GOOD_ROW, {**GOOD_ROW, "lac_name": "Sao Paulo", "kind": "friendship"}])
    assert "row 3" in errors[0] and "same pair of parties as row 2" in errors[0]


def test_missing_columns_are_each_reported(tmp_path):
    header = [h for h in HEADER if h not in ("kind", "evidence")]
    errors = _errors(tmp_path, [GOOD_ROW], header)
    assert errors == [
        f"{tmp_path / 'bad.csv'}, row 1, field 'kind': required column is missing",
        f"{tmp_path / 'bad.csv'}, row 1, field 'evidence': required column is missing",
    ]


def test_empty_file_and_header_only(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(LoadError, match="empty"):
        parse_file(empty)
    with pytest.raises(LoadError, match="no rows"):
        parse_file(write_rows(tmp_path / "header.csv", []))


def test_bom_is_accepted_and_latin1_is_a_clear_error(tmp_path, csv_frame):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + BUNDLED_CSV.read_bytes())
    assert parse_file(bom).rows_read == len(csv_frame)
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(HEADER).encode() + b"\n" + "Wuxi,,city,Jiangsu,São Paulo".encode("latin-1") + b"\n")
    with pytest.raises(LoadError, match=r"latin.csv, row 2: not UTF-8"):
        parse_file(latin)


def test_failed_load_writes_nothing(store, tmp_path):
    load_agreements(store, write_rows(tmp_path / "good.csv", [GOOD_ROW]))
    before = store.counts()
    bad = write_rows(tmp_path / "bad.csv", [{**GOOD_ROW, "lac_name": "Santos"}, {**GOOD_ROW, "lac_name": "Campinas", "kind": "?"}])
    with pytest.raises(LoadError):
        load_agreements(store, bad)
    assert store.counts() == before


def test_load_through_the_public_api(tmp_path):
    with twinlac.open(tmp_path / "api.lbdb") as opened:
        report = twinlac.load_agreements(opened, write_rows(tmp_path / "one.csv", [GOOD_ROW]))
    assert report.ties_added == 1


def test_a_held_pair_named_twice_names_the_first_row_of_the_file(store, tmp_path):
    load_file(store, write_rows(tmp_path / "first.csv", [GOOD_ROW]))
    again = write_rows(tmp_path / "again.csv", [{**GOOD_ROW, "lac_name": "Campinas"}, GOOD_ROW,
                                                {**GOOD_ROW, "lac_name": "Sao Paulo", "kind": "friendship"}])
    with pytest.raises(LoadError) as refused:
        load_file(store, again)
    assert [(i.row, i.message.split(" (")[0]) for i in refused.value.issues] == [
        (4, "same pair of parties as row 3")]
