"""Documents in the store: their metadata, sentences (spans, dates, footnotes) and references."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, TypedDict

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..model import Analysis, Document
from .engine import CHUNK
from .schema import documents, references, sentences

SUMMARY_COLUMNS = ("doc_id", "title", "url", "published", "published_source", "source", "format", "profile",
                   "length", "n_events", "n_changes", "ingested_at")


class DocumentRecord(TypedDict):
    """What the store keeps of an analysed document, in plain values (strings, numbers, dates,
    lists, dicts): cheap to pickle, so the distributed engine's workers send these."""

    document: dict[str, Any]  # the documents row
    references: list[dict[str, Any]]
    sentences: list[dict[str, Any]]
    events: list[dict[str, Any]]  # contract rows
    control_changes: list[dict[str, Any]]


def document_record(analysis: Analysis) -> DocumentRecord:
    doc = analysis.document
    return {
        "document": document_values(doc, profile=analysis.profile),
        "references": [asdict(ref) for ref in doc.references.values()],
        "sentences": [_sentence_values(s) for s in analysis.sentences],
        "events": [dict(row) for row in analysis.events],
        "control_changes": [dict(row) for row in analysis.control_changes],
    }


def rows_record(doc: Document) -> DocumentRecord:
    """The document that stands for rows coming without a text (an ACLED export)."""
    return {"document": document_values(doc, profile=None, keep_text=False), "references": [],
            "sentences": [], "events": [], "control_changes": []}


def document_pk(conn: Connection, doc_id: str) -> int | None:
    """The row id of a stored document, None when it is not stored."""
    return conn.execute(sa.select(documents.c.id).where(documents.c.doc_id == doc_id)).scalar()


def stored_by_source(conn: Connection, sources: list[str]) -> dict[str, set[str]]:
    """The ids of the documents stored from each of these sources (file names)."""
    found: dict[str, set[str]] = {}
    for start in range(0, len(sources), CHUNK):
        query = sa.select(documents.c.source, documents.c.doc_id).where(
            documents.c.source.in_(sources[start:start + CHUNK]))
        for source, doc_id in conn.execute(query):
            found.setdefault(source, set()).add(doc_id)
    return found


def document_values(doc: Document, *, profile: str | None, keep_text: bool = True) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id, "title": doc.title, "url": doc.url, "published": doc.published,
        "published_source": doc.published_source if doc.published else None,
        "source": doc.source, "format": doc.format, "profile": profile, "length": len(doc.text),
        "narrative_end": doc.narrative_end, "infobox": doc.infobox or None,
        "warnings": doc.warnings or None, "text": doc.text if keep_text else None,
    }


# Statements built once: SQLAlchemy caches their compiled form, a statement made anew per
# document (`.values(...)`) is compiled anew.
_INSERT_DOCUMENT = sa.insert(documents).returning(documents.c.id)
_SET_COUNTS = sa.update(documents).where(documents.c.id == sa.bindparam("document_pk")).values(
    n_events=sa.bindparam("events_count"), n_changes=sa.bindparam("changes_count"))


def insert_document(conn: Connection, values: dict[str, Any]) -> int:
    row = {**values, "n_events": 0, "n_changes": 0, "ingested_at": datetime.now(UTC)}
    return conn.execute(_INSERT_DOCUMENT, row).scalar_one()


def insert_layers(conn: Connection, document_id: int, record: DocumentRecord) -> None:
    """The document's sentences and reference list, for the evidence views."""
    for table, rows in ((references, record["references"]), (sentences, record["sentences"])):
        if rows:
            conn.execute(sa.insert(table), [{"document_id": document_id, **row} for row in rows])


def _sentence_values(sentence) -> dict[str, Any]:
    dated = sentence.date
    return {
        "idx": sentence.index, "span_start": sentence.start,
        "span_end": sentence.end, "text": sentence.text, "paragraph": sentence.paragraph,
        "section": sentence.section, "zone": sentence.zone,
        "footnotes": sentence.footnotes or None,
        "date": dated.value if dated else None, "precision": dated.precision if dated else None,
        "basis": dated.basis if dated else None,
    }


def set_counts(conn: Connection, document_id: int, n_events: int, n_changes: int) -> None:
    conn.execute(_SET_COUNTS, {"document_pk": document_id, "events_count": n_events,
                               "changes_count": n_changes})


def list_documents(conn: Connection) -> list[dict]:
    query = sa.select(*(documents.c[c] for c in SUMMARY_COLUMNS)).order_by(documents.c.id)
    return [_summary(r._mapping) for r in conn.execute(query)]


def _summary(row) -> dict[str, Any]:
    out = dict(row)
    out["published"] = out["published"].isoformat() if out["published"] else None
    stamp = out["ingested_at"]
    if stamp is not None and stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)  # SQLite keeps no zone; we store UTC
    out["ingested_at"] = stamp.isoformat() if stamp else None
    return out


def get_document(conn: Connection, doc_id: str) -> dict | None:
    """One document with its sentences (span, text, date, footnotes, zone) and references."""
    row = conn.execute(sa.select(documents).where(documents.c.doc_id == doc_id)).first()
    if row is None:
        return None
    doc = _summary({c: row._mapping[c] for c in SUMMARY_COLUMNS})
    doc.update(narrative_end=row.narrative_end, infobox=row.infobox or {},
               warnings=row.warnings or [], text=row.text)
    doc["sentences"] = [_sentence_out(s) for s in conn.execute(
        sa.select(sentences).where(sentences.c.document_id == row.id).order_by(sentences.c.idx))]
    doc["references"] = [_reference_out(r) for r in conn.execute(
        sa.select(references).where(references.c.document_id == row.id)
        .order_by(references.c.number))]
    return doc


def _sentence_out(row) -> dict[str, Any]:
    return {"index": row.idx, "span": [row.span_start, row.span_end], "text": row.text,
            "date": row.date.isoformat() if row.date else None, "precision": row.precision,
            "basis": row.basis, "footnotes": row.footnotes or [], "zone": row.zone,
            "paragraph": row.paragraph, "section": row.section}


def _reference_out(row) -> dict[str, Any]:
    return {"number": row.number, "text": row.text, "title": row.title,
            "publisher": row.publisher, "date": row.date, "url": row.url}
