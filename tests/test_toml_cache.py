"""Parsed TOML kept from one run to the next is what tomllib parses, type for type."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import pytest

from frontlines import toml_cache

SRC = Path(__file__).resolve().parents[1] / "src" / "frontlines"

EVERY_KIND = """
title = "Ḥamā — \\"quoted\\" \\u00e9"
big = 123456789012345678901234567890
negative = -17
ratio = 0.1
huge = inf
missing = nan
yes = true
day = 2024-12-08
local = 2024-12-08T04:30:00
precise = 2024-12-08T04:30:00.123456
utc = 2024-12-08T04:30:00Z
offset = 2024-12-08T04:30:00+03:00
behind = 2024-12-08T04:30:00-05:30
clock = 04:30:00.5
mixed = [1, "two", 3.0, [4, [5]], {a = 2024-01-01}]
empty = []

[[periods]]
until = 2024-12-08
holder = "opposition"

[[periods]]
until = 2025-01-01T00:00:00Z

[nested.deeper]
"key with spaces" = { inline = [2024-02-29, 23:59:59] }
"""


def _same(a, b) -> bool:
    """Equal, of the same types all the way down, keys in the same order, the same time zones."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and getattr(a, "tzinfo", None) == getattr(b, "tzinfo", None)


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("FRONTLINES_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(toml_cache.ENV, raising=False)
    return tmp_path / "cache"


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.toml")), ids=lambda p: p.name)
def test_shipped_files_come_back_as_tomllib_parses_them(path, cache):
    text = path.read_text(encoding="utf-8")
    first, again = toml_cache.loads(text, path), toml_cache.loads(text, path)  # parsed, then kept
    assert list((cache / "toml").iterdir())
    assert _same(first, tomllib.loads(text)) and _same(again, tomllib.loads(text))


def test_every_kind_of_value_comes_back_the_same(tmp_path):
    source = tmp_path / "every.toml"
    expected = tomllib.loads(EVERY_KIND)
    for _ in range(2):
        assert _same(toml_cache.loads(EVERY_KIND, source), expected)


def test_an_edited_file_is_parsed_anew_and_its_entry_replaced(tmp_path, cache):
    source = tmp_path / "profile.toml"
    assert toml_cache.loads('name = "before"\n', source) == {"name": "before"}
    assert toml_cache.loads('name = "after"\n', source) == {"name": "after"}
    assert len(list((cache / "toml").iterdir())) == 1


def test_a_mistake_raises_as_tomllib_does_every_time(tmp_path):
    for _ in range(2):
        with pytest.raises(tomllib.TOMLDecodeError):
            toml_cache.loads("name = \n", tmp_path / "broken.toml")


def test_a_damaged_entry_is_parsed_anew(tmp_path, cache):
    source = tmp_path / "lexicon.toml"
    toml_cache.loads("a = 1\n", source)
    (entry,) = (cache / "toml").iterdir()
    entry.write_bytes(b"\x00damaged")
    assert toml_cache.loads("a = 1\n", source) == {"a": 1}


def test_turned_off_by_the_environment(tmp_path, cache, monkeypatch):
    monkeypatch.setenv(toml_cache.ENV, "0")
    assert toml_cache.loads("a = 1\n", tmp_path / "x.toml") == {"a": 1}
    assert not (cache / "toml").exists()
