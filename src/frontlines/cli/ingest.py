"""`frontlines ingest`: files and folders into the store, merged across documents, idempotently."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from ..errors import FrontlinesError
from .common import (
    DEFAULT_PROFILE,
    chosen_timeout,
    document_options,
    error,
    jobs_option,
    timeout_option,
)

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
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Extract here, or on a Dask cluster (pip install \"frontlines[dask]\").")
@click.option("--scheduler", metavar="ADDRESS",
              help="The Dask scheduler to use (tcp://HOST:8786); by default a local cluster.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N",
              help="Worker processes of the local Dask cluster (default: one per CPU).")
@timeout_option
@click.option("--force", is_flag=True,
              help="Re-process documents stored already (a new --published, profile or "
                   "gazetteer): each one's rows are replaced in one transaction.")
@jobs_option
def ingest(paths, db, published, published_override, dates, profile, reader, engine, scheduler,
           workers, timeout, force, jobs):
    """Ingest PATHS (files, and folders recursively) into the store.

    Text, HTML and wikitext documents are read and extracted; an ACLED CSV export is loaded
    as events; a CSV with `place` and `controller` columns sets the initial control state.
    A document stored already (same content) is skipped, so re-running adds nothing twice.
    With --engine dask the extraction runs on a Dask cluster and the results are merged
    into the same store, in the same order, as the local engine would (on PostgreSQL the
    workers store what they extract themselves); --jobs N extracts in N local processes.
    Every document is read and extracted within its time and memory budget.  Each document is
    dated by its own metadata, dateline or file name; --published fills in for the others.
    The store keeps the profile of its first document; another --profile is refused.
    """
    from ..corpus import ingest_paths

    _check_engine(engine, scheduler, workers)
    if force and engine != "local":
        raise click.UsageError("--force re-processes documents with the local engine only")
    if jobs > 1 and engine != "local":
        raise click.UsageError("--jobs runs the local engine in processes; --engine dask has --workers")
    with opened_store(db, create=True) as store:
        profile = store_profile(store, profile)
        summary = ingest_paths(store, paths, published=published, profile=profile,
                               reader=reader, report=error, engine=engine,
                               scheduler=scheduler, workers=workers,
                               published_override=published_override, dates=dates,
                               timeout=chosen_timeout(timeout), force=force, jobs=jobs)
    click.echo(summary.line(store.name))
    if summary.failed:
        sys.exit(1)


def store_profile(store, asked: str | None) -> str:
    """The profile to use with a store: the one asked for, which must be the store's own if
    it has one; else the store's; else the default."""
    stored = store.profile()
    if asked and stored and asked != stored:
        error(f"{store.name}: this store holds documents extracted with the profile "
              f"{stored!r}, not {asked!r}; use --profile {stored} or another --db")
        sys.exit(1)
    return asked or stored or DEFAULT_PROFILE


def _check_engine(engine: str, scheduler: str | None, workers: int | None) -> None:
    """--scheduler and --workers choose a Dask cluster: one of them, and only with dask."""
    if engine != "dask" and (scheduler or workers):
        raise click.UsageError("--scheduler and --workers need --engine dask")
    if scheduler and workers:
        raise click.UsageError("--workers sizes a local cluster; a --scheduler has its own workers")
    if engine == "dask":
        from ..scale import require_dask

        try:
            require_dask()
        except FrontlinesError as err:
            error(str(err))
            sys.exit(1)
