"""Loaders: read files, validate and resolve every row, write all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from twinlac.graph.store import GraphStore, WriteReport
from twinlac.loaders.canonical import parse_agreements
from twinlac.loaders.resolve import Match

BUNDLED_FILE = "china_lac_twinnings.csv"

__all__ = ["LoadReport", "bundled_data_path", "load_agreements", "parse_agreements"]


def bundled_data_path(name: str = BUNDLED_FILE) -> Path:
    """Path of a bundled data file: inside the installed package, or ``data/`` of a checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_data" / name, package.parent / "data" / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"bundled data file {name!r} not found next to {package}")


@dataclass
class LoadReport:
    """What a load read and what it added to the store."""

    file: Path
    rows_read: int
    written: WriteReport
    resolutions: list[tuple[int, str, str, Match]] = field(default_factory=list)

    @property
    def ties_added(self) -> int:
        return self.written.ties

    @property
    def ties_already_present(self) -> int:
        return self.rows_read - self.ties_added


def load_agreements(store: GraphStore, path: str | Path | None = None) -> LoadReport:
    """Load a canonical agreements CSV (default: the bundled data) into ``store``.

    Every row is checked first; a file with any error raises ``LoadError`` and
    writes nothing. Loading a file again adds nothing (ids are deterministic).

    Example
    -------
    >>> with twinlac.open("demo.lbdb") as store:  # doctest: +SKIP
    ...     load_agreements(store).ties_added
    281
    """
    parsed = parse_agreements(path if path is not None else bundled_data_path())
    written = store.write_frames(parsed.frames)
    return LoadReport(parsed.path, parsed.rows_read, written, parsed.resolutions)
