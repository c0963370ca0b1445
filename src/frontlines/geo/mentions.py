"""Find candidate place names in a sentence, with exact offsets, known to the gazetteer or not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from .names import ARTICLES

STOPLIST = Path(__file__).resolve().parent.parent / "data" / "place_stoplist.txt"
MAX_NAME_TOKENS = 4  # capitalised tokens in one place name ("Khirbat ash Shaykh Jum`ah")

# Words before an unknown capitalised name that introduce it as a place: "<noun> of X" ...
INTRODUCING_NOUNS = """town towns village villages city cities area areas district districts
    neighbourhood neighbourhoods neighborhood neighborhoods suburb suburbs outskirts countryside
    municipality camp region province governorate locality localities hamlet hamlets crossing
    crossings""".split()
# ... or "<word> X".
INTRODUCING_WORDS = """in near outside around towards toward into from at between captured
    seized took entered retook recaptured stormed shelled bombed struck targeted besieged
    encircled reached liberated""".split()
# Words after an unknown name that say it is a place ("Tir Ma'la village", "Al-Waer district").
KIND_WORDS = """village villages town city district neighbourhood neighborhood quarter countryside
    crossing airbase airport area suburb camp outskirts municipality subdistrict""".split()
# First words of names of features ("Mount Gurab", "Jabal al-Ghurab").
FEATURE_WORDS = frozenset("mount jabal jebel jbel tell tall tal wadi lake khirbat khirbet".split())
# Articles not assimilated to the next word.
PLAIN_ARTICLES = frozenset("al el il ul".split())


def _alternation(words: list[str] | frozenset[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A word: letters, with inner apostrophes/ʿ (Ma'la, Hay'at) and inner hyphens (al-Din).
_WORD = re.compile(r"[`‘ʿ]?[^\W\d_](?:[\w'’`ʿʾ‘]|-(?=[^\W\d_]))*")
_POSSESSIVE = re.compile(r"(?:['’]s?)$")
_ARTICLE_PREFIX = re.compile(rf"^(?:{_alternation(ARTICLES)})-(?=[^\W\d_])", re.I)
_BEFORE = re.compile(
    rf"(?:\b(?:{_alternation(INTRODUCING_NOUNS)})\s+of|\b(?:{_alternation(INTRODUCING_WORDS)}))"
    r"\s+(?:the\s+)?$",
    re.I,
)
_AFTER = re.compile(rf"^\s+(?:(?:border|air)\s+)?(?:{_alternation(KIND_WORDS)}|base)s?\b", re.I)
# Separators of a list of places: "A, B, C and D".
_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*and|,?\s*or|&)?\s*$")


class _Gazetteer(Protocol):
    def is_known(self, name: str, *, strict: bool = False) -> bool: ...


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    kind: str  # N name word, A capitalised article ("Al"), C inner article ("al")


@lru_cache(maxsize=1)
def _stoplist() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Stop words and one regex of stop phrases, from the data file."""
    words: set[str] = set()
    phrases: list[str] = []
    in_phrases = False
    for line in STOPLIST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line == "[phrases]":
            in_phrases = True
        elif line and in_phrases:
            phrases.append(line)
        elif line:
            words.update(line.split())
    if not phrases:
        return frozenset(words), None
    pattern = "|".join(map(_phrase_pattern, phrases))
    return frozenset(words), re.compile(rf"\b(?:{pattern})\b", re.I)


def _phrase_pattern(phrase: str) -> str:
    """A stop phrase as a regex: any spaces or hyphens between words, apostrophes optional."""
    words = re.split(r"[\s\-]+", phrase.replace("'", ""))
    return r"[\s\-]+".join(r"['’`]?".join(map(re.escape, word)) for word in words)


def _tokens(text: str) -> list[_Token]:
    """Capitalised words and the articles between them; other words become None (breaks)."""
    stop_words, stop_phrases = _stoplist()
    blocked = [m.span() for m in stop_phrases.finditer(text)] if stop_phrases else []
    tokens: list[_Token | None] = []
    for match in _WORD.finditer(text):
        word = match.group()
        trimmed = _POSSESSIVE.sub("", word) if len(word) > 2 else word
        start = match.start()
        if any(b0 <= start < b1 for b0, b1 in blocked):
            tokens.append(None)
            continue
        for part_start, part in _split_compound(trimmed, start):
            tokens.append(_classify(part, part_start, stop_words))
        if trimmed != word:
            tokens.append(None)  # a possessive ends the name: "Homs' eastern countryside"
    return _with_gaps(_check_articles(tokens), text)


def _check_articles(tokens: list[_Token | None]) -> list[_Token | None]:
    """An article other than al/el is assimilated to the next word (As Sukhnah, An Nabk, Ash
    Shaddadah); otherwise it is the English word ("At Hama", "As rebels advanced")."""
    out = list(tokens)
    for i, token in enumerate(tokens):
        if token is None or token.kind == "N":
            continue
        article = token.text.lower()
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        nxt = following.text.lstrip("`‘ʿ").lower() if following is not None else ""
        if article not in PLAIN_ARTICLES and not nxt.startswith(article[1:]):
            out[i] = None
    return out


def _split_compound(word: str, start: int) -> list[tuple[int, str]]:
    """Split "Homs-Hama" into two names; keep "Al-Rastan" and "Izz al-Din" whole."""
    parts = word.split("-")
    if len(parts) == 2 and all(p[:1].isupper() for p in parts) and parts[0].lower() not in ARTICLES:
        return [(start, parts[0]), (start + len(parts[0]) + 1, parts[1])]
    return [(start, word)]


def _classify(word: str, start: int, stop_words: frozenset[str]) -> _Token | None:
    bare = word.lstrip("`‘ʿ")
    lower = bare.lower()
    if lower in ARTICLES:
        kind = "A" if bare[:1].isupper() else "C"
        return _Token(start, start + len(word), word, kind)
    if _ARTICLE_PREFIX.match(bare) and bare.split("-", 1)[1][:1].isupper():
        return _Token(start, start + len(word), word, "N")
    if not bare[:1].isupper() or lower in stop_words:
        return None
    return _Token(start, start + len(word), word, "N")


def _with_gaps(tokens: list[_Token | None], text: str) -> list[_Token | None]:
    """Insert breaks where two tokens are separated by more than white space."""
    out: list[_Token | None] = []
    previous: _Token | None = None
    for token in tokens:
        if token is not None and previous is not None and text[previous.end : token.start].strip():
            out.append(None)
        out.append(token)
        previous = token
    return out


def _runs(tokens: list[_Token | None]) -> list[list[_Token]]:
    """Maximal runs of name tokens, trimmed so they start with A/N and end with N."""
    runs, current = [], []
    for token in [*tokens, None]:
        if token is not None:
            current.append(token)
            continue
        while current and current[-1].kind != "N":
            current.pop()
        while current and current[0].kind == "C":
            current.pop(0)
        if any(t.kind == "N" for t in current):
            runs.append(current)
        current = []
    return runs


def _windows(run: list[_Token], i: int) -> list[int]:
    """End indexes (exclusive) of name windows starting at token i, longest first."""
    ends, names = [], 0
    for j in range(i, len(run)):
        if run[j].kind == "N":
            names += 1
            if names > MAX_NAME_TOKENS:
                break
            ends.append(j + 1)
    return ends[::-1]


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    surface: str
    known: bool


def _span(text: str, start: int, end: int, known: bool) -> _Span:
    return _Span(start, end, text[start:end], known)


def _scan_run(run: list[_Token], text: str, geo: _Gazetteer) -> list[_Span]:
    """Greedy longest known names, left to right; the rest grouped into unknown names."""
    spans: list[_Span] = []
    unknown: list[_Token] = []
    i = 0
    while i < len(run):
        start = run[i].start
        known = (e for e in _windows(run, i) if geo.is_known(text[start : run[e - 1].end]))
        end = next(known, None)
        if end is None:
            unknown.append(run[i])
            i += 1
            continue
        spans.extend(_unknown_spans(unknown, text))
        unknown = []
        spans.append(_span(text, start, run[end - 1].end, known=True))
        i = end
    spans.extend(_unknown_spans(unknown, text))
    return _merge_partial(spans, text, geo)


def _merge_partial(spans: list[_Span], text: str, geo: _Gazetteer) -> list[_Span]:
    """Words glued together are one name unless each is surely a place of its own: "Tir
    Ma'la" is not Tyre + Malah, "Al-Dar al-Kabirah" is not Dar + ...  A capitalised article
    starts a new name ("Al-Wazi'iya Al-Ghasibiyya": two villages, a comma lost)."""
    merged: list[_Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        glued = previous is not None and not text[previous.end : span.start].strip()
        new_name = span.surface[0].isupper() and _starts_name(span.surface)
        both_sure = glued and _surely_known(previous, geo) and _surely_known(span, geo)
        if glued and not new_name and not both_sure:
            merged[-1] = _span(text, previous.start, span.end, known=False)
        else:
            merged.append(span)
    return merged


def _surely_known(span: _Span, geo: _Gazetteer) -> bool:
    return span.known and geo.is_known(span.surface, strict=True)


def _starts_name(surface: str) -> bool:
    first = surface.split()[0]
    return first.lower() in ARTICLES or bool(_ARTICLE_PREFIX.match(first))


def _unknown_spans(tokens: list[_Token], text: str) -> list[_Span]:
    """Unknown tokens as names, a new name starting at each capitalised article
    ("Al-Wazi'iya Al-Ghasibiyya" is two villages whose comma the source lost)."""
    groups: list[list[_Token]] = []
    for token in tokens:
        starts_name = token.text[0].isupper() and _starts_name(token.text)
        contiguous = groups and not text[groups[-1][-1].end : token.start].strip()
        if groups and contiguous and not starts_name:
            groups[-1].append(token)
        else:
            groups.append([token])
    spans = []
    for group in groups:
        while group and group[-1].kind != "N":
            group.pop()
        while group and group[0].kind == "C":
            group.pop(0)
        if group:
            spans.append(_span(text, group[0].start, group[-1].end, known=False))
    return spans


def _place_context(span: _Span, text: str) -> bool:
    """Whether the words around an unknown name say it is a place."""
    first = span.surface.split()[0].split("-")[0].lower()
    if first in FEATURE_WORDS and " " in span.surface:
        return True
    return bool(_BEFORE.search(text[: span.start])) or bool(_AFTER.match(text[span.end :]))


def _lists(spans: list[_Span], text: str) -> list[list[int]]:
    """Indexes of spans grouped into lists ("A, B, C and D"; a lone span is a list of one)."""
    groups: list[list[int]] = []
    for k, span in enumerate(spans):
        if groups and _LIST_GAP.match(text[spans[k - 1].end : span.start]):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def find_place_mentions(text: str, offset: int, geo: _Gazetteer) -> list[tuple[int, int, str]]:
    """Candidate place names in a sentence: (start, end, surface) with start/end offsets in
    the document (`offset` is where `text` starts).  Names the gazetteer knows, and unknown
    capitalised names that the words around them introduce as places ("the village of X",
    "near X", "X district", "Mount X"), and every item of a list "A, B and C" one of whose
    items is a place."""
    spans = [span for run in _runs(_tokens(text)) for span in _scan_run(run, text, geo)]
    kept: list[_Span] = []
    for group in _lists(spans, text):
        # A list is of places when one of its items is: known, or introduced as a place.
        if any(spans[k].known or _place_context(spans[k], text) for k in group):
            kept.extend(spans[k] for k in group)
    return [(offset + s.start, offset + s.end, s.surface) for s in kept]
