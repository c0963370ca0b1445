"""`frontlines sentences`: each sentence with its date, precision, zone and footnoted sources."""

from __future__ import annotations

import json

import click

from .common import analyses, document_options, exit_with_failures


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--all", "show_all", is_flag=True,
              help="Also show sentences outside the narrative (infobox, captions, references...).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per sentence.")
@document_options
def sentences(files, show_all, as_json, published, published_override, dates, profile, reader):
    """Show how FILES were split into sentences and dated: a debugging view of the pipeline."""
    for analysis in analyses(files, published=published, profile=profile, reader=reader,
                             published_override=published_override, dates=dates):
        doc = analysis.document
        if not as_json:
            click.echo(f"# {doc.title or doc.source} ({doc.doc_id}) published {_published(doc)}")
        for sentence in analysis.sentences:
            if not (show_all or sentence.narrative):
                continue
            if as_json:
                row = sentence.to_dict() | {"doc_id": doc.doc_id, "sources": _sources(doc, sentence),
                                            "published": _published(doc)}
                click.echo(json.dumps(row, ensure_ascii=False, default=str))
            else:
                _print_sentence(doc, sentence)
    exit_with_failures()


def _published(doc) -> str:
    """"2024-12-08 (dateline)", or "unknown"."""
    if doc.published is None:
        return "unknown"
    return f"{doc.published.isoformat()} ({doc.published_source or 'given'})"


def _sources(doc, sentence) -> list[dict]:
    return [
        {"number": n, "title": ref.title, "publisher": ref.publisher, "date": ref.date, "url": ref.url}
        for n in sentence.footnotes
        if (ref := doc.references.get(n)) is not None
    ]


def _print_sentence(doc, sentence) -> None:
    dated = sentence.date
    when = dated.value.isoformat() if dated and dated.value else "----------"
    precision = (dated.precision or "-") if dated else "-"
    basis = dated.basis if dated else "none"
    click.echo(f"{sentence.index:4d} {when} {precision:<5} {basis:<9} [{sentence.zone}] {sentence.text}")
    for source in _sources(doc, sentence):
        label = "; ".join(str(v) for v in (source["title"], source["publisher"], source["date"]) if v)
        click.echo(f"{'':27}  [{source['number']}] {label}")
