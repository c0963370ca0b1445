"""Footnotes: reference entries parsed from citation strings, markers linked to sentences."""

from __future__ import annotations

import pytest

from frontlines.ingest import read_document
from frontlines.text.footnotes import parse_reference_entry, parse_reference_section
from frontlines.text.sentences import segment

from .conftest import EXAMPLE


@pytest.mark.parametrize(
    "entry, title, publisher, date",
    [
        ('1 2 "Syrian army quits Homs". Reuters .', "Syrian army quits Homs", "Reuters", None),
        ('Sedghi, Amy (6 December 2024). "Crisis live". The Guardian. Retrieved 6 December 2024.',
         "Crisis live", "The Guardian", "2024-12-06"),
        ('"Rebels capture Hama". CNN. 5 December 2024. Retrieved 5 December 2024.',
         "Rebels capture Hama", "CNN", "2024-12-05"),
        ('"Factions control Talbiseh" (in Arabic). SOHR. 6 December 2024. Retrieved 7 December 2024.',
         "Factions control Talbiseh", "SOHR", "2024-12-06"),
        ('"Story". Al Jazeera. Retrieved 2024-12-05.', "Story", "Al Jazeera", None),
        ('^ a b "Thousands flee". Reuters. December 6, 2024.', "Thousands flee", "Reuters", "2024-12-06"),
        ('"Rebels advance". Levant Daily, 2 December 2024.', "Rebels advance", "Levant Daily", "2024-12-02"),
        ('أبو (2024-12-05). "عنوان" [Opposition prepares]. Alhal net (in Arabic). Retrieved 2024-12-05.',
         "عنوان", "Alhal net", "2024-12-05"),
    ],
)
def test_parse_reference_entry(entry, title, publisher, date):
    ref = parse_reference_entry(7, entry)
    assert (ref.number, ref.title, ref.publisher, ref.date) == (7, title, publisher, date)


def test_url_is_kept():
    ref = parse_reference_entry(1, '"Hama falls". BBC News. https://www.bbc.co.uk/news/123. 5 Dec 2024.')
    assert ref.url == "https://www.bbc.co.uk/news/123"


def test_reference_section_numbers_every_entry_of_the_example():
    refs = parse_reference_section(EXAMPLE.read_text(encoding="utf-8"))
    assert sorted(refs) == list(range(1, 34))
    assert refs[24].title == "Syria's defense ministry denies report that government troops withdrew from Homs"
    assert refs[19].publisher == "SOHR" and refs[19].date == "2024-12-06"


def test_sentences_point_to_their_references():
    doc = read_document(EXAMPLE)
    by_start = {s.text.split(",")[0]: s for s in segment(doc)}
    withdrew = next(s for s in segment(doc) if s.text.startswith("Meanwhile, pro-government forces withdrew"))
    assert withdrew.footnotes == [20, 21, 22, 23]
    assert all(n in doc.references for n in withdrew.footnotes)
    assert by_start["On 5 December"].footnotes == [16, 17]
    denial = next(s for s in segment(doc) if s.text.startswith("The Syrian Defense Ministry denied"))
    assert denial.footnotes == [25]


def test_no_reference_section_means_no_references():
    assert parse_reference_section("Rebels took Hama. [1]\n\nThe army left.") == {}


def test_a_footnote_closing_a_paragraph_sources_its_unsourced_sentences():
    from frontlines.ingest import read_string

    text = ("Fighting in the north\n\n"
            "Rebels entered the village of Kafr Example at dawn. They cut the road to the south. "
            "Troops shelled the bridge. [3] Later the rebels took the hill. [4] [5]\n\n"
            "A quiet paragraph with no notes at all ends here.\n\n"
            "References\n\n1. \"Rebels advance\". Levant Daily.\n3. \"Bridge\". Wire.\n"
            "4. \"Hill\". Wire.\n5. \"Hill again\". Post.\n")
    sentences = [s for s in segment(read_string(text, format="text")) if s.narrative]
    notes = {s.text: s.footnotes for s in sentences}
    assert notes["Rebels entered the village of Kafr Example at dawn."] == [4, 5]
    assert notes["They cut the road to the south."] == [4, 5]
    assert notes["Troops shelled the bridge."] == [3]  # its own marker is kept
    assert notes["Later the rebels took the hill."] == [4, 5]
    assert notes["A quiet paragraph with no notes at all ends here."] == []
