"""Known places: upserted from event and change rows, found again by any of their spellings."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InputError
from .schema import place_names, places

PLACE_ID = re.compile(r"^(?:gn|name|user):", re.I)
# An ACLED or imported place counts as a gazetteer place this close to its coordinates.
NEAR_KM = 25.0


# Longest place id and name key stored as they are (the columns' sizes); a longer one is
# stored as its start and a hash, so no index limit is reached (PostgreSQL's btree: ~2.7 kB).
MAX_PLACE_ID, MAX_NAME_KEY = 128, 256


def bounded_key(key: str, limit: int) -> str:
    """`key` itself when short enough, else its start and a hash of the whole (same key in,
    same key out)."""
    if len(key) <= limit and len(key.encode("utf-8")) <= limit * 4:
        return key
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return f"{key[:limit - 40]}#{digest}"


def name_key(name: str) -> str:
    """The spelling-insensitive key a place name is found by (Ar Rastan = Al-Rastan = Rastan)."""
    from ..geo import name_keys

    keys = name_keys(name)
    return bounded_key(keys.shape or keys.norm or name.strip().lower(), MAX_NAME_KEY)


def checked_place(row: dict) -> None:
    """Make a row storable: its place id bounded, its coordinates finite and on the globe (an
    InputError naming the place otherwise; NaN is not JSON and breaks every map)."""
    if row.get("place_id"):
        row["place_id"] = bounded_key(str(row["place_id"]), MAX_PLACE_ID)
    for column, limit in (("latitude", 90), ("longitude", 180)):
        value = row.get(column)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or abs(value) > limit:
            name = row.get("place") or row.get("location") or row.get("place_id")
            raise InputError(f"{column} {value!r} of {str(name)[:80]!r} is not a number within "
                             f"-{limit} to {limit}")


def insert_ignore(conn: Connection, table: sa.Table, rows: list[dict]) -> None:
    """Insert rows, skipping those whose key is stored already (portable across backends)."""
    if not rows:
        return
    dialect = conn.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:  # pragma: no cover - other backends are not supported yet
        raise NotImplementedError(dialect)
    conn.execute(insert(table).on_conflict_do_nothing(), rows)


def place_of(row: dict) -> dict[str, Any] | None:
    """The place an event row (location) or a change row (place) is at."""
    place_id = row.get("place_id")
    if not place_id:
        return None
    return {
        "place_id": place_id,
        "name": row.get("place") or row.get("location") or place_id,
        "latitude": row.get("latitude"),
        "longitude": row.get("longitude"),
        "geonames_id": row.get("geonames_id"),
        "admin1": row.get("admin1"),
        "country": row.get("country"),
        "aliases": [a for a in row.get("place_aliases") or [] if a],
    }


def upsert_places(conn: Connection, rows: Iterable[dict]) -> None:
    """Record every place the rows are at: new ones inserted, known ones completed
    (coordinates they lacked, spellings not seen before)."""
    found: dict[str, dict] = {}
    for row in rows:
        place = place_of(row)
        if place is not None:
            found[place["place_id"]] = _combine(found.get(place["place_id"]), place)
    if not found:
        return
    stored = {r.place_id: dict(r._mapping) for r in conn.execute(
        sa.select(places).where(places.c.place_id.in_(list(found))))}
    insert_ignore(conn, places, [p for pid, p in found.items() if pid not in stored])
    completed = []
    for place_id, place in found.items():
        old = stored.get(place_id)
        if old is not None:
            merged = _combine(old, place)
            if merged != old:
                completed.append({"key": place_id, **{f"new_{k}": merged.get(k) for k in _COMPLETED}})
    if completed:
        conn.execute(_COMPLETE_PLACE, completed)
    _add_names(conn, found.values())


# What a later report may add to a known place (coordinates it lacked, spellings).
_COMPLETED = ("latitude", "longitude", "geonames_id", "admin1", "country", "aliases")
_COMPLETE_PLACE = sa.update(places).where(places.c.place_id == sa.bindparam("key")).values(
    {name: sa.bindparam(f"new_{name}") for name in _COMPLETED})


def _combine(old: dict | None, new: dict) -> dict:
    if old is None:
        return dict(new)
    merged = dict(old)
    for key in ("latitude", "longitude", "geonames_id", "admin1", "country"):
        if merged.get(key) is None and new.get(key) is not None:
            merged[key] = new[key]
    aliases = list(merged.get("aliases") or [])
    for alias in [new["name"], *new.get("aliases", [])]:
        if alias and alias != merged["name"] and alias not in aliases:
            aliases.append(alias)
    merged["aliases"] = aliases
    return merged


def _add_names(conn: Connection, found: Iterable[dict]) -> None:
    pairs = {(name_key(name), p["place_id"]) for p in found
             for name in [p["name"], *p.get("aliases", [])] if name}
    pairs |= {(bounded_key(p["place_id"].lower(), MAX_NAME_KEY), p["place_id"]) for p in found}
    insert_ignore(conn, place_names, [{"name": n, "place_id": pid} for n, pid in sorted(pairs)])


def place_ids_for(conn: Connection, text: str) -> list[str]:
    """The places a user's `--place` means: a place id as such, else every place with that name."""
    text = text.strip()
    if PLACE_ID.match(text):
        return [bounded_key(text, MAX_PLACE_ID)]
    keys = {bounded_key(text.lower(), MAX_NAME_KEY), name_key(text)}
    query = sa.select(place_names.c.place_id).where(place_names.c.name.in_(keys)).distinct()
    return sorted(r[0] for r in conn.execute(query))


def resolve_place(name: str, latitude: float | None = None, longitude: float | None = None,
                  *, country_focus: str = "SY") -> dict[str, Any]:
    """A place named in ACLED or an initial-state file: the gazetteer's place of that name
    nearest the given coordinates (or its best candidate without them), else a name key."""
    from ..extract.events import place_key
    from ..geo import Geocoder
    from ..model import PlaceMention

    candidates = [c.place for c in Geocoder.default(country_focus).lookup(name)]
    chosen = _nearest(candidates, latitude, longitude)
    if chosen is not None:
        return {"place_id": chosen.place_id, "geonames_id": chosen.geonames_id,
                "latitude": latitude if latitude is not None else chosen.latitude,
                "longitude": longitude if longitude is not None else chosen.longitude,
                "admin1": chosen.admin1, "gazetteer_name": chosen.name}
    mention = PlaceMention(start=0, end=len(name), text=name, sentence=0, place=None)
    return {"place_id": place_key(mention), "geonames_id": None, "latitude": latitude,
            "longitude": longitude, "admin1": None, "gazetteer_name": None}


def _nearest(candidates: list, latitude: float | None, longitude: float | None):
    from ..geo import distance_km
    from ..model import Place

    located = [c for c in candidates if c.place_id and c.latitude is not None]
    if latitude is None or longitude is None:
        return located[0] if located else None
    here = Place(name="", latitude=latitude, longitude=longitude)
    near = [(distance_km(here, c), i, c) for i, c in enumerate(located)]
    near = [n for n in near if n[0] <= NEAR_KM]
    return min(near)[2] if near else None


def reresolve(place: dict[str, Any], *, country_focus: str = "SY") -> dict[str, Any] | None:
    """A place stored by name only, looked up again (after `places add` or `gazetteer
    import`): the fields its rows take when the gazetteer now knows it, near where it was
    placed approximately; None when it still does not."""
    from ..geo import Geocoder
    from ..model import Place

    near = (Place(name="", latitude=place["latitude"], longitude=place["longitude"])
            if place.get("latitude") is not None and place.get("longitude") is not None else None)
    geocoder = Geocoder.default(country_focus)
    for name in [place["name"], *(place.get("aliases") or [])]:
        found = geocoder.resolve(name, near=near)
        if found is not None and found.geo_precision == 1 and found.place.place_id:
            chosen = found.place
            return {"place_id": chosen.place_id, "place": place["name"], "location": place["name"],
                    "geonames_id": chosen.geonames_id, "latitude": chosen.latitude,
                    "longitude": chosen.longitude, "admin1": chosen.admin1, "geo_precision": 1,
                    "approximate_to": None,
                    "place_aliases": list(dict.fromkeys([place["name"], chosen.name]))}
    return None
