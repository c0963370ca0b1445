"""Temporal anchoring: walk a document's sentences in order and give each a date and precision.

Every sentence gets `times` (its phrases, resolved, in document offsets) and `date`.

The sentence's own date is its first event-role phrase of the finest precision that
resolved ("On 6 December 2024 ...", "By night, ...", "Rebels on Sunday ...").  Phrases with
role "reference" ("since the March 2020 ceasefire") never date a sentence.  "Two days
after the fall of Hama on 5 December" (no comma) is measured from the date that follows,
which then counts as a reference.

Narrative context (only lead/body sentences read or change it; an infobox, caption,
reference list or related-article blurb still gets a date when it states one):
- current: the date of the last narrative sentence that stated one.  Relative phrases
  ("that day", "the next day", "by the afternoon") resolve against it; before any date,
  against the publication date.
- horizon: the latest day/week-precision narrative date so far.
- background: a current date of month/year precision, or more than BACKGROUND_GAP before
  the horizon (a history aside in a news story, a Background section).
- story: the last day/week-precision narrative date that was not background, initially
  the publication date.
- year: the year of the last dated narrative sentence.  A yearless date ("5 December")
  takes it when it was stated in the same paragraph or was not background; otherwise the
  story's year; else the publication's year (the date kept on or before publication);
  else `default_year`.
A sentence without a date of its own inherits `current`: in the same paragraph with
INHERIT_SAME_PARAGRAPH of its confidence, across a paragraph break INHERIT_NEW_PARAGRAPH,
across a section heading INHERIT_NEW_SECTION.  When `current` came from an earlier
paragraph and is background, the sentence falls back to the story date instead (a dated
aside does not leak into unrelated later paragraphs).  With no date at all yet: the
publication date (basis "published"), else 1 January of `default_year` at year precision
(basis "inherited"), else no date (basis "none").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from ..errors import FrontlinesError
from ..model import Sentence, SentenceDate, TimeExpression
from .dates import (
    OPERATION_RE,
    PRECISION_RANK,
    Anchor,
    Resolved,
    TimePhrase,
    is_date_line,
    resolve,
    scan,
)

BACKGROUND_GAP = timedelta(days=60)
# "launched the offensive on 4 June", "the operation began on 4 June": when it started.
_OPERATION_START = re.compile(
    rf"\b(?:launch(?:ed|es|ing)?|beg[au]n|start(?:ed|s)?|kick(?:ed)?\s+off|initiat(?:ed|es)|erupted|broke\s+out)\b"
    rf"[^.;]{{0,80}}?\b(?:{OPERATION_RE})\b|\b(?:{OPERATION_RE})\b[^.;]{{0,60}}?"
    r"\b(?:was\s+launched|began|started|kicked\s+off|got\s+under\s*way|erupted|broke\s+out)\b", re.IGNORECASE)
# "The war erupted when ...": a sentence telling how the operation began, told without a date.
_OUTBREAK_TOLD = re.compile(
    rf"^\W*(?:the|this|that|its|their)\s+(?:[\w-]+\s+){{0,2}}?(?:{OPERATION_RE})\s+(?:had\s+)?"
    r"(?:erupted|broke\s+out|began|started|was\s+launched|kicked\s+off)\b", re.IGNORECASE)
OUTBREAK_CONFIDENCE = 0.8
# "since the army abandoned it in 2017": the date bounds a state that lasts until now; it
# dates its own clause but is not where the story stands.
_SINCE_CLAUSE = re.compile(r"\bsince\b[^,.;:]{0,80}$", re.IGNORECASE)
OPENING_FALLBACK = 0.3
_TIMESTAMP = re.compile(r"^\s*\d{1,2}[:.]\d{2}\s*(?:[AaPp]\.?[Mm]\.?\s*)?(?:GMT|UTC|BST|CET|EET|local\s+time)?\s*[-—–:|]")
INHERIT_SAME_PARAGRAPH = 0.9
INHERIT_NEW_PARAGRAPH = 0.8
INHERIT_NEW_SECTION = 0.6
STORY_FALLBACK = 0.7
PUBLISHED_FALLBACK = 0.6
DEFAULT_YEAR_FALLBACK = 0.3
COARSE = frozenset({"month", "year"})
STORY_PRECISIONS = frozenset({"day", "week"})
# TimeExpression.kind -> SentenceDate.basis
BASIS_OF_KIND = {
    "explicit": "explicit", "partial": "explicit", "range": "explicit",
    "relative": "relative", "weekday": "weekday", "deictic": "deictic",
}


def anchor_dates(
    sentences: list[Sentence],
    *,
    published: date | None = None,
    default_year: int | None = None,
    present: Callable[[Sentence], bool] | None = None,
    story: _Narrative | None = None,
) -> _Narrative:
    """Set `times` and `date` on every sentence, reading them in document order.

    `present` says whether a sentence is told in the present ("is considered", "has
    claimed"): such a sentence speaks from the story's time, not from a background date
    told just before it.  Without it, only paragraph breaks end a background aside.

    A long document is dated a block at a time: `story` is what the earlier blocks said about
    time (from `begin_story` for the first), and the state after these sentences is returned
    for the next block."""
    if story is None:
        story = begin_story(sentences, published=published, default_year=default_year)
    story.present = present
    for sentence in sentences:
        story.visit(sentence)
    if not story.opened:
        story.opened = _date_the_opening(sentences)
    return story


def begin_story(sentences: list[Sentence], *, published: date | None = None,
                default_year: int | None = None) -> _Narrative:
    """The time of a story before its first sentence: its publication date, the year its title
    names, and the start of the operation it tells of (the first one `sentences` states)."""
    if isinstance(published, datetime):
        published = published.date()  # a datetime does not compare with a date
    if published is not None and not isinstance(published, date):
        raise FrontlinesError(f"publication date must be a date, got {published!r}")
    start = _first_operation_start(sentences, Anchor(published=published, default_year=default_year))
    return _Narrative(published=published, default_year=default_year, operation=start)


def _no_date() -> SentenceDate:
    return SentenceDate(value=None, precision=None, basis="none", confidence=0.0)


@dataclass(slots=True)
class _Narrative:
    """What the story has said about time so far."""

    published: date | None = None
    default_year: int | None = None
    present: Callable[[Sentence], bool] | None = None
    operation: date | None = None  # when the operation the story tells of began
    current: SentenceDate | None = None
    current_paragraph: int | None = None
    current_section: str | None = None
    horizon: date | None = None
    story: SentenceDate | None = None
    year: int | None = None
    year_paragraph: int | None = None
    year_background: bool = False
    # The last date a non-narrative sentence stated, and its paragraph.
    aside: SentenceDate | None = None
    aside_paragraph: int | None = None
    # The day a live blog's entries belong to: its last date heading, else the publication date.
    entry_day: SentenceDate | None = None
    # When the text said the operation began ("since the war began in April 2023").
    outbreak: SentenceDate | None = None
    opened: bool = False  # the text has told a date: the sentences before it are dated

    def __post_init__(self) -> None:
        if self.published is not None:
            self.story = SentenceDate(self.published, "day", "published",
                                      confidence=PUBLISHED_FALLBACK)
            self.entry_day = self.story
            self.horizon = self.published  # a story tells what led up to its publication

    def visit(self, sentence: Sentence) -> None:
        if self.entry_day is not None and _TIMESTAMP.match(sentence.text):
            # A live blog's timestamped entry ("07:45 GMT — ...") starts from the day's heading,
            # not from "yesterday" in the entry before it.
            self.current = self.entry_day
        phrases = scan(sentence.text, sentence.start)
        resolved = self._resolve_all(phrases, sentence)
        sentence.times = [r.expression() for r in resolved]
        own = _own_date(resolved, sentence.times)
        if own is not None:
            sentence.date = own
            if not sentence.narrative and self._is_date_heading(sentence):
                # "Sunday 1 December 2024" over a day's entries dates what follows.
                self.entry_day = own
                self._remember(own, sentence)
            elif sentence.narrative:
                if _STARTS.search(sentence.text) and _OPERATION_START.search(sentence.text):
                    self.operation = own.value if own.precision == "day" else self.operation
                    self.outbreak = self.outbreak or own
                if not _bounds_a_state(sentence, own) and not _tells_a_start(resolved, own):
                    self._remember(own, sentence)
            else:
                self.aside, self.aside_paragraph = own, sentence.paragraph
        elif sentence.narrative and self.outbreak is not None and _OUTBREAK_TOLD.match(sentence.text):
            # "The war erupted when ...": the start the text gave before
            sentence.date = SentenceDate(self.outbreak.value, self.outbreak.precision, "relative",
                                         confidence=OUTBREAK_CONFIDENCE)
            self._remember(sentence.date, sentence)
        elif sentence.narrative:
            sentence.date = self._inherit(sentence)
        else:
            sentence.date = _no_date()

    def _is_date_heading(self, sentence: Sentence) -> bool:
        days = [t for t in sentence.times if t.value is not None and t.precision == "day" and t.role == "event"]
        if len(days) != 1:
            return False
        start, end = days[0].start - sentence.start, days[0].end - sentence.start
        return is_date_line(sentence.text, start, end)

    # -- resolving -------------------------------------------------------------------

    def _anchor(self, sentence: Sentence) -> Anchor:
        current = self.current
        year = self._year_for(sentence.paragraph)
        aside = self.aside
        local = aside is not None and self.aside_paragraph == sentence.paragraph
        if not sentence.narrative and local and aside and aside.value:
            # A related-article blurb or reference entry reads against its own dates.
            current, year = aside, aside.value.year
        # Under a live blog's date heading, "today" and "on Friday" speak from that day.
        speaking = self.entry_day.value if self.entry_day and self.entry_day.basis != "published" else None
        if current is None and self.published is None and aside is not None:
            current = aside  # a caption's or dateline's date is all the story has said yet
        if self._speaks_from_publication(sentence):
            current = self._speaking_date()
        return Anchor(
            narrative=current.value if current else None,
            narrative_precision=current.precision if current else None,
            published=speaking or self.published,
            year=year,
            default_year=self.default_year,
            operation=self.operation,
        )

    def _year_for(self, paragraph: int) -> int | None:
        if self.year is None:
            return None
        local = self.year_paragraph == paragraph
        if local or not self.year_background or self.story is None or self.story.value is None:
            return self.year
        return self.story.value.year

    def _resolve_all(self, phrases: list[TimePhrase], sentence: Sentence) -> list[Resolved]:
        anchor = self._anchor(sentence)
        resolved = []
        for index, phrase in enumerate(phrases):
            target = _governed(phrases, index, sentence)
            if target is None:
                result = resolve(phrase, anchor)
                resolved.append(result)
                anchor = _moved_by(anchor, result)
                continue
            # "two days after the fall of Hama on 5 December": measured from that date.
            measured_from = resolve(target, anchor)
            target.role = "reference"
            local = Anchor(measured_from.value, measured_from.precision, anchor.published,
                           anchor.year, anchor.default_year, anchor.operation)
            resolved.append(resolve(phrase, local if measured_from.value else anchor))
        return [self._not_after_publication(r) for r in resolved]

    def _not_after_publication(self, result: Resolved) -> Resolved:
        """A shift counted from the narrative cannot pass the day the story was published
        ("two days later" after a date near it): it stops there, at a coarser precision."""
        published = self.published
        if published is None or result.value is None or result.value <= published \
                or result.phrase.kind != "relative":
            return result
        return Resolved(result.phrase, published, "week", result.confidence * 0.6)

    # -- the narrative's state -----------------------------------------------------------

    def _remember(self, own: SentenceDate, sentence: Sentence) -> None:
        background = self._is_background(own)
        self.current = own
        self.current_paragraph = sentence.paragraph
        self.current_section = sentence.section
        if own.value is None:
            return
        self.year = own.value.year
        self.year_paragraph = sentence.paragraph
        self.year_background = background
        if own.precision in STORY_PRECISIONS:
            self.horizon = max(self.horizon, own.value) if self.horizon else own.value
            if not background:
                self.story = own

    def _is_background(self, when: SentenceDate) -> bool:
        if when.value is None:
            return False
        if when.precision in COARSE:
            return True
        if self.horizon is None:
            return False
        return (self.horizon - when.value) > BACKGROUND_GAP

    def _inherit(self, sentence: Sentence) -> SentenceDate:
        current = self.current
        if current is None:
            return self._fallback()
        new_section = sentence.section != self.current_section
        new_paragraph = sentence.paragraph != self.current_paragraph
        story = self.story
        if self._speaks_from_publication(sentence):
            return self._speaking_date()
        back_to_story = new_paragraph or (self.present is not None and self.present(sentence))
        if back_to_story and self._is_background(current) and story and story.value \
                and story.value != current.value:
            # A dated aside ended with its paragraph: back to the story's date.
            factor = STORY_FALLBACK * (INHERIT_NEW_SECTION if new_section else 1.0)
            basis = "published" if story.basis == "published" else "inherited"
            fallback = SentenceDate(story.value, story.precision, basis,
                                    confidence=story.confidence * factor)
            self.current = fallback
            self.current_paragraph = sentence.paragraph
            self.current_section = sentence.section
            return fallback
        if new_section:
            factor = INHERIT_NEW_SECTION
        elif new_paragraph:
            factor = INHERIT_NEW_PARAGRAPH
        else:
            factor = INHERIT_SAME_PARAGRAPH
        return SentenceDate(current.value, current.precision, "inherited",
                            confidence=current.confidence * factor)

    def _speaks_from_publication(self, sentence: Sentence) -> bool:
        """A news paragraph opening in the present ("The rebels have also seized ...",
        "Meanwhile, the SDF has launched ...") tells where things stand on the day of
        publication, not on the weekday an earlier paragraph named."""
        return (self.published is not None and self.present is not None and sentence.narrative
                and sentence.paragraph != self.current_paragraph and self.present(sentence))

    def _published_date(self) -> SentenceDate:
        return SentenceDate(self.published, "day", "published", confidence=PUBLISHED_FALLBACK)

    def _speaking_date(self) -> SentenceDate:
        """The day the text speaks from: a live blog's date heading, else the publication."""
        heading = self.entry_day
        if heading is not None and heading.basis != "published" and heading.value is not None:
            return SentenceDate(heading.value, "day", "inherited", confidence=PUBLISHED_FALLBACK)
        return self._published_date()

    def _fallback(self) -> SentenceDate:
        if self.published is not None:
            return self._published_date()
        first_day = _first_day_of(self.default_year)
        if first_day is not None:
            return SentenceDate(first_day, "year", "inherited", confidence=DEFAULT_YEAR_FALLBACK)
        return _no_date()


def _first_day_of(year: int | None) -> date | None:
    try:
        return date(int(year), 1, 1) if year is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


_STARTS = re.compile(r"\b(?:launch|beg[au]n|start|kick|initiat|erupt|broke\s+out)", re.IGNORECASE)


# Penn tags of a finite verb in the present, and the auxiliaries that keep a clause there.
_PRESENT_TAGS = frozenset({"VBZ", "VBP"})
_PRESENT_AUXILIARIES = frozenset({"be", "have", "do"})
_QUOTES = frozenset('"“”«»')
_REPORTING_VERBS = frozenset({"say", "tell", "report", "add", "claim", "announce", "confirm",
                              "state", "write", "note", "accord"})


def is_present_tense(doc: Any, text: str | None = None) -> bool:
    """Whether a parsed sentence (a spaCy Doc; `text`: the sentence as written, when the parser
    read it otherwise) is told in the present: its root verb, or the auxiliary carrying it, is a
    present form ("is considered", "has claimed", "remains", "will hold").  A past root
    ("retook", "had been") or no verb at all is not."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return False
    if _verb_in_present(root):
        return True
    if root.lemma_ in _REPORTING_VERBS and not _QUOTES.intersection(doc.text if text is None else text):
        # "X has fallen, the monitor said": what is reported; a quotation keeps its speaker's time
        told = next((c for c in root.children if c.dep_ == "ccomp"), None)
        return told is not None and _verb_in_present(told)
    return False


def _verb_in_present(verb: Any) -> bool:
    if verb.tag_ in _PRESENT_TAGS:
        return True
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            if child.tag_ == "MD" and child.lower_ in ("will", "shall"):
                return True
            if child.tag_ in _PRESENT_TAGS and child.lemma_ in _PRESENT_AUXILIARIES:
                return True
    return False


def _first_operation_start(sentences: list[Sentence], anchor: Anchor) -> date | None:
    """The first day-precise start of an operation the text states with a calendar date
    (a yearless one against the publication date), for "ten days into the offensive" or
    "earlier in the operation" told before the start itself."""
    for sentence in sentences:
        if not sentence.narrative or not _STARTS.search(sentence.text) \
                or not _OPERATION_START.search(sentence.text):
            continue
        for phrase in scan(sentence.text):
            if phrase.absolute and phrase.role == "event" and phrase.precision == "day":
                found = resolve(phrase, anchor)
                if found.value is not None:
                    return found.value
    return None


def _bounds_a_state(sentence: Sentence, own: SentenceDate) -> bool:
    """"have captured 31 areas since Thursday", "since the army abandoned it in 2017": the
    date opens a period that runs to the story's present."""
    told = own.expression
    if told is None:
        return False
    return _SINCE_CLAUSE.search(sentence.text, 0, told.start - sentence.start) is not None


def _tells_a_start(resolved: list[Resolved], own: SentenceDate) -> bool:
    """"have waged a three-week assault", "in recent weeks": the start of a span that runs to
    the story's time dates what the sentence tells, not where the story stands."""
    told = own.expression
    return told is not None and any(r.phrase.lasting and r.phrase.start == told.start for r in resolved)


def _date_the_opening(sentences: list[Sentence]) -> bool:
    """Narrative sentences before the first date of a text without a publication date (an
    article that opens undated) take the month of the first date it tells, at month precision:
    the first day the text allows, not no date at all.  False when the sentences tell no date."""
    first = next((s.date for s in sentences if s.narrative and s.date and s.date.value
                  and s.date.basis not in ("none",)), None)
    if first is None or first.value is None:
        return False
    opening = SentenceDate(first.value.replace(day=1), _coarser_of(first.precision, "month"),
                           "inherited", confidence=OPENING_FALLBACK)
    for sentence in sentences:
        if sentence.date is not None and sentence.date.value is not None:
            break
        if sentence.narrative:
            sentence.date = opening
    return True


def _coarser_of(a: str | None, b: str) -> str:
    return a if a is not None and PRECISION_RANK.get(a, 0) > PRECISION_RANK[b] else b


def _moved_by(anchor: Anchor, result: Resolved) -> Anchor:
    """A date stated earlier in the sentence anchors its later relative phrases: "On 2 December
    they captured Halfaya, but the army retook it the next day" -> 3 December."""
    told = result.expression()
    if result.phrase.anterior or result.phrase.subordinate or result.phrase.lasting:
        return anchor  # a flashback, or a relative clause's date, does not move the clauses after it
    if told.role != "event" or told.value is None or told.kind not in ("explicit", "partial", "range"):
        return anchor
    return Anchor(told.value, told.precision, anchor.published, told.value.year, anchor.default_year,
                  anchor.operation)


def _governed(phrases: list[TimePhrase], index: int, sentence: Sentence) -> TimePhrase | None:
    """The calendar date a governing phrase ("shortly after the fall of X on ...") measures
    from: the next calendar phrase, if no comma or other phrase comes between."""
    phrase = phrases[index]
    if not phrase.governs or index + 1 >= len(phrases):
        return None
    target = phrases[index + 1]
    between = sentence.text[phrase.end - sentence.start:target.start - sentence.start]
    if not target.absolute or target.role != "event" or any(c in between for c in ",;:"):
        return None
    return target


def _own_date(resolved: list[Resolved], times: list[TimeExpression]) -> SentenceDate | None:
    """The sentence's date: its first event phrase among those of the finest precision; a
    date told as anterior ("that had seized the silos on 2 March") or in a relative clause on
    a noun ("a siege that ended in 2014") only when it is the one; never one in a relative
    clause on a name ("Bakhmut, which it captured last May"): that dates the named place's story."""
    best: int | None = None
    usable = [r.phrase.role == "event" and r.value is not None and r.precision is not None
              and r.phrase.subordinate != "name" for r in resolved]
    told_now = any(ok and not r.phrase.anterior and not r.phrase.subordinate
                   for ok, r in zip(usable, resolved))
    for index, item in enumerate(resolved):
        if not usable[index] or (told_now and (item.phrase.anterior or item.phrase.subordinate)):
            continue
        rank = PRECISION_RANK[item.precision]
        if best is None or rank < PRECISION_RANK[resolved[best].precision or "year"]:
            best = index
    if best is None:
        return None
    chosen = resolved[best]
    return SentenceDate(
        value=chosen.value,
        precision=chosen.precision,
        basis=BASIS_OF_KIND.get(chosen.phrase.kind, "explicit"),
        expression=times[best],
        confidence=round(min(1.0, chosen.confidence), 3),
    )
