"""The `frontlines` command: one click group; each command lives in its own module."""

from __future__ import annotations

import sys

import click

from .. import __version__
from .eval import eval_command
from .extract import extract
from .sentences import sentences


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontlines")
def cli() -> None:
    """frontlines: reports about a war -> cited events, control changes and maps."""


cli.add_command(extract)
cli.add_command(eval_command)
cli.add_command(sentences)


def main() -> None:
    """Console entry point: quiet on Ctrl-C and on a closed pipe (`frontlines ... | head`)."""
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
