"""A static map of control on a date: one self-contained HTML file (Leaflet and outlines inlined)."""

from __future__ import annotations

import base64
import html
import json
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any

from ..profiles import Profile
from .timeline import note_parts

UNKNOWN_COLOUR = "#888888"
MAX_LABELS = 40  # spots named on the map itself; with more, names show on hover only
# Shown when no place has coordinates: the profile's country is not known as a box, so the
# region the vendored outlines cover is used.
DEFAULT_VIEW = [[29.0, 30.0], [40.0, 46.0]]


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


def pending_notes(pending: Any, profile: Profile) -> list[str]:
    """The store's pending reports (denied, unconfirmed) for a place, as short sentences."""
    if not pending:
        return []
    items = pending if isinstance(pending, list) else [pending]
    notes = []
    for item in items:
        if isinstance(item, dict):
            side = profile.side(item.get("new_controller"))
            words = [side.label if side else item.get("new_controller"), item.get("kind"),
                     item.get("claim"), item.get("date")]
            notes.append(" ".join(str(w) for w in words if w) or "a report awaiting confirmation")
        elif isinstance(item, str):
            notes.append(item)
        else:
            notes.append("a report awaiting confirmation")
    return notes


def map_places(rows: list[dict], profile: Profile) -> list[dict]:
    """Control rows (`store.control_on(day)`) as the markers the page draws."""
    places = []
    for row in rows:
        lat, lon = row.get("latitude"), row.get("longitude")
        if lat is None or lon is None:
            continue
        side = profile.side(row.get("controller"))
        sources = [note_parts({"source": s}) for s in row.get("sources") or [] if isinstance(s, dict)]
        places.append({
            "name": row.get("place") or "?", "lat": float(lat), "lon": float(lon),
            "side": row.get("controller"),
            "label": side.label if side else (row.get("controller") or "unknown"),
            "colour": safe_colour(side.colour if side else None),
            "since": row.get("since"), "claim": row.get("claim"), "confidence": row.get("confidence"),
            "evidence": row.get("evidence"), "pending": pending_notes(row.get("pending"), profile),
            "sources": [{"text": text, "url": url} for text, url in sources],
        })
    return places


def spot_labels(places: list[dict]) -> list[dict]:
    """One label per spot ("Homs +9" where places share coordinates), or none when crowded."""
    spots: dict[tuple[float, float], list[str]] = {}
    for place in places:
        spots.setdefault((round(place["lat"], 4), round(place["lon"], 4)), []).append(place["name"])
    if len(spots) > MAX_LABELS:
        return []
    # Places that share a spot were mostly placed at a town they are near: the shortest name
    # is usually that town's.
    return [{"lat": lat, "lon": lon,
             "text": min(names, key=len) + (f" +{len(names) - 1}" if len(names) > 1 else "")}
            for (lat, lon), names in spots.items()]


def legend_html(places: list[dict], profile: Profile) -> str:
    counts = Counter(p["side"] for p in places)
    items = []
    for side_key, count in counts.most_common():
        side = profile.side(side_key)
        label = side.label if side else (side_key or "unknown")
        colour = safe_colour(side.colour if side else None)
        items.append(f'<li><span class="swatch" style="background:{colour}"></span>'
                     f"{html.escape(label)} ({count})</li>")
    if any(p["pending"] for p in places):
        items.append('<li><span class="swatch pending"></span>dashed: a denied or unconfirmed report</li>')
    if not items:
        items.append("<li>No place with a known controller on this date.</li>")
    return "<ul>" + "".join(items) + "</ul>"


def render_map(rows: list[dict], profile: Profile, *, day: str, title: str | None = None) -> str:
    """The page: control rows on `day` as circle markers coloured by controller, offline."""
    places = map_places(rows, profile)
    heading = title or f"{profile.title}: control on {day}"
    data = {"places": places, "labels": spot_labels(places), "view": DEFAULT_VIEW,
            "outlines": json.loads(_package_text("data", "outlines.geojson"))}
    subtitle = (f"{len(places)} places on {day}. Click a place for the evidence and sources."
                if places else f"No place with a known controller on {day}.")
    page = Template(_package_text("export", "templates", "map.html"))
    return page.substitute(
        title=html.escape(heading), subtitle=html.escape(subtitle), legend=legend_html(places, profile),
        data=script_json(data), leaflet_css=leaflet_css(),
        leaflet_js=_package_text("web", "vendor", "leaflet", "leaflet.js"),
    )
