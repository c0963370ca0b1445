"""Events: each trigger of a narrative sentence, at each place it governs, becomes an `Item`;
items are then merged the way an analyst codes them (one event per place, strike or change).

Item assembly (per sentence): triggers → window → places with their relation → agent and
target → claim, fatalities, date.  Denials apply across sentences ("The ministry denied these
reports" denies what the sentence before it reported).  Merging rules, in order:
  1. within a sentence, one item per place: the trigger of highest priority wins, and weak
     triggers ("killed", "released") count only when nothing stronger fired;
  2. within a paragraph, a later item without a place of its own, or whose sentence opens
     by pointing back ("The strikes ...", "... were also targeted"), joins the earlier item
     of the same type and day;
  3. the lead restates the body: a lead item joins a body item of the same place and type
     within a day;
  4. items stating a change of control join across paragraphs when place, type and day agree.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..model import ZONE_LEAD, Analysis, PlaceMention, Sentence
from ..nlp import tokens_with_lower
from ..profiles import Actor, Profile
from ..text.words import GatedPattern
from .actors import ActorMention, matcher_for
from .arguments import (
    DIRECT,
    EXCLUDED,
    FACILITY,
    LANDMARK,
    LIST_GAP,
    PERIPHERY,
    PlaceArg,
    between_pair,
    clause_end,
    mark_containers,
    relation,
    share_list_relations,
)
from .claims import CLAIMED, DENIED, REPORTED, claim_status, denies, fatalities
from .frames import CLAUSES, Frame, attempted, frame_of, under_noun
from .lexicon import Lexicon, TriggerMatch
from .places import POSSIBLE

_ANAPHOR = re.compile(r"\bthe\s+(?:(?:besieged|embattled|provincial|strategic|key|coastal|northern|"
                      r"southern|eastern|western|central)\s+)?(city|town|village)\b(?!\s+of\b|'s\s+\w+\s+of)", re.I)
# A running total is not an event: "Since the start of the operation, SOHR has documented ..."
_CUMULATIVE = GatedPattern(re.compile(r"^\s*since\b|\b(?:so\s+far|in\s+total|overall|total\s+(?:death\s+)?toll|"
                                      r"since\s+the\s+(?:start|beginning|outbreak)|cumulative)\b|"
                                      r"^\s*between\s+\d{1,2}\s+(?:and|-|–)\s+\d{1,2}\s+\w+", re.I),
                           {"since", "so", "total", "overall", "cumulative", "between"})
# Habitual or repeated action is a pattern, not an event.
_HABITUAL = GatedPattern(re.compile(r"\b(?:almost\s+daily|(?:almost\s+)?every\s+day|on\s+a\s+daily\s+basis|"
                                    r"repeatedly|repeated|regularly|frequently|routinely|systematic(?:ally)?|"
                                    r"patterns?\s+of)\b", re.I),
                         {"daily", "every", "repeatedly", "repeated", "regularly", "frequently", "routinely",
                          "systematic", "systematically", "pattern", "patterns"})
_COMBATANTS = re.compile(r"\b(?:fighters|soldiers|troops|militants|members|combatants|gunmen|officers|"
                         r"personnel|conscripts|jihadists|rebels)\b", re.I)
_CIVILIAN_VICTIMS = re.compile(r"\b(?:civilians?|children|women|residents|people|villagers|"
                               r"displaced|family|families)\b", re.I)
_SINCE_CLAUSE = re.compile(r"^\s*since\b[^,;]*[,;]", re.I)
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|told|reported|announced|stated|added|claimed|confirmed|"
                            r"declared|denied|tweeted|wrote)\s+(?:\w+\s+)?(?:on|late|early)?\s*$", re.I)
_POINTS_BACK = re.compile(r"^(?:the|these|those|this|that|such)\s+(?:\w+\s+)?(?:strikes?|attacks?|raids?|"
                          r"bombings?|shelling|bombardment|assault|offensive|clashes|fighting|airstrikes?)\b"
                          r"|\b(?:were|was)\s+also\s+(?:targeted|hit|struck|bombed|shelled)\b", re.I)
_GENERIC_HEAD = re.compile(r"^(?:mount|mt\.?|jabal|jebel|jabel|djebel)\s+", re.I)
VIOLENT_TYPES = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})
INSTRUMENT_OF = {"Air/drone strike": "air", "Shelling/artillery/missile attack": "artillery",
                 "Remote explosive/landmine/IED": "explosive"}
PRECISION_CODE = {"day": 1, "week": 2, "month": 3, "year": 3}


@dataclass(slots=True)
class Item:
    """One event at one place, from one trigger of one sentence (before merging)."""

    sentence: Sentence
    trigger: TriggerMatch
    event_type: str
    sub_event_type: str
    place: PlaceMention | None
    relation: str
    place_inherited: bool = False
    actor1: Actor | None = None
    actor2: Actor | None = None
    change: str | None = None  # capture | recapture | withdrawal | handover
    new_controller: str | None = None
    previous_controller: str | None = None
    claim: str = REPORTED
    fatalities: int | None = None
    civilian_targeting: bool = False
    date: date | None = None
    precision: str | None = None
    span_start: bool = False  # the date starts a span the event lies in ("since Thursday, ...")
    confidence: float = 0.8
    also: list[Item] = field(default_factory=list)  # merged restatements
    place_key: str | None = None  # computed once: merging compares it many times
    superseded: bool = False  # "took five villages": dropped when a later "They are A, B" names them

    def __post_init__(self) -> None:
        self.place_key = place_key(self.place)

    @property
    def side1(self) -> str | None:
        return self.actor1.side if self.actor1 else None

    @property
    def side2(self) -> str | None:
        return self.actor2.side if self.actor2 else None


def place_key(mention: PlaceMention | None) -> str | None:
    """What makes two mentions the same place: the gazetteer id, else the name's key."""
    if mention is None:
        return None
    if mention.place is not None and mention.geo_precision == 1:
        return mention.place.place_id or f"{mention.place.name}@{mention.place.latitude},{mention.place.longitude}"
    from ..geo import name_keys

    # "Mount Gurab" and "Jabal al-Ghurab" are one mountain: the generic head is not the name.
    bare = _GENERIC_HEAD.sub("", mention.text) or mention.text
    keys = name_keys(bare)
    return "name:" + (keys.shape or keys.norm or mention.text.lower())


def _is_city(mention: PlaceMention) -> bool:
    place = mention.place
    if place is None or mention.geo_precision != 1:
        return False
    return (place.population or 0) >= 100_000 or (place.feature_code or "") in ("PPLC", "PPLA")


class DocumentContext:
    """What sentences of one document share: the profile, its actors, the topic place, the
    sides seen so far, and the last agent and place of the current paragraph."""

    def __init__(self, analysis: Analysis, profile: Profile, lexicon: Lexicon) -> None:
        self.profile = profile
        self.lexicon = lexicon
        self.enter_block(analysis)
        self.topic_place = self._topic_place()
        self.side_counts: dict[str, int] = {}
        self.paragraph: int | None = None
        self.paragraph_agent: Actor | None = None
        self.paragraph_place: PlaceMention | None = None
        self.paragraph_instrument: str | None = None
        self.sentence_fighting = False
        self.recent_places: list[PlaceMention] = []
        self.withdrawn: dict[str, int] = {}  # place key -> paragraph where its holder withdrew
        self.paragraph_deal = False  # the paragraph told of an evacuation or surrender deal
        self.own_deal = False  # this paragraph's own deal (the next paragraph inherits it ...
        self.unnamed = False  # ... when this one told of places taken without naming them)
        self.last_subject_place: PlaceMention | None = None
        self.last_instrument: str | None = None
        # "Rebels took three villages. They are A, B and C.": a change whose object names no
        # place waits for the next sentence of its paragraph to list them.
        self.pending_list: tuple[int, dict] | None = None
        self.new_pending: list[tuple[int, dict]] = []

    def enter_block(self, analysis: Analysis) -> None:
        """Read the sentences and mentions of `analysis` (the document, or the next block of a
        long one: what the earlier blocks set up is kept)."""
        self.analysis = analysis
        self.places_by_sentence: dict[int, list[PlaceMention]] = {}
        for mention in analysis.mentions:
            if isinstance(mention, PlaceMention):
                self.places_by_sentence.setdefault(mention.sentence, []).append(mention)

    def _topic_place(self) -> PlaceMention | None:
        """The place the title names ("2024 Homs offensive"), which "the city" refers to."""
        titles = {s.index for s in self.analysis.sentences if s.zone == "title"}
        title_mentions = [m for m in self.analysis.mentions
                          if isinstance(m, PlaceMention) and m.place is not None and m.geo_precision == 1
                          and m.sentence in titles]
        return title_mentions[0] if title_mentions else None

    def parse_of(self, sentence: Sentence):
        """The sentence's spaCy Doc from the linguistic layer (parsed now if the stage did not run)."""
        doc = self.analysis.parses.get(sentence.index)
        if doc is None:
            from ..nlp import parse

            doc = self.analysis.parses[sentence.index] = parse([sentence.text])[0]
        return doc

    def actors_in(self, sentence: Sentence) -> list[ActorMention]:
        from . import actors_of

        return actors_of(self.analysis, sentence)

    def referent(self, noun: str, earlier: list[PlaceMention]) -> PlaceMention | None:
        """What "the city" or "the town" refers to: a city is the story's topic city when it
        has one, else the last city named; a town is the last town named."""
        if earlier:
            return earlier[-1]  # "In Sweida, ..., armed groups took over the city"
        if noun == "city" and self.topic_place is not None and _is_city(self.topic_place):
            return self.topic_place
        pool = self.recent_places[::-1]
        fitting = [m for m in pool if _is_city(m) == (noun == "city")]
        return (fitting or pool or [self.topic_place])[0]

    def saw_places(self, sentence: Sentence) -> None:
        mentions = [m for m in self.places_by_sentence.get(sentence.index, []) if m.geo_precision < 3]
        self.recent_places = (self.recent_places + mentions)[-12:]
        if mentions:
            self.last_subject_place = mentions[0]

    def enter(self, sentence: Sentence) -> None:
        if sentence.paragraph != self.paragraph:
            self.paragraph = sentence.paragraph
            self.paragraph_agent = None
            self.paragraph_place = None
            self.paragraph_instrument = None
            # a deal told in one paragraph covers the next, which often lists the places handed
            # over ("rebels agreed to surrender their towns ..." / "The army entered A and B.")
            self.paragraph_deal, self.own_deal = self.own_deal and self.unnamed, False
            self.unnamed = False

    def challenger_of(self, side: str | None) -> str | None:
        """The side most often seen in the document other than `side` and civilians."""
        ranked = sorted(((n, s) for s, n in self.side_counts.items() if s not in (side, "civilians")),
                        reverse=True)
        if ranked:
            return ranked[0][1]
        others = [s for s in self.profile.sides if s not in (side, "civilians")]
        return others[0] if others else None

    def primary_actor(self, side: str | None) -> Actor | None:
        return next((a for a in self.profile.actors if a.side == side), None) if side else None


def extract_items(analysis: Analysis, profile: Profile, lexicon: Lexicon,
                  context: DocumentContext | None = None) -> list[Item]:
    """The items of the analysis's sentences, in order; `context` is what an earlier block of
    the same document left (the sides seen, the places "the city" may refer to)."""
    if context is None:
        context = DocumentContext(analysis, profile, lexicon)
    elif context.analysis is not analysis:
        context.enter_block(analysis)
    for sentence in analysis.sentences:
        if sentence.narrative:
            for actor in context.actors_in(sentence):
                context.side_counts[actor.side] = context.side_counts.get(actor.side, 0) + 1
    items: list[Item] = []
    by_sentence: dict[int, list[Item]] = {}
    previous: Sentence | None = None
    for sentence in analysis.sentences:
        if not sentence.narrative:
            continue
        context.enter(sentence)
        found = sentence_items(sentence, context)
        context.saw_places(sentence)
        if denies(sentence.text, lexicon):
            denied = found or (by_sentence.get(previous.index, []) if previous is not None
                               and previous.paragraph == sentence.paragraph else [])
            for item in denied:
                item.claim = DENIED
        by_sentence[sentence.index] = found
        items.extend(found)
        previous = sentence
    return [item for item in items if not item.superseded]


def sentence_items(sentence: Sentence, context: DocumentContext) -> list[Item]:
    """Every (trigger, place) item of one sentence, one per place."""
    text = sentence.text
    lexicon = context.lexicon
    actors = context.actors_in(sentence)
    listing = context.pending_list is not None and sentence.index - context.pending_list[0] <= _LIST_REACH \
        and _LIST_CUE.search(text) is not None
    doc = context.parse_of(sentence) if lexicon.may_trigger(text) or listing else None
    places = _place_args(sentence, context, doc)
    framed = [(t, frame_of(doc, t, lexicon)) for t in (lexicon.triggers(doc) if doc is not None else ())
              if not _inside_actor(t, actors)]
    # "attempted to storm A", "tried to advance on A": the attempt is the fighting
    tried = [(t, f) for t, f in framed if f.negated and (t.trigger.change in ("capture", "recapture")
                                                          or t.trigger.name == "clash")
             and attempted(doc[t.head], lexicon)]
    heads = {t.head for t, _ in framed}
    strong_heads = {t.head for t, f in framed if not t.trigger.weak and not f.negated}
    taking_heads = {t.head for t, f in framed if not f.negated and t.trigger.sub_event_type in _TAKING_PEOPLE}
    framed = [(t, f) for t, f in framed if not f.negated and not _hazard(doc, t, f, lexicon)
              and not _defines(doc, t, heads) and not _described(doc, t)
              and not _circumstance(doc, t, strong_heads, taking_heads) and not _characterized(doc, t, sentence, lexicon)]
    triggers = [t for t, _ in framed]
    frames = {t.head: f for t, f in framed}
    strong = any(not t.trigger.weak for t in triggers)
    context.sentence_fighting = _fighting_here(text, triggers, frames)
    if lexicon.cue("deal", text) is not None:
        context.paragraph_deal = context.own_deal = True
    candidates: list[Item] = []
    cumulative = _CUMULATIVE.search(text)
    habitual = _HABITUAL.search(text)
    opening = _SINCE_CLAUSE.match(text)
    for trigger in triggers:
        if trigger.trigger.weak and (strong or cumulative):
            continue
        if habitual and not trigger.trigger.change:
            continue
        if opening and trigger.end <= opening.end() and not frames[trigger.head].launch_dated:
            continue  # "Since the capture of A, ...": a time reference (but the offensive's start is told)
        candidates.extend(_trigger_items(sentence, trigger, frames[trigger.head], actors, places, context))
    for trigger, frame in tried:  # "attempted to storm A without success": a clash at A
        for item in _trigger_items(sentence, trigger, frame, actors, places, context):
            if item.place is not None and (item.relation == DIRECT or not trigger.trigger.change):
                item.change = item.new_controller = item.previous_controller = None
                item.event_type, item.sub_event_type = "Battles", "Armed clash"
                candidates.append(item)
    listed = _listed(sentence, doc, places, context) if not candidates and listing and doc is not None else []
    if listed:
        for unplaced in context.pending_list[1]["aggregates"]:
            unplaced.superseded = True
    candidates = candidates or listed
    if context.new_pending:
        context.pending_list = context.new_pending[-1]
    elif listed:
        context.pending_list = None
    context.new_pending = []
    items = _one_per_place(candidates, context.sentence_fighting)
    _after_withdrawal(items, context)
    _set_fatalities(items, text)
    for item in items:
        if item.sub_event_type in INSTRUMENT_OF:
            context.paragraph_instrument = context.last_instrument = INSTRUMENT_OF[item.sub_event_type]
        if item.actor1 is not None:
            context.paragraph_agent = item.actor1
        if item.place is not None and not item.place_inherited and item.place.geo_precision < 3:
            # a strike later in the paragraph is at the town, not at the site taken
            context.paragraph_place = (item.place.site_town or item.place) if item.place.site else item.place
    if not items:
        # (a country is not where the paragraph's events happen: "withdrawing from several regions
        # in Ukraine. Clashes go on in other locations.")
        located = [p.mention for p in places if p.mention is not None and p.relation != EXCLUDED
                   and not _country(p.mention)]
        if located:
            context.paragraph_place = located[-1]
    return items


def _country(mention: PlaceMention) -> bool:
    return (mention.place.feature_code or "").startswith("PCL") if mention.place is not None else False


def _fighting_here(text: str, triggers: list[TriggerMatch], frames: dict) -> bool:
    """Whether the sentence tells fighting where its changes happen: a clash or offensive
    without a place of its own, or at a place a change names ("as operations resume in the
    adjacent province of B" is fighting elsewhere)."""
    def names(spans) -> set[str]:
        return {w for start, end in spans for w in re.findall(r"\b[A-Z][\w'-]+", text[start:end])}

    changed = set().union(*(names(frames[t.head].theme) for t in triggers if t.trigger.change))
    return any(t.trigger.name in ("clash", "offensive")
               and (not frames[t.head].theme or not changed or names(frames[t.head].theme) & changed)
               for t in triggers)


def _after_withdrawal(items: list[Item], context: DocumentContext) -> None:
    """"The SDF withdrew from Deir Hafer, and SNA factions entered the town the next day": moving
    into a place its holder left, earlier in the paragraph and without fighting, is a transfer."""
    for item in items:
        if item.change == "withdrawal" and item.place_key:
            context.withdrawn[item.place_key] = item.sentence.paragraph
    if context.sentence_fighting:
        return
    for item in items:
        if item.change == "capture" and context.withdrawn.get(item.place_key) == item.sentence.paragraph \
                and item.event_type == "Battles":
            item.event_type, item.sub_event_type = "Strategic developments", "Non-violent transfer of territory"


def _inside_actor(trigger: TriggerMatch, actors: list[ActorMention]) -> bool:
    """A trigger word inside an actor's name ("... Operations Command") is not an event — but
    the head of "Russian airstrikes" is both the actor's mark and the event."""
    return any(a.start <= trigger.start and trigger.end < a.end for a in actors)


_NUMBER_WORDS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5}
_PLURAL_ANAPHOR = re.compile(r"\b(?:(both)|(?:the|these|those)\s+(two|three|four|five))\s+"
                             r"(?:cities|towns|villages|settlements|localities)\b", re.I)


_LIST_JOIN = re.compile(r"^\s*(?:,|,?\s+and|,?\s+or)\s+$")


def _last_list(args: list[PlaceArg], text: str, count: int) -> list[PlaceArg]:
    """The last run of at least `count` places the sentence lists together ("A and B north of
    C": A and B), or nothing."""
    runs: list[list[PlaceArg]] = []
    for arg in args:
        if runs and _LIST_JOIN.match(text[runs[-1][-1].end:arg.start]):
            runs[-1].append(arg)
        else:
            runs.append([arg])
    return next((run[-count:] for run in reversed(runs) if len(run) >= count), [])


_IT = frozenset({"it"})


def _place_args(sentence: Sentence, context: DocumentContext, doc=None) -> list[PlaceArg]:
    """Place mentions of the sentence, plus "the city" resolved to the topic or last place, and
    "it" (as the subject or object of a clause) to the place the text last set up."""
    args = [PlaceArg(m.start - sentence.start, m.end - sentence.start, m.text, DIRECT, m)
            for m in context.places_by_sentence.get(sentence.index, [])]
    for match in _ANAPHOR.finditer(sentence.text):
        if any(a.start <= match.start() < a.end for a in args):
            continue
        earlier = [a.mention for a in args if a.end <= match.start() and a.mention.geo_precision < 3]
        referent = context.referent(match.group(1).lower(), earlier)
        if referent is not None:
            args.append(PlaceArg(match.start(), match.end(), match.group(0), DIRECT, referent))
    for match in _PLURAL_ANAPHOR.finditer(sentence.text):
        # "The two cities were captured without fighting": the last two places the text named.
        count = _NUMBER_WORDS[(match.group(1) or match.group(2)).lower()]
        group = _last_list([a for a in args if a.end <= match.start() and a.mention.geo_precision < 3],
                           sentence.text, count)
        named = [a.mention for a in group] or list({place_key(m): m for m in context.recent_places}.values())
        if len(named) >= count and not any(a.start <= match.start() < a.end for a in args):
            args += [PlaceArg(match.start(), match.end(), match.group(0), DIRECT, m) for m in named[-count:]]
    for token in tokens_with_lower(doc, _IT) if doc is not None else ():
        if token.dep_ in ("nsubj", "nsubjpass", "dobj") and not (
                token.dep_ == "nsubj" and any(c.dep_ == "dobj" for c in token.head.children)):
            # (not the doer of a transitive verb: "It severed ties with A" is a group)
            # "X, a hill overlooking Y, ...; it fell": the subject of the clause before.
            before = [a.mention for a in args if a.start < token.idx and a.mention.geo_precision < 3]
            referent = before[0] if before else context.last_subject_place
            if referent is not None:
                args.append(PlaceArg(token.idx, token.idx + 2, token.text, DIRECT, referent))
    return _without_bracketed_containers(sentence.text, sorted(args, key=lambda a: a.start))


_OPEN_BRACKET = re.compile(r"\s*\([^(),]*")  # (words the gazetteer did not take may come first)
_NEXT_IN_BRACKET = re.compile(r"[^(),]*,[^(),]*")


def _without_bracketed_containers(text: str, args: list[PlaceArg]) -> list[PlaceArg]:
    """"in Tawila (North Darfur)", "near Kamianka (Izium, Kharkiv)": the places in brackets
    after a place are its district and province (ACLED's way of writing them), no places of the
    event."""
    kept, inside = args[:1], False
    for previous, arg in zip(args, args[1:]):
        gap = text[previous.end:arg.start]
        inside = bool(_OPEN_BRACKET.fullmatch(gap)) or (inside and bool(_NEXT_IN_BRACKET.fullmatch(gap)))
        if not inside:
            kept.append(arg)
    return kept


def _trigger_items(
    sentence: Sentence,
    trigger: TriggerMatch,
    frame: Frame,
    actors: list[ActorMention],
    places: list[PlaceArg],
    context: DocumentContext,
    listed_places: list[PlaceArg] | None = None,
) -> list[Item]:
    text = sentence.text
    spec = trigger.trigger
    in_theme = list(listed_places or [])
    if not spec.change:
        places = [_town_of_site(arg, sentence) for arg in places]
    for arg in places:
        span = next(((a, b) for a, b in frame.theme + frame.setting if a <= arg.start < b), None)
        if span is not None and not _overlaps_trigger(arg, trigger):
            rel = relation(text, arg, span[0], context.lexicon, source=spec.change == "withdrawal" or spec.taken_from)
            if rel == DIRECT and span not in frame.theme:
                rel = PERIPHERY  # a place the change happened at or near, not the one taken
            in_theme.append(PlaceArg(arg.start, arg.end, arg.text, rel, arg.mention))
    if not in_theme and frame.voice == "active" and spec.role == "transitive":
        in_theme = _right_after(text, trigger, places, context)  # the parser lost the object
    in_theme += _list_tail(text, in_theme, places)
    in_theme += _of_which(text, frame, places, in_theme)
    unnamed = bool(spec.change) and _names_settlements(frame, sentence, trigger)
    if spec.adjacent and frame.voice == "active":
        adjacent = _adjacent_list(text, frame, in_theme, trigger.end)
        if not adjacent and not unnamed:
            return []  # ("took part"; but "took several villages", "took 5 villages: A, B, ..." are gains)
        in_theme = adjacent or in_theme
    for arg in in_theme:
        if arg.relation == DIRECT and arg.mention is not None and _division(arg.mention) \
                and _INSIDE.search(text[:arg.start]):
            arg.relation = PERIPHERY  # "the town of A in the Kursk region": the region contains it
        if arg.relation == DIRECT and arg.mention is not None and _division(arg.mention) \
                and _OWNER.match(text, arg.end) and any(o.start > arg.end for o in in_theme):
            arg.relation = PERIPHERY  # "North Darfur's besieged capital of A": the province holds A
    _examples_not_container(text, in_theme)
    in_theme += _companions(text, trigger, places, context)
    if not listed_places:  # (listed places are offsets in another sentence, already a list)
        share_list_relations(text, in_theme)
        mark_containers(text, in_theme)
    located = _located(in_theme, change=bool(spec.change))
    aggregate = False
    if unnamed:
        context.unnamed = True  # "took over several locations": a deal may cover the next paragraph
    if unnamed and not any(a.relation == DIRECT and not (a.mention and _division(a.mention))
                           and not _holds_unnamed(text, frame, a) for a in located):
        # (a province, or any place "in"/"across" which they lie, is where the unnamed villages
        # are, not what changed hands)
        waiting = dict(sentence=sentence, trigger=trigger, frame=frame, aggregates=[])
        if not listed_places:
            context.new_pending.append((sentence.index, waiting))
        # "captured 32 villages in western Aleppo", "took several villages across the province":
        # a gain told without the places' names is an event without a location (ACLED), until a
        # later sentence names them ("They are A, B and C").
        aggregate = not listed_places and (not located or _counted(frame, text) or all(
            a.mention and _division(a.mention) or _holds_unnamed(text, frame, a) for a in located))
        if len(located) == 1 and located[0].mention and _division(located[0].mention) \
                and any(_AREA.search(text, a, b) for a, b in frame.theme):
            aggregate = False  # "430 square kilometres in the A region": ground within one province
        if aggregate:
            located = []
    aimed = spec.needs == "place" and (_actor_in(actors, frame.target) is not None  # "an offensive on the army"
                                       or frame.launch_dated)  # "launched an offensive on Wednesday"
    if not located and (spec.change or spec.adjacent or spec.needs == "place") and not aggregate and not aimed:
        return []
    # (a town the sentence names still places it: "targets in the desert north-east of A")
    spread = not located and _spread(frame, text) and not any(
        a.mention is not None and a.mention.geo_precision < 3 and a.text[:1].isupper() for a in places)
    if not located and not spread and spec.needs != "leader" and not (
            frame.launched and (trigger.trigger.name in ("offensive", "clash") or frame.launch_dated)):
        # (a ruler flees from his own object; an offensive's launch is not where it aims: "launched
        # an offensive targeting A")
        # A clash or strike whose own phrase names no place happened where the sentence is:
        # "reached the outskirts of Homs amid heavy fighting".
        whole = [PlaceArg(a.start, a.end, a.text, relation(text, a, 0, context.lexicon), a.mention)
                 for a in places if not _overlaps_trigger(a, trigger)]
        share_list_relations(text, whole)
        mark_containers(text, whole)
        located = _located(whole)
    if spec.role == "source" and frame.voice == "active" and frame.victims == "civilians":
        return []  # "Kyiv has evacuated 10,000 residents from A": people moved, not ground given up
    agent, target = _actors(text, trigger, frame, actors, context)
    if spec.change and agent is not None and agent.side == "civilians":
        if agent.type != "Rioters":
            return []  # residents who fled a town do not hand it over
        spec_change_blocked = True
    else:
        spec_change_blocked = False
    event_type, sub_type = _types(text, trigger, agent, context, target, frame.victims)
    if event_type == "Battles" and not spec.change and _aimed_at_civilians(actors, frame, agent):
        event_type, sub_type = "Violence against civilians", "Attack"  # "opened fire on worshippers"
    if (event_type, sub_type) == ("Protests", "Peaceful protest") and context.lexicon.cue("intervention", text):
        # "police fired tear gas to disperse them"; with dead, "live ammunition ..., killing 3"
        sub_type = "Excessive force against protesters" if fatalities(text)[0] else "Protest with intervention"
    if event_type in _CROWDS and (agent is None or agent.type == "Civilians"):
        # ACLED's protesters and rioters: "residents of A protested", "hundreds rallied"
        agent = next((a for a in context.profile.actors if a.type == _CROWDS[event_type]), agent)
    peaceful = context.lexicon.cue("nonviolent", _own_clause(text, trigger))
    if spec.change == "capture" and peaceful:
        event_type, sub_type = "Strategic developments", "Non-violent transfer of territory"
    if spec.change == "capture" and context.paragraph_deal and not context.sentence_fighting:
        # "Having agreed to hand over their towns, the rebels conceded as the army entered A".
        event_type, sub_type = "Strategic developments", "Non-violent transfer of territory"
    if spec.change == "capture" and _AFTER_WITHDRAWAL.search(text, trigger.end) and not context.sentence_fighting:
        # ACLED: a side moving into ground the other side left, with no fighting told, is a
        # non-violent transfer, not a battle.
        event_type, sub_type = "Strategic developments", "Non-violent transfer of territory"
    claim = claim_status(text, trigger.start, context.lexicon)
    when, precision, span = _date_near(sentence, trigger, context.parse_of(sentence))
    if spec.needs == "since":  # "has held A since December 2023": the holding began then
        when, precision = _date_since(sentence, trigger) or (when, precision)
        span = False
    base = dict(sentence=sentence, trigger=trigger, event_type=event_type, sub_event_type=sub_type,
                actor1=agent, actor2=target, claim=claim, date=when, precision=precision, span_start=span)
    if aggregate or (aimed and not located):
        unplaced = Item(place=None, relation=DIRECT, confidence=0.5, **base)
        if aggregate:
            waiting["aggregates"].append(unplaced)
        return [unplaced]
    if not located and not actors and not aggregate and event_type in VIOLENT_TYPES \
            and context.paragraph_place is None:
        return []  # "All attacks were repelled.", "Clashes are ongoing elsewhere.": no one, nowhere
    if spread:
        # "airstrikes on opposition-held areas", "strikes on bases and depots": many places,
        # none named, so no one location (ACLED), not the paragraph's town.
        return [Item(place=None, relation=DIRECT, confidence=0.5, **base)]
    if not located:
        return [_placeless(base, context)]
    items = []
    for arg in located:
        item = Item(place=arg.mention, relation=arg.relation, **base)
        own = _date_after(sentence, arg)
        if own is not None:
            item.date, item.precision = own  # "A on 14 October 2017 and B on 19 November 2017"
            item.span_start = False
        if spec.change and arg.relation == DIRECT and not spec_change_blocked:
            _set_change(item, text, actors, trigger, frame, context)
        if (event_type, sub_type) == ("Battles", "Armed clash") and _CAMP_OF_DISPLACED.match(text, arg.end):
            # ACLED: an assault on a camp of displaced people attacks civilians, not an armed side
            item.event_type, item.sub_event_type = "Violence against civilians", "Attack"
            item.actor2 = next((a for a in context.profile.actors if a.side == "civilians"), None)
        item.confidence = _confidence(item, arg)
        items.append(item)
    return items


# "A's besieged capital", "A's", "the A state village of B": a division before what it holds
_OWNER = re.compile(r"['’]s?\s+(?:[a-z][\w-]*\s+){0,3}|\s+(?:village|town|city|capital|hamlet)\s+of\b")
_CAMP_OF_DISPLACED = re.compile(r"(?:\s*(?:,|and)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)*"
                                r"\s+(?i:(?:displacement|displaced|idp|refugees?)\s+(?:persons\s+)?camps?)\b")
_AREA_WORDS = r"square\s+(?:kilomet(?:re|er)s|miles)|km2|km²|sq\s+km"  # ground told by its area
_AREA = re.compile(rf"\b(?:{_AREA_WORDS})", re.I)
_PLACES_WORDS = (r"villages|towns|cities|localities|locations|areas|positions|districts|neighbou?rhoods|hamlets|hills|"
                 r"settlements|farms|points|sites|bases|garrisons|outposts|posts|" + _AREA_WORDS)
_SETTLEMENTS = re.compile(rf"\b(?:{_PLACES_WORDS})\b", re.I)
_NAMED_AFTER = re.compile(rf"\b(?:{_PLACES_WORDS})\s+of\s+(?:al-|el-|the\s+)?[A-Z]")  # "the villages of A and B"
_POSSESSED = re.compile(rf"\b(?:its|their|the\s+(?:city|town|village)'s)\s+(?:\w+\s+)?(?:{_PLACES_WORDS})\b", re.I)
# what a strike may be aimed at, many at once
_MANY = re.compile(rf"\b(?:{_PLACES_WORDS}|facilities|depots|targets|installations|airports|airbases)\b", re.I)
_LISTING = frozenset({"be", "include", "comprise"})
_LIST_REACH = 15  # sentences a change waiting for its places looks ahead
_LIST_CUE = re.compile(r"\b(?:are|were|include[sd]?|including|comprise[sd]?)\b", re.I)


_COUNT = re.compile(r"\b(?:\d[\d,]*|dozens|scores|hundreds|several|many|numerous|a\s+number|a\s+series|"
                    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty|thirty|forty|"
                    r"fifty|sixty|seventy|eighty|ninety|a\s+dozen|over\s+a\s+dozen)\b", re.I)


_OF_WHICH = re.compile(r"^\s*,?\s*(?:(?:the\s+)?\w+\s+)?of\s+which\s+(?:are|were|include[ds]?|being)\s+", re.I)


def _of_which(text: str, frame: Frame, places: list[PlaceArg], in_theme: list[PlaceArg]) -> list[PlaceArg]:
    """"control over A and some nearby settlements, the largest of which are B, C and D": the
    places the relative clause lists are the settlements taken."""
    for a, b in frame.theme:
        cue = _OF_WHICH.match(text[b:])
        if cue is None or not _SETTLEMENTS.search(text, a, b):
            continue
        start = b + cue.end()
        listed = [p for p in places if p.start >= start and p not in in_theme]
        run = _list_from(text, listed) if listed and listed[0].start == start else []
        return [PlaceArg(p.start, p.end, p.text, DIRECT, p.mention) for p in run]
    return []


def _counted(frame: Frame, text: str) -> bool:
    return any(_COUNT.search(text[a:b]) and _SETTLEMENTS.search(text[a:b]) for a, b in frame.theme)


_INCLUDING = re.compile(r"\b(?:including|such\s+as|among\s+them)\b", re.I)


def _examples_not_container(text: str, args: list[PlaceArg]) -> None:
    """"strikes on many points of A, including B and C": B and C are where it happened; A, the
    place the unnamed points are in, only holds them."""
    cue = _INCLUDING.search(text)
    if cue is None or not any(a.relation == DIRECT and a.start > cue.end() for a in args):
        return
    for arg in args:
        if arg.relation == DIRECT and arg.end <= cue.start() and _MANY.search(text, max(0, arg.start - 40), arg.start):
            arg.relation = PERIPHERY


def _spread(frame: Frame, text: str) -> bool:
    """Whether the trigger's own phrase is aimed at many unnamed places ("opposition-held
    areas", "military bases and weapon depots")."""
    return any(_MANY.search(text[a:b]) for a, b in frame.theme + frame.target)


_HOLDS = re.compile(rf"\b(?:{_PLACES_WORDS})\b[^,;]{{0,40}}?\b(?:in|across|around|throughout|near)\s+"
                    r"(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.I)


def _holds_unnamed(text: str, frame: Frame, arg: PlaceArg) -> bool:
    """Whether a place is where the unnamed settlements of the trigger's phrase lie: "32 villages
    and areas in western rural A", "70 locations across A and B"."""
    return any(a <= arg.start <= b and _HOLDS.search(text, a, arg.start) is not None for a, b in frame.theme)


def _names_settlements(frame: Frame, sentence: Sentence, trigger: TriggerMatch) -> bool:
    """Whether the places taken are told as unnamed settlements ("several villages"), not as a
    place's own parts ("the city and its neighbourhoods")."""
    text = sentence.text
    return any(_AREA.search(text, a, b) or (_SETTLEMENTS.search(text[a:b]) and not _POSSESSED.search(text[a:b])
                                           and not _NAMED_AFTER.search(text[a:b])) for a, b in frame.theme)


def _listed(sentence: Sentence, doc, places: list[PlaceArg], context: DocumentContext) -> list[Item]:
    """"They are A, B and C", "These include A and B": the places a change before left unnamed."""
    next_sentence = sentence.index - context.pending_list[0] == 1

    def lists(verb) -> bool:
        """"They are A, B and C" (the next sentence), "the villages in question are A and B"
        (a definite reference, further on)."""
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i), None)
        if verb.lemma_.lower() not in _LISTING or subject is None:
            return False
        if subject.lower_ in ("they", "these", "those"):
            return next_sentence
        definite = any(c.lower_ in ("the", "these", "those") for c in subject.children)
        return bool(_SETTLEMENTS.search(subject.text)) and (definite or next_sentence)

    verb = next((t for t in doc if t.pos_ in ("AUX", "VERB") and lists(t)), None)
    if verb is None:
        return []
    objects = [c for c in verb.children if c.dep_ in ("attr", "dobj") or (c.dep_ == "nsubj" and c.i > verb.i)]
    spans = [(t.idx, t.idx + len(t.text)) for o in objects for t in o.subtree]
    pending = context.pending_list[1]
    original: Sentence = pending["sentence"]
    listed = [a for a in places if any(x <= a.start < y for x, y in spans) and a.mention is not None]
    items = []
    for item in _trigger_items(original, pending["trigger"], pending["frame"],
                               context.actors_in(original), [], context, listed_places=listed):
        item.sentence = sentence  # the evidence is the sentence that names the place
        items.append(item)
    return items


def _right_after(text: str, trigger: TriggerMatch, places: list[PlaceArg], context: DocumentContext) -> list[PlaceArg]:
    """A place (and the list it opens) right after an active trigger: its object, where the
    parser took the name for something else ("recaptured Jebel Moya")."""
    after = [a for a in places if a.start >= trigger.end]
    if not after or not _ADJACENT.match(text[trigger.end:after[0].start]) or after[0].mention is None:
        return []
    return [PlaceArg(a.start, a.end, a.text, relation(text, a, trigger.end, context.lexicon), a.mention)
            for a in _list_from(text, after)]


def _town_of_site(arg: PlaceArg, sentence: Sentence) -> PlaceArg:
    """A strike or clash at a site is coded at its town (ACLED's location is a populated place);
    only a change of hands makes the site a place of its own."""
    town = arg.mention.site_town if arg.mention is not None and arg.mention.site else None
    if town is None:
        return arg
    if town.sentence != sentence.index or not (arg.start <= town.start - sentence.start < arg.end):
        town = replace(town, start=arg.mention.start, end=arg.mention.end, sentence=sentence.index)
    return PlaceArg(arg.start, arg.end, arg.text, arg.relation, town)


def _overlaps_trigger(arg: PlaceArg, trigger: TriggerMatch) -> bool:
    return arg.start < trigger.end and trigger.start < arg.end


def _hazard(doc, trigger: TriggerMatch, frame: Frame, lexicon: Lexicon) -> bool:
    """"The earthquake hit the town", "floods destroyed the bridge", "rescue operations
    continued", "a gas cylinder exploded", "firefighters battled a blaze", "children died of
    cholera": not political violence."""
    head = doc[trigger.head]
    if any(c.dep_ in ("compound", "amod") and lexicon.in_set("hazard", c.lemma_) for c in head.lefts):
        return True
    if trigger.trigger.change:
        return False
    if _set_word_in(doc, frame.target, lexicon, "blaze", skip=trigger.tokens):
        return True  # "firefighters battled a blaze"
    if head.lemma_.lower() in ("die", "dead") and any(lexicon.in_set("natural_death", t.lemma_) for t in doc):
        return True  # "cholera cases were reported where three children died"
    return _set_word_in(doc, frame.agent, lexicon, "hazard")


def _set_word_in(doc, spans, lexicon: Lexicon, kind: str, skip: tuple[int, ...] = ()) -> bool:
    """Whether a word of the lemma set `kind` stands in the spans (never shooting's "fire", nor
    a word of `skip`: the trigger's own)."""
    for a, b in spans:
        span = doc.char_span(a, b, alignment_mode="expand") if a < b else None
        if span is not None and any(a <= t.idx and lexicon.in_set(kind, t.lemma_) and not _gunfire(t)
                                    and t.i not in skip for t in span):
            return True
    return False


# What makes "fire" shooting: "sniper fire", "artillery fire", "heavy machine-gun fire".
_SHOOTING = frozenset({"sniper", "gun", "machine", "machine-gun", "gunfire", "small", "arms", "artillery", "mortar",
                       "tank", "rocket", "enemy", "hostile", "anti", "aircraft", "anti-aircraft", "heavy",
                       "live", "automatic", "friendly", "cross", "crossfire"})


def _gunfire(token) -> bool:
    return token.lemma_.lower() == "fire" and any(c.lower_ in _SHOOTING for c in token.lefts)


def _described(doc, trigger: TriggerMatch) -> bool:
    """"the besieged capital", "a shelled hospital": a participle describing a place's state is
    no event of its own (a change is: "the newly captured town")."""
    head = doc[trigger.head]
    return not trigger.trigger.change and head.dep_ == "amod" and head.tag_ == "VBN" and len(trigger.tokens) == 1


def _characterized(doc, trigger: TriggerMatch, sentence: Sentence, lexicon: Lexicon) -> bool:
    """"The battle for A was one of the bloodiest of the war", "drawing comparisons with the
    assault on B": a fight judged or compared, not told (one dated in its sentence is told:
    "Monday's fighting was the fiercest in weeks")."""
    head = doc[trigger.head]
    if under_noun(head, lexicon, "comparison"):
        return True
    if under_noun(head, lexicon, "reference", frozenset({"for"})) and _points_back(head):
        return True  # "ISIL claimed responsibility for the attack": the attack told before
    if _vaguely_past(head) or (head.dep_ in ("acl", "relcl") and _vaguely_past(head.head)) \
            or any(c.dep_ == "nsubj" and _vaguely_past(c) for c in head.children):
        return True  # "in response to recent strikes targeting the north-west": no event of a day
    verb = head.head.head if head.dep_ == "pobj" and head.head.lower_ in ("against", "over") else head.head
    if head.dep_ in ("pobj", "dobj") and verb.pos_ == "VERB" and lexicon.in_set("denounce", verb.lemma_):
        return True  # "took to the streets to protest against the attacks": what they protested
    if head.dep_ != "nsubj" or head.head.lemma_ != "be":
        return False
    if _dated_clause(head.head, sentence):
        return False
    # one of a kind, or the most of a kind ("the bloodiest of the war"; not "the fiercest in weeks")
    judged = [c for c in head.head.children if c.dep_ in ("attr", "acomp")
              and any(p.dep_ == "prep" and p.lower_ == "of" for p in c.children)]
    return any(c.lower_ == "one" or c.tag_ == "JJS" or any(m.tag_ == "JJS" for m in c.children) for c in judged)


_VAGUE_PAST = frozenset({"recent", "previous", "past", "prior", "earlier", "former"})


def _vaguely_past(noun) -> bool:
    """"recent strikes", "previous attacks": a noun told as some time before, no day of its own
    (the NER often calls "recent" a date: no other date word may hang on it)."""
    if noun.dep_ == "conj" and noun.head.pos_ == "NOUN" and _vaguely_past(noun.head):
        return True  # "recent regime and Russian strikes"
    if noun.pos_ != "NOUN" or not any(c.dep_ == "amod" and c.lower_ in _VAGUE_PAST for c in noun.children):
        return False
    own = [t for c in noun.children if c.lower_ not in _VAGUE_PAST for t in c.subtree]
    return not any(t.ent_type_ in ("DATE", "TIME") for t in own) and not any(
        t.ent_type_ in ("DATE", "TIME") for c in noun.head.children if c.dep_ == "prep" for t in c.subtree)


def _points_back(head) -> bool:
    """A definite noun with no place or time of its own ("the attack", "this bombing"): the
    event told before."""
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in head.children) \
        and not any(c.dep_ in ("prep", "compound", "nmod", "npadvmod") for c in head.children)


def _dated_clause(verb, sentence: Sentence) -> bool:
    """Whether a time phrase dates a verb's own clause (its subject, its complements), not a
    clause hanging on it ("which it captured last May")."""
    spans = [(t.start - sentence.start, t.end - sentence.start) for t in sentence.times if t.role == "event"]
    for token in verb.subtree:
        if not any(a <= token.idx < b for a, b in spans):
            continue
        link = token
        while link != verb and link.dep_ not in CLAUSES and link.dep_ != "conj":
            link = link.head
        if link == verb:
            return True
    return False


_CIRCUMSTANCE_PREPS = frozenset({"during", "amid", "amidst"})


_TAKING_PEOPLE = frozenset({"Arrests", "Abduction/forced disappearance"})


def _circumstance(doc, trigger: TriggerMatch, strong_heads: set[int], taking_heads: set[int]) -> bool:
    """"arrested 12 men during a raid", "shelled the town amid clashes": a noun told as the
    background of another event of the sentence is no event of its own (a protest is: "police
    arrested 20 people during protests" is the protest, with an intervention); so is a raid
    whose verb is joined to arrests or abductions (`taking_heads`)."""
    head = doc[trigger.head]
    if head.lemma_.lower() == "raid" and head.pos_ == "VERB" and trigger.trigger.generic:
        # "raided the village and detained 12 men", "raided the camp, arresting 5": the raid is
        # how the arrests were made
        joined = [*head.conjuncts, *(c for c in head.children if c.dep_ in ("advcl", "xcomp"))]
        return any(t.i in taking_heads for t in joined)
    if trigger.trigger.event_type in ("Protests", "Riots") or head.dep_ != "pobj":
        return False
    prep = head.head
    return prep.lower_ in _CIRCUMSTANCE_PREPS and prep.head.i in strong_heads and prep.head.i != head.i


def _defines(doc, trigger: TriggerMatch, heads: set[int]) -> bool:
    """"The 2024 A offensive was a military operation by ...": a trigger noun said of another
    (a definition of the campaign, no event of its own)."""
    head = doc[trigger.head]
    if head.dep_ != "attr" or head.head.lemma_ != "be":
        return False
    return any(c.dep_ == "nsubj" and c.i in heads for c in head.head.children)


_ADJACENT = re.compile(r"^\s+(?!(?:part|place|refuge|shelter|aim|power|office|steps|time|advantage|hold|root|"
                       r"effect|note|care|charge|action|measures|photos|pictures|hostages?|prisoners?|"
                       r"captives?|cover|responsibility|credit|a\s+(?:break|look|stand|toll))\b)"
                       r"(?:(?:the|a|an|full|control\s+of|over)\s+)*(?:[a-z][\w-]*\s+){0,3}?"
                       r"(?:(?:town|city|village|villages|towns|district|area|base|airport|crossing)\s+of\s+)?$")
_ALONG = re.compile(r",?\s*\b(?:along\s+with|together\s+with|as\s+well\s+as|as\s+(?:was|were|did))\s+", re.I)
_AFTER_WITHDRAWAL = re.compile(r"\b(?:after|as|following|once|when)\b[^.;]{0,80}?\b(?:withdrew|withdrawn|"
                               r"pulled\s+out|pulled\s+back|retreated|abandoned|evacuated|left|fled)\b", re.I)


def _adjacent_list(text: str, frame: Frame, args: list[PlaceArg], after: int) -> list[PlaceArg]:
    """For an everyday verb ("took"): the place that is its own object, and the list it opens."""
    if not args:
        return []
    # from its object's start, or from the verb when the parser lost the object ("clashes took
    # place near A" is then no object at all)
    start = next((a for a, b in frame.theme if a <= args[0].start < b), after)
    if not _ADJACENT.match(" " + text[start:args[0].start]):
        return []
    return _list_from(text, args)


def _list_tail(text: str, in_theme: list[PlaceArg], places: list[PlaceArg]) -> list[PlaceArg]:
    """"took A, B, and C": the items of the theme's list the parser hung elsewhere."""
    if not in_theme:
        return []
    last = max(in_theme, key=lambda a: a.end)
    tail = []
    for arg in places:
        if arg.start < last.end or any(a.start == arg.start for a in in_theme):
            continue
        if not LIST_GAP.match(text[last.end:arg.start]):
            break
        tail.append(PlaceArg(arg.start, arg.end, arg.text, last.relation, arg.mention))
        last = arg
    return tail


def _list_from(text: str, args: list[PlaceArg]) -> list[PlaceArg]:
    """The first place and the places listed after it ("A, B and C")."""
    chosen = [args[0]]
    for arg in args[1:]:
        if not LIST_GAP.match(text[chosen[-1].end:arg.start]):
            break
        chosen.append(arg)
    return chosen


def _companions(text: str, trigger: TriggerMatch, places: list[PlaceArg], context: DocumentContext) -> list[PlaceArg]:
    """"was captured by X on Sunday, along with the villages of A and B" / "..., as was C":
    places joined to the trigger's own after its clause ended."""
    if trigger.trigger.change is None:
        return []
    join = _ALONG.search(text, trigger.end)
    if join is None:
        return []
    stop = clause_end(text, join.end())
    return [PlaceArg(a.start, a.end, a.text, relation(text, a, join.end(), context.lexicon), a.mention)
            for a in places if join.end() <= a.start and a.end <= stop]


def _located(args: list[PlaceArg], change: bool = False) -> list[PlaceArg]:
    """The places an event is at: the direct ones, else the edges and sites it touched.  A name
    only possibly a place counts as the direct object of a change of hands."""
    args = [a for a in args if _acceptable(a)
            and (a.mention.confidence > POSSIBLE or (change and a.relation == DIRECT))]
    for tier in (DIRECT, FACILITY, PERIPHERY, LANDMARK):
        chosen = [a for a in args if a.relation == tier]
        if chosen:
            return chosen
    return []


def _acceptable(arg: PlaceArg) -> bool:
    """Unknown names count as places only where a place is expected (a list after a capture,
    the object of a strike) — and never countries or regions standing for a whole area; a
    governorate, oblast or state the text names is a place ("withdrew from Idlib province")."""
    if arg.relation == EXCLUDED or arg.mention is None:
        return arg.relation != EXCLUDED and arg.mention is not None
    mention = arg.mention
    # (a village the text names but the gazetteer lacks, put in its province: still that village)
    unknown_named = mention.place is not None and mention.place.feature_code is None and mention.confidence > POSSIBLE
    return mention.geo_precision < 3 or _division(mention) or unknown_named


_INSIDE = re.compile(r"\b(?:in|of|across|near|inside|throughout)\s+(?:the\s+)?(?:[\w-]+(?:ern|al)\s+)?$", re.I)


def _division(mention: PlaceMention) -> bool:
    return mention.place is not None and (mention.place.feature_code or "") in ("ADM1", "ADM2", "ADM3")


_UNPLACED_DEVELOPMENTS = frozenset({"Agreement", "Change to group/activity", "Other"})


def _placeless(base: dict, context: DocumentContext) -> Item:
    """A strike or clash whose sentence names no place: ACLED places it where the paragraph is.
    A development that is not fighting (a defection, a deal, a ruler's flight) has no place
    unless its own sentence names one."""
    inherited = context.paragraph_place if base["sub_event_type"] not in _UNPLACED_DEVELOPMENTS else None
    return Item(place=inherited, relation=DIRECT, place_inherited=inherited is not None,
                confidence=0.5, **base)


def _actors(text: str, trigger: TriggerMatch, frame: Frame, actors: list[ActorMention],
            context: DocumentContext) -> tuple[Actor | None, Actor | None]:
    """The agent and the target of a trigger, from its frame: "clashes between A and B" gives
    both; otherwise the actor in the agent's phrase (or the actor the trigger word belongs to:
    "Russian airstrikes"), else the paragraph's last agent."""
    pair = between_pair(actors, text, trigger)
    if pair is not None:
        return pair[0].actor, pair[1].actor
    agent = _actor_in(actors, frame.agent)
    if agent is None and frame.agent and _POSSESSIVE_AGENT.match(text[frame.agent[0][0]:]):
        # "Russia's defence ministry said its forces had captured A": whose forces — the actor
        # the sentence named before.
        agent = next((a for a in reversed(actors) if a.end <= frame.agent[0][0] and a.side != "civilians"), None)
    if agent is None and frame.voice == "active":
        # The parser lost the subject: an actor right before the verb ("regime forces have captured").
        agent = next((a for a in reversed(actors) if a.end <= trigger.start
                      and _JUST_BEFORE.fullmatch(text[a.end:trigger.start])), None)
    if agent is None and frame.voice == "nominal":
        agent = next((a for a in actors if a.start <= trigger.start < a.end), None)
    if agent is None:
        agent = _state_agent(text, frame, context.profile)
    agent_actor = agent.actor if agent else context.paragraph_agent
    target = _actor_in(actors, frame.target)
    if target is None and trigger.trigger.name == "clash" and agent is not None:
        # "the army and the rebels clashed": the other side is in the subject too; "clashed with
        # the rebels": after "with"
        after = _WITH_SIDE.match(text, trigger.end)
        target = next((a for a in actors if a.actor != agent.actor and (
            any(s <= a.start < e for s, e in frame.agent) or (after is not None and a.start == after.end()))), None)
    target_actor_ = target.actor if target and (agent is None or target.actor != agent.actor) else None
    if target_actor_ is None and fatalities(text)[1] and (re.search(r"\bcivilians?\b", text[trigger.start:], re.I)
                                                         or _CIVILIANS_KILLED.search(text)):
        target_actor_ = next((a for a in context.profile.actors if a.side == "civilians"), None)
    return agent_actor, target_actor_


_CROWDS = {"Protests": "Protesters", "Riots": "Rioters"}  # event type -> the actor type of its crowd


def _state_agent(text: str, frame: Frame, profile: Profile) -> ActorMention | None:
    """A state's name as the doer: the agent's phrase opens with it ("Russia captured A",
    "retaken by Kyiv"), or the agent is "it", "they", "its forces" and the name came before
    ("Ukraine said it had recaptured A", "Moscow said its troops had taken A")."""
    if not frame.agent:
        return None
    states = matcher_for(profile).states(text)
    start, end = frame.agent[0]
    opening = next((m for m in states if start <= m.start < end
                    and text[start:m.start].strip().lower() in ("", "the")), None)
    if opening is not None:
        return opening
    if _PRONOUN_AGENT.fullmatch(text[start:end]) or _POSSESSIVE_AGENT.fullmatch(text[start:end]):
        return next((m for m in reversed(states) if m.end <= start), None)
    return None


_PRONOUN_AGENT = re.compile(r"it|they", re.I)
_WITH_SIDE = re.compile(r"\s+with\s+(?:the\s+)?")
_CIVILIANS_KILLED = re.compile(r"\bkill(?:ed|ing)\s+(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+|over\s+)?"
                               r"[\d,]+\s+(?:civilians|residents|villagers|people)\b|"
                               r"\bcivilians\s+(?:were|have\s+been|had\s+been)\s+killed\b", re.I)
_POSSESSIVE_AGENT = re.compile(r"(?:its|their)\s+(?:own\s+)?(?:\w+\s+)?(?:forces|troops|army|units|fighters|"
                               r"soldiers|militias?|allies|men|members|aircraft|jets|warplanes|planes|"
                               r"drones|artillery|navy|air\s+force)\b", re.I)
_JUST_BEFORE = re.compile(r"\s*(?:(?:have|has|had|also|then|later|now|reportedly|quickly|swiftly|"
                          r"finally|eventually|successfully|fully|completely|since|already)\s+)*", re.I)


def _actor_in(actors: list[ActorMention], spans) -> ActorMention | None:
    """The first actor named in the spans (civilians are never the agent of a capture)."""
    inside = [a for a in actors if any(s <= a.start < e for s, e in spans)]
    return inside[0] if inside else None


def _own_clause(text: str, trigger: TriggerMatch) -> str:
    """The clause a trigger stands in: "took X without resistance, and rebels captured Y"."""
    end = re.compile(r",\s+(?:and|but|while|whereas)\s+|;").search(text, trigger.end)
    return text[_clause_start(text, trigger.start):end.start() if end else len(text)]


def _clause_start(text: str, before: int) -> int:
    start = 0
    for match in re.finditer(r"[;:]|,\s+(?:while|whereas|and|but)\s+|\s[—–]\s", text[:before]):
        start = match.end()
    return start


def _types(text: str, trigger: TriggerMatch, agent: Actor | None, context: DocumentContext,
           target: Actor | None = None, victims: str | None = None) -> tuple[str, str]:
    spec = trigger.trigger
    event_type, sub_type = spec.event_type, spec.sub_event_type
    if spec.state_sub_event_type and agent is not None and agent.type == "State forces":
        sub_type = spec.state_sub_event_type
    if spec.generic or sub_type in INSTRUMENT_OF:  # (a grenade, a suicide bomb stay what they are)
        instrument = (context.lexicon.instrument(text) or _agent_instrument(agent)
                      or context.paragraph_instrument
                      or (context.last_instrument if _POINTS_BACK.search(text) else None))
        if instrument == "air":
            event_type, sub_type = "Explosions/Remote violence", "Air/drone strike"
        elif instrument == "artillery":
            event_type, sub_type = "Explosions/Remote violence", "Shelling/artillery/missile attack"
        elif instrument == "explosive":
            event_type, sub_type = "Explosions/Remote violence", "Remote explosive/landmine/IED"
        elif spec.generic and target is not None and target.side == "civilians":
            event_type, sub_type = "Violence against civilians", "Attack"  # "attacks that killed 56 civilians"
        elif spec.generic:
            event_type, sub_type = "Battles", "Armed clash"
    if agent is not None and agent.type == "Civilians" and spec.sub_event_type == "Looting/property destruction":
        return "Riots", "Violent demonstration"  # "angry residents set fire to the police station"
    if agent is not None and agent.type in ("Rioters", "Protesters") and event_type != "Protests":
        return ("Riots", "Mob violence") if agent.type == "Rioters" else ("Protests", "Protest with intervention")
    if target is not None and target.type == "Protesters":
        return "Protests", "Excessive force against protesters"
    if spec.name in ("killed", "killing"):
        instrument = context.lexicon.instrument(text)
        armed = victims == "force" if victims or spec.name != "killed" else bool(
            _COMBATANTS.search(text) and not _CIVILIAN_VICTIMS.search(text))
        if instrument is None and armed:
            return "Battles", "Armed clash"  # "12 fighters were killed": combatants, a battle
        if instrument == "explosive":
            event_type, sub_type = "Explosions/Remote violence", "Remote explosive/landmine/IED"
        if instrument == "air":
            event_type, sub_type = "Explosions/Remote violence", "Air/drone strike"
        elif instrument == "artillery":
            event_type, sub_type = "Explosions/Remote violence", "Shelling/artillery/missile attack"
    return event_type, sub_type


def _aimed_at_civilians(actors: list[ActorMention], frame: Frame, agent: Actor | None) -> bool:
    """Whether a fight's own target is unarmed people ("gunmen opened fire on worshippers",
    "militiamen ambushed farmers"): one side alone with weapons is violence against civilians, not
    a battle (civilians merely killed in a battle are no target of it)."""
    if agent is not None and agent.side == "civilians":
        return False
    aimed = _actor_in(actors, frame.target)
    return (aimed is not None and aimed.actor.type == "Civilians") or (aimed is None and frame.victims == "civilians")


def _agent_instrument(agent: Actor | None) -> str | None:
    if agent is not None and "air" in agent.kinds:
        return "air"
    if agent is not None and re.search(r"\b(?:air\s+force|aerospace)\b", agent.name, re.I):
        return "air"
    return None


def _date_near(sentence: Sentence, trigger: TriggerMatch, doc=None) -> tuple[date | None, str | None, bool]:
    """The date of the event: the nearest event-role time phrase of the trigger's own clause,
    else the sentence's date.  A phrase attached to a reporting verb ("said on Monday") dates
    the report, not the event, when the sentence has another.  Last: whether the date is the
    start of a span the event lies in ("since Thursday, the army has captured A")."""
    text = sentence.text
    phrases = [t for t in sentence.times if t.role == "event" and t.value is not None]
    told = [t for t in phrases if _SPEECH_BEFORE.search(text[:t.start - sentence.start])]
    if told and len(told) < len(phrases):
        phrases = [t for t in phrases if t not in told]
    own = [t for t in phrases if not _crosses_clause(text, trigger, t.start - sentence.start, t.end - sentence.start)]
    shift = _EVENT_SHIFT.search(text[:trigger.start])
    hung = not own
    if hung:
        # "since July 2012, when the regime left the city": the time the "when" clause hangs on
        own = [t for t in sentence.times if t.value is not None and t.end - sentence.start <= trigger.start
               and _WHEN_CLAUSE.match(text[t.end - sentence.start:trigger.start])]
    if own:
        nearest = min(own, key=lambda t: abs(t.start - sentence.start - trigger.start))
        when, precision = nearest.value, nearest.precision
        if shift is None and doc is not None:
            # "retook A on Saturday, two weeks after the RSF overran it": the clause's event
            # came that long before the time it borrows from the clause it hangs on.
            shift = _clause_shift(doc, trigger, nearest.start - sentence.start)
        span = not hung and _range_start(text, trigger, nearest.start - sentence.start)
        if span:
            precision = "month"  # the first day the text allows: a span's start, not the event's day
    elif sentence.date is not None:
        when, precision, span = sentence.date.value, sentence.date.precision, False
    else:
        return None, None, False
    if shift and when is not None:
        # "came five days after the fall of Aleppo", "a day after seizing A": that was before.
        when = when - timedelta(days=_count_days(shift.group(1) or "a", shift.group(2)))
    return when, precision, span


_WHEN_CLAUSE = re.compile(r"\s*,?\s*when\b[^.;:]*$", re.I)
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:the\s+|last\s+)?$", re.I)


def _range_start(text: str, trigger: TriggerMatch, time_start: int) -> bool:
    """Whether a time phrase dates a trigger as the start of a span it lies in: "Since the start
    of the operation on Thursday, the army has captured A, B and C", "has taken 30 villages since
    Monday" (the trigger itself not inside the "since" clause)."""
    opening = _SINCE_CLAUSE.match(text)
    if opening is not None and time_start < trigger.start and opening.end() <= trigger.start:
        return True  # (its apposition too: "on Thursday evening, the 19th of December, the army ...")
    return trigger.end <= time_start and _SINCE_BEFORE.search(text, 0, time_start) is not None


def _date_since(sentence: Sentence, trigger: TriggerMatch) -> tuple[date, str | None] | None:
    """The date of the "since" phrase after a trigger ("held A since the war began in April 2023")."""
    since = re.search(r"\bsince\b", sentence.text[trigger.end:])
    if since is None:
        return None
    after = trigger.end + since.end()
    phrases = [t for t in sentence.times if t.value is not None and t.start - sentence.start >= after]
    if not phrases:
        return None
    first = min(phrases, key=lambda t: t.start)
    return first.value, first.precision


def _date_after(sentence: Sentence, arg: PlaceArg) -> tuple[date, str | None] | None:
    """A date stated right after a place of a list belongs to that place."""
    for phrase in sentence.times:
        offset = phrase.start - sentence.start
        if phrase.role == "event" and phrase.value is not None and 0 <= offset - arg.end <= 6 \
                and re.fullmatch(r"\s*(?:on|in)?\s*", sentence.text[arg.end:offset]):
            return phrase.value, phrase.precision
    return None


_CLAUSE_BREAK = re.compile(r";|,\s+(?:which|who|where|while|whereas|after|before|when|as)\b|\bwhich\b", re.I)
_EVENT_SHIFT = re.compile(r"\b(\w+)\s+(days?|weeks?)\s+after\s+(?:the\s+)?$", re.I)


# "entered the city after an attack that began two days earlier": a later date in a relative clause.
_RELATIVE_OPENER = re.compile(r",\s*(?:which|who|whom|whose)\b", re.I)
_RELATIVE_THAT = re.compile(r"\bthat\s+(?:had|has|have|was|were|began|started|erupted|broke|took|fell|came|ended)\b", re.I)


def _crosses_clause(text: str, trigger: TriggerMatch, start: int, end: int) -> bool:
    if start >= trigger.end:
        between = text[trigger.end:start]
        return bool(_CLAUSE_BREAK.search(between) or _RELATIVE_THAT.search(between))
    between = text[end:trigger.start]
    if _CLAUSE_BREAK.search(between):
        return True
    # "A, which the army took in September, came under shelling on Friday": the time of a
    # relative clause closed (by its comma) before the trigger is the clause's own.
    opener = max(_RELATIVE_OPENER.finditer(text, 0, start), key=lambda m: m.start(), default=None)
    return opener is not None and "," not in text[opener.end():start] and "," in between


def _clause_shift(doc, trigger: TriggerMatch, time_start: int) -> re.Match[str] | None:
    """"[main clause with its date], two weeks after the RSF overran it": the amount and unit
    of an "after" clause's distance (as `_EVENT_SHIFT` gives them), when the trigger heads the
    clause and the time phrase lies outside it."""
    head = doc[trigger.head] if 0 <= trigger.head < len(doc) else None
    if head is None or head.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "after" for c in head.children):
        return None
    if head.left_edge.idx <= time_start < head.right_edge.idx + len(head.right_edge.text):
        return None  # the clause's own time: "two weeks after the RSF overran it on 20 November"
    distance = next((c for c in head.children if c.dep_ == "npadvmod" and c.i < head.i), None)
    if distance is None:
        return None
    return _DISTANCE.fullmatch(doc[distance.left_edge.i:distance.i + 1].text)


_DISTANCE = re.compile(r"(?:(\w+)\s+)?(days?|weeks?)", re.I)


def _count_days(amount: str, unit: str) -> int:
    from .claims import number

    value = number(amount) or 1
    return value * (7 if unit.lower().startswith("week") else 1)


def _set_change(item: Item, text: str, actors, trigger: TriggerMatch, frame: Frame, context: DocumentContext) -> None:
    """Who gained and who lost the place, by the trigger's kind of change."""
    spec = trigger.trigger
    profile = context.profile
    agent_side = item.side1
    holder = profile.holder_on(item.date)  # who held towns in that phase of the war
    if spec.change == "withdrawal":
        loser = agent_side or holder
        recipient = _actor_in(actors, frame.recipient)  # "left its base to the militia"
        gainer = (recipient.side if recipient and recipient.side != loser else None) \
            or _other_side_in(text, actors, loser) or context.challenger_of(loser)
        item.change, item.previous_controller, item.new_controller = "withdrawal", loser, gainer
        item.actor2 = None
        return
    if spec.change == "handover":
        recipient = _actor_in(actors, frame.recipient)
        item.change = "handover"
        item.previous_controller = agent_side or holder
        item.new_controller = recipient.side if recipient else context.challenger_of(item.previous_controller)
        return
    from_actor = _actor_in(actors, frame.source)
    gainer = agent_side or _side_named(text) or context.challenger_of(holder)
    if from_actor is not None:
        loser = from_actor.side
    elif _side_named(text, lost=True):
        loser = _side_named(text, lost=True)
    elif gainer != holder:
        loser = holder
    else:
        loser = context.challenger_of(holder)
    if gainer == loser:  # "the army was driven out of A" (the paragraph's agent is the loser)
        gainer = context.challenger_of(loser)
    item.change = "recapture" if spec.change == "recapture" else "capture"
    item.new_controller, item.previous_controller = gainer, loser
    if item.actor1 is None or item.actor1.side != gainer:
        item.actor1 = context.primary_actor(gainer)
    if item.actor2 is None or item.actor2.side != loser:
        item.actor2 = context.primary_actor(loser)


_SIDE_WORDS = {
    "government": r"government|regime|army",
    "opposition": r"opposition|rebels?|rebel",
}


def _side_named(text: str, lost: bool = False) -> str | None:
    """"fell from government control" (lost=True) / "came under rebel control"."""
    pattern = r"\b(?:from|out\s+of)\s+({})\s+control\b" if lost else r"\bunder\s+({})\s+control\b"
    for side, words in _SIDE_WORDS.items():
        if re.search(pattern.format(words), text, re.I):
            return side
    return None


def _other_side_in(text: str, actors: list[ActorMention], side: str | None) -> str | None:
    """"withdrew ... as rebels advanced": a side other than the one leaving, named in the sentence."""
    for actor in actors:
        if actor.side not in (side, "civilians"):
            return actor.side
    return None


def _confidence(item: Item, arg: PlaceArg) -> float:
    score = 0.9 if item.claim == REPORTED else 0.6 if item.claim == CLAIMED else 0.4
    if arg.mention is not None:
        score *= arg.mention.confidence if arg.mention.place is not None else 0.7
    if item.sentence.date is not None:
        score *= max(0.5, item.sentence.date.confidence)
    return round(score, 3)


def _one_per_place(items: list[Item], fighting: bool = False) -> list[Item]:
    best: dict[object, Item] = {}
    for item in items:
        # One event per place and sentence — unless the sentence tells two changes of hands
        # ("entered X this morning, after the SDF, which had taken X on 6 December, withdrew").
        key = (item.place_key or "noplace", item.date)
        current = best.get(key)
        if current is not None and current.change and item.change and current.new_controller != item.new_controller:
            key = (*key, item.new_controller)
            current = best.get(key)
        if current is not None and _gainer_told(item, current) and not fighting:
            item.event_type, item.sub_event_type = current.event_type, current.sub_event_type  # no battle
        if current is None or (item.trigger.trigger.priority > current.trigger.trigger.priority
                               and not _gainer_told(current, item)) or _gainer_told(item, current):
            best[key] = item
        elif _gainer_told(current, item) and not fighting:
            current.event_type, current.sub_event_type = item.event_type, item.sub_event_type
    return sorted(best.values(), key=lambda i: (i.trigger.start, i.place.start if i.place else 0))


def _gainer_told(capture: Item, withdrawal: Item) -> bool:
    """"Rebels entered A after the army pulled out of it": of a capture and a withdrawal at one
    place in one sentence, the capture tells who gained it."""
    return capture.change in ("capture", "recapture") and withdrawal.change == "withdrawal" \
        and capture.new_controller is not None


def _set_fatalities(items: list[Item], text: str) -> None:
    count, civilians = fatalities(text)
    violent = [i for i in items if i.event_type in VIOLENT_TYPES
               or i.sub_event_type == "Excessive force against protesters"]
    if count is not None and violent:
        violent[0].fatalities = count
        violent[0].civilian_targeting = civilians and violent[0].event_type != "Battles"


# --- merging -----------------------------------------------------------------------------

def merge_items(items: list[Item]) -> list[Item]:
    """Apply merging rules 2-4 (see the module docstring); returns the surviving items."""
    merged = Merger()
    merged.add(items)
    return merged.kept


class Merger:
    """Items merged as they come (a long document's blocks one after the other); `kept` are
    the survivors in order.

    Candidates come from indexes of what `_same_event` can pair — the same paragraph; the same
    type, place and day; a lead item of the same type and place (any item of it, for a lead
    item) — so a long document costs in proportion to its items, not their square."""

    def __init__(self) -> None:
        self.kept: list[Item] = []
        self.by_paragraph: dict[int, list[int]] = {}
        self.by_day: dict[tuple, list[int]] = {}
        self.leads: dict[tuple, list[int]] = {}
        self.by_place: dict[tuple, list[int]] = {}

    def add(self, items: list[Item]) -> None:
        kept = self.kept
        for item in items:
            place = (item.event_type, item.place_key)
            candidates = set(self.by_paragraph.get(item.sentence.paragraph, ()))
            candidates.update(self.by_day.get((*place, item.date), ()))
            candidates.update(self.leads.get(place, ()))
            if _peaceful_capture(item):  # a battle at the place that day, retold as peaceful
                candidates.update(self.by_day.get(("Battles", item.place_key, item.date), ()))
            if item.sentence.zone == ZONE_LEAD or item.change is not None:
                candidates.update(self.by_place.get(place, ()))
            host = next((kept[i] for i in sorted(candidates, reverse=True) if _same_event(kept[i], item)), None)
            if host is None:
                kept.append(item)
                self.by_paragraph.setdefault(item.sentence.paragraph, []).append(len(kept) - 1)
                self._file(item, len(kept) - 1)
                continue
            host.also.append(item)
            if _toll_of(host, item):
                host.fatalities = host.fatalities if host.fatalities is not None else item.fatalities
                continue
            if host.event_type != item.event_type:  # "... were captured without any fighting": no battle
                host.event_type, host.sub_event_type = item.event_type, item.sub_event_type
                self._file(host, kept.index(host))
            if host.place is None and item.place is not None:
                host.place, host.place_key = item.place, item.place_key
                self._file(host, kept.index(host))
            # the span's start gives way to the day itself (in either, whichever is reported)
            for day, span in ((item, host), (host, item)):
                if _within_span(day, span):
                    span.date, span.precision, span.span_start = day.date, day.precision, False
                    if span is host:
                        self._file(host, kept.index(host))
                    break

    def _file(self, item: Item, index: int) -> None:
        place = (item.event_type, item.place_key)
        self.by_day.setdefault((*place, item.date), []).append(index)
        self.by_place.setdefault(place, []).append(index)
        if item.sentence.zone == ZONE_LEAD:
            self.leads.setdefault(place, []).append(index)


def _peaceful_capture(item: Item) -> bool:
    return item.change == "capture" and item.sub_event_type == "Non-violent transfer of territory"


def _same_event(kept: Item, item: Item) -> bool:
    if kept.claim == DENIED or item.claim == DENIED:
        return False
    if _toll_of(kept, item):
        return True
    if kept.event_type != item.event_type:
        # a capture retold as taken without fighting, the same day: one event, a transfer
        return (_peaceful_capture(item) and kept.change == "capture" and kept.event_type == "Battles"
                and kept.place_key == item.place_key and kept.place is not None
                and _day_gap(kept.date, item.date) == 0)
    days = _day_gap(kept.date, item.date)
    if days is None:
        return False
    same_place = kept.place_key == item.place_key
    if kept.sentence.paragraph == item.sentence.paragraph and days == 0:
        pointing_back = bool(_POINTS_BACK.search(item.sentence.text))
        if item.place_inherited or item.place is None or (pointing_back and (same_place or item.relation != DIRECT)):
            return True
    if not same_place or kept.place is None:
        return False
    lead = kept if kept.sentence.zone == ZONE_LEAD else item
    lead_pair = (kept.sentence.zone == ZONE_LEAD) != (item.sentence.zone == ZONE_LEAD) and (
        days <= 1 or not _dated_itself(lead))
    # The lead restates one body event: it pairs with one, not with every event there.
    if lead_pair and not any(m.sentence.zone != kept.sentence.zone for m in kept.also):
        return True
    return kept.change is not None and item.change is not None and (
        days == 0 or _within_span(kept, item) or _within_span(item, kept))


def _within_span(day: Item, span: Item) -> bool:
    """Whether an item told on its day falls in the span another is dated by ("since Thursday,
    the army has captured A, B and C" and "took A at midnight yesterday")."""
    return (day.precision == "day" and span.span_start and day.date is not None
            and span.date is not None and span.date <= day.date)


def _toll_of(kept: Item, item: Item) -> bool:
    """"A clashed with B in C. 15 people were killed.": a toll told after a violent event of its
    paragraph and day, with no place of its own, is that event's (not an attack of its own)."""
    return (item.trigger.trigger.name == "killed" and (item.place is None or item.place_inherited)
            and kept.event_type in VIOLENT_TYPES and kept.sentence.paragraph == item.sentence.paragraph
            and kept.sentence.index < item.sentence.index and _day_gap(kept.date, item.date) == 0)


def _dated_itself(item: Item) -> bool:
    dated = item.sentence.date
    return dated is not None and dated.basis not in ("inherited", "published", "none")


def _day_gap(a: date | None, b: date | None) -> int | None:
    if a is None or b is None:
        return 0 if a is b else None
    return abs((a - b).days)


def prefer_body(items: list[Item]) -> list[Item]:
    """When a lead item and a body item merged, report the body's (fuller) sentence."""
    for item in items:
        if item.sentence.zone == ZONE_LEAD:
            body = [m for m in item.also if m.sentence.zone != ZONE_LEAD]
            if body:
                item.also.remove(body[0])
                body[0].also.extend([item, *item.also])
                item.also = []
                items[items.index(item)] = body[0]
    return items


# --- output ------------------------------------------------------------------------------

def event_row(item: Item, analysis: Analysis, profile: Profile) -> dict:
    """An event in the output contract: ACLED's columns, then ours."""
    doc = analysis.document
    sentence = item.sentence
    place = item.place
    resolved = place.place if place is not None else None
    sources = _sources(analysis, [item, *item.also])
    event_date = item.date.isoformat() if item.date else None
    actor1, actor2 = item.actor1, item.actor2
    inter1 = actor1.inter if actor1 else None
    inter2 = actor2.inter if actor2 else None
    return {
        "event_id_cnty": _event_id(profile, doc.doc_id, item),
        "event_date": event_date,
        "year": item.date.year if item.date else None,
        # ACLED's 3 (month or coarser) also for a row the text gives no date for at all.
        "time_precision": PRECISION_CODE.get(item.precision or "", 3) if item.date else 3,
        "disorder_type": _disorder(item),
        "event_type": item.event_type,
        "sub_event_type": item.sub_event_type,
        "actor1": actor1.name if actor1 else None,
        "assoc_actor_1": None,
        "inter1": inter1,
        "actor2": actor2.name if actor2 else None,
        "assoc_actor_2": None,
        "inter2": inter2,
        "interaction": int(f"{min(inter1, inter2)}{max(inter1, inter2)}") if inter1 and inter2 else (inter1 * 10 if inter1 else None),
        "civilian_targeting": "Civilian targeting" if item.civilian_targeting else None,
        "iso": profile.iso_numeric,
        "region": profile.region,
        "country": (resolved.country if resolved and resolved.country else profile.country),
        "admin1": resolved.admin1 if resolved else None,
        "admin2": resolved.admin2 if resolved else None,
        "admin3": None,
        "location": location_name(place),
        "latitude": resolved.latitude if resolved else None,
        "longitude": resolved.longitude if resolved else None,
        "geo_precision": place.geo_precision if place is not None and resolved else (None if place is None else 2),
        "source": "; ".join(s["publisher"] or s["title"] or "" for s in sources if s.get("publisher") or s.get("title")) or (doc.title or doc.source),
        "source_scale": None,
        "notes": sentence.text,
        "fatalities": item.fatalities,
        "tags": None,
        "timestamp": None,
        "side1": item.side1,
        "side2": item.side2,
        "claim": item.claim,
        "evidence": sentence.text,
        "evidence_span": [sentence.start, sentence.end],
        "sources": sources,
        "geonames_id": resolved.geonames_id if resolved else None,
        "place_id": item.place_key,
        "place_aliases": _aliases([item, *item.also]),
        "confidence": item.confidence,
        "doc_id": doc.doc_id,
        "corroboration": [[m.sentence.start, m.sentence.end] for m in item.also],
    }


def _disorder(item: Item) -> str:
    if item.event_type == "Strategic developments":
        return "Strategic developments"
    if item.event_type in ("Protests", "Riots"):
        return "Demonstrations"
    return "Political violence"


def location_name(place: PlaceMention | None) -> str | None:
    """The gazetteer's name when it is plain ASCII ("Homs"), else the text's own spelling
    ("Talbiseh" rather than "Tallbīsah"); the other spellings go to `place_aliases`."""
    if place is None:
        return None
    resolved = place.place
    if resolved is not None and place.geo_precision == 1 and resolved.name.isascii():
        return resolved.name
    return place.text


def _aliases(items: Iterable[Item]) -> list[str]:
    names: list[str] = []
    for member in items:
        place = member.place
        if place is None:
            continue
        for name in (place.text, place.matched_alias, place.place.name if place.place else None):
            if name and name not in names:
                names.append(name)
    return names


def _sources(analysis: Analysis, items: list[Item]) -> list[dict]:
    seen: list[dict] = []
    numbers: list[int] = []
    for item in items:
        for number in item.sentence.footnotes:
            if number not in numbers:
                numbers.append(number)
    for number in numbers:
        ref = analysis.document.references.get(number)
        seen.append({"number": number, "title": ref.title if ref else None,
                     "publisher": ref.publisher if ref else None, "date": ref.date if ref else None,
                     "url": ref.url if ref else None})
    return seen


def _event_id(profile: Profile, doc_id: str, item: Item) -> str:
    """Stable across runs: the document, the sentence span, the place and the type."""
    basis = f"{doc_id}|{item.sentence.start}|{item.place_key}|{item.event_type}|{item.sub_event_type}"
    return f"{profile.iso}{int(hashlib.sha1(basis.encode()).hexdigest()[:10], 16) % 10**9:09d}"


def within_a_day(a: date | None, b: date | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= timedelta(days=1)
