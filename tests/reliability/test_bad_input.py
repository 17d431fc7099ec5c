"""A matrix of malformed (and a few valid but unusual) input files, CSV, XLSX and JSON.

Each malformed file ends in exit code 1 and one error line naming the file (and the row and
field where there is one), and the store it was loaded into holds what it held before. The
valid ones (byte-order mark, CRLF line ends, a workbook's numbers) load cleanly.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

import twinlac

from ..conftest import GOOD_ROW, HEADER
from .conftest import counts, one_line_error, run

OTHER = {**GOOD_ROW, "cn_name": "Hangzhou", "cn_name_zh": "杭州", "cn_province": "Zhejiang", "lac_name": "Lima",
         "lac_admin1": "Lima", "lac_country": "Peru", "source_url": "https://example.org/hangzhou-lima"}


def csv_text(rows: list[dict], header: list[str] = HEADER, newline: str = "\n", delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore", lineterminator=newline,
                            delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        writer.writerow({**{k: "" for k in header}, **row})
    return out.getvalue()


def text(content: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode(encoding))


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def workbook(*rows: list) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    return write


def xlsx_bytes(*rows: list) -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(buffer)
    return buffer.getvalue()


def cells(row: dict) -> list:
    return [row[c] for c in HEADER]


def as_json(data: object) -> Callable[[Path], None]:
    return text(json.dumps(data, ensure_ascii=False))


def folder(path: Path) -> None:
    path.mkdir()


DEEP = "[" * 100_000 + "]" * 100_000
LONG = "x" * (csv.field_size_limit() + 1)


@dataclass(frozen=True)
class Case:
    name: str
    suffix: str
    write: Callable[[Path], None]
    #: Words the error line must hold besides the file name; None: the file is valid and loads.
    said: tuple[str, ...] | None


CASES = [
    # --- CSV ---
    Case("empty", ".csv", text(""), ("empty",)),
    Case("blank lines only", ".csv", text("\n\n  \n"), ("empty",)),
    Case("byte-order mark only", ".csv", raw(codecs.BOM_UTF8), ("empty",)),
    Case("header only", ".csv", text(csv_text([])), ("no rows",)),
    Case("semicolon delimiter", ".csv", text(csv_text([GOOD_ROW], delimiter=";")), ("row 1", "canonical")),
    Case("tab delimiter", ".csv", text(csv_text([GOOD_ROW], delimiter="\t")), ("row 1", "canonical")),
    Case("UTF-16 with BOM", ".csv", text(csv_text([GOOD_ROW]), "utf-16"), ("not UTF-8",)),
    Case("UTF-16 without BOM", ".csv", text(csv_text([GOOD_ROW]), "utf-16-le"), ("not UTF-8",)),
    Case("Latin-1", ".csv", text(csv_text([{**OTHER, "cn_name_zh": "", "notes": "Bogotá"}]), "latin-1"),
         ("row 2", "Latin-1")),
    Case("UTF-16 ASCII only", ".csv", text(csv_text([{**OTHER, "cn_name_zh": ""}]), "utf-16-le"),
         ("looks like UTF-16",)),
    Case("binary garbage", ".csv", raw(bytes(range(256)) * 4), ("not UTF-8",)),
    Case("unterminated quote", ".csv", text(csv_text([GOOD_ROW]) + '"Hangzhou,Zhejiang\n'),
         ("row 3", "never closed")),
    Case("text after a closing quote", ".csv", text(csv_text([GOOD_ROW]) + '"Hangzhou"x,Zhejiang\n'), ("row 3",)),
    Case("unterminated quote over the cell limit", ".csv", text(csv_text([GOOD_ROW]) + '"Hangzhou,' + LONG),
         ("row 3", "quote")),
    Case("cell over the limit", ".csv", text(csv_text([{**OTHER, "notes": LONG}])), ("row 2", "longer than")),
    Case("duplicate rows", ".csv", text(csv_text([OTHER, OTHER])), ("row 3",)),
    Case("future year", ".csv", text(csv_text([{**OTHER, "year": "2999", "date": ""}])), ("row 2", "'year'")),
    Case("negative year", ".csv", text(csv_text([{**OTHER, "year": "-5", "date": ""}])), ("row 2", "'year'")),
    Case("year before 1949", ".csv", text(csv_text([{**OTHER, "year": "1930", "date": ""}])), ("row 2", "'year'")),
    Case("year not a number", ".csv", text(csv_text([{**OTHER, "year": "20x5", "date": ""}])), ("row 2", "'year'")),
    Case("date against year", ".csv", text(csv_text([{**OTHER, "date": "2011-02-30"}])), ("row 2", "'date'")),
    Case("NUL in a name", ".csv", text(csv_text([{**OTHER, "cn_name": "Hang\x00zhou"}])), ("row 2", "'cn_name'")),
    Case("escape in a name", ".csv", text(csv_text([{**OTHER, "lac_name": "Li\x1bma"}])), ("row 2", "'lac_name'")),
    Case("too many cells", ".csv", text(csv_text([OTHER]).rstrip("\n") + ",extra\n"), ("row 2", "cells")),
    Case("missing required column", ".csv", text(csv_text([OTHER], [h for h in HEADER if h != "kind"])),
         ("row 1", "'kind'")),
    Case("misspelt column", ".csv", text(csv_text([OTHER], [("yaer" if h == "year" else h) for h in HEADER])),
         ("row 1", "did you mean `year`")),
    Case("empty required cell", ".csv", text(csv_text([{**OTHER, "cn_name": ""}])), ("row 2", "'cn_name'")),
    Case("unknown kind", ".csv", text(csv_text([{**OTHER, "kind": "sisters"}])), ("row 2", "'kind'")),
    Case("unknown evidence grade", ".csv", text(csv_text([{**OTHER, "evidence": "rumour"}])), ("row 2", "'evidence'")),
    Case("script as source", ".csv", text(csv_text([{**OTHER, "source_url": "javascript:alert(1)"}])),
         ("row 2", "'source_url'")),
    Case("folder named like a file", ".csv", folder, ("folder",)),
    Case("byte-order mark", ".csv", raw(codecs.BOM_UTF8 + csv_text([OTHER]).encode()), None),
    Case("CRLF line ends", ".csv", text(csv_text([OTHER], newline="\r\n")), None),
    Case("BOM and CRLF", ".csv", raw(codecs.BOM_UTF8 + csv_text([OTHER], newline="\r\n").encode()), None),
    # --- XLSX ---
    Case("truncated workbook", ".xlsx", raw(xlsx_bytes(HEADER, cells(OTHER))[:2000]), ("not a readable .xlsx",)),
    Case("zero-byte workbook", ".xlsx", text(""), ("not a readable .xlsx",)),
    Case("CSV named .xlsx", ".xlsx", text(csv_text([OTHER])), ("not a readable .xlsx",)),
    Case("empty sheet", ".xlsx", workbook(), ("empty",)),
    Case("header-only sheet", ".xlsx", workbook(HEADER), ("no rows",)),
    Case("future year in a workbook", ".xlsx", workbook(HEADER, cells({**OTHER, "year": 2999, "date": ""})),
         ("row 2", "'year'")),
    Case("misspelt column in a workbook", ".xlsx", workbook([("yaer" if h == "year" else h) for h in HEADER],
                                                            cells(OTHER)), ("row 1", "did you mean `year`")),
    Case("duplicate rows in a workbook", ".xlsx", workbook(HEADER, cells(OTHER), cells(OTHER)), ("row 3",)),
    Case("numbers in a workbook", ".xlsx", workbook(HEADER, cells({**OTHER, "year": 2005})), None),
    # --- JSON ---
    Case("empty JSON", ".json", text(""), ("not valid JSON",)),
    Case("JSON object", ".json", as_json({}), ("expected a list",)),
    Case("JSON empty list", ".json", as_json([]), ("no rows",)),
    Case("JSON list of numbers", ".json", as_json([1, 2]), ("expected a list",)),
    Case("truncated JSON", ".json", text(json.dumps([OTHER])[:-10]), ("not valid JSON",)),
    Case("JSON nested 100,000 deep", ".json", text(DEEP), ("nested too deeply",)),
    Case("JSON nested 100,000 deep in a field", ".json", text('[{"cn_name": ' + DEEP + "}]"), ("nested too deeply",)),
    Case("JSON object in a field", ".json", as_json([{**OTHER, "lac_name": {"name": "Lima"}}]),
         ("row 2", "'lac_name'")),
    Case("JSON NUL in a name", ".json", as_json([{**OTHER, "cn_name": "Hang\u0000zhou"}]), ("row 2", "'cn_name'")),
    Case("JSON unpaired surrogate", ".json", text('[' + json.dumps(OTHER)[:-1] + ', "notes": "\\ud800"}]'),
         ("row 2", "'notes'")),
    Case("JSON year NaN", ".json", text(json.dumps([{**OTHER, "year": float("nan"), "date": ""}])),
         ("row 2", "'year'")),
    Case("JSON year 1e400", ".json", text(json.dumps([{**OTHER, "date": ""}])[:-1].rstrip("}") + ', "year": 1e400}]'),
         ("row 2", "'year'")),
    Case("JSON future year", ".json", as_json([{**OTHER, "year": 2999, "date": ""}]), ("row 2", "'year'")),
    Case("JSON with byte-order mark", ".json", raw(codecs.BOM_UTF8 + json.dumps([OTHER]).encode()), None),
    Case("JSON under rows", ".json", as_json({"rows": [OTHER]}), None),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """A store holding one tie, shared by the cases that must leave it unchanged."""
    folder = tmp_path_factory.mktemp("matrix")
    db = folder / "base.lbdb"
    path = folder / "one.csv"
    path.write_text(csv_text([GOOD_ROW]), encoding="utf-8")
    with twinlac.open(db) as store:
        twinlac.load_file(store, path)
    return db


def test_the_matrix_is_large_enough():
    assert len([c for c in CASES if c.said is not None]) >= 40
    assert {c.suffix for c in CASES} == {".csv", ".xlsx", ".json"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(tmp_path, base_db, case):
    path = tmp_path / f"input{case.suffix}"
    case.write(path)
    if case.said is None:
        db = tmp_path / "copy.lbdb"
        shutil.copy(base_db, db)
        before = counts(db)
        result = run("load", path, "--db", db, "-q")
        assert result.exit_code == 0, result.output
        assert counts(db)["TWINNED_WITH"] == before["TWINNED_WITH"] + 1
        return
    before = counts(base_db)
    one_line_error(run("load", path, "--db", base_db), str(path), *case.said)
    assert counts(base_db) == before
    assert not list(tmp_path.glob("*.rejects.csv"))
