"""Read tabular files row by row: CSV (streamed), XLSX and JSON.

Each reader yields ``(row_number, {column: text})`` with rows numbered as in a
spreadsheet (the header is row 1), so that errors can point at the row a user
sees. Cells are returned as stripped strings ("" for empty). ``read_cells`` gives a
CSV file's good rows as lists of cells instead (a load makes a dict for a rejected row only),
and ``read_cell_blocks`` most of them in blocks, column by column, read by Arrow.

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
import re
import unicodedata
import warnings
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    handle, reader, header = _open_csv(path, encoding_checked)
    return header, _csv_rows(path, handle, reader, header)


def _open_csv(path: Path, encoding_checked: bool) -> tuple[io.TextIOBase, Any, list[str]]:
    """The file opened, its CSV reader, and its header (read)."""
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
    return handle, reader, header


def _csv_rows(path: Path, handle: io.TextIOBase, reader: Any, header: list[str]) -> Iterator[CellsRow]:
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
            row = _record(header, index + 1, cells)
            if row is not None:
                yield row


def _record(header: list[str], number: int, cells: list[str]) -> CellsRow | None:
    """A CSV record as ``read_cells`` gives it, None for a blank one."""
    joined = "".join(cells)
    if not joined.strip():
        return None  # blank line (one test of the whole row: no cell holds more than spaces)
    if len(cells) > len(header):
        extra = ", ".join(repr(c) for c in cells[len(header):])
        return number, {**{h: _clean(c) for h, c in zip(header, cells)},
                        "__error__": f"{len(cells)} cells for {len(header)} columns (extra: {extra})"}
    cells = list(map(str.strip, cells))  # a CSV cell is text already
    if len(cells) < len(header):
        cells += [""] * (len(header) - len(cells))
    # One test of the whole row first, as refuse_controls; the cells as read hold every
    # character of the stripped ones, so that test is the stripped cells' only if it fails.
    if not joined.isprintable() and not "".join(cells).isprintable():
        marked = _marked(dict(zip(header, cells)))
        if "__error__" in marked:
            return number, marked
    return number, cells


@dataclass(slots=True)
class CellBlock:
    """Consecutive rows of a CSV file column by column, as ``read_cells`` would give them one by
    one (each column a list of stripped cells, in the header's order), the first numbered ``first``."""

    first: int
    columns: list[list[str]]
    #: The same columns as Arrow read them (not stripped), when it did.
    arrays: list[Any] | None = None

    def __len__(self) -> int:
        return len(self.columns[0]) if self.columns else 0

    def cells(self, at: int) -> list[str]:
        """The cells of the block's row ``at`` (0 for its first)."""
        return [column[at] for column in self.columns]


#: Bytes of a CSV file Arrow reads at a time for ``read_cell_blocks``.
BLOCK_BYTES = 4 << 20
# A control character ``bad_character`` names (the file is UTF-8: it holds no surrogate).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A cell ``read_cell_blocks`` takes as it is: empty, or printable ASCII with no space at either end.
_PLAIN = r"^([!-~]([ -~]*[!-~])?)?$"


def read_cell_blocks(path: str | Path, *, encoding_checked: bool = False
                     ) -> tuple[list[str], Iterator[CellsRow | CellBlock]]:
    """``read_cells`` of a CSV file, with most rows given as ``CellBlock``s, read by Arrow, for a
    check column by column (``RecordParser.parse_block``). The rows and their cells are the same
    as ``read_cells`` gives.

    Arrow reads the file a block at a time while the blocks hold no double quote and no NUL byte
    (there its parser and Python's agree on every row and cell), and stops at the first block
    holding one, or at the first row it reads otherwise than the CSV module would (a row with too
    many or too few cells, a blank line, a cell over the CSV module's size limit): the rest of the
    file is then given row by row. A row holding a control character
    is given as ``read_cells`` gives it, in its place. Any other file is read by ``read_cells``."""
    path = Path(path)
    if path.suffix.lower() != ".csv" or path.is_dir():
        return read_cells(path, encoding_checked=encoding_checked)
    handle, reader, header = _open_csv(path, encoding_checked)
    return header, _blocks(path, handle, reader, header)


def _blocks(path: Path, handle: io.TextIOBase, reader: Any, header: list[str]) -> Iterator[CellsRow | CellBlock]:
    """``read_cell_blocks``'s rows: in blocks while Arrow reads them as the CSV module would, then row by row."""
    try:
        number = yield from _arrow_blocks(path, header)  # the number of the first row not given yet
    except BaseException:
        handle.close()
        raise
    if number is None:
        handle.close()
        return
    for row in _csv_rows(path, handle, reader, header):
        if row[0] >= number:
            yield row


def _arrow_blocks(path: Path, header: list[str]) -> Generator[CellsRow | CellBlock, None, int | None]:
    """The rows in blocks read by Arrow, as ``read_cell_blocks`` says; returns None at the file's end,
    else the number of the first row it leaves to the CSV module."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pv

    names = [f"c{at}" for at in range(len(header))]
    limit = csv.field_size_limit()
    number = 2
    options = {"read_options": pv.ReadOptions(column_names=names),
               "parse_options": pv.ParseOptions(quote_char=False, ignore_empty_lines=False),
               "convert_options": pv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                    strings_can_be_null=False, quoted_strings_can_be_null=False)}
    for chunk in _line_chunks(path):
        if b'"' in chunk or b"\x00" in chunk:  # a quote may join lines; the CSV module refuses a NUL
            return number
        try:
            table = pv.read_csv(pa.BufferReader(chunk), **options)
        except pa.ArrowInvalid:
            return number  # a row Arrow does not read as the CSV module does: row by row from here
        arrays, size = [column.combine_chunks() for column in table.columns], table.num_rows
        lengths = [pc.binary_length(array) for array in arrays]
        if any((pc.max(length).as_py() or 0) > limit for length in lengths):
            return number
        columns, special, blank = [], set(), None
        for array, length in zip(arrays, lengths, strict=True):
            # A cell of printable ASCII, no space at either end, is as read_cells gives it; any
            # other one is stripped here, and its row read as read_cells reads it when it holds a
            # control character.
            if printable_ascii(array):
                odd = pc.or_(pc.starts_with(array, " "), pc.ends_with(array, " "))
            else:
                odd = pc.invert(pc.match_substring_regex(array, _PLAIN))
            column = array.to_pylist()
            for at in pc.indices_nonzero(odd).to_pylist():
                if _CONTROL.search(column[at]):
                    special.add(at)
                column[at] = column[at].strip()
            columns.append(column)
            empty_or_odd = pc.or_(pc.equal(length, 0), odd)  # a row of such cells only may be blank
            blank = empty_or_odd if blank is None else pc.and_(blank, empty_or_odd)
        if blank is not None:
            special.update(pc.indices_nonzero(blank).to_pylist())
        # Rows a control character or blank cells make special are read as read_cells reads them.
        start = 0
        for at in sorted(special):
            if at > start:
                yield CellBlock(number + start, [column[start:at] for column in columns],
                                [array.slice(start, at - start) for array in arrays])
            row = _record(header, number + at, [array[at].as_py() for array in arrays])
            if row is not None:
                yield row
            start = at + 1
        if start == 0:
            yield CellBlock(number, columns, arrays)
        elif start < size:
            yield CellBlock(number + start, [column[start:] for column in columns],
                            [array.slice(start) for array in arrays])
        number += size
    return None


def rows_numbered(columns: list[Any]) -> Any:
    r"""The rows of Arrow string ``columns`` (of one block) numbered by their cells: Arrow's
    dictionary encoding of the cells joined by U+001F, so that rows with the same cells get one
    number, with no Python object made a row; its ``dictionary`` holds each number's joined cells.
    Two rows with the same string differ only if a cell holds U+001F (no cell of a ``CellBlock``
    does: a control character makes its row one of its own).

    >>> import pyarrow as pa
    >>> numbered = rows_numbered([pa.array(["Wuxi", "Wuxi", "Suzhou"]), pa.array(["CN", "CN", "CN"])])
    >>> numbered.indices.to_pylist(), numbered.dictionary.to_pylist()
    ([0, 0, 1], ['Wuxi\x1fCN', 'Suzhou\x1fCN'])
    """
    import pyarrow.compute as pc

    joined = columns[0] if len(columns) == 1 else pc.binary_join_element_wise(*columns, "\x1f")
    return joined.dictionary_encode()


def printable_ascii(array: Any) -> bool:
    """Whether every cell of a string ``array`` is printable ASCII or spaces (bytes 32 to 126): its
    bytes tested at once by numpy, faster than a regular expression over them.

    >>> import pyarrow as pa
    >>> printable_ascii(pa.array(["São Paulo"])), printable_ascii(pa.array(["Sao Paulo", ""]))
    (False, True)
    """
    import numpy as np
    import pyarrow as pa

    offsets, data = array.buffers()[1:3]
    if data is None or len(array) == 0:
        return True
    wide = pa.types.is_large_string(array.type)
    ends = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)[array.offset:array.offset + len(array) + 1]
    used = np.frombuffer(data, dtype=np.uint8)[ends[0]:ends[-1]]
    # A byte below 32 wraps round to 224 or more: one comparison finds both ends of the range.
    return not bool(np.any(used - np.uint8(32) > 94))


def _line_chunks(path: Path) -> Iterator[bytes]:
    """The file's bytes after its header line, about ``BLOCK_BYTES`` at a time, each ending at a line
    break (the file holds no quote: a line break ends a row). Read one at a time, so that no more
    than one block is held (Arrow's own streaming reader reads many ahead)."""
    with path.open("rb") as handle:
        rest, header = b"", True
        while block := handle.read(BLOCK_BYTES):
            block = rest + block
            if header:  # skipped: up to its line break (\r\n, \n or \r, as the CSV module takes them)
                first = min((at for at in (block.find(b"\n"), block.find(b"\r")) if at >= 0), default=-1)
                if first < 0 or (block[first:first + 1] == b"\r" and first == len(block) - 1):
                    rest = block  # not all read yet
                    continue
                block, header = block[first + (2 if block[first:first + 2] == b"\r\n" else 1):], False
            end = max(block.rfind(b"\n"), block.rfind(b"\r"))
            if end < 0 or (block[end:end + 1] == b"\r" and end == len(block) - 1):
                rest = block  # no whole line yet, or a \r a \n may follow
                continue
            rest = block[end + 1:]
            yield block[:end + 1]
        if rest and not header:
            yield rest


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
