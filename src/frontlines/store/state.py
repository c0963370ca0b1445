"""Control state derived from changes: who holds each place on a date, and a place's history.

On day D a place is held by the new controller of its latest change dated on or before D
that is reported or claimed; denied and unconfirmed changes never flip the state, they are
listed beside it (`pending`).  Before its first such change a place is held by the previous
controller that change names (the state just before it), else by the imported initial state;
`since` is then null.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .engine import CHUNK
from .merge import CHANGE
from .queries import assemble, change_rows, event_rows
from .schema import changes, initial_state, places

FACT = "fact"


def control_on(conn: Connection, day: date) -> list[dict]:
    """One row per place with a change or an initial state: its controller on `day`."""
    return ControlIndex.read(conn).on(day)


class ControlIndex:
    """Control on any day, from everything it derives from read once: each place's dated
    changes, the initial state and the assembled change rows.

    A place's state only changes on the days of its own changes, so each place's rows are
    built once per stretch between two of its change days (`segments`); control on a day is
    then one binary search per place.  `encoded` gives a day's answer as one JSON array
    joined from rows encoded once each.  A server keeps one index per store revision."""

    def __init__(self, history: dict[str, list[dict]], initial: dict[str, dict],
                 known: dict[str, dict], assembled: dict[int, dict]) -> None:
        self.order = sorted(known, key=lambda p: (known[p]["name"] or "", p))
        # place id -> (its change days, ascending; the row before the first and after each)
        self.segments: dict[str, tuple[list[date], list[dict]]] = {
            pid: _segments(known[pid], history.get(pid, []), initial.get(pid), assembled)
            for pid in self.order}
        # every day on which some place's row changes, ascending
        self.days = sorted({day for days, _ in self.segments.values() for day in days})
        self._encoded: dict[tuple[str, int], bytes] = {}

    @classmethod
    def read(cls, conn: Connection) -> ControlIndex:
        history = _changes_by_place(conn)
        initial = {r.place_id: dict(r._mapping) for r in conn.execute(sa.select(initial_state))}
        wanted = sorted(set(history) | set(initial))
        known: dict[str, dict] = {}
        for start in range(0, len(wanted), CHUNK):
            query = sa.select(places).where(places.c.place_id.in_(wanted[start:start + CHUNK]))
            known.update((r.place_id, dict(r._mapping)) for r in conn.execute(query))
        ids = [c["id"] for rows in history.values() for c in rows]
        return cls(history, initial, known, _assembled(conn, ids))

    def on(self, day: date) -> list[dict]:
        """One row per place: its controller on `day` (each row a copy of its own)."""
        return [dict(self._row(pid, day)[1]) for pid in self.order]

    def stretch_start(self, day: date) -> date:
        """The first day of the stretch of days whose control is that of `day`: the last day
        on or before it on which some place's row changes (`date.min` before any).  `on` gives
        the same rows for every day of a stretch, so what derives from them is kept per
        stretch rather than per day."""
        found = bisect_right(self.days, day)
        return self.days[found - 1] if found else date.min

    def encoded(self, day: date, encode: Callable[[dict], bytes]) -> bytes:
        """`on(day)` as a JSON array, each row encoded by `encode` once per index (the same
        function for every call on one index)."""
        parts = []
        for pid in self.order:
            key, row = self._row(pid, day)
            part = self._encoded.get(key)
            if part is None:
                part = self._encoded[key] = encode(row)
            parts.append(part)
        return b"[" + b",".join(parts) + b"]"

    def encode_all(self, encode: Callable[[dict], bytes]) -> ControlIndex:
        """Every row encoded ahead (so that `encoded` only joins), for a server."""
        for pid, (_, rows) in self.segments.items():
            for stretch, row in enumerate(rows):
                self._encoded.setdefault((pid, stretch), encode(row))
        return self

    def _row(self, pid: str, day: date) -> tuple[tuple[str, int], dict]:
        days, rows = self.segments[pid]
        stretch = bisect_right(days, day)
        return (pid, stretch), rows[stretch]


def _segments(place: dict, history: list[dict], initial: dict | None,
              assembled: dict[int, dict]) -> tuple[list[date], list[dict]]:
    """A place's change days and its row on each stretch of days they delimit: the row
    before the first change day, then the row from each change day on."""
    days = sorted({c["date"] for c in history})
    rows = [_state_row(place, _state(history, initial, day), assembled)
            for day in [date.min, *days]]
    return days, rows


def _changes_by_place(conn: Connection) -> dict[str, list[dict]]:
    columns = [changes.c[c] for c in ("id", "place_id", "date", "claim_class", "new_controller",
                                      "previous_controller")]
    query = sa.select(*columns).where(changes.c.date.is_not(None)).order_by(
        changes.c.place_id, changes.c.date, changes.c.id)
    grouped: dict[str, list[dict]] = {}
    for row in conn.execute(query):
        grouped.setdefault(row.place_id, []).append(dict(row._mapping))
    return grouped


def _state(history: list[dict], initial: dict | None, day: date) -> dict[str, Any]:
    """The change that sets the state on `day` (or what held before any), and the pending ones."""
    facts = [c for c in history if c["claim_class"] == FACT]
    current = [c for c in facts if c["date"] <= day]
    pending = [c for c in history if c["claim_class"] != FACT and c["date"] <= day]
    if current:
        change = current[-1]
        return {"controller": change["new_controller"], "since": change["date"],
                "change": change["id"], "basis": "change", "pending": [c["id"] for c in pending]}
    before = next((c for c in facts if c["previous_controller"]), None) or next(
        (c for c in history if c["previous_controller"]), None)
    if before is not None:
        controller, basis = before["previous_controller"], "before_first_change"
    elif initial is not None:
        controller, basis = initial["controller"], "initial_state"
    else:
        controller, basis = None, None
    return {"controller": controller, "since": None, "change": None, "basis": basis,
            "initial": initial, "pending": [c["id"] for c in pending]}


def _assembled(conn: Connection, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    rows = []
    unique = sorted(set(ids))
    for start in range(0, len(unique), CHUNK):
        query = sa.select(changes).where(changes.c.id.in_(unique[start:start + CHUNK]))
        rows.extend(dict(r._mapping) for r in conn.execute(query))
    return {row["id"]: row for row in assemble(conn, CHANGE, rows)}


def _state_row(place: dict, pick: dict, changes_by_id: dict[int, dict]) -> dict[str, Any]:
    change = changes_by_id.get(pick["change"]) if pick["change"] else None
    initial = pick.get("initial")
    return {
        "place": place["name"], "place_id": place["place_id"],
        "controller": pick["controller"],
        "since": pick["since"].isoformat() if pick["since"] else None,
        "latitude": place["latitude"], "longitude": place["longitude"],
        "basis": pick["basis"],
        "claim": change["claim"] if change else None,
        "evidence": change["evidence"] if change else None,
        "evidence_span": change.get("evidence_span") if change else None,
        "doc_id": change["doc_id"] if change else None,
        "confidence": change["confidence"] if change else None,
        "corroboration": change["corroboration"] if change else None,
        "sources": change["sources"] if change else _initial_sources(initial),
        "change_id": change["id"] if change else None,
        "kind": change["kind"] if change else None,
        "previous_controller": change["previous_controller"] if change else None,
        "pending": [_pending(changes_by_id[i]) for i in reversed(pick["pending"])],
    }


def _initial_sources(initial: dict | None) -> list[dict]:
    if not initial or not initial.get("source_name"):
        return []
    return [{"title": initial["source_name"], "kind": "initial state",
             "date": initial["as_of"].isoformat() if initial.get("as_of") else None}]


def _pending(change: dict) -> dict[str, Any]:
    keys = ("id", "date", "date_precision", "new_controller", "previous_controller", "kind",
            "claim", "evidence", "evidence_span", "doc_id", "confidence", "corroboration",
            "sources")
    return {k: change.get(k) for k in keys}


def place_history(conn: Connection, place_id: str) -> dict | None:
    """A place with its changes (chronological, with evidence) and its events."""
    place = conn.execute(sa.select(places).where(places.c.place_id == place_id)).first()
    if place is None:
        return None
    initial = conn.execute(sa.select(initial_state)
                           .where(initial_state.c.place_id == place_id)).first()
    return {
        "place": place.name, "place_id": place.place_id,
        "latitude": place.latitude, "longitude": place.longitude,
        "geonames_id": place.geonames_id, "admin1": place.admin1, "country": place.country,
        "aliases": place.aliases or [],
        "initial_state": ({"controller": initial.controller, "source_name": initial.source_name,
                           "as_of": initial.as_of.isoformat() if initial.as_of else None}
                          if initial else None),
        "changes": change_rows(conn, place=place_id),
        "events": event_rows(conn, place=place_id),
    }
