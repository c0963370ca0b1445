"""Control changes: the items that state a change of hands, merged into one change per place,
new controller and kind of claim, with the earliest credible date and all the evidence.

Denied and unconfirmed reports are merged only with their like, so they are kept and labelled
but never promoted to fact; a day-precision date wins over a coarser one that contains it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from .extract.claims import CLAIMED, DENIED, REPORTED, UNCONFIRMED
from .extract.events import Item, _aliases, _sources, location_name, place_key
from .model import ZONE_LEAD, Analysis

KIND_RANK = {"recapture": 4, "capture": 3, "handover": 2, "withdrawal": 1}
CLAIM_CLASS = {REPORTED: "fact", CLAIMED: "fact", DENIED: DENIED, UNCONFIRMED: UNCONFIRMED}


# Two dates of one place and new controller further apart than this are two changes of hands
# (taken in 2012, lost, and taken again in 2015), not one change told twice.
SEPARATE_CHANGES = timedelta(days=60)


def change_groups(items: Iterable[Item]) -> list[list[Item]]:
    """Items grouped by (place, new controller, claim class), in document order; a group whose
    dates lie more than SEPARATE_CHANGES apart is split where they do."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        if item.change is None or item.new_controller is None or item.place is None:
            continue
        key = (place_key(item.place), item.new_controller, CLAIM_CLASS[item.claim])
        groups.setdefault(key, []).append(item)
    return [part for group in groups.values() for part in _by_time(group)]


def _by_time(group: list[Item]) -> list[list[Item]]:
    dated = sorted((i for i in group if i.date is not None), key=lambda i: i.date)
    if not dated or dated[-1].date - dated[0].date <= SEPARATE_CHANGES:
        return [group]
    parts: list[list[Item]] = [[dated[0]]]
    for item in dated[1:]:
        if item.date - parts[-1][-1].date > SEPARATE_CHANGES:
            parts.append([])
        parts[-1].append(item)
    parts[0].extend(i for i in group if i.date is None)  # undated: with the first
    order = {id(i): n for n, i in enumerate(group)}
    return [sorted(part, key=lambda i: order[id(i)]) for part in parts]


def earliest_credible(group: list[Item]) -> Item:
    """The item whose date the change takes: the earliest day-precision one, preferring the
    body's own dates over a lead's summary and over dates inherited from other sentences."""
    dated = [i for i in group if i.date is not None]
    precise = [i for i in dated if i.precision == "day"]
    pool = precise or dated or group
    own = [i for i in pool if i.sentence.zone != ZONE_LEAD and _own_date(i)]
    body = [i for i in pool if i.sentence.zone != ZONE_LEAD]
    pool = own or body or pool
    return min(pool, key=lambda i: (i.date is None, i.date, i.sentence.start))


def _own_date(item: Item) -> bool:
    dated = item.sentence.date
    return dated is not None and dated.basis not in ("inherited", "published", "none")


def change_row(group: list[Item], analysis: Analysis) -> dict:
    first = earliest_credible(group)
    main = max(group, key=lambda i: (KIND_RANK.get(i.change or "", 0), -i.sentence.start))
    place = first.place
    resolved = place.place if place is not None else None
    claims = {i.claim for i in group}
    claim = REPORTED if REPORTED in claims else CLAIMED if CLAIMED in claims else first.claim
    losers = [i.previous_controller for i in group if i.previous_controller]
    return {
        "place": location_name(place),
        # each item's own spelling: the row does not change with the events merged into its items
        "place_aliases": _aliases([first]) + [a for i in group for a in _aliases([i]) if a not in _aliases([first])],
        "geonames_id": resolved.geonames_id if resolved else None,
        "place_id": place_key(place),
        "latitude": resolved.latitude if resolved else None,
        "longitude": resolved.longitude if resolved else None,
        "geo_precision": place.geo_precision if resolved else 2,
        "admin1": resolved.admin1 if resolved else None,
        "date": first.date.isoformat() if first.date else None,
        "date_precision": first.precision,
        "new_controller": first.new_controller,
        "previous_controller": losers[0] if losers else None,
        "kind": main.change,
        "claim": claim,
        "evidence": main.sentence.text,
        "evidence_span": [main.sentence.start, main.sentence.end],
        "sources": _sources(analysis, group),
        "confidence": round(min(1.0, max(i.confidence for i in group) + 0.05 * (len(group) - 1)), 3),
        "doc_id": analysis.document.doc_id,
        "corroboration": [[i.sentence.start, i.sentence.end] for i in group if i is not main],
    }
