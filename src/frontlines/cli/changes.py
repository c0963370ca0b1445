"""`frontlines changes`: the merged control changes in the store, filtered and formatted."""

from __future__ import annotations

import click

from ..export.tables import CHANGE
from .common import PROFILE_HELP
from .events import check_side, filter_options, format_option, write
from .ingest import db_option, opened_store

KINDS = ("capture", "recapture", "withdrawal", "handover")


@click.command()
@db_option
@filter_options
@click.option("--type", "type_", type=click.Choice(KINDS, case_sensitive=False), default=None,
              help="Only this kind of change.")
@format_option(CHANGE)
@click.option("--profile", default=None, help=PROFILE_HELP)
def changes(db, since, until, place, side, doc, limit, offset, type_, fmt, profile):
    """List the stored changes of control (merged across documents), by date.

    Denied and unconfirmed reports are listed with their claim; `acled-csv` codes each change
    as ACLED codes territorial changes, with the sides as actors.
    """
    from .timeline import loaded_profile

    loaded = loaded_profile(profile, db)
    check_side(side, loaded)
    with opened_store(db) as store:
        rows = store.changes(since=since, until=until, place=place, side=side, doc=doc,
                             limit=limit, offset=offset, kind=type_)
    write(rows, fmt, CHANGE, loaded)
