"""Correcting a store: removing a document (before re-processing it, or for good), re-merging
the rows it shared with other documents, re-resolving places, and the store's profile.

A document's reports are mentions of merged rows.  Removing it deletes its mentions; a row
that other documents also reported is then rebuilt from their mentions through the same
merge rules as an ingest (`merge.merge_reports`), so the store is exactly
what ingesting the remaining documents would give: no orphan rows, no stale counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import FrontlinesError
from . import merge
from .places import upsert_places
from .schema import (
    changes,
    documents,
    events,
    initial_state,
    meta,
    place_names,
    places,
    references,
    sentences,
)

PROFILE_KEY = "profile"
# A row's data, rewritten before it is merged again (re-resolving its place, say).
Rewrite = Callable[[dict], dict]


# --- the store's profile ------------------------------------------------------------------


def stored_profile(conn: Connection) -> str | None:
    """The profile the store's documents were extracted with: recorded at the first ingest,
    or (for a store made before it was recorded) the one its documents name."""
    value = conn.execute(sa.select(meta.c.value).where(meta.c.key == PROFILE_KEY)).scalar()
    if value:
        return value
    names = conn.execute(sa.select(documents.c.profile).where(documents.c.profile.is_not(None))
                         .distinct().limit(2)).scalars().all()
    return names[0] if len(names) == 1 else None


def claim_profile(conn: Connection, profile: str) -> None:
    """Record the store's profile, or refuse a document extracted with another one: sides
    and actors of two wars in one store would mix their colours, titles and merges."""
    current = stored_profile(conn)
    if conn.execute(sa.select(documents.c.id).limit(1)).first() is None:
        conn.execute(sa.delete(meta).where(meta.c.key == PROFILE_KEY))  # an emptied store
        current = None
    if current is not None and current != profile:
        raise FrontlinesError(
            f"this store holds documents extracted with the profile {current!r}, not "
            f"{profile!r}; use --profile {current} or another --db")
    if conn.execute(sa.select(meta.c.key).where(meta.c.key == PROFILE_KEY)).first() is None:
        conn.execute(sa.insert(meta).values(key=PROFILE_KEY, value=profile))


# --- removing a document ------------------------------------------------------------------


def remove_document(conn: Connection, doc_id: str) -> dict[str, int] | None:
    """Delete a document, its sentences, references and reports; rebuild the rows it shared
    with other documents; drop the rows and places nothing reports any more.  None when the
    document is not stored."""
    pk = conn.execute(sa.select(documents.c.id).where(documents.c.doc_id == doc_id)).scalar()
    if pk is None:
        return None
    targets = {kind: conn.execute(sa.select(kind.mentions.c.target_id).where(
        kind.mentions.c.document_id == pk).distinct()).scalars().all()
        for kind in (merge.EVENT, merge.CHANGE)}
    place_ids = {p for kind, ids in targets.items() for p in _place_ids(conn, kind, ids)}
    # A concurrent writer merging at these places (PostgreSQL) waits until this is done.
    merge.lock_places(conn, place_ids)
    counts: dict[str, int] = {}
    for kind, ids in targets.items():
        conn.execute(sa.delete(kind.mentions).where(kind.mentions.c.document_id == pk))
        counts[kind.table.name] = remerge(conn, kind, ids)
    conn.execute(sa.delete(sentences).where(sentences.c.document_id == pk))
    conn.execute(sa.delete(references).where(references.c.document_id == pk))
    conn.execute(sa.delete(documents).where(documents.c.id == pk))
    drop_unused_places(conn, place_ids)
    return counts


def _place_ids(conn: Connection, kind: merge.Kind, targets: Iterable[int]) -> set[str]:
    ids = list(targets)
    if not ids:
        return set()
    query = sa.select(kind.table.c.place_id).where(kind.table.c.id.in_(ids))
    return {p for p in conn.execute(query).scalars() if p}


def remerge(conn: Connection, kind: merge.Kind, targets: Iterable[int],
            rewrite: Rewrite | None = None) -> int:
    """Rebuild the given merged rows from the mentions they still have (each row's data
    passed through `rewrite` first): the rows and their mentions are deleted and the reports
    merged again, in the order they were first stored.  Returns how many reports that was."""
    ids = sorted(set(targets))
    if not ids:
        return 0
    mentions = kind.mentions
    found = [dict(r._mapping) for r in conn.execute(
        sa.select(mentions).where(mentions.c.target_id.in_(ids)).order_by(mentions.c.id))]
    conn.execute(sa.delete(mentions).where(mentions.c.target_id.in_(ids)))
    conn.execute(sa.delete(kind.table).where(kind.table.c.id.in_(ids)))
    rows = [rewrite(dict(m["data"])) if rewrite else dict(m["data"]) for m in found]
    upsert_places(conn, rows)
    build = merge.event_report if kind is merge.EVENT else merge.change_report
    reports = [build(row, document_id=mention["document_id"], origin=mention["origin"],
                     mention_key=mention["mention_key"]) for mention, row in zip(found, rows)]
    # A run of one origin's reports merges as one document's do; the next run sees its rows.
    for _origin, run in groupby(reports, key=lambda report: report.origin):
        merge.merge_reports(conn, kind, list(run))
    return len(found)


def drop_unused_places(conn: Connection, place_ids: Iterable[str]) -> None:
    """Forget places no event, change or initial state is at any more."""
    for place_id in sorted(set(place_ids)):
        used = any(conn.execute(sa.select(table.c.place_id).where(
            table.c.place_id == place_id).limit(1)).first() for table in (events, changes, initial_state))
        if not used:
            conn.execute(sa.delete(place_names).where(place_names.c.place_id == place_id))
            conn.execute(sa.delete(places).where(places.c.place_id == place_id))


# --- re-resolving places ------------------------------------------------------------------


def unresolved_places(conn: Connection) -> list[dict[str, Any]]:
    """Places known by name only (no gazetteer entry when they were stored)."""
    query = sa.select(places).where(places.c.place_id.like("name:%")).order_by(places.c.place_id)
    return [dict(r._mapping) for r in conn.execute(query)]


def relocate(conn: Connection, found: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Move every report at the places in `found` (old place id -> the resolved place's
    fields) to its new place and merge the rows again there."""
    if not found:
        return {"places": 0, "events": 0, "changes": 0}

    def rewrite(row: dict) -> dict:
        new = found.get(row.get("place_id") or "")
        return {**row, **new} if new else row

    upsert_places(conn, list(found.values()))
    counts = {"places": len(found)}
    for kind in (merge.EVENT, merge.CHANGE):
        targets = conn.execute(sa.select(kind.table.c.id).where(
            kind.table.c.place_id.in_(list(found)))).scalars().all()
        counts[kind.table.name] = remerge(conn, kind, targets, rewrite)
    conn.execute(sa.update(initial_state).where(initial_state.c.place_id.in_(list(found)))
                 .values(place_id=sa.case({old: new["place_id"] for old, new in found.items()},
                                          value=initial_state.c.place_id)))
    drop_unused_places(conn, found)
    return counts
