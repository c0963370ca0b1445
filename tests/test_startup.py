"""Start-up: `frontlines extract` imports what extraction needs and nothing of the store, the
web app or spaCy's command line."""

from __future__ import annotations

import subprocess
import sys


def test_extract_imports_no_store_web_or_spacy_command_line(tmp_path):
    text = tmp_path / "report.txt"
    text.write_text("On 3 March 2021, rebel fighters captured the village of Kafr Nabl.\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "frontlines", "extract", str(text),
                          "--timeout-per-file", "0"], capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if "|" in line}
    assert "spacy" in imported and "frontlines.extract.events" in imported
    for heavy in ("sqlalchemy", "frontlines.store", "frontlines.web", "spacy.cli", "requests", "pandas",
                  "shapely"):
        assert heavy not in imported, heavy
