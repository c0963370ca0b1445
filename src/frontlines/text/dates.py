"""Temporal expressions: find the date phrases in a string and resolve them against anchors.

`scan` finds every phrase and says what it needs to become a date: an absolute date
("6 December 2024", ISO "2024-12-06"), a day and month waiting for a year ("5 December",
"Dec. 6", "the night of 7/8 December"), a shift from the narrative's current date ("the
next day", "two days later", "by night"), a shift from the publication date ("yesterday",
"last week"), or a weekday ("on Sunday", "late Monday").  `resolve` turns a phrase into a
date and precision given an `Anchor`; `find_time_expressions` is the anchor-free view that
resolves only what the text fixes by itself.

Phrases that measure from another time ("the first since the March 2020 ceasefire",
"since 2012", "as it did in 2016", "for the first time in several years") get
role="reference"; years used as adjectives ("the 2024 Hama offensive") are not phrases.

Choices worth knowing:
- A range ("5–8 December", "the night of 7/8 December") resolves to its first day.
- "early/mid/late December" is the month, dated at its 1st/11th/21st (the first day the
  text allows); "early/mid/late 2016" is the year, dated at 1 Jan/1 May/1 Sep.
- Seasons ("summer 2012") have precision month, dated at the season's first month.
- A counted shift keeps the unit's precision: "two days later" is a day, "a week later"
  is day+7 with precision week (the writer rounds; the analyst should see that), "a
  month later" is a month.  Vague counts ("several days later") are one precision coarser.
- Slashed all-numeric dates ("06/12/2024") are ignored: day-month order is unknowable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import FrontlinesError
from ..model import TimeExpression
from .words import GatedPattern

# ---------------------------------------------------------------------------- lexicons

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Month names that are also everyday words ("may", "march"): only capitalised ones count.
AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar"})

WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3,
    "friday": 4, "saturday": 5, "sunday": 6,
}

# Words naming a part of the day -> the part_of_day value they give.
PARTS_OF_DAY: dict[str, str] = {
    "morning": "morning", "dawn": "morning", "daybreak": "morning", "sunrise": "morning",
    "early hours": "morning", "afternoon": "afternoon", "noon": "afternoon",
    "midday": "afternoon", "evening": "evening", "dusk": "evening", "sunset": "evening",
    "night": "night", "nightfall": "night", "overnight": "night", "midnight": "night",
    "tonight": "night", "small hours": "night",
}
# "early Monday" / "late Monday".
WEEKDAY_MODIFIER_PART: dict[str, str] = {"early": "morning", "late": "evening"}

# Counts in "two days later"; the vague ones make a coarser precision.
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a hundred": 100, "hundred": 100,
    "a couple of": 2, "a few": 3, "few": 3, "several": 3, "some": 3,
}
VAGUE_NUMBERS = frozenset({"a couple of", "a few", "few", "several", "some", ""})

# early/mid/late X: which third of a month (day) or of a year (month) the text allows first.
PERIOD_THIRD: dict[str, int] = {
    "early": 0, "beginning of": 0, "start of": 0, "first half of": 0,
    "mid": 1, "middle of": 1,
    "late": 2, "end of": 2, "second half of": 2,
}
THIRD_FIRST_DAY = (1, 11, 21)
THIRD_FIRST_MONTH = (1, 5, 9)
SECOND_HALF_FIRST_MONTH = 7

SEASONS: dict[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 1}

# Prepositions that make a bare year or month a time ("in 2012", "since December").
TIME_PREPOSITIONS = (
    "in", "since", "by", "until", "till", "from", "during", "throughout", "through",
    "before", "after", "around", "between", "circa", "as of", "last", "for",
)
# Nouns that make "2000" a count, not a year ("by 2000 fighters").
COUNT_NOUNS = (
    "people", "persons", "fighters", "troops", "civilians", "soldiers", "men", "women",
    "children", "families", "residents", "refugees", "rebels", "militants", "members",
    "vehicles", "km", "kilometres", "kilometers", "metres", "meters", "miles", "tons",
    "tonnes", "dollars", "euros", "deaths", "dead", "casualties", "prisoners", "detainees",
)
# Words that, following "the <date>", show the date is a phrase of its own, not an adjective.
NON_NOUN_FOLLOWERS = frozenset(
    """of and or to in on at when as after before until with by for from during was were is
    are had has have the a an that which while where but than""".split()
)

# "48 hours later" is two days on: how many of the unit make a day.
HOURS_PER_UNIT: dict[str, int] = {"hour": 24, "minute": 24 * 60}

PRECISION_RANK: dict[str, int] = {"day": 0, "week": 1, "month": 2, "year": 3}
UNIT_PRECISION: dict[str, str] = {"day": "day", "week": "week", "month": "month", "year": "year"}

# How much a resolved phrase is trusted, by kind, and the discounts for weaker anchors.
KIND_CONFIDENCE: dict[str, float] = {
    "explicit": 1.0, "range": 0.95, "partial": 0.9, "relative": 0.85,
    "weekday": 0.9, "deictic": 0.95, "reference": 0.5,
}
VAGUE_FACTOR = 0.6
YEAR_FROM_PUBLISHED = 0.9
YEAR_FROM_DEFAULT = 0.7
NO_PUBLISHED_FACTOR = 0.6  # weekday/deictic read against the narrative instead
COARSE_ANCHOR_FACTOR = 0.6  # "the next day" after "in July 2018"
PUBLISHED_AS_NARRATIVE = 0.8  # "that day" before the text gave any date
ROLLOVER = timedelta(days=183)  # "2 January" after "28 December 2024" is 2025

YEAR_RE = r"(?:19|20)\d\d"
NUMBER_RE = r"\d{1,3}|" + "|".join(
    sorted((re.escape(w).replace(r"\ ", r"\s+") for w in NUMBER_WORDS), key=len, reverse=True)
)
_PART_WORDS = r"morning|afternoon|evening|night|early\s+hours|small\s+hours|dawn|dusk"


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


MONTH_RE = _alternation(list(MONTHS) + list(MONTH_ABBREVIATIONS))
WEEKDAY_RE = _alternation([w.capitalize() for w in WEEKDAYS] + [w.upper() for w in WEEKDAYS])

# Relative phrases.  anchor: "narrative" (the story's current date) or "published".
# shift: days/weeks/months/years to add (the sign for counted phrases); align: snap to the
# start of the week/month/year ("last month" = the whole previous month).


@dataclass(frozen=True, slots=True)
class Phrase:
    pattern: str
    anchor: str
    unit: str
    shift: int
    counted: bool = False
    align: bool = False
    confidence: float = 1.0
    precision: str | None = None  # when coarser than the unit ("earlier this year": month)
    daypart: bool = False  # only a part of the day ("at dawn", "overnight"): joins a day beside it
    # A span running up to the story's time ("in recent months", "waged a three-week assault"):
    # its start dates the sentence's events, not where the story stands.
    lasting: bool = False


_PARTS = r"morning|afternoon|evening|night"
# What "N days into the offensive" and "earlier in the operation" are measured from.
OPERATION_NOUNS = (
    "offensive", "counteroffensive", "counter-offensive", "operation", "campaign", "assault",
    "invasion", "incursion", "siege", "battle", "war", "push", "attack", "uprising", "fighting",
)
OPERATION_RE = "|".join(sorted(OPERATION_NOUNS, key=len, reverse=True))
# "over a week ago" is at least a week: the latest day it allows is a day further back.
_AT_LEAST = r"(?:just\s+)?over|more\s+than|upwards\s+of"
_ABOUT = r"nearly|almost|about|around|roughly|some|less\s+than|under|barely"
_QUALIFIER = re.compile(rf"^(?:(?P<least>{_AT_LEAST})|(?P<about>{_ABOUT}))\s", re.IGNORECASE)
# "in recent weeks", "over the past few months": a vague count of units before publication.
_RECENT = (r"(?:in|over|during)\s+(?:recent|the\s+(?:past|last)\s+(?:few|several|couple\s+of))\s+"
           r"{unit}|(?:in|over|during)\s+the\s+(?:most\s+)?recent\s+{unit}")
# "late last month": the last third of it.
_THIRD_WORD = re.compile(r"^(early|mid|late)\b", re.IGNORECASE)
PHRASES: tuple[Phrase, ...] = (
    # first: alternation takes the first branch that fits, and "the day before" would win
    Phrase(r"the\s+day\s+before\s+yesterday", "published", "day", -2),
    # the narrative's own day
    Phrase(r"(?:later|earlier)\s+(?:that|the\s+same|in\s+the)\s+day|(?:that|the)\s+(?:very\s+)?"
           r"same\s+(?:day|date)|that\s+(?:very\s+)?day", "narrative", "day", 0),
    Phrase(rf"(?:(?:later|earlier)\s+)?(?:that|the\s+same)\s+(?:same\s+)?(?:{_PARTS})",
           "narrative", "day", 0),
    Phrase(r"by\s+(?:the\s+)?(?:mid-?)?(?:morning|afternoon|evening|night|nightfall|dusk|dawn|"
           r"midday|noon|sunset|sunrise)(?!\s+of\b)|by\s+the\s+end\s+of\s+the\s+day",
           "narrative", "day", 0, daypart=True),
    Phrase(rf"(?:in|during)\s+the\s+(?:early\s+|late\s+)?(?:{_PARTS}|early\s+hours)(?!\s+of\b)|"
           r"at\s+(?:night|dawn|dusk|daybreak|nightfall|midnight|noon|midday|sunrise|sunset)|"
           r"overnight|(?:late|early)\s+in\s+the\s+day", "narrative", "day", 0, daypart=True),
    Phrase(r"meanwhile|in\s+the\s+meantime|at\s+the\s+same\s+time|simultaneously|concurrently|"
           r"at\s+(?:the|that)\s+time|at\s+that\s+point",
           "narrative", "day", 0, confidence=0.9),
    Phrase(r"(?:shortly|soon|immediately|not\s+long|just)\s+(?:after(?:wards?)?|thereafter)|"
           r"(?:moments|minutes|hours)\s+(?:later|after(?:wards)?)", "narrative", "day", 0,
           confidence=0.9),
    # one day on / one day back
    Phrase(rf"the\s+(?:next|following|subsequent)\s+(?:day|{_PARTS})|"
           r"the\s+(?:day|morning|night)\s+after(?:wards)?|(?:a|one)\s+day\s+(?:later|after)",
           "narrative", "day", 1),
    Phrase(rf"the\s+(?:previous|preceding|prior)\s+(?:day|{_PARTS})|"
           r"the\s+(?:day|night|evening)\s+before|(?:a|one)\s+day\s+(?:earlier|before)",
           "narrative", "day", -1),
    # counted shifts
    Phrase(rf"(?:{NUMBER_RE})\s+(?:days?|weeks?|months?|years?|hours?|minutes?)\s+"
           r"(?:later|afterwards?|after)|"
           rf"after\s+(?:{NUMBER_RE})\s+(?:days?|weeks?|months?)(?!\s+of\b)|"
           r"(?:days|weeks|months|years)\s+(?:later|afterwards?|after)", "narrative", "day", 1,
           counted=True),
    Phrase(rf"(?:{NUMBER_RE})\s+(?:days?|weeks?|months?|years?)\s+(?:earlier|previously|prior)",
           "narrative", "day", -1, counted=True),
    # measured from the start of the operation the text named: "ten days into the offensive"
    Phrase(rf"(?:(?:{NUMBER_RE})\s+)?(?:days?|weeks?|months?)\s+into\s+(?:the|its|their|this|that)\s+"
           rf"(?:[\w-]+\s+){{0,2}}?(?:{OPERATION_RE})", "operation", "day", 1, counted=True),
    Phrase(rf"(?:earlier|early)\s+(?:on\s+)?in\s+(?:the|its|their|this|that)\s+(?:[\w-]+\s+){{0,2}}?"
           rf"(?:{OPERATION_RE})|at\s+the\s+(?:start|outset|beginning)\s+of\s+(?:the|its|their|this)\s+"
           rf"(?:[\w-]+\s+){{0,2}}?(?:{OPERATION_RE})", "operation", "day", 0, precision="month"),
    # "have waged a fierce three-week assault": the assault began that long before
    Phrase(rf"(?:waged|fought|mounted|conducted|carried\s+out|pressed|kept\s+up|sustained)\s+(?:a|an)\s+"
           rf"(?:[a-z]+\s+){{0,2}}?(?:{NUMBER_RE})[-\s](?:day|week|month)(?:[-\s]long)?\s+"
           rf"(?:[a-z-]+\s+){{0,2}}?(?:{OPERATION_RE}|bombardment|blitz)", "narrative", "day", -1,
           counted=True, lasting=True),
    Phrase(r"the\s+(?:following|next|subsequent)\s+week", "narrative", "week", 1),
    Phrase(r"the\s+(?:following|next|subsequent)\s+month", "narrative", "month", 1, align=True),
    Phrase(r"the\s+(?:following|next|subsequent)\s+year", "narrative", "year", 1, align=True),
    Phrase(r"the\s+(?:previous|preceding|prior)\s+week", "narrative", "week", -1, align=True),
    Phrase(r"the\s+(?:previous|preceding|prior)\s+month", "narrative", "month", -1, align=True),
    Phrase(r"(?:later|earlier)\s+(?:that|the\s+same)\s+week", "narrative", "week", 0),
    Phrase(r"(?:later|earlier)\s+(?:that|the\s+same)\s+month", "narrative", "month", 0),
    Phrase(r"(?:later|earlier)\s+(?:that|the\s+same)\s+year", "narrative", "year", 0),
    # against the publication date
    Phrase(rf"yesterday(?:\s+(?:{_PARTS}))?|last\s+night", "published", "day", -1),
    Phrase(r"(?:earlier|later)\s+today|today|tonight|this\s+(?:morning|afternoon|evening)|"
           r"(?:in|over|during)\s+the\s+(?:past|last)\s+(?:24|twenty-four)\s+hours",
           "published", "day", 0),
    Phrase(r"(?:earlier|later)\s+this\s+week|this\s+week", "published", "week", 0, align=True),
    Phrase(r"last\s+week", "published", "week", -1, align=True),
    Phrase(r"(?:earlier|later)\s+this\s+month|this\s+month", "published", "month", 0, align=True),
    Phrase(r"(?:early|mid|late)[-\s]+last\s+month", "published", "month", -1, align=True),
    Phrase(r"(?:earlier|later)\s+last\s+month|last\s+month", "published", "month", -1, align=True),
    Phrase(r"(?:earlier|later)\s+this\s+year", "published", "year", 0, align=True,
           precision="month"),
    # "in recent months": a couple of units back, one precision coarser (a vague count)
    Phrase(_RECENT.format(unit="days"), "published", "day", -2, precision="week", lasting=True),
    Phrase(_RECENT.format(unit="weeks"), "published", "week", -2, precision="month", lasting=True),
    Phrase(_RECENT.format(unit="months"), "published", "month", -2, align=True, precision="month",
           lasting=True),
    Phrase(r"this\s+year", "published", "year", 0, align=True),
    Phrase(r"(?:early|mid|late)[-\s]+last\s+year", "published", "year", -1, align=True),
    Phrase(r"last\s+year", "published", "year", -1, align=True),
    Phrase(rf"(?:(?:{_AT_LEAST}|{_ABOUT})\s+)?(?:{NUMBER_RE})\s+(?:days?|weeks?|months?|years?|hours?)"
           r"\s+ago", "published", "day", -1, counted=True),
)

# Text before a phrase that makes it a point of comparison rather than the event's time.
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:ever\s+)?since|\bas\s+(?:\w+\s+){0,2}(?:did|had|was|were|happened|occurred|does)"
    r"\s+(?:back\s+)?(?:in|on|during)|\b(?:as|like|than|unlike)\s+(?:back\s+)?(?:in|on|during)"
    r"|\bcompared\s+(?:with|to)|\bdat(?:ing|es?)\s+(?:back\s+)?(?:to|from))\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_WORD_AFTER = re.compile(r"\s+([A-Za-z][\w'-]*)")
# "DAMASCUS, Dec 8 (Reuters) -": the date of the report, not of what it reports.
_SHIFT_FROM_EVENT = re.compile(r"\b(?:days?|weeks?|months?|hours?)\s+(?:after|before)$", re.I)
_EVENT_NOUN_AFTER = re.compile(r"\s+(?:the|its|their|a)\s+(?!(?:day|night|morning|evening|afternoon|week|month)\b)\w+")
# "two days after the fall of Hama on 5 December": the shift is measured from that date instead.
_DATE_IN_CLAUSE = re.compile(r"[^,.;]{0,60}?\b(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\.?\s+\d{1,2}\b|\d{4})")
_DATELINE_DASH = re.compile(r"\s*(?:\([^)]{1,30}\)\s*)?[-–—]{1,2}\s")
# "WASHINGTON, ", "QAMISHLI, Syria, ", "Beirut, ": a place in capitals, or a place and a comma.
_DATELINE_PLACE = re.compile(r"^\s*(?:[A-Z]{3,}[\w'’./-]*(?:[ /][A-Z][\w'’./-]*)*(?:,\s*[A-Z][\w.'’ -]*)*,?|"
                             r"[A-Z][\w'’./-]*(?:[ /][A-Z][\w'’./-]*)*(?:,\s*[A-Z][\w.'’ -]*)*,)\s*$")
_DATELINE_AFTER = re.compile(r"\s*\([A-Z][\w.&' -]{0,30}\)\s*[-–—:]")
_LETTER_NEXT = re.compile(r"\s[A-Za-z]")  # a word, not a comma, follows
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:" + "|".join(p.replace(" ", r"\s+") for p in TIME_PREPOSITIONS) + r")\s+$",
    re.IGNORECASE,
)
_COUNT_NOUN_AFTER = re.compile(r"\s*(?:" + "|".join(COUNT_NOUNS) + r")\b", re.IGNORECASE)
_PART_OF_DAY = re.compile(
    r"\b(" + "|".join(k.replace(" ", r"\s+") for k in sorted(PARTS_OF_DAY, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_COUNT = re.compile(rf"\b({NUMBER_RE})[\s-]+(day|week|month|year|hour|minute)s?\b", re.IGNORECASE)
_UNIT = re.compile(r"(day|week|month|year)s?\b", re.IGNORECASE)
_BEFORE_WINDOW = 48
# "2014-2017", "2014 – 17": a year that opens a span of years.
_YEAR_RANGE_END = re.compile(r"\s*[-–—]\s*(?:(?:19|20)\d\d|\d\d)\b")
# Words between two coarse dates that make them a period: "from 2015 until March 2023".
_PERIOD_BETWEEN = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*$", re.IGNORECASE)
_PERIOD_OPENS = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.IGNORECASE)
# "the occupation on 2 March", "its capture on", "had seized it on": a date told as past
# already, before the narrative's own time.
_ANTERIOR_BEFORE = re.compile(
    r"(?:\b(?:the|its|their|his|her)\s+[a-z]+(?:ion|ure|ment|al|ing|ault|all|eat|ack)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3})?|\bhad\s+(?:been\s+)?"
    r"[a-z]+(?:\s+[a-z]+){0,6}?)\s+(?:on|in)\s+(?:the\s+)?$")
# "will meet on Tuesday": a weekday ahead of the publication date.
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|shall|(?:is|are)\s+(?:expected|due|scheduled|set|going|planned)\s+to|plans?\s+to|"
    r"(?:planned|scheduled|set)\s+for)\b[^.;,]{0,40}$", re.IGNORECASE)
_ABBREVIATION_END = re.compile(
    r"\b(?:" + "|".join(MONTH_ABBREVIATIONS) + r")\.$", re.IGNORECASE
)

# ------------------------------------------------------------------------------ patterns

_FLAGS = re.IGNORECASE
_RANGE_SEP = r"\s*(?:–|—|-|/|to|and|until|till|through)\s*"
_ORD = r"(?:st|nd|rd|th)?"
_MODIFIER = r"early|mid|late|end\s+of|beginning\s+of|start\s+of|middle\s+of|first\s+half\s+of" \
    r"|second\s+half\s+of"
# Each pattern starts with something the regex engine can skip to quickly (a digit, or a
# lookahead on first letters); the optional words before it ("the night of", "early",
# "Sunday,") are read backwards from the match by the *_BEFORE patterns.
_MONTH_START = r"(?=[ADFJMNOSadfjmnos])\b"

_ISO = re.compile(rf"(?<![\d-])(?P<y>{YEAR_RE})-(?P<mo>[01]\d)-(?P<d1>[0-3]\d)(?![\d-])")
_DAY_MONTH = re.compile(
    rf"(?<![\d/.,:-])(?P<d1>\d\d?){_ORD}(?:{_RANGE_SEP}(?:the\s+)?(?P<d2>\d\d?){_ORD})?"
    rf"(?P<of>\s+of)?\s+(?P<m>{MONTH_RE})\b\.?(?:,?\s+(?P<y>{YEAR_RE})\b)?",
    _FLAGS,
)
_DAY_MONTH_RANGE = re.compile(
    rf"(?<![\d/.,:-])(?P<d1>\d\d?){_ORD}\s+(?P<m>{MONTH_RE})\b\.?{_RANGE_SEP}"
    rf"(?P<d2>\d\d?){_ORD}\s+(?P<m2>{MONTH_RE})\b\.?(?:,?\s+(?P<y>{YEAR_RE})\b)?",
    _FLAGS,
)
_MONTH_DAY = re.compile(
    rf"{_MONTH_START}(?P<m>{MONTH_RE})\b\.?\s+(?P<d1>\d\d?){_ORD}(?![\d:])"
    rf"(?:\s*(?:–|—|-|to|and|until|through)\s*(?:(?P<m2>{MONTH_RE})\b\.?\s+)?"
    rf"(?P<d2>\d\d?){_ORD}(?![\d:]))?(?:,?\s+(?P<y>{YEAR_RE})\b)?",
    _FLAGS,
)
_MONTH_RANGE = re.compile(
    rf"{_MONTH_START}(?P<m>{MONTH_RE})\b\.?\s*(?:–|—|-|to|and|until|till|through)\s*"
    rf"(?P<m2>{MONTH_RE})\b\.?,?\s+(?:of\s+)?(?P<y>{YEAR_RE})\b",
    _FLAGS,
)
_MONTH_YEAR = re.compile(
    rf"{_MONTH_START}(?P<m>{MONTH_RE})\b(?!\.?\s*\d\d?(?!\d))\.?"
    rf"(?:,?\s+(?:of\s+)?(?P<y>{YEAR_RE})\b|\s+(?P<rel>last|this|next)\s+year\b)?",
    _FLAGS,
)
_YEAR = re.compile(
    rf"(?<![\d,.$£€/])(?P<y>{YEAR_RE})(?!\d|,\d|/|\.\d|s\b|['’]s\b)\b",
    _FLAGS,
)
_SEASON = re.compile(
    r"(?=[SsAaWwFf])\b(?P<season>spring|summer|autumn|winter|fall(?!\s+of))\s+(?:of\s+)?"
    rf"(?P<y>{YEAR_RE})\b",
    _FLAGS,
)
# "this summer", "last winter": the most recent such season, at month precision.
_SEASON_RELATIVE = re.compile(
    r"(?=[TtLl])\b(?:this|last|past)\s+(?P<season>spring|summer|autumn|winter|fall)\b(?!\s+(?:of\s+)?\d)",
    _FLAGS,
)
_ORDINAL_DAY = re.compile(
    # starts at "the", so the engine skips to it quickly
    rf"(?=the\s)(?:(?:(?<=\bon\s)|(?<=\bby\s)|(?<=\buntil\s)|(?<=\btill\s)|(?<=\bfrom\s)|(?<=\bsince\s))"
    rf"the\s+(?P<d1>\d\d?)(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:{MONTH_RE})\b)"
    r"(?=\s*(?:[,.;:)]|$))"
    # "the night of 7/8", "the night of the 7th": a night of the narrative's month
    rf"|(?P<pod>the\s+(?:(?:early|late)\s+)?(?:{_PART_WORDS})\s+of\s+)(?:the\s+)?"
    rf"(?P<d0>\d\d?)(?:st|nd|rd|th)?(?:\s*[/–-]\s*\d\d?(?:st|nd|rd|th)?)?\b"
    rf"(?!\s*(?:of\s+)?(?:{MONTH_RE})\b)(?![/\d]))",
    _FLAGS,
)
# Weekday names are matched case-sensitively ("Sunday", not "sunday") to avoid titles.
_WEEKDAY = re.compile(
    rf"(?=[MTWFS])\b(?P<wd>{WEEKDAY_RE})\b(?:['’]s\b)?(?:\s+(?P<pod>(?i:{_PARTS})))?"
)
_PHRASES = re.compile(
    r"\b(?:" + "|".join(f"(?P<p{i}>{p.pattern})" for i, p in enumerate(PHRASES)) + r")\b",
    _FLAGS,
)
_FIRST_TIME_IN = re.compile(
    rf"\b(?:for\s+)?the\s+first\s+time\s+in\s+(?:(?:{NUMBER_RE}|many|over\s+a|more\s+than\s+"
    rf"(?:a|{NUMBER_RE}))\s+)?(?:years?|months?|decades?|weeks?)\b",
    _FLAGS,
)

# Words read backwards from a match (each ends at the match, `(?<!\w)` keeps whole words).
_DATE_BEFORE = re.compile(
    rf"(?<!\w)(?P<pod>(?:the\s+)?(?:(?:early|late)\s+)?(?:{_PART_WORDS})\s+of\s+)?"
    rf"(?:(?P<wd>{_alternation(list(WEEKDAYS))}),?\s+)?(?P<the>the\s+)?$",
    _FLAGS,
)
_MODIFIER_BEFORE = re.compile(
    rf"(?<!\w)(?:the\s+)?(?P<mod>{_MODIFIER})(?:[-\s]+(?:the\s+month\s+)?of)?[-\s]+$", _FLAGS
)
_SEASON_MODIFIER_BEFORE = re.compile(r"(?<!\w)(?:the\s+)?(?P<mod>early|mid|late)[-\s]+$", _FLAGS)
_WEEKDAY_BEFORE = re.compile(
    rf"(?<!\w)(?P<pod>(?:the\s+)?(?:(?:early|late)\s+)?(?:{_PART_WORDS})\s+of\s+)?"
    r"(?:(?P<rel>last|next|this|past)\s+)?(?:(?P<mod>early|late)\s+)?$",
    _FLAGS,
)
_PREFIX_WINDOW = 40
_PHRASE_REACH = 36  # how far before its key word a relative phrase can start
# The backward patterns are slow to search; they only run when the word just before the
# match is one they could end with.
DATE_PREFIX_TAILS = frozenset({"of", "the"}) | WEEKDAYS.keys()
MODIFIER_TAILS = frozenset({"early", "mid", "late", "of"})
WEEKDAY_PREFIX_TAILS = frozenset({"last", "next", "this", "past", "early", "late", "of"})
REFERENCE_TAILS = frozenset({"since", "in", "on", "during", "to", "from", "with", "the"})
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her"})
PREPOSITION_TAILS = frozenset(p.split()[-1] for p in TIME_PREPOSITIONS)

# Which words a text must hold for a pattern to be worth running (the gates of `_MATCHERS`).
MONTH_WORDS = frozenset(MONTHS) | frozenset(MONTH_ABBREVIATIONS)
WEEKDAY_WORDS = frozenset(WEEKDAYS)
SEASON_WORDS = frozenset(SEASONS)
ORDINAL_DAY_WORDS = frozenset({"on", "by", "until", "till", "from", "since", "of"})
PHRASE_WORDS = frozenset(
    """day days night morning afternoon evening nightfall dusk dawn midday noon sunset sunrise
    daybreak midnight overnight hour hours minutes moments meanwhile meantime same
    simultaneously concurrently after afterwards afterward thereafter later earlier before
    waged fought mounted conducted pressed sustained
    previously prior week weeks month months year years yesterday today tonight ago into start
    outset beginning""".split()
)
_LETTERS = re.compile(r"[a-z]+")
_ASCII_WORD = re.compile(r"[A-Za-z]+")
_WORD_START = re.compile(r"\b\w")
_DIGIT = re.compile(r"\d")
_CHUNK = 4096  # longer texts are scanned paragraph by paragraph, so the gates stay selective
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


# ------------------------------------------------------------------------------ phrases


@dataclass(slots=True)
class TimePhrase:
    """A phrase found in text and what resolving it needs.

    Absolute pieces (year/month/day) come from the text; `anchor` says what a relative
    phrase is measured from ("narrative", "published", or None for calendar dates).
    """

    start: int
    end: int
    text: str
    # explicit | partial | range | relative | deictic | weekday | reference ("invalid": internal)
    kind: str
    precision: str | None = None
    role: str = "event"
    part_of_day: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    anchor: str | None = None
    unit: str = "day"
    shift: int = 0
    align: bool = False
    weekday: int | None = None
    direction: str | None = None  # weekday: "last" | "next" | None; month: "last"|"this"|"next"
    confidence: float = 1.0
    # "two days after the fall of Hama on 5 December": measured from the date that follows
    governs: bool = False
    days_after: int = 0  # added last: "over a week ago" (-1), "late last month" (+20)
    # Told as before the narrative's time: "the occupation on 2 March", "had taken it on 2 March".
    anterior: bool = False
    daypart: bool = False  # "at dawn", "overnight": a part of the narrative's day, no day of its own
    # The first date in a relative clause: it dates what the clause tells of its noun, not
    # the sentence.  "name" after a proper name ("Bakhmut, which it captured last May"): never
    # the sentence's date; "noun" after a common noun ("a siege that ended in 2014"): only
    # when the sentence has no other.
    subordinate: str | None = None
    lasting: bool = False  # "in recent weeks", "waged a three-week assault": a span up to the story's time

    @property
    def absolute(self) -> bool:
        return self.kind in ("explicit", "partial", "range")

    def expression(self, value: date | None = None, precision: str | None = None) -> TimeExpression:
        return TimeExpression(
            start=self.start,
            end=self.end,
            text=self.text,
            value=value,
            precision=precision or self.precision,
            kind=self.kind,
            role=self.role,
            part_of_day=self.part_of_day,
        )


@dataclass(slots=True)
class Anchor:
    """What relative phrases resolve against: the narrative's date, the publication date,
    the year a yearless date belongs to, and the last-resort year."""

    narrative: date | None = None
    narrative_precision: str | None = None
    published: date | None = None
    year: int | None = None
    default_year: int | None = None
    operation: date | None = None  # when the operation the text tells of began


@dataclass(slots=True)
class Resolved:
    """A phrase with its date."""

    phrase: TimePhrase
    value: date | None
    precision: str | None
    confidence: float

    def expression(self) -> TimeExpression:
        return self.phrase.expression(self.value, self.precision)


# ------------------------------------------------------------------------------- finding


def find_time_expressions(text: str, offset: int = 0) -> list[TimeExpression]:
    """The temporal phrases of `text`; calendar dates with a year come resolved, the others
    (yearless, relative, weekday) with value None.  Offsets are `offset` + position."""
    out = []
    for phrase in scan(text, offset):
        value = _calendar(phrase.year, phrase.month, phrase.day) if phrase.year else None
        out.append(phrase.expression(value))
    return out


def scan(text: str, offset: int = 0) -> list[TimePhrase]:
    """Every temporal phrase in `text`, in order, overlaps resolved to the longest."""
    if not isinstance(text, str):
        raise FrontlinesError(f"expected text, got {type(text).__name__}")
    if len(text) <= _CHUNK:
        return _scan_chunk(text, offset)
    found: list[TimePhrase] = []
    begin = 0
    for brk in _PARAGRAPH_BREAK.finditer(text):
        found.extend(_scan_chunk(text[begin:brk.start()], offset + begin))
        begin = brk.end()
    found.extend(_scan_chunk(text[begin:], offset + begin))
    return found


def _scan_chunk(text: str, offset: int) -> list[TimePhrase]:
    if not text:
        return []
    words = frozenset(_LETTERS.findall(text.lower()))
    digit = _DIGIT.search(text) is not None
    candidates: list[tuple[int, int, int, TimePhrase]] = []
    for order, (find, build, gate) in enumerate(_MATCHERS):
        if not gate(words, digit):
            continue
        for match in find(text):
            phrase = build(match, text)
            if phrase is not None:
                candidates.append((phrase.start, -(phrase.end - phrase.start), order, phrase))
    chosen = _join_dayparts([p for p in _longest_first(candidates) if p.kind != "invalid"], text)
    _mark_periods(chosen, text)
    _mark_relative_clauses(chosen, text)
    for phrase in chosen:
        _mark_governing(phrase, text)
        phrase.start += offset
        phrase.end += offset
    return chosen


def _longest_first(candidates: list[tuple[int, int, int, TimePhrase]]) -> list[TimePhrase]:
    """Non-overlapping phrases: where two overlap, the longer (then the earlier matcher) wins."""
    candidates.sort(key=lambda c: c[:3])
    chosen: list[TimePhrase] = []
    for _, _, _, phrase in candidates:
        if chosen and phrase.start < chosen[-1].end:
            last = chosen[-1]
            if phrase.end - phrase.start > last.end - last.start:
                chosen[-1] = phrase
            continue
        chosen.append(phrase)
    return chosen


# What may stand between a part of the day and the day it belongs to: "at dawn on Monday",
# "yesterday at midnight", "overnight Saturday", "on 5 December, in the morning".
_DAYPART_GAP = re.compile(r"\s*,?\s*(?:on\s+)?(?:the\s+)?$", re.IGNORECASE)


# A relative clause still open where a phrase starts: "which"/"who", or "that" before a verb;
# `noun` is the word it hangs on.
_RELATIVE_CLAUSE = GatedPattern(re.compile(
    r"(?P<noun>[\w'’-]+)\W{0,3}\s(?:(?:which|who|whom)\b|that\s+(?:had|has|have|was|were|began|"
    r"started|erupted|broke|took|fell|came|ended|followed|preceded)\b)[^,;:()–—\"“”]*$",
    re.IGNORECASE), {"which", "who", "whom", "that"})


# "A, the capital of the province, which ...": a clause on a name's apposition is on the name.
_APPOSITION_OF_NAME = re.compile(r"[A-Z][\w'’-]*,\s+(?:the|a|an)\s+[^,;:()]*$")


def _mark_relative_clauses(phrases: list[TimePhrase], text: str) -> None:
    """The first phrase inside a relative clause is the clause's own time (a restrictive
    clause has no comma to end it: a later phrase is taken to be the main clause's again)."""
    opened = -1
    for phrase in phrases:
        found = _RELATIVE_CLAUSE.search(text, max(0, phrase.start - 120), phrase.start)
        if found is None or found.start("noun") < opened:
            continue
        opened = phrase.start
        noun = found.group("noun")
        named = (noun[:1].isupper() and found.start() > 0) or _APPOSITION_OF_NAME.search(
            text, max(0, found.start("noun") - 80), found.end("noun")) is not None
        phrase.subordinate = "name" if named else "noun"


def _names_a_day(phrase: TimePhrase) -> bool:
    if phrase.daypart or phrase.precision != "day":
        return False
    return phrase.kind in ("explicit", "partial", "range", "weekday") or phrase.unit == "day"


def _join_dayparts(phrases: list[TimePhrase], text: str) -> list[TimePhrase]:
    """"at dawn on Monday", "at midnight yesterday": a bare part of the day right beside a
    phrase naming the day is that day's part, not the narrative's current day."""
    out: list[TimePhrase] = []
    for phrase in phrases:
        last = out[-1] if out else None
        if last is not None and _DAYPART_GAP.match(text[last.end:phrase.start]) \
                and (last.daypart != phrase.daypart):
            part, day = (last, phrase) if last.daypart else (phrase, last)
            if _names_a_day(day):
                day.part_of_day = day.part_of_day or part.part_of_day
                day.start, day.end = last.start, phrase.end
                day.text = text[day.start:day.end]
                out[-1] = day
                continue
        out.append(phrase)
    return out


def _mark_periods(phrases: list[TimePhrase], text: str) -> None:
    """"from 2015 until March 2023", "between 2012 and 2016": a span of months or years is a
    state of affairs (how long someone held a place), not the time of an event."""
    for first, second in zip(phrases, phrases[1:]):
        coarse = first.precision in ("month", "year") and second.precision in ("month", "year")
        if coarse and first.absolute and second.absolute \
                and _PERIOD_BETWEEN.match(text[first.end:second.start]) \
                and _PERIOD_OPENS.search(text, max(0, first.start - 16), first.start):
            first.role = second.role = "reference"


def _mark_governing(phrase: TimePhrase, text: str) -> None:
    """"two days after the capture of X" (no comma): the shift is from the event named next."""
    if phrase.anchor != "narrative" or not phrase.text.lower().endswith(("after", "before")):
        return
    phrase.governs = _LETTER_NEXT.match(text, phrase.end) is not None


# -------------------------------------------------------------------------------- builders


def _month_number(token: str) -> int | None:
    key = token.lower().rstrip(".")
    if key in AMBIGUOUS_MONTHS and token[:1].islower():
        return None
    return MONTHS.get(key) or MONTH_ABBREVIATIONS.get(key)


def _calendar(year: int | None, month: int | None, day: int | None) -> date | None:
    """A valid date or None ("31 February" is skipped, not an error)."""
    if year is None or month is None:
        return None
    try:
        return date(year, month, day or 1)
    except (ValueError, OverflowError):
        return None


def _valid_day(month: int, day: int) -> bool:
    return _calendar(2024, month, day) is not None  # a leap year: "29 February" may be valid


def _part_of_day(words: str | None) -> str | None:
    if not words:
        return None
    found = _PART_OF_DAY.search(words)
    return PARTS_OF_DAY.get(re.sub(r"\s+", " ", found.group(1).lower())) if found else None


def _tail(text: str, start: int) -> str:
    """The word just before `start`, lower-cased ("" if none)."""
    chunk = text[max(0, start - 24):start].rstrip(" \t\n,-")
    cut = len(chunk)
    while cut and chunk[cut - 1].isalpha():
        cut -= 1
    return chunk[cut:].lower()


def _role(text: str, start: int, end: int, inner_determiner: bool = False) -> str:
    """"reference" when the phrase is measured from ("since 2012"), names another event by
    its date ("the March 2020 Idlib ceasefire") or dates a wire dateline; else "event"."""
    tail = _tail(text, start)
    window = max(0, start - _BEFORE_WINDOW)
    if tail in REFERENCE_TAILS and _REFERENCE_BEFORE.search(text, window, start):
        return "reference"
    if text[end:end + 1] in (" ", "(") and _DATELINE_AFTER.match(text, end):
        return "reference"
    if _SHIFT_FROM_EVENT.search(text[start:end]) and _EVENT_NOUN_AFTER.match(text, end) \
            and not _DATE_IN_CLAUSE.match(text, end):
        return "reference"  # "five days after the fall of Aleppo": measured from another event
    if start < 60 and _DATELINE_DASH.match(text, end) and _DATELINE_PLACE.match(text[:start]):
        return "reference"  # "QAMISHLI, Syria, Dec 6 - ...": when the story was filed
    if inner_determiner or tail in DETERMINERS:
        following = _WORD_AFTER.match(text, end)
        if following and following.group(1).lower() not in NON_NOUN_FOLLOWERS:
            return "reference"
    return "event"


def _before(
    pattern: re.Pattern[str], tails: frozenset[str], text: str, start: int
) -> tuple[int, dict[str, str | None]]:
    """Where the optional words before a match begin, and what they were."""
    if _tail(text, start) not in tails:
        return start, {}
    found = pattern.search(text, max(0, start - _PREFIX_WINDOW), start)
    if found is None or found.start() == start:
        return start, {}
    return found.start(), found.groupdict()


def _after_preposition(text: str, start: int) -> bool:
    """"in 2012", "since December", "as of May": a preposition of time just before."""
    if _tail(text, start) not in PREPOSITION_TAILS:
        return False
    return _PREPOSITION_BEFORE.search(text, max(0, start - _BEFORE_WINDOW), start) is not None


def _span(match: re.Match[str], text: str, start: int | None = None) -> tuple[int, int, str]:
    begin = match.start() if start is None else start
    end = match.end()
    while end > begin and text[end - 1] in " ,":
        end -= 1
    if text[end - 1:end] == "." and not _ABBREVIATION_END.search(text, begin, end):
        end -= 1  # a sentence's full stop, not "Dec."
    return begin, end, text[begin:end]


def _build_iso(match: re.Match[str], text: str) -> TimePhrase | None:
    year, month, day = int(match["y"]), int(match["mo"]), int(match["d1"])
    if _calendar(year, month, day) is None:
        return _invalid(match, text)
    start, end, phrase = _span(match, text)
    return TimePhrase(start, end, phrase, "explicit", "day", year=year, month=month, day=day,
                      role=_role(text, start, end))


def _build_day_month(match: re.Match[str], text: str) -> TimePhrase | None:
    groups = match.groupdict()
    month = _month_number(match["m"])
    day = int(match["d1"])
    if month is None:
        return None
    year = int(match["y"]) if match["y"] else None
    if not _valid_day(month, day) or (year is not None and _calendar(year, month, day) is None):
        return _invalid(match, text)  # "31 February 2024": no date, and not "February 2024"
    second = groups.get("d2")
    if second is not None and not 0 < int(second) <= 31:
        return None
    month2 = groups.get("m2")
    if month2 and _month_number(month2) is None:
        return None
    if year is not None and month2 and (_month_number(month2) or 0) < month:
        year -= 1  # "30 December – 2 January 2025" starts in 2024
    begin, prefix = _before(_DATE_BEFORE, DATE_PREFIX_TAILS, text, match.start())
    start, end, phrase = _span(match, text, begin)
    pod = prefix.get("pod")
    kind = "range" if second or (pod and "/" in phrase) else ("explicit" if year else "partial")
    # "the 5 December attack" names an event; "the 6th of December" and "the night of" do not.
    determiner = bool(prefix.get("the")) and not groups.get("of") and not pod
    return TimePhrase(
        start, end, phrase, kind, "day", year=year, month=month, day=day,
        part_of_day=_part_of_day(pod),
        role=_role(text, start, end, determiner),
        confidence=KIND_CONFIDENCE[kind],
        anterior=year is None and _ANTERIOR_BEFORE.search(text, max(0, start - 60), start) is not None,
    )


def _invalid(match: re.Match[str], text: str) -> TimePhrase:
    """A placeholder that keeps shorter readings out of an impossible date's span."""
    start, end, phrase = _span(match, text)
    return TimePhrase(start, end, phrase, "invalid")


def _build_month_year(match: re.Match[str], text: str) -> TimePhrase | None:
    groups = match.groupdict()
    token = match["m"]
    month = _month_number(token)
    if month is None:
        return None
    year = int(match["y"]) if match["y"] else None
    second = _month_number(groups["m2"]) if groups.get("m2") else None
    if groups.get("m2") and second is None:
        return None
    if year is not None and second is not None and second < month:
        year -= 1  # "November to February 2015" starts in 2014
    begin, prefix = _before(_MODIFIER_BEFORE, MODIFIER_TAILS, text, match.start())
    modifier = _modifier(prefix.get("mod"))
    tail = _tail(text, begin)
    direction = groups["rel"].lower() if groups.get("rel") else None
    if tail == "last" and direction is None and year is None:
        direction = "last-month"  # "last December": the most recent December before publication
    if year is None:
        # A yearless month is a time only as "early December", "in December", "last December".
        if token.lower().rstrip(".") not in MONTHS:
            return None
        if not modifier and not direction and not _after_preposition(text, begin):
            return None
    day = THIRD_FIRST_DAY[PERIOD_THIRD[modifier]] if modifier else 1
    start, end, phrase = _span(match, text, begin)
    kind = "range" if second else ("explicit" if year else "partial")
    return TimePhrase(
        start, end, phrase, kind, "month", year=year, month=month, day=day,
        direction=direction, anchor="published" if direction else None,
        role=_role(text, start, end), confidence=KIND_CONFIDENCE[kind],
    )


def _build_year(match: re.Match[str], text: str) -> TimePhrase | None:
    begin, prefix = _before(_MODIFIER_BEFORE, MODIFIER_TAILS, text, match.start())
    modifier = _modifier(prefix.get("mod"))
    if not modifier and (text[begin - 1:begin] == "-" or not _after_preposition(text, begin)):
        return None  # "the 2024 Hama offensive", "2019-2020": not a time of its own
    if _COUNT_NOUN_AFTER.match(text, match.end()):
        return None  # "by 2000 fighters"
    span_role = "reference" if _YEAR_RANGE_END.match(text, match.end()) else None
    if modifier == "second half of":
        month = SECOND_HALF_FIRST_MONTH
    else:
        month = THIRD_FIRST_MONTH[PERIOD_THIRD[modifier]] if modifier else 1
    start, end, phrase = _span(match, text, begin)
    return TimePhrase(start, end, phrase, "explicit", "year", year=int(match["y"]), month=month,
                      day=1, role=span_role or _role(text, start, end))


def _build_season(match: re.Match[str], text: str) -> TimePhrase | None:
    month = SEASONS[match["season"].lower()]
    begin, prefix = _before(_SEASON_MODIFIER_BEFORE, MODIFIER_TAILS, text, match.start())
    if prefix.get("mod"):
        month = min(12, month + PERIOD_THIRD[prefix["mod"].lower()])
    start, end, phrase = _span(match, text, begin)
    return TimePhrase(start, end, phrase, "explicit", "month", year=int(match["y"]), month=month,
                      day=1, role=_role(text, start, end), confidence=0.7)


def _build_recent_season(match: re.Match[str], text: str) -> TimePhrase | None:
    start, end, phrase = _span(match, text)
    return TimePhrase(start, end, phrase, "partial", "month", month=SEASONS[match["season"].lower()],
                      day=1, direction="last-month", anchor="published",
                      role=_role(text, start, end), confidence=0.7)


def _modifier(words: str | None) -> str | None:
    return re.sub(r"\s+", " ", words.lower()) if words else None


def _build_ordinal_day(match: re.Match[str], text: str) -> TimePhrase | None:
    day = int(match["d1"] or match["d0"])
    if not 1 <= day <= 31:
        return None
    start, end, phrase = _span(match, text)
    return TimePhrase(start, end, phrase, "partial", "day", day=day, anchor="narrative",
                      part_of_day=_part_of_day(match["pod"]), role=_role(text, start, end),
                      confidence=0.8)


def _build_weekday(match: re.Match[str], text: str) -> TimePhrase | None:
    begin, prefix = _before(_WEEKDAY_BEFORE, WEEKDAY_PREFIX_TAILS, text, match.start())
    start, end, phrase = _span(match, text, begin)
    modifier = (prefix.get("mod") or "").lower()
    part = (_part_of_day(match["pod"]) or _part_of_day(prefix.get("pod"))
            or WEEKDAY_MODIFIER_PART.get(modifier))
    relation = (prefix.get("rel") or "").lower()
    direction = {"last": "last", "past": "last", "next": "next"}.get(relation)
    if direction is None and _FUTURE_BEFORE.search(text, max(0, start - 60), start):
        direction = "next"
    return TimePhrase(
        start, end, phrase, "weekday", "day", weekday=WEEKDAYS[match["wd"].lower()],
        anchor="published", direction=direction, part_of_day=part,
        role=_role(text, start, end), confidence=KIND_CONFIDENCE["weekday"],
    )


# "over the weekend", "last weekend": the Saturday before the publication date (the day either
# side of it is within a day of Sunday too).
_WEEKEND = re.compile(r"\b(?:(?:over|during|at|on)\s+the\s+weekend|(?:this|last|the\s+past)\s+weekend)\b",
                      re.IGNORECASE)


def _build_weekend(match: re.Match[str], text: str) -> TimePhrase | None:
    start, end, phrase = _span(match, text)
    direction = "last" if re.match(r"(?:last|the\s+past)\b", phrase, re.IGNORECASE) else None
    return TimePhrase(start, end, phrase, "weekday", "day", weekday=WEEKDAYS["saturday"], anchor="published",
                      direction=direction, role=_role(text, start, end), confidence=KIND_CONFIDENCE["weekday"])


def _weekend_word(words: frozenset[str], digit: bool) -> bool:
    return "weekend" in words


def _build_phrase(match: re.Match[str], text: str) -> TimePhrase | None:
    spec = PHRASES[int(match.lastgroup[1:])] if match.lastgroup else None
    if spec is None:
        return None
    start, end, phrase = _span(match, text)
    unit, shift, confidence = spec.unit, spec.shift, spec.confidence
    precision = spec.precision or spec.unit
    days_after = 0
    if spec.counted:
        counted = _count(phrase)
        if counted is None:
            return None
        number, unit, vague = counted
        if unit in HOURS_PER_UNIT:  # "48 hours later": whole days; "several hours later": same day
            number, unit, vague = number // HOURS_PER_UNIT[unit], "day", False
        qualifier = _QUALIFIER.match(phrase)
        if qualifier and qualifier["least"]:
            days_after = spec.shift  # "over a week ago": a day further than the week
        shift *= number
        precision = _coarser(unit) if vague or qualifier else unit
        confidence *= VAGUE_FACTOR if vague else 1.0
    elif spec.align and spec.unit in ("month", "year") and _THIRD_WORD.match(phrase):
        days_after = _third_offset(_THIRD_WORD.match(phrase).group(1), spec.unit)
        precision = "month"
    kind = "relative" if spec.anchor in ("narrative", "operation") else "deictic"
    return TimePhrase(
        start, end, phrase, kind, UNIT_PRECISION[precision], anchor=spec.anchor, unit=unit,
        shift=shift, align=spec.align, part_of_day=_part_of_day(phrase),
        role=_role(text, start, end), confidence=KIND_CONFIDENCE[kind] * confidence,
        days_after=days_after, daypart=spec.daypart, lasting=spec.lasting,
    )


def _third_offset(word: str, unit: str) -> int:
    """Days from the first of a month (year) to the first day "mid"/"late" allows."""
    third = PERIOD_THIRD[word.lower()]
    if unit == "month":
        return THIRD_FIRST_DAY[third] - 1
    return (date(2001, THIRD_FIRST_MONTH[third], 1) - date(2001, 1, 1)).days


def _count(phrase: str) -> tuple[int, str, bool] | None:
    """(number, unit, vague) of "two days later", "several weeks earlier", "days later"."""
    found = _COUNT.search(phrase)
    if found:
        word = re.sub(r"\s+", " ", found.group(1).lower())
        number = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if number is None or number > 400:
            return None
        return number, found.group(2).lower(), word in VAGUE_NUMBERS
    bare = _UNIT.search(phrase)
    if bare is None:
        return None
    return 2, bare.group(1).lower(), True  # "days later": a couple, roughly


def _build_first_time(match: re.Match[str], text: str) -> TimePhrase | None:
    start, end, phrase = _span(match, text)
    return TimePhrase(start, end, phrase, "reference", None, role="reference",
                      confidence=KIND_CONFIDENCE["reference"])


def _coarser(precision: str) -> str:
    order = list(PRECISION_RANK)
    return order[min(len(order) - 1, PRECISION_RANK[precision] + 1)]


def _any_digit(words: frozenset[str], digit: bool) -> bool:
    return digit


def _day_and_month(words: frozenset[str], digit: bool) -> bool:
    return digit and not words.isdisjoint(MONTH_WORDS)


def _month_word(words: frozenset[str], digit: bool) -> bool:
    return not words.isdisjoint(MONTH_WORDS)


def _season_year(words: frozenset[str], digit: bool) -> bool:
    return digit and not words.isdisjoint(SEASON_WORDS)


def _season_word(words: frozenset[str], digit: bool) -> bool:
    return not words.isdisjoint(SEASON_WORDS)


def _ordinal_on(words: frozenset[str], digit: bool) -> bool:
    return digit and not words.isdisjoint(ORDINAL_DAY_WORDS)


def _weekday_word(words: frozenset[str], digit: bool) -> bool:
    return not words.isdisjoint(WEEKDAY_WORDS)


def _phrase_word(words: frozenset[str], digit: bool) -> bool:
    return not words.isdisjoint(PHRASE_WORDS)


def _first_word(words: frozenset[str], digit: bool) -> bool:
    return "first" in words


def _phrase_matches(text: str) -> Iterator[re.Match[str]]:
    """Relative phrases, tried only at the few word starts just before a key word ("day",
    "after", "yesterday"): one big alternation run over every position is slow."""
    tried: set[int] = set()
    for word in _ASCII_WORD.finditer(text):  # on the text itself: lower() may move offsets
        if word.group().lower() not in PHRASE_WORDS:
            continue
        for start in _WORD_START.finditer(text, max(0, word.start() - _PHRASE_REACH), word.end()):
            position = start.start()
            if position in tried:
                continue
            tried.add(position)
            found = _PHRASES.match(text, position)
            if found is not None:
                yield found


_Finder = Callable[[str], Iterable[re.Match[str]]]
_Builder = Callable[[re.Match[str], str], TimePhrase | None]
_Gate = Callable[[frozenset[str], bool], bool]
# (finder, builder, gate: can the text hold a match at all).  Order breaks ties between
# equally long overlapping matches: calendar forms first.
_MATCHERS: tuple[tuple[_Finder, _Builder, _Gate], ...] = (
    (_ISO.finditer, _build_iso, _any_digit),
    (_DAY_MONTH_RANGE.finditer, _build_day_month, _day_and_month),
    (_DAY_MONTH.finditer, _build_day_month, _day_and_month),
    (_MONTH_DAY.finditer, _build_day_month, _day_and_month),
    (_MONTH_RANGE.finditer, _build_month_year, _day_and_month),
    (_MONTH_YEAR.finditer, _build_month_year, _month_word),
    (_SEASON.finditer, _build_season, _season_year),
    (_SEASON_RELATIVE.finditer, _build_recent_season, _season_word),
    (_YEAR.finditer, _build_year, _any_digit),
    (_ORDINAL_DAY.finditer, _build_ordinal_day, _ordinal_on),
    (_WEEKDAY.finditer, _build_weekday, _weekday_word),
    (_WEEKEND.finditer, _build_weekend, _weekend_word),
    (_phrase_matches, _build_phrase, _phrase_word),
    (_FIRST_TIME_IN.finditer, _build_first_time, _first_word),
)

# ----------------------------------------------------------------------------- resolving


def resolve(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    """The date a phrase names, given what it is measured from; value None when unknowable
    (or when the arithmetic leaves the calendar, as from a publication date of year 1)."""
    try:
        return _resolve(phrase, anchor)
    except (OverflowError, ValueError):
        return Resolved(phrase, None, None, 0.0)


def _resolve(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    if phrase.kind == "reference":
        return Resolved(phrase, None, None, phrase.confidence)
    if phrase.kind == "weekday":
        return _resolve_weekday(phrase, anchor)
    if phrase.absolute and phrase.month is not None:
        return _resolve_calendar(phrase, anchor)
    if phrase.absolute:
        return _resolve_ordinal_day(phrase, anchor)
    return _resolve_shift(phrase, anchor)


def _resolve_calendar(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    if phrase.year is not None:
        return Resolved(phrase, _calendar(phrase.year, phrase.month, phrase.day),
                        phrase.precision, phrase.confidence)
    if phrase.direction and anchor.published:
        return _resolve_month_against_published(phrase, anchor.published)
    year, factor = _year_for(phrase, anchor)
    value = _calendar(year, phrase.month, phrase.day)
    return Resolved(phrase, value, phrase.precision, phrase.confidence * factor)


def _year_for(phrase: TimePhrase, anchor: Anchor) -> tuple[int | None, float]:
    """The year of a yearless date: the narrative's year (moved by one when the date would
    be more than half a year from the narrative's date), else the publication's year (the
    latest that keeps the date on or before publication), else the default year."""
    month, day = phrase.month or 1, phrase.day or 1
    if anchor.year is not None:
        year = anchor.year
        candidate = _calendar(year, month, day)
        current = anchor.narrative
        if candidate and current and current.year == year:
            if phrase.anterior and candidate > current:
                year -= 1  # "after the occupation on 2 March", told in the autumn: that March
            elif candidate < current - ROLLOVER and not phrase.anterior:
                later = _calendar(year + 1, month, day)
                if later and (anchor.published is None or later <= anchor.published):
                    return year + 1, 1.0
            elif candidate > current + ROLLOVER:
                return year - 1, 1.0  # "On 28 December" told after "5 January 2025"
        candidate = _calendar(year, month, day)
        if candidate and anchor.published and candidate > anchor.published:
            year -= 1  # never after the document was published
        return year, 1.0
    if anchor.published is not None:
        year = anchor.published.year
        candidate = _calendar(year, month, day)
        if candidate is None or candidate > anchor.published:
            year -= 1
        return year, YEAR_FROM_PUBLISHED
    if anchor.default_year is not None:
        return anchor.default_year, YEAR_FROM_DEFAULT
    return None, 0.0


def _resolve_month_against_published(phrase: TimePhrase, published: date) -> Resolved:
    """"last December" / "December last year" / "this December"."""
    month = phrase.month or 1
    if phrase.direction == "last-month":
        year = published.year if month < published.month else published.year - 1
    else:
        year = published.year + {"last": -1, "this": 0, "next": 1}.get(phrase.direction or "", 0)
    value = _calendar(year, month, phrase.day)
    return Resolved(phrase, value, phrase.precision, phrase.confidence)


def _resolve_ordinal_day(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    """"on the 7th": a day of the narrative's month."""
    current = anchor.narrative
    if current is None or PRECISION_RANK.get(anchor.narrative_precision or "year", 3) > 2:
        return Resolved(phrase, None, None, 0.0)
    value = _calendar(current.year, current.month, phrase.day)
    return Resolved(phrase, value, "day" if value else None, phrase.confidence)


def _resolve_weekday(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    """Against publication: the latest such weekday on or before it ("last": before it,
    "next": after it).  Without one: the such weekday nearest the narrative date."""
    weekday = phrase.weekday or 0
    if anchor.published is not None:
        ref = anchor.published
        if phrase.direction == "next":
            value = ref + timedelta(days=(weekday - ref.weekday() - 1) % 7 + 1)
        else:
            if phrase.direction == "last":
                ref -= timedelta(days=1)
            value = ref - timedelta(days=(ref.weekday() - weekday) % 7)
        return Resolved(phrase, value, "day", phrase.confidence)
    if anchor.narrative is None:
        return Resolved(phrase, None, None, 0.0)
    ref = anchor.narrative
    ahead = (weekday - ref.weekday()) % 7
    if phrase.direction == "last":
        value = ref - timedelta(days=(ref.weekday() - weekday - 1) % 7 + 1)
    elif phrase.direction == "next" or ahead <= 3:
        value = ref + timedelta(days=ahead)
    else:  # the nearest one: a story tells the days around the date it gave
        value = ref - timedelta(days=7 - ahead)
    precision = _coarsest("day", anchor.narrative_precision)
    return Resolved(phrase, value, precision, phrase.confidence * NO_PUBLISHED_FACTOR)


def _resolve_shift(phrase: TimePhrase, anchor: Anchor) -> Resolved:
    """Relative ("the next day") from the narrative date, deictic ("yesterday") from the
    publication date; each falls back on the other with lower confidence."""
    base, precision, factor = _base(phrase, anchor)
    if base is None:
        return Resolved(phrase, None, None, 0.0)
    value = _shift(base, phrase.unit, phrase.shift)
    if value is None:
        return Resolved(phrase, None, None, 0.0)
    if phrase.align:
        value = _align(value, phrase.unit)
    value += timedelta(days=phrase.days_after)
    return Resolved(phrase, value, _coarsest(phrase.precision, precision),
                    phrase.confidence * factor)


def _base(phrase: TimePhrase, anchor: Anchor) -> tuple[date | None, str | None, float]:
    if phrase.anchor == "operation":
        if anchor.operation is not None:
            return anchor.operation, "day", 1.0
        return None, None, 0.0  # "ten days into the offensive" with no start told: no date
    if phrase.anchor == "published":
        if anchor.published is not None:
            return anchor.published, "day", 1.0
        return anchor.narrative, anchor.narrative_precision, NO_PUBLISHED_FACTOR
    if anchor.narrative is not None:
        coarse = PRECISION_RANK.get(anchor.narrative_precision or "day", 0) > 1
        return anchor.narrative, anchor.narrative_precision, COARSE_ANCHOR_FACTOR if coarse else 1.0
    return anchor.published, "day", PUBLISHED_AS_NARRATIVE


def _shift(base: date, unit: str, amount: int) -> date | None:
    try:
        if unit == "day":
            return base + timedelta(days=amount)
        if unit == "week":
            return base + timedelta(weeks=amount)
        months = amount * (12 if unit == "year" else 1)
        total = base.year * 12 + base.month - 1 + months
        year, month = divmod(total, 12)
        day = min(base.day, _days_in_month(year, month + 1))
        return date(year, month + 1, day)
    except (ValueError, OverflowError):
        return None


def _days_in_month(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _align(value: date, unit: str) -> date:
    if unit == "week":
        return value - timedelta(days=value.weekday())
    if unit == "month":
        return value.replace(day=1)
    if unit == "year":
        return value.replace(month=1, day=1)
    return value


def _coarsest(*precisions: str | None) -> str:
    known = [p for p in precisions if p in PRECISION_RANK]
    return max(known, key=PRECISION_RANK.__getitem__) if known else "day"


_DATE_LINE_NOISE = re.compile(
    r"\b(?:published|updated|last\s+updated|posted|on|at|gmt|utc|am|pm|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|[\d:.,|/–—-]", re.I)


def is_date_line(text: str, start: int, end: int) -> bool:
    """A line that is only a date ("Sunday 1 December 2024", "Published: Dec 6, 2024 14:02
    GMT"), where text[start:end] is the date phrase."""
    rest = text[:start] + text[end:]
    return len(text) <= 60 and not _DATE_LINE_NOISE.sub("", rest).strip()
