"""How the pages and charts look: region colours, node shapes, tie styles, sizes.

Built from the labels of :mod:`twinlac.graph.vocabulary`, so a renamed kind,
grade or region changes here by itself. Chinese NBS regions are drawn in
reds/oranges, LAC subregions in blues/greens/purples; the kind of a tie sets
its colour and width, doubtful evidence its dash pattern, so the two never
compete.

>>> CHINA_REGION_COLORS["East"], region_color("lac", "Brazil")
('#c62828', ('lac:Brazil', '#2e7d32'))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from twinlac.graph.vocabulary import EVIDENCE_GRADES, EVIDENCE_LABELS, KIND_LABELS, KINDS, LAC_SUBREGIONS, NBS_REGIONS

__all__ = [
    "CHINA_COLOR", "CHINA_REGION_COLORS", "ENDED_OPACITY", "EVIDENCE_STYLES", "GROUP_WIDTH", "KIND_STYLES",
    "LAC_REGION_COLORS", "MIXED_KIND", "SHAPES", "SIZE_MIN", "SIZE_SPAN", "UNKNOWN_COLOR", "Style", "group_width",
    "region_color", "region_filter_labels", "region_key", "shade",
]

#: Colours of the Chinese NBS regions (in the order of ``NBS_REGIONS``).
CHINA_REGION_COLORS: dict[str, str] = dict(zip(NBS_REGIONS, ["#c62828", "#ef6c00", "#ffa726", "#8e2430"],
                                               strict=True))
#: Colours of the LAC subregions (in the order of ``LAC_SUBREGIONS``).
LAC_REGION_COLORS: dict[str, str] = dict(zip(LAC_SUBREGIONS, ["#1565c0", "#2e7d32", "#00897b", "#6a1b9a",
                                                              "#64b5f6", "#ba68c8"], strict=True))
CHINA_COLOR = "#b71c1c"  # China as one node, at country level
UNKNOWN_COLOR = "#9e9e9e"

#: vis-network node shape of each level of party.
SHAPES = {"province": "diamond", "city": "dot", "country": "square"}

SIZE_MIN = 10.0  # vis "size" (radius-like) of a node with no ties
SIZE_SPAN = 30.0  # added for the best-connected node

#: Width of a line standing for n agreements (province and country levels):
#: base + span * sqrt((n - 1) / (most - 1)), where `most` is the largest number
#: of agreements on one line: one agreement is drawn as at place level, the
#: busiest line `span` px wider.
GROUP_WIDTH = {"base": 1.5, "span": 10.0}

ENDED_OPACITY = 0.45  # ended ties stay visible but recede


@dataclass(frozen=True)
class Style:
    """The look of one kind of tie or evidence grade."""

    label: str
    color: str
    width: float = 1.5
    dashes: bool | list[int] = False


#: Colour and width encode the kind of tie ...
KIND_STYLES: dict[str, Style] = {
    **{kind: Style(KIND_LABELS[kind], color, width)
       for kind, color, width in zip(KINDS, ["#455a64", "#c17d11", "#b0bec5"], [2.4, 1.6, 1.0], strict=True)},
    "other": Style("Other / unknown kind", "#9e9e9e", 1.0),
}
MIXED_KIND = Style("Agreements of several kinds", "#5c6bc0", 2.0)
_DASHES = {"weak": [8, 6], "disputed": [3, 5]}
#: ... while a dash pattern flags doubtful evidence.
EVIDENCE_STYLES: dict[str, Style] = {
    **{grade: Style(EVIDENCE_LABELS[grade], "", dashes=_DASHES.get(grade, False)) for grade in EVIDENCE_GRADES},
    "unknown": Style("Unknown", "", dashes=False),
}


def region_color(side: str | None, region: str | None) -> tuple[str, str]:
    """Legend group and colour of a party; region names are distinct across the two sides."""
    if region in CHINA_REGION_COLORS and side in (None, "china"):
        return f"china:{region}", CHINA_REGION_COLORS[region]
    if region in LAC_REGION_COLORS and side in (None, "lac"):
        return f"lac:{region}", LAC_REGION_COLORS[region]
    return "unknown", UNKNOWN_COLOR


def region_key(side: str | None, region: str | None) -> str:
    """The region filter a party falls under (see :func:`region_filter_labels`)."""
    group, _ = region_color(side, region)
    if group != "unknown":
        return group
    return f"{side}:other" if side in ("china", "lac") else "other"


def region_filter_labels() -> dict[str, str]:
    """Every region filter value and its label, Chinese regions first."""
    labels = {f"china:{r}": f"China · {r}" for r in CHINA_REGION_COLORS}
    labels["china:other"] = "China · no NBS region"
    labels.update({f"lac:{r}": f"LAC · {r}" for r in LAC_REGION_COLORS})
    labels["lac:other"] = "LAC · no or other subregion"
    labels["other"] = "Side or region unknown"
    return labels


def shade(hex_color: str, factor: float) -> str:
    """Darken a ``#rrggbb`` colour by `factor` (0 = black, 1 = unchanged).

    >>> shade("#c62828", 0.5)
    '#631414'
    """
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (r, g, b)))


def group_width(n: int, most: int) -> float:
    """Line width for n agreements when the busiest line holds `most`; the page's script uses the same formula.

    >>> group_width(1, 9), group_width(9, 9)
    (1.5, 11.5)
    """
    if most <= 1:
        return GROUP_WIDTH["base"]
    return round(GROUP_WIDTH["base"] + GROUP_WIDTH["span"] * math.sqrt(max(n - 1, 0) / (most - 1)), 3)
