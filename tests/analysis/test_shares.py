"""Regional shares by hand on a tiny growing graph, and on the bundled data against the CSV."""

import pytest

from twinlac.analysis import regional_shares

from .conftest import NBS_BY_NAME, coast_of, growing_graph


def test_regional_shares_by_hand():
    shares = regional_shares(growing_graph())
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


def test_real_shares_match_the_csv(real_graph, csv_frame):
    shares = regional_shares(real_graph).overall.set_index(["grouping", "group"])["ties"]
    by_region = csv_frame["cn_province"].map(NBS_BY_NAME).value_counts()
    by_coast = csv_frame["cn_province"].map(coast_of).value_counts()
    for region, n in by_region.items():
        assert shares[("nbs", region)] == n
    for group, n in by_coast.items():
        assert shares[("coastal", group)] == n
