"""Finding place names in sentences, with exact offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontlines.geo import Geocoder, find_place_mentions
from frontlines.geo.annotate import document_sentences
from frontlines.ingest import read_document

HOMS_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "dev" / "homs-offensive-2024.txt"


@pytest.fixture(autouse=True)
def geo_env(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory,
            monkeypatch: pytest.MonkeyPatch):
    """A private user folder per test; one compiled base index for the whole session."""
    monkeypatch.setenv("FRONTLINES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path_factory.getbasetemp() / "geo-cache"))
    Geocoder.reset_default()
    yield
    Geocoder.reset_default()


def names(text: str, offset: int = 0) -> list[str]:
    return [surface for _, _, surface in find_place_mentions(text, offset, Geocoder.default())]


@pytest.mark.parametrize(("text", "expected"), [
    # Known names, with articles joined and possessives left out.
    ("Opposition forces captured Al-Rastan, Talbiseh and Al-Dar al-Kabirah.",
     ["Al-Rastan", "Talbiseh", "Al-Dar al-Kabirah"]),
    ("The strikes hit Homs' eastern countryside.", ["Homs"]),
    ("Rebels shelled al-Rastan's outskirts.", ["al-Rastan"]),
    ("Fighting reached As Sukhnah and Ar Raqqah.", ["As Sukhnah", "Ar Raqqah"]),
    ("At Hama, rebels regrouped.", ["Hama"]),
    ("Rebels cut the Homs-Hama highway.", ["Homs", "Hama"]),
    # Unknown names that the words around them introduce as places.
    ("Drone strikes hit the Syrian Arab Army near Tir Ma'la village.", ["Tir Ma'la"]),
    ("Forces withdrew from Teir Maalah, Deir Ful, Al-Wazi'iya Al-Ghasibiyya and Izz al-Din.",
     ["Teir Maalah", "Deir Ful", "Al-Wazi'iya", "Al-Ghasibiyya", "Izz al-Din"]),
    ("Militias entered the village of Umm Sharshuh.", ["Umm Sharshuh"]),
    ("Positions in the Al-Waer district were reinforced.", ["Al-Waer"]),
    ("Rebels captured the mountains Mount Gurab and Jabal al-Ghurab.",
     ["Mount Gurab", "Jabal al-Ghurab"]),
    # Actors, media and calendar words are not places.
    ("Hezbollah announced sending 2,000 fighters, Reuters reported on Monday.", []),
    ("On 6 December, the Syrian Arab Army withdrew.", []),
    ("Hay'at Tahrir al-Sham and the Free Syrian Army advanced on Homs.", ["Homs"]),
    ("Commander Abu Mohammad spoke to reporters.", []),
])
def test_mentions(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_offsets_are_document_offsets() -> None:
    text = "Shelling hit Talbiseh and Deir Ful."
    for start, end, surface in find_place_mentions(text, 1000, Geocoder.default()):
        assert text[start - 1000 : end - 1000] == surface


def test_offsets_in_the_bundled_article() -> None:
    doc = read_document(HOMS_ARTICLE)
    geo = Geocoder.default()
    found = [m for s in document_sentences(doc) for m in find_place_mentions(s.text, s.start, geo)]
    assert len(found) > 50
    assert all(doc.text[start:end] == surface for start, end, surface in found)
    surfaces = {surface for _, _, surface in found}
    expected = {"Teir Maalah", "Al-Zaafaraniyah", "Farhaniyya", "Arida", "Jousieh", "Karyetin"}
    assert expected <= surfaces
    assert not surfaces & {"Hezbollah", "Reuters", "Syrian", "December", "Redwan"}
