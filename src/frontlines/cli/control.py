"""`frontlines control`: who holds every known place on a date, with evidence."""

from __future__ import annotations

from datetime import date

import click

from ..export.tables import STATE
from .common import parse_published
from .events import format_option, write
from .ingest import db_option, opened_store


@click.command()
@db_option
@click.option("--date", "day", callback=parse_published, metavar="YYYY-MM-DD",
              help="The day to show (default: today).")
@format_option(STATE)
def control(db, day, fmt):
    """Every known place with its controller on a date, since when, the claim, confidence
    and the latest evidence.  Denied or unconfirmed changes do not flip the state; they are
    listed beside it (`pending`)."""
    with opened_store(db) as store:
        rows = store.control_on(day or date.today())
    write(rows, fmt, STATE)
