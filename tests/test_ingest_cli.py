"""The store's commands: ingest, events, changes, control; a killed ingest; a reader during one."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.corpus import ingest_paths
from frontlines.export.acled import ACLED_COLUMNS
from frontlines.store import open_store
from frontlines.store.engine import read_transaction
from frontlines.store.schema import change_mentions, documents, event_mentions

from .conftest import EXAMPLE
from .test_store_corpus import CORPUS, STORIES, shared_cache_dir, shared_gazetteer_cache  # noqa: F401

HOMS = "gn:169577"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def article_db(tmp_path_factory):
    """The bundled article ingested once through the command."""
    folder = tmp_path_factory.mktemp("article")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        db = str(folder / "article.db")
        code, out, err = invoke("ingest", str(EXAMPLE), "--db", db)
    assert code == 0, err
    assert out.startswith(f"{db}: 1 documents read, 1 stored, 0 skipped")
    return db


def _state(db: str, day: str) -> dict[str, dict]:
    code, out, err = invoke("control", "--date", day, "--format", "json", "--db", db)
    assert code == 0, err
    return {row["place_id"]: row for row in json.loads(out)}


def test_control_shows_homs_government_then_opposition(article_db):
    before = _state(article_db, "2024-12-01")[HOMS]
    assert (before["place"], before["controller"], before["since"]) == ("Homs", "government", None)
    after = _state(article_db, "2024-12-08")[HOMS]
    assert (after["controller"], after["since"], after["claim"]) == ("opposition", "2024-12-08", "reported")
    assert after["latitude"] == pytest.approx(34.7, abs=0.1) and after["longitude"] == pytest.approx(36.7, abs=0.1)
    assert "captured" in after["evidence"] and "Homs" in after["evidence"]
    # The article reports (on the 6th) a withdrawal the army denied: listed, not taken as fact.
    assert [p["claim"] for p in _state(article_db, "2024-12-07")[HOMS]["pending"]] == ["denied"]


def test_control_formats(article_db):
    code, out, _ = invoke("control", "--date", "2024-12-08", "--db", article_db)
    assert code == 0 and out.splitlines()[0].split()[:3] == ["place", "controller", "since"]
    assert any(line.startswith("Homs ") and "opposition" in line for line in out.splitlines())
    code, out, _ = invoke("control", "--date", "2024-12-08", "--format", "geojson", "--db", article_db)
    features = {f["id"]: f for f in json.loads(out)["features"]}
    assert features[HOMS]["geometry"]["coordinates"][0] == pytest.approx(36.7, abs=0.1)
    code, out, _ = invoke("control", "--date", "2024-12-08", "--format", "csv", "--db", article_db)
    rows = {r["place_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[HOMS]["controller"] == "opposition" and rows[HOMS]["since"] == "2024-12-08"


def test_events_formats(article_db):
    code, out, _ = invoke("events", "--format", "json", "--db", article_db)
    events = json.loads(out)
    assert code == 0 and isinstance(events, list) and len(events) > 20
    for field in ("event_date", "event_type", "location", "place_id", "evidence", "evidence_span",
                  "sources", "claim", "confidence", "doc_id", "corroboration", "mentions"):
        assert field in events[0], field
    code, out, _ = invoke("events", "--format", "acled-csv", "--db", article_db)
    table = list(csv.reader(io.StringIO(out)))
    assert table[0][:31] == list(ACLED_COLUMNS) and len(table) == len(events) + 1
    code, out, _ = invoke("events", "--format", "csv", "--db", article_db)
    assert next(csv.reader(io.StringIO(out)))[:3] == ["id", "event_date", "time_precision"]
    code, out, _ = invoke("events", "--format", "geojson", "--db", article_db)
    assert len(json.loads(out)["features"]) == len(events)
    code, out, _ = invoke("events", "--db", article_db, "--limit", "3")
    assert out.splitlines()[0].split()[:2] == ["date", "type"] and out.rstrip().endswith("(3 events)")


def test_event_filters(article_db):
    def rows(*filters):
        code, out, err = invoke("events", "--format", "json", "--db", article_db, *filters)
        assert code == 0, err
        return json.loads(out)

    everything = rows()
    homs = rows("--place", "Homs")
    assert homs and {r["place_id"] for r in homs} == {HOMS}
    assert all(r["event_date"] >= "2024-12-06" for r in rows("--since", "2024-12-06"))
    assert all(r["event_date"] <= "2024-12-01" for r in rows("--until", "2024-12-01"))
    assert {r["event_type"] for r in rows("--type", "Battles")} == {"Battles"}
    assert all("israel" in (r["side1"], r["side2"]) for r in rows("--side", "israel"))
    assert len(rows("--doc", everything[0]["doc_id"])) == len(everything)
    assert rows("--doc", "0000000000000000") == []


def test_changes_formats_and_filters(article_db):
    code, out, _ = invoke("changes", "--format", "json", "--db", article_db)
    changes = json.loads(out)
    assert code == 0 and len(changes) > 10
    assert {"place", "date", "new_controller", "previous_controller", "kind", "claim", "evidence",
            "corroboration", "mentions", "sources"} <= set(changes[0])
    code, out, _ = invoke("changes", "--format", "json", "--place", "Homs", "--db", article_db)
    assert [(c["date"], c["claim"]) for c in json.loads(out)] == [("2024-12-06", "denied"), ("2024-12-08", "reported")]
    code, out, _ = invoke("changes", "--format", "json", "--type", "withdrawal", "--db", article_db)
    assert {c["kind"] for c in json.loads(out)} == {"withdrawal"}
    code, out, _ = invoke("changes", "--format", "acled-csv", "--db", article_db)
    table = list(csv.DictReader(io.StringIO(out)))
    assert list(table[0])[:31] == list(ACLED_COLUMNS) and len(table) == len(changes)
    code, out, _ = invoke("changes", "--format", "geojson", "--since", "2024-12-08", "--db", article_db)
    assert {f["properties"]["date"] for f in json.loads(out)["features"]} == {"2024-12-08"}


def test_the_commands_on_the_corpus_and_a_second_ingest_that_adds_nothing(tmp_path):
    db = str(tmp_path / "corpus.db")
    code, out, err = invoke("ingest", str(CORPUS), "--db", db)
    assert code == 0, err
    assert f"{STORIES + 1} documents read, {STORIES + 1} stored, 0 skipped" in out
    first = invoke("events", "--format", "json", "--db", db)[1]
    strike = json.loads(invoke("events", "--format", "json", "--place", "al-Rastan", "--type",
                               "Air/drone strike", "--db", db)[1])
    assert [(e["event_date"], e["corroboration"]) for e in strike] == [("2024-12-05", 4)]
    changes = json.loads(invoke("changes", "--format", "json", "--place", "Homs", "--db", db)[1])
    assert [(c["date"], c["claim"], c["corroboration"]) for c in changes] == [
        ("2024-12-06", "denied", 1), ("2024-12-08", "reported", 4)]
    state = _state(db, "2024-12-07")
    assert state[HOMS]["controller"] == "government" and state[HOMS]["pending"][0]["claim"] == "denied"
    assert _state(db, "2024-12-08")[HOMS]["controller"] == "opposition"
    code, out, _ = invoke("changes", "--format", "acled-csv", "--side", "opposition", "--db", db)
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 8
    code, out, _ = invoke("ingest", str(CORPUS), "--db", db)
    assert code == 0 and f"0 stored, {STORIES + 1} skipped" in out and "0 events" in out
    assert invoke("events", "--format", "json", "--db", db)[1] == first


def test_a_failed_file_gives_one_line_and_exit_code_1(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 10)
    code, out, err = invoke("ingest", str(blob), str(CORPUS / "07-wire-hama-captured.txt"),
                            "--db", str(tmp_path / "s.db"))
    assert code == 1 and "1 stored" in out and "1 failed" in out
    assert err.strip() == f"frontlines: {blob}: binary data, not a text document"


@pytest.mark.parametrize("content, message", [
    (b"not a database at all\n", "not an SQLite file"),
    (b"SQLite format 3\x00" + b"\x00\x01" * 4000, "not a usable frontlines database"),
])
def test_a_foreign_or_corrupt_database_gets_a_clear_error(tmp_path, content, message):
    db = tmp_path / "x.db"
    db.write_bytes(content)
    for command in (["events"], ["changes"], ["control", "--date", "2024-12-08"], ["ingest", str(EXAMPLE)]):
        code, out, err = invoke(*command, "--db", str(db))
        assert code == 1 and out == ""
        assert err.startswith(f"frontlines: {db}: ") and message in err, err
    assert db.read_bytes() == content  # left untouched


def test_reading_commands_do_not_create_a_database(tmp_path):
    code, _, err = invoke("events", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no such database" in err and not (tmp_path / "none.db").exists()


# -- killed mid-ingest; a reader during an ingest ----------------------------------------------

TOWNS = ["Talbiseh", "Ar Rastan", "Hama", "Homs", "Tadmur", "Al Qusayr", "Idlib", "Saraqib",
         "Khan Shaykhun", "Ariha", "Salamiyah", "Morek", "Al-Qaryatayn", "As Sukhnah", "Tell Kalakh"]
FILLER = ("Aid agencies said thousands of families had left their homes in recent days. "
          "Prices of bread and fuel rose sharply in the markets of the region. "
          "Schools remained closed and hospitals reported shortages of medicine. ")


def write_stories(folder, count: int) -> None:
    """Short news stories, distinct in content, several re-reporting each capture and strike."""
    folder.mkdir()
    for i in range(count):
        town, other, day = TOWNS[i % len(TOWNS)], TOWNS[(i * 7 + 3) % len(TOWNS)], 1 + i % 12
        text = (f"Fighting near {town}, report {i}\n\n{day} December 2024\n\n"
                f"Opposition forces captured {town} on {day} December 2024, a monitor said in its "
                f"report number {i}. Government warplanes struck {other} on {day} December 2024, "
                f"killing {i % 9 + 2} people.\n\n{FILLER * 4}\n")
        (folder / f"story-{i:03d}.txt").write_text(text, encoding="utf-8")


def stored_documents(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def consistent_snapshot(store) -> tuple[int, int]:
    """In one read: every stored document's counts agree with the stored mentions, i.e. a
    reader never sees half a document."""
    with read_transaction(store.engine) as conn:
        docs = conn.execute(sa.select(sa.func.count(), sa.func.sum(documents.c.n_events),
                                      sa.func.sum(documents.c.n_changes))).one()
        mentions = [conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                    for t in (event_mentions, change_mentions)]
    assert [docs[1] or 0, docs[2] or 0] == mentions
    return docs[0], mentions[0]


def comparable(store) -> dict:
    """The store's content without row ids and ingest times."""
    def rows(items, date_field):
        return sorted((r[date_field] or "", r["place_id"] or "", r.get("event_type") or r.get("new_controller"),
                       r["claim"], r["corroboration"], tuple(sorted(r["doc_ids"])),
                       tuple(sorted(m["evidence"] for m in r["mentions"]))) for r in items)

    return {"counts": store.counts(), "events": rows(store.events(), "event_date"),
            "changes": rows(store.changes(), "date"),
            "documents": sorted(d["doc_id"] for d in store.documents())}


def test_a_killed_ingest_resumes_without_loss_or_duplicates_while_readers_read(tmp_path):
    stories = tmp_path / "stories"
    write_stories(stories, 200)
    db = tmp_path / "killed.db"
    command = [sys.executable, "-m", "frontlines", "ingest", str(stories), "--db", str(db)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 120
    while stored_documents(db) < 5 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    reads = 0
    with open_store(db, create=False) as reader:  # reads while the ingest writes
        while child.poll() is None and time.monotonic() < deadline:
            seen, _ = consistent_snapshot(reader)
            reader.events(limit=20)
            reads += 1
            if seen >= 60:
                os.kill(child.pid, signal.SIGKILL)
                break
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, "the ingest ended before it could be killed"
    assert reads > 0
    killed_at = stored_documents(db)
    assert 60 <= killed_at < 200

    resumed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"200 documents read, {200 - killed_at} stored, {killed_at} skipped" in resumed.stdout

    with open_store(tmp_path / "clean.db") as clean, open_store(db) as recovered:
        ingest_paths(clean, [stories], progress=False)
        assert consistent_snapshot(recovered)[0] == 200
        assert comparable(recovered) == comparable(clean)
        assert comparable(clean)["counts"]["documents"] == 200
