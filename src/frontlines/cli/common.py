"""What the commands share: document options, the per-file error loop, one-line errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date

import click

from ..errors import FrontlinesError, printable
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


def analyses(
    paths: Sequence[str], *, published: date | None, profile: str, reader: str | None,
    timeout: float = 0.0,
) -> Iterator[Analysis]:
    """Read and run the pipeline over each file, each within `timeout` seconds (0: no
    limit); a failing file (or one over its budget) is reported and skipped.

    Sets `failures` on the click context so the command can exit non-zero at the end.
    """
    from ..budget import Budgeted, unbudgeted
    from ..ingest import read_document
    from ..pipeline import run, warm

    def analyse(path: str, _ask: Callable) -> Analysis:
        doc = read_document(path, format=reader, published=published)
        unbudgeted(lambda: warm(profile))
        analysis = run(doc, profile=profile)
        analysis.parses = {}  # spaCy Docs: not needed by the commands, heavy to send back
        return analysis

    ctx = click.get_current_context()
    ctx.meta.setdefault("failures", 0)
    with Budgeted(analyse, timeout) as budget:
        yield from _reported(paths, budget.run, ctx)


def _reported(paths: Sequence[str], analyse: Callable[[str], Analysis], ctx: click.Context) -> Iterator[Analysis]:
    for path in paths:
        try:
            yield analyse(path)
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
