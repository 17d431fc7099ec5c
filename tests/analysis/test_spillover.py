"""Spillover measures: inequality and survival by hand, the attachment kernel and pair
diffusion on tiny growing graphs, and the bundled data against the CSV."""

import copy
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twinlac.analysis import (
    concentration, gini, kaplan_meier, lorenz_curve, pair_diffusion, preferential_attachment, regional_shares,
    spillover, theil, time_to_first_tie,
)

from .conftest import NBS_BY_NAME, add_china, add_lac, china_table, coast_of

counts = st.lists(st.integers(0, 50), min_size=1, max_size=40)


# -- inequality ----------------------------------------------------------------

def test_gini_by_hand():
    # [0,0,1,3]: Σ_i Σ_j |x_i − x_j| = 2 × (1 + 3 + 1 + 3 + 2) = 20; 2 n² μ = 2·16·1 = 32 -> 0.625.
    assert gini([0, 0, 1, 3]) == pytest.approx(0.625)
    assert gini([2, 2, 2]) == 0.0
    assert gini([0, 0, 0, 5]) == pytest.approx(0.75)  # one holder of 4: 1 − 1/n
    assert math.isnan(gini([0, 0])) and math.isnan(gini([]))


def test_lorenz_by_hand():
    points = lorenz_curve([3, 0, 1, 0])  # sorted 0, 0, 1, 3 of total 4
    assert points["population_share"].tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert points["value_share"].tolist() == [0, 0, 0, 0.25, 1]


def test_theil_decomposition_by_hand():
    # x = [1, 1, 0, 6] (inland, inland, coastal, coastal); shares s = 1/8, 1/8, 0, 6/8, n = 4.
    # T = Σ s ln(4 s) = 2 · (1/8) ln(1/2) + (6/8) ln 3.
    # Groups: inland share 1/4 with 2 of 4 units, coastal 3/4 with 2 of 4:
    # between = (1/4) ln((1/4)/(1/2)) + (3/4) ln((3/4)/(1/2)); within: inland equal -> 0,
    # coastal [0, 6] -> T = 1 · ln(2 · 1) = ln 2, weighted 3/4.
    t = theil([1, 1, 0, 6], ["inland", "inland", "coastal", "coastal"])
    assert t.total == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(3))
    assert t.between == pytest.approx(0.25 * math.log(0.5) + 0.75 * math.log(1.5))
    assert t.within == pytest.approx(0.75 * math.log(2))
    assert theil([5, 5]).total == 0.0


@given(counts)
def test_gini_is_in_unit_interval_and_order_free(x):
    g = gini(x)
    if sum(x) == 0:
        assert math.isnan(g)
    else:
        assert 0 <= g < 1
        assert gini(list(reversed(x))) == pytest.approx(g)
        assert gini([3 * v for v in x]) == pytest.approx(g)


@given(st.lists(st.tuples(st.integers(0, 50), st.sampled_from("abc")), min_size=1, max_size=40))
def test_theil_between_plus_within_is_total(pairs):
    x, groups = [v for v, _ in pairs], [g for _, g in pairs]
    t = theil(x, groups)
    if sum(x) == 0:
        assert math.isnan(t.total)
    else:
        assert t.between + t.within == pytest.approx(t.total, abs=1e-12)
        assert -1e-12 <= t.total <= math.log(len(x)) + 1e-12
        assert t.within >= -1e-12 and t.between >= -1e-12


# -- survival ------------------------------------------------------------------

def test_kaplan_meier_by_hand():
    # times 2, 3+, 4, 4, 6+ (+ = censored):
    # t=2: 5 at risk, 1 event -> 4/5; t=3: censored, S stays; t=4: 3 at risk, 2 events -> 4/5 · 1/3;
    # t=6: 1 at risk, censored.
    km = kaplan_meier([2, 3, 4, 4, 6], [True, False, True, True, False])
    assert km["time"].tolist() == [2, 3, 4, 6]
    assert km["at_risk"].tolist() == [5, 4, 3, 1]
    assert km["events"].tolist() == [1, 0, 2, 0] and km["censored"].tolist() == [0, 1, 0, 1]
    assert km["survival"].tolist() == pytest.approx([0.8, 0.8, 0.8 / 3, 0.8 / 3])


def _five_provinces():
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


def test_time_to_first_tie_by_hand():
    # origin 1990, end 1996 (last dated tie): times P1 2, P3 4, P4 4, P2 6+, P5 6+; P6 left out.
    # all: t=2 5 at risk 1 event -> 0.8; t=4 4 at risk 2 events -> 0.4; t=6 censored. Median: t=4 (1994).
    # coastal (P1, P2): t=2 -> 1/2, median 2 (1992); inland (P3, P4, P5): t=4 -> 1/3, median 4 (1994).
    ft = time_to_first_tie(_five_provinces(), origin=1990)
    assert ft.end == 1996 and ft.counts["provinces_undated_only"] == 1
    rows = ft.provinces.set_index("province")
    assert rows.loc["P2", "time"] == 6 and not rows.loc["P2", "event"] and rows.loc["P6", "undated_only"]
    curve = ft.survival[ft.survival["group"] == "all"]
    assert curve["time"].tolist() == [2, 4, 6]
    assert curve["survival"].tolist() == pytest.approx([0.8, 0.4, 0.4])
    medians = ft.medians.set_index("group")
    assert medians.loc["all", "median_year"] == 1994 and medians.loc["coastal", "median_year"] == 1992
    assert medians.loc["inland", "median_year"] == 1994 and medians.loc["inland", "provinces"] == 3
    assert time_to_first_tie(_five_provinces(), origin="data").origin == 1992
    with pytest.raises(ValueError, match="origin"):
        time_to_first_tie(_five_provinces(), origin=1993)


# -- shares and concentration ---------------------------------------------------

def _growing():
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


def test_regional_shares_by_hand():
    shares = regional_shares(_growing())
    by_year = shares.by_year.set_index(["grouping", "year", "group"])
    # 2001: new ties P4, P4, HK -> East 2/3, SAR 1/3; cumulative East 3 of 5 (P3 Central 1, SAR 1).
    assert by_year.loc[("nbs", 2001, "East"), "new_share"] == pytest.approx(2 / 3)
    assert by_year.loc[("nbs", 2001, "East"), "cumulative"] == 3
    assert by_year.loc[("nbs", 2001, "Central"), "cumulative_share"] == pytest.approx(1 / 5)
    assert by_year.loc[("coastal", 2000, "inland"), "new_share"] == pytest.approx(1 / 2)
    overall = shares.overall.set_index(["grouping", "group"])
    assert overall.loc[("nbs", "East"), "ties"] == 4 and overall.loc[("nbs", "East"), "undated"] == 1
    assert overall.loc[("nbs", "West"), "ties"] == 0
    assert shares.counts["ties_without_year"] == 1 and shares.counts["ties_used"] == 5


def test_concentration_by_hand():
    result = concentration(_growing())
    rows = result.by_year.set_index("year")
    # 2000: mainland counts [0, 0, 1, 1] -> Σ|diffs| = 8 ordered pairs × 1 = 8; 2 n² μ = 2·16·0.5 -> 0.5.
    # 2001: [0, 0, 1, 3] -> 0.625.  HK is left out (sar_ties = 1); P1's undated tie only in ``overall``.
    assert rows.loc[2000, "gini"] == pytest.approx(0.5)
    assert rows.loc[2001, "gini"] == pytest.approx(0.625)
    assert rows.loc[2001, "ties"] == 4 and rows.loc[2001, "provinces"] == 4
    assert result.counts["sar_ties"] == 1 and result.counts["ties_used"] == 4
    assert result.overall.loc[0, "ties"] == 5  # [1, 0, 1, 3]
    assert result.overall.loc[0, "gini"] == pytest.approx(gini([1, 0, 1, 3]))
    for prefix in ("coastal", "nbs"):
        assert (result.by_year[f"theil_between_{prefix}"] + result.by_year[f"theil_within_{prefix}"]).to_numpy() \
            == pytest.approx(result.by_year["theil"].to_numpy())
    # coastal (P1, P4) vs inland (P2, P3) in 2001: [0, 3] vs [0, 1]; between = (3/4) ln(3/4 · 4/2) + (1/4) ln(1/4 · 2)
    assert rows.loc[2001, "theil_between_coastal"] == pytest.approx(0.75 * math.log(1.5) + 0.25 * math.log(0.5))
    lorenz = result.lorenz[result.lorenz["year"] == 2001]
    assert lorenz["value_share"].tolist() == pytest.approx([0, 0, 0, 0.25, 1])


# -- preferential attachment -----------------------------------------------------

def _attachment_graph():
    """Provinces A, B, C; ties A 2000, A 2001, B 2001, A 2002."""
    G = nx.Graph(china_provinces=china_table({p: ("East", True) for p in "ABC"}))
    for p in "ABC":
        add_china(G, p)
    for i, (p, year) in enumerate([("A", 2000), ("A", 2001), ("B", 2001), ("A", 2002)]):
        add_lac(G, f"x{i}")
        G.add_edge(p, f"x{i}", year=year)
    return G


def test_attachment_kernel_by_hand():
    # Degrees before each year: 2000 A0 B0 C0; 2001 A1 B0 C0; 2002 A2 B1 C0.
    # k=0: unit-years 3 + 2 + 1 = 6, new ties A(2000) + B(2001) = 2 -> 1/3;
    # k=1: A(2001), B(2002) = 2 unit-years, 1 new tie -> 1/2; k=2: A(2002), 1 new -> 1.
    pa = preferential_attachment(_attachment_graph(), normalise=False, n_boot=0)
    assert pa.kernel["k"].tolist() == [0, 1, 2]
    assert pa.kernel["at_risk"].tolist() == [6, 2, 1] and pa.kernel["new_ties"].tolist() == [2, 1, 1]
    assert pa.kernel["pi"].tolist() == pytest.approx([1 / 3, 1 / 2, 1])
    # least squares of ln Π on ln(k+1): x = 0, ln 2, ln 3; y = −ln 3, −ln 2, 0.
    x, y = np.log([1, 2, 3]), np.log([1 / 3, 1 / 2, 1])
    slope = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    assert pa.alpha == pytest.approx(slope) and pa.alpha == pytest.approx(0.9553, abs=1e-4)
    assert math.isnan(pa.alpha_low) and pa.n_boot_used == 0
    # normalised: mean rate per unit r = 1/3, 2/3, 1/3 -> weights 3; 1.5, 1.5; 3:
    # Π(0) = (3 + 1.5)/6 = 0.75, Π(1) = 1.5/2 = 0.75, Π(2) = 3/1 = 3.
    normalised = preferential_attachment(_attachment_graph(), n_boot=0)
    assert normalised.kernel["pi"].tolist() == pytest.approx([0.75, 0.75, 3])
    # drop: fit on k >= 1 only: ln Π vs ln k through (0, ln 0.75), (ln 2, ln 3) -> α = ln 4 / ln 2 = 2.
    assert preferential_attachment(_attachment_graph(), zero="drop", n_boot=0).alpha == pytest.approx(2.0)


def test_attachment_at_party_level_by_hand():
    # ties a–x 2000, a–y 2001, a–z 2002, b–x 2002.  Parties are at risk from the year after their first tie:
    # 2001: a(1), x(1) -> a gets 1;  2002: a(2), x(1), y(1) -> a gets 1, x gets 1.
    # k=1: 4 unit-years, 2 ties -> 1/2; k=2: 1 unit-year, 1 tie -> 1.  Entries: a, x, y, z, b = 5 tie-ends.
    G = nx.Graph()
    for c in "ab":
        add_china(G, f"CN-{c}", party=c)
    for x in "xyz":
        add_lac(G, x)
    for c, x, year in [("a", "x", 2000), ("a", "y", 2001), ("a", "z", 2002), ("b", "x", 2002)]:
        G.add_edge(c, x, year=year)
    pa = preferential_attachment(G, level="party", normalise=False, n_boot=0)
    assert pa.kernel[["k", "at_risk", "new_ties"]].values.tolist() == [[1, 4, 2], [2, 1, 1]]
    assert pa.counts["entry_tie_ends"] == 5 and pa.counts["tie_ends_used"] == 3
    assert pa.alpha == pytest.approx(math.log(2) / math.log(1.5))  # shift: x = 2, 3


def test_attachment_bootstrap_is_seeded():
    G = _attachment_graph()
    a = preferential_attachment(G, n_boot=200, seed=7)
    b = preferential_attachment(G, n_boot=200, seed=7)
    assert (a.alpha_low, a.alpha_high, a.n_boot_used) == (b.alpha_low, b.alpha_high, b.n_boot_used)
    assert a.n_boot_used > 0 and a.alpha_low <= a.alpha_high


# -- diffusion -----------------------------------------------------------------------

def test_pair_diffusion_by_hand():
    # Provinces A, B; countries AR, BR; ties A–AR 2000, B–BR 2001, A–AR 2002, A–BR undated.
    # Pairs (A,AR) (A,BR) (B,AR) (B,BR), years 2000–2002.  No earlier tie: 4 + 3 + 2 = 9 pair-years,
    # 2 ties (A–AR 2000, B–BR 2001) -> 2/9.  After a first tie: (A,AR) in 2001 and 2002, (B,BR) in 2002:
    # 3 pair-years, 1 tie (A–AR 2002) -> 1/3.  Ratio (1/3)/(2/9) = 1.5.
    G = nx.Graph(china_provinces=china_table({"A": ("East", True), "B": ("West", False)}))
    add_china(G, "A"); add_china(G, "B", "West", False)
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


# -- robustness ------------------------------------------------------------------------

def test_spillover_on_tiny_and_empty_graphs_and_no_mutation():
    for G in (nx.Graph(), _growing(), _five_provinces()):
        before = copy.deepcopy(G)
        result = spillover(G, n_boot=20)
        assert len(result.summary) > 0
        assert nx.utils.graphs_equal(G, before) and G.graph == before.graph


def test_as_of_extends_the_years(loaded_store):
    G = loaded_store.to_networkx(as_of=1990)
    result = concentration(G)
    assert result.by_year["year"].max() == 1990
    assert result.counts["ties_without_year_left_out_by_filters"] == G.graph["ties_without_year"] > 0


# -- the bundled data, against the CSV ---------------------------------------------------

def test_real_shares_match_the_csv(real_graph, csv_frame):
    shares = regional_shares(real_graph).overall.set_index(["grouping", "group"])["ties"]
    by_region = csv_frame["cn_province"].map(NBS_BY_NAME).value_counts()
    by_coast = csv_frame["cn_province"].map(coast_of).value_counts()
    for region, n in by_region.items():
        assert shares[("nbs", region)] == n
    for group, n in by_coast.items():
        assert shares[("coastal", group)] == n


def test_real_gini_matches_value_counts_plus_zeros(real_graph, csv_frame):
    mainland = [name for name, region in NBS_BY_NAME.items() if region != "SAR"]
    x = csv_frame["cn_province"].value_counts().reindex(mainland, fill_value=0).to_numpy(dtype=float)
    assert len(x) == 31
    expected = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())  # mean-difference form
    result = concentration(real_graph)
    assert result.overall.loc[0, "gini"] == pytest.approx(expected)
    dated = csv_frame[(csv_frame["year"] != "") & csv_frame["cn_province"].isin(mainland)]
    assert result.by_year["ties"].iloc[-1] == len(dated)
    y = dated["cn_province"].value_counts().reindex(mainland, fill_value=0).to_numpy(dtype=float)
    expected_dated = np.abs(y[:, None] - y[None, :]).sum() / (2 * 31 ** 2 * y.mean())
    assert result.by_year["gini"].iloc[-1] == pytest.approx(expected_dated)


def test_real_attachment_and_diffusion_account_for_every_dated_tie(real_graph, csv_frame):
    dated = csv_frame[csv_frame["year"] != ""]
    years = dated["year"].astype(int)
    n_years = years.max() - years.min() + 1
    pa = preferential_attachment(real_graph, normalise=False, n_boot=0)
    assert pa.kernel["new_ties"].sum() == len(dated)
    assert pa.kernel["at_risk"].sum() == 33 * n_years  # every division, every year
    assert pa.counts["ties_without_year"] == (csv_frame["year"] == "").sum()
    diffusion = pair_diffusion(real_graph)
    assert diffusion.rates["new_ties"].sum() == len(dated)
    assert diffusion.rates["pair_years"].sum() == 33 * csv_frame["lac_country"].nunique() * n_years
    assert len(diffusion.pairs) == len(dated[["cn_province", "lac_country"]].drop_duplicates())


def test_real_first_years_match_the_csv(real_graph, csv_frame):
    dated = csv_frame[csv_frame["year"] != ""]
    first = dated.assign(year=dated["year"].astype(int)).groupby("cn_province")["year"].min()
    ft = time_to_first_tie(real_graph)
    got = ft.provinces.dropna(subset=["first_year"]).set_index("name")["first_year"].astype(int)
    assert got.sort_index().to_dict() == first.sort_index().to_dict()
    all_curve = ft.survival[ft.survival["group"] == "all"]
    assert all_curve["events"].sum() == len(first)
