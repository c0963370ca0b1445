"""What the commands share: document options, the per-file error loop, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date

import click

from ..model import Analysis

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
    func = click.option("--profile", default="syria", show_default=True,
                        help="Conflict profile: sides, actors and country focus.")(func)
    func = click.option("--published", callback=parse_published, metavar="YYYY-MM-DD",
                        help=PUBLISHED_HELP)(func)
    return func


def error(message: str) -> None:
    click.echo(f"frontlines: {message}", err=True)


def jobs_option(func: Callable) -> Callable:
    """--jobs, for the commands that extract many files."""
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                        metavar="N", help="Extract in N processes (results in input order).")(func)


def analyses(
    paths: Sequence[str], *, published: date | None, profile: str, reader: str | None,
    jobs: int = 1,
) -> Iterator[Analysis]:
    """Read and run the pipeline over each file (in `jobs` processes), in the order of the
    files; a failing file is reported and skipped.

    Sets `failures` on the click context so the command can exit non-zero at the end.
    """
    from ..corpus import Failure, Options, analyses_in_order

    ctx = click.get_current_context()
    ctx.meta.setdefault("failures", 0)
    options = Options(published=published, profile=profile, reader=reader)
    for _path, result in analyses_in_order(paths, options, jobs):
        if isinstance(result, Failure):
            ctx.meta["failures"] += 1
            error(result.message)
        else:
            yield result


def exit_with_failures() -> None:
    """Exit 1 when any file of the batch failed, after the others were processed."""
    failures = click.get_current_context().meta.get("failures", 0)
    if failures:
        sys.exit(1)
