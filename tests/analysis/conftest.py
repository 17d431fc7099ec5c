"""Shared pieces of the analysis tests: groupings written out by hand (from DOMAIN.md,
independent of twinlac.graph.groupings), and small hand-built graphs."""

from __future__ import annotations

import networkx as nx
import pytest

NBS_BY_NAME = {
    **dict.fromkeys(["Beijing", "Tianjin", "Hebei", "Shanghai", "Jiangsu", "Zhejiang", "Fujian", "Shandong",
                     "Guangdong", "Hainan"], "East"),
    **dict.fromkeys(["Shanxi", "Anhui", "Jiangxi", "Henan", "Hubei", "Hunan"], "Central"),
    **dict.fromkeys(["Inner Mongolia", "Guangxi", "Chongqing", "Sichuan", "Guizhou", "Yunnan", "Tibet", "Shaanxi",
                     "Gansu", "Qinghai", "Ningxia", "Xinjiang"], "West"),
    **dict.fromkeys(["Liaoning", "Jilin", "Heilongjiang"], "Northeast"),
    **dict.fromkeys(["Hong Kong", "Macau"], "SAR"),
}
COASTAL_BY_NAME = {"Liaoning", "Hebei", "Tianjin", "Shandong", "Jiangsu", "Shanghai", "Zhejiang", "Fujian",
                   "Guangdong", "Guangxi", "Hainan"}
SUBREGION_BY_COUNTRY = {
    **dict.fromkeys(["Argentina", "Chile", "Uruguay", "Paraguay"], "Southern Cone"),
    "Brazil": "Brazil", "Mexico": "Mexico",
    **dict.fromkeys(["Bolivia", "Colombia", "Ecuador", "Peru", "Venezuela"], "Andean"),
    **dict.fromkeys(["Belize", "Costa Rica", "El Salvador", "Guatemala", "Honduras", "Nicaragua", "Panama"],
                    "Central America"),
    **dict.fromkeys(["Cuba", "Dominican Republic", "Haiti", "Jamaica", "Trinidad and Tobago", "Barbados", "Bahamas",
                     "Grenada", "Dominica", "Antigua and Barbuda", "Saint Lucia", "Saint Kitts and Nevis",
                     "Saint Vincent and the Grenadines", "Guyana", "Suriname"], "Caribbean"),
}


def coast_of(name: str) -> str:
    if NBS_BY_NAME[name] == "SAR":
        return "SAR"
    return "coastal" if name in COASTAL_BY_NAME else "inland"


def china_table(spec: dict[str, tuple[str | None, bool | None]]) -> dict:
    """``graph.graph["china_provinces"]`` for hand-built graphs: id -> (region, coastal)."""
    return {pid: {"name": pid, "region": region, "coastal": coastal} for pid, (region, coastal) in spec.items()}


def add_china(G: nx.Graph, pid: str, region: str | None = "East", coastal: bool | None = True,
              party: str | None = None):
    """Add a Chinese party (the province itself, or city ``party`` in it) and return its id."""
    node = party or pid
    G.add_node(node, side="china", province=pid, province_name=pid, name=node, region=region, coastal=coastal,
               country="CN", country_name="China", level="city" if party else "province")
    return node


def add_lac(G: nx.Graph, node: str, country: str = "AR", region: str = "Southern Cone", province: str | None = None):
    G.add_node(node, side="lac", province=province or node, province_name=province or node, name=node,
               region=region, country=country, country_name=country, level="city" if province else "province")
    return node


@pytest.fixture
def real_graph(loaded_store) -> nx.Graph:
    """The bundled data as ``to_networkx()`` gives it."""
    return loaded_store.to_networkx()


def five_provinces():
    """P1, P2 coastal; P3, P4, P5 inland; first ties P1 1992, P3 and P4 1994, then P4 again
    in 1996; P2 and P5 none; P6 only an undated tie."""
    G = nx.Graph(china_provinces=china_table({
        "P1": ("East", True), "P2": ("East", True), "P3": ("West", False), "P4": ("West", False),
        "P5": ("Central", False), "P6": ("Central", False)}))
    for pid, (region, coastal) in {"P1": ("East", True), "P3": ("West", False), "P4": ("West", False),
                                   "P6": ("Central", False)}.items():
        add_china(G, pid, region, coastal)
    for i, (p, year) in enumerate([("P1", 1992), ("P3", 1994), ("P4", 1994), ("P4", 1996), ("P6", None)]):
        add_lac(G, f"L{i}")
        G.add_edge(p, f"L{i}", year=year, id=f"t{i}")
    return G


def growing_graph():
    """Mainland P1 (East, coastal), P2 (West, inland), P3 (Central, inland), P4 (East, coastal) and a SAR:
    P3 one tie in 2000; P4 ties in 2000, 2001, 2001; the SAR one in 2001; P1 an undated one."""
    spec = {"P1": ("East", True), "P2": ("West", False), "P3": ("Central", False), "P4": ("East", True),
            "HK": (None, None)}
    G = nx.Graph(china_provinces=china_table(spec))
    for pid, (region, coastal) in spec.items():
        add_china(G, pid, region, coastal)
    for i, (p, year) in enumerate([("P3", 2000), ("P4", 2000), ("P4", 2001), ("P4", 2001), ("HK", 2001),
                                   ("P1", None)]):
        add_lac(G, f"L{i}")
        G.add_edge(p, f"L{i}", year=year, id=f"t{i}")
    G.remove_node("P2")  # a province without a tie is not in the graph, only in china_provinces
    return G
