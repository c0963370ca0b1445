"""Geocoding audit: how far the places the system names lie from annotated (gold) coordinates,
and which located rows fall outside the profile's country and its neighbours."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..evaluation import km, load_json, normalise
from ..model import Analysis

NEAR_KM, FAR_KM = 10.0, 100.0


@dataclass(slots=True)
class Placement:
    """Where the system put one gold place of one document (its worst placement)."""

    doc: str
    place: str
    gold: tuple[float, float]
    system: tuple[float, float]
    system_name: str

    @property
    def km(self) -> float:
        return km(self.gold, self.system)


@dataclass(slots=True)
class GeocodingScore:
    placements: list[Placement] = field(default_factory=list)
    gold_places: int = 0  # gold places with coordinates

    @property
    def within(self) -> float:
        near = sum(p.km <= NEAR_KM for p in self.placements)
        return near / len(self.placements) if self.placements else 0.0

    @property
    def far(self) -> list[Placement]:
        return [p for p in self.placements if p.km > FAR_KM]

    def summary(self) -> str:
        return (f"gold places {self.gold_places}, named {len(self.placements)}, "
                f"within {NEAR_KM:.0f} km {self.within:.3f}, beyond {FAR_KM:.0f} km {len(self.far)}")


def gold_places(gold: dict) -> dict[str, tuple[tuple[float, float], set[str]]]:
    """Gold places with coordinates: normalised name -> (coordinates, every normalised name)."""
    places = {}
    for item in [*gold.get("control_changes", []), *gold.get("events", [])]:
        if item.get("lat") is None or item.get("lon") is None or not item.get("place"):
            continue
        names = {normalise(n) for n in [item["place"], *item.get("aliases", [])]} - {""}
        places.setdefault(normalise(item["place"]), ((item["lat"], item["lon"]), names))
    return places


def system_points(analysis: Analysis) -> list[tuple[str, set[str], tuple[float, float]]]:
    """Every located name the system produced: place mentions, events and control changes."""
    points = []
    for mention in analysis.mentions:
        place = getattr(mention, "place", None)
        if place is not None and place.latitude is not None:
            names = {normalise(mention.text), normalise(place.name)}
            points.append((mention.text, names, (place.latitude, place.longitude)))
    contract = analysis.to_contract()
    rows = [(e.get("location"), e) for e in contract["events"]]
    rows += [(c.get("place"), c) for c in contract["control_changes"]]
    for name, row in rows:
        if name and row.get("latitude") is not None:
            names = {normalise(name)} | {normalise(a) for a in row.get("place_aliases") or []}
            points.append((name, names, (row["latitude"], row["longitude"])))
    return points


def score_document(name: str, gold: dict, analysis: Analysis) -> GeocodingScore:
    score = GeocodingScore()
    points = system_points(analysis)
    for key, (coords, names) in gold_places(gold).items():
        score.gold_places += 1
        found = [(km(coords, point), text, point) for text, keys, point in points if keys & names]
        if found:
            distance, text, point = max(found)
            score.placements.append(Placement(name, key, coords, point, text))
    return score


def run_gold_folder(folder: Path, profiles: Iterable[str]) -> Iterable[tuple[str, dict, Analysis]]:
    """(name, gold, analysis) for each annotated document whose conflict has a profile."""
    from ..ingest import read_document
    from ..pipeline import run

    known = set(profiles)
    for gold_path in sorted(Path(folder).glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = load_json(gold_path)
        profile = gold.get("conflict") or "syria"
        if profile not in known:
            continue
        published = gold.get("published")
        doc = read_document(gold_path.with_name(f"{name}.txt"),
                            published=date.fromisoformat(published) if published else None)
        yield name, gold, run(doc, profile=profile)


def foreign_rows(analysis: Analysis, allowed: set[str], named: set[str]) -> list[dict[str, Any]]:
    """Located output rows (events, control changes) outside the allowed countries whose
    country the text never names.  A change takes its country from its place's mention."""
    # ACLED's `iso` column is numeric: a row takes its country from its place's mention.
    iso_of = {(m.place.name, m.place.latitude, m.place.longitude): m.place.iso
              for m in analysis.mentions if getattr(m, "place", None) is not None}
    contract = analysis.to_contract()
    rows = [(e.get("location"), e) for e in contract["events"]]
    rows += [(c.get("place"), c) for c in contract["control_changes"]]
    rows = [(name, iso_of.get((name, row.get("latitude"), row.get("longitude"))), row)
            for name, row in rows]
    out = []
    for name, iso, row in rows:
        if row.get("latitude") is None or not iso or iso in allowed or iso in named:
            continue
        out.append({"place": name, "iso": iso, "lat": row["latitude"], "lon": row["longitude"],
                    "evidence": (row.get("evidence") or "")[:80]})
    return out
