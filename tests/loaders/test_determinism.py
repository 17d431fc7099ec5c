"""The same file loaded twice, in any order relative to other files, gives the same nodes and ties,
whichever spelling of a place comes first."""

import csv
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinlac
from twinlac.loaders import load_file
from twinlac.loaders.records import locality_identity

MAP = {"a_name": "city1", "a_province": "province1", "a_country": "country1",
       "b_name": "city2", "b_province": "province2", "b_country": "country2"}
SOURCE = "https://example.org/list"

#: (country, province as written, expected node id) -> spellings of that one place: case, accents,
#: apostrophes, word order, alternate names, typos within the fuzzy threshold.
CHINESE = {
    ("China", "Jiangsu", "CN-JS:wuxi"): ["Wuxi", "WUXI", "Wúxī"],
    ("China", "Jiangsu", "CN-JS:binhu-wuxi"): ["Binhu (Wuxi)", "Wuxi – Binhu", "binhu (wuxi)"],
    ("China", "Shaanxi", "CN-SN:xi-an"): ["Xi'an", "Xian", "Xī'ān", "XI'AN"],
    ("China", "Guangdong", "CN-GD:guangzhou"): ["Guangzhou", "Guangzho", "Guangzhouu", "GUANGZHOU"],
    ("China", "Guangdong", "CN-GD:shenzhen"): ["Shenzhen", "Shenzen"],
}
LATIN = {
    ("Cuba", "La Habana", "CU-03:la-habana"): ["La Habana", "Havana", "Habana", "LA HABANA"],
    ("Brazil", "Pernambuco", "BR-PE:recife"): ["Recife", "Reciffe", "RECIFE"],
    ("Brazil", "Paraná", "BR-PR:curitiba"): ["Curitiba", "Curitibba"],
    ("Mexico", "Jalisco", "MX-JAL:guadalajara"): ["Guadalajara", "Guadalajarra", "guadalajara"],
    ("Mexico", "Ciudad de México", "MX-CMX:ciudad-de-mexico"): ["Ciudad de México", "Mexico City"],
    ("Brazil", "São Paulo", "BR-SP:nowhereville-do-sul"): ["Nowhereville do Sul", "NOWHEREVILLE DO SUL"],
}


def _write(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "province1", "country1", "city2", "province2", "country2"])
        writer.writerows(rows)
    return path


def _graph(store):
    """Every locality id and every tie id the store holds."""
    places = store.query("MATCH (l:Locality) RETURN l.id AS id ORDER BY id", max_rows=None)["id"].tolist()
    ties = store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id ORDER BY id", max_rows=None)["id"].tolist()
    return places, ties


def _load(store, path):
    return load_file(store, path, mapping=MAP, source=SOURCE)


def _rows(picks):
    """Rows and the node and tie ids they must give, worked out from the tables above."""
    rows, ties = [], set()
    for (cn_key, cn_spelling), (lac_key, lac_spelling) in picks:
        rows.append([CHINESE[cn_key][cn_spelling], cn_key[1], cn_key[0],
                     LATIN[lac_key][lac_spelling], lac_key[1], lac_key[0]])
        ties.add(f"{cn_key[2]}~{lac_key[2]}")
    return rows, ties


def test_every_spelling_of_a_place_gives_one_id():
    from twinlac.loaders.resolve import resolve_country, resolve_province

    for table in (CHINESE, LATIN):
        for (country, province, expected), spellings in table.items():
            code = resolve_country(country).code
            division = resolve_province(province, code).code
            assert {locality_identity(s, code, division).id for s in spellings} == {expected}


def _spelling(table):
    return st.sampled_from(sorted(table)).flatmap(
        lambda key: st.tuples(st.just(key), st.integers(0, len(table[key]) - 1)))


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(_spelling(CHINESE), _spelling(LATIN)), min_size=2, max_size=14,
                unique_by=lambda pick: (pick[0][0], pick[1][0])),  # a pairs file states each pair once
       st.randoms())
def test_order_and_reloads_give_the_same_nodes_and_ties(tmp_path_factory, picks, rng):
    folder = tmp_path_factory.mktemp("determinism")
    rows, expected_ties = _rows(picks)
    half = len(rows) // 2
    a, b = _write(folder / "a.csv", rows[:half]), _write(folder / "b.csv", rows[half:])
    shuffled = rows[:]
    rng.shuffle(shuffled)
    whole = _write(folder / "whole.csv", shuffled)
    results = []
    for name, files in (("ab", [a, b]), ("ba", [b, a]), ("whole", [whole])):
        with twinlac.open(folder / f"{name}.lbdb") as store:
            for path in files:
                _load(store, path)
            held = _graph(store)
            for path in files:  # a second load of the same file adds nothing
                again = _load(store, path)
                assert again.ties_added == 0 and sum(again.written.nodes.values()) == 0
            assert _graph(store) == held
            results.append(held)
    assert results[0] == results[1] == results[2]
    places, ties = results[0]
    assert set(ties) == expected_ties
    used = {key[2] for pick in picks for key in (pick[0][0], pick[1][0])}
    assert set(places) == used


@pytest.mark.slow
def test_a_large_file_reloads_to_the_same_graph_in_any_row_order(tmp_path):
    rng = random.Random(10)
    chinese, latin = sorted(CHINESE), sorted(LATIN)
    # 50,000 rows: each pair of the tables above once, in a random spelling, and 49,970 pairs of
    # numbered places (3001 and 4999 are prime: every i below 50,000 gives a new pair), shuffled.
    rows, table_ties = [], set()
    for cn in chinese:
        for lac in latin:
            rows.append([rng.choice(CHINESE[cn]), cn[1], cn[0], rng.choice(LATIN[lac]), lac[1], lac[0]])
            table_ties.add(f"{cn[2]}~{lac[2]}")
    count = 50_000 - len(rows)
    rows += [[f"Town {i % 3001}", "Hubei", "China", f"Villa {i % 4999}", "Jalisco", "Mexico"] for i in range(count)]
    rng.shuffle(rows)
    first = _write(tmp_path / "first.csv", rows)
    second = _write(tmp_path / "second.csv", rows[::-1])
    with twinlac.open(tmp_path / "one.lbdb") as store:
        report = _load(store, first)
        held = _graph(store)
        again = _load(store, second)
        assert again.ties_added == 0 and sum(again.written.nodes.values()) == 0
        assert _graph(store) == held
    with twinlac.open(tmp_path / "two.lbdb") as store:
        _load(store, second)
        assert _graph(store) == held
    numbered = {(i % 3001, i % 4999) for i in range(count)}
    towns, villas = {i % 3001 for i in range(count)}, {i % 4999 for i in range(count)}
    assert report.ties_added == len(held[1]) == len(numbered) + len(table_ties)
    assert table_ties <= set(held[1])
    assert len([p for p in held[0] if p.startswith("CN-HB:")]) == len(towns)
    assert len([p for p in held[0] if "villa" in p]) == len(villas)
