"""Where frontlines keeps the user's data: FRONTLINES_HOME, else the platform's data folder."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

HOME_ENV = "FRONTLINES_HOME"
CACHE_ENV = "FRONTLINES_CACHE"


# What the platform's folders are worked out from (platformdirs reads these on each platform).
_PLATFORM_ENV = ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "APPDATA", "LOCALAPPDATA", "USERPROFILE")


def home_dir() -> Path:
    """The user's data folder (user gazetteer, profiles, downloads)."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else _platform_data_dir(*map(os.environ.get, _PLATFORM_ENV))


@lru_cache(maxsize=8)
def _platform_data_dir(*environment: str | None) -> Path:
    """The platform's data folder, asked once per state of the variables it depends on (it is
    asked for every document)."""
    return Path(user_data_dir("frontlines", appauthor=False))


def cache_dir() -> Path:
    """Rebuildable caches (the compiled gazetteer index): $FRONTLINES_CACHE,
    $FRONTLINES_HOME/cache, or the platform's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]) / "cache"
    return Path(user_cache_dir("frontlines", appauthor=False))
