"""Footnotes: markers like `[19]` in the text, and the reference list they point to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..model import Reference, Sentence

# "[19]", "[ 19 ]"; lettered notes ("[a]", "[note 1]") are not references.
MARKER = re.compile(r"\[\s*(\d{1,4})\s*\]")
# A run of markers, possibly separated by spaces: "[19] [20]".
# A match starts at a run of spaces' first character or at a bracket, never inside the run:
# the same matches as `(?:\s*\[n\])+`, in linear time on a megabyte of spaces.
MARKER_RUN = re.compile(r"(?:(?<!\s)\s*)?\[\s*\d{1,4}\s*\](?:\s*\[\s*\d{1,4}\s*\])*")

REFERENCE_HEADINGS = frozenset(
    {"references", "notes", "citations", "sources", "footnotes", "notes and references",
     "references and notes", "bibliography", "works cited"}
)
# One numbered entry: "  1. 1 2 "Title". Publisher." or "1. ^ a b "Title" ..." or "^ "Title"".
_ENTRY = re.compile(r"^\s*(?:(\d{1,4})[.)]\s+)?(\^\s*)?(.+?)\s*$")
# Backlinks that mirrors print before an entry's text: "1 2 3", "a b c", "^ a b".
_BACKLINKS = re.compile(r"^(?:\^\s*)?(?:(?:\d{1,2}|[a-z])\s+)+(?=\S)")
_URL = re.compile(r"https?://[^\s\"'<>\]]+")
_QUOTED = re.compile(r"[\"“]([^\"”]{3,}?)[\"”]")
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august",
     "september", "october", "november", "december"], start=1)}
_MONTH_RE = "(" + "|".join(_MONTHS) + ")"
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DMY = re.compile(r"\b(\d{1,2})\s+" + _MONTH_RE + r"\s+(\d{4})\b", re.I)
_MDY = re.compile(r"\b" + _MONTH_RE + r"\s+(\d{1,2}),\s+(\d{4})\b", re.I)
# Dates that are not the source's publication date.
_NOT_PUBLICATION = re.compile(r"(Retrieved|Archived|Accessed|accessed|archived)\b.*$")
_NOISE = re.compile(r"\s*\((?:in [A-Z][a-z]+|PDF|video|audio)\)\s*")


def markers_in(text: str, offset: int = 0) -> list[tuple[int, int, int]]:
    """(start, end, number) of every numeric footnote marker, offsets shifted by `offset`."""
    return [(m.start() + offset, m.end() + offset, int(m.group(1))) for m in MARKER.finditer(text)]


def source_paragraph_sentences(sentences: Sequence[Sentence]) -> None:
    """A footnote that closes a narrative paragraph sources every sentence of that paragraph
    that has none of its own ("A. B. C. [7]": A and B cite [7] too), as encyclopedia
    articles cite a whole paragraph at its end.  Sentences with their own markers keep them."""
    by_paragraph: dict[int, list[Sentence]] = {}
    for sentence in sentences:
        if sentence.narrative:
            by_paragraph.setdefault(sentence.paragraph, []).append(sentence)
    for members in by_paragraph.values():
        closing = members[-1].footnotes
        if closing:
            for sentence in members[:-1]:
                if not sentence.footnotes:
                    sentence.footnotes = list(closing)


def is_reference_heading(line: str) -> bool:
    return line.strip().strip(":").lower() in REFERENCE_HEADINGS


def find_reference_section(text: str) -> tuple[int, int] | None:
    """The span of the reference list: from the line after its heading to the end of the text.

    The last such heading wins, since a "Notes" section can precede "References".
    """
    found = None
    for match in re.finditer(r"^[ \t]*([^\n]{1,40})[ \t]*$", text, re.M):
        if is_reference_heading(match.group(1)):
            found = match.end()
    return (found, len(text)) if found is not None else None


def parse_reference_section(text: str) -> dict[int, Reference]:
    """Parse the numbered entries of a plain-text reference list (mirror or copy-paste)."""
    span = find_reference_section(text)
    if span is None:
        return {}
    refs: dict[int, Reference] = {}
    next_number = 1
    for line in text[span[0]:span[1]].split("\n"):
        match = _ENTRY.match(line)
        if not match or not match.group(3).strip():
            continue
        if match.group(1) is None and match.group(2) is None:
            continue  # neither numbered nor a "^" entry: a stray line
        number = int(match.group(1)) if match.group(1) else next_number
        refs[number] = parse_reference_entry(number, match.group(3))
        next_number = number + 1
    return refs


def parse_reference_entry(number: int, text: str) -> Reference:
    """Read title, publisher, publication date and URL out of one citation string."""
    raw = _BACKLINKS.sub("", text.strip(), count=1).strip()
    url_match = _URL.search(raw)
    url = url_match.group(0).rstrip(".,;") if url_match else None
    body = _NOT_PUBLICATION.sub("", raw).strip()
    title, after = _split_title(body)
    return Reference(
        number=number,
        text=raw,
        title=title,
        publisher=_publisher(after),
        date=_first_date(body),
        url=url,
    )


def _split_title(body: str) -> tuple[str | None, str]:
    """The quoted title and the text after it; unquoted entries take the first sentence."""
    quoted = _QUOTED.search(body)
    if quoted:
        title = quoted.group(1).strip().rstrip(".")
        after = body[quoted.end():]
        after = re.sub(r"^\s*\[[^\]]*\]", "", after)  # a translated title in brackets
        return title or None, after
    head, _, rest = body.partition(". ")
    return (head.strip() or None), rest


def _publisher(after: str) -> str | None:
    """The first piece after the title that is more than a date ("Levant Daily, 2 December 2024")."""
    after = _NOISE.sub(" ", after)
    after = _URL.sub("", after)
    for part in re.split(r"\.\s+|\.$", after):
        for pattern in (_DMY, _MDY, _ISO_DATE):
            part = pattern.sub("", part)
        part = re.sub(r"\(\s*\)", "", part).strip(" .,;:|")
        if part:
            return part
    return None


def _first_date(text: str) -> str | None:
    """The first date in a citation, as ISO; None when it has none or it is not a real day."""
    candidates = []
    for m in _ISO_DATE.finditer(text):
        candidates.append((m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _DMY.finditer(text):
        candidates.append((m.start(), int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _MDY.finditer(text):
        candidates.append((m.start(), int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))))
    for _, year, month, day in sorted(candidates):
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
