"""`frontlines eval`: score extraction against gold files (ANNOTATION.md) with error analysis."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..errors import FrontlinesError
from ..evaluation import Counts, describe, load_json, score_document, summary_line
from .common import error


@click.command(name="eval")
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder of NAME.txt + NAME.gold.json pairs.")
@click.option("--system-dir", type=click.Path(exists=True, file_okay=False),
              help="Score existing outputs NAME.json from this folder instead of running extract.")
@click.option("--profile", default="syria", show_default=True)
@click.option("--errors/--no-errors", "show_errors", default=True, help="List every missed and extra item.")
def eval_command(gold_dir, system_dir, profile, show_errors):
    """Score extraction on every annotated document in a folder."""
    total_changes, total_events = Counts(), Counts()
    results = []
    for gold_path in sorted(Path(gold_dir).glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        text_path = gold_path.with_name(f"{name}.txt")
        try:
            gold = load_json(gold_path)
            text = text_path.read_text(encoding="utf-8") if text_path.exists() else None
            system = _system_output(name, gold, text_path, system_dir, profile)
        except FrontlinesError as err:
            error(str(err))
            continue
        result = score_document(name, gold, system, text)
        total_changes.add(result.changes)
        total_events.add(result.events)
        results.append(result)
    click.echo(f"{'document':44} {'changes P/R/F1':>16} {'events P/R/F1':>16}")
    for result in results:
        click.echo(f"{result.name:44} {result.changes.prf():>16} {result.events.prf():>16}")
    click.echo(f"{'ALL (micro)':44} {total_changes.prf():>16} {total_events.prf():>16}")
    if show_errors:
        for result in results:
            if result.missed or result.extra:
                click.echo(f"\n## {result.name}")
            for kind, item in result.missed:
                click.echo(f"  missed {describe(kind, item)}")
            for kind, item in result.extra:
                click.echo(f"  extra  {describe(kind, item)}")
    click.echo(summary_line(total_changes, total_events))


def _system_output(name: str, gold: dict, text_path: Path, system_dir, profile: str) -> dict:
    if system_dir:
        return load_json(Path(system_dir) / f"{name}.json")
    from ..ingest import read_document
    from ..pipeline import run

    published = gold.get("published")
    doc = read_document(text_path, published=date.fromisoformat(published) if published else None)
    return run(doc, profile=profile).to_contract()
