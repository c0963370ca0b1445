"""Fuzzing: no input makes the plain-text reader, segmentation or dating raise a foreign error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import FrontlinesError
from frontlines.ingest import read_string
from frontlines.ingest.loading import decode
from frontlines.pipeline import run

PIECES = st.sampled_from(
    ["On 6 December 2024, ", "rebels captured ", "Homs", ". ", "[19]", " [20] ", "\n\n", "\n",
     "References\n\n1. ", '"Title". Reuters. ', "the night of 7/8 December", "that day", "By night, ",
     "Related Research Articles\n\n", "x.jpg", "  ", "الرستن", "Gen. ", "U.S. ", "?", "!", "…",
     "31 February 2024", "Tuesday", "yesterday", "2024-13-45", "—", "\u200f", "\t"]
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(text: str) -> None:
    try:
        analysis = run(read_string(text))
    except FrontlinesError:
        return
    for sentence in analysis.sentences:
        assert analysis.document.text[sentence.start:sentence.end] == sentence.text


@SETTINGS
@given(st.text(min_size=0, max_size=2000))
def test_random_unicode(text):
    check(text)


@SETTINGS
@given(st.lists(PIECES, max_size=80).map("".join))
def test_article_like_fragments(text):
    check(text)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_decode_or_fail_cleanly(data):
    try:
        text = decode(data, "fuzz.bin")
    except FrontlinesError as err:
        assert "fuzz.bin" in str(err)
        return
    check(text)


def test_very_long_line():
    check("rebels advanced " * 20000)
