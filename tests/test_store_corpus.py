"""The store on a small multi-document corpus: re-reports merged, corroboration counted once
per document, ACLED rows combined with text extraction, and the corpus walk.

`tests/data/corpus/` holds eight short news-style stories written for these tests. They
re-report the same days of the December 2024 Homs offensive (Hama on 5 December; Ar Rastan
and Talbiseh on 6 December; Palmyra/Tadmur and a denied withdrawal from Homs on 7 December;
Homs and al-Qusayr on 8 December) in different words, spellings (Rastan, Ar-Rastan,
al-Rastan; Talbiseh, Talbisah, Talbisa; Palmyra, Tadmur; Al-Qusayr, Al Qusayr) and date forms
(weekdays against the publication date, "6 December 2024", "the same day"); one is an HTML
page.  `acled-export-sample.csv` is an invented sample in the layout of an ACLED export (the
31 columns in ACLED's order; made-up rows, not ACLED data): its Hama, Ar Rastan and Homs rows
and its Russian air strike re-report what the stories tell, its Idlib row does not.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from frontlines.corpus import ingest_paths, walk
from frontlines.errors import InputError
from frontlines.export.acled import ACLED_COLUMNS
from frontlines.export.tables import to_geojson, write_rows
from frontlines.store import open_store

from .conftest import DATA

CORPUS = DATA / "corpus"
STORIES = 8
AR_RASTAN, TALBISEH, HOMS, HAMA = "gn:172946", "gn:163779", "gn:169577", "gn:170017"


def shared_cache_dir(tmp_path_factory):
    """One compiled gazetteer index for the whole session: building it takes seconds."""
    path = tmp_path_factory.getbasetemp() / "gazetteer-cache"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(autouse=True)
def shared_gazetteer_cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    """The corpus ingested once (extraction is the slow part); tests only read it."""
    folder = tmp_path_factory.mktemp("corpus_store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        store = open_store(folder / "corpus.db")
        messages: list[str] = []
        summary = ingest_paths(store, [CORPUS], report=messages.append, progress=False)
        store.summary, store.messages = summary, messages
        yield store
        store.close()


def _one(rows, **fields):
    found = [r for r in rows if all(r.get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (fields, [(r.get("place"), r.get("date"), r.get("claim")) for r in rows])
    return found[0]


def test_the_corpus_is_ingested_without_failures(corpus_store):
    summary = corpus_store.summary
    assert (summary.read, summary.stored, summary.skipped, summary.failed) == (STORIES + 1, STORIES + 1, 0, 0)
    assert corpus_store.messages == []
    assert summary.merged_changes > summary.new_changes  # most changes are re-reports
    assert len(corpus_store.documents()) == STORIES + 1


def test_ingesting_the_corpus_again_adds_nothing(corpus_store):
    before = corpus_store.counts()
    events = corpus_store.events()
    summary = ingest_paths(corpus_store, [CORPUS, CORPUS / "06-weekly-review.txt"], progress=False)
    assert (summary.read, summary.skipped, summary.stored) == (STORIES + 1, STORIES + 1, 0)
    assert corpus_store.counts() == before
    assert corpus_store.events() == events


def test_a_change_reported_by_five_sources_is_one_row(corpus_store):
    hama = _one(corpus_store.changes(place=HAMA), claim="reported")
    assert hama["date"] == "2024-12-05" and hama["corroboration"] == 5
    assert len(hama["doc_ids"]) == 5 and len(hama["mentions"]) == 5
    publishers = {s.get("publisher") for s in hama["sources"]}
    assert {"Al Jazeera", "Reuters"} <= publishers  # the review's footnote and ACLED's source
    assert any(s.get("dataset") == "ACLED" for s in hama["sources"])


@pytest.mark.parametrize("place_id, spellings, documents", [
    (AR_RASTAN, {"Rastan", "Ar-Rastan", "al-Rastan", "Ar Rastan"}, 5),
    pytest.param(TALBISEH, {"Talbiseh", "Talbisah", "Talbisa"}, 4, marks=pytest.mark.xfail(
        strict=True, reason="known regression: since the NER vetoes, the spelling 'Talbisa' (a fuzzy "
                            "match) is dropped in the HTML story, so three documents corroborate, not four")),
])
def test_spellings_of_one_place_merge(corpus_store, place_id, spellings, documents):
    row = _one(corpus_store.changes(place=place_id), claim="reported")
    assert row["date"] == "2024-12-06" and row["corroboration"] == documents
    assert spellings <= set(row["place_aliases"])
    assert [r["place_id"] for r in corpus_store.changes(place="Talbisa" if place_id == TALBISEH else "Rastan")] == [place_id]


def test_denials_stay_apart_and_do_not_flip_control(corpus_store):
    homs = corpus_store.changes(place=HOMS)
    denied = _one(homs, claim="denied")
    assert denied["date"] == "2024-12-06" and denied["corroboration"] == 1
    captured = _one(homs, claim="reported")
    assert captured["date"] == "2024-12-08" and captured["corroboration"] == 4
    on_7th = {r["place_id"]: r for r in corpus_store.control_on(date(2024, 12, 7))}
    assert on_7th[HOMS]["controller"] == "government" and on_7th[HOMS]["since"] is None
    assert [p["claim"] for p in on_7th[HOMS]["pending"]] == ["denied"]
    assert on_7th["gn:173322"]["controller"] == "government"  # al-Qusayr: only unconfirmed so far
    assert [p["claim"] for p in on_7th["gn:173322"]["pending"]] == ["unconfirmed"]
    on_8th = {r["place_id"]: r for r in corpus_store.control_on(date(2024, 12, 8))}
    assert (on_8th[HOMS]["controller"], on_8th[HOMS]["since"]) == ("opposition", "2024-12-08")
    assert on_8th[HOMS]["evidence"] and on_8th[HOMS]["corroboration"] == 4
    assert on_8th["gn:173322"]["controller"] == "opposition"


def test_an_event_from_text_and_acled_is_one_row(corpus_store):
    strike = _one(corpus_store.events(place=AR_RASTAN, type="Air/drone strike"))
    assert strike["event_date"] == "2024-12-05" and strike["side1"] == "government"
    assert strike["corroboration"] == 4  # three stories and ACLED
    assert strike["fatalities"] == 0  # only ACLED gives a figure
    evidence = [m["evidence"] for m in strike["mentions"]]
    assert any("Rastan bridge" in e for e in evidence) and any("Orontes" in e for e in evidence)


def test_acled_rows_are_events_with_their_sources(corpus_store):
    idlib = _one(corpus_store.events(place="Idlib"))
    assert idlib["event_id_cnty"] == "SYR900001" and idlib["corroboration"] == 1
    assert (idlib["inter1"], idlib["inter2"], idlib["fatalities"]) == (1, 7, 4)
    assert (idlib["side1"], idlib["side2"], idlib["claim"]) == ("government", "civilians", "reported")
    assert idlib["place_id"] == "gn:169389" and idlib["evidence"].startswith("On 3 December 2024")
    assert idlib["sources"][0]["publisher"] == "Syrian Observatory for Human Rights"
    assert idlib["sources"][0]["dataset"] == "ACLED"
    acled_doc = next(d for d in corpus_store.documents() if d["source"] == "acled-export-sample.csv")
    assert (acled_doc["n_events"], acled_doc["n_changes"]) == (5, 3)  # territory rows are changes


def test_every_row_can_be_traced_to_its_documents(corpus_store):
    for row in corpus_store.events() + corpus_store.changes():
        assert len(row["mentions"]) == len(set(row["doc_ids"]))
        assert row["corroboration"] == sum(not m["reprint"] for m in row["mentions"])
        for mention in row["mentions"]:
            document = corpus_store.document(mention["doc_id"])
            if mention["evidence_span"]:
                start, end = mention["evidence_span"]
                assert document["text"][start:end] == mention["evidence"]


def test_writers_give_acled_csv_geojson_and_csv(corpus_store):
    events = corpus_store.events()
    out = io.StringIO()
    write_rows(events, "acled-csv", out, kind="event")
    header = next(csv.reader(io.StringIO(out.getvalue())))
    assert header[:31] == list(ACLED_COLUMNS) and "corroboration" in header[31:]
    out = io.StringIO()
    write_rows(corpus_store.changes(), "acled-csv", out, kind="change")
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["sub_event_type"] for r in rows} >= {"Non-state actor overtakes territory"}
    collection = to_geojson(corpus_store.control_on(date(2024, 12, 8)), kind="state")
    assert collection["type"] == "FeatureCollection"
    homs = next(f for f in collection["features"] if f["id"] == HOMS)
    assert homs["geometry"]["type"] == "Point" and homs["properties"]["controller"] == "opposition"
    json.dumps(collection)  # serialisable as it is
    out = io.StringIO()
    write_rows(events, "table", out, kind="event")
    assert out.getvalue().rstrip().endswith(f"({len(events)} events)")


# -- the walk and bad input -------------------------------------------------------------------------


def test_walk_takes_documents_recursively_and_skips_hidden_files(tmp_path):
    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / ".git" / "x.txt").write_text("hidden")
    (tmp_path / "a" / "story.txt").write_text("a")
    (tmp_path / "a" / "photo.jpg").write_bytes(b"\xff\xd8")
    (tmp_path / "page.html").write_text("<p>b</p>")
    named = tmp_path / "notes.dat"
    named.write_text("c")
    found = walk([tmp_path, named, tmp_path / "page.html"])
    assert found == [tmp_path / "a" / "story.txt", tmp_path / "page.html", named]


def test_a_failed_file_is_reported_and_the_batch_goes_on(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Opposition forces captured Talbiseh on 6 December 2024.")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(bytes(range(256)) * 10)
    table = tmp_path / "other.csv"
    table.write_text("name,age\nx,1\n")
    messages: list[str] = []
    with open_store(tmp_path / "s.db") as store:
        summary = ingest_paths(store, [binary, tmp_path / "missing.txt", table, good],
                               report=messages.append, progress=False)
        assert (summary.read, summary.stored, summary.failed) == (4, 1, 3)
        assert [r["place_id"] for r in store.changes()] == [TALBISEH]
    assert "binary" in messages[0] and "no such file" in messages[1]
    assert "neither an ACLED export" in messages[2] and str(table) in messages[2]


def test_an_initial_state_table_sets_the_state_before_changes(tmp_path):
    table = tmp_path / "initial.csv"
    table.write_text("place,latitude,longitude,controller\nHoms,34.73,36.72,government\n"
                     "Ar Rastan,34.92,36.73,government\n")
    with open_store(tmp_path / "s.db") as store:
        summary = ingest_paths(store, [table], progress=False)
        assert summary.stored == 1
        state = {r["place_id"]: r for r in store.control_on(date(2024, 12, 1))}
        assert state[HOMS]["controller"] == "government" and state[HOMS]["basis"] == "initial_state"
        assert state[AR_RASTAN]["controller"] == "government"


def test_a_non_acled_csv_is_refused_by_the_acled_reader():
    from frontlines.ingest.acled import read_acled

    with pytest.raises(InputError, match="missing columns"):
        read_acled("a,b\n1,2\n", source="x.csv")
