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
from collections.abc import Mapping
from typing import Any

from twinlac.errors import QueryError

# String literals and comments are blanked before any keyword or $param search,
# so that "SET" inside a name or a `$` in a URL is not taken for Cypher.
_STRINGS_AND_COMMENTS = re.compile(
    r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|//[^\n]*|/\*.*?\*/""", re.DOTALL
)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

#: Clauses a read query is made of: the allow-list of the read-only path.
READ_CLAUSES = frozenset({
    "MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "ORDER", "SKIP", "LIMIT", "WHERE", "UNION", "CALL", "YIELD",
})
#: Words a query may start with when it reads (``EXPLAIN``/``PROFILE`` prefix a query checked all the same).
READ_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL", "EXPLAIN", "PROFILE"})
#: Every other clause keyword of Cypher and of the embedded engine's dialect: any of them makes a
#: query one that needs ``write`` (and, for those in ``FILE_CLAUSES``, ``allow_files``).
OTHER_CLAUSES = frozenset({
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "FOREACH", "CHECKPOINT", "BEGIN",
    "COMMIT", "ROLLBACK", "COPY", "LOAD", "IMPORT", "EXPORT", "INSTALL", "UNINSTALL", "ATTACH", "USE", "UPDATE",
    "TRUNCATE", "GRANT", "REVOKE", "DENY", "SHOW", "TERMINATE", "START", "STOP", "ENABLE", "FINISH",
})
#: Clauses that read or write files or reach the network.
FILE_CLAUSES = frozenset({"COPY", "LOAD", "IMPORT", "EXPORT", "INSTALL", "UNINSTALL", "ATTACH"})
#: Procedures a read query may ``CALL``: they only describe the database (embedded store, then Neo4j).
READ_PROCEDURES = frozenset({
    "show_tables", "table_info", "show_connection", "db_version", "current_setting", "show_functions",
    "show_warnings", "show_indexes", "show_sequences",
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components", "db.info",
})
# A word in clause position: not a property (`n.set`), parameter (`$load`), label or type (`:Copy`),
# variable whose property is read (`copy.name`) or map key (`{set: 1}`); looked for in the text
# with literals and comments blanked.
_WORD = re.compile(r"(?<![\w.$:])([A-Za-z_][A-Za-z0-9_]*)(?!\w)(?!\s*[:.])")
_CALLED = re.compile(r"\bCALL\s+(\{|[A-Za-z_][\w.]*)", re.IGNORECASE)
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


def _surrogate(value: object) -> str | None:
    """The first unpaired surrogate in a text (or in the texts of a list or dict), as ``U+XXXX``:
    what Python makes of bytes that are not UTF-8 (in a command-line argument), which the
    database engine cannot take."""
    if isinstance(value, str):
        found = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
        return f"U+{ord(found):04X}" if found else None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return next((found for item in items if (found := _surrogate(item))), None)


def check_text(cypher: str, params: Mapping[str, Any]) -> None:
    r"""Fail when the query or a parameter holds an unpaired surrogate (bytes that are not UTF-8).

    >>> check_text("RETURN $x", {"x": "caf\udce9"})
    Traceback (most recent call last):
    ...
    twinlac.errors.QueryError: parameter x holds U+DCE9, bytes that are not UTF-8 text
    """
    found = _surrogate(cypher)
    if found:
        raise QueryError(f"the query holds {found}, bytes that are not UTF-8 text")
    for name, value in params.items():
        found = _surrogate(value)
        if found:
            raise QueryError(f"parameter {name} holds {found}, bytes that are not UTF-8 text")


def check_parameters(cypher: str, params: Mapping[str, Any]) -> None:
    """Fail when a ``$parameter`` is missing, or a supplied one is not used, or a text in the
    query or a parameter is not UTF-8 (``check_text``)."""
    check_text(cypher, params)
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


def _clause_words(text: str) -> list[str]:
    words, previous = [], ""
    for match in _WORD.finditer(text):
        word = match.group(1).upper()
        if previous != "AS":  # an alias may be any name: `RETURN x AS copy`
            words.append(word)
        previous = word
    return words


def access_needed(cypher: str) -> tuple[list[str], list[str]]:
    """What a query needs beyond reading the graph: the clauses that need ``write`` and those
    that need ``allow_files`` (both empty for a read query).

    The read path is an allow-list: a query that reads starts with ``MATCH``, ``OPTIONAL
    MATCH``, ``WITH``, ``UNWIND``, ``RETURN`` or ``CALL`` and holds only those clauses,
    ``ORDER BY``, ``SKIP``, ``LIMIT``, ``WHERE``, ``UNION`` and ``CALL`` of a procedure in
    ``READ_PROCEDURES``. Any other clause needs ``write``; ``LOAD FROM`` (and Neo4j's
    ``LOAD CSV``) needs ``allow_files``, and ``COPY``, ``EXPORT``, ``IMPORT``, ``INSTALL``,
    ``ATTACH``, ``LOAD`` of an extension and a procedure twinlac does not know need both.

    >>> access_needed("MATCH (n {name: 'SET'}) RETURN n.set AS copy")
    ([], [])
    >>> access_needed("LOAD FROM '/etc/passwd' RETURN *")
    ([], ['LOAD FROM'])
    >>> access_needed("COPY (MATCH (n) RETURN n) TO 'out.csv'")
    (['COPY'], ['COPY'])
    """
    text = strip_literals(cypher)
    words = _clause_words(text)
    write: list[str] = []
    files: list[str] = []
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "LOAD" and following in ("FROM", "CSV", "WITH"):
            files.append(f"LOAD {following}")
        elif word in FILE_CLAUSES:
            write.append(word)
            files.append(word)
        elif word in OTHER_CLAUSES:
            write.append(word)
    if words and words[0] not in READ_STARTS and words[0] not in FILE_CLAUSES and words[0] not in OTHER_CLAUSES:
        write.append(words[0])  # not a statement a read may start with
    for match in _CALLED.finditer(text):
        name = match.group(1)
        if name != "{" and name.lower() not in READ_PROCEDURES:
            write.append(f"CALL {name}")
            files.append(f"CALL {name}")
    return list(dict.fromkeys(write)), list(dict.fromkeys(files))


def is_write(cypher: str) -> bool:
    """Whether a query needs ``write``: anything but a read (see ``access_needed``).

    >>> is_write("MATCH (n) SET n.x = 1"), is_write("MATCH (n {name: 'SET'}) RETURN n")
    (True, False)
    """
    return bool(access_needed(cypher)[0])


def check_access(cypher: str, *, write: bool = False, allow_files: bool = False) -> None:
    """Fail on several statements in one text, and unless the query only reads the graph or
    what it needs more is allowed: ``write``
    (changes to the graph, any clause outside the read allow-list) and ``allow_files`` (files
    and the network: ``LOAD FROM``, ``COPY``, ``EXPORT DATABASE``, ``INSTALL``, ``ATTACH``, ...).

    >>> check_access("MATCH (n) RETURN count(n)")
    >>> check_access("EXPORT DATABASE '/tmp/x'", write=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    twinlac.errors.QueryError: this query reaches files or the network (EXPORT); allow it with allow_files=True ...
    """
    if ";" in strip_literals(cypher).strip().rstrip(";"):  # the engine would run every statement
        raise QueryError("run one statement at a time (the text holds several, separated by ';')")
    needs_write, needs_files = access_needed(cypher)
    if needs_files and not allow_files:
        also = needs_write and not write
        raise QueryError(f"this query reaches files or the network ({', '.join(needs_files)}); allow it with "
                         + ("write=True, allow_files=True (CLI: --write --allow-files)" if also
                            else "allow_files=True (CLI: --allow-files)"))
    if needs_write and not write:
        raise QueryError(f"this query writes to the graph or is not a read ({', '.join(needs_write)}); "
                         "allow it with write=True (CLI: --write)")


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
