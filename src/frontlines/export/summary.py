"""An infobox summary: dates, location, belligerents and units, territorial result, strengths, casualties."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from ..profiles import Actor, Profile
from .timeline import (
    MONTHS,
    Citations,
    html_cites,
    html_notes,
    html_page,
    join_names,
    md_cites,
    md_escape,
    md_note,
    side_label,
)

# Claims that count as territory changing hands; denied and unconfirmed ones are listed apart.
FACT_CLAIMS = frozenset({"reported", "claimed"})
NAMED_PLACES = 3  # "... captures Homs, Ar Rastan, Talbiseh and 17 more"
NON_COMBATANT_INTER = frozenset({5, 6, 7})  # rioters, protesters, civilians
# On a large store every field is summarised: this many items, the rest counted.
TOP = 8
CITES_PER_LINE = 5
# A dated item more than this many days from the rest of the story is background (an earlier
# strike, the start of a wider campaign), not the story's own span.
STORY_GAP_DAYS = 7
STORY_EVENT_TYPES = frozenset({"Battles"})
_MARKERS = re.compile(r"\s*\[\s*(\d{1,4})\s*\]")
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?\b")

# --- strengths and casualties stated in sentences --------------------------------------------

_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                 "thirty|forty|fifty|hundred|thousand")
_NUMBER = (r"(?:(?:at least|some|about|around|nearly|almost|more than|over|up to|an estimated)\s+)?"
           rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?!\s+(?:{'|'.join(MONTHS)})\b)(?:\+|\s+(?:thousand|hundred))?"
           rf"|(?:(?:at least|some|about|around|nearly|more than|over)\s+)?(?:{_NUMBER_WORDS})"
           r"|(?:several\s+)?(?:dozens|hundreds|thousands|dozen|hundred|thousand)")
_MODIFIERS = r"(?:\s+of)?(?:\s+[\w'’-]+){0,3}?"
_FORCES = (r"fighters|troops|soldiers|militants|rebels|militiamen|gunmen|men|personnel|"
           r"tanks|APCs|armou?red vehicles|vehicles|aircraft|jets|warplanes|drones|helicopters|"
           r"battalions|brigades")
_VICTIMS = r"civilians|people|fighters|soldiers|troops|militants|rebels|children|women|residents"
STRENGTH = re.compile(rf"\b(?:{_NUMBER}){_MODIFIERS}\s+(?:{_FORCES})\b", re.IGNORECASE)
CASUALTIES = re.compile(
    rf"\b(?:killed|killing|wounded|wounding|injured|injuring)\s+(?:{_NUMBER}){_MODIFIERS}\s+(?:{_VICTIMS})\b"
    rf"|\b(?:{_NUMBER}){_MODIFIERS}(?:\s+(?:{_VICTIMS}))?\s+(?:were|have been|had been|was)?\s*"
    r"(?:killed|wounded|injured|dead|deaths|casualties)\b",
    re.IGNORECASE,
)


def _statements(rows: Iterable[dict]) -> Iterator[tuple[str, dict]]:
    """Each (sentence, row-with-its-sources) behind the rows, once per distinct sentence."""
    seen: set[str] = set()
    for row in rows:
        mentions = [m for m in row.get("mentions") or [] if isinstance(m, dict)]
        for item in (row, *mentions):
            sentence = item.get("evidence")
            if isinstance(sentence, str) and sentence not in seen:
                seen.add(sentence)
                yield sentence, item


def stated_figures(rows: Iterable[dict], profile: Profile) -> tuple[list[dict], list[dict]]:
    """Strengths ("2,000 fighters", "150+ APCs") and casualties ("killed 20 civilians") the
    evidence sentences state, each with the side it names, its sentence and sources."""
    strengths, casualties = [], []
    for sentence, row in _statements(rows):
        losses = [m.span() for m in CASUALTIES.finditer(sentence)]
        casualties += [_stated_figure(sentence[a:b], sentence, row, profile) for a, b in losses]
        for match in STRENGTH.finditer(sentence):
            if not any(a < match.end() and match.start() < b for a, b in losses):
                strengths.append(_stated_figure(match.group(), sentence, row, profile))
    return strengths, casualties


def _stated_figure(text: str, sentence: str, row: dict, profile: Profile) -> dict:
    return {"text": " ".join(text.split()), "side": named_side(text, profile),
            "evidence": sentence, "sources": row.get("sources") or [], "doc_id": row.get("doc_id")}


@lru_cache(maxsize=8)
def _actor_names(actors: tuple[Actor, ...]) -> tuple[re.Pattern, dict[str, str]]:
    names: dict[str, str] = {}
    for actor in actors:
        for name in (actor.name, *actor.aliases, *actor.adjectives):
            names.setdefault(name.casefold(), actor.side)
    ordered = sorted(names, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, ordered)) + r")\b", re.IGNORECASE)
    return pattern, names


def named_side(text: str, profile: Profile) -> str | None:
    """The side of the first actor a phrase names ("Hezbollah fighters" -> government)."""
    if not profile.actors:
        return None
    pattern, names = _actor_names(profile.actors)
    match = pattern.search(text)
    return names[match.group().casefold()] if match else None


# --- derived fields ----------------------------------------------------------------------------


def date_range(events: list[dict], changes: list[dict]) -> dict | None:
    days = sorted(d for d in _dates(events, changes))
    if not days:
        return None
    start, end = days[0], days[-1]
    length = max((end - start).days, 1)
    return {"start": start.isoformat(), "end": end.isoformat(), "days": length,
            "text": f"{span_text(start, end)} ({length} day{'s' if length != 1 else ''})"}


def _dates(events: list[dict], changes: list[dict]) -> Iterator[date]:
    for value in [e.get("event_date") for e in events] + [c.get("date") for c in changes]:
        try:
            yield date.fromisoformat(value)
        except (TypeError, ValueError):
            continue


def story_span(events: list[dict], changes: list[dict]) -> dict | None:
    """The span of the story itself: the days of its changes of control (reported or
    claimed) and battles, in the largest run of days that lie no more than a week apart;
    a background strike weeks before is left out.  Without such rows, every dated row."""
    core = ([e for e in events if e.get("event_type") in STORY_EVENT_TYPES]
            + [c for c in changes if c.get("claim") in FACT_CLAIMS])
    days = sorted(_dates(*_split(core))) or sorted(_dates(events, changes))
    if not days:
        return None
    runs: list[list[date]] = [[days[0]]]
    for day in days[1:]:
        if (day - runs[-1][-1]).days > STORY_GAP_DAYS:
            runs.append([])
        runs[-1].append(day)
    best = max(reversed(runs), key=len)  # the fullest run; the latest of equals
    return _span(best[0], best[-1])


def _split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    return [r for r in rows if "event_date" in r], [r for r in rows if "event_date" not in r]


def _span(start: date, end: date) -> dict:
    length = max((end - start).days, 1)
    return {"start": start.isoformat(), "end": end.isoformat(), "days": length,
            "text": span_text(start, end)}


def parse_span(text: str, year_hint: int | None = None) -> dict | None:
    """An infobox's date ("5 December 2024 – 8 December 2024 (3 days)", "5–8 December
    2024") as a span; None when it names no day."""
    short = re.search(r"\b(\d{1,2})\s*[–-]\s*(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", text)
    if short:  # "5–8 December 2024": the first day carries no month of its own
        month, year = MONTHS.index(short.group(3)) + 1, int(short.group(4))
        try:
            return _span(date(year, month, int(short.group(1))), date(year, month, int(short.group(2))))
        except ValueError:
            return None
    found = []
    for match in _DAY_MONTH_YEAR.finditer(text):
        year = match.group(3) or year_hint
        if year is None:
            continue
        try:
            found.append(date(int(year), MONTHS.index(match.group(2)) + 1, int(match.group(1))))
        except ValueError:
            continue
    return _span(min(found), max(found)) if found else None


def span_text(start: date, end: date) -> str:
    """'5–8 December 2024', '5 November – 8 December 2024', '30 December 2024 – 2 January 2025'."""
    def full(d: date) -> str:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if start == end:
        return full(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{full(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {full(end)}"
    return f"{full(start)} – {full(end)}"


def location(events: list[dict], changes: list[dict], profile: Profile) -> dict | None:
    counts = Counter(r.get("admin1") for r in [*events, *changes] if r.get("admin1"))
    regions = [name for name, _ in counts.most_common(3)]
    if not regions:
        return None
    country = f", {profile.country}" if profile.country else ""
    return {"regions": regions, "country": profile.country, "text": join_names(regions) + country}


def belligerents(events: list[dict], changes: list[dict], profile: Profile,
                 infobox_units: Iterable[dict] = ()) -> list[dict]:
    """Sides that fought (not civilians), most involved first, with the units seen for each
    (most active first); units a document's infobox names join the side whose actor they
    name, and the others are listed last, under no side."""
    units: dict[str, Counter] = {}
    involvement: Counter = Counter()
    unplaced = []
    for unit in infobox_units:
        side = named_side(unit["text"], profile)
        if side is None:
            unplaced.append({"actor": unit["text"], "events": 0, "from": "infobox",
                             "sources": unit["sources"]})
        else:
            units.setdefault(side, Counter())[unit["text"]] += 0
            involvement[side] += 0
    for event in events:
        for actor, side in _actors(event, profile):
            units.setdefault(side, Counter())[actor] += 1
            involvement[side] += 1
    for change in changes:
        for side in (change.get("new_controller"), change.get("previous_controller")):
            if side:
                involvement[side] += 1
    sides = [{"side": side, "label": _label(profile, side),
              "colour": profile.sides[side].colour if side in profile.sides else None,
              "units": [{"actor": a, "events": n} for a, n in units.get(side, Counter()).most_common()],
              "rows": count}
             for side, count in involvement.most_common() if _combatant(side, profile)]
    if unplaced:
        sides.append({"side": None, "label": "Other units (infobox)", "colour": None,
                      "units": unplaced, "rows": 0})
    return sides


def _actors(event: dict, profile: Profile) -> Iterator[tuple[str, str]]:
    """(actor, side) pairs an event names, assoc actors ("A; B") included."""
    for number in ("1", "2"):
        default_side = event.get(f"side{number}")
        for key in (f"actor{number}", f"assoc_actor_{number}"):
            for actor in str(event.get(key) or "").split(";"):
                actor = actor.strip()
                known = profile.actor(actor)
                side = known.side if known else default_side
                if actor and side:
                    yield actor, side


def _combatant(side: str, profile: Profile) -> bool:
    actors = [a for a in profile.actors if a.side == side]
    return not actors or any(a.inter not in NON_COMBATANT_INTER for a in actors)


def _label(profile: Profile, side: str | None) -> str:
    return side_label(profile, side) or "unknown"


def territory(events: list[dict], changes: list[dict], profile: Profile) -> dict:
    """Places each side took (reported or claimed changes), best-known places first, and the
    changes that were denied or remain unconfirmed."""
    weight = Counter(r.get("place_id") for r in [*events, *changes] if r.get("place_id"))
    gains: dict[str, dict[str, list[dict]]] = {}
    for change in changes:
        if change.get("claim") in FACT_CLAIMS and change.get("new_controller") and change.get("place"):
            key = change.get("place_id") or change["place"]
            gains.setdefault(change["new_controller"], {}).setdefault(key, []).append(change)
    by_side = []
    for side, places in sorted(gains.items(), key=lambda item: -len(item[1])):
        ordered = sorted(places.values(), key=lambda rows: (-weight[rows[0].get("place_id")],
                                                            min(r.get("date") or "" for r in rows)))
        names = [rows[0]["place"] for rows in ordered]
        by_side.append({"side": side, "label": _label(profile, side), "places": names,
                        "count": len(names), "text": gains_text(_label(profile, side), names),
                        "rows": [r for rows in ordered for r in rows]})
    disputed = [c for c in changes if c.get("claim") not in FACT_CLAIMS]
    return {"by_side": by_side, "disputed": disputed}


def gains_text(label: str, names: list[str]) -> str:
    """'Syrian opposition captures Homs, Ar Rastan, Talbiseh and 17 more'."""
    shown = names[:NAMED_PLACES]
    rest = len(names) - len(shown)
    listed = join_names(shown) if not rest else f"{', '.join(shown)} and {rest} more"
    return f"{label} captures {listed}"


# --- infobox fields ----------------------------------------------------------------------------

# Infobox keys (wikitext parameters or HTML labels, lower-cased) -> summary field.
INFOBOX_FIELDS = {"date": "date", "place": "location", "location": "location", "result": "result",
                  "territory": "territory", "territorial changes": "territory"}
INFOBOX_LISTS = {"strength": "strength", "casualties": "casualties", "units": "units"}


def infobox_fields(infoboxes: Iterable[dict[str, str]]) -> dict[str, list[str]]:
    """Field -> values from documents' infoboxes ('strength1', 'Casualties and losses', ...)."""
    found: dict[str, list[str]] = {}
    for infobox in infoboxes:
        for key, value in (infobox or {}).items():
            name = re.sub(r"\d+$", "", " ".join(str(key).lower().replace("_", " ").split()))
            target = INFOBOX_FIELDS.get(name) or next(
                (field for prefix, field in INFOBOX_LISTS.items() if name.startswith(prefix)), None)
            parts = [str(value)] if target in INFOBOX_FIELDS.values() else str(value).split(";")
            for part in parts:
                text = " ".join(part.split())
                if target and text and text not in found.get(target, []):
                    found.setdefault(target, []).append(text)
    return found


def infobox_item(text: str, references: dict[int, dict], profile: Profile) -> dict[str, Any]:
    """An infobox value without its footnote markers, citing the references they point to,
    with the side of the actor it names ("150+ APCs (Hezbollah)")."""
    numbers = [int(n) for n in _MARKERS.findall(text)]
    sources = [references[n] for n in dict.fromkeys(numbers) if n in references]
    plain = _MARKERS.sub("", text).strip()
    return {"text": plain, "from": "infobox", "sources": sources, "side": named_side(plain, profile)}


# --- the summary -------------------------------------------------------------------------------


def summarize(events: list[dict], changes: list[dict], profile: Profile, *,
              title: str | None = None, infoboxes: Iterable[dict[str, str]] = (),
              references: Iterable[dict] = ()) -> dict[str, Any]:
    """The infobox as data. Fields a document's infobox states are taken from it (marked
    `"from": "infobox"`, citing the references its footnotes point to); the others are
    derived from the rows, each with the rows behind it."""
    box = infobox_fields(infoboxes)
    refs = {int(r["number"]): r for r in references if r.get("number") is not None}
    items = {key: [infobox_item(t, refs, profile) for t in values] for key, values in box.items()}
    strengths, casualties = stated_figures([*events, *changes], profile)
    fatal = [e for e in events if e.get("fatalities")]
    derived_date = story_span(events, changes)
    return {
        "title": title or profile.title,
        "date": _infobox_date(items.get("date"), derived_date),
        "location": _first(items, "location") or _from_rows(location(events, changes, profile)),
        "result": _first(items, "result"),
        "territory": territory(events, changes, profile),
        "territory_infobox": items.get("territory", []),
        "belligerents": belligerents(events, changes, profile, items.get("units", [])),
        "strength": items.get("strength", []) + _top(strengths),
        "casualties": items.get("casualties", []) + _top(casualties),
        "fatalities": {"total": sum(int(e["fatalities"]) for e in fatal), "events": len(fatal),
                       "rows": fatal},
    }


def _first(items: dict[str, list[dict]], key: str) -> dict | None:
    values = items.get(key)
    if not values:
        return None
    return {"text": "; ".join(v["text"] for v in values), "from": "infobox",
            "sources": [s for v in values for s in v["sources"]]}


def _from_rows(derived: dict | None) -> dict | None:
    return {**derived, "from": "rows"} if derived else None


def _infobox_date(values: list[dict] | None, derived: dict | None) -> dict | None:
    """The infobox's date, written as the derived one is ("5–8 December 2024"); the rows'
    story span without one."""
    stated = _first({"date": values or []}, "date")
    if stated is None:
        return _from_rows(derived)
    span = parse_span(stated["text"], int(derived["start"][:4]) if derived else None)
    return {**stated, **(span or {}), "from": "infobox"}


def _top(figures: list[dict]) -> list[dict]:
    """The figures stated most often, each once, at most TOP."""
    counts = Counter(f["text"] for f in figures)
    first = {}
    for figure in figures:
        first.setdefault(figure["text"], figure)
    ordered = sorted(first.values(), key=lambda f: -counts[f["text"]])
    return ordered[:TOP]


def summary_json(summary: dict[str, Any]) -> dict[str, Any]:
    """The summary without the full rows behind it: each item keeps its evidence and sources."""
    territory_ = summary["territory"]
    return {
        **summary,
        "territory": {
            "by_side": [{**{k: v for k, v in side.items() if k != "rows"},
                         "sources": _sources(side["rows"])} for side in territory_["by_side"]],
            "disputed": [_change_brief(c) for c in territory_["disputed"]],
        },
        "fatalities": {"total": summary["fatalities"]["total"], "events": summary["fatalities"]["events"],
                       "sources": _sources(summary["fatalities"]["rows"])},
    }


def _sources(rows: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for row in rows:
        for source in row.get("sources") or []:
            seen.setdefault(tuple(sorted(source.items(), key=str)), source)
    return list(seen.values())


def _change_brief(change: dict) -> dict:
    keys = ("place", "date", "new_controller", "previous_controller", "kind", "claim", "evidence", "sources")
    return {k: change.get(k) for k in keys}


# --- Markdown and HTML --------------------------------------------------------------------------

# A rendered summary: sections (a heading, or None for the fields at the top) of lines, each
# a label (or None), its plain text (not yet escaped) and its footnote numbers.
Line = tuple[str | None, str, list[int]]
Section = tuple[str | None, list[Line]]


def _cites(citations: Citations, rows: Iterable[dict]) -> list[int]:
    """Footnotes for rows, at most CITES_PER_LINE: a summary cites, it does not dump."""
    return citations.cite_all(rows, limit=CITES_PER_LINE)


def listed(names: list[str]) -> str:
    shown = names[:TOP]
    rest = len(names) - len(shown)
    return ", ".join(shown) + (f" and {rest} more" if rest else "")


def source_rows(value: dict) -> list[dict]:
    return [{"sources": [s]} for s in value.get("sources") or []]


def summary_sections(summary: dict[str, Any], profile: Profile) -> tuple[list[Section], list[dict]]:
    """The summary as sections of lines, and the footnotes they cite, numbered in order."""
    citations = Citations()
    fields: list[Line] = []
    for name, key in (("Date", "date"), ("Location", "location"), ("Result", "result")):
        value = summary[key]
        if value and value.get("text"):
            origin = " (infobox)" if value.get("from") == "infobox" else ""
            fields.append((name, value["text"] + origin, _cites(citations, source_rows(value))))
    for value in summary["territory_infobox"]:
        fields.append(("Territorial changes", value["text"] + " (infobox)",
                       _cites(citations, source_rows(value))))
    for side in summary["territory"]["by_side"]:
        fields.append(("Territorial changes", side["text"], _cites(citations, side["rows"])))
    sections: list[Section] = [(None, fields)]
    sections.append(("Belligerents and units", [
        (side["label"], listed([u["actor"] for u in side["units"]]), []) for side in summary["belligerents"]]))
    sections.append(("Strength", [figure_line(f, profile, citations) for f in summary["strength"]]))
    casualties = [figure_line(f, profile, citations) for f in summary["casualties"]]
    fatal = summary["fatalities"]
    if fatal["events"]:
        casualties.append((None, f"Fatalities counted in events: {fatal['total']} in {fatal['events']} "
                           f"event{'s' if fatal['events'] != 1 else ''}", _cites(citations, fatal["rows"])))
    sections.append(("Casualties and losses", casualties))
    disputed = summary["territory"]["disputed"]
    lines: list[Line] = [(None, disputed_text(c), _cites(citations, [c])) for c in disputed[:TOP]]
    if len(disputed) > TOP:
        lines.append((None, f"and {len(disputed) - TOP} more", []))
    sections.append(("Reported, not established", lines))
    return [(h, lines) for h, lines in sections if lines], citations.notes


def figure_line(figure: dict, profile: Profile, citations: Citations, *,
                marked: bool = True) -> Line:
    """A strength or casualty figure: from the infobox (said so when `marked`), or stated in
    a sentence, with the side it concerns."""
    if figure.get("from") == "infobox":
        mark = " (infobox)" if marked else ""
        return None, figure["text"] + mark, _cites(citations, source_rows(figure))
    side = f" ({_label(profile, figure['side'])})" if figure.get("side") else ""
    return None, figure["text"] + side, _cites(citations, [figure])


def disputed_text(change: dict) -> str:
    """'Withdrawal from Homs (2024-12-06): denied' - a change reported, not established."""
    when = change.get("date") or "undated"
    verb = {"withdrawal": "Withdrawal from", "handover": "Handover of"}.get(change.get("kind") or "", "Capture of")
    return f"{verb} {change.get('place')} ({when}): {change.get('claim')}"


def summary_markdown(summary: dict[str, Any], profile: Profile) -> str:
    sections, notes = summary_sections(summary, profile)
    lines = [f"# {md_escape(summary['title'])}", ""]
    for heading, items in sections:
        if heading:
            lines += [f"## {heading}", ""]
        for label, text, cites in items:
            head = f"**{md_escape(label)}:** " if label else ""
            lines.append(f"- {head}{md_escape(text)}{md_cites(cites)}")
        lines.append("")
    lines += [md_note(n, note) for n, note in enumerate(notes, start=1)]
    return "\n".join(lines).rstrip("\n") + "\n"


def summary_html(summary: dict[str, Any], profile: Profile) -> str:
    sections, notes = summary_sections(summary, profile)
    parts = []
    for heading, items in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>\n")
        rows = "".join(
            f"<li>{f'<b>{html.escape(label)}:</b> ' if label else ''}{html.escape(text)}"
            f"{html_cites(cites)}</li>\n" for label, text, cites in items)
        parts.append(f"<ul>\n{rows}</ul>\n")
    return html_page(summary["title"], "".join(parts) + html_notes(notes))
