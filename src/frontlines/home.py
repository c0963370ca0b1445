"""Where frontlines keeps the user's data: FRONTLINES_HOME, else the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir

HOME_ENV = "FRONTLINES_HOME"
CACHE_ENV = "FRONTLINES_CACHE"


def home_dir() -> Path:
    """The user's data folder (user gazetteer, profiles, downloads)."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else Path(user_data_dir("frontlines", appauthor=False))


def cache_dir() -> Path:
    """Rebuildable caches (the compiled gazetteer index): $FRONTLINES_CACHE,
    $FRONTLINES_HOME/cache, or the platform's cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV]) / "cache"
    return Path(user_cache_dir("frontlines", appauthor=False))
