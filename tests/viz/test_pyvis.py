"""to_pyvis: the page's colours, sizes and tooltips on a pyvis Network, tooltips as text only."""

import networkx as nx
import pytest

from twinlac.viz import to_pyvis

EVIL = "<img src=x onerror=alert(1)> href"


@pytest.fixture
def star():
    """Jiangsu (East) tied to São Paulo (Brazil, weak evidence) and to a place named with markup."""
    G = nx.Graph()
    G.add_node("CN-JS", name="Jiangsu", name_zh="江苏", side="china", level="province", region="East",
               country="CN")
    G.add_node("BR-SP", name="São Paulo", side="lac", level="province", region="Brazil", country="BR")
    G.add_node("AR-X:evil", name=EVIL, side="lac", level="city", region="Southern Cone", country="AR")
    G.add_edge("CN-JS", "BR-SP", kind="sister", year=2004, evidence="weak", source_url="https://example.org/a")
    G.add_edge("CN-JS", "AR-X:evil", kind="friendship", year=2010, evidence="official")
    return G


def test_colours_shapes_and_sizes(star):
    net = to_pyvis(star)
    nodes = {n["label"]: n for n in net.nodes}
    # Region colours of the page: East #c62828, Brazil #2e7d32, Southern Cone #1565c0.
    assert nodes["Jiangsu"]["color"]["background"] == "#c62828"
    assert nodes["São Paulo"]["color"]["background"] == "#2e7d32"
    assert nodes[EVIL]["color"]["background"] == "#1565c0"
    assert nodes["Jiangsu"]["shape"] == "diamond" and nodes[EVIL]["shape"] == "dot"
    # Size 10 + 30·sqrt(degree / most): the hub (2 ties) 40, a leaf 10 + 30·sqrt(1/2).
    assert nodes["Jiangsu"]["size"] == pytest.approx(40.0)
    assert nodes["São Paulo"]["size"] == pytest.approx(10 + 30 * 0.5 ** 0.5, abs=1e-3)


def test_edges_keep_kind_and_evidence_styles(star):
    net = to_pyvis(star)
    by_kind = {e["title"].splitlines()[1]: e for e in net.edges}
    sister, friendship = by_kind["Kind: Sister city / province"], by_kind["Kind: Friendship"]
    assert sister["color"]["color"] == "#455a64" and sister["dashes"] == [8, 6]  # weak: dashed
    assert friendship["color"]["color"] == "#c17d11" and friendship["dashes"] is False
    assert "Source: " in sister["title"] and "Evidence: Weak" in sister["title"]


def test_tooltips_are_text_and_never_switch_pyvis_to_html(star):
    net = to_pyvis(star)
    evil = next(n for n in net.nodes if n["label"] == EVIL)
    assert evil["title"].startswith("<img src=x onerror=alert(1)>")  # shown as typed, as text
    assert "href" not in evil["title"]
    html = net.generate_html()
    assert "popup.innerHTML" not in html  # pyvis's HTML-tooltip template is not used


def test_province_level_and_custom_sizes(star):
    net = to_pyvis(star, level="country")
    assert sorted(n["label"] for n in net.nodes) == ["AR", "BR", "CN"] or len(net.nodes) == 3
    custom = to_pyvis(star, size_by={"CN-JS": 0.0, "BR-SP": 1.0, "AR-X:evil": 1.0})
    sizes = {n["label"]: n["size"] for n in custom.nodes}
    assert sizes["Jiangsu"] == pytest.approx(10.0) and sizes["São Paulo"] == pytest.approx(40.0)
