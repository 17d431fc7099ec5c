"""The property-graph model: node and relationship tables, shared by every store.

::

    (Locality)-[:IN_PROVINCE]->(Province)-[:IN_COUNTRY]->(Country)-[:MEMBER_OF]->(Forum)
                                   |                        |                       ^
                                   +-[:IN_REGION]->(Region)<+                [:PART_OF]
                                                                                    |
    (Locality|Province)-[:TWINNED_WITH]->(Locality|Province)                   (Forum)

``TWINNED_WITH`` runs from the Chinese party to the LAC party, at whatever level
each is (city–city, province–province and mixed); the store holds ties between
any two countries too (from the Chinese party, else from the non-LAC party,
else in id order). Every party node carries ``province`` and ``country`` ids (a
Province's ``province`` is its own id; None for a locality whose province is
unknown) and a ``side`` (``"china"``, ``"lac"`` or ``"other"``), so queries need
not walk the structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from twinlac.graph import groupings as g
from twinlac.graph.vocabulary import EVIDENCE_GRADES, KINDS, LEVELS, STATUSES

if TYPE_CHECKING:  # pandas and pyarrow are imported where frames and tables are built: `twinlac query` never needs them
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "EVIDENCE_GRADES", "KINDS", "LEVELS", "NODE_TABLES", "PARTY_LABELS", "REL_KEY_COLUMNS", "REL_TABLES", "rel_columns",
    "STATUSES", "GraphFrames", "GraphRows", "GraphTables", "PropertyUpdate", "arrow_schema", "arrow_table",
    "arrow_type", "reference_frames",
]

#: Node tables: label -> [(property, type)], the first property is the primary key.
NODE_TABLES: dict[str, list[tuple[str, str]]] = {
    "Country": [
        ("id", "STRING"), ("name", "STRING"), ("iso3", "STRING"), ("side", "STRING"),
        ("subregion", "STRING"), ("recognises_prc", "BOOLEAN"), ("prc_switch_year", "INT64"),
    ],
    "Province": [
        ("id", "STRING"), ("name", "STRING"), ("name_zh", "STRING"), ("iso_name", "STRING"),
        ("type", "STRING"), ("level", "STRING"), ("side", "STRING"), ("province", "STRING"),
        ("country", "STRING"), ("nbs_region", "STRING"), ("coastal", "BOOLEAN"),
        ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("geo_source", "STRING"), ("wikidata", "STRING"),
    ],
    "Locality": [
        ("id", "STRING"), ("name", "STRING"), ("name_zh", "STRING"), ("level", "STRING"),
        ("side", "STRING"), ("province", "STRING"), ("country", "STRING"),
        ("lat", "DOUBLE"), ("lon", "DOUBLE"), ("geo_source", "STRING"), ("wikidata", "STRING"),
    ],
    "Region": [("id", "STRING"), ("name", "STRING"), ("side", "STRING"), ("scheme", "STRING")],
    "Forum": [("id", "STRING"), ("name", "STRING")],
}

PARTY_LABELS = ("Locality", "Province")

#: Relationship tables: type -> ([(from label, to label)], [(property, type)]).
REL_TABLES: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "TWINNED_WITH": (
        [(a, b) for a in PARTY_LABELS for b in PARTY_LABELS],
        [
            ("id", "STRING"), ("kind", "STRING"), ("year", "INT64"), ("date", "STRING"),
            ("status", "STRING"), ("themes", "STRING[]"), ("source_url", "STRING"),
            ("source_title", "STRING"), ("evidence", "STRING"), ("notes", "STRING"),
            # Every source reporting the tie, the primary (source_url) first: a second
            # file reporting the same agreement adds its source here.
            ("sources", "STRING[]"),
        ],
    ),
    "IN_PROVINCE": ([("Locality", "Province")], []),
    # A Locality links to its Country directly only when its province is unknown.
    "IN_COUNTRY": ([("Province", "Country"), ("Locality", "Country")], []),
    "IN_REGION": ([("Province", "Region"), ("Country", "Region")], []),
    "MEMBER_OF": ([("Country", "Forum")], []),
    "PART_OF": ([("Forum", "Forum")], []),
}

#: Relationship columns in a frame, before the relationship's own properties.
REL_KEY_COLUMNS = ["from_label", "from_id", "to_label", "to_id"]


@dataclass(frozen=True)
class PropertyUpdate:
    """New values for properties of a node or tie the store already holds.

    ``table`` is a node label or ``"TWINNED_WITH"``; ``id`` the node's or tie's
    id; ``props`` the properties to set (others are left as they are). A store
    writes updates after the batch's new rows, in the same write; an update
    naming nothing the store holds changes nothing.
    """

    table: str
    id: str
    props: dict[str, Any]


@dataclass
class GraphFrames:
    """Nodes and relationships to write, one DataFrame per table.

    Node frames have the table's columns (``NODE_TABLES``); relationship frames
    have ``from_label, from_id, to_label, to_id`` and then the properties.
    A store writes only the rows whose ids (nodes, ties) or endpoint pairs
    (structural relationships) it does not hold yet, then the ``updates``.
    """

    nodes: dict[str, pd.DataFrame] = field(default_factory=dict)
    rels: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: Properties to set on nodes and ties already held (enrichment from a later source).
    updates: list[PropertyUpdate] = field(default_factory=list)

    def add_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        import pandas as pd

        frame = pd.DataFrame(rows, columns=[n for n, _ in NODE_TABLES[label]], dtype=object)
        self.nodes[label] = _concat(self.nodes.get(label), frame, subset=["id"])

    def add_rels(self, rel_type: str, rows: list[dict[str, Any]] | list[tuple[Any, ...]]) -> None:
        """Add relationship rows: dicts by column name, or tuples in the frame's column order."""
        import pandas as pd

        frame = pd.DataFrame(rows, columns=rel_columns(rel_type), dtype=object)
        key = ["id"] if rel_type == "TWINNED_WITH" else ["from_id", "to_id"]
        self.rels[rel_type] = _concat(self.rels.get(rel_type), frame, subset=key)

    def rows(self) -> GraphRows:
        """The same rows as ``GraphRows``: node rows as dicts, relationship rows as tuples in
        ``rel_columns`` order, missing values as they are (None, NaN)."""
        rows = GraphRows(updates=self.updates)
        for label, frame in self.nodes.items():
            rows.nodes[label] = cast("list[dict[str, Any]]", frame.to_dict("records"))
        for rel_type, frame in self.rels.items():
            rows.rels[rel_type] = list(frame[rel_columns(rel_type)].itertuples(index=False, name=None))
        return rows


def rel_columns(rel_type: str) -> list[str]:
    """A relationship's columns, in a frame and in ``GraphRows``: its ends, then its properties.

    >>> rel_columns("IN_PROVINCE")
    ['from_label', 'from_id', 'to_label', 'to_id']
    """
    return REL_KEY_COLUMNS + [name for name, _ in REL_TABLES[rel_type][1]]


@dataclass
class GraphRows:
    """Graph rows not framed: per node label its rows (dicts by column name), per relationship
    type its rows (tuples in ``rel_columns`` order), and updates; ``frames()`` frames them, and
    ``tables()`` makes Arrow tables of them. A store writes batches given any of these ways
    (``GraphStore.write_batches``).

    A load's check makes rows, and hands them to the store as ``GraphTables``: another process
    reads those back at once, and the embedded store COPYs them as they are.

    >>> rows = GraphRows(rels={"IN_PROVINCE": [("Locality", "BR-SP:campinas", "Province", "BR-SP")]})
    >>> rows.frames().rels["IN_PROVINCE"].loc[0, "to_id"]
    'BR-SP'
    >>> rows.tables().rels["IN_PROVINCE"].column("to_id").to_pylist()
    ['BR-SP']
    """

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rels: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    updates: list[PropertyUpdate] = field(default_factory=list)

    def frames(self) -> GraphFrames:
        frames = GraphFrames()
        for label, rows in self.nodes.items():
            frames.add_nodes(label, rows)
        for rel_type, tuples in self.rels.items():
            frames.add_rels(rel_type, tuples)
        frames.updates = self.updates
        return frames

    def tables(self) -> GraphTables:
        """The same rows as ``GraphTables`` (a table with no row is left out). A value its column's
        type cannot hold raises ``RuntimeError`` (``arrow_table``)."""
        from operator import itemgetter

        tables = GraphTables(updates=self.updates)
        for label, rows in self.nodes.items():
            if rows:
                names = [name for name, _ in NODE_TABLES[label]]
                try:  # a row's values in one call, rather than a column at a time
                    columns: list[Any] = list(zip(*map(itemgetter(*names), rows), strict=True))
                except KeyError:  # a row lacks a column: None there
                    columns = [[row.get(name) for row in rows] for name in names]
                tables.nodes[label] = arrow_table(label, columns)
        for rel_type, tuples in self.rels.items():
            if tuples:
                tables.rels[rel_type] = arrow_table(rel_type, list(zip(*tuples, strict=True)))
        return tables


@dataclass
class GraphTables:
    """Graph rows as Arrow tables: per node label a table of its columns (``NODE_TABLES``), per
    relationship type a table of its ``rel_columns``, each typed as ``arrow_schema`` says; and
    updates. Rows repeating a key are written as ``GraphFrames`` says (the first wins).

    >>> rows = GraphRows(nodes={"Forum": [{"id": "forum:x", "name": "X"}]})
    >>> rows.tables().frames().nodes["Forum"].loc[0, "name"]
    'X'
    """

    nodes: dict[str, pa.Table] = field(default_factory=dict)
    rels: dict[str, pa.Table] = field(default_factory=dict)
    updates: list[PropertyUpdate] = field(default_factory=list)

    def frames(self) -> GraphFrames:
        frames = GraphFrames()
        for label, table in self.nodes.items():
            frames.add_nodes(label, table.to_pylist())
        for rel_type, table in self.rels.items():
            frames.add_rels(rel_type, table.to_pylist())
        frames.updates = self.updates
        return frames


def arrow_type(kind: str) -> pa.DataType:
    """The Arrow type of a schema property type (``STRING[]``: a list of strings).

    >>> str(arrow_type("STRING[]"))
    'list<item: string>'
    """
    import pyarrow as pa

    if kind.endswith("[]"):
        return pa.list_(arrow_type(kind[:-2]))
    return {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(), "BOOLEAN": pa.bool_()}[kind]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a node table (its ``NODE_TABLES`` columns) or of a relationship's rows
    (its ``rel_columns``: the ends' labels and ids as strings, then its properties).

    >>> arrow_schema("IN_PROVINCE").names
    ['from_label', 'from_id', 'to_label', 'to_id']
    """
    import pyarrow as pa

    if table in NODE_TABLES:
        columns = NODE_TABLES[table]
    else:
        columns = [(name, "STRING") for name in REL_KEY_COLUMNS] + REL_TABLES[table][1]
    return pa.schema([(name, arrow_type(kind)) for name, kind in columns])


def arrow_table(table: str, values: list[Any]) -> pa.Table:
    """The values of each column of ``arrow_schema(table)``, as an Arrow table of that schema: a
    column of nulls keeps its type, pandas' missing values (None, NaN, NA) are nulls. A value the
    column's type cannot hold raises ``RuntimeError``, as the database engine says it.

    >>> arrow_table("IN_PROVINCE", [["Locality"], ["BR-SP:campinas"], ["Province"], ["BR-SP"]]).to_pylist()
    [{'from_label': 'Locality', 'from_id': 'BR-SP:campinas', 'to_label': 'Province', 'to_id': 'BR-SP'}]
    """
    import pyarrow as pa

    schema = arrow_schema(table)
    try:
        # A list, not a tuple: Arrow converts a tuple's values more slowly.
        return pa.Table.from_arrays([_arrow_array(column if isinstance(column, list) else list(column),
                                                  schema.field(at).type)
                                     for at, column in enumerate(values)], schema=schema)
    except pa.ArrowException as exc:  # a value the column's type cannot hold
        raise RuntimeError(f"Conversion exception: {table}: {exc}") from exc


def _arrow_array(values: list[Any], kind: pa.DataType) -> pa.Array:
    """``values`` as an Arrow array of type ``kind``, pandas' missing values as nulls."""
    import pyarrow as pa

    if kind == pa.string():
        try:  # strings and None, as rows made in Python hold them: converted without looking for NaN
            return pa.array(values, type=kind)
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # NaN or NA, from a frame: nulls
            pass
    elif pa.types.is_list(kind) and _all_empty_lists(values):  # as a tie's themes mostly are
        return pa.ListArray.from_arrays(pa.array([0] * (len(values) + 1), type=pa.int32()),
                                        pa.array([], type=kind.value_type))
    return pa.array(values, type=kind, from_pandas=True)


def _all_empty_lists(values: list[Any]) -> bool:
    try:
        return values.count([]) == len(values)
    except (ValueError, TypeError):  # an array, from a frame, compares otherwise
        return False


def _concat(old: pd.DataFrame | None, new: pd.DataFrame, subset: list[str]) -> pd.DataFrame:
    import pandas as pd

    frame = new if old is None or old.empty else pd.concat([old, new], ignore_index=True)
    # The first occurrence wins: reference data before loaded data, earlier rows first.
    return frame.drop_duplicates(subset=subset, keep="first").reset_index(drop=True)


def reference_frames() -> GraphFrames:
    """The fixed part of the graph: China and its provinces, CELAC states, regions, forums.

    Chinese provinces and LAC countries exist even without any tie, so that
    analyses can count the ones with none.
    """
    import pycountry

    frames = GraphFrames()
    frames.add_nodes("Region", [
        {"id": rid, "name": name, "side": side, "scheme": scheme}
        for rid, (name, side, scheme) in g.REGIONS.items()
    ])
    frames.add_nodes("Forum", [{"id": fid, "name": name} for fid, name in g.FORUMS.items()])
    frames.add_rels("PART_OF", [{
        "from_label": "Forum", "from_id": g.LOCAL_GOVERNMENT_FORUM,
        "to_label": "Forum", "to_id": g.CELAC_FORUM,
    }])

    countries: list[dict[str, Any]] = [{
        "id": g.CHINA, "name": "China", "iso3": "CHN", "side": "china",
        "subregion": None, "recognises_prc": None, "prc_switch_year": None,
    }]
    for code, name in g.LAC_COUNTRY_NAMES.items():
        country = pycountry.countries.get(alpha_2=code)
        assert country is not None, f"pycountry lacks {code}"
        countries.append({
            "id": code, "name": name, "iso3": country.alpha_3,
            "side": "lac", "subregion": g.LAC_SUBREGION[code],
            "recognises_prc": code not in g.RECOGNISES_ROC,
            "prc_switch_year": g.PRC_SWITCH_YEAR.get(code),
        })
    frames.add_nodes("Country", countries)
    frames.add_rels("MEMBER_OF", [
        {"from_label": "Country", "from_id": c["id"], "to_label": "Forum", "to_id": g.CELAC_FORUM}
        for c in countries
    ])
    frames.add_rels("IN_REGION", [
        {"from_label": "Country", "from_id": c["id"], "to_label": "Region",
         "to_id": g.region_id("lac", c["subregion"])}
        for c in countries if c["subregion"]
    ])

    # pycountry's Subdivisions.get is not annotated
    subdivisions = {s.code: s for s in pycountry.subdivisions.get(country_code=g.CHINA)}  # type: ignore[no-untyped-call]
    provinces = [
        chinese_province_row(code, subdivisions[code]) for code in g.CHINESE_PROVINCE_NAMES
    ]
    frames.add_nodes("Province", provinces)
    frames.add_rels("IN_COUNTRY", [
        {"from_label": "Province", "from_id": p["id"], "to_label": "Country", "to_id": g.CHINA}
        for p in provinces
    ])
    frames.add_rels("IN_REGION", [
        {"from_label": "Province", "from_id": p["id"], "to_label": "Region",
         "to_id": g.region_id("china", p["nbs_region"])}
        for p in provinces if p["nbs_region"]
    ])
    return frames


def chinese_province_row(code: str, subdivision: Any) -> dict[str, Any]:
    lat, lon, geonameid = g.CHINESE_CAPITAL_COORDINATES[code]
    return {
        "id": code, "name": g.CHINESE_PROVINCE_NAMES[code],
        "name_zh": g.CHINESE_PROVINCE_NAMES_ZH[code], "iso_name": subdivision.name,
        "type": subdivision.type, "level": "province", "side": "china", "province": code,
        "country": g.CHINA, "nbs_region": g.NBS_REGION.get(code),
        "coastal": (code in g.COASTAL) if code not in g.SPECIAL_ADMINISTRATIVE_REGIONS else None,
        "lat": lat, "lon": lon,
        "geo_source": f"geonames:{geonameid} {g.CHINESE_PROVINCE_CAPITALS[code]} (provincial capital)",
        "wikidata": None,
    }
