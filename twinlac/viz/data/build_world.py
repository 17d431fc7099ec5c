"""Rebuild ``world_110m.json``, the land outlines drawn by the offline map page.

Source: Natural Earth 1:110m Cultural Vectors, Admin 0 – Countries (public
domain, https://www.naturalearthdata.com/about/terms-of-use/), in the copy that
geopandas 0.14 ships as ``geopandas/datasets/naturalearth_lowres``. Nothing is
downloaded at run time: the JSON is committed, and this script only documents
(and repeats) how it was made::

    pip download geopandas==0.14.4 --no-deps -d /tmp/ne
    unzip -o /tmp/ne/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/naturalearth_lowres/*' -d /tmp/ne
    python -m twinlac.viz.data.build_world /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres

The shapefile is read with the standard library (polygons and the dBASE table
only), each ring is simplified (Douglas–Peucker, 0.15°) and its coordinates
are stored as integers in tenths of a degree. Antarctica is left out.
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

TOLERANCE = 0.15  # degrees
SCALE = 10  # stored coordinates are degrees * SCALE, rounded
OUT = Path(__file__).with_name("world_110m.json")


def read_dbf(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        length = data[pos + 16]
        fields.append((name, length))
        pos += 32
    records = []
    for i in range(n_records):
        start = header_len + i * record_len + 1  # skip the deletion flag
        record = {}
        for name, length in fields:
            record[name] = data[start:start + length].decode("utf-8", "replace").strip()
            start += length
        records.append(record)
    return records


def read_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    """Each record's rings, as lists of (lon, lat)."""
    data = path.read_bytes()
    pos = 100
    shapes = []
    while pos < len(data):
        _, length = struct.unpack(">II", data[pos:pos + 8])
        content = data[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type == 0:
            shapes.append([])
            continue
        if shape_type != 5:
            raise ValueError(f"expected polygons, got shape type {shape_type}")
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts]))
        offset = 44 + 4 * n_parts
        points = [struct.unpack("<dd", content[offset + 16 * i:offset + 16 * i + 16]) for i in range(n_points)]
        bounds = parts + [n_points]
        shapes.append([points[bounds[i]:bounds[i + 1]] for i in range(n_parts)])
    return shapes


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker on an open polyline (iterative)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        best, index = 0.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if norm == 0:
                d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def alpha2(iso_a3: str) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_3=iso_a3)
    return country.alpha_2 if country else None


def build(stem: Path) -> dict:
    records = read_dbf(stem.with_suffix(".dbf"))
    shapes = read_polygons(stem.with_suffix(".shp"))
    countries = []
    for record, rings in zip(records, shapes, strict=True):
        if record["iso_a3"] == "ATA":
            continue
        out_rings = []
        for ring in rings:
            # Closed ring: simplify it as two halves so its ends stay put.
            half = len(ring) // 2
            simple = simplify(ring[:half + 1], TOLERANCE)[:-1] + simplify(ring[half:], TOLERANCE)
            flat = []
            previous = None
            for lon, lat in simple:
                point = (round(lon * SCALE), round(lat * SCALE))
                if point != previous:
                    flat += point
                    previous = point
            if len(flat) >= 8:  # at least a triangle, closed
                out_rings.append(flat)
        if out_rings:
            countries.append({
                "a2": alpha2(record["iso_a3"]), "a3": record["iso_a3"], "name": record["name"], "rings": out_rings,
            })
    countries.sort(key=lambda c: c["a3"])
    return {
        "source": "Natural Earth 1:110m Admin 0 - Countries (public domain), via geopandas 0.14 naturalearth_lowres",
        "scale": SCALE,
        "tolerance_degrees": TOLERANCE,
        "countries": countries,
    }


if __name__ == "__main__":
    world = build(Path(sys.argv[1]))
    OUT.write_text(json.dumps(world, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for c in world["countries"] for r in c["rings"])
    print(f"{OUT}: {len(world['countries'])} countries, {points} points, {OUT.stat().st_size} bytes")
