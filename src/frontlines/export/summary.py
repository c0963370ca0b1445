"""An infobox summary: dates, location, belligerents and units, territorial result, strengths, casualties."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from ..profiles import Actor, Profile
from .timeline import MONTHS, Citations, join_names, md_cites, md_escape, md_note, side_label

# Claims that count as territory changing hands; denied and unconfirmed ones are listed apart.
FACT_CLAIMS = frozenset({"reported", "claimed"})
NAMED_PLACES = 3  # "... captures Homs, Ar Rastan, Talbiseh and 17 more"
NON_COMBATANT_INTER = frozenset({5, 6, 7})  # rioters, protesters, civilians

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
        casualties += [_figure(sentence[a:b], sentence, row, profile) for a, b in losses]
        for match in STRENGTH.finditer(sentence):
            if not any(a < match.end() and match.start() < b for a, b in losses):
                strengths.append(_figure(match.group(), sentence, row, profile))
    return strengths, casualties


def _figure(text: str, sentence: str, row: dict, profile: Profile) -> dict:
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


def belligerents(events: list[dict], changes: list[dict], profile: Profile) -> list[dict]:
    """Sides that fought (not civilians), most involved first, with the units seen for each."""
    units: dict[str, Counter] = {}
    involvement: Counter = Counter()
    for event in events:
        for actor, side in _actors(event, profile):
            units.setdefault(side, Counter())[actor] += 1
            involvement[side] += 1
    for change in changes:
        for side in (change.get("new_controller"), change.get("previous_controller")):
            if side:
                involvement[side] += 1
    return [{"side": side, "label": _label(profile, side),
             "colour": profile.sides[side].colour if side in profile.sides else None,
             "units": [{"actor": a, "events": n} for a, n in units.get(side, Counter()).most_common()],
             "rows": count}
            for side, count in involvement.most_common() if _combatant(side, profile)]


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
INFOBOX_LISTS = {"strength": "strength", "casualties": "casualties"}


def infobox_fields(infoboxes: Iterable[dict[str, str]]) -> dict[str, list[str]]:
    """Field -> values from documents' infoboxes ('strength1', 'Casualties and losses', ...)."""
    found: dict[str, list[str]] = {}
    for infobox in infoboxes:
        for key, value in (infobox or {}).items():
            name = re.sub(r"\d+$", "", " ".join(str(key).lower().replace("_", " ").split()))
            target = INFOBOX_FIELDS.get(name) or next(
                (field for prefix, field in INFOBOX_LISTS.items() if name.startswith(prefix)), None)
            text = " ".join(str(value).split())
            if target and text and text not in found.get(target, []):
                found.setdefault(target, []).append(text)
    return found


# --- the summary -------------------------------------------------------------------------------


def summarize(events: list[dict], changes: list[dict], profile: Profile, *,
              title: str | None = None, infoboxes: Iterable[dict[str, str]] = ()) -> dict[str, Any]:
    """The infobox as data. Fields a document's infobox states are taken from it (and marked
    `"from": "infobox"`); the others are derived from the rows."""
    box = infobox_fields(infoboxes)
    strengths, casualties = stated_figures([*events, *changes], profile)
    fatal = [e for e in events if e.get("fatalities")]
    derived_date, derived_place = date_range(events, changes), location(events, changes, profile)
    return {
        "title": title or profile.title,
        "date": _infobox_or(box, "date", derived_date),
        "location": _infobox_or(box, "location", derived_place),
        "result": {"text": "; ".join(box["result"]), "from": "infobox"} if "result" in box else None,
        "territory": territory(events, changes, profile),
        "territory_infobox": box.get("territory", []),
        "belligerents": belligerents(events, changes, profile),
        "strength": [{"text": t, "from": "infobox"} for t in box.get("strength", [])] + strengths,
        "casualties": [{"text": t, "from": "infobox"} for t in box.get("casualties", [])] + casualties,
        "fatalities": {"total": sum(int(e["fatalities"]) for e in fatal), "events": len(fatal),
                       "rows": fatal},
    }


def _infobox_or(box: dict[str, list[str]], key: str, derived: dict | None) -> dict | None:
    if key in box:
        return {"text": "; ".join(box[key]), "from": "infobox"}
    return {**derived, "from": "rows"} if derived else None


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


# --- Markdown ----------------------------------------------------------------------------------


def summary_markdown(summary: dict[str, Any], profile: Profile) -> str:
    citations = Citations()
    lines = [f"# {md_escape(summary['title'])}", ""]
    lines += _field("Date", summary["date"])
    lines += _field("Location", summary["location"])
    lines += _field("Result", summary["result"])
    lines += _territory_lines(summary, citations)
    lines += _belligerent_lines(summary["belligerents"])
    lines += _figure_lines("Strength", summary["strength"], profile, citations)
    fatal = summary["fatalities"]
    counted = [f"- Fatalities counted in events: {fatal['total']} in {fatal['events']} "
               f"event{'s' if fatal['events'] != 1 else ''}{md_cites(citations.cite_all(fatal['rows']))}"
               ] if fatal["events"] else []
    lines += _figure_lines("Casualties and losses", summary["casualties"], profile, citations, counted)
    lines += [md_note(n, note) for n, note in enumerate(citations.notes, start=1)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _field(name: str, value: dict | None) -> list[str]:
    if not value or not value.get("text"):
        return []
    origin = " (infobox)" if value.get("from") == "infobox" else ""
    return [f"- **{name}:** {md_escape(value['text'])}{origin}"]


def _territory_lines(summary: dict, citations: Citations) -> list[str]:
    lines = [f"- **Territorial changes:** {md_escape(t)} (infobox)" for t in summary["territory_infobox"]]
    sides = summary["territory"]["by_side"]
    if sides and not lines:
        lines.append("- **Territorial changes:**")
    lines += [f"  - {md_escape(side['text'])}{md_cites(citations.cite_all(side['rows']))}" for side in sides]
    for change in summary["territory"]["disputed"]:
        when = change.get("date") or "undated"
        what = f"{change.get('place')}: {change.get('kind')} ({when}, {change.get('claim')})"
        lines.append(f"  - {md_escape(what)}{md_cites(citations.cite(change))}")
    return lines + [""]


def _belligerent_lines(sides: list[dict]) -> list[str]:
    if not sides:
        return []
    lines = ["## Belligerents and units", ""]
    for side in sides:
        units = ", ".join(f"{md_escape(u['actor'])} ({u['events']})" for u in side["units"])
        lines.append(f"- **{md_escape(side['label'])}**" + (f": {units}" if units else ""))
    return lines + [""]


def _figure_lines(heading: str, figures: list[dict], profile: Profile, citations: Citations,
                  extra: list[str] = ()) -> list[str]:
    if not figures and not extra:
        return []
    lines = [f"## {heading}", ""]
    for figure in figures:
        side = f" ({md_escape(_label(profile, figure['side']))})" if figure.get("side") else ""
        if figure.get("from") == "infobox":
            lines.append(f"- {md_escape(figure['text'])} (infobox)")
        else:
            lines.append(f"- {md_escape(figure['text'])}{side}{md_cites(citations.cite(figure))}")
    return lines + list(extra) + [""]
