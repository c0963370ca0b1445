"""`frontlines map`: control on a date as one self-contained, offline HTML map, or an SVG or
PNG image of the same rendering for publication."""

from __future__ import annotations

from datetime import date
from pathlib import Path
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
              help="File to write: .html (interactive, offline), .svg or .png (an image).")
def map_command(db, profile, day, title, output):
    """Write a map of who holds each place on a date: areas of control and front lines drawn
    around the places, on an offline base map. FILE.html opens offline (Leaflet and the base
    map are inside the file); FILE.svg and FILE.png are images with a caption."""
    from ..export.map import map_data, render_map

    kind = Path(output).suffix.lower().lstrip(".")
    if kind not in ("html", "htm", "svg", "png"):
        raise click.BadParameter(f"{output}: write .html, .svg or .png", param_hint="-o")
    loaded = loaded_profile(profile, db)
    with opened_store(db) as store:
        day = day or latest_change_day(store)
        rows = store.control_on(day)
    if kind in ("svg", "png"):
        from ..export.map_image import render_image

        data = map_data(rows, loaded, day=day.isoformat(), title=title)
        write_output(render_image(data, kind), output)
    else:
        write_output(render_map(rows, loaded, day=day.isoformat(), title=title), output)
