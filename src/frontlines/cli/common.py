"""What the commands share: document options, the per-file error loop, one-line errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date

import click

from ..errors import FrontlinesError
from ..model import Analysis

DEFAULT_PROFILE = "syria"
PROFILE_HELP = ("Conflict profile: sides, actors and country focus (default: the store's, "
                f"else {DEFAULT_PROFILE}).")
PUBLISHED_HELP = "Publication date (YYYY-MM-DD) that weekday names and 'yesterday' resolve against."


def parse_published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def document_options(func: Callable) -> Callable:
    """--published, --profile and --format, shared by every command that reads documents."""
    func = click.option("--format", "reader", default=None,
                        help="Reader to use (text, html, wikitext); guessed when omitted.")(func)
    func = click.option("--profile", default=None, help=PROFILE_HELP)(func)
    func = click.option("--published", callback=parse_published, metavar="YYYY-MM-DD",
                        help=PUBLISHED_HELP)(func)
    return func


def error(message: str) -> None:
    click.echo(f"frontlines: {message}", err=True)


def analyses(
    paths: Sequence[str], *, published: date | None, profile: str | None, reader: str | None
) -> Iterator[Analysis]:
    """Read and run the pipeline over each file; a failing file is reported and skipped.

    Sets `failures` on the click context so the command can exit non-zero at the end.
    """
    from ..ingest import read_document
    from ..pipeline import run

    ctx = click.get_current_context()
    ctx.meta.setdefault("failures", 0)
    for path in paths:
        try:
            doc = read_document(path, format=reader, published=published)
            yield run(doc, profile=profile or DEFAULT_PROFILE)
        except FrontlinesError as err:
            ctx.meta["failures"] += 1
            error(str(err) if err.path else f"{path}: {err}")
        except Exception as err:  # a bug of ours: still one line, and the batch goes on
            if os.environ.get("FRONTLINES_DEBUG"):
                raise
            ctx.meta["failures"] += 1
            error(f"{path}: internal error ({type(err).__name__}: {err}); "
                  "set FRONTLINES_DEBUG=1 for a traceback")


def exit_with_failures() -> None:
    """Exit 1 when any file of the batch failed, after the others were processed."""
    failures = click.get_current_context().meta.get("failures", 0)
    if failures:
        sys.exit(1)
