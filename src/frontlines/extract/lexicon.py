"""The trigger lexicon (`triggers.toml`): event words as lemmas with their frames, matched on the
linguistic layer (so every inflection and word order comes free); cue lists as phrases.
Rules as data, logic here."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError

ROLES = ("transitive", "unaccusative", "source", "expel")
# Words a multi-word trigger may have between its own ("took full control of", "came under the
# control of", "came under rebel control").
_GAP_POS = frozenset({"DET", "ADJ", "ADV", "NUM", "PART"})
_MAX_GAP = 3
# Entity types a trigger word is never part of: a month, a person's or a work's name.
_NAMED = frozenset({"DATE", "TIME", "PERSON", "WORK_OF_ART", "EVENT", "LAW", "CARDINAL", "ORDINAL"})


@dataclass(frozen=True, slots=True)
class Trigger:
    name: str
    role: str  # transitive | unaccusative | source | expel (see triggers.toml)
    event_type: str
    sub_event_type: str
    change: str | None = None  # capture | recapture | withdrawal | handover
    state_sub_event_type: str | None = None
    priority: int = 50
    weak: bool = False
    generic: bool = False
    partial: bool = False
    instrument: str | None = None
    adjacent: bool = False  # an everyday verb ("took"): only with a place as its own object
    pos: frozenset[str] | None = None  # parts of speech the head may have (None: any)
    needs: str | None = None  # "now": only with "now"/"fully" beside it ("now control X")


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    start: int  # offsets in the sentence text
    end: int
    text: str
    trigger: Trigger
    head: int = -1  # index of the head token in the sentence's parse
    tokens: tuple[int, ...] = ()  # indices of the trigger's own tokens


def phrase_pattern(phrases: Iterable[str], flags: int = re.I) -> re.Pattern[str]:
    """One regex matching any phrase on word boundaries, longest first (so "took control of"
    wins over "took"); spaces in a phrase match any run of whitespace.

    The alternation is built as a trie of words, so the engine tries each word once per
    position instead of every phrase in turn."""
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
    """Triggers (lemma phrases by first lemma) and cue lists, loaded from TOML."""

    def __init__(self, data: dict) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        self.triggers_list: list[Trigger] = []
        for item in data.get("trigger", []):
            trigger = _trigger(item)
            self.triggers_list.append(trigger)
            for phrase in item["lemmas"]:
                words = tuple(_key(phrase).split())
                self.by_first.setdefault(words[0], []).append((words, trigger))
        for phrases in self.by_first.values():
            phrases.sort(key=lambda p: -len(p[0]))  # longest first
        self.instruments = {k: phrase_pattern(v) for k, v in data.get("instruments", {}).items()}
        self.cues = {k: phrase_pattern(v) for k, v in data.get("cues", {}).items()}
        self.cue_words = {k: frozenset(_key(x) for x in v) for k, v in data.get("cues", {}).items()}
        self.lemma_sets = {k: frozenset(_key(x) for x in v) for k, v in data.get("lemma_sets", {}).items()}
        self._forms: frozenset[str] | None = None

    @property
    def surface_forms(self) -> frozenset[str]:
        """Every written form a trigger's first word may take ("take", "took", "taken", "takes",
        "taking"), from the model's own exception table and English suffix rules: a sentence with
        none of them cannot state an event, and skips the parser."""
        if self._forms is None:
            self._forms = frozenset(_inflections(self.by_first))
        return self._forms

    def may_trigger(self, text: str) -> bool:
        forms = self.surface_forms
        return any(word in forms for word in _WORD.findall(text.lower()))

    def triggers(self, doc: Any) -> list[TriggerMatch]:
        """Every trigger in a parsed sentence, longest phrase first where two overlap."""
        found: list[TriggerMatch] = []
        taken: set[int] = set()
        for token in doc:
            if token.i in taken:
                continue
            best = self._match_at(doc, token)
            if best is None:
                continue
            indices, trigger = best
            taken.update(indices)
            first, last = doc[indices[0]], doc[indices[-1]]
            found.append(TriggerMatch(first.idx, last.idx + len(last.text), doc.text[first.idx:last.idx + len(last.text)],
                                      trigger, head=indices[0], tokens=tuple(indices)))
        return found

    def _match_at(self, doc: Any, token: Any) -> tuple[list[int], Trigger] | None:
        if token.ent_type_ in _NAMED:  # "March", "the Battle of Aleppo", "Operation Dawn"
            return None
        for key in dict.fromkeys((token.lemma_.lower(), token.lower_)):
            for words, trigger in self.by_first.get(key, ()):
                if trigger.pos is not None and token.pos_ not in trigger.pos:
                    continue
                indices = _match_rest(doc, token.i, words[1:])
                if indices is not None and _needs_met(doc, token, trigger):
                    return [token.i, *indices], trigger
        return None

    def cue(self, kind: str, text: str) -> re.Match[str] | None:
        pattern = self.cues.get(kind)
        return pattern.search(text) if pattern else None

    def in_set(self, kind: str, lemma: str) -> bool:
        return lemma.lower() in self.lemma_sets.get(kind, frozenset())

    def instrument(self, text: str) -> str | None:
        """The first instrument named in a text (air, artillery, explosive), by position."""
        found = [(m.start(), kind) for kind, p in self.instruments.items() if (m := p.search(text))]
        return min(found)[1] if found else None


_WORD = re.compile(r"[a-z][a-z'-]*")


def _inflections(lemmas: Iterable[str]) -> set[str]:
    forms: set[str] = set()
    for lemma in lemmas:
        forms.update({lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing",
                      lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})
        if lemma.endswith("e"):
            forms.add(lemma[:-1] + "ing")
        if lemma.endswith("y"):
            forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
    try:
        from ..nlp import load

        table = load().get_pipe("lemmatizer").lookups.get_table("lemma_exc")
        wanted = set(lemmas)
        for pos in table.keys():
            forms.update(form for form, bases in table[pos].items() if wanted.intersection(bases))
    except Exception:  # a model without tables: the suffix rules alone
        pass
    return forms


def _match_rest(doc: Any, start: int, words: tuple[str, ...]) -> list[int] | None:
    """Token indices of the rest of a phrase after `start`, allowing a few modifiers between."""
    indices: list[int] = []
    position = start + 1
    for word in words:
        gap = 0
        while position < len(doc) and not _is(doc[position], word):
            if gap >= _MAX_GAP or not (doc[position].pos_ in _GAP_POS or doc[position].dep_ in ("compound", "poss")):
                return None
            gap += 1
            position += 1
        if position >= len(doc):
            return None
        indices.append(position)
        position += 1
    return indices


def _is(token: Any, word: str) -> bool:
    return token.lemma_.lower() == word or token.lower_ == word


def _needs_met(doc: Any, token: Any, trigger: Trigger) -> bool:
    if trigger.needs != "now":
        return True
    near = {t.lower_ for t in doc[max(0, token.i - 3):token.i + 2]}
    return bool(near & {"now", "fully", "completely", "entirely"})


def _trigger(item: dict) -> Trigger:
    role = item.get("role", "transitive")
    if role not in ROLES:
        raise KeyError(f"trigger {item.get('name')!r}: unknown role {role!r}")
    return Trigger(
        name=item["name"], role=role, event_type=item["event_type"],
        sub_event_type=item["sub_event_type"], change=item.get("change"),
        state_sub_event_type=item.get("state_sub_event_type"),
        priority=int(item.get("priority", 50)), weak=bool(item.get("weak", False)),
        generic=bool(item.get("generic", False)), partial=bool(item.get("partial", False)),
        instrument=item.get("instrument"), adjacent=bool(item.get("adjacent", False)),
        pos=frozenset(item["pos"]) if item.get("pos") else None, needs=item.get("needs"),
    )


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    source = Path(path) if path else resources.files(__package__) / "triggers.toml"
    try:
        return Lexicon(tomllib.loads(source.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise ConfigError(f"cannot read trigger lexicon: {err}", str(source)) from None
