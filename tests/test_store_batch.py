"""The store's write path at scale: a fixed number of statements per document however many
rows it reports, and several documents in one transaction without losing any to another's
error (on both backends)."""

from __future__ import annotations

import sqlalchemy as sa

from frontlines.errors import FrontlinesError
from frontlines.store import open_store
from frontlines.store.documents import document_record

from .test_store import HAMA, HOMS, analysis, change, database, event  # noqa: F401 - the fixture


def _places(count: int, first: int) -> list[dict]:
    return [{"place_id": f"gn:{800000 + n}", "name": f"Qaryat {n}", "latitude": 34 + n / 100,
             "longitude": 36 + n / 100} for n in range(first, first + count)]


def _statements(store, text: str, rows: int, first: int) -> int:
    """SQL statements run to store a document of `rows` events (and as many changes), each at
    its own place, half of them merging into rows stored before."""
    counted = [0]

    def count(*_args, **_kwargs) -> None:
        counted[0] += 1

    places = _places(rows, first)
    store.ingest_analysis(analysis(f"earlier {text}", [event("2024-12-06", place=p) for p in places[::2]]))
    sa.event.listen(store.engine, "before_cursor_execute", count)
    try:
        store.ingest_analysis(analysis(text, [event("2024-12-06", place=p) for p in places],
                                       [change("2024-12-06", place=p) for p in places]))
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", count)
    return counted[0]


def test_a_document_costs_the_same_statements_with_4_rows_as_with_60(database):  # noqa: F811
    with open_store(database) as store:
        few = _statements(store, "a short story", 2, first=0)
    with open_store(database) as store:
        many = _statements(store, "a long chronicle", 30, first=100)
        merged = [e for e in store.events() if e["corroboration"] == 2]
    assert len(merged) == 1 + 15  # the short one's earlier half, and the long one's
    assert many == few <= 25


def test_a_batch_stores_every_document_in_order_and_skips_a_repeat(database):  # noqa: F811
    first = analysis("Rebels captured Homs.", changes=[change("2024-12-08")])
    second = analysis("Homs fell to the rebels.", changes=[change("2024-12-08")],
                      events=[event("2024-12-08", place=HAMA)])
    records = [document_record(a) for a in (first, second, first)]
    with open_store(database) as store:
        results = store.ingest_records(records)
        assert [r["skipped"] for r in results] == [False, False, True]
        assert [r["merged_changes"] for r in results[:2]] == [0, 1]
        assert store.changes()[0]["corroboration"] == 2 and len(store.documents()) == 2
        assert store.ingest_records([]) == []


def test_a_document_the_database_refuses_leaves_the_rest_of_its_batch_stored(postgres_server):
    """PostgreSQL refuses a NUL character in a text: that document's savepoint is rolled back,
    its neighbours in the same transaction are kept."""
    url = postgres_server.create_database()
    try:
        good = [analysis(f"Rebels captured Homs, story {n}.", changes=[change("2024-12-08", place=p)])
                for n, p in enumerate((HOMS, HAMA))]
        bad = analysis("Rebels\x00 captured Homs.", changes=[change("2024-12-08")])
        with open_store(url) as store:
            results = store.ingest_records([document_record(a) for a in (good[0], bad, good[1])])
            assert isinstance(results[1], FrontlinesError) and "NUL" in str(results[1])
            assert [r["changes"] for r in (results[0], results[2])] == [1, 1]
            assert store.counts()["documents"] == 2 and store.counts()["changes"] == 2
    finally:
        postgres_server.drop_database(url)
