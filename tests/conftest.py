"""Shared fixtures: the bundled CSV read independently with pandas, and real embedded stores."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import twinlac

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_CSV = ROOT / "data" / "china_lac_twinnings.csv"

HEADER = [
    "cn_name", "cn_name_zh", "cn_level", "cn_province", "lac_name", "lac_level", "lac_admin1",
    "lac_country", "kind", "year", "date", "status", "source_url", "source_title", "evidence", "notes",
]
GOOD_ROW = {
    "cn_name": "Wuxi", "cn_name_zh": "无锡", "cn_level": "city", "cn_province": "Jiangsu",
    "lac_name": "São Paulo", "lac_level": "city", "lac_admin1": "São Paulo", "lac_country": "Brazil",
    "kind": "sister", "year": "2005", "date": "2005-06-01", "status": "active",
    "source_url": "https://example.org/wuxi-sao-paulo", "source_title": "Example source",
    "evidence": "official", "notes": "",
}


@pytest.fixture(scope="session")
def csv_frame() -> pd.DataFrame:
    """The bundled data as pandas reads it: the independent source of expected numbers."""
    return pd.read_csv(BUNDLED_CSV, dtype=str, keep_default_na=False)


@pytest.fixture(scope="session")
def loaded_db(tmp_path_factory) -> Path:
    """An on-disk embedded database holding the bundled data (built once per session)."""
    path = tmp_path_factory.mktemp("bundled") / "twinlac.lbdb"
    with twinlac.open(path) as store:
        twinlac.load_agreements(store)
    return path


@pytest.fixture
def loaded_store(loaded_db):
    """The bundled database, opened read-only for one test."""
    with twinlac.open(loaded_db, read_only=True) as store:
        yield store


@pytest.fixture
def store(tmp_path):
    """A new, empty (reference data only) embedded store on disk."""
    with twinlac.open(tmp_path / "test.lbdb") as opened:
        yield opened


def write_rows(path: Path, rows: list[dict], header: list[str] = HEADER) -> Path:
    """Write a small agreements CSV for a test."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**{k: "" for k in header}, **row})
    return path


def store_rows(store) -> dict[str, list[tuple]]:
    """Every row of every table of a store, sorted: nodes' properties, relationships' ends and properties."""
    from twinlac.graph.model import NODE_TABLES, REL_TABLES

    rows = {}
    for label, columns in NODE_TABLES.items():
        values = ", ".join(f"n.{name}" for name, _ in columns)
        found = store.query_rows(f"MATCH (n:{label}) RETURN {values}", max_rows=None).rows  # all, not the first 10,000
        rows[label] = sorted(map(tuple, found), key=repr)
    for rel_type, (_, props) in REL_TABLES.items():
        values = ", ".join(["labels(a)", "a.id", "labels(b)", "b.id", *(f"r.{name}" for name, _ in props)])
        found = store.query_rows(f"MATCH (a)-[r:{rel_type}]->(b) RETURN {values}", max_rows=None).rows
        rows[rel_type] = sorted(map(tuple, found), key=repr)
    return rows
