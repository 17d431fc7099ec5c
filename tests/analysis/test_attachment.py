"""Preferential attachment: the kernel and exponent by hand on tiny growing graphs, the
seeded bootstrap, and every dated tie of the bundled data accounted for."""

import math

import networkx as nx
import numpy as np
import pytest

from twinlac.analysis import preferential_attachment

from .conftest import add_china, add_lac, china_table


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


def test_real_attachment_accounts_for_every_dated_tie(real_graph, csv_frame):
    dated = csv_frame[csv_frame["year"] != ""]
    years = dated["year"].astype(int)
    n_years = years.max() - years.min() + 1
    pa = preferential_attachment(real_graph, normalise=False, n_boot=0)
    assert pa.kernel["new_ties"].sum() == len(dated)
    assert pa.kernel["at_risk"].sum() == 33 * n_years  # every division, every year
    assert pa.counts["ties_without_year"] == (csv_frame["year"] == "").sum()
