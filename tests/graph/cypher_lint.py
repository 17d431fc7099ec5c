"""Neo4j's own Cypher linter, from Python: ``tools/cypher-lint`` run by Node.

``lint(statements)`` sends every statement in one Node process to
``lintCypherQuery`` of ``@neo4j-cypher/language-support`` (the version pinned in
``tools/cypher-lint/package-lock.json``), with twinlac's schema (labels and
relationship types) and each statement's parameters, and returns the
diagnostics: syntax errors, semantic errors (undefined variables, parameters
not given), deprecations, and labels or types the schema lacks.

Without ``node`` or without ``tools/cypher-lint/node_modules`` (``npm ci`` there)
the tests that need it are skipped with the reason, unless
``TWINLAC_REQUIRE_LINTER=1`` is set (``.ci/run`` sets it), which turns the skip
into a failure.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from twinlac.graph.model import NODE_TABLES, REL_TABLES

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tools" / "cypher-lint"

#: Labels and types a twinlac graph in Neo4j holds (the exports add ``TIES``).
SCHEMA = {
    "labels": sorted(NODE_TABLES),
    "relationshipTypes": sorted(REL_TABLES) + ["TIES"],
    "propertyKeys": sorted({p for cols in NODE_TABLES.values() for p, _ in cols}
                           | {p for _, props in REL_TABLES.values() for p, _ in props}),
}


def _unavailable(reason: str):
    if os.environ.get("TWINLAC_REQUIRE_LINTER", "").strip() not in ("", "0"):
        pytest.fail(f"TWINLAC_REQUIRE_LINTER is set but {reason}", pytrace=False)
    pytest.skip(reason)


def node_binary() -> str:
    """The ``node`` to run the linter with, or skip (fail if TWINLAC_REQUIRE_LINTER)."""
    node = shutil.which("node")
    if node is None:
        _unavailable("no node binary on PATH (apt-get install nodejs npm)")
    if not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        _unavailable(f"the Cypher linter is not installed: run `npm ci` in {LINTER.relative_to(ROOT)}")
    return node


class _Linter:
    """One Node process answering lint requests, one JSON line each: the parser warms
    up once (a cold statement takes a second or more, a warm one a fraction)."""

    process: subprocess.Popen | None = None

    @classmethod
    def ask(cls, request: dict) -> list[dict]:
        if cls.process is None or cls.process.poll() is not None:
            cls.process = subprocess.Popen(
                [node_binary(), str(LINTER / "lint.cjs")], cwd=LINTER, text=True,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
            atexit.register(cls.close)
        cls.process.stdin.write(json.dumps(request) + "\n")
        cls.process.stdin.flush()
        line = cls.process.stdout.readline()
        if not line:
            raise AssertionError(f"the linter stopped: {cls.process.stderr.read()}")
        return json.loads(line)

    @classmethod
    def close(cls) -> None:
        if cls.process is not None:
            cls.process.stdin.close()
            cls.process.wait(timeout=30)
            cls.process = None


def lint(statements: list[tuple[str, str, dict]]) -> dict[str, list[dict]]:
    """Diagnostics per statement name, for ``(name, query, parameters)`` triples."""
    node_binary()
    request = {"schema": SCHEMA, "statements": [
        {"name": name, "query": query, "parameters": {k: _sample(v) for k, v in params.items()}}
        for name, query, params in statements
    ]}
    return {result["name"]: result["diagnostics"] for result in _Linter.ask(request)}


def problems(results: dict[str, list[dict]], statements: list[tuple[str, str, dict]]) -> list[str]:
    """Every diagnostic, as ``name: message at 'text'`` lines (empty when all is clean)."""
    text = {name: query for name, query, _ in statements}
    lines = []
    for name, diagnostics in results.items():
        for d in diagnostics:
            kind = "error" if d["severity"] == 1 else "warning"
            start, end = d["offsets"]["start"], d["offsets"]["end"]
            lines.append(f"{name}: {kind}: {d['message']} at {text[name][start:end]!r}")
    return lines


def _sample(value):
    """A parameter's value for the linter, which needs only its name: long lists cut to
    their first item, anything JSON cannot hold as text."""
    if isinstance(value, list):
        value = value[:1]
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)
