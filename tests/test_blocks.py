"""A long document is extracted in blocks of paragraphs (pipeline.run): the same events and
control changes as extracting it whole, dates and places carried from block to block, and
evidence offsets into the document's own text."""

from __future__ import annotations

from datetime import date

from frontlines.ingest import read_string
from frontlines.model import Analysis
from frontlines.pipeline import paragraph_blocks, run, segment_stage

# Paragraphs of our own, in the styles the extractor reads: dated captures, strikes, a
# withdrawal, references back to a place ("the town").
PARAGRAPHS = [
    "On 14 March 2023, opposition fighters captured Saraqib after two days of clashes with "
    "government forces. Fighters then pushed towards the M5 highway.",
    "Russian warplanes struck Ariha on 15 March 2023, killing four civilians, according to "
    "rescue workers. The strikes also hit a market in the town.",
    "Government forces withdrew from Maarat al-Numan on 16 March 2023 as the rebels advanced "
    "from the north.",
    "The Syrian Democratic Forces took control of Manbij on 17 March 2023. Turkish-backed "
    "factions shelled the outskirts of the city the next day.",
    "Clashes between government forces and opposition fighters continued near Kafr Nabl on "
    "18 March 2023, with no change on the front.",
]


def long_text(repeats: int) -> str:
    return "Reports from the front\n\n" + "\n\n".join(PARAGRAPHS * repeats) + "\n"


def analyse(text: str, published: date | None, block_chars: int | None = None):
    doc = read_string(text, published=published)
    return run(doc) if block_chars is None else run(doc, block_chars=block_chars)


def blocks_of(text: str, block_chars: int):
    analysis = Analysis(document=read_string(text, published=None))
    segment_stage(analysis)
    return analysis.sentences, paragraph_blocks(analysis.sentences, block_chars)


def test_blocks_hold_whole_paragraphs():
    sentences, blocks = blocks_of(long_text(4), 600)
    assert len(blocks) > 3
    assert [s for block in blocks for s in block] == sentences
    for before, after in zip(blocks, blocks[1:]):
        assert before[-1].paragraph != after[0].paragraph  # never split inside a paragraph
    assert len(blocks_of(long_text(4), 10**6)[1]) == 1


def test_a_text_without_paragraphs_is_cut_between_sentences():
    one_paragraph = "Reports from the front\n\n" + " ".join(PARAGRAPHS * 6) + "\n"
    sentences, blocks = blocks_of(one_paragraph, 200)
    assert len({s.paragraph for s in sentences}) == 2  # the title and one long paragraph
    assert len(blocks) > 2
    assert all(sum(len(s.text) for s in block) < 5 * 200 for block in blocks)


def test_blockwise_gives_what_the_whole_document_gives():
    text = long_text(4)
    whole = analyse(text, date(2023, 3, 20))
    blockwise = analyse(text, date(2023, 3, 20), block_chars=600)
    assert whole.control_changes and whole.events
    assert blockwise.events == whole.events
    assert blockwise.control_changes == whole.control_changes
    assert [m.start for m in blockwise.mentions] == [m.start for m in whole.mentions]
    # restatements in later blocks merged into the first block's rows
    assert any(len(e["corroboration"]) >= 3 for e in blockwise.events)


def test_a_block_that_names_no_year_takes_the_earlier_blocks_year():
    filler = ("Fighting continued along the front line through the week, residents said, and "
              "aid groups warned of shortages of bread and fuel in the displacement camps.")
    text = ("Reports from the front\n\n"
            "On 2 June 2019, rebels captured Kafr Nabl after heavy fighting.\n\n"
            f"{filler}\n\n"
            "On 9 June, government forces recaptured Kafr Nabl from the rebels.\n")
    analysis = analyse(text, published=None, block_chars=40)
    blocks = blocks_of(text, 40)[1]
    assert len(blocks) == 3 and "9 June" in blocks[2][0].text
    dates = sorted(c["date"] for c in analysis.control_changes)
    assert dates == ["2019-06-02", "2019-06-09"]


def test_evidence_offsets_point_into_the_document_text():
    text = long_text(3)
    analysis = analyse(text, date(2023, 3, 20), block_chars=500)
    rows = analysis.events + analysis.control_changes
    assert rows
    for row in rows:
        start, end = row["evidence_span"]
        assert text[start:end] == row["evidence"]
    for mention in analysis.mentions:
        assert text[mention.start:mention.end] == mention.text
