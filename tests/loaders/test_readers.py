"""The CSV reader in blocks (``read_cell_blocks``) gives the rows ``read_cells`` gives."""

from __future__ import annotations

import csv

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twinlac.errors import LoadError
from twinlac.loaders import readers
from twinlac.loaders.readers import CellBlock, read_cell_blocks, read_cells

HEADER = ["city1", "country1", "city2", "country2", "year"]


def _rows_of(read):
    """The rows a reader gives, each as (number, cells or dict), blocks taken apart; and how many blocks."""
    header, items = read
    rows, blocks = [], 0
    for item in items:
        if isinstance(item, CellBlock):
            blocks += 1
            rows.extend((item.first + at, item.cells(at)) for at in range(len(item)))
        else:
            rows.append(item)
    return header, rows, blocks


def _both(path, monkeypatch, block_bytes=64):
    """(read_cells's rows, read_cell_blocks's rows, how many blocks the second gave)."""
    monkeypatch.setattr(readers, "BLOCK_BYTES", block_bytes)  # several blocks in a small file
    expected = _rows_of(read_cells(path))[:2]
    header, rows, blocks = _rows_of(read_cell_blocks(path))
    return expected, (header, rows), blocks


def _write(path, text):
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("block_bytes", [7, 64, 1 << 20])  # a block may end anywhere, a \r\n split
@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_a_plain_file_is_read_in_blocks_as_row_by_row(tmp_path, monkeypatch, newline, block_bytes):
    lines = [",".join(HEADER)] + [f"Wuxi {n},China,Campinas {n},Brazil,{2000 + n % 20}" for n in range(40)]
    path = _write(tmp_path / "plain.csv", newline.join(lines) + newline)
    expected, got, blocks = _both(path, monkeypatch, block_bytes)
    assert got == expected
    assert blocks > (3 if block_bytes < 100 else 0)
    assert got[1][0] == (2, ["Wuxi 0", "China", "Campinas 0", "Brazil", "2000"])


@pytest.mark.parametrize("body", [
    # cells with spaces at their ends, a no-break space, non-ASCII letters, a zero-width space, a tab
    " Wuxi ,China,\u00a0Campinas,Brasil ,2005\nSão Paulo,Brazil,无锡,China,\t2006\nx\u200by,China,Recife,Brazil,\n",
    # a blank line of commas and one of spaces, then rows again
    "Wuxi,China,Recife,Brazil,2005\n,,,,\n  , ,\t, ,\nWuxi,China,Natal,Brazil,2006\n",
    # control characters: a row holding one is given as read_cells gives it (marked), one at a cell's end stripped
    "Wuxi,China,Rec\x1fife,Brazil,2005\nWuxi,China,Natal\x1f,Brazil,2006\nWuxi,Ch\x85ina,Natal,Brazil,2007\n",
    # too few cells, then too many (Arrow stops: the rest is read row by row)
    "Wuxi,China,Recife,Brazil,2005\nWuxi,China,Recife\nWuxi,China,Recife,Brazil,2005,extra\nA,B,C,D,2001\n",
    # an empty line mid-file, and no line break at the end
    "Wuxi,China,Recife,Brazil,2005\n\nWuxi,China,Natal,Brazil,2006",
    # quotes (read row by row, as Arrow might read a quote otherwise) and a NUL byte, first or later
    'Wuxi,China,"Recife, PE",Brazil,2005\n',
    "Wuxi,China,Natal,Brazil,2001\n" * 6 + 'Wuxi,China,"Recife\nPE",Brazil,2005\nA,B,C,D,2002\n',
    "Wuxi,China,Natal,Brazil,2001\n" * 6 + "Wuxi,China,Re\x00cife,Brazil,2005\n",
    "Wuxi,China,Re\x00cife,Brazil,2005\n",
])
def test_any_file_is_read_as_row_by_row(tmp_path, monkeypatch, body):
    path = _write(tmp_path / "odd.csv", "\ufeff" + ",".join(HEADER) + "\n" + body)
    expected, got, _ = _both(path, monkeypatch, block_bytes=48)
    assert got == expected


def test_a_cell_over_the_csv_modules_limit_fails_as_row_by_row(tmp_path, monkeypatch):
    path = _write(tmp_path / "long.csv", ",".join(HEADER) + "\nWuxi,China,Recife,Brazil,2005\n"
                  + "Wuxi,China," + "R" * 300 + ",Brazil,2005\n")
    limit = csv.field_size_limit(200)
    try:
        with pytest.raises(LoadError) as row_by_row:
            _rows_of(read_cells(path))
        monkeypatch.setattr(readers, "BLOCK_BYTES", 1 << 20)
        with pytest.raises(LoadError) as in_blocks:
            _rows_of(read_cell_blocks(path))
    finally:
        csv.field_size_limit(limit)
    assert str(in_blocks.value) == str(row_by_row.value)
    assert in_blocks.value.issues[0].row == 3


CELLS = st.sampled_from(["", " ", "Wuxi", " Campinas ", "São Paulo", "2005", "x\u200by", "Rec\x1fife", "\u00a0",
                         "a\tb", "Ch\x85ina", "https://example.org/a", "无锡", "a\rb"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=5, max_size=5), min_size=1, max_size=12),
       st.sets(st.integers(0, 11), max_size=2), st.integers(40, 200))
def test_rows_read_in_blocks_are_rows_read_one_by_one(tmp_path, monkeypatch, rows, ragged, block_bytes):
    # A few rows cut short (Arrow stops there), blocks of a few rows each.
    lines = [",".join(HEADER)] + [",".join(row[:3] if n in ragged else row) for n, row in enumerate(rows)]
    path = _write(tmp_path / "cells.csv", "\n".join(lines) + "\n")
    expected, got, _ = _both(path, monkeypatch, block_bytes=block_bytes)
    assert got == expected
