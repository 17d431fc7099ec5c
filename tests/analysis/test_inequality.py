"""Inequality: Gini, Lorenz and Theil by hand and as properties; concentration over
provinces on a tiny growing graph, and on the bundled data against the CSV."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twinlac.analysis import concentration, gini, lorenz_curve, theil

from .conftest import NBS_BY_NAME, growing_graph

counts = st.lists(st.integers(0, 50), min_size=1, max_size=40)


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


def test_concentration_by_hand():
    result = concentration(growing_graph())
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


def test_as_of_extends_the_years(loaded_store):
    G = loaded_store.to_networkx(as_of=1990)
    result = concentration(G)
    assert result.by_year["year"].max() == 1990
    assert result.counts["ties_without_year_left_out_by_filters"] == G.graph["ties_without_year"] > 0


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
