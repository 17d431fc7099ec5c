"""Resolve country and first-level division names to ISO 3166 codes (pycountry).

Names are compared after folding accents, case, punctuation and generic words
("Sheng", "Provincia de", "Estado de", ...); a table of aliases covers the
spellings real files use that pycountry does not carry; a fuzzy match
(rapidfuzz ``ratio``) of at least ``FUZZY_THRESHOLD`` is accepted only when no
other place comes within ``FUZZY_MARGIN``,
and the method and score of every match are reported.
"""

from __future__ import annotations

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
    method: str  # "exact" | "alias" | "fuzzy" | "code"
    score: float = 100.0


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


@lru_cache(maxsize=65536)  # large files repeat the same names on every row
def resolve_country(name: str) -> Match | NoMatch:
    """Resolve a country name, alias or ISO code to ISO 3166-1 alpha-2.

    >>> resolve_country("Brasil").code, resolve_country("Trinidad and Tobago").code
    ('BR', 'TT')
    """
    key = fold(name)
    code = _country_index().get(key)
    if code:
        return Match(code, country_name(code), "exact")
    choices = {k: v for k, v in _country_index().items() if len(k) > 3}
    best = process.extract(key, list(choices), scorer=fuzz.ratio, limit=5)
    found = _unambiguous([(choices[b[0]], b[1]) for b in best])
    if found:
        return Match(found[0], country_name(found[0]), "fuzzy", found[1])
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
def country_name(code: str) -> str:
    """The short English name twinlac shows for a country code."""
    if code == g.CHINA:
        return "China"
    if code in g.LAC_COUNTRY_NAMES:
        return g.LAC_COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
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
def resolve_province(name: str, country: str) -> Match | NoMatch:
    """Resolve a first-level division of ``country`` (alpha-2) to ISO 3166-2.

    >>> resolve_province("Jiangsu", "CN").code, resolve_province("São Paulo", "BR").code
    ('CN-JS', 'BR-SP')
    >>> resolve_province("Región Metropolitana de Santiago", "CL").code
    'CL-RM'
    """
    keys, names, name_keys = _province_index(country)
    display = g.CHINESE_PROVINCE_NAMES if country == g.CHINA else names
    for key, method in ((fold(name), "exact"), (core(name), "exact")):
        alias = PROVINCE_ALIASES.get((country, key))
        if alias:
            return Match(alias, display.get(alias, names.get(alias, alias)), "alias")
        if key in keys:
            code = keys[key][0]
            return Match(code, display.get(code, names[code]), method)
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
