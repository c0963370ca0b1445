"""Wikitext for editors: the summary as `{{Infobox military conflict}}` and the timeline as a
dated list, each statement with `<ref>{{cite news|…}}</ref>` references.

Document text is untrusted: every value is written with the characters wikitext gives a
meaning to (`| { } [ ] < > & '` and `=`, `~`) as HTML entities, so no template, link, tag or
signature can come from it.
"""

from __future__ import annotations

from typing import Any

from ..profiles import Profile
from .summary import TOP, disputed_text, figure_line, listed, source_rows
from .timeline import Citations, build_timeline, is_web_address

_ENTITIES = {c: f"&#{ord(c)};" for c in "|{}[]<>&'=~"}


def wiki_escape(text: str) -> str:
    """Document text as literal wikitext."""
    return "".join(_ENTITIES.get(c, c) for c in " ".join(str(text).split()))


class References:
    """`<ref name=…>` tags: the full citation the first time a source is cited, then a
    reuse `<ref name=… />`."""

    def __init__(self) -> None:
        self.citations = Citations()
        self._written: set[int] = set()

    def tags(self, numbers: list[int]) -> str:
        out = []
        for number in numbers:
            name = f'"fl{number}"'
            if number in self._written:
                out.append(f"<ref name={name} />")
                continue
            self._written.add(number)
            out.append(f"<ref name={name}>{cite(self.citations.notes[number - 1])}</ref>")
        return "".join(out)


def cite(note: dict) -> str:
    """`{{cite news}}` for a source; the evidence sentence quoted when it cites nothing."""
    source = note.get("source")
    if source is None:
        doc = f" (document {wiki_escape(note['doc_id'])})" if note.get("doc_id") else ""
        return f"&quot;{wiki_escape(note.get('evidence') or '')}&quot;{doc}"
    fields = [("title", source.get("title") or source.get("publisher") or "Untitled"),
              ("publisher", source.get("publisher")), ("date", source.get("date")),
              ("url", source.get("url") if is_web_address(source.get("url")) else None)]
    parts = [f"{key}={value if key == 'url' else wiki_escape(value)}"
             for key, value in fields if value]
    return "{{cite news |" + " |".join(parts) + "}}"


def summary_wikitext(summary: dict[str, Any], profile: Profile) -> str:
    """`{{Infobox military conflict}}` with the summary's fields; denied and unconfirmed
    changes are not results: they go to `notes`, labelled."""
    refs = References()
    cites = refs.citations

    def value(text: str, numbers: list[int]) -> str:
        return wiki_escape(text) + refs.tags(numbers)

    params: list[tuple[str, str]] = [("conflict", wiki_escape(summary["title"]))]
    for key in ("date", "location", "result"):
        field = summary[key]
        if field and field.get("text"):
            numbers = cites.cite_all(source_rows(field), limit=5)
            params.append(({"location": "place"}.get(key, key), value(field["text"], numbers)))
    territory = [value(t["text"], cites.cite_all(source_rows(t), limit=5))
                 for t in summary["territory_infobox"]]
    territory += [value(side["text"], cites.cite_all(side["rows"], limit=5))
                  for side in summary["territory"]["by_side"]]
    if territory:
        params.append(("territory", "<br />".join(territory)))
    sides = [b for b in summary["belligerents"] if b["side"]][:3]
    for number, side in enumerate(sides, start=1):
        params.append((f"combatant{number}", wiki_escape(side["label"])))
    for number, side in enumerate(sides, start=1):
        units = listed([u["actor"] for u in side["units"]])
        if units:
            params.append((f"units{number}", wiki_escape(units)))
    notes: list[str] = []
    for field in ("strength", "casualties"):
        by_side: dict[int, list[str]] = {}
        for figure in summary[field]:
            _, text, numbers = figure_line(figure, profile, cites, marked=False)
            slot = next((i for i, s in enumerate(sides, start=1) if s["side"] == figure.get("side")), None)
            line = value(text, numbers)
            if slot is None:
                notes.append(f"{field.capitalize()}: {line}")
            else:
                by_side.setdefault(slot, []).append(line)
        params += [(f"{field}{slot}", "<br />".join(lines)) for slot, lines in sorted(by_side.items())]
    fatal = summary["fatalities"]
    if fatal["events"]:
        notes.append(value(f"Fatalities counted in events: {fatal['total']}",
                           cites.cite_all(fatal["rows"], limit=5)))
    disputed = summary["territory"]["disputed"]
    notes += [f"Reported, not established: {value(disputed_text(c), cites.cite_all([c], limit=5))}"
              for c in disputed[:TOP]]
    if notes:
        params.append(("notes", "<br />".join(notes)))
    width = max(len(key) for key, _ in params)
    body = "\n".join(f"| {key.ljust(width)} = {text}" for key, text in params)
    return "{{Infobox military conflict\n" + body + "\n}}\n\n== References ==\n{{reflist}}\n"


def timeline_wikitext(events: list[dict], changes: list[dict], profile: Profile,
                      title: str = "Timeline") -> str:
    """The timeline as wikitext: a section per day, a bullet per fact with its references."""
    refs = References()
    days, _ = build_timeline(events, changes, profile, citations=refs.citations)
    lines = [f"== {wiki_escape(title)} =="]
    for heading, entries in days:
        lines += ["", f"=== {wiki_escape(heading)} ==="]
        lines += [f"* {wiki_escape(entry.text)}{refs.tags(entry.cites)}" for entry in entries]
    if not days:
        lines += ["", "No events or control changes."]
    lines += ["", "== References ==", "{{reflist}}"]
    return "\n".join(lines) + "\n"
