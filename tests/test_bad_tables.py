"""Bad CSV input: every bad cell is one line naming the file, the row and the column, the
command exits 1, and the other files of the batch are stored."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import sys

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.export.acled import ACLED_COLUMNS
from frontlines.ingest.tables import MAX_FIELD

GOOD_STATE = "place,controller\nHama,government\n"


def acled_csv(**changed: str) -> str:
    """A one-row ACLED export of our own, with some cells replaced."""
    row = {column: "" for column in ACLED_COLUMNS}
    row.update({"event_id_cnty": "SYR1", "event_date": "2023-05-02", "year": "2023", "time_precision": "1",
                "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Rebels",
                "location": "Idlib", "latitude": "35.93", "longitude": "36.63", "geo_precision": "1",
                "fatalities": "2", "notes": "Clashes were reported in Idlib.", "source": "A wire",
                "iso": "760", "timestamp": "1700000000"})
    row.update(changed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS)
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue()


CASES = {
    "infinite fatalities": (acled_csv(fatalities="inf"), "column fatalities: 'inf' is not a finite number"),
    "huge fatalities": (acled_csv(fatalities="1e300"), "column fatalities: '1e300' is out of range (0 to 1e+06)"),
    "negative fatalities": (acled_csv(fatalities="-3"), "column fatalities: '-3' is out of range"),
    "year 0001": (acled_csv(event_date="0001-01-01"), "column event_date: '0001-01-01' is out of range (years 1900-2100)"),
    "year 9999": (acled_csv(event_date="9999-12-31"), "column event_date: '9999-12-31' is out of range"),
    "year column 9999": (acled_csv(year="9999"), "column year: '9999' is out of range"),
    "not a date": (acled_csv(event_date="soon"), "column event_date: 'soon' is not a date"),
    "nan latitude": (acled_csv(latitude="nan"), "column latitude: 'nan' is not a finite number"),
    "longitude off the globe": (acled_csv(longitude="361"), "column longitude: '361' is out of range (-180 to 180)"),
    "oversized field": (acled_csv(notes="x" * (MAX_FIELD + 1)),
                        f"column notes: a value of {MAX_FIELD + 1:,} characters (the limit is {MAX_FIELD:,})"),
    "duplicate initial state": ("place,controller\nHoms,government\nAleppo,opposition\nhoms,opposition\n",
                                "row 4, column place: 'homs' is set already in row 2"),
    "initial state ISO week 9999": ("place,controller,as_of\nHoms,government,2024-W9999-1\n",
                                    "row 2, column as_of: '2024-W9999-1' is not a date"),
    "initial state nan latitude": ("place,controller,latitude,longitude\nHoms,government,nan,36.7\n",
                                   "row 2, column latitude: 'nan' is not a finite number"),
}


@pytest.fixture
def invoke():
    def run(*args: str):
        result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr
    return run


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_cell_is_one_line_naming_file_row_and_column_and_the_batch_goes_on(case, tmp_path, invoke):
    text, expected = CASES[case]
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    good = tmp_path / "state.csv"
    good.write_text(GOOD_STATE, encoding="utf-8")
    db = tmp_path / "store.db"
    code, out, err = invoke("ingest", str(bad), str(good), "--db", str(db))
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line.startswith(f"frontlines: {bad}: row ") and expected in line, line
    assert "internal error" not in line
    assert "2 documents read, 1 stored" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT controller FROM initial_state").fetchall() == [("government",)]


def test_two_spellings_of_one_place_in_an_initial_state_are_named_with_their_rows(tmp_path, invoke):
    path = tmp_path / "state.csv"
    path.write_text("place,controller\nAleppo,government\nHalab,opposition\n", encoding="utf-8")
    code, _, err = invoke("ingest", str(path), "--db", str(tmp_path / "store.db"))
    assert code == 1
    assert err.strip() == (f"frontlines: {path}: row 3, column place: 'Halab' is the same place as "
                           "'Aleppo' (row 2)")


def test_a_good_acled_export_of_our_own_is_stored(tmp_path, invoke):
    path = tmp_path / "export.csv"
    path.write_text(acled_csv(fatalities="0"), encoding="utf-8")
    code, out, err = invoke("ingest", str(path), "--db", str(tmp_path / "store.db"))
    assert (code, err) == (0, "")
    assert "1 events (1 new" in out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names are bytes")
def test_an_undecodable_file_name_is_shown_escaped(tmp_path):
    import subprocess

    name = os.fsdecode(b"bad-\xff-name.txt")
    path = tmp_path / name
    path.write_bytes(b"\x00\x01binary")
    result = subprocess.run([sys.executable, "-m", "frontlines", "extract", str(path)],
                            capture_output=True, timeout=120)
    assert result.returncode == 1
    message = result.stderr.decode("utf-8")
    assert "bad-\\xff-name.txt: binary data, not a text document" in message
    assert "internal error" not in message and "Traceback" not in message
