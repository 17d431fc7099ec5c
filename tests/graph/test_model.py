"""The graph rows as Arrow tables (``GraphRows.tables``, ``arrow_table``), against rows written by hand."""

import math

import pandas as pd
import pytest

from twinlac.graph.model import GraphRows, arrow_schema, arrow_table, rel_columns

TIE = ("Locality", "CN-JS:wuxi", "Locality", "BR-SP:campinas", "CN-JS:wuxi~BR-SP:campinas", "sister", 2004, None,
       "active", [], "https://example.org/a", None, "press", None, ["https://example.org/a"])


def test_rows_become_tables_of_the_schema_with_the_same_values():
    ties = [TIE, (*TIE[:9], ["trade", "culture"], *TIE[10:14], [])]
    places = [{"id": "BR-SP:campinas", "name": "Campinas", "country": "BR", "lat": -22.9}, {"id": "CN-JS:wuxi"}]
    tables = GraphRows(nodes={"Locality": places, "Forum": []}, rels={"TWINNED_WITH": ties}).tables()
    assert set(tables.nodes) == {"Locality"}  # a table with no row is left out
    assert tables.rels["TWINNED_WITH"].schema == arrow_schema("TWINNED_WITH")
    columns = rel_columns("TWINNED_WITH")
    assert tables.rels["TWINNED_WITH"].to_pylist() == [dict(zip(columns, tie, strict=True)) for tie in ties]
    localities = tables.nodes["Locality"].to_pylist()
    assert localities[0]["lat"] == -22.9 and localities[0]["name_zh"] is None  # a missing key: None
    assert localities[1] == dict.fromkeys(localities[1], None) | {"id": "CN-JS:wuxi"}


def test_every_empty_list_and_missing_values_of_a_frame():
    themes = arrow_table("TWINNED_WITH", [[value] * 3 for value in TIE]).column("themes")
    assert themes.to_pylist() == [[], [], []] and str(themes.type) == "list<item: string>"
    # pandas' missing values are nulls, in a string column as in a number column
    table = arrow_table("Locality", [["a", "b"], [math.nan, pd.NA], [None, None], ["city", "city"], ["lac", "lac"],
                                     ["BR-SP", None], ["BR", "BR"], [math.nan, 1.5], [None, 2.0], [None, None],
                                     [None, None]])
    assert table.column("name").to_pylist() == [None, None] and table.column("lat").to_pylist() == [None, 1.5]


def test_a_value_its_column_cannot_hold_is_an_error_naming_the_table():
    with pytest.raises(RuntimeError, match="Conversion exception: IN_PROVINCE"):
        arrow_table("IN_PROVINCE", [["Locality"], [3], ["Province"], ["BR-SP"]])
