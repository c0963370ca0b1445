"""The `frontlines` command: one click group; each command lives in its own module.

Commands are imported only when used, so `frontlines extract` does not pay for the web app's
or the store's imports.  Adding a command is one line in COMMANDS.
"""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__

# name -> "module:attribute" of the click command, relative to this package.
COMMANDS = {
    "extract": "extract:extract",
    "sentences": "sentences:sentences",
    "eval": "eval:eval_command",
    "gazetteer": "gazetteer:gazetteer",
    "places": "places:places",
    "ingest": "ingest:ingest",
    "events": "events:events",
    "changes": "changes:changes",
    "control": "control:control",
    "timeline": "timeline:timeline",
    "summary": "summary:summary",
    "map": "map:map_command",
    "plot": "plot:plot",
    "wikimap": "wikimap:wikimap",
    "serve": "serve:serve",
    "profile": "profile:profile",
    "documents": "documents:documents",
    "regeocode": "regeocode:regeocode",
}


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        module = importlib.import_module(f".{module_name}", __name__)
        return getattr(module, attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="frontlines")
def cli() -> None:
    """frontlines: reports about a war -> cited events, control changes and maps."""


def main() -> None:
    """Console entry point: quiet on Ctrl-C and on a closed pipe (`frontlines ... | head`);
    regular expressions compiled from the cache of earlier runs (`frontlines.regex_cache`)."""
    from .. import regex_cache

    regex_cache.install()
    try:
        cli()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
