"""A text's words, and patterns that look at them before they search.

Most of the rules' regular expressions are alternations of words ("repeatedly|regularly|...",
a cue list, an instrument list) searched in every sentence, and most sentences hold none of
those words: the regex engine still tries the alternation at every position.  `GatedPattern`
first asks the sentence's set of words, worked out once per text, whether a word every match
needs is there; the answer is the regex's own whenever it searches.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache

_WORD = re.compile(r"\w+")
_NEED = re.compile(r"[a-z0-9_]+")  # a needed word is ASCII: its folding is the regex's
# Letters that match an ASCII letter under re.IGNORECASE but do not fold to it ("ı", "İ",
# "ſ", the Kelvin sign): folded first, so that a word the regex matches is always in the set.
_TO_ASCII = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "\u212a": "k"})


@lru_cache(maxsize=4096)
def words_of(text: str) -> frozenset[str]:
    """The runs of word characters (`\\w+`, as `\\b` delimits them) of a text, case-folded."""
    return _words(text)


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.translate(_TO_ASCII).casefold()))


def needed_word(phrase: str) -> str | None:
    """The word a match of a phrase cannot do without, as `words_of` gives it: its first run
    of word characters, when that is plain ASCII (None: no such word, no gate)."""
    first = _WORD.search(phrase.casefold())
    return first.group(0) if first is not None and _NEED.fullmatch(first.group(0)) else None


class GatedPattern:
    """A compiled pattern whose every match holds, as a whole `\\w+` run, one of the words of
    `needs` (case-insensitively): a text without any of them is not searched.  `needs` None:
    always searched."""

    __slots__ = ("regex", "needs")

    def __init__(self, regex: re.Pattern[str], needs: Iterable[str] | None) -> None:
        self.regex = regex
        self.needs = frozenset(needs) if needs is not None else None

    @classmethod
    def of_phrases(cls, regex: re.Pattern[str], phrases: Iterable[str]) -> GatedPattern:
        """A pattern each of whose matches begins with one of `phrases` (an alternation of
        them): gated on their first words, or not at all if one has none (`needed_word`)."""
        needs = [needed_word(phrase) for phrase in phrases]
        return cls(regex, None if None in needs else needs)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def _may_match(self, text: str, pos: int, endpos: int) -> bool:
        """Whether the words of the searched part hold a needed word.  (A search between `pos`
        and `endpos` sees the text as ending at `endpos`: a word cut there is a word of the
        part, so the part's own words are asked, not the text's.)"""
        if self.needs is None:
            return True
        words = words_of(text) if pos <= 0 and endpos >= len(text) else _words(text[pos:endpos])
        return not self.needs.isdisjoint(words)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.regex.search(text, pos, endpos) if self._may_match(text, pos, endpos) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return self.regex.finditer(text, pos, endpos) if self._may_match(text, pos, endpos) else iter(())
