"""Sentence segmentation with exact offsets, zones, sections and footnote links.

Every sentence satisfies `doc.text[s.start:s.end] == s.text`.  Footnote markers that close
a sentence ("captured Hama. [16] [17]") are left out of its span but linked to it; a
marker followed by a capitalised word also ends a sentence whose full stop the source lost
("denied these reports [25] Government forces ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import (
    NARRATIVE_ZONES,
    ZONE_APPENDIX,
    ZONE_HEADING,
    ZONE_REFERENCES,
    ZONE_RELATED,
    Document,
    Sentence,
)
from .footnotes import markers_in, source_paragraph_sentences
from .layout import Paragraph, classify

# Words whose trailing full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen lt col maj capt sgt cpl pte adm brig cmdr gov sen rep rev st jr sr
    mt ft no nos vol pp approx est vs etc al e.g i.e cf fig inc ltd co corp dept univ
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
CLOSING_ZONES = frozenset({ZONE_HEADING, ZONE_RELATED, ZONE_REFERENCES, ZONE_APPENDIX})
MAX_SENTENCE = 2000  # characters; longer runs without a stop are cut at a space

# A footnote or note marker: "[19]", "[a]", "[note 1]", "[nb 2]".
NOTE = r"\[\s*(?:\d{1,4}|[a-z]{1,2}|(?:note|nb|n)\s*\d{1,3})\s*\]"
# Candidate ends: closing punctuation (with quotes/brackets after it), then space, then
# optional footnote markers; or markers alone between a word and a capital.
# Possessive runs, starting only at a run's first mark: linear on 50,000 dots in a row.
_PUNCT_END = re.compile(
    r"(?<![.!?…])(?P<end>[.!?…]++[\"'”’)\]]*+)(?P<gap>(?:\s*" + NOTE + r")*\s+)(?=[\"'“‘(]?[^\W_a-z])"
)
_MARKER_END = re.compile(r"(?<=[\w)\"”’])(?P<end>)(?P<gap>(?:\s*" + NOTE + r")+\s+)(?=[A-Z][a-z])")
_TOKEN_BEFORE = re.compile(r"(\S+)\Z")
_NOTE_AT_END = re.compile(NOTE + r"\Z")
# An abbreviation or a footnote marker is short: only this much text before a stop is read.
_LOOK_BACK = 64
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d{1,3}[.)])\s+")
_LINE_END = re.compile(r"[.!?:;\"”’)\]]$")


def segment(doc: Document) -> list[Sentence]:
    """Split a document into sentences, each labelled with its paragraph, section and zone."""
    sentences: list[Sentence] = []
    text = doc.text
    cuts: list[int] = []
    for number, para in enumerate(classify(doc)):
        prose = para.zone in NARRATIVE_ZONES or para.zone == ZONE_RELATED
        for start, end in _blocks(para, prose):
            pieces = _split_block(text, start, end, cuts) if prose else _whole_line(text, start, end, cuts)
            for s_start, s_end, tail in pieces:
                sentences.append(
                    Sentence(
                        index=len(sentences),
                        start=s_start,
                        end=s_end,
                        text=text[s_start:s_end],
                        paragraph=number,
                        section=para.section,
                        zone=para.zone,
                        footnotes=_numbers(text, s_start, tail),
                    )
                )
    _set_narrative_end(doc, sentences)
    if cuts:
        doc.warnings.append(f"{len(cuts):,} runs of text longer than {MAX_SENTENCE:,} characters "
                            "without a sentence end were cut into pieces of at most that length")
    source_paragraph_sentences(sentences)
    return sentences


def _numbers(text: str, start: int, end: int) -> list[int]:
    seen: list[int] = []
    for _, _, number in markers_in(text[start:end], start):
        if number not in seen:
            seen.append(number)
    return seen


def _set_narrative_end(doc: Document, sentences: list[Sentence]) -> None:
    """Where the document's own story ends: the first closing heading or block (related
    articles, reference list, see also) after its last narrative sentence."""
    if doc.narrative_end is not None:
        return
    last = max((s.end for s in sentences if s.zone in NARRATIVE_ZONES), default=None)
    if last is None:
        return
    for sentence in sentences:
        if sentence.start >= last and sentence.zone in CLOSING_ZONES:
            doc.narrative_end = sentence.start
            return


def _blocks(para: Paragraph, prose: bool) -> Iterator[tuple[int, int]]:
    """Lines of a paragraph that stand alone (list items, label lines) or runs of wrapped
    lines that belong together, as absolute spans."""
    lines = list(re.finditer(r"\S(?:[^\n]*\S)?", para.text))
    if not lines:
        return
    block_start = lines[0].start()
    for previous, line in zip(lines, lines[1:]):
        before = previous.group(0).rstrip()
        breaks = (
            not prose
            or _BULLET.match(line.group(0))
            or _LINE_END.search(before)
            or len(before) < 50
        )
        if breaks:
            yield para.start + block_start, para.start + previous.end()
            block_start = line.start()
    yield para.start + block_start, para.start + lines[-1].end()


def _split_block(text: str, start: int, end: int, cuts: list[int]) -> Iterator[tuple[int, int, int]]:
    """(sentence start, sentence end, end of its trailing markers) within one block."""
    block = text[start:end]
    cursor = _skip_space(block, 0)
    for cut, resume in _boundaries(block):
        if cut <= cursor:
            continue
        yield from _cap(block, start, cursor, cut, resume, cuts)
        cursor = _skip_space(block, resume)
    if cursor < len(block):
        stop = len(block)
        body = _strip_trailing_markers(block, cursor, stop)
        yield from _cap(block, start, cursor, body, stop, cuts)


def _whole_line(text: str, start: int, end: int, cuts: list[int]) -> Iterator[tuple[int, int, int]]:
    """A label, list or reference line is one unit, whatever full stops it holds."""
    block = text[start:end]
    body = _strip_trailing_markers(block, 0, len(block))
    yield from _cap(block, start, 0, body, len(block), cuts)


def _boundaries(block: str) -> list[tuple[int, int]]:
    """(end of sentence text, start of the gap's end) for every sentence end in a block."""
    found = []
    for pattern in (_PUNCT_END, _MARKER_END):
        for match in pattern.finditer(block):
            cut = match.end("end")
            if pattern is _PUNCT_END and _is_abbreviation(block, match.start("end"), match.group("end")):
                continue
            found.append((cut, match.end("gap")))
    found.sort()
    return found


def _is_abbreviation(block: str, stop: int, punct: str) -> bool:
    if not punct.startswith(".") or len(punct.rstrip("\"'”’)]")) > 1:
        return False
    token = _TOKEN_BEFORE.search(block, max(0, stop - _LOOK_BACK), stop)
    if not token:
        return False
    word = token.group(1).lstrip("(\"'“‘")
    if len(word) == 1 and word.isupper():
        return True  # an initial: "A. Smith"
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return True  # "U.S", "e.g"
    return word.lower() in ABBREVIATIONS


def _skip_space(block: str, pos: int) -> int:
    while pos < len(block) and block[pos].isspace():
        pos += 1
    return pos


def _strip_trailing_markers(block: str, start: int, stop: int) -> int:
    """End of the sentence text once closing footnote markers are set aside (read backwards
    from the end, marker by marker, so a long sentence is not rescanned)."""
    end = stop
    while True:
        trimmed = _rstrip(block, start, end)
        marker = _NOTE_AT_END.search(block, max(start, trimmed - _LOOK_BACK), trimmed)
        if marker is None:
            break
        end = marker.start()
    if end == stop:
        return stop
    end = _rstrip(block, start, end)
    return end if end > start else stop


def _rstrip(block: str, start: int, end: int) -> int:
    while end > start and block[end - 1].isspace():
        end -= 1
    return end


def _cap(block: str, base: int, start: int, end: int, tail: int,
         cuts: list[int]) -> Iterator[tuple[int, int, int]]:
    """Cut a sentence longer than MAX_SENTENCE at spaces, so no stage meets a megabyte line
    (each cut is noted in `cuts`, for the document's warning).

    Offsets in and out are relative to the block; `base` makes the output absolute."""
    while end - start > MAX_SENTENCE:
        cuts.append(base + start)
        cut = block.rfind(" ", start + MAX_SENTENCE // 2, start + MAX_SENTENCE)
        cut = cut if cut > start else start + MAX_SENTENCE
        yield base + start, base + cut, base + cut
        start = _skip_space(block, cut)
    if end > start:
        yield base + start, base + end, base + max(end, tail)
