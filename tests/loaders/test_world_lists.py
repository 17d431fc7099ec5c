"""Issue 10: world lists with other spellings, no provinces, no levels — and never a wrong country."""

import csv
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinlac
from twinlac.errors import LoadError
from twinlac.loaders import bundled_data_path, load_file
from twinlac.loaders.resolve import Match, NoMatch, resolve_country

from ..conftest import store_rows

PAIRS_MAP = {"a_name": "city1", "a_country": "country1", "b_name": "city2", "b_country": "country2"}
SOURCE = "https://example.org/world-list"


def _pairs(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2"])
        writer.writerows(rows)
    return path


def _ties(store):
    return store.query("MATCH (a)-[t:TWINNED_WITH]->(b) RETURN a.id AS x, b.id AS y ORDER BY x, y",
                       max_rows=None).values.tolist()


pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name,code,division", [
    ("England", "GB", "GB-ENG"), ("Scotland", "GB", "GB-SCT"), ("England, United Kingdom", "GB", "GB-ENG"),
    ("Russia", "RU", None), ("Turkey", "TR", None), ("Palestine", "PS", None), ("Georgia (country)", "GE", None),
    ("Cape Verde", "CV", None), ("Kosovo", "XK", None), ("Ivory Coast", "CI", None), ("East Timor", "TL", None),
    ("Democratic Republic of the Congo", "CD", None), ("Åland Islands, Finland", "AX", None),
    ("Réunion, France", "RE", None), ("Brandenburg, Germany", "DE", "DE-BB"), ("Republic of Ireland", "IE", None),
    ("Macau", "CN", "CN-MO"),
])
def test_country_spellings_of_world_lists(name, code, division):
    match = resolve_country(name)
    assert (match.code, match.division) == (code, division)


def test_countries_are_never_matched_fuzzily():
    miss = resolve_country("Irland")  # one letter from Ireland and Iceland: neither is guessed
    assert isinstance(miss, NoMatch) and "Ireland" in miss.candidates
    assert resolve_country("Republic of Ireland").code == "IE"


def test_unknown_country_is_a_rejected_row_with_a_hint(store, tmp_path):
    path = _pairs(tmp_path / "w.csv", [["Cork", "Irland", "Shanghai", "China"]])
    with pytest.raises(LoadError, match="row 2, field 'country1': cannot resolve 'Irland'; closest: Ireland"):
        load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)


def test_province_level_names_and_inferred_provinces_join_the_bundled_ties(tmp_path):
    with twinlac.open(tmp_path / "t.lbdb") as store:
        twinlac.load_agreements(store)
        before = store.counts()["TWINNED_WITH"]
        # Pairs the bundled data holds, written as world lists write them (no provinces, no levels).
        path = _pairs(tmp_path / "w.csv", [
            ["Beijing", "China", "Havana", "Cuba"],            # CN-BJ ~ CU-03:la-habana (alternate name)
            ["Beijing", "China", "Mexico City", "Mexico"],     # ~ MX-CMX:ciudad-de-mexico
            ["Shanghai", "China", "Jalisco", "Mexico"],        # a state named as a city
            ["Guangzhou", "China", "Recife", "Brazil"],        # provinces from the gazetteer
            ["Chongqing", "China", "Cordoba Province", "Argentina"],
        ])
        report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
        assert report.ties_added == 0 and store.counts()["TWINNED_WITH"] == before
        assert report.written.sources_added == 5
        assert report.method_counts["division name"] >= 6 and report.method_counts["alternate name"] == 2
        matches = pd.read_csv(report.matches_file)
        assert {"division name", "gazetteer province", "alternate name"} <= set(matches["method"])
        assert matches.loc[matches.value == "Havana", "resolved"].tolist()[-1] == "CU-03:la-habana"


def test_a_large_load_into_a_store_holding_ties_rebuilds_it_and_equals_a_transaction(tmp_path, monkeypatch):
    from twinlac.graph import embedded

    path = _pairs(tmp_path / "w.csv", [
        ["Beijing", "China", "Havana", "Cuba"],  # a bundled tie: gains this file's source
        ["Wuxi", "China", "Salta", "Argentina"],
        ["Qingdao", "China", "Recife", "Brazil"],
        ["Nanjing", "China", "Campinas", "Brazil"],
    ])
    outcomes = {}
    for way, least in (("transaction", 10**9), ("rebuild", 1)):
        monkeypatch.setattr(embedded, "REBUILD_MIN_TIES", least)
        monkeypatch.setattr(embedded, "REBUILD_SCALE", 0)
        db = tmp_path / f"{way}.lbdb"
        with twinlac.open(db) as store:
            twinlac.load_agreements(store)
            inode = db.stat().st_ino
            report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE, chunk_rows=2)
            assert (db.stat().st_ino != inode) == (way == "rebuild")  # a rebuilt store is a new file
            outcomes[way] = (report.written, store_rows(store))
            inode = db.stat().st_ino
            load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)  # no new tie: never rebuilt
            assert db.stat().st_ino == inode and store_rows(store) == outcomes[way][1]
    assert outcomes["rebuild"] == outcomes["transaction"]
    assert (outcomes["rebuild"][0].ties, outcomes["rebuild"][0].sources_added) == (3, 1)


def test_ambiguous_names_stay_at_country_level_and_say_so(store, tmp_path):
    path = _pairs(tmp_path / "w.csv", [["Taizhou", "China", "Springfield", "United States"]])
    report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert _ties(store) == [["CN:taizhou", "US:springfield"]]
    notes = pd.read_csv(report.matches_file)
    assert "2 places of this name in CN" in notes.loc[notes.value == "Taizhou", "note"].iloc[0]


NAMES = ["Recife", "Recif", "Reciffe", "Salvador", "Salvadore", "Fortaleza", "Fortalezza", "Curitiba", "Curitba",
         "Campinas", "Campinass", "Wuhan", "Wuhann", "Hangzhou", "Hangzou", "Nanjing", "Nanjng"]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(NAMES[:10]), st.sampled_from(NAMES[10:])), min_size=1, max_size=12,
                unique=True), st.randoms())
def test_reload_and_order_give_the_same_ties(tmp_path_factory, pairs, rng):
    folder = tmp_path_factory.mktemp("order")
    rows = [[cn, "China", lac, "Brazil"] for lac, cn in pairs]
    first, second = rows[: len(rows) // 2], rows[len(rows) // 2:]
    shuffled = first[:] + second[:]
    rng.shuffle(shuffled)
    results = []
    for name, files in (("ab", [first, second]), ("ba", [second, first]), ("one", [shuffled])):
        with twinlac.open(folder / f"{name}.lbdb") as store:
            for index, part in enumerate(files):
                if part:
                    load_file(store, _pairs(folder / f"{name}{index}.csv", part), mapping=PAIRS_MAP,
                              source=SOURCE, skip_invalid=True)
            held = _ties(store)
            for index, part in enumerate(files):  # a reload adds nothing
                if part:
                    again = load_file(store, folder / f"{name}{index}.csv", mapping=PAIRS_MAP, source=SOURCE,
                                      skip_invalid=True)
                    assert again.ties_added == 0
            assert _ties(store) == held
            results.append(sorted(map(tuple, held)))
    assert len({len(r) for r in results}) == 1  # the same number of ties whatever the order


def test_world_list_benchmark_small(capsys):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "world_list.py"
    spec = importlib.util.spec_from_file_location("world_list", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(1_500)
    assert result["rows"] == 1_500 and result["bundled pairs in the list"] > 100
    assert result["rejected %"] <= 1.0
    assert result["cross-country fuzzy matches"] == 0
    assert result["China–LAC ties added for pairs already held"] == 0


def test_loading_the_bundled_data_writes_nothing_beside_it(store):
    folder = bundled_data_path().parent
    before = sorted(p.name for p in folder.iterdir())
    report = load_file(store)
    assert report.matches and report.matches_file is None
    assert sorted(p.name for p in folder.iterdir()) == before


def test_the_matches_file_is_put_in_place_once_the_store_has_the_rows(tmp_path, monkeypatch):
    from twinlac.errors import StoreError

    path = _pairs(tmp_path / "w.csv", [["Beijing", "China", "Havana", "Cuba"]])
    earlier = tmp_path / "w.csv.matches.csv"
    earlier.write_text("an earlier load's\n", encoding="utf-8")
    with twinlac.open(tmp_path / "t.lbdb") as store:
        def fails(batches, **options):
            list(batches)
            raise StoreError("writing failed: the disk is full")

        monkeypatch.setattr(store, "write_batches", fails)
        with pytest.raises(StoreError):
            load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
        # The failed load's matches went nowhere: the earlier file is as it was, nothing beside it.
        assert earlier.read_text(encoding="utf-8") == "an earlier load's\n"
        assert _beside_the_list(tmp_path) == ["w.csv", "w.csv.matches.csv"]
        monkeypatch.undo()
        report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert report.matches_file == earlier
    assert pd.read_csv(earlier).loc[lambda m: m.value == "Havana", "resolved"].tolist()[-1] == "CU-03:la-habana"
    assert _beside_the_list(tmp_path) == ["w.csv", "w.csv.matches.csv"]


def _beside_the_list(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(("w.", ".w.")))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread has a priority of its own on Linux only")
def test_the_matches_file_is_written_at_the_lowest_priority_beside_the_engine(tmp_path, monkeypatch):
    import os
    import threading

    import twinlac.loaders as loaders

    priorities = []
    write = loaders.write_matches

    def noting(path, matches):
        priorities.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        return write(path, matches)

    monkeypatch.setattr(loaders, "write_matches", noting)
    path = _pairs(tmp_path / "w.csv", [["Beijing", "China", "Havana", "Cuba"]])
    with twinlac.open(tmp_path / "t.lbdb") as store:
        report = load_file(store, path, mapping=PAIRS_MAP, source=SOURCE)
    assert priorities == [19] and os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) < 19
    assert "CU-03:la-habana" in report.matches_file.read_text(encoding="utf-8")
