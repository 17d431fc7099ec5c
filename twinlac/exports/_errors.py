"""The error exports raise."""

from __future__ import annotations

from twinlac.errors import TwinlacError


class ExportError(TwinlacError, ValueError):
    """An export cannot be written as asked: unknown format or level, or a value a format cannot hold."""
