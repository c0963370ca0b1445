"""Extraction: events and control changes from sentences in news, monitor and encyclopedia styles."""

from __future__ import annotations

from datetime import date

import pytest

from frontlines import extract

PUBLISHED = date(2024, 12, 8)  # a Sunday


def run(text: str, published: date | None = PUBLISHED):
    return extract(text, published=published).to_contract()


def changes(text: str, published: date | None = PUBLISHED) -> list[tuple]:
    return [(c["place"], c["date"], c["previous_controller"], c["new_controller"], c["kind"], c["claim"])
            for c in run(text, published)["control_changes"]]


def places_changed(text: str) -> set[str]:
    return {c["place"] for c in run(text)["control_changes"]}


def events(text: str, published: date | None = PUBLISHED) -> list[tuple]:
    return [(e["event_type"], e["sub_event_type"], e["location"], e["event_date"])
            for e in run(text, published)["events"]]


def test_list_of_captured_towns_is_one_change_each():
    found = changes("On 30 November 2024, rebels captured Saraqib, Khan Shaykhun and Maarat al-Numan.")
    assert {(p, d, n) for p, d, _, n, _, _ in found} == {
        (p, "2024-11-30", "opposition") for p in {c[0] for c in found}}
    assert len(found) == 3
    assert all(prev == "government" and kind == "capture" for _, _, prev, _, kind, _ in found)


def test_passive_and_fell_to():
    assert len(changes("The town of Saraqib was captured by rebels on Saturday.")) == 1
    (change,) = changes("Deir ez-Zor fell to the Syrian Democratic Forces on Friday.")
    assert change[3] == "sdf" and change[1] == "2024-12-06"


def test_nominal_fall_of():
    (change,) = changes("Following the fall of Aleppo on 30 November 2024, rebels moved south.")
    assert change[1] == "2024-11-30" and change[3] == "opposition"


def test_withdrawal_gives_the_place_to_the_other_side():
    (change,) = changes("Government forces withdrew from Deir ez-Zor on Friday as the SDF advanced.")
    assert change[2:5] == ("government", "sdf", "withdrawal")
    (event,) = [e for e in events("Government forces withdrew from Palmyra on Saturday.")]
    assert event[:2] == ("Strategic developments", "Non-violent transfer of territory")


def test_approached_besieged_and_outskirts_change_nothing():
    assert changes("Rebels approached Homs on Friday.") == []
    assert changes("Rebels besieged the city of Hama for three days.") == []
    assert changes("Rebels reached the outskirts of Hama on Thursday.") == []
    assert changes("Rebels entered the suburbs of Homs on Saturday.") == []


def test_a_site_in_a_town_changes_hands_not_the_town():
    text = "Rebels captured the military airport on the outskirts of Hama on Thursday."
    assert [c[0] for c in changes(text)] == ["Hama military airport"]
    assert [e[0] for e in events(text)] == ["Battles"]


def test_landmarks_of_a_strike_are_not_its_place():
    found = events("Russian warplanes struck a bridge connecting Hama to Homs near Rastan on Friday.")
    assert all(location not in ("Hama", "Homs") for _, _, location, _ in found)


def test_israeli_airstrikes_are_air_strikes_by_israel():
    out = run("Israeli airstrikes hit weapons depots in Qusayr on Tuesday.")
    (event,) = out["events"]
    assert (event["event_type"], event["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert event["side1"] == "israel" and event["event_date"] == "2024-12-03"


def test_shelling_sub_type_from_instrument():
    (event,) = events("Government forces shelled rebel positions in Idlib on Monday.")
    assert event[1] == "Shelling/artillery/missile attack"


def test_fatalities_lowest_figure_and_vague_counts():
    (event,) = run("Airstrikes on Maarat al-Numan killed at least 12 civilians on Saturday.")["events"]
    assert event["fatalities"] == 12 and event["civilian_targeting"] == "Civilian targeting"
    (event,) = run("Dozens of fighters were killed in clashes in Saraqib on Friday.")["events"]
    assert event["fatalities"] == 12
    (event,) = run("Rebels captured Saraqib on Friday.")["events"]
    assert event["fatalities"] is None


def test_claims_and_denials_are_kept_apart():
    (change,) = changes("Rebels said they had captured Hama on Thursday.")
    assert change[5] == "claimed"
    (change,) = changes("Government forces reportedly withdrew from Homs on Saturday. "
                        "The defence ministry denied these reports.")
    assert change[5] == "denied"
    (change,) = changes("Rebels captured Homs on Saturday, according to an unverified video.")
    assert change[5] == "unconfirmed"


def test_negated_and_intended_actions_are_not_events():
    # a failed assault is fighting (a clash), not a capture
    assert [e[:2] for e in events("Rebels failed to capture Hama on Thursday.")] == [("Battles", "Armed clash")]
    assert changes("Rebels failed to capture Hama on Thursday.") == []
    assert events("Hezbollah sent fighters to Qusayr but had not yet clashed with rebels.") == []
    assert changes("Rebels vowed to take Damascus.") == []


def test_restated_change_is_one_change_with_the_earliest_day():
    text = ("Rebels captured Hama in December 2024.\n\n"
            "On 5 December 2024, rebels entered Hama from the north. On 6 December 2024, rebels captured Hama.")
    (change,) = changes(text)
    assert change[1] == "2024-12-05"


def test_denied_change_is_not_merged_with_a_reported_one():
    text = ("On 6 December 2024, government forces reportedly withdrew from Homs. The army denied these reports.\n\n"
            "On 8 December 2024, rebels captured Homs.")
    found = sorted(changes(text))
    assert [c[5] for c in found] == ["denied", "reported"]


def test_unknown_village_in_a_list_is_kept():
    out = run("On Friday, rebels captured Saraqib and Kafr Zaytunat al-Gharbiya.")
    names = {c["place"] for c in out["control_changes"]}
    assert len(names) == 2 and "Kafr Zaytunat al-Gharbiya" in names


@pytest.mark.parametrize("verb", ["captured", "taken"])
def test_names_listed_among_places_are_places_whatever_the_ner_calls_them(verb):
    # The NER tags some of these as people; in a list most of whose items are places, all are.
    out = run(f"Government troops have {verb} 5 villages: Um Hamdan, Sahlan, Al-hamra, Tal Kurdi and Abu Dali.")
    assert {c["place"] for c in out["control_changes"]} == {"Um Hamdan", "Sahlan", "Al-hamra", "Tal Kurdi",
                                                             "Abu Dali"}


def test_a_number_ending_a_name_is_part_of_it():
    out = run("Rebels took control of Hamdaniya, Zahraa 3, Zahraa 7 and Brigade 80 on Friday.")
    assert {"Zahraa 3", "Zahraa 7", "Brigade 80"} <= {c["place"] for c in out["control_changes"]}
    # a year, a distance or a count after a name is no part of it
    out = run("Rebels took control of Hamdaniya in 2016 after advancing 12 km from Salqin 300 times.")
    assert {c["place"] for c in out["control_changes"]} == {"Hamdaniya"}


def test_a_road_named_by_its_code_is_a_place():
    out = run("Government forces have seized control of the country's M5 highway north of Salqin.")
    assert [c["place"] for c in out["control_changes"]] == ["M5 highway"]
    assert run("Two F-16 jets flew over Salqin.")["control_changes"] == []
    out = run("Government troops stormed the H-3 airbase on Friday.")
    assert [c["place"] for c in out["control_changes"]] == ["H-3 airbase"]


def test_names_after_as_are_not_more_of_the_object():
    # the parser hangs "as Putin, ..." on the object; "as" gives a time or a role, not places
    out = run("Rebels captured Saraqib as Vladimir Putin, Recep Tayyip Erdogan and Ebrahim Raisi met in Tehran.")
    assert {c["place"] for c in out["control_changes"]} == {"Saraqib"}


def test_every_row_carries_evidence_and_ids():
    text = "Rebels captured Saraqib on Friday. [1]\n\nReferences\n\n1. \"Rebels take Saraqib\". Reuters. 6 December 2024."
    first = run(text)
    second = run(text)
    (event,) = first["events"]
    assert text[slice(*event["evidence_span"])] == event["evidence"]
    assert event["sources"][0]["publisher"] == "Reuters"
    assert event["event_id_cnty"] == second["events"][0]["event_id_cnty"]
    (change,) = first["control_changes"]
    assert text[slice(*change["evidence_span"])] == change["evidence"]


@pytest.mark.parametrize("text", ["Nothing happened here.", "The weather in Hama was mild on Friday.",
                                  "Rebels said the road to Homs was open."])
def test_quiet_text_gives_no_rows(text):
    out = run(text)
    assert out["events"] == [] and out["control_changes"] == []


def test_wire_dateline_is_neither_a_place_nor_the_event_date():
    out = run("BEIRUT, Dec 8 (Reuters) - Rebels captured the town of Saraqib on Friday, a monitor said.")
    (change,) = out["control_changes"]
    assert change["place"] == "Saraqib" and change["date"] == "2024-12-06"
    assert all(e["location"] != "Beirut" for e in out["events"])


def test_report_date_is_not_the_event_date():
    (event,) = run("The Observatory said on Monday that militants ambushed a convoy near Sukhnah on Saturday, "
                   "killing 12 soldiers.", published=date(2024, 12, 10))["events"]
    assert event["event_date"] == "2024-12-07" and event["fatalities"] == 12


def test_the_town_refers_back_to_the_last_town():
    found = changes("On 2 December 2024, rebels captured Halfaya, but government forces said they had retaken "
                    "the town the next day.")
    assert ("Halfaya", "2024-12-02", "government", "opposition", "capture", "reported") in found
    assert any(c[0] == "Halfaya" and c[1] == "2024-12-03" and c[3] == "government" and c[5] == "claimed"
               for c in found)


def test_transfer_without_fighting_is_strategic():
    (event,) = events("On 6 December 2024, rebels entered Salamiyah after an agreement with local leaders, "
                      "without fighting.")
    assert event[:2] == ("Strategic developments", "Non-violent transfer of territory")


def test_crowds_riot_and_take_nothing():
    out = run("Crowds stormed and ransacked the Iranian embassy in Damascus on Sunday.")
    assert out["control_changes"] == []
    assert [(e["event_type"], e["sub_event_type"]) for e in out["events"]] == [("Riots", "Mob violence")]


def test_everyday_took_needs_a_place_right_after():
    assert changes("The meeting took place in Hama on Friday.") == []
    assert changes("Rebels took part in talks in Geneva on Friday.") == []
    assert [c[0] for c in changes("Rebels took the town of Saraqib on Friday.")] == ["Saraqib"]


def test_running_totals_are_not_events_but_the_start_they_date_is():
    # The tally is no event; the offensive's start on a day of its own is a clash without a place.
    assert events("Since the start of the offensive on 27 November, the monitor has documented the deaths "
                  "of 300 people in Aleppo.") == [("Battles", "Armed clash", None, "2024-11-27")]
    assert events("Since the start of the offensive, the monitor has documented the deaths "
                  "of 300 people in Aleppo.") == []
    assert events("Since the capture of Saraqib on 27 November, the monitor has documented the deaths "
                  "of 300 people in Aleppo.") == []


def test_person_titles_are_not_places():
    out = run("Rebels took control of Damascus on Sunday and President Bashar al-Assad fled.")
    assert [c["place"] for c in out["control_changes"]] == ["Damascus"]


def test_live_blog_date_headings_date_their_entries():
    text = ("Syria live\n\nSaturday 30 November 2024\n\n07:45 GMT — Rebels captured Saraqib, the monitor says.\n\n"
            "Sunday 1 December 2024\n\n06:30 GMT — Rebels have taken Tell Rifaat, monitors say.")
    found = {c["place"]: c["date"] for c in run(text, published=date(2024, 11, 30))["control_changes"]}
    assert found["Saraqib"] == "2024-11-30"
    assert found["Tell Rifaat"] == "2024-12-01"


def test_each_item_of_a_list_keeps_its_own_date():
    found = {c[0]: c[1] for c in changes("The SDF captured Al-Mayadin on 14 October 2017 and Al-Bukamal on "
                                         "19 November 2017.")}
    assert found == {"Al-Mayadin": "2017-10-14", "Al-Bukamal": "2017-11-19"}


def test_an_unknown_name_taken_is_a_place_but_a_capital_word_is_not():
    found = [c[0] for c in changes("On Sunday, SNA units took control of Hatla and Deir Jamal.")]
    assert sorted(found) == ["Deir Jamal", "Hatla"]
    assert changes("Fighting reached the outskirts of Saraqib on Friday.") == []


def test_habitual_shelling_is_a_pattern_not_an_event():
    assert events("Turkish drones have struck villages west of Kobani almost daily since November.") == []


def test_moving_into_a_place_its_holder_just_left_is_a_transfer():
    found = events("The SDF withdrew from Deir Hafer on 8 December 2024, and SNA factions entered the town "
                   "the following day.")
    assert found and all(e[:2] == ("Strategic developments", "Non-violent transfer of territory") for e in found)
    assert [c[3] for c in changes("The SDF withdrew from Deir Hafer on 8 December 2024, and SNA factions "
                                  "entered the town the following day.")] == ["opposition"]


def test_a_shift_from_another_event_dates_that_event():
    text = "Rebels captured Hama on 5 December 2024. The fall of Hama came five days after the fall of Aleppo."
    found = {c[0]: c[1] for c in changes(text)}
    assert found["Aleppo"] == "2024-11-30" and found["Hama"] == "2024-12-05"


def test_a_date_in_a_relative_clause_after_the_trigger_dates_that_clause_not_the_event():
    out = run("Earlier today, the army reported that militants entered the town of Saraqib after a surprise "
              "attack that began two days earlier.", published=date(2024, 12, 10))
    assert {c["date"] for c in out["control_changes"] if c["place"] == "Saraqib"} == {"2024-12-10"}


def test_the_same_side_taking_a_place_again_years_later_is_a_second_change():
    text = ("The YPG took over Tell Hamra on 19 July 2012.\n\n"
            "Islamic State fighters captured Tell Hamra on 3 October 2014.\n\n"
            "The YPG recaptured Tell Hamra on 27 January 2015. Kurdish officials said the YPG had retaken "
            "Tell Hamra on 28 January 2015.")
    rows = [(c["place"], c["date"], c["new_controller"]) for c in run(text, published=None)["control_changes"]]
    assert rows == [("Tell Hamra", "2012-07-19", "sdf"), ("Tell Hamra", "2014-10-03", "isis"),
                    ("Tell Hamra", "2015-01-27", "sdf")]
