"""A list kept on disk as it grows, for what a large load collects row by row."""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

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

    def __init__(self, chunk: int = 50_000, path: Path | None = None):
        self.chunk = chunk
        self._path = path  # the file, when named (to be handed to another process); else a temporary one
        self._held: list[T] = []
        self._file: IO[bytes] | None = None
        self._chunks = 0
        self._length = 0

    def append(self, item: T) -> None:
        self._held.append(item)
        self._length += 1
        if len(self._held) >= self.chunk:
            self._spill()

    def extend(self, items: list[T]) -> None:
        self._held.extend(items)
        self._length += len(items)
        if len(self._held) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            self._file = open(self._path, "w+b") if self._path else tempfile.TemporaryFile(prefix="twinlac-list-")
        self._file.seek(0, 2)  # after the chunks already written (a read may have moved it)
        pickle.dump(self._held, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._chunks += 1
        self._held = []

    def __getstate__(self) -> dict[str, Any]:
        """A list in a named file is pickled as that file (every item written to it), which the
        process unpickling it owns then (``own_file``); any other, item by item."""
        if self._path is None:
            return {"chunk": self.chunk, "items": list(self)}
        if self._held or self._file is None:
            self._spill()
        assert self._file is not None
        self._file.close()
        self._file = None
        return {"chunk": self.chunk, "path": self._path, "chunks": self._chunks, "length": self._length}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["chunk"])  # type: ignore[misc]
        if "items" in state:
            for item in state["items"]:
                self.append(item)
            return
        self._file, self._chunks, self._length = own_file(state["path"]), state["chunks"], state["length"]

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


def own_file(path: Path) -> IO[bytes]:
    """Open for reading a file another process wrote for this one, and remove its name: the file
    goes with the handle (where an open file cannot be removed, once the handle is collected)."""
    handle = open(path, "rb")
    try:
        os.unlink(path)
    except OSError:  # Windows keeps the name of a file in use
        weakref.finalize(handle, _remove_quietly, path)
    return handle


def _remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
