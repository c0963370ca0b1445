"""The offline base map: country outlines, a country's first-level divisions and reference towns.

The outlines and divisions are Natural Earth data vendored by `scripts/vendor_assets.py` into
`data/basemap/`; the towns come from the embedded gazetteer. Nothing is fetched at run time.
"""

from __future__ import annotations

import json
import sqlite3
from functools import lru_cache
from importlib import resources
from typing import Any

import shapely
from shapely.geometry import box, mapping

from .profiles import Profile

Bounds = tuple[float, float, float, float]  # west, south, east, north (degrees)
TOWNS = 40  # reference towns named on a map
DECIMALS = 3


def _basemap_text(*parts: str) -> str | None:
    entry = resources.files("frontlines").joinpath("data", "basemap", *parts)
    return entry.read_text(encoding="utf-8") if entry.is_file() else None


@lru_cache(maxsize=1)
def countries() -> list[tuple[dict, shapely.Geometry]]:
    """Every country: its properties (name, ISO numeric id) and its outline."""
    return _parsed(_basemap_text("countries.geojson"))


def _parsed(text: str | None) -> list[tuple[dict, shapely.Geometry]]:
    """Features with their geometry parsed by GEOS (much faster than building shapes in Python)."""
    if not text:
        return []
    properties = [f["properties"] for f in json.loads(text)["features"]]
    return list(zip(properties, shapely.from_geojson(text).geoms))


@lru_cache(maxsize=8)
def divisions(iso: str) -> list[tuple[dict, shapely.Geometry]]:
    """A country's first-level divisions (ISO 3166-1 alpha-2 code), or none when not known."""
    name = (iso or "").upper()
    text = _basemap_text("admin1", f"{name}.geojson") if name.isalpha() and len(name) == 2 else None
    return _parsed(text)


def _numeric_id(profile: Profile) -> str | None:
    return f"{profile.iso_numeric:03d}" if isinstance(profile.iso_numeric, int) else None


def focus_country(profile: Profile) -> shapely.Geometry | None:
    """The outline of the profile's focus country (by ISO numeric code), if vendored."""
    wanted = _numeric_id(profile)
    for props, outline in countries():
        if wanted and props.get("id") == wanted:
            return outline
    return None


def land_under(points: list[tuple[float, float]], margin: float = 1.0) -> shapely.Geometry | None:
    """The land of the countries in which the (lon, lat) points lie, within `margin` degrees
    of the points, or None when no point lies in a country (kept for the last few point sets:
    the map of every day of a store asks for the same)."""
    return _land_under(tuple(points), margin)


@lru_cache(maxsize=8)
def _land_under(points: tuple[tuple[float, float], ...], margin: float) -> shapely.Geometry | None:
    if not points:
        return None
    located = shapely.points(points)
    west, south, east, north = shapely.MultiPoint(points).bounds
    frame = (west - margin, south - margin, east + margin, north + margin)
    held = [shapely.clip_by_rect(outline, *frame) for _, outline in countries()
            if shapely.intersects(outline, box(*frame)) and shapely.contains(outline, located).any()]
    return shapely.unary_union(held) if held else None


def _clipped(features: list[tuple[dict, shapely.Geometry]], frame: shapely.Geometry,
             keys: tuple[str, ...]) -> dict[str, Any]:
    clipped = []
    for props, outline in features:
        if not outline.intersects(frame):
            continue
        part = shapely.set_precision(outline.intersection(frame), 10 ** -DECIMALS)
        if not part.is_empty:
            clipped.append({"type": "Feature", "properties": {k: props.get(k) for k in keys},
                            "geometry": mapping(part)})
    return {"type": "FeatureCollection", "features": clipped}


def reference_towns(profile: Profile, bounds: Bounds, limit: int = TOWNS) -> list[dict]:
    """The most populous towns of the gazetteer inside `bounds`: names for orientation."""
    from .geo.build import base_index_path

    west, south, east, north = bounds
    try:
        with sqlite3.connect(f"file:{base_index_path(profile.iso)}?mode=ro", uri=True) as conn:
            rows = conn.execute(
                "SELECT name, lat, lon, population FROM places WHERE lat BETWEEN ? AND ? AND lon"
                " BETWEEN ? AND ? AND population > 0 AND feature_code LIKE 'PPL%'"
                " ORDER BY population DESC LIMIT ?", (south, north, west, east, limit)).fetchall()
    except sqlite3.Error:
        return []
    return [{"name": name, "lat": lat, "lon": lon, "population": population}
            for name, lat, lon, population in rows]


def base_layers(profile: Profile, bounds: Bounds, margin: float = 4.0) -> dict[str, Any]:
    """What is drawn beneath control, around `bounds` (widened by `margin` degrees): the
    countries, the focus country's divisions, and reference towns within `bounds`."""
    west, south, east, north = bounds
    frame = box(west - margin, max(-90.0, south - margin), east + margin, min(90.0, north + margin))
    outlines = _clipped(countries(), frame, ("name", "id"))
    focus = _numeric_id(profile)
    for feature in outlines["features"]:
        feature["properties"]["focus"] = feature["properties"]["id"] == focus
    return {
        "countries": outlines,
        "divisions": _clipped(divisions(profile.iso), frame, ("name",)),
        "towns": reference_towns(profile, bounds),
    }
