"""Sites — installations and buildings — as places of their own: named after the town they lie
in, placed at it, the place of a change of hands; a strike or clash at a site is coded at its
town.  Every sentence here is our own; none comes from a corpus document."""

from __future__ import annotations

from datetime import date

import pytest

from frontlines.pipeline import extract


def _analysis(text: str, profile: str = "syria"):
    return extract(text, profile=profile, published=date(2024, 3, 5))


def changes(text: str, profile: str = "syria") -> dict[str, str]:
    return {c["place"]: c["new_controller"] for c in _analysis(text, profile).control_changes}


def located(text: str) -> dict[str, tuple[float, float]]:
    return {e["location"]: (e["latitude"], e["longitude"]) for e in _analysis(text).events}


def test_a_named_site_keeps_its_kind_and_lies_at_its_town():
    found = located("The rebels stormed Hama Central Prison on Monday.")
    assert list(found) == ["Hama Central Prison"]
    town = located("The rebels stormed Hama on Monday.")["Hama"]
    assert found["Hama Central Prison"] == pytest.approx(town, abs=0.01)


@pytest.mark.parametrize("sentence, site", [
    ("Rebels took the Idlib police headquarters on Monday.", "Idlib police headquarters"),
    ("Rebels took Latakia Military Prison on Monday.", "Latakia Military Prison"),
    ("Rebels took the Tartus airport on Monday.", "Tartus airport"),
])
def test_a_town_followed_by_a_site_is_the_site(sentence, site):
    assert site in changes(sentence)


def test_unnamed_sites_in_a_list_are_each_a_change_at_the_sentences_town():
    found = changes("In Tartus, the rebels seized the naval academy and the central prison.")
    assert found == {"Tartus naval academy": "opposition", "Tartus central prison": "opposition"}


def test_a_site_in_a_governorate_named_after_its_capital_lies_in_the_capital():
    found = located("In Tartus, local militias seized the Air Force Intelligence branch.")
    assert list(found) == ["Tartus Air Force Intelligence branch"]
    lat, lon = found["Tartus Air Force Intelligence branch"]
    assert lat == pytest.approx(34.89, abs=0.1) and lon == pytest.approx(35.89, abs=0.1)


def test_its_points_back_to_the_town_before():
    found = changes("The rebels took Hama on Friday, saying the city and its military airport "
                    "are now liberated.")
    assert "Hama military airport" in found


def test_a_site_without_a_town_in_its_sentence_lies_at_the_last_town_before_it():
    found = changes("The rebels entered Hama on Monday. By evening they had seized the military academy "
                    "and the artillery college.")
    assert {"Hama military academy", "Hama artillery college"} <= set(found)


def test_the_examples_of_a_falling_subject_are_the_sites():
    found = changes("Bases and airports have fallen under rebel control, including the Kuweires "
                    "military airport and an infantry school in Aleppo's northern countryside.")
    assert {"Kuweires military airport", "Aleppo infantry school"} <= set(found)


def test_a_possessive_between_the_words_of_a_phrase_keeps_the_trigger():
    found = changes("Important buildings such as the governorate headquarters and the police command "
                    "in Homs have come under their control.")
    assert {"Homs governorate headquarters", "Homs police command"} <= set(found)


@pytest.mark.parametrize("sentence", [
    "Rebels seized a nearby school in Hama.",          # no kind of site: a building, not a place
    "Rebels seized the regime's base near Hama.",      # the holder, not a name
    "Rebels seized several military bases near Hama.",  # plural: a count, not one site
])
def test_vague_buildings_are_not_sites(sentence):
    assert not any(name.endswith(("school", "base", "bases")) for name in changes(sentence))


def test_a_strike_on_a_site_is_coded_at_its_town():
    assert list(located("Russian jets bombed the Al-Rastan bridge on Friday.")) == ["Ar Rastan"]
    assert list(located("Russian jets bombed the central prison in Idlib on Friday.")) == ["Idlib"]


def test_a_site_in_apposition_to_a_name_is_that_name_placed_near_the_town():
    from datetime import date

    from frontlines.pipeline import extract

    analysis = extract("Government troops were also fleeing K9, the major air base east of Salqin.",
                       profile="syria", published=date(2024, 3, 5))
    assert [c["place"] for c in analysis.control_changes] == ["K9"]
    analysis = extract("Government troops were also fleeing Armanaz, the main garrison town west of Salqin.",
                       profile="syria", published=date(2024, 3, 5))
    assert [c["place"] for c in analysis.control_changes] == ["Armanaz"]


def test_a_site_listed_after_a_name_is_a_site_of_its_own():
    from datetime import date

    from frontlines.pipeline import extract

    analysis = extract("The rebels said they now control the old citadel of Salqin, the military academy, "
                       "the artillery college and two residential areas.", profile="syria",
                       published=date(2024, 3, 5))
    assert any("military academy" in c["place"] for c in analysis.control_changes)


def test_names_sharing_a_plural_site_word_are_a_site_each():
    analysis = extract("On Monday, the army attacked the Wadi Ahmar and Abu Rabah gas fields.", profile="syria",
                       published=date(2017, 2, 20))
    places = [set([e["location"], *e["place_aliases"]]) for e in analysis.events]
    assert any("Wadi Ahmar gas field" in names for names in places)
    assert any("Abu Rabah gas field" in names for names in places)
    assert len(analysis.events) == 2
