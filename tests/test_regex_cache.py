"""The command line's cache of compiled regular expressions gives the very patterns `re` gives."""

from __future__ import annotations

import marshal
import re
import warnings
from re import _compiler

import pytest

from frontlines import regex_cache


@pytest.fixture
def cache(tmp_path):
    path = tmp_path / "regex.marshal"
    yield path
    regex_cache.uninstall()


def _module_patterns() -> list[re.Pattern]:
    """Every pattern frontlines' rules, dates and readers keep at module level."""
    import importlib

    found = []
    for name in ("frontlines.text.dates", "frontlines.text.sentences", "frontlines.text.anchoring",
                 "frontlines.extract.events", "frontlines.extract.places", "frontlines.extract.arguments",
                 "frontlines.extract.claims", "frontlines.extract.names", "frontlines.ingest.html",
                 "frontlines.ingest.wikitext"):
        module = importlib.import_module(name)
        found += [v for v in vars(module).values() if isinstance(v, re.Pattern) and isinstance(v.pattern, str)]
    assert len(found) > 100
    return found


def test_patterns_from_the_cache_are_the_patterns_re_compiles(cache):
    patterns = _module_patterns()
    original = _compiler.compile
    assert regex_cache.install(cache)
    first = [_compiler.compile(p.pattern, p.flags) for p in patterns]  # compiled, then kept
    regex_cache.save()
    regex_cache.uninstall()
    assert _compiler.compile is original
    assert regex_cache.install(cache)  # a later process: read from the file
    assert len(regex_cache._entries) >= len({(p.pattern, p.flags) for p in patterns})
    again = [_compiler.compile(p.pattern, p.flags) for p in patterns]
    text = ("On 6 December 2024, opposition forces captured Ar Rastan and Talbisah, 20 km north of "
            "Homs, after three days of fighting; the next morning the army withdrew [3].")
    for own, kept, cached in zip(patterns, first, again):
        for pattern in (kept, cached):
            assert pattern == original(own.pattern, own.flags)  # the same code, flags and groups
            assert pattern.groupindex == own.groupindex and pattern.groups == own.groups
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in own.finditer(text)]


def test_a_pattern_the_parser_warns_about_still_warns_every_time(cache):
    assert regex_cache.install(cache)
    for _ in range(2):
        re.purge()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            re.compile(r"[[a-z]]+")
        assert any("nested set" in str(w.message) for w in caught)
        regex_cache.save()
    assert (r"[[a-z]]+", 0) not in regex_cache._read(cache)


def test_a_file_of_another_python_build_or_a_broken_one_is_ignored(cache):
    cache.write_bytes(marshal.dumps((regex_cache.FORMAT, "cpython-00-other", {("a+", 0): (0, b"", 0, {}, ())})))
    assert regex_cache._read(cache) == {}
    cache.write_bytes(b"not marshal data")
    assert regex_cache._read(cache) == {}
    assert regex_cache.install(cache)
    assert re.compile(r"\bcaptured?\b").search("they captured it").group() == "captured"


def test_a_damaged_entry_is_compiled_anew(cache):
    assert regex_cache.install(cache)
    re.compile(r"\b(?:took|seized)\s+control\b")
    regex_cache.save()
    regex_cache.uninstall()
    entries = regex_cache._read(cache)
    key = (r"\b(?:took|seized)\s+control\b", 0)
    flags, code, groups, groupindex, indexgroup = regex_cache._unpacked(entries[key])
    entries[key] = regex_cache._packed((flags, [99999, *code[1:]], groups, groupindex, indexgroup))
    cache.write_bytes(marshal.dumps((regex_cache.FORMAT, regex_cache._build_tag(), entries)))
    assert regex_cache.install(cache)
    re.purge()
    assert re.compile(key[0]).search("they seized control of it").group() == "seized control"
    assert regex_cache._entries.get(key) != entries[key]  # replaced by the sound one


def test_turned_off_by_the_environment(cache, monkeypatch):
    monkeypatch.setenv(regex_cache.ENV, "0")
    original = _compiler.compile
    assert not regex_cache.install(cache)
    assert _compiler.compile is original


def test_importing_frontlines_leaves_re_alone():
    import subprocess
    import sys

    code = "import re._compiler as c, frontlines, frontlines.pipeline; print(c.compile.__module__)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "re._compiler"
