"""`frontlines control`: who holds every known place on a date, with evidence."""

from __future__ import annotations

import json
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
@click.option("--areas", is_flag=True,
              help="With --format geojson: the areas each side holds and the front lines "
                   "between them, instead of one point per place.")
@click.option("--profile", default="syria", show_default=True,
              help="Conflict profile: the sides' labels and colours in --areas.")
def control(db, day, fmt, areas, profile):
    """Every known place with its controller on a date, since when, the claim, confidence
    and the latest evidence.  Denied or unconfirmed changes do not flip the state; they are
    listed beside it (`pending`)."""
    if areas and fmt != "geojson":
        raise click.UsageError("--areas needs --format geojson")
    with opened_store(db) as store:
        rows = store.control_on(day or date.today())
    if areas:
        from ..export.map import areas_geojson
        from .timeline import loaded_profile

        click.echo(json.dumps(areas_geojson(rows, loaded_profile(profile)), ensure_ascii=False))
        return
    write(rows, fmt, STATE)
