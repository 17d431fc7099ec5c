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


# -- Neo4j's quantified paths and each dialect's shortest paths ------------------------------------

@pytest.mark.parametrize("cypher", [
    "MATCH (a)-[:TWINNED_WITH]-+(b) RETURN count(*)",
    "MATCH (a)-[:TWINNED_WITH]->*(b) RETURN count(*)",
    "MATCH (a)<-[:T]-*(b) RETURN count(*)",
    "MATCH (a)-->+(b) RETURN count(*)",
    "MATCH (a)--*(b) RETURN count(*)",
    "MATCH (a)-[:T]-> + (b) RETURN count(*)",
    "MATCH (a)-[:T]-{2,}(b) RETURN count(*)",
    "MATCH (a)-[:T]-{ 1 , }(b) RETURN count(*)",
    "MATCH (a)-[:T]-{,}(b) RETURN count(*)",
    "MATCH (a) (()-[:TWINNED_WITH]-()){1,} (b) RETURN count(*)",
    "MATCH (a) ((x)-[:T]-(y))+ (b) RETURN count(*)",
    "MATCH ((x)-[:T]->(y) WHERE x.year > 2000)* RETURN count(*)",
    "MATCH p = SHORTEST 1 (a)-[:TWINNED_WITH]-+(b) RETURN p",
    "MATCH p = ALL SHORTEST (a) ((x)-->(y))+ (b) RETURN p",
    "MATCH p = SHORTEST 2 GROUPS (a)-[:T]-{1,}(b) RETURN p",
    "MATCH p = shortestPath((a)-[*]-(b)) RETURN p",
    "MATCH p = allShortestPaths((a)-[:T*2..]-(b)) RETURN p",
    "MATCH p = (a)-[* SHORTEST]-(b) RETURN length(p)",
    "MATCH p = (a)-[r:TWINNED_WITH* ALL SHORTEST 2..]-(b) RETURN length(p)",
    "MATCH p = (a)-[* WSHORTEST(w)]-(b) RETURN length(p)",
    "MATCH (a)-[:A|B*]-(b) RETURN count(*)",
])
def test_unbounded_quantified_and_shortest_paths_are_refused(cypher):
    with pytest.raises(QueryError, match="upper bound"):
        check_bounded(cypher)


@pytest.mark.parametrize("cypher", [
    # Neo4j
    "MATCH (a)-[:TWINNED_WITH]-{1,6}(b) RETURN count(*)",
    "MATCH (a)-[:T]-{,5}(b) RETURN count(*)",
    "MATCH (a)-[:T]->{3}(b) RETURN count(*)",
    "MATCH (a) ((x)-[:T]-(y)){1,3} (b) RETURN count(*)",
    "MATCH p = SHORTEST 1 (a:Province)-[:TWINNED_WITH]-{1,6}(b:Province) RETURN length(p)",
    "MATCH p = shortestPath((a)-[*..6]-(b)) RETURN length(p)",
    "MATCH p = allShortestPaths((a)-[:TWINNED_WITH*1..6]-(b)) RETURN p",
    # the embedded store
    "MATCH p = (a)-[* SHORTEST 1..6]-(b) RETURN length(p)",
    "MATCH p = (a)-[r:TWINNED_WITH* ALL SHORTEST 1..6]-(b) RETURN length(r)",
    "MATCH p = (a)-[*SHORTEST 1..6]-(b) RETURN length(p)",
    # arithmetic, maps and functions are not quantifiers
    "RETURN (1 + 2) * 3 AS x, (4)+(5) AS y",
    "MATCH (n {id: 'x'}) RETURN n {.name, .id} AS m, {} AS empty",
    "MATCH (a) RETURN size([(a)-->(b) | b]) * 2 AS n, count(*) AS c",
    "MATCH (a) WHERE exists((a)-->()) RETURN (a.x - a.y) * 2",
    "MATCH (n) WHERE n.name = '-[*]- {2,} )+' RETURN n",
])
def test_bounded_quantified_and_shortest_paths_pass(cypher):
    check_bounded(cypher)


def test_an_accepted_embedded_shortest_path_runs(loaded_store):
    # The guard lets it through and the real engine runs it. In the CSV, Wuxi and Nanchang
    # are both twinned with Sorocaba, and not with each other: two hops.
    shortest = ("MATCH p = (a:Locality)-[:TWINNED_WITH* SHORTEST 1..6]-(b:Locality) "
                "WHERE a.id = $a AND b.id = $b RETURN length(p) AS hops")
    assert loaded_store.query(shortest, a="CN-JS:wuxi", b="BR-SP:sorocaba")["hops"].tolist() == [1]
    assert loaded_store.query(shortest, a="CN-JS:wuxi", b="CN-JX:nanchang")["hops"].tolist() == [2]
    with pytest.raises(QueryError, match="upper bound"):
        loaded_store.query("MATCH p = (a)-[* SHORTEST]-(b) WHERE a.id = $a RETURN length(p)", a="CN-JS:wuxi")
