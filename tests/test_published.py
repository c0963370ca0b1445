"""The document's own date: declared, dateline, file name, --dates, --published; the
undated-rows warning; each document of a batch on its own days."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.corpus import ingest_paths
from frontlines.errors import InputError
from frontlines.ingest import read_document, read_string
from frontlines.ingest.published import (
    dateline_date,
    file_name_date,
    read_dates_file,
    resolve_published,
    undated_warning,
)
from frontlines.model import Document
from frontlines.store import open_store

from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401

D = date

# Three wire stories from different days: two datelines and one file-name date.
STORIES = {
    "north.txt": "BEIRUT, Nov 29, 2024 (AFP) - Rebels on Thursday seized the town of Saraqib, a war "
                 "monitor said.\n",
    "centre-2024-12-07.txt": "Rebels on Friday captured the city of Rastan, the opposition said.\n",
    "south.txt": "DAMASCUS, Dec. 9, 2024 — Opposition fighters on Sunday took control of Talbiseh, "
                 "residents said.\n",
}
# The day each story's rows fall on: the weekday before its own date.
OWN_DAYS = {"north.txt": "2024-11-28", "centre-2024-12-07.txt": "2024-12-06", "south.txt": "2024-12-08"}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def stories(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# ------------------------------------------------------------------ where the date comes from

@pytest.mark.parametrize(
    "opening, expected",
    [
        ("DAMASCUS, Dec 8, 2024 (Reuters) - Rebels entered the capital.", D(2024, 12, 8)),
        ("KYIV, Sept 11, 2022 — Ukrainian troops pushed east.", D(2022, 9, 11)),
        ("Moscow, (APP - Pakistan Point News - 29th Oct, 2024) The ministry said its forces "
         "advanced.", D(2024, 10, 29)),
        ("HOMS, Syria, May 16, 2018 (Xinhua) -- The last buses left the town.", D(2018, 5, 16)),
        ("QAMISHLI, Syria, 6 December 2024 - Kurdish forces took over the crossing.", D(2024, 12, 6)),
        # not datelines
        ("On 6 December 2024, rebels captured the town - a monitor said.", None),
        ("AMMAN (Reuters) - Rebels said on Thursday they had taken the town.", None),
        ("Rebels captured the town on 6 December 2024.", None),
    ],
)
def test_wire_datelines(opening, expected):
    assert dateline_date(Document(text=f"Headline of the story\n\n{opening}\n")) == expected


def test_a_yearless_dateline_takes_the_year_of_the_file_name_or_the_text():
    text = "DAMASCUS, Dec 8 (Reuters) - Rebels entered the capital on Sunday.\n"
    assert dateline_date(Document(text=text, source="wires/2024-12/story-20241208.txt")) == D(2024, 12, 8)
    told = text + "\nThe offensive began on 27 November 2024 near Aleppo.\n"
    assert dateline_date(Document(text=told, source="story.txt")) == D(2024, 12, 8)
    assert dateline_date(Document(text=text, source="story.txt")) is None  # no year anywhere


@pytest.mark.parametrize(
    "name, expected",
    [
        ("report-2024-12-07.txt", D(2024, 12, 7)),
        ("2024_12_07_story.html", D(2024, 12, 7)),
        ("wire20241207.txt", D(2024, 12, 7)),
        ("qusayr-2013-06.txt", None),  # a month is not a day
        ("report-2024-13-07.txt", None),
        ("casualties-1200.txt", None),
    ],
)
def test_file_name_dates(name, expected):
    assert file_name_date(f"some/folder/{name}") == expected


def test_the_order_of_sources():
    html = ('<html><head><meta property="article:published_time" content="2024-12-05T10:00:00Z">'
            "</head><body><article><p>DAMASCUS, Dec 8, 2024 (Reuters) - Rebels on Sunday took "
            "the town of Rastan after heavy fighting with the army.</p></article></body></html>")
    declared = read_string(html, format="html", source="story-2024-12-01.html")
    assert (declared.published, declared.published_source) == (D(2024, 12, 5), "declared")
    dateline = read_string("DAMASCUS, Dec 8, 2024 (Reuters) - Rebels took Rastan.\n",
                           source="story-2024-12-01.txt")
    assert (dateline.published, dateline.published_source) == (D(2024, 12, 8), "dateline")
    date_line = read_string("Rebels take Rastan\n\nPublished: Dec 6, 2024 14:02 GMT\n\n"
                            "DAMASCUS, Dec 8, 2024 (Reuters) - Rebels took Rastan.\n")
    assert (date_line.published, date_line.published_source) == (D(2024, 12, 6), "declared")
    named = read_string("Rebels took Rastan.\n", source="story-2024-12-01.txt",
                        default_published=D(2024, 1, 1))
    assert (named.published, named.published_source) == (D(2024, 12, 1), "file-name")
    fallback = read_string("Rebels took Rastan.\n", source="story.txt", default_published=D(2024, 1, 1))
    assert (fallback.published, fallback.published_source) == (D(2024, 1, 1), "default")
    given = read_string("DAMASCUS, Dec 8, 2024 (Reuters) - Rebels took Rastan.\n",
                        published=D(2024, 12, 20))
    assert (given.published, given.published_source) == (D(2024, 12, 20), "given")
    nothing = resolve_published(Document(text="Rebels took Rastan.", source="story.txt"))
    assert (nothing.published, nothing.published_source) == (None, None)


def test_the_contract_says_where_the_date_came_from(tmp_path):
    path = tmp_path / "story-2024-12-07.txt"
    path.write_text("Rebels on Friday captured the city of Rastan.\n", encoding="utf-8")
    document = read_document(path).to_dict()
    assert (document["published"], document["published_source"]) == ("2024-12-07", "file-name")


# ----------------------------------------------------------------------------- a dates file

def test_a_dates_file(tmp_path):
    table = tmp_path / "dates.csv"
    table.write_text("path,published\nnorth.txt,2024-11-29\nsub/south.txt,2024-12-09\n", encoding="utf-8")
    dates = read_dates_file(table)
    assert dates[str((tmp_path / "north.txt").resolve())] == D(2024, 11, 29)
    assert dates["sub/south.txt"] == D(2024, 12, 9)


@pytest.mark.parametrize(
    "content, message",
    [
        ("file,date\nnorth.txt,2024-11-29\n", "needs the columns path,published"),
        ("path,published\nnorth.txt,29/11/2024\n", "line 2: '29/11/2024' is not a date"),
    ],
)
def test_a_bad_dates_file_is_refused_with_its_name(tmp_path, content, message):
    table = tmp_path / "dates.csv"
    table.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_dates_file(table)
    assert message in str(caught.value) and str(table) in str(caught.value)
    code, _out, err = invoke("extract", str(table), "--dates", str(table))
    assert code == 2 and message in err


# ------------------------------------------------------------------------ commands, batches

def test_a_folder_of_stories_ingests_each_on_its_own_days(stories, tmp_path):
    db = tmp_path / "stories.db"
    code, out, err = invoke("ingest", str(stories), "--db", str(db))
    assert code == 0, err
    assert "3 stored" in out and "undated" not in err
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT d.source, d.published, d.published_source, e.event_date FROM documents d "
            "JOIN event_mentions m ON m.document_id = d.id JOIN events e ON e.id = m.target_id").fetchall()
    by_file = {Path(source).name: (published, origin, day) for source, published, origin, day in rows}
    assert {name: day for name, (_p, _o, day) in by_file.items()} == OWN_DAYS
    assert by_file["north.txt"][:2] == ("2024-11-29", "dateline")
    assert by_file["centre-2024-12-07.txt"][:2] == ("2024-12-07", "file-name")


def test_a_batch_wide_date_only_fills_in(stories, tmp_path):
    (stories / "undated.txt").write_text("Rebels on Friday captured the town of Talbiseh.\n", encoding="utf-8")
    store = open_store(tmp_path / "batch.db")
    try:
        ingest_paths(store, [stories], published=D(2024, 12, 14), progress=False, report=lambda m: None)
        published = {Path(d["source"]).name: (d["published"], d["published_source"])
                     for d in store.documents()}
    finally:
        store.close()
    assert published == {
        "north.txt": ("2024-11-29", "dateline"),
        "centre-2024-12-07.txt": ("2024-12-07", "file-name"),
        "south.txt": ("2024-12-09", "dateline"),
        "undated.txt": ("2024-12-14", "default"),
    }


def test_override_and_dates_file_win(stories, tmp_path):
    table = tmp_path / "dates.csv"
    table.write_text(f"path,published\n{stories / 'south.txt'},2024-12-10\n", encoding="utf-8")
    files = [str(path) for path in sorted(stories.iterdir())]
    code, out, err = invoke("sentences", *files, "--published", "2024-12-14",
                            "--published-override", "--dates", str(table))
    assert code == 0, err
    headers = [line for line in out.splitlines() if line.startswith("# ")]
    assert any(h.endswith("published 2024-12-10 (dates-file)") and "south.txt" in h for h in headers)
    assert any(h.endswith("published 2024-12-14 (given)") and "north.txt" in h for h in headers)


def test_one_named_file_takes_the_given_date(stories):
    code, out, err = invoke("sentences", str(stories / "north.txt"), "--published", "2024-12-14")
    assert code == 0, err
    assert out.splitlines()[0].endswith("published 2024-12-14 (given)")
    assert "2024-12-12" in out  # "on Thursday" before 14 December


def test_undated_rows_get_one_warning_line_per_document(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Rebels on Friday captured the city of Rastan. Rebels on Saturday seized the "
                     "town of Talbiseh.\n", encoding="utf-8")
    code, _out, err = invoke("extract", str(story), "--json")
    assert code == 0
    lines = [line for line in err.splitlines() if "undated" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"frontlines: {story}: ") and lines[0].endswith(
        "rows undated: no publication date; pass --published or --dates")
    code, _out, err = invoke("extract", str(story), "--json", "--published", "2024-12-09")
    assert code == 0 and "undated" not in err


def test_ingest_warns_about_undated_rows(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Rebels on Friday captured the city of Rastan.\n", encoding="utf-8")
    code, _out, err = invoke("ingest", str(story), "--db", str(tmp_path / "warn.db"))
    assert code == 0
    assert f"frontlines: {story}: 2 rows undated: no publication date; pass --published or --dates" in err


def test_the_warning_counts_events_and_changes():
    contract = {"document": {"published": None}, "events": [{"event_date": None}, {"event_date": "2024-12-06"}],
                "control_changes": [{"date": None}]}
    assert undated_warning(contract) == "2 rows undated: no publication date; pass --published or --dates"
    contract["document"]["published"] = "2024-12-09"
    assert undated_warning(contract) == "2 rows undated: the text gives no date for them"
    assert undated_warning({"document": {}, "events": [], "control_changes": []}) is None


# --------------------------------------------------------------------------------- the store

def test_an_older_store_gains_the_date_source_column(tmp_path):
    path = tmp_path / "old.db"
    open_store(path).close()
    with sqlite3.connect(path) as conn:  # the schema as version 2 left it
        conn.execute("ALTER TABLE documents DROP COLUMN published_source")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    store = open_store(path)
    store.close()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert "published_source" in columns and int(version) >= 3


def test_an_undated_row_has_time_precision_3(tmp_path):
    import frontlines

    [event] = frontlines.extract("Rebels captured the city of Rastan.").to_contract()["events"]
    assert (event["event_date"], event["time_precision"]) == (None, 3)
