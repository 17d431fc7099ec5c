"""Claims from the literature: figures from the bundled CSV with pandas, verdict rules by hand."""

import networkx as nx
import pandas as pd
import pytest

from twinlac.analysis import CLAIM_COLUMNS, VERDICTS, claims, claims_data

from .conftest import COASTAL_BY_NAME, NBS_BY_NAME, add_china, add_lac

WELL = ["official", "press"]


@pytest.fixture(scope="module")
def table(loaded_db):
    import twinlac

    with twinlac.open(loaded_db, read_only=True) as store:
        return claims(store.to_networkx()).set_index("claim_id")


def _years(frame):
    return pd.to_numeric(frame["year"], errors="coerce")


def test_the_claims_file_cites_every_claim():
    data = claims_data()
    assert data["claim_id"].is_unique
    assert (data["citation"] != "").all() and (data["source_title"] != "").all()
    required = {"l21-total-2015", "l21-total-2021", "l21-ar-2015", "l21-ar-2021", "l21-cl-2015", "l21-cl-2021",
                "l21-uy-2015", "l21-uy-2021", "l21-ar-divisions", "l21-cl-divisions", "l21-uy-divisions",
                "l21-south-america", "l21-central-caribbean", "l21-coastal-west", "l21-china-provinces"}
    assert required <= set(data["claim_id"])


def test_table_shape(table):
    assert list(table.reset_index().columns) == CLAIM_COLUMNS
    assert set(table["verdict"]) <= set(VERDICTS) and set(table["verdict_well_sourced"]) <= set(VERDICTS)


@pytest.mark.parametrize("claim_id, country, year, threshold, strict", [
    ("l21-ar-2015", "Argentina", 2015, 17, False), ("l21-ar-2021", "Argentina", 2021, 40, True),
    ("l21-cl-2015", "Chile", 2015, 13, False), ("l21-cl-2021", "Chile", 2021, 30, True),
    ("l21-uy-2015", "Uruguay", 2015, 4, False), ("l21-uy-2021", "Uruguay", 2021, 15, True),
])
def test_country_counts_from_the_csv(table, csv_frame, claim_id, country, year, threshold, strict):
    for rows, suffix in ((csv_frame, ""), (csv_frame[csv_frame["evidence"].isin(WELL)], "_well_sourced")):
        mine = rows[rows["lac_country"] == country]
        years = _years(mine)
        dated, undated = int((years <= year).sum()), int(years.isna().sum())
        meets = (lambda n: n > threshold) if strict else (lambda n: n >= threshold)
        expected = ("supported" if meets(dated) else "not supported" if not meets(dated + undated)
                    else "not checkable with this data")
        row = table.loc[claim_id]
        assert row["value" + suffix] == dated
        assert row["figures" + suffix].startswith(f"{dated} dated ties by {year} (+{undated} undated)")
        assert row["verdict" + suffix] == expected


def test_totals_from_the_csv(table, csv_frame):
    years = _years(csv_frame)
    assert table.loc["l21-total-2015", "value"] == (years <= 2015).sum()
    formal = csv_frame[csv_frame["kind"] != "letter_of_intent"]
    assert table.loc["l21-total-2021", "value"] == (_years(formal) <= 2021).sum()
    assert f"(+{_years(formal).isna().sum()} undated)" in table.loc["l21-total-2021", "figures"]


def test_division_coverage_from_the_csv(table, csv_frame):
    for claim_id, country, divisions in (("l21-ar-divisions", "Argentina", 24), ("l21-cl-divisions", "Chile", 16),
                                         ("l21-uy-divisions", "Uruguay", 19)):
        covered = csv_frame.loc[csv_frame["lac_country"] == country, "lac_admin1"].nunique()
        assert table.loc[claim_id, "figures"].startswith(f"{covered} of {divisions} first-level divisions")
        assert table.loc[claim_id, "value"] == pytest.approx(covered / divisions)
        assert table.loc[claim_id, "verdict"] == ("supported" if covered / divisions > 0.5 else "not supported")


def test_chinese_provinces_from_the_csv(table, csv_frame):
    mainland = [p for p, region in NBS_BY_NAME.items() if region != "SAR"]
    counts = csv_frame["cn_province"].value_counts().reindex(mainland, fill_value=0)
    assert table.loc["l21-china-provinces", "value"] == pytest.approx((counts > 0).mean())
    coastal = counts[[p for p in mainland if p in COASTAL_BY_NAME]].mean()
    west = counts[[p for p in mainland if NBS_BY_NAME[p] == "West" and p not in COASTAL_BY_NAME]].mean()
    assert table.loc["l21-coastal-west", "value"] == pytest.approx(coastal / west)
    assert table.loc["l21-coastal-west", "verdict"] == ("supported" if coastal / west >= 2 else "not supported")


def test_central_america_and_caribbean_from_the_csv(table, csv_frame):
    counts = csv_frame["lac_country"].value_counts()
    figures = table.loc["l21-central-caribbean", "figures"]
    for country in ("Mexico", "Cuba", "Costa Rica", "Jamaica", "Panama", "Grenada", "Dominican Republic"):
        assert f"{country} {counts.get(country, 0)}" in figures
    leaders = min(counts.get("Mexico", 0), counts.get("Cuba", 0))
    five = [counts.get(c, 0) for c in ("Costa Rica", "Jamaica", "Panama", "Grenada", "Dominican Republic")]
    if leaders <= max(five):
        assert table.loc["l21-central-caribbean", "verdict"] == "not supported"


def test_south_america_and_the_unverifiable_claim(table, csv_frame):
    recognising = {"Argentina", "Bolivia", "Brazil", "Chile", "Colombia", "Ecuador", "Guyana", "Peru", "Suriname",
                   "Uruguay", "Venezuela"}  # South America less Paraguay (recognises the ROC)
    with_tie = recognising & set(csv_frame["lac_country"])
    assert table.loc["l21-south-america", "value"] == len(with_tie)
    assert table.loc["l21-south-america", "verdict"] == ("supported" if with_tie == recognising else "not supported")
    assert table.loc["l21-first-twinning", "verdict"] == "not checkable with this data"


def _small():
    G = nx.Graph()
    add_china(G, "CN-JS", "East", True)
    add_china(G, "CN-XJ", "West", False)
    add_lac(G, "AR-B", "AR", "Southern Cone")
    add_lac(G, "PY-ASU", "PY", "Southern Cone")
    add_lac(G, "MX-CMX", "MX", "Mexico")
    G.add_edge("CN-JS", "AR-B", year=2010, kind="sister", evidence="official")
    G.add_edge("CN-JS", "MX-CMX", year=None, kind="sister", evidence="weak")
    G.add_edge("CN-XJ", "PY-ASU", year=2020, kind="friendship", evidence="press")
    return G


def test_recognition_and_coverage_by_hand():
    table = claims(_small()).set_index("claim_id")
    # South America less Paraguay: only Argentina has a tie (Paraguay's does not count for or against).
    assert table.loc["l21-south-america", "figures"].startswith("1 of 11 countries recognising the PRC have a tie")
    assert table.loc["l21-south-america", "verdict"] == "not supported"
    assert table.loc["l21-ar-divisions", "figures"] == "1 of 24 first-level divisions of Argentina (4%)"
    # Mexico's only tie is weak: on the well-sourced subset it has none.
    assert table.loc["l21-central-caribbean", "figures"].startswith("Mexico 1; Cuba 0")
    assert table.loc["l21-central-caribbean", "figures_well_sourced"].startswith("Mexico 0; Cuba 0")


def test_as_of_drops_later_and_undated_ties():
    G = _small()
    table = claims(G, as_of=2015).set_index("claim_id")
    assert table.loc["l21-total-2021", "figures"] == "1 dated ties by 2021, letter_of_intent excluded"
    assert table.loc["l21-china-provinces", "value"] == pytest.approx(1 / 31)
    assert claims(G).set_index("claim_id").loc["l21-china-provinces", "value"] == pytest.approx(2 / 31)
    assert G.number_of_edges() == 3


def test_an_own_claims_file(tmp_path):
    path = tmp_path / "claims.csv"
    data = claims_data().head(1).copy()
    data.loc[0, ["claim_id", "value", "year"]] = ["mine", "1", "2010"]
    data.to_csv(path, index=False)
    table = claims(_small(), path=path)
    assert table[["claim_id", "verdict", "value"]].values.tolist() == [["mine", "supported", 1.0]]
