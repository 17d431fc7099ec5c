"""A list kept on disk as it grows, for what a large load collects row by row."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import IO, Generic, TypeVar

T = TypeVar("T")


class SpilledList(Generic[T]):
    """Items appended in order and read back in order, in bounded memory: the last ``chunk``
    items are held in memory, every earlier full chunk is pickled to a temporary file.

    A load of a million rows resolves more than a million names otherwise than exactly
    (each a row of the matches file): held in memory they would take hundreds of MB through
    the database engine's peak.

    >>> names = SpilledList(chunk=2)
    >>> for name in ("Wuxi", "Salta", "Recife"):
    ...     names.append(name)
    >>> len(names), list(names), "Salta" in names
    (3, ['Wuxi', 'Salta', 'Recife'], True)
    """

    def __init__(self, chunk: int = 50_000):
        self.chunk = chunk
        self._held: list[T] = []
        self._file: IO[bytes] | None = None
        self._chunks = 0
        self._length = 0

    def append(self, item: T) -> None:
        self._held.append(item)
        self._length += 1
        if len(self._held) >= self.chunk:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="twinlac-list-")
            self._file.seek(0, 2)  # after the chunks already written (a read may have moved it)
            pickle.dump(self._held, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._chunks += 1
            self._held = []

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[T]:
        if self._file is not None:
            self._file.seek(0)
            for _ in range(self._chunks):
                yield from pickle.load(self._file)
        yield from self._held

    def __contains__(self, item: object) -> bool:
        return any(item == held for held in self)

    def __repr__(self) -> str:
        return f"<SpilledList of {self._length} items>"
