"""Claim status and fatalities of what a sentence reports, by ACLED's rules."""

from __future__ import annotations

import functools
import re

from .lexicon import Lexicon

REPORTED, CLAIMED, DENIED, UNCONFIRMED = "reported", "claimed", "denied", "unconfirmed"

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "a dozen": 12, "a hundred": 100,
}
# ACLED: vague plurals take the lowest number they imply.
VAGUE_NUMBERS = {"dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000, "several": 3,
                 "a number of": 3, "many": 10, "a few": 3}
_NUM = r"(\d{1,3}(?:,\d{3})+\b|\d+|" + "|".join(sorted(list(NUMBER_WORDS) + list(VAGUE_NUMBERS), key=len, reverse=True)) + ")"
_VICTIMS = (r"(?:(?:more\s+than|over|at\s+least|some|about|around|nearly|almost|up\s+to)\s+)?"
            + _NUM + r"(?:\s+(?:of\s+)?(?:[a-z-]+\s+){0,3}?)")
_DEATH = r"(?:killed|dead|died|killing|deaths|fatalities|lost\s+their\s+lives)"
FATALITY_PATTERNS = (
    re.compile(_VICTIMS + r"(?:were\s+|have\s+been\s+|had\s+been\s+|was\s+)?" + _DEATH + r"\b", re.I),
    # ("executed five men", "massacred 20 villagers", "shot dead three": a killing with its toll)
    re.compile(r"\b(?:killed|killing|kill|executed|executing|massacred|massacring|shot\s+dead|shooting\s+dead|"
               r"gunned\s+down)\s+(?:at\s+least\s+|more\s+than\s+|some\s+|about\s+|over\s+|around\s+|"
               r"nearly\s+|almost\s+|up\s+to\s+)?" + _NUM, re.I),
    re.compile(r"\bdeath\s+toll\s+(?:\w+\s+){0,3}?(?:to|of|at)\s+" + _NUM, re.I),
)
# One person killed, told without a number: "killing a child", "shot dead a local commander",
# "a man was killed" (ACLED counts 1).
_PERSON = (r"(?:civilian|man|woman|child|boy|girl|baby|infant|teenager|youth|son|daughter|person|resident|farmer|"
           r"shepherd|driver|teacher|doctor|nurse|journalist|activist|student|worker|official|elder|soldier|"
           r"fighter|commander|officer|member|policeman|militant|rebel|guard|leader)")
ONE_KILLED = (
    re.compile(r"\b(?:killed|killing|kills|shot\s+dead|shooting\s+dead|gunned\s+down|assassinated|executed)\s+(?:a|an)\s+"
               r"(?:[\w-]+\s+){0,3}?" + _PERSON + r"\b", re.I),
    re.compile(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}?" + _PERSON + r"\s+(?:was\s+)?(?:killed|shot\s+dead|died)\b", re.I),
)
_ONE_CIVILIAN = re.compile(r"\b(?:civilian|child|boy|girl|baby|woman|farmer|shepherd|journalist)\b", re.I)
_DEATH_WORD = re.compile(r"kill|dead|died|death|fatalit|lost\s+their\s+lives|gunned\s+down|assassinat|execut|massacr",
                         re.I)
_CIVILIAN = re.compile(r"\b(?:civilians?|residents?|children|women|people|villagers|families|"
                       r"displaced|worshippers|patients|journalists?|aid\s+workers?)\b", re.I)
# A year closing a date ("On 5 June 2023 gunmen shot dead ...") counts no one.
_DATE_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?$"
                          r"|\b(?:in|since|of|until|by)\s+$", re.I)
_REPORT_OF = re.compile(r"\b(?:reported|reports?|said|announced|claimed|declared)\s+that\b", re.I)


def claim_status(text: str, trigger_start: int, lexicon: Lexicon) -> str:
    """How the sentence presents the event at `trigger_start`: a fact, a party's claim, or
    something unverified.  Denials are applied across sentences by the caller."""
    before = text[:trigger_start]
    if lexicon.cue("unconfirmed", text):
        return UNCONFIRMED
    if lexicon.cue("claimed", before):
        return CLAIMED
    return REPORTED


def denies(text: str, lexicon: Lexicon) -> re.Match[str] | None:
    """The denial cue of a sentence that denies something ("the ministry denied these reports")."""
    return lexicon.cue("denial", text)


def number(token: str) -> int | None:
    token = " ".join(token.lower().split())
    if token in NUMBER_WORDS:
        return NUMBER_WORDS[token]
    if token in VAGUE_NUMBERS:
        return VAGUE_NUMBERS[token]
    digits = token.replace(",", "")
    return int(digits) if digits.isdigit() else None


@functools.lru_cache(maxsize=1024)  # asked of a sentence once per trigger
def fatalities(text: str) -> tuple[int | None, bool]:
    """The lowest death toll a sentence states (None when it states none, never 0), and
    whether the dead are civilians."""
    if not _DEATH_WORD.search(text):
        return None, False  # most sentences name no dead: skip the three patterns
    counts = []
    civilians = False
    for pattern in FATALITY_PATTERNS:
        for match in pattern.finditer(text):
            value = number(match.group(1))
            if value is not None and 1900 <= value <= 2100 and _DATE_BEFORE.search(text, 0, match.start(1)):
                continue
            if value is not None and value < 1_000_000:
                counts.append(value)
                civilians = civilians or bool(_CIVILIAN.search(match.group(0)))
    if not counts and any(pattern.search(text) for pattern in ONE_KILLED):
        return 1, bool(_ONE_CIVILIAN.search(text))
    if not counts:
        return None, False
    return min(counts), civilians or bool(_CIVILIAN.search(text))
