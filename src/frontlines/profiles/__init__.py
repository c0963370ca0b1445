"""Conflict profiles: sides, actors and their aliases, colours and country focus, as TOML data.

`load_profile("syria")` reads the shipped `syria.toml`; a name may also be a path to a
user's own TOML file, or the name of one in `$FRONTLINES_HOME/profiles/`.  Every field is
documented in SCHEMA.md beside this file and checked by `schema.problems`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .. import toml_cache
from ..errors import ConfigError
from ..home import home_dir
from .schema import ACTOR_TYPES, parse_date, problems


@dataclass(frozen=True, slots=True)
class Side:
    key: str
    label: str
    colour: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Holder:
    """A side up to and including `until` (None: from then on): who holds places by default,
    or the side an actor was on."""

    side: str
    until: date | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    side: str
    type: str  # ACLED actor type
    inter: int  # ACLED inter code
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()  # "Israeli" in "Israeli airstrikes"
    kinds: tuple[str, ...] = ()  # which attacks the adjective names: air, ground, artillery
    periods: tuple[Holder, ...] = ()  # earlier sides, each up to its `until`; `side` after the last
    # names of a state that stand for this actor where the state acts ("Russia captured A",
    # "retaken by Kyiv"), and only there: elsewhere they are places ("in eastern Ukraine")
    states: tuple[str, ...] = ()

    def on(self, day: date | None) -> Actor:
        """The actor as it stood on `day`: the same actor, on the side of that period."""
        if day is None or not self.periods:
            return self
        side = next((p.side for p in self.periods if p.until is not None and day <= p.until), self.side)
        return self if side == self.side else replace(self, side=side, periods=())


@dataclass(frozen=True, slots=True)
class Capital:
    """A capital city and the phrases that name it ("the Ukrainian capital")."""

    name: str
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Region:
    """A province, state or oblast, with the other names texts give it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    country: str
    iso: str
    iso_numeric: int | None
    region: str  # ACLED region of the country
    neighbours: tuple[str, ...]
    holders: tuple[Holder, ...] = ()
    capitals: tuple[Capital, ...] = ()
    regions: tuple[Region, ...] = ()  # the country's divisions, with aliases
    sides: dict[str, Side] = field(default_factory=dict)
    actors: tuple[Actor, ...] = ()

    def holder_on(self, day: date | None) -> str | None:
        """The side assumed to have held a place on `day` when a text does not say who lost it.
        Without a day, the side of the latest period."""
        if not self.holders:
            return None
        if day is not None:
            for holder in self.holders:
                if holder.until is None or day <= holder.until:
                    return holder.side
        return self.holders[-1].side

    @property
    def default_holder(self) -> str | None:
        """The holder of the latest period (a profile without [[holders]] has only one)."""
        return self.holder_on(None)

    @property
    def capital(self) -> str | None:
        """The first capital: what "the capital" names when no phrase says otherwise."""
        return self.capitals[0].name if self.capitals else None

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
    return _shipped(name)


@lru_cache(maxsize=64)
def _shipped(name: str) -> Path | None:
    """The package's own profile of that name (the package does not change while it runs)."""
    shipped = resources.files(__package__) / f"{name}.toml"
    return Path(str(shipped)) if shipped.is_file() else None


def available_profiles() -> list[str]:
    shipped = [p.name[:-5] for p in resources.files(__package__).iterdir() if p.name.endswith(".toml")]
    user_dir = home_dir() / "profiles"
    user = [p.stem for p in user_dir.glob("*.toml")] if user_dir.is_dir() else []
    return sorted(set(shipped) | set(user))


def load_profile(name: str = "syria") -> Profile:
    """The profile `name` (a shipped or installed name, or a path), read once per version of
    its file: an author who edits the file gets the new profile in the same process."""
    path = profile_path(name)
    if path is None:
        raise ConfigError(f"no profile named {name!r} (available: {', '.join(available_profiles())})")
    try:
        stat = path.stat()
    except OSError as err:
        raise ConfigError(f"cannot read profile: {err}", str(path)) from None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(location: str, mtime_ns: int, size: int) -> Profile:
    path = Path(location)
    text, data = read_profile(path)
    errors = [p for p in problems(data, text) if p.severity == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; run `frontlines profile check {path}`)" if len(errors) > 1 else ""
        raise ConfigError(f"line {first.line}: {first.message}{more}", str(path))
    try:
        return build(data)
    except (KeyError, TypeError, ValueError) as err:
        raise ConfigError(f"malformed profile: missing or wrong field {err}", str(path)) from None


def read_profile(path: Path) -> tuple[str, dict]:
    """A profile file's text and its parsed TOML."""
    try:
        text = path.read_text(encoding="utf-8")
        return text, toml_cache.loads(text, path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"cannot read profile: {err}", str(path)) from None


def build(data: dict) -> Profile:
    """A Profile from parsed TOML that `schema.problems` found no error in."""
    meta = data["profile"]
    sides = {
        key: Side(key=key, label=value.get("label", key), colour=value.get("colour", "#888888"),
                  description=value.get("description", ""))
        for key, value in data["sides"].items()
    }
    actors = tuple(
        Actor(name=item["name"], side=item["side"], type=item.get("type", "Rebel group"),
              inter=int(item.get("inter", ACTOR_TYPES.get(item.get("type", "Rebel group"), 0))),
              aliases=tuple(item.get("aliases", ())), adjectives=tuple(item.get("adjectives", ())),
              kinds=tuple(item.get("kinds", ())), periods=_periods(item.get("periods", ())),
              states=tuple(item.get("states", ())))
        for item in data.get("actors", [])
    )
    holders = _periods(data.get("holders", ()))
    if not holders and meta.get("default_holder"):
        holders = (Holder(meta["default_holder"]),)
    capitals = tuple(Capital(item["name"], tuple(item.get("phrases", ()))) for item in data.get("capitals", []))
    if not capitals and meta.get("capital"):
        capitals = (Capital(meta["capital"]),)
    return Profile(
        name=meta["name"], title=meta.get("title", meta["name"]), country=meta.get("country", ""),
        iso=meta.get("iso", ""), iso_numeric=meta.get("iso_numeric"), region=meta.get("region", ""),
        neighbours=tuple(meta.get("neighbours", ())), holders=holders, capitals=capitals,
        regions=tuple(Region(item["name"], tuple(item.get("aliases", ()))) for item in data.get("regions", [])),
        sides=sides, actors=actors,
    )


def _periods(items) -> tuple[Holder, ...]:
    return tuple(Holder(item["side"], parse_date(item["until"]) if "until" in item else None) for item in items)


load_profile.cache_info = _load.cache_info  # type: ignore[attr-defined]  # read by scale/worker.py
load_profile.cache_clear = _load.cache_clear  # type: ignore[attr-defined]
