"""From a file's rows to graph rows: validate, resolve places, build nodes and ties.

Every format (canonical agreements, pairs files, Wikidata results) is first
mapped onto the same *standard fields*: for each party ``a_`` and ``b_``
``name, name_zh, level, province, country, lat, lon, wikidata``, and for the
tie ``kind, year, date, status, themes, source_url, source_title, evidence,
notes``. ``RecordParser`` checks one row at a time and reports problems under
the file's own column names.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from functools import lru_cache
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, cast


from twinlac.errors import RowIssue
from twinlac.graph import groupings as g
from twinlac.graph.ids import slug, tie_id
from twinlac.graph.model import GraphFrames, GraphRows, PropertyUpdate, rel_columns
from twinlac.graph.vocabulary import EVIDENCE_GRADES, KINDS, LEVELS, STATUSES
from twinlac.loaders.formats import PARTY_FIELDS, TIE_FIELDS, FormatSpec
from twinlac.loaders import gazetteer
from twinlac.loaders.gazetteer import (
    FUZZY_CITY_THRESHOLD, bundled_province, city_identity, fuzzy_city, gazetteer_name, has_city_named,
    infer_province, locate, locate_province, place_of, preferred_spelling,
)
from twinlac.loaders.names import core, fold, locality_key
from twinlac.loaders.readers import printable_ascii, rows_numbered
from twinlac.loaders.resolve import (
    Match, country_name, is_first_level, province_named, resolve_country, resolve_province,
)
from twinlac.loaders.spill import SpilledList

#: The People's Republic was founded in 1949: no Chinese party twinned before it.
FIRST_PRC_YEAR = 1949
#: The first twinnings date from the 1920s; earlier years are typing errors.
FIRST_YEAR = 1900
#: A locality spelling merges with the one gazetteer place of its division within this rapidfuzz ratio.
LOCALITY_FUZZY_THRESHOLD = FUZZY_CITY_THRESHOLD
#: Chinese province-level municipalities and SARs: named as a city, they are the province-level party.
PROVINCE_LEVEL_CITIES = frozenset({"CN-BJ", "CN-SH", "CN-TJ", "CN-CQ", "CN-HK", "CN-MO"})
#: Distinct parties whose resolution a parser keeps for the rows that repeat them (None: every one;
#: a list of a million ties names 368,569, about 180 MB of plans).
PARTY_PLANS: int | None = None
#: How a name was resolved, in the order the load summary lists them.
METHODS = ("exact", "alias", "library", "division name", "gazetteer province", "alternate name", "fuzzy",
           "country level")

_DIVISION_WORDS = r"(?:province|state|region|department|prefecture|provincia|estado|region|departamento)"
_EXPLICIT_DIVISION = re.compile(rf"^(?:{_DIVISION_WORDS} (?:of|de|del|do|da) (?P<a>.+)|(?P<b>.+?) {_DIVISION_WORDS})$")


@dataclass(frozen=True, slots=True)  # slots: a world list has one or more per row
class Resolution:
    """One name a load resolved otherwise than exactly (a row of the matches file)."""

    row: int
    column: str
    value: str
    method: str
    resolved: str
    score: float
    note: str

    def as_tuple(self) -> tuple[int, str, str, str]:
        """(row, column, value, how), how as ``"CN-JS:wuxi (fuzzy 94.1)"`` or ``"CU (alias)"``."""
        score = f" {self.score:g}" if self.method == "fuzzy" else ""
        return self.row, self.column, self.value, f"{self.resolved} ({self.method}{score})"

#: A name resolved otherwise than exactly: (column, value, method, resolved, score, note).
ResolvedName = tuple[str, str, str, str, float, str]


class Resolutions:
    """The names a load resolved otherwise than exactly, in row order, read as ``Resolution``s.

    Kept as plain rows in a ``SpilledList``: a million-row list resolves over a million names
    otherwise than exactly, which as objects would take hundreds of MB (and seconds to make)
    through the database engine's peak.
    """

    def __init__(self, path: Path | None = None) -> None:
        # (row, its names as (column, value, method, resolved, score, note)) per row and party: a
        # party's names are one tuple, its plan's (``PartyPlan.listed``), shared by all its rows.
        # In the file ``path`` when given (to be handed to another process), else in a temporary one.
        self._by_row: SpilledList[tuple[int, tuple[ResolvedName, ...]]] = SpilledList(path=path)
        self._count = 0

    def add(self, row: int, column: str, value: str, method: str, resolved: str, score: float, note: str) -> None:
        self._by_row.append((row, ((column, value, method, resolved, score, note),)))
        self._count += 1

    def extend(self, by_row: list[tuple[int, tuple[ResolvedName, ...]]], count: int) -> None:
        """Add each (row, its names) of ``by_row``, which hold ``count`` names in all."""
        self._by_row.extend(by_row)
        self._count += count

    def by_row(self) -> Iterator[tuple[int, tuple[ResolvedName, ...]]]:
        """(row, its names) in order: a party's names are one tuple, shared by all its rows."""
        return iter(self._by_row)

    @property
    def rows(self) -> Iterator[tuple[int, str, str, str, str, float, str]]:
        """(row, column, value, method, resolved, score, note) per name, in order."""
        for row, names in self._by_row:
            for name in names:
                yield (row, *name)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Resolution]:
        return (Resolution(*row) for row in self.rows)

    def __contains__(self, item: object) -> bool:
        return any(item == resolution for resolution in self)


@dataclass(frozen=True)
class Conflict:
    """A value a row gives for a held tie or place that differs from the one held (kept, not overwritten)."""

    id: str  # tie or locality id
    field: str  # "year", "date", "kind" or "name_zh"
    held: str
    new: str
    row: int  # spreadsheet numbering
    source: str


@dataclass(slots=True)  # slots: a store may hold a million
class HeldTie:
    """What a load may enrich or extend of a tie the store holds."""

    year: int | None
    date: str | None
    kind: str | None
    notes: str | None
    sources: tuple[str, ...] = ()
    #: The row of the load that named it first (the load's own record of the ties it has seen).
    seen_row: int | None = None


@dataclass
class HeldFacts:
    """What the store holds that a later source may enrich: per tie id a ``HeldTie``; per
    locality id its Chinese name."""

    ties: dict[str, HeldTie] = field(default_factory=dict)
    places: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def from_columns(cls, ties: dict[str, list[Any]], places: dict[str, list[Any]]) -> HeldFacts:
        """From the store's ties (id, year, date, kind, notes, sources) and localities (id, name_zh),
        column by column as ``GraphStore.query_columns`` reads them."""
        # A few kinds and years recur on a million ties: one object each, not one per tie.
        one_year: dict[int | None, int | None] = {}
        one_kind: dict[str | None, str | None] = {}
        years = [one_year.setdefault(year, year) for year in ties["year"]]
        kinds = [one_kind.setdefault(kind, kind) for kind in ties["kind"]]
        sources = [tuple(s) if s else () for s in ties["sources"]]
        return cls({tid: HeldTie(*facts) for tid, *facts in zip(
            ties["id"], years, ties["date"], kinds, ties["notes"], sources, strict=True)},
            dict(zip(places["id"], places["name_zh"], strict=True)))


#: A tie's values in ``RecordParser``'s rows, in the order of its frame's columns: the ends, then
#: the ``TWINNED_WITH`` properties (a tuple is made and framed in a fraction of a dict's time).
TIE_COLUMNS = tuple(rel_columns("TWINNED_WITH"))
_TIE_ID, _TIE_SOURCES = TIE_COLUMNS.index("id"), TIE_COLUMNS.index("sources")

# The vocabulary as sets, for the test on every row.
_LEVELS, _KINDS, _STATUSES, _EVIDENCE_GRADES = map(frozenset, (LEVELS, KINDS, STATUSES, EVIDENCE_GRADES))
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$", re.IGNORECASE)
#: ``_URL`` as Arrow (RE2) writes it: the same test on printable ASCII, where ``\s`` is the space in both.
_URL_ARROW = "(?i)" + _URL.pattern


#: The standard fields ``party_key`` reads, per party.
_PARTY_KEY_FIELDS = {prefix: tuple(f"{prefix}_{name}" for name in ("name", "country", "province", "level",
                                                                    "level_given", "name_zh")) for prefix in "ab"}


#: A value ``parse_block`` leaves to the row path (``parse_cells``), which reports it.
_NOT_PLAIN: Any = object()


class _Refused(Exception):
    """A problem ``parse_block`` leaves to the row path, which reports it."""


def _refuse(field_name: str, message: str) -> None:
    raise _Refused


class _YearCells(dict[str, Any]):
    """Each year cell met: its year, or ``_NOT_PLAIN`` when ``year(cell, bad)`` calls ``bad``."""

    def __init__(self, year: Callable[[str, Callable[[str, str], None]], int | None]):
        super().__init__()
        self._year = year

    def __missing__(self, cell: str) -> Any:
        problems: list[tuple[str, str]] = []
        year = self._year(cell, lambda *problem: problems.append(problem))
        self[cell] = value = _NOT_PLAIN if problems else year
        return value


@dataclass(slots=True)
class Party:
    label: str  # "Locality" or "Province"
    id: str
    side: str
    country: str


# Not frozen (nothing changes one): a frozen dataclass takes three times as long to make, and a
# load makes one per distinct place, in two processes. Slots: a load keeps one per distinct place.
@dataclass(slots=True)
class Identity:
    """The id a locality name gets, and how its gazetteer place was found."""

    id: str
    method: str  # "exact", "alternate name" or "fuzzy"
    score: float = 100.0
    note: str = ""
    #: What ``place_of`` gave for the name (GeoNames id, method, score, note), or None: a
    #: ``LocalityIndex.find`` of the same name reuses it.
    found: tuple[int, str, float, str] | None = None
    #: The name's ``locality_key`` (the index keys the locality by it), "" when not given.
    key: str = ""

    @property
    def place(self) -> int | None:
        """The gazetteer place (GeoNames id) the name is, if one."""
        return self.found[0] if self.found is not None else None


@lru_cache(maxsize=1 << 16)  # a list names its places on many rows: each spelling is placed once
def locality_identity(name: str, country: str, province: str | None, name_zh: str | None = None) -> Identity:
    """The id of the locality ``name`` of ``province`` (or, without one, of ``country``).

    It depends on the place only, never on which spelling came first: a
    gazetteer place (by any of its names, its Chinese name, or an unambiguous
    fuzzy ratio within the province) is named by the bundled data's spelling of
    it, else by its GeoNames name; a name the gazetteer does not hold, by the
    bundled data's spelling of that ``locality_key``, else by the key itself
    (its folded words, a bracketed qualifier first). So every spelling of one place, in any file,
    in any order, gives one id.

    >>> locality_identity("Havana", "CU", "CU-03").id == locality_identity("La Habana", "CU", "CU-03").id
    True
    >>> locality_identity("Xi'an", "CN", None).id == locality_identity("Xian", "CN", None).id
    True
    """
    prefix = province or country
    key = locality_key(name)
    place = place_of(name, country, province, name_zh)
    if place is not None:
        geonameid, method, score, note = place
        spelling = preferred_spelling(country, province, geonameid) or gazetteer_name(geonameid) or name
        if locality_key(spelling) == key:  # the place's own spelling
            method, score = "exact", 100.0
        elif method == "exact":
            method = "alternate name"
        return Identity(f"{prefix}:{slug(spelling)}", method, score, note, place, key)
    spelling = preferred_spelling(country, province, key) or key or name
    return Identity(f"{prefix}:{slug(spelling)}", "exact", key=key)


#: A settled party as every later row naming it replays it: the party, its (exact, listed) notes
#: for the matches, and its (node id, Chinese name) when the row gives one.
_Settled = tuple[Party, tuple[tuple[int, tuple[ResolvedName, ...]], ...], tuple[str, str] | None]


#: A party's columns as ``RecordParser.party_key`` gives them: prefix ("a" or "b"), name, country,
#: province, level, whether the level was given, Chinese name.
PartyKey = tuple[str, str, str, str, str, bool, str | None]


def plan_key(key: PartyKey) -> str:
    """``key`` as one string, the key of its plan where plans are kept by the hundred thousand
    (``PlanFeed``): its fields joined by U+001F, a control character no checked row holds, so
    that two keys of checked rows give two strings. A lookup then compares one string with one,
    not seven with seven scattered in memory (about half the time).

    >>> plan_key(("a", "Wuxi", "China", "Jiangsu", "city", False, None)).split("\x1f")
    ['a', 'Wuxi', 'China', 'Jiangsu', 'city', '', '']
    """
    prefix, name, country, province, level, level_given, name_zh = key
    return f"{prefix}\x1f{name}\x1f{country}\x1f{province}\x1f{level}\x1f{'1' if level_given else ''}\x1f{name_zh or ''}"


@dataclass(slots=True)  # not frozen, as Identity (one per distinct party)
class PartyPlan:
    """A party's columns resolved: the notes to record, else the error; country code and side,
    province (a province-level party when ``identity`` is None), the locality's identity."""

    #: (file column, value, method, resolved, score, detail) of each name resolved.
    notes: tuple[ResolvedName, ...]
    error: tuple[str, str] | None
    code: str = ""
    side: str = ""
    province: Match | None = None
    identity: Identity | None = None
    #: Of ``notes``, how many were resolved exactly, and the others (a row of the matches file each):
    #: worked out once per party (``split_notes``), not on each of its rows.
    exact: int = field(kw_only=True, repr=False, compare=False)
    listed: tuple[ResolvedName, ...] = field(kw_only=True, repr=False, compare=False)

    @classmethod
    def of(cls, notes: tuple[ResolvedName, ...], error: tuple[str, str] | None, code: str = "", side: str = "",
           province: Match | None = None, identity: Identity | None = None) -> PartyPlan:
        """The plan, its notes split (``exact``, ``listed``)."""
        exact, listed = split_notes(notes)
        return cls(notes, error, code, side, province, identity, exact=exact, listed=listed)

    def plain(self) -> tuple[Any, ...]:
        """The plan as a tuple of plain values (``from_plain`` makes it again): pickled, a tenth of
        the time of the objects to read back."""
        province = None if self.province is None else _match_values(self.province)
        identity = None if self.identity is None else _identity_values(self.identity)
        return self.notes, self.error, self.code, self.side, province, identity, self.exact, self.listed

    @classmethod
    def from_plain(cls, plain: tuple[Any, ...], provinces: dict[tuple[Any, ...], Match] | None = None) -> PartyPlan:
        """The plan ``plain`` gives; ``provinces`` keeps each province made, for the next plans to
        share (a few hundred among hundreds of thousands of plans)."""
        notes, error, code, side, province, identity, exact, listed = plain
        match = None
        if province is not None:
            match = provinces.get(province) if provinces is not None else None
            if match is None:
                match = Match(*province)
                if provinces is not None:
                    provinces[province] = match
        return cls(notes, error, code, side, match, None if identity is None else Identity(*identity),
                   exact=exact, listed=listed)


def split_notes(notes: tuple[ResolvedName, ...]) -> tuple[int, tuple[ResolvedName, ...]]:
    """How many of ``notes`` were resolved exactly (by their code, or by the name as written), and
    the others."""
    listed = tuple([note for note in notes if note[2] != "exact" and note[2] != "code"])
    return len(notes) - len(listed), listed


# A match's and an identity's fields as a tuple, in one call.
_match_values = attrgetter(*(f.name for f in fields(Match)))
_identity_values = attrgetter(*(f.name for f in fields(Identity)))


#: ``LocalityIndex.add`` without a place: look the name up in the gazetteer.
_LOOK_UP = object()


class LocalityIndex:
    """Known localities (in the store, then from earlier rows), to merge spellings.

    A locality is the same as a known one in the same first-level division when
    their ``locality_key`` is equal, when both are the same gazetteer place
    (alternate names: "Havana" and "La Habana", a Chinese name), or when the
    name is within a fuzzy ratio of ``LOCALITY_FUZZY_THRESHOLD`` of one
    gazetteer place of that division only. Each of these depends on the two
    names and the gazetteer, never on what else has been loaded, so a reload
    and a load in another order merge the same places. Places in different
    countries or divisions never merge. New places get ``locality_identity``'s
    id, so the index matters for places a store holds under another id.
    """

    @classmethod
    def from_columns(cls, places: dict[str, list[Any]]) -> LocalityIndex:
        """The store's localities (id, name, province, country), column by column as
        ``GraphStore.query_columns`` reads them."""
        return cls(zip(*(places[c] for c in ("id", "name", "province", "country")), strict=True))

    def __init__(self, existing: Iterable[tuple[str, str, str | None, str]] = ()):
        self.by_scope: dict[str, dict] = {}  # scope -> key or geonames id -> node id
        self.ids: set[str] = set()
        # Localities known by name whose gazetteer places are not looked up yet, by scope: a
        # scope's are looked up the first time a name of it is not known by its key (a reload,
        # whose names are all known, looks none up).
        self._unplaced: dict[str, list[tuple[str, str, str | None, str, str | None]]] = {}
        # Gazetteer places of localities added with their place, by scope: after the others' (the
        # first locality known as a place keeps it).
        self._added_places: dict[str, dict[int, str]] = {}
        for node_id, name, province, country in existing:
            self.add(node_id, name, province, country)

    @staticmethod
    def _scope(province: str | None, country: str) -> str:
        return province or f"country:{country}"

    def add(self, node_id: str, name: str, province: str | None, country: str, name_zh: str | None = None,
            *, place: int | None | object = _LOOK_UP, key: str | None = None) -> None:
        """Know a locality; ``place`` is its gazetteer place when the caller has found it already.

        Without ``place`` (the store's localities, added first) the place is looked up only when a
        name of the same division is not known by its key; as a place, those come before the ones
        added with theirs."""
        scope = self._scope(province, country)
        known = self.by_scope.setdefault(scope, {})
        known.setdefault(locality_key(name) if key is None else key, node_id)
        self.ids.add(node_id)
        if place is _LOOK_UP:
            self._unplaced.setdefault(scope, []).append((node_id, name, province, country, name_zh))
        elif place is not None:
            self._added_places.setdefault(scope, {}).setdefault(cast(int, place), node_id)

    def _placed(self, scope: str, place: int) -> str | None:
        """The locality known as gazetteer ``place`` in ``scope`` (looking up the places of the
        scope's localities known by name only, the first time)."""
        known = self.by_scope.setdefault(scope, {})
        for node_id, name, province, country, name_zh in self._unplaced.pop(scope, ()):
            found = place_of(name, country, province, name_zh)
            if found is not None:
                known.setdefault(found[0], node_id)
        return known.get(place) or self._added_places.get(scope, {}).get(place)

    def find(self, name: str, province: str | None, country: str, name_zh: str | None = None,
             found: tuple[int, str, float, str] | None | object = _LOOK_UP,
             key: str | None = None) -> tuple[str, str, float, str] | None:
        """(id, method, score, note) of the known locality this name is, if any; ``found`` is
        ``place_of`` for the name and ``key`` its ``locality_key``, when the caller has them
        (``Identity.found``, ``Identity.key``)."""
        key = locality_key(name) if key is None else key
        scope = self._scope(province, country)
        known = self.by_scope.get(scope, {})
        if key in known:
            return known[key], "exact", 100.0, ""
        if found is _LOOK_UP:
            found = place_of(name, country, province, name_zh)
        if found is None:
            return None
        place, method, score, note = cast(tuple[int, str, float, str], found)
        held = self._placed(scope, place)
        if held is None:
            return None
        return (held, "alternate name", 100.0, f"geonames:{place}") if method == "exact" else (held, method, score, note)


class RecordParser:
    """Checks rows of one file and turns the good ones into graph rows."""

    def __init__(self, file: str, spec: FormatSpec, *, today: dt.date | None = None,
                 localities: LocalityIndex | None = None, geocode: bool = False, held: HeldFacts | None = None,
                 plans: int | None = PARTY_PLANS, matches: Resolutions | None = None,
                 planned: Callable[[str], PartyPlan | None] | None = None):
        self.file = file
        self.geocode = geocode  # look places up in the gazetteer (the writing pass only)
        self.spec = spec
        self.today = today or dt.date.today()
        self.localities = localities or LocalityIndex()
        self.frames = GraphFrames()
        self._matches = matches if matches is not None else Resolutions()  # every name not resolved exactly
        # ... of the good rows since the last hand-over (``_hand_matches``): (row, names), how many names.
        self._matched: list[tuple[int, tuple[ResolvedName, ...]]] = []
        self._matched_names = 0
        self.method_counts: dict[str, int] = {}  # resolution method -> names resolved so
        self.seen_ties: dict[str, int] = {}
        # Nodes met in a row are kept only once the whole row is good ...
        self._pending: list[tuple[str, str, dict, Identity | None]] = []  # (kind, id, values, a locality's identity)
        # ... then remembered, and handed out once by take_frames().
        self._known: dict[str, set[str]] = {"country": set(), "province": set(), "locality": set()}
        self._new: dict[str, list[dict]] = {"country": [], "province": [], "locality": []}
        self._ties: list[tuple[Any, ...]] = []  # as TIE_COLUMNS
        # Only when merging duplicates: each tie's row, and where it is in the batch being built.
        self._tie_rows: dict[str, tuple[Any, ...]] = {}
        self._batch_ties: dict[str, int] = {}
        self.duplicates_merged = 0
        self.new_ties = 0  # ties of good rows the store does not hold (as far as ``held`` says)
        self.unlocated: list[str] = []  # new places the gazetteer could not place
        # New places of this load without a Chinese name, which a later row may give: still in the
        # batch being built (id -> its values), or in a batch already taken (written with an update).
        self._unnamed_pending: dict[str, dict] = {}
        self._unnamed_taken: set[str] = set()
        #: What the store held before the load (the writing pass only): enrichment and conflicts.
        self.held = held
        self.conflicts: list[Conflict] = []
        self.enriched_ties: set[str] = set()
        self.enriched_places: set[str] = set()
        self._updates: dict[tuple[str, str], dict[str, Any]] = {}
        # The row's resolutions (row, how many exact, the others as in ``PartyPlan.listed``) and
        # Chinese names (id, name): kept once the row is good. A party's are its plan's, for all its rows.
        self._pending_notes: list[tuple[int, int, tuple[ResolvedName, ...]]] = []
        self._pending_zh: list[tuple[str, str]] = []
        # Resolved once per distinct party: a list names the same places on many rows. ``plans``
        # bounds how many are kept (None: all); ``planned(plan_key(key))`` gives plans made
        # elsewhere (a process planning ahead), None for one it has not made.
        self._notes: dict[ResolvedName, ResolvedName] = {}
        # The format's standard fields and their columns, to read a row in one call.
        self._standards, self._columns = tuple(spec.columns), tuple(spec.columns.values())
        # The file's column of each party field a resolution names.
        self._party_columns = {f"{prefix}_{name}": spec.column(f"{prefix}_{name}")
                               for prefix in ("a", "b") for name in PARTY_FIELDS}
        self._empty = ("",) * len(self._columns)
        self._cached = lru_cache(maxsize=plans)(self.plan_party)
        self._planned = planned
        # A party resolved to known nodes: what every later row naming it gets (``_settle``), by
        # prefix and the party's fields in a standard row (those it may have: the others are the
        # same on every row). Read straight from the row, with no key made: most rows repeat parties.
        present = {*self._standards, *spec.constants, *(f"{p}_{n}" for p in "ab" for n in ("level", "level_given"))}
        self._party_fields = {prefix: tuple(f for f in _PARTY_KEY_FIELDS[prefix] if f in present) for prefix in "ab"}
        self._party_cells = {prefix: itemgetter(*fields) for prefix, fields in self._party_fields.items()}
        self._settled: dict[str, dict[tuple[Any, ...], _Settled]] = {"a": {}, "b": {}}
        # The same settled parties by their cells as a block holds them (joined, as ``_party_codes``
        # numbers them): a block finds a party settled in an earlier one by one string, with no key made.
        self._settled_cells: dict[str, dict[str, _Settled]] = {"a": {}, "b": {}}
        self._year_cells = _YearCells(self._year)  # for ``parse_block``
        # Parties of the row whose nodes are pending, settled once the row is kept: (prefix, cells, as settled).
        self._settle_later: list[tuple[str, tuple[Any, ...], _Settled]] = []
        # Parties the row being checked settled, by prefix (``parse_block`` finds them by their
        # number on its later rows once the row is kept).
        self._settled_now: list[tuple[str, _Settled]] = []
        #: ``parse_block``: how many good rows it may keep without yielding them, the last of them
        #: yielded (a caller cuts its batch there; set it between two rows), and how many it kept
        #: so before the row it yields (or before its end).
        self.room = 1
        self.kept_quietly = 0

    # -- one row ---------------------------------------------------------------
    def parse(self, row_number: int, raw: dict[str, str]) -> list[RowIssue]:
        """Check one row; keep its graph rows if it is good, else return its problems."""
        if "__error__" in raw:
            self._pending = []
            self._settle_later = []
            self._pending_notes, self._pending_zh = [], []
            return [RowIssue(self.file, row_number, None, raw["__error__"])]
        return self._parse_row(row_number, self.standard_row(raw))

    def read_cells_of(self, header: list[str]) -> None:
        """Take rows as their cells in ``header``'s order (``parse_cells``), as ``read_cells`` gives them."""
        at = {name: i for i, name in enumerate(header)}  # a name given twice: its last cell, as in a dict
        present = [(standard, at[column]) for standard, column in zip(self._standards, self._columns, strict=True)
                   if column in at]
        self._cell_standards = tuple(standard for standard, _ in present)
        self._cell_at = dict(present)  # standard field -> its column's position (``parse_block``)
        positions = [i for _, i in present]
        self._cell_values = (itemgetter(*positions) if len(positions) > 1 else
                             (lambda cells: (cells[positions[0]],)) if positions else (lambda cells: ()))
        # Every standard field, "" where the file has no column for it: a row is a copy with its
        # cells set (a dict of its final size from the start, not one grown cell by cell).
        self._cell_row = dict.fromkeys(self._standards, "")
        self._settled_cells = {"a": {}, "b": {}}  # cells in the columns of this header

    def parse_cells(self, row_number: int, cells: list[str]) -> list[RowIssue]:
        """``parse`` of a row given as its cells (see ``read_cells_of``)."""
        row: dict[str, Any] = self._cell_row.copy()
        row.update(zip(self._cell_standards, self._cell_values(cells), strict=True))
        return self._parse_row(row_number, self._standard_levels(row))

    def parse_block(self, first_row: int, columns: list[list[str]], arrays: list[Any] | None = None
                    ) -> Iterator[tuple[int, int, list[RowIssue]]]:
        """``parse_cells`` of consecutive rows given column by column, in the order of the header
        ``read_cells_of`` was given, the first numbered ``first_row``: (row number, position in the
        block, problems) of each row in turn (a caller may take rows between two). ``arrays``: the
        same columns as Arrow arrays, as read (see ``readers.CellBlock``).

        Most rows of a long list hold plain values and name parties met before: such a row is
        checked on its columns, with no row made, its parties looked up by their number in the
        block (``_party_codes``); any other row goes through ``parse_cells``. Both give the same
        result; the first makes no dict for a row, and looks each party up once a block.

        A good row whose tie the block keeps itself is not yielded while fewer than ``room`` such
        rows come in a row: the row yielded next has ``kept_quietly`` rows before it, and so has
        the block's end. The ``room``-th is yielded, so that a caller may cut a batch after it.
        """
        size = len(columns[0]) if columns else 0
        std = self._block_field
        irregular: set[int] = set()  # rows lacking a required value, or with a URL that is not one
        for values in (std(columns, required, size) for required in self.spec.required):
            if "" in values:
                irregular.update(at for at, value in enumerate(values) if not value)
        urls_tested = self._urls_tested(arrays, irregular)
        levels = {prefix: std(columns, f"{prefix}_level", size) for prefix in "ab"}
        standard = {f"{prefix}_level": [v.lower() if v else "city" for v in levels[prefix]] for prefix in "ab"}
        standard.update({f"{prefix}_level_given": [bool(v) for v in levels[prefix]] for prefix in "ab"})
        # Each party's fields as a row gives them; those of its key (a row's, as a tuple, is its key
        # among settled parties), and its number in the block.
        party_values = {prefix: {f: standard[f] if f in standard else std(columns, f, size)
                                 for f in (*(f"{prefix}_{name}" for name in PARTY_FIELDS), f"{prefix}_level_given")}
                        for prefix in "ab"}
        party_fields = {prefix: [party_values[prefix][f] for f in self._party_fields[prefix]] for prefix in "ab"}
        codes = {prefix: self._party_codes(prefix, party_fields[prefix], arrays) for prefix in "ab"}
        kinds, statuses, evidences, urls, years, dates, themes, titles, notes = (
            std(columns, field, size) for field in ("kind", "status", "evidence", "source_url", "year", "date",
                                                    "themes", "source_title", "notes"))
        a_levels, b_levels = standard["a_level"], standard["b_level"]
        year_of = self._year_cells
        sides = []
        for prefix in "ab":
            (side_codes, count, cells), by_cells = codes[prefix], self._settled_cells[prefix]
            known = [None] * count if cells is None else [by_cells.get(joined) for joined in cells]
            sides.append((prefix, party_fields[prefix], side_codes, known, cells, by_cells, self._settled[prefix]))
        a_codes, a_known, b_codes, b_known = sides[0][2], sides[0][3], sides[1][2], sides[1][3]

        def remember(side: tuple[Any, ...], at: int, found: _Settled | None) -> _Settled | None:
            """``found`` (None: not settled) as the side's party of row ``at``: by its number in
            the rest of the block, and by its cells in later blocks."""
            _, _, side_codes, known, cells, by_cells, _ = side
            code = side_codes[at]
            known[code] = found
            if found is not None and cells is not None:
                by_cells[cells[code]] = found
            return found

        # A row naming two settled parties (found by their numbers in the block), neither giving a
        # place a Chinese name, whose tie is new to the load and the store is kept here, as
        # ``_tie`` keeps it, with no call made for it: the rows of a long list that name parties
        # met before. Merged duplicates, held ties and repeated pairs go through ``_tie``.
        direct = not self.spec.merge_duplicates
        held_ties = self.held.ties if self.held is not None else {}
        seen, counts = self.seen_ties, self.method_counts
        quiet, room = 0, self.room  # rows kept and not yielded since the last yield; rows it may keep so
        self.kept_quietly = 0
        for at in range(size):
            row_number = first_row + at
            kind, status, evidence = kinds[at] or "sister", statuses[at] or "active", evidences[at] or "weak"
            url, year_cell = urls[at], years[at]
            year = year_of[year_cell] if year_cell else None
            found_a, found_b = a_known[a_codes[at]], b_known[b_codes[at]]
            problems: list[RowIssue] | None = None  # None: the row goes its whole way, below
            # plain: every field as the row path finds it good
            if (year is _NOT_PLAIN or dates[at] or a_levels[at] not in _LEVELS or b_levels[at] not in _LEVELS
                    or kind not in _KINDS or status not in _STATUSES or evidence not in _EVIDENCE_GRADES
                    or (url and not urls_tested and not _URL.match(url)) or at in irregular):
                problems = self.parse_cells(row_number, [column[at] for column in columns])
            elif (direct and found_a is not None and found_b is not None and found_a[2] is None and found_b[2] is None
                    and (a := found_a[0]).id != (b := found_b[0]).id
                    and (year is None or year >= FIRST_PRC_YEAR or g.CHINA not in (a.country, b.country))):
                a, b = _ends(a, b)
                tid = tie_id(a.id, b.id)
                if tid not in held_ties and seen.setdefault(tid, row_number) == row_number:
                    self.new_ties += 1
                    exact = 0
                    for party_notes in (found_a[1], found_b[1]):  # as _commit_notes counts them
                        for exactly, listed in party_notes:
                            exact += exactly
                            if listed:
                                for name in listed:
                                    counts[name[2]] = counts.get(name[2], 0) + 1
                                self._matched.append((row_number, listed))  # a list take_rows replaces
                                self._matched_names += len(listed)
                    if exact:
                        counts["exact"] = counts.get("exact", 0) + exact
                    self._ties.append(_tie_row(a, b, tid, kind, year, None, status, themes[at], url, titles[at],
                                               evidence, notes[at]))
                    if quiet + 1 < room:
                        quiet += 1
                        continue
                    problems = []  # the row that fills the caller's batch
            if problems is None:
                self._pending, self._settle_later, self._pending_notes, self._pending_zh = [], [], [], []
                self._settled_now = []
                a = b = None
                for side in sides:
                    prefix, values = side[0], side[1]
                    found, fields = side[3][side[2][at]], None
                    if found is None:  # settled under other cells (or not): by its fields, remembered
                        fields = tuple([field[at] for field in values])
                        found = remember(side, at, side[6].get(fields))
                    if found is not None:  # as _party gives a settled party
                        party, party_notes, zh = found
                        self._pend(row_number, party_notes, zh)
                    else:
                        try:
                            row = {field_name: values[at] for field_name, values in party_values[prefix].items()}
                            party = self._party(prefix, row, row_number, _refuse, fields)
                        except _Refused:
                            party = None
                    if party is None:
                        break
                    if a is None:
                        a = party
                    else:
                        b = party
                if (a is None or b is None or a.id == b.id or
                        (year is not None and year < FIRST_PRC_YEAR and g.CHINA in (a.country, b.country))):
                    problems = self.parse_cells(row_number, [column[at] for column in columns])
                else:
                    problems = self._tie(row_number, a, b, kind, year, None, status, evidence, url, bool(kinds[at]),
                                         themes[at], titles[at], notes[at])
                    if not problems:  # the parties it settled, for the later rows
                        for prefix, settled in self._settled_now:
                            remember(sides[prefix == "b"], at, settled)
            self.kept_quietly = quiet
            yield row_number, at, problems
            quiet, room = 0, self.room
        self.kept_quietly = quiet

    def _urls_tested(self, arrays: list[Any] | None, irregular: set[int]) -> bool:
        """Whether the block's URL cells are tested at once, by Arrow (``arrays``: as read, not
        stripped), the rows with one that is not a URL added to ``irregular``: they are when all of
        them are printable ASCII (and the load's source, for an empty one, is a URL). A cell with a
        space at either end is one of those rows, which the row path reads as it reads any."""
        import pyarrow.compute as pc

        at, constant = self._cell_at.get("source_url"), self.spec.constants.get("source_url")
        if (arrays is None or at is None or (constant and not _URL.match(constant))
                or not printable_ascii(arrays[at])):
            return False
        cells = arrays[at]
        wrong = pc.and_(pc.not_equal(cells, ""), pc.invert(pc.match_substring_regex(cells, _URL_ARROW)))
        irregular.update(pc.indices_nonzero(wrong).to_pylist())
        return True

    def _party_codes(self, prefix: str, values: list[list[Any]], arrays: list[Any] | None
                     ) -> tuple[list[int], int, list[str] | None]:
        """Party ``prefix`` of each row of a block numbered (rows with the same cells, the same
        number), how many numbers, and each number's cells joined in one string when Arrow
        numbered them: it numbers the cells as read, without hashing a Python tuple a row (cells
        the same once stripped may get two numbers). Rows of any blocks with the same string have
        the same party fields."""
        positions = [self._cell_at[f] for f in self._party_fields[prefix] if f in self._cell_at]
        if arrays is None or not positions:
            numbers: dict[tuple[Any, ...], int] = {}
            return [numbers.setdefault(row, len(numbers)) for row in zip(*values, strict=True)], len(numbers), None
        encoded = rows_numbered([arrays[at] for at in positions])
        cells = encoded.dictionary.to_pylist()
        return encoded.indices.to_pylist(), len(cells), cells

    def _block_field(self, columns: list[list[str]], standard: str, size: int) -> list[str]:
        """A standard field's values in a block (``parse_block``), as a row gives them: the cell,
        else the format's constant, else ""."""
        constant = self.spec.constants.get(standard)
        at = self._cell_at.get(standard)
        if at is None:
            return [constant or ""] * size
        return [value or constant for value in columns[at]] if constant else columns[at]

    def _parse_row(self, row_number: int, row: dict[str, Any]) -> list[RowIssue]:
        issues: list[RowIssue] = []
        self._pending = []
        self._settle_later, self._settled_now = [], []
        self._pending_notes, self._pending_zh = [], []

        def bad(standard: str, message: str) -> None:
            issues.append(RowIssue(self.file, row_number, self.spec.column(standard), message))

        for standard in self.spec.required:
            if not row.get(standard):
                bad(standard, "is empty")
        for standard in ("a_level", "b_level"):
            if row[standard] not in _LEVELS:
                bad(standard, f"unknown level {row[standard]!r} (expected {' or '.join(LEVELS)})")
        kind = row.get("kind") or "sister"
        if kind not in _KINDS:
            bad("kind", f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
        status = row.get("status") or "active"
        if status not in _STATUSES:
            bad("status", f"unknown status {status!r} (expected one of {', '.join(STATUSES)})")
        evidence = row.get("evidence") or "weak"
        if evidence not in _EVIDENCE_GRADES:
            bad("evidence", f"unknown evidence grade {evidence!r} (expected one of {', '.join(EVIDENCE_GRADES)})")
        if row.get("source_url") and not _URL.match(row["source_url"]):
            bad("source_url", f"not an http(s) URL: {row['source_url']!r}")
        year = self._year(row.get("year", ""), bad)
        date = self._date(row.get("date", ""), year, bad)
        if year is None and date:
            year = int(date[:4])

        a = self._party("a", row, row_number, bad)
        b = self._party("b", row, row_number, bad)
        if a and b and a.id == b.id:
            bad("b_name", f"a party cannot be twinned with itself ({a.id})")
        if year is not None and a and b and g.CHINA in (a.country, b.country) and year < FIRST_PRC_YEAR:
            bad("year", f"{year} is before {FIRST_PRC_YEAR}, when the People's Republic was founded")
        if issues or not (a and b):
            return issues
        return self._tie(row_number, a, b, kind, year, date, status, evidence, row.get("source_url") or "",
                         bool(row.get("kind")), row.get("themes"), row.get("source_title"), row.get("notes"))

    def _tie(self, row_number: int, a: Party, b: Party, kind: str, year: int | None, date: str | None,
             status: str, evidence: str, url_cell: str, kind_in_row: bool, themes_text: str | None,
             source_title: str | None, notes: str | None) -> list[RowIssue]:
        """The tie of a row found good up to its pair (its fields checked, its parties resolved):
        kept, merged into an earlier row's, or refused when the pair is repeated."""
        a, b = _ends(a, b)
        tid = tie_id(a.id, b.id)
        held_tie = self.held.ties.get(tid) if self.held is not None else None
        # A held tie is marked seen on itself: a reload of a million ties keeps no second million ids.
        # Another is marked in ``seen_ties`` here, in the one lookup that asks (a row this far is
        # kept unless it repeats a pair, and then the mark is the earlier row's).
        if held_tie is None:
            first_row: int | None = self.seen_ties.setdefault(tid, row_number)
            if first_row == row_number:
                first_row = None
        else:
            first_row = held_tie.seen_row
        if first_row is not None:
            if self.spec.merge_duplicates:
                self.duplicates_merged += 1
                self._pending = []
                self._settle_later = []
                first = self._tie_rows.get(tid)
                if first is not None and url_cell and url_cell not in first[_TIE_SOURCES]:
                    first = (*first[:_TIE_SOURCES], [*first[_TIE_SOURCES], url_cell],
                             *first[_TIE_SOURCES + 1:])
                    self._tie_rows[tid] = first
                    at = self._batch_ties.get(tid)
                    if at is not None:  # in the batch being built: the row with its new source instead
                        self._ties[at] = first
                    elif _gains_sources(held_tie, first[_TIE_SOURCES]):
                        self._emit_tie(first)  # its batch is taken, or it was held and added nothing
                self._commit_notes()
                return []
            return [RowIssue(self.file, row_number, self.spec.column("b_name"),
                             f"same pair of parties as row {first_row} ({tid})")]
        if held_tie is None:
            self.new_ties += 1
        else:
            held_tie.seen_row = row_number
        self._commit_pending()
        names_zh = self._pending_zh
        self._commit_notes()
        source = url_cell or self.file
        for node_id, name_zh in names_zh:
            if self.held is not None and node_id in self.held.places:
                self._enrich_place(node_id, name_zh, row_number, source)
        if held_tie is not None:
            kind_given = kind if kind_in_row and "kind" in self.spec.columns else None
            self._enrich_tie(tid, row_number, source, year, date, kind_given)
        tie = _tie_row(a, b, tid, kind, year, date, status, themes_text, url_cell, source_title, evidence, notes)
        sources = tie[_TIE_SOURCES]
        # A held tie this row adds no source to is left out: the store would skip it (a reload
        # of a million ties would hand it a million rows to do nothing with).
        if _gains_sources(held_tie, sources):
            self._emit_tie(tie)
        elif self.spec.merge_duplicates:
            self._tie_rows[tid] = tie
        return []

    def standard_row(self, raw: dict[str, str]) -> dict[str, Any]:
        """A file's row as the standard fields (the format's constants where the row has no value),
        each party's level lower-cased, "city" when not given (``<party>_level_given`` says whether it was)."""
        row: dict[str, Any] = dict(zip(self._standards, map(raw.get, self._columns, self._empty), strict=True))
        return self._standard_levels(row)

    def _standard_levels(self, row: dict[str, Any]) -> dict[str, Any]:
        """``standard_row``'s end: the format's constants, each party's level and whether it was given."""
        for standard, value in self.spec.constants.items():
            if not row.get(standard):
                row[standard] = value
        for standard, given in (("a_level", "a_level_given"), ("b_level", "b_level_given")):
            level = row.get(standard)
            row[given] = bool(level)
            row[standard] = level.lower() if level else "city"
        return row

    @staticmethod
    def party_key(prefix: str, row: dict[str, Any]) -> PartyKey | None:
        """What party ``prefix`` ("a" or "b") of a ``standard_row`` resolves from, the arguments of
        ``plan_party``; None when the row lacks its name or country."""
        name_field, country_field, province_field, level_field, given_field, zh_field = _PARTY_KEY_FIELDS[prefix]
        name, country_value = row.get(name_field, ""), row.get(country_field, "")
        if not name or not country_value:
            return None
        return (prefix, name, country_value, row.get(province_field) or "", row[level_field],
                bool(row.get(given_field)), row.get(zh_field) or None)

    def _emit_tie(self, tie: tuple[Any, ...]) -> None:
        if self.spec.merge_duplicates:  # a later duplicate adds its source to it
            self._tie_rows[tie[_TIE_ID]] = tie
            self._batch_ties[tie[_TIE_ID]] = len(self._ties)
        self._ties.append(tie)

    # -- enrichment of what the store holds ------------------------------------------
    def _enrich_tie(self, tid: str, row_number: int, source: str, year: int | None, date: str | None,
                    kind: str | None) -> None:
        """Fill a held tie's empty year and date, upgrade its kind; keep the rest as conflicts."""
        assert self.held is not None
        held = self.held.ties[tid]
        props: dict[str, Any] = {}

        def conflict(name: str, value: object) -> None:
            self.conflicts.append(Conflict(tid, name, str(getattr(held, name)), str(value), row_number, source))

        if year is not None:
            if held.year is None:
                props["year"] = year
            elif held.year != year:
                conflict("year", year)
        if date:
            have = held.date
            if have is None or (date.startswith(have) and len(date) > len(have)):  # empty, or made more precise
                if held.year in (None, int(date[:4])):
                    props["date"] = date
            elif not have.startswith(date):
                conflict("date", date)
        if kind and held.kind in KINDS and kind != held.kind:
            if KINDS.index(kind) < KINDS.index(held.kind):  # strongest first
                props["kind"] = kind
            else:
                conflict("kind", kind)
        if props:
            filled = ", ".join(props)
            props["notes"] = "; ".join(n for n in (held.notes, f"{filled} from {source}") if n)
            for name, value in props.items():
                setattr(held, name, value)
            self._updates.setdefault(("TWINNED_WITH", tid), {}).update(props)
            self.enriched_ties.add(tid)

    def _enrich_place(self, node_id: str, name_zh: str, row_number: int, source: str) -> None:
        """Give a held locality its Chinese name, or keep a different one as a conflict."""
        assert self.held is not None
        have = self.held.places[node_id]
        if have is None:
            self.held.places[node_id] = name_zh
            self._updates.setdefault(("Locality", node_id), {})["name_zh"] = name_zh
            self.enriched_places.add(node_id)
        elif _zh_key(have) != _zh_key(name_zh):
            self.conflicts.append(Conflict(node_id, "name_zh", have, name_zh, row_number, source))

    # -- fields ------------------------------------------------------------------
    def _year(self, value: str, bad) -> int | None:
        if not value:
            return None
        if not value.isdigit() or len(value) != 4:
            bad("year", f"not a year: {value!r}")
            return None
        year = int(value)
        if year > self.today.year:
            bad("year", f"{year} is in the future")
            return None
        if year < FIRST_YEAR:
            bad("year", f"{year} is before {FIRST_YEAR}")
            return None
        return year

    def _date(self, value: str, year: int | None, bad) -> str | None:
        if not value:
            return None
        match = _DATE.match(value[:10] if "T" in value else value)  # Wikidata: 2005-06-01T00:00:00Z
        if not match:
            bad("date", f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
            return None
        y, m, d = (int(p) if p else None for p in match.groups())
        try:
            dt.date(y, m or 1, d or 1)
        except ValueError:
            bad("date", f"no such date: {value!r}")
            return None
        if year is not None and y != year:
            bad("date", f"{value} does not fall in the row's year {year}")
            return None
        if year is None and (y > self.today.year or y < FIRST_YEAR):
            bad("date", f"{value} is outside {FIRST_YEAR}–{self.today.year}")
            return None
        return match.group(0)

    def _party(self, prefix: str, row: dict, row_number: int, bad, unsettled: tuple[Any, ...] | None = None
               ) -> Party | None:
        """Party ``prefix`` of a standard row, resolved (None, and ``bad`` called, when it cannot
        be); ``unsettled``: its fields as a settled party's key, looked up already and not found."""
        cells = unsettled
        if cells is None:
            cells = self._party_cells[prefix](row)
            settled = self._settled[prefix].get(cells)
            if settled is not None:  # every row of this party after its first good one, most rows of a long list
                party, notes, zh = settled
                self._pend(row_number, notes, zh)
                return party
        key = self.party_key(prefix, row)
        if key is None:
            return None
        _, name, _, province_value, _, _, name_zh = key
        plan = self._planned(plan_key(key)) if self._planned is not None else None
        if plan is None:
            plan = self._cached(*key)
        if plan.error is not None:
            if plan.notes:
                self._pending_notes.append((row_number, plan.exact, plan.listed))
            bad(*plan.error)
            return None
        notes = [(plan.exact, plan.listed)] if plan.notes else []
        pending = len(self._pending)
        code, side, province = plan.code, plan.side, plan.province
        if plan.identity is None:  # a province-level party
            assert province is not None
            self._pending_province(province, code, side, province_value or name)
            return self._settle(prefix, cells, True, len(self._pending) == pending, row_number,
                                Party("Province", province.code, side, code), notes, None)
        if province is not None:
            self._pending_province(province, code, side, province_value)  # and its country
        else:
            self._pending_country(code, side)
        scope = province.code if province else None
        identity = plan.identity
        node_id, method, score, detail = identity.id, identity.method, identity.score, identity.note
        new = node_id not in self.localities.ids
        if new:
            # a place held under another id
            known = self.localities.find(name, scope, code, name_zh, identity.found, identity.key or None)
            if known:
                node_id, method, score, detail = known
                new = False
        if method != "exact":
            notes.append(split_notes(((self._party_columns[f"{prefix}_name"], name, method, node_id, score, detail),)))
        # A place new to this load and not held (a held one is written already: a reload of a
        # million ties would hand the store every place again, for nothing). Earlier rows' places
        # are in the index (``_commit_pending``), and so are the store's, for a load's check.
        if new and (self.held is None or node_id not in self.held.places):
            values = {
                "id": node_id, "name": name, "name_zh": name_zh, "level": "city",
                "side": side, "province": scope, "country": code,
                "lat": _float(row.get(f"{prefix}_lat")), "lon": _float(row.get(f"{prefix}_lon")),
                "geo_source": None, "wikidata": row.get(f"{prefix}_wikidata") or None,
            }
            self._place(values, lambda: locate(name, code, scope, values["name_zh"]))
            self._pending.append(("locality", node_id, values, identity))
        # Settled only once known under the plan's own id: a place found under another id is
        # looked for again, as the places known grow.
        return self._settle(prefix, cells, node_id == identity.id, len(self._pending) == pending, row_number,
                            Party("Locality", node_id, side, code), notes, (node_id, name_zh) if name_zh else None)

    def _settle(self, prefix: str, cells: tuple[Any, ...], settles: bool, known: bool, row_number: int,
                party: Party, notes: list[tuple[int, tuple[ResolvedName, ...]]], zh: tuple[str, str] | None) -> Party:
        """A resolved party's row notes and Chinese name made pending. When it ``settles`` (it is a
        place under its plan's own id, or a province), the same party, notes and name for every
        later row whose party fields are ``cells`` (its key is made of them): at once when its
        nodes are ``known``, else once its row is kept and they are (``_commit_pending``). The index
        of known places only grows, so those rows would resolve it the same way; a place found
        under another id is looked for again, as the places known grow."""
        self._pend(row_number, notes, zh)
        if settles:
            if known:
                self._settled[prefix][cells] = settled = (party, tuple(notes), zh)
                self._settled_now.append((prefix, settled))
            else:
                self._settle_later.append((prefix, cells, (party, tuple(notes), zh)))
        return party

    def _pend(self, row_number: int, notes: Iterable[tuple[int, tuple[ResolvedName, ...]]],
              zh: tuple[str, str] | None) -> None:
        """A party's resolutions (how many exact, the others listed) and Chinese name made pending
        for row ``row_number``: kept once the row is (``_commit_notes``)."""
        for exact, listed in notes:
            self._pending_notes.append((row_number, exact, listed))
        if zh is not None:
            self._pending_zh.append(zh)

    def plan_party(self, prefix: str, name: str, country_value: str, province_value: str, level: str,
                   level_given: bool, name_zh: str | None) -> PartyPlan:
        """What a party's columns (``party_key``) resolve to: the same on every row that repeats
        them, so it is worked out once per distinct party and replayed on the rows. It depends on
        the columns, the format and the gazetteer only: any parser of the same format, in any
        process, gives the same plan."""
        notes: list[ResolvedName] = []
        columns = self._party_columns

        def failed(field_name: str, message: str) -> PartyPlan:
            return PartyPlan.of(tuple(notes), (f"{prefix}_{field_name}", message))

        country = resolve_country(country_value)
        if not isinstance(country, Match):
            return failed("country", country.describe())
        notes.append((columns[f"{prefix}_country"], country_value, country.method,
                      country.code + (f" {country.division}" if country.division else ""), 100.0, ""))
        code = country.code
        if self.spec.china_lac and (code != g.CHINA if prefix == "a" else code not in g.LAC_SUBREGION):
            wanted = "China" if prefix == "a" else "a CELAC member state"
            return failed("country", f"{country_value!r} ({code}) is not {wanted}")
        side = "china" if code == g.CHINA else "lac" if code in g.LAC_SUBREGION else "other"
        province = None
        if province_value:
            found = resolve_province(province_value, code)
            if not isinstance(found, Match):
                return failed("province", found.describe())
            notes.append((columns[f"{prefix}_province"], province_value, found.method, found.code, found.score, ""))
            province = found
        elif country.division:
            province = Match(country.division, resolve_province(country.division, code).name, country.method)
        if level == "city" and not level_given and province is None:
            division = _division_named(name, code)
            if division is not None:
                notes.append((columns[f"{prefix}_name"], name, "division name", division.code, 100.0, ""))
                level, province = "province", division
        if level == "province":
            if province is None:  # a province-level party is named by its name column
                found = resolve_province(name, code)
                if not isinstance(found, Match):
                    return failed("name", found.describe())
                province = found
            return PartyPlan.of(tuple(notes), None, code, side, province)
        if province is None:
            inferred = infer_province(name, code)
            held = None if inferred.province else bundled_province(name, code)
            if inferred.province:
                province = Match(inferred.province, inferred.province, "gazetteer province")
                notes.append((columns[f"{prefix}_name"], name, "gazetteer province", inferred.province, 100.0, inferred.note))
            elif held:
                named = resolve_province(held, code)
                province = Match(held, named.name if isinstance(named, Match) else held, "gazetteer province")
                notes.append((columns[f"{prefix}_name"], name, "gazetteer province", held, 100.0,
                              f"the one place of this name in the bundled data ({inferred.note})"))
            else:
                notes.append((columns[f"{prefix}_name"], name, "country level", code, 100.0, inferred.note))
        identity = locality_identity(name, code, province.code if province else None, name_zh)
        # The same country and province notes recur on many parties: one tuple each, shared.
        return PartyPlan.of(tuple(self._notes.setdefault(n, n) for n in notes), None, code, side, province, identity)

    def plan_parties(self, keys: list[PartyKey]) -> list[PartyPlan]:
        """``plan_party`` of each key, the names it would search for fuzzily in their provinces
        searched for together first (``gazetteer.fuzzy_cities``): the same plans, in less time
        when many names are not in the gazetteer as written."""
        ahead = []
        for _, name, country_value, province_value, level, _, name_zh in keys:
            if level != "city" or not province_value:
                continue  # a search by the row's province only: the others are left to plan_party
            country = resolve_country(country_value)
            province = resolve_province(province_value, country.code) if isinstance(country, Match) else None
            if isinstance(province, Match) and city_identity(name, country.code, province.code, name_zh) is None:
                ahead.append((name, country.code, province.code))
        gazetteer.fuzzy_cities(ahead)
        return [self.plan_party(*key) for key in keys]

    def _pending_country(self, code: str, side: str) -> None:
        if code not in self._known["country"] and code != g.CHINA and code not in g.LAC_SUBREGION:
            self._pending.append(("country", code, {
                "id": code, "name": country_name(code), "iso3": _alpha3(code), "side": side,
                "subregion": None, "recognises_prc": None, "prc_switch_year": None,
            }, None))

    def _pending_province(self, province: Match, country: str, side: str, name: str | None) -> None:
        self._pending_country(country, side)
        if province.code not in self._known["province"] and country != g.CHINA:
            values = {
                "id": province.code, "name": name or province.name, "name_zh": None,
                "iso_name": province.name, "type": _subdivision_type(province.code), "level": "province",
                "side": side, "province": province.code, "country": country, "nbs_region": None,
                "coastal": None, "lat": None, "lon": None, "geo_source": None, "wikidata": None,
            }
            self._place(values, lambda: locate_province(province, country))
            self._pending.append(("province", province.code, values, None))

    def _place(self, values: dict, lookup) -> None:
        """Fill coordinates: from the file when it has them, else from the gazetteer (if on)."""
        if values["lat"] is not None and values["lon"] is not None:
            values["geo_source"] = "file"
        elif self.geocode:
            place = lookup()
            if place:
                values.update(lat=place.lat, lon=place.lon, geo_source=place.how)

    def _commit_pending(self) -> None:
        for kind, key, values, identity in self._pending:
            if key in self._known[kind]:
                continue
            self._known[kind].add(key)
            self._new[kind].append(values)
            if self.geocode and kind != "country" and values.get("lat") is None:
                self.unlocated.append(key)
            if kind == "locality":
                if values["name_zh"] is None and (self.held is None or key not in self.held.places):
                    self._unnamed_pending[key] = values  # a held place is enriched (or not) apart
                assert identity is not None
                self.localities.add(key, values["name"], values["province"], values["country"], values["name_zh"],
                                    place=identity.place, key=identity.key or None)
        self._pending = []
        for prefix, cells, settled in self._settle_later:
            self._settled[prefix][cells] = settled
            self._settled_now.append((prefix, settled))
        self._settle_later = []

    def _name_new_place(self, node_id: str, name_zh: str) -> None:
        """Give a place an earlier row of this load created without a Chinese name this row's."""
        values = self._unnamed_pending.pop(node_id, None)
        if values is not None:
            values["name_zh"] = name_zh
        elif node_id in self._unnamed_taken:
            self._unnamed_taken.discard(node_id)
            self._updates.setdefault(("Locality", node_id), {})["name_zh"] = name_zh

    def _commit_notes(self) -> None:
        """Count and list the resolutions of a good row (a bad row's are dropped with it)."""
        for node_id, name_zh in self._pending_zh:
            self._name_new_place(node_id, name_zh)
        counts, exact, by_row = self.method_counts, 0, self._matched
        for row_number, exactly, listed in self._pending_notes:
            exact += exactly
            if listed:
                for note in listed:
                    counts[note[2]] = counts.get(note[2], 0) + 1
                by_row.append((row_number, listed))
                self._matched_names += len(listed)
        if exact:
            counts["exact"] = counts.get("exact", 0) + exact
        self._pending_notes, self._pending_zh = [], []

    def _hand_matches(self) -> None:
        """The good rows' resolutions listed since the last call, into ``matches`` (in one call, not
        one a row)."""
        if self._matched:
            self._matches.extend(self._matched, self._matched_names)
            self._matched, self._matched_names = [], 0

    # -- results -----------------------------------------------------------------
    @property
    def matches(self) -> Resolutions:
        """Every name the good rows parsed so far resolved otherwise than exactly."""
        self._hand_matches()
        return self._matches

    @property
    def resolutions(self) -> list[tuple[int, str, str, str]]:
        """(row, column, value, how) of every name resolved otherwise than exactly (``matches`` as text)."""
        return [m.as_tuple() for m in self.matches]

    def finish(self) -> None:
        """Drop what only checking needs (the pairs seen, the locality index, the held facts) once
        every row is parsed; the results (matches, conflicts, counts, frames not yet taken) stay."""
        self.seen_ties, self._tie_rows = {}, {}
        self._unnamed_taken = set()
        self.localities = LocalityIndex()
        self._known = {"country": set(), "province": set(), "locality": set()}
        self.held = None
        self._cached.cache_clear()
        self._settled = {"a": {}, "b": {}}
        self._settled_cells = {"a": {}, "b": {}}
        self._notes = {}
        self._planned = None

    def take_frames(self) -> GraphFrames:
        """The graph rows of the good rows parsed since the last call."""
        return self.take_rows().frames()

    def take_rows(self) -> GraphRows:
        """``take_frames`` not framed yet (``GraphRows.frames`` frames them)."""
        countries, provinces, localities = self._new["country"], self._new["province"], self._new["locality"]
        rows = GraphRows({"Country": countries, "Province": provinces, "Locality": localities})
        # Relationship rows as tuples in ``rel_columns`` order: from label and id, to label and id.
        rows.rels["IN_COUNTRY"] = [("Province", p["id"], "Country", p["country"]) for p in provinces] + [
            ("Locality", x["id"], "Country", x["country"]) for x in localities if not x["province"]]
        rows.rels["IN_PROVINCE"] = [
            ("Locality", x["id"], "Province", x["province"]) for x in localities if x["province"]]
        rows.rels["TWINNED_WITH"] = self._ties
        rows.updates = [PropertyUpdate(table, key, props) for (table, key), props in self._updates.items()]
        self._updates = {}
        self._hand_matches()  # a batch's worth at a time: the list spills to disk beyond memory
        self._unnamed_taken.update(self._unnamed_pending)
        self._unnamed_pending = {}
        self._new = {"country": [], "province": [], "locality": []}
        self._ties, self._batch_ties = [], {}
        return rows


def _ends(a: Party, b: Party) -> tuple[Party, Party]:
    """A tie's parties in its order: from the Chinese party, else from the party that is not in
    LAC, else by id."""
    if (b.side == "china" and a.side != "china") or (a.side == "lac" and b.side == "other") or \
            (a.side == b.side and b.id < a.id):
        return b, a
    return a, b


def _tie_row(a: Party, b: Party, tid: str, kind: str, year: int | None, date: str | None, status: str,
             themes_text: str | None, url_cell: str, source_title: str | None, evidence: str,
             notes: str | None) -> tuple[Any, ...]:
    """A tie's values as ``TIE_COLUMNS`` (``a`` its first end): its themes split at ";", an empty
    cell None, its source URL its one source."""
    url = url_cell or None
    themes = [t.strip() for t in themes_text.split(";") if t.strip()] if themes_text else []
    return (a.label, a.id, b.label, b.id, tid, kind, year, date, status, themes, url, source_title or None,
            evidence, notes or None, [url] if url else [])


def _gains_sources(held: HeldTie | None, sources: list[str]) -> bool:
    """Whether a tie with ``sources`` is new to the store (``held`` None), or adds a source to the held tie."""
    return held is None or any(source not in held.sources for source in sources)


def _zh_key(name: str) -> str:
    """A Chinese name without spaces and the generic 市 ("city"): 无锡 and 无锡市 are one name."""
    return "".join(name.split()).removesuffix("市")


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


def _alpha3(code: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return country.alpha_3 if country else None


def _subdivision_type(code: str) -> str | None:
    import pycountry

    return getattr(pycountry.subdivisions.get(code=code), "type", None)


@lru_cache(maxsize=1 << 16)
def _division_named(name: str, country: str) -> Match | None:
    """The first-level division a party named as a city is, when the file gives no level.

    "X Province", "State of X", "Región de X" name the division X; the Chinese
    municipalities and SARs (Beijing, Macau, ...) are province-level parties; any
    other name of a division (exactly or by alias, never fuzzily) names it unless
    a city in that division carries the name ("São Paulo", "Córdoba", "Florida"
    in Uruguay: the city; "Jalisco", "Shandong": the division).
    """
    explicit = _EXPLICIT_DIVISION.match(fold(name))
    if explicit:  # never fuzzily: only an exact or alias name names a division here
        found = province_named(explicit.group("a") or explicit.group("b"), country)
        if found is not None and is_first_level(found.code):
            return found
    found = province_named(name, country)
    if found is None or not is_first_level(found.code):
        return None
    if fold(name) in (fold(found.code), fold(found.code.split("-", 1)[1])):
        return None  # a code such as "SP" is no city's name
    if found.code in PROVINCE_LEVEL_CITIES:
        return found
    return None if has_city_named(name, country, found.code) else found


def forget() -> None:
    """Drop every lookup cached on names and places, the gazetteer's tables included, to give
    their memory back before a large load's write; the next load builds them again (about 1.5 s).

    The caches hold the last 65,536 names of each kind: spread over the memory a load's check
    used, they would keep much of it from being returned."""
    forget_names()
    gazetteer.forget()


def forget_names() -> None:
    """Drop the lookups cached on names, not the gazetteer's tables: a process planning each
    distinct party once (``PlanFeed``) meets a name again within a group of parties only."""
    for cached in (locality_identity, _division_named, fold, core, locality_key):
        cached.cache_clear()
    gazetteer.forget_names()
