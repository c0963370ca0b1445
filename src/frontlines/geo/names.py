"""Place-name normalisation and transliteration keys that make Ar Rastan = Al-Rastan = Rastan."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Bump when any rule below changes: compiled indexes carry it and rebuild themselves.
RULES_VERSION = "5"

# Arabic articles as they appear in Latin transliterations ("al-", "ar-", "ash-", "el-", French
# "ech-", "ed-", "es-"), dropped as whole tokens so that Ar Rastan, Al-Rastan and Rastan agree.
ARTICLES = frozenset(
    "al el il ul ar er as es ad ed at et az ez ash esh ech an en ath eth adh edh ach".split()
)

# Marks for ʿayn and hamza (and the apostrophes that stand in for them): dropped, not spaced,
# so Ma'lah, Ma`lah and Maalah meet.
APOSTROPHES = "'`´‘’ʼʻʿʾ′″\u02bc\u02bb\u02bf\u02be\u0060"

# Latin letters that NFKD does not decompose.
SPECIAL_LETTERS = {
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "þ": "th",
    "æ": "ae", "œ": "oe", "ß": "ss", "ŀ": "l", "ŧ": "t",
}

# Words that name the kind of place rather than the place ("Homs city", "Tir Ma'la village").
GENERIC_SUFFIXES = frozenset("city town village suburb".split())

# Transliteration rewrites applied, in order, to a normalised name before its skeleton is
# taken.  French and English spellings of the same Arabic sounds meet here.
REWRITES: tuple[tuple[str, str], ...] = (
    (r"\brh(?=[aeiou])", "gh"),  # French ghayn: Rhasbiye = Ghasbiye (word start only)
    (r"ou(?=[aeiy])", "w"),  # French waw before a vowel: Haouach = Hawash
    (r"ou|oo", "u"),
    (r"ee", "i"),
    (r"dzh|dsch|dj", "j"),
    (r"tch|tsch|sch", "ch"),
    (r"ch", "sh"),  # French: Chahba = Shahba
    (r"ph", "f"),
    (r"q", "k"),
    (r"c(?!h)", "k"),
    (r"kh", "x"),  # one consonant each, so that k + h never meets kh
    (r"gh", "g"),
    (r"sh", "$"),
    (r"th", "t"),
    (r"dh", "d"),
    (r"(?:iyy?[ae]h?|ieh|iy[eh]|ie)\b", "iya"),  # nisba ending: -iyah -iyeh -iyya -ieh -iye
    (r"(?<=[aeiou])h\b", ""),  # final -ah/-eh: Talbiseh = Talbisah = Talbisa
)
_REWRITES = tuple((re.compile(pattern), repl) for pattern, repl in REWRITES)

VOWELS = frozenset("aeiou")
_DOUBLED = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^\w]+|_")
_LATIN = re.compile(r"^[a-z0-9 ]+$")
_DIGIT = re.compile(r"\d")
# Combining marks of the scripts met here (Latin, Greek, Cyrillic, Hebrew, Arabic diacritics).
_COMBINING = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
_SPECIAL_TABLE = str.maketrans(SPECIAL_LETTERS)
_APOSTROPHE_TABLE = str.maketrans("", "", APOSTROPHES)


def _strip_marks(text: str) -> str:
    """NFKD, drop combining marks, map the few letters NFKD leaves alone."""
    if text.isascii():
        return text.casefold()
    plain = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return plain.casefold().translate(_SPECIAL_TABLE)


def name_tokens(name: str) -> list[str]:
    """Lower-case word tokens with ʿayn/hamza marks removed and other punctuation as breaks."""
    text = _strip_marks(name).translate(_APOSTROPHE_TABLE)
    return [tok for tok in _NON_WORD.split(text) if tok]


def _drop_articles(tokens: list[str]) -> list[str]:
    """Drop article tokens (leading and inner: "Ad Dar al Kabirah" -> "dar kabirah")."""
    kept = [tok for i, tok in enumerate(tokens) if not (tok in ARTICLES and i < len(tokens) - 1)]
    # An Arabic-script article is glued to its word.
    kept = [tok[2:] if _glued_article(tok) else tok for tok in kept]
    return kept or tokens


def _glued_article(token: str) -> bool:
    return token.startswith("ال") and len(token) > 4 and not token[2:].startswith("ال")


@lru_cache(maxsize=50_000)
def normalize_name(name: str) -> str:
    """The exact-match key: no diacritics, lower case, no ʿ/', no articles, single spaces."""
    return " ".join(_drop_articles(name_tokens(name)))


def strip_generic(name: str) -> str:
    """Drop a trailing generic word ("Homs city" -> "Homs") when something remains."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold() in GENERIC_SUFFIXES:
        return " ".join(words[:-1])
    return name


def _phonetic(norm: str) -> str:
    """Apply the transliteration rewrites to a normalised name."""
    text = norm
    for pattern, repl in _REWRITES:
        text = pattern.sub(repl, text)
    return text


def _mark_glides(word: str) -> str:
    """Upper-case y/w where they are consonants: before a vowel and after a vowel, at the
    word start, or doubled (Darayya, Daraya: Y; Qaryatayn, Tayr: vowel glides)."""
    out = []
    i, n = 0, len(word)
    while i < n:
        ch = word[i]
        if ch in "yw":
            j = i
            while j < n and word[j] == ch:
                j += 1
            before_vowel = j < n and word[j] in VOWELS
            after_vowel_or_start = i == 0 or word[i - 1] in VOWELS
            consonant = before_vowel and (after_vowel_or_start or j - i > 1)
            out.append((ch.upper() if consonant else ch) * (j - i))
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The keys a name is indexed under.

    norm: exact-match key.  skel: consonant skeleton (vowels and vowel glides dropped,
    doubled letters collapsed, q=k, ch=sh ...).  shape: the skeleton with one "V" per vowel
    group, so that Talbiseh/Talbisah agree but Daraa (d-V-r-V) and Deir (d-V-r) do not.
    """

    norm: str
    skel: str
    shape: str


@lru_cache(maxsize=50_000)
def name_keys(name: str) -> NameKeys:
    """Compute the exact, skeleton and shape keys of a place name."""
    norm = normalize_name(name)
    if not _LATIN.match(norm):
        flat = norm.replace(" ", "")
        return NameKeys(norm, flat, flat)
    words = [_mark_glides(w) for w in _phonetic(norm).split()]
    text = _DOUBLED.sub(r"\1", "".join(words))
    skel_chars: list[str] = []
    shape_chars: list[str] = []
    for ch in text:
        if ch in VOWELS or ch in "yw":
            if not shape_chars or shape_chars[-1] != "V":
                shape_chars.append("V")
            continue
        low = ch.lower()
        skel_chars.append(low)
        shape_chars.append(low)
    skel = _DOUBLED.sub(r"\1", "".join(skel_chars))
    shape = _DOUBLED.sub(r"\1", "".join(shape_chars))
    return NameKeys(norm, skel, shape)


# Countries whose place names are romanised from Cyrillic: one Ukrainian or Russian name has
# many Latin spellings (Hirnyk = Girnyk: Ukrainian h for Russian g; Bilohorivka = Belogorovka:
# Ukrainian i for Russian o or e; Selydove = Selidovo; Sudzha = Soudja), so their names get
# keys of their own, where every vowel letter (y included) is one vowel and h is g.
SLAVIC_COUNTRIES = frozenset("UA RU BY".split())
SLAVIC_REWRITES: tuple[tuple[str, str], ...] = (
    (r"shch|sch|szcz", "$"),
    (r"dzh|dj|zh", "J"),  # Sudzha = Sudja = Soudja
    (r"ck", "k"),
    (r"tsch|tch|ch|cz", "C"),
    (r"kh", "x"),
    (r"h", "g"),  # Kharkiv = Kharkov is kh; Hirnyk = Girnyk is h
    (r"sh|sz", "$"),
    (r"ts|tz|c(?!h)", "c"),
    (r"ph|f", "f"),
    (r"w", "v"),  # German and Polish spellings: Charkow
    (r"q", "k"),
    (r"j", "y"),  # scholarly and Polish j is the glide: Kyjiv = Kyiv
)
_SLAVIC_REWRITES = tuple((re.compile(pattern), repl) for pattern, repl in SLAVIC_REWRITES)
SLAVIC_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=50_000)
def slavic_keys(name: str) -> NameKeys:
    """The keys of a name romanised from Cyrillic: consonant skeleton and vowel shape after the
    Ukrainian/Russian spelling rewrites (Girnyk and Hirnyk: skeleton grnk, shape gVrnVk)."""
    norm = normalize_name(name)
    if not _LATIN.match(norm):
        flat = norm.replace(" ", "")
        return NameKeys(norm, flat, flat)
    text = norm.replace(" ", "")
    for pattern, repl in _SLAVIC_REWRITES:
        text = pattern.sub(repl, text)
    skel_chars: list[str] = []
    shape_chars: list[str] = []
    for ch in _DOUBLED.sub(r"\1", text):
        if ch in SLAVIC_VOWELS:
            if not shape_chars or shape_chars[-1] != "V":
                shape_chars.append("V")
            continue
        skel_chars.append(ch)
        shape_chars.append(ch)
    skel = _DOUBLED.sub(r"\1", "".join(skel_chars))
    shape = _DOUBLED.sub(r"\1", "".join(shape_chars))
    return NameKeys(norm, skel, shape)


# Countries whose romanisations write the Arabic jīm as a hard g, as it is spoken there
# (Gezira = Jazirah, Geneina = Junaynah): a name with a g is also looked for with j there.
HARD_G_COUNTRIES = frozenset("EG SD SS".split())
_HARD_G = re.compile(r"g(?!h)")


def hard_g_variant(name: str) -> str | None:
    """The name with j for every g that is not gh ("Gezira" -> "jezira"); None without one."""
    lowered = name.casefold()
    variant = _HARD_G.sub("j", lowered)
    return variant if variant != lowered else None


def keys_for(name: str, iso: str | None) -> NameKeys:
    """The keys of a place's name in its country's romanisation: Cyrillic or Arabic."""
    return slavic_keys(name) if iso in SLAVIC_COUNTRIES else name_keys(name)


def deletion_keys(skel: str) -> set[str]:
    """The skeleton with one consonant deleted, except the first: fuzzy matching allows one
    consonant more or less, never a different one (Ghasibiyya must not become Hasbaya)."""
    return {skel[:i] + skel[i + 1 :] for i in range(1, len(skel))}


@lru_cache(maxsize=100_000)
def shape_distance(a: str, b: str) -> int:
    """Levenshtein distance between two shapes, capped at 3 (only 0 and 1 matter)."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > 2:
        return 3
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return min(previous[-1], 3)


def useful_alias(name: str) -> bool:
    """Whether an alternate name is worth indexing.

    GeoNames alternates include airport codes ("DAM", "QHS") and unvocalised lower-case
    romanisations of the Arabic ("alrstn", "mdynt hms") that only cause false matches.
    """
    name = name.strip()
    if len(name) < 2 or _DIGIT.search(name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    if name.isascii() and name == name.lower():
        return False
    return any(ch.isalpha() for ch in name)
