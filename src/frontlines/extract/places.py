"""Place mentions: the names in each narrative sentence that are places, resolved with the
gazetteer jointly per paragraph (nearby names decide between namesakes), divisions and regions
at geo_precision 3, and names the gazetteer lacks kept and placed at the town or division the
text puts them in.  The sentence's spaCy entities (analysis.parses) veto demonyms and other
non-places, and an unknown name is only kept when the NER or the wording makes it a place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from ..geo import Geocoder
from ..geo.countries import capital_of, countries_named, country_of_word
from ..geo.geocoder import ACCEPT, EXACT, distance_km, is_area
from ..geo.names import normalize_name
from ..model import Analysis, Place, PlaceMention, Sentence
from ..profiles import Profile
from ..text.words import GatedPattern
from .lexicon import load_lexicon, phrase_pattern
from .names import KIND_THEN_COMMA, NameChunk, name_chunks

# The places a later block of a long document starts from: the last ones the text set up.
CARRIED_PLACES = 64
LIKELY, POSSIBLE = 0.5, 0.3  # confidence of an unknown name the text marks as a place, or not
# Sites: installations and buildings that are places of their own ("Menagh military airport",
# "Homs Central Prison", "the police academy"), kept whole as the name and placed at the town
# or feature they are named after or lie in (geo_precision 2 unless the gazetteer has them).
SITE_HEADS = frozenset(
    """airport airbase base prison jail academy college school barracks headquarters headquarter hq command
    palace square bridge dam crossing checkpoint hospital station outpost citadel castle field
    depot compound garrison section branch building municipality university stadium refinery
    mosque gate roundabout camp""".split()
)
# Words that name a site's kind before its head ("military airport", "Air Force Intelligence").
SITE_MODIFIERS = frozenset(
    """military international civil old new main central border police security air force
    intelligence artillery infantry engineering army state national general naval armoured
    armored tank oil gas power water provincial governorate municipal city presidential
    republican regiment brigade division battalion corps""".split()
)
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")  # "the 46th Regiment base"
# Heads that name a site on their own ("the prison"); the others need a modifier ("the air base",
# "the police command"), since "the base" or "the square" alone is too vague to place.
SITE_ALONE = frozenset("airport airbase prison jail academy barracks headquarters citadel castle".split())
# Praise and blame before a site are not part of its name ("the notorious X prison").
_EVALUATIVE = frozenset(
    """historic historical notorious infamous strategic key major important vital large largest
    sprawling so-called former sensitive crucial""".split()
)
INSTALLATION = re.compile(
    rf"^\s*(?:(?:{'|'.join(sorted(SITE_MODIFIERS))})\s+)*"
    r"(?:airport|air\s*base|airbase|dam|crossing|border\s+crossing|castle|citadel|oil\s+fields?|gas\s+fields?|"
    r"prison|jail|academy|college|barracks|headquarters|hq|palace|bridge|air\s+base|military\s+base|"
    r"(?:(?:displacement|displaced|idp|refugee)\s+)?camp)\b",
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
_TOPONYM_START = (r"^(?:(?:al|ar|as|ad|at|az|ash|an|el|ez)[-\s]|(?:deir|dayr|tell|tall|tal|ain|ayn|jabal|jebel|"
                  r"mount|kafr|kfar|beit|bayt|khan|ras|bab|qasr|maarat|ma'arrat|jisr|umm?|abu|tel|mazraat|sheikh)\b)")
_TOPONYM_SHAPE = re.compile(_TOPONYM_START + r"|(?:iyah|iyya|iya|iyeh|ieh|aya|eh|ah|in|un|at|an|ul|il)$", re.I)
_TOPONYM_HEAD = re.compile(_TOPONYM_START, re.I)  # the start alone: "Putin" and "Erdogan" end like toponyms


NER_PLACES = frozenset({"GPE", "LOC", "FAC"})
# Entity labels that are never a place: peoples and adjectives of nations ("Ukrainian"),
# dates, numbers, works.
NER_NOT_PLACES = frozenset({"NORP", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL",
                            "CARDINAL", "LANGUAGE"})
_ARTICLE = re.compile(r"^(?:al|ar|as|ad|at|az|ash|an|el|ez)-", re.I)  # an Arabic name's article
_HYPHEN_MODIFIER = re.compile(r"^[\w'’.]+(?:-[a-z]+)+$")  # "Kremlin-aligned", "NATO-led"

# Words after a name that make it a division ("Donetsk Oblast", "the Idlib province").
DIVISION_AFTER = re.compile(
    r"^\s+(?:[Gg]overnorates?|[Pp]rovinces?|[Oo]blasts?|[Rr]egions?|[Ss]tates?|[Rr]aions?|"
    r"[Dd]istricts?|[Kk]rai|[Mm]uhafazah)\b")
# "the provinces of X, Y and Z", "the province of X": the kind word before a list.
DIVISION_BEFORE = re.compile(
    r"\b(governorates?|provinces?|oblasts?|regions?|states?|raions?|districts?)\s+of\s+"
    r"(?:(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*(?:\s*,\s*|\s+and\s+))*$")
# "X, Y and Z provinces": a plural kind word after a list of names.
DIVISION_LIST_AFTER = re.compile(
    r"^(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)+\s+"
    r"(governorates|provinces|oblasts|regions|states)\b")
# Between a place and what contains it: "X in Donetsk Oblast", "X, Homs province", "X, in the".
CONTAINMENT_GAP = re.compile(r"^\s*(?:,\s*(?:in\s+)?|\s+in\s+|\s+of\s+)(?:the\s+)?"
                             r"(?:(?:north|south|east|west)(?:ern|east|west)?(?:ern)?\s+)?$", re.I)
LIST_GAP = re.compile(r"^\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+or\s+)$")
# Kinds of feature a name can be given with.  A line (river) takes no point; the others are
# looked up as that kind, else placed at the town they are named after (geo_precision 2).
RIVER = re.compile(r"^\s+(?:[Rr]iver|[Ss]tream|[Cc]anal)\b")
# "the river Jordan", "the Wadi X", "the left bank of the Dnipro": a river, whatever else bears its name
RIVER_BEFORE = re.compile(r"\b(?:[Rr]iver|the\s+[Ww]adi|[Bb]anks?\s+of(?:\s+the)?)\s+$")
MOUNTAIN = re.compile(r"^\s+(?:[Mm]ountains?|[Mm]ount|[Hh]ills?|[Rr]ange|[Pp]eak)\b")
# "the Aleppo-Latakia highway": a road between two towns is a line, no point of either.
BETWEEN = re.compile(r"(?:[A-Z][\w'’]+ )*[A-Z][\w'’]{2,}[-–][A-Z][\w'’]{2,}(?: [A-Z][\w'’]+)*")  # (not "Al-Bab")
ROUTE = re.compile(r"^\s+(?:[Hh]ighway|[Rr]oad|[Mm]otorway|[Rr]ailway|[Rr]ail\s+line|[Ee]xpressway)\b")
FEATURE_CODES = {
    "airport": ("AIRP", "AIRB", "AIRF", "AIRH"), "air base": ("AIRB", "AIRF"),
    "airbase": ("AIRB", "AIRF"), "crossing": ("PSTB", "BDG"), "dam": ("DAM",),
    "prison": ("PRN",), "citadel": ("CSTL", "FT", "HSTS"), "castle": ("CSTL", "FT", "HSTS"),
    "base": ("INSM", "AIRB", "MILB"), "mountain": ("MT", "MTS", "HLL", "HLLS", "PK"),
}


@dataclass(slots=True)
class _Scope:
    """What every paragraph of one document is resolved with."""

    geo: Geocoder
    profile: Profile
    actors: Any  # (sentence) -> actor mentions
    parses: dict[int, Any]
    countries: frozenset[str]  # the countries the document names
    allowed: frozenset[str]  # where a place may lie without its country being named
    context: list[Place] = field(default_factory=list)
    # name key -> the places the document resolved it to (for `_one_sense`)
    senses: dict[str, dict[str, PlaceMention]] = field(default_factory=dict)


@dataclass(slots=True)
class _Candidate:
    """A name that may be a place, and how the text frames it."""

    sentence: Sentence
    chunk: NameChunk
    lookup: str  # what is looked up: the name, or the name with its division word
    kind: str | None = None  # a feature kind the text names it with ("airport", "mountain")
    ner_place: bool | None = None  # the NER tags it GPE/LOC/FAC (None: no parse)
    listed: bool = False  # an item of a list of names most of which are places
    person: bool = False  # the NER takes it for a person's name, and for no place


def place_mentions(analysis: Analysis, profile: Profile, geo: Geocoder | None = None) -> list[PlaceMention]:
    """Place mentions of every narrative (and title) sentence, in document order."""
    geo = geo or Geocoder.default(country_focus=profile.iso or "SY")
    from . import actors_of

    def actors(sentence: Sentence) -> list:
        return actors_of(analysis, sentence)

    own = [s for s in analysis.sentences if s.narrative or s.zone == "title"]
    carry = analysis.carry
    scope = carry.state.get("places") if carry is not None else None
    if scope is None:
        whole = own if carry is None else [s for s in carry.sentences if s.narrative or s.zone == "title"]
        named = frozenset(countries_named(" ".join(s.text for s in whole)))
        allowed = frozenset({geo.focus, *geo.neighbours, *(n.upper() for n in profile.neighbours)})
        scope = _Scope(geo, profile, actors, analysis.parses, named, allowed | named)
    else:  # a later block of a long document: the countries and places set up before it
        scope.actors, scope.parses = actors, analysis.parses
        del scope.context[:-CARRIED_PLACES]
    mentions: list[PlaceMention] = []
    paragraph: list[Sentence] = []
    for sentence in own:
        if paragraph and sentence.paragraph != paragraph[0].paragraph:
            mentions.extend(_resolve_paragraph(paragraph, scope))
            paragraph = []
        paragraph.append(sentence)
    if paragraph:
        mentions.extend(_resolve_paragraph(paragraph, scope))
    if carry is not None:
        carry.state["places"] = scope
    return _one_sense(mentions, scope.senses)


def _one_sense(mentions: list[PlaceMention], found: dict[str, dict[str, PlaceMention]]) -> list[PlaceMention]:
    """A name the document resolves somewhere resolves the same everywhere: a mention the
    gazetteer did not place (its context ruled the candidates out, or it was only placed near
    a town) takes the place another mention of the same name found, when only one was found.
    `found` holds the places found so far (a long document's earlier blocks), and these."""
    for m in mentions:
        if m.geo_precision == 1 and m.matched_alias and m.place and m.place.latitude is not None:
            found.setdefault(normalize_name(m.text), {}).setdefault(m.place.place_id or m.place.name, m)
    for m in mentions:
        if m.matched_alias or m.geo_precision == 3:
            continue
        same = found.get(normalize_name(m.text), {})
        if len(same) == 1:
            other = next(iter(same.values()))
            m.place, m.matched_alias, m.geo_precision = other.place, other.matched_alias, 1
            m.confidence = min(m.confidence, other.confidence)
            m.approximate_to = None
    return mentions


def _candidates(sentence: Sentence, scope: _Scope) -> list[_Candidate]:
    """The names of a sentence that may be places, with their framing."""
    geo, text = scope.geo, sentence.text
    taken = [(a.start, a.end) for a in scope.actors(sentence)]
    blocked = stoplist()[1]
    taken += [m.span() for m in blocked.finditer(text)] if blocked else []
    taken += [(t.start - sentence.start, t.end - sentence.start) for t in sentence.times]
    dateline = DATELINE.match(text) if sentence.paragraph <= 3 else None
    if dateline and dateline.end() < 80:
        taken.append((0, dateline.end()))
    doc = scope.parses.get(sentence.index)
    found = []
    chunks = name_chunks(text)
    place_list = _place_list_items(text, chunks, geo, doc)
    for index, bare in enumerate(chunks):
        chunk = _with_number(text, bare)
        if _is_line(text, chunk):
            continue  # a river: events along it take no point, and it is not a village
        original = chunk
        chunk, lookup = _with_division_word(text, chunk)
        if lookup != original.text and geo.region(lookup) is None:
            chunk, lookup = original, original.text  # "the al-Qusayr region": no such division
        named_site = False
        if lookup == chunk.text and geo.region(lookup) is None and not _ROAD.fullmatch(chunk.text):
            town = _site_town(chunk)  # (a code is no town: "the T-4 airbase")
            named_site, lookup = town is not chunk, (town or chunk).text  # "Republican Palace": no town
        if _overlaps(chunk, taken) or _not_a_place(lookup):
            continue
        ner = _ner_labels(doc, bare)
        if chunk is not bare:  # "Rashideen 5": a cardinal, even a date, to the NER; "H-3 airbase": a people
            ner -= NER_NOT_PLACES if _ROAD.fullmatch(chunk.text) else _NUMERIC_LABELS
        if _HYPHEN_MODIFIER.match(chunk.text) and not _ARTICLE.match(chunk.text):
            continue  # "Kremlin-aligned", "NATO-led" (not "Al-haraki")
        if country_of_word(chunk.text) and geo.region(chunk.text) is None:
            continue  # "the eastern Ukrainian town of A": a demonym, not a name
        listed = index in place_list
        # "the Tiyas airbase": the name of an installation is a place whatever the NER calls it
        installation = _installation_after(text, chunk) is not None
        if ner & NER_NOT_PLACES and not ner & NER_PLACES and (
                country_of_word(chunk.text) or not (listed or installation or geo.is_known(lookup, strict=True))):
            continue  # "Ukrainian": a people; a name the gazetteer knows, or listed among places, stays
        if doc is not None and not ner and _all_adjectives(doc, chunk):
            continue
        if ner & {"ORG"} and not (listed or installation) and _inside_organisation(doc, chunk) \
                and not geo.is_known(lookup, strict=True):
            continue  # "the Office of the UN High Commissioner": part of a body's name
        if doc is not None and "PERSON" in ner and _titled(doc, chunk):
            continue  # "the governor of A, Khamis Abakar,": a person the apposition names
        if doc is not None and _speaker(doc, chunk):
            continue  # "Moscow claimed the capture of A": a government by its capital
        kind = _feature_kind(text, chunk) or ("site" if named_site else None)
        found.append(_Candidate(sentence, chunk, lookup, kind,
                                bool(ner & NER_PLACES) if doc is not None else None, listed,
                                "PERSON" in ner and not ner & NER_PLACES))
    return found


_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)")


def _place_list_items(text: str, chunks: list[NameChunk], geo: Geocoder, doc) -> set[int]:
    """The chunks that are items of a list of three or more names, at least half of which the
    gazetteer knows, the NER tags as places or begin like toponyms ("captured 31 areas: A, B,
    C, ... and Z"): the others are places too, whatever the NER makes of them (a person, a
    people)."""
    runs: list[list[int]] = []
    for i, chunk in enumerate(chunks):
        if runs and _LIST_GAP.fullmatch(text, chunks[runs[-1][-1]].end, chunk.start):
            runs[-1].append(i)
        else:
            runs.append([i])
    listed: set[int] = set()
    for run in runs:
        if len(run) >= 3 and 2 * sum(1 for i in run if geo.is_known(chunks[i].text, strict=True)
                                     or _TOPONYM_HEAD.search(chunks[i].text)
                                     or _ner_labels(doc, chunks[i]) & NER_PLACES) >= len(run):
            listed.update(run)
    return listed


def _resolve_paragraph(sentences: list[Sentence], scope: _Scope) -> list[PlaceMention]:
    """Resolve all candidate names of a paragraph together, then place the unknown ones."""
    geo, context = scope.geo, scope.context
    before = len(context)  # what the text set up before this paragraph
    candidates = [c for sentence in sentences for c in _candidates(sentence, scope)]
    # Countries and divisions first: "Iraq" is the country, not a village of that name.
    regions = [geo.region(c.lookup) for c in candidates]
    _provinces_after_districts(candidates, regions, geo)
    within = _containers(candidates, regions)
    towns = [i for i, r in enumerate(regions) if r is None]
    resolved = iter(geo.resolve_all([candidates[i].lookup for i in towns], context=tuple(context[-8:]),
                                    countries=scope.countries, within=[within[i] for i in towns]))
    resolutions = [None if r is not None else next(resolved) for r in regions]
    found: list[PlaceMention] = []
    for cand, resolution, region in zip(candidates, resolutions, regions):
        sentence, chunk = cand.sentence, cand.chunk
        if resolution is None:
            if region is not None:
                found.append(_mention(sentence, chunk, region, None, 0.6, 3))
            continue
        mention = _feature_mention(cand, resolution, geo)
        found.append(mention)
        if mention.geo_precision == 1 and not is_area(resolution.place.feature_code):
            context.append(resolution.place)
    found.extend(_unknown_places(candidates, resolutions, regions, within, scope, found))
    found.extend(_capital_mentions(sentences, scope))
    found.extend(_unnamed_sites(sentences, scope, sorted(found, key=lambda m: m.start), context[:before]))
    return sorted(found, key=lambda m: m.start)


_PROVINCE_KINDS = ("governorate", "province", "state", "region", "oblast")



def _provinces_after_districts(candidates: list[_Candidate], regions: list[Place | None], geo: Geocoder) -> None:
    """"in Hays district, Al Hudaydah", "in the Al Anad base, Lahij": a name after a district (or
    a place given with its kind) and a comma is the province that holds it, not the town of that
    name (the province's own name needs no kind word there)."""
    for i in range(1, len(candidates)):
        before, cand = candidates[i - 1], candidates[i]
        district = regions[i - 1]
        if regions[i] is not None or before.sentence is not cand.sentence:
            continue
        gap = cand.sentence.text[before.chunk.end:cand.chunk.start]
        if not ((district is not None and district.feature_code == "ADM2" and gap.strip() == ",")
                or (district is None and gap.strip() != "," and KIND_THEN_COMMA.fullmatch(gap))):
            continue  # ("Aden, Lahij and Abyan" is a list)
        iso = district.iso if district is not None else geo.focus
        for kind in _PROVINCE_KINDS:
            province = geo.division(f"{cand.lookup} {kind}")
            if province is not None and province.feature_code == "ADM1" and province.iso == iso:
                regions[i] = province
                break


def _feature_mention(cand: _Candidate, resolution, geo: Geocoder) -> PlaceMention:
    """A resolved name; one given with its kind ("the Tabqa airbase", "Aleppo Citadel") is the
    feature of that kind when the gazetteer has it, else its town at geo_precision 2."""
    sentence, chunk = cand.sentence, _with_installation(cand.sentence, cand.chunk)
    if cand.kind is None:
        return _mention(sentence, chunk, resolution.place, resolution.matched_alias,
                        resolution.confidence, resolution.geo_precision)
    codes = FEATURE_CODES.get(cand.kind, ())
    feature = resolution if resolution.place.feature_code in codes else next(
        (c for c in geo.lookup(chunk.text) if c.place.feature_code in codes
         and distance_km(c.place, resolution.place) <= 50), None)
    if feature is not None:
        mention = _mention(sentence, chunk, feature.place, feature.matched_alias, resolution.confidence, 1)
    else:
        town = resolution.place
        approx = geo.approximate(chunk.text, near=town)
        place = approx.place if approx else Place(name=chunk.text, latitude=None, longitude=None)
        mention = _mention(sentence, chunk, place, None, resolution.confidence * 0.8, 2)
        mention.approximate_to = _plain(town.name)
    if cand.kind != "mountain":
        mention.site = True
        named = NameChunk(cand.chunk.start, cand.chunk.start + len(cand.lookup), cand.lookup)
        mention.site_town = _mention(sentence, named, resolution.place, resolution.matched_alias,
                                     resolution.confidence, resolution.geo_precision)
    return mention


def _containers(candidates: list[_Candidate], regions: list[Place | None]) -> list[Place | None]:
    """What the text puts each name in: a division, region or country named right after it
    ("X in Donetsk Oblast", "X, Homs province"), shared by the names listed before it."""
    within: list[Place | None] = [None] * len(candidates)
    for j, region in enumerate(regions):
        if region is None or region.feature_code in ("PCLI", None) and region.iso is None:
            continue
        i = j - 1
        if i < 0 or candidates[i].sentence is not candidates[j].sentence:
            continue
        gap = candidates[j].sentence.text[candidates[i].chunk.end:candidates[j].chunk.start]
        if not CONTAINMENT_GAP.match(gap):
            continue
        while i >= 0 and regions[i] is None and candidates[i].sentence is candidates[j].sentence:
            within[i] = region
            before = candidates[i - 1] if i > 0 else None
            if before is None or before.sentence is not candidates[i].sentence:
                break
            if not LIST_GAP.match(candidates[i].sentence.text[before.chunk.end:candidates[i].chunk.start]):
                break
            i -= 1
    return within


def _with_division_word(text: str, chunk: NameChunk) -> tuple[NameChunk, str]:
    """A name given as a division: "Donetsk Oblast", "the Idlib province" (the word joins
    the mention), "the provinces of X and Y", "X and Y provinces" (the lookup carries it)."""
    if chunk.text.split()[-1].casefold() in DIVISION_WORDS:
        return chunk, chunk.text
    after = DIVISION_AFTER.match(text[chunk.end:])
    if after:
        word = after.group(0).strip()
        if word.casefold() in DIVISION_WORDS:
            end = chunk.end + after.end()
            extended = NameChunk(chunk.start, end, text[chunk.start:end])
            return extended, extended.text
        return chunk, f"{chunk.text} {word[:-1]}"
    before = DIVISION_BEFORE.search(text[:chunk.start])
    listed = DIVISION_LIST_AFTER.match(text[chunk.end:])
    word = before.group(1) if before else listed.group(1) if listed else None
    return chunk, f"{chunk.text} {word.rstrip('s')}" if word else chunk.text


DIVISION_WORDS = frozenset("governorate province oblast region state raion district krai".split())


def _is_line(text: str, chunk: NameChunk) -> bool:
    """"the Orontes river", "west of the river Jordan", "the Aleppo-Latakia road": a line, not
    a point."""
    return bool(RIVER.match(text[chunk.end:]) or RIVER_BEFORE.search(text[:chunk.start])
                or chunk.text.split()[-1].casefold() in ("river", "stream", "canal")
                or (BETWEEN.fullmatch(chunk.text) and ROUTE.match(text[chunk.end:])))


def _feature_kind(text: str, chunk: NameChunk) -> str | None:
    """The kind a name is given with: "Mount X", "X mountains", "X airbase", "X Citadel"."""
    first, last = chunk.text.split()[0].casefold(), chunk.text.split()[-1].casefold()
    if first in ("mount", "mt.", "mt", "mts.", "jabal", "jebel", "jabel", "jb.", "jbl.") or MOUNTAIN.match(text[chunk.end:]):
        return "mountain"
    installation = _installation_after(text, chunk)
    words = installation.group(0).lower().split() if installation else [last]
    for word in reversed(words):
        word = "air base" if word == "base" and "air" in words else word
        if word in FEATURE_CODES and word != "mountain":
            return word
    return "site" if installation else None


def _ner_labels(doc, chunk: NameChunk) -> set[str]:
    """Labels of the entities overlapping a chunk (offsets within the sentence)."""
    from ..nlp import entity_offsets

    if doc is None:
        return set()
    return {label for start, end, label in entity_offsets(doc) if start < chunk.end and chunk.start < end}


_SPEECH = frozenset("say claim announce report deny confirm state declare insist accuse warn vow "
                    "acknowledge admit reject".split())


def _speaker(doc, chunk: NameChunk) -> bool:
    """The name is the subject of a verb of saying: a government or command, not a place."""
    from ..nlp import token_at

    head = token_at(doc, chunk.end - 1)
    return head is not None and head.dep_ == "nsubj" and head.head.lemma_.lower() in _SPEECH


def _object_of_verb(doc, chunk: NameChunk) -> bool:
    """The name is the object of a verb, or of "control of/over" ("liberated Hatla", "took
    control of Hatla and Marrat"): a possible place whatever the NER makes of it (the events
    stage takes a possible place only as the object of a change of hands)."""
    from ..nlp import token_at

    token = token_at(doc, chunk.end - 1) if doc is not None else None
    while token is not None and token.dep_ == "conj" and token.head != token:
        token = token.head
    if token is None:
        return False
    if token.dep_ == "dobj":
        return token.head.pos_ == "VERB"
    return token.dep_ == "pobj" and token.head.lower_ in ("of", "over") and token.head.head.lemma_ == "control"


def _titled(doc, chunk: NameChunk) -> bool:
    """The name stands in apposition to a person's title or kind ("the governor of A, Khamis
    Abakar", "a local journalist, Ahmed Hassan")."""
    from ..nlp import token_at

    token = token_at(doc, chunk.end - 1)
    if token is None or token.dep_ != "appos":
        return False
    owner = token.head
    if owner.dep_ == "pobj" and owner.head.lower_ == "of":  # (the parser hangs it on "A")
        owner = owner.head.head
    lexicon, title = load_lexicon(), owner.lemma_.lower()
    return lexicon.in_set("leader", title) or lexicon.in_set("civilian", title)


def _inside_organisation(doc, chunk: NameChunk) -> bool:
    """The chunk continues an organisation's name the NER began before it ("the Office of the UN
    High Commissioner for Human Rights")."""
    from ..nlp import entity_offsets, text_of

    return any(label == "ORG" and start < chunk.start < end
               and text_of(doc)[start:chunk.start].strip().lower() not in ("the", "")
               for start, end, label in entity_offsets(doc))


def _all_adjectives(doc, chunk: NameChunk) -> bool:
    """Every word of the chunk is an adjective the parser sees ("Ukrainian-backed")."""
    span = doc.char_span(chunk.start, chunk.end, alignment_mode="expand")
    tokens = [t for t in span if not t.is_punct] if span is not None else []
    return bool(tokens) and all(t.pos_ == "ADJ" for t in tokens) and bool(
        country_of_word(tokens[-1].text) or "-" in chunk.text)


# ("the capital of the district", "the capital of the province": a division's seat, not the country's)
_CAPITAL = re.compile(r"\bthe\s+(?:([A-Z][a-z]+)\s+)?capital\b(?!\s+of\s+(?:the|this|that|its|their)\s+(?:\w+\s+)?"
                      r"(?:district|province|governorate|region|state|oblast|county|area|prefecture|department|"
                      r"raion|canton|municipality)s?\b)(?:\s+of\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?))?")


def _capital_mentions(sentences: list[Sentence], scope: _Scope) -> list[PlaceMention]:
    """"the capital", "the Syrian capital": the profile's capital (or the one of its capitals
    the phrase names); "the Indian capital", "the capital of Sudan": that country's."""
    found = []
    for sentence in sentences:
        for match in _CAPITAL.finditer(sentence.text):
            name = _capital_named(match.group(0), match.group(1) or match.group(2), scope.profile)
            resolution = scope.geo.resolve(name) if name else None
            if resolution is not None:
                chunk = NameChunk(match.start(), match.end(), match.group(0))
                found.append(_mention(sentence, chunk, resolution.place, name,
                                      resolution.confidence, 1))
    return found


def _capital_named(phrase: str, country_word: str | None, profile: Profile) -> str | None:
    """The city a capital phrase names."""
    capitals = profile_capitals(profile)
    for city, phrases in capitals:
        if any(p.casefold() == phrase.casefold() for p in phrases):
            return city
    isos = country_of_word(country_word) if country_word else set()
    if isos and profile.iso not in isos:
        return capital_of(sorted(isos)[0])
    if country_word and not isos:
        return None  # "the regional capital", "the provincial capital": not a country's
    return capitals[0][0] if capitals else None


def profile_capitals(profile: Profile) -> list[tuple[str, tuple[str, ...]]]:
    """The profile's capitals with the phrases that name each: `capitals` (a list of names or
    of tables with `name` and `phrases`), else the single `capital`."""
    listed = getattr(profile, "capitals", None) or ()
    capitals = []
    for item in listed:
        if isinstance(item, str):
            capitals.append((item, ()))
        else:
            get = item.get if isinstance(item, dict) else lambda k, d=None, o=item: getattr(o, k, d)
            if get("name"):
                capitals.append((get("name"), tuple(get("phrases", ()) or ())))
    if not capitals and profile.capital:
        capitals.append((profile.capital, ()))
    return capitals


def _unknown_places(candidates: list[_Candidate], resolutions, regions, within,
                    scope: _Scope, found: list[PlaceMention]) -> list[PlaceMention]:
    """Names the gazetteer lacks, kept where the NER or the wording makes them a place ("the
    village of X", "in X", an item of a list), placed at the division or town the text puts
    them in, else near the last town of the document's own country (never abroad)."""
    unknown = []
    for i, (cand, resolution, region, container) in enumerate(
            zip(candidates, resolutions, regions, within)):
        if resolution is not None or region is not None:
            continue
        sentence, chunk = cand.sentence, cand.chunk
        if " " not in chunk.text and "-" not in chunk.text and _opens_sentence(sentence.text, chunk.start):
            continue  # "Fighting reached ...", "East of the city ...": a capital, not a name
        before = sentence.text[max(0, chunk.start - 30):chunk.start]
        after = sentence.text[chunk.end:chunk.end + 40]
        installation = _installation_after(sentence.text, chunk)
        marked = (_INTRODUCER.search(before) or installation or _PLACE_NOUN_AFTER.match(after)
                  or _listed_with_a_place(candidates, i) or cand.listed or _ROAD.fullmatch(chunk.text))
        # The NER misses most Arabic toponyms; but a person's two names ("Ahmed Hassan") end
        # like one: only a toponym's first word ("Kafr", "Tal") outweighs a person's name.
        two_names = cand.person and " " in chunk.text
        shaped = (_TOPONYM_HEAD if two_names else _TOPONYM_SHAPE).search(chunk.text)
        if cand.ner_place is False and not (marked or shaped or container is not None) and (
                two_names or not _object_of_verb(scope.parses.get(sentence.index), chunk)):
            continue  # a capitalised word neither the NER nor the wording makes a place
        likely = marked or cand.ner_place or shaped
        chunk = _with_installation(sentence, chunk)
        approx = _placed(chunk.text, sentence, container, scope, found)
        place = approx.place if approx else Place(name=chunk.text, latitude=None, longitude=None)
        precision = approx.geo_precision if approx else 2
        # A capitalised name with nothing marking it as a place is only a possible place: the
        # events stage takes it as the object of a change of hands ("captured Hatla"), not else.
        mention = _mention(sentence, chunk, place, None, LIKELY if likely else POSSIBLE, precision)
        mention.approximate_to = approx.approximate_to if approx else None
        mention.site = bool(installation) or chunk.text.split()[-1].lower().strip("'’s") in SITE_HEADS
        unknown.append(mention)
        if installation and installation.group(0).rstrip().endswith("s"):
            # "the A and B oil fields": two fields, each named for itself
            unknown.extend(_sibling_sites(sentence, cand.chunk, chunk, mention, unknown + found))
    return unknown


_SIBLING_BEFORE = re.compile(r"(?:^|\bthe\s+)((?:(?:al|ar|as|el|ad|ash|at|az)-)?[A-Z][\w'’]*(?:[\s-](?:(?:al|el)-)?[A-Z][\w'’]*)*)"
                             r"\s*(?:,\s*|\s+and\s+)$")


def _sibling_sites(sentence: Sentence, name: NameChunk, site: NameChunk, mention: PlaceMention,
                   known: list[PlaceMention]) -> list[PlaceMention]:
    """The names sharing a plural site word with the last one ("the Jazal and al-Mahr oil
    fields": the Jazal oil field too), each a site of its own; the last is made singular."""
    head = site.text[len(name.text):].rstrip()
    singular = head[:-1]  # "oil fields" -> "oil field"
    mention.place = replace(mention.place, name=name.text + singular) if mention.place else mention.place
    text, start, siblings = sentence.text, name.start, []
    for _ in range(4):
        match = _SIBLING_BEFORE.search(text, max(0, start - 60), start)
        if match is None:
            break
        first = NameChunk(match.start(1), match.end(1), match.group(1))
        name_of = first.text + singular
        place = replace(mention.place, name=name_of) if mention.place else Place(name_of, None, None)
        already = next((m for m in known if m.sentence == sentence.index and m.start - sentence.start == first.start), None)
        if already is not None:
            if already.place is None or already.place.feature_code is not None:
                break  # a town the gazetteer knows, not a field's name
            already.place, already.site = replace(already.place, name=name_of), True  # the field's name
            already.confidence = max(already.confidence, mention.confidence)
            start = first.start
            continue
        sibling = _mention(sentence, first, place, None, mention.confidence, mention.geo_precision)
        sibling.site = True
        siblings.append(sibling)
        start = first.start
    return siblings


def _listed_with_a_place(candidates: list[_Candidate], i: int) -> bool:
    """The second of two names a list glued together when its writer dropped the comma
    ("A, B Y and Z"): nothing but a space stands between them."""
    if i == 0 or candidates[i - 1].sentence is not candidates[i].sentence:
        return False
    text = candidates[i].sentence.text
    return not text[candidates[i - 1].chunk.end:candidates[i].chunk.start].strip()


def _placed(name: str, sentence: Sentence, container: Place | None, scope: _Scope,
            found: list[PlaceMention]):
    """Where an unknown name goes: in what the text puts it in, else near a town of the same
    sentence, else near the last town of the allowed countries seen before."""
    geo = scope.geo
    if container is not None:
        if is_area(container.feature_code):
            return geo.approximate(name, region=container)
        return geo.approximate(name, near=container)
    if _known_abroad(name, scope):
        return None  # "talks in Jeddah": a place, but not one of this war's countries
    near = _anchor_for(sentence, found, scope)
    context = tuple(p for p in scope.context[-12:] if p.iso in scope.allowed)
    return geo.approximate(name, near=near, context=context)


def _known_abroad(name: str, scope: _Scope) -> bool:
    """The name is exactly that of a sizeable place outside the countries the document's
    places may lie in: it is that place, not an unknown village to place near a town here."""
    return any(c.match in EXACT and c.score >= ACCEPT and c.place.iso not in scope.allowed
               for c in scope.geo.lookup(name))


def _opens_sentence(text: str, start: int) -> bool:
    """The word at `start` opens the sentence (after a dateline, timestamp or bullet)."""
    return not re.search(r"[\w)]", _LEAD_IN.sub("", text[:start]))


_LEAD_IN = re.compile(r"^\s*(?:[-•*]\s*)?(?:\d{1,2}[:.]\d{2}\s*(?:GMT|UTC)?\s*[-—–:]\s*)?")


def _installation_after(text: str, chunk: NameChunk) -> re.Match[str] | None:
    """The installation word a name heads ("Kuweires" in "the Kuweires airbase"), if any."""
    return INSTALLATION.match(text[chunk.end:chunk.end + 40])  # (the pattern opens with "^")


def _with_installation(sentence: Sentence, chunk: NameChunk) -> NameChunk:
    """"the Kuweires airbase", "the Nassib border crossing": the installation is the place named,
    so its words belong to the mention (resolved or not, it is located by its head name)."""
    installation = _installation_after(sentence.text, chunk)
    if installation is None:
        return chunk
    end = chunk.end + installation.end()
    return NameChunk(chunk.start, end, sentence.text[chunk.start:end])


def _anchor_for(sentence: Sentence, found: list[PlaceMention], scope: _Scope) -> Place | None:
    """The town an unknown place is near: one the same sentence names, else the last one seen,
    in the countries where the document's places may lie, the focus country's first.  A
    foreign capital is no anchor: "Moscow claimed the villages of X and Y" is the government."""
    def usable(place: Place | None) -> bool:
        return (place is not None and place.iso in scope.allowed and not is_area(place.feature_code)
                and not (place.feature_code == "PPLC" and place.iso != scope.geo.focus))

    same = [m.place for m in found if m.sentence == sentence.index and m.geo_precision == 1
            and usable(m.place)]
    if same:
        return min(same, key=lambda p: p.iso != scope.geo.focus)
    return next((p for p in reversed(scope.context) if usable(p)), None)


def _mention(sentence: Sentence, chunk: NameChunk, place: Place | None, alias, confidence, precision) -> PlaceMention:
    return PlaceMention(
        start=sentence.start + chunk.start, end=sentence.start + chunk.end, text=chunk.text,
        sentence=sentence.index, place=place, matched_alias=alias, confidence=confidence,
        geo_precision=precision,
    )


def _unnamed_sites(sentences: list[Sentence], scope: _Scope, found: list[PlaceMention],
                   context: list[Place]) -> list[PlaceMention]:
    """Sites the text names by kind, not by name ("seized the military academy and the central
    prison", "the city and its airport"), from the parse: each is a place of its own, named and
    placed after the town it lies in — the one its phrase names ("the prison in A", "A's
    airport"), the one "its" points back to, the sentence's, else the last one the text set up."""
    from ..nlp import tokens_with_lemma

    sites = []
    for sentence in sentences:
        doc = scope.parses.get(sentence.index)
        if doc is None:
            continue
        own = [m for m in found if m.sentence == sentence.index]
        for head in tokens_with_lemma(doc, SITE_HEADS):  # what `_site_phrase` looks at first
            span = _site_phrase(head)
            if span is None or any(m.start - sentence.start <= head.idx < m.end - sentence.start for m in own):
                continue
            described = _described(head)
            if described is not None and any(m.start - sentence.start <= described.idx < m.end - sentence.start
                                             for m in own):
                continue  # "A, the major military outpost east of B": A itself, described
            words = [t for t in doc[span[0]:span[1]] if t.lower_ not in _EVALUATIVE]
            start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1].text)
            earlier = [m for m in found if m.start < sentence.start]
            town = _site_anchor(head, sentence, own, earlier, context, scope,
                                (sentence.start + start, sentence.start + end))
            if town is None:
                continue
            label = town.text if town.text[:1].isupper() else _plain(town.place.name)  # "the capital"
            name = f"{label} {' '.join(t.text for t in words)}"
            if any(_ORDINAL.fullmatch(t.lower_) for t in words):
                name = " ".join(t.text for t in words)  # "the 46th Regiment base": a unit's own name
            if described is not None and described.pos_ == "PROPN":
                name = described.text  # "T4, the airbase east of B": the site's own name, placed near B
            place = scope.geo.approximate(name, near=town.place).place  # the town has coordinates
            sites.append(PlaceMention(start=sentence.start + start, end=sentence.start + end, text=name,
                                      sentence=sentence.index, place=place, confidence=LIKELY + 0.1,
                                      geo_precision=2, approximate_to=label, site=True, site_town=town))
    return sites


def _described(head):
    """The name a site phrase stands in apposition to ("A, the military outpost east of B"), not
    the next item of a list ("the citadel, the military academy, the artillery college")."""
    if head.dep_ != "appos" or any(c.dep_ == "conj" for c in head.children) \
            or any(c.dep_ == "conj" for c in head.head.children):
        return None
    return head.head


def _site_phrase(head) -> tuple[int, int] | None:
    """The token span of a site phrase headed by `head` ("military academy", "central prison",
    "Brigade 52"), or None: one site in the singular, its modifiers before it."""
    lemma = head.lemma_.lower()
    if lemma not in SITE_HEADS or head.pos_ not in ("NOUN", "PROPN") or head.dep_ == "compound" \
            or head.tag_ in ("NNS", "NNPS") and head.lower_ not in ("headquarters", "barracks"):
        return None
    modifiers = [c for c in head.lefts if c.dep_ in ("compound", "amod", "nmod")
                 and c.lower_ not in _EVALUATIVE]
    number = [c for c in head.rights if c.dep_ in ("nummod", "appos") and c.like_num]
    owned = any(c.dep_ == "poss" and c.lower_ == "its" for c in head.children)  # "the town and its hospital"
    if not modifiers and not number and lemma not in SITE_ALONE and not owned:
        return None
    words = [t for c in modifiers for t in c.subtree]
    if any(t.lower_ not in SITE_MODIFIERS and t.lemma_.lower() not in SITE_HEADS and not t.like_num
           and not _ORDINAL.fullmatch(t.lower_) for t in words):
        return None  # "a nearby school", "the regime's base", "the Kuweires airbase": not a kind
    start = min((t.i for t in words), default=head.i)
    return start, (number[-1].i if number else head.i) + 1


_SITE_IN = frozenset({"in", "of", "at", "near", "outside", "inside", "on"})


def _site_anchor(head, sentence: Sentence, own: list[PlaceMention], earlier: list[PlaceMention],
                 context: list[Place], scope: _Scope, span: tuple[int, int]) -> PlaceMention | None:
    """The town a site lies in, as a mention: one its own phrase puts it in ("the prison in A",
    "A's airport"), the one "its" points back to, the sentence's, else the last one the text
    set up before it."""
    def town(mention: PlaceMention) -> PlaceMention | None:
        if mention.site:
            mention = mention.site_town
        place = mention.place if mention is not None else None
        if place is not None and mention.geo_precision == 3:
            # "In Suwayda, ...": a governorate named after its capital puts a site in the city.
            city = max((c.place for c in scope.geo.lookup(mention.text) if c.place.iso == place.iso
                        and (c.place.feature_code or "").startswith("PPL")),
                       key=lambda p: p.population or 0, default=None)
            mention = replace(mention, place=city, geo_precision=1) if city is not None else mention
            place = city
        if place is None or place.latitude is None or is_area(place.feature_code) \
                or place.iso not in scope.allowed or (place.feature_code or "").startswith("PCL"):
            return None
        return mention

    located = [t for c in head.children for t in c.subtree
               if (c.dep_ == "prep" and c.lower_ in _SITE_IN) or c.dep_ == "poss"]
    inside = [m for m in own if any(t.idx == m.start - sentence.start for t in located)]
    before = [m for m in own if m.end - sentence.start <= head.idx]
    pointing = any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in head.children)
    # A neighbourhood the sentence lists is no town for a site ("districts including A, B and
    # the military academy"): the city they lie in, from the text before, is.
    towns = [m for m in own if (m.place is None or m.place.feature_code != "PPLX")]
    for mention in inside + (before[::-1] if pointing else []) + towns:
        found = town(mention)
        if found is not None:
            return found
    for mention in reversed(earlier):
        found = town(mention)
        if found is not None:
            return found
    place = next((p for p in reversed(context) if p.iso in scope.allowed and not is_area(p.feature_code)), None)
    if place is None:
        return None
    return PlaceMention(start=span[0], end=span[1], text=_plain(place.name), sentence=sentence.index,
                        place=place, geo_precision=1)


def _plain(name: str) -> str:
    """A gazetteer name as English text writes it: "Ţarţūs" is "Tartus"."""
    if name.isascii():
        return name
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def _site_town(chunk: NameChunk) -> NameChunk | None:
    """"Homs Central Prison" names a site in Homs: the town's part of the name ("Homs"); the
    chunk itself when it names no site, None when it is all site words ("Republican Palace")."""
    words = chunk.text.split(" ")
    if words[-1].lower().strip("'’s") not in SITE_HEADS:
        return chunk
    while words and words[-1].lower().strip("'’s") in SITE_HEADS | SITE_MODIFIERS:
        words.pop()
    if not words:
        return None
    text = " ".join(words)
    return NameChunk(chunk.start, chunk.start + len(text), text)


def _overlaps(chunk: NameChunk, spans: list[tuple[int, int]]) -> bool:
    return any(s < chunk.end and chunk.start < e for s, e in spans)


_PERSON_TITLE = re.compile(r"^(?:President|Prime|Minister|General|Gen\.?|Colonel|Col\.?|Major|Captain|King|"
                           r"Queen|Prince|Emir|Mr\.?|Mrs\.?|Dr\.?|Commander|Leader|Secretary|Spokesman|"
                           r"Ambassador|Envoy|Mufti|Imam|Bishop|Patriarch)\b")

# An office inside a name, before a person's name: never a place name ("General" and "King" are
# left out: "Homs General Hospital", "King Hussein Bridge").
_OFFICE_BEFORE_NAME = re.compile(r"\b(?:President|Minister|Commander|Secretary|Spokesman|Spokeswoman|"
                                 r"Ambassador|Envoy|Governor|Mayor)\s+[A-Z]")


@lru_cache(maxsize=1)
def stoplist() -> tuple[frozenset[str], GatedPattern | None]:
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


# A number after a name, then the end of the list item: "Rashideen 4, Rashideen 5 and ...", "Base 46
# in A" (not "Route 4 km", "Aleppo 2016" in a caption: four digits are a year).
_NUMBER_AFTER = re.compile(r" (\d{1,3})(?=\s*(?:[,;.)]|\s(?:and|or|in|near|on|at|of|north|south|east|west)\b|$))")


def _with_number(text: str, chunk: NameChunk) -> NameChunk:
    """The chunk with the number that ends its name ("Rashideen 4", "Brigade 52"), or the road
    or airbase its code names ("the M4 highway", "the T-4 airbase")."""
    road = _ROAD.search(text, chunk.start, chunk.end + 30)
    if road is not None and road.start() < chunk.end < road.end() and (
            road.start() == chunk.start or not text[road.start() - 1].isalnum()):
        return NameChunk(road.start(), road.end(), road.group(0))  # ("Syria's M4 highway": the road)
    match = _NUMBER_AFTER.match(text, chunk.end)
    if match is None or any(ch.isdigit() for ch in chunk.text):
        return chunk
    return NameChunk(chunk.start, match.end(), text[chunk.start:match.end()])


def _not_a_place(text: str) -> bool:
    if any(ch.isdigit() for ch in text) and not _NUMBERED.fullmatch(text) and not _ROAD.fullmatch(text):
        return True  # "F-15", "M5", "Route 4": equipment and roads, not places
    if _PERSON_TITLE.match(text) or _OFFICE_BEFORE_NAME.search(text):
        return True  # "President Bashar al-Assad", "Assad's Prime Minister Mohammed al-Jalali"
    words = re.findall(r"[\w']+", text.lower())
    if words and all(w in _KIND_WORDS for w in words):
        return True  # "Province" alone: the kind of a division, not its name
    return not words or all(w in stoplist()[0] for w in words) or len(text) < 3


# A road or an airbase named by its code: "the M4 highway", "the T-4 airbase" (not "F-16 jets")
_ROAD = re.compile(r"[A-Z]{1,2}-?\d{1,3} (?:international )?(?:highway|motorway|air ?base|(?:military )?airport)\b")
_NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_NUMBERED = re.compile(r"[A-Z][a-z][\w'’-]*(?: [A-Z][\w'’-]*)* \d{1,3}")  # "Rashideen 4", "Base 46"
_KIND_WORDS = frozenset({"province", "provinces", "governorate", "governorates", "oblast", "oblasts",
                         "region", "regions", "state", "states", "district", "districts", "raion",
                         "county", "municipality"})
