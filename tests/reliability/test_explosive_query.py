"""A bounded but explosive pattern (every walk of three ties, on a store of thousands) ends in one
error line and exit code 1: stopped by --timeout, or by the engine's capped memory; never a
traceback, never a hang."""

from __future__ import annotations

import time

import pytest

from .conftest import counts, one_line_error, run
from .test_crash import MAPPING, make_pairs

pytestmark = pytest.mark.slow  # a store of thousands of ties, queries running for seconds

EXPLOSIVE = "MATCH (a)-[*3]-(b) RETURN count(*) AS n"


@pytest.fixture(scope="module")
def busy_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explosive")
    data = folder / "pairs.csv"
    make_pairs(data, 5_000, per_country=40)  # few places, many ties each: walks multiply
    db = folder / "busy.lbdb"
    result = run("load", data, *[f"--map={k}={v}" for k, v in MAPPING.items()],
                 "--source", "https://example.org/list", "--db", db, "-q")
    assert result.exit_code == 0, result.output
    assert counts(db)["TWINNED_WITH"] == 5_000
    return db


def test_an_explosive_pattern_stops_at_the_timeout_in_one_line(busy_db):
    start = time.monotonic()
    # The whole count takes about 2 s on a quiet 2-core machine: a quarter of that stops it.
    result = run("query", EXPLOSIVE, "--db", busy_db, "--timeout", "0.5")
    seconds = time.monotonic() - start
    line = one_line_error(result)
    assert "0.5 s" in line and "timeout" in line, line
    assert seconds < 30, seconds


def test_an_explosive_pattern_beyond_the_buffer_pool_ends_in_one_line(busy_db):
    start = time.monotonic()
    result = run("query", EXPLOSIVE, "--db", busy_db, "--timeout", "60", env={"TWINLAC_BUFFER_POOL_MB": "32"})
    seconds = time.monotonic() - start
    line = one_line_error(result)
    assert "buffer pool is full" in line, line
    assert seconds < 30, seconds
    # The store is intact afterwards.
    assert counts(busy_db)["TWINNED_WITH"] == 5_000
