"""Resolve country and first-level division names to ISO 3166 codes (pycountry).

Names are compared after folding accents, case, punctuation and generic words
("Sheng", "Provincia de", "Estado de", ...); a table of aliases covers the
spellings real files use that pycountry does not carry; a fuzzy match
(rapidfuzz ``ratio``) of at least ``FUZZY_THRESHOLD`` is accepted only when no
other place comes within ``FUZZY_MARGIN``,
and the method and score of every match are reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry
from rapidfuzz import fuzz, process

from twinlac.graph import groupings as g
from twinlac.loaders.names import core, fold

FUZZY_THRESHOLD = 90.0
#: A fuzzy match is refused when another place scores within this many points.
FUZZY_MARGIN = 3.0

#: Country aliases seen in real files (folded keys -> ISO alpha-2).
COUNTRY_ALIASES: dict[str, str] = {
    "china": "CN", "prc": "CN", "people s republic of china": "CN", "pr china": "CN",
    "mainland china": "CN", "zhongguo": "CN", "the bahamas": "BS", "bahamas": "BS",
    "brasil": "BR", "mexico": "MX", "estados unidos mexicanos": "MX", "peru": "PE",
    "republica dominicana": "DO", "venezuela": "VE", "bolivia": "BO", "panama": "PA",
    "haiti": "HT", "belice": "BZ", "trinidad y tobago": "TT", "san vicente y las granadinas": "VC",
    "santa lucia": "LC", "san cristobal y nieves": "KN", "antigua y barbuda": "AG",
    "granada": "GD", "jamaica": "JM", "surinam": "SR", "guayana": "GY", "st lucia": "LC",
    "st kitts and nevis": "KN", "st vincent and the grenadines": "VC",
}

#: Division aliases (country, folded name) -> ISO 3166-2, for names pycountry spells otherwise.
PROVINCE_ALIASES: dict[tuple[str, str], str] = {
    ("CN", "inner mongolia"): "CN-NM", ("CN", "nei menggu"): "CN-NM", ("CN", "tibet"): "CN-XZ",
    ("CN", "xizang"): "CN-XZ", ("CN", "macau"): "CN-MO", ("CN", "macao"): "CN-MO",
    ("CN", "aomen"): "CN-MO", ("CN", "hong kong"): "CN-HK", ("CN", "xianggang"): "CN-HK",
    ("AR", "ciudad autonoma buenos aires"): "AR-C", ("AR", "caba"): "AR-C",
    ("AR", "capital federal"): "AR-C",
    ("CL", "metropolitana"): "CL-RM", ("CL", "metropolitana santiago"): "CL-RM",
    ("CL", "region metropolitana"): "CL-RM", ("CL", "o higgins"): "CL-LI",
    ("CL", "libertador general bernardo o higgins"): "CL-LI",
    ("CL", "magallanes antartica chilena"): "CL-MA", ("CL", "aysen"): "CL-AI",
    ("CO", "bogota d c"): "CO-DC", ("CO", "bogota"): "CO-DC",
    ("MX", "mexico"): "MX-MEX", ("MX", "estado mexico"): "MX-MEX",
    ("MX", "ciudad mexico"): "MX-CMX", ("MX", "cdmx"): "MX-CMX", ("MX", "distrito federal"): "MX-CMX",
    ("MX", "coahuila"): "MX-COA", ("MX", "michoacan"): "MX-MIC", ("MX", "veracruz"): "MX-VER",
    ("BR", "distrito federal"): "BR-DF", ("PE", "lima"): "PE-LIM", ("PE", "callao"): "PE-CAL",
    ("VE", "distrito capital"): "VE-A", ("PA", "panama"): "PA-8",
    ("TT", "port spain"): "TT-POS", ("SR", "para"): "SR-PR", ("GD", "saint george"): "GD-03",
    ("JM", "kingston"): "JM-01", ("JM", "saint james"): "JM-08", ("BB", "saint michael"): "BB-08",
    ("CU", "habana"): "CU-03", ("CU", "havana"): "CU-03", ("CU", "ciudad habana"): "CU-03",
    ("DO", "distrito nacional"): "DO-01",
}


@dataclass(frozen=True)
class Match:
    """A resolved name: the ISO code, the reference name, how it was found and its score."""

    code: str
    name: str
    method: str  # "exact" | "alias" | "library" | "fuzzy" | "code"
    score: float = 100.0
    #: A country name that also names a first-level division ("England" -> GB, GB-ENG;
    #: "Brandenburg, Germany" -> DE, DE-BB): the division's ISO 3166-2 code.
    division: str | None = None


@dataclass(frozen=True)
class NoMatch:
    """A name that could not be resolved, with the best candidates to report."""

    value: str
    candidates: tuple[str, ...]

    def describe(self) -> str:
        hint = f"; closest: {', '.join(self.candidates)}" if self.candidates else ""
        return f"cannot resolve {self.value!r}{hint}"


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(fold(value), country.alpha_2)
        index.setdefault(fold(country.alpha_2), country.alpha_2)
        index.setdefault(fold(country.alpha_3), country.alpha_2)
    for code, name in g.LAC_COUNTRY_NAMES.items():
        index[fold(name)] = code
    index.update(COUNTRY_ALIASES)
    return index


#: Constituent countries: a country column naming one is the sovereign state plus
#: the ISO 3166-2 sub-unit (coco knows England as GB but keeps no sub-unit).
CONSTITUENT_COUNTRIES: dict[str, str] = {
    "england": "GB-ENG", "scotland": "GB-SCT", "wales": "GB-WLS", "northern ireland": "GB-NIR",
}
#: Hong Kong and Macau are held as first-level divisions of China.
SAR_DIVISIONS: dict[str, str] = {"HK": "CN-HK", "MO": "CN-MO"}
#: Codes some resolvers give that pycountry lacks.
EXTRA_COUNTRY_NAMES: dict[str, str] = {"XK": "Kosovo"}

_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*")


@lru_cache(maxsize=1)
def _converter():
    """country_converter's regex table, read so that Namibia's code "NA" stays a string."""
    import logging

    import country_converter as coco
    import pandas as pd

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)  # it logs every miss
    table = pd.read_csv(coco.country_converter.COUNTRY_DATA_FILE, sep="\t", dtype=str,
                        keep_default_na=False, na_values=[""])
    return coco.CountryConverter(country_data=table)


def _library(name: str) -> str | None:
    """The ISO alpha-2 code country_converter's regexes give ``name``, if exactly one."""
    code = _converter().convert(name, src="regex", to="ISO2", not_found=None)
    return code if isinstance(code, str) and len(code) == 2 else None


def _whole(name: str, library: bool = True) -> Match | None:
    """A country name without splitting on commas: our index, sub-units, then the library."""
    found = _whole_code(name, library)
    if found and found.code in SAR_DIVISIONS:  # twinlac holds Hong Kong and Macau as Chinese provinces
        return Match(g.CHINA, country_name(g.CHINA), found.method, division=SAR_DIVISIONS[found.code])
    return found


def _whole_code(name: str, library: bool) -> Match | None:
    key = fold(name)
    if not key:
        return None
    if key in CONSTITUENT_COUNTRIES:
        division = CONSTITUENT_COUNTRIES[key]
        code = division.split("-")[0]
        return Match(code, country_name(code), "alias", division=division)
    code = _country_index().get(key)
    if code:
        return Match(code, country_name(code), "alias" if key in COUNTRY_ALIASES else "exact")
    bare = _PARENTHESES.sub(" ", name).strip()  # "Georgia (country)"
    if bare and bare != name.strip():
        found = _whole_code(bare, library)
        if found:
            return found
    code = _library(name) if library else None
    if code:
        return Match(code, country_name(code), "library")
    return None


@lru_cache(maxsize=65536)  # large files repeat the same names on every row
def resolve_country(name: str) -> Match | NoMatch:
    """Resolve a country name, alias or ISO code to ISO 3166-1 alpha-2.

    Our index (pycountry names and codes, the CELAC names, a short alias list),
    then country_converter's regular expressions. A constituent country keeps
    its sub-unit (``division``); "X, Country" is the division X of Country, or
    X itself when X is a country or territory ("Réunion, France" -> RE). Names
    are never matched fuzzily: what does not resolve is a ``NoMatch`` whose
    candidates are the closest names, as a hint.

    >>> resolve_country("Brasil").code, resolve_country("Trinidad and Tobago").code
    ('BR', 'TT')
    >>> m = resolve_country("England, United Kingdom"); (m.code, m.division)
    ('GB', 'GB-ENG')
    """
    found = _whole(name, library="," not in name)
    if found:
        return found
    if "," in name:
        head, _, tail = name.rpartition(",")
        country = _whole(tail)
        if country:
            own = _whole(head)
            if own and own.code != country.code and own.division is None:  # a territory: "Réunion, France"
                return Match(own.code, own.name, "library" if own.method == "library" else own.method)
            if own and own.code == country.code:  # "England, United Kingdom"
                return Match(country.code, country.name, own.method if own.division else country.method,
                             division=own.division)
            division = resolve_province(head.strip(), country.code)
            if isinstance(division, Match) and division.method != "fuzzy" and is_first_level(division.code):
                return Match(country.code, country.name, country.method, division=division.code)
            return Match(country.code, country.name, country.method)
        found = _whole(name)
        if found:
            return found
    choices = {k: v for k, v in _country_index().items() if len(k) > 3}
    best = process.extract(fold(name), list(choices), scorer=fuzz.ratio, limit=5)
    return NoMatch(name, tuple(dict.fromkeys(country_name(choices[b[0]]) for b in best))[:3])


def _unambiguous(scored: list[tuple[str, float]]) -> tuple[str, float] | None:
    """The best (code, score) if it clears the threshold and no other code comes
    within ``FUZZY_MARGIN`` of it ("Shanxi" vs "Shaanxi" must not be guessed)."""
    if not scored or scored[0][1] < FUZZY_THRESHOLD:
        return None
    code, score = scored[0]
    if any(other != code and s >= score - FUZZY_MARGIN for other, s in scored[1:]):
        return None
    return code, round(score, 1)


@lru_cache(maxsize=None)
def is_first_level(code: str) -> bool:
    """Whether an ISO 3166-2 code is a first-level division (twinlac's ``Province``)."""
    if code.startswith("CN-"):
        return code in g.CHINESE_PROVINCE_NAMES
    sub = pycountry.subdivisions.get(code=code)
    return sub is not None and sub.parent_code is None


@lru_cache(maxsize=None)
def country_name(code: str) -> str:
    """The short English name twinlac shows for a country code."""
    if code == g.CHINA:
        return "China"
    if code in g.LAC_COUNTRY_NAMES:
        return g.LAC_COUNTRY_NAMES[code]
    if code in EXTRA_COUNTRY_NAMES:
        return EXTRA_COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def _province_index(country: str) -> tuple[dict[str, list[str]], dict[str, str], tuple[str, ...]]:
    """Folded and core names and codes -> codes, code -> pycountry name, and the
    keys that are names (the only ones a fuzzy match may use), for one country."""
    keys: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    name_keys: set[str] = set()
    subdivisions = sorted(pycountry.subdivisions.get(country_code=country) or [], key=lambda s: s.code)
    # First-level divisions first, so that on a tie of names the higher level wins.
    subdivisions.sort(key=lambda s: s.parent_code is not None)
    for sub in subdivisions:
        names[sub.code] = sub.name
        name_keys.update({fold(sub.name), core(sub.name)})
        for key in {fold(sub.name), core(sub.name), fold(sub.code), fold(sub.code.split("-", 1)[1])}:
            keys.setdefault(key, [])
            if sub.code not in keys[key]:
                keys[key].append(sub.code)
    if country == g.CHINA:
        for code, name in g.CHINESE_PROVINCE_NAMES.items():
            keys.setdefault(fold(name), [])
            keys[fold(name)].insert(0, code)
            name_keys.add(fold(name))
    return keys, names, tuple(sorted(name_keys))


@lru_cache(maxsize=65536)
def province_named(name: str, country: str) -> Match | None:
    """The division of ``country`` that ``name`` names exactly or by alias (never fuzzily), if any:
    what ``resolve_province`` tries before its fuzzy match.

    >>> province_named("Jiangsu", "CN").code, province_named("Jiangsuu", "CN")
    ('CN-JS', None)
    """
    keys, names, _ = _province_index(country)
    display = g.CHINESE_PROVINCE_NAMES if country == g.CHINA else names
    for key, method in ((fold(name), "exact"), (core(name), "exact")):
        alias = PROVINCE_ALIASES.get((country, key))
        if alias:
            return Match(alias, display.get(alias, names.get(alias, alias)), "alias")
        if key in keys:
            code = keys[key][0]
            return Match(code, display.get(code, names[code]), method)
    return None


@lru_cache(maxsize=65536)
def resolve_province(name: str, country: str) -> Match | NoMatch:
    """Resolve a first-level division of ``country`` (alpha-2) to ISO 3166-2.

    >>> resolve_province("Jiangsu", "CN").code, resolve_province("São Paulo", "BR").code
    ('CN-JS', 'BR-SP')
    >>> resolve_province("Región Metropolitana de Santiago", "CL").code
    'CL-RM'
    """
    found = province_named(name, country)
    if found is not None:
        return found
    keys, names, name_keys = _province_index(country)
    display = g.CHINESE_PROVINCE_NAMES if country == g.CHINA else names
    if not keys:
        return NoMatch(name, ())
    # Plain edit-distance ratio over whole names: partial scorers (WRatio) match
    # "Sao Paolo State X" to a two-letter code or a short name such as "Pará".
    best = process.extract(core(name), name_keys, scorer=fuzz.ratio, limit=5)
    found = _unambiguous([(keys[b[0]][0], b[1]) for b in best])
    if found:
        return Match(found[0], display.get(found[0], names[found[0]]), "fuzzy", found[1])
    candidates = dict.fromkeys(display.get(keys[b[0]][0], names[keys[b[0]][0]]) for b in best)
    return NoMatch(name, tuple(candidates)[:3])
