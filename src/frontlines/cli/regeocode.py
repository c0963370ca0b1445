"""`frontlines regeocode`: look up again the places a store knows by name only."""

from __future__ import annotations

import click

from .ingest import opened_store
from .timeline import loaded_profile, store_options


@click.command()
@store_options
def regeocode(db, profile):
    """Re-resolve the stored places that had no gazetteer entry (after `places add` or
    `gazetteer import`) and move their events and changes to the places found."""
    from ..store.places import reresolve

    loaded = loaded_profile(profile, db)
    focus = loaded.iso or "SY"
    with opened_store(db) as store:
        counts = store.regeocode(lambda place: reresolve(place, country_focus=focus))
    click.echo(f"{store.name}: {counts['places']} places resolved; {counts.get('events', 0)} "
               f"event and {counts.get('changes', 0)} change reports moved")
