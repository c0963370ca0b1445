"""Fuzzing: no input makes a reader or the extraction raise anything but a FrontlinesError.

Every reader (text, HTML, wikitext) and the whole pipeline (both shipped profiles) get random
Unicode, article-like fragments, very long lines, deeply nested HTML, malformed wikitext,
right-to-left text and mixed scripts.  Whatever comes out keeps the contract: sentences are
exact slices of the document text, evidence is a substring of it, the output is JSON.
Each test runs a bounded number of examples (CI runs them all; the file takes well under a
minute).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import FrontlinesError
from frontlines.ingest import detect_format, read_string
from frontlines.ingest.language import script_warning
from frontlines.ingest.loading import decode
from frontlines.pipeline import run

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PROFILES = st.sampled_from(["syria", "ukraine"])
READERS = st.sampled_from(["text", "html", "wikitext"])

# Right-to-left and mixed scripts: Arabic (with harakat and tatweel), Hebrew, Persian digits,
# bidi controls (RLM, LRM, RLE, RLO, PDF, isolates), Cyrillic, CJK, combining marks, emoji.
SCRIPT_PIECES = [
    "الرستن", "تلبيسة", "حمص", "قوات المعارضة", "سيطرت على", "مُحَمَّد", "ـــ", "٦ كانون الأول ٢٠٢٤",
    "ירושלים", "צה״ל", "۱۴۰۳", "\u200f", "\u200e", "\u202b", "\u202e", "\u202c", "\u2067", "\u2069",
    "Харків", "Ізюм", "Купʼянськ", "ЗСУ", "北京", "東京", "e\u0301", "a\u0308\u0308\u0308", "🇺🇦", "👍🏽",
    "\ufeff", "\u00a0", "\u2028", "\u2029", "\u0085", "ﷺ", "ﻻ", "İstanbul", "ß", "ǅ",
]
ARTICLE_PIECES = [
    "On 6 December 2024, ", "rebels captured ", "Homs", ". ", "[19]", " [20] ", "\n\n", "\n",
    "References\n\n1. ", '"Title". Reuters. ', "the night of 7/8 December", "that day", "By night, ",
    "Related Research Articles\n\n", "x.jpg", "  ", "Gen. ", "U.S. ", "?", "!", "…",
    "31 February 2024", "Tuesday", "yesterday", "2024-13-45", "—", "\t",
    "Ukrainian forces recaptured ", "Izium", "Kupiansk", "Russian troops withdrew from ",
    "Balakliia", " and ", ", ", "on Saturday", "the Russian defence ministry said ",
    "claimed", "denied", "KYIV, 12 September 2022 – ", "Al-Rastan", "Talbiseh",
]
PIECES = st.sampled_from(ARTICLE_PIECES + SCRIPT_PIECES)

HTML_PIECES = st.sampled_from([
    "<html>", "</html>", "<head>", "</head>", "<body>", "</body>", "<p>", "</p>", "<div>", "</div>",
    "<h1>", "</h1>", "<h2>References</h2>", "<table class='infobox'><tr><th>Date</th><td>",
    "</td></tr></table>", "<sup>[1]</sup>", '<sup class="reference"><a href="#cite_note-1">[1]</a></sup>',
    '<ol class="references"><li id="cite_note-1">', "</li></ol>", "<br>", "<br/>", "<script>",
    "</script>", "<style>p{}</style>", "<!-- ", " -->", "<![CDATA[", "]]>", "<?xml ?>", "&amp;",
    "&nbsp;", "&#x202e;", "&#0;", "&#xD800;", "&bogus;", "<", ">", "<a href='", "'>", "</a>",
    "<meta property='article:published_time' content='2024-12-07'>", "<title>", "</title>",
    "<p dir='rtl' lang='ar'>", "<bdo dir='rtl'>", "</bdo>", "<ul><li>", "<nav>", "</nav>",
    "<figure><figcaption>", "</figcaption></figure>", "<svg><g>", "</svg>", '<img alt="x">',
    "<article>", "</article>", "<main>", "</main>", "<td>", "<tr>", "<th>",
    "<script type='application/ld+json'>{\"datePublished\": ", "}</script>",
]) | PIECES

WIKI_PIECES = st.sampled_from([
    "{{", "}}", "[[", "]]", "{{Infobox military conflict\n| date = ", "\n| result = ", "{{cite web",
    "| title = ", "| url = http://x", "| date = 6 December 2024", "<ref>", "</ref>", '<ref name="a">',
    '<ref name="a"/>', "<ref name=b />", "<references/>", "{{Reflist}}", "== Background ==",
    "=== Offensive ===", "==", "=", "'''", "''", "{|", "|-", "|}", "! x", "| y", "[[File:x.jpg|thumb|",
    "[[Category:", "[http://example.org ", "]", "<nowiki>", "</nowiki>", "<!--", "-->", "{{{1}}}",
    "{{#if:", "|", "__NOTOC__", "~~~~", "<gallery>", "</gallery>", "* ", "# ", ": ", "; ",
    "&mdash;", "<br />", "<span dir=rtl>", "</span>", "{{lang|ar|", "{{Flagicon|SYR}}",
]) | PIECES


def check(analysis) -> None:
    """The contract holds for whatever the pipeline made of the input."""
    text = analysis.document.text
    for sentence in analysis.sentences:
        assert text[sentence.start:sentence.end] == sentence.text
    contract = analysis.to_contract()
    json.dumps(contract, ensure_ascii=False, default=str)
    for item in contract["events"] + contract["control_changes"]:
        assert item["evidence"] in text
        start, end = item["evidence_span"]
        assert text[start:end] == item["evidence"]


def pipeline(text: str, *, format: str | None = None, profile: str = "syria") -> None:
    try:
        doc = read_string(text, format=format, source="fuzz")
    except FrontlinesError:
        return
    check(run(doc, profile=profile))


def read_only(text: str, format: str) -> None:
    try:
        doc = read_string(text, format=format, source="fuzz")
    except FrontlinesError:
        return
    assert isinstance(doc.text, str)
    json.dumps(doc.to_dict(), ensure_ascii=False, default=str)
    for zone in doc.zones:
        assert 0 <= zone.start <= zone.end <= len(doc.text)


# -- the whole pipeline ---------------------------------------------------------------------


@SETTINGS
@given(st.text(min_size=0, max_size=2000), PROFILES)
def test_random_unicode(text, profile):
    pipeline(text, profile=profile)


@SETTINGS
@given(st.lists(PIECES, max_size=80).map("".join), PROFILES)
def test_article_like_fragments_in_mixed_scripts(text, profile):
    pipeline(text, profile=profile)


@FEWER
@given(st.lists(st.sampled_from(SCRIPT_PIECES + [" ", ". ", "\n\n", "Rebels captured "]),
                min_size=1, max_size=120).map("".join), READERS)
def test_rtl_and_mixed_scripts_through_every_reader(text, reader):
    pipeline(text, format=reader)


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_decode_or_fail_cleanly(data):
    try:
        text = decode(data, "fuzz.bin")
    except FrontlinesError as err:
        assert "fuzz.bin" in str(err)
        return
    pipeline(text)


@FEW
@given(st.lists(PIECES, min_size=1, max_size=6).map("".join), st.integers(10_000, 40_000),
       PROFILES)
def test_very_long_lines(chunk, length, profile):
    """One line of up to 40,000 characters, without a paragraph break.  (Longer lines full
    of place names are correct but slow: the event stage costs places x sentence length.)"""
    line = chunk.replace("\n", " ") + " "
    pipeline((line * (length // len(line) + 1))[:length], profile=profile)


def test_very_long_line():
    pipeline("rebels advanced " * 20000)


def test_one_word_of_a_million_characters():
    pipeline("x" * 1_000_000)


# -- readers --------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(HTML_PIECES, max_size=120).map("".join))
def test_html_reader_on_tag_soup(text):
    read_only(text, "html")


@FEWER
@given(st.lists(HTML_PIECES, max_size=80).map("".join))
def test_html_pages_through_the_pipeline(text):
    pipeline(text, format="html")


@FEW
@given(st.lists(st.sampled_from(["div", "span", "p", "b", "i", "table", "tr", "td", "li", "ul",
                                 "blockquote", "section", "a", "sup", "font", "h2"]),
                min_size=1, max_size=4),
       st.integers(100, 3000), st.booleans(), st.sampled_from(["Rebels captured Homs.", "الرستن", ""]))
def test_deeply_nested_html(tags, depth, closed, text):
    opening = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    closing = "".join(f"</{tags[i % len(tags)]}>" for i in reversed(range(depth))) if closed else ""
    page = f"<html><body>{opening}{text}On 6 December 2024, rebels captured Talbiseh.{closing}</body></html>"
    pipeline(page, format="html")


def test_html_nested_far_beyond_libxml2s_default_limit():
    page = "<html><body>" + "<div>" * 20_000 + "<p>On 6 December 2024, rebels captured Talbiseh.</p>"
    try:
        doc = read_string(page, format="html", source="deep.html")
    except FrontlinesError:
        return
    assert "Talbiseh" in doc.text


@SETTINGS
@given(st.lists(WIKI_PIECES, max_size=120).map("".join))
def test_wikitext_reader_on_malformed_markup(text):
    read_only(text, "wikitext")


@FEWER
@given(st.lists(WIKI_PIECES, max_size=80).map("".join))
def test_malformed_wikitext_through_the_pipeline(text):
    pipeline(text, format="wikitext")


@FEW
@given(st.sampled_from(["{{", "[[", "<ref>", "{|", "'''", "<!--", "{{{"]), st.integers(100, 3000))
def test_wikitext_deeply_nested_or_unclosed(opener, depth):
    pipeline(opener * depth + "On 6 December 2024, rebels captured Talbiseh.", format="wikitext")


@SETTINGS
@given(st.text(max_size=1500), READERS)
def test_every_reader_on_random_unicode(text, reader):
    read_only(text, reader)


@SETTINGS
@given(st.text(max_size=3000))
def test_format_detection_and_script_detection_never_fail(text):
    assert detect_format(text) in {"text", "html", "wikitext"}
    warning = script_warning(text)
    assert warning is None or warning.startswith("text is mostly ")


@pytest.mark.parametrize("reader", ["text", "html", "wikitext"])
def test_arabic_document_is_read_by_every_reader_and_says_so(reader):
    body = ("سيطرت فصائل المعارضة على مدينة الرستن في ريف حمص الشمالي يوم ٦ كانون الأول ٢٠٢٤. "
            "وانسحبت قوات النظام من تلبيسة.")
    text = {"text": body, "html": f"<html><body><p dir='rtl'>{body}</p></body></html>",
            "wikitext": f"'''الرستن''' {body}\n\n== مراجع ==\n<references/>"}[reader]
    doc = read_string(text, format=reader, source="ar")
    assert "text is mostly Arabic script; extraction covers English text only" in doc.warnings
    check(run(doc))


# -- complexity: hostile shapes read and segmented in bounded time and memory --------------------

SEPARATORS = st.sampled_from([" ", ".", "!?", "…", ",", "-", "\t", " .", "&amp;", "[1]", "\u200f"])
HOSTILE_TEXT = st.one_of(
    st.builds(lambda sep, run, words: (" " + sep * run + " ").join(["Rebels captured Homs"] * words),
              SEPARATORS, st.integers(1, 5000), st.integers(1, 20)),
    st.builds(lambda depth, opener: opener[0] * depth + "Rebels captured Homs." + opener[1] * depth,
              st.integers(1, 8000), st.sampled_from(["()", "[]", '""', "“”", "{}", "«»"])),
    st.builds(lambda names, count: "Rebels captured " + ", ".join(names * count) + ".",
              st.lists(st.sampled_from(["Homs", "Hama", "Aleppo", "Idlib", "Daraa"]), min_size=1, max_size=5),
              st.integers(1, 2000)),
    st.builds(lambda unit, count: unit * count,
              st.sampled_from(["He ran. ", "A. ", "Yes! ", "Homs. \n\n", "x.\n", " \n \n"]), st.integers(1, 3000)),
)
HOSTILE_HTML = st.one_of(
    st.builds(lambda count: "<p>Rebels " + "&amp;" * count + " captured Homs.</p>", st.integers(1, 5000)),
    st.builds(lambda tag, count: f"<div>{f'<{tag}>x' * count}</div>", st.sampled_from(["p", "a", "span", "br"]),
              st.integers(1, 4000)),
    st.builds(lambda count: "<p" + "".join(f' a{i}="v"' for i in range(count)) + ">Rebels captured Homs.</p>",
              st.integers(1, 3000)),
)


def read_and_segment_within_bounds(text: str, reader: str) -> None:
    """Reading and segmenting a hostile input of at most ~40 KB: well under a second on an idle
    machine; the bounds leave room for a busy one."""
    import time
    import tracemalloc

    from frontlines.text.sentences import segment

    read_string("<p>Warm up.</p>", format=reader)  # first use imports the reader's libraries
    tracemalloc.start()
    started = time.perf_counter()
    try:
        doc = read_string(text, format=reader, source="hostile")
    except FrontlinesError:
        tracemalloc.stop()
        return
    sentences = segment(doc)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 10, f"{elapsed:.1f} s for {len(text):,} characters"
    assert peak < 100 * 2**20, f"{peak / 2**20:.0f} MB for {len(text):,} characters"
    for sentence in sentences:
        assert doc.text[sentence.start:sentence.end] == sentence.text


@FEWER
@given(HOSTILE_TEXT)
def test_hostile_text_shapes_read_and_segment_in_bounded_time_and_memory(text):
    read_and_segment_within_bounds(text, "text")


@FEW
@given(HOSTILE_HTML)
def test_hostile_html_shapes_read_and_segment_in_bounded_time_and_memory(text):
    read_and_segment_within_bounds(text, "html")
