"""Start-up: `frontlines extract` imports what extraction needs and nothing of the store, the
web app or spaCy's command line; reading a text file imports no HTML or wikitext parser."""

from __future__ import annotations

import subprocess
import sys


def _imported(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True)
    return {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line}


def test_extract_imports_no_store_web_or_spacy_command_line(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("On 3 March 2021, rebel fighters captured the village of Kafr Nabl.\n", encoding="utf-8")
    imported = _imported("-m", "frontlines", "extract", str(text), "--timeout-per-file", "0")
    assert "spacy" in imported and "frontlines.extract.events" in imported
    for heavy in ("sqlalchemy", "frontlines.store", "frontlines.web", "spacy.cli", "requests", "pandas",
                  "shapely"):
        assert heavy not in imported, heavy


def test_extract_of_a_text_file_imports_no_html_or_wikitext_parser(tmp_path):
    """The HTML and wikitext readers (lxml, mwparserfromhell) and the encoding detector
    (charset_normalizer, for a text that is not UTF-8) are imported when first needed."""
    text = tmp_path / "report.txt"
    text.write_text("On 3 March 2021, rebel fighters captured the village of Kafr Nabl.\n", encoding="utf-8")
    imported = _imported("-m", "frontlines", "extract", str(text), "--timeout-per-file", "0")
    for lazy in ("mwparserfromhell", "lxml", "charset_normalizer", "frontlines.ingest.html",
                 "frontlines.ingest.wikitext"):
        assert lazy not in imported, lazy


def test_readers_imported_when_first_needed_read_their_documents():
    """In a fresh process, HTML and wikitext are read by their readers, found by name or by
    content, as when the modules were imported up front."""
    code = """
from frontlines.ingest import read_string
from frontlines.registry import readers
assert {"text", "html", "wikitext"} <= set(readers.names())
page = "<html><head><title>T</title></head><body><p>Fighters entered the town of Saraqib.</p></body></html>"
print(read_string(page, source="page.html").format)
print(read_string(page).format)
wiki = "'''Saraqib''' is a town.\\n\\n== History ==\\nFighters entered [[Saraqib]] in [[2020]].<ref>x</ref>\\n"
print(read_string(wiki, source="page.wiki").format)
print(read_string(wiki).format)
from frontlines.ingest.html import read_html
assert readers.get("html") is read_html
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["html", "html", "wikitext", "wikitext"]


def test_the_first_warm_up_holds_the_collector_back_then_freezes_what_it_loaded():
    """No collection walks the loading's objects while they are made; the thresholds come back,
    and what the warm-up loaded is frozen (a later warm-up freezes nothing more)."""
    code = """
import gc
from frontlines import pipeline
from frontlines.geo.build import base_index_path
base_index_path("SY")  # built once per home, not a start-up's work
before = gc.get_threshold()
collections = []
gc.callbacks.append(lambda phase, info: collections.append(info["generation"]) if phase == "start" else None)
pipeline.warm_up("syria")
during = len(collections)
print(gc.get_threshold() == before, gc.isenabled(), during, gc.get_freeze_count() > 10000)
frozen = gc.get_freeze_count()
pipeline.warm_up("syria")
print(gc.get_freeze_count() == frozen)
"""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["True", "True", "0", "True", "True"]
