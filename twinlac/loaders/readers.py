"""Read tabular files row by row: CSV (streamed), XLSX and JSON.

Each reader yields ``(row_number, {column: text})`` with rows numbered as in a
spreadsheet (the header is row 1), so that errors can point at the row a user
sees. Cells are returned as stripped strings ("" for empty). ``read_cells`` gives a
CSV file's good rows as lists of cells instead (a load makes a dict for a rejected row only).

A row that cannot be taken as it is (more cells than columns, a control
character or a lone surrogate in a cell, a JSON value nested in a cell) is
yielded with its cells and an ``"__error__"`` key saying what is wrong, so that
the check reports it with its row and a rejects file keeps its cells. A file
that cannot be read at all (a directory, a cell over the CSV module's size
limit, JSON nested too deeply) raises ``LoadError`` naming the file and, when
known, the row.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
import warnings
from collections.abc import Iterator
from pathlib import Path

from twinlac.errors import LoadError, RowIssue

Row = tuple[int, dict[str, str]]
#: A row as ``read_cells`` gives it: its cells in the header's order, or (a row with a problem) a dict.
CellsRow = tuple[int, list[str] | dict[str, str]]


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
        head = handle.read(4096)
        if head.count(b"\x00") * 4 >= len(head) > 0:  # a NUL every other byte or so: UTF-16 or UTF-32 text
            raise LoadError([RowIssue(str(path), None, None, "not UTF-8 (it looks like UTF-16): save it as UTF-8")])
        handle.seek(0)
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


def open_text(path: Path, *, checked: bool = False) -> io.TextIOBase:
    """The file as a text stream: UTF-8 with or without a byte-order mark (checked first, unless
    ``checked``: this process or another has checked it already)."""
    if not checked:
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


def read_rows(path: str | Path, sheet: str | None = None) -> tuple[list[str], Iterator[Row]]:
    """The header and an iterator of rows of a CSV, XLSX or JSON file.

    XLSX: the sheet called ``sheet``, by default the first (a workbook with
    several sheets warns which one was read). JSON: a list of objects (the keys
    of the first one are the header), or an object with such a list under
    ``"rows"`` or ``"agreements"``.
    """
    header, rows = read_cells(path, sheet)
    return header, ((number, dict(zip(header, cells)) if type(cells) is list else cells)  # noqa: E721
                    for number, cells in rows)


def read_cells(path: str | Path, sheet: str | None = None, *,
               encoding_checked: bool = False) -> tuple[list[str], Iterator[CellsRow]]:
    """``read_rows``, but a CSV file's rows as their cells: each row that holds no problem is a
    list in the header's order (the cells a row lacks are ""), each other one the dict
    ``read_rows`` gives (with ``"__error__"``). A large load builds a dict per row only for the
    rows it rejects. Other files' rows are dicts. ``encoding_checked``: a CSV file read already
    (by another process) is not checked again for UTF-8 (a pass over the whole file)."""
    path = Path(path)
    if path.is_dir():
        raise LoadError([RowIssue(str(path), None, None, "is a folder, not a file: give the file inside it")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        header, rows = _read_xlsx(path, sheet)
    elif sheet is not None:
        raise LoadError([RowIssue(str(path), None, None, "a sheet can be chosen in an .xlsx file only")])
    elif suffix == ".json":
        header, rows = _read_json(path)
    else:
        return _read_csv(path, encoding_checked)
    return header, refuse_controls(rows)


def bad_character(text: str) -> str | None:
    r"""The first character a cell must not hold, described: a control character other than tab,
    line feed and carriage return (NUL included), or an unpaired surrogate; None when it has none.

    >>> bad_character("Camp\x00inas"), bad_character("São Paulo\tBR"), bad_character("x\u200by")
    ('the control character U+0000', None, None)
    """
    for char in text:
        if char in "\t\n\r":
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            return f"the control character U+{ord(char):04X}"
        if category == "Cs":
            return f"the unpaired surrogate U+{ord(char):04X}"
    return None


def refuse_controls(rows: Iterator[Row]) -> Iterator[Row]:
    """The rows, each one with a cell holding a ``bad_character`` marked with an ``"__error__"``."""
    for number, raw in rows:
        # One test of the whole row first: nearly every row is printable throughout.
        if "__error__" not in raw and not "".join(raw.values()).isprintable():
            raw = _marked(raw)
        yield number, raw


def _marked(raw: dict[str, str]) -> dict[str, str]:
    """The row, marked with an ``"__error__"`` if a cell holds a ``bad_character``."""
    for column, value in raw.items():
        found = None if value.isprintable() else bad_character(value)
        if found:
            return {**raw, "__error__": f"field {column!r} holds {found}; remove it"}
    return raw


def _csv_error(path: Path, row: int, exc: csv.Error) -> LoadError:
    message = str(exc)
    if "field limit" in message:
        message = (f"a cell is longer than {csv.field_size_limit():,} characters, the most a CSV cell may hold "
                   "(is a quote left open above it?)")
    elif "unexpected end of data" in message:
        message = "a quote opened in this row is never closed"
    return LoadError([RowIssue(str(path), row, None, f"cannot read the CSV: {message}")])


def _read_csv(path: Path, encoding_checked: bool = False) -> tuple[list[str], Iterator[CellsRow]]:
    handle = open_text(path, checked=encoding_checked)  # streamed: rows are read as they are asked for
    reader = csv.reader(handle, strict=True)  # a quote left open is an error, not the rest of the file in one cell
    try:
        header = [h.strip() for h in next(reader, [])]
    except csv.Error as exc:
        handle.close()
        raise _csv_error(path, 1, exc) from None
    if not any(header):
        handle.close()
        raise LoadError([RowIssue(str(path), None, None, "the file is empty (no header row)")])

    def rows() -> Iterator[CellsRow]:
        with handle:
            index = 0
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise _csv_error(path, index + 2, exc) from None
                index += 1
                joined = "".join(cells)
                if not joined.strip():
                    continue  # blank line (one test of the whole row: no cell holds more than spaces)
                if len(cells) > len(header):
                    extra = ", ".join(repr(c) for c in cells[len(header):])
                    yield index + 1, {**{h: _clean(c) for h, c in zip(header, cells)},
                                      "__error__": f"{len(cells)} cells for {len(header)} columns (extra: {extra})"}
                    continue
                cells = list(map(str.strip, cells))  # a CSV cell is text already
                if len(cells) < len(header):
                    cells += [""] * (len(header) - len(cells))
                # One test of the whole row first, as refuse_controls; the cells as read hold every
                # character of the stripped ones, so that test is the stripped cells' only if it fails.
                if not joined.isprintable() and not "".join(cells).isprintable():
                    marked = _marked(dict(zip(header, cells)))
                    if "__error__" in marked:
                        yield index + 1, marked
                        continue
                yield index + 1, cells

    return header, rows()


def _read_xlsx(path: Path, sheet_name: str | None = None) -> tuple[list[str], Iterator[Row]]:
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - a dependency, but say what to do
        raise LoadError([RowIssue(str(path), None, None, "reading .xlsx needs openpyxl: pip install openpyxl")]) from exc
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a bad file
        raise LoadError([RowIssue(str(path), None, None, f"not a readable .xlsx file: {exc}")]) from None
    names = book.sheetnames
    if sheet_name is not None and sheet_name not in names:
        book.close()
        raise LoadError([RowIssue(str(path), None, None,
                                  f"no sheet {sheet_name!r}; the sheets: {', '.join(map(repr, names))}")])
    if sheet_name is None and len(names) > 1:
        warnings.warn(f"{path} has {len(names)} sheets ({', '.join(map(repr, names))}); read the first, "
                      f"{names[0]!r} (--sheet NAME to choose another)", stacklevel=2)
    chosen = sheet_name if sheet_name is not None else names[0]
    sheet = book[chosen]
    values = sheet.iter_rows(values_only=True)
    header = [_clean(h) for h in next(values, ())]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        book.close()
        raise LoadError([RowIssue(str(path), None, None, f"sheet {chosen!r} is empty (no header row)")])

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
    except RecursionError:
        raise LoadError([RowIssue(str(path), None, None,
                                  "JSON nested too deeply to read; give a list of flat objects")]) from None
    if isinstance(data, dict):
        data = data.get("rows", data.get("agreements"))
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise LoadError([RowIssue(str(path), None, None, "expected a list of objects (or {\"rows\": [...]})")])
    if not data:
        raise LoadError([RowIssue(str(path), None, None, "the file has no rows")])
    header = list(dict.fromkeys(k for record in data for k in record))
    # JSON rows are numbered from 2 too, as if the keys were a header row.
    return header, (_json_row(header, i + 2, r) for i, r in enumerate(data))


def _flat(value) -> bool:
    """Text, a number, a boolean, null, or a list of these: what a cell can hold."""
    if isinstance(value, list):
        return all(not isinstance(v, (list, dict)) for v in value)
    return not isinstance(value, dict)


def _json_row(header: list[str], number: int, record: dict) -> Row:
    nested = next((k for k in header if not _flat(record.get(k))), None)
    if nested is not None:
        cells = {k: _clean(record.get(k)) if _flat(record.get(k)) else "" for k in header}
        return number, {**cells, "__error__": f"field {nested!r} holds nested lists or objects; "
                                              "give text, a number or a list of texts"}
    return number, {k: _clean(record.get(k)) for k in header}
