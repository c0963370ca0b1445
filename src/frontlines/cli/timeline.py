"""`frontlines timeline`: the store's events and control changes, by date, footnoted to their sources.

Also holds what the output commands (timeline, summary, map, plot, wikimap) share beyond the
store's own options (`ingest.db_option`, `events.filter_options`): --profile, loading it, and
writing to a file or stdout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from ..errors import FrontlinesError
from .common import DEFAULT_PROFILE, PROFILE_HELP, error
from .events import check_side, filter_options
from .ingest import db_option, opened_store


def fail(message: str) -> NoReturn:
    """One line on stderr, `frontlines: ...`, and exit 1."""
    error(message)
    sys.exit(1)


def store_options(func: Callable) -> Callable:
    """--db and --profile, shared by every output command."""
    func = click.option("--profile", default=None, help=PROFILE_HELP)(func)
    return db_option(func)


def profile_name(asked: str | None, db: str | None) -> str:
    """The profile asked for, else the one the store at `db` remembers, else the default."""
    return asked or _remembered_profile(db) or DEFAULT_PROFILE


def loaded_profile(name: str | None, db: str | None = None) -> Any:
    """The profile `profile_name` chooses, loaded; a bad one is one line and exit 1."""
    from ..profiles import load_profile

    try:
        return load_profile(profile_name(name, db))
    except FrontlinesError as err:
        fail(str(err))


def _remembered_profile(db: str | None) -> str | None:
    from ..store import open_store

    try:
        with open_store(db, create=False) as store:
            return store.profile()
    except FrontlinesError:
        return None  # no store yet: the command itself says so


def write_output(text: str | bytes, output: str | None) -> None:
    """Write to a file when one is named, else to standard output."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        path = Path(output)
        path.write_bytes(text) if isinstance(text, bytes) else path.write_text(text, encoding="utf-8")
    except OSError as err:
        fail(f"{output}: cannot write: {err.strerror or err}")
    click.echo(f"wrote {output}", err=True)


def store_rows(store: Any, **filters: Any) -> tuple[list[dict], list[dict]]:
    """Events and control changes matching the filters (since, until, place, side, doc, ...)."""
    return store.events(**filters), store.changes(**filters)


@click.command()
@store_options
@filter_options
@click.option("--format", "fmt", type=click.Choice(["md", "html", "wikitext"]), default="md",
              show_default=True, help="Markdown, a standalone HTML page, or wikitext with <ref>s.")
@click.option("--title", default=None, help="Heading (default: 'Timeline', with the place).")
@click.option("-o", "--output", default=None, metavar="FILE", help="Write to FILE instead of stdout.")
def timeline(db, profile, fmt, title, output, **filters):
    """A chronological timeline of the store's events and control changes, each line
    footnoted to its sources."""
    from ..export.timeline import timeline_html, timeline_markdown
    from ..export.wikitext import timeline_wikitext

    loaded = loaded_profile(profile, db)
    check_side(filters.get("side"), loaded)
    with opened_store(db) as store:
        events, changes = store_rows(store, **filters)
    place = filters.get("place")
    heading = title or (f"Timeline: {place}" if place else "Timeline")
    render = {"md": timeline_markdown, "html": timeline_html, "wikitext": timeline_wikitext}[fmt]
    write_output(render(events, changes, loaded, title=heading), output)
