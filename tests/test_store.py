"""The store: schema and clear errors, idempotent ingest, cross-document merging, control state."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date, timedelta

import pytest

from frontlines.errors import FrontlinesError
from frontlines.model import Analysis, Document, Reference, Sentence, SentenceDate
from frontlines.store import SCHEMA_VERSION, open_store
from frontlines.store.engine import read_transaction
from frontlines.store.merge import EVENT

HOMS = {"place_id": "gn:169577", "name": "Homs", "latitude": 34.72682, "longitude": 36.72339}
HAMA = {"place_id": "gn:170017", "name": "Hama", "latitude": 35.13179, "longitude": 36.75783}


def event(day: str, *, place: dict = HOMS, type: str = "Battles", side1: str | None = "opposition",
          side2: str | None = "government", claim: str = "reported", precision: int = 1,
          evidence: str | None = None, confidence: float = 0.8, **extra) -> dict:
    """A contract event row as the pipeline gives it (the fields the store relies on)."""
    return {"event_id_cnty": None, "event_date": day, "year": int(day[:4]), "time_precision": precision,
            "event_type": type, "sub_event_type": extra.pop("sub", None), "location": place["name"],
            "latitude": place["latitude"], "longitude": place["longitude"], "side1": side1,
            "side2": side2, "claim": claim, "evidence": evidence, "evidence_span": None,
            "sources": [{"number": 1, "title": "Wire story", "publisher": "Reuters", "date": None,
                         "url": None}],
            "place_id": place["place_id"], "place_aliases": [place["name"]], "confidence": confidence,
            "fatalities": extra.pop("fatalities", None), **extra}


def change(day: str, *, place: dict = HOMS, new: str = "opposition", previous: str | None = "government",
           kind: str = "capture", claim: str = "reported", precision: str = "day",
           evidence: str | None = None, confidence: float = 0.8) -> dict:
    return {"place": place["name"], "place_aliases": [place["name"]], "place_id": place["place_id"],
            "latitude": place["latitude"], "longitude": place["longitude"], "date": day,
            "date_precision": precision, "new_controller": new, "previous_controller": previous,
            "kind": kind, "claim": claim, "evidence": evidence, "evidence_span": None,
            "sources": [{"number": 1, "title": "Wire story", "publisher": "Reuters", "date": None,
                         "url": None}], "confidence": confidence}


def analysis(text: str, events=(), changes=()) -> Analysis:
    """A document with one dated, footnoted sentence and the given rows, which the sentence
    is the evidence of unless they name their own."""
    doc = Document(text=text, title=text[:20], published=date(2024, 12, 9), source="test.txt",
                   references={1: Reference(number=1, text="Wire story. Reuters.", title="Wire story",
                                            publisher="Reuters")})
    result = Analysis(document=doc)
    result.sentences = [Sentence(index=0, start=0, end=len(text), text=text, footnotes=[1],
                                 date=SentenceDate(date(2024, 12, 8), "day", "explicit"))]
    result.events = [_evidenced(e, text, doc.doc_id) for e in events]
    result.control_changes = [_evidenced(c, text, doc.doc_id) for c in changes]
    return result


def _evidenced(row: dict, text: str, doc_id: str) -> dict:
    evidence = row["evidence"] or text
    return dict(row, evidence=evidence, evidence_span=[0, len(evidence)], doc_id=doc_id)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """An empty database on each backend: an SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "test.db"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def store(database):
    with open_store(database) as opened:
        yield opened


# -- opening: schema, WAL, clear errors -------------------------------------------------------


def test_a_new_store_has_the_current_schema_in_wal_mode(tmp_path):
    path = tmp_path / "new.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta == {"application": "frontlines", "schema_version": str(SCHEMA_VERSION)}
    open_store(path).close()  # opening again finds the schema in place


def _open_new_store_at_once(path: str, barrier, results) -> None:
    barrier.wait()
    try:
        open_store(path).close()
        results.put("ok")
    except FrontlinesError as err:
        results.put(str(err))


def test_processes_opening_a_new_store_at_once_all_get_it(tmp_path):
    """Two processes that open one new SQLite store at the same moment both switch it to WAL:
    SQLite answers one of them "database is locked" at once when both hold its read lock (1
    in 100 such pairs here), and that one tries again instead of failing."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    for attempt in range(60):
        barrier = context.Barrier(2)
        path = str(tmp_path / f"new-{attempt}.db")
        workers = [context.Process(target=_open_new_store_at_once, args=(path, barrier, results)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert [results.get(timeout=10) for _ in workers] == ["ok", "ok"]


def test_open_store_accepts_a_url_and_the_default_name(tmp_path, monkeypatch):
    open_store(f"sqlite:///{tmp_path / 'url.db'}").close()
    assert (tmp_path / "url.db").exists()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FRONTLINES_DB", raising=False)
    open_store().close()
    assert (tmp_path / "frontlines.db").exists()


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("place,controller\nHoms,government\n"), "not an SQLite file"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000), "not a usable frontlines database"),
    (lambda p: _sqlite(p, "CREATE TABLE customers (id INTEGER)"), "not a frontlines database"),
    (lambda p: _sqlite(p, "CREATE TABLE meta (key TEXT, value TEXT)",
                       "INSERT INTO meta VALUES ('application', 'other')"), "another program"),
    (lambda p: _sqlite(p, "CREATE TABLE meta (key TEXT, value TEXT)",
                       "INSERT INTO meta VALUES ('application', 'frontlines')",
                       "INSERT INTO meta VALUES ('schema_version', '99')"), "newer than this"),
    (lambda p: p.mkdir(), "is a directory"),
])
def test_a_foreign_or_corrupt_file_gets_a_clear_error(tmp_path, make, message):
    path = tmp_path / "bad.db"
    make(path)
    with pytest.raises(FrontlinesError, match=message) as info:
        open_store(path)
    assert str(path) in str(info.value)


def test_an_older_schema_is_migrated_in_place(tmp_path, monkeypatch):
    from frontlines.store import schema

    path = tmp_path / "old.db"
    with open_store(path) as store:
        store.ingest_analysis(analysis("Rebels captured Homs.", changes=[change("2024-12-08")]))

    def add_notes(conn) -> None:
        conn.exec_driver_sql("ALTER TABLE places ADD COLUMN notes TEXT")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(schema.MIGRATIONS, SCHEMA_VERSION, add_notes)
    with open_store(path) as store:
        assert len(store.changes()) == 1  # the data survives
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(places)")]
    assert version == str(SCHEMA_VERSION + 1) and "notes" in columns


def test_a_missing_database_is_an_error_when_reading(tmp_path):
    with pytest.raises(FrontlinesError, match="no such database"):
        open_store(tmp_path / "missing.db", create=False)


def _sqlite(path, *statements: str) -> None:
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)


# -- idempotent ingest ------------------------------------------------------------------------


def test_ingesting_a_document_twice_stores_it_once(store):
    doc = analysis("Rebels captured Homs on 8 December.", [event("2024-12-08")], [change("2024-12-08")])
    first = store.ingest_analysis(doc)
    assert first["skipped"] is False and first["events"] == 1 and first["changes"] == 1
    assert store.ingest_analysis(doc) == {"skipped": True, "events": 0, "changes": 0}
    assert store.has_document(doc.document.doc_id)
    counts = store.counts()
    assert (counts["documents"], counts["events"], counts["event_mentions"], counts["changes"]) == (1, 1, 1, 1)
    assert store.events()[0]["corroboration"] == 1


def test_two_writers_at_once_store_each_document_once(database):
    path = database
    open_store(path).close()
    stories = [analysis(f"Story {i}: rebels took Homs.", [event(f"2024-12-0{1 + i % 5}")],
                        [change("2024-12-08")]) for i in range(30)]
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with open_store(path) as writer:
                for story in stories:
                    writer.ingest_analysis(story)
        except BaseException as err:  # reported by the test, not lost in the thread
            failures.append(err)

    threads = [threading.Thread(target=write) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_store(path) as store:
        counts = store.counts()
        assert (counts["documents"], counts["event_mentions"], counts["change_mentions"]) == (30, 30, 30)
        assert [c["corroboration"] for c in store.changes()] == [30]


def test_a_document_keeps_its_sentences_and_references(store):
    doc = analysis("Rebels captured Homs on 8 December.", [event("2024-12-08")])
    store.ingest_analysis(doc)
    stored = store.document(doc.document.doc_id)
    assert stored["title"] == doc.document.title and stored["published"] == "2024-12-09"
    assert stored["sentences"] == [{"index": 0, "span": [0, 35], "text": doc.document.text,
                                    "date": "2024-12-08", "precision": "day", "basis": "explicit",
                                    "footnotes": [1], "zone": "body", "paragraph": 0, "section": None}]
    assert stored["references"][0]["publisher"] == "Reuters"
    assert [d["doc_id"] for d in store.documents()] == [doc.document.doc_id]
    assert store.documents()[0]["n_events"] == 1
    assert store.document("nope") is None


# -- merging across documents -------------------------------------------------------------------


def test_the_same_event_in_two_documents_is_one_row_with_both_sources(store):
    store.ingest_analysis(analysis("A: fighting in Homs.", [event("2024-12-06", evidence="A: fighting in Homs.")]))
    store.ingest_analysis(analysis("B: clashes in Hims.", [event("2024-12-07", evidence="B: clashes in Hims.")]))
    (row,) = store.events()
    assert row["corroboration"] == 2
    assert row["event_date"] == "2024-12-06"  # the earliest day
    assert [m["evidence"] for m in row["mentions"]] == ["A: fighting in Homs.", "B: clashes in Hims."]
    assert len({s["doc_id"] for s in row["sources"]}) == 2
    assert len(row["doc_ids"]) == 2


def test_a_syndicated_copy_adds_its_source_but_no_corroboration(store):
    wire = "Rebels captured Homs on Sunday, a monitor said.[3]"
    store.ingest_analysis(analysis("Masthead A", changes=[change("2024-12-08", evidence=wire)]))
    store.ingest_analysis(analysis("Masthead B", changes=[change("2024-12-08", evidence=wire.replace("[3]", ""))]))
    (row,) = store.changes()
    assert row["corroboration"] == 1 and len(row["doc_ids"]) == 2
    assert [m["reprint"] for m in row["mentions"]] == [False, True]
    store.ingest_analysis(analysis("Own reporting", changes=[change("2024-12-08", evidence="Homs fell.")]))
    assert store.changes()[0]["corroboration"] == 2


@pytest.mark.parametrize("second, rows", [
    (dict(day="2024-12-08"), 2),  # two days apart
    (dict(day="2024-12-07", side1="government"), 2),  # conflicting sides
    (dict(day="2024-12-07", side1=None), 1),  # one side unknown: compatible
    (dict(day="2024-12-06", type="Riots"), 2),  # another type
    (dict(day="2024-12-06", place=HAMA), 2),  # another place
    (dict(day="2024-12-06", claim="denied"), 2),  # a denial is not a corroboration
    (dict(day="2024-12-06", claim="claimed"), 1),  # claimed and reported are both claims of fact
    (dict(day="2024-12-01", precision=3), 1),  # "in December" covers the 6th
    (dict(day="2024-01-01", precision=3), 2),  # January does not
])
def test_events_merge_only_when_compatible(store, second, rows):
    store.ingest_analysis(analysis("first", [event("2024-12-06")]))
    second = dict(second)  # the parameter is shared by both backends' runs
    day = second.pop("day")
    store.ingest_analysis(analysis("second", [event(day, **second)]))
    assert len(store.events()) == rows


def test_a_year_precision_or_undated_change_never_merges(store):
    store.ingest_analysis(analysis("first", changes=[change("2024-01-01", precision="year")]))
    store.ingest_analysis(analysis("second", changes=[change("2024-01-01", precision="year")]))
    store.ingest_analysis(analysis("third", changes=[change("2024-01-01")]))
    undated = change("2024-01-01")
    undated["date"] = None
    store.ingest_analysis(analysis("fourth", changes=[undated]))
    store.ingest_analysis(analysis("fifth", changes=[undated]))
    assert [r["corroboration"] for r in store.changes()] == [1, 1, 1, 1, 1]


def test_two_events_of_one_document_never_merge(store):
    store.ingest_analysis(analysis("one document", [event("2024-12-06"), event("2024-12-07")]))
    assert len(store.events()) == 2
    store.ingest_analysis(analysis("another", [event("2024-12-07")]))
    rows = store.events()
    assert [r["corroboration"] for r in rows] == [1, 2]  # joins the nearest (the 7th), once


def test_merging_fills_sides_keeps_the_stronger_claim_and_fewest_fatalities(store):
    store.ingest_analysis(analysis("first", [event("2024-12-07", side2=None, claim="claimed", fatalities=12)]))
    store.ingest_analysis(analysis("second", [event("2024-12-06", fatalities=7, evidence="Second.")]))
    (row,) = store.events()
    assert row["side2"] == "government" and row["claim"] == "reported" and row["fatalities"] == 7
    assert row["evidence"] == "Second."  # the report whose date the row took leads
    assert row["confidence"] == pytest.approx(0.85)


def test_the_same_change_from_three_documents_is_one_row(store):
    for n, day in enumerate(["2024-12-08", "2024-12-08", "2024-12-07"]):
        kind = "withdrawal" if n == 0 else "capture"
        store.ingest_analysis(analysis(f"doc {n}", changes=[change(day, kind=kind, previous=None if n == 0 else "government")]))
    (row,) = store.changes()
    assert row["corroboration"] == 3 and row["date"] == "2024-12-07"
    assert row["kind"] == "capture" and row["previous_controller"] == "government"
    assert len(row["mentions"]) == 3


def test_denied_and_unconfirmed_changes_stay_apart_from_reported_ones(store):
    store.ingest_analysis(analysis("a", changes=[change("2024-12-06", kind="withdrawal", claim="denied")]))
    store.ingest_analysis(analysis("b", changes=[change("2024-12-07", claim="unconfirmed")]))
    store.ingest_analysis(analysis("c", changes=[change("2024-12-07")]))
    store.ingest_analysis(analysis("d", changes=[change("2024-12-07", claim="claimed")]))
    claims = sorted((r["claim"], r["corroboration"]) for r in store.changes())
    assert claims == [("denied", 1), ("reported", 2), ("unconfirmed", 1)]


def test_rows_without_source_documents_are_not_counted_twice(store):
    rows = [event("2024-12-06", event_id_cnty="SYR1"), event("2024-12-06", place=HAMA, event_id_cnty="SYR2")]
    first = store.ingest_events(rows, source_name="export-1.csv", origin="acled")
    assert first["events"] == 2
    # A later export repeats SYR1 (and adds SYR3 the same day at Homs, a distinct ACLED event).
    again = [event("2024-12-06", event_id_cnty="SYR1"), event("2024-12-06", event_id_cnty="SYR3")]
    second = store.ingest_events(again, source_name="export-2.csv", origin="acled")
    assert second["duplicates"] == 1 and second["events"] == 1
    assert sorted(r["corroboration"] for r in store.events()) == [1, 1, 1]
    store.ingest_analysis(analysis("a story", [event("2024-12-06")]))
    assert sorted(r["corroboration"] for r in store.events()) == [1, 1, 2]


def test_merge_candidates_come_from_the_index(store):
    """Cost must not grow with the table: the candidate query (one per document, for all
    its places and types) searches the (place, type, date) index, never the whole table."""
    store.ingest_analysis(analysis("first", [event("2024-12-06")]))
    values = {"places": [HOMS["place_id"], HAMA["place_id"]], "keys": ["Battles", "Riots"],
              "lo_min": date(2024, 11, 4), "hi_max": date(2024, 12, 7),
              "lo_tolerant": date(2024, 12, 5)}
    with read_transaction(store.engine) as conn:
        plan = _plan(conn, EVENT.candidates, values)
        assert "USING INDEX ix_events_candidates" in plan or "Index Scan using ix_events_candidates" in plan, plan
        assert len(conn.execute(EVENT.candidates, values).all()) == 1


def _plan(conn, statement, values: dict) -> str:
    """The query plan of a statement.  PostgreSQL plans a sequential scan of a table this
    small, so it is told to prefer an index where one applies."""
    # The lists (expanding parameters) rendered as one placeholder per item.
    state = statement.compile(dialect=conn.dialect).construct_expanded_state(values)
    sql, params = state.statement, state.parameters
    if conn.dialect.name == "sqlite":
        ordered = tuple(str(params[name]) for name in state.positiontup)
        return " ".join(str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ordered))
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN {sql}", params))


# -- reading: filters ---------------------------------------------------------------------------


def test_event_filters(store):
    store.ingest_analysis(analysis("a", [event("2024-12-05", place=HAMA, type="Battles"),
                                         event("2024-12-08", type="Explosions/Remote violence",
                                               sub="Air/drone strike", side1="government",
                                               side2="opposition")]))
    store.ingest_analysis(analysis("b", [event("2024-12-09", type="Riots", side1="civilians", side2=None)]))
    doc_b = analysis("b", []).document.doc_id

    def places(**filters):
        return [r["location"] for r in store.events(**filters)]

    assert places() == ["Hama", "Homs", "Homs"]
    assert places(since=date(2024, 12, 6)) == ["Homs", "Homs"]
    assert places(until=date(2024, 12, 6)) == ["Hama"]
    assert places(type="air/drone strike") == ["Homs"]
    assert places(type="Battles") == ["Hama"]
    assert places(place="Hims") == ["Homs", "Homs"]  # any spelling of the name
    assert places(place="gn:170017") == ["Hama"]
    assert places(place="Aleppo") == []
    assert places(side="civilians") == ["Homs"]
    assert places(doc=doc_b) == ["Homs"]
    assert places(limit=1, offset=1) == ["Homs"]


def test_change_filters(store):
    store.ingest_analysis(analysis("a", changes=[change("2024-12-05", place=HAMA),
                                                 change("2024-12-08", kind="withdrawal")]))
    assert [r["place"] for r in store.changes()] == ["Hama", "Homs"]
    assert [r["place"] for r in store.changes(kind="withdrawal")] == ["Homs"]
    assert [r["place"] for r in store.changes(place="Hamah")] == ["Hama"]
    assert [r["place"] for r in store.changes(side="government", since=date(2024, 12, 6))] == ["Homs"]


# -- control state ----------------------------------------------------------------------------


def _state(store, day: str) -> dict[str, dict]:
    return {r["place"]: r for r in store.control_on(date.fromisoformat(day))}


def test_control_state_follows_changes_and_lists_denials_beside_it(store):
    store.ingest_analysis(analysis("a", changes=[change("2024-12-06", kind="withdrawal", claim="denied",
                                                        evidence="The army denied leaving Homs.")]))
    store.ingest_analysis(analysis("b", changes=[change("2024-12-08", evidence="Rebels took Homs.")]))
    before = _state(store, "2024-12-01")["Homs"]
    assert (before["controller"], before["since"], before["pending"]) == ("government", None, [])
    assert before["basis"] == "before_first_change"
    denied = _state(store, "2024-12-07")["Homs"]
    assert denied["controller"] == "government"
    assert [p["claim"] for p in denied["pending"]] == ["denied"]
    assert denied["pending"][0]["evidence"] == "The army denied leaving Homs."
    after = _state(store, "2024-12-08")["Homs"]
    assert (after["controller"], after["since"], after["claim"]) == ("opposition", "2024-12-08", "reported")
    assert after["evidence"] == "Rebels took Homs."
    assert after["latitude"] == HOMS["latitude"] and after["sources"]
    assert set(after) >= {"place", "controller", "since", "latitude", "longitude", "claim", "evidence",
                          "confidence", "sources", "pending", "place_id"}


def test_the_control_index_answers_every_day_as_the_state_of_that_day(store):
    store.set_initial_state([{"place": "Hama", "place_id": "gn:170017", "latitude": 35.13179,
                              "longitude": 36.75783, "controller": "government"}], source_name="start.csv")
    store.ingest_analysis(analysis("a", changes=[change("2024-12-03", kind="withdrawal", claim="denied",
                                                        evidence="The army denied leaving Homs.")]))
    store.ingest_analysis(analysis("b", changes=[change("2024-12-05", evidence="Rebels took Homs."),
                                                 change("2024-12-09", new="government", previous="opposition",
                                                        kind="recapture", evidence="The army retook Homs.")]))
    index = store.control_index()
    def encode(value):
        return json.dumps(value, default=str, separators=(",", ":")).encode()

    seen = []
    for offset in range(12):
        day = date(2024, 12, 1) + timedelta(days=offset)
        rows = index.on(day)
        assert rows == store.control_on(day)  # one day read on its own: the same rows
        assert index.encoded(day, encode) == encode(rows)
        seen.append({r["place"]: (r["controller"], r["since"], len(r["pending"])) for r in rows})
    assert seen[0] == {"Hama": ("government", None, 0), "Homs": ("government", None, 0)}
    assert seen[2]["Homs"] == seen[3]["Homs"] == ("government", None, 1)  # the denial, beside it
    assert seen[4]["Homs"] == seen[7]["Homs"] == ("opposition", "2024-12-05", 1)
    assert seen[8]["Homs"] == seen[11]["Homs"] == ("government", "2024-12-09", 1)
    assert {s["Hama"] for s in seen} == {("government", None, 0)}
    # control only changes on the days of changes: a day's rows are those of its stretch's first day
    assert index.days == [date(2024, 12, 3), date(2024, 12, 5), date(2024, 12, 9)]
    assert index.stretch_start(date(2024, 12, 2)) == date.min
    assert index.stretch_start(date(2024, 12, 5)) == index.stretch_start(date(2024, 12, 8)) == date(2024, 12, 5)
    assert index.stretch_start(date(2025, 6, 1)) == date(2024, 12, 9)
    for offset in range(12):
        day = date(2024, 12, 1) + timedelta(days=offset)
        assert index.on(index.stretch_start(day)) == index.on(day)
    index.on(date(2024, 12, 6))[0]["controller"] = "changed by a caller"
    assert index.on(date(2024, 12, 6))[0]["controller"] != "changed by a caller"


def test_initial_state_holds_until_the_first_change(store):
    stored = store.set_initial_state([
        {"place": "Homs", "place_id": "gn:169577", "latitude": 34.72682, "longitude": 36.72339,
         "controller": "government"},
        {"place": "Hama", "place_id": "gn:170017", "latitude": 35.13179, "longitude": 36.75783,
         "controller": "government"},
    ], source_name="map-2024-11-26.csv")
    assert stored == 2
    store.ingest_analysis(analysis("a", changes=[change("2024-12-05", place=HAMA, previous=None)]))
    early = _state(store, "2024-11-30")
    assert {p: r["controller"] for p, r in early.items()} == {"Hama": "government", "Homs": "government"}
    assert early["Homs"]["basis"] == "initial_state" and early["Homs"]["sources"][0]["title"] == "map-2024-11-26.csv"
    later = _state(store, "2024-12-05")
    assert later["Hama"]["controller"] == "opposition" and later["Homs"]["controller"] == "government"


def test_place_history_and_places(store):
    store.ingest_analysis(analysis("a", [event("2024-12-07")], [change("2024-12-08")]))
    history = store.place_history("gn:169577")
    assert history["place"] == "Homs" and history["latitude"] == HOMS["latitude"]
    assert [c["date"] for c in history["changes"]] == ["2024-12-08"]
    assert [e["event_date"] for e in history["events"]] == ["2024-12-07"]
    assert history["changes"][0]["evidence"] == "a"
    assert store.place_history("gn:0") is None
    (place,) = store.places()
    assert place["place_id"] == "gn:169577" and place["n_events"] == 1 and place["n_changes"] == 1
