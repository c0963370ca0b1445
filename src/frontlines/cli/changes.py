"""`frontlines changes`: the merged control changes in the store, filtered and formatted."""

from __future__ import annotations

import click

from ..export.tables import CHANGE
from .events import filter_options, format_option, write
from .ingest import db_option, opened_store


@click.command()
@db_option
@filter_options
@click.option("--type", "type_", default=None,
              help="Only this kind of change: capture, recapture, withdrawal or handover.")
@format_option(CHANGE)
def changes(db, since, until, place, side, doc, limit, offset, type_, fmt):
    """List the stored changes of control (merged across documents), by date.

    Denied and unconfirmed reports are listed with their claim; `acled-csv` codes each change
    as ACLED codes territorial changes.
    """
    with opened_store(db) as store:
        rows = store.changes(since=since, until=until, place=place, side=side, doc=doc,
                             limit=limit, offset=offset, kind=type_)
    write(rows, fmt, CHANGE)
