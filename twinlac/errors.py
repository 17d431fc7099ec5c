"""Errors twinlac raises: each message is one line a user can act on."""

from __future__ import annotations

from dataclasses import dataclass


class TwinlacError(Exception):
    """Base class of twinlac's own errors (the CLI prints them without a traceback)."""


class QueryError(TwinlacError):
    """A query was refused or failed: missing parameter, write without permission, timeout."""


class StoreError(TwinlacError):
    """The store cannot be opened or used as asked."""


@dataclass(frozen=True)
class RowIssue:
    """One problem in an input file: where it is and what is wrong."""

    file: str
    row: int | None  # spreadsheet numbering: the header is row 1
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class LoadError(TwinlacError):
    """An input file has errors; nothing from it was written."""

    def __init__(self, issues: list[RowIssue]):
        self.issues = list(issues)
        first = str(self.issues[0]) if self.issues else "load failed"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(first + more)
