"""Areas of control and front lines on a date, from the control state of the known places.

Each spot on the map (the places at one point, an approximately placed village sharing its
town's point) gets the Voronoi cell around it, clipped to the land its country covers and to
a reach around the spot, so that empty desert between distant towns is not claimed. The cells
of one side are merged into areas; a side's areas that rest only on denied, unconfirmed or
low-confidence reports are kept apart and drawn hatched. The lines where two sides' areas meet
are the front. Geometry is shapely's; distances are worked out in kilometres on a local
equirectangular projection, exact enough over the few hundred km of a control map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import MultiPoint, mapping

REACH_KM = 15.0  # a place claims land up to this far, at most
LOW_CONFIDENCE = 0.5  # a holding resting on a change below this is drawn hatched
KM_PER_DEGREE = 111.32
DEGREE_GRID = 1e-5
TOUCH_KM = 0.05  # two sides' areas closer than this share a front line
LAYOUTS = 8  # the layouts of this many point sets are kept (see `layout`)


@dataclass(frozen=True)
class Spot:
    """The places at one point: the anchor (the place really located there) and the others,
    placed at it approximately; the anchor's controller is the spot's."""

    lon: float
    lat: float
    anchor: dict
    others: tuple[dict, ...]

    @property
    def side(self) -> str | None:
        return self.anchor.get("controller")

    @property
    def rows(self) -> tuple[dict, ...]:
        return (self.anchor, *self.others)


def _anchor_rank(row: dict) -> tuple:
    """Gazetteer places before names placed near them ('name:' ids), then the shorter name."""
    place_id = str(row.get("place_id") or "")
    name = str(row.get("place") or "")
    return (place_id.startswith("name:"), len(name), name, place_id)


def spots(rows: list[dict]) -> list[Spot]:
    """Control rows grouped by their point (rows without coordinates are left out)."""
    grouped: dict[tuple[float, float], list[dict]] = {}
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        grouped.setdefault((round(float(lon), 4), round(float(lat), 4)), []).append(row)
    result = []
    for (lon, lat), members in grouped.items():
        members.sort(key=_anchor_rank)
        result.append(Spot(lon, lat, members[0], tuple(members[1:])))
    return result


def is_weak(row: dict) -> bool:
    """Whether a place's holder rests only on denied, unconfirmed or low-confidence reports:
    a low-confidence change, a later denied or unconfirmed report naming another holder, or
    a holder known only from before a change that was itself never confirmed."""
    pending = row.get("pending") or []
    if row.get("basis") == "change":
        confidence = row.get("confidence")
        if confidence is not None and confidence < LOW_CONFIDENCE:
            return True
        since = row.get("since") or ""
        return any(isinstance(p, dict) and str(p.get("date") or "") > since
                   and p.get("new_controller") != row.get("controller") for p in pending)
    return row.get("basis") == "before_first_change" and bool(pending)


class _Plane:
    """Degrees to kilometres and back around a latitude."""

    def __init__(self, latitude: float) -> None:
        self.scale = (KM_PER_DEGREE * math.cos(math.radians(latitude)), KM_PER_DEGREE)

    def to_km(self, geometry: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geometry, lambda xy: xy * self.scale)

    def to_degrees(self, geometry: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geometry, lambda xy: xy / self.scale)


def _cells(points: list[shapely.Point], reach: float) -> list[shapely.Geometry]:
    """The Voronoi cell of each point (in the points' order)."""
    frame = MultiPoint(points).envelope.buffer(4 * reach)
    if len(points) == 1:
        return [frame]
    cells = list(shapely.voronoi_polygons(MultiPoint(points), extend_to=frame).geoms)
    tree = shapely.STRtree(cells)
    ordered = []
    for point in points:
        found = [cells[i] for i in tree.query(point, predicate="within")]
        ordered.append(found[0] if found else point.buffer(reach))
    return ordered


@dataclass(frozen=True)
class Layout:
    """What the areas take from where the held spots are, whoever holds them: the plane,
    each spot's point, Voronoi cell and reach (km), and the ground near them that may be
    claimed (None: any). Control changes hands far more often than a place is first placed,
    so the areas of most days reuse the layout of the day before (`layout`)."""

    plane: _Plane
    points: tuple[shapely.Geometry, ...]
    cells: tuple[shapely.Geometry, ...]
    reach: tuple[shapely.Geometry, ...]
    ground_near: shapely.Geometry | None


def layout(coordinates: tuple[tuple[float, float], ...], land: shapely.Geometry | None,
           reach_km: float = REACH_KM) -> Layout:
    """The layout of the spots at these (lon, lat) points (in this order), kept for the last
    few point sets and lands (an identical geometry is the same land)."""
    return _layout(coordinates, None if land is None else shapely.to_wkb(land), reach_km)


@lru_cache(maxsize=LAYOUTS)
def _layout(coordinates: tuple[tuple[float, float], ...], land_wkb: bytes | None,
            reach_km: float) -> Layout:
    plane = _Plane(sum(lat for _, lat in coordinates) / len(coordinates))
    points = [plane.to_km(shapely.Point(lon, lat)) for lon, lat in coordinates]
    cells = _cells(points, reach_km)
    reach = shapely.buffer(points, reach_km, quad_segs=8)
    ground_near = None
    if land_wkb is not None:  # only the land within reach of a place matters
        west, south, east, north = plane.to_degrees(shapely.MultiPolygon(list(reach))).bounds
        land = shapely.from_wkb(land_wkb)
        ground = plane.to_km(shapely.clip_by_rect(land, west, south, east, north))
        # a place on the coast line still keeps its own spot
        ground_near = shapely.union(ground, shapely.union_all(shapely.buffer(points, 1.0)))
    return Layout(plane, tuple(points), tuple(cells), tuple(reach), ground_near)


def control_areas(rows: list[dict], land: shapely.Geometry | None = None,
                  reach_km: float = REACH_KM) -> dict[str, Any]:
    """GeoJSON of the areas each side holds (`kind` "area", with `side`, `hatched` and the
    `places` whose spots shape it) and of the front lines between sides (`kind` "front",
    with the two `sides`). `land` (degrees) is what may be claimed; None claims any ground."""
    held = [s for s in spots(rows) if s.side]
    if not held:
        return {"type": "FeatureCollection", "features": []}
    shared = layout(tuple((s.lon, s.lat) for s in held), land, reach_km)
    groups: dict[tuple[str, bool], list[int]] = {}
    members: dict[tuple[str, bool], list[str]] = {}
    for index, spot in enumerate(held):
        key = (spot.side, is_weak(spot.anchor))
        groups.setdefault(key, []).append(index)
        members.setdefault(key, []).extend(str(r.get("place_id")) for r in spot.rows
                                           if r.get("controller") == spot.side)
    # Voronoi cells share their edges exactly, so a side's cells merge as a coverage (fast,
    # no slivers); the side's area is then what of them lies within reach and on land.
    areas = {}
    for key, indices in groups.items():
        merged = shapely.coverage_union_all([shared.cells[i] for i in indices])
        area = shapely.intersection(merged, shapely.union_all([shared.reach[i] for i in indices]))
        if shared.ground_near is not None:
            area = shapely.intersection(area, shared.ground_near)
        areas[key] = shapely.make_valid(area)
    plane = shared.plane
    features = [_area_feature(side, hatched, _rounded(plane.to_degrees(shape_)), members[(side, hatched)])
                for (side, hatched), shape_ in sorted(areas.items()) if not shape_.is_empty]
    features += _fronts(areas, plane)
    return {"type": "FeatureCollection", "features": features}


def _rounded(geometry: shapely.Geometry) -> shapely.Geometry:
    """Coordinates on a 1e-5 degree grid (about a metre), kept valid."""
    return shapely.set_precision(geometry, DEGREE_GRID)


def _polygons(geometry: shapely.Geometry) -> shapely.Geometry:
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.unary_union(parts) if parts else shapely.Polygon()


def _area_feature(side: str, hatched: bool, shape_: shapely.Geometry, places: list[str]) -> dict:
    return {"type": "Feature", "geometry": mapping(_polygons(shape_)),
            "properties": {"kind": "area", "side": side, "hatched": hatched,
                           "places": sorted(set(places))}}


def _fronts(areas: dict[tuple[str, bool], shapely.Geometry], plane: _Plane) -> list[dict]:
    """The lines where two sides' areas (solid or hatched) meet."""
    by_side: dict[str, list[shapely.Geometry]] = {}
    for (side, _), shape_ in areas.items():
        by_side.setdefault(side, []).append(shape_)
    sides = sorted(by_side)
    whole = {side: shapely.unary_union(parts) for side, parts in by_side.items()}
    features = []
    for i, first in enumerate(sides):
        for second in sides[i + 1:]:
            near = whole[second].buffer(TOUCH_KM)
            line = whole[first].boundary.intersection(near)
            segments = [g for g in shapely.get_parts(line) if g.geom_type in ("LineString", "MultiLineString")]
            if not segments:
                continue
            merged = shapely.line_merge(shapely.unary_union(segments))
            if merged.length < TOUCH_KM * 4:
                continue
            features.append({"type": "Feature", "geometry": mapping(_rounded(plane.to_degrees(merged))),
                             "properties": {"kind": "front", "sides": [first, second],
                                            "length_km": round(merged.length, 1)}})
    return features
