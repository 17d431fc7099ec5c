"""The canonical agreements format (the bundled ``data/china_lac_twinnings.csv``).

One row per agreement between a Chinese party (``cn_*``) and a LAC party
(``lac_*``), with the columns described in ``data/SOURCES.md``. CSV, XLSX or
JSON (a list of objects with the same keys).
"""

from __future__ import annotations

from twinlac.loaders.formats import FormatSpec, InputFormat, Probe, register

REQUIRED_COLUMNS = (
    "cn_name", "cn_level", "cn_province", "lac_name", "lac_level", "lac_admin1", "lac_country",
    "kind", "source_url", "evidence",
)

CANONICAL = FormatSpec(
    name="canonical",
    columns={
        "a_name": "cn_name", "a_name_zh": "cn_name_zh", "a_level": "cn_level", "a_province": "cn_province",
        "b_name": "lac_name", "b_level": "lac_level", "b_province": "lac_admin1", "b_country": "lac_country",
        **{f: f for f in ("kind", "year", "date", "status", "themes", "source_url", "source_title",
                          "evidence", "notes")},
    },
    constants={"a_country": "China"},
    required=("a_name", "a_level", "a_province", "b_name", "b_level", "b_province", "b_country",
              "kind", "source_url", "evidence"),
    china_lac=True,
)


def is_canonical(header: list[str]) -> bool:
    return {"cn_name", "lac_name", "lac_country"} <= set(header)


FORMAT = register(InputFormat(
    name="canonical",
    summary="the agreements table of data/SOURCES.md (cn_name, lac_name, ...) as CSV, XLSX or JSON",
    detect=lambda probe: not probe.mapping and is_canonical(probe.header),
    spec=lambda mapping, source, evidence: CANONICAL,
    required_columns=lambda spec: REQUIRED_COLUMNS,
    order=30,
    known_columns=lambda spec: tuple(spec.columns.values()),
), shipped=True)
