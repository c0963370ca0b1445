"""Conflict profiles: the shipped profiles are consistent, a user's own profile loads, the schema's
fields (holders, capitals, periods) behave, and each kind of mistake is reported on its line."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from frontlines.errors import ConfigError
from frontlines.extract.actors import ActorMatcher
from frontlines.profiles import load_profile
from frontlines.profiles.schema import problems


def test_no_alias_names_two_actors():
    profile = load_profile("syria")
    owner: dict[str, str] = {}
    for actor in profile.actors:
        for alias in {actor.name.lower(), *(a.lower() for a in actor.aliases)}:
            assert owner.setdefault(alias, actor.name) == actor.name, alias


def test_every_actor_has_a_known_side_and_acled_type():
    profile = load_profile("syria")
    types = {"State forces": 1, "Rebel group": 2, "Political militia": 3, "Identity militia": 4,
             "Rioters": 5, "Protesters": 6, "Civilians": 7, "External/Other forces": 8}
    for actor in profile.actors:
        assert actor.side in profile.sides
        assert types[actor.type] == actor.inter, actor.name


@pytest.mark.parametrize("text, side", [
    ("Israeli airstrikes hit the depot", "israel"),
    ("Turkish drones struck the convoy", "turkey"),
    ("HTS fighters entered the city", "opposition"),
    ("Kurdish-led forces withdrew", "sdf"),
    ("Hezbollah's Redwan force left", "government"),
])
def test_actor_mentions_take_their_side(text, side):
    (first, *_) = ActorMatcher(load_profile("syria")).find(text)
    assert first.side == side


def test_an_alias_does_not_run_across_punctuation():
    matcher = ActorMatcher(load_profile("syria"))
    assert not any("Suwayda" in m.text for m in matcher.find("In Suwayda, local factions seized the prison."))
    assert [m.text for m in matcher.find("Suwayda local factions seized the prison.")] == [
        "Suwayda local factions"]


def test_a_user_profile_for_another_war_loads_by_path(tmp_path):
    path = tmp_path / "mywar.toml"
    path.write_text('[profile]\nname = "mywar"\niso = "XX"\n\n[sides.north]\ncolour = "#123456"\n'
                    '[sides.south]\ncolour = "#654321"\n\n[[actors]]\nname = "Northern Army"\n'
                    'side = "north"\ntype = "State forces"\ninter = 1\naliases = ["northerners"]\n')
    profile = load_profile(str(path))
    assert profile.name == "mywar" and set(profile.sides) == {"north", "south"}
    assert ActorMatcher(profile).find("The northerners advanced")[0].actor.name == "Northern Army"


def test_bad_profiles_are_clear_errors(tmp_path):
    with pytest.raises(ConfigError, match="no profile named"):
        load_profile("atlantis")
    bad = tmp_path / "bad.toml"
    bad.write_text('[profile]\nname = "bad"\n[sides.a]\n[[actors]]\nname = "X"\nside = "zzz"\n')
    with pytest.raises(ConfigError, match="bad.toml"):
        load_profile(str(bad))


# -- the schema: holders, capitals, periods, checks ---------------------------------------------

MINIMAL = '''[profile]
name = "lakeland"
iso = "SY"
region = "Middle East"

[sides.blue]
[sides.red]

[[actors]]
name = "Blue Legion"
side = "blue"
type = "Rebel group"
inter = 2

[[actors]]
name = "Red Guard"
side = "red"
type = "State forces"
inter = 1
'''


def _load(tmp_path, text: str):
    path = tmp_path / "lakeland.toml"
    path.write_text(text)
    return load_profile(str(path))


def test_holders_change_with_the_date(tmp_path):
    profile = _load(tmp_path, MINIMAL + '\n[[holders]]\nuntil = 2030-06-30\nside = "red"\n\n'
                                        '[[holders]]\nuntil = "2031-12-31"\nside = "blue"\n\n'
                                        '[[holders]]\nside = "red"\n')
    assert profile.holder_on(date(2029, 1, 1)) == "red"
    assert profile.holder_on(date(2030, 6, 30)) == "red"
    assert profile.holder_on(date(2030, 7, 1)) == "blue"
    assert profile.holder_on(date(2032, 1, 1)) == "red"
    assert profile.holder_on(None) == profile.default_holder == "red"


def test_default_holder_and_capital_shorthands_still_work(tmp_path):
    text = MINIMAL.replace('region = "Middle East"\n', 'region = "Middle East"\ndefault_holder = "blue"\n'
                                                      'capital = "Homs"\n')
    profile = _load(tmp_path, text)
    assert profile.holder_on(date(2030, 1, 1)) == profile.default_holder == "blue"
    assert profile.capital == "Homs" and profile.capitals[0].phrases == ()


def test_several_capitals_with_their_phrases(tmp_path):
    profile = _load(tmp_path, MINIMAL + '\n[[capitals]]\nname = "Damascus"\nphrases = ["the capital"]\n\n'
                                        '[[capitals]]\nname = "Qamishli"\nphrases = ["the regional capital"]\n')
    assert [c.name for c in profile.capitals] == ["Damascus", "Qamishli"]
    assert profile.capitals[1].phrases == ("the regional capital",)
    assert profile.capital == "Damascus"


def test_an_actor_that_changed_sides_is_on_the_side_of_the_sentences_day(tmp_path):
    profile = _load(tmp_path, MINIMAL + '\n[[actors]]\nname = "Grey Brigade"\nside = "blue"\n'
                                        'periods = [{ until = "2030-12-31", side = "red" }]\n')
    matcher = ActorMatcher(profile)
    assert matcher.find("The Grey Brigade advanced.", date(2030, 5, 1))[0].side == "red"
    assert matcher.find("The Grey Brigade advanced.", date(2031, 5, 1))[0].side == "blue"
    assert matcher.find("The Grey Brigade advanced.")[0].side == "blue"


def test_an_acronym_alias_matches_only_in_capitals(tmp_path):
    profile = _load(tmp_path, MINIMAL.replace('name = "Blue Legion"\n', 'name = "Blue Legion"\naliases = ["BL", "TIP"]\n'))
    matcher = ActorMatcher(profile)
    assert [m.text for m in matcher.find("BL fighters and TIP units moved; a tip came in")] == ["BL", "TIP"]


def test_x_led_forces_are_xs_but_x_backed_forces_are_not():
    matcher = ActorMatcher(load_profile("syria"))
    assert matcher.find("Turkish-led forces entered the town")[0].side == "turkey"
    assert all(m.side != "turkey" for m in matcher.find("Turkish-backed forces entered the town"))


@pytest.mark.parametrize("name", ["syria", "ukraine", "sudan"])
def test_shipped_profiles_have_no_problems(name):
    from frontlines.profiles import profile_path, read_profile
    from frontlines.profiles.authoring import english_words

    text, data = read_profile(profile_path(name))
    assert problems(data, text, english_words()) == []


def test_syria_knows_the_actors_of_earlier_phases():
    matcher = ActorMatcher(load_profile("syria"))
    for text, side in [("Jabhat al-Nusra fighters stormed the post", "opposition"),
                       ("Daesh militants shelled the road", "isis"),
                       ("The YPG/YPJ pushed east", "sdf"),
                       ("Jaish al-Islam withdrew from the suburb", "opposition"),
                       ("Faylaq al-Rahman fighters surrendered", "opposition"),
                       ("the Tiger Forces advanced", "government"),
                       ("NDF militiamen manned the checkpoint", "government"),
                       ("Free Syrian Army brigades entered", "opposition"),
                       ("Turkish-backed FSA fighters entered", "opposition"),
                       ("Iraqi Kurdish Peshmerga crossed the border", "sdf")]:
        assert matcher.find(text)[0].side == side, text


def test_sudan_profile():
    profile = load_profile("sudan")
    assert set(profile.sides) == {"saf", "rsf", "civilians"}
    assert (profile.iso, profile.iso_numeric, profile.region) == ("SD", 729, "Northern Africa")
    matcher = ActorMatcher(profile)
    for text, side in [("The Rapid Support Forces seized the base", "rsf"),
                       ("Sudanese army troops retook the bridge", "saf"),
                       ("The Joint Forces repelled the attack", "saf"),
                       ("Arab militias looted the market", "rsf")]:
        assert matcher.find(text)[0].side == side, text


BROKEN = '''[profile]
name = "broken"
iso = "SY"
region = "Middle Orient"
colour = "#ffffff"

[sides.blue]
[sides.red]
[sides.green]

[[holders]]
side = "purple"

[[actors]]
name = "Blue Legion"
side = "blue"
type = "Rebel group"
inter = 2
aliases = ["Blue fighters", "IS", "legionnaires"]

[[actors]]
name = "Red Guard"
side = "red"
type = "State forces"
inter = 3
alias = ["guardsmen"]
aliases = ["legionnaires"]
'''


def test_problems_name_each_mistake_and_its_line():
    found = {(p.line, p.severity, p.message.split(":")[0].split(" (")[0]) for p in problems(
        tomllib.loads(BROKEN), BROKEN, frozenset({"is", "us"}))}
    messages = " | ".join(f"{line}:{severity}:{m}" for line, severity, m in sorted(found))
    assert "4:error:region 'Middle Orient' is not an ACLED region" in messages
    assert "5:error:[profile]" in messages  # unknown key `colour`
    assert "9:warning:side 'green' has no actors" in messages
    assert "12:error:[[holders]] side 'purple' is not a side" in messages
    assert "19:warning:actor 'Blue Legion'" in messages  # the bare acronym IS
    assert "25:error:actor 'Red Guard'" in messages  # inter 3 for State forces
    assert "26:error:actor 'Red Guard'" in messages  # unknown key `alias`
    assert "27:warning:alias 'legionnaires' of actor 'Red Guard' already names actor 'Blue Legion'" in messages


def test_loading_a_profile_with_an_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text(BROKEN)
    with pytest.raises(ConfigError, match=r"broken.toml: line 4: region 'Middle Orient'.*and \d+ more"):
        load_profile(str(path))
