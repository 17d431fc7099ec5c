"""Named queries against the bundled data; expected numbers computed from the CSV with pandas."""

import pandas as pd
import pytest

from twinlac.errors import QueryError
from twinlac.graph import groupings as g
from twinlac.queries import get_query, list_queries, parse_value, run_named

NAMES = ["agreements_by_country", "agreements_by_level_and_kind", "agreements_by_year",
         "place_ties", "province_agreements", "ties_in_year_range", "top_chinese_provinces"]


def test_the_named_queries_exist_and_document_themselves():
    queries = list_queries()
    assert [q.name for q in queries] == NAMES
    for q in queries:
        assert q.title and q.question and q.cypher.lstrip().startswith("//")


def test_agreements_by_country(loaded_store, csv_frame):
    result = run_named(loaded_store, "agreements_by_country").set_index("country")
    expected = csv_frame["lac_country"].value_counts()
    assert result["agreements"].to_dict() == expected.to_dict()
    kinds = pd.crosstab(csv_frame["lac_country"], csv_frame["kind"])
    for kind in ("sister", "friendship", "letter_of_intent"):
        assert result[kind].to_dict() == kinds[kind].to_dict()
    assert result["agreements"].is_monotonic_decreasing


def test_agreements_by_level_and_kind(loaded_store, csv_frame):
    result = run_named(loaded_store, "agreements_by_level_and_kind")
    got = {(r.china_level, r.lac_level, r.kind): r.agreements for r in result.itertuples()}
    expected = csv_frame.groupby(["cn_level", "lac_level", "kind"]).size().to_dict()
    assert got == expected


def test_top_chinese_provinces_default_and_parameter(loaded_store, csv_frame):
    expected = csv_frame["cn_province"].value_counts()
    top = run_named(loaded_store, "top_chinese_provinces")
    assert len(top) == 10
    assert top["ties"].tolist() == expected.head(10).tolist()
    assert top.iloc[0]["province"] == expected.index[0]
    assert len(run_named(loaded_store, "top_chinese_provinces", top=3)) == 3
    everything = run_named(loaded_store, "top_chinese_provinces", top=100).set_index("province")
    assert everything["ties"].to_dict() == expected.to_dict()
    coastal = {g.CHINESE_PROVINCE_NAMES[c] for c in g.COASTAL}
    assert all(bool(row.coastal) == (name in coastal) for name, row in everything.iterrows())


@pytest.mark.parametrize("province", ["Jiangsu", "jiangsu", "CN-JS"])
def test_province_agreements_of_a_chinese_province(loaded_store, csv_frame, province):
    result = run_named(loaded_store, "province_agreements", province=province)
    assert len(result) == (csv_frame["cn_province"] == "Jiangsu").sum()


def test_province_agreements_are_in_year_order_undated_last(loaded_store):
    years = run_named(loaded_store, "province_agreements", province="Guangdong")["year"]
    assert years.astype("float").fillna(float("inf")).is_monotonic_increasing
    assert years.isna().any() and years.notna().any()


def test_province_agreements_of_a_lac_province(loaded_store, csv_frame):
    result = run_named(loaded_store, "province_agreements", province="São Paulo")
    expected = csv_frame[(csv_frame.lac_country == "Brazil") & (csv_frame.lac_admin1 == "São Paulo")]
    assert len(result) == len(expected)
    assert set(result["partner_country"]) == {"China"}


def test_ties_in_year_range(loaded_store, csv_frame):
    result = run_named(loaded_store, "ties_in_year_range", from_year=2015, to_year=2021)
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    assert len(result) == ((years >= 2015) & (years <= 2021)).sum()
    assert result["year"].between(2015, 2021).all() and result["year"].is_monotonic_increasing


def test_agreements_by_year(loaded_store, csv_frame):
    result = run_named(loaded_store, "agreements_by_year").set_index("year")
    dated = csv_frame[csv_frame["year"] != ""]
    assert result["agreements"].to_dict() == dated["year"].astype(int).value_counts().to_dict()


def test_missing_and_unknown_parameters_are_refused():
    query = get_query("province_agreements")
    with pytest.raises(QueryError, match="needs --param province"):
        query.bind({})
    with pytest.raises(QueryError, match="has no parameter provnce"):
        query.bind({"provnce": "Jiangsu"})


def test_unknown_query_lists_the_names():
    with pytest.raises(QueryError, match="agreements_by_country"):
        get_query("nope")


def test_parse_value():
    assert parse_value("2015") == 2015 and parse_value("Jiangsu") == "Jiangsu"
    assert parse_value("true") is True and parse_value('"2015"') == "2015"


def test_named_queries_ignore_ties_outside_china_lac(store, tmp_path, csv_frame):
    import csv as _csv

    from twinlac.loaders import load_file

    load_file(store)
    path = tmp_path / "world.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = _csv.writer(handle)
        writer.writerow(["c1", "k1", "c2", "k2", "year"])
        writer.writerows([["Osaka", "Japan", "São Paulo", "Brazil", "2001"],
                          ["Lyon", "France", "Madrid", "Spain", "2001"]])
    load_file(store, path,
              mapping={"a_name": "c1", "a_country": "k1", "b_name": "c2", "b_country": "k2", "year": "year"},
              source="https://example.org/x")
    by_country = run_named(store, "agreements_by_country").set_index("country")["agreements"]
    assert by_country["Brazil"] == (csv_frame.lac_country == "Brazil").sum()
    levels = run_named(store, "agreements_by_level_and_kind")["agreements"].sum()
    assert levels == len(csv_frame)
    years = run_named(store, "agreements_by_year").set_index("year")["agreements"]
    assert years.get(2001, 0) == (csv_frame.year == "2001").sum()
    sao_paulo = run_named(store, "province_agreements", province="São Paulo")
    assert set(sao_paulo["partner_country"]) == {"China"}
