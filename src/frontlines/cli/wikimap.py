"""`frontlines wikimap`: Wikipedia "detailed map" Lua modules in (places and control) and out."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import FrontlinesError
from .ingest import opened_store
from .map import date_option, latest_change_day
from .timeline import fail, loaded_profile, profile_name, store_options, write_output


@click.group()
def wikimap() -> None:
    """Read and write the Lua modules behind Wikipedia's detailed maps
    ({ lat = "34.9", long = "36.7", mark = "Location dot red.svg", label = "[[Talbiseh]]" })."""


@wikimap.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@store_options
@click.option("--source-name", default=None,
              help="What the initial state cites (default: the file's name).")
def import_command(file, db, profile, source_name):
    """Add FILE's marks to the store as places, with their marker colour's side as the
    initial control state. Mixed or contested marks are listed and not imported."""
    from ..export.wikimap import import_rows, read_module

    profile = profile_name(profile, db)
    loaded = loaded_profile(profile)
    try:
        placed, unplaced = import_rows(read_module(file), _marks(profile))
    except FrontlinesError as err:
        fail(str(err))
    unknown = [{**r, "why": f"side {r['controller']!r} is not in profile {profile!r}"}
               for r in placed if r["controller"] not in loaded.sides]
    rows = [{k: r[k] for k in ("place", "latitude", "longitude", "controller")}
            for r in placed if r["controller"] in loaded.sides]
    with opened_store(db, create=True) as store:
        count = store.set_initial_state(rows, source_name=source_name or Path(file).name)
    click.echo(f"imported {count} places with their controller from {file}")
    for row in [*unknown, *unplaced]:
        click.echo(f"  skipped {row['place']} ({row['mark']}): {row['why']}", err=True)


@wikimap.command("export")
@store_options
@date_option
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def export_command(db, profile, day, output):
    """Write the control state on a date as a detailed-map module's marks."""
    from ..export.wikimap import export_module

    profile = profile_name(profile, db)
    loaded = loaded_profile(profile)
    table = _marks(profile)
    with opened_store(db) as store:
        day = day or latest_change_day(store)
        rows = store.control_on(day)
    write_output(export_module(rows, table, day=day.isoformat(), title=loaded.title), output)


def _marks(profile: str):
    from ..export.wikimap import load_marks

    try:
        return load_marks(profile)
    except FrontlinesError as err:
        fail(str(err))
