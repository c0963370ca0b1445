"""Vendor the static map's assets once: Leaflet from npm, and country outlines from world-atlas.

Run from the repository root with `python scripts/vendor_assets.py`; commit what it writes.
The package never downloads anything at run time: `frontlines map` inlines these files.

- `src/frontlines/web/vendor/leaflet/`: leaflet.js, leaflet.css, images/ and LICENSE from
  the npm package `leaflet`.
- `src/frontlines/data/outlines.geojson`: Natural Earth 1:50m country outlines from the npm
  package `world-atlas` (TopoJSON), decoded here, clipped to a box around Syria, simplified
  and rounded to 3 decimals.
- `src/frontlines/web/vendor/VENDORED.md`: the package versions and licences.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

LEAFLET = "leaflet@1.9.4"
WORLD_ATLAS = "world-atlas@2.0.2"

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "frontlines"
LEAFLET_DIR = PACKAGE / "web" / "vendor" / "leaflet"
OUTLINES = PACKAGE / "data" / "outlines.geojson"
VENDORED = PACKAGE / "web" / "vendor" / "VENDORED.md"

# Countries whose outline touches this box are kept (lon 25-50, lat 25-42); their shapes are
# clipped to a wider box so that the cut edges stay outside any view of the region.
KEEP_BOX = (25.0, 25.0, 50.0, 42.0)
CLIP_BOX = (18.0, 20.0, 57.0, 46.0)
TOLERANCE = 0.01  # degrees (~1 km): finer than a circle marker at the zooms the map opens at
DECIMALS = 3

Point = tuple[float, float]
Ring = list[Point]


def npm_pack(spec: str, into: Path) -> Path:
    """Fetch a package tarball from the npm registry and unpack it; returns its folder."""
    out = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
                         check=True, capture_output=True, text=True).stdout.split()
    tarball = into / out[-1]
    target = into / spec.split("@")[0]
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def copy_leaflet(package: Path) -> str:
    if LEAFLET_DIR.exists():
        shutil.rmtree(LEAFLET_DIR)
    (LEAFLET_DIR / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(package / "dist" / name, LEAFLET_DIR / name)
    for image in (package / "dist" / "images").iterdir():
        shutil.copy2(image, LEAFLET_DIR / "images" / image.name)
    shutil.copy2(package / "LICENSE", LEAFLET_DIR / "LICENSE")
    return json.loads((package / "package.json").read_text())["version"]


# --- TopoJSON -> GeoJSON ---------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc: undo the delta encoding and the quantization."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indices: list[int], arcs: list[list[Point]]) -> Ring:
    """Stitch arcs into a ring; a negative index ~i means arc i reversed."""
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(geometry: dict, arcs: list[list[Point]]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [[ring(r, arcs) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(r, arcs) for r in poly] for poly in geometry["arcs"]]
    return []


# --- clipping and simplification ----------------------------------------------------------


def touches(rings: list[list[Ring]], box: tuple[float, float, float, float]) -> bool:
    west, south, east, north = box
    return any(west <= x <= east and south <= y <= north
               for poly in rings for r in poly for x, y in r)


def clip(r: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of one ring against an axis-aligned box."""
    west, south, east, north = box
    edges = [(0, west, True), (0, east, False), (1, south, True), (1, north, False)]
    for axis, bound, keep_above in edges:
        if not r:
            break
        out: Ring = []
        for i, current in enumerate(r):
            previous = r[i - 1]
            if inside(current, axis, bound, keep_above):
                if not inside(previous, axis, bound, keep_above):
                    out.append(crossing(previous, current, axis, bound))
                out.append(current)
            elif inside(previous, axis, bound, keep_above):
                out.append(crossing(previous, current, axis, bound))
        r = out
    return r


def inside(p: Point, axis: int, bound: float, keep_above: bool) -> bool:
    return p[axis] >= bound if keep_above else p[axis] <= bound


def crossing(a: Point, b: Point, axis: int, bound: float) -> Point:
    t = (bound - a[axis]) / (b[axis] - a[axis])
    x, y = a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
    return (bound, y) if axis == 0 else (x, bound)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative so that long coastlines do not hit the recursion limit."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        index, distance = max(((i, offset(points[i], points[first], points[last]))
                               for i in range(first + 1, last)), key=lambda p: p[1],
                              default=(None, 0.0))
        if index is not None and distance > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, kept in zip(points, keep) if kept]


def offset(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def finish(r: Ring) -> list[list[float]] | None:
    """Simplify, round and close a ring; None when too little of it is left."""
    if len(r) < 4:
        return None
    closed = r if r[0] == r[-1] else [*r, r[0]]
    rounded: list[list[float]] = []
    for x, y in simplify(closed, TOLERANCE):
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    return rounded if len(rounded) >= 4 else None


def outline_features(topology: dict) -> list[dict]:
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        shapes = polygons(geometry, arcs)
        if not touches(shapes, KEEP_BOX):
            continue
        parts = []
        for poly in shapes:
            rings = [finish(clip(r, CLIP_BOX)) for r in poly]
            if rings[0] is not None:  # the outer ring survived; holes that did not are dropped
                parts.append([r for r in rings if r is not None])
        if parts:
            features.append({
                "type": "Feature",
                "id": geometry.get("id"),
                "properties": {"name": geometry.get("properties", {}).get("name")},
                "geometry": {"type": "MultiPolygon", "coordinates": parts},
            })
    return sorted(features, key=lambda f: f["properties"]["name"] or "")


def write_outlines(package: Path) -> str:
    topology = json.loads((package / "countries-50m.json").read_text())
    collection = {"type": "FeatureCollection", "features": outline_features(topology)}
    OUTLINES.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    return json.loads((package / "package.json").read_text())["version"]


def write_notes(leaflet_version: str, atlas_version: str) -> None:
    VENDORED.write_text(f"""# Vendored assets

Written by `scripts/vendor_assets.py` (run it again to update; never fetched at run time).

| asset | from | version | licence |
| --- | --- | --- | --- |
| `leaflet/` (leaflet.js, leaflet.css, images/) | npm package `leaflet` | {leaflet_version} | BSD-2-Clause, `leaflet/LICENSE` |
| `../../data/outlines.geojson` | npm package `world-atlas`, `countries-50m.json` (Natural Earth 1:50m) | {atlas_version} | world-atlas ISC; Natural Earth data in the public domain |

The outlines keep the countries that touch lon {KEEP_BOX[0]:g}–{KEEP_BOX[2]:g}, lat {KEEP_BOX[1]:g}–{KEEP_BOX[3]:g},
clipped to lon {CLIP_BOX[0]:g}–{CLIP_BOX[2]:g}, lat {CLIP_BOX[1]:g}–{CLIP_BOX[3]:g}, simplified (Douglas–Peucker, {TOLERANCE}°) and
rounded to {DECIMALS} decimals.
""")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        leaflet_version = copy_leaflet(npm_pack(LEAFLET, Path(tmp)))
        atlas_version = write_outlines(npm_pack(WORLD_ATLAS, Path(tmp)))
    write_notes(leaflet_version, atlas_version)
    size = OUTLINES.stat().st_size
    print(f"leaflet {leaflet_version} -> {LEAFLET_DIR.relative_to(ROOT)}")
    print(f"world-atlas {atlas_version} -> {OUTLINES.relative_to(ROOT)} ({size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
