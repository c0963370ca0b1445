"""Where frontlines keeps the user's data: FRONTLINES_HOME, else the platform's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir


def home_dir() -> Path:
    """The user's data folder (user gazetteer, profiles); created on first use by writers."""
    override = os.environ.get("FRONTLINES_HOME")
    return Path(override) if override else Path(user_data_dir("frontlines", appauthor=False))


def cache_dir() -> Path:
    """Rebuildable caches (the compiled gazetteer index)."""
    override = os.environ.get("FRONTLINES_HOME")
    return Path(override) / "cache" if override else Path(user_cache_dir("frontlines", appauthor=False))
