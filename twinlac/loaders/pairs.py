"""Generic "pairs" files: one twinning per row, columns named by the user.

``twinlac load FILE --map a_name=city1 --map a_country=country1 --map b_name=city2
--map b_country=country2`` maps the file's columns onto twinlac's standard
fields; optional ones: ``a_province``, ``a_level``, ``a_name_zh``, ``a_lat``,
``a_lon`` (and the same for ``b_``), ``kind``, ``year``, ``date``, ``status``,
``themes``, ``source_url``, ``source_title``, ``evidence``, ``notes``.
A row's source is its ``source_url`` column, or ``--source URL`` for the whole
file; kind defaults to ``sister``, level to ``city``, evidence to ``--evidence``
(default ``weak``).
"""

from __future__ import annotations

from twinlac.errors import TwinlacError
from twinlac.loaders.formats import PARTY_FIELDS, TIE_FIELDS, FormatSpec, InputFormat, register

STANDARD_FIELDS = tuple(f"{p}_{f}" for p in ("a", "b") for f in PARTY_FIELDS) + TIE_FIELDS
REQUIRED_FIELDS = ("a_name", "a_country", "b_name", "b_country")


def pairs_spec(mapping: dict[str, str], *, source: str | None = None, evidence: str | None = None) -> FormatSpec:
    """A format for a pairs file from ``{standard field: file column}``.

    >>> spec = pairs_spec({"a_name": "city1", "a_country": "country1", "b_name": "city2",
    ...                    "b_country": "country2"}, source="https://example.org/list")
    >>> spec.column("a_name"), spec.constants["source_url"]
    ('city1', 'https://example.org/list')
    """
    unknown = sorted(set(mapping) - set(STANDARD_FIELDS))
    if unknown:
        raise TwinlacError(f"--map: unknown field(s) {', '.join(unknown)}; use {', '.join(STANDARD_FIELDS)}")
    missing = [f for f in REQUIRED_FIELDS if f not in mapping]
    if missing:
        raise TwinlacError(f"--map: map {', '.join(missing)} to the file's columns (e.g. --map {missing[0]}=COLUMN)")
    if "source_url" not in mapping and not source:
        raise TwinlacError("every tie needs a source: map a column with --map source_url=COLUMN, or give --source URL")
    constants = {"evidence": evidence or "weak"}
    if source:
        constants["source_url"] = source
    return FormatSpec(name="pairs", columns=dict(mapping), constants=constants,
                      required=REQUIRED_FIELDS + ("source_url",))


FORMAT = register(InputFormat(
    name="pairs",
    summary="one twinning per row, columns mapped with --map (a_name, a_country, b_name, b_country, ...)",
    detect=lambda probe: bool(probe.mapping),
    spec=lambda mapping, source, evidence: pairs_spec(mapping or {}, source=source, evidence=evidence),
    required_columns=lambda spec: list(spec.columns.values()),  # every column the user mapped
    order=10,
), shipped=True)
