"""`frontlines summary`: an infobox (dates, place, belligerents, territory, strengths, casualties)."""

from __future__ import annotations

import json
from typing import Any

import click

from .events import check_side, filter_options
from .ingest import opened_store
from .timeline import loaded_profile, store_options, store_rows, write_output


@click.command()
@store_options
@filter_options
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html", "wikitext"]), default="md",
              show_default=True,
              help="Markdown, JSON, an HTML page, or {{Infobox military conflict}} wikitext.")
@click.option("--title", default=None, help="Heading (default: the document's title, else the profile's).")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def summary(db, profile, fmt, title, output, **filters):
    """An infobox summary of the store's rows, each statement with its sources. Fields a
    document's own infobox states are taken from it."""
    from ..export.summary import summarize, summary_html, summary_json, summary_markdown
    from ..export.wikitext import summary_wikitext

    loaded = loaded_profile(profile, db)
    check_side(filters.get("side"), loaded)
    with opened_store(db) as store:
        events, changes = store_rows(store, **filters)
        document = _only_document(store, [*events, *changes])
    result = summarize(events, changes, loaded, title=title or document.get("title"),
                       infoboxes=[document.get("infobox") or {}],
                       references=document.get("references") or [])
    if fmt == "json":
        text = json.dumps(summary_json(result), ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        render = {"md": summary_markdown, "html": summary_html, "wikitext": summary_wikitext}[fmt]
        text = render(result, loaded)
    write_output(text, output)


def _only_document(store: Any, rows: list[dict]) -> dict:
    """The stored document when every row comes from one (its title and infobox are the
    article's own); across several documents the summary is derived from the rows alone."""
    doc_ids = {d for row in rows for d in (row.get("doc_ids") or [row.get("doc_id")]) if d}
    return (store.document(doc_ids.pop()) or {}) if len(doc_ids) == 1 else {}
