"""Writers for stored rows (events, control changes, control state): table, JSON, CSV, ACLED
CSV and GeoJSON, shared by the commands, the map and the web app."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from .acled import (
    ACLED_COLUMNS,
    CHANGE_SEQUENCE_BASE,
    EXTENSION_COLUMNS,
    INTER_LABELS,
    acled_rows,
    event_columns,
)

if TYPE_CHECKING:
    from ..profiles import Profile

EVENT, CHANGE, STATE = "event", "change", "state"
FORMATS = {
    EVENT: ("table", "json", "csv", "acled-csv", "geojson"),
    CHANGE: ("table", "json", "csv", "acled-csv", "geojson"),
    STATE: ("table", "json", "csv", "geojson"),
}
# Columns the store adds to the contract's.
STORE_COLUMNS = ("id", "place_id", "corroboration", "doc_ids")

CSV_COLUMNS = {
    EVENT: ("id", "event_date", "time_precision", "event_type", "sub_event_type", "location",
            "place_id", "latitude", "longitude", "admin1", "actor1", "actor2", "side1", "side2",
            "fatalities", "claim", "confidence", "corroboration", "evidence", "doc_id", "doc_ids",
            "sources"),
    CHANGE: ("id", "date", "date_precision", "place", "place_id", "latitude", "longitude",
             "previous_controller", "new_controller", "kind", "claim", "confidence",
             "corroboration", "evidence", "doc_id", "doc_ids", "sources"),
    STATE: ("place", "place_id", "latitude", "longitude", "controller", "since", "basis", "claim",
            "confidence", "corroboration", "evidence", "doc_id", "sources", "pending"),
}
TABLE_COLUMNS = {
    EVENT: (("date", "event_date"), ("type", "event_type"), ("sub-type", "sub_event_type"),
            ("place", "location"), ("side1", "side1"), ("side2", "side2"), ("claim", "claim"),
            ("docs", "corroboration"), ("conf", "confidence")),
    CHANGE: (("date", "date"), ("place", "place"), ("from", "previous_controller"),
             ("to", "new_controller"), ("kind", "kind"), ("claim", "claim"),
             ("docs", "corroboration"), ("conf", "confidence")),
    STATE: (("place", "place"), ("controller", "controller"), ("since", "since"),
            ("claim", "claim"), ("conf", "confidence"), ("pending", "pending")),
}
CELL_WIDTH = 36
# ACLED's coding of a change of hands, by kind: taken in a fight, or handed over without one.
TERRITORY = {
    "capture": ("Political violence", "Battles"),
    "recapture": ("Political violence", "Battles"),
    "withdrawal": ("Strategic developments", "Strategic developments"),
    "handover": ("Strategic developments", "Strategic developments"),
}


# A cell a spreadsheet would run as a formula (OWASP's CSV injection advice): = + - @ first,
# or a tab or carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_rows(rows: Sequence[dict], fmt: str, stream: TextIO, *, kind: str = EVENT,
               profile: Profile | None = None) -> None:
    """Write rows of one kind (event, change or state) in one of FORMATS[kind]; the profile
    gives ACLED rows their country and changes their actors."""
    if fmt not in FORMATS[kind]:
        raise ValueError(f"format {fmt!r} is not available for {kind} rows")
    if fmt == "acled-csv":
        write_acled_csv(rows, stream, kind, profile=profile)
        return
    writers = {"table": write_table, "json": write_json, "csv": write_csv,
               "geojson": write_geojson}
    writers[fmt](rows, stream, kind)


def write_json(rows: Sequence[dict], stream: TextIO, kind: str = EVENT) -> None:
    json.dump(list(rows), stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


def write_csv(rows: Sequence[dict], stream: TextIO, kind: str = EVENT) -> None:
    _write_csv(rows, stream, CSV_COLUMNS[kind])


def write_acled_csv(rows: Sequence[dict], stream: TextIO, kind: str = EVENT, *,
                    profile: Profile | None = None, store_columns: bool = True,
                    header: bool = True, first: int = 1) -> None:
    """ACLED's 31 columns first, in ACLED's order and conventions (see `acled.acled_row`),
    then ours; changes coded as ACLED codes territorial changes.  Rows without a store id
    are numbered from `first` (several documents written one after the other)."""
    base = 0
    if kind == CHANGE:
        rows = [change_as_acled(row, profile) for row in rows]
        base = CHANGE_SEQUENCE_BASE
    columns = [*event_columns(), *(STORE_COLUMNS if store_columns else ())]
    _write_csv(list(acled_rows(rows, profile, sequence_base=base, first=first)), stream,
               columns, header=header)


def _write_csv(rows: Sequence[dict], stream: TextIO, columns: Sequence[str], *,
               header: bool = True) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore",
                            lineterminator="\n")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({column: cell(row.get(column)) for column in columns})


def cell(value: Any) -> Any:
    """A CSV cell: lists and objects as JSON, nothing as empty, and text a spreadsheet would
    run as a formula prefixed with ' (numbers, negative ones included, stay numbers)."""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def change_as_acled(change: dict, profile: Profile | None = None) -> dict[str, Any]:
    """A control change as an ACLED row (sub-event types of territorial change): the side
    that took the place is actor1, the side that lost it actor2, as the profile names them."""
    disorder, event_type = TERRITORY.get(change.get("kind") or "", TERRITORY["capture"])
    if event_type == "Battles":
        government = change.get("new_controller") == "government"
        sub = "Government regains territory" if government else "Non-state actor overtakes territory"
    else:
        sub = "Non-violent transfer of territory"
    day = change.get("date")
    new, old = change.get("new_controller"), change.get("previous_controller")
    row = {column: None for column in ACLED_COLUMNS}
    row.update({
        "event_date": day, "year": int(day[:4]) if day else None,
        "time_precision": {"day": 1, "week": 2}.get(change.get("date_precision") or "day", 3)
        if day else None,
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        "actor1": _side_actor(profile, new), "inter1": _side_inter(profile, new),
        "actor2": _side_actor(profile, old), "inter2": _side_inter(profile, old),
        "admin1": change.get("admin1"), "location": change.get("place"),
        "latitude": change.get("latitude"), "longitude": change.get("longitude"),
        "geo_precision": change.get("geo_precision"), "notes": change.get("evidence"),
        "side1": new, "side2": old,
    })
    for column in (*EXTENSION_COLUMNS, *STORE_COLUMNS):
        if column not in ("side1", "side2"):
            row[column] = change.get(column)
    return row


def _side_actor(profile: Profile | None, side: str | None) -> str | None:
    found = profile.side(side) if profile and side else None
    return found.label if found else side


def _side_inter(profile: Profile | None, side: str | None) -> str | None:
    """The actor type of a side: that of its first actor in the profile."""
    if not profile or not side:
        return None
    code = next((a.inter for a in profile.actors if a.side == side and a.inter), None)
    return INTER_LABELS.get(code) if code else None


def to_geojson(rows: Sequence[dict], kind: str = EVENT) -> dict[str, Any]:
    """A FeatureCollection: one Point per row at its latitude/longitude (geometry null for a row
    without coordinates, as RFC 7946 allows), every field as a property."""
    return {"type": "FeatureCollection", "features": [geojson_feature(row, kind) for row in rows]}


def geojson_feature(row: dict, kind: str = EVENT) -> dict[str, Any]:
    lat, lon = row.get("latitude"), row.get("longitude")
    geometry = ({"type": "Point", "coordinates": [lon, lat]}
                if lat is not None and lon is not None else None)
    ident = row.get("place_id") if kind == STATE else row.get("id")
    feature: dict[str, Any] = {"type": "Feature", "geometry": geometry, "properties": dict(row)}
    if ident is not None:
        feature["id"] = ident
    return feature


def write_geojson(rows: Sequence[dict], stream: TextIO, kind: str = EVENT) -> None:
    json.dump(to_geojson(rows, kind), stream, ensure_ascii=False, default=str)
    stream.write("\n")


def write_table(rows: Sequence[dict], stream: TextIO, kind: str = EVENT) -> None:
    """A readable, aligned table; long cells shortened."""
    columns = TABLE_COLUMNS[kind]
    cells = [[_table_cell(row.get(key)) for _, key in columns] for row in rows]
    widths = [max([len(title), *(len(r[i]) for r in cells)]) for i, (title, _) in enumerate(columns)]
    stream.write("  ".join(t.ljust(w) for (t, _), w in zip(columns, widths)).rstrip() + "\n")
    for line in cells:
        stream.write("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() + "\n")
    stream.write(f"({len(rows)} {kind}{'' if len(rows) == 1 else 's'})\n")


def _table_cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        text = str(len(value)) if value else "-"
    elif isinstance(value, float):
        text = f"{value:.2f}"
    else:
        text = str(value)
    return text if len(text) <= CELL_WIDTH else text[:CELL_WIDTH - 1] + "…"
