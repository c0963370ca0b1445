"""Evaluation against gold annotations (ANNOTATION.md): precision, recall, F1, error analysis.

Matching follows the published rules: a change matches a gold one on place (normalised name
or alias, or within 10 km), date (±1 day) and new controller; an event on event type, place
(or both without one) and date.  Gold and system items are paired by a maximum one-to-one
matching, as the reference scorer (`../shared/eval/score.py`) pairs them, so the figures are
the same.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError

ARTICLES = frozenset({"al", "ar", "as", "ad", "at", "az", "ash", "an", "el", "es", "ed", "the"})


def normalise(name: str | None) -> str:
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[\u2018\u2019\u02bf\u02be'`\u00b4]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(w for w in text.split() if w not in ARTICLES)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la1, lo1), (la2, lo2) = a, b
    rad = math.pi / 180
    h = (math.sin((la2 - la1) * rad / 2) ** 2
         + math.cos(la1 * rad) * math.cos(la2 * rad) * math.sin((lo2 - lo1) * rad / 2) ** 2)
    return 12742 * math.asin(math.sqrt(h))


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _dates_close(gold_date: Any, system_date: Any) -> bool:
    a, b = _day(gold_date), _day(system_date)
    return a is not None and b is not None and abs((a - b).days) <= 1


def _place_match(gold: dict, system: dict, name: str | None, lat: Any, lon: Any) -> bool:
    names = {normalise(gold.get("place"))} | {normalise(a) for a in gold.get("aliases", [])}
    names.discard("")
    if not names and not name and lat is None:
        return True
    if name and normalise(name) in names:
        return True
    if any(normalise(alias) in names for alias in system.get("place_aliases") or []):
        return True
    if None not in (gold.get("lat"), gold.get("lon"), lat, lon):
        return km((gold["lat"], gold["lon"]), (lat, lon)) <= 10
    return False


def same_change(gold: dict, system: dict) -> bool:
    return (_place_match(gold, system, system.get("place"), system.get("latitude"), system.get("longitude"))
            and _dates_close(gold["date"], system.get("date"))
            and gold["new_controller"] == system.get("new_controller"))


def same_event(gold: dict, system: dict) -> bool:
    return (gold["event_type"] == system.get("event_type")
            and _place_match(gold, system, system.get("location"), system.get("latitude"), system.get("longitude"))
            and _dates_close(gold["date"], system.get("event_date")))


def match(gold_items: list[dict], system_items: list[dict], same) -> list[tuple[int, int]]:
    """Maximum one-to-one matching (augmenting paths): (gold index, system index) pairs.

    A greedy first fit can let one gold item take the only system item another gold item could
    match; a maximum matching never does."""
    options = [[si for si, system in enumerate(system_items) if same(gold, system)] for gold in gold_items]
    owner: dict[int, int] = {}  # system index -> gold index

    def assign(gi: int, seen: set[int]) -> bool:
        for si in options[gi]:
            if si not in seen:
                seen.add(si)
                if si not in owner or assign(owner[si], seen):
                    owner[si] = gi
                    return True
        return False

    for gi in range(len(gold_items)):
        assign(gi, set())
    return sorted(((gi, si) for si, gi in owner.items()), key=lambda pair: pair[0])


@dataclass(slots=True)
class Counts:
    matched: int = 0
    gold: int = 0
    system: int = 0

    def add(self, other: Counts) -> None:
        self.matched += other.matched
        self.gold += other.gold
        self.system += other.system

    @property
    def precision(self) -> float:
        return self.matched / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def prf(self) -> str:
        return f"{self.precision:.2f}/{self.recall:.2f}/{self.f1:.2f}"


@dataclass(slots=True)
class DocumentScore:
    name: str
    changes: Counts
    events: Counts
    missed: list[tuple[str, dict]] = field(default_factory=list)  # (kind, gold item)
    extra: list[tuple[str, dict]] = field(default_factory=list)  # (kind, system item)


def in_scope(text: str | None, item: dict, scope_end: str | None) -> bool:
    if not text or not scope_end or scope_end not in text:
        return True
    evidence = item.get("evidence") or ""
    position = text.find(evidence) if evidence else -1
    return position < 0 or position < text.find(scope_end)


def score_document(name: str, gold: dict, system: dict, text: str | None = None) -> DocumentScore:
    scope = gold.get("scope_end")
    sys_changes = [c for c in system.get("control_changes", []) if in_scope(text, c, scope)]
    sys_events = [e for e in system.get("events", []) if in_scope(text, e, scope)]
    result = DocumentScore(name, Counts(), Counts())
    for kind, gold_items, sys_items, same, counts in (
        ("change", gold.get("control_changes", []), sys_changes, same_change, result.changes),
        ("event", gold.get("events", []), sys_events, same_event, result.events),
    ):
        pairs = match(gold_items, sys_items, same)
        counts.matched, counts.gold, counts.system = len(pairs), len(gold_items), len(sys_items)
        matched_gold = {g for g, _ in pairs}
        matched_sys = {s for _, s in pairs}
        result.missed += [(kind, g) for i, g in enumerate(gold_items) if i not in matched_gold]
        result.extra += [(kind, s) for i, s in enumerate(sys_items) if i not in matched_sys]
    return result


def load_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read JSON: {err}", str(path)) from None


def summary_line(changes: Counts, events: Counts) -> str:
    return f"changes_f1={changes.f1:.3f} events_f1={events.f1:.3f}"


def describe(kind: str, item: dict) -> str:
    """One line for an item of the error analysis."""
    when = item.get("date") or item.get("event_date")
    where = item.get("place") or item.get("location")
    what = item.get("new_controller") if kind == "change" else f"{item.get('event_type')} / {item.get('sub_event_type')}"
    evidence = (item.get("evidence") or "").replace("\n", " ")
    return f"{kind:6} {when} {where!s:24} {what}  «{evidence[:110]}»"


@dataclass(slots=True)
class DateAgreement:
    """Of the gold items a system item found but for its date (same place, and the same new
    controller or event type), how many it dated right (±1 day)."""

    found: int = 0
    right: int = 0

    def add(self, other: DateAgreement) -> None:
        self.found += other.found
        self.right += other.right

    def line(self) -> str:
        share = self.right / self.found if self.found else 0.0
        return f"of {self.found} gold places found: date right {share:.2f} ({self.right}/{self.found})"


def date_agreement(gold: dict, system: dict, text: str | None = None) -> DateAgreement:
    scope = gold.get("scope_end")
    result = DateAgreement()
    for gold_items, sys_items, place_of, date_of, what in (
        (gold.get("control_changes", []), system.get("control_changes", []), "place", "date",
         "new_controller"),
        (gold.get("events", []), system.get("events", []), "location", "event_date", "event_type"),
    ):
        kept = [s for s in sys_items if in_scope(text, s, scope)]
        for item in gold_items:
            if not item.get("place"):
                continue
            found = [s for s in kept if s.get(place_of) and s.get(what) == item.get(what)
                     and _place_match(item, s, s.get(place_of), s.get("latitude"), s.get("longitude"))]
            if found:
                result.found += 1
                result.right += any(_dates_close(item["date"], s.get(date_of)) for s in found)
    return result
