"""Checks run on a Cypher text before any store sees it.

They exist because the embedded store is quiet where a user needs to hear:
a ``$param`` that was not supplied makes an empty result rather than an error,
and an unbounded ``*`` pattern enumerates walks up to 30 hops (millions of rows);
on Neo4j an unbounded pattern has no limit at all.

The checks read the text, not a parse tree: they blank string literals and
comments first, then look for the patterns below. The timeout every query runs
under is the backstop for what they miss.
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
# A variable-length relationship: `-[*]-`, `-[r*]->`, `-[:T*2..]-`, `-[*..5]-`, `-[*3]-`, and the
# embedded store's shortest paths `-[* SHORTEST 1..6]-`, `-[r:T* ALL SHORTEST 1..6]-`,
# `-[* WSHORTEST(w) 1..6]-`; the leading `-` tells it from a list expression such as
# `[x IN xs | x * 2]`.
_VAR_LENGTH = re.compile(
    r"-\s*\[\s*(?:\w+\s*)?(?::[^\]\*\{]*?)?\*\s*"
    r"(?P<shortest>(?:ALL\s+)?W?SHORTEST\b(?:\s*\(\s*\w+\s*\))?\s*)?"
    r"(?P<low>\d*)\s*(?P<dots>\.\.)?\s*(?P<high>\d*)",
    re.IGNORECASE,
)
# A quantifier of Neo4j's quantified paths and relationships: `{1,6}`, `{2,}`, `{,5}`, `{3}`
# (a map literal never holds only digits and a comma).
_QUANTIFIER = re.compile(r"\{\s*(?P<low>\d*)\s*(?P<comma>,)?\s*(?P<high>\d*)\s*\}")
# `+` or `*` after a relationship (`-[:T]-+`, `-[:T]->*`, `-->+`, `--*`), before the next node.
_REL_PLUS_STAR = re.compile(r"(?:\]\s*-\s*>?|--\s*>?)\s*(?P<q>[+*])\s*(?=\()")
# `+` or `*` after a parenthesised group: a quantified path pattern when the group holds a
# relationship (`((a)-[:T]-(b))+`), arithmetic otherwise (`(a + b) * 2`).
_GROUP_PLUS_STAR = re.compile(r"\)\s*(?P<q>[+*])")
_RELATIONSHIP = re.compile(r"-\s*\[|\]\s*-|--|->|<-")
# Words after which a parenthesised group is a pattern, not a function's arguments.
_PATTERN_KEYWORDS = {
    "MATCH", "MERGE", "CREATE", "SHORTEST", "GROUPS", "ANY", "ALL", "PATH", "PATHS", "WALK", "TRAIL",
    "ACYCLIC", "REPEATABLE", "DIFFERENT", "ELEMENTS", "RELATIONSHIPS", "WHERE", "AND", "OR", "XOR", "NOT",
}


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


#: The finest timeout the stores honour, in seconds (the embedded engine counts milliseconds).
TIMEOUT_RESOLUTION = 0.001


def check_limits(max_rows: int | None, timeout: float | None) -> None:
    """Fail on a row limit below 0 or a timeout that is not a number of seconds the stores can
    honour (0 or less, below ``TIMEOUT_RESOLUTION``, not finite). ``None`` means no limit.

    >>> check_limits(100, 30.0)
    >>> check_limits(-1, 30.0)
    Traceback (most recent call last):
    ...
    twinlac.errors.QueryError: the row limit must be 0 (no limit) or more, not -1
    """
    if max_rows is not None and max_rows < 0:
        raise QueryError(f"the row limit must be 0 (no limit) or more, not {max_rows}")
    if timeout is not None and not (TIMEOUT_RESOLUTION <= timeout < float("inf")):
        raise QueryError(f"the timeout must be a number of seconds from {TIMEOUT_RESOLUTION:g} up, not {timeout:g}")


def is_write(cypher: str) -> bool:
    """Whether a query contains a clause that changes the graph.

    >>> is_write("MATCH (n) SET n.x = 1"), is_write("MATCH (n {name: 'SET'}) RETURN n")
    (True, False)
    """
    return bool(_WRITE_CLAUSE.search(strip_literals(cypher)))


def check_bounded(cypher: str) -> None:
    """Fail on a variable-length or quantified pattern with no upper bound.

    Refused: ``-[*]-``, ``-[:T*2..]-``, ``-[* SHORTEST]-`` (embedded store),
    ``-[:T]-+``, ``-[:T]->*``, ``-[:T]-{2,}``, ``((a)-[:T]-(b))+`` and
    ``SHORTEST 1 (a)-[:T]-+(b)`` (Neo4j). Accepted: the same with an upper
    bound, such as ``-[:T*1..3]-``, ``-[* SHORTEST 1..6]-``,
    ``shortestPath((a)-[*..6]-(b))``, ``-[:T]-{1,6}`` and
    ``SHORTEST 1 (a)-[:T]-{1,6}(b)``.

    >>> check_bounded("MATCH p = (a)-[* SHORTEST 1..6]-(b) RETURN length(p)")
    >>> check_bounded("MATCH p = SHORTEST 1 (a)-[:TWINNED_WITH]-+(b) RETURN p")
    Traceback (most recent call last):
    ...
    twinlac.errors.QueryError: quantifier '+' has no upper bound; give one, e.g. -[:TWINNED_WITH]-{1,3}
    """
    text = strip_literals(cypher)
    for match in _VAR_LENGTH.finditer(text):
        low, dots, high = match.group("low", "dots", "high")
        if not high and (dots or not low):
            example = "[* SHORTEST 1..6]" if match.group("shortest") else "[:TWINNED_WITH*1..3]"
            raise QueryError(
                f"variable-length pattern {match.group(0).strip(' -')!r}...] has no upper bound; "
                f"give one, e.g. {example}"
            )
    for match in _QUANTIFIER.finditer(text):
        low, comma, high = match.group("low", "comma", "high")
        if comma and not high:
            raise QueryError(
                f"quantifier {match.group(0)!r} has no upper bound; give one, e.g. {{{low or 1},3}}"
            )
    for match in _REL_PLUS_STAR.finditer(text):
        _refuse_plus_star(match.group("q"), "-[:TWINNED_WITH]-")
    for match in _GROUP_PLUS_STAR.finditer(text):
        group = _group_before(text, match.start())
        if group is not None and _RELATIONSHIP.search(group):
            _refuse_plus_star(match.group("q"), "((a)-[:TWINNED_WITH]-(b))")


def _refuse_plus_star(quantifier: str, before: str) -> None:
    bounds = "{1,3}" if quantifier == "+" else "{0,3}"
    raise QueryError(f"quantifier {quantifier!r} has no upper bound; give one, e.g. {before}{bounds}")


def _group_before(text: str, close: int) -> str | None:
    """The text inside the parentheses that close at ``close``; None when they are unbalanced
    or are a function's (``size((a)-->(b)) * 2`` is arithmetic)."""
    depth = 0
    for index in range(close, -1, -1):
        if text[index] == ")":
            depth += 1
        elif text[index] == "(":
            depth -= 1
            if depth == 0:
                word = re.search(r"[\w`]+$", text[:index].rstrip())
                if word and not word.group(0).isdigit() and word.group(0).upper() not in _PATTERN_KEYWORDS:
                    return None
                return text[index + 1:close]
    return None
