"""`frontlines map`: control on a date as one self-contained, offline HTML map."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from .common import parse_published
from .ingest import opened_store
from .timeline import loaded_profile, store_options, write_output


def latest_change_day(store: Any) -> date:
    """The day of the store's latest dated change (today when it has none)."""
    days = [c["date"] for c in store.changes() if c.get("date")]
    return date.fromisoformat(max(days)) if days else date.today()


def date_option(func):
    return click.option("--date", "day", callback=parse_published, metavar="YYYY-MM-DD",
                        help="Day of the control state (default: the latest change's day).")(func)


@click.command(name="map")
@store_options
@date_option
@click.option("--title", default=None, help="Heading (default: the profile's title and the date).")
@click.option("-o", "--output", default="map.html", show_default=True, metavar="FILE",
              help="HTML file to write.")
def map_command(db, profile, day, title, output):
    """Write an HTML map of who holds each place on a date, coloured by side; it opens
    offline (Leaflet and the country outlines are inside the file)."""
    from ..export.map import render_map

    loaded = loaded_profile(profile, db)
    with opened_store(db) as store:
        day = day or latest_change_day(store)
        rows = store.control_on(day)
    write_output(render_map(rows, loaded, day=day.isoformat(), title=title), output)
