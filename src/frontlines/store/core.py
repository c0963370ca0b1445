"""The Store: documents, merged events and changes, and control state in one database."""

from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, DBAPIError, OperationalError

from ..errors import FrontlinesError, InputError
from ..model import Analysis, Document
from . import corrections, merge, queries, state
from . import documents as docs
from .documents import DocumentRecord
from .engine import StoreError, read_transaction, worth_retrying, write_transaction
from .places import checked_place, resolve_place, upsert_places
from .schema import change_mentions, changes, event_mentions, events, initial_state, places

T = TypeVar("T")
# A write that clashes with a concurrent writer is run again, after a short random pause.
WRITE_ATTEMPTS = 5
RETRY_PAUSE_S = 0.05


class Store:
    """A frontlines database (an SQLite file by default).  Every ingest of one document is
    one transaction; readers see committed documents only and never wait for a writer."""

    def __init__(self, engine: Engine, *, name: str) -> None:
        self.engine = engine
        self.name = name

    def __repr__(self) -> str:
        return f"Store({self.name!r})"

    def shared_url(self) -> str | None:
        """The URL other processes reach this database by, when it takes concurrent writers
        (PostgreSQL; the password included); None for SQLite, which admits one writer."""
        if self.engine.dialect.name != "postgresql":
            return None
        return self.engine.url.render_as_string(hide_password=False)

    # -- writing ----------------------------------------------------------------------

    def ingest_analysis(self, analysis: Analysis, *, replace: bool = False) -> dict[str, Any]:
        """Store a document, its sentences and references, and merge its events and changes.
        A document stored already (same content hash) is skipped, or with `replace` removed
        and stored anew in the same transaction (another date, profile or gazetteer)."""
        return self.ingest_record(docs.document_record(analysis), replace=replace)

    def ingest_record(self, record: DocumentRecord, *, replace: bool = False) -> dict[str, Any]:
        """`ingest_analysis` for a document in the plain form `document_record` gives it (what
        the distributed engine's workers send back)."""
        return self._write(lambda conn: _store_record(conn, record, replace=replace))

    def ingest_records(self, records: Sequence[DocumentRecord], *,
                       replace: bool = False) -> list[dict[str, Any] | FrontlinesError]:
        """Several documents in one transaction, in order (one commit for a batch: what a
        single writer fed by many extractors needs); each its result, or the error that
        refused that document alone (its savepoint rolled back, the others kept)."""

        def transaction(conn: Connection) -> list[dict[str, Any] | FrontlinesError]:
            results: list[dict[str, Any] | FrontlinesError] = []
            for record in records:
                try:
                    with conn.begin_nested():
                        results.append(_store_record(conn, record, replace=replace))
                except DataError as exc:
                    results.append(_refused(exc))
                except StoreError:
                    raise
                except FrontlinesError as exc:  # a bad place, another profile: this one only
                    results.append(exc)
            return results

        return self._write(transaction) if records else []

    def ingest_events(self, rows: Sequence[dict], *, source_name: str, doc_id: str | None = None,
                      origin: str | None = None, changes: Sequence[dict] = (),
                      key_prefix: str | None = None, replace: bool = False) -> dict[str, Any]:
        """Store rows that come without a document text (an ACLED export) as one source
        document named `source_name`.  Rows sharing an `origin` (default: the source name)
        never merge with each other; a row whose `event_id_cnty` is stored under the same
        key prefix already is not stored again."""
        doc_id = doc_id or _rows_id(source_name, rows)
        origin = origin or source_name
        prefix = key_prefix or origin
        doc = Document(text="", doc_id=doc_id, title=source_name, source=source_name,
                       format="rows")
        keyed_events = [(dict(row), _row_key(prefix, doc_id, row, i, "e"))
                        for i, row in enumerate(rows)]
        keyed_changes = [(dict(row), _row_key(prefix, doc_id, row, i, "c"))
                         for i, row in enumerate(changes)]
        return self._ingest(docs.rows_record(doc), keyed_events, keyed_changes, origin=origin,
                            replace=replace)

    def _ingest(self, record: DocumentRecord, keyed_events: list, keyed_changes: list, *,
                origin: str, replace: bool = False) -> dict[str, Any]:
        return self._write(lambda conn: _store(conn, record, keyed_events, keyed_changes, origin,
                                               replace=replace))

    def remove_document(self, doc_id: str) -> dict[str, int] | None:
        """Delete a stored document and everything only it reported; the rows it shared with
        other documents are rebuilt from theirs.  None when no such document is stored."""
        return self._write(lambda conn: corrections.remove_document(conn, doc_id))

    def profile(self) -> str | None:
        """The conflict profile the store's documents were extracted with (None when empty)."""
        return self._read(corrections.stored_profile)

    def regeocode(self, resolve: Callable[[dict], dict | None]) -> dict[str, int]:
        """Look up again every place stored by name only (`resolve` gives a place row's new
        fields, or None) and move its reports to the place now found, merging them there."""
        def transaction(conn: Connection) -> dict[str, int]:
            found = {}
            for place in corrections.unresolved_places(conn):
                new = resolve(place)
                if new is not None:
                    found[place["place_id"]] = new
            merge.lock_places(conn, [*found, *(new["place_id"] for new in found.values())])
            return corrections.relocate(conn, found)

        return self._write(transaction)

    def set_initial_state(self, rows: list[dict], *, source_name: str) -> int:
        """The controller of places before any change: rows with place, latitude, longitude,
        controller (a side key) and optionally place_id and as_of.  Returns the rows stored."""
        prepared = [_initial_row(row) for row in rows if row.get("controller")]
        for row in prepared:
            checked_place(row)
        _refuse_repeated_places(prepared)

        def transaction(conn: Connection) -> int:
            merge.lock_places(conn, [row["place_id"] for row in prepared])
            upsert_places(conn, prepared)
            for row in prepared:
                conn.execute(sa.delete(initial_state).where(initial_state.c.place_id == row["place_id"]))
            if prepared:
                conn.execute(sa.insert(initial_state), [
                    {"place_id": r["place_id"], "controller": r["controller"], "as_of": r["as_of"],
                     "source_name": source_name} for r in prepared])
            return len(prepared)

        return self._write(transaction)

    def _write(self, transaction: Callable[[Connection], T]) -> T:
        # A concurrent writer (PostgreSQL) may store the same document or row first, or
        # clash in another way; a rerun of the transaction then sees its work and skips.
        # SQLite admits one writer at a time and never clashes.
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with _translated(self.name), write_transaction(self.engine) as conn:
                    return transaction(conn)
            except DBAPIError as err:
                if attempt == WRITE_ATTEMPTS or not worth_retrying(err):
                    raise
                time.sleep(random.uniform(0, RETRY_PAUSE_S * attempt))
        raise AssertionError("unreachable")

    # -- reading ----------------------------------------------------------------------

    def _read(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with _translated(self.name), read_transaction(self.engine) as conn:
            return function(conn, *args, **kwargs)

    def has_document(self, doc_id: str) -> bool:
        return self._read(docs.document_pk, doc_id) is not None

    def stored_by_source(self, sources: Sequence[str]) -> dict[str, set[str]]:
        """The ids of the documents stored from each of these file names."""
        return self._read(docs.stored_by_source, list(sources))

    def events(self, since: date | None = None, until: date | None = None, type: str | None = None,
               place: str | None = None, side: str | None = None, doc: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[dict]:
        """Merged events as contract rows, by date, with `corroboration` (the documents that
        report it in their own words), every source and every mention."""
        return self._read(queries.event_rows, since=since, until=until, type=type, place=place,
                          side=side, doc=doc, limit=limit, offset=offset)

    def changes(self, since: date | None = None, until: date | None = None, place: str | None = None,
                side: str | None = None, doc: str | None = None, limit: int | None = None,
                offset: int = 0, kind: str | None = None) -> list[dict]:
        """Merged control changes as contract rows, with corroboration, sources and mentions."""
        return self._read(queries.change_rows, since=since, until=until, place=place, side=side,
                          doc=doc, limit=limit, offset=offset, kind=kind)

    def control_on(self, day: date) -> list[dict]:
        return self._read(state.control_on, day)

    def control_index(self) -> state.ControlIndex:
        """What control on any day derives from, read once (see `state.ControlIndex`)."""
        return self._read(state.ControlIndex.read)

    def revision(self) -> tuple:
        """A cheap fingerprint of the stored rows: it changes when a document, an event, a
        change, a mention or an initial state is added (what a cache of answers depends on)."""
        return self._read(_revision)

    def place_history(self, place_id: str) -> dict | None:
        return self._read(state.place_history, place_id)

    def documents(self) -> list[dict]:
        return self._read(docs.list_documents)

    def document(self, doc_id: str) -> dict | None:
        return self._read(docs.get_document, doc_id)

    def places(self) -> list[dict]:
        """Every known place with its coordinates and how many events and changes it has."""
        return self._read(_places)

    def counts(self) -> dict[str, int]:
        """Rows per table: documents, events, changes, mentions, places."""
        return self._read(_counts)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _store_record(conn: Connection, record: DocumentRecord, *, replace: bool = False) -> dict[str, Any]:
    doc_id = record["document"]["doc_id"]
    keyed_events = [(dict(row), f"{doc_id}/e{i}") for i, row in enumerate(record["events"])]
    keyed_changes = [(dict(row), f"{doc_id}/c{i}") for i, row in enumerate(record["control_changes"])]
    return _store(conn, record, keyed_events, keyed_changes, doc_id, replace=replace)


def _store(conn: Connection, record: DocumentRecord, keyed_events: list, keyed_changes: list,
           origin: str, *, replace: bool = False) -> dict[str, Any]:
    """One document and its rows, merged, inside the caller's transaction.  A document stored
    already is skipped, or with `replace` removed and stored anew."""
    doc_id = record["document"]["doc_id"]
    rows = [r for r, _ in keyed_events] + [r for r, _ in keyed_changes]
    for row in rows:
        checked_place(row)
    replaced = False
    if docs.document_pk(conn, doc_id) is not None:
        if not replace:
            return {"skipped": True, "events": 0, "changes": 0}
        corrections.remove_document(conn, doc_id)
        replaced = True
    profile = record["document"].get("profile")
    if profile:
        corrections.claim_profile(conn, profile)
    document_id = docs.insert_document(conn, record["document"])
    docs.insert_layers(conn, document_id, record)
    for row in rows:
        row["doc_id"] = doc_id
    # The locks first, in one sorted sweep: a concurrent writer at the same places
    # waits here, before either has written a place row the other needs.
    merge.lock_places(conn, [r["place_id"] for r in rows if r.get("place_id")])
    upsert_places(conn, rows)
    counts = _merge_rows(conn, document_id, origin, keyed_events, keyed_changes)
    return {**_ingest_result(conn, document_id, counts), "replaced": replaced}


def _merge_rows(conn: Connection, document_id: int, origin: str, keyed_events: list,
                keyed_changes: list) -> Counter:
    """The document's rows merged into the store; how many were new, merged or known already."""
    counts: Counter = Counter()
    for name, kind, make, keyed in (("event_", merge.EVENT, merge.event_report, keyed_events),
                                    ("change_", merge.CHANGE, merge.change_report, keyed_changes)):
        reports = [make(row, document_id=document_id, origin=origin, mention_key=key)
                   for row, key in keyed]
        for outcome, count in merge.merge_reports(conn, kind, reports).items():
            counts[name + outcome] += count
    return counts


def _ingest_result(conn: Connection, document_id: int, counts: Counter) -> dict[str, Any]:
    result = {
        "skipped": False,
        "events": counts["event_new"] + counts["event_merged"],
        "changes": counts["change_new"] + counts["change_merged"],
        "new_events": counts["event_new"], "merged_events": counts["event_merged"],
        "new_changes": counts["change_new"], "merged_changes": counts["change_merged"],
        "duplicates": counts["event_duplicate"] + counts["change_duplicate"],
    }
    docs.set_counts(conn, document_id, result["events"], result["changes"])
    return result


def _rows_id(source_name: str, rows: Sequence[dict]) -> str:
    digest = hashlib.sha256(source_name.encode("utf-8"))
    for row in rows:
        digest.update(repr(sorted(row.items())).encode("utf-8"))
    return digest.hexdigest()[:16]


def _row_key(prefix: str, doc_id: str, row: dict, index: int, kind: str) -> str:
    ident = row.get("event_id_cnty")
    return f"{prefix}/{kind}/{ident}" if ident else f"{doc_id}/{kind}{index}"


def _refuse_repeated_places(prepared: list[dict]) -> None:
    """Two rows of an initial state that resolve to one place (the same name twice, or two
    spellings of it) are an error in the table, named with both rows."""
    first: dict[str, dict] = {}
    for row in prepared:
        earlier = first.setdefault(row["place_id"], row)
        if earlier is not row:
            where = f"row {row['row']}, column place: " if row.get("row") else ""
            also = f" (row {earlier['row']})" if earlier.get("row") else ""
            raise InputError(f"{where}{row['place']!r} is the same place as {earlier['place']!r}"
                             f"{also}")


def _initial_row(row: dict) -> dict:
    latitude, longitude = _float(row.get("latitude")), _float(row.get("longitude"))
    name = (row.get("place") or row.get("place_id") or "").strip()
    place_id = row.get("place_id") or resolve_place(name, latitude, longitude)["place_id"]
    return {"place_id": place_id, "place": name, "latitude": latitude, "longitude": longitude,
            "controller": str(row["controller"]).strip(), "as_of": merge.parse_day(row.get("as_of")),
            "place_aliases": [], "row": row.get("row")}


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _places(conn: Connection) -> list[dict]:
    n_events = dict(conn.execute(sa.select(events.c.place_id, sa.func.count())
                                 .group_by(events.c.place_id)).all())
    n_changes = dict(conn.execute(sa.select(changes.c.place_id, sa.func.count())
                                  .group_by(changes.c.place_id)).all())
    rows = conn.execute(sa.select(places).order_by(places.c.name, places.c.place_id))
    return [{**dict(r._mapping), "aliases": r.aliases or [], "n_events": n_events.get(r.place_id, 0),
             "n_changes": n_changes.get(r.place_id, 0)} for r in rows]


def _revision(conn: Connection) -> tuple:
    parts = []
    for table in (docs.documents, events, changes):
        parts += [sa.select(sa.func.max(table.c.id)).scalar_subquery(),
                  sa.select(sa.func.count()).select_from(table).scalar_subquery()]
    for table in (event_mentions, change_mentions, initial_state):
        parts.append(sa.select(sa.func.count()).select_from(table).scalar_subquery())
    return tuple(conn.execute(sa.select(*parts)).one())


def _counts(conn: Connection) -> dict[str, int]:
    tables = {"documents": docs.documents, "events": events, "changes": changes,
              "event_mentions": event_mentions, "change_mentions": change_mentions,
              "places": places}
    return {name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for name, t in tables.items()}


@contextmanager
def _translated(name: str) -> Iterator[None]:
    """Database errors as StoreError naming the database: a corrupt file, a locked one.
    A clash with a concurrent writer passes through (the write path retries on it), and a
    value the database refuses (PostgreSQL: a NUL character in a text) is that document's
    error, not the database's."""
    try:
        yield
    except DataError as exc:
        raise _refused(exc) from exc
    except DBAPIError as exc:
        if worth_retrying(exc):
            raise
        if isinstance(exc, OperationalError) and "locked" in str(exc.orig):
            raise StoreError("the database is locked by another writer; try again", name) from exc
        raise StoreError(f"database error: {_first_line(exc)}", name) from exc


def _refused(exc: DataError) -> FrontlinesError:
    return FrontlinesError(f"the database refused this document's data: {_first_line(exc)}")


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().partition("\n")[0]


def store_name(path: Path | None, url: str) -> str:
    return str(path) if path is not None else sa.engine.make_url(url).render_as_string(hide_password=True)
