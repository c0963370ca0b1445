"""Place mentions of a whole document: found, resolved in context, or placed approximately."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ..model import Document, Place, PlaceMention, Sentence
from .geocoder import Geocoder, Resolution, is_area
from .mentions import find_place_mentions

DOCUMENT_CONTEXT = 12  # earlier places of the document that count as context for a paragraph
NOT_PLACED = 0  # geo_precision of a mention that could not even be placed approximately
_FALLBACK_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s)|$)", re.M)


def document_sentences(doc: Document) -> list[Sentence]:
    """The document's narrative sentences (all of them when segmentation finds no narrative)."""
    try:
        from ..text.sentences import segment
    except ImportError:  # no segmentation: sentences at full stops, paragraphs at blank lines
        return list(_split(doc.text))
    sentences = segment(doc)
    narrative = [s for s in sentences if s.narrative]
    return narrative or sentences


def _split(text: str) -> Iterator[Sentence]:
    paragraph, index, last_end = 0, 0, 0
    for match in _FALLBACK_SENTENCE.finditer(text):
        if not match.group().strip():
            continue
        if "\n\n" in text[last_end : match.start()]:
            paragraph += 1
        yield Sentence(index, match.start(), match.end(), match.group(), paragraph=paragraph)
        index, last_end = index + 1, match.end()


def place_mentions(doc: Document, geo: Geocoder,
                   sentences: Sequence[Sentence] | None = None) -> list[PlaceMention]:
    """Every place mention of the document, resolved paragraph by paragraph (the names of a
    paragraph are context for each other, earlier places of the document too).  A name the
    gazetteer lacks is kept and placed near a town named around it (geo_precision 2) or in
    a region (3); never dropped."""
    sentences = list(sentences) if sentences is not None else document_sentences(doc)
    mentions: list[PlaceMention] = []
    earlier: list[Place] = []
    for paragraph in _paragraphs(sentences):
        found = [(s, m) for s in paragraph for m in find_place_mentions(s.text, s.start, geo)]
        resolved = geo.resolve_all([m[2] for _, m in found], context=earlier[-DOCUMENT_CONTEXT:],
                                   groups=[s.index for s, _ in found])
        para_mentions = [_mention(s, m, r) for (s, m), r in zip(found, resolved, strict=True)]
        for mention in para_mentions:
            if mention.place is None:
                _place_approximately(mention, para_mentions, earlier, geo)
        mentions.extend(para_mentions)
        earlier.extend(m.place for m in para_mentions if m.place and m.geo_precision == 1)
    return mentions


def _paragraphs(sentences: list[Sentence]) -> Iterator[list[Sentence]]:
    group: list[Sentence] = []
    for sentence in sentences:
        if group and sentence.paragraph != group[-1].paragraph:
            yield group
            group = []
        group.append(sentence)
    if group:
        yield group


def _mention(sentence: Sentence, found: tuple[int, int, str],
             resolution: Resolution | None) -> PlaceMention:
    start, end, surface = found
    mention = PlaceMention(start, end, surface, sentence.index, None, confidence=0.0,
                           geo_precision=NOT_PLACED)
    if resolution is not None:
        _apply(mention, resolution)
    return mention


def _apply(mention: PlaceMention, resolution: Resolution) -> None:
    mention.place = resolution.place
    mention.matched_alias = resolution.matched_alias
    mention.confidence = resolution.confidence
    mention.geo_precision = resolution.geo_precision
    mention.approximate_to = resolution.approximate_to


def _place_approximately(mention: PlaceMention, paragraph: list[PlaceMention],
                         earlier: list[Place], geo: Geocoder) -> None:
    """Anchor an unknown name at the nearest town mentioned: in its sentence first (nearest
    in the text), then earlier in its paragraph, then earlier in the document; else at a
    region its sentence names."""
    placed = [m for m in paragraph if m.place is not None]
    towns = [m for m in placed if m.geo_precision == 1 and _is_town(m.place)]
    same = sorted((m for m in towns if m.sentence == mention.sentence),
                  key=lambda m: abs(m.start - mention.start))
    before = [m.place for m in towns if m.start < mention.start]
    before = before or [p for p in earlier if _is_town(p)]
    near = same[0].place if same else before[-1] if before else None
    regions = [m.place for m in placed if m.geo_precision == 3 and m.sentence == mention.sentence]
    resolution = geo.approximate(mention.text, near=near, region=regions[0] if regions else None)
    if resolution is not None:
        _apply(mention, resolution)


def _is_town(place: Place) -> bool:
    return not is_area(place.feature_code)
