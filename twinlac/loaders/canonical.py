"""The canonical agreements table (the bundled ``data/china_lac_twinnings.csv`` format).

One row per agreement between a Chinese party and a LAC party. Every row is
validated and every place resolved before anything is written: a file with
errors raises ``LoadError`` listing each one (file, row, field, reason).
Rows are numbered as in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from twinlac.errors import LoadError, RowIssue
from twinlac.graph import groupings as g
from twinlac.graph.ids import locality_id, tie_id
from twinlac.graph.model import EVIDENCE_GRADES, KINDS, LEVELS, STATUSES, GraphFrames
from twinlac.loaders.resolve import Match, resolve_country, resolve_province

REQUIRED_COLUMNS = (
    "cn_name", "cn_level", "cn_province", "lac_name", "lac_level", "lac_admin1", "lac_country",
    "kind", "source_url", "evidence",
)
OPTIONAL_COLUMNS = ("cn_name_zh", "year", "date", "status", "source_title", "notes", "themes")

#: The People's Republic was founded in 1949: no Chinese party twinned before it.
FIRST_YEAR = 1949
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)


@dataclass
class ParsedFile:
    """A validated file: the graph rows to write and how each place was resolved."""

    path: Path
    rows_read: int
    frames: GraphFrames
    resolutions: list[tuple[int, str, str, Match]] = field(default_factory=list)  # (row, field, value, match)


def read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without a byte-order mark."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError([RowIssue(
            str(path), line, None,
            f"not UTF-8 (byte 0x{data[exc.start]:02x} on line {line}); save the file as UTF-8",
        )]) from None


def parse_agreements(path: str | Path, *, today: dt.date | None = None) -> ParsedFile:
    """Validate a canonical agreements CSV and turn it into graph rows.

    Raises ``LoadError`` with every problem found; nothing is returned then.

    Example
    -------
    >>> parsed = parse_agreements("data/china_lac_twinnings.csv")  # doctest: +SKIP
    >>> len(parsed.frames.rels["TWINNED_WITH"])  # doctest: +SKIP
    281
    """
    path = Path(path)
    today = today or dt.date.today()
    text = read_text(path)
    name = str(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise LoadError([RowIssue(name, None, None, "the file is empty (no header row)")])
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise LoadError([RowIssue(name, 1, c, "required column is missing") for c in missing])

    issues: list[RowIssue] = []
    parsed = ParsedFile(path, 0, GraphFrames())
    builder = _Builder()
    seen_pairs: dict[str, int] = {}
    for index, raw in enumerate(reader):
        row_number = index + 2
        parsed.rows_read += 1
        if None in raw:  # more cells than header columns
            issues.append(RowIssue(name, row_number, None, f"{len(header) + len(raw[None])} cells for {len(header)} columns"))
            continue
        row = {k: (v or "").strip() for k, v in raw.items()}
        problems: list[RowIssue] = []

        def bad(field_name: str, message: str) -> None:
            problems.append(RowIssue(name, row_number, field_name, message))

        for column in REQUIRED_COLUMNS:
            if not row.get(column):
                bad(column, "is empty")
        for column in ("cn_level", "lac_level"):
            if row.get(column) and row[column] not in LEVELS:
                bad(column, f"unknown level {row[column]!r} (expected {' or '.join(LEVELS)})")
        if row.get("kind") and row["kind"] not in KINDS:
            bad("kind", f"unknown kind {row['kind']!r} (expected one of {', '.join(KINDS)})")
        status = row.get("status") or "active"
        if status not in STATUSES:
            bad("status", f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        if row.get("evidence") and row["evidence"] not in EVIDENCE_GRADES:
            bad("evidence", f"unknown evidence grade {row['evidence']!r} (expected one of {', '.join(EVIDENCE_GRADES)})")
        if row.get("source_url") and not _URL.match(row["source_url"]):
            bad("source_url", f"not an http(s) URL: {row['source_url']!r}")
        year = _parse_year(row.get("year", ""), today, bad)
        date = _parse_date(row.get("date", ""), year, today, bad)
        if year is None and date:
            year = int(date[:4])

        cn_province = lac_country = lac_province = None
        if row.get("cn_province"):
            cn_province = _resolved(resolve_province(row["cn_province"], g.CHINA), "cn_province", row_number, row, parsed, bad)
        if row.get("lac_country"):
            match = _resolved(resolve_country(row["lac_country"]), "lac_country", row_number, row, parsed, bad)
            if match and match.code not in g.LAC_SUBREGION:
                bad("lac_country", f"{row['lac_country']!r} ({match.code}) is not a CELAC member state")
            elif match:
                lac_country = match
        if lac_country and row.get("lac_admin1"):
            lac_province = _resolved(resolve_province(row["lac_admin1"], lac_country.code), "lac_admin1", row_number, row, parsed, bad)

        if problems or not (cn_province and lac_country and lac_province):
            issues.extend(problems)
            continue
        cn_party = builder.party("china", row["cn_level"], row["cn_name"], row.get("cn_name_zh") or None, cn_province, "CN")
        lac_party = builder.party("lac", row["lac_level"], row["lac_name"], None, lac_province, lac_country.code, admin1=row["lac_admin1"])
        tid = tie_id(cn_party[1], lac_party[1])
        if tid in seen_pairs:
            issues.append(RowIssue(name, row_number, "lac_name", f"same pair of parties as row {seen_pairs[tid]} ({tid})"))
            continue
        seen_pairs[tid] = row_number
        themes = [t.strip() for t in row.get("themes", "").split(";") if t.strip()]
        builder.ties.append({
            "from_label": cn_party[0], "from_id": cn_party[1], "to_label": lac_party[0], "to_id": lac_party[1],
            "id": tid, "kind": row["kind"], "year": year, "date": date, "status": status, "themes": themes,
            "source_url": row["source_url"], "source_title": row.get("source_title") or None,
            "evidence": row["evidence"], "notes": row.get("notes") or None,
        })
    if parsed.rows_read == 0 and not issues:
        issues.append(RowIssue(name, None, None, "the file has a header but no rows"))
    if issues:
        raise LoadError(issues)
    parsed.frames = builder.frames()
    return parsed


def _parse_year(value: str, today: dt.date, bad) -> int | None:
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        bad("year", f"not a year: {value!r}")
        return None
    year = int(value)
    if year > today.year:
        bad("year", f"{year} is in the future")
        return None
    if year < FIRST_YEAR:
        bad("year", f"{year} is before {FIRST_YEAR}, when the People's Republic was founded")
        return None
    return year


def _parse_date(value: str, year: int | None, today: dt.date, bad) -> str | None:
    if not value:
        return None
    match = _DATE.match(value)
    if not match:
        bad("date", f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
        return None
    y, m, d = (int(p) if p else None for p in match.groups())
    try:
        dt.date(y, m or 1, d or 1)
    except ValueError:
        bad("date", f"no such date: {value!r}")
        return None
    if year is not None and y != year:
        bad("date", f"{value} does not fall in the row's year {year}")
    elif year is None and (y > today.year or y < FIRST_YEAR):
        bad("date", f"{value} is outside {FIRST_YEAR}–{today.year}")
    return value


def _resolved(result, field_name, row_number, row, parsed, bad) -> Match | None:
    if isinstance(result, Match):
        if result.method != "exact":
            parsed.resolutions.append((row_number, field_name, row[field_name], result))
        return result
    bad(field_name, result.describe())
    return None


class _Builder:
    """Accumulates party nodes and structural edges for the rows of one file."""

    def __init__(self) -> None:
        self.localities: dict[str, dict] = {}
        self.provinces: dict[str, dict] = {}
        self.ties: list[dict] = []

    def party(self, side, level, name, name_zh, province: Match, country, admin1=None) -> tuple[str, str]:
        if side == "lac" and province.code not in self.provinces:
            self.provinces[province.code] = {
                "id": province.code, "name": admin1 or province.name, "name_zh": None,
                "iso_name": province.name, "type": None, "level": "province", "side": "lac",
                "province": province.code, "country": country, "nbs_region": None, "coastal": None,
                "lat": None, "lon": None,
            }
        if level == "province":
            return "Province", province.code
        node_id = locality_id(province.code, name)
        self.localities.setdefault(node_id, {
            "id": node_id, "name": name, "name_zh": name_zh, "level": "city", "side": side,
            "province": province.code, "country": country, "lat": None, "lon": None,
        })
        return "Locality", node_id

    def frames(self) -> GraphFrames:
        import pycountry

        frames = GraphFrames()
        for row in self.provinces.values():
            row["type"] = getattr(pycountry.subdivisions.get(code=row["id"]), "type", None)
        frames.add_nodes("Province", list(self.provinces.values()))
        frames.add_nodes("Locality", list(self.localities.values()))
        frames.add_rels("IN_COUNTRY", [
            {"from_label": "Province", "from_id": p["id"], "to_label": "Country", "to_id": p["country"]}
            for p in self.provinces.values()
        ])
        frames.add_rels("IN_PROVINCE", [
            {"from_label": "Locality", "from_id": x["id"], "to_label": "Province", "to_id": x["province"]}
            for x in self.localities.values()
        ])
        frames.add_rels("TWINNED_WITH", self.ties)
        return frames
