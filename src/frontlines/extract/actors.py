"""Actor mentions: the profile's actors found in a sentence by alias or by adjective + attack.

The rules authors rely on (profiles/SCHEMA.md): aliases match whole words, case-insensitively,
longest first, except an alias written all in capitals (an acronym: "SAA", "TIP"), which
matches only in capitals; a matched alias is an actor, never a place, so a command named after
a region ("Southern Military District") hides the region; an adjective ("Israeli", "military")
names an actor only before a word of its kind ("Israeli airstrikes", "military aircraft"),
never as "X-backed" (a backer), but "X-led forces" are X's; an actor with dated `periods` is on the side of the sentence's day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..profiles import Actor, Profile
from ..text.words import GatedPattern

# Words after a side adjective that make "Israeli airstrikes" an act of the Israeli air force.
KIND_WORDS = {
    "air": ["airstrike", "airstrikes", "air strike", "air strikes", "warplanes", "warplane",
            "jets", "aircraft", "drone", "drones", "air raid", "air raids", "bombing", "strikes",
            "strike", "helicopters", "bombers"],
    "artillery": ["artillery", "shelling", "shells", "rockets", "missiles", "mortars"],
    "ground": ["forces", "troops", "soldiers", "army", "tanks", "units", "fighters", "military"],
}


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int  # offsets in the sentence text
    end: int
    text: str
    actor: Actor

    @property
    def side(self) -> str:
        return self.actor.side


_TOKEN = re.compile(r"[\w'’.-]+")


def _key(text: str) -> str:
    return " ".join(t.rstrip(".") for t in text.lower().replace("’", "'").split())


def _is_acronym(alias: str) -> bool:
    return bool(_ACRONYM.fullmatch(alias))


_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")


class ActorMatcher:
    """Finds every actor of a profile in a text, longest alias first.

    Aliases are looked up by token n-grams in a dict rather than with one regex of hundreds
    of alternatives: the cost is a few dict probes per word, whatever the profile's size."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.by_alias: dict[str, Actor] = {}
        self.acronyms: set[str] = set()  # keys of aliases that match only in capitals
        for actor in profile.actors:
            for alias in (actor.name, *actor.aliases):
                if self.by_alias.setdefault(_key(alias), actor) is actor and _is_acronym(alias):
                    self.acronyms.add(_key(alias))
        # Alias lengths by first word: most words open no alias and cost one dict probe.
        self.lengths_by_first: dict[str, list[int]] = {}
        for key in self.by_alias:
            words = key.split()
            lengths = self.lengths_by_first.setdefault(words[0], [])
            if len(words) not in lengths:
                lengths.append(len(words))
        for lengths in self.lengths_by_first.values():
            lengths.sort(reverse=True)
        self.by_adjective: dict[tuple[str, str], Actor] = {}
        for actor in profile.actors:
            for adjective in actor.adjectives:
                for kind in actor.kinds or ("ground",):
                    self.by_adjective.setdefault((adjective.lower(), kind), actor)
        adjectives = {adj for adj, _ in self.by_adjective}
        self.adjective_pattern = (
            GatedPattern.of_phrases(re.compile(
                r"(?<![\w-])(" + "|".join(map(re.escape, sorted(sorted(adjectives), key=len, reverse=True)))
                + r")(?:-backed|-led)?[\u201d\u2019\"]?\s+((?:\w+\s+){0,2}?)(" + "|".join(
                    re.escape(w) for ws in KIND_WORDS.values() for w in sorted(ws, key=len, reverse=True))
                + r")(?![\w-])", re.I), adjectives)
            if adjectives else None
        )
        self.kind_of = {w: k for k, ws in KIND_WORDS.items() for w in ws}
        # A state's names, as written (a proper name: "Russia", not "russia"), longest first.
        self.by_state: dict[str, Actor] = {}
        for actor in profile.actors:
            for state in actor.states:
                self.by_state.setdefault(state.strip(), actor)
        names = sorted(self.by_state, key=len, reverse=True)
        self.state_pattern = GatedPattern.of_phrases(
            re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])"), names,
        ) if names else None

    def states(self, text: str) -> list[ActorMention]:
        """The names of a state that stand for an actor where the state acts ("Russia captured
        A"): kept apart from `find`, since elsewhere they are places ("in eastern Ukraine")."""
        if self.state_pattern is None:
            return []
        return [ActorMention(m.start(), m.end(), m.group(0), self.by_state[m.group(0)])
                for m in self.state_pattern.finditer(text)]

    def _by_alias(self, text: str) -> list[ActorMention]:
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        # (`_key` of one token: it holds no space)
        words = [text[a:b].lower().replace("’", "'").rstrip(".") for a, b in tokens]
        found, i = [], 0
        while i < len(tokens):
            match = None
            for n in self.lengths_by_first.get(words[i], ()):
                if i + n <= len(tokens) and _spaced(text, tokens[i:i + n]):
                    key = " ".join(words[i:i + n])
                    actor = self.by_alias.get(key)
                    if actor is not None and key in self.acronyms and not _in_capitals(text, tokens[i]):
                        actor = None  # "IS" the acronym, not "is" the verb
                    if actor is not None:
                        match = (n, actor)
                        break
            if match is None:
                i += 1
                continue
            n, actor = match
            start, end = tokens[i][0], tokens[i + n - 1][1]
            if text[end - 1] == ".":
                end -= 1  # a sentence's full stop after "U.S. forces."
            found.append(ActorMention(start, end, text[start:end], actor))
            i += n
        return found

    def find(self, text: str, day: date | None = None) -> list[ActorMention]:
        """Every actor mention of a text, by alias or by adjective + kind of attack; `day`
        (the sentence's date) puts an actor with dated periods on the side it was on then."""
        found = self._by_alias(text)
        taken = [(m.start, m.end) for m in found]
        for mention in self._by_adjective(text):
            if not any(s < mention.end and mention.start < e for s, e in taken):
                found.append(mention)
        # "US-backed Revolutionary Commando Army": the backer is not the actor.
        found = [m for m in found if not _is_backer(text, m)]
        if day is not None:
            found = [m if not m.actor.periods else replace(m, actor=m.actor.on(day)) for m in found]
        return sorted(found, key=lambda m: m.start)

    def _by_adjective(self, text: str) -> list[ActorMention]:
        if self.adjective_pattern is None:
            return []
        mentions = []
        for match in self.adjective_pattern.finditer(text):
            if text[match.end(1):match.end(1) + 4].lower() != "-led" and text[match.end(1):match.end(1) + 1] == "-":
                continue  # "Israeli-backed": a backer, not the actor; "Turkish-led forces" are Turkey's
            kind = self.kind_of[match.group(3).lower()]
            actor = self.by_adjective.get((match.group(1).lower(), kind)) or self.by_adjective.get(
                (match.group(1).lower(), "ground"))
            if actor is not None:
                mentions.append(ActorMention(match.start(), match.end(), match.group(0), actor))
        return mentions


def _spaced(text: str, tokens: list[tuple[int, int]]) -> bool:
    """The words of an alias stand together, with nothing but spaces between them: "In Suwayda,
    local factions" does not name the "Suwayda local factions"."""
    return all(not text[a[1]:b[0]].strip(_SCARE_QUOTES) for a, b in zip(tokens, tokens[1:]))


# Quotation marks a partisan outlet puts round a word ("the “Israeli” troops") part no alias.
_SCARE_QUOTES = " \t\n\"“”‘’'"


def _in_capitals(text: str, span: tuple[int, int]) -> bool:
    word = text[span[0]:span[1]].rstrip(".")
    return word.isupper()


def _is_backer(text: str, mention: ActorMention) -> bool:
    return bool(re.match(r"-(?:backed|supported|allied|aligned)\b", text[mention.end:mention.end + 12], re.I))


_MATCHERS: dict[int, ActorMatcher] = {}


def matcher_for(profile: Profile) -> ActorMatcher:
    """One matcher per loaded profile (profiles are cached, so identity is the key)."""
    matcher = _MATCHERS.get(id(profile))
    if matcher is None or matcher.profile is not profile:
        matcher = _MATCHERS[id(profile)] = ActorMatcher(profile)
    return matcher
