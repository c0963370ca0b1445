"""Arguments of a trigger: the stretch of the sentence it governs, the places in it and how each
relates to the event (the place itself, its edge, a site in it, or only a landmark), and the agent.

"captured A, B and C, and approached the outskirts of D": A, B, C are direct; D is outside the
window (a new clause).  "struck the bridge connecting Hama to Homs": neither town is the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .actors import ActorMention
from .lexicon import Lexicon, TriggerMatch

DIRECT, PERIPHERY, FACILITY, EXCLUDED = "direct", "periphery", "facility", "excluded"

# Where a trigger's reach ends, looking forward (active frames) ...
_FORWARD_STOP = re.compile(
    r";|\s[—–]\s|\(|,?\s+(?:while|whereas|which|who|whom|whose|where|after|before|as|amid|when|because|but|"
    r"although|though|until|since|so|despite|following|prompting|forcing|leaving|allowing|"
    r"and\s+(?:then\s+)?(?:approached|reached|advanced|moved|pushed|continued|began|was|were|had|has|"
    r"is|are|said|killed|later|also)|towards?|in\s+order|in\s+an?\s+(?:attempt|bid|effort)|"
    r"to\s+(?:prevent|stop|cut|slow|isolate|protect|block|halt|push|reach|advance)|"
    r"that\s+(?:connects?|links?|leads?)|which\s+connects?|connecting|linking|leading\s+to|"
    r"on\s+the\s+(?:road|highway)\s+(?:between|from|linking|connecting))\b|"
    r",\s+(?:demanding|calling|urging|saying|claiming|accusing|adding|warning|vowing|hoping|asking)\b",
    re.I,
)
# ... and looking back (passive and intransitive frames: "while the city of X also fell").
_BACKWARD_START = re.compile(
    r";|\s[—–]\s|,\s*(?:while|whereas|and|but|as|after)\s+|\b(?:while|whereas|after|as|when|"
    r"because|and|but)\s+(?=the\s|[A-Z])",
    re.I,
)
# Words right before a place that make it a landmark of the event, not its place.
_EXCLUDING_BEFORE = re.compile(
    r"(?:\b(?:(?:leave|left|leaving|head(?:ed|ing)?|bound|fled|flee|fleeing|evacuated|sent|deployed)\s+for|"
    r"(?:authorities|administration|government|officials|leadership|ministry|command|interim\s+government|"
    r"caretaker\s+government|headquarters)\s+(?:in|of)|"
    r"towards?|into|from|with|between|connecting|linking|to|via|through|across|"
    r"than|like|unlike|including\s+those\s+in)\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|village)\s+of\s+)?)$",
    re.I,
)
_PERIPHERY_BEFORE = re.compile(
    r"(?:\b(?:(?:outskirts|suburbs?|periphery|countryside|environs|vicinity|edges?|gates|entrances?|"
    r"approaches|parts?|areas?|neighbou?rhoods?)\s+(?:of\s+)?|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:(?:part|parts|side|edge|outskirts|"
    r"suburbs|countryside|neighbou?rhoods|approaches|entrance)\s+)?of\s+|"
    r"(?:outside|near|nearby|around|close\s+to)\s+)(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?)$",
    re.I,
)
_PERIPHERY_AFTER = re.compile(
    r"^(?:'s|’s|'|’)?\s*(?:(?:northern|southern|eastern|western|north-eastern|north-western|"
    r"south-eastern|south-western|rural|\w+ern)\s+)*(?:and\s+\w+ern\s+)?"
    r"(?:outskirts|suburbs?|periphery|countryside|countrysides|environs|surroundings|province|"
    r"governorate|region|area|desert|plains|front|frontline)\b",
    re.I,
)
_FACILITY_AFTER = re.compile(
    r"^(?:'s|’s|'|’)?\s*(?:(?:central|main|military|old|new|international|national|civil|"
    r"engineering|artillery|air|army|police|state)\s+)*"
    r"(?:bridge|prison|airport|air\s*base|base|crossing|border\s+crossing|dam|checkpoint|"
    r"hospital|college|academy|barracks|depot|highway|road|roundabout|square|station|plant|"
    r"battalion|brigade|division|headquarters|citadel|castle|field|gate|camp|motorway)\b",
    re.I,
)


@dataclass(slots=True)
class PlaceArg:
    """A place named in a trigger's reach: offsets in the sentence, and its relation."""

    start: int
    end: int
    text: str
    relation: str
    mention: object | None = None  # the PlaceMention (None for an anaphor not yet resolved)


# A nominal trigger governs only the names right after it: "the fall of A and B, ...".
_NOMINAL_STOP = re.compile(
    r"[.;:()]|,(?!\s*(?:and\s+)?(?:the\s+(?:\w+\s+)?(?:city|town|village|villages|towns)\s+of\s+)?[A-Z])|"
    r"\s(?:on|in|at|by|after|before|during|when|as|from|to|near|was|were|had|has|is|are|which|that)\s",
)


def clause_end(text: str, start: int) -> int:
    """Where the clause that starts at `start` ends, looking forward."""
    stop = _FORWARD_STOP.search(text, start)
    return stop.start() if stop else len(text)


def window(text: str, trigger: TriggerMatch) -> tuple[int, int]:
    """The span of the sentence a trigger governs, in sentence offsets."""
    frame = trigger.trigger.frame
    if frame in ("passive", "intransitive"):
        start = 0
        for match in _BACKWARD_START.finditer(text, 0, trigger.start):
            start = match.end()
        return start, trigger.start
    if frame == "nominal" and trigger.trigger.change != "withdrawal":
        stop = _NOMINAL_STOP.search(text, trigger.end)
        return trigger.end, stop.start() if stop else len(text)
    stop = _FORWARD_STOP.search(text, trigger.end)
    return trigger.end, stop.start() if stop else len(text)


def relation(text: str, start: int, end: int, window_start: int, lexicon: Lexicon,
             source: bool = False) -> str:
    """How the place at text[start:end] relates to the trigger whose window starts at window_start.
    `source`: the trigger tells a departure, so "from X" names the place left ("the withdrawal of
    regime forces from X")."""
    before = text[max(window_start, start - 60):start]
    after = text[end:end + 50]
    excluded = _EXCLUDING_BEFORE.search(before)
    if excluded and not (source and re.search(r"\bfrom\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|village)\s+of\s+)?$", before)):
        return EXCLUDED
    if _FACILITY_AFTER.match(after) or _facility_between(text[window_start:start], lexicon):
        return FACILITY
    if _PERIPHERY_BEFORE.search(before) or _PERIPHERY_AFTER.match(after):
        return PERIPHERY
    return DIRECT


_CONTAINER_GAP = re.compile(
    r"^\s*,?\s*(?:(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:overlooking|near|outside|north\s+of|south\s+of|"
    r"east\s+of|west\s+of|in|of)\s+|(?:in|of|near|outside|inside)\s+)(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


def mark_containers(text: str, args: list[PlaceArg]) -> None:
    """"Arida and Jousieh in Al-Qusayr countryside in south-western Homs": a place that only
    locates the one named before it is context (periphery), not a place of the event."""
    for previous, arg in zip(args, args[1:]):
        if arg.relation != EXCLUDED and _CONTAINER_GAP.match(text[previous.end:arg.start]):
            arg.relation = PERIPHERY


LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+as\s+well\s+as\s+)"
                       r"(?:the\s+(?:(?:nearby|neighbouring|neighboring|adjacent|strategic|strategically\s+located|"
                       r"key|small|large)\s+)*(?:villages?|towns?|cit(?:y|ies)|mountains?|hills?|heights|hamlets?)"
                       r"\s+(?:of\s+)?)?$", re.I)


def share_list_relations(text: str, args: list[PlaceArg]) -> None:
    """Items of one list ("A, B and C") stand in one relation to the trigger: the first's."""
    for previous, arg in zip(args, args[1:]):
        gap = text[previous.end:arg.start]
        if previous.relation == EXCLUDED:
            # "a bridge linking Homs and Hama": both ends are landmarks ("with Lebanon, Arida
            # and Jousieh" is an apposition, so only "and" carries the exclusion).
            if re.fullmatch(r"\s+(?:and|or)\s+(?:the\s+)?", gap):
                arg.relation = EXCLUDED
            continue
        usable = previous.mention is not None and getattr(previous.mention, "geo_precision", 1) < 3
        if usable and arg.relation != EXCLUDED and LIST_GAP.match(gap):
            arg.relation = previous.relation


def _facility_between(between: str, lexicon: Lexicon) -> bool:
    """"captured the engineering battalion facility of the SAA on X's outskirts": a site is the
    object, and the town only locates it."""
    words = lexicon.cue_words.get("facility", frozenset())
    tokens = re.findall(r"[a-z]+(?:\s+base)?", between.lower())
    return any(tok in words for tok in tokens) and not re.search(
        r"\b(?:including|the\s+(?:city|town|villages?|towns)\s+of)\b\s*$", between, re.I)


def negated(text: str, trigger: TriggerMatch, lexicon: Lexicon) -> bool:
    """A trigger that is not something that happened: "failed to capture", "in order to cut",
    "had not yet clashed", "plans to storm"."""
    before = text[max(0, trigger.start - 40):trigger.start]
    clause = re.split(r"[,;:]\s", before)[-1]
    if re.search(r"\bto\s*$", clause) and not re.search(
            r"\b(?:due|next|close|prior|according|first|last|only\s+ones?|among\s+the\s+first)\s+to\s*$", clause):
        return True
    return lexicon.cue("negation", clause) is not None


def agent_before(actors: list[ActorMention], text: str, trigger: TriggerMatch, clause_start: int) -> ActorMention | None:
    """The subject of an active trigger: the nearest actor of its clause before it that is not an
    object ("against X", "to stop the X") and not a victim (civilians are never the agent)."""
    # An actor may run into the trigger: "Turkish drone strike" (actor "Turkish drone").
    candidates = [a for a in actors if clause_start <= a.start < trigger.start and a.end <= trigger.end
                  and a.actor.type != "Civilians"]
    subjects = [a for a in candidates if not _is_object(text, a)]
    if subjects:
        return subjects[-1]
    return None


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)


def between_pair(actors: list[ActorMention], text: str, trigger: TriggerMatch) -> tuple[ActorMention, ActorMention] | None:
    """"clashes between the SDF and the Syrian National Army": the two sides of a battle."""
    after = [a for a in actors if a.start >= trigger.end]
    if len(after) >= 2 and _BETWEEN.search(text[trigger.end:after[0].start]) \
            and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[after[0].end:after[1].start], re.I):
        return after[0], after[1]
    return None


def agent_after(actors: list[ActorMention], text: str, trigger: TriggerMatch, stop: int) -> ActorMention | None:
    """The agent of a passive ("captured by X", "fell to X") or the by-phrase of a nominal."""
    for actor in actors:
        if trigger.start <= actor.start < stop + 40:
            lead = text[trigger.start:actor.start].lower()
            if trigger.text.lower().endswith(("by", "to", "of")) or re.search(r"\b(?:by|to)\s+(?:the\s+)?$", lead):
                return actor
    return None


def target_actor(actors: list[ActorMention], text: str, trigger: TriggerMatch, stop: int) -> ActorMention | None:
    """The actor an attack is aimed at: "against X", "on X", "targeting X", or a direct object."""
    for actor in actors:
        if trigger.end <= actor.start <= stop:
            lead = text[trigger.end:actor.start].lower()
            if re.search(r"(?:against|on|at|targeting|targeted|from)\s+(?:the\s+)?(?:positions\s+of\s+)?$", lead) \
                    or not lead.strip() or re.fullmatch(r"\s*(?:the|a|an)\s*", lead):
                return actor
    return None


def _is_object(text: str, actor: ActorMention) -> bool:
    before = text[max(0, actor.start - 25):actor.start].lower()
    return bool(re.search(r"\b(?:against|on|of|from|with|targeting|toward|towards|by|to|at|stop|"
                          r"prevent|halt|slow|block|repel|repelled|fight|fighting)\s+(?:the\s+)?$", before))


def previous_holder(text: str, actors: list[ActorMention], trigger: TriggerMatch, stop: int) -> ActorMention | None:
    """"captured X from government forces": the side that held it."""
    for actor in actors:
        if trigger.end <= actor.start <= stop + 60:
            if re.search(r"\bfrom\s+(?:the\s+)?$", text[max(0, actor.start - 12):actor.start].lower()):
                return actor
    return None
