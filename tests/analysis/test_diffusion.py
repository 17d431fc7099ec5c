"""Diffusion within province–country pairs by hand, and every dated tie of the bundled data
accounted for."""

import networkx as nx
import pandas as pd
import pytest

from twinlac.analysis import pair_diffusion

from .conftest import add_china, add_lac, china_table


def test_pair_diffusion_by_hand():
    # Provinces A, B; countries AR, BR; ties A–AR 2000, B–BR 2001, A–AR 2002, A–BR undated.
    # Pairs (A,AR) (A,BR) (B,AR) (B,BR), years 2000–2002.  No earlier tie: 4 + 3 + 2 = 9 pair-years,
    # 2 ties (A–AR 2000, B–BR 2001) -> 2/9.  After a first tie: (A,AR) in 2001 and 2002, (B,BR) in 2002:
    # 3 pair-years, 1 tie (A–AR 2002) -> 1/3.  Ratio (1/3)/(2/9) = 1.5.
    G = nx.Graph(china_provinces=china_table({"A": ("East", True), "B": ("West", False)}))
    add_china(G, "A")
    add_china(G, "B", "West", False)
    for i, (p, country, year) in enumerate([("A", "AR", 2000), ("B", "BR", 2001), ("A", "AR", 2002),
                                            ("A", "BR", None)]):
        add_lac(G, f"L{i}", country=country)
        G.add_edge(p, f"L{i}", year=year)
    result = pair_diffusion(G)
    rates = result.rates.set_index("state")
    assert rates.loc["no earlier tie", "pair_years"] == 9 and rates.loc["no earlier tie", "new_ties"] == 2
    assert rates.loc["after a first tie", "pair_years"] == 3 and rates.loc["after a first tie", "new_ties"] == 1
    assert result.rate_ratio == pytest.approx(1.5)
    pairs = result.pairs.set_index(["cn_province", "lac_country"])
    assert pairs.loc[("A", "AR"), "years_to_second"] == 2 and pairs.loc[("A", "AR"), "further_ties"] == 1
    assert pairs.loc[("B", "BR"), "years_observed"] == 1 and pd.isna(pairs.loc[("B", "BR"), "years_to_second"])
    assert ("A", "BR") not in pairs.index and result.counts["ties_without_year"] == 1


def test_real_diffusion_accounts_for_every_dated_tie(real_graph, csv_frame):
    dated = csv_frame[csv_frame["year"] != ""]
    years = dated["year"].astype(int)
    n_years = years.max() - years.min() + 1
    diffusion = pair_diffusion(real_graph)
    assert diffusion.rates["new_ties"].sum() == len(dated)
    assert diffusion.rates["pair_years"].sum() == 33 * csv_frame["lac_country"].nunique() * n_years
    assert len(diffusion.pairs) == len(dated[["cn_province", "lac_country"]].drop_duplicates())
