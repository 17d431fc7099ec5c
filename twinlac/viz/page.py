"""Safe assembly of the offline pages: templates, inert JSON, inlined scripts.

The pages are single files that fetch nothing: their own scripts (``*.js``
next to the templates) and vis-network are inlined at render time, and the
data is embedded as JSON that cannot close its ``<script>`` element.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

__all__ = ["TEMPLATE_DIR", "inline_safe", "json_for_html", "page_script", "template"]

TEMPLATE_DIR = Path(__file__).parent / "templates"

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


def json_for_html(payload: Any) -> str:
    """Serialise `payload` as JSON that is inert inside an HTML ``<script>`` element.

    >>> json_for_html({"name": "</script>"})
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    out = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return _JSON_HTML_ESCAPE_RE.sub(lambda m: _JSON_HTML_ESCAPES[m.group()], out)


def inline_safe(code: str, tag: str) -> str:
    """Make code safe to inline in a ``<tag>`` element.

    ``</script`` would end the element early and ``<!--`` can switch the HTML
    parser into a state where the real end tag is missed. The vendored files
    contain neither today; the rewrites (``<\\/`` and ``<\\!`` are the same
    characters inside JS strings and regexes) keep it that way if they change.
    """
    code = re.sub(rf"</(?={tag})", r"<\\/", code, flags=re.IGNORECASE)
    return code.replace("<!--", "<\\!--")


@cache
def template(name: str) -> jinja2.Template:
    """A page template, autoescaped; undefined variables are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(name)


@cache
def page_script(*names: str) -> Markup:
    """The page scripts `names` (``.js`` files of the templates folder), joined, ready to inline.

    They are plain JavaScript files, so they can be read and linted; a page
    inlines them in one ``<script>`` element, in the order given.
    """
    code = "\n".join((TEMPLATE_DIR / name).read_text(encoding="utf-8") for name in names)
    return Markup(inline_safe(code, "script"))
