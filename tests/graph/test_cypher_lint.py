"""Every statement the Neo4j path can send, linted by Neo4j's own Cypher linter.

The statements come from where they are made: the named queries' files, and
what the Neo4j store sends to the recording fake while it opens, loads the
bundled data, reads the graph back, runs every named query and places
provinces. The linter (``tools/cypher-lint``) parses each one with Neo4j's
grammar and semantic analysis, knowing twinlac's labels and relationship
types and the statement's parameters; any diagnostic fails the test.
"""

from __future__ import annotations

import pytest

import twinlac
from tests.graph.cypher_lint import lint, node_binary, problems
from twinlac.graph.neo4j_store import missing_ends_statement, schema_statements, update_statement
from twinlac.queries import list_queries, run_named

EXAMPLE_PARAMS = {"province_agreements": {"province": "Jiangsu"},
                  "place_ties": {"place": "Wuxi"},
                  "ties_in_year_range": {"from_year": 2010, "to_year": 2020}}


@pytest.fixture(scope="module", autouse=True)
def _linter():
    node_binary()  # skip (or fail under TWINLAC_REQUIRE_LINTER) before any work


def _assert_clean(statements):
    found = problems(lint(statements), statements)
    assert not found, "\n".join(found)


def test_the_named_queries(request):
    statements = []
    for query in list_queries():
        params = {p.name: p.default for p in query.params}
        params.update(EXAMPLE_PARAMS.get(query.name, {}))
        statements.append((query.name, query.cypher, params))
    _assert_clean(statements)


def test_every_statement_the_neo4j_store_sends(fake_server):
    # Answers that lead the store down every path: a province to place, a tie with a missing end.
    fake_server.on(r"p\.lat IS NULL", [{"id": "MX-COA", "lat": 25.5, "lon": -103.4, "n": 2}])
    with twinlac.open(backend="neo4j", uri="bolt://fake", auth=("neo4j", "pw")) as store:
        twinlac.load_agreements(store)
        store.counts()
        store.to_networkx(evidence=["official"], as_of=2015)
        for query in list_queries():
            run_named(store, query.name, **EXAMPLE_PARAMS.get(query.name, {}))
    sent = {}
    for statement in fake_server.statements:
        sent.setdefault(statement.query, statement.params)
    # The schema statements, and the statement that looks for missing ends, are sent too.
    assert set(schema_statements()) <= set(sent)
    for a in ("Locality", "Province"):
        for b in ("Locality", "Province"):
            sent.setdefault(missing_ends_statement(a, b), {"rows": []})
    # The statements that enrich held ties and places (a later source's year, Chinese name, ...).
    sent.setdefault(update_statement("TWINNED_WITH"), {"rows": [{"id": "a~b", "props": {"year": 2005}}]})
    sent.setdefault(update_statement("Locality"), {"rows": [{"id": "CN-JS:wuxi", "props": {"name_zh": "无锡"}}]})
    statements = [(f"statement {i}", query, params) for i, (query, params) in enumerate(sorted(sent.items()))]
    assert len(statements) > 20
    _assert_clean(statements)


NEO4J_BOUNDED = [
    "MATCH p = SHORTEST 1 (a:Province)-[:TWINNED_WITH]-{1,6}(b:Province) RETURN length(p) AS hops",
    "MATCH p = shortestPath((a:Locality)-[*..6]-(b:Locality)) RETURN length(p) AS hops",
    "MATCH (a:Locality) ((x)-[:TWINNED_WITH]-(y)){1,3} (b:Locality) RETURN count(*) AS n",
    "MATCH (a:Locality)-[:TWINNED_WITH]-{,4}(b:Locality) RETURN count(*) AS n",
]
NEO4J_UNBOUNDED = [
    "MATCH (a:Locality)-[:TWINNED_WITH]-+(b:Locality) RETURN count(*) AS n",
    "MATCH (a:Locality) (()-[:TWINNED_WITH]-()){1,} (b:Locality) RETURN count(*) AS n",
    "MATCH p = SHORTEST 1 (a:Locality)-[:TWINNED_WITH]-*(b:Locality) RETURN length(p) AS hops",
    "MATCH (a:Locality)-->+(b:Locality) RETURN count(*) AS n",
]


def test_the_guard_judges_real_neo4j_syntax():
    """What the guard accepts and refuses in Neo4j's dialect is valid Neo4j Cypher."""
    from twinlac.errors import QueryError
    from twinlac.graph.cypher import check_bounded

    for query in NEO4J_BOUNDED:
        check_bounded(query)
    for query in NEO4J_UNBOUNDED:
        with pytest.raises(QueryError, match="upper bound"):
            check_bounded(query)
    _assert_clean([(f"q{i}", q, {}) for i, q in enumerate(NEO4J_BOUNDED + NEO4J_UNBOUNDED)])


def test_the_linter_catches_errors():
    """The linter fails what it should: a syntax error, an undefined variable, a parameter
    not given, a misspelt label."""
    statements = [
        ("syntax", "MATCH (p:Province RETURN p", {}),
        ("variable", "MATCH (p:Province) RETURN q", {}),
        ("parameter", "MATCH (p:Province) WHERE p.id = $id RETURN p", {}),
        ("label", "MATCH (p:Provinse) RETURN p", {}),
    ]
    results = lint(statements)
    assert all(results[name] for name, _, _ in statements), results
