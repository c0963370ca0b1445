"""A chronological timeline of events and control changes, each line footnoted to its sources."""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

from ..profiles import Profile

# Event sub-types that a control change already states; the change's line says it better.
TERRITORY_SUB_EVENTS = frozenset({
    "Non-state actor overtakes territory", "Government regains territory",
    "Non-violent transfer of territory",
})
# How a line ends for a report that is not plainly reported.
CLAIM_NOTES = {"claimed": ", according to a claim.", "denied": "; this was denied.",
               "unconfirmed": " (unconfirmed)."}
# Territory events this many days from a change of control at their place restate it.
RESTATEMENT_DAYS = 2
GENERIC_ACTORS = frozenset({"Civilians", "Protesters", "Rioters"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


# --- citations (shared with the summary) ----------------------------------------------------

SOURCE_KEY = ("title", "publisher", "date", "url")  # what makes two documents' references one


@dataclass
class Citations:
    """Footnote numbers for sources across documents: one number per distinct source."""

    notes: list[dict] = field(default_factory=list)
    _index: dict[tuple, int] = field(default_factory=dict)

    def cite(self, row: dict) -> list[int]:
        """Footnote numbers for a row's sources; a row without any cites its own evidence."""
        return self.cite_all([row])

    def cite_all(self, rows: Iterable[dict], limit: int | None = None) -> list[int]:
        """Footnote numbers for the sources of rows, each once; with `limit`, only the first
        that many sources get a number (a line of a summary cites, it does not dump)."""
        numbers: list[int] = []
        for key, note in self._keyed(rows):
            if limit is not None and len(numbers) >= limit:
                break
            if key not in self._index:
                self.notes.append(note)
                self._index[key] = len(self.notes)
            if self._index[key] not in numbers:
                numbers.append(self._index[key])
        return numbers

    @staticmethod
    def _keyed(rows: Iterable[dict]) -> Iterator[tuple[tuple, dict]]:
        for row in rows:
            sources = [s for s in row.get("sources") or [] if isinstance(s, dict)
                       and any(s.get(k) for k in SOURCE_KEY)]
            if not sources:
                yield ("evidence", row.get("doc_id"), row.get("evidence")), {
                    "evidence": row.get("evidence"), "doc_id": row.get("doc_id")}
            for source in sources:
                yield tuple(source.get(k) for k in SOURCE_KEY), {"source": source}


def note_parts(note: dict) -> tuple[str, str | None]:
    """A footnote's text, and its link when the source has a web address."""
    source = note.get("source")
    if source is None:
        doc = f" (document {note['doc_id']})" if note.get("doc_id") else ""
        return f"“{note.get('evidence') or ''}”{doc}", None
    title = f"“{source['title']}”" if source.get("title") else None
    parts = [p for p in (source.get("publisher"), title, source.get("date")) if p]
    url = source.get("url")
    return ", ".join(parts) or (url or "source"), url if is_web_address(url) else None


def is_web_address(url: object) -> bool:
    return isinstance(url, str) and re.fullmatch(r"https?://[^\s<>\"']+", url) is not None


# --- entries -----------------------------------------------------------------------------------


@dataclass
class Entry:
    """One line of the timeline: plain text (not yet escaped), the rows behind it, their notes."""

    day: str | None
    precision: str
    text: str
    rows: list[dict]
    cites: list[int] = field(default_factory=list)


def date_heading(day: str | None, precision: str | None) -> str:
    """'6 December 2024'; 'December 2024' for a month; 'Undated' without a date."""
    if not day:
        return "Undated"
    try:
        value = date.fromisoformat(day)
    except ValueError:
        return day
    month = f"{MONTHS[value.month - 1]} {value.year}"
    return {"year": str(value.year), "month": month,
            "week": f"Week of {value.day} {month}"}.get(precision or "day", f"{value.day} {month}")


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def side_label(profile: Profile, side: str | None) -> str | None:
    """A side's label in the profile; an unknown side's key as it is."""
    found = profile.side(side)
    return found.label if found else side


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def change_text(first: dict, places: list[str], profile: Profile) -> str:
    new = side_label(profile, first.get("new_controller"))
    old = side_label(profile, first.get("previous_controller"))
    where, kind = join_names(places), first.get("kind")
    if kind == "withdrawal":
        text = (f"{old} withdrew from {where}, leaving {'it' if len(places) == 1 else 'them'} to {new}" if old
                else f"{new} took control of {where} after a withdrawal")
    elif kind == "handover":
        text = f"{where} {'was' if len(places) == 1 else 'were'} handed over to {new}" + (
            f" by {old}" if old else "")
    else:
        verb = "recaptured" if kind == "recapture" else "captured"
        text = f"{new} {verb} {where}" + (f" from {old}" if old else "")
    return _sentence(text) + CLAIM_NOTES.get(first.get("claim"), ".")


@lru_cache(maxsize=1)
def _phrases() -> dict[str, dict[str, str]]:
    """How each ACLED sub-event type is said in plain English (`phrases.toml`, data)."""
    text = resources.files(__package__).joinpath("phrases.toml").read_text("utf-8")
    return tomllib.loads(text)["events"]


def _who(actor: str | None) -> str | None:
    # A category, not a name, reads in lower case mid-sentence ("targeting civilians").
    return actor.lower() if actor in GENERIC_ACTORS else actor


def event_text(first: dict, places: list[str], fatalities: int) -> str:
    """'Israeli Air Force carried out air strikes on Homs; 20 people were killed.'"""
    phrases = _phrases().get(first.get("sub_event_type") or "") or _phrases()["default"]
    actor1, actor2 = _who(first.get("actor1")), _who(first.get("actor2"))
    if actor1 and actor2 and "both" in phrases:
        pattern = phrases["both"]
    elif actor1 and "one" in phrases:
        pattern = phrases["one"]
    elif actor2 and "target" in phrases:
        pattern = phrases["target"]
    else:
        pattern = phrases["alone"]
    where = join_names(places) if places else ""
    text = pattern.format(actor1=actor1, actor2=actor2,
                          at=f" in {where}" if where else "", on=f" on {where}" if where else "",
                          of=f" of {where}" if where else "",
                          place_or_area=f" {where}" if where else " the area")
    if fatalities:
        text += f"; {fatalities} {'person was' if fatalities == 1 else 'people were'} killed"
    return _sentence(text) + CLAIM_NOTES.get(first.get("claim"), ".")


def _grouped(rows: list[dict], key) -> list[list[dict]]:
    """Rows grouped by key, groups in the order of their first row."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return list(groups.values())


def _places(rows: list[dict], field_name: str) -> list[str]:
    return list(dict.fromkeys(r[field_name] for r in rows if r.get(field_name)))


def change_entries(changes: list[dict], profile: Profile) -> list[Entry]:
    def key(row: dict) -> tuple:
        return (row.get("date"), row.get("date_precision"), row.get("new_controller"),
                row.get("previous_controller"), row.get("kind"), row.get("claim"))
    return [Entry(group[0].get("date"), group[0].get("date_precision") or "day",
                  change_text(group[0], _places(group, "place"), profile), group)
            for group in _grouped(changes, key)]


def _stated_by_a_change(event: dict, changes: list[dict]) -> bool:
    """A territory event (a capture, a handover) that a change of control at its place
    within a few days already states: the change's line, on the change's day, says it."""
    if event.get("sub_event_type") not in TERRITORY_SUB_EVENTS or not event.get("place_id"):
        return False
    day = _day(event.get("event_date"))
    for change in changes:
        if change.get("place_id") != event["place_id"]:
            continue
        other = _day(change.get("date"))
        if day is None or other is None or abs((day - other).days) <= RESTATEMENT_DAYS:
            return True
    return False


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _facts(events: list[dict]) -> list[dict]:
    """One row per fact: the reports of one kind of event at one place on one day (a strike
    told twice in a paragraph) become one, with the actors any of them names, the lowest
    fatality figure stated (ACLED's rule) and every source."""
    def key(row: dict) -> tuple:
        return (row.get("event_date"), row.get("time_precision"), row.get("sub_event_type"),
                row.get("place_id") or row.get("location"), row.get("claim"))
    facts = []
    for group in _grouped(events, key):
        fact = dict(group[0])
        for name in ("actor1", "actor2"):
            fact[name] = next((r[name] for r in group if r.get(name)), None)
        stated = [int(r["fatalities"]) for r in group if r.get("fatalities")]
        fact["fatalities"] = min(stated) if stated else None
        fact["_rows"] = group
        facts.append(fact)
    return facts


def event_entries(events: list[dict], changes: list[dict]) -> list[Entry]:
    kept = [e for e in events if not _stated_by_a_change(e, changes)]

    def key(row: dict) -> tuple:
        return (row.get("event_date"), row.get("time_precision"), row.get("sub_event_type"),
                row.get("actor1"), row.get("actor2"), row.get("claim"))
    entries = []
    for group in _grouped(_facts(kept), key):
        fatalities = sum(int(e.get("fatalities") or 0) for e in group)
        rows = [row for fact in group for row in fact["_rows"]]
        entries.append(Entry(group[0].get("event_date"), _precision(group[0].get("time_precision")),
                             event_text(group[0], _places(group, "location"), fatalities), rows))
    return entries


def _precision(time_precision: object) -> str:
    # ACLED's time_precision: 1 the day, 2 the week, 3 the month.
    return {1: "day", 2: "week", 3: "month"}.get(time_precision, "day")  # type: ignore[arg-type]


def build_timeline(events: list[dict], changes: list[dict], profile: Profile, *,
                   citations: Citations | None = None
                   ) -> tuple[list[tuple[str, list[Entry]]], list[dict]]:
    """Entries grouped under date headings in date order, and the footnotes they cite.

    Within a day control changes come first, then events, each in the order rows came in;
    footnotes are numbered in reading order.
    """
    citations = citations if citations is not None else Citations()
    entries = change_entries(changes, profile) + event_entries(events, changes)
    entries.sort(key=lambda e: (e.day is None, e.day or "", e.precision != "day"))
    days: list[tuple[str, list[Entry]]] = []
    for entry in entries:
        entry.cites = citations.cite_all(entry.rows)
        heading = date_heading(entry.day, entry.precision)
        if not days or days[-1][0] != heading:
            days.append((heading, []))
        days[-1][1].append(entry)
    return days, citations.notes


# --- Markdown ----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Document text as literal Markdown: no emphasis, links or HTML can come from it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def md_note(number: int, note: dict) -> str:
    text, url = note_parts(note)
    return f"[^{number}]: {md_escape(text)}" + (f" <{url}>" if url else "")


def md_cites(numbers: list[int]) -> str:
    return "".join(f"[^{n}]" for n in numbers)


def timeline_markdown(events: list[dict], changes: list[dict], profile: Profile,
                      title: str = "Timeline") -> str:
    days, notes = build_timeline(events, changes, profile)
    lines = [f"# {md_escape(title)}", ""]
    for heading, entries in days:
        lines += [f"## {heading}", ""]
        lines += [f"- {md_escape(e.text)}{md_cites(e.cites)}" for e in entries]
        lines.append("")
    if not days:
        lines += ["No events or control changes.", ""]
    lines += [md_note(n, note) for n, note in enumerate(notes, start=1)]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML --------------------------------------------------------------------------------------

PAGE_STYLE = """body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;color:#222}
h2{font-size:1.05rem;margin:1.4rem 0 .3rem;border-bottom:1px solid #ddd}
sup a{text-decoration:none}ol.notes{font-size:.85rem;color:#444}"""


def html_page(title: str, body: str) -> str:
    """A standalone page; `body` must already be escaped markup."""
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n")


def html_cites(numbers: list[int]) -> str:
    return "".join(f'<sup><a href="#note-{n}">[{n}]</a></sup>' for n in numbers)


def html_notes(notes: list[dict]) -> str:
    items = []
    for number, note in enumerate(notes, start=1):
        text, url = note_parts(note)
        link = (f' <a href="{html.escape(url)}" rel="noopener noreferrer nofollow">'
                f"{html.escape(url)}</a>" if url else "")
        items.append(f'<li id="note-{number}">{html.escape(text)}{link}</li>')
    return f'<ol class="notes">\n{chr(10).join(items)}\n</ol>\n' if items else ""


def timeline_html(events: list[dict], changes: list[dict], profile: Profile,
                  title: str = "Timeline") -> str:
    days, notes = build_timeline(events, changes, profile)
    parts = []
    for heading, entries in days:
        items = "".join(f"<li>{html.escape(e.text)}{html_cites(e.cites)}</li>\n" for e in entries)
        parts.append(f"<h2>{html.escape(heading)}</h2>\n<ul>\n{items}</ul>\n")
    if not days:
        parts.append("<p>No events or control changes.</p>\n")
    return html_page(title, "".join(parts) + html_notes(notes))
