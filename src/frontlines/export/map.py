"""The control map's data and its renderings: one builder for the static map, the served page
and the SVG/PNG images, so that they never disagree.

`map_data` turns the control rows of a day (`store.control_on(day)`) into what every
rendering draws: the areas and front lines (`frontlines.areas`), one marker per spot with the
places placed approximately at it grouped under it, labels in order of priority, the legend's
sides, the view fitted to the story and a caption. `render_map` writes it as one offline HTML
file drawn by the same JavaScript module as the served page (`web/static/frontlines-map.js`);
`render_image` draws it with matplotlib as SVG or PNG.
"""

from __future__ import annotations

import base64
import html
import json
import math
import re
import statistics
from datetime import date
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any

import shapely

from ..areas import Spot, control_areas, is_weak, spots
from ..basemap import base_layers, focus_country, land_under
from ..profiles import Profile
from .timeline import note_parts

UNKNOWN_COLOUR = "#888888"
# Shown when no place has coordinates and the profile's country is not known.
DEFAULT_VIEW = [[29.0, 30.0], [40.0, 46.0]]
VIEW_MARGIN = 0.15  # degrees around the story's places
OUTLIER_KM = 150.0  # beyond the focus country, places this far from the story's median are ignored


def _package_text(*parts: str) -> str:
    return resources.files("frontlines").joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined, so that the page asks for no file."""
    css = _package_text("web", "vendor", "leaflet", "leaflet.css")
    images = resources.files("frontlines").joinpath("web", "vendor", "leaflet", "images")

    def inline(match: re.Match) -> str:
        data = base64.b64encode(images.joinpath(match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"
    return re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>', no HTML-significant characters."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def safe_colour(colour: str | None) -> str:
    """A profile's colour if it is a plain hex colour (profiles are user files), else grey."""
    plain = isinstance(colour, str) and re.fullmatch(r"#[0-9a-fA-F]{3,8}", colour)
    return colour if plain else UNKNOWN_COLOUR


def side_style(key: str | None, profile: Profile) -> dict[str, str | None]:
    side = profile.side(key)
    return {"side": key, "label": side.label if side else (key or "unknown"),
            "colour": safe_colour(side.colour if side else None)}


# --- places --------------------------------------------------------------------------------------


def _pending(item: Any, profile: Profile) -> dict[str, Any]:
    if not isinstance(item, dict):
        return {"text": str(item), "claim": None}
    words = [side_style(item.get("new_controller"), profile)["label"], item.get("kind"),
             item.get("claim"), item.get("date")]
    return {"text": " ".join(str(w) for w in words if w), "claim": item.get("claim"),
            "side": item.get("new_controller"), "kind": item.get("kind"), "date": item.get("date")}


def map_place(row: dict, profile: Profile) -> dict[str, Any]:
    """A control row as the renderers show it (popup fields, colour, whether it is weak)."""
    sources = [note_parts({"source": s}) for s in row.get("sources") or [] if isinstance(s, dict)]
    pending = row.get("pending") or []
    return {
        "id": str(row.get("place_id") or row.get("place")), "name": row.get("place") or "?",
        "lat": float(row["latitude"]), "lon": float(row["longitude"]),
        **side_style(row.get("controller"), profile),
        "since": row.get("since"), "claim": row.get("claim"), "kind": row.get("kind"),
        "confidence": row.get("confidence"), "evidence": row.get("evidence"),
        "doc_id": row.get("doc_id"), "evidence_span": row.get("evidence_span"),
        "pending": [_pending(p, profile) for p in (pending if isinstance(pending, list) else [pending])],
        "sources": [{"text": text, "url": url} for text, url in sources],
        "weak": is_weak(row),
    }


def spot_marker(spot: Spot, profile: Profile) -> dict[str, Any]:
    """One marker: the anchor place, and the places placed approximately at its point."""
    marker = map_place(spot.anchor, profile)
    marker["group"] = [map_place(r, profile) for r in spot.others]
    return marker


def map_places(rows: list[dict], profile: Profile) -> list[dict]:
    """Control rows as markers, one per spot; rows without coordinates are left out."""
    return [spot_marker(s, profile) for s in spots(rows)]


def labels(markers: list[dict], changed: set[str] = frozenset()) -> list[dict]:
    """A label per marker, most important first: places that changed hands that day, then
    those with most places grouped under them, then by name. The renderers move or drop a
    label that would cover one placed before it."""
    ordered = sorted(markers, key=lambda m: (m["id"] not in changed, -len(m["group"]), m["name"]))
    return [{"id": m["id"], "lat": m["lat"], "lon": m["lon"], "text": m["name"]} for m in ordered]


# --- view and caption --------------------------------------------------------------------------


def fitted_view(markers: list[dict], profile: Profile) -> list[list[float]]:
    """South-west and north-east corners around the story's places: those inside the focus
    country, or near the others' median; a few misplaced points never widen the view."""
    points = [(m["lon"], m["lat"]) for m in markers]
    country = focus_country(profile)
    if country is not None and points:
        inside = [p for p, hit in zip(points, shapely.contains_xy(country, *zip(*points))) if hit]
        points = inside or points
    if len(points) > 2:
        lon0, lat0 = statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
        scale = math.cos(math.radians(lat0))
        near = [p for p in points if math.hypot((p[0] - lon0) * scale, p[1] - lat0) * 111.32 <= OUTLIER_KM]
        points = near or points
    if not points:
        if country is not None:
            west, south, east, north = country.bounds
            return [[south, west], [north, east]]
        return DEFAULT_VIEW
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return [[min(lats) - VIEW_MARGIN, min(lons) - VIEW_MARGIN],
            [max(lats) + VIEW_MARGIN, max(lons) + VIEW_MARGIN]]


def source_count(rows: list[dict]) -> int:
    """Distinct sources behind the rows: cited references, else the documents themselves."""
    cited, documents = set(), set()
    for row in rows:
        for source in row.get("sources") or []:
            if isinstance(source, dict):
                cited.add(source.get("url") or source.get("title") or json.dumps(source, sort_keys=True))
        if row.get("doc_id") and not row.get("sources"):
            documents.add(row["doc_id"])
    return len(cited) + len(documents)


def long_day(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {parsed:%B %Y}"


# --- the builder -------------------------------------------------------------------------------


def areas_geojson(rows: list[dict], profile: Profile) -> dict[str, Any]:
    """The areas each side holds and the front lines (`frontlines.areas.control_areas`),
    clipped to the land of the countries the places lie in, with the sides' labels and colours."""
    points = [(s.lon, s.lat) for s in spots(rows)]
    areas = control_areas(rows, land_under(points))
    for feature in areas["features"]:
        if feature["properties"]["kind"] == "area":
            feature["properties"].update(side_style(feature["properties"]["side"], profile))
    return areas


def map_data(rows: list[dict], profile: Profile, *, day: str, title: str | None = None,
             changed: set[str] = frozenset(), with_base: bool = True,
             areas: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything a rendering of control on `day` draws (see the module's docstring);
    `areas`: `areas_geojson(rows, profile)` when it was computed already."""
    markers = map_places(rows, profile)
    areas = areas if areas is not None else areas_geojson(rows, profile)
    seen = {m["side"] for m in markers} | {f["properties"]["side"] for f in areas["features"]
                                            if f["properties"]["kind"] == "area"}
    sides = [side_style(key, profile) for key in profile.sides if key in seen]
    sides += [side_style(key, profile) for key in sorted(k for k in seen if k and k not in profile.sides)]
    view = fitted_view(markers, profile)
    count = source_count(rows)
    data = {
        "day": day, "title": title or f"{profile.title}: control on {long_day(day)}",
        "caption": (f"Control on {long_day(day)}: {len(rows)} places from "
                    f"{count} source{'s' if count != 1 else ''}; areas drawn around the places, "
                    f"hatched where a report is unconfirmed, denied or of low confidence. "
                    f"Base map: Natural Earth. Made with frontlines."),
        "sides": sides, "places": markers, "labels": labels(markers, changed),
        "areas": [f for f in areas["features"] if f["properties"]["kind"] == "area"],
        "fronts": [f for f in areas["features"] if f["properties"]["kind"] == "front"],
        "view": view, "sources": count,
        "hatched": any(f["properties"].get("hatched") for f in areas["features"]),
    }
    if with_base:
        data["base"] = base_for(profile, view)
    return data


def base_for(profile: Profile, view: list[list[float]]) -> dict[str, Any]:
    (south, west), (north, east) = view
    return base_layers(profile, (west, south, east, north))


# --- the offline HTML page ---------------------------------------------------------------------


def render_map(rows: list[dict], profile: Profile, *, day: str, title: str | None = None) -> str:
    """One self-contained HTML file: Leaflet, the shared renderer and the data inlined."""
    data = map_data(rows, profile, day=day, title=title)
    page = Template(_package_text("export", "templates", "map.html"))
    return page.substitute(
        title=html.escape(data["title"]), data=script_json(data), leaflet_css=leaflet_css(),
        map_css=_package_text("web", "static", "frontlines-map.css"),
        leaflet_js=_package_text("web", "vendor", "leaflet", "leaflet.js"),
        renderer_js=_package_text("web", "static", "frontlines-map.js"),
    )
