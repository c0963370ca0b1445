"""Which script a document is written in, so that a text we cannot read says so.

Extraction (triggers, actors, dates) reads English.  A document mostly in another script is
still read — its events may simply be empty — and carries a warning naming the script.
"""

from __future__ import annotations

import re
import unicodedata

SAMPLE = 50_000  # characters looked at: enough to tell, cheap on a 50 MB document
MOSTLY = 0.5  # share of the letters in one script that makes a text "mostly" that script
MIN_LETTERS = 20  # fewer letters than this: too little to judge
# Script names as the first word of Unicode character names.
SCRIPTS = {
    "ARABIC": "Arabic", "HEBREW": "Hebrew", "CYRILLIC": "Cyrillic", "GREEK": "Greek",
    "CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
    "DEVANAGARI": "Devanagari", "THAI": "Thai", "ARMENIAN": "Armenian", "GEORGIAN": "Georgian",
    "SYRIAC": "Syriac", "ETHIOPIC": "Ethiopic", "BENGALI": "Bengali", "TAMIL": "Tamil",
}


def script_of(char: str) -> str:
    """"Latin", a name from SCRIPTS, or "other" for one letter."""
    if char.isascii():
        return "Latin"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first == "LATIN":
        return "Latin"
    return SCRIPTS.get(first, "other")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def dominant_script(text: str) -> str | None:
    """The script of most of the letters of the text's start; None when it has too few."""
    sample = text[:SAMPLE]
    # ASCII letters are Latin: counted without a look-up per letter; only the other characters
    # (a few dashes and accents in an English text) are looked up one by one
    latin = sum(map(str.isalpha, sample.encode("ascii", "ignore").decode("ascii")))
    if sample.isascii():
        return "Latin" if latin >= MIN_LETTERS else None
    counts: dict[str, int] = {"Latin": latin}
    for char in _NON_ASCII.findall(sample):
        if char.isalpha():
            script = script_of(char)
            counts[script] = counts.get(script, 0) + 1
    letters = sum(counts.values())
    if letters < MIN_LETTERS:
        return None
    # a script that wins holds more than half the letters: no tie between two can decide
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count / letters > MOSTLY else None


def script_warning(text: str) -> str | None:
    """A warning for a document mostly in a script other than Latin, else None."""
    script = dominant_script(text)
    if script is None or script in ("Latin", "other"):
        return None
    return f"text is mostly {script} script; extraction covers English text only"
