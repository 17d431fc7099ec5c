import pytest

from twinlac.errors import QueryError
from twinlac.graph.cypher import check_bounded, check_parameters, is_write, parameter_names


def test_parameter_names_ignore_strings_and_comments():
    cypher = "// uses $not_this\nMATCH (p) WHERE p.name = $name AND p.url <> 'https://x/$y' RETURN p"
    assert parameter_names(cypher) == {"name"}


def test_missing_parameter_is_an_error_naming_it():
    with pytest.raises(QueryError, match=r"\$province"):
        check_parameters("MATCH (p) WHERE p.name = $province RETURN p", {})


def test_unused_parameter_is_an_error():
    with pytest.raises(QueryError, match="provnce"):
        check_parameters("MATCH (p) WHERE p.name = $province RETURN p", {"province": "x", "provnce": "y"})


def test_parameters_complete_pass():
    check_parameters("MATCH (p) WHERE p.name = $a RETURN p LIMIT $b", {"a": 1, "b": 2})


@pytest.mark.parametrize("cypher", [
    "CREATE (:Country {id: 'XX'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) set n.name = 'x'",
    "MERGE (n:Region {id: 'r'})",
    "COPY Locality FROM 'x.csv'",
    "DROP TABLE Locality",
])
def test_writes_are_detected(cypher):
    assert is_write(cypher)


@pytest.mark.parametrize("cypher", [
    "MATCH (n {name: 'CREATE SET DELETE'}) RETURN n",
    "MATCH (n) RETURN n.created_at, n.settlement",
    "// MERGE later\nMATCH (n) RETURN n",
])
def test_reads_are_not_taken_for_writes(cypher):
    assert not is_write(cypher)


@pytest.mark.parametrize("pattern", ["-[*]-", "-[r*]->", "-[:TWINNED_WITH*]-", "-[*2..]-", "-[r:T* ]-"])
def test_unbounded_variable_length_is_refused(pattern):
    with pytest.raises(QueryError, match="upper bound"):
        check_bounded(f"MATCH (a){pattern}(b) RETURN count(*)")


@pytest.mark.parametrize("cypher", [
    "MATCH (a)-[*1..3]-(b) RETURN count(*)",
    "MATCH (a)-[:T*..2]->(b) RETURN count(*)",
    "MATCH (a)-[*2]-(b) RETURN count(*)",
    "RETURN [x IN [1, 2] | x * 2] AS doubled",
    "MATCH (a) RETURN a.x * a.y",
])
def test_bounded_patterns_and_arithmetic_pass(cypher):
    check_bounded(cypher)
