"""Hostile names (any unicode a cell may hold: markup, quotes, right-to-left and zero-width marks,
emoji) round-trip byte-exact through load -> query -> JSON and CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import twinlac
from twinlac.loaders import load_file

from ..conftest import GOOD_ROW, write_rows
from .conftest import run

pytestmark = pytest.mark.slow  # a store per example

# Any character a cell may hold (no control characters, no unpaired surrogates), with the
# characters an attacker would reach for made likely.
NAMES = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(list("<>&'\"`\\/\u202e\u200b\u2028;,")),
    min_size=1, max_size=24,
).map(str.strip).filter(lambda name: any(c.isalnum() for c in name))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
@example(name="</script><script>alert(1)</script>")
@example(name="\u202eالقاهرة \U0001f3d9\u200b'\"")
def test_names_round_trip_through_json_and_csv(tmp_path_factory, name):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "names.lbdb"
    path = write_rows(folder / "names.csv", [{**GOOD_ROW, "cn_name": name, "notes": name}])
    with twinlac.open(db) as store:
        load_file(store, path, geocode=False)
    cypher = "MATCH (a:Locality)-[t:TWINNED_WITH]->() RETURN a.name AS name, t.notes AS notes"
    as_json = run("query", cypher, "--db", db, "-f", "json")
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == [{"name": name, "notes": name}]
    as_csv = run("query", cypher, "--db", db, "-f", "csv")
    assert list(csv.DictReader(io.StringIO(as_csv.stdout))) == [{"name": name, "notes": name}]
