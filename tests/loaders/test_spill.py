"""SpilledList: a load's list of resolutions, on disk as it grows."""

from twinlac.loaders.records import Resolution
from twinlac.loaders.spill import SpilledList


def test_items_come_back_in_order_from_disk_and_memory_whatever_is_read_between():
    items = [Resolution(row, "city1", f"Town {row}", "fuzzy", f"BR-SP:town-{row}", 93.5, "") for row in range(2, 27)]
    spilled: SpilledList[Resolution] = SpilledList(chunk=4)
    for item in items[:10]:
        spilled.append(item)
    assert list(spilled) == items[:10]  # two chunks on disk, two items in memory
    for item in items[10:]:  # appended after a read: the file's end, not where the read stopped
        spilled.append(item)
    assert len(spilled) == 25 and list(spilled) == items and list(spilled) == items
    assert items[13] in spilled and Resolution(99, "city1", "x", "fuzzy", "y", 90.0, "") not in spilled
    assert not SpilledList() and len(SpilledList()) == 0


def test_a_loads_resolutions_read_and_write_as_a_list_of_them(tmp_path):
    from twinlac.loaders import write_matches
    from twinlac.loaders.records import Resolutions

    rows = [(2, "country1", "China", "alias", "CN", 100.0, ""),
            (3, "city2", "Recif", "fuzzy", "BR-PE:recife", 90.9, "geonames:3390760 'recife'")]
    kept = Resolutions()
    for row in rows:
        kept.add(*row)
    assert len(kept) == 2 and list(kept) == [Resolution(*row) for row in rows]
    assert Resolution(*rows[1]) in kept
    assert list(kept)[1].as_tuple() == (3, "city2", "Recif", "BR-PE:recife (fuzzy 90.9)")
    plain = write_matches(tmp_path / "list.csv", [Resolution(*row) for row in rows]).read_text(encoding="utf-8")
    assert write_matches(tmp_path / "kept.csv", kept).read_text(encoding="utf-8") == plain
    assert plain.splitlines()[2] == "3,city2,Recif,fuzzy,BR-PE:recife,90.9,geonames:3390760 'recife'"
    # A row's names as one tuple (a party's plan's, shared by its rows): read back one by one, in order.
    shared = (("country1", "PRC", "alias", "CN", 100.0, ""), ("city1", "Wuxii", "fuzzy", "CN-JS:wuxi", 88.9, ""))
    kept.extend([(4, shared), (5, shared[:1])], 3)
    assert len(kept) == 5 and [m.row for m in kept] == [2, 3, 4, 4, 5]
    assert list(kept)[3] == Resolution(4, "city1", "Wuxii", "fuzzy", "CN-JS:wuxi", 88.9, "")


def test_the_matches_file_of_shared_names_is_the_csv_of_each_name(tmp_path):
    import csv

    from twinlac.loaders import write_matches
    from twinlac.loaders.records import Resolutions

    # Values csv must quote, on names shared by several rows (as a party's plan's are), and alone.
    odd = (("b_name", 'Say, "hi"\nthere', "fuzzy", "X:y", 93.25, "note, with a comma"),
           ("b_country", "", "alias", "", 100.0, ""))
    kept = Resolutions()
    kept.extend([(2, odd), (3, odd[1:]), (4, odd)], 5)
    kept.add(5, "a_name", "São Paulo", "alternate name", "BR-SP:sao-paulo", 100.0, "geonames:3448439")
    expected = [[str(row), *name[:4], f"{name[4]:g}", name[5]] for row, names in
                ((2, odd), (3, odd[1:]), (4, odd)) for name in names]
    expected.append(["5", "a_name", "São Paulo", "alternate name", "BR-SP:sao-paulo", "100", "geonames:3448439"])
    written = write_matches(tmp_path / "kept.csv", kept)
    with written.open(newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle))[1:] == expected
    listed = write_matches(tmp_path / "list.csv", list(kept))
    assert written.read_bytes() == listed.read_bytes()


def test_a_list_in_a_named_file_is_handed_over_as_that_file(tmp_path):
    import pickle

    items = [(row, "city2", f"Town {row}") for row in range(7)]
    named: SpilledList[tuple] = SpilledList(chunk=3, path=tmp_path / "handed.pickle")
    for item in items:
        named.append(item)
    copy = pickle.loads(pickle.dumps(named))
    assert len(copy) == 7 and list(copy) == items and list(copy) == items
    assert not (tmp_path / "handed.pickle").exists()  # its reader owns the file, by its handle only
    temporary: SpilledList[tuple] = SpilledList(chunk=3)  # any other list is pickled item by item
    for item in items:
        temporary.append(item)
    assert list(pickle.loads(pickle.dumps(temporary))) == items
