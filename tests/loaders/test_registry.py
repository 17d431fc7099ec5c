"""The format registry: formats declare themselves; detection and help come from it."""

import csv

import pytest

import twinlac.loaders as loaders
from twinlac.errors import TwinlacError
from twinlac.loaders import formats
from twinlac.loaders.formats import FormatSpec, InputFormat


def test_every_registered_format_is_offered_and_described():
    names = [f.name for f in loaders.registered()]
    assert sorted(names) == ["canonical", "pairs", "wikidata"]
    assert loaders.FORMATS == ("auto", *sorted(names))
    help_text = loaders.format_help()
    for name in names:
        assert f"{name}: " in help_text


def test_unknown_format_names_the_choices(store, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(TwinlacError, match="use one of auto, pairs, wikidata, canonical"):
        loaders.load_file(store, path, format="tsv")


@pytest.fixture
def towns_format():
    yield
    formats.unregister("towns")


def test_a_new_format_is_one_registration(store, tmp_path, towns_format):
    spec = FormatSpec(name="towns", columns={"a_name": "town_cn", "b_name": "town_lac", "b_country": "country"},
                      constants={"a_country": "China", "source_url": "https://example.org/towns"})
    formats.register(InputFormat(
        name="towns", summary="two towns per row", detect=lambda probe: "town_cn" in probe.header,
        spec=lambda mapping, source, evidence: spec, required_columns=lambda s: ("town_cn", "town_lac", "country"),
        order=25))
    path = tmp_path / "towns.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["town_cn", "town_lac", "country"], ["Wuxi", "Santos", "Brazil"]])
    report = loaders.load_file(store, path)
    assert (report.format, report.ties_added) == ("towns", 1)
    assert "towns: two towns per row" in formats.format_help()
