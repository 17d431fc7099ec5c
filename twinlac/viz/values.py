"""Lenient readers of graph attributes, shared by the pages and charts.

Graph data comes from databases, CSVs and DataFrames: any attribute may be
missing, None, NaN or pandas' NA, and numbers may arrive as strings. These
readers turn such values into plain text, numbers or None.

>>> text("  Jiangsu "), text(float("nan")), year("2004"), number("inf"), flag(None)
('Jiangsu', None, 2004, None, None)
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from typing import Any

__all__ = ["fold", "flag", "is_http_url", "is_missing", "lower", "name_with_code", "number", "text", "texts",
           "year"]


def is_missing(value: Any) -> bool:
    """Whether `value` is None, NaN, or pandas' NA/NaT."""
    if value is None:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, numbers.Real):
        return math.isnan(float(value))
    return type(value).__name__ in {"NAType", "NaTType"}


def text(value: Any) -> str | None:
    """Stripped text, or None for a missing or blank value."""
    if is_missing(value):
        return None
    out = str(value).strip()
    return out or None


def lower(value: Any) -> str | None:
    """:func:`text` in lower case."""
    out = text(value)
    return out.lower() if out else None


def year(value: Any) -> int | None:
    """An integer year, or None."""
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def number(value: Any) -> float | None:
    """A finite float, or None for missing, non-numeric and infinite values."""
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def flag(value: Any) -> bool | None:
    """A boolean, or None for a missing value."""
    if is_missing(value):
        return None
    return bool(value)


def texts(value: Any) -> list[str]:
    """A list of non-blank texts from a list (or one string, or nothing)."""
    if is_missing(value):
        return []
    if isinstance(value, str):
        value = [value]
    try:
        return [t for t in (text(v) for v in value) if t]
    except TypeError:
        return []


def fold(value: str) -> str:
    """Case- and accent-insensitive sort key.

    >>> fold("Córdoba") == fold("CORDOBA")
    True
    """
    return "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c)).casefold()


def name_with_code(name: str | None, code: str | None) -> str:
    """``"Name (CODE)"``, or whichever of the two is known."""
    if name and code and name != code:
        return f"{name} ({code})"
    return name or code or ""


def is_http_url(url: str) -> bool:
    """Whether `url` is an ``http://`` or ``https://`` address (the only ones made links)."""
    return url.lower().startswith(("http://", "https://"))
