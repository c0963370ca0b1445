"""`frontlines events`: the merged events in the store, filtered, in a table or a data format."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from ..export.tables import EVENT, FORMATS
from .common import parse_published
from .ingest import db_option, opened_store


def filter_options(func: Callable) -> Callable:
    """--since, --until, --place, --side, --doc, --limit and --offset (events and changes)."""
    options = [
        click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows."),
        click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows."),
        click.option("--doc", default=None, help="Only rows reported by this document (doc_id)."),
        click.option("--side", default=None, help="Only rows involving this side (profile key)."),
        click.option("--place", default=None, help="Only rows at this place (a name or place id)."),
        click.option("--until", callback=parse_published, metavar="YYYY-MM-DD",
                     help="Only rows dated on or before this day."),
        click.option("--since", callback=parse_published, metavar="YYYY-MM-DD",
                     help="Only rows dated on or after this day."),
    ]
    for option in options:
        func = option(func)
    return func


def format_option(kind: str) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(FORMATS[kind]), default="table",
                        show_default=True, help="Output format.")


def write(rows: list[dict], fmt: str, kind: str) -> None:
    from ..export.tables import write_rows

    write_rows(rows, fmt, sys.stdout, kind=kind)


@click.command()
@db_option
@filter_options
@click.option("--type", "type_", default=None, help="Only this ACLED event type or sub-event type.")
@format_option(EVENT)
def events(db, since, until, place, side, doc, limit, offset, type_, fmt):
    """List the stored events (merged across documents), by date.

    `json` is an array of contract event objects, each with its corroboration (documents),
    sources and mentions; `acled-csv` has ACLED's 31 columns first, then ours.
    """
    with opened_store(db) as store:
        rows = store.events(since=since, until=until, type=type_, place=place, side=side,
                            doc=doc, limit=limit, offset=offset)
    write(rows, fmt, EVENT)
