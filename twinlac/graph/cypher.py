"""Checks run on a Cypher text before any store sees it.

They exist because the embedded store is quiet where a user needs to hear:
a ``$param`` that was not supplied makes an empty result rather than an error,
and an unbounded ``*`` pattern enumerates walks up to 30 hops (millions of rows).
"""

from __future__ import annotations

import re

from twinlac.errors import QueryError

# String literals and comments are blanked before any keyword or $param search,
# so that "SET" inside a name or a `$` in a URL is not taken for Cypher.
_STRINGS_AND_COMMENTS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_WRITE_CLAUSE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|ALTER|COPY|INSTALL|LOAD\s+EXTENSION|IMPORT|CHECKPOINT)\b",
    re.IGNORECASE,
)
# A variable-length relationship: `-[*]-`, `-[r*]->`, `-[:T*2..]-`, `-[*..5]-`, `-[*3]-`;
# the leading `-` tells it from a list expression such as `[x IN xs | x * 2]`.
_VAR_LENGTH = re.compile(r"-\s*\[\s*(?:\w+\s*)?(?::\s*[\w|:]+\s*)?\*\s*(\d*)\s*(\.\.)?\s*(\d*)")


def strip_literals(cypher: str) -> str:
    """The query with string literals, quoted names and comments blanked out."""
    return _STRINGS_AND_COMMENTS.sub(lambda m: " " * len(m.group(0)), cypher)


def parameter_names(cypher: str) -> set[str]:
    """Names of the ``$parameters`` a query uses.

    >>> sorted(parameter_names("MATCH (p) WHERE p.name = $name AND p.y > $y RETURN '$no'"))
    ['name', 'y']
    """
    return set(_PARAMETER.findall(strip_literals(cypher)))


def check_parameters(cypher: str, params: dict) -> None:
    """Fail when a ``$parameter`` is missing, or a supplied one is not used."""
    used = parameter_names(cypher)
    missing = sorted(used - set(params))
    if missing:
        raise QueryError(
            "missing query parameter(s): " + ", ".join(f"${m}" for m in missing)
            + " (pass them as --param NAME=VALUE, or as keyword arguments)"
        )
    unused = sorted(set(params) - used)
    if unused:
        raise QueryError(
            "parameter(s) not used by the query: " + ", ".join(unused)
            + (f" (it uses: {', '.join('$' + u for u in sorted(used))})" if used else " (it uses none)")
        )


def is_write(cypher: str) -> bool:
    """Whether a query contains a clause that changes the graph.

    >>> is_write("MATCH (n) SET n.x = 1"), is_write("MATCH (n {name: 'SET'}) RETURN n")
    (True, False)
    """
    return bool(_WRITE_CLAUSE.search(strip_literals(cypher)))


def check_bounded(cypher: str) -> None:
    """Fail on a variable-length pattern with no upper bound (``[*]``, ``[*2..]``)."""
    for match in _VAR_LENGTH.finditer(strip_literals(cypher)):
        low, dots, high = match.groups()
        if not high and (dots or not low):
            raise QueryError(
                f"variable-length pattern {match.group(0).strip(' -')!r}...] has no upper bound; "
                "give one, e.g. [:TWINNED_WITH*1..3]"
            )
