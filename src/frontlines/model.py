"""The data contract shared by every stage: documents, sentences, dates, places, events, changes.

Stages add layers to an `Analysis` and never reach around each other:
Document -> sentences (with zones, footnotes, dates) -> mentions -> events -> control changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

# Zones a stretch of document text can belong to.  Only NARRATIVE_ZONES are the document's
# own account of events; the others (mirror-site chrome, infobox, captions, reference list,
# blurbs of related articles) are kept in the text so offsets stay exact, but extraction
# skips them.
ZONE_TITLE = "title"
ZONE_CHROME = "chrome"
ZONE_INFOBOX = "infobox"
ZONE_HEADING = "heading"
ZONE_CAPTION = "caption"
ZONE_LEAD = "lead"
ZONE_BODY = "body"
ZONE_RELATED = "related"
ZONE_REFERENCES = "references"
ZONE_APPENDIX = "appendix"  # "See also", "External links", "Further reading", ...
NARRATIVE_ZONES = frozenset({ZONE_LEAD, ZONE_BODY})

PRECISIONS = ("day", "week", "month", "year")


def content_id(text: str) -> str:
    """Stable document id: a hash of the text, so the same content always gets the same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Reference:
    """One entry of a document's reference list, which footnote markers point to."""

    number: int
    text: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO date of publication when the entry states one
    url: str | None = None


@dataclass(slots=True)
class Zone:
    """A span of the document text of one kind (see the ZONE_* constants)."""

    start: int
    end: int
    kind: str
    label: str | None = None  # the section heading or infobox field it belongs to


@dataclass(slots=True)
class Document:
    """What a reader produces: the text as a reader sees it, plus what surrounds it."""

    text: str
    doc_id: str = ""
    title: str | None = None
    url: str | None = None
    published: date | None = None
    # Where `published` came from: given | dates-file | declared | dateline | file-name | default
    published_source: str | None = None
    references: dict[int, Reference] = field(default_factory=dict)
    infobox: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # the path or name it was read from
    format: str = "text"
    # Zones a reader already knows (e.g. wikitext headings); segmentation finds the rest.
    zones: list[Zone] = field(default_factory=list)
    # Offset where the document's own narrative ends (mirror "Related articles", reference list).
    narrative_end: int | None = None
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.doc_id:
            self.doc_id = content_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "published_source": self.published_source if self.published else None,
            "source": self.source,
            "format": self.format,
            "length": len(self.text),
            "narrative_end": self.narrative_end,
            "infobox": self.infobox,
            "references": [asdict(r) for r in sorted(self.references.values(), key=_ref_key)],
            "warnings": self.warnings,
        }


def _ref_key(ref: Reference) -> int:
    return ref.number


@dataclass(slots=True)
class TimeExpression:
    """A temporal phrase in the text and what it resolves to.

    `role` is "event" when the phrase dates what the sentence reports ("On 6 December ...")
    and "reference" when it only measures from another time ("the first since 2012").
    """

    start: int
    end: int
    text: str
    value: date | None
    precision: str | None  # one of PRECISIONS
    kind: str  # explicit | partial | relative | deictic | weekday | range | reference
    role: str = "event"
    part_of_day: str | None = None  # morning | afternoon | evening | night


@dataclass(slots=True)
class SentenceDate:
    """The date a sentence's events happened on, and how it was arrived at."""

    value: date | None
    precision: str | None
    basis: str  # explicit | relative | weekday | deictic | inherited | published | none
    expression: TimeExpression | None = None
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.value.isoformat() if self.value else None,
            "precision": self.precision,
            "basis": self.basis,
            "phrase": self.expression.text if self.expression else None,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Sentence:
    """A sentence with exact offsets into the document text: text == doc.text[start:end]."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0
    section: str | None = None
    zone: str = ZONE_BODY
    footnotes: list[int] = field(default_factory=list)  # reference numbers, in order
    times: list[TimeExpression] = field(default_factory=list)
    date: SentenceDate | None = None

    @property
    def narrative(self) -> bool:
        return self.zone in NARRATIVE_ZONES

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "span": [self.start, self.end],
            "text": self.text,
            "paragraph": self.paragraph,
            "section": self.section,
            "zone": self.zone,
            "footnotes": self.footnotes,
            "date": self.date.to_dict() if self.date else None,
        }


@dataclass(slots=True)
class Place:
    """A gazetteer entry a mention resolved to."""

    name: str
    latitude: float | None
    longitude: float | None
    place_id: str | None = None  # "gn:<geonameid>" or "user:<n>"
    geonames_id: int | None = None
    country: str | None = None
    iso: str | None = None  # ISO 3166-1 alpha-2
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str | None = None
    population: int | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Carry:
    """What one block of a long document hands on to the next (`pipeline.run` extracts such a
    document a block of paragraphs at a time): the whole document's sentences, each stage's
    running state under the stage's name (the date and year the story has reached, the places
    set up for "the city", the items merged so far), and whether this block is the last."""

    sentences: list[Sentence]
    state: dict[str, Any] = field(default_factory=dict)
    last: bool = False


@dataclass(slots=True)
class Analysis:
    """A document and the layers the pipeline stages add to it (for one block of a long
    document, `sentences` are the block's and `carry` what the earlier blocks left)."""

    document: Document
    profile: str = "syria"
    sentences: list[Sentence] = field(default_factory=list)
    # Actor mentions per sentence index (offsets within the sentence), set by the "actors" stage.
    actors: dict[int, list[Any]] = field(default_factory=dict)
    # The linguistic layer: a spaCy Doc per parsed sentence index (offsets within the sentence),
    # set by the "parse" stage (`frontlines.nlp.Parses`: bounded memory for a long document).
    parses: dict[int, Any] = field(default_factory=dict)
    mentions: list[Any] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    control_changes: list[dict[str, Any]] = field(default_factory=list)
    carry: Carry | None = None  # None: the whole document at once

    @property
    def narrative_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.narrative]

    def to_contract(self) -> dict[str, Any]:
        """The output contract of `frontlines extract --json` (see SPEC.md)."""
        return {
            "document": self.document.to_dict(),
            "events": self.events,
            "control_changes": self.control_changes,
        }


@dataclass(slots=True)
class PlaceMention:
    """A place name in a sentence and where it resolved (or was approximately placed).

    geo_precision follows ACLED: 1 the place itself, 2 near a named town (the name is unknown
    and was placed at a town the context names), 3 a governorate or wider region.
    """

    start: int  # offsets into the document text
    end: int
    text: str
    sentence: int  # index of the sentence it occurs in
    place: Place | None
    matched_alias: str | None = None
    confidence: float = 1.0
    geo_precision: int = 1
    approximate_to: str | None = None  # the place an unresolved name was placed near
    site: bool = False  # an installation or building named after the town it lies in
    site_town: PlaceMention | None = None  # a site's town, where the text or context gives it
