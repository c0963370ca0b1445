"""What the commands share: document options, the per-file error loop, one-line errors."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date

import click

from ..errors import FrontlinesError, printable
from ..model import Analysis

DEFAULT_PROFILE = "syria"
PROFILE_HELP = ("Conflict profile: sides, actors and country focus (default: the store's, "
                f"else {DEFAULT_PROFILE}).")
PUBLISHED_HELP = ("Publication date (YYYY-MM-DD) that weekday names and 'yesterday' resolve "
                  "against: the date of the one file named, else of the documents that carry "
                  "no date of their own (metadata, dateline, file name).")


def parse_published(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def parse_dates_file(ctx: click.Context, param: click.Parameter, value: str | None) -> dict:
    if value is None:
        return {}
    from ..ingest.published import read_dates_file

    try:
        return read_dates_file(value)
    except FrontlinesError as err:
        raise click.BadParameter(str(err)) from None


def document_options(func: Callable) -> Callable:
    """--published, --published-override, --dates, --profile and --format, shared by every
    command that reads documents."""
    func = click.option("--format", "reader", default=None,
                        help="Reader to use (text, html, wikitext); guessed when omitted.")(func)
    func = click.option("--profile", default=None, help=PROFILE_HELP)(func)
    func = click.option("--dates", "dates", callback=parse_dates_file, metavar="FILE.csv",
                        help="Each document's own publication date: a CSV of path,published.")(func)
    func = click.option("--published-override", is_flag=True,
                        help="Force --published on every document, even one with its own date.")(func)
    func = click.option("--published", callback=parse_published, metavar="YYYY-MM-DD",
                        help=PUBLISHED_HELP)(func)
    return func


def timeout_option(func: Callable) -> Callable:
    """--timeout-per-file: the time budget of one document (see frontlines.budget)."""
    from ..budget import DEFAULT_TIMEOUT_S, TIMEOUT_ENV

    return click.option("--timeout-per-file", "timeout", type=click.FloatRange(min=0), default=None,
                        metavar="SECONDS",
                        help=f"Abandon a document that takes longer than this to read and extract "
                             f"(default {DEFAULT_TIMEOUT_S:g}, or ${TIMEOUT_ENV}; 0: no limit).")(func)


def chosen_timeout(value: float | None) -> float:
    from ..budget import default_timeout

    return default_timeout() if value is None else value


def error(message: str) -> None:
    click.echo(f"frontlines: {printable(message)}", err=True)


def jobs_option(func: Callable) -> Callable:
    """--jobs, for the commands that extract many files."""
    return click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                        metavar="N", help="Extract in N processes (results in input order).")(func)


def analyses(
    paths: Sequence[str], *, published: date | None, profile: str | None, reader: str | None,
    published_override: bool = False, dates: dict | None = None, timeout: float = 0.0,
    jobs: int = 1,
) -> Iterator[Analysis]:
    """Read and run the pipeline over each file (in `jobs` processes), in the order of the
    files, each within `timeout` seconds (0: no limit); a failing file (or one over its
    budget) is reported and skipped.  A document with rows the text gives no date for gets
    one warning line.

    Sets `failures` on the click context so the command can exit non-zero at the end.
    """
    from ..corpus import Failure, Options, analyses_in_order
    from ..ingest.published import names_one_file

    ctx = click.get_current_context()
    ctx.meta.setdefault("failures", 0)
    options = Options(published=published, profile=profile or DEFAULT_PROFILE, reader=reader,
                      published_override=published_override or names_one_file(paths),
                      dates=dates or {}, timeout=timeout)
    for path, result in analyses_in_order(paths, options, jobs):
        if isinstance(result, Failure):
            ctx.meta["failures"] += 1
            error(result.message)
        else:
            warn_undated(result.document.source or path, result.to_contract())
            yield result


def warn_undated(name: str, contract: dict) -> None:
    """One line for a document some of whose rows have no date."""
    from ..ingest.published import undated_warning

    message = undated_warning(contract)
    if message:
        error(f"{name}: {message}")


def exit_with_failures() -> None:
    """Exit 1 when any file of the batch failed, after the others were processed."""
    failures = click.get_current_context().meta.get("failures", 0)
    if failures:
        sys.exit(1)
