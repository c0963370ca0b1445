"""The output commands on the bundled article, ingested into a temporary store."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from frontlines.cli import cli

from .conftest import DATA, EXAMPLE

SAMPLE_MODULE = DATA / "wikimap" / "homs-detailed-map.lua"


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The bundled article in a store, ingested once with `frontlines ingest`."""
    folder = tmp_path_factory.mktemp("store")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        result = run("ingest", EXAMPLE, "--db", folder / "homs.db")
    assert result.exit_code == 0, result.output
    return folder / "homs.db"


@pytest.fixture
def own_db(db, tmp_path):
    """A copy of the store that a test may change."""
    return shutil.copy(db, tmp_path / "homs.db")


def test_timeline_markdown_and_html(db, tmp_path):
    result = run("timeline", "--db", db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# Timeline\n")
    assert text.index("## 5 December 2024") < text.index("## 6 December 2024") < text.index("## 8 December 2024")
    assert re.search(r"^- Syrian opposition captured .*Talbiseh.* from Syrian government and allies\.(\[\^\d+\])+$",
                     text, re.M)
    assert "[^1]: " in text
    page = tmp_path / "timeline.html"
    result = run("timeline", "--db", db, "--place", "Homs", "--format", "html", "-o", page)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<h1>Timeline: Homs</h1>" in html and "Talbiseh" not in html
    assert '<sup><a href="#note-1">[1]</a></sup>' in html and '<li id="note-1">' in html


def test_summary_markdown_and_json(db):
    result = run("summary", "--db", db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("# 2024 Homs offensive\n")  # the document's title
    assert re.search(r"Syrian opposition captures Homs, .+ and \d+ more(\[\^\d+\])+$", text, re.M)
    assert "## Belligerents and units" in text and "Syrian Arab Army" in text
    assert re.search(r"^- killed 20 civilians \(Civilians\)\[\^\d+\]$", text, re.M)
    data = json.loads(run("summary", "--db", db, "--format", "json").stdout)
    gains = {s["side"]: s for s in data["territory"]["by_side"]}
    assert gains["opposition"]["count"] >= 15 and gains["opposition"]["sources"]
    assert data["date"]["end"] == "2024-12-08"


def test_map_is_one_offline_file(db, tmp_path):
    page = tmp_path / "map.html"
    result = run("map", "--db", db, "--date", "2024-12-08", "-o", page)
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "<title>Syrian civil war: control on 8 December 2024</title>" in html
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', html, re.S).group(1))
    sides = {p["name"]: p["side"] for p in data["places"]}
    assert sides["Talbiseh"] == "opposition" and sides["Homs"] == "opposition"
    before = tmp_path / "before.html"
    assert run("map", "--db", db, "--date", "2024-12-01", "-o", before).exit_code == 0
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', before.read_text(), re.S).group(1))
    assert {p["name"]: p["side"] for p in data["places"]}["Talbiseh"] == "government"


def test_plot_writes_a_png(db, tmp_path):
    image = tmp_path / "control.png"
    result = run("plot", "--db", db, "-o", image)
    assert result.exit_code == 0, result.output
    assert image.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_wikimap_import_then_export(own_db, tmp_path):
    result = run("wikimap", "import", SAMPLE_MODULE, "--db", own_db)
    assert result.exit_code == 0, result.output
    assert "imported 9 places" in result.stdout
    assert "skipped As Sukhnah (Map-ctl2-red+black.svg): mixed or contested control" in result.stderr
    module = tmp_path / "module.lua"
    assert run("wikimap", "export", "--db", own_db, "--date", "2024-11-01", "-o", module).exit_code == 0
    text = module.read_text(encoding="utf-8")
    assert text.startswith("-- Control on 2024-11-01")
    assert re.search(r'mark = "Location dot green.svg", .*label = "\[\[Idlib\]\]"', text)  # imported only
    assert re.search(r'mark = "Location dot red.svg", .*label = "\[\[Talbiseh\]\]"', text)  # before capture
    later = run("wikimap", "export", "--db", own_db, "--date", "2024-12-08").stdout
    assert re.search(r'mark = "Location dot green.svg", .*label = "\[\[Talbiseh\]\]"', later)


@pytest.mark.parametrize("command", [["timeline"], ["summary"], ["map"], ["plot"], ["wikimap", "export"]])
def test_a_missing_store_is_one_line_and_exit_1(command, tmp_path):
    result = run(*command, "--db", tmp_path / "missing.db")
    assert result.exit_code == 1
    assert result.stderr.startswith("frontlines: ") and "no such database" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_summary_takes_the_fields_a_wikitext_infobox_states(tmp_path):
    db = tmp_path / "wiki.db"
    assert run("ingest", DATA / "readers" / "offensive.wiki", "--db", db).exit_code == 0
    text = run("summary", "--db", db).stdout
    assert text.startswith("# 2024 Idlib–Hama offensive\n")
    assert "- **Result:** Opposition victory; Opposition captures Saraqib and Hama (infobox)" in text
    assert "- 145 killed (infobox)" in text
    assert "December rebels" not in text  # "1 December rebels" is a date, not a strength
