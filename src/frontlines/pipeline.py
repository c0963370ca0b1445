"""The pipeline: named stages run in order, each adding its layer to an `Analysis`.

Document -> segment (sentences, zones, footnotes) -> parse (the linguistic layer: tokens,
lemmas, dependencies, entities) -> dates (which reads the parse for tense) -> actors -> places
-> events (events and control changes).
A stage is a callable `(analysis) -> None` registered in `frontlines.registry.stages`; a
different list of names (or a plugin's stage under a new name) changes the pipeline.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Sequence
from datetime import date

from .model import Analysis, Carry, Document, Sentence
from .registry import stages

DEFAULT_STAGES: tuple[str, ...] = ("segment", "parse", "dates", "actors", "places", "events")


@stages.register("segment")
def segment_stage(analysis: Analysis) -> None:
    from .text.sentences import segment

    analysis.sentences = segment(analysis.document)


@stages.register("dates")
def dates_stage(analysis: Analysis) -> None:
    """Every sentence's time expressions and date; the parse, when it ran, tells which
    sentences are in the present tense (they speak from the story's time)."""
    from .text.anchoring import anchor_dates, begin_story, is_present_tense

    doc = analysis.document
    parses = analysis.parses

    def present(sentence: Sentence) -> bool:
        parsed = parses.get(sentence.index)
        return parsed is not None and is_present_tense(parsed, sentence.text)

    carry = analysis.carry
    story = None
    if carry is not None:  # a block of a long document: the story so far, or its start
        story = carry.state.get("dates") or begin_story(
            carry.sentences, published=doc.published, default_year=_title_year(doc))
    story = anchor_dates(analysis.sentences, published=doc.published, default_year=_title_year(doc),
                         present=present if parses else None, story=story)
    if carry is not None:
        carry.state["dates"] = story


@stages.register("parse")
def parse_stage(analysis: Analysis) -> None:
    """The linguistic layer: a spaCy Doc for every narrative and title sentence that may state
    an event (one with a word of the trigger lexicon); the others skip the parser."""
    from .extract.lexicon import load_lexicon
    from .nlp import Parses, parsed

    lexicon = load_lexicon()
    if not isinstance(analysis.parses, Parses):
        analysis.parses = Parses()
    chosen = [s for s in analysis.sentences if (s.narrative or s.zone == "title") and lexicon.may_trigger(s.text)]
    for sentence, doc in zip(chosen, parsed(s.text for s in chosen)):
        analysis.parses[sentence.index] = doc


def _title_year(doc: Document) -> int | None:
    """A year the title names ("2024 Homs offensive"), the fallback for dates without one."""
    import re

    match = re.search(r"\b(19[5-9]\d|20\d\d)\b", doc.title or "")
    return int(match.group(1)) if match else None


# The extraction stages register themselves on import.
from . import extract as _extract  # noqa: E402,F401

# A document longer than this (characters of its sentences) is extracted a block of paragraphs
# at a time, each block through the stages like a document of its own with what the earlier
# blocks left (`Carry`): time and memory grow with the document's length, not faster.
BLOCK_CHARS = 40_000
PARAGRAPH_CUT = 4


def run(
    document: Document,
    *,
    profile: str = "syria",
    stage_names: Sequence[str] = DEFAULT_STAGES,
    block_chars: int = BLOCK_CHARS,
) -> Analysis:
    """Run the named stages over one document: a long one (past `block_chars`, after the
    "segment" stage) in blocks of whole paragraphs, whose results are joined into one Analysis
    (its sentences and mentions; events and changes merged across blocks; no parses kept)."""
    analysis = Analysis(document=document, profile=profile)
    names = list(stage_names)
    if names[:1] == ["segment"]:
        stages.get("segment")(analysis)
        names = names[1:]
        blocks = paragraph_blocks(analysis.sentences, block_chars)
        if len(blocks) > 1:
            return _run_blocks(analysis, blocks, names)
    for name in names:
        stages.get(name)(analysis)
    return analysis


def paragraph_blocks(sentences: list[Sentence], block_chars: int) -> list[list[Sentence]]:
    """The sentences in consecutive blocks of whole paragraphs, each closed once it holds
    `block_chars` characters; a paragraph longer than any real one (a text without blank
    lines) is cut between sentences past PARAGRAPH_CUT times that."""
    blocks: list[list[Sentence]] = [[]]
    size = 0
    for sentence in sentences:
        current = blocks[-1]
        if size >= block_chars and current and (
                sentence.paragraph != current[-1].paragraph or size >= PARAGRAPH_CUT * block_chars):
            blocks.append([])
            size = 0
        blocks[-1].append(sentence)
        size += len(sentence.text)
    return blocks


def _run_blocks(analysis: Analysis, blocks: list[list[Sentence]], names: list[str]) -> Analysis:
    carry = Carry(sentences=analysis.sentences)
    for number, block in enumerate(blocks):
        carry.last = number == len(blocks) - 1
        part = Analysis(document=analysis.document, profile=analysis.profile, sentences=block, carry=carry)
        for name in names:
            stages.get(name)(part)
        # The block's parses and actors go with it; what the output needs is kept.  So do the
        # time expressions of its sentences (their dates stay), but for its last paragraph,
        # which a list in the next block may still refer back to.
        for sentence in block:
            if sentence.paragraph != block[-1].paragraph:
                sentence.times = []
        analysis.mentions.extend(part.mentions)
        analysis.events.extend(part.events)
        analysis.control_changes.extend(part.control_changes)
    carry.state.clear()  # the items merged across blocks: in the rows now
    return analysis


WARM_UP_TEXT = "On 6 December 2024, opposition forces captured Ar Rastan near Homs."


@functools.cache
def warm(profile: str = "syria") -> None:
    """Load what every stage needs (the gazetteer, the profile, the lexicons, spaCy) into this
    process's caches, once, by extracting one sentence that touches every stage.  A problem
    (a missing profile, say) is left for the first document to report."""
    from .errors import FrontlinesError

    try:
        extract(WARM_UP_TEXT, profile=profile)
    except FrontlinesError:
        pass


_collector_frozen = False


def warm_up(profile: str = "syria") -> None:
    """`warm`, the first time in this process with Python's cyclic garbage collector held
    back: loading spaCy, its model and our tables makes ~80,000 long-lived objects and next to
    no garbage (a score of objects), and the collector, run every 700 new objects, walked them
    again and again (~0.1 s of a start-up).  What the first warm-up loaded is then frozen
    (`gc.freeze`): later collections skip it too, as they would skip it after a few rounds.
    (A threshold, not `gc.disable`: srsly's msgpack reader enables the collector after each
    read.)"""
    global _collector_frozen
    if _collector_frozen or not gc.isenabled():
        warm(profile)
        return
    thresholds = gc.get_threshold()
    gc.set_threshold(1_000_000, *thresholds[1:])
    try:
        warm(profile)
    finally:
        _collector_frozen = True
        gc.freeze()
        gc.set_threshold(*thresholds)


def extract(
    text: str | Document,
    *,
    profile: str = "syria",
    published: date | None = None,
    format: str | None = None,
) -> Analysis:
    """The public entry point: text (or a Document) in, an Analysis with every layer out."""
    from .ingest import read_string

    doc = text if isinstance(text, Document) else read_string(text, format=format, published=published)
    if published is not None:
        doc.published, doc.published_source = published, "given"
    return run(doc, profile=profile)
