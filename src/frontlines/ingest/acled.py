"""ACLED CSV exports as input: rows become contract event rows (and territory rows changes).

An ACLED export is recognised by its header.  Each row keeps ACLED's 31 columns and gets our
extension columns: sides from the conflict profile's actors, the place resolved in the
embedded gazetteer near ACLED's coordinates, the sources ACLED names, and `notes` as the
evidence.  Rows about territory ("Non-state actor overtakes territory", "Government regains
territory", "Non-violent transfer of territory") also give control changes.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from typing import Any

from ..errors import InputError
from ..export.acled import ACLED_COLUMNS
from ..profiles import Profile, load_profile
from . import tables
from .tables import csv_rows

# The columns every ACLED export (old and new layouts) has; the rest may be missing.
REQUIRED = frozenset({"event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
                      "location", "latitude", "longitude"})
INTER_CODES = {"state forces": 1, "rebel group": 2, "political militia": 3,
               "identity militia": 4, "rioters": 5, "protesters": 6, "civilians": 7,
               "external/other forces": 8}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y")
PRECISION = {1: "day", 2: "week", 3: "month"}
TERRITORY = {
    "Non-state actor overtakes territory": "capture",
    "Government regains territory": "recapture",
    "Non-violent transfer of territory": "handover",
}
# ACLED names state forces "Military Forces of Syria (2000-2024)", "Police Forces of ...".
_STATE_FORCES = re.compile(r"^(?:Military|Police)\s+Forces\s+of\s+(.+?)\s*(?:\(|$)", re.I)
# ACLED's own rows are curated: trusted, but below a fact stated with its sentence and source.
ACLED_CONFIDENCE = 0.9


def is_acled_header(columns: list[str]) -> bool:
    return REQUIRED <= {c.strip().lower() for c in columns}


def read_acled(text: str, *, profile: str = "syria", source: str | None = None) -> list[dict]:
    """Contract event rows from the text of an ACLED CSV export; a cell out of range is an
    InputError naming the row and the column."""
    header = next(csv.reader(io.StringIO(text)), [])
    if not is_acled_header(header):
        missing = ", ".join(sorted(REQUIRED - {c.strip().lower() for c in header}))
        raise InputError(f"not an ACLED export (missing columns: {missing})", source)
    sides = SideFinder(load_profile(profile))
    return [acled_row(checked_cells(number, raw, source), sides) for number, raw in csv_rows(text, source)]


def checked_cells(row: int, raw: dict[str, str], source: str | None) -> dict[str, Any]:
    """A row's ACLED cells, cleaned and range-checked: numbers as numbers, the date as a day."""
    cells: dict[str, Any] = {column: _clean(raw.get(column)) for column in ACLED_COLUMNS}
    for column, check in CHECKS.items():
        cells[column] = tables.checked(row, column, source, check, cells[column])
    day = tables.checked(row, "event_date", source, _event_day, cells["event_date"])
    cells["event_date"] = day.isoformat()
    cells["year"] = cells["year"] or day.year
    return cells


def _event_day(value: str | None) -> date:
    if not value:
        raise tables.CellError("no date")
    day = parse_acled_date(value)
    if day is None:
        raise tables.CellError(f"{value[:40]!r} is not a date")
    return tables.day_in_range(day, value)


def _inter(value: str | None) -> int | str | None:
    if value is not None and value.lower() in INTER_CODES:
        return INTER_CODES[value.lower()]  # newer exports spell the actor type out
    return _code_or_text(0, 8)(value)


def _code_or_text(low: int, high: int):
    """A numeric code within range, or a label as newer exports write it ("State forces-Civilians")."""
    bounded = _bounded(low, high)

    def check(value: str | None) -> int | str | None:
        if value is not None and not any(ch.isdigit() for ch in value) and value.lower() not in NON_FINITE:
            return value
        return bounded(value)
    return check


def _bounded(low: int, high: int):
    def check(value: str | None) -> int | None:
        found = tables.number(value, low, high, integer=True)
        return None if found is None else int(found)
    return check


NON_FINITE = frozenset({"nan", "inf", "-inf", "+inf", "infinity", "-infinity", "+infinity"})
# Each numeric column and its check (ACLED's codebook ranges).
CHECKS = {
    "year": tables.year, "time_precision": _bounded(1, 3), "inter1": _inter, "inter2": _inter,
    "interaction": _code_or_text(0, 99), "iso": _bounded(0, 999), "geo_precision": _bounded(1, 3),
    "fatalities": tables.fatalities, "timestamp": _bounded(0, 10**11),
    "latitude": tables.latitude, "longitude": tables.longitude,
}


class SideFinder:
    """ACLED actor names to the profile's sides."""

    def __init__(self, profile: Profile) -> None:
        from ..extract.actors import matcher_for

        self.profile = profile
        self.matcher = matcher_for(profile)
        self._cache: dict[str, str | None] = {}

    def side(self, actor: str | None) -> str | None:
        if not actor:
            return None
        if actor not in self._cache:
            self._cache[actor] = self._find(actor)
        return self._cache[actor]

    def _find(self, actor: str) -> str | None:
        state = _STATE_FORCES.match(actor)
        if state:
            return self._state_side(state.group(1))
        found = self.matcher.find(actor)
        return found[0].side if found else None

    def _state_side(self, country: str) -> str | None:
        key = country.strip().lower()
        if key in self.profile.sides:
            return key
        stem = key[:5]  # "Syria" -> Syrian Arab Army, "Russia" -> Russian Aerospace Forces
        for actor in self.profile.actors:
            if any(stem in name.lower() for name in (actor.name, *actor.aliases)):
                return actor.side
        return None


def acled_row(raw: dict[str, Any], sides: SideFinder) -> dict[str, Any]:
    from ..store.places import resolve_place

    """A contract event row from a row's checked cells (see `checked_cells`)."""
    row = dict(raw)
    place = resolve_place(row["location"] or "", row["latitude"], row["longitude"],
                          country_focus=sides.profile.iso or "SY")
    aliases = [a for a in (row["location"], place["gazetteer_name"]) if a]
    row.update({
        "side1": sides.side(row["actor1"]),
        "side2": sides.side(row["actor2"]),
        "claim": "reported",
        "evidence": row["notes"],
        "evidence_span": None,
        "sources": acled_sources(row),
        "geonames_id": place["geonames_id"],
        "place_id": place["place_id"],
        "place_aliases": list(dict.fromkeys(aliases)),
        "confidence": ACLED_CONFIDENCE,
        "doc_id": None,
        "corroboration": [],
    })
    return row


def acled_sources(row: dict) -> list[dict]:
    """ACLED's `source` column ("SOHR; Reuters") as one source per outlet."""
    names = [s.strip() for s in (row.get("source") or "").split(";") if s.strip()] or ["ACLED"]
    return [{"number": None, "title": None, "publisher": name, "date": row.get("event_date"),
             "url": None, "dataset": "ACLED", "event_id_cnty": row.get("event_id_cnty")}
            for name in names]


def changes_from_events(rows: list[dict]) -> list[dict]:
    """Control changes stated by ACLED's territory rows (actor1 takes the place)."""
    out = []
    for row in rows:
        kind = TERRITORY.get(row.get("sub_event_type") or "")
        if kind is None or not row.get("side1") or not row.get("place_id"):
            continue
        out.append({
            "place": row["location"], "place_aliases": row["place_aliases"],
            "geonames_id": row["geonames_id"], "place_id": row["place_id"],
            "latitude": row["latitude"], "longitude": row["longitude"],
            "geo_precision": row["geo_precision"], "admin1": row["admin1"],
            "date": row["event_date"],
            "date_precision": PRECISION.get(row["time_precision"] or 1, "month"),
            "new_controller": row["side1"],
            "previous_controller": row["side2"] if row["side2"] != row["side1"] else None,
            "kind": kind, "claim": "reported", "evidence": row["notes"], "evidence_span": None,
            "sources": row["sources"], "confidence": ACLED_CONFIDENCE, "doc_id": None,
            "event_id_cnty": row["event_id_cnty"], "corroboration": [],
        })
    return out


def parse_acled_date(value: str | None) -> date | None:
    """ACLED's dates: ISO in API exports, "06 December 2024" in older ones."""
    if not value:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None

