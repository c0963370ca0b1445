"""The web app's API: every endpoint over a store holding the bundled article and a hostile
document, bad parameters answered with 4xx JSON errors, ingest only with the token."""

from __future__ import annotations

import json
import re
import warnings
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.corpus import ingest_file
from frontlines.profiles import load_profile
from frontlines.store import open_store

from .conftest import EXAMPLE
from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401

fastapi = pytest.importorskip("fastapi", reason="the web extra (fastapi) is not installed")
with warnings.catch_warnings():  # starlette's notice that httpx has a successor, httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from frontlines.web.app import create_app  # noqa: E402

HOMS = "gn:169577"
HOSTILE_FILE = "<img src=x onerror=window.__pwned=10>.txt"
# Markup and script in the title, the narrative, the reference list and the file name.
HOSTILE_TEXT = """\
<img src=x onerror=window.__pwned=1>Rebels <script>window.__pwned=2</script> take Tall Kalakh

On 20 November 2024, opposition fighters captured Tall Kalakh <img src=x onerror="window.__pwned=3;alert(3)"> after heavy clashes with government forces.[1] A <a href="javascript:window.__pwned=4">javascript: link</a> was posted by the rebels.

On 20 November 2024, government warplanes struck Qusayr <script>window.__pwned=5;alert(5)</script>, killing 4 civilians.[2]

References

1. "<script>window.__pwned=6</script>Rebels take Tall Kalakh". <img src=x onerror=alert(7)>. javascript:alert(8)
2. "Strike on <b onmouseover=alert(9)>Qusayr</b>". Example Wire. javascript:window.__pwned=9
"""
HOSTILE_PLACE = {"place_id": "user:hostile", "latitude": 34.45, "longitude": 37.05}
# Rows that come without a text (as an ACLED export does) carry names of their own.
HOSTILE_EVENT = {
    "event_date": "2024-11-20", "time_precision": 1, "event_type": "Battles",
    "sub_event_type": "<svg onload=window.__pwned=11>", "location": "<img src=x onerror=window.__pwned=12>",
    **HOSTILE_PLACE, "actor1": "<script>window.__pwned=13</script>", "side1": "<b onclick=x>rebels</b>",
    "actor2": None, "side2": None, "claim": "claimed",
    "evidence": "<iframe src=javascript:window.__pwned=14></iframe>", "evidence_span": None,
    "sources": [{"title": "<script>window.__pwned=15</script>", "url": "javascript:window.__pwned=16"}],
    "confidence": 0.5, "fatalities": None,
}
HOSTILE_CHANGE = {
    "place": "<img src=x onerror=window.__pwned=12>", "place_aliases": [], **HOSTILE_PLACE,
    "date": "2024-11-20", "date_precision": "day", "new_controller": "<b onclick=x>rebels</b>",
    "previous_controller": "government", "kind": "capture", "claim": "claimed",
    "evidence": "<iframe src=javascript:window.__pwned=17></iframe>", "evidence_span": None,
    "sources": [], "confidence": 0.5,
}


def build_store(folder: Path) -> Path:
    """A new store with the bundled article, the hostile document and the hostile rows."""
    hostile = folder / HOSTILE_FILE
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    path = folder / "web.db"
    with open_store(path) as store:
        for document in (EXAMPLE, hostile):
            assert not ingest_file(store, document)["skipped"]
        store.ingest_events([HOSTILE_EVENT], source_name="<script>window.__pwned=18</script>.csv",
                            changes=[HOSTILE_CHANGE])
    return path


@pytest.fixture(scope="module")
def web_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        yield build_store(folder)


@pytest.fixture(scope="module")
def client(web_db):
    with TestClient(create_app(web_db)) as test_client:
        yield test_client


def get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def cli_json(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- reading ---------------------------------------------------------------------------------------


def test_info_gives_the_profile_days_and_counts(client):
    info = get(client, "/api/info")
    syria = load_profile("syria")
    assert info["title"] == syria.title
    assert {s["key"]: s["colour"] for s in info["sides"]}["opposition"] == syria.sides["opposition"].colour
    assert info["days"] == {"first": "2024-11-05", "last": "2024-12-08", "default": "2024-12-08"}
    assert info["counts"]["documents"] == 3 and info["ingest"] is False


def test_the_map_of_a_day_is_the_static_maps_data(client, web_db):
    from frontlines.export.map import map_data
    from frontlines.store import open_store

    served = get(client, "/api/map?date=2024-12-08")
    with open_store(web_db) as store:
        built = map_data(store.control_on(date(2024, 12, 8)), load_profile("syria"), day="2024-12-08",
                         with_base=False)
    assert [p["id"] for p in served["places"]] == [p["id"] for p in built["places"]]
    assert served["areas"] == json.loads(json.dumps(built["areas"]))
    assert any(label["text"] == "Homs" for label in served["labels"])
    homs = next(p for p in served["places"] if p["name"] == "Homs")
    assert homs["side"] == "opposition" and homs["group"]  # villages placed near Homs, under it
    reply = client.get("/api/areas?date=2024-12-05")
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("application/geo+json")
    areas = reply.json()
    assert {f["properties"]["side"] for f in areas["features"] if f["properties"]["kind"] == "area"} >= {
        "government", "opposition"}
    (south, west), (north, east) = served["view"]
    base = get(client, f"/api/basemap?south={south}&west={west}&north={north}&east={east}")
    assert "Syria" in {f["properties"]["name"] for f in base["countries"]["features"]}
    assert base["towns"] and base["divisions"]["features"]
    get(client, "/api/basemap?south=40&west=30&north=35&east=40", status=422)
    get(client, "/api/map?date=8-12-2024", status=422)


def test_events_are_paged_and_filtered_as_on_the_command_line(client, web_db):
    everything = cli_json("events", "--db", str(web_db), "--format", "json")
    pages, offset = [], 0
    while offset is not None:
        page = get(client, f"/api/events?limit=7&offset={offset}")
        assert page["limit"] == 7 and page["offset"] == offset and len(page["items"]) <= 7
        pages += page["items"]
        offset = page["next_offset"]
    assert [e["id"] for e in pages] == [e["id"] for e in everything]
    assert get(client, "/api/events")["limit"] == 100
    day = get(client, "/api/events?since=2024-12-08&until=2024-12-08")["items"]
    assert day and {e["event_date"] for e in day} == {"2024-12-08"}
    rastan = get(client, "/api/events?place=Rastan&type=Air/drone strike")["items"]
    assert rastan and {(e["location"], e["sub_event_type"]) for e in rastan} == {("Ar Rastan", "Air/drone strike")}
    israel = get(client, "/api/events?side=israel")["items"]
    assert israel and all("israel" in (e["side1"], e["side2"]) for e in israel)
    doc_id = next(d["doc_id"] for d in get(client, "/api/documents") if d["source"].endswith(HOSTILE_FILE))
    assert {e["doc_id"] for e in get(client, f"/api/events?doc={doc_id}")["items"]} == {doc_id}


def test_changes_filter_by_kind_and_place(client):
    captures = get(client, "/api/changes?type=capture&limit=1000")["items"]
    assert captures and {c["kind"] for c in captures} == {"capture"}
    homs = get(client, "/api/changes?place=Homs")["items"]
    assert [(c["date"], c["kind"], c["claim"]) for c in homs] == [
        ("2024-12-06", "withdrawal", "denied"), ("2024-12-08", "capture", "reported")]


def test_control_rows_are_those_of_the_command_line(client, web_db):
    for day, holder in (("2024-12-01", "government"), ("2024-12-08", "opposition")):
        rows = get(client, f"/api/control?date={day}")
        assert rows == cli_json("control", "--db", str(web_db), "--date", day, "--format", "json")
        assert next(r for r in rows if r["place_id"] == HOMS)["controller"] == holder
    pending = next(r for r in get(client, "/api/control?date=2024-12-07") if r["place_id"] == HOMS)
    assert pending["controller"] == "government" and pending["pending"][0]["claim"] == "denied"


def test_a_place_has_its_history_with_evidence(client):
    assert any(p["place_id"] == HOMS for p in get(client, "/api/places"))
    homs = get(client, f"/api/places/{HOMS}")
    assert homs["place"] == "Homs" and len(homs["changes"]) == 2 and homs["events"]
    assert all(c["evidence"] and c["mentions"] for c in homs["changes"])


def test_a_document_has_its_sentences_spans_and_sources(client):
    listed = get(client, "/api/documents")
    article = next(d for d in listed if d["title"] == "2024 Homs offensive")
    doc = get(client, f"/api/documents/{article['doc_id']}")
    assert all(doc["text"][s["span"][0]:s["span"][1]] == s["text"] for s in doc["sentences"])
    numbers = {r["number"] for r in doc["references"]}
    cited = [s for s in doc["sentences"] if set(s["footnotes"]) & numbers]
    assert len(cited) > 20
    assert all([r["number"] for r in s["sources"]] == [n for n in s["footnotes"] if n in numbers]
               for s in doc["sentences"])
    assert doc["references"][0]["publisher"] == "Reuters"


def test_summary_is_that_of_the_command_line(client, web_db):
    summary = get(client, "/api/summary")
    assert summary == cli_json("summary", "--db", str(web_db), "--format", "json")
    assert summary["date"]["start"] == "2024-12-05"  # the story's span, not a background strike
    assert get(client, "/api/summary?place=Homs")["territory"]["by_side"][0]["places"] == ["Homs"]


def test_timeline_lines_carry_their_day_places_and_notes(client):
    timeline = get(client, "/api/timeline")
    headings = [d["heading"] for d in timeline["days"]]
    assert headings[0] == "5 November 2024" and "8 December 2024" in headings
    last = timeline["days"][headings.index("8 December 2024")]["entries"][0]
    assert last["kind"] == "change" and "captured Homs" in last["text"] and last["day"] == "2024-12-08"
    assert {p["name"] for p in last["places"]} >= {"Homs"}
    numbers = [n for d in timeline["days"] for e in d["entries"] for n in e["cites"]]
    assert max(numbers) == len(timeline["notes"]) == timeline["notes"][-1]["number"]
    only = get(client, "/api/timeline?since=2024-12-08&until=2024-12-08")["days"]
    assert [d["heading"] for d in only] == ["8 December 2024"]


def test_hostile_strings_come_back_as_data(client):
    """The API returns document strings intact, as JSON (never as a page a browser renders);
    the page writes them as text (tests/test_web_browser.py)."""
    response = client.get("/api/events?since=2024-11-20&until=2024-11-20")
    assert response.headers["x-content-type-options"] == "nosniff"
    rows = response.json()["items"]
    assert "<img src=x onerror=window.__pwned=12>" in {e["location"] for e in rows}
    assert any("<img src=x onerror=\"window.__pwned=3;alert(3)\">" in (e["evidence"] or "") for e in rows)


# --- invalid requests -------------------------------------------------------------------------------


@pytest.mark.parametrize("url, status, mentions", [
    ("/api/events?since=2024-13-01", 422, "since"),
    ("/api/events?until=yesterday", 422, "until"),
    ("/api/events?since=2024-12-08&until=2024-12-01", 422, "since is after until"),
    ("/api/events?limit=-1", 422, "limit"),
    ("/api/events?limit=0", 422, "limit"),
    ("/api/events?limit=100000", 422, "limit"),
    ("/api/events?offset=-3", 422, "offset"),
    ("/api/events?limit=ten", 422, "limit"),
    ("/api/changes?type=conquest", 422, "type"),
    ("/api/changes?since=20241201", 422, "since"),
    ("/api/control?date=2024-02-30", 422, "date"),
    ("/api/control?date=12/01/2024", 422, "date"),
    ("/api/control?date=1733011200", 422, "date"),
    ("/api/timeline?since=soon", 422, "since"),
    ("/api/summary?until=2024-1-1", 422, "until"),
    ("/api/places/gn:0", 404, "gn:0"),
    ("/api/places/nowhere", 404, "nowhere"),
    ("/api/documents/0000", 404, "0000"),
    ("/api/nothing", 404, "Not Found"),
])
def test_bad_parameters_get_a_json_error(client, url, status, mentions):
    body = get(client, url, status)
    assert isinstance(body["error"], str) and mentions in body["error"]


def test_a_read_only_server_refuses_to_ingest(client):
    response = client.post("/api/documents", json={"text": "On 1 December 2024 rebels captured Hama."})
    assert response.status_code == 403 and "--allow-ingest" in response.json()["error"]
    assert client.delete("/api/documents/x").status_code == 405


# --- ingest ----------------------------------------------------------------------------------------


@pytest.fixture
def ingest_client(tmp_path):
    with TestClient(create_app(tmp_path / "new.db", allow_ingest=True, token="s3cret")) as test_client:
        yield test_client


def test_ingest_needs_the_bearer_token(ingest_client):
    body = {"text": "On 6 December 2024, opposition forces captured Talbiseh."}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}):
        response = ingest_client.post("/api/documents", json=body, headers=headers)
        assert response.status_code == 401 and response.json()["error"]
        assert response.headers["www-authenticate"] == "Bearer"
    info = get(ingest_client, "/api/info")
    assert info["counts"]["documents"] == 0
    assert info["days"] == {"first": None, "last": None, "default": None}


def test_ingest_stores_a_posted_document_once(ingest_client):
    auth = {"Authorization": "Bearer s3cret"}
    body = {"text": "<html><body><article><h1>Talbiseh falls</h1><p>On 6 December 2024, opposition "
                    "forces captured Talbiseh.</p></article></body></html>",
            "format": "html", "source": "talbiseh.html", "published": "2024-12-07"}
    first = ingest_client.post("/api/documents", json=body, headers=auth)
    assert first.status_code == 201, first.text
    assert first.json()["changes"] == 1 and not first.json()["skipped"]
    again = ingest_client.post("/api/documents", json=body, headers=auth)
    assert again.status_code == 200 and again.json()["skipped"]
    rows = get(ingest_client, "/api/control?date=2024-12-06")
    assert [(r["place"], r["controller"]) for r in rows] == [("Talbiseh", "opposition")]
    assert get(ingest_client, f"/api/documents/{first.json()['doc_id']}")["source"] == "talbiseh.html"


@pytest.mark.parametrize("body, status", [
    ({}, 422),
    ({"text": ""}, 422),
    ({"text": "   \n  "}, 400),
    ({"text": "x", "format": "pdf"}, 422),
    ({"text": "x", "published": "last week"}, 422),
    ({"text": 42}, 422),
])
def test_bad_documents_get_a_json_error(ingest_client, body, status):
    response = ingest_client.post("/api/documents", json=body, headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == status and response.json()["error"]


def test_too_large_a_document_is_refused(ingest_client, monkeypatch):
    monkeypatch.setenv("FRONTLINES_MAX_BYTES", "100")
    response = ingest_client.post("/api/documents", json={"text": "word " * 50},
                                  headers={"Authorization": "Bearer s3cret"})
    assert response.status_code == 413 and "too large" in response.json()["error"]


def test_ingest_without_a_token_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        create_app(tmp_path / "x.db", allow_ingest=True)


# --- the documentation and the page ----------------------------------------------------------------


def test_openapi_documents_every_endpoint(client):
    schema = get(client, "/openapi.json")
    paths = set(schema["paths"])
    assert paths >= {"/api/info", "/api/events", "/api/changes", "/api/control", "/api/places",
                     "/api/places/{place_id}", "/api/documents", "/api/documents/{doc_id}",
                     "/api/summary", "/api/timeline"}
    assert "post" in schema["paths"]["/api/documents"]
    names = {p["name"] for p in schema["paths"]["/api/events"]["get"]["parameters"]}
    assert names == {"since", "until", "place", "side", "doc", "type", "limit", "offset"}
    docs = client.get("/docs")
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
    assert "GET /api/control" in docs.text and "POST /api/documents" in docs.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", docs.text)  # nothing from a CDN


def test_the_page_and_its_assets_are_served_locally(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assets = re.findall(r"""(?:src|href)="([^"]+)\"""", page.text)
    assert all(a.startswith(("/static/", "/docs", "data:")) for a in assets), assets
    for asset in [a for a in assets if a.startswith("/static/")] + ["/static/vendor/leaflet/images/layers.png"]:
        assert client.get(asset).status_code == 200, asset
    assert "/static/frontlines-map.js" in assets  # the renderer the static map inlines


def test_the_page_script_never_parses_strings_as_markup(client):
    script = client.get("/static/app.js").text + client.get("/static/frontlines-map.js").text
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                 "new Function", "setHTML", "createContextualFragment"):
        assert sink not in script, sink
    assert "textContent" in script


# --- the command ----------------------------------------------------------------------------------


def test_serve_prints_the_address_and_the_token(web_db, monkeypatch):
    import uvicorn

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, **kw))
    result = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--port", "8123", "--allow-ingest"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.stderr and (started["host"], started["port"]) == ("127.0.0.1", 8123)
    token = re.search(r"ingest token: (\S+)", result.stderr).group(1)
    assert len(token) >= 24 and token not in result.stdout
    with TestClient(started["app"]) as test_client:
        response = test_client.post("/api/documents", json={"text": ""}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 422  # past the token check
    chosen = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--allow-ingest", "--token", "mine"])
    assert "ingest token: mine" in chosen.stderr


def test_serve_refuses_what_it_cannot_serve(tmp_path, web_db):
    missing = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no such database" in missing.stderr
    stray = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--token", "x"])
    assert stray.exit_code == 2 and "--allow-ingest" in stray.stderr
    profile = CliRunner().invoke(cli, ["serve", "--db", str(web_db), "--profile", "atlantis"])
    assert profile.exit_code == 1 and "no profile named 'atlantis'" in profile.stderr


def test_a_read_right_after_a_posted_document_sees_it(ingest_client, monkeypatch):
    from frontlines.web import cache

    monkeypatch.setattr(cache, "REVISION_TTL_S", 600.0)  # the revision read once is kept: a slow machine
    auth = {"Authorization": "Bearer s3cret"}
    assert get(ingest_client, "/api/control?date=2024-12-06") == []  # the store's revision is kept a second
    body = {"text": "On 6 December 2024, opposition forces captured Talbiseh.", "format": "text",
            "source": "talbiseh.txt", "published": "2024-12-07"}
    assert ingest_client.post("/api/documents", json=body, headers=auth).status_code == 201
    rows = get(ingest_client, "/api/control?date=2024-12-06")
    assert [(r["place"], r["controller"]) for r in rows] == [("Talbiseh", "opposition")]


def made_up_change(name: str, day: str, lat: float, lon: float, new: str, previous: str) -> dict:
    return {"place": name, "place_aliases": [name], "place_id": f"user:{name.lower()}", "latitude": lat,
            "longitude": lon, "date": day, "date_precision": "day", "new_controller": new,
            "previous_controller": previous, "kind": "capture", "claim": "reported",
            "evidence": f"{new} took {name}.", "evidence_span": None, "sources": [], "confidence": 0.8}


def test_the_areas_are_computed_once_per_stretch_of_unchanged_control(tmp_path, monkeypatch):
    from frontlines.export import map as export_map

    path = tmp_path / "stretches.db"
    with open_store(path) as store:
        store.ingest_events([], source_name="changes.csv", changes=[
            made_up_change("Alpha", "2024-03-02", 35.30, 36.60, "opposition", "government"),
            made_up_change("Bravo", "2024-03-10", 35.10, 36.62, "opposition", "government"),
            made_up_change("Charlie", "2024-03-10", 35.12, 36.80, "government", "opposition")])
    computed = []
    areas_geojson = export_map.areas_geojson
    monkeypatch.setattr(export_map, "areas_geojson", lambda rows, profile: computed.append(rows) or areas_geojson(rows, profile))
    with TestClient(create_app(path)) as web:
        first = web.get("/api/areas?date=2024-03-02")
        between = web.get("/api/areas?date=2024-03-06")
        assert first.status_code == between.status_code == 200
        assert between.content == first.content  # the same answer, kept once
        map_between = get(web, "/api/map?date=2024-03-06")
        assert map_between["day"] == "2024-03-06"  # the map is the day's, its areas the stretch's
        assert map_between["areas"] == [f for f in first.json()["features"] if f["properties"]["kind"] == "area"]
        assert len(computed) == 1
        after = get(web, "/api/map?date=2024-03-12")
        assert len(computed) == 2 and after["areas"] != map_between["areas"]
        with open_store(path) as store:  # as computed afresh for the day itself
            fresh = areas_geojson(store.control_on(date(2024, 3, 6)), load_profile("syria"))
        assert json.loads(between.content) == json.loads(json.dumps(fresh))
