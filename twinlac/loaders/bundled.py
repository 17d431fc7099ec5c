"""Where the bundled data files are: inside the installed package, or ``data/`` of a checkout."""

from __future__ import annotations

from pathlib import Path

BUNDLED_FILE = "china_lac_twinnings.csv"


def bundled_data_path(name: str = BUNDLED_FILE) -> Path:
    """Path of a bundled data file: inside the installed package, or ``data/`` of a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_data" / name, package.parent / "data" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"bundled data file {name!r} not found next to {package}")
