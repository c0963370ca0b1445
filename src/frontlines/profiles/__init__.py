"""Conflict profiles: sides, actors and their aliases, colours and country focus, as TOML data.

`load_profile("syria")` reads the shipped `syria.toml`; a name may also be a path to a
user's own TOML file, or the name of one in `$FRONTLINES_HOME/profiles/`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..home import home_dir


@dataclass(frozen=True, slots=True)
class Side:
    key: str
    label: str
    colour: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    side: str
    type: str  # ACLED actor type
    inter: int  # ACLED inter code
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()  # "Israeli" in "Israeli airstrikes"
    kinds: tuple[str, ...] = ()  # which attacks the adjective names: air, ground, artillery


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    country: str
    iso: str
    iso_numeric: int | None
    region: str
    neighbours: tuple[str, ...]
    default_holder: str | None
    capital: str | None = None
    sides: dict[str, Side] = field(default_factory=dict)
    actors: tuple[Actor, ...] = ()

    def side(self, key: str | None) -> Side | None:
        return self.sides.get(key) if key else None

    def actor(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)


def profile_path(name: str) -> Path | None:
    """Where a profile named `name` lives: a file path, the user's folder, or the package."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    user = home_dir() / "profiles" / f"{name}.toml"
    if user.is_file():
        return user
    shipped = resources.files(__package__) / f"{name}.toml"
    if shipped.is_file():
        return Path(str(shipped))
    return None


def available_profiles() -> list[str]:
    shipped = [p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".toml")]
    user_dir = home_dir() / "profiles"
    user = [p.stem for p in user_dir.glob("*.toml")] if user_dir.is_dir() else []
    return sorted(set(shipped) | set(user))


@lru_cache(maxsize=16)
def load_profile(name: str = "syria") -> Profile:
    path = profile_path(name)
    if path is None:
        raise ConfigError(f"no profile named {name!r} (available: {', '.join(available_profiles())})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read profile: {err}", str(path)) from None
    try:
        return _build(data)
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"malformed profile: missing or wrong field {err}", str(path)) from None


def _build(data: dict) -> Profile:
    meta = data["profile"]
    sides = {
        key: Side(key=key, label=value.get("label", key), colour=value.get("colour", "#888888"),
                  description=value.get("description", ""))
        for key, value in data["sides"].items()
    }
    actors = []
    for item in data.get("actors", []):
        if item["side"] not in sides:
            raise ValueError(f"actor {item['name']!r} has unknown side {item['side']!r}")
        actors.append(Actor(
            name=item["name"], side=item["side"], type=item.get("type", "Rebel group"),
            inter=int(item.get("inter", 0)), aliases=tuple(item.get("aliases", ())),
            adjectives=tuple(item.get("adjectives", ())), kinds=tuple(item.get("kinds", ())),
        ))
    return Profile(
        name=meta["name"], title=meta.get("title", meta["name"]), country=meta.get("country", ""),
        iso=meta.get("iso", ""), iso_numeric=meta.get("iso_numeric"), region=meta.get("region", ""),
        neighbours=tuple(meta.get("neighbours", ())), default_holder=meta.get("default_holder"),
        capital=meta.get("capital"),
        sides=sides, actors=tuple(actors),
    )
