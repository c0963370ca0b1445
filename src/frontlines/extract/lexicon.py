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

from .. import toml_cache
from ..errors import ConfigError
from ..memo import Memo
from ..text.words import GatedPattern

ROLES = ("transitive", "unaccusative", "source", "expel")
# Words a multi-word trigger may have between its own ("took full control of", "came under the
# control of", "came under rebel control").
_GAP_POS = frozenset({"DET", "ADJ", "ADV", "NUM", "PART"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos"})


def acts_as_verb(token: Any) -> bool:
    """A word the tagger calls a noun that the parse gives a subject and a direct object: a
    verb ("The army retook A": "retook" tagged NOUN, "army" its subject, "A" its object)."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    deps = {c.dep_ for c in token.children}
    return "nsubj" in deps and "dobj" in deps


def _pos(token: Any) -> str:
    """A token's part of speech, an adjective in a noun's place read as the noun it stands for
    ("launched an offensive": the tagger's ADJ is the object), a noun that acts as a verb as
    the verb."""
    if token.pos_ == "ADJ" and token.dep_ in _NOMINAL_DEPS:
        return "NOUN"
    if acts_as_verb(token):
        return "VERB"
    if token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN"):
        return "MODIFIER"  # "an assault rifle", "the operations room": no noun of its own
    return token.pos_
_MAX_GAP = 3
_BACK_REFERENCES = frozenset({"then", "that", "this"})
_PARTICLES = frozenset({"out", "over", "up", "down", "off", "back", "away"})
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
    needs: str | None = None  # "now": only with "now"/"fully" beside it ("now control X");
    # "since": only with a "since" phrase of its own ("has held X since 2016")
    taken_from: bool = False  # people taken "from" a place were taken there ("abducted 5 men from A")


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    start: int  # offsets in the sentence text
    end: int
    text: str
    trigger: Trigger
    head: int = -1  # index of the head token in the sentence's parse
    tokens: tuple[int, ...] = ()  # indices of the trigger's own tokens


def phrase_pattern(phrases: Iterable[str], flags: int = re.I) -> GatedPattern:
    """One regex matching any phrase on word boundaries, longest first (so "took control of"
    wins over "took"); spaces in a phrase match any run of whitespace.

    The alternation is built as a trie of words, so the engine tries each word once per
    position instead of every phrase in turn; and a text without the first word of any
    phrase is not searched at all (`GatedPattern`)."""
    trie: dict = {}
    unique = sorted({p.strip() for p in phrases if p.strip()})  # the same pattern in every process
    for phrase in unique:
        node = trie
        for word in phrase.lower().split() if flags & re.I else phrase.split():
            node = node.setdefault(word, {})
        node[""] = {}
    return GatedPattern.of_phrases(re.compile(rf"(?<![\w-])(?:{_trie_regex(trie)})(?![\w-])", flags), unique)


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
                # ("counter-attack" is three tokens to the tokenizer: "counter", "-", "attack")
                words = tuple(_HYPHEN.sub(" - ", _key(phrase)).split())
                self.by_first.setdefault(words[0], []).append((words, trigger))
        for phrases in self.by_first.values():
            phrases.sort(key=lambda p: -len(p[0]))  # longest first
        self.instruments = {k: phrase_pattern(v) for k, v in data.get("instruments", {}).items()}
        self.cues = {k: phrase_pattern(v) for k, v in data.get("cues", {}).items()}
        self.cue_words = {k: frozenset(_key(x) for x in v) for k, v in data.get("cues", {}).items()}
        self.lemma_sets = {k: frozenset(_key(x) for x in v) for k, v in data.get("lemma_sets", {}).items()}
        self._forms: dict[str, frozenset[str]] | None = None
        self._phrases_by_form: dict[str, set[tuple[str, ...]]] = {}
        self._begins: dict[int, bool] = {}  # string hash -> whether it, lower-cased, begins a phrase
        self._irregular: dict[str, str] | None = None
        self._regular: dict[str, str] | None = None
        # answers about a sentence's text, asked by several stages and rules: (question, text) -> answer
        self._answers: Memo[Any] = Memo(_REMEMBERED)

    @property
    def surface_forms(self) -> dict[str, frozenset[str]]:
        """Every written form each word of a trigger phrase may take ("take": "took", "taken",
        "takes", "taking"), from the model's own exception table and English suffix rules."""
        if self._forms is None:
            words = {word for phrases in self.by_first.values() for phrase, _ in phrases for word in phrase}
            self._forms = {word: frozenset(forms) for word, forms in _inflections(words).items()}
            self._phrases_by_form = {}
            for first, phrases in self.by_first.items():
                for form in self._forms[first]:
                    self._phrases_by_form.setdefault(form, set()).update(phrase for phrase, _ in phrases)
        return self._forms

    def may_trigger(self, text: str) -> bool:
        """Whether a sentence has every word of some trigger phrase, in some form ("came ... under
        ... control"): one without cannot state an event, and skips the parser."""
        return self._answers.get(("may trigger", text), lambda: self._may_trigger(text))

    def _may_trigger(self, text: str) -> bool:
        forms = self.surface_forms
        words = set(_WORD.findall(text.lower()))
        words |= {part for word in words if "-" in word or "'" in word for part in re.split(r"[-']", word)}
        candidates = set().union(*(self._phrases_by_form.get(word, ()) for word in words))
        return any(all(not forms[w].isdisjoint(words) for w in phrase[1:]) for phrase in candidates)

    def triggers(self, doc: Any) -> list[TriggerMatch]:
        """Every trigger in a parsed sentence, longest phrase first where two overlap."""
        found: list[TriggerMatch] = []
        taken: set[int] = set()
        for i in self._starts(doc):
            if i in taken:
                continue
            best = self._match_at(doc, doc[i])
            if best is None:
                continue
            indices, trigger, split = best
            taken.update(indices)
            # a phrasal verb split by its object spans its verb only ("handed A over"), so the
            # object is not inside the trigger
            first, last = doc[indices[0]], doc[indices[0] if split else indices[-1]]
            found.append(TriggerMatch(first.idx, last.idx + len(last.text), doc[first.i:last.i + 1].text,
                                      trigger, head=indices[0], tokens=tuple(indices)))
        return found

    def _starts(self, doc: Any) -> list[int]:
        """Indices of the tokens whose lemma or lower-case form begins a trigger phrase (or is an
        irregular form of one that does), read from the Doc's arrays (a Token object for each word
        of each sentence costs more)."""
        from spacy.attrs import LEMMA, LOWER

        irregular, regular = self._forms_of_first()
        known, strings = self._begins, doc.vocab.strings
        starts = []
        for i, row in enumerate(doc.to_array([LEMMA, LOWER]).tolist()):
            for key in row:
                hit = known.get(key)
                if hit is None:  # first time this string is seen: the answer is remembered
                    text = strings[key].lower() if key else ""
                    hit = known[key] = bool(text) and (text in self.by_first or text in irregular or text in regular)
                if hit:
                    starts.append(i)
                    break
        return starts

    def _match_at(self, doc: Any, token: Any) -> tuple[list[int], Trigger, bool] | None:
        if token.ent_type_ in _NAMED:  # "March", "the Battle of Aleppo", "Operation Dawn"
            return None
        irregular, regular = self._forms_of_first()
        # A verb the lemmatizer got wrong ("raped": "rap") is read by its form ("raped": "rape").
        guessed = regular.get(token.lower_, "") if _pos(token) == "VERB" else ""
        for key in dict.fromkeys((token.lemma_.lower(), token.lower_, irregular.get(token.lower_, ""), guessed)):
            for words, trigger in self.by_first.get(key, ()):
                if trigger.pos is not None and _pos(token) not in trigger.pos:
                    continue
                if len(words) > 1 and words[1] in _PARTICLES and token.pos_ in ("NOUN", "PROPN"):
                    continue  # a phrasal verb begins with a verb: "pushed the forces out of A"
                indices, split = _match_rest(doc, token.i, words[1:]), False
                if indices is None:
                    indices, split = _child_rest(token, words[1:]), True
                if indices is not None and "-" in words and doc[indices[-1]].dep_ == "compound":
                    continue  # "the cease-fire line": a hyphenated word modifying a noun
                if indices is not None and token.dep_ in ("nsubj", "nsubjpass") and token.head.i in indices:
                    continue  # "a drone attacked the refinery": a subject and its verb, no "drone attack"
                if indices is not None and _needs_met(doc, token, trigger, self.lemma_sets):
                    return [token.i, *indices], trigger, split
        return None

    def _forms_of_first(self) -> tuple[dict[str, str], dict[str, str]]:
        """The forms of the words that begin a phrase, each mapped to its lemma: irregular ones
        ("took": "take"), and regular ones that only one such word makes ("shelled": "shell")."""
        if self._irregular is None or self._regular is None:
            self._irregular = _irregular_forms(self.by_first)
            makers: dict[str, set[str]] = {}
            for lemma in self.by_first:
                for form in _regular_forms(lemma) - {lemma}:
                    makers.setdefault(form, set()).add(lemma)
            self._regular = {form: next(iter(lemmas)) for form, lemmas in makers.items()
                             if len(lemmas) == 1 and form not in self.by_first}
        return self._irregular, self._regular

    def cue(self, kind: str, text: str) -> re.Match[str] | None:
        pattern = self.cues.get(kind)
        return self._answers.get((kind, text), lambda: pattern.search(text)) if pattern else None

    def in_set(self, kind: str, lemma: str) -> bool:
        return lemma.lower() in self.lemma_sets.get(kind, frozenset())

    def instrument(self, text: str) -> str | None:
        """The first instrument named in a text (air, artillery, explosive), by position."""
        found = [(m.start(), kind) for kind, p in self.instruments.items() if (m := p.search(text))]
        return min(found)[1] if found else None


_WORD = re.compile(r"[a-z][a-z'-]*")
_REMEMBERED = 8192  # answers kept before they are forgotten all at once


def _inflections(lemmas: Iterable[str]) -> dict[str, set[str]]:
    """Each lemma's written forms: itself, English suffix rules and its irregular forms."""
    forms = {lemma: _regular_forms(lemma) for lemma in lemmas}
    for form, lemma in _irregular_forms(forms).items():
        forms[lemma].add(form)
    return forms


def _regular_forms(lemma: str) -> set[str]:
    """A lemma and the forms English suffix rules make of it."""
    own = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing",
           lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    if lemma.endswith("e"):
        own.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        own.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
    return own


_PREFIXES = ("re", "over", "out")


def _irregular_forms(lemmas: Iterable[str]) -> dict[str, str]:
    """Irregular forms of the lemmas, from the model's exception table, and of their prefixed
    verbs ("retook", "retaken" of "retake", from "took", "taken"), which the table lacks: form ->
    lemma."""
    wanted = set(lemmas)
    bases = {lemma[len(p):]: lemma for lemma in wanted for p in _PREFIXES
             if lemma.startswith(p) and len(lemma) > len(p) + 2}
    found: dict[str, str] = {}
    try:
        from ..nlp import load

        table = load().get_pipe("lemmatizer").lookups.get_table("lemma_exc")
    except Exception:  # a model without tables: the suffix rules alone
        return found
    for pos in table.keys():
        for form, lemmas_of in table[pos].items():
            for base in lemmas_of:
                if base in wanted:
                    found.setdefault(form, base)
                if base in bases:
                    prefix = bases[base][:-len(base)]
                    found.setdefault(prefix + form, bases[base])
    return found


def _match_rest(doc: Any, start: int, words: tuple[str, ...]) -> list[int] | None:
    """Token indices of the rest of a phrase after `start`, allowing a few modifiers between."""
    indices: list[int] = []
    position = start + 1
    for word in words:
        gap = 0
        while position < len(doc) and not _is(doc[position], word):
            if gap >= _MAX_GAP or doc[position].lower_ == "fire" \
                    or not (doc[position].pos_ in _GAP_POS or doc[position].dep_ in ("compound", "poss")):
                return None
            gap += 1
            position += 1
        if position >= len(doc):
            return None
        indices.append(position)
        position += 1
    return indices


def _child_rest(head: Any, words: tuple[str, ...]) -> list[int] | None:
    """A phrase split by more than a few modifiers, found in the parse: a phrasal verb's particle
    ("drove the army out of A", "forced them out") or a verb's object ("toppled a Hafez
    al-Assad statue", "reached a ceasefire agreement"), its own child after it, or the subject
    of the passive ("the bodies of two men were found", "fire was opened on the crowd")."""
    if len(words) != 1 or head.pos_ not in ("VERB", "AUX"):
        return None
    children = head.rights
    if words[0] in _PARTICLES:  # ("moved reinforcements into the night" is no "move into")
        deps, pos = ("prt", "prep", "advmod"), ("ADP", "ADV")
    else:
        deps, pos = ("dobj", "nsubjpass"), ("NOUN", "PROPN")
        children = head.children
    for child in children:
        if child.dep_ in deps and child.pos_ in pos and _is(child, words[0]) \
                and not any(c.lower_ == "fire" for c in child.lefts):  # "imposed fire control"
            return [child.i]
    return None


_PARTICLES = frozenset({"out", "over", "off", "back", "away", "up", "down"})


def _is(token: Any, word: str) -> bool:
    return token.lemma_.lower() == word or token.lower_ == word


_FREED = frozenset({"clear", "free", "liberate", "liberated", "secure", "cleanse", "rid"})


def _needs_met(doc: Any, token: Any, trigger: Trigger, sets: dict[str, frozenset[str]]) -> bool:
    if trigger.needs in ("leader", "force"):
        # "the president fled", "Assad fled the country"; "regime forces are fleeing A", not
        # "residents fled A": who the subject is, a person only for a leader
        return any(c.dep_ == "nsubj" and (c.lemma_.lower() in sets.get(trigger.needs, ())
                                          or (trigger.needs == "leader" and c.ent_type_ == "PERSON"))
                   for c in token.children)
    if trigger.needs == "since":
        # "has held A since 2016", "A has been held by the militia since December": a holding
        # that began then.
        # ("since then" points back to an event told before: no beginning of its own)
        return any(c.dep_ == "prep" and c.lower_ == "since"
                   and not all(d.lower_ in _BACK_REFERENCES for d in c.children) or c.dep_ == "advcl"
                   and any(m.lower_ == "since" for m in c.children if m.dep_ == "mark")
                   for c in token.children)
    if trigger.needs == "clear":
        return any(c.lemma_.lower() in _FREED for c in token.subtree if c.i > token.i)
    if trigger.needs != "now":
        return True
    near = {t.lower_ for t in doc[max(0, token.i - 3):token.i + 2]}
    return bool(near & {"now", "fully", "completely", "entirely", "full"})


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
        taken_from=bool(item.get("taken_from", False)),
    )


_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")


def _key(phrase: str) -> str:
    return " ".join(phrase.lower().split())


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    source = Path(path) if path else resources.files(__package__) / "triggers.toml"
    try:
        return Lexicon(toml_cache.loads(source.read_text(encoding="utf-8"), str(source)))
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise ConfigError(f"cannot read trigger lexicon: {err}", str(source)) from None
