"""The place_ties named query against the bundled data; expected numbers from the CSV with pandas."""

import pytest

from twinlac.queries import run_named


def test_ties_of_one_city(loaded_store, csv_frame):
    result = run_named(loaded_store, "place_ties", place="Wuxi")
    expected = csv_frame[(csv_frame["cn_name"] == "Wuxi") & (csv_frame["cn_level"] == "city")]
    assert len(result) == len(expected)
    assert sorted(result["partner"]) == sorted(expected["lac_name"])
    assert set(result["place_id"]) == {"CN-JS:wuxi"}


@pytest.mark.parametrize("place", ["Jiangsu", "jiangsu", "CN-JS", "cn-js"])
def test_ties_of_a_province_include_its_cities(loaded_store, csv_frame, place):
    result = run_named(loaded_store, "place_ties", place=place)
    assert len(result) == (csv_frame["cn_province"] == "Jiangsu").sum()
    assert set(result["partner_country"]) <= set(csv_frame["lac_country"])


def test_ties_of_a_lac_place_by_id(loaded_store, csv_frame):
    city = run_named(loaded_store, "place_ties", place="BR-SP:sao-paulo")
    expected = csv_frame[(csv_frame["lac_name"] == "São Paulo") & (csv_frame["lac_level"] == "city")]
    assert len(city) == len(expected) and set(city["partner_country"]) == {"China"}
    state = run_named(loaded_store, "place_ties", place="BR-SP")
    assert len(state) == ((csv_frame["lac_country"] == "Brazil") & (csv_frame["lac_admin1"] == "São Paulo")).sum()


def test_a_name_shared_by_a_city_and_its_province_returns_both(loaded_store):
    both = run_named(loaded_store, "place_ties", place="São Paulo")
    city = run_named(loaded_store, "place_ties", place="BR-SP:sao-paulo")
    state = run_named(loaded_store, "place_ties", place="BR-SP")
    assert set(both["place_id"]) == {"BR-SP", "BR-SP:sao-paulo"} and len(both) == len(city) + len(state)


def test_unknown_place_returns_nothing(loaded_store):
    assert run_named(loaded_store, "place_ties", place="Atlantis").empty


def test_oldest_first_undated_last(loaded_store):
    years = run_named(loaded_store, "place_ties", place="Guangdong")["year"]
    assert years.astype("float").fillna(float("inf")).is_monotonic_increasing
