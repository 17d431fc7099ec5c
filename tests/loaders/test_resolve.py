"""Name resolution: ISO codes from the spellings real files use."""

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from twinlac.graph import groupings as g
from twinlac.loaders.resolve import Match, NoMatch, fold, resolve_country, resolve_province

from ..conftest import BUNDLED_CSV

import pandas as pd

DATA = pd.read_csv(BUNDLED_CSV, dtype=str, keep_default_na=False)
LAC_DIVISIONS = sorted(set(zip(DATA.lac_country, DATA.lac_admin1)))


@pytest.mark.parametrize("name,code", [
    ("Brazil", "BR"), ("Brasil", "BR"), ("México", "MX"), ("Mexico", "MX"), ("The Bahamas", "BS"),
    ("People's Republic of China", "CN"), ("BRA", "BR"), ("br", "BR"), ("Trinidad and Tobago", "TT"),
    ("Venezuela", "VE"), ("Bolivia", "BO"),
])
def test_countries_by_name_alias_or_code(name, code):
    assert resolve_country(name).code == code


@pytest.mark.parametrize("name,country,code", [
    ("Jiangsu", "CN", "CN-JS"), ("Jiangsu Sheng", "CN", "CN-JS"), ("Inner Mongolia", "CN", "CN-NM"),
    ("Tibet", "CN", "CN-XZ"), ("Macau", "CN", "CN-MO"), ("Shanxi", "CN", "CN-SX"), ("Shaanxi", "CN", "CN-SN"),
    ("Sao Paulo", "BR", "BR-SP"), ("SÃO PAULO", "BR", "BR-SP"), ("Estado de México", "MX", "MX-MEX"),
    ("Ciudad de México", "MX", "MX-CMX"), ("O'Higgins", "CL", "CL-LI"), ("Bogotá D.C.", "CO", "CO-DC"),
    ("Ciudad Autónoma de Buenos Aires", "AR", "AR-C"), ("Buenos Aires", "AR", "AR-B"), ("SP", "BR", "BR-SP"),
])
def test_provinces_to_iso_3166_2(name, country, code):
    assert resolve_province(name, country).code == code


@pytest.mark.parametrize("country,admin1", LAC_DIVISIONS)
def test_every_division_in_the_bundled_data_resolves(country, admin1):
    code = resolve_country(country).code
    match = resolve_province(admin1, code)
    assert isinstance(match, Match) and match.code.startswith(code + "-")


def test_every_chinese_province_resolves_by_its_english_name():
    for code, name in g.CHINESE_PROVINCE_NAMES.items():
        assert resolve_province(name, "CN").code == code


def test_close_names_are_not_guessed():
    assert isinstance(resolve_province("Atlantis", "CN"), NoMatch)
    miss = resolve_province("Sao Paolo State X", "BR")
    assert isinstance(miss, NoMatch) and "São Paulo" in miss.candidates


def test_fuzzy_match_is_reported_as_fuzzy():
    match = resolve_province("Rio Grande do Sur", "BR")
    assert match.code == "BR-RS" and match.method == "fuzzy" and 90 <= match.score < 100


def _variants(name: str):
    """Spellings a file may use for the same name: case, accents, spacing."""
    return st.sampled_from([name, name.upper(), name.lower(), unidecode(name), f"  {name} ", name.title()])


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_case_accents_and_spacing_never_change_the_result(data):
    country, admin1 = data.draw(st.sampled_from(LAC_DIVISIONS))
    code = resolve_country(country).code
    variant = data.draw(_variants(admin1))
    assert resolve_province(variant, code).code == resolve_province(admin1, code).code


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(g.LAC_SUBREGION)), st.data())
def test_pycountry_names_resolve_to_their_own_code(country, data):
    subdivisions = [s for s in pycountry.subdivisions.get(country_code=country) if s.parent_code is None]
    names = {}
    for s in subdivisions:
        names.setdefault(fold(s.name), []).append(s.code)
    unique = [s for s in subdivisions if len(names[fold(s.name)]) == 1]
    sub = data.draw(st.sampled_from(unique))
    assert resolve_province(sub.name, country).code == sub.code


@given(st.text(max_size=30))
def test_fold_is_idempotent_ascii_lowercase(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == folded.lower() and folded.isascii()
