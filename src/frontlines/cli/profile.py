"""`frontlines profile new|check|suggest`: write, validate and complete a conflict profile."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import FrontlinesError
from .common import error


@click.group()
def profile() -> None:
    """Write a conflict profile for a war (sides, actors, country focus) and check it."""


@profile.command(name="new")
@click.argument("name")
@click.option("--country", "iso", required=True, metavar="CC",
              help="ISO 3166-1 alpha-2 code of the country the war is fought in (SD, UA, ...).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="File to write (default NAME.toml).")
def new(name: str, iso: str, output: str | None) -> None:
    """Write a commented skeleton profile NAME.toml with the country's codes, ACLED region,
    neighbours and capital filled in."""
    from ..profiles.authoring import skeleton

    path = Path(output or f"{name}.toml")
    if path.exists():
        error(f"{path}: already exists; choose another --output")
        sys.exit(1)
    try:
        path.write_text(skeleton(name, iso), encoding="utf-8")
    except (FrontlinesError, OSError) as err:
        error(f"{path}: {err}" if isinstance(err, OSError) else str(err))
        sys.exit(1)
    click.echo(f"wrote {path}; fill in its sides and actors, then: frontlines profile check {path}")


@profile.command(name="check")
@click.argument("profiles", nargs=-1, required=True)
def check(profiles: tuple[str, ...]) -> None:
    """Validate PROFILES (files, or names of shipped and installed profiles): one line per
    problem, `FILE:LINE: error|warning: what is wrong`; exit 1 when there is any."""
    from ..profiles import profile_path
    from ..profiles.authoring import check as check_file

    bad = 0
    for name in profiles:
        path = profile_path(name) or Path(name)
        try:
            found = check_file(path)
        except FrontlinesError as err:
            error(str(err) if err.path else f"{name}: {err}")
            bad += 1
            continue
        for problem in found:
            click.echo(f"{path}:{problem.line}: {problem.severity}: {problem.message}")
        bad += bool(found)
        if not found:
            click.echo(f"{path}: ok")
    if bad:
        sys.exit(1)


@profile.command(name="suggest")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--profile", "profile_name", default="syria", show_default=True,
              help="The profile to complete (a name or a .toml path).")
@click.option("--limit", default=40, show_default=True, help="How many suggestions to list.")
def suggest(files: tuple[str, ...], profile_name: str, limit: int) -> None:
    """List the organisations and groups the NER finds in FILES that no actor of the profile
    covers, most frequent first, with a sentence that names each."""
    from ..profiles import load_profile
    from ..profiles.authoring import suggest as find_suggestions

    failures = []

    def report(err: FrontlinesError) -> None:
        failures.append(err)
        error(str(err))

    try:
        found = find_suggestions(files, load_profile(profile_name), on_error=report)
    except FrontlinesError as err:
        error(str(err))
        sys.exit(1)
    for item in found[:limit]:
        example = " ".join(item.example.split())
        click.echo(f"{item.count:5}  {item.name}  ({item.label})  «{example[:100]}»")
    if not found:
        click.echo("every organisation and group found is covered by the profile")
    if failures:
        sys.exit(1)
