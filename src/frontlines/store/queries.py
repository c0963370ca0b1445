"""Reading merged events and changes back as contract rows, with every mention and source."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .engine import CHUNK
from .merge import CHANGE, EVENT, Kind
from .places import place_ids_for
from .schema import documents

PRECISION_CODE = {"day": 1, "week": 2, "month": 3, "year": 3}


def event_rows(conn: Connection, *, since: date | None = None, until: date | None = None,
               type: str | None = None, place: str | None = None, side: str | None = None,
               doc: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    table = EVENT.table
    query = _filtered(conn, EVENT, since, until, place, doc)
    if type:
        wanted = type.strip().lower()
        query = query.where(sa.or_(sa.func.lower(table.c.event_type) == wanted,
                                   sa.func.lower(table.c.sub_event_type) == wanted))
    if side:
        query = query.where(sa.or_(table.c.side1 == side, table.c.side2 == side))
    rows = _page(conn, EVENT, query, limit, offset)
    return assemble(conn, EVENT, rows)


def change_rows(conn: Connection, *, since: date | None = None, until: date | None = None,
                place: str | None = None, side: str | None = None, doc: str | None = None,
                limit: int | None = None, offset: int = 0, kind: str | None = None) -> list[dict]:
    table = CHANGE.table
    query = _filtered(conn, CHANGE, since, until, place, doc)
    if kind:
        query = query.where(table.c.kind == kind.strip().lower())
    if side:
        query = query.where(sa.or_(table.c.new_controller == side,
                                   table.c.previous_controller == side))
    rows = _page(conn, CHANGE, query, limit, offset)
    return assemble(conn, CHANGE, rows)


def _filtered(conn: Connection, kind: Kind, since, until, place, doc) -> sa.Select:
    table = kind.table
    day = table.c[kind.date_column]
    query = sa.select(table)
    if since is not None:
        query = query.where(day >= since)
    if until is not None:
        query = query.where(day <= until)
    if place:
        query = query.where(table.c.place_id.in_(place_ids_for(conn, place)))
    if doc:
        mentions = kind.mentions
        reported_in = (sa.select(mentions.c.target_id)
                       .join(documents, documents.c.id == mentions.c.document_id)
                       .where(documents.c.doc_id == doc))
        query = query.where(table.c.id.in_(reported_in))
    return query


def _page(conn: Connection, kind: Kind, query: sa.Select, limit, offset) -> list[dict]:
    table = kind.table
    day = table.c[kind.date_column]
    # Undated rows last, then by date and the order they were stored in: a stable order.
    order = (sa.case((day.is_(None), 1), else_=0), day, table.c.id)
    if limit is None and not offset:
        return [dict(r._mapping) for r in conn.execute(query.order_by(*order))]
    # A page: the ids first (the sort and the skipped rows touch the date index only, not
    # the rows: a deep offset costs milliseconds), then the page's rows.
    ids = [r.id for r in conn.execute(query.with_only_columns(table.c.id).order_by(*order)
                                      .limit(limit).offset(offset))]
    found: dict[int, dict] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        found.update((r.id, dict(r._mapping)) for r in conn.execute(sa.select(table).where(table.c.id.in_(chunk))))
    return [found[i] for i in ids]


def mentions_of(conn: Connection, kind: Kind, ids: Sequence[int]) -> dict[int, list[dict]]:
    """Every mention of the given rows, in the order they were stored, with the document id."""
    mentions = kind.mentions
    found: dict[int, list[dict]] = {}
    for start in range(0, len(ids), CHUNK):
        query = (sa.select(mentions, documents.c.doc_id)
                 .join(documents, documents.c.id == mentions.c.document_id)
                 .where(mentions.c.target_id.in_(ids[start:start + CHUNK]))
                 .order_by(mentions.c.id))
        for row in conn.execute(query):
            found.setdefault(row.target_id, []).append(dict(row._mapping))
    return found


def assemble(conn: Connection, kind: Kind, rows: list[dict]) -> list[dict]:
    """Contract rows for stored rows: the lead report's row with the merged values on top."""
    by_row = mentions_of(conn, kind, [r["id"] for r in rows])
    build = _event_out if kind is EVENT else _change_out
    return [build(row, by_row.get(row["id"], [])) for row in rows]


def _lead(row: dict, mentions: list[dict]) -> dict:
    return next((m for m in mentions if m["id"] == row["lead_mention_id"]), mentions[0] if mentions else {})


def _common(row: dict, mentions: list[dict]) -> dict[str, Any]:
    lead = _lead(row, mentions)
    out = dict(lead.get("data") or {})
    out.update({
        "id": row["id"],
        "doc_id": lead.get("doc_id"),
        "claim": row["claim"],
        "confidence": row["confidence"],
        "corroboration": row["corroboration"],
        "sources": _sources(mentions),
        "place_aliases": _union(m["data"].get("place_aliases") or [] for m in mentions),
        "mentions": [_mention_out(m) for m in mentions],
        "doc_ids": list(dict.fromkeys(m["doc_id"] for m in mentions)),
    })
    return out


def _event_out(row: dict, mentions: list[dict]) -> dict:
    out = _common(row, mentions)
    day = row["event_date"]
    out.update({
        "event_date": day.isoformat() if day else None,
        "year": day.year if day else None,
        "time_precision": PRECISION_CODE.get(row["precision"]) if day else None,
        "side1": row["side1"],
        "side2": row["side2"],
        "fatalities": row["fatalities"],
    })
    return out


def _change_out(row: dict, mentions: list[dict]) -> dict:
    out = _common(row, mentions)
    day = row["date"]
    out.update({
        "date": day.isoformat() if day else None,
        "date_precision": row["date_precision"],
        "previous_controller": row["previous_controller"],
        "kind": row["kind"],
    })
    return out


def _mention_out(mention: dict) -> dict[str, Any]:
    data = mention["data"]
    span = [mention["span_start"], mention["span_end"]] if mention["span_start"] is not None else None
    return {
        "doc_id": mention["doc_id"],
        "evidence": mention["evidence"],
        "evidence_span": span,
        "date": data.get("event_date", data.get("date")),
        "claim": mention["claim"],
        "confidence": mention["confidence"],
        "sources": data.get("sources") or [],
        "reprint": bool(mention["reprint"]),
        "other_spans": data.get("corroboration") or [],
    }


def _sources(mentions: list[dict]) -> list[dict]:
    """Every source of every mention, each once, with the document that footnoted it."""
    seen: dict[tuple, dict] = {}
    for mention in mentions:
        for source in mention["data"].get("sources") or []:
            item = {**source, "doc_id": mention["doc_id"]}
            key = tuple(sorted((k, str(v)) for k, v in item.items()))
            seen.setdefault(key, item)
    return list(seen.values())


def _union(lists: Iterable[list]) -> list:
    return list(dict.fromkeys(x for items in lists for x in items))
