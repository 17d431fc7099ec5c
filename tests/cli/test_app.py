"""The command line, end to end on the bundled data and real embedded stores."""

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from twinlac.cli import app

from ..conftest import GOOD_ROW, write_rows

runner = CliRunner()


def run(*args, **kwargs):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False, **kwargs)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = run("demo", "--db", folder / "demo.lbdb", "--out", folder / "out")
    return folder, result


def test_demo_builds_summarises_and_draws(demo_run, csv_frame):
    folder, result = demo_run
    assert result.exit_code == 0, result.output
    assert f"Loaded {len(csv_frame)} agreements" in result.output
    assert f"{len(csv_frame)} new" in result.output
    for heading in ("Agreements by LAC country", "Agreements by level and kind", "Top Chinese provinces"):
        assert heading in result.output
    brazil = csv_frame["lac_country"].value_counts()["Brazil"]
    assert re.search(rf"Brazil\s.*\s{brazil}\s", result.output)
    html = folder / "out" / "network.html"
    assert html.exists() and f"Network: {html.resolve()}" in result.output.replace("\n", "")


def test_demo_twice_adds_nothing(demo_run, csv_frame):
    folder, _ = demo_run
    again = run("demo", "--db", folder / "demo.lbdb", "--out", folder / "out")
    assert again.exit_code == 0 and f"0 new, {len(csv_frame)} already in" in again.output


def test_query_formats(demo_run, csv_frame):
    folder, _ = demo_run
    db = folder / "demo.lbdb"
    cypher = "MATCH (c:Country)<-[:IN_COUNTRY]-(p:Province) WHERE c.id = 'UY' RETURN p.id AS id ORDER BY id"
    as_json = json.loads(run("query", cypher, "--db", db, "--format", "json").output)
    expected_n = csv_frame[csv_frame.lac_country == "Uruguay"]["lac_admin1"].nunique()
    assert len(as_json) == expected_n and all(r["id"].startswith("UY-") for r in as_json)
    as_csv = run("query", cypher, "--db", db, "-f", "csv").output
    assert as_csv.splitlines()[0] == "id" and len(as_csv.splitlines()) == expected_n + 1
    table = run("query", cypher, "--db", db).output
    assert "UY-" in table


def test_named_query_with_param(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("query", "--name", "province_agreements", "--param", "province=Jiangsu",
                 "--db", folder / "demo.lbdb", "-f", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.output)) == (csv_frame.cn_province == "Jiangsu").sum()


def test_year_range_params_are_numbers(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("query", "-n", "ties_in_year_range", "-p", "from_year=2019", "-p", "to_year=2019",
                 "--db", folder / "demo.lbdb", "-f", "csv")
    rows = pd.read_csv(pd.io.common.StringIO(result.output))
    assert len(rows) == (csv_frame.year == "2019").sum()


def test_missing_param_is_a_one_line_error(demo_run):
    folder, _ = demo_run
    result = run("query", "MATCH (p:Province) WHERE p.name = $name RETURN p.id", "--db", folder / "demo.lbdb")
    assert result.exit_code == 1
    assert result.output.strip() == "error: missing query parameter(s): $name (pass them as --param NAME=VALUE, or as keyword arguments)"


def test_writes_are_refused_without_flag(demo_run):
    folder, _ = demo_run
    db = folder / "demo.lbdb"
    refused = run("query", "CREATE (:Forum {id: 'x', name: 'X'})", "--db", db)
    assert refused.exit_code == 1 and "--write" in refused.output
    allowed = run("query", "CREATE (:Forum {id: 'x', name: 'X'})", "--db", db, "--write")
    assert allowed.exit_code == 0
    removed = run("query", "MATCH (f:Forum {id: 'x'}) DELETE f", "--db", db, "--write")
    assert removed.exit_code == 0


def test_limit_warns_about_truncation(demo_run):
    folder, _ = demo_run
    result = run("query", "MATCH (l:Locality) RETURN l.id AS id", "--db", folder / "demo.lbdb", "--limit", "3", "-f", "csv")
    assert len(result.stdout.splitlines()) == 4
    assert "first 3 rows" in result.stderr


def test_query_on_missing_database(tmp_path):
    result = run("query", "MATCH (n) RETURN count(n)", "--db", tmp_path / "none.lbdb")
    assert result.exit_code == 1 and "twinlac load" in result.output


def test_queries_lists_named_queries():
    result = run("queries")
    assert "province_agreements" in result.output and "top=10" in result.output


def test_analyze_centrality_json(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("analyze", "centrality", "--db", folder / "demo.lbdb", "--top", "5", "-f", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 5 and rows[0]["degree"] >= rows[-1]["degree"]
    by_province = json.loads(run("analyze", "centrality", "--db", folder / "demo.lbdb", "--level", "province",
                                 "--top", "0", "-f", "json").stdout)
    jiangsu = next(r for r in by_province if r["id"] == "CN-JS")
    assert jiangsu["agreements"] == (csv_frame.cn_province == "Jiangsu").sum()


def test_analyze_with_evidence_filter_reports_left_out(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("analyze", "centrality", "--db", folder / "demo.lbdb", "--evidence", "official", "-f", "csv")
    official = (csv_frame.evidence == "official").sum()
    assert f"({official} ties used, {len(csv_frame) - official} left out " \
           f"({len(csv_frame) - official} evidence not official))" in result.stderr


def test_viz_writes_html(demo_run, tmp_path):
    folder, _ = demo_run
    target = tmp_path / "v" / "net.html"
    result = run("viz", "--db", folder / "demo.lbdb", "-o", target)
    assert result.exit_code == 0 and target.exists()


def test_load_bad_file_lists_errors_and_writes_nothing(tmp_path):
    db = tmp_path / "x.lbdb"
    good = write_rows(tmp_path / "good.csv", [GOOD_ROW])
    assert run("load", good, "--db", db).exit_code == 0
    before = run("info", "--db", db).output
    bad = write_rows(tmp_path / "bad.csv", [{**GOOD_ROW, "lac_name": "Santos", "kind": "sisterhood"}])
    result = run("load", bad, "--db", db)
    assert result.exit_code == 1
    assert f"error: {bad}, row 2, field 'kind': unknown kind 'sisterhood'" in result.output
    assert "nothing was written" in result.output
    assert run("info", "--db", db).output == before


def test_db_from_environment(tmp_path):
    db = tmp_path / "env.lbdb"
    good = write_rows(tmp_path / "good.csv", [GOOD_ROW])
    assert run("load", good, env={"TWINLAC_DB": str(db)}).exit_code == 0
    assert db.exists()


@pytest.mark.parametrize("args,key", [
    (["clusters", "--n-null", "10", "--seeds", "2"], "agreement"),
    (["spillover", "--n-boot", "50"], "summary"),
    (["growth", "--by", "kind"], "totals"),
])
def test_analyze_commands_json(demo_run, args, key):
    folder, _ = demo_run
    result = run("analyze", *args, "--db", folder / "demo.lbdb", "-f", "json")
    assert result.exit_code == 0, result.output
    assert key in json.loads(result.stdout)


def test_growth_totals_match_the_csv(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("analyze", "growth", "--by", "kind", "--table", "totals", "--db", folder / "demo.lbdb", "-f", "csv")
    totals = pd.read_csv(pd.io.common.StringIO(result.stdout)).set_index("group")["ties"].to_dict()
    assert totals == csv_frame["kind"].value_counts().to_dict()


def test_as_of_filter_is_reported(demo_run, csv_frame):
    folder, _ = demo_run
    result = run("analyze", "centrality", "--db", folder / "demo.lbdb", "--as-of", "2000", "-f", "csv")
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    used, undated = (years <= 2000).sum(), years.isna().sum()
    assert f"({used} ties used, {len(csv_frame) - used} left out ({len(csv_frame) - used} not signed by 2000), " \
           f"{undated} of them for lack of a year)" in result.stderr


def test_unknown_table_is_a_clear_error(demo_run):
    folder, _ = demo_run
    result = run("analyze", "growth", "--table", "nope", "--db", folder / "demo.lbdb")
    assert result.exit_code != 0 and "choose from totals, by year" in result.output


def test_viz_levels_and_sizes(demo_run, tmp_path):
    folder, _ = demo_run
    target = tmp_path / "p.html"
    ok = run("viz", "--db", folder / "demo.lbdb", "--level", "province", "--size-by", "pagerank", "-o", target)
    assert ok.exit_code == 0 and target.exists() and "province level" in ok.stdout
    bad = run("viz", "--db", folder / "demo.lbdb", "--size-by", "height", "-o", target)
    assert bad.exit_code == 2 and "--size-by" in bad.output and "pagerank" in bad.output


def test_map_lists_places_without_coordinates(demo_run, tmp_path):
    folder, _ = demo_run
    target = tmp_path / "m.html"
    result = run("map", "--db", folder / "demo.lbdb", "-o", target)
    assert result.exit_code == 0 and target.exists()
    assert re.search(r"\d+ places without coordinates \(listed on the page\)", result.stdout)


@pytest.mark.slow
def test_report_and_charts(demo_run, tmp_path):
    folder, _ = demo_run
    page = tmp_path / "r.html"
    result = run("report", "--db", folder / "demo.lbdb", "-o", page, "--evidence", "official,press")
    assert result.exit_code == 0, result.output
    assert page.exists() and "Report:" in result.stdout
    made = run("charts", "--db", folder / "demo.lbdb", "-o", tmp_path / "c", "-f", "svg")
    assert made.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "growth.svg", "lorenz.svg", "robustness.svg", "top_localities.svg", "top_provinces.svg"]


def test_analyze_mixing(demo_run):
    folder, _ = demo_run
    result = run("analyze", "mixing", "--db", folder / "demo.lbdb", "--n-null", "5", "-f", "json")
    payload = json.loads(result.stdout)
    assert set(payload) == {"assortativity", "region mixing", "distance", "distance summary"}
    summary = payload["distance summary"][0]
    assert summary["ties_with_coordinates"] + summary["ties_without_coordinates"] == summary["ties"]


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    import twinlac

    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"twinlac {version('twinlac')}"
    assert twinlac.__version__ == version("twinlac")


def test_old_level_words_are_aliases_of_place(demo_run):
    db = demo_run[0] / "demo.lbdb"
    place = run("analyze", "centrality", "--db", db, "--top", "0", "-f", "json").stdout
    assert json.loads(place)  # not empty
    for old in ("party", "locality"):
        assert run("analyze", "centrality", "--db", db, "--level", old, "--top", "0", "-f", "json").stdout == place
    bad = run("analyze", "centrality", "--db", db, "--level", "city")
    assert bad.exit_code == 2 and "place, province, country" in bad.output


def _help(*command) -> str:
    """A command's help as one line of words (rich wraps it in a box; wide enough not to cut a choice list)."""
    return " ".join(run(*command, "--help", env={"COLUMNS": "200"}).output.replace("│", " ").split())


def test_help_lists_choices_and_tables():
    centrality_help = _help("analyze", "centrality")
    assert "[place|province|country]" in centrality_help and "official, press, wikipedia" in centrality_help
    assert "auto|table|csv|json" in centrality_help
    spillover_help = _help("analyze", "spillover")
    assert "summary, shares, concentration, attachment kernel, diffusion, first tie" in spillover_help
    assert "--input-format" in _help("load")
    assert "auto|canonical|pairs|wikidata" in _help("load")
    assert "degree|weighted|betweenness|pagerank" in _help("viz")


def test_piped_tables_print_as_csv_with_every_column(demo_run):
    result = run("analyze", "centrality", "--db", demo_run[0] / "demo.lbdb", "--top", "3")
    frame = pd.read_csv(pd.io.common.StringIO(result.stdout))
    from twinlac.analysis import CENTRALITY_COLUMNS
    assert list(frame.columns) == list(CENTRALITY_COLUMNS) and len(frame) == 3


def test_table_fits_80_columns_and_columns_pick(demo_run):
    db = demo_run[0] / "demo.lbdb"
    table = run("analyze", "centrality", "--db", db, "--top", "5", "-f", "table")
    assert table.exit_code == 0
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    assert "degree" in table.stdout and "--wide" in table.stderr
    picked = run("analyze", "centrality", "--db", db, "--top", "5", "-f", "csv", "--columns", "id,pagerank")
    assert picked.stdout.splitlines()[0] == "id,pagerank"
    wide = run("analyze", "centrality", "--db", db, "--top", "1", "-f", "table", "--wide")
    assert "bipartite_betweenness" in wide.stdout.replace("\n", "").replace(" ", "").replace("│", "")
    unknown = run("analyze", "centrality", "--db", db, "--columns", "id,height")
    assert unknown.exit_code == 2 and "height" in unknown.output


def test_growth_by_country_leaves_out_all_zero_rows(demo_run, csv_frame):
    result = run("analyze", "growth", "--by", "country", "--table", "by year", "--db", demo_run[0] / "demo.lbdb",
                 "-f", "csv")
    rows = pd.read_csv(pd.io.common.StringIO(result.stdout))
    assert not ((rows["new"] == 0) & (rows["cumulative"] == 0)).any()
    years = pd.to_numeric(csv_frame["year"], errors="coerce")
    dated = csv_frame.assign(year=years).dropna(subset=["year"])
    last = int(dated["year"].max())
    # one row per country and year from its first dated tie to the last dated tie of all
    expected = sum(last - int(first) + 1 for first in dated.groupby("lac_country")["year"].min())
    assert len(rows) == expected


def test_distances_print_in_km(demo_run):
    result = run("analyze", "mixing", "--db", demo_run[0] / "demo.lbdb", "--n-null", "5",
                 "--table", "distance summary", "-f", "table")
    assert result.exit_code == 0 and "mean_tie_km" in result.stdout
    assert "e+" not in result.stdout and re.search(r"\b1\d,\d{3}\b", result.stdout)


def test_analysis_tables_to_a_folder(demo_run, tmp_path):
    result = run("analyze", "mixing", "--db", demo_run[0] / "demo.lbdb", "--n-null", "5", "-f", "csv",
                 "--out", tmp_path / "mixing")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "mixing").iterdir()) == [
        "assortativity.csv", "distance.csv", "distance_summary.csv", "region_mixing.csv"]


def test_load_quiet_prints_only_the_summary(tmp_path):
    pairs = write_rows(tmp_path / "pairs.csv", [
        {"city1": "Wuxi", "country1": "China", "city2": "Sorocaba", "country2": "Brazil"},
        {"city1": "Nowhere-on-earth", "country1": "China", "city2": "Sorocaba", "country2": "Brazil"},
    ], header=["city1", "country1", "city2", "country2"])
    args = ["load", pairs, "--db", tmp_path / "q.lbdb", "--input-format", "pairs", "--source", "https://example.org",
            "--map", "a_name=city1", "--map", "a_country=country1", "--map", "b_name=city2", "--map", "b_country=country2"]
    loud = run(*args)
    assert loud.exit_code == 0, loud.output
    assert "no coordinates" in loud.stdout
    quiet = run(*args, "--quiet", "--db", tmp_path / "q2.lbdb")
    assert quiet.exit_code == 0 and len(quiet.stdout.strip().splitlines()) == 1 and quiet.stderr == ""
    assert "2 rows read, 2 loaded" in quiet.stdout


def test_missing_file_is_a_one_line_error(tmp_path):
    result = run("load", tmp_path / "none.csv", "--db", tmp_path / "x.lbdb")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error:")


def test_option_help_writes_defaults_in_parentheses():
    # rich reads "[default: ...]" in a help text as markup and drops it from --help.
    import typer

    def commands(command):
        yield command
        for sub in getattr(command, "commands", {}).values():
            yield from commands(sub)

    helps = [(c.name, p.name, p.help) for c in commands(typer.main.get_command(app))
             for p in c.params if getattr(p, "help", None)]
    assert helps
    assert [h for h in helps if "[default:" in h[2]] == []
