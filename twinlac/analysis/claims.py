"""Claims from the literature on China–LAC twinning, checked against the graph.

The claims are data, kept with their citation in ``twinlac/analysis/data/claims.csv``
(one row per claim: what it says, which measure checks it, the threshold and
the source).  :func:`claims` computes each one on the graph and on its
well-sourced subset and gives a verdict: ``supported``, ``not supported`` or
``not checkable with this data``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from twinlac.analysis._common import ties_frame
from twinlac.graph.groupings import (
    CHINESE_PROVINCE_NAMES,
    COASTAL,
    LAC_COUNTRY_NAMES,
    LAC_SUBREGION,
    NBS_REGION,
    RECOGNISES_ROC,
)
from twinlac.graph.vocabulary import WELL_SOURCED

__all__ = ["CLAIM_COLUMNS", "SUPPORTED", "NOT_SUPPORTED", "NOT_CHECKABLE", "VERDICTS", "claims", "claims_data"]

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_CHECKABLE = "not checkable with this data"
#: The verdicts :func:`claims` gives.
VERDICTS: tuple[str, ...] = (SUPPORTED, NOT_SUPPORTED, NOT_CHECKABLE)

#: Columns of the table :func:`claims` returns.
CLAIM_COLUMNS: list[str] = [
    "claim_id", "claim", "verdict", "figures", "value", "threshold", "verdict_well_sourced",
    "figures_well_sourced", "value_well_sourced", "citation", "note",
]

#: A row of :func:`claims_data` (column name -> text), as ``DataFrame.to_dict("records")`` gives it.
_Claim = Mapping[Hashable, Any]
#: What a measure gives: verdict, figures (text) and the main number.
_Result = tuple[str, str, float]

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt, "=": operator.eq,
}
_CLAIMS_FILE = "claims.csv"


def claims_data(path: str | Path | None = None) -> pd.DataFrame:
    """The claims as kept: ``twinlac/analysis/data/claims.csv``, or another file with its columns.

    Columns: ``claim_id, claim, measure, scope, compare, among, year, op, value,
    excludes, source_title, citation, note`` (all text; empty where unused).

    >>> claims_data().loc[0, "claim_id"]
    'l21-total-2015'
    """
    if path is None:
        with resources.files("twinlac.analysis").joinpath("data", _CLAIMS_FILE).open(encoding="utf-8") as handle:
            return pd.read_csv(handle, dtype=str, keep_default_na=False)
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(";") if c.strip()]


def _country(code: str) -> str:
    return LAC_COUNTRY_NAMES.get(code, code)


def _check(value: float, op: str, threshold: float) -> str:
    return SUPPORTED if _OPS[op](value, threshold) else NOT_SUPPORTED


def _ties(row: _Claim, ties: pd.DataFrame) -> _Result:
    """Count of ties (of a country, or all) signed by the claim's year; undated ties decide nothing
    unless they could change the verdict, then the claim is not checkable."""
    selected = ties if row["scope"] in ("", "all") else ties[ties["lac_country"] == row["scope"]]
    excluded = _codes(row["excludes"])
    if excluded:
        selected = selected[~selected["kind"].isin(excluded)]
    threshold, op = float(row["value"]), row["op"]
    if not row["year"]:
        return _check(len(selected), op, threshold), f"{len(selected)} ties", float(len(selected))
    year = int(row["year"])
    dated = int((selected["year"].notna() & (selected["year"] <= year)).sum())
    undated = int(selected["year"].isna().sum())
    figures = f"{dated} dated ties by {year}"
    if undated:
        figures += f" (+{undated} undated)"
    if excluded:
        figures += f", {', '.join(excluded)} excluded"
    if _OPS[op](dated, threshold) or not undated:
        return _check(dated, op, threshold), figures, float(dated)
    if not _OPS[op](dated + undated, threshold):
        return NOT_SUPPORTED, figures, float(dated)
    return NOT_CHECKABLE, figures + ": the undated ties decide", float(dated)


def _division_coverage(row: _Claim, ties: pd.DataFrame) -> _Result:
    import pycountry

    code = row["scope"]
    # pycountry annotates Database.get but not its Subdivisions override
    found = pycountry.subdivisions.get(country_code=code)  # type: ignore[no-untyped-call]
    divisions = {s.code for s in found or [] if s.parent_code is None}
    if not divisions:
        return NOT_CHECKABLE, f"no ISO 3166-2 divisions for {code}", float("nan")
    tied = set(ties.loc[ties["lac_country"] == code, "lac_province"])
    covered = divisions & tied
    share = len(covered) / len(divisions)
    figures = f"{len(covered)} of {len(divisions)} first-level divisions of {_country(code)} ({share:.0%})"
    return _check(share, row["op"], float(row["value"])), figures, share


def _recognition_presence(row: _Claim, ties: pd.DataFrame) -> _Result:
    scope = [c for c in _codes(row["scope"]) if c not in RECOGNISES_ROC]
    counts = ties["lac_country"].value_counts()
    missing = [c for c in scope if counts.get(c, 0) < float(row["value"])]
    figures = f"{len(scope) - len(missing)} of {len(scope)} countries recognising the PRC have a tie"
    if missing:
        figures += f"; none: {', '.join(_country(c) for c in missing)}"
    return (NOT_SUPPORTED if missing else SUPPORTED), figures, float(len(scope) - len(missing))


def _stand_out(row: _Claim, ties: pd.DataFrame) -> _Result:
    regions = set(_codes(row["among"]))
    countries = sorted(c for c, r in LAC_SUBREGION.items() if r in regions)
    counts = ties["lac_country"].value_counts()
    count = {c: int(counts.get(c, 0)) for c in countries}
    leaders, followers = _codes(row["scope"]), _codes(row["compare"])
    others = [c for c in countries if c not in leaders and c not in followers]
    best_other = max((count[c] for c in others), default=0)
    ok = (min(count[c] for c in leaders) > max(count[c] for c in followers)
          and min(count[c] for c in followers) >= max(1, best_other))
    ranked = sorted(others, key=lambda c: (-count[c], c))
    figures = ("; ".join(f"{_country(c)} {count[c]}" for c in leaders) + " | "
               + "; ".join(f"{_country(c)} {count[c]}" for c in followers)
               + (f" | next: {_country(ranked[0])} {count[ranked[0]]}" if ranked else ""))
    return (SUPPORTED if ok else NOT_SUPPORTED), figures, float(min(count[c] for c in leaders))


def _province_counts(ties: pd.DataFrame) -> pd.Series:
    counts = ties["cn_province"].value_counts()
    return pd.Series({p: int(counts.get(p, 0)) for p in NBS_REGION}, dtype=int)


def _group_ratio(row: _Claim, ties: pd.DataFrame) -> _Result:
    per_province = _province_counts(ties)
    coastal = [p for p in NBS_REGION if p in COASTAL]
    west_inland = [p for p, r in NBS_REGION.items() if r == "West" and p not in COASTAL]
    a, b = per_province[coastal].mean(), per_province[west_inland].mean()
    ratio = a / b if b else float("inf")
    figures = (f"{a:.1f} ties per coastal province ({len(coastal)}) against {b:.1f} per inland western "
               f"province ({len(west_inland)}): ratio {ratio:.1f}")
    return _check(ratio, row["op"], float(row["value"])), figures, float(ratio)


def _province_presence(row: _Claim, ties: pd.DataFrame) -> _Result:
    per_province = _province_counts(ties)
    tied = per_province[per_province > 0]
    share = len(tied) / len(per_province)
    figures = f"{len(tied)} of {len(per_province)} mainland provinces have a tie ({share:.0%})"
    without = sorted(CHINESE_PROVINCE_NAMES.get(p, p) for p in per_province[per_province == 0].index)
    if without:
        figures += f"; none: {', '.join(without)}"
    return _check(share, row["op"], float(row["value"])), figures, share


_MEASURES: dict[str, Callable[[_Claim, pd.DataFrame], _Result]] = {
    "ties": _ties, "division_coverage": _division_coverage, "recognition_presence": _recognition_presence,
    "stand_out": _stand_out, "group_ratio": _group_ratio, "province_presence": _province_presence,
}


def _evaluate(row: _Claim, ties: pd.DataFrame) -> _Result:
    measure = _MEASURES.get(row["measure"])
    if measure is None:
        return NOT_CHECKABLE, row["note"] or "no measure in this data", float("nan")
    return measure(row, ties)


def _threshold(row: _Claim) -> str:
    if row["measure"] == "stand_out":
        return "leaders > the five ≥ the rest"
    if not row["op"]:
        return ""
    text = f"{row['op']} {row['value']}"
    return text + (f" by {row['year']}" if row["year"] else "")


def claims(graph: nx.Graph, *, subset: Iterable[str] = WELL_SOURCED, as_of: int | None = None,
           path: str | Path | None = None) -> pd.DataFrame:
    """Check the literature's claims against the graph, and against its well-sourced subset.

    Parameters
    ----------
    graph : nx.Graph
        The twinning network (``GraphStore.to_networkx()``).  Not modified.
    subset : iterable of str
        Evidence grades of the second check (default: official, press).
    as_of : int, optional
        Check against the network as it stood then: only ties signed in or
        before that year (ties without a year are left out), as
        ``to_networkx(as_of=...)`` does.
    path : path, optional
        A claims file with the columns of :func:`claims_data` (default: the
        bundled one).

    Returns
    -------
    DataFrame
        One row per claim (:data:`CLAIM_COLUMNS`): ``claim_id``, ``claim``,
        ``verdict`` and the ``figures`` behind it (text) and ``value`` (the
        main number), the ``threshold`` checked, the same three on the
        well-sourced subset, the ``citation`` and a ``note`` on how the claim
        was read.

    Notes
    -----
    Measures (the ``measure`` column of the claims file):

    - ``ties``: ties of a LAC country (``scope``) or all, signed in or before
      ``year``, less the kinds in ``excludes``, against ``op value``.  Ties
      without a year cannot be placed: if the dated ones settle the claim the
      verdict stands; if even counting every undated tie could not meet it,
      it is not supported; otherwise it is not checkable with this data.
    - ``division_coverage``: share of a country's first-level divisions (the
      full ISO 3166-2 list, from pycountry) with a tie, signed by the
      division itself or by a place in it.
    - ``recognition_presence``: every country of ``scope`` that recognises
      the PRC (``twinlac.graph.groupings.RECOGNISES_ROC``) has ``value`` ties.
    - ``stand_out``: among the countries of the subregions in ``among``, each
      of ``scope`` (the leaders) has more ties than each of ``compare``, and
      each of those at least one and no fewer than any other country.
    - ``group_ratio``: mean ties per coastal province over mean ties per
      inland province of the NBS West region (zeros included).
    - ``province_presence``: share of the 31 mainland provinces with a tie.
    - empty: the claim is kept for the record, not checkable with this data.

    A claim supported on all ties but not on the well-sourced subset rests
    on weakly sourced rows.

    References
    ----------
    Latinoamérica21 analysis of China–LAC twinning by a FLACSO researcher
    (cited by description; see ``data/SOURCES.md``).

    Example
    -------
    >>> G = nx.Graph()
    >>> G.add_node("CN-JS", side="china", province="CN-JS", country="CN")
    >>> G.add_node("UY-MO", side="lac", province="UY-MO", country="UY")
    >>> G.add_edge("CN-JS", "UY-MO", year=2010, kind="sister", evidence="official")
    >>> table = claims(G).set_index("claim_id")
    >>> table.loc["l21-uy-2015", ["verdict", "figures"]].tolist()
    ['not supported', '1 dated ties by 2015']
    >>> table.loc["l21-first-twinning", "verdict"]
    'not checkable with this data'
    """
    ties = ties_frame(graph)
    if as_of is not None:
        ties = ties[ties["year"].notna() & (ties["year"] <= as_of)]
    grades = set(subset)
    well = ties[ties["evidence"].isin(grades)]
    rows = []
    for row in claims_data(path).to_dict("records"):
        verdict, figures, value = _evaluate(row, ties)
        verdict_w, figures_w, value_w = _evaluate(row, well)
        rows.append({
            "claim_id": row["claim_id"], "claim": row["claim"], "verdict": verdict, "figures": figures,
            "value": value, "threshold": _threshold(row), "verdict_well_sourced": verdict_w,
            "figures_well_sourced": figures_w, "value_well_sourced": value_w, "citation": row["citation"],
            "note": row["note"],
        })
    frame = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    frame.attrs["subset"] = sorted(grades)
    frame.attrs["as_of"] = as_of
    return frame
