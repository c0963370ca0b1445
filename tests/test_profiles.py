"""Conflict profiles: the shipped Syria profile is consistent, and a user's own profile loads."""

from __future__ import annotations

import pytest

from frontlines.errors import ConfigError
from frontlines.extract.actors import ActorMatcher
from frontlines.profiles import load_profile


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
