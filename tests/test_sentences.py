"""Sentence segmentation: exact offsets, boundaries, zones and footnote links."""

from __future__ import annotations

import pytest

from frontlines.ingest import read_document, read_string
from frontlines.model import Document
from frontlines.text.sentences import MAX_SENTENCE, segment

from .conftest import EXAMPLE

WRAPPED = ("Rebels took the town of Talbiseh after a long fight lasting until\n"
           "dawn, monitors said on Friday, and then went on with their push\ntowards Homs.")


def texts(text: str) -> list[str]:
    return [s.text for s in segment(Document(text=text)) if s.narrative]


def test_offsets_round_trip_on_the_example():
    doc = read_document(EXAMPLE)
    sentences = segment(doc)
    assert len(sentences) > 100
    for sentence in sentences:
        assert doc.text[sentence.start:sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Rebels took Hama. The army left.", ["Rebels took Hama.", "The army left."]),
        ("Gen. Smith said U.S. forces stayed. They left on Monday.",
         ["Gen. Smith said U.S. forces stayed.", "They left on Monday."]),
        ("The toll rose to 3.5 thousand. Monitors said so.",
         ["The toll rose to 3.5 thousand.", "Monitors said so."]),
        ('He said "we will win." Then he left.', ['He said "we will win."', "Then he left."]),
        ("Fighting began (in the north.) Rebels advanced.",
         ["Fighting began (in the north.)", "Rebels advanced."]),
        ("Is Homs next? Rebels say yes!", ["Is Homs next?", "Rebels say yes!"]),
        ("Rebels captured Hama. [16] [17] Thousands fled. [18]",
         ["Rebels captured Hama.", "Thousands fled."]),
        ("The ministry denied these reports [25] Government forces called an airstrike.",
         ["The ministry denied these reports", "Government forces called an airstrike."]),
        ("Turkish-backed [12] rebel groups advanced.", ["Turkish-backed [12] rebel groups advanced."]),
        (WRAPPED, [WRAPPED]),
        ("- Rebels took Hama\n- The army left Homs", ["- Rebels took Hama", "- The army left Homs"]),
        ("قال المرصد إن الفصائل سيطرت على المدينة. وانسحبت قوات النظام.",
         ["قال المرصد إن الفصائل سيطرت على المدينة.", "وانسحبت قوات النظام."]),
    ],
)
def test_boundaries(text, expected):
    assert texts(text) == expected


def test_trailing_markers_link_to_their_sentence():
    doc = Document(text="Rebels captured Hama. [16] [17] Thousands fled. [18]\n\nThe army left.")
    first, second, third = segment(doc)
    assert first.footnotes == [16, 17]
    assert second.footnotes == [18]
    assert third.footnotes == []
    assert third.paragraph == 1


def test_inline_markers_link_too():
    (sentence,) = segment(Document(text="Allied Turkish-backed [12] rebel groups advanced on Homs."))
    assert sentence.footnotes == [12]


def test_long_run_without_stops_is_cut_at_spaces():
    text = "word " * 2000 + "end."
    sentences = segment(Document(text=text))
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_example_zones_keep_chrome_and_blurbs_out_of_the_narrative():
    doc = read_document(EXAMPLE)
    sentences = segment(doc)
    by_zone = {}
    for s in sentences:
        by_zone.setdefault(s.zone, []).append(s.text)
    assert doc.title == "2024 Homs offensive"
    assert "Last updated" in by_zone["chrome"]
    assert any(t.startswith("The 2024 Homs offensive was a military operation") for t in by_zone["lead"])
    assert any(t.startswith("On 6 December 2024, opposition forces captured") for t in by_zone["body"])
    # The related-article blurbs and the reference list are kept, but not as narrative.
    assert any("Taqsis" in t for t in by_zone["related"])
    assert any(t.startswith("1.") for t in by_zone["references"])
    narrative = " ".join(s.text for s in sentences if s.narrative)
    assert "Taqsis" not in narrative and "Jumaqliyah" not in narrative
    assert "jsr lrstn" not in narrative  # the image caption
    assert "Date5 December 2024" not in narrative  # infobox line
    assert doc.narrative_end == doc.text.index("Related Research Articles")


def test_sections_follow_headings():
    doc = read_string(
        "Title of a story\n\nRebels advanced on the town today.\n\nBackground\n\n"
        "The war began in 2011.\n\nReferences\n\n1. \"A story\". Reuters. 6 December 2024."
    )
    sentences = segment(doc)
    background = [s for s in sentences if s.text.startswith("The war began")][0]
    assert background.section == "Background" and background.narrative
    assert doc.references[1].publisher == "Reuters"
    assert doc.references[1].date == "2024-12-06"
