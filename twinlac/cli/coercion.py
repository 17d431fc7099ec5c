"""Option values turned into Python values without pydantic, where that is plainly the same.

typer turns every option's text into its Python value with a pydantic ``TypeAdapter``:
importing pydantic and building the adapters is a third of ``twinlac query``'s start-up.
``install()`` gives typer's parameters a converter that handles the plain cases itself,
calling the functions typer's adapters call (``coerce_cli_choice``, ``coerce_cli_path``):

- text (``str``), and lists of text (repeated options);
- whole numbers written ``-?[0-9]+`` (``int``) and decimals ``-?[0-9]+(.[0-9]+)?`` (``float``),
  and the defaults, already numbers;
- choices (an ``Enum``) and paths (``Path(text)``, as pydantic makes them, when the path
  writes back as the same text).

Anything else (a ``parser=``, bounds such as ``min=``, booleans, files, dates, a number
written ``1e3`` or ``+5``, a value typer's function refuses) goes to typer's own pydantic
converter, so values and error messages are typer's. When typer's internals are not what
this module expects, ``install()`` does nothing. tests/cli/test_coercion.py compares both
converters on every option of every command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

#: Whole numbers and decimals as pydantic reads them too (no exponent, sign or leading zero).
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")


class _NotPlain(Exception):
    """The value is not one this module converts: typer's converter does."""


def plain_value(descriptor: Any, value: Any, param: Any = None, ctx: Any = None) -> Any:
    """``value`` converted as typer's adapter for ``descriptor`` (a ``TypeDescriptor``) would;
    raises ``_NotPlain`` for anything but the plain cases listed in the module's docstring."""
    from typer._param_types import coerce_cli_choice, coerce_cli_path, lenient_issubclass

    info = descriptor.parameter_info
    annotation = descriptor.annotation
    if (info.parser is not None or descriptor.is_file or descriptor.is_datetime or descriptor.is_tuple
            or descriptor.is_ranged):
        raise _NotPlain
    if descriptor.is_list:
        if descriptor.annotation == list[str] and isinstance(value, (list, tuple)) \
                and all(type(v) is str for v in value):
            return list(value)
        raise _NotPlain
    try:
        if lenient_issubclass(annotation, Enum):
            return coerce_cli_choice(value, choices=list(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
        if annotation is str and type(value) is str:
            return value
        if annotation is int and (type(value) is int or (type(value) is str and _INT.fullmatch(value))):
            return int(value)
        if annotation is float and (type(value) is float or (type(value) is str and _FLOAT.fullmatch(value))):
            return float(value)
        if lenient_issubclass(annotation, Path) and descriptor.is_path:
            path_type = info.path_type if info.path_type is not None else annotation
            if lenient_issubclass(path_type, Path) and not isinstance(value, path_type):
                # typer has pydantic make the path: path_type(text); taken here when the path
                # writes back as the same text (error messages quote the value)
                if type(value) is not str or str(path_type(value)) != value:
                    raise _NotPlain
                value = path_type(value)
            return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
    except (ValueError, TypeError, AssertionError):  # what pydantic would report in its own words
        raise _NotPlain from None
    raise _NotPlain


def install() -> None:
    """Give typer's parameters the plain converter (once; a no-op if typer's internals differ)."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer.core import _TyperParameter
    except ImportError:  # pragma: no cover - another typer
        return
    if getattr(_TyperParameter, "_twinlac_plain", False) or not hasattr(_TyperParameter, "get_runtime_param"):
        return

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        descriptor: Any

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return plain_value(self.descriptor, value, param, ctx)
            except _NotPlain:
                return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = PlainRuntimeParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, descriptor=descriptor)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    _TyperParameter._twinlac_plain = True  # type: ignore[attr-defined]
