"""Survival: the Kaplan–Meier estimator by hand, time to a first tie on a tiny graph and on
the bundled data against the CSV."""

import pytest

from twinlac.analysis import kaplan_meier, time_to_first_tie

from .conftest import five_provinces


def test_kaplan_meier_by_hand():
    # times 2, 3+, 4, 4, 6+ (+ = censored):
    # t=2: 5 at risk, 1 event -> 4/5; t=3: censored, S stays; t=4: 3 at risk, 2 events -> 4/5 · 1/3;
    # t=6: 1 at risk, censored.
    km = kaplan_meier([2, 3, 4, 4, 6], [True, False, True, True, False])
    assert km["time"].tolist() == [2, 3, 4, 6]
    assert km["at_risk"].tolist() == [5, 4, 3, 1]
    assert km["events"].tolist() == [1, 0, 2, 0] and km["censored"].tolist() == [0, 1, 0, 1]
    assert km["survival"].tolist() == pytest.approx([0.8, 0.8, 0.8 / 3, 0.8 / 3])


def test_time_to_first_tie_by_hand():
    # origin 1990, end 1996 (last dated tie): times P1 2, P3 4, P4 4, P2 6+, P5 6+; P6 left out.
    # all: t=2 5 at risk 1 event -> 0.8; t=4 4 at risk 2 events -> 0.4; t=6 censored. Median: t=4 (1994).
    # coastal (P1, P2): t=2 -> 1/2, median 2 (1992); inland (P3, P4, P5): t=4 -> 1/3, median 4 (1994).
    ft = time_to_first_tie(five_provinces(), origin=1990)
    assert ft.end == 1996 and ft.counts["provinces_undated_only"] == 1
    rows = ft.provinces.set_index("province")
    assert rows.loc["P2", "time"] == 6 and not rows.loc["P2", "event"] and rows.loc["P6", "undated_only"]
    curve = ft.survival[ft.survival["group"] == "all"]
    assert curve["time"].tolist() == [2, 4, 6]
    assert curve["survival"].tolist() == pytest.approx([0.8, 0.4, 0.4])
    medians = ft.medians.set_index("group")
    assert medians.loc["all", "median_year"] == 1994 and medians.loc["coastal", "median_year"] == 1992
    assert medians.loc["inland", "median_year"] == 1994 and medians.loc["inland", "provinces"] == 3
    assert time_to_first_tie(five_provinces(), origin="data").origin == 1992
    with pytest.raises(ValueError, match="origin"):
        time_to_first_tie(five_provinces(), origin=1993)


def test_real_first_years_match_the_csv(real_graph, csv_frame):
    dated = csv_frame[csv_frame["year"] != ""]
    first = dated.assign(year=dated["year"].astype(int)).groupby("cn_province")["year"].min()
    ft = time_to_first_tie(real_graph)
    got = ft.provinces.dropna(subset=["first_year"]).set_index("name")["first_year"].astype(int)
    assert got.sort_index().to_dict() == first.sort_index().to_dict()
    all_curve = ft.survival[ft.survival["group"] == "all"]
    assert all_curve["events"].sum() == len(first)
