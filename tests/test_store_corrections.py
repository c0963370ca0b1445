"""A store you can correct: ingest --force, documents list/show/delete, regeocode, and the
store's own profile."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.errors import FrontlinesError
from frontlines.store import open_store
from frontlines.store.engine import read_transaction
from frontlines.store.schema import (
    change_mentions,
    changes,
    documents,
    event_mentions,
    events,
    place_names,
    places,
    references,
    sentences,
)

from . import test_store as base
from .test_store import HAMA, analysis, change, event

# The store fixtures of the store suite: each test runs on SQLite and on PostgreSQL.
database, store = base.database, base.store

STORY = ("Rebels advance on the coast\n\n"
         "Yesterday opposition forces captured Homs after a night of fighting, a commander "
         "said. [1]\n\n"
         "References\n\n1. \"Rebels take Homs\". Levant Wire. 7 December 2024.\n")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def orphans(opened) -> dict[str, int]:
    """Rows that point at nothing or that nothing points at: all must be zero."""
    counts = {}
    with read_transaction(opened.engine) as conn:
        def count(query) -> int:
            return conn.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()

        for name, mentions, table in (("event", event_mentions, events),
                                      ("change", change_mentions, changes)):
            counts[f"{name} mentions without a row"] = count(sa.select(mentions.c.id).where(
                mentions.c.target_id.not_in(sa.select(table.c.id))))
            counts[f"{name} mentions without a document"] = count(sa.select(mentions.c.id).where(
                mentions.c.document_id.not_in(sa.select(documents.c.id))))
            counts[f"{name} rows without a mention"] = count(sa.select(table.c.id).where(
                table.c.id.not_in(sa.select(mentions.c.target_id))))
        for table in (sentences, references):
            counts[f"{table.name} without a document"] = count(sa.select(table.c.document_id).where(
                table.c.document_id.not_in(sa.select(documents.c.id))))
        counts["places nothing is at"] = count(sa.select(places.c.place_id).where(
            places.c.place_id.not_in(sa.select(events.c.place_id).where(events.c.place_id.is_not(None))),
            places.c.place_id.not_in(sa.select(changes.c.place_id))))
        counts["names of no place"] = count(sa.select(place_names.c.name).where(
            place_names.c.place_id.not_in(sa.select(places.c.place_id))))
    return counts


def test_force_with_another_publication_date_moves_the_stored_dates(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "store.db")
    assert invoke("ingest", str(path), "--db", db, "--published", "2024-12-08")[0] == 0
    code, out, _ = invoke("ingest", str(path), "--db", db, "--published", "2024-12-10")
    assert code == 0 and "1 skipped" in out  # without --force a stored document is kept
    with open_store(db) as opened:
        assert [c["date"] for c in opened.changes()] == ["2024-12-07"]
    code, out, err = invoke("ingest", str(path), "--db", db, "--published", "2024-12-10", "--force")
    assert code == 0, err
    assert "1 stored (1 replaced)" in out
    with open_store(db) as opened:
        assert [(c["place"], c["date"]) for c in opened.changes()] == [("Homs", "2024-12-09")]
        assert opened.documents()[0]["published"] == "2024-12-10"
        assert opened.counts()["documents"] == 1 and opened.counts()["change_mentions"] == 1
        assert not any(orphans(opened).values()), orphans(opened)


def test_replacing_a_document_keeps_what_other_documents_report(store):
    first = analysis("Rebels took Homs on 8 December.", changes=[change("2024-12-08")],
                     events=[event("2024-12-08")])
    second = analysis("Homs fell to the rebels on Sunday.", changes=[change("2024-12-08")],
                      events=[event("2024-12-08"), event("2024-12-08", place=HAMA)])
    store.ingest_analysis(first)
    store.ingest_analysis(second)
    assert [c["corroboration"] for c in store.changes()] == [2]
    # The second document again, now reporting Homs a day later and Hama no more.
    second.control_changes = [dict(second.control_changes[0], date="2024-12-09")]
    second.events = second.events[:1]
    result = store.ingest_analysis(second, replace=True)
    assert result["replaced"] and not result["skipped"]
    rows = store.changes()
    assert [(r["date"], r["corroboration"]) for r in rows] == [("2024-12-08", 2)]
    assert [e["location"] for e in store.events()] == ["Homs"]
    assert not any(orphans(store).values()), orphans(store)
    assert store.counts()["places"] == 1  # Hama is reported by nobody now


def test_deleting_documents_one_by_one_empties_the_store(store):
    first = analysis("Rebels took Homs on 8 December.", changes=[change("2024-12-08")])
    second = analysis("Homs fell to the rebels.", changes=[change("2024-12-08", confidence=0.9)],
                      events=[event("2024-12-08", place=HAMA)])
    store.ingest_analysis(first)
    store.ingest_analysis(second)
    assert store.remove_document(first.document.doc_id) == {"events": 0, "changes": 1}
    (row,) = store.changes()
    assert row["corroboration"] == 1 and row["doc_ids"] == [second.document.doc_id]
    assert row["evidence"] == "Homs fell to the rebels."
    assert store.remove_document(first.document.doc_id) is None  # gone already
    store.remove_document(second.document.doc_id)
    counts = store.counts()
    assert counts == {"documents": 0, "events": 0, "changes": 0, "event_mentions": 0,
                      "change_mentions": 0, "places": 0}
    assert not any(orphans(store).values())


def test_the_store_remembers_its_profile_and_refuses_another(store):
    assert store.profile() is None
    store.ingest_analysis(analysis("Rebels took Homs.", changes=[change("2024-12-08")]))
    assert store.profile() == "syria"
    other = analysis("Troops took Kupiansk.", changes=[change("2024-12-08", place=HAMA)])
    other.profile = "ukraine"
    with pytest.raises(FrontlinesError, match="profile 'syria', not 'ukraine'"):
        store.ingest_analysis(other)
    assert store.counts()["documents"] == 1  # nothing of the refused document was kept


def test_commands_use_the_stored_profile(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text("On 12 September 2022, Ukrainian forces recaptured Balakliia.\n", encoding="utf-8")
    db = str(tmp_path / "ua.db")
    assert invoke("ingest", str(path), "--db", db, "--profile", "ukraine")[0] == 0
    code, out, err = invoke("ingest", str(path), "--db", db)  # no --profile: the store's
    assert code == 0 and "1 skipped" in out, err
    code, _, err = invoke("ingest", str(path), "--db", db, "--profile", "syria")
    assert code == 1 and "profile 'ukraine', not 'syria'" in err
    code, out, err = invoke("changes", "--db", db, "--format", "acled-csv")
    assert code == 0, err
    assert ",Ukraine," in out and ",804," in out and ",UKR" not in out.split("\n")[0]
    assert out.split("\n")[1].startswith("UKR")
    code, _, err = invoke("changes", "--db", db, "--side", "opposition")
    assert code == 2 and "choose from ukraine, russia" in err
    code, _, err = invoke("events", "--db", db, "--type", "Airstrike")
    assert code == 2 and "Air/drone strike" in err


def test_documents_commands(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    db = str(tmp_path / "store.db")
    invoke("ingest", str(path), "--db", db, "--published", "2024-12-08")
    code, out, _ = invoke("documents", "list", "--db", db)
    doc_id = out.split()[0]
    assert code == 0 and "Rebels advance on the coast" in out and out.endswith("(1 document)\n")
    code, out, _ = invoke("documents", "show", doc_id, "--db", db, "--json")
    shown = json.loads(out)
    assert shown["published"] == "2024-12-08" and shown["references"][0]["publisher"] == "Levant Wire"
    code, _, err = invoke("documents", "show", "feedfeedfeedfeed", "--db", db)
    assert code == 1 and "no document 'feedfeedfeedfeed'" in err
    code, out, _ = invoke("documents", "delete", doc_id, "--db", db)
    assert code == 0 and out.startswith(f"deleted {doc_id}")
    assert invoke("documents", "list", "--db", db)[1] == "(0 documents)\n"


def test_regeocode_moves_reports_to_a_place_added_later(tmp_path, geo_env):
    path = tmp_path / "story.txt"
    path.write_text("On 7 December 2024, rebels captured the hill of Tell Qarmuzan near Homs.\n",
                    encoding="utf-8")
    db = str(tmp_path / "store.db")
    assert invoke("ingest", str(path), "--db", db)[0] == 0
    with open_store(db) as opened:
        before = {c["place"]: c["place_id"] for c in opened.changes()}
    assert before.get("Tell Qarmuzan", "").startswith("name:"), before
    assert invoke("places", "add", "Tell Qarmuzan", "34.80", "36.80")[0] == 0
    code, out, err = invoke("regeocode", "--db", db)
    assert code == 0 and "1 places resolved" in out, err
    with open_store(db) as opened:
        (moved,) = [c for c in opened.changes() if c["place"] == "Tell Qarmuzan"]
        assert moved["place_id"].startswith("user:") and moved["geo_precision"] == 1
        assert (moved["latitude"], moved["longitude"]) == (34.80, 36.80)
        assert not any(orphans(opened).values())
        assert not [p for p in opened.places() if p["place_id"] == before["Tell Qarmuzan"]]
    assert "0 places resolved" in invoke("regeocode", "--db", db)[1]
