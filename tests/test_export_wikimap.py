"""Wikipedia detailed-map modules: the Lua tokenizer, marks to places and sides, and back."""

from __future__ import annotations

import pytest

from frontlines.errors import ConfigError
from frontlines.export.wikimap import (
    export_module,
    import_rows,
    load_marks,
    mark_sides,
    module_marks,
    parse_tables,
    tokenize,
)

from .conftest import DATA

SAMPLE = DATA / "wikimap" / "homs-detailed-map.lua"


@pytest.fixture(scope="module")
def marks():
    return load_marks("syria")


def test_tokenizer_reads_lua_strings_and_skips_comments():
    text = r'''-- a comment { "x" }
    --[==[ a long
    comment ]==]
    { "a\"b\n", 'c\'d', [[long]], [=[with ]] inside]=], 1.5, -2, 0x10, true }'''
    values = [t.value for t in tokenize(text) if t.kind in ("string", "number", "name")]
    assert values == ['a"b\n', "c'd", "long", "with ]] inside", 1.5, 2, 16, "true"]
    assert parse_tables(text) == [['a"b\n', "c'd", "long", "with ]] inside", 1.5, -2, 16, True]]


def test_nested_tables_keys_and_expressions_we_do_not_evaluate():
    text = '''local p = {}
    p.x = { a = { b = { 1, 2 } }, ["c d"] = "e"; f = g(1, { 2 }), h = "i" .. "j", k = 1 + 2, 3 }'''
    assert parse_tables(text) == [[], {"a": {"b": [1, 2]}, "c d": "e", "f": None, "h": "ij", "k": None, 1: 3}]


def test_sample_module_marks(marks):
    text = SAMPLE.read_text(encoding="utf-8")
    assert len(module_marks(text)) == 14
    placed, unplaced = import_rows(text, marks)
    held = {r["place"]: r["controller"] for r in placed}
    assert held == {"Homs": "government", "Ar Rastan": "government", "Talbiseh": "government",
                    "Al-Qusayr": "government", "Tadmur": "government", "Hama": "opposition",
                    "Idlib": "opposition", "Jousieh crossing": "sdf", "Teir Maalah": "opposition"}
    talbiseh = next(r for r in placed if r["place"] == "Talbiseh")
    assert (talbiseh["latitude"], talbiseh["longitude"]) == (34.841, 36.731)
    assert next(r for r in placed if r["place"] == "Jousieh crossing")["mark"] == "Location dot yellow.svg"
    assert {r["place"] for r in placed if (r["latitude"], r["longitude"]) == (34.724, 36.726)} == {
        "Homs", "Teir Maalah"}
    why = {r["place"]: (r["sides"], r["why"]) for r in unplaced}
    assert why == {"As Sukhnah": (["government", "isis"], "mixed or contested control"),
                   "Al Qaryatayn": ([], "a colour with no side in wikimap_marks.toml")}


def test_marker_file_names_to_sides(marks):
    assert mark_sides("Map-circle-red.svg", marks) == ["government"]
    assert mark_sides("Location_dot_lime.svg", marks) == ["opposition"]
    assert mark_sides("Map-ctl2-lime+yellow.svg", marks) == ["opposition", "sdf"]
    assert mark_sides("Mountain pass 12x12 e.svg", marks) == []


def test_export_round_trips_through_import(marks):
    rows = [{"place": "Talbiseh", "controller": "opposition", "latitude": 34.84072, "longitude": 36.73092},
            {"place": 'Al "Quoted" [[Town]]', "controller": "government", "latitude": 34.5, "longitude": 36.5},
            {"place": "Somewhere", "controller": "turkey", "latitude": 36.0, "longitude": 37.0},
            {"place": "Unplaced", "controller": "opposition", "latitude": None, "longitude": None}]
    text = export_module(rows, marks, day="2024-12-08", title="Syrian civil war (2024)")
    assert text.startswith("-- Control on 2024-12-08")
    assert ('{ lat = "34.8407", long = "36.7309", mark = "Location dot green.svg", marksize = "6", '
            'label = "[[Talbiseh]]", label_size = "0", position = "right" },') in text
    assert "-- Somewhere: held by turkey, which has no marker" in text
    placed, unplaced = import_rows(text, marks)
    assert {r["place"]: r["controller"] for r in placed} == {
        'Al "Quoted" Town': "government", "Talbiseh": "opposition"}
    assert not unplaced


def test_a_profile_without_marks_is_a_clear_error():
    with pytest.raises(ConfigError, match="no detailed-map marker colours"):
        load_marks("atlantis")


def test_user_marks_file_overrides(frontlines_home):
    (frontlines_home / "wikimap_marks.toml").write_text('[atlantis.colours]\nred = "navy"\n')
    assert load_marks("atlantis").colours == {"red": "navy"}
