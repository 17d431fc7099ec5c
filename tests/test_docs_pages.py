"""docs/queries.md and docs/analysis.md keep up with the code.

- every named query has its own section in docs/queries.md, showing the Cypher of its file as it is now;
- every public analysis function (``twinlac.analysis.__all__``, functions with lower-case names) is named
  in docs/analysis.md as code (`` `gini` `` or `` `gini(values)` ``);
- what the pages name — analysis functions, ``twinlac analyze`` commands, named queries — exists.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import typer.main

import twinlac.analysis
from twinlac.cli import app
from twinlac.queries import list_queries

DOCS = Path(__file__).resolve().parents[1] / "docs"
QUERIES_MD = DOCS / "queries.md"
ANALYSIS_MD = DOCS / "analysis.md"


def _read(path: Path) -> str:
    assert path.is_file(), f"{path.relative_to(DOCS.parent)} is missing"
    return path.read_text(encoding="utf-8")


def public_analysis_functions() -> list[str]:
    """Lower-case names in ``twinlac.analysis.__all__`` that are functions (not classes or constants)."""
    return [name for name in twinlac.analysis.__all__
            if name[:1].islower() and inspect.isfunction(getattr(twinlac.analysis, name))]


def named_in_code(name: str, text: str) -> bool:
    """Whether ``name`` appears as inline code: `name`, `name(...)`, or `twinlac.analysis.name...`."""
    return re.search(rf"`(?:twinlac\.analysis\.)?{re.escape(name)}(?:`|\()", text) is not None


def missing_functions(text: str) -> list[str]:
    return [name for name in public_analysis_functions() if not named_in_code(name, text)]


def query_section(name: str, text: str) -> str | None:
    """The text of the ``## `name` `` section of queries.md (up to the next level-2 heading), or None."""
    match = re.search(rf"^## `{re.escape(name)}`[ \t]*$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    return match.group(1) if match else None


def missing_queries(text: str) -> list[str]:
    return [q.name for q in list_queries() if query_section(q.name, text) is None]


# -- the pages against the code ------------------------------------------------------------------

def test_every_named_query_has_a_section_in_queries_md():
    missing = missing_queries(_read(QUERIES_MD))
    assert not missing, f"named queries without a '## `name`' section in docs/queries.md: {missing}"


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_queries_md_shows_each_query_as_it_is(query):
    section = query_section(query.name, _read(QUERIES_MD))
    if section is None:
        pytest.fail(f"docs/queries.md has no section for {query.name}")
    blocks = re.findall(r"```cypher\n(.*?)```", section, flags=re.S)
    assert any(block.strip() == query.cypher.strip() for block in blocks), (
        f"the Cypher shown for {query.name} in docs/queries.md differs from twinlac/queries/{query.name}.cypher")
    invocation = f"twinlac query --name {query.name}"
    assert invocation in section, f"no command-line example ({invocation} …) for {query.name}"
    for param in query.params:
        assert f"`{param.name}`" in section, f"parameter {param.name} of {query.name} is not documented"


def test_every_public_analysis_function_is_in_analysis_md():
    missing = missing_functions(_read(ANALYSIS_MD))
    assert not missing, f"public analysis functions missing from docs/analysis.md: {missing}"


def test_analysis_md_names_only_existing_functions():
    text = _read(ANALYSIS_MD)
    named = set(re.findall(r"twinlac\.analysis\.([A-Za-z_]\w*)", text))
    unknown = sorted(n for n in named if not hasattr(twinlac.analysis, n))
    assert not unknown, f"docs/analysis.md names functions twinlac.analysis does not have: {unknown}"


def test_analysis_md_names_only_existing_commands():
    analyze = typer.main.get_command(app).commands["analyze"]
    text = _read(ANALYSIS_MD)
    named = set(re.findall(r"twinlac analyze ([a-z_]+)", text))
    assert named, "docs/analysis.md shows no `twinlac analyze` command"
    unknown = sorted(named - set(analyze.commands))
    assert not unknown, f"docs/analysis.md names analyze commands that do not exist: {unknown}"
    missing = sorted(set(analyze.commands) - named)
    assert not missing, f"analyze commands not documented in docs/analysis.md: {missing}"


def test_queries_md_names_only_existing_queries():
    names = {q.name for q in list_queries()}
    named = set(re.findall(r"--name ([a-z_]+)", _read(QUERIES_MD)))
    assert named and not named - names, f"docs/queries.md runs unknown queries: {sorted(named - names)}"


# -- the checks themselves catch what they should ------------------------------------------------

def test_the_function_check_catches_a_missing_function():
    text = _read(ANALYSIS_MD)
    name = public_analysis_functions()[0]
    stripped = re.sub(rf"`(?:twinlac\.analysis\.)?{re.escape(name)}(?=`|\()", "`something_else", text)
    assert name in missing_functions(stripped)


def test_the_function_check_needs_code_not_prose():
    assert not named_in_code("gini", "the Gini coefficient (gini) of the provinces")
    assert not named_in_code("theil", "`theil_between_coastal`")
    assert named_in_code("theil", "`theil(values, groups=None)`")
    assert named_in_code("gini", "`twinlac.analysis.gini`")


def test_public_functions_are_functions_only():
    names = public_analysis_functions()
    assert "centrality" in names and "gini" in names
    assert "CENTRALITY_COLUMNS" not in names and "Clusters" not in names and "GROWTH_BY" not in names


def test_the_query_check_catches_a_missing_query():
    text = _read(QUERIES_MD)
    name = list_queries()[0].name
    assert name in missing_queries(text.replace(f"## `{name}`", "## something else"))
