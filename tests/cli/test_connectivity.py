"""`twinlac path`, `neighbours`, `analyze connectivity`, `claims` and `viz --around`, end to end on real
embedded stores: a five-tie store whose answers are worked out by hand, and the bundled data (expected
numbers counted from the CSV with pandas)."""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import twinlac
from twinlac.cli import app

from ..conftest import GOOD_ROW, write_rows

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def as_json(*args):
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _row(cn, province, lac, admin1, country, year, evidence="official", kind="sister"):
    return {**GOOD_ROW, "cn_name": cn, "cn_name_zh": "", "cn_province": province, "lac_name": lac,
            "lac_admin1": admin1, "lac_country": country, "year": year, "date": "", "kind": kind,
            "evidence": evidence, "source_url": f"https://example.org/{cn}-{lac}".lower().replace(" ", "-")}


# São Paulo – Wuxi – Rosario – Suzhou is a chain; Chengdu – Lima and Chengdu – Cusco hang apart.
#   parties 7, components 2 (4 + 3), every tie a bridge, articulation points Wuxi, Rosario, Chengdu.
SMALL = [
    _row("Wuxi", "Jiangsu", "São Paulo", "São Paulo", "Brazil", "2005"),
    _row("Wuxi", "Jiangsu", "Rosario", "Santa Fe", "Argentina", "2010", evidence="press", kind="friendship"),
    _row("Suzhou", "Jiangsu", "Rosario", "Santa Fe", "Argentina", "", evidence="weak"),
    _row("Chengdu", "Sichuan", "Lima", "Lima", "Peru", "2001"),
    _row("Chengdu", "Sichuan", "Cusco", "Cusco", "Peru", "2012"),
]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    path = folder / "small.lbdb"
    with twinlac.open(path) as store:
        twinlac.load_agreements(store, write_rows(folder / "small.csv", SMALL))
    return path


# --- path -------------------------------------------------------------------------------------

def test_path_on_a_hand_built_chain(small_db):
    hops = as_json("path", "São Paulo", "Suzhou", "--db", small_db)
    assert [(h["hop"], h["from_name"], h["to_name"]) for h in hops] == [
        (1, "São Paulo", "Wuxi"), (2, "Wuxi", "Rosario"), (3, "Rosario", "Suzhou")]
    assert [(h["kind"], h["year"], h["evidence"]) for h in hops] == [
        ("sister", 2005, "official"), ("friendship", 2010, "press"), ("sister", None, "weak")]
    assert hops[2]["source_url"] == "https://example.org/suzhou-rosario"


def test_path_table_prints_each_hop_with_kind_year_and_source(small_db):
    result = run("path", "sao paulo", "Suzhou", "--db", small_db, "-f", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("São Paulo (place) to Suzhou (place): 3 ties")
    assert lines[1:] == [
        "  1. São Paulo – Wuxi: sister, 2005, official, https://example.org/wuxi-são-paulo",
        "  2. Wuxi – Rosario: friendship, 2010, press, https://example.org/wuxi-rosario",
        "  3. Rosario – Suzhou: sister, no year, weak, https://example.org/suzhou-rosario",
    ]


def test_path_filters_and_limits(small_db):
    result = run("path", "São Paulo", "Suzhou", "--db", small_db, "-f", "table", "--max-hops", "2")
    assert result.exit_code == 0
    assert result.stdout == "No chain of at most 2 ties from São Paulo (place) to Suzhou (place).\n"
    # Suzhou's one tie is weak and undated: either filter leaves it out of the graph
    for args in (("--evidence", "official,press"), ("--as-of", "2015")):
        result = run("path", "São Paulo", "Suzhou", "--db", small_db, *args)
        assert result.exit_code == 1
        assert result.output.strip() == ("error: no place 'Suzhou' in the graph as filtered (--evidence, --as-of): "
                                         "none of its ties is left")
    assert len(as_json("path", "São Paulo", "Rosario", "--db", small_db, "--as-of", "2010")) == 2
    assert as_json("path", "Brazil", "Peru", "--db", small_db) == []


def test_path_at_province_level(small_db):
    # Jiangsu is one node there: São Paulo state – Jiangsu – Santa Fe, two ties
    hops = as_json("path", "BR-SP", "Argentina", "--level", "province", "--db", small_db)
    assert [(h["from_id"], h["to_id"]) for h in hops] == [("BR-SP", "CN-JS"), ("CN-JS", "AR-S")]


def test_path_names_nothing_says_did_you_mean(small_db):
    result = run("path", "Suzho", "Lima", "--db", small_db)
    assert result.exit_code == 1
    assert result.output.strip() == "error: no place 'Suzho' in the graph; did you mean Suzhou?"


def test_every_shortest_path_between_brazil_and_argentina(loaded_db, csv_frame):
    hops = pd.DataFrame(as_json("path", "Brazil", "Argentina", "--all", "--db", loaded_db))
    # one path per Chinese party with partners in both countries, times those partners
    expected = 0
    for _, ties in csv_frame.groupby(["cn_name", "cn_province"]):
        partners = ties[["lac_name", "lac_admin1", "lac_country"]].drop_duplicates()
        expected += (partners.lac_country == "Brazil").sum() * (partners.lac_country == "Argentina").sum()
    assert hops["path"].nunique() == expected and set(hops["hop"]) == {1, 2}
    pairs = {frozenset(p) for p in zip(csv_frame.cn_name, csv_frame.lac_name, strict=True)}
    names = {frozenset(p) for p in zip(hops.from_name, hops.to_name, strict=True)}
    assert len(names - pairs) <= len(names) // 5  # the store names a few places as resolved, not as written


# --- neighbours -------------------------------------------------------------------------------

def test_neighbours_of_a_place(small_db):
    rows = as_json("neighbours", "Rosario", "--hops", "2", "--db", small_db)
    assert [(r["distance"], r["name"], r["via_name"]) for r in rows] == [
        (0, "Rosario", None), (1, "Suzhou", "Rosario"), (1, "Wuxi", "Rosario"), (2, "São Paulo", "Wuxi")]


def test_neighbours_on_the_bundled_data(loaded_db, csv_frame):
    rows = as_json("neighbours", "Wuxi", "--db", loaded_db)
    partners = csv_frame[csv_frame.cn_name == "Wuxi"]
    assert sorted(r["name"] for r in rows if r["distance"] == 1) == sorted(partners.lac_name)
    years = {r["name"]: r["year"] for r in rows}
    assert all(years[n] == (int(y) if y else None) for n, y in zip(partners.lac_name, partners.year, strict=True))
    table = run("neighbours", "Wuxi", "--db", loaded_db, "-f", "table")
    assert "Within 1 tie of Wuxi (place)" in table.stdout and "<NA>" not in table.stdout
    assert f"({len(partners)} places within 1 tie of Wuxi)" in table.stderr


# --- analyze connectivity ---------------------------------------------------------------------

def test_connectivity_on_a_hand_built_network(small_db):
    summary = {r["measure"]: r["value"] for r in as_json("analyze", "connectivity", "--db", small_db,
                                                         "--table", "summary")}
    assert summary["parties"] == 7 and summary["ties"] == 5 and summary["components"] == 2
    assert summary["giant component share"] == pytest.approx(4 / 7)
    assert summary["bridges"] == 5 and summary["articulation points"] == 3
    cuts = as_json("analyze", "connectivity", "--db", small_db, "--table", "articulation_points")
    assert sorted((c["name"], c["separated"]) for c in cuts) == [("Chengdu", 1), ("Rosario", 1), ("Wuxi", 1)]
    lac = as_json("analyze", "connectivity", "--db", small_db, "--table", "lac_projection")
    assert [(p["a_name"], p["b_name"], p["shared"]) for p in lac] == [("Argentina", "Brazil", 1)]
    years = as_json("analyze", "connectivity", "--db", small_db, "--table", "giant_by_year")
    by_year = {r["year"]: (r["ties"], r["components"], r["giant"]) for r in years}
    assert by_year[2001] == (1, 1, 2) and by_year[2005] == (2, 2, 2) and by_year[2012] == (4, 2, 3)


def test_connectivity_on_the_bundled_data(loaded_db, csv_frame):
    result = run("analyze", "connectivity", "--db", loaded_db, "--table", "lac_projection", "-f", "csv")
    lac = pd.read_csv(pd.io.common.StringIO(result.stdout))
    argentina_brazil = lac[(lac.a_name == "Argentina") & (lac.b_name == "Brazil")].iloc[0]
    provinces = [set(csv_frame.loc[csv_frame.lac_country == c, "cn_province"]) for c in ("Argentina", "Brazil")]
    assert argentina_brazil["shared"] == len(provinces[0] & provinces[1])
    assert "mean of 20 random orders" in result.stderr and "288 ties used" in result.stderr
    brokers = as_json("analyze", "connectivity", "--db", loaded_db, "--table", "lac_brokers")
    guangdong = next(b for b in brokers if b["name"] == "Guangdong")
    assert guangdong["units"] == csv_frame.loc[csv_frame.cn_province == "Guangdong", "lac_country"].nunique()


def test_connectivity_as_of_a_year(loaded_db, csv_frame):
    years = as_json("analyze", "connectivity", "--db", loaded_db, "--as-of", "2000", "--table", "giant_by_year")
    dated = pd.to_numeric(csv_frame.year, errors="coerce")
    assert years[-1]["year"] == 2000 and years[-1]["ties"] == (dated <= 2000).sum()


def test_connectivity_table_fits_and_says_the_sampling(small_db):
    result = run("analyze", "connectivity", "--db", small_db, "-f", "table", "--n-random", "5", "--n-null", "3")
    assert result.exit_code == 0, result.output
    assert "giant component share" in result.stdout and "0.5714" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "mean of 5 random orders" in result.stderr and "3 degree-preserving" in result.stderr


# --- claims -----------------------------------------------------------------------------------

def _argentina_2021(csv_frame, grades=None, as_of=None):
    rows = csv_frame[csv_frame.lac_country == "Argentina"]
    if grades:
        rows = rows[rows.evidence.isin(grades)]
    years = pd.to_numeric(rows.year, errors="coerce")
    if as_of is not None:
        years = years[years <= as_of]
    return int((years <= 2021).sum()), int(years.isna().sum())


def test_claims_on_the_bundled_data(loaded_db, csv_frame):
    table = {c["claim_id"]: c for c in as_json("claims", "--db", loaded_db)}
    dated, undated = _argentina_2021(csv_frame)
    assert table["l21-ar-2021"]["figures"] == f"{dated} dated ties by 2021 (+{undated} undated)"
    assert table["l21-ar-2021"]["verdict"] == ("supported" if dated > 40 else
                                               "not supported" if dated + undated <= 40 else
                                               "not checkable with this data")
    dated, undated = _argentina_2021(csv_frame, grades={"official"})
    official = {c["claim_id"]: c for c in as_json("claims", "--db", loaded_db, "--evidence", "official")}
    assert official["l21-ar-2021"]["figures_well_sourced"] == f"{dated} dated ties by 2021 (+{undated} undated)"
    dated, _ = _argentina_2021(csv_frame, as_of=2015)
    then = {c["claim_id"]: c for c in as_json("claims", "--db", loaded_db, "--as-of", "2015")}
    assert then["l21-ar-2021"]["figures"] == f"{dated} dated ties by 2021"
    assert table["l21-first-twinning"]["verdict"] == "not checkable with this data"


def test_claims_table_shows_verdicts_figures_and_citations(loaded_db):
    result = run("claims", "--db", loaded_db, "-f", "table")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "l21-south-america: Every South American country" in out
    assert "  all ties: supported (11 of 11 countries recognising the PRC have a tie)" in out
    assert "  official, press: " in out and "  source: Latinoamérica21" in out
    assert out.splitlines()[-1].startswith("16 claims; all ties: ")


def test_claims_refuses_an_unknown_grade(loaded_db):
    result = run("claims", "--db", loaded_db, "--evidence", "rumour")
    assert result.exit_code == 2 and "unknown grade(s) rumour" in result.output


# --- viz --around -----------------------------------------------------------------------------

def test_viz_around_draws_only_the_neighbourhood(small_db, tmp_path):
    target = tmp_path / "around.html"
    result = run("viz", "--around", "Wuxi", "--hops", "1", "--db", small_db, "-o", target)
    assert result.exit_code == 0, result.output
    assert "3 places within 1 tie(s) of Wuxi" in result.stdout and "2 ties at place level" in result.stdout
    page = target.read_text(encoding="utf-8")
    assert "Rosario" in page and "São Paulo" in page and "Suzhou" not in page and "Chengdu" not in page
    assert run("viz", "--around", "Wuxy", "--db", small_db, "-o", target).exit_code == 1


# --- the path queries of docs/queries.md --------------------------------------------------------

def _docs_path_queries() -> list[str]:
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "queries.md").read_text(encoding="utf-8")
    section = text.split("## Paths between two places", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```cypher\n(.*?)```", section, flags=re.S)


def test_docs_path_query_runs_on_the_embedded_store(loaded_store):
    embedded, _ = _docs_path_queries()
    rows = loaded_store.query(embedded)
    assert rows.to_dict("records") == [{"hops": 2, "places": ["Osasco", "Xuzhou", "Salta"]}]


def test_docs_path_query_for_neo4j_is_bounded_and_lints_clean():
    from tests.graph.cypher_lint import lint, node_binary, problems
    from twinlac.graph.cypher import check_bounded

    embedded, neo4j = _docs_path_queries()
    for query in (embedded, neo4j):
        check_bounded(query)
    node_binary()  # skips when Neo4j's linter is not installed
    statements = [("docs path query", neo4j, {})]
    assert not problems(lint(statements), statements)
