"""`frontlines ingest`: files and folders into the store, merged across documents, idempotently."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from ..errors import FrontlinesError
from .common import document_options, error

DB_HELP = "Database: an SQLite file (default ./frontlines.db, or $FRONTLINES_DB) or a URL."


def db_option(func: Callable) -> Callable:
    """--db, shared by every command that uses the store."""
    return click.option("--db", default=None, metavar="FILE|URL", help=DB_HELP)(func)


@contextmanager
def opened_store(db: str | None, *, create: bool = False) -> Iterator:
    """The store, closed afterwards; a database problem is one line on stderr and exit 1."""
    from ..store import open_store

    try:
        store = open_store(db, create=create)
    except FrontlinesError as err:
        error(str(err))
        sys.exit(1)
    try:
        yield store
    except FrontlinesError as err:
        error(str(err))
        sys.exit(1)
    finally:
        store.close()


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@document_options
def ingest(paths, db, published, profile, reader):
    """Ingest PATHS (files, and folders recursively) into the store.

    Text, HTML and wikitext documents are read and extracted; an ACLED CSV export is loaded
    as events; a CSV with `place` and `controller` columns sets the initial control state.
    A document stored already (same content) is skipped, so re-running adds nothing twice.
    """
    from ..corpus import ingest_paths

    with opened_store(db, create=True) as store:
        summary = ingest_paths(store, paths, published=published, profile=profile,
                               reader=reader, report=error)
    click.echo(summary.line(store.name))
    if summary.failed:
        sys.exit(1)
