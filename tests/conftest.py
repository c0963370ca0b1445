"""Shared fixtures: an isolated FRONTLINES_HOME for every test, and paths to test data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "homs-offensive-2024.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def frontlines_home(tmp_path_factory, monkeypatch):
    """Never touch the user's real data folder from a test."""
    home = tmp_path_factory.mktemp("frontlines_home")
    monkeypatch.setenv("FRONTLINES_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server for the session (see tests/pg.py), started on first use and
    stopped at the end; the tests that need one skip when its binaries are not installed."""
    from . import pg

    try:
        server = pg.start()
    except pg.Unavailable as err:
        pytest.skip(str(err))
    yield server
    server.stop()


@pytest.fixture
def geo_env(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """A private user folder per test; one compiled base index for the whole session."""
    from frontlines.geo import Geocoder

    monkeypatch.setenv("FRONTLINES_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path_factory.getbasetemp() / "geo-cache"))
    Geocoder.reset_default()
    yield
    Geocoder.reset_default()


@pytest.fixture(scope="session")
def contract(example_text):
    """The bundled article's extraction, as the output contract."""
    import frontlines

    return frontlines.extract(example_text).to_contract()


@pytest.fixture(scope="session")
def syria():
    from frontlines.profiles import load_profile

    return load_profile("syria")
