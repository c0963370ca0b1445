"""`frontlines documents list|show|delete`: what the store holds, document by document."""

from __future__ import annotations

import json

import click

from .ingest import db_option, opened_store
from .timeline import fail


@click.group()
def documents() -> None:
    """List, show or delete the stored documents."""


@documents.command("list")
@db_option
@click.option("--json", "as_json", is_flag=True, help="One JSON array of documents.")
def list_command(db, as_json):
    """Every stored document: id, date, events, changes, title."""
    with opened_store(db) as store:
        rows = store.documents()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['doc_id']}  {row['published'] or '-':10}  {row['n_events']:4} events  "
                   f"{row['n_changes']:4} changes  {row['title'] or row['source'] or ''}")
    click.echo(f"({len(rows)} document{'' if len(rows) == 1 else 's'})")


@documents.command("show")
@click.argument("doc_id")
@db_option
@click.option("--json", "as_json", is_flag=True, help="The document with its sentences and references.")
def show_command(doc_id, db, as_json):
    """One document: its metadata, and with --json its sentences and references."""
    with opened_store(db) as store:
        doc = store.document(doc_id)
    if doc is None:
        fail(f"no document {doc_id!r} in the store (see `frontlines documents list`)")
    if as_json:
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    for key in ("doc_id", "title", "source", "url", "published", "format", "profile", "length",
                "n_events", "n_changes", "ingested_at"):
        click.echo(f"{key + ':':13}{doc.get(key) if doc.get(key) is not None else '-'}")
    click.echo(f"{'sentences:':13}{len(doc['sentences'])}")
    click.echo(f"{'references:':13}{len(doc['references'])}")


@documents.command("delete")
@click.argument("doc_id")
@db_option
def delete_command(doc_id, db):
    """Delete a document and what only it reported; rows other documents also report stay,
    rebuilt from their reports."""
    with opened_store(db) as store:
        removed = store.remove_document(doc_id)
    if removed is None:
        fail(f"no document {doc_id!r} in the store (see `frontlines documents list`)")
    click.echo(f"deleted {doc_id}; {removed['events']} event and {removed['changes']} change "
               "reports of other documents merged again")
