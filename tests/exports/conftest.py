"""Fixtures of the export tests: the bundled store, and a small store of awkward names made here."""

from __future__ import annotations

import pytest

import twinlac
from tests.conftest import GOOD_ROW, write_rows

#: Names and texts an export must carry unchanged: quotes of both kinds, a backslash,
#: a newline, a tab, non-Latin scripts, the list separator in a name and in a URL.
AWKWARD_ROWS = [
    {**GOOD_ROW, "cn_name": "Wu'xi \"New\" \\ District", "cn_name_zh": "无锡新区",
     "lac_name": "São Paulo|Norte", "notes": "first line\nsecond line\twith a tab",
     "source_url": "https://example.org/a|b?x='1'", "year": "2005", "date": "2005-06-01"},
    {**GOOD_ROW, "cn_name": "Xi'an", "cn_name_zh": "西安", "cn_province": "Shaanxi", "lac_name": "Ñuñoa",
     "lac_admin1": "Región Metropolitana de Santiago", "lac_country": "Chile", "kind": "friendship",
     "year": "", "date": "",
     "evidence": "press", "source_url": "https://example.org/xian"},
    {**GOOD_ROW, "cn_name": "Jiangsu", "cn_name_zh": "江苏", "cn_level": "province", "lac_name": "São Paulo",
     "lac_level": "province", "year": "1986", "date": "1986", "source_url": "https://example.org/js-sp"},
]


@pytest.fixture(scope="session")
def awkward_db(tmp_path_factory):
    """An embedded database holding ``AWKWARD_ROWS``, loaded twice from two sources
    (so ties carry two sources)."""
    folder = tmp_path_factory.mktemp("awkward")
    path = folder / "awkward.lbdb"
    with twinlac.open(path) as store:
        twinlac.load_file(store, write_rows(folder / "a.csv", AWKWARD_ROWS))
        again = [{**row, "source_url": row["source_url"] + "#again"} for row in AWKWARD_ROWS]
        twinlac.load_file(store, write_rows(folder / "b.csv", again))
    return path


@pytest.fixture
def awkward_store(awkward_db):
    with twinlac.open(awkward_db, read_only=True) as store:
        yield store
