"""A large file is checked in a process of its own: the load's result is the same as when it is
checked in the load's process."""

import csv
import sys
import warnings

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import twinlac
from twinlac.errors import LoadError
from twinlac.loaders import check, formats, load_file

from ..conftest import BUNDLED_CSV, GOOD_ROW, store_rows, write_rows

PAIRS = {"a_name": "city1", "a_province": "province1", "a_country": "country1",
         "b_name": "city2", "b_province": "province2", "b_country": "country2",
         "year": "year", "source_url": "source"}
LATER = "https://example.org/later-list"


def _pairs(path, rows):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "province1", "country1", "city2", "province2", "country2", "year", "source"])
        writer.writerows(rows)
    return path


# Held ties gaining a source and a year (Dalian–Bahía Blanca), a conflicting year (Dandong–José C. Paz,
# 2024 held), aliases and a misspelling (matches), a new place, a repeated pair and a bad country (rejected).
LATER_ROWS = [
    ["Dalian", "Liaoning", "China", "Bahia Blanca", "Buenos Aires", "Argentina", "2001", LATER],
    ["Dandong", "Liaoning", "PRC", "Jose C. Paz", "Buenos Aires", "Argentine Republic", "2019", LATER],
    ["Chengdu", "Sichuan", "China", "La Platta", "Buenos Aires", "Argentina", "", LATER],
    ["Nanjing", "Jiangsu", "China", "Villa Nueva Inventada", "Jalisco", "Mexico", "2011", LATER],
    ["Nanjing", "Jiangsu", "China", "Villa Nueva Inventada", "Jalisco", "México", "2012", LATER],
    ["Nanjing", "Jiangsu", "China", "Somewhere", "", "Atlantis", "2011", LATER],
]


def _loaded(tmp_path, name, apart, monkeypatch, on_row=None, held_ties=check.CHECK_APART_HELD_TIES):
    """The bundled data, then the later pairs file, into a new store: reports and the store's rows.
    ``apart``: as a large file (checked apart while the store holds fewer than ``held_ties`` ties)."""
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0 if apart else 1 << 60)
    monkeypatch.setattr(check, "PLAN_AHEAD_BYTES", 0 if apart else 1 << 60)
    monkeypatch.setattr(check, "BLOCKS_BYTES", 0 if apart else 1 << 60)  # a large CSV file: read in blocks
    monkeypatch.setattr(check, "CHECK_APART_HELD_TIES", held_ties)
    later = _pairs(tmp_path / f"{name}-later.csv", LATER_ROWS)
    with twinlac.open(tmp_path / f"{name}.lbdb") as store:
        first = load_file(store, BUNDLED_CSV, on_row=on_row)
        second = load_file(store, later, mapping=PAIRS, skip_invalid=True, chunk_rows=2, on_row=on_row)
        rows = store.query_rows("MATCH (a)-[t:TWINNED_WITH]->(b) RETURN a.id, b.id, t.id, t.kind, t.year, t.date, "
                                "t.sources, t.notes ORDER BY t.id")
        places = store.query_rows("MATCH (l:Locality) RETURN l.id, l.name, l.lat, l.lon, l.geo_source ORDER BY l.id")
    return first, second, rows, places


def _summary(report):
    return (report.rows_read, report.rows_rejected, report.ties_added, report.duplicates_merged, report.enriched,
            report.places_enriched, report.method_counts, list(report.matches), report.conflicts, report.unlocated,
            [(i.row, i.field, i.message) for i in report.issues], report.written)


@pytest.mark.parametrize("rebuilt", [False, True])
def test_a_load_checked_apart_gives_the_same_store_and_report(tmp_path, monkeypatch, rebuilt):
    # Checked apart, the later file's batches come to the write as they are checked: into the
    # store holding the bundled ties, they are kept until the check says how many ties it adds,
    # then written in a transaction, or (``rebuilt``: many ties) into a rebuilt database.
    from twinlac.graph import embedded

    monkeypatch.setattr(embedded, "REBUILD_MIN_TIES", 1 if rebuilt else 1 << 60)
    monkeypatch.setattr(embedded, "REBUILD_SCALE", 0)
    written = embedded.EmbeddedStore._write_kept
    kept: list[int] = []
    monkeypatch.setattr(embedded.EmbeddedStore, "_write_kept",
                        lambda self, *args: (kept.append(args[1]), written(self, *args))[1])
    here = _loaded(tmp_path, "here", apart=False, monkeypatch=monkeypatch)
    assert not kept
    apart = _loaded(tmp_path, "apart", apart=True, monkeypatch=monkeypatch)
    assert kept == [len(pd.read_csv(BUNDLED_CSV))]  # the later file's write, onto the bundled ties
    assert _summary(here[0]) == _summary(apart[0]) and _summary(here[1]) == _summary(apart[1])
    assert here[2:] == apart[2:]
    later = apart[1]  # the case is what it means to be
    assert (later.rows_rejected, later.enriched, len(later.conflicts)) == (2, 1, 1) and len(later.matches) > 0
    assert later.rejects_file.read_text(encoding="utf-8") == here[1].rejects_file.read_text(encoding="utf-8")


def test_a_large_file_checked_here_with_its_parties_planned_ahead_gives_the_same_store_and_report(
        tmp_path, monkeypatch):
    # The later file goes into a store holding the bundled ties: more than it may hold to be
    # checked apart, so it is checked here, with a process planning its parties.
    planned = []

    class Counted(check.PlanFeed):
        def ready(self, key):  # waits, so that every plan comes from the other process
            plan = super().get(key)
            planned.append(plan is not None)
            return plan

    apart = []
    real = check.check_apart
    monkeypatch.setattr(check, "check_apart", lambda *args: apart.append(args[0].path.name) or real(*args))
    monkeypatch.setattr(check, "PlanFeed", Counted)
    here = _loaded(tmp_path, "here", apart=False, monkeypatch=monkeypatch)
    assert planned == [] and apart == []
    ahead = _loaded(tmp_path, "ahead", apart=True, monkeypatch=monkeypatch, held_ties=1)
    assert _summary(here[0]) == _summary(ahead[0]) and _summary(here[1]) == _summary(ahead[1])
    assert here[2:] == ahead[2:]
    assert apart == [BUNDLED_CSV.name]  # into the empty store: apart; the later file: here
    # Every party of the later file's rows, planned ahead: its 6 LAC parties, and 4 Chinese ones
    # (Nanjing's three rows follow each other: a party repeated on the next row is not looked up
    # again). The bad country's is asked for again, as the row is read in a block, then as a row to
    # report it: a plan is handed over once, so the check makes that one itself.
    assert planned == [True] * 10 + [False]


def test_progress_is_reported_for_every_row_checked_apart(tmp_path, monkeypatch):
    seen = {"here": [], "apart": []}
    for name in seen:
        _loaded(tmp_path, name, apart=name == "apart", monkeypatch=monkeypatch, on_row=seen[name].append)
    assert seen["here"] == seen["apart"]  # every "check", then every "write", then "save", per load
    rows = sum(1 for _ in csv.reader(BUNDLED_CSV.open(encoding="utf-8"))) - 1
    assert seen["apart"].count("check") == rows + len(LATER_ROWS)


def test_a_bad_file_checked_apart_fails_as_here_and_writes_nothing(store, tmp_path, monkeypatch):
    path = write_rows(tmp_path / "bad.csv", [GOOD_ROW, {**GOOD_ROW, "lac_name": "Campinas", "year": "20x5"}])
    with pytest.raises(LoadError) as here:
        load_file(store, path)
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    before = store.counts()
    with pytest.raises(LoadError) as apart:
        load_file(store, path)
    assert str(apart.value) == str(here.value) and "row 3" in str(apart.value)
    assert store.counts() == before


def test_a_workbook_checked_apart_warns_which_sheet_it_read(store, tmp_path, monkeypatch):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(list(GOOD_ROW))
    book.active.append(list(GOOD_ROW.values()))
    book.create_sheet("notes")
    book.save(tmp_path / "two.xlsx")
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    with pytest.warns(UserWarning, match="2 sheets"):
        report = load_file(store, tmp_path / "two.xlsx")
    assert report.ties_added == 1


def test_without_a_process_of_its_own_the_check_runs_here(store, tmp_path, monkeypatch):
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    report = load_file(store, write_rows(tmp_path / "one.csv", [GOOD_ROW]))
    assert report.ties_added == 1


def test_a_format_a_program_registers_is_checked_in_its_process(store, tmp_path, monkeypatch):
    canonical = formats.get("canonical")
    mine = formats.register(formats.InputFormat(
        "mine", "the canonical table under another name", lambda probe: False, canonical.spec,
        canonical.required_columns, order=999))
    try:
        monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
        monkeypatch.setattr(check, "check_apart", lambda *args: pytest.fail("checked apart"))
        report = load_file(store, write_rows(tmp_path / "one.csv", [GOOD_ROW]), format=mine.name)
    finally:
        formats.unregister("mine")
    assert report.ties_added == 1


def test_a_fault_in_the_process_apart_is_an_error_with_its_traceback(tmp_path):
    job = check.CheckJob(write_rows(tmp_path / "one.csv", [GOOD_ROW]), "canonical", formats.get("canonical").spec(
        None, None, None), None, __import__("datetime").date(2026, 1, 1), False, 10, places={}, ties={})
    with warnings.catch_warnings():
        with pytest.raises(RuntimeError, match="in its own process failed:(.|\n)*KeyError"):
            check.check_apart(job, None, tmp_path)


def test_a_store_holding_many_ties_is_checked_in_the_loads_process(store, tmp_path, monkeypatch):
    apart = []
    real = check.check_apart
    monkeypatch.setattr(check, "check_apart", lambda *args: apart.append(1) or real(*args))
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    monkeypatch.setattr(check, "CHECK_APART_HELD_TIES", 1)
    load_file(store, write_rows(tmp_path / "one.csv", [GOOD_ROW]))  # none held: apart
    report = load_file(store, write_rows(tmp_path / "two.csv", [{**GOOD_ROW, "lac_name": "Campinas"}]))
    assert apart == [1] and report.ties_added == 1


def _job(path, spec_mapping=None, fmt="canonical"):
    import datetime as dt

    return check.CheckJob(path, fmt, formats.get(fmt).spec(spec_mapping, None, None), None, dt.date(2026, 1, 1),
                          False, 50_000, places={}, ties={})


def _as_json(tmp_path):
    import json

    rows = list(csv.DictReader(BUNDLED_CSV.open(encoding="utf-8")))
    (tmp_path / "bundled.json").write_text(json.dumps(rows), encoding="utf-8")
    return tmp_path / "bundled.json"


def _with_bom_and_a_quoted_line_break(tmp_path):
    text = BUNDLED_CSV.read_text(encoding="utf-8").replace(",Suzhou,", ',"Suzhou\n",', 1)
    (tmp_path / "bom.csv").write_text("\ufeff" + text, encoding="utf-8")
    return tmp_path / "bom.csv"


@pytest.mark.parametrize("make", [lambda tmp_path: BUNDLED_CSV, _as_json, _with_bom_and_a_quoted_line_break],
                         ids=["csv by Arrow", "json", "csv with a byte-order mark"])
def test_the_plans_made_ahead_are_the_plans_made_here(tmp_path, make):
    from twinlac.loaders.readers import read_rows
    from twinlac.loaders.records import PartyPlan, RecordParser, plan_key

    path = make(tmp_path)
    job = _job(path)
    parser = RecordParser(str(path), job.spec)
    keys = list(dict.fromkeys(key for _, raw in read_rows(path)[1] for prefix in ("a", "b")
                              if (key := parser.party_key(prefix, parser.standard_row(raw)))))
    feed = check.PlanFeed(job, tmp_path / "plans")
    try:
        made = [feed.get(plan_key(key)) for key in keys]
    finally:
        feed.close()
    assert len(keys) > 300 and made == [parser.plan_party(*key) for key in keys]
    assert all(PartyPlan.from_plain(plan.plain()) == plan for plan in made)
    assert any(plan.identity is not None and plan.identity.found is not None for plan in made)


def test_parties_planned_together_get_the_plans_planned_one_by_one():
    from twinlac.loaders import gazetteer
    from twinlac.loaders.records import RecordParser, locality_identity

    keys, _ = gazetteer._keys_by_province("CN")["CN-GD"]
    # near spellings of Guangdong's places, more than a province's names searched for one by one
    names = [key[:2] + key[3:] for key in keys[:80]] + ["Guangzho", "Shenzen"]
    parties = [("a", name.title(), "China", "Guangdong", "city", False, None) for name in names]
    parties += [("b", "Campinas", "Brazil", "São Paulo", "city", False, None), ("b", "Jalisco", "Mexico", "", "city",
                                                                                   False, None)]
    assert len(names) >= gazetteer.AHEAD_LEAST
    parser = RecordParser("list.csv", _job(BUNDLED_CSV).spec)
    together = parser.plan_parties(parties)
    locality_identity.cache_clear()
    gazetteer.fuzzy_city.cache_clear()
    one_by_one = [parser.plan_party(*party) for party in parties]
    assert together == one_by_one
    assert any(plan.identity is not None and plan.identity.method == "fuzzy" for plan in together)


def test_a_plan_not_written_yet_is_not_waited_for(tmp_path, monkeypatch):
    from twinlac.loaders.readers import read_rows
    from twinlac.loaders.records import RecordParser, plan_key

    job = _job(BUNDLED_CSV)
    parser = RecordParser(str(BUNDLED_CSV), job.spec)
    rows = read_rows(BUNDLED_CSV)[1]
    first = parser.standard_row(next(rows)[1])
    rows.close()
    key, later = (plan_key(parser.party_key(prefix, first)) for prefix in ("a", "b"))  # the first row's
    feed = check.PlanFeed(job, tmp_path / "plans")
    try:
        assert feed.get(later) is not None  # waits for it: the plans before it are written too
        made = feed.ready(key)
        assert made == parser.plan_party(*parser.party_key("a", first))
        assert feed.ready(key) is None  # handed over once: asked for again, the check makes it
    finally:
        feed.close()
    slow = tmp_path / "python"
    slow.write_text("#!/bin/sh\nsleep 60\n")  # a planning process that makes nothing for a minute
    slow.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(slow))
    monkeypatch.setattr(check.time, "sleep", lambda seconds: pytest.fail("waited"))
    pending = check.PlanFeed(job, tmp_path / "plans2")
    try:
        assert pending.ready(key) is None  # not written: the check makes it
    finally:
        pending.close()


@pytest.mark.parametrize(("size", "planned_ahead"), [(check.PLAN_AHEAD_BYTES - 1, False),
                                                     (check.PLAN_AHEAD_BYTES, True)])
def test_a_file_is_planned_ahead_from_a_size(store, tmp_path, monkeypatch, size, planned_ahead):
    feeds, real = [], check.PlanFeed
    monkeypatch.setattr(check, "PlanFeed", lambda *args: feeds.append(args) or real(*args))
    path = write_rows(tmp_path / "one.csv", [GOOD_ROW])
    with path.open("a", encoding="utf-8") as handle:  # padded to the size with blank lines
        handle.write("\n" * (size - path.stat().st_size))
    report = load_file(store, path)
    assert report.ties_added == 1 and bool(feeds) == planned_ahead



def test_plans_the_other_process_does_not_make_are_made_by_the_check(tmp_path, monkeypatch):
    key = ("a", "Wuxi", "China", "Jiangsu", "city", False, None)
    failed = check.PlanFeed(_job(tmp_path / "gone.csv"), tmp_path / "plans")  # the process fails reading
    try:
        assert failed.get(key) is None
    finally:
        failed.close()
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    never = check.PlanFeed(_job(BUNDLED_CSV), tmp_path / "plans2")
    assert never.get(key) is None
    never.close()


def test_a_process_that_cannot_run_twinlac_leaves_the_check_here(store, tmp_path, monkeypatch):
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 3\n")  # an interpreter that ends at once, reading nothing
    fake.chmod(0o755)
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    monkeypatch.setattr(sys, "executable", str(fake))
    report = load_file(store, write_rows(tmp_path / "one.csv", [GOOD_ROW]))
    assert report.ties_added == 1


def _streamed_load(tmp_path, name, monkeypatch, path, cores, events, **options):
    """``path`` loaded into the store ``name`` (new, unless the test made it), checked apart in
    batches of 20 rows and streamed to the write; ``events`` gets the check's messages and each
    batch the write takes, in order."""
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 0)
    monkeypatch.setattr(check, "_cores", lambda: cores)
    messages, take = check.CheckApart.messages, check.CheckStream._next

    def told(self, on_row):
        for kind, value in messages(self, on_row):
            events.append(kind)
            yield kind, value

    def taken(self):
        events.append("taken")
        return take(self)

    monkeypatch.setattr(check.CheckApart, "messages", told)
    monkeypatch.setattr(check.CheckStream, "_next", taken)
    progress = []
    with twinlac.open(tmp_path / f"{name}.lbdb") as store:
        try:
            report = load_file(store, path, chunk_rows=20, on_row=progress.append, **options)
        finally:
            held = store_rows(store)
    return report, held, progress


@pytest.mark.parametrize("cores", [2, 4])
def test_a_large_file_into_an_empty_store_is_written_as_it_is_checked(tmp_path, monkeypatch, cores):
    events = []
    streamed = _streamed_load(tmp_path, "streamed", monkeypatch, BUNDLED_CSV, cores, events)
    monkeypatch.undo()
    monkeypatch.setattr(check, "CHECK_APART_BYTES", 1 << 60)
    here = {}
    with twinlac.open(tmp_path / "here.lbdb") as store:
        progress = []
        report = load_file(store, BUNDLED_CSV, chunk_rows=20, on_row=progress.append)
        here = (report, store_rows(store), progress)
    assert _summary(streamed[0]) == _summary(here[0]) and streamed[1:] == here[1:]
    rows = len(pd.read_csv(BUNDLED_CSV))
    assert events.count("taken") == -(-rows // 20)
    # With more than two cores the write takes batches as soon as they are checked; with two, once
    # the parties are all planned (the planning process is done with its core), or the check is.
    started = events.index("taken")
    assert "batch" in events[:started]
    if cores > 2:
        assert started < events.index("done")
    else:
        assert "planned" in events[:started] or "done" in events[:started]


@pytest.mark.parametrize("holding", [None, "ties"])
def test_a_refused_file_streamed_to_the_write_leaves_the_store_as_it_was(tmp_path, monkeypatch, holding):
    frame = pd.read_csv(BUNDLED_CSV, dtype=str, keep_default_na=False)
    frame.loc[len(frame) - 1, "year"] = "20x5"  # the last row is bad: the first batches are written by then
    path = tmp_path / "late-bad.csv"
    frame.to_csv(path, index=False)
    # Into a store holding ties (the later pairs, which name other places), the batches are kept
    # until the check's end; into an empty one, written into a copy of the database.
    held_file = _pairs(tmp_path / "held.csv", LATER_ROWS[:3]) if holding else None
    events = []
    with twinlac.open(tmp_path / "refused.lbdb") as store:
        if held_file is not None:
            load_file(store, held_file, mapping=PAIRS)
        before = store_rows(store)
    with pytest.raises(LoadError, match=f"row {len(frame) + 1}, field 'year'"):
        _streamed_load(tmp_path, "refused", monkeypatch, path, 4, events)
    assert events.count("taken") > 1 and events.index("taken") < events.index("done")
    with twinlac.open(tmp_path / "refused.lbdb") as store:
        assert store_rows(store) == before
        assert bool(before["TWINNED_WITH"]) == (holding is not None)
    # With skip_invalid the same file loads all but that row, its reject set aside.
    report, held, _ = _streamed_load(tmp_path, "skipped", monkeypatch, path, 4, [], skip_invalid=True)
    assert report.rows_rejected == 1 and report.rejects_file.exists()
    assert len(held["TWINNED_WITH"]) == report.ties_added == len(frame) - 1 - report.duplicates_merged


def _checked_both_ways(path, spec, chunk_rows):
    """A pairs file checked for an empty store, in batches of ``chunk_rows`` good rows, row by row
    (``read_cells``) then in blocks (``read_cell_blocks``): each ``Checked``, and the counts its
    ``progress`` was given."""
    import datetime as dt

    from twinlac.loaders import readers

    found = []
    for read in (readers.read_cells, readers.read_cell_blocks):
        job = check.CheckJob(path, "pairs", spec, None, dt.date(2026, 1, 1), False, chunk_rows,
                             places={column: [] for column in ("id", "name", "province", "country", "name_zh")},
                             ties={column: [] for column in ("id", "year", "date", "kind", "notes", "sources")})
        header, rows_read = read(path)
        counted: list[int] = []
        found.append((check.check_rows(job, rows_read, check.Batches(), counted.append, header=header), counted))
    return found


def test_a_block_cuts_its_batches_where_the_row_path_does(tmp_path):
    # One block: after the first four rows, each names two parties met before, so the block keeps
    # its tie without yielding the row, but for the row that fills a batch of 4 good rows (row 10
    # is bad: a pair repeated). Batch by batch, the ties are the row path's, and every row is
    # counted once.
    pairs = [("Wuxi", "Campinas"), ("Suzhou", "Santos"), ("Nanjing", "Sorocaba"), ("Changzhou", "Campinas"),
             ("Wuxi", "Santos"), ("Wuxi", "Sorocaba"), ("Suzhou", "Campinas"), ("Suzhou", "Sorocaba"),
             ("Wuxi", "Santos"), ("Nanjing", "Campinas"), ("Nanjing", "Santos"), ("Changzhou", "Santos"),
             ("Changzhou", "Sorocaba"), ("Wuxi", "Vila Nova")]
    rows = [[a, "Jiangsu", "China", b, "São Paulo", "Brazil", str(2000 + at), f"https://example.org/{at}"]
            for at, (a, b) in enumerate(pairs)]
    path = _pairs(tmp_path / "block.csv", rows)
    found = []
    for checked, counted in _checked_both_ways(path, formats.get("pairs").spec(PAIRS, None, None), 4):
        assert sum(counted) == checked.rows_read == len(rows)
        found.append([sorted(batch.frames().rels["TWINNED_WITH"]["id"]) for batch in checked.batches])
        found[-1].append(sorted((issue.row, issue.field) for issue in checked.issues))
    assert max(counted) > 1  # in blocks: rows kept without being yielded, counted together
    assert found[0] == found[1]
    *batches, issues = found[1]
    assert issues == [(10, "city2")]  # row 10 repeats row 6's pair
    assert [len(batch) for batch in batches] == [4, 4, 4, 1]  # 13 good rows, 4 to a batch


CELL_TEXT = st.sampled_from(["", " ", "Wuxi", " Campinas ", "China", "Brazil", "Jiangsu", "São Paulo", "2005",
                             "20x5", "sister", "twin", "Camp\x00inas", "x\u200by", "https://example.org/a",
                             "Mexico", "Jalisco", "Guadalajara"])


@pytest.mark.parametrize("held", [False, True])  # the store holds Wuxi–Campinas already
@pytest.mark.parametrize("merge", [False, True])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.one_of(
    st.lists(CELL_TEXT, min_size=0, max_size=10),  # anything: short, long, blank, bad cells
    # a good row (Campinas named by the second city2 column), some of its cells changed
    st.tuples(st.lists(st.tuples(st.integers(0, 8), CELL_TEXT), max_size=2), st.integers(7, 10)).map(
        lambda changes: [dict(changes[0]).get(i, cell) for i, cell in enumerate(
            ["Wuxi", "Jiangsu", "China", "Recife", "São Paulo", "Brazil", "2005", "Campinas", "x", "y"])][:changes[1]]),
), min_size=1, max_size=8))
def test_rows_checked_as_their_cells_are_checked_as_dicts(tmp_path, rows, merge, held):
    # ... and as blocks of cells (``RecordParser.parse_block``), the path of a long CSV file; with
    # ``merge``, a repeated pair is merged into the first (as Wikidata's rows are); with ``held``,
    # the store holds the first row's tie and places, and a row repeating it enriches them.
    # A header naming a column twice (the last cell counts, as in a dict) and a column no field maps.
    header = ["city1", "province1", "country1", "city2", "province2", "country2", "year", "city2", "note"]
    path = tmp_path / "cells.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(["Wuxi", "Jiangsu", "China", "Recife", "São Paulo", "Brazil", "2005", "Campinas", "x"])
        writer.writerows(rows)
    mapping = {"a_name": "city1", "a_province": "province1", "a_country": "country1", "b_name": "city2",
               "b_province": "province2", "b_country": "country2", "year": "year"}
    import datetime as dt

    spec = formats.get("pairs").spec(mapping, "https://example.org/list", None)
    spec.merge_duplicates = merge
    job = check.CheckJob(path, "pairs", spec, None, dt.date(2026, 1, 1), False, 3, places={}, ties={})
    from twinlac.loaders import readers

    found, block_bytes = [], readers.BLOCK_BYTES
    for read in ("cells", "dicts", "blocks"):
        job.places = {column: [] for column in ("id", "name", "province", "country", "name_zh")}
        job.ties = {column: [] for column in ("id", "year", "date", "kind", "notes", "sources")}
        if held:
            for place in (["CN-JS:wuxi", "Wuxi", "CN-JS", "CN", None],
                          ["BR-SP:campinas", "Campinas", "BR-SP", "BR", None]):
                for column, value in zip(job.places, place, strict=True):
                    job.places[column].append(value)
            for column, value in zip(job.ties, ["CN-JS:wuxi~BR-SP:campinas", None, None, "sister", None,
                                                ["https://example.org/held"]], strict=True):
                job.ties[column].append(value)
        readers.BLOCK_BYTES = 64  # blocks of a row or two (hypothesis runs this many times: no monkeypatch)
        try:
            header_read, rows_read = {"cells": readers.read_cells, "dicts": readers.read_rows,
                                      "blocks": readers.read_cell_blocks}[read](path)
            checked = check.check_rows(job, rows_read, check.Batches(), lambda rows: None,
                                       header=header_read if read != "dicts" else None)
        except LoadError as exc:  # no rows at all
            found.append(str(exc))
            continue
        finally:
            readers.BLOCK_BYTES = block_bytes
        frames = [({name: frame.to_dict("records") for name, frame in {**f.nodes, **f.rels}.items()}, f.updates)
                  for f in (batch.frames() for batch in checked.batches)]
        found.append((checked.rows_read, [(i.row, i.field, i.message) for i in checked.issues], checked.bad_rows,
                      frames, list(checked.matches.rows), checked.method_counts, checked.new_ties,
                      checked.conflicts, checked.enriched))
    assert found[0] == found[1] == found[2]
    tie = found[0][3][0][0]["TWINNED_WITH"][0]  # the first row's: Wuxi–Campinas, by the last city2 column
    assert (tie["from_id"], tie["to_id"]) == ("CN-JS:wuxi", "BR-SP:campinas")


@pytest.mark.parametrize("held", [False, True])  # the store holds Wuxi–Campinas already
def test_rows_naming_settled_parties_are_kept_in_blocks_as_row_by_row(tmp_path, held):
    # In blocks (a row each here), a row naming two parties met before keeps its tie without the
    # row path's call, unless the store holds the tie or an earlier row named the pair: then the
    # row path enriches the held tie, or refuses the row. The result is the row path's.
    pairs = [("Wuxi", "Campinas"), ("Suzhou", "Recife"), ("Wuxi", "Campinas"), ("Suzhou", "Recife"),
             ("Wuxi", "Recife"), ("Wuxi", "Campinas"), ("Suzhou", "Campinas"), ("Wuxi", "Recife")]
    rows = [[a, "Jiangsu", "China", b, "São Paulo" if b == "Campinas" else "Pernambuco", "Brazil", str(2000 + at),
             f"https://example.org/{at}"] for at, (a, b) in enumerate(pairs)]
    path = _pairs(tmp_path / "settled.csv", rows)
    spec = formats.get("pairs").spec(PAIRS, None, None)
    import datetime as dt

    from twinlac.loaders import readers

    found, block_bytes = [], readers.BLOCK_BYTES
    for read in (readers.read_cells, readers.read_cell_blocks):
        places = [["CN-JS:wuxi", "Wuxi", "CN-JS", "CN", None], ["BR-SP:campinas", "Campinas", "BR-SP", "BR", None]]
        job = check.CheckJob(path, "pairs", spec, None, dt.date(2026, 1, 1), False, 50_000,
                             places={column: [p[at] for p in places] if held else []
                                     for at, column in enumerate(("id", "name", "province", "country", "name_zh"))},
                             ties={"id": ["CN-JS:wuxi~BR-SP:campinas"], "year": [None], "date": [None],
                                   "kind": ["sister"], "notes": [None], "sources": [["https://example.org/held"]]}
                             if held else {column: [] for column in ("id", "year", "date", "kind", "notes", "sources")})
        readers.BLOCK_BYTES = 64
        try:
            header, rows_read = read(path)
            checked = check.check_rows(job, rows_read, check.Batches(), lambda rows: None, header=header)
        finally:
            readers.BLOCK_BYTES = block_bytes
        [batch] = [batch.frames() for batch in checked.batches]
        ties = batch.rels["TWINNED_WITH"]
        found.append((list(zip(ties["id"], ties["year"], ties["sources"], strict=True)), batch.updates,
                      sorted((i.row, i.message) for i in checked.issues), checked.new_ties, checked.method_counts,
                      list(checked.matches.rows)))
    assert found[0] == found[1]
    ties, updates, issues, new_ties, _, _ = found[1]
    # New: Suzhou–Recife, Wuxi–Recife, Suzhou–Campinas, and Wuxi–Campinas unless held (then it gains
    # the first row's source and year). A pair met again is refused, held or not (the file's rows).
    assert new_ties == (3 if held else 4)
    assert [tie[0] for tie in ties] == ["CN-JS:wuxi~BR-SP:campinas", "CN-JS:suzhou~BR-PE:recife",
                                        "CN-JS:wuxi~BR-PE:recife", "CN-JS:suzhou~BR-SP:campinas"]
    assert ties[0][2] == ["https://example.org/0"]  # the store adds it to the held tie's sources
    assert [(u.id, u.props["year"]) for u in updates] == ([("CN-JS:wuxi~BR-SP:campinas", 2000)] if held else [])
    assert [(row, message.split("(")[-1].rstrip(")")) for row, message in issues] == [
        (4, "CN-JS:wuxi~BR-SP:campinas"), (5, "CN-JS:suzhou~BR-PE:recife"), (7, "CN-JS:wuxi~BR-SP:campinas"),
        (9, "CN-JS:wuxi~BR-PE:recife")]


@pytest.mark.parametrize("source", [None, "https://example.org/list"])  # for a row with no URL
@pytest.mark.parametrize("last", ["https://example.org/f", "https://example.org/\u00a0x"])  # a no-break space
def test_a_block_of_rows_tests_its_urls_as_the_row_path_does(tmp_path, last, source):
    # A block tests its URL cells at once (by Arrow) when they are all printable ASCII (the first
    # ``last``); the rows it finds wrong, and any block of other text, are tested row by row.
    urls = ["https://example.org/a", " https://example.org/b ", "HTTP://EXAMPLE.ORG/c", "http://x",
            "ftp://example.org/d", "https://example.org/a b", "", last]
    cities = ["Campinas", "Santos", "Sorocaba", "Jundiai", "Guaruja", "Osasco", "Barueri", "Taubate"]
    rows = [["Wuxi", "Jiangsu", "China", city, "São Paulo", "Brazil", "2005", url]
            for city, url in zip(cities, urls, strict=True)]
    path = _pairs(tmp_path / "urls.csv", rows)
    refused = [sorted((i.row, i.message.split(":")[0]) for i in checked.issues)
               for checked, _ in _checked_both_ways(path, formats.get("pairs").spec(PAIRS, source, None), 3)]
    # The file's rows 5, 6 and 7: no host with a dot, not http(s), a space; 8 when the load has no
    # source for a row with no URL; 9 with a no-break space.
    wrong = "not an http(s) URL"
    assert refused[0] == refused[1] == [(5, wrong), (6, wrong), (7, wrong)] + (
        [(8, "is empty")] if source is None else []) + ([(9, wrong)] if "\u00a0" in last else [])


def test_a_party_met_again_is_resolved_on_every_good_row_as_on_its_first(store, tmp_path):
    # The check settles a party once its places are known and replays it on later rows: each good
    # row still lists its own resolutions, a bad row none, and a new place is made once.
    rows = [["Wuxi", "Jiangsu", "PRC", "Villa Inventada", "Jalisco", "México", "1900", LATER],  # bad: before 1949
            ["Wuxi", "Jiangsu", "PRC", "Villa Inventada", "Jalisco", "México", "2001", LATER],
            ["Suzhou", "Jiangsu", "PRC", "Villa Inventada", "Jalisco", "México", "2002", LATER],
            ["Wuxi", "Jiangsu", "PRC", "Villa Inventada", "Jalisco", "México", "2003", LATER],  # the same pair
            ["Nanjing", "Jiangsu", "PRC", "Villa Inventada", "Jalisco", "Mexico", "2004", LATER],
            ["Wuxi", "Jiangsu", "PRC", "Otra Villa", "Jalisco", "México", "2005", LATER]]
    report = load_file(store, _pairs(tmp_path / "again.csv", rows), mapping=PAIRS, skip_invalid=True, chunk_rows=2)
    assert [(i.row, i.field) for i in report.issues] == [(2, "year"), (5, "city2")]
    assert report.ties_added == 4
    assert [m.row for m in report.matches if m.value == "PRC"] == [3, 4, 6, 7]
    villas = store.query_rows("MATCH (l:Locality) WHERE l.name = 'Villa Inventada' RETURN l.id, l.province").rows
    assert villas == [("MX-JAL:villa-inventada", "MX-JAL")]
