"""The server under abuse and load: posted bodies gated before they are read, a time budget
per request (503 with Retry-After, never 500), bounded offsets, capped timelines, kept answers
that follow the store, and data that stays valid (no NaN, no over-long keys) on both backends."""

from __future__ import annotations

import asyncio
import json
import math
import time
import warnings
from pathlib import Path

import pytest

from frontlines.errors import InputError
from frontlines.store import open_store

fastapi = pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontlines.web import app as web_app  # noqa: E402
from frontlines.web.app import concurrency, create_app  # noqa: E402

TOKEN = "secret-token"


def event(index: int, day: str, *, place: str = "user:test-1", **changed) -> dict:
    row = {"event_id_cnty": f"T{index}", "event_date": day, "year": int(day[:4]), "time_precision": 1,
           "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Rebels", "side1": "opposition",
           "location": "Testville", "place_id": place, "latitude": 35.0, "longitude": 37.0,
           "claim": "reported", "evidence": f"Clashes in Testville ({index}).", "evidence_span": None,
           "sources": [], "confidence": 0.8, "fatalities": None}
    row.update(changed)
    return row


def change(day: str, controller: str, *, place: str = "user:test-1", name: str = "Testville", **changed) -> dict:
    row = {"place": name, "place_aliases": [], "place_id": place, "latitude": 35.0, "longitude": 37.0,
           "date": day, "date_precision": "day", "new_controller": controller,
           "previous_controller": "government" if controller != "government" else "opposition",
           "kind": "capture", "claim": "reported", "evidence": f"{controller} took {name}.",
           "evidence_span": None, "sources": [], "confidence": 0.8}
    row.update(changed)
    return row


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "web.db"
    with open_store(path) as store:
        store.ingest_events([event(i, f"2023-05-{1 + i % 20:02d}") for i in range(30)],
                            source_name="rows.csv", changes=[change("2023-05-03", "opposition")])
    return path


def client(db: Path, **options) -> TestClient:
    return TestClient(create_app(db, **options))


# -- posting: the gate before the body -----------------------------------------------------------


def call_without_body(app, headers: list[tuple[bytes, bytes]]) -> tuple[int, dict, list[str]]:
    """POST /api/documents straight through ASGI with a body that must never be read."""
    sent: list[dict] = []

    async def receive() -> dict:
        raise AssertionError("the body was read")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/api/documents", "raw_path": b"/api/documents",
             "query_string": b"", "headers": headers, "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(body), [k.decode() for k, _ in start["headers"]]


def test_a_post_without_the_token_is_refused_before_its_body_is_read(db):
    app = create_app(db, allow_ingest=True, token=TOKEN)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(100 * 2**20).encode())]
    status, body, _ = call_without_body(app, headers)
    assert (status, body["error"]) == (401, "a valid bearer token is required")


def test_a_post_declaring_more_than_the_limit_is_refused_before_its_body_is_read(db):
    app = create_app(db, allow_ingest=True, token=TOKEN, max_post_bytes=1000)
    headers = [(b"authorization", f"Bearer {TOKEN}".encode()), (b"content-length", b"5000")]
    status, body, _ = call_without_body(app, headers)
    assert status == 413
    assert "request body too large" in body["error"] and "FRONTLINES_MAX_POST_BYTES" in body["error"]


def test_a_post_when_ingest_is_off_is_refused_before_its_body_is_read(db):
    status, body, _ = call_without_body(create_app(db), [(b"content-length", b"10")])
    assert status == 403


def test_a_streamed_body_longer_than_the_limit_is_cut_off_with_413(db):
    with client(db, allow_ingest=True, token=TOKEN, max_post_bytes=1000) as http:
        chunks = (json.dumps({"text": "x" * 5000}).encode()[i:i + 100] for i in range(0, 5100, 100))
        response = http.post("/api/documents", content=chunks,
                             headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
        assert response.status_code == 413
        small = http.post("/api/documents", json={"text": "Rebels shelled Testville on 2 May 2023."},
                          headers={"Authorization": f"Bearer {TOKEN}"})
        assert small.status_code == 201


# -- parameters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=-1", "limit=0", "limit=100000",
                                   "since=2023-13-01", "since=2023-05-10&until=2023-05-01"])
def test_parameters_out_of_range_are_422_not_500(db, query):
    with client(db) as http:
        response = http.get(f"/api/events?{query}")
    assert response.status_code == 422, response.text
    assert response.json()["error"]


# -- time budget and concurrency ------------------------------------------------------------------


def test_a_request_over_its_time_budget_is_503_with_retry_after(db, monkeypatch):
    from frontlines.store.core import Store

    def slow_documents(self):
        time.sleep(3)
        return []

    monkeypatch.setattr(Store, "documents", slow_documents)
    with client(db, request_budget=0.5) as http:
        started = time.monotonic()
        response = http.get("/api/documents")
        assert time.monotonic() - started < 2.5
        assert response.status_code == 503
        assert response.headers["retry-after"].isdigit()
        assert response.json()["error"].startswith("busy")
        assert http.get("/api/events?limit=1").status_code == 200


def test_the_server_never_runs_more_requests_than_the_pool_has_connections(db):
    with open_store(db) as store:
        pool = store.engine.pool
        assert 1 <= concurrency(store) <= pool.size() + max(0, pool._max_overflow)


def test_concurrent_heavy_requests_all_succeed(db):
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/api/summary", "/api/timeline", "/api/control?date=2023-05-04", "/api/events?limit=1",
             "/api/info", "/api/places"] * 6
    with client(db) as http, ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda path: http.get(path).status_code, paths))
    assert statuses == [200] * len(paths)


# -- kept answers follow the store ---------------------------------------------------------------


def test_control_answers_follow_a_new_ingest(db, monkeypatch):
    from frontlines.web import cache

    monkeypatch.setattr(cache, "REVISION_TTL_S", 0.0)  # the revision read on every request
    app = create_app(db)
    with TestClient(app) as http:
        before = http.get("/api/control?date=2023-05-10").json()
        assert [r["controller"] for r in before] == ["opposition"]
        app.state.store.ingest_events([], source_name="more.csv", changes=[change("2023-05-08", "government")])
        after = http.get("/api/control?date=2023-05-10").json()
        assert [r["controller"] for r in after] == ["government"]
        assert http.get("/api/control?date=2023-05-04").json()[0]["controller"] == "opposition"


def test_the_map_and_areas_of_a_day_follow_a_new_ingest(db, monkeypatch):
    from frontlines.web import cache

    monkeypatch.setattr(cache, "REVISION_TTL_S", 0.0)
    app = create_app(db)
    with TestClient(app) as http:
        sides = lambda: ({m["side"] for m in http.get("/api/map?date=2023-05-10").json()["places"]},  # noqa: E731
                         {f["properties"]["side"] for f in http.get("/api/areas?date=2023-05-10").json()["features"]})
        assert sides() == ({"opposition"}, {"opposition"})
        app.state.store.ingest_events([], source_name="more.csv", changes=[change("2023-05-08", "government")])
        assert sides() == ({"government"}, {"government"})


def test_refusals_carry_the_security_headers_too(db):
    with client(db) as http:
        refused = http.post("/api/documents", json={"text": "x"})
        assert refused.status_code == 403
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert "default-src 'self'" in refused.headers["content-security-policy"]


def test_a_long_timeline_is_capped_and_paged_by_day(db, monkeypatch):
    monkeypatch.setattr(web_app, "MAX_TIMELINE_ROWS", 10)
    with client(db) as http:
        first = http.get("/api/timeline").json()
        assert first["next_since"] is not None
        days = [d for d in first["days"]]
        lines = sum(len(d["entries"]) for d in days)
        assert 0 < lines <= 11
        rest = http.get(f"/api/timeline?since={first['next_since']}").json()
        assert rest["days"] and rest["days"][0]["heading"] != days[-1]["heading"]
        whole_day = http.get("/api/timeline?since=2023-05-01&until=2023-05-01").json()
        assert whole_day["next_since"] is None


# -- data that stays valid, on both backends -----------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield tmp_path / "test.db"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.create_database()
    yield url
    server.drop_database(url)


def test_a_ten_thousand_character_location_is_stored_under_a_hashed_key(database):
    name = "Village" + " of the long name" * 600
    place_id = "name:" + name.lower()
    with open_store(database) as store:
        store.ingest_events([event(1, "2023-05-02", place=place_id, location=name)], source_name="long.csv",
                            changes=[change("2023-05-02", "opposition", place=place_id, name=name)])
        store.ingest_events([event(2, "2023-05-03")], source_name="later.csv")
        (stored,) = [p for p in store.places() if p["name"] == name]
        assert len(stored["place_id"]) <= 128
        assert store.place_history(stored["place_id"])["changes"][0]["place"] == name
        assert store.events(place=place_id)[0]["location"] == name
        assert store.counts()["events"] == 2  # the file after it was stored too


@pytest.mark.parametrize("column,value", [("latitude", math.nan), ("longitude", math.inf), ("latitude", 91.0)])
def test_non_finite_or_off_the_globe_coordinates_are_refused_naming_the_place(database, column, value):
    with open_store(database) as store:
        with pytest.raises(InputError) as caught:
            store.ingest_events([event(1, "2023-05-02", **{column: value})], source_name="nan.csv")
        assert f"{column} {value!r} of 'Testville' is not a number within" in str(caught.value)
        assert store.counts()["events"] == 0
