"""ACLED's column layout: its 31 columns in ACLED's order, then our extension columns."""

from __future__ import annotations

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
EXTENSION_COLUMNS: tuple[str, ...] = (
    "side1", "side2", "claim", "evidence", "evidence_span", "sources", "geonames_id",
    "place_aliases", "confidence", "doc_id",
)


def event_columns() -> list[str]:
    return [*ACLED_COLUMNS, *EXTENSION_COLUMNS]
