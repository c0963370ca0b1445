"""`frontlines extract`: documents in, the output contract (events and control changes) out."""

from __future__ import annotations

import json
import sys
from typing import TextIO

import click

from .common import (
    analyses,
    chosen_timeout,
    document_options,
    exit_with_failures,
    jobs_option,
    timeout_option,
)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True,
              help="Print the contract object; one JSON object per line for several files.")
@click.option("--pretty", is_flag=True, help="Indent the JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print events as CSV, ACLED's columns first.")
@document_options
@timeout_option
@jobs_option
def extract(files, as_json, pretty, as_csv, published, published_override, dates, profile, reader, timeout,
            jobs):
    """Extract events and control changes from FILES (text, HTML or wikitext).

    --csv writes ACLED's 31 columns in ACLED's order and conventions, then ours."""
    if as_json and as_csv:
        raise click.UsageError("--json and --csv are two output formats; choose one")
    if pretty and not as_json:
        raise click.UsageError("--pretty indents JSON; use it with --json")
    written = 0
    for analysis in analyses(files, published=published, profile=profile, reader=reader,
                             published_override=published_override, dates=dates,
                             timeout=chosen_timeout(timeout), jobs=jobs):
        for warning in analysis.document.warnings:  # a note, not a failure: the output follows
            click.echo(f"frontlines: {analysis.document.source}: note: {warning}", err=True)
        if as_json:
            write_json(analysis.to_contract(), sys.stdout, indent=2 if pretty else None)
        elif as_csv:
            written = _write_csv(analysis, written)
        else:
            _print_table(analysis)
    exit_with_failures()


def write_json(contract: dict, out: TextIO, *, indent: int | None = None) -> None:
    """The contract as `json.dumps` would write it (and a newline), written a row at a time:
    a long document's output is never one string in memory."""
    def dumps(value: object, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=indent, default=str)
        # JSON strings hold no raw newline: every one starts an indented line.
        return text.replace("\n", "\n" + " " * (indent * depth)) if indent else text

    pad = (lambda depth: "\n" + " " * (indent * depth)) if indent else (lambda depth: "")
    out.write("{")
    for number, (key, value) in enumerate(contract.items()):
        out.write(("," if number else "") + (pad(1) if indent else " " if number else ""))
        out.write(json.dumps(key) + ": ")
        if isinstance(value, list) and value:
            out.write("[")
            for index, row in enumerate(value):
                out.write(("," if index else "") + (pad(2) if indent else " " if index else ""))
                out.write(dumps(row, 2))
            out.write(pad(1) + "]")
        else:
            out.write(dumps(value, 1))
    out.write(pad(0) + "}\n")


def _write_csv(analysis, written: int) -> int:
    """One document's events as ACLED rows, numbered after the rows written before."""
    from ..export.tables import write_acled_csv
    from ..profiles import load_profile

    write_acled_csv(analysis.events, sys.stdout, profile=load_profile(analysis.profile),
                    store_columns=False, header=not written, first=written + 1)
    return written + max(len(analysis.events), 1)


def _print_table(analysis) -> None:
    doc = analysis.document
    click.echo(f"# {doc.title or doc.source}  ({doc.doc_id}, {len(analysis.sentences)} sentences, "
               f"{len(analysis.events)} events, {len(analysis.control_changes)} control changes)")
    for change in analysis.control_changes:
        click.echo(f"  {change.get('date')}  {change.get('place')}: {change.get('previous_controller')}"
                   f" -> {change.get('new_controller')} ({change.get('kind')}, {change.get('claim')})")
    for event in analysis.events:
        click.echo(f"  {event.get('event_date')}  {event.get('event_type')} / {event.get('sub_event_type')}"
                   f"  {event.get('location')}  {event.get('actor1')}")
