"""`twinlac load`: the summary per resolution method, enrichment and conflicts, and where the notes go."""

import csv

import pandas as pd
from typer.testing import CliRunner

from twinlac.cli import app
from twinlac.loaders import METHODS

from ..conftest import GOOD_ROW, write_rows

runner = CliRunner()
PAIRS = ["--input-format", "pairs", "--source", "https://example.org/list", "--map", "a_name=city1",
         "--map", "a_country=country1", "--map", "b_name=city2", "--map", "b_country=country2"]


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def _pairs(path, rows, extra=()):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2", *extra])
        writer.writerows(rows)
    return path


def test_load_prints_one_line_per_method_and_writes_the_notes_to_the_matches_file(tmp_path):
    path = _pairs(tmp_path / "world.csv", [
        ["Beijing", "China", "Havana", "Cuba"],      # a municipality named as a city; an alternate name
        ["Wuxi", "PRC", "Sorocaba", "Brasil"],       # provinces from the gazetteer; two country aliases
        ["Taizhou", "China", "Sorocaba", "Brazil"],  # two Taizhous: left at country level
    ])
    audit = tmp_path / "audit" / "m.csv"
    audit.parent.mkdir()
    result = run("load", path, "--db", tmp_path / "w.lbdb", "--matches", audit, *PAIRS)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "3 rows read, 3 loaded, 0 rejected; 3 ties added" in lines[0]
    assert "0 ties enriched, 0 conflicts kept" in lines[0]
    counts = {}
    for method in METHODS:
        [line] = [x for x in lines if x.strip().startswith(f"{method}:")]
        counts[method] = int(line.split(":")[1].split()[0].replace(",", ""))
    # Countries: China, PRC, Brasil, China (alias), Cuba, Brazil (exact). Places: Beijing (division name);
    # Havana, Wuxi, Sorocaba twice (gazetteer province), Havana also an alternate name of La Habana;
    # Taizhou (country level).
    assert counts == {"exact": 2, "alias": 4, "library": 0, "division name": 1, "gazetteer province": 4,
                      "alternate name": 1, "fuzzy": 0, "country level": 1}
    assert f"Matches to audit: {audit}" in result.stdout
    matches = pd.read_csv(audit)
    assert matches["method"].value_counts().to_dict() == {m: n for m, n in counts.items() if n and m != "exact"}
    assert "row " not in result.stdout and "Havana" not in result.output  # per-row notes stay in the file


def test_load_reports_enriched_ties_and_conflicts(tmp_path):
    db = tmp_path / "e.lbdb"
    bare = write_rows(tmp_path / "held.csv", [{**GOOD_ROW, "year": "", "date": ""}])
    assert run("load", bare, "--db", db).exit_code == 0
    pairs = [*PAIRS, "--map", "year=year"]
    later = _pairs(tmp_path / "later.csv", [["Wuxi", "China", "São Paulo", "Brazil", "2005"]], ["year"])
    result = run("load", later, "--db", db, *pairs)
    assert result.exit_code == 0, result.output
    assert "0 ties added, 1 already present, 1 gained a source; 1 ties enriched, 0 conflicts kept." in result.stdout
    other = _pairs(tmp_path / "other.csv", [["Wuxi", "China", "São Paulo", "Brazil", "2007"]], ["year"])
    kept = tmp_path / "kept.csv"
    result = run("load", other, "--db", db, "--conflicts", kept, *pairs)
    assert "0 ties enriched, 1 conflicts kept." in result.stdout and f"Conflicts kept: {kept}" in result.stdout
    assert pd.read_csv(kept, dtype=str)[["field", "held", "new"]].values.tolist() == [["year", "2005", "2007"]]
    quiet = run("load", other, "--db", db, "--quiet", *pairs)
    assert len(quiet.stdout.strip().splitlines()) == 1 and "1 conflicts kept" in quiet.stdout
    assert (tmp_path / "other.csv.conflicts.csv").exists()
