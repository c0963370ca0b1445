"""Place mentions: the names in each narrative sentence that are places, resolved with the
gazetteer jointly per paragraph (nearby names decide between namesakes), regions at
geo_precision 3, and names the gazetteer lacks kept and placed near a town the context names.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from ..geo import Geocoder
from ..model import Analysis, Place, PlaceMention, Sentence
from ..profiles import Profile
from .lexicon import phrase_pattern
from .names import NameChunk, name_chunks

LIKELY, POSSIBLE = 0.5, 0.3  # confidence of an unknown name the text marks as a place, or not
SITE_WORDS = frozenset(
    """prison bridge division brigade hospital highway motorway road central university mosque
    square gate college academy barracks checkpoint roundabout station""".split()
)
# Installations that are places of their own ("Menagh military airport", "Tishrin Dam"):
# kept whole as the name, placed at the town or feature they are named after.
INSTALLATION = re.compile(
    r"^\s*(?:(?:military|international|civil|old|new|main|border)\s+)*"
    r"(?:airport|air\s*base|airbase|dam|crossing|border\s+crossing|castle|citadel|oil\s+field|gas\s+field)\b",
    re.I,
)
# A wire dateline opening a story ("QAMISHLI, Syria, Dec 6 -", "Beirut (AFP) -"): where the
# reporter filed from, not where anything happened.
DATELINE = re.compile(
    r"^[A-Z][\w'’./-]*(?:[ /][A-Z][\w'’./-]*){0,3}(?:,\s+[A-Z][\w.]+){0,2}"
    r"(?:,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s+\d{4})?)?\s*(?:\([^)]{2,30}\))?\s*[-—–]{1,2}\s"
)
_INTRODUCER = re.compile(
    r"(?:\b(?:town|towns|village|villages|city|cities|hamlet|district|neighbourhood|neighborhood|"
    r"area|region|province|governorate|of|in|near|at|into|from|including|and|toward|towards)\s+(?:the\s+)?$)|,\s*$",
    re.I,
)
_PLACE_NOUN_AFTER = re.compile(r"^\s+(?:district|neighbou?rhood|quarter|suburb|camp|village|town|city|area|"
                               r"countryside|province|governorate|region|subdistrict)\b", re.I)
_TOPONYM_SHAPE = re.compile(
    r"^(?:(?:al|ar|as|ad|at|az|ash|an|el|ez)[-\s]|(?:deir|dayr|tell|tall|tal|ain|ayn|jabal|jebel|mount|"
    r"kafr|kfar|beit|bayt|khan|ras|bab|qasr|maarat|ma'arrat|jisr|umm|abu|tel|mazraat|sheikh)\b)|"
    r"(?:iyah|iyya|iya|iyeh|ieh|aya|eh|ah|in|un|at|an|ul|il)$",
    re.I,
)


def place_mentions(analysis: Analysis, profile: Profile, geo: Geocoder | None = None) -> list[PlaceMention]:
    """Place mentions of every narrative (and title) sentence, in document order."""
    geo = geo or Geocoder.default(country_focus=profile.iso or "SY")
    from . import actors_of

    def actors(sentence: Sentence) -> list:
        return actors_of(analysis, sentence)

    mentions: list[PlaceMention] = []
    context: list[Place] = []
    paragraph: list[Sentence] = []
    for sentence in analysis.sentences:
        if not (sentence.narrative or sentence.zone == "title"):
            continue
        if paragraph and sentence.paragraph != paragraph[0].paragraph:
            mentions.extend(_resolve_paragraph(paragraph, geo, actors, context, profile.capital))
            paragraph = []
        paragraph.append(sentence)
    if paragraph:
        mentions.extend(_resolve_paragraph(paragraph, geo, actors, context, profile.capital))
    return mentions


def _resolve_paragraph(sentences, geo, actors, context: list[Place], capital: str | None = None) -> list[PlaceMention]:
    """Resolve all candidate names of a paragraph together, then place the unknown ones."""
    candidates: list[tuple[Sentence, NameChunk]] = []
    for sentence in sentences:
        taken = [(a.start, a.end) for a in actors(sentence)]
        blocked = stoplist()[1]
        taken += [m.span() for m in blocked.finditer(sentence.text)] if blocked else []
        taken += [(t.start - sentence.start, t.end - sentence.start) for t in sentence.times]
        dateline = DATELINE.match(sentence.text) if sentence.paragraph <= 3 else None
        if dateline and dateline.end() < 80:
            taken.append((0, dateline.end()))
        for chunk in name_chunks(sentence.text):
            if geo.region(chunk.text) is None:
                chunk = _without_site_words(chunk)
            if chunk is None or _overlaps(chunk, taken) or _not_a_place(chunk.text):
                continue
            candidates.append((sentence, chunk))
    # Countries and regions first: "Iraq" is the country, not a village of that name.
    regions = [geo.region(c.text) for _, c in candidates]
    towns = [(s, c) for (s, c), r in zip(candidates, regions) if r is None]
    resolved = iter(geo.resolve_all([c.text for _, c in towns], context=tuple(context[-8:])))
    resolutions = [None if r is not None else next(resolved) for r in regions]
    found: list[PlaceMention] = []
    accepted_ends: dict[int, list[int]] = {}
    for (sentence, chunk), resolution, region in zip(candidates, resolutions, regions):
        if resolution is None:
            if region is not None:
                found.append(_mention(sentence, chunk, region, None, 0.6, 3))
            continue
        found.append(_mention(sentence, _with_installation(sentence, chunk), resolution.place,
                              resolution.matched_alias, resolution.confidence, resolution.geo_precision))
        if resolution.geo_precision == 1:
            context.append(resolution.place)
            accepted_ends.setdefault(sentence.index, []).append(chunk.end)
    found.extend(_unknown_places(candidates, resolutions, regions, geo, context, found))
    found.extend(_capital_mentions(sentences, geo, capital))
    return sorted(found, key=lambda m: m.start)


_CAPITAL = re.compile(r"\bthe\s+(?:[A-Z][a-z]+\s+)?capital\b(?!\s+of\b)")


def _capital_mentions(sentences, geo, capital: str | None) -> list[PlaceMention]:
    """"the capital", "the Syrian capital": the profile's capital city."""
    found = [(sentence, m) for sentence in sentences for m in _CAPITAL.finditer(sentence.text)]
    if not capital or not found:
        return []
    resolution = geo.resolve(capital)
    if resolution is None:
        return []
    return [_mention(sentence, NameChunk(m.start(), m.end(), m.group(0)), resolution.place, capital,
                     resolution.confidence, 1)
            for sentence, m in found]


def _unknown_places(candidates, resolutions, regions, geo, context, found) -> list[PlaceMention]:
    """Names the gazetteer lacks, kept where the text introduces a place ("the village of X",
    "in X", an item of a list) and placed approximately near the last town of the context."""
    unknown = []
    for (sentence, chunk), resolution, region in zip(candidates, resolutions, regions):
        if resolution is not None or region is not None:
            continue
        if " " not in chunk.text and "-" not in chunk.text and _opens_sentence(sentence.text, chunk.start):
            continue  # "Fighting reached ...", "East of the city ...": a capital, not a name
        before = sentence.text[max(0, chunk.start - 30):chunk.start]
        after = sentence.text[chunk.end:chunk.end + 40]
        installation = INSTALLATION.match(after)
        likely = (_INTRODUCER.search(before) or _TOPONYM_SHAPE.search(chunk.text) or installation
                  or _PLACE_NOUN_AFTER.match(after))
        chunk = _with_installation(sentence, chunk)
        near = _anchor_for(sentence, found, context)
        approx = geo.approximate(chunk.text, near=near, context=tuple(context[-12:]))
        place = approx.place if approx else Place(name=chunk.text, latitude=None, longitude=None)
        precision = approx.geo_precision if approx else 2
        # A capitalised name with nothing marking it as a place is only a possible place: the
        # events stage takes it as the object of a change of hands ("captured Hatla"), not else.
        mention = _mention(sentence, chunk, place, None, LIKELY if likely else POSSIBLE, precision)
        mention.approximate_to = approx.approximate_to if approx else None
        unknown.append(mention)
    return unknown


def _opens_sentence(text: str, start: int) -> bool:
    """The word at `start` opens the sentence (after a dateline, timestamp or bullet)."""
    return not re.search(r"[\w)]", _LEAD_IN.sub("", text[:start]))


_LEAD_IN = re.compile(r"^\s*(?:[-•*]\s*)?(?:\d{1,2}[:.]\d{2}\s*(?:GMT|UTC)?\s*[-—–:]\s*)?")


def _with_installation(sentence: Sentence, chunk: NameChunk) -> NameChunk:
    """"the Kuweires airbase", "the Nassib border crossing": the installation is the place named,
    so its words belong to the mention (resolved or not, it is located by its head name)."""
    installation = INSTALLATION.match(sentence.text[chunk.end:chunk.end + 40])
    if installation is None:
        return chunk
    end = chunk.end + installation.end()
    return NameChunk(chunk.start, end, sentence.text[chunk.start:end])


def _anchor_for(sentence: Sentence, found: list[PlaceMention], context: list[Place]) -> Place | None:
    """The town an unknown place is near: one the same sentence names, else the last one seen."""
    same = [m.place for m in found if m.sentence == sentence.index and m.geo_precision == 1 and m.place]
    if same:
        return same[0]
    return context[-1] if context else None


def _mention(sentence: Sentence, chunk: NameChunk, place: Place | None, alias, confidence, precision) -> PlaceMention:
    return PlaceMention(
        start=sentence.start + chunk.start, end=sentence.start + chunk.end, text=chunk.text,
        sentence=sentence.index, place=place, matched_alias=alias, confidence=confidence,
        geo_precision=precision,
    )


def _without_site_words(chunk: NameChunk) -> NameChunk | None:
    """"Homs Central Prison" names a site in Homs: the place is "Homs"."""
    words = chunk.text.split(" ")
    while len(words) > 1 and words[-1].lower().strip("'’s") in SITE_WORDS:
        words.pop()
    if words[-1].lower() in SITE_WORDS:
        return None
    text = " ".join(words)
    return NameChunk(chunk.start, chunk.start + len(text), text)


def _overlaps(chunk: NameChunk, spans: list[tuple[int, int]]) -> bool:
    return any(s < chunk.end and chunk.start < e for s, e in spans)


_PERSON_TITLE = re.compile(r"^(?:President|Prime|Minister|General|Gen\.?|Colonel|Col\.?|Major|Captain|King|"
                           r"Queen|Prince|Emir|Mr\.?|Mrs\.?|Dr\.?|Commander|Leader|Secretary|Spokesman|"
                           r"Ambassador|Envoy|Mufti|Imam|Bishop|Patriarch)\b")


@lru_cache(maxsize=1)
def stoplist() -> tuple[frozenset[str], re.Pattern[str] | None]:
    """Words that are never a place on their own, and phrases blocked whole (GeoNames has
    villages called "Division", "Central", "Reuters"...), from `data/place_stoplist.txt`."""
    words: set[str] = set()
    phrases: list[str] = []
    in_phrases = False
    for line in (resources.files("frontlines") / "data" / "place_stoplist.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line == "[phrases]":
            in_phrases = True
        elif line:
            (phrases.append(line) if in_phrases else words.update(line.split()))
    return frozenset(words), (phrase_pattern(phrases) if phrases else None)


def _not_a_place(text: str) -> bool:
    if any(ch.isdigit() for ch in text):
        return True  # "F-15", "M5", "Route 4": equipment and roads, not places
    if _PERSON_TITLE.match(text):
        return True  # "President Bashar al-Assad"
    words = re.findall(r"[\w']+", text.lower())
    return not words or all(w in stoplist()[0] for w in words) or len(text) < 3
