"""Governorates, named regions and countries, with representative points for geo_precision 3."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Place
from .names import normalize_name


@dataclass(frozen=True, slots=True)
class Region:
    """An area an event can only be placed in as a whole (ACLED geo_precision 3)."""

    name: str
    kind: str  # governorate | region | country
    lat: float
    lon: float
    iso: str
    aliases: tuple[str, ...] = ()
    code: str | None = None  # GeoNames admin1 code, for governorates
    admin1: str | None = None  # the governorate a region lies in, when it lies in one
    city_named: bool = True  # a governorate named after its capital: "Homs" alone is the city

    def to_place(self, country: str | None = None) -> Place:
        label = f"{self.name} Governorate" if self.kind == "governorate" else self.name
        feature = {"governorate": "ADM1", "region": "RGN", "country": "PCLI"}[self.kind]
        return Place(
            name=label, latitude=self.lat, longitude=self.lon,
            place_id=f"{self.kind}:{self.iso}:{self.code or normalize_name(self.name)}",
            country=country, iso=self.iso,
            admin1=self.name if self.kind == "governorate" else self.admin1,
            feature_code=feature, aliases=list(self.aliases),
        )


# Syria's 14 governorates with the GeoNames admin1 codes (admin1CodesASCII for SY) and the
# names the shared place list uses.  Points are approximate centroids of each governorate
# (to ~20 km), written for this table: good enough to stand for "somewhere in" it, nothing more.
GOVERNORATES = (
    Region("Al-Hasakah", "governorate", 36.45, 40.75, "SY",
           ("Hasakah", "Hasaka", "Hassakeh", "Al-Hasaka", "Hasakeh"), "01"),
    Region("Latakia", "governorate", 35.65, 35.95, "SY",
           ("Lattakia", "Al-Ladhiqiyah", "Ladhiqiyah"), "02"),
    Region("Quneitra", "governorate", 33.05, 35.85, "SY",
           ("Al-Qunaytirah", "Qunaytirah", "Kuneitra"), "03"),
    Region("Ar-Raqqah", "governorate", 35.90, 38.90, "SY",
           ("Raqqa", "Raqqah", "Al-Raqqa", "Rakka"), "04"),
    Region("As-Suwayda", "governorate", 32.65, 36.75, "SY",
           ("Suwayda", "Sweida", "Suwaida", "Al-Suwayda"), "05"),
    Region("Daraa", "governorate", 32.75, 36.15, "SY", ("Dara'a", "Deraa", "Dar'a"), "06"),
    Region("Deir ez-Zor", "governorate", 35.00, 40.20, "SY",
           ("Deir al-Zour", "Deir Ezzor", "Dayr az-Zawr", "Deir el-Zor"), "07"),
    Region("Rif Dimashq", "governorate", 33.60, 36.80, "SY",
           ("Rural Damascus", "Reef Damascus", "Damascus countryside", "Rif Damascus"), "08",
           city_named=False),
    Region("Aleppo", "governorate", 36.20, 37.60, "SY", ("Halab",), "09"),
    Region("Hama", "governorate", 35.20, 37.00, "SY", ("Hamah",), "10"),
    Region("Homs", "governorate", 34.55, 37.90, "SY", ("Hims",), "11"),
    Region("Idlib", "governorate", 35.75, 36.60, "SY", ("Idleb",), "12"),
    Region("Damascus", "governorate", 33.51, 36.29, "SY", ("Dimashq",), "13"),
    Region("Tartus", "governorate", 34.95, 36.05, "SY", ("Tartous",), "14"),
)
GOVERNORATES_BY_CODE = {gov.code: gov for gov in GOVERNORATES}

# Named regions of the war, with a central point (approximate, to ~10 km).
REGIONS = (
    Region("Eastern Ghouta", "region", 33.55, 36.45, "SY", ("East Ghouta", "Ghouta"),
           admin1="Rif Dimashq"),
    Region("Qalamoun", "region", 33.95, 36.65, "SY", ("Qalamoun Mountains", "Qalamun"),
           admin1="Rif Dimashq"),
    Region("Jabal al-Zawiya", "region", 35.68, 36.55, "SY", ("Jabal Zawiya", "Jebel Zawiya"),
           admin1="Idlib"),
    Region("Ghab Plain", "region", 35.60, 36.35, "SY", ("al-Ghab", "Sahl al-Ghab", "Ghab"),
           admin1="Hama"),
    Region("Golan Heights", "region", 33.00, 35.75, "SY", ("Golan",), admin1="Quneitra"),
    Region("Hauran", "region", 32.75, 36.25, "SY", ("Houran", "Horan"), admin1="Daraa"),
    Region("Syrian Desert", "region", 34.30, 38.60, "SY", ("Badia", "Syrian Badia", "Badiya"),
           admin1="Homs"),
)

# Countries of the region with a central point (approximate).
COUNTRIES = (
    Region("Syria", "country", 35.00, 38.50, "SY", ("Syrian Arab Republic",)),
    Region("Lebanon", "country", 33.90, 35.90, "LB"),
    Region("Turkey", "country", 39.00, 35.20, "TR", ("Türkiye", "Turkiye")),
    Region("Iraq", "country", 33.00, 43.70, "IQ"),
    Region("Jordan", "country", 31.20, 36.50, "JO"),
    Region("Israel", "country", 31.40, 35.00, "IL"),
)

# Words around a region's name that say "the area of", not "the town of".
REGION_WORDS = frozenset(
    "countryside countrysides governorate governorates province provinces region regions rural "
    "muhafazat mohafazat area".split()
)
DIRECTION_WORDS = frozenset(
    """north south east west northern southern eastern western northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern central the of greater""".split()
)


# Words after a town's name that make it the area around the town ("Al-Qusayr countryside").
AROUND_WORDS = frozenset(
    "countryside outskirts suburbs surroundings environs area district".split()
)


def town_of_area(text: str) -> str | None:
    """The town in "the Al-Qusayr countryside", "northern Rastan outskirts"; None otherwise."""
    words = text.replace("'s ", " ").replace("’s ", " ").split()
    if len(words) < 2 or words[-1].lower() not in AROUND_WORDS:
        return None
    words = words[:-1]
    while words and words[0].lower() in DIRECTION_WORDS:
        words = words[1:]
    return " ".join(words).rstrip("'’") or None


def _index() -> dict[str, Region]:
    table = {}
    for region in (*GOVERNORATES, *REGIONS, *COUNTRIES):
        for alias in (region.name, *region.aliases):
            table.setdefault(normalize_name(alias), region)
    return table


REGION_INDEX = _index()


def find_region(text: str) -> tuple[Region, bool] | None:
    """The region a phrase names, and whether the phrase names it as an area ("Homs
    countryside", "Idlib province", "Rif Dimashq") rather than by its capital's name ("Homs"
    alone is the city)."""
    whole = normalize_name(text)
    if whole in REGION_INDEX:
        region = REGION_INDEX[whole]
        return region, not region.city_named or any(w in REGION_WORDS for w in whole.split())
    words = normalize_name(text.replace("'s ", " ").replace("-", " ")).split()
    area_word = any(w in REGION_WORDS for w in words)
    core = " ".join(w for w in words if w not in REGION_WORDS and w not in DIRECTION_WORDS)
    region = REGION_INDEX.get(core)
    if region is None:
        return None
    return region, area_word
