"""A second war with no code change: the shipped Ukraine profile on a news report of our own.

tests/data/ukraine/kharkiv-counteroffensive-2022.txt is a short news-style text (the Kharkiv
counteroffensive, published 12 September 2022) annotated per ANNOTATION.md with the sides
`ukraine` and `russia`.  `frontlines extract --profile ukraine` must find its changes of
control (F1 >= 0.8), with places geocoded in Ukraine and actors on the right sides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from frontlines.cli import cli
from frontlines.evaluation import load_json, score_document
from frontlines.extract.actors import ActorMatcher
from frontlines.geo import Geocoder
from frontlines.profiles import load_profile

from .conftest import DATA

UKRAINE = DATA / "ukraine"
DOC = UKRAINE / "kharkiv-counteroffensive-2022.txt"
GOLD = UKRAINE / "kharkiv-counteroffensive-2022.gold.json"
ACLED_TYPES = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
               "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8}


@pytest.fixture(autouse=True)
def shared_gazetteer(tmp_path_factory, monkeypatch):
    """One compiled index per focus country for the session (subprocesses included)."""
    cache = tmp_path_factory.getbasetemp() / "gazetteer-cache"
    cache.mkdir(exist_ok=True)
    monkeypatch.setenv("FRONTLINES_CACHE", str(cache))
    Geocoder.reset_default()
    yield
    Geocoder.reset_default()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    cache = tmp_path_factory.getbasetemp() / "gazetteer-cache"
    cache.mkdir(exist_ok=True)
    env_home = tmp_path_factory.mktemp("ukraine-home")
    result = subprocess.run(
        [sys.executable, "-m", "frontlines", "extract", str(DOC), "--profile", "ukraine",
         "--published", "2022-09-12", "--json"],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "FRONTLINES_HOME": str(env_home), "FRONTLINES_CACHE": str(cache)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_control_changes_score_at_least_0_8(extracted):
    score = score_document(DOC.stem, load_json(GOLD), extracted, DOC.read_text(encoding="utf-8"))
    assert score.changes.f1 >= 0.8, [*score.missed, *score.extra]


def test_changes_are_in_ukraine_between_the_two_sides(extracted):
    changes = {c["place"]: c for c in extracted["control_changes"]}
    assert {"Balakliya", "Kupyansk", "Izyum"} <= set(changes)
    for change in extracted["control_changes"]:
        assert (change["previous_controller"], change["new_controller"]) == ("russia", "ukraine")
        assert 48 < change["latitude"] < 51 and 36 < change["longitude"] < 38.5  # Kharkiv oblast
    assert changes["Izyum"]["kind"] == "withdrawal"
    claimed = [c for c in extracted["control_changes"] if c["claim"] == "claimed"]
    assert [c["place"] for c in claimed] == ["Velykyi Burluk"]  # the General Staff's claim


def test_events_carry_the_profile_country_and_actors(extracted):
    events = extracted["events"]
    assert events and all(e["iso"] == 804 and e["country"] == "Ukraine" for e in events)
    assert all(e["event_id_cnty"].startswith("UA") for e in events)
    actors = {e["actor1"] for e in events if e["actor1"]}
    assert {"Armed Forces of Ukraine", "Russian Armed Forces"} <= actors
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert any(e["location"] == "Kharkiv" and e["event_date"] == "2022-09-11" for e in shelling)


def test_eval_command_scores_the_ukraine_gold_with_the_profile():
    result = CliRunner().invoke(cli, ["eval", "--gold", str(UKRAINE), "--profile", "ukraine",
                                      "--no-errors"])
    assert result.exit_code == 0, result.output
    last = dict(part.split("=") for part in result.output.strip().splitlines()[-1].split())
    assert float(last["changes_f1"]) >= 0.8


# -- the profile ----------------------------------------------------------------------------


def test_profile_is_consistent():
    profile = load_profile("ukraine")
    assert set(profile.sides) == {"ukraine", "russia", "civilians"}
    assert (profile.iso, profile.iso_numeric, profile.region) == ("UA", 804, "Europe")
    assert profile.default_holder in profile.sides and profile.capital == "Kyiv"
    owner: dict[str, str] = {}
    for actor in profile.actors:
        assert actor.side in profile.sides
        assert ACLED_TYPES[actor.type] == actor.inter, actor.name
        for alias in {actor.name.lower(), *(a.lower() for a in actor.aliases)}:
            assert owner.setdefault(alias, actor.name) == actor.name, alias


@pytest.mark.parametrize("text, actor", [
    ("Ukrainian troops recaptured the town", "Armed Forces of Ukraine"),
    ("the ZSU advanced", "Armed Forces of Ukraine"),
    ("the National Guard of Ukraine held the line", "National Guard of Ukraine"),
    ("Territorial Defence units dug in", "Territorial Defence Forces of Ukraine"),
    ("Ukrainian drones struck the depot", "Ukrainian Air Force"),
    ("Russian forces withdrew", "Russian Armed Forces"),
    ("Russian airstrikes hit the market", "Russian Aerospace Forces"),
    ("Wagner fighters stormed the town", "Wagner Group"),
    ("Rosgvardia units guarded the bridge", "Rosgvardia"),
    ("DPR militias shelled the village", "Donetsk People's Republic forces"),
    ("LPR forces entered the town", "Luhansk People's Republic forces"),
    ("Russia's defence ministry said", "Russian Ministry of Defence"),
])
def test_actors_and_aliases(text, actor):
    (first, *_) = ActorMatcher(load_profile("ukraine")).find(text)
    assert first.actor.name == actor
    assert first.side == ("ukraine" if "Ukrain" in actor else "russia")


# -- a state's name as the doer -------------------------------------------------------------
# (the profile's `states`: "Russia captured A"; elsewhere the name is a place)

@pytest.mark.parametrize("text, gainer", [
    ("Ukraine retook the village of Robotyne on Monday.", "ukraine"),
    ("The village of Robotyne was retaken by Ukraine on Monday.", "ukraine"),
    ("Ukraine said it had recaptured the village of Robotyne.", "ukraine"),
    ("Kyiv said its forces had retaken the village of Robotyne.", "ukraine"),
    ("Russia says it has captured the village of Novomykhailivka in eastern Ukraine.", "russia"),
    ("Moscow said its troops had taken control of the village of Novomykhailivka.", "russia"),
    # a place, not the doer: the rules' default for the period (Russian gains in 2024)
    ("The village of Novomykhailivka in eastern Ukraine was captured on Monday.", "russia"),
    ("Fighters in Ukraine captured the village of Novomykhailivka.", "russia"),
])
def test_a_state_named_as_the_doer_is_its_military(text, gainer):
    from datetime import date

    from frontlines import extract

    analysis = extract(text, profile="ukraine", published=date(2024, 12, 10))
    assert [c["new_controller"] for c in analysis.control_changes] == [gainer]


@pytest.mark.parametrize("text", [
    "Russia said its drones had struck a power station in Kremenchuk on Monday.",
    "Moscow said its warplanes had bombed a fuel depot near Poltava on Monday.",
])
def test_a_states_own_aircraft_are_its_military(text):
    from datetime import date

    from frontlines import extract

    analysis = extract(text, profile="ukraine", published=date(2024, 12, 10))
    assert [(e["sub_event_type"], e["side1"]) for e in analysis.events] == [("Air/drone strike", "russia")]


def test_state_names_are_no_actor_mentions_of_their_own():
    matcher = ActorMatcher(load_profile("ukraine"))
    text = "Russian forces advanced in eastern Ukraine, Moscow said."
    assert [m.actor.name for m in matcher.find(text)] == ["Russian Armed Forces"]
    assert [(m.text, m.actor.name) for m in matcher.states(text)] == [
        ("Ukraine", "Armed Forces of Ukraine"), ("Moscow", "Russian Armed Forces")]


# -- places: the focus country in full detail ------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("Balakliia", "Balakliya"), ("Balakleya", "Balakliya"), ("Kupiansk", "Kupyansk"),
    ("Izium", "Izyum"), ("Kharkiv", "Kharkiv"), ("Kharkov", "Kharkiv"), ("Kyiv", "Kyiv"),
    ("Velykyi Burluk", "Velykyi Burluk"), ("Sviatohirsk", "Svyatohirsk"),
    ("Kozacha Lopan", "Kozacha Lopan"), ("Staryi Saltiv", "Staryi Saltiv"),
])
def test_ukrainian_places_resolve_with_the_profile_focus(name, expected):
    found = Geocoder.default(country_focus="UA").resolve(name)
    assert found is not None and found.place.name == expected and found.place.iso == "UA"


def test_small_towns_of_the_focus_country_do_not_leak_into_other_profiles():
    """The Syria index keeps its size: villages of Ukraine are only in the UA-focused one."""
    assert Geocoder.default(country_focus="SY").resolve("Velykyi Burluk") is None
    assert Geocoder.default(country_focus="SY").resolve("Kharkiv").place.iso == "UA"  # a big city
