"""`frontlines events`: the merged events in the store, filtered, in a table or a data format."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ..export.tables import EVENT, FORMATS
from .common import PROFILE_HELP, parse_published
from .ingest import db_option, opened_store


def filter_options(func: Callable) -> Callable:
    """--since, --until, --place, --side, --doc, --limit and --offset (events and changes)."""
    options = [
        click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows."),
        click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows."),
        click.option("--doc", default=None, help="Only rows reported by this document (doc_id)."),
        click.option("--side", default=None, help="Only rows involving this side (profile key)."),
        click.option("--place", default=None, help="Only rows at this place (a name or place id)."),
        click.option("--until", callback=parse_published, metavar="YYYY-MM-DD",
                     help="Only rows dated on or before this day."),
        click.option("--since", callback=parse_published, metavar="YYYY-MM-DD",
                     help="Only rows dated on or after this day."),
    ]
    for option in options:
        func = option(func)
    return func


def format_option(kind: str) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(FORMATS[kind]), default="table",
                        show_default=True, help="Output format.")


def write(rows: list[dict], fmt: str, kind: str, profile: Any = None) -> None:
    from ..export.tables import write_rows

    write_rows(rows, fmt, sys.stdout, kind=kind, profile=profile)


def check_side(side: str | None, profile: Any) -> None:
    """An unknown --side is a usage error that lists the profile's sides."""
    if side and side not in profile.sides:
        raise click.BadParameter(f"{side!r} is not a side of the profile {profile.name!r}; "
                                 f"choose from {', '.join(profile.sides)}", param_hint="--side")


@click.command()
@db_option
@filter_options
@click.option("--type", "type_", default=None, help="Only this ACLED event type or sub-event type.")
@format_option(EVENT)
@click.option("--profile", default=None, help=PROFILE_HELP)
def events(db, since, until, place, side, doc, limit, offset, type_, fmt, profile):
    """List the stored events (merged across documents), by date.

    `json` is an array of contract event objects, each with its corroboration (documents),
    sources and mentions; `acled-csv` has ACLED's 31 columns first, in ACLED's order and
    conventions, then ours.
    """
    from .timeline import loaded_profile

    loaded = loaded_profile(profile, db)
    check_side(side, loaded)
    _check_event_type(type_)
    with opened_store(db) as store:
        rows = store.events(since=since, until=until, type=type_, place=place, side=side,
                            doc=doc, limit=limit, offset=offset)
    write(rows, fmt, EVENT, loaded)


def _check_event_type(value: str | None) -> None:
    """An unknown --type is a usage error that lists ACLED's event and sub-event types."""
    from ..export.acled import type_names

    names = type_names()
    if value and value.strip().lower() not in {t.lower() for t in names}:
        raise click.BadParameter(f"{value!r} is not an ACLED event or sub-event type; choose "
                                 f"from {', '.join(names)}", param_hint="--type")
