"""Layout: paragraphs of a document and the zone each belongs to (title, infobox, body, ...).

Plain text copied from a web page or a Wikipedia mirror carries chrome around the story:
"Last updated", "Contents", an infobox flattened into short lines, image captions (often
twice, once with the file name), a reference list and blocks of other articles' blurbs.
The text is kept whole so offsets stay exact; each paragraph is labelled with a zone and
only the lead and body zones are narrative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..model import (
    ZONE_APPENDIX,
    ZONE_BODY,
    ZONE_CAPTION,
    ZONE_CHROME,
    ZONE_HEADING,
    ZONE_INFOBOX,
    ZONE_LEAD,
    ZONE_REFERENCES,
    ZONE_RELATED,
    ZONE_TITLE,
    Document,
    Zone,
)
from .footnotes import MARKER_RUN, REFERENCE_HEADINGS

# Section headings that end the document's own narrative, and the zone that follows them.
CLOSING_HEADINGS = {
    **{h: ZONE_REFERENCES for h in REFERENCE_HEADINGS},
    "related research articles": ZONE_RELATED,
    "related articles": ZONE_RELATED,
    "related": ZONE_RELATED,
    "read more": ZONE_RELATED,
    "more on this story": ZONE_RELATED,
    "see also": ZONE_APPENDIX,
    "external links": ZONE_APPENDIX,
    "further reading": ZONE_APPENDIX,
}
# Lines that mirror sites and web pages print around an article.
CHROME_LINES = frozenset(
    {"last updated", "contents", "jump to content", "from wikipedia, the free encyclopedia",
     "main menu", "navigation", "toggle the table of contents", "edit", "share", "advertisement",
     "skip to main content", "hide", "show", "print", "sign in", "subscribe"}
)
_IMAGE_FILE = re.compile(r"\S+\.(?:jpe?g|png|svg|gif|webp|tiff?)\b", re.I)
_HTML_TAG_LINE = re.compile(r"^\s*<span class=")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# A newline, then one or more lines of nothing but spaces and tabs (starting at the newline
# keeps it linear on a megabyte of spaces).
_BLANK_LINES = re.compile(r"\n(?:[^\S\n]*\n)+")
# Footnote markers, matched from their bracket only (linear on long runs of spaces).
_MARKERS = re.compile(r"\[\s*\d{1,4}\s*\]")
# Longer than this, a line is no heading (its markers stripped or not).
_HEADING_MAX = 80
_HEADING_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|=+\s*)(.+?)(?:\s*=+)?\s*$")


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    text: str
    zone: str = ZONE_BODY
    section: str | None = None


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks, trimmed, with exact offsets.  A line of spaces or tabs
    is blank, and spaces before it do not join the paragraphs around it."""
    found = []
    start = 0
    for gap in _BLANK_LINES.finditer(text):
        _add_trimmed(found, text, start, gap.start())
        start = gap.end()
    _add_trimmed(found, text, start, len(text))
    return found


def _add_trimmed(found: list[Paragraph], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(Paragraph(start, end, text[start:end]))


def guess_title(text: str) -> str | None:
    """The first line when it reads as a title (short, no closing punctuation)."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if _is_heading_like(line, max_words=16) else None
    return None


def guess_published(text: str, paragraphs_to_look: int = 6) -> date | None:
    """A date standing alone near the top ("11 December 2024", "Published: Dec 6, 2024
    14:02 GMT") is when the story was published."""
    from .dates import find_time_expressions, is_date_line

    for para in paragraphs(text[:3000])[:paragraphs_to_look]:
        line = para.text.strip()
        if len(line) > 60 or "\n" in line:
            continue
        found = [t for t in find_time_expressions(line) if t.value is not None and t.precision == "day"]
        if len(found) == 1 and is_date_line(line, found[0].start, found[0].end):
            return found[0].value
    return None


def heading_text(line: str) -> str:
    """A heading without markdown or wikitext markup."""
    match = _HEADING_MARKUP.match(line)
    return (match.group(1) if match else line).strip()


def _is_heading_like(line: str, max_words: int = 8) -> bool:
    if len(line) > 4 * _HEADING_MAX:
        return False
    stripped = MARKER_RUN.sub("", line).strip()
    if not stripped or "\n" in stripped or len(stripped) > _HEADING_MAX:
        return False
    if _HEADING_MARKUP.match(stripped):
        return True
    words = _WORD.findall(stripped)
    if not words or len(words) > max_words:
        return False
    return not re.search(r"[.!?;,:]$", stripped) and (stripped[0].isupper() or stripped[0].isdigit())


def _is_prose(text: str) -> bool:
    """A paragraph of running sentences, not a label, list of names or caption."""
    body = _MARKERS.sub("", text).strip()
    return _has_words(body, 4) and bool(_SENTENCE_END.search(body))


def _has_words(text: str, count: int) -> bool:
    for seen, _ in enumerate(_WORD.finditer(text), start=1):
        if seen >= count:
            return True
    return False


def classify(doc: Document) -> list[Paragraph]:
    """Paragraphs of `doc` with their zone and section; reader-given zones take precedence."""
    paras = paragraphs(doc.text)
    known = sorted(doc.zones, key=lambda z: z.start)
    state = _LayoutState()
    for index, para in enumerate(paras):
        given = _given_zone(para, known)
        if given is not None:
            para.zone = given.kind
            if given.kind == ZONE_HEADING:
                state.enter_section(given.label or para.text)
            para.section = state.section
            continue
        para.zone = state.zone_for(para, index, paras)
        para.section = state.section
    if not state.lead_seen:
        # No running prose anywhere (a list of dispatches, say): read every line as body.
        for para in paras:
            if para.zone == ZONE_INFOBOX:
                para.zone = ZONE_BODY
    _lead_is_first_paragraph_without_headings(paras)
    return paras


def _lead_is_first_paragraph_without_headings(paras: list[Paragraph]) -> None:
    """A story with no section headings (a news report) has a lead of one paragraph, the
    opening one; the rest is body.  With headings, the lead runs to the first heading."""
    if any(p.zone == ZONE_HEADING for p in paras):
        return
    leads = [p for p in paras if p.zone == ZONE_LEAD]
    for para in leads[1:]:
        para.zone = ZONE_BODY


def _given_zone(para: Paragraph, zones: list[Zone]) -> Zone | None:
    for zone in zones:
        if zone.start <= para.start and para.end <= zone.end:
            return zone
    return None


class _LayoutState:
    """Walks paragraphs in order, remembering the section and whether the lead has begun."""

    def __init__(self) -> None:
        self.section: str | None = None
        self.closing_zone: str | None = None  # set once a references/related heading is seen
        self.lead_seen = False
        self.in_lead = False
        self.last_caption: str | None = None

    def enter_section(self, title: str) -> None:
        self.section = heading_text(title)
        self.in_lead = False
        self.closing_zone = CLOSING_HEADINGS.get(self.section.lower().strip(" :"), self.closing_zone)

    def zone_for(self, para: Paragraph, index: int, paras: list[Paragraph]) -> str:
        text = para.text
        first_line = text.split("\n", 1)[0].strip()
        if index == 0 and _is_heading_like(text, max_words=16):
            return ZONE_TITLE
        if text.strip().lower() in CHROME_LINES or _HTML_TAG_LINE.match(text):
            return ZONE_CHROME
        if _is_heading_like(text):
            heading = heading_text(text).lower().strip(" :")
            if self.lead_seen or heading in CLOSING_HEADINGS:
                self.enter_section(text)
                return ZONE_HEADING
        if self.closing_zone is not None:
            return self.closing_zone
        if self._is_caption(text):
            return ZONE_CAPTION
        if not self.lead_seen:
            if _is_prose(text) and not first_line.lower().startswith(("part of ", "map of ")):
                self.lead_seen = self.in_lead = True
                return ZONE_LEAD
            return ZONE_INFOBOX
        return ZONE_LEAD if self.in_lead else ZONE_BODY

    def _is_caption(self, text: str) -> bool:
        """An image caption: it names an image file, or repeats the caption before it."""
        flat = " ".join(text.split())
        if len(flat) < 600 and _IMAGE_FILE.search(flat):  # length first: \S+ is quadratic on a long word
            self.last_caption = _IMAGE_FILE.sub("", flat).strip()
            return True
        if self.last_caption and flat and (self.last_caption.startswith(flat) or flat.startswith(self.last_caption)):
            return True
        self.last_caption = None
        return False
