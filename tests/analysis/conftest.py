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
