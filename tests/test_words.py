"""Patterns gated on a text's words answer as their regular expressions do."""

from __future__ import annotations

import re

import pytest

from frontlines.extract.lexicon import phrase_pattern
from frontlines.text.words import GatedPattern, needed_word, words_of

TEXTS = [
    "Government forces repeatedly shelled the village, the monitor said.",
    "REPEATEDLY, the militia fired mortar rounds at army positions near the crossing.",
    "Shelling was repeated-ly reported",  # a hyphen ends a word: \b and the set agree
    "The unrepeatedly shelled town",  # inside a longer word: no match, whichever way
    "Fighters shelled the base rEpEaTeDlY.",
    "Dıspatches said the army fired on protesters",  # dotless i: re.I matches "i"
    "ſyſtematic looting of homes",  # long s: re.I matches "s"
    "",
    "Nothing happened on Tuesday.",
]


def test_words_are_the_runs_that_word_boundaries_delimit():
    assert words_of("The Army's 4th-Division pulled OUT.") == {"the", "army", "s", "4th", "division", "pulled", "out"}
    assert words_of("Dıyar ſtrike") == {"diyar", "strike"}


def test_needed_word_is_the_first_ascii_word_of_a_phrase():
    assert needed_word("took control of") == "took"
    assert needed_word("anti-aircraft fire") == "anti"
    assert needed_word("Ḥama") is None  # not plain ASCII: no gate
    assert needed_word("--") is None


@pytest.mark.parametrize("phrases", [
    ["repeatedly", "systematic looting", "fired on", "anti-aircraft fire", "dispatches said"],
    ["took control of", "took", "shelled the base"],
    ["Ḥama countryside", "repeatedly"],  # a phrase without an ASCII word: never gated
])
def test_a_phrase_pattern_finds_what_its_regex_finds(phrases):
    gated = phrase_pattern(phrases)
    assert isinstance(gated, GatedPattern)
    for text in TEXTS:
        assert [m.span() for m in gated.finditer(text)] == [m.span() for m in gated.regex.finditer(text)], text
        found, expected = gated.search(text), gated.regex.search(text)
        assert (found and found.span()) == (expected and expected.span()), text


def test_a_gated_pattern_skips_texts_without_its_words():
    calls = []

    class Spy:
        pattern = "x"

        def search(self, text, pos, endpos):
            calls.append(text)
            return re.search("repeatedly", text[pos:endpos], re.I)

    gated = GatedPattern(Spy(), {"repeatedly"})
    assert gated.search("The army shelled the town.") is None
    assert gated.search("They shelled it Repeatedly.") is not None
    assert calls == ["They shelled it Repeatedly."]


def test_a_search_between_two_offsets_asks_the_words_of_that_part():
    """A search that ends inside a word sees the word cut there ("whose" read up to "who"):
    the gate asks the part's words, so it finds what the regex finds for every window."""
    gated = GatedPattern(re.compile(r"(?P<noun>\w+)\s(?:which|who)\b[^,]*$", re.I), {"which", "who"})
    for text in ["the man whose son fought", "villages which the army took", "A, which fell"]:
        for pos in range(len(text) + 1):
            for endpos in range(pos, len(text) + 1):
                found, expected = gated.search(text, pos, endpos), gated.regex.search(text, pos, endpos)
                assert (found and found.span()) == (expected and expected.span()), (text, pos, endpos)
    assert gated.search("the man whose son fought", 0, 11) is not None
