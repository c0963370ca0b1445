"""`frontlines plot`: places held per side over time and events per day by type, as a PNG."""

from __future__ import annotations

import click

from .events import filter_options
from .ingest import opened_store
from .timeline import loaded_profile, store_options, store_rows, write_output


@click.command()
@store_options
@filter_options
@click.option("--title", default=None, help="Heading (default: the profile's title).")
@click.option("-o", "--output", default="control.png", show_default=True, metavar="FILE",
              help="PNG file to write.")
def plot(db, profile, title, output, **filters):
    """Chart the places each side holds, day by day, above the events per day by type."""
    from ..export.plot import days_between, held_per_side, plot_png

    loaded = loaded_profile(profile, db)
    with opened_store(db) as store:
        events, changes = store_rows(store, **filters)
        days = days_between([*events, *changes], "event_date", "date")
        index = store.control_index()  # read once, any day answered from it
        held = held_per_side({day: _in_scope(index.on(day), filters) for day in days})
    write_output(plot_png(held, events, loaded, title=title), output)


def _in_scope(rows: list[dict], filters: dict) -> list[dict]:
    """The control rows the filters select: one place (by id or name) and one side."""
    place, side = filters.get("place"), filters.get("side")
    wanted = place.casefold() if place else None

    def named(row: dict) -> bool:
        return wanted in (str(row.get("place_id")).casefold(), str(row.get("place")).casefold())
    return [r for r in rows
            if (wanted is None or named(r)) and (side is None or r.get("controller") == side)]
