"""The one vocabulary of twinlac: the values a tie or a node can take, their
display labels, and the names of the regions and groups the analyses use.

Every module (loaders, stores, analyses, pages, CLI) imports these names from
here, so that adding a kind of tie or renaming a label is a change in one place.

>>> KINDS
('sister', 'friendship', 'letter_of_intent')
>>> KIND_LABELS["letter_of_intent"], STATUS_LABELS["in_process"], EVIDENCE_LABELS["press"]
('Letter of intent', 'In process', 'Press')
>>> NBS_GROUPS
('East', 'Central', 'West', 'Northeast', 'SAR')
"""

from __future__ import annotations

#: Kinds of tie (``TWINNED_WITH.kind``), strongest first.
KINDS: tuple[str, ...] = ("sister", "friendship", "letter_of_intent")
KIND_LABELS: dict[str, str] = {
    "sister": "Sister city / province",
    "friendship": "Friendship",
    "letter_of_intent": "Letter of intent",
}

#: Status of an agreement (``TWINNED_WITH.status``).
STATUSES: tuple[str, ...] = ("active", "in_process", "ended")
STATUS_LABELS: dict[str, str] = {"active": "Active", "in_process": "In process", "ended": "Ended"}

#: Evidence grades of a tie's primary source (``TWINNED_WITH.evidence``), best first.
EVIDENCE_GRADES: tuple[str, ...] = ("official", "press", "wikipedia", "weak", "disputed")
EVIDENCE_LABELS: dict[str, str] = {grade: grade.capitalize() for grade in EVIDENCE_GRADES}
#: The grades a careful reader reruns results on ("the well-sourced subset").
WELL_SOURCED: tuple[str, ...] = ("official", "press")

#: Level of a party in the data: a city (or county, municipality) or a first-level division.
LEVELS: tuple[str, ...] = ("city", "province")

#: Which ties a network keeps (``GraphStore.to_networkx(scope=...)``): those between a
#: Chinese and a LAC party, or every tie the store holds.
SCOPES: tuple[str, ...] = ("china-lac", "all")

#: Side of a party or country node.
SIDES: tuple[str, ...] = ("china", "lac", "other")

#: The four economic regions of China's National Bureau of Statistics.
NBS_REGIONS: tuple[str, ...] = ("East", "Central", "West", "Northeast")
#: Group label of Hong Kong and Macau, which belong to no NBS region and have no coastal flag.
SAR = "SAR"
#: Groups of Chinese parties in the analyses: the NBS regions, then the SARs.
NBS_GROUPS: tuple[str, ...] = (*NBS_REGIONS, SAR)
#: Coastal grouping of Chinese parties.
COASTAL_GROUPS: tuple[str, ...] = ("coastal", "inland", SAR)

#: LAC subregions of the China–LAC twinning literature.
LAC_SUBREGIONS: tuple[str, ...] = (
    "Southern Cone", "Brazil", "Andean", "Mexico", "Central America", "Caribbean",
)
