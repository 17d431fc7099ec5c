"""``GraphStore.query_rows``: a query's rows as plain tuples, with ``query``'s checks, limit and timeout."""

from __future__ import annotations

import pandas as pd
import pytest

from twinlac.errors import QueryError
from twinlac.graph import QueryRows
from twinlac.graph.store import rows_frame
from twinlac.queries import list_queries

PARAMS = {"province_agreements": {"province": "Jiangsu"}, "place_ties": {"place": "Wuxi"},
          "ties_in_year_range": {"from_year": 2010, "to_year": 2020}}
CYPHER = "MATCH (c:Country) RETURN c.id AS id, c.prc_switch_year AS year, c.recognises_prc AS rec ORDER BY id"


def test_rows_are_the_frames_values(loaded_store):
    result = loaded_store.query_rows(CYPHER)
    assert isinstance(result, QueryRows) and result.columns == ["id", "year", "rec"] and not result.truncated
    assert all(type(row) is tuple for row in result.rows)
    pd.testing.assert_frame_equal(rows_frame(result), loaded_store.query(CYPHER))
    assert rows_frame(result)["year"].dtype == "Int64"  # an integer column with nulls stays integer


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_queries_give_the_same_rows(loaded_store, name):
    query = next(q for q in list_queries() if q.name == name)
    params = query.bind(PARAMS.get(name, {}))
    pd.testing.assert_frame_equal(rows_frame(loaded_store.query_rows(query.cypher, params)),
                                  loaded_store.query(query.cypher, params))


def test_row_limit_and_keyword_parameters(loaded_store):
    result = loaded_store.query_rows("MATCH (c:Country) WHERE c.side = $side RETURN c.id AS id", max_rows=3,
                                     side="lac")
    assert len(result.rows) == 3 and result.truncated
    assert not loaded_store.query_rows("MATCH (c:Country) RETURN c.id AS id", max_rows=None).truncated


@pytest.mark.parametrize(("cypher", "params", "message"), [
    ("MATCH (p:Province) WHERE p.name = $name RETURN p.id", {}, "missing query parameter(s): $name"),
    ("CREATE (:Forum {id: 'x', name: 'X'})", {}, "this query writes to the graph"),
    ("LOAD FROM '/etc/passwd' RETURN *", {}, "reaches files or the network"),
    ("MATCH (a)-[*]-(b) RETURN count(*)", {}, "has no upper bound"),
    ("RETURN 1; RETURN 2", {}, "run one statement at a time"),
])
def test_the_same_refusals_as_query(loaded_store, cypher, params, message):
    for run in (loaded_store.query, loaded_store.query_rows):
        with pytest.raises(QueryError, match=message.replace("$", r"\$").replace("(", r"\(").replace(")", r"\)")):
            run(cypher, params)


def test_a_write_on_a_read_only_store_is_refused(loaded_store):
    with pytest.raises(QueryError, match="read-only"):
        loaded_store.query_rows("CREATE (:Forum {id: 'x', name: 'X'})", write=True)
