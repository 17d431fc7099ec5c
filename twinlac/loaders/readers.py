"""Read tabular files row by row: CSV (streamed), XLSX and JSON.

Each reader yields ``(row_number, {column: text})`` with rows numbered as in a
spreadsheet (the header is row 1), so that errors can point at the row a user
sees. Cells are returned as stripped strings ("" for empty).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from twinlac.errors import LoadError, RowIssue

Row = tuple[int, dict[str, str]]


#: Bytes read at a time when checking a file's encoding.
_CHUNK = 1 << 20


def check_utf8(path: Path) -> None:
    """Fail with file and line when ``path`` is not UTF-8 (a byte-order mark is fine).

    Reads the file in chunks, so a large file is checked in bounded memory. When
    the bytes read as Latin-1 text, the message says so.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, offset = 1, 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            held = len(decoder.getstate()[0])  # bytes of a character split across chunks
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = exc.start - held  # exc.start counts from the held bytes, not from the chunk
                _not_utf8(path, offset + at, lines + chunk[: max(at, 0)].count(b"\n"))
            lines += chunk.count(b"\n")
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            _not_utf8(path, offset - 1, lines)


def _not_utf8(path: Path, position: int, line: int) -> None:
    data = path.read_bytes()  # the error path only: find the byte and judge the encoding
    position = max(0, min(position, len(data) - 1))
    byte = data[position]
    hint = "; save it as UTF-8"
    if not any(0x80 <= b <= 0x9F for b in data):  # no C1 controls: plausible Latin-1 text
        hint = f"; it looks like Latin-1 (e.g. {data[position:position + 1].decode('latin-1')!r}): save it as UTF-8"
    raise LoadError([RowIssue(str(path), line, None, f"not UTF-8 (byte 0x{byte:02x} on line {line}){hint}")])


def open_text(path: Path) -> io.TextIOBase:
    """The file as a text stream: UTF-8 with or without a byte-order mark (checked first)."""
    check_utf8(path)
    return path.open("r", encoding="utf-8-sig", newline="")


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):  # JSON themes: ["culture", "trade"]
        return ";".join(_clean(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets store 2015 as 2015.0
    return str(value).strip()


def read_rows(path: str | Path) -> tuple[list[str], Iterator[Row]]:
    """The header and an iterator of rows of a CSV, XLSX or JSON file.

    JSON: a list of objects (the keys of the first one are the header), or an
    object with such a list under ``"rows"`` or ``"agreements"``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".json":
        return _read_json(path)
    return _read_csv(path)


def _read_csv(path: Path) -> tuple[list[str], Iterator[Row]]:
    handle = open_text(path)  # streamed: rows are read as they are asked for
    reader = csv.reader(handle)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        handle.close()
        raise LoadError([RowIssue(str(path), None, None, "the file is empty (no header row)")])

    def rows() -> Iterator[Row]:
        with handle:
            for index, cells in enumerate(reader):
                if not any(c.strip() for c in cells):
                    continue  # blank line
                if len(cells) > len(header):
                    yield index + 2, {"__error__": f"{len(cells)} cells for {len(header)} columns"}
                    continue
                yield index + 2, {h: _clean(c) for h, c in zip(header, cells + [""] * (len(header) - len(cells)))}

    return header, rows()


def _read_xlsx(path: Path) -> tuple[list[str], Iterator[Row]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - a dependency, but say what to do
        raise LoadError([RowIssue(str(path), None, None, "reading .xlsx needs openpyxl: pip install openpyxl")]) from exc
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise LoadError([RowIssue(str(path), None, None, f"not a readable .xlsx file: {exc}")]) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_clean(h) for h in next(values, ())]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise LoadError([RowIssue(str(path), None, None, "the first sheet is empty (no header row)")])

    def rows() -> Iterator[Row]:
        for index, cells in enumerate(values):
            cells = [_clean(c) for c in cells]
            if not any(cells):
                continue
            yield index + 2, dict(zip(header, cells + [""] * (len(header) - len(cells))))
        book.close()

    return header, rows()


def _read_json(path: Path) -> tuple[list[str], Iterator[Row]]:
    try:
        with open_text(path) as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise LoadError([RowIssue(str(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]) from None
    if isinstance(data, dict):
        data = data.get("rows", data.get("agreements"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise LoadError([RowIssue(str(path), None, None, "expected a list of objects (or {\"rows\": [...]})")])
    if not data:
        raise LoadError([RowIssue(str(path), None, None, "the file has no rows")])
    header = list(dict.fromkeys(k for record in data for k in record))
    # JSON rows are numbered from 2 too, as if the keys were a header row.
    return header, ((i + 2, {k: _clean(r.get(k)) for k in header}) for i, r in enumerate(data))
