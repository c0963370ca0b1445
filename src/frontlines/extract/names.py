"""Proper-name chunks in a sentence, with the Arabic articles and construct forms joined.

"Al-Dar al-Kabirah", "Izz al-Din", "Deir ez-Zor", "Tir Ma'la" are one name each; a list whose
writer dropped a comma ("Al-Wazi'iya Al-Ghasibiyya") is two, split at the capitalised article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..geo.countries import country_of_word

# Lower-case particles that continue a name ("Izz al-Din", "Ras al Ain", "Bab al-Hawa").
_PARTICLE = r"(?:al|ar|as|ad|at|az|ash|an|el|ez|es|ed|en|er|et|bin|ibn|bint|abu|umm|wa|de|di|du)"
# The particles that are also English words ("as", "at", "an") join a name only with a hyphen:
# "Tell as-Sultan" is one name, "Selydove as Moscow's troops advance" is two.
_SPACED_PARTICLE = r"(?:al|ar|az|ash|el|ez|bin|ibn|bint|abu|umm|wa|de|di|du)"
_WORD = r"[A-Z\u00C0-\u00DE\u02BF\u2018'][\w'’ʿʾ\u00C0-\u024F-]*"
_NAME = re.compile(
    rf"(?<![\w'’-])(?:(?:{_PARTICLE})-|{_SPACED_PARTICLE}\s)?{_WORD}"
    rf"(?:(?:\s+|-)(?:{_PARTICLE}-+|{_SPACED_PARTICLE}\s+)?{_WORD}|\s+{_PARTICLE}-{_WORD})*"
)
# First words of compound place names, after which a capitalised article stays in the name.
CONSTRUCT_HEADS = frozenset(
    """deir dayr dair tell tall tal ain ayn ein jabal jebel jabel mount bab ras khan kafr kfar
    beit bayt wadi jisr qasr bir umm abu bani sheikh shaykh nahr mazraat mazraa marj hayy suq souq
    maarat ma'arrat maarrat qalaat qalat hisn jubb tel arab sahl sit sayyida sayyidah""".split()
)
# Adjectives that end an Arabic place name ("Urm Al-Kubra", "Deir Al-Sharqi", "Tarfah
# Al-Gharbiyah"): the article before them does not open a second name.
NAME_ADJECTIVES = frozenset(
    """kubra sughra kabir kabira kabirah saghir saghira saghirah gharbi gharbiya gharbiyah gharbiyeh
    sharqi sharqiya sharqiyah sharqiyeh shamali shamaliya shamaliyah janubi janubiya janubiyah
    jadid jadida jadidah qadim qadima qadimah fawqani fouqani tahtani tahta wusta awsat""".split()
)
_INNER_ARTICLE = re.compile(r"\s+(?=(?:Al|Ar|As|Ad|At|Az|Ash|An|El|Ez)-[A-Z])")
# Capitalised words that open a sentence or name things that are not places.
NOT_NAMES = frozenset(
    """the a an on in at by of and but or as after before during following meanwhile that this
    these those its their his her it they he she we by when while upon since until later earlier
    then there here also however although though according""".split()
)


# Between a place and the province after it: "Hays district, Al Hudaydah", "the Al Anad base,
# Lahij", "Horlivka, Donetsk" (a kind word, or none, then a comma).
KIND_THEN_COMMA = re.compile(r"(?:\s+(?:district|sub-?district|base|air\s*base|airbase|camp|village|town|area|"
                             r"city|port|airport))?\s*,\s*", re.I)


@dataclass(frozen=True, slots=True)
class NameChunk:
    start: int  # offsets in the text given to `name_chunks`
    end: int
    text: str


def name_chunks(text: str) -> list[NameChunk]:
    """Every capitalised name in a text, split where a list lost its comma."""
    chunks = []
    for match in _NAME.finditer(text):
        for start, end in _split_glued(match.group(0), match.start()):
            surface = text[start:end]
            surface, start = _drop_leading_function_word(surface, start)
            surface, start = _drop_country_possessive(surface, start)
            surface = _POSSESSIVE.sub("", surface).rstrip("'’-")
            if surface and surface.lower() not in NOT_NAMES:
                chunks.append(NameChunk(start, start + len(surface), surface))
    return _with_abbreviated_heads(text, chunks)


_ABBREVIATED_HEADS = frozenset({"Mt", "Mts", "Jb", "Jbl"})  # "Mt. Hermon": the period is no end


def _with_abbreviated_heads(text: str, chunks: list[NameChunk]) -> list[NameChunk]:
    joined: list[NameChunk] = []
    for chunk in chunks:
        previous = joined[-1] if joined else None
        if previous is not None and previous.text in _ABBREVIATED_HEADS \
                and text[previous.end:chunk.start] in (". ", "."):
            joined[-1] = NameChunk(previous.start, chunk.end, text[previous.start:chunk.end])
        else:
            joined.append(chunk)
    return joined


def _split_glued(name: str, offset: int) -> list[tuple[int, int]]:
    """Split "Al-Wazi'iya Al-Ghasibiyya" in two, but keep "Deir Al-Asafir" whole."""
    spans, start = [], 0
    for match in _INNER_ARTICLE.finditer(name):
        head = name[start:match.start()].split()[-1].lower().strip("'’") if name[start:match.start()].split() else ""
        after = name[match.end():].split(" ")[0].split("-", 1)[-1].lower().strip("'’")
        if head in CONSTRUCT_HEADS or len(name[start:match.start()].split()) == 0 or after in NAME_ADJECTIVES:
            continue
        spans.append((offset + start, offset + match.start()))
        start = match.end()
    spans.append((offset + start, offset + len(name)))
    return spans


_POSSESSIVE = re.compile(r"['’]s$")
_LEADING_MODIFIER = re.compile(r"^[A-Z][a-z]+-(?:held|led|backed|controlled|run|allied|aligned|occupied)$")


_OPENING_POSSESSIVE = re.compile(r"([^\s'’]+)['’]s\s+")


def _drop_country_possessive(surface: str, start: int) -> tuple[str, int]:
    """"Russia's Bryansk region", "Syria's Idlib province": a country's possessive opens no
    part of the name (the country is named, and known, apart)."""
    opening = _OPENING_POSSESSIVE.match(surface)
    if opening is None or not country_of_word(opening.group(1)):
        return surface, start
    return surface[opening.end():], start + opening.end()


def _drop_leading_function_word(surface: str, start: int) -> tuple[str, int]:
    """"The Rebels", "On Tuesday", "Kurdish-held Tal Rifaat": a capitalised opener or a
    control adjective is not part of the name."""
    first, _, rest = surface.partition(" ")
    while rest and (first.lower() in NOT_NAMES or _LEADING_MODIFIER.match(first)):
        start += len(first) + 1
        surface = rest
        first, _, rest = surface.partition(" ")
    return surface, start
