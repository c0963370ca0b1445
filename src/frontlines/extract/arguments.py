"""How each place a trigger governs relates to the event (the place itself, its edge, a site in
it, or only a landmark), from the words around it; which places a trigger governs comes from the
parse (`frames.py`).

"captured the airport on the outskirts of A": A is the edge (periphery) of a site (facility).
"struck the bridge connecting Hama to Homs": neither town is the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .actors import ActorMention
from .lexicon import Lexicon, TriggerMatch
from .names import KIND_THEN_COMMA

DIRECT, PERIPHERY, FACILITY, EXCLUDED = "direct", "periphery", "facility", "excluded"
LANDMARK = "landmark"  # "180 km east of A": where the place is measured from, used when nothing else is named

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
# Words right before a place that make it a landmark of the event, not its place.
_EXCLUDING_BEFORE = re.compile(
    r"(?:\b(?:(?:leave|left|leaving|head(?:ed|ing)?|bound|fled|flee|fleeing|evacuated|sent|deployed)\s+for|"
    r"(?:authorities|administration|government|officials|leadership|ministry|command|interim\s+government|"
    r"caretaker\s+government)\s+(?:in|of)|"
    r"towards?|into|from|with|between|connecting|linking|to|via|through|across|"
    r"than|like|unlike|since|including\s+those\s+in)\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|village)\s+of\s+)?)$",
    re.I,
)
_PERIPHERY_BEFORE = re.compile(
    r"(?:\b(?:(?:outskirts|suburbs?|periphery|countrysides?|environs|vicinity|edges?|gates|entrances?|"
    r"approaches|parts?|areas?|neighbou?rhoods?)\s+(?:of\s+)?|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:(?:part|parts|side|edge|outskirts|"
    r"suburbs|countryside|neighbou?rhoods|approaches|entrance)\s+)?of\s+|"
    r"(?:outside|near|(?<!the\s)(?<!a\s)nearby|around|close\s+to)\s+|"  # ("the nearby village of A" is A)
    # "captured four villages in A": A only contains what changed hands.
    r"(?:villages|towns|localities|settlements|hamlets|positions|areas|districts|points)\s+"
    r"(?:(?:in|across|around|near)\s+)(?:the\s+)?(?:\w+ern\s+)?(?:(?:countryside|outskirts|part|parts)\s+of\s+)?)"
    r"(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?)$",
    re.I,
)
# (A bare "the A area" is the place A and its fields: "captured the A area" took A; "the
# northern A area" is only near it.)
_PERIPHERY_AFTER = re.compile(
    r"^(?:'s|’s|'|’)?\s*(?:(?:(?:northern|southern|eastern|western|north-eastern|north-western|"
    r"south-eastern|south-western|rural|\w+ern)\s+)+(?:and\s+\w+ern\s+)?area|"
    r"(?:(?:northern|southern|eastern|western|north-eastern|north-western|"
    r"south-eastern|south-western|rural|\w+ern)\s+)*(?:and\s+\w+ern\s+)?"
    r"(?:outskirts|suburbs?|periphery|countryside|countrysides|environs|surroundings|province|"
    r"governorate|region|desert|plains|front|frontline))\b",
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


def clause_end(text: str, start: int) -> int:
    """Where the clause that starts at `start` ends, looking forward."""
    stop = _FORWARD_STOP.search(text, start)
    return stop.start() if stop else len(text)


def relation(text: str, arg: PlaceArg, window_start: int, lexicon: Lexicon, source: bool = False) -> str:
    """How the place `arg` relates to the trigger whose window starts at window_start.
    `source`: the trigger tells a departure, so "from X" names the place left ("the withdrawal of
    regime forces from X").  A site ("the central prison") is itself the place, whatever other
    sites the list names before it."""
    start, end = arg.start, arg.end
    before = text[max(window_start, start - 60):start]
    after = text[end:end + 50]
    excluded = _EXCLUDING_BEFORE.search(before)
    if excluded and not (source and re.search(r"\bfrom\s+(?:the\s+)?(?:(?:\w+\s+)?(?:city|town|village)\s+of\s+)?$", before)):
        return EXCLUDED
    site = getattr(arg.mention, "site", False)
    if not site and (_FACILITY_AFTER.match(after) or _facility_between(text[window_start:start], lexicon)):
        return FACILITY
    if _MEASURED_FROM.search(before):
        return LANDMARK
    if _PERIPHERY_BEFORE.search(before) or _PERIPHERY_AFTER.match(after):
        return PERIPHERY
    return DIRECT


_MEASURED_FROM = re.compile(
    r"\d[\d,.]*\s*(?:km|kilomet(?:re|er)s?|miles?|mi)\b(?:\s*\([^)]*\))?\s+"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?$",
    re.I)


_CONTAINER_GAP = re.compile(
    r"^\s*,?\s*(?:(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:overlooking|near|outside|north\s+of|south\s+of|"
    r"east\s+of|west\s+of|in|(?<!village\s)(?<!town\s)(?<!city\s)(?<!hamlet\s)of)\s+|(?:in|of|near|outside|inside)\s+)"
    r"(?:the\s+)?(?:[\w'’-]+\s+){0,2}$", re.I)


def mark_containers(text: str, args: list[PlaceArg]) -> None:
    """"Arida and Jousieh in Al-Qusayr countryside in south-western Homs": a place that only
    locates the one named before it is context (periphery), not a place of the event."""
    for previous, arg in zip(args, args[1:]):
        if arg.relation == EXCLUDED:
            continue
        if _province_after(text, previous, arg) or _PART_OF_TOWN.fullmatch(text, previous.end, arg.start):
            arg.relation = EXCLUDED  # only where the place before it lies
        elif _CONTAINER_GAP.match(text[previous.end:arg.start]):
            arg.relation = PERIPHERY


# "the Bahri district of Khartoum", "the Salaheddine neighbourhood of Aleppo": the town holds the
# part named before it.
_PART_OF_TOWN = re.compile(r"\s+(?:district|quarter|neighbou?rhood|suburb|area|sector)\s+of\s+(?:the\s+)?"
                           r"(?:(?:city|town)\s+of\s+)?", re.I)


def _province_after(text: str, previous: PlaceArg, arg: PlaceArg) -> bool:
    """"in Hays district, Al Hudaydah": a province after a comma holds the district or town
    before it."""
    if not KIND_THEN_COMMA.fullmatch(text[previous.end:arg.start]) or previous.mention is None or arg.mention is None:
        return False
    inner, outer = previous.mention.place, arg.mention.place
    return (inner is not None and outer is not None and outer.feature_code == "ADM1"
            and (inner.feature_code or "") not in ("ADM1", "PCLI", "PCL"))


LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s+as\s+well\s+as\s+)"
                       r"(?:the\s+(?:(?:nearby|neighbouring|neighboring|adjacent|strategic|strategically\s+located|"
                       r"key|small|large)\s+)*(?:(?:villages?|towns?|cit(?:y|ies)|mountains?|hills?|heights|hamlets?)"
                       r"\s+(?:of\s+)?)?)?$", re.I)


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


_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.I)


def between_pair(actors: list[ActorMention], text: str, trigger: TriggerMatch) -> tuple[ActorMention, ActorMention] | None:
    """"clashes between the SDF and the Syrian National Army": the two sides of a battle."""
    after = [a for a in actors if a.start >= trigger.end]
    if len(after) >= 2 and _BETWEEN.search(text[trigger.end:after[0].start]) \
            and re.fullmatch(r"\s+and\s+(?:the\s+)?", text[after[0].end:after[1].start], re.I):
        return after[0], after[1]
    return None
