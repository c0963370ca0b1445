"""The trigger lexicon (`triggers.toml`) compiled into fast matchers: rules as data, logic here."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError


@dataclass(frozen=True, slots=True)
class Trigger:
    name: str
    frame: str  # active | passive | intransitive | nominal | source
    event_type: str
    sub_event_type: str
    change: str | None = None  # capture | recapture | withdrawal | handover
    state_sub_event_type: str | None = None
    priority: int = 50
    weak: bool = False
    generic: bool = False
    partial: bool = False
    instrument: str | None = None
    adjacent: bool = False  # an everyday verb ("took"): only a trigger right before a place


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    start: int  # offsets in the sentence text
    end: int
    text: str
    trigger: Trigger


def phrase_pattern(phrases: Iterable[str], flags: int = re.I) -> re.Pattern[str]:
    """One regex matching any phrase on word boundaries, longest first (so "took control of"
    wins over "took"); spaces in a phrase match any run of whitespace.

    The alternation is built as a trie of words, so the engine tries each word once per
    position instead of every phrase in turn (ten times faster on the trigger lexicon)."""
    trie: dict = {}
    for phrase in {p.strip() for p in phrases if p.strip()}:
        node = trie
        for word in phrase.lower().split() if flags & re.I else phrase.split():
            node = node.setdefault(word, {})
        node[""] = {}
    return re.compile(rf"(?<![\w-])(?:{_trie_regex(trie)})(?![\w-])", flags)


def _trie_regex(node: dict) -> str:
    """The regex for a trie node: its words (longest first), each followed by its subtrie."""
    branches = []
    for word in sorted((w for w in node if w), key=len, reverse=True):
        child = node[word]
        rest = _trie_regex({k: v for k, v in child.items() if k})
        ends_here = "" in child
        if rest:
            tail = rf"(?:\s+(?:{rest}))" + ("?" if ends_here else "")
            branches.append(re.escape(word) + tail)
        else:
            branches.append(re.escape(word))
    return "|".join(branches)


class Lexicon:
    """Triggers and cue lists, loaded from TOML."""

    def __init__(self, data: dict) -> None:
        self.by_form: dict[str, Trigger] = {}
        for item in data.get("trigger", []):
            trigger = Trigger(
                name=item["name"], frame=item["frame"], event_type=item["event_type"],
                sub_event_type=item["sub_event_type"], change=item.get("change"),
                state_sub_event_type=item.get("state_sub_event_type"),
                priority=int(item.get("priority", 50)), weak=bool(item.get("weak", False)),
                generic=bool(item.get("generic", False)), partial=bool(item.get("partial", False)),
                instrument=item.get("instrument"), adjacent=bool(item.get("adjacent", False)),
            )
            for form in item["forms"]:
                self.by_form.setdefault(_key(form), trigger)
        self.trigger_pattern = phrase_pattern(self.by_form)
        self.instruments = {k: phrase_pattern(v) for k, v in data.get("instruments", {}).items()}
        self.cues = {k: phrase_pattern(v) for k, v in data.get("cues", {}).items()}
        self.cue_words = {k: frozenset(_key(x) for x in v) for k, v in data.get("cues", {}).items()}

    def triggers(self, text: str) -> list[TriggerMatch]:
        return [
            TriggerMatch(m.start(), m.end(), m.group(0), self.by_form[_key(m.group(0))])
            for m in self.trigger_pattern.finditer(text)
        ]

    def cue(self, kind: str, text: str) -> re.Match[str] | None:
        pattern = self.cues.get(kind)
        return pattern.search(text) if pattern else None

    def cues_in(self, kind: str, text: str) -> list[re.Match[str]]:
        pattern = self.cues.get(kind)
        return list(pattern.finditer(text)) if pattern else []

    def instrument(self, text: str) -> str | None:
        """The first instrument named in a text (air, artillery, explosive), by position."""
        found = [(m.start(), kind) for kind, p in self.instruments.items() if (m := p.search(text))]
        return min(found)[1] if found else None


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    source = Path(path) if path else resources.files(__package__) / "triggers.toml"
    try:
        return Lexicon(tomllib.loads(source.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise ConfigError(f"cannot read trigger lexicon: {err}", str(source)) from None
