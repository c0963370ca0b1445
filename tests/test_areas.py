"""Control areas and front lines (frontlines.areas): shapely geometry around made-up places."""

from __future__ import annotations

import json

from shapely.geometry import Point, shape

from frontlines import areas as areas_module
from frontlines.areas import REACH_KM, control_areas, is_weak, spots
from frontlines.basemap import land_under


def row(name, side, lat, lon, place_id=None, **extra):
    return {"place": name, "place_id": place_id or f"gn:{name}", "controller": side,
            "latitude": lat, "longitude": lon, "basis": "change", "since": "2024-01-02",
            "confidence": 0.9, "pending": [], **extra}


# Three villages of one side north of a line, three of the other south of it, in inland Syria.
NORTH = [row("Alpha", "opposition", 35.30, 36.60), row("Bravo", "opposition", 35.32, 36.75),
         row("Charlie", "opposition", 35.28, 36.90)]
SOUTH = [row("Delta", "government", 35.10, 36.62), row("Echo", "government", 35.12, 36.78),
         row("Foxtrot", "government", 35.09, 36.92)]


def kinds(collection, kind):
    return [f for f in collection["features"] if f["properties"]["kind"] == kind]


def test_each_side_gets_valid_areas_that_contain_its_places():
    areas = kinds(control_areas(NORTH + SOUTH), "area")
    assert {f["properties"]["side"] for f in areas} == {"opposition", "government"}
    for feature in areas:
        polygon = shape(feature["geometry"])
        assert polygon.is_valid and polygon.geom_type in ("Polygon", "MultiPolygon")
        for place in NORTH + SOUTH:
            inside = polygon.contains(Point(place["longitude"], place["latitude"]))
            assert inside == (place["controller"] == feature["properties"]["side"]), place["place"]
        assert not feature["properties"]["hatched"]


def test_the_front_line_runs_between_the_two_sides():
    fronts = kinds(control_areas(NORTH + SOUTH), "front")
    assert len(fronts) == 1
    assert fronts[0]["properties"]["sides"] == ["government", "opposition"]
    line = shape(fronts[0]["geometry"])
    # Between the rows of villages (35.09-35.12 and 35.28-35.32), across them from west to east.
    assert 35.13 < line.centroid.y < 35.27
    west, _, east, _ = line.bounds
    assert west < 36.62 and east > 36.90


def test_one_side_alone_has_no_front():
    assert kinds(control_areas(NORTH), "front") == []


def test_a_place_claims_no_ground_beyond_its_reach():
    lonely = [row("Alpha", "opposition", 35.30, 36.60), row("Far", "government", 34.60, 38.60)]
    areas = {f["properties"]["side"]: shape(f["geometry"]) for f in kinds(control_areas(lonely), "area")}
    # ~15 km in degrees of latitude; the cells would otherwise meet halfway, ~100 km away.
    reach_degrees = REACH_KM / 111.0
    assert areas["opposition"].bounds[3] - 35.30 < reach_degrees * 1.05
    assert areas["opposition"].distance(areas["government"]) > 1.0
    assert kinds(control_areas(lonely), "front") == []


def test_areas_are_clipped_to_land():
    coast = [row("Shore", "government", 35.52, 35.80)]  # a town on the Mediterranean coast
    land = land_under([(35.80, 35.52)])
    area = shape(kinds(control_areas(coast, land), "area")[0]["geometry"])
    unclipped = shape(kinds(control_areas(coast), "area")[0]["geometry"])
    assert area.area < unclipped.area * 0.9  # the sea is not claimed
    assert area.difference(land.buffer(0.02)).area < 1e-4
    assert area.contains(Point(35.80, 35.52))


def test_weak_holdings_are_hatched_areas_of_their_own():
    low = row("Golf", "opposition", 35.30, 37.05, confidence=0.3)
    contested = row("Hotel", "opposition", 35.31, 37.20, pending=[
        {"date": "2024-01-05", "new_controller": "government", "claim": "unconfirmed"}])
    only_unconfirmed = row("India", "government", 35.10, 37.10, basis="before_first_change",
                           since=None, pending=[{"date": "2024-01-01", "claim": "unconfirmed"}])
    assert is_weak(low) and is_weak(contested) and is_weak(only_unconfirmed)
    assert not is_weak(NORTH[0])
    features = kinds(control_areas(NORTH + SOUTH + [low, contested, only_unconfirmed]), "area")
    hatched = {(f["properties"]["side"], tuple(f["properties"]["places"]))
               for f in features if f["properties"]["hatched"]}
    assert hatched == {("opposition", ("gn:Golf", "gn:Hotel")), ("government", ("gn:India",))}


def test_places_placed_at_a_town_are_grouped_under_it():
    town = row("Kilo", "government", 35.0, 36.5)
    near = [row("Lima village", "opposition", 35.0, 36.5, place_id="name:lima"),
            row("Mike farms", "government", 35.0, 36.5, place_id="name:mike")]
    grouped = spots([near[0], town, near[1]])
    assert len(grouped) == 1
    assert grouped[0].anchor["place"] == "Kilo"
    assert [r["place"] for r in grouped[0].others] == ["Mike farms", "Lima village"]
    area = kinds(control_areas([town, *near]), "area")[0]
    assert area["properties"]["side"] == "government"  # the town's holder decides its spot
    assert area["properties"]["places"] == ["gn:Kilo", "name:mike"]


def test_no_place_with_a_known_holder_gives_no_feature():
    assert control_areas([row("Nowhere", None, 35.0, 36.0)])["features"] == []
    assert control_areas([row("Lost", "government", None, None)])["features"] == []


def test_the_cells_of_the_same_places_are_reused_and_give_the_fresh_areas():
    land = land_under([(p["longitude"], p["latitude"]) for p in NORTH + SOUTH])
    control_areas(NORTH + SOUTH, land)
    # Another day: Bravo changed hands and Echo's hold is weak; the places are where they were.
    later = [*NORTH[:1], {**NORTH[1], "controller": "government"}, *NORTH[2:], *SOUTH[:1],
             {**SOUTH[1], "confidence": 0.2}, *SOUTH[2:]]
    hits = areas_module._layout.cache_info().hits
    reused = control_areas(later, land)
    assert areas_module._layout.cache_info().hits == hits + 1
    areas_module._layout.cache_clear()
    fresh = control_areas(later, land)
    assert json.dumps(reused) == json.dumps(fresh)
    assert json.dumps(reused) != json.dumps(control_areas(NORTH + SOUTH, land))
    # Places that move or join make a layout of their own.
    moved = [*later[:-1], {**later[-1], "latitude": 35.05}]
    misses = areas_module._layout.cache_info().misses
    control_areas(moved, land)
    assert areas_module._layout.cache_info().misses == misses + 1
