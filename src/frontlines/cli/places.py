"""`frontlines places`: add a place, look a name up, list the names a document leaves unresolved."""

from __future__ import annotations

import json

import click

from ..errors import FrontlinesError
from ..geo import Geocoder
from ..geo.geocoder import Candidate, Resolution
from ..geo.userdata import add_place
from ..ingest import read_document
from ..model import PlaceMention


class _PlacesGroup(click.Group):
    """A group that also reads `places --unresolved FILE...` as `places unresolved FILE...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] == "--unresolved":
            args = ["unresolved", *args[1:]]
        return super().parse_args(ctx, args)


@click.group(cls=_PlacesGroup)
def places() -> None:
    """Places: add your own, look names up, list what a document leaves unresolved
    (`frontlines places --unresolved FILE...`)."""


@places.command("add")
@click.argument("name")
@click.argument("lat", type=float)
@click.argument("lon", type=float)
@click.option("--alias", "aliases", multiple=True, help="Another spelling (repeatable).")
@click.option("--admin1", default=None, help="Governorate / province.")
@click.option("--country", default="SY", show_default=True, help="ISO country code.")
@click.option("--kind", default="village", show_default=True,
              help="village, town, city, crossing, airbase, mountain ...")
def add_command(name: str, lat: float, lon: float, aliases: tuple[str, ...], admin1: str | None,
                country: str, kind: str) -> None:
    """Add NAME at LAT LON to your gazetteer; it resolves from then on."""
    try:
        place_id = add_place(name, lat, lon, aliases=aliases, admin1=admin1, country=country,
                             kind=kind)
    except FrontlinesError as err:
        raise click.ClickException(str(err)) from None
    also = f", also known as {', '.join(aliases)}" if aliases else ""
    click.echo(f"added {name} ({place_id}) at {lat}, {lon}{also}")


@places.command("lookup")
@click.argument("name")
@click.option("--near", default=None, help="A place the name is near (helps pick among namesakes).")
@click.option("--country", default="SY", show_default=True, help="The country in focus.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def lookup_command(name: str, near: str | None, country: str, as_json: bool) -> None:
    """Resolve NAME and show the candidates it was chosen from."""
    try:
        geo = Geocoder.default(country)
        anchor = geo.resolve(near) if near else None
        if near and anchor is None:
            raise click.ClickException(f"--near: no place called {near!r}")
        result = geo.resolve(name, near=anchor.place if anchor else None)
        candidates = geo.lookup(name)
    except FrontlinesError as err:
        raise click.ClickException(str(err)) from None
    if as_json:
        payload = {"resolution": result.to_dict() if result else None,
                   "candidates": [_candidate_dict(c) for c in candidates]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(_describe(name, result))
    for cand in candidates[:10]:
        place = cand.place
        click.echo(f"  candidate: {place.name} ({place.place_id}) {place.admin1 or ''} {place.iso}"
                   f" {place.latitude:.4f},{place.longitude:.4f} via {cand.matched_alias!r}"
                   f" [{cand.match}, {cand.score:.2f}]")


def _candidate_dict(cand: Candidate) -> dict:
    place = cand.place
    return {"name": place.name, "place_id": place.place_id, "iso": place.iso,
            "admin1": place.admin1, "latitude": place.latitude, "longitude": place.longitude,
            "matched_alias": cand.matched_alias, "match": cand.match, "score": round(cand.score, 3)}


def _describe(name: str, result: Resolution | None) -> str:
    if result is None:
        return f"{name}: unresolved (add it with `frontlines places add`)"
    place = result.place
    return (f"{name}: {place.name} ({place.place_id or 'region'}) {place.admin1 or ''}"
            f" {place.country or ''} {place.latitude:.4f},{place.longitude:.4f}"
            f" geo_precision {result.geo_precision}, {result.match} match"
            f" via {result.matched_alias!r}, confidence {result.confidence:.2f}")


@places.command("unresolved")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--country", default="SY", show_default=True, help="The country in focus.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines, one per name.")
def unresolved_command(files: tuple[str, ...], country: str, as_json: bool) -> None:
    """List the place names in FILES that the gazetteer cannot resolve, with their sentence
    and where they were placed approximately.  A bad file is reported and skipped."""
    from ..pipeline import run

    failed = 0
    for path in files:
        try:
            # The same place stage extraction uses, so the list is what extract leaves unresolved.
            analysis = run(read_document(path), stage_names=("segment", "dates", "places"))
        except FrontlinesError as err:
            click.echo(f"frontlines: {err}", err=True)
            failed += 1
            continue
        for mention in analysis.mentions:
            if isinstance(mention, PlaceMention) and (mention.place is None or mention.approximate_to):
                sentence = analysis.sentences[mention.sentence].text
                click.echo(_unresolved_line(path, analysis.document.text, mention, sentence, as_json))
    if failed:
        raise SystemExit(1)


def _unresolved_line(path: str, text: str, mention: PlaceMention, sentence: str,
                     as_json: bool) -> str:
    line = text.count("\n", 0, mention.start) + 1
    context = " ".join(sentence.split())
    if as_json:
        return json.dumps({
            "file": path, "line": line, "start": mention.start, "end": mention.end,
            "name": mention.text, "approximate_to": mention.approximate_to,
            "geo_precision": mention.geo_precision or None, "context": context,
        }, ensure_ascii=False)
    placed = (f"placed near {mention.approximate_to} (geo_precision {mention.geo_precision})"
              if mention.place is not None else "not placed")
    return f"{path}:{line}: {mention.text}\t{placed}\t{context}"
