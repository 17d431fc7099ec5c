"""Wikidata: the JSON result of the SPARQL query on P190 ("twinned administrative body").

Run the query in ``wikidata_p190.rq`` (shipped beside this module; print it with
``twinlac load --wikidata-query``) on https://query.wikidata.org, download the
result as JSON, and load it with ``twinlac load result.json``. Each row becomes
a tie graded ``wikipedia`` (crowd-sourced, like the Wikipedia lists) whose source
is the item's Wikidata page; the start-time qualifier (P580) gives the date.
Wikidata usually states a twinning on both items: the second statement is
merged into the first and counted, not reported as an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from twinlac.errors import LoadError, RowIssue
from twinlac.loaders.readers import Row, open_text, refuse_controls
from twinlac.loaders.formats import FormatSpec, InputFormat, register

WIKIDATA = FormatSpec(
    name="wikidata",
    columns={
        "a_name": "itemLabel", "a_country": "itemCountryCode", "a_lat": "itemLat", "a_lon": "itemLon",
        "a_wikidata": "item", "b_name": "twinLabel", "b_country": "twinCountryCode", "b_lat": "twinLat",
        "b_lon": "twinLon", "b_wikidata": "twin", "date": "start", "source_url": "source",
    },
    constants={"evidence": "wikipedia", "kind": "sister"},
    merge_duplicates=True,
)

_POINT = re.compile(r"Point\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)", re.IGNORECASE)


def query_text() -> str:
    """The SPARQL query whose JSON result this loader reads."""
    return resources.files(__package__).joinpath("wikidata_p190.rq").read_text(encoding="utf-8")


def is_sparql_json(path: Path) -> bool:
    if path.suffix.lower() != ".json":
        return False
    head = path.read_bytes()[:2000].decode("utf-8", "ignore")
    return '"head"' in head and '"vars"' in head


def read_sparql_json(path: str | Path) -> tuple[list[str], Iterator[Row]]:
    """Rows of a SPARQL JSON result, one per binding, with Wikidata ids and coordinates split out."""
    path = Path(path)
    try:
        with open_text(path) as handle:
            data = json.load(handle)
        bindings = data["results"]["bindings"]
        variables = data["head"]["vars"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise LoadError([RowIssue(str(path), None, None, f"not a SPARQL JSON result: {exc}")]) from None
    except RecursionError:
        raise LoadError([RowIssue(str(path), None, None, "JSON nested too deeply to read")]) from None
    if not bindings:
        raise LoadError([RowIssue(str(path), None, None, "the result has no rows")])
    header = list(WIKIDATA.columns.values())

    def rows() -> Iterator[Row]:
        for index, binding in enumerate(bindings):
            cell = {v: binding.get(v, {}).get("value", "").strip() for v in variables}
            row = {
                "item": _qid(cell.get("item", "")), "itemLabel": cell.get("itemLabel", ""),
                "itemCountryCode": cell.get("itemCountryCode", ""),
                "twin": _qid(cell.get("twin", "")), "twinLabel": cell.get("twinLabel", ""),
                "twinCountryCode": cell.get("twinCountryCode", ""),
                "start": cell.get("start", "")[:10], "source": cell.get("item", ""),
            }
            for prefix in ("item", "twin"):
                match = _POINT.match(cell.get(f"{prefix}Coord", ""))
                row[f"{prefix}Lon"], row[f"{prefix}Lat"] = match.groups() if match else ("", "")
            if row["source"].startswith("http://www.wikidata.org/entity/"):
                row["source"] = "https://www.wikidata.org/wiki/" + row["item"]
            yield index + 2, row

    return header, refuse_controls(rows())


def _qid(uri: str) -> str:
    return uri.rsplit("/", 1)[-1] if uri else ""


FORMAT = register(InputFormat(
    name="wikidata",
    summary="the JSON result of the SPARQL query on P190 (twinlac load --wikidata-query)",
    detect=lambda probe: not probe.mapping and is_sparql_json(probe.path),
    spec=lambda mapping, source, evidence: WIKIDATA,
    required_columns=lambda spec: (),  # its columns are made by the reader
    read=lambda path, sheet=None: read_sparql_json(path),
    order=20,
), shipped=True)
