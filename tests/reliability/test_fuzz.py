"""Fuzzing the readers and the record parser: any file ends in checked rows or a ``LoadError``
listing ``RowIssue``s, never another exception (a bounded number of examples per run)."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from twinlac.errors import LoadError
from twinlac.loaders import parse_file

from ..conftest import GOOD_ROW, HEADER

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GOOD_LINE = ",".join(f'"{GOOD_ROW[h]}"' for h in HEADER)


def parses_or_lists_issues(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            parsed = parse_file(path)
        except LoadError as exc:
            assert exc.issues and all(issue.file == str(path) for issue in exc.issues)
            assert all("\n" not in str(issue) for issue in exc.issues)  # each problem prints as one line
        else:
            assert parsed.rows_read >= 1


@SETTINGS
@given(st.binary(max_size=600))
def test_csv_body_of_arbitrary_bytes(body):
    parses_or_lists_issues("bytes.csv", (",".join(HEADER) + "\n" + GOOD_LINE + "\n").encode() + body)


@SETTINGS
@given(st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=4))
def test_csv_of_arbitrary_cells(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    try:
        data = out.getvalue().encode("utf-8")
    except UnicodeEncodeError:  # an unpaired surrogate cannot be written as UTF-8: not a file anyone has
        return
    parses_or_lists_issues("cells.csv", data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(HEADER) | st.text(max_size=6), JSON_VALUES, max_size=6),
                min_size=0, max_size=3) | JSON_VALUES)
def test_json_of_arbitrary_values(data):
    parses_or_lists_issues("values.json", json.dumps(data).encode())


@SETTINGS
@given(st.lists(st.dictionaries(st.sampled_from(HEADER), JSON_VALUES, max_size=4).map(lambda o: {**GOOD_ROW, **o}),
                min_size=1, max_size=3))
def test_json_rows_with_arbitrary_fields(rows):
    parses_or_lists_issues("rows.json", json.dumps(rows).encode())
