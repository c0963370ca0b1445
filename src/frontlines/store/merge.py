"""Cross-document merging: a reported event or change joins a stored one it is compatible with.

The rules, in one place and independent of the engine (SQLite and PostgreSQL, the
local and the distributed engine all feed rows through the same functions):

* an event joins a stored event with the same place, the same ACLED event type, the same claim
  class, dates within a day of each other and no conflicting sides (side1 equal, or one of
  them unknown);
* a change joins a stored change with the same place, the same new controller, the same claim
  class (denied and unconfirmed reports apart from reported and claimed ones) and dates within
  a day;
* never two reports from one origin (a document, or ACLED as a whole): a document's own rows
  are distinct by the extractor's decision, ACLED's by ACLED's, and it is what keeps the
  corroboration count (distinct documents) from being inflated by re-reports;
* a report whose mention key is stored already (the same ACLED row imported again) is ignored;
* a report whose evidence sentence is, word for word, one the row has already (a syndicated
  wire story under another masthead) is kept as a reprint: its source is listed, but it adds
  no corroboration.

A date stands for a window of days: its day, or the week or month its precision allows.
Year-precision and undated reports never merge: "within a day" means nothing for them.
Candidates come from an index on (place, key, date_lo), never from a scan of the table: one
query for all the reports of a document (per cluster of dates), decided in memory, written
with executemany.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..control import CLAIM_CLASS, KIND_RANK
from .engine import CHUNK, LOCK_PLACE, advisory_locks
from .schema import change_mentions, changes, event_mentions, events

TOLERANCE = timedelta(days=1)
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
MERGEABLE = frozenset({"day", "week", "month"})
# The widest window a mergeable date may have (a month): bounds the candidate index scan.
WIDEST = timedelta(days=31)
# Reports of one document whose dates lie further apart than this get candidate queries of
# their own, so that a chronicle of years does not fetch every row in between.
CLUSTER_GAP = timedelta(days=62)
CLAIM_RANK = {"reported": 3, "claimed": 2, "unconfirmed": 1, "denied": 0}
# Each further document that corroborates a row adds this much to its best confidence.
CORROBORATION_BONUS = 0.05

NEW, MERGED, DUPLICATE = "new", "merged", "duplicate"
_FOOTNOTE_MARK = re.compile(r"\[\d+\]")


def parse_day(value: Any) -> date | None:
    """A date from a contract value ("2024-12-06", a date, or nothing)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date_window(day: date | None, precision: str | None) -> tuple[date, date] | None:
    """The days a date may stand for; None when it is too vague to merge on."""
    if day is None or (precision or "day") not in MERGEABLE:
        return None
    if precision == "week":
        return day, day + timedelta(days=6)
    if precision == "month":
        first = day.replace(day=1)
        return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def window_gap(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days between two windows (0 when they overlap)."""
    return max(0, (b[0] - a[1]).days, (a[0] - b[1]).days)


@dataclass(slots=True)
class Report:
    """One event or change row on its way into the store, with what merging needs of it."""

    row: dict[str, Any]
    document_id: int
    origin: str
    mention_key: str
    place_id: str | None
    key: str | None  # event type for events, new controller for changes
    day: date | None
    precision: str | None
    window: tuple[date, date] | None
    claim: str
    confidence: float
    evidence_key: str | None = None


class Kind:
    """What differs between merging events and merging changes, and the statements each
    uses, built once (SQLAlchemy then caches their compiled form; psycopg prepares them on
    the server after a few runs)."""

    def __init__(self, table: sa.Table, mentions: sa.Table, key_column: str, date_column: str,
                 precision_column: str, mutable: tuple[str, ...]) -> None:
        self.table, self.mentions = table, mentions
        self.key_column, self.date_column, self.precision_column = key_column, date_column, precision_column
        self.mutable = mutable
        c, m, bind = table.c, mentions.c, sa.bindparam
        self.known_mentions = sa.select(m.mention_key).where(
            m.mention_key.in_(bind("keys", expanding=True)))
        # One query per document: the rows at its places, of its keys, in its span of days
        # (date_lo BETWEEN bounds the index range scan; the date_hi test finishes the overlap).
        self.candidates = sa.select(table).where(
            c.place_id.in_(bind("places", expanding=True)),
            c[key_column].in_(bind("keys", expanding=True)),
            c.date_lo.between(bind("lo_min"), bind("hi_max")), c.date_hi >= bind("lo_tolerant"))
        # The candidates' mentions that matter: the document's own origin on a row (it may
        # not join it) and its very sentences (a reprint).  Index seeks on (target, origin)
        # and (target, evidence_key), however many reports a row has.
        self.mentioned = sa.select(m.target_id, m.origin, m.evidence_key).where(
            m.target_id.in_(bind("ids", expanding=True)),
            sa.or_(m.origin == bind("origin"),
                   m.evidence_key.in_(bind("evidence_keys", expanding=True))))
        # Inserted many at a time (one multi-row INSERT); the new ids come back with a value
        # that tells the rows apart, as RETURNING promises no order: a mention's unique key,
        # a new row's provisional lead (-1, -2, ... until `set_lead` gives the real one).
        self.insert_row = sa.insert(table).returning(c.id, c.lead_mention_id)
        self.insert_mention = sa.insert(mentions).returning(m.id, m.mention_key)
        self.set_lead = sa.update(table).where(c.id == bind("row_id")).values(
            lead_mention_id=bind("lead"))
        self.update = sa.update(table).where(c.id == bind("row_id")).values(
            {name: bind(f"new_{name}") for name in mutable})


_MERGED = ("corroboration", "best_confidence", "confidence", "claim", "date_lo", "date_hi",
           "lead_mention_id")
EVENT = Kind(events, event_mentions, "event_type", "event_date", "precision",
             (*_MERGED, "event_date", "precision", "side1", "side2", "fatalities"))
CHANGE = Kind(changes, change_mentions, "new_controller", "date", "date_precision",
              (*_MERGED, "date", "date_precision", "previous_controller", "kind"))
EVENT_PRECISION = {1: "day", 2: "week", 3: "month"}


def event_report(row: dict, *, document_id: int, origin: str, mention_key: str) -> Report:
    code = row.get("time_precision")
    # No code with a date means a day; a code we do not know is too vague to merge on.
    precision = "day" if code is None else EVENT_PRECISION.get(code, "year")
    return _report(row, document_id, origin, mention_key, row.get("event_type"),
                   parse_day(row.get("event_date")), precision)


def change_report(row: dict, *, document_id: int, origin: str, mention_key: str) -> Report:
    return _report(row, document_id, origin, mention_key, row.get("new_controller"),
                   parse_day(row.get("date")), row.get("date_precision") or "day")


def _report(row, document_id, origin, mention_key, key, day, precision) -> Report:
    if day is not None and precision is None:
        precision = "day"
    return Report(row=row, document_id=document_id, origin=origin, mention_key=mention_key,
                  place_id=row.get("place_id"), key=key, day=day, precision=precision,
                  window=date_window(day, precision), claim=row.get("claim") or "reported",
                  confidence=float(row.get("confidence") or 0.0),
                  evidence_key=evidence_fingerprint(row.get("evidence")))


def evidence_fingerprint(text: str | None) -> str | None:
    """A sentence's identity for spotting reprints: case, spacing and footnote marks aside."""
    if not text:
        return None
    words = " ".join(_FOOTNOTE_MARK.sub(" ", text).casefold().split())
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:20] if words else None


# -- adding a document's reports -----------------------------------------------------------


@dataclass(slots=True)
class _Decision:
    """What becomes of one report: a new row, or a mention of the stored row `target`."""

    report: Report
    target: dict | None = None
    reprint: bool = False


def merge_reports(conn: Connection, kind: Kind, reports: list[Report]) -> Counter:
    """Store one origin's reports of one kind: each merged into a compatible stored row, or
    new; how many were NEW, MERGED and DUPLICATE (a mention key stored already).

    A fixed handful of statements per document, whatever its number of reports: one query
    for the known mention keys, one for the candidates (per cluster of dates), one for their
    mentions, then inserts and updates as executemany.  Deciding needs nothing a sibling
    report writes: reports of one origin never join each other's rows, nor a row the origin
    has joined already."""
    counts: Counter = Counter()
    known = _known_keys(conn, kind, [r.mention_key for r in reports])
    fresh: list[Report] = []
    for report in reports:
        if report.mention_key in known:
            counts[DUPLICATE] += 1
        else:
            known.add(report.mention_key)
            fresh.append(report)
    if not fresh:
        return counts
    candidates = _candidates(conn, kind, fresh)
    origin = fresh[0].origin
    taken, evidence = _mentioned(conn, kind, list(candidates), origin,
                                 {r.evidence_key for r in fresh if r.evidence_key})
    decisions = []
    for report in fresh:
        target = _best_candidate(kind, report, candidates.values(), taken)
        decision = _Decision(report, target)
        if target is not None:
            taken.add(target["id"])
            decision.reprint = (target["id"], report.evidence_key) in evidence
        decisions.append(decision)
    _write(conn, kind, decisions)
    counts[NEW] += sum(d.target is None for d in decisions)
    counts[MERGED] += sum(d.target is not None for d in decisions)
    return counts


def _known_keys(conn: Connection, kind: Kind, keys: list[str]) -> set[str]:
    """The mention keys among `keys` that are stored already."""
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        found.update(conn.execute(kind.known_mentions, {"keys": keys[start:start + CHUNK]}).scalars())
    return found


def _candidates(conn: Connection, kind: Kind, reports: list[Report]) -> dict[int, dict]:
    """Every stored row some report might join, by id: one indexed query per cluster of
    report dates (a news story has one cluster; a chronicle of years has several)."""
    mergeable = sorted((r for r in reports if r.place_id and r.key and r.window),
                       key=lambda r: r.window[0])
    found: dict[int, dict] = {}
    for cluster in _date_clusters(mergeable):
        for start in range(0, len(cluster), CHUNK):
            part = cluster[start:start + CHUNK]
            params = {"places": sorted({r.place_id for r in part}),
                      "keys": sorted({r.key for r in part}),
                      "lo_min": min(r.window[0] for r in part) - TOLERANCE - WIDEST,
                      "hi_max": max(r.window[1] for r in part) + TOLERANCE,
                      "lo_tolerant": min(r.window[0] for r in part) - TOLERANCE}
            for row in conn.execute(kind.candidates, params):
                found[row.id] = dict(row._mapping)
    return found


def _date_clusters(reports: list[Report]) -> list[list[Report]]:
    """Reports (sorted by date) in runs whose dates lie close together, so that one query
    fetches the candidates of a run without scanning the years between two runs."""
    clusters: list[list[Report]] = []
    for report in reports:
        if clusters and (report.window[0] - clusters[-1][-1].window[1]) <= CLUSTER_GAP:
            clusters[-1].append(report)
        else:
            clusters.append([report])
    return clusters


def _mentioned(conn: Connection, kind: Kind, ids: list[int], origin: str,
               evidence_keys: set[str]) -> tuple[set[int], set[tuple[int, str]]]:
    """Of the candidate rows: those `origin` has a mention on already (it may not join them),
    and the (row, evidence key) pairs stored (a report with that very sentence is a reprint)."""
    taken: set[int] = set()
    evidence: set[tuple[int, str]] = set()
    for start in range(0, len(ids), CHUNK):
        params = {"ids": ids[start:start + CHUNK], "origin": origin,
                  "evidence_keys": sorted(evidence_keys)}
        for target, mention_origin, key in conn.execute(kind.mentioned, params):
            if mention_origin == origin:
                taken.add(target)
            if key in evidence_keys:
                evidence.add((target, key))
    return taken, evidence


def _best_candidate(kind: Kind, report: Report, candidates: Iterable[dict],
                    taken: set[int]) -> dict | None:
    """The compatible stored row nearest in date that the report's origin has not joined."""
    if report.place_id is None or report.key is None or report.window is None:
        return None
    rows = [r for r in candidates
            if r["id"] not in taken and r["place_id"] == report.place_id
            and r[kind.key_column] == report.key and _compatible(kind, r, report)]
    if not rows:
        return None
    return min(rows, key=lambda r: (window_gap((r["date_lo"], r["date_hi"]), report.window), r["id"]))


def _write(conn: Connection, kind: Kind, decisions: list[_Decision]) -> None:
    """New rows, every mention, the new rows' leads and the merged rows' values: one
    executemany each."""
    new = [d for d in decisions if d.target is None]
    merged = [d for d in decisions if d.target is not None]
    rows = [{**_row_values(kind, d.report), "lead_mention_id": -number}
            for number, d in enumerate(new, start=1)]
    by_tag = dict(_returned(conn, kind.insert_row, rows))
    targets = [by_tag[-number] for number in range(1, len(new) + 1)]
    targets += [d.target["id"] for d in merged]
    ordered = new + merged
    mention_ids = dict(_returned(conn, kind.insert_mention, [
        _mention_values(d.report, row_id, reprint=d.reprint) for d, row_id in zip(ordered, targets)]))
    if new:
        conn.execute(kind.set_lead, [{"row_id": row_id, "lead": mention_ids[d.report.mention_key]}
                                     for d, row_id in zip(new, targets)])
    if merged:
        conn.execute(kind.update, [
            {"row_id": d.target["id"], **{f"new_{k}": v for k, v in _merged_values(
                kind, d.target, d.report, mention_ids[d.report.mention_key],
                reprint=d.reprint).items()}}
            for d in merged])


def _returned(conn: Connection, statement: sa.Insert, rows: list[dict]) -> list[tuple[Any, Any]]:
    """Insert rows in one executemany; (new id, tag) per row, in no particular order."""
    if not rows:
        return []
    return [(tag, row_id) for row_id, tag in conn.execute(statement, rows)]


def _compatible(kind: Kind, stored: dict, report: Report) -> bool:
    if window_gap((stored["date_lo"], stored["date_hi"]), report.window) > TOLERANCE.days:
        return False
    # Changes store their claim class; an event's follows from its claim.
    stored_class = stored.get("claim_class") or CLAIM_CLASS.get(stored["claim"], "fact")
    if stored_class != CLAIM_CLASS.get(report.claim, "fact"):
        return False
    if kind is EVENT:
        side, other = stored["side1"], report.row.get("side1")
        return side is None or other is None or side == other
    return True


def _row_values(kind: Kind, report: Report) -> dict[str, Any]:
    row = report.row
    # A report too vague to merge on gets no window, so it is never a candidate either.
    lo, hi = report.window or (None, None)
    common = {
        "place_id": report.place_id, kind.key_column: report.key, kind.date_column: report.day,
        kind.precision_column: report.precision, "date_lo": lo, "date_hi": hi,
        "claim": report.claim, "confidence": report.confidence,
        "best_confidence": report.confidence, "corroboration": 1, "lead_mention_id": None,
    }
    if kind is EVENT:
        return {**common, "sub_event_type": row.get("sub_event_type"), "side1": row.get("side1"),
                "side2": row.get("side2"), "fatalities": _int(row.get("fatalities"))}
    return {**common, "claim_class": CLAIM_CLASS.get(report.claim, "fact"),
            "previous_controller": row.get("previous_controller"), "kind": row.get("kind")}


def _mention_values(report: Report, target_id: int, *, reprint: bool) -> dict[str, Any]:
    row = report.row
    span = row.get("evidence_span") or [None, None]
    return {
        "target_id": target_id, "document_id": report.document_id, "origin": report.origin,
        "mention_key": report.mention_key, "evidence": row.get("evidence"),
        "evidence_key": report.evidence_key, "reprint": reprint,
        "span_start": span[0], "span_end": span[1], "claim": report.claim,
        "confidence": report.confidence, "data": row,
    }


def _merged_values(kind: Kind, stored: dict, report: Report, mention_id: int, *,
                   reprint: bool) -> dict[str, Any]:
    """The stored row after the report joins it: one more document (unless a reprint), the
    better date, the stronger claim, gaps filled; the report whose date the row takes leads."""
    values = {name: stored[name] for name in kind.mutable}
    count = stored["corroboration"] + (0 if reprint else 1)
    best = max(stored["best_confidence"] or 0.0, report.confidence)
    values.update({
        "corroboration": count, "best_confidence": best,
        "confidence": round(min(1.0, best + CORROBORATION_BONUS * (count - 1)), 3),
        "claim": max(stored["claim"], report.claim, key=lambda c: CLAIM_RANK.get(c, 0)),
    })
    if _better_date(report, stored[kind.date_column], stored[kind.precision_column]):
        lo, hi = report.window
        values.update({kind.date_column: report.day, kind.precision_column: report.precision,
                       "date_lo": lo, "date_hi": hi, "lead_mention_id": mention_id})
    if kind is EVENT:
        for side in ("side1", "side2"):
            if stored[side] is None and report.row.get(side):
                values[side] = report.row[side]
        values["fatalities"] = _fewest(stored["fatalities"], _int(report.row.get("fatalities")))
    else:
        if stored["previous_controller"] is None and report.row.get("previous_controller"):
            values["previous_controller"] = report.row["previous_controller"]
        new_kind = report.row.get("kind")
        if KIND_RANK.get(new_kind or "", 0) > KIND_RANK.get(stored["kind"] or "", 0):
            values["kind"] = new_kind
    return values


def _better_date(report: Report, day: date | None, precision: str | None) -> bool:
    """The earliest of the finest dates wins (a day beats a week, which beats a month)."""
    if report.day is None:
        return False
    if day is None:
        return True
    mine = (PRECISION_RANK.get(report.precision or "day", 3), report.day)
    theirs = (PRECISION_RANK.get(precision or "day", 3), day)
    return mine < theirs


def _fewest(a: int | None, b: int | None) -> int | None:
    """ACLED's rule for fatalities that sources disagree on: the most conservative figure."""
    known = [x for x in (a, b) if x is not None]
    return min(known) if known else None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def lock_places(conn: Connection, place_ids: Iterable[str]) -> None:
    """Serialise writers that merge at the same places, until the transaction ends: the
    candidates a writer finds are then all the rows stored at its places."""
    advisory_locks(conn, LOCK_PLACE, place_ids)
