"""Wikitext for editors: {{Infobox military conflict}} from the bundled article's store, the
timeline with <ref>s, and document text that cannot become markup."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.export.summary import summarize
from frontlines.export.wikitext import summary_wikitext, timeline_wikitext, wiki_escape

from .conftest import EXAMPLE


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def article_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wikitext")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        db = str(folder / "article.db")
        invoke("ingest", str(EXAMPLE), "--db", db)
    return db


def params(infobox: str) -> dict[str, str]:
    return dict(re.findall(r"^\| (\w+)\s*= (.*)$", infobox, re.M))


def test_infobox_of_the_bundled_article(article_db):
    text = invoke("summary", "--db", article_db, "--format", "wikitext")
    assert text.startswith("{{Infobox military conflict\n") and "{{reflist}}" in text
    fields = params(text)
    assert fields["conflict"] == "2024 Homs offensive"
    assert fields["date"] == "5–8 December 2024"
    assert fields["result"] == "Opposition victory"  # the document's own infobox
    strength = [v for k, v in fields.items() if k.startswith("strength")]
    assert any(v.startswith("2,000 fighters, 150+ APCs (Hezbollah)<ref") for v in strength)
    # No denied or unconfirmed change is a result: it is a labelled note.
    for key in ("result", "territory"):
        assert "withdr" not in fields[key].lower() and "denied" not in fields[key]
    assert "Reported, not established: Withdrawal from Homs (2024-12-06): denied<ref" in fields["notes"]
    assert {fields["combatant1"], fields["combatant2"]} == {"Syrian government and allies", "Syrian opposition"}
    # Every reference is written once in full, then reused by name.
    names = re.findall(r'<ref name="(fl\d+)">', text)
    assert names and len(names) == len(set(names))
    assert set(re.findall(r'<ref name="(fl\d+)" />', text)) <= set(names)
    assert "{{cite news |title=Syrian army quits Homs, cutting Assad off from coast |publisher=Reuters}}" in text


def test_derived_span_without_the_infobox(contract, syria):
    summary = summarize(contract["events"], contract["control_changes"], syria)
    assert summary["date"]["text"] == "5–8 December 2024" and summary["date"]["from"] == "rows"
    assert params(summary_wikitext(summary, syria))["date"] == "5–8 December 2024"


def test_timeline_wikitext_cites_each_fact(article_db):
    text = invoke("timeline", "--db", article_db, "--format", "wikitext")
    assert text.startswith("== Timeline ==\n\n=== 5 November 2024 ===\n* ")
    bullets = [line for line in text.splitlines() if line.startswith("* ")]
    assert bullets and all("<ref name=" in line for line in bullets)


def test_document_text_cannot_become_markup(syria):
    evil = "}}{{Delete}}[[Category:X]]<script>|x=1 ''bold'' ~~~~"
    change = {"place": evil, "place_id": "x:1", "date": "2024-12-06", "new_controller": "opposition",
              "previous_controller": "government", "kind": "capture", "claim": "reported",
              "evidence": evil, "doc_id": "d", "sources": [{"title": evil, "publisher": "P|Q",
                                                            "url": "javascript:alert(1)"}]}
    for text in (summary_wikitext(summarize([], [change], syria, title=evil), syria),
                 timeline_wikitext([], [change], syria, title=evil)):
        body = text.replace("{{Infobox military conflict", "").replace("{{reflist}}", "")
        body = re.sub(r"\{\{cite news \|[^{}]*\}\}", "", body)
        assert not re.search(r"\{\{|\}\}(?!\n)|\[\[|<script|''|~~~~|javascript", body.replace("}}\n", "\n"))
    assert wiki_escape("a|b") == "a&#124;b"
