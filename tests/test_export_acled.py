"""The ACLED export in strict mode: ACLED's columns, order, types and codebook conventions,
ids stable across runs, and a round trip through `ingest`."""

from __future__ import annotations

import csv
import io
import re

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.export.acled import (
    ACLED_COLUMNS,
    DISORDER_TYPES,
    EVENT_TYPES,
    EXTENSION_COLUMNS,
    INTER_LABELS,
    SOURCE_SCALES,
    acled_row,
    publishers,
    source_scale,
)
from frontlines.export.tables import cell, write_rows

from .conftest import DATA, EXAMPLE

SAMPLE = DATA / "corpus" / "acled-export-sample.csv"
SCALE = re.compile("^(?:" + "|".join(map(re.escape, SOURCE_SCALES)) + ")(?:-(?:"
                   + "|".join(map(re.escape, SOURCE_SCALES)) + "))?$")


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def check_codebook(row: dict, iso: str = "760", iso3: str = "SYR") -> None:
    """One exported row against ACLED's codebook rules."""
    assert re.fullmatch(iso3 + r"\d+", row["event_id_cnty"]), row["event_id_cnty"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["event_date"])
    assert row["year"] == row["event_date"][:4]
    assert row["time_precision"] in {"1", "2", "3"}
    assert row["disorder_type"] in DISORDER_TYPES
    assert row["sub_event_type"] in EVENT_TYPES[row["event_type"]]
    for number in ("1", "2"):
        assert row[f"inter{number}"] in {"", *INTER_LABELS.values()}
    inter1, inter2 = row["inter1"], row["inter2"]
    expected = f"{inter1}-{inter2}" if inter1 and inter2 else (f"{inter1 or inter2} only" if inter1 or inter2 else "")
    assert row["interaction"] == expected
    assert row["civilian_targeting"] in {"", "Civilian targeting"}
    assert row["iso"] == iso
    assert row["fatalities"].isdigit()  # 0 when none is reported, never blank
    if row["latitude"]:
        float(row["latitude"]), float(row["longitude"])
        assert row["geo_precision"] in {"1", "2", "3"}
    if row["source"]:
        assert SCALE.match(row["source_scale"]) or row["source_scale"] == ""
    assert not row["source"].startswith(("=", "+", "@"))


def test_extract_csv_follows_the_codebook_with_ids_stable_across_runs():
    first = invoke("extract", str(EXAMPLE), "--csv")
    assert first == invoke("extract", str(EXAMPLE), "--csv")  # ids and all, run after run
    header = first.split("\n", 1)[0].split(",")
    assert header == [*ACLED_COLUMNS, *EXTENSION_COLUMNS]
    rows = rows_of(first)
    assert len({r["event_id_cnty"] for r in rows}) == len(rows) > 10
    for row in rows:
        check_codebook(row)
        stated = [s for s in row["sources"] and __import__("json").loads(row["sources"])]
        assert row["source"] == "; ".join(publishers(stated))  # publishers, never headlines
        assert row["country"] == "Syria" and row["region"] == "Middle East"
    assert any(r["source_scale"] == "International" for r in rows)
    assert sum(r["fatalities"] == "0" for r in rows) > sum(r["fatalities"] != "0" for r in rows)


def test_conflicting_output_flags_are_a_usage_error():
    result = CliRunner().invoke(cli, ["extract", str(EXAMPLE), "--json", "--csv"])
    assert result.exit_code == 2 and "choose one" in result.stderr


def test_publishers_and_their_scale():
    sources = [{"title": "Rebels take a town", "publisher": "Reuters"},
               {"title": "Ein Bericht", "publisher": None, "url": "https://www.example-news.de/a"},
               {"title": "Headline only"}, {"publisher": "Reuters"}]
    assert publishers(sources) == ["Reuters", "example-news.de"]
    assert source_scale(["Reuters"]) == "International"
    assert source_scale(["The Syrian Observatory for Human Rights", "BBC News Arabic"]) == "Other-International"
    assert source_scale(["A Blog Nobody Knows"]) is None


def test_a_row_without_fatalities_or_id_gets_acled_conventions(syria):
    row = acled_row({"event_date": "2024-12-06", "event_type": "Battles", "inter1": 2, "inter2": 7,
                     "claim": "denied", "sources": [{"publisher": "Levant Wire"}],
                     "event_id_cnty": "SY123456789"}, "SYR17", syria)
    assert row["event_id_cnty"] == "SYR17"  # our own hash-like ids are replaced
    assert (row["fatalities"], row["iso"], row["country"], row["year"]) == (0, 760, "Syria", 2024)
    assert row["interaction"] == "Rebel group-Civilians" and row["civilian_targeting"] == "Civilian targeting"
    assert row["tags"] == "claim=denied" and row["source"] == "Levant Wire"


def test_formula_cells_are_neutralised_and_numbers_kept():
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [cell(v) for v in ("+1", "-2 killed", "@SUM(A1)", "\tx")] == ["'+1", "'-2 killed", "'@SUM(A1)", "'\tx"]
    assert cell(-3.5) == -3.5 and cell("Homs") == "Homs" and cell(None) == ""
    out = io.StringIO()
    write_rows([{"id": 1, "event_date": "2024-12-06", "location": "=cmd|' /C calc'!A0",
                 "longitude": -3.5}], "csv", out)
    row = rows_of(out.getvalue())[0]
    assert row["location"] == "'=cmd|' /C calc'!A0" and row["longitude"] == "-3.5"


@pytest.fixture
def sample_store(tmp_path):
    db = str(tmp_path / "acled.db")
    invoke("ingest", str(SAMPLE), "--db", db)
    return db


def test_acled_sample_round_trips_through_ingest(sample_store, tmp_path):
    original = {r["event_id_cnty"]: r for r in rows_of(SAMPLE.read_text(encoding="utf-8"))}
    exported = invoke("events", "--db", sample_store, "--format", "acled-csv")
    rows = rows_of(exported)
    assert {r["event_id_cnty"] for r in rows} == set(original)
    for row in rows:
        check_codebook(row)
        assert {c: row[c] for c in ACLED_COLUMNS} == original[row["event_id_cnty"]]
    # Our own export reads back as an ACLED export, into the same rows.
    again = tmp_path / "again.csv"
    again.write_text(exported, encoding="utf-8")
    db = str(tmp_path / "again.db")
    invoke("ingest", str(again), "--db", db)
    second = rows_of(invoke("events", "--db", db, "--format", "acled-csv"))
    assert [{c: r[c] for c in ACLED_COLUMNS} for r in second] == [{c: r[c] for c in ACLED_COLUMNS} for r in rows]


def test_changes_export_with_actors_country_and_iso(tmp_path):
    db = str(tmp_path / "article.db")
    invoke("ingest", str(EXAMPLE), "--db", db)
    rows = rows_of(invoke("changes", "--db", db, "--format", "acled-csv"))
    assert rows
    for row in rows:
        check_codebook(row)
        assert row["actor1"] and row["inter1"] and row["country"] == "Syria"
        assert int(row["event_id_cnty"][3:]) > 1_000_000  # never an event's id
    homs = [r for r in rows if r["location"] == "Homs" and r["claim"] == "reported"]
    assert homs and homs[0]["actor1"] == "Syrian opposition" and homs[0]["inter2"] == "State forces"
    events = rows_of(invoke("events", "--db", db, "--format", "acled-csv"))
    assert [r["event_id_cnty"] for r in events] == [f"SYR{r['id']}" for r in events]
