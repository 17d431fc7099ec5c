"""Helpers shared by the offline pages: lenient value readers and safe HTML assembly."""

from __future__ import annotations

import json
import math
import numbers
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATE_DIR = Path(__file__).parent / "templates"

# --- lenient readers of graph attributes ----------------------------------------------
# Graph data comes from databases, CSVs and DataFrames: any attribute may be missing,
# None, NaN or pandas' NA, and numbers may arrive as strings.


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return math.isnan(float(value))
    # pandas' NA/NaT, should a frame-built graph carry them.
    return type(value).__name__ in {"NAType", "NaTType"}


def _text(value: Any) -> str | None:
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _lower(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _year(value: Any) -> int | None:
    if _is_missing(value) or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _number(value: Any) -> float | None:
    """A finite float, or None for missing, non-numeric and infinite values."""
    if _is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _bool(value: Any) -> bool | None:
    if _is_missing(value):
        return None
    return bool(value)


def _themes(value: Any) -> list[str]:
    if _is_missing(value):
        return []
    if isinstance(value, str):
        value = [value]
    try:
        return [t for t in (_text(v) for v in value) if t]
    except TypeError:
        return []


def _fold(text: str) -> str:
    """Case- and accent-insensitive sort key."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def _name_with_code(name: str | None, code: str | None) -> str:
    if name and code and name != code:
        return f"{name} ({code})"
    return name or code or ""


def _is_http_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


# --- HTML assembly ----------------------------------------------------------------------

# Characters that must not appear raw in JSON embedded in HTML: "<" and ">" could
# close the <script> element or open a comment, "&" could start an entity in
# legacy parsers, and U+2028/U+2029 are line terminators in older JS engines.
_JSON_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_HTML_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def _json_for_html(payload: Any) -> str:
    """Serialise `payload` as JSON that is inert inside an HTML ``<script>`` element."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_HTML_ESCAPE_RE.sub(lambda m: _JSON_HTML_ESCAPES[m.group()], text)


def _inline_safe(code: str, tag: str) -> str:
    """Make third-party code safe to inline in a ``<tag>`` element.

    ``</script`` would end the element early and ``<!--`` can switch the HTML
    parser into a state where the real end tag is missed. The vendored files
    contain neither today; the rewrites (``<\\/`` and ``<\\!`` are the same
    characters inside JS strings and regexes) keep it that way if they change.
    """
    code = re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


@lru_cache(maxsize=None)
def _template(name: str) -> jinja2.Template:
    """A page template, autoescaped; undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(name)
