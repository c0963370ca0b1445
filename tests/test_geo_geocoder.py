"""The geocoder on a table of names: transliterations, false friends, context, absent villages."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontlines.extract.places import place_mentions as pipeline_place_mentions
from frontlines.geo import Geocoder, distance_km
from frontlines.geo.userdata import import_file
from frontlines.ingest import read_document
from frontlines.model import Place
from frontlines.pipeline import run
from frontlines.profiles import load_profile

SHARED = Path(__file__).resolve().parents[2] / "shared"
SYRIA_PLACES = SHARED / "data" / "syria_places.csv"
HOMS_ARTICLE = SHARED / "dev" / "homs-offensive-2024.txt"
needs_shared_places = pytest.mark.skipif(
    not SYRIA_PLACES.exists(), reason="../shared/data/syria_places.csv is not here"
)

UNRESOLVED = None
# Expected answers: a GeoNames id, a curated id ("curated:..."), a region ("region:<name>"),
# UNRESOLVED, or ("not", id) for a false friend that must not be chosen.
ARIHA, JOUNIEH, DARAYYA, HASBAYA = 172994, 273140, 170892, 274313


pytestmark = pytest.mark.usefixtures("geo_env")


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user folder with ../shared/data/syria_places.csv imported (once per module)."""
    home = tmp_path_factory.mktemp("shared-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(home))
        patch.setenv("FRONTLINES_CACHE", str(tmp_path_factory.getbasetemp() / "geo-cache"))
        import_file(SYRIA_PLACES)
    Geocoder.reset_default()
    return home


@pytest.fixture
def with_shared_places(shared_home: Path, monkeypatch: pytest.MonkeyPatch) -> Geocoder:
    monkeypatch.setenv("FRONTLINES_HOME", str(shared_home))
    Geocoder.reset_default()
    return Geocoder.default()


def _context(geo: Geocoder, names: tuple[str, ...]) -> list[Place]:
    places = []
    for name in names:
        found = geo.resolve(name, context=places)
        assert found is not None, f"context name {name!r} should resolve"
        places.append(found.place)
    return places


def _check(geo: Geocoder, mention: str, context: tuple[str, ...], expected) -> None:
    result = geo.resolve(mention, context=_context(geo, context))
    if expected is UNRESOLVED:
        assert result is None, f"{mention!r} should stay unresolved, got {result}"
    elif isinstance(expected, tuple):
        assert result is None or result.place.geonames_id != expected[1], f"{mention!r}: {result}"
    elif isinstance(expected, str) and expected.startswith("region:"):
        assert result is not None and result.geo_precision == 3
        assert result.place.name == expected.removeprefix("region:")
    elif isinstance(expected, str):
        assert result is not None and result.place.place_id == expected, f"{mention!r}: {result}"
    else:
        assert result is not None, f"{mention!r} should resolve to {expected}"
        assert result.place.geonames_id == expected, f"{mention!r}: got {result.place}"
        assert 0 < result.confidence <= 1 and result.geo_precision == 1


# (mention, context names, expected) with the base gazetteer only.
BASE_CASES = [
    # Transliteration variants: article, vowels, final -h, q/k, doubled letters.
    ("Ar Rastan", (), 172946),
    ("Al-Rastan", (), 172946),
    ("al-Rastan", (), 172946),
    ("Rastan", (), 172946),
    ("Er Rastan", (), 172946),
    ("Talbiseh", (), 163779),
    ("Talbisah", (), 163779),
    ("Talbisa", (), 163779),
    ("Tadmur", (), 163808),
    ("Tadmor", (), 163808),
    ("Palmyra", (), 163808),
    ("Karyetin", (), 173361),
    ("Al-Qaryatayn", (), 173361),
    ("Kariatein", (), 173361),
    ("Qaryatein", (), 173361),
    ("al-Qusair", (), 173322),
    ("Al-Qusayr", (), 173322),
    ("Qusayr", (), 173322),
    ("El Quseir", (), 173322),
    ("Homs", (), 169577),
    ("Hims", (), 169577),
    ("Homs city", (), 169577),
    ("Hama", (), 170017),
    ("Hamah", (), 170017),
    ("Deir ez-Zor", (), 170794),
    ("Dayr az-Zawr", (), 170794),
    ("Deir Ezzor", (), 170794),
    ("Raqqa", (), 172955),
    ("Al-Raqqa", (), 172955),
    ("Maarat al-Numan", (), 167611),
    ("Jisr al-Shughur", (), 169023),
    ("Kobani", (), 172256),
    ("Daraa", (), 170905),
    ("Deraa", (), 170905),
    ("Khan Sheikhoun", (), 168325),
    ("Al-Sukhnah", (), 172425),
    ("Sukhna", (), 172425),
    ("Lattakia", (), 173576),
    ("Tartous", (), 163345),
    # Curated places the cities list lacks.
    ("Khmeimim", (), "curated:OSLK"),
    ("Hmeimim Air Base", (), "curated:OSLK"),
    ("Shayrat airbase", (), "curated:OSSH"),
    ("Mount Hermon", (), "curated:hermon"),
    # False friends: near-identical spellings of other places.
    ("Arida", (), ("not", ARIHA)),
    ("Arida", ("Al-Qusayr", "Homs"), UNRESOLVED),
    ("Jousieh", (), ("not", JOUNIEH)),
    ("Jousieh", ("Al-Qusayr",), UNRESOLVED),
    ("Daraa", (), ("not", DARAYYA)),
    ("Ghasibiyya", (), ("not", HASBAYA)),
    ("Al-Ghasibiyya", ("Homs", "Talbiseh"), UNRESOLVED),
    ("Ariha", (), ARIHA),
    ("Darayya", (), DARAYYA),
    ("Jounieh", (), JOUNIEH),
    ("Hasbaya", (), HASBAYA),
    # Names in several countries, resolved by context.
    ("Tripoli", (), 266826),
    ("Tripoli", ("Beirut",), 266826),
    ("Tripoli", ("Misrata", "Benghazi"), 2210247),
    ("Homs", ("Misrata",), 2219905),
    ("Homs", ("Hama", "Aleppo"), 169577),
    ("Asilah", (), UNRESOLVED),
    ("Asilah", ("Tangier",), 2557055),
    ("Al-Majdal", ("Homs", "Talbiseh"), ("not", 295620)),
    ("Moscow", ("Homs", "Hama"), 524901),
    ("Beirut", (), 276781),
    # Regions (geo_precision 3).
    ("Lebanon", (), "region:Lebanon"),
    ("Homs Governorate", (), "region:Homs Governorate"),
    ("eastern Homs countryside", (), "region:Homs Governorate"),
    ("Idlib province", (), "region:Idlib Governorate"),
    ("Eastern Ghouta", (), "region:Eastern Ghouta"),
    # Villages the base gazetteer does not have, and words that are not places.
    ("Teir Maalah", ("Homs",), UNRESOLVED),
    ("Deir Ful", ("Homs",), UNRESOLVED),
    ("Al-Wazi'iya", ("Homs",), UNRESOLVED),
    ("Izz al-Din", ("Homs",), UNRESOLVED),
    ("Mount Gurab", ("Palmyra",), UNRESOLVED),
    ("Hezbollah", (), UNRESOLVED),
    ("Reuters", (), UNRESOLVED),
    ("December", (), UNRESOLVED),
]

# With ../shared/data/syria_places.csv imported.
SHARED_CASES = [
    ("Teir Maalah", (), 163285),
    ("Tir Ma'la", (), 163285),
    ("Tayr Ma'lah", (), 163285),
    ("Deir Ful", (), 170786),
    ("Farhaniyya", (), 11441079),
    ("Al-Farhaniyah", (), 11441079),
    ("Izz al-Din", (), 169337),
    ("Al-Dar al-Kabirah", (), 174253),
    ("Jousieh", (), 168799),
    ("Jusiyah", (), 168799),
    ("Al-Makramiyya", ("Talbiseh", "Al-Rastan"), 8322902),
    ("Asilah", ("Deir Ful", "Izz al-Din"), 162775),
    ("Al-Ghasibiyya", ("Izz al-Din", "Deir Ful"), 8327075),
    ("Al-Ghasibiyya", ("Dar al Kabirah", "Tayr Ma'lah"), 2947),
    ("Al-Wazi'iya", ("Izz al-Din", "Deir Ful"), 8324989),
    ("Arida", (), ("not", ARIHA)),
    ("Daraa", (), 170905),
    ("Ghasibiyya", (), ("not", HASBAYA)),
    ("Al-Majdal", ("Homs", "Talbiseh"), ("not", 295620)),
    ("Palmyra", (), 163808),
]


@pytest.mark.parametrize(("mention", "context", "expected"), BASE_CASES)
def test_base_gazetteer(mention: str, context: tuple[str, ...], expected) -> None:
    _check(Geocoder.default(), mention, context, expected)


@needs_shared_places
@pytest.mark.parametrize(("mention", "context", "expected"), SHARED_CASES)
def test_with_shared_places(with_shared_places: Geocoder, mention: str,
                            context: tuple[str, ...], expected) -> None:
    _check(with_shared_places, mention, context, expected)


def test_table_is_large_enough() -> None:
    assert len(BASE_CASES) + len(SHARED_CASES) >= 60


def test_confidence_orders_match_kinds() -> None:
    geo = Geocoder.default()
    exact, article = geo.resolve("Ar Rastan"), geo.resolve("El-Rastan")
    translit = geo.resolve("Karyetin")
    assert exact.match == "exact" and article.match == "article" and translit.match == "translit"
    assert exact.confidence > article.confidence > translit.confidence


def test_result_carries_the_output_fields() -> None:
    result = Geocoder.default().resolve("Al-Rastan").to_dict()
    assert result["geonames_id"] == 172946
    assert result["iso"] == "SY" and result["country"] == "Syria"
    assert result["admin1"] == "Homs" and result["geo_precision"] == 1
    assert result["matched_alias"] and 0 < result["confidence"] <= 1
    assert abs(result["latitude"] - 34.93) < 0.01 and abs(result["longitude"] - 36.73) < 0.01
    assert "Rastan" in result["aliases"]


@needs_shared_places
@pytest.mark.parametrize(("name", "lat", "lon"), [
    ("Al-Wazi'iya", 34.45576, 36.94402),
    ("Al-Wazi'iya", 34.72148, 36.93241),
    ("Al-Wazi'iya", 34.94851, 36.88754),
    ("Al-Ghasibiyya", 34.77742, 36.68346),
    ("Al-Ghasibiyya", 34.85, 36.86667),
    ("Al-Ghasibiyya", 34.95521, 36.89962),
])
def test_namesakes_chosen_by_a_nearby_place(with_shared_places: Geocoder, name: str,
                                            lat: float, lon: float) -> None:
    near = Place("a place nearby", lat + 0.02, lon - 0.02)
    result = with_shared_places.resolve(name, near=near)
    assert result is not None and distance_km(result.place, Place("x", lat, lon)) < 3


@needs_shared_places
def test_a_list_resolves_jointly(with_shared_places: Geocoder) -> None:
    names = ["Teir Maalah", "Deir Ful", "Asilah", "Farhaniyya", "Al-Wazi'iya", "Al-Ghasibiyya",
             "Al-Makramiyya", "Izz al-Din"]
    results = with_shared_places.resolve_all(names)
    ids = {name: r.place.geonames_id for name, r in zip(names, results, strict=True)}
    assert ids["Al-Wazi'iya"] == 8324989 and ids["Al-Ghasibiyya"] == 8327075
    assert ids["Asilah"] == 162775 and ids["Al-Makramiyya"] == 8322902


def article_mentions(geo: Geocoder):
    """The place mentions the extraction pipeline finds in the bundled article with `geo`."""
    analysis = run(read_document(HOMS_ARTICLE), stage_names=("segment", "dates"))
    return pipeline_place_mentions(analysis, load_profile("syria"), geo)


@needs_shared_places
def test_article_villages_resolve(with_shared_places: Geocoder) -> None:
    """With the shared list imported, every village of the bundled article's list resolves,
    and the namesakes are the ones north of Homs, by proximity in the same paragraph."""
    mentions = article_mentions(with_shared_places)
    by_name = {m.text: m for m in mentions}
    expected = {
        "Teir Maalah": 163285, "Tir Ma'la": 163285, "Deir Ful": 170786, "Farhaniyya": 11441079,
        "Izz al-Din": 169337, "Al-Dar al-Kabirah": 174253, "Al-Makramiyya": 8322902,
        "Jousieh": 168799,
        "Al-Wazi'iya": 8324989, "Al-Ghasibiyya": 8327075, "Asilah": 162775, "Karyetin": 173361,
    }
    for name, geonames_id in expected.items():
        mention = by_name[name]
        assert mention.place is not None and mention.place.geonames_id == geonames_id, name
        assert mention.geo_precision == 1


@pytest.mark.skipif(not HOMS_ARTICLE.exists(), reason="../shared/dev/homs-offensive-2024.txt is not here")
def test_unresolved_names_are_kept_and_placed_near_a_town() -> None:
    """Base gazetteer only: the villages are unknown but kept, placed near Homs (precision 2),
    and the known places of the same sentences still resolve."""
    mentions = article_mentions(Geocoder.default())
    by_name = {m.text: m for m in mentions}
    for name in ("Teir Maalah", "Deir Ful", "Al-Wazi'iya", "Al-Ghasibiyya", "Izz al-Din"):
        mention = by_name[name]
        assert mention.place is not None and mention.geo_precision == 2
        assert mention.approximate_to == "Homs"
    assert by_name["Jousieh"].approximate_to == "Al Quşayr"
    assert by_name["Talbiseh"].place.geonames_id == 163779
    assert by_name["Talbiseh"].geo_precision == 1
    assert by_name["Homs Governorate"].geo_precision == 3


def test_approximate_prefers_a_town_then_a_region() -> None:
    geo = Geocoder.default()
    homs = geo.resolve("Homs").place
    region = geo.region("Homs Governorate")
    near = geo.approximate("Unknownville", near=homs, region=region)
    assert near.geo_precision == 2 and near.approximate_to == homs.name
    assert near.place.latitude == homs.latitude
    assert near.place.name == "Unknownville" and near.place.place_id is None
    broad = geo.approximate("Unknownville", region=region)
    assert broad.geo_precision == 3 and broad.approximate_to == "Homs Governorate"
    assert geo.approximate("Unknownville") is None


def test_the_area_around_a_town_is_placed_at_the_town() -> None:
    result = Geocoder.default().resolve("Al-Qusayr countryside")
    assert result.geo_precision == 2 and result.approximate_to == "Al Quşayr"
    assert result.place.name == "Al-Qusayr countryside" and result.place.admin1 == "Homs"
    assert Geocoder.default().resolve("Teir Maalah countryside") is None


def test_region_needs_an_area_word_for_a_governorate() -> None:
    geo = Geocoder.default()
    assert geo.region("Homs") is None
    assert geo.region("northern Homs countryside").name == "Homs Governorate"
    assert geo.region("Rif Dimashq").name == "Rif Dimashq Governorate"
    assert geo.region("Damascus countryside").admin1 == "Rif Dimashq"


def test_is_known_and_lookup() -> None:
    geo = Geocoder.default()
    assert geo.is_known("Talbiseh") and geo.is_known("Homs Governorate")
    assert not geo.is_known("Hezbollah") and not geo.is_known("Teir Maalah")
    candidates = geo.lookup("Tripoli")
    assert {c.place.iso for c in candidates} >= {"LB", "LY"}
    assert candidates == sorted(candidates, key=lambda c: -c.score)


def test_an_areas_point_is_no_neighbour_of_a_namesake() -> None:
    """A province named beside a town says which province, not which point: a namesake that
    sits on the province's centroid gets no support from it (a fort did, over the city)."""
    from frontlines.geo.geocoder import _Anchor, _Context

    province = Place("Some Province", 13.47, 22.45, feature_code="ADM1")
    on_centroid = Place("Some Fort", 13.47, 22.45, feature_code="PPL")
    town = Place("Some Town", 13.47, 22.45, feature_code="PPL")
    assert _Context(external=[], others=[(1.0, [_Anchor(province, 1.0)])]).support(on_centroid) == 0.0
    assert _Context(external=[_Anchor(province, 1.0)], others=[]).support(on_centroid) == 0.0
    assert _Context(external=[], others=[(1.0, [_Anchor(town, 1.0)])]).support(on_centroid) > 0.5
