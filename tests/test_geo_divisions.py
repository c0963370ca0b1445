"""Places at every level and in the right country: divisions, feature kinds, containment,
capitals named by a country's adjective, foreign namesakes, and names the NER rules out.
Every sentence here is written for these tests."""

from __future__ import annotations

import datetime

import pytest

import frontlines
from frontlines.geo import Geocoder, distance_km
from frontlines.geo.countries import capital_of, countries_named, country_of_word
from frontlines.geo.divisions import core_name, direction_variants

pytestmark = pytest.mark.usefixtures("geo_env")


def mentions(text: str, profile: str = "syria") -> dict[str, object]:
    analysis = frontlines.extract(text, profile=profile, published=datetime.date(2024, 6, 1))
    return {m.text: m for m in analysis.mentions}


# -- divisions -------------------------------------------------------------------------------

@pytest.mark.parametrize("phrase, admin1", [
    ("Donetsk Oblast", "Donetsk"),
    ("the Lugansk region", "Luhansk"),  # through the Russian spelling of its seat
    ("the province of Kherson", "Kherson"),
    ("Zaporizhzhia region", "Zaporizhzhia"),
])
def test_first_level_divisions_of_the_focus_country(phrase, admin1):
    place = Geocoder.default("UA").region(phrase)
    assert place is not None and place.feature_code == "ADM1"
    assert (place.iso, place.admin1) == ("UA", admin1)
    town = Geocoder.default("UA").resolve(admin1).place  # the seat lies in its division
    assert distance_km(place, town) < 250


def test_second_level_division_and_the_bare_name_stays_a_town():
    geo = Geocoder.default("UA")
    raion = geo.region("Bakhmut Raion")
    assert raion.feature_code == "ADM2" and raion.admin1 == "Donetsk" and raion.admin2 == "Bakhmut"
    assert geo.region("Donetsk") is None
    assert geo.resolve("Donetsk").place.feature_code.startswith("PPL")


def test_a_state_spelled_otherwise_than_its_data_and_north_for_northern():
    geo = Geocoder.default("SD")
    assert geo.region("Sennar State").iso == "SD"  # GeoNames spells it Sinnar
    assert geo.region("North Darfur State").admin1 == "Northern Darfur"
    assert geo.region("the Khartoum state").feature_code == "ADM1"


def test_towns_carry_admin1_and_admin2_in_every_country():
    bakhmut = Geocoder.default("UA").resolve("Bakhmut").place
    assert (bakhmut.admin1, bakhmut.admin2) == ("Donetsk", "Bakhmut")
    kursk = Geocoder.default("UA").resolve("Kursk").place
    assert kursk.iso == "RU" and kursk.admin1 == "Kursk"
    assert Geocoder.default("SY").resolve("Al-Rastan").place.admin1 == "Homs"


def test_division_names_without_their_kind():
    assert core_name("West Kordofan State") == "West Kordofan"
    assert core_name("Kursk Oblast") == "Kursk"
    assert "North Darfur" in direction_variants("Northern Darfur")


def test_divisions_in_text_resolve_at_precision_3():
    found = mentions("Government troops were pushed out of Homs Governorate and the rebels "
                     "entered the Idlib province, then the provinces of Hama and Latakia.")
    assert found["Homs Governorate"].geo_precision == 3
    assert found["Idlib province"].place.admin1 == "Idlib"
    assert found["Idlib province"].geo_precision == 3
    assert found["Hama"].geo_precision == 3 and found["Latakia"].geo_precision == 3
    ua = mentions("Shelling continued across Kharkiv and Sumy oblasts overnight.", "ukraine")
    assert ua["Kharkiv"].place.feature_code == "ADM1" and ua["Sumy"].geo_precision == 3


# -- containment ---------------------------------------------------------------------------

@pytest.mark.parametrize("oblast", ["Donetsk", "Odessa", "Poltava"])
def test_a_namesake_village_is_taken_in_the_oblast_the_text_names(oblast):
    found = mentions(f"Troops entered Novoselivka in {oblast} Oblast after a week of shelling.",
                     "ukraine")
    place = found["Novoselivka"].place
    assert place.admin1 == oblast and found["Novoselivka"].geo_precision == 1


def test_a_village_the_named_oblast_lacks_is_placed_in_that_oblast_not_a_namesakes():
    # The gazetteer has no Novoselivka in Kharkiv Oblast, only in others.
    found = mentions("Troops entered Novoselivka in Kharkiv Oblast after a week of shelling.",
                     "ukraine")
    mention = found["Novoselivka"]
    assert mention.place.admin1 == "Kharkiv" and mention.geo_precision == 3


def test_a_list_before_its_division_is_contained_in_it():
    found = mentions("The army shelled Ivanivka, Petrivka and Dmytrivka, Kherson Oblast.",
                     "ukraine")
    for name in ("Ivanivka", "Petrivka", "Dmytrivka"):
        assert found[name].place.admin1 == "Kherson", name


def test_an_unknown_name_in_a_division_is_placed_in_it():
    found = mentions("Militants stormed the hamlet of Qarzabulah in Homs Governorate.")
    mention = found["Qarzabulah"]
    assert mention.geo_precision == 3 and mention.place.admin1 == "Homs"
    assert mention.place.latitude is not None


def test_an_unknown_name_with_no_anchor_has_no_coordinates():
    found = mentions("Militants stormed the hamlet of Qarzabulah at dawn.")
    assert found["Qarzabulah"].place.latitude is None


# -- the right country -----------------------------------------------------------------------

def test_capital_phrases_name_the_country_they_say():
    found = mentions("Drones struck the Ukrainian capital while the Indian capital hosted "
                     "talks; the capital was calm by evening.", "ukraine")
    assert found["the Ukrainian capital"].place.name == "Kyiv"
    assert found["the Indian capital"].place.iso == "IN"
    assert found["the capital"].place.name == "Kyiv"
    syria = mentions("Rebels neared the capital of Syria as the Sudanese capital was shelled.")
    assert syria["the capital of Syria"].place.name == "Damascus"
    assert syria["the Sudanese capital"].place.name == "Khartoum"


def test_a_foreign_town_needs_its_country_named():
    found = mentions("Rebels advanced from Toledo towards Homs on Tuesday.")
    place = found["Toledo"].place if "Toledo" in found else None
    assert place is None or place.latitude is None or place.iso == "SY"
    spanish = mentions("Spanish volunteers who had left Toledo arrived in Syria.")
    assert spanish["Toledo"].place.iso == "ES"


def test_countries_named_by_name_or_demonym():
    assert countries_named("Lebanese and Turkish-backed forces near Iraq") == {"LB", "TR", "IQ"}
    assert country_of_word("Sudanese") == {"SD"} and capital_of("SD") == "Khartoum"
    assert countries_named("the army said fighting continued") == set()


# -- what is not a place -----------------------------------------------------------------------

def test_demonyms_and_modifiers_are_never_places():
    found = mentions("Kremlin-aligned militias and NATO-led units clashed as Ukrainian troops "
                     "held Kupiansk.", "ukraine")
    assert "Kupiansk" in found
    for word in ("Kremlin-aligned", "NATO-led", "Ukrainian"):
        assert not any(word in text for text in found), word


# -- feature kinds -----------------------------------------------------------------------------

def test_a_river_takes_no_point_and_is_no_village():
    found = mentions("Fighters dug in west of the Euphrates river near Raqqa.")
    assert "Euphrates" not in found and "Euphrates river" not in found
    assert found["Raqqa"].geo_precision == 1


@pytest.mark.parametrize("sentence", [
    "Troops pulled back from Kherson to the left bank of the Dnipro in November.",
    "Marines held a foothold on the east bank of the Dnipro near Kherson.",
])
def test_the_bank_of_a_river_names_the_river_not_the_city(sentence):
    found = mentions(sentence, "ukraine")
    assert "Kherson" in found and "Dnipro" not in found


def test_a_mountain_and_an_airbase_resolve_to_their_kind():
    found = mentions("Israeli troops moved onto Mount Hermon and jets left the Hmeimim airbase.")
    assert found["Mount Hermon"].place.feature_code == "MT"
    base = found["Hmeimim airbase"]
    assert base.place.feature_code in ("AIRB", "AIRF") or base.geo_precision == 2


def test_a_citadel_is_its_town_at_precision_2():
    found = mentions("Rebels raised their flag over the Aleppo Citadel on Saturday.")
    mention = next(m for t, m in found.items() if t.startswith("Aleppo"))
    aleppo = Geocoder.default("SY").resolve("Aleppo").place
    assert mention.geo_precision == 2 and distance_km(mention.place, aleppo) < 1


# -- spellings, one sense per document, countries, the document's area -------------------------

@pytest.mark.parametrize("ukrainian, russian", [
    ("Hirske", "Gorskoye"), ("Bilozerske", "Belozerskoye"), ("Pervomaiskyi", "Pervomayskiy"),
    ("Zaporizhzhia", "Zaporozhye"), ("Kyjiw", "Kyiv"),
])
def test_cyrillic_romanisations_share_their_keys(ukrainian, russian):
    from frontlines.geo.names import slavic_keys

    assert slavic_keys(ukrainian).shape == slavic_keys(russian).shape


def test_a_ukrainian_town_is_found_under_its_russian_romanisation():
    geo = Geocoder.default("UA")
    horlivka = geo.resolve("Horlivka").place
    # Spellings GeoNames does not list: g for h, o or y for i, w for v.
    for spelling in ("Gorlyvka", "Horlovka", "Gorliwka"):
        found = geo.resolve(spelling)
        assert found is not None and found.match == "translit", spelling
        assert distance_km(found.place, horlivka) < 1, spelling


def test_a_cyrillic_name_is_never_one_consonant_from_an_english_word():
    from frontlines.geo.names import slavic_keys

    # GeoNames lists a Ukrainian city's names in every language; one consonant more or less
    # from any of them would make a common word ("Ground", "Hunter") a town.
    for word in ("Ground", "Hunter", "Border"):
        for cand in Geocoder.default("UA").lookup(word):
            if cand.place.iso == "UA":
                assert slavic_keys(cand.matched_alias).skel == slavic_keys(word).skel, (word, cand)


def test_a_name_resolved_once_is_the_same_place_everywhere_in_the_document():
    # The first mention's only context lies 900 km away (no transliteration is taken that
    # far from its context); the second paragraph places it, and the first follows.
    text = ("RSF fighters stormed Um Rawaba after clashes around El Geneina.\n\n"
            "Um Rawaba lies east of El Obeid on the road to the White Nile.")
    analysis = frontlines.extract(text, profile="sudan", published=datetime.date(2024, 6, 1))
    found = [m for m in analysis.mentions if m.text == "Um Rawaba"]
    assert len(found) == 2
    assert {m.place.name for m in found} == {"Umm Ruwaba"}
    assert all(m.geo_precision == 1 for m in found)


def test_a_country_is_a_place_in_that_country_at_precision_3():
    found = mentions("Thousands of families fled across the border into Ethiopia.", "sudan")
    place = found["Ethiopia"].place
    assert (place.iso, place.feature_code, found["Ethiopia"].geo_precision) == ("ET", "PCLI", 3)
    assert Geocoder.default("SD").region("the UK").iso == "GB"
    assert Geocoder.default("SD").region("Ethiopian") is None


def test_a_city_known_abroad_is_never_placed_near_a_town_here():
    found = mentions("Negotiators met in Casablanca while the army shelled Kosti.", "sudan")
    assert found["Kosti"].place.iso == "SD"
    casablanca = found.get("Casablanca")
    assert casablanca is None or casablanca.place.latitude is None or casablanca.place.iso == "MA"


def test_a_namesake_in_the_documents_area_beats_a_bigger_one_far_away():
    # Two Kostyantynivkas: a city in Donetsk Oblast and a village 31 km from Voznesensk.
    found = mentions("On Monday shelling hit Voznesensk.\n\nOn Tuesday the army said its "
                     "troops had entered Kostyantynivka.", "ukraine")
    place = found["Kostyantynivka"].place
    assert place.admin1 == "Mykolaiv"
    alone = mentions("On Tuesday the army said its troops had entered Kostyantynivka.", "ukraine")
    assert alone["Kostyantynivka"].place.admin1 == "Donetsk"


def test_a_foreign_capital_is_no_clue_to_where_a_namesake_lies():
    geo = Geocoder.default("UA")
    # Without context the bigger namesake wins; a foreign capital in the sentence does not
    # pull the name into the capital's country.
    alone = geo.resolve_all(["Kostyantynivka"])[0].place
    with_capital = geo.resolve_all(["Kostyantynivka", "Moscow"])[0].place
    assert alone.place_id == with_capital.place_id


def test_a_hard_g_for_jim_is_read_where_it_is_spoken_so():
    sudan = Geocoder.default("SD")
    for spelling in ("Gubeit", "Gubayt"):  # Jubayt, as Sudanese and Egyptian spellings write it
        found = sudan.resolve(spelling)
        assert found is not None and found.place.name == "Jubayt", spelling
    # In Syria a g is a g (or a ghayn): Jableh is not "Gableh".
    syria = Geocoder.default("SY")
    assert syria.resolve("Jableh").place.iso == "SY"
    gableh = syria.resolve("Gableh")
    assert gableh is None or gableh.place.name != syria.resolve("Jableh").place.name
