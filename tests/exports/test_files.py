"""GraphML, GEXF and CSV exports, read back with networkx and pandas and compared with the store.

Expected counts come from the bundled CSV read with pandas; attributes from the
store's own network (``to_networkx``), the thing the files must carry.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest

import twinlac
from twinlac.exports import ExportError, export, export_graph

SEP = "|"


def _years(csv_frame) -> pd.Series:
    return pd.to_numeric(csv_frame["year"], errors="coerce")


def _expected_node(data: dict) -> dict:
    """A party's attributes as the files hold them: None left out."""
    return {k: v for k, v in data.items() if v is not None and k != "label"}


def _expected_edge(data: dict) -> dict:
    out = {}
    for key, value in data.items():
        if value is None or key == "id":
            continue
        out[key] = SEP.join(value) if isinstance(value, list) else value
    return out


# -- GraphML -------------------------------------------------------------------------------------

def test_graphml_round_trip_at_party_level(loaded_store, csv_frame, tmp_path):
    result = export(loaded_store, tmp_path / "ties.graphml")
    graph = loaded_store.to_networkx()
    back = nx.read_graphml(tmp_path / "ties.graphml")
    assert (result.format, result.nodes, result.edges) == ("graphml", back.number_of_nodes(), back.number_of_edges())
    assert back.number_of_edges() == len(csv_frame)
    assert set(back.nodes) == set(graph.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    for node, data in graph.nodes(data=True):
        got = dict(back.nodes[node])
        assert got.pop("type") == data["label"]
        assert got.pop("ties") == graph.degree(node)
        got.pop("first_year", None)
        assert got == _expected_node(data), node
    for u, v, data in graph.edges(data=True):
        got = dict(back.edges[u, v])
        assert got.pop("type") == "TWINNED_WITH" and got.pop("id") == data["id"]
        assert got == _expected_edge(data), data["id"]


def test_graphml_at_province_level_counts_agreements(loaded_store, csv_frame, tmp_path):
    export(loaded_store, tmp_path / "provinces.graphml", level="province")
    back = nx.read_graphml(tmp_path / "provinces.graphml")
    assert sum(d["agreements"] for _, _, d in back.edges(data=True)) == len(csv_frame)
    # Jiangsu (the province and its cities) with São Paulo state (the state and its cities), by pandas.
    rows = csv_frame[(csv_frame.cn_province == "Jiangsu") & (csv_frame.lac_admin1 == "São Paulo")
                     & (csv_frame.lac_country == "Brazil")]
    edge = back.edges["CN-JS", "BR-SP"]
    years = _years(rows).dropna()
    assert edge["agreements"] == len(rows) and edge["undated"] == len(rows) - len(years)
    assert (edge["first_year"], edge["last_year"]) == (int(years.min()), int(years.max()))
    assert back.nodes["CN-JS"]["type"] == "Province" and back.nodes["CN-JS"]["name"] == "Jiangsu"
    assert back.nodes["CN-JS"]["ties"] == (csv_frame.cn_province == "Jiangsu").sum()


def test_country_level_agreements_per_lac_country(loaded_store, csv_frame, tmp_path):
    export(loaded_store, tmp_path / "countries.graphml", level="country")
    back = nx.read_graphml(tmp_path / "countries.graphml")
    by_name = {back.nodes[n]["name"]: n for n in back.nodes}
    got = {name: back.edges["CN", node]["agreements"] for name, node in by_name.items() if node != "CN"}
    assert got == csv_frame["lac_country"].value_counts().to_dict()


# -- GEXF ----------------------------------------------------------------------------------------

def test_gexf_is_dynamic_and_starts_each_tie_in_its_year(loaded_store, csv_frame, tmp_path):
    path = tmp_path / "ties.gexf"
    export(loaded_store, path)
    graph = loaded_store.to_networkx()
    tree = ET.parse(path)
    ns = {"g": "http://www.gexf.net/1.2draft"}
    element = tree.getroot().find("g:graph", ns)
    assert (element.get("mode"), element.get("timeformat"), element.get("defaultedgetype")) == \
        ("dynamic", "double", "undirected")
    edges = element.findall("g:edges/g:edge", ns)
    assert len(edges) == len(csv_frame)
    # An edge's type in GEXF is its direction: nothing else may sit there.
    assert all(e.get("type") in (None, "undirected") for e in edges)
    undated = [e for e in edges if e.get("start") is None]
    assert len(undated) == _years(csv_frame).isna().sum()
    for e in edges:
        data = graph.edges[e.get("source"), e.get("target")]
        assert e.get("id") == data["id"]
        assert (e.get("start") is None) == (data["year"] is None)
        if data["year"] is not None:
            assert float(e.get("start")) == data["year"]
        assert graph.nodes[e.get("source")]["side"] == "china"  # written from the Chinese party
    # Wuxi: tied with Sorocaba in 2010, Puebla in 2014, Viña del Mar undated (the CSV).
    wuxi = element.find("g:nodes/g:node[@id='CN-JS:wuxi']", ns)
    assert (wuxi.get("label"), wuxi.get("start")) == ("Wuxi", "2010.0")


def test_gexf_read_back_by_networkx(loaded_store, tmp_path):
    export(loaded_store, tmp_path / "p.gexf", level="province")
    back = nx.read_gexf(tmp_path / "p.gexf")
    graph = loaded_store.to_networkx()
    assert back.graph["mode"] == "dynamic"
    jiangsu = back.nodes["CN-JS"]
    assert (jiangsu["label"], jiangsu["side"], jiangsu["region"], jiangsu["type"]) == \
        ("Jiangsu", "china", "East", "Province")
    assert sum(d["agreements"] for _, _, d in back.edges(data=True)) == graph.number_of_edges()


# -- CSV -----------------------------------------------------------------------------------------

def test_csv_round_trip(loaded_store, csv_frame, tmp_path):
    result = export(loaded_store, tmp_path / "csv", format="csv")
    assert [p.name for p in result.paths] == ["nodes.csv", "edges.csv"]
    nodes = pd.read_csv(tmp_path / "csv" / "nodes.csv", dtype=str, keep_default_na=False)
    edges = pd.read_csv(tmp_path / "csv" / "edges.csv", dtype=str, keep_default_na=False)
    assert list(nodes.columns[:3]) == ["ID", "Label", "Type"] and list(edges.columns[:3]) == ["From", "To", "ID"]
    assert nodes["ID"].is_unique and set(edges["From"]) | set(edges["To"]) <= set(nodes["ID"])
    assert len(edges) == len(csv_frame)
    assert edges["evidence"].value_counts().to_dict() == csv_frame["evidence"].value_counts().to_dict()
    assert edges["kind"].value_counts().to_dict() == csv_frame["kind"].value_counts().to_dict()
    assert (edges["year"] == "").sum() == _years(csv_frame).isna().sum()
    ties = loaded_store.ties().set_index("id")
    for row in edges.itertuples():
        tie = ties.loc[row.ID]
        assert (row.From, row.To) == (tie["a"], tie["b"])
        assert row.sources.split(SEP) == list(tie["sources"])
    names = dict(zip(nodes["ID"], nodes["Label"], strict=False))
    assert names["CN-JS:wuxi"] == "Wuxi" and names["BR-SP:sorocaba"] == "Sorocaba"


# -- filters, awkward text, errors ----------------------------------------------------------------

def test_filters_are_those_of_to_networkx(loaded_store, csv_frame, tmp_path):
    result = export(loaded_store, tmp_path / "well.graphml", evidence=["official", "press"], as_of=2010)
    years = _years(csv_frame)
    kept = csv_frame["evidence"].isin(["official", "press"]) & (years <= 2010)
    assert result.edges == result.ties == kept.sum()
    assert result.ties_left_out == len(csv_frame) - kept.sum()
    assert nx.read_graphml(tmp_path / "well.graphml").number_of_edges() == kept.sum()


@pytest.mark.parametrize("fmt, name", [("graphml", "a.graphml"), ("gexf", "a.gexf"), ("csv", "csv")])
def test_awkward_text_survives(awkward_store, tmp_path, fmt, name):
    export(awkward_store, tmp_path / name, format=fmt)
    if fmt == "csv":
        nodes = pd.read_csv(tmp_path / name / "nodes.csv", dtype=str, keep_default_na=False).set_index("ID")
        edges = pd.read_csv(tmp_path / name / "edges.csv", dtype=str, keep_default_na=False).set_index("ID")
        names, notes = nodes["Label"].to_dict(), edges["notes"].to_dict()
        sources = {i: s.split(SEP) for i, s in edges["sources"].items()}
    else:
        back = nx.read_graphml(tmp_path / name) if fmt == "graphml" else nx.read_gexf(tmp_path / name)
        names = {n: d.get("name", d.get("label")) for n, d in back.nodes(data=True)}
        notes = {d["id"]: d.get("notes", "") for _, _, d in back.edges(data=True)}
        sources = {d["id"]: d["sources"].split(SEP) for _, _, d in back.edges(data=True)}
    tie = "CN-JS:wuxi-new-district~BR-SP:sao-paulo-norte"
    assert names["CN-JS:wuxi-new-district"] == "Wu'xi \"New\" \\ District"
    assert names["BR-SP:sao-paulo-norte"] == "São Paulo|Norte" and names["CN-SN:xi-an"] == "Xi'an"
    assert notes[tie] == "first line\nsecond line\twith a tab"
    # The list separator inside a URL is percent-encoded: the same address.
    assert sources[tie] == ["https://example.org/a%7Cb?x='1'", "https://example.org/a%7Cb?x='1'#again"]


def test_a_theme_holding_the_separator_is_refused(tmp_path):
    graph = nx.Graph()
    graph.add_node("CN-JS", label="Province", name="Jiangsu", side="china")
    graph.add_node("BR-SP", label="Province", name="São Paulo", side="lac")
    graph.add_edge("CN-JS", "BR-SP", id="CN-JS~BR-SP", year=1986, themes=["trade|ports"], sources=[])
    with pytest.raises(ExportError, match=r"themes: item 'trade\|ports' holds '\|'"):
        export_graph(graph, tmp_path / "x.graphml")


@pytest.mark.parametrize("out, kwargs, message", [
    ("x.txt", {}, "cannot tell the format from 'x.txt'"),
    ("x.graphml", {"format": "pajek"}, "unknown format 'pajek'"),
    ("x.graphml", {"level": "city"}, "unknown level 'city'"),
])
def test_bad_arguments(loaded_store, tmp_path, out, kwargs, message):
    with pytest.raises(ExportError, match=message):  # a TwinlacError: the CLI prints it on one line
        export(loaded_store, tmp_path / out, **kwargs)


def test_the_format_follows_the_suffix(loaded_store, tmp_path):
    assert export(loaded_store, tmp_path / "a.gexf").format == "gexf"
    assert export(loaded_store, tmp_path / "a.cql", level="country").format == "cypher"


def test_public_api():
    assert twinlac.export is export
