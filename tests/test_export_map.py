"""The control map's data builder and its renderings: the offline HTML map (the shared
JavaScript renderer inlined), SVG and PNG images, `control --areas`, document text kept inert."""

from __future__ import annotations

import io
import json
import math
import re
import xml.etree.ElementTree as ET
from importlib import resources

import pytest
from click.testing import CliRunner
from PIL import Image
from shapely.geometry import Point, shape

from frontlines.cli import cli
from frontlines.export.map import fitted_view, map_data, map_places, render_map, script_json
from frontlines.export.map_image import render_image
from frontlines.profiles import load_profile

from .conftest import EXAMPLE
from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401


@pytest.fixture(scope="module")
def syria():
    return load_profile("syria")


def control(place, side, lat=34.84, lon=36.73, **extra):
    return {"place": place, "place_id": f"x:{place}", "controller": side, "since": "2024-12-06",
            "latitude": lat, "longitude": lon, "claim": "reported", "confidence": 0.9,
            "basis": "change", "evidence": f"Rebels took {place}.", "sources": [], "pending": [],
            **extra}


TWO_SIDES = [control("Northtown", "opposition", 34.90, 36.70), control("Southtown", "government", 34.70, 36.72),
             control("Eastvillage", "opposition", 34.88, 36.90)]


def embedded(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def package_text(path: str) -> str:
    return (resources.files("frontlines") / path).read_text(encoding="utf-8")


def test_page_is_self_contained_offline_and_uses_the_shared_renderer(syria):
    page = render_map(TWO_SIDES, syria, day="2024-12-08")
    assert "<title>Syrian civil war: control on 8 December 2024</title>" in page
    leaflet, renderer = package_text("web/vendor/leaflet/leaflet.js"), package_text("web/static/frontlines-map.js")
    assert leaflet in page and renderer in page  # inlined, the very module the served page loads
    ours = page.replace(leaflet, "").replace(renderer, "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", ours)  # no CDN, no tiles
    assert "url(images/" not in page and "default-src 'none'" in page
    data = embedded(page)
    countries = {f["properties"]["name"] for f in data["base"]["countries"]["features"]}
    assert {"Syria", "Lebanon"} <= countries
    assert {f["properties"]["name"] for f in data["base"]["divisions"]["features"]} >= {"Hamah"}
    assert {s["side"] for s in data["sides"]} == {"opposition", "government"}
    assert {a["properties"]["side"]: a["properties"]["colour"] for a in data["areas"]} == {
        "opposition": syria.sides["opposition"].colour, "government": syria.sides["government"].colour}
    assert len(data["fronts"]) == 1
    assert "8 December 2024" in data["caption"]


def test_caption_names_the_date_and_counts_the_sources(syria):
    rows = [control("Northtown", "opposition", 34.90, 36.70, sources=[{"title": "A", "url": "https://a.example/1"}]),
            control("Southtown", "government", 34.70, 36.72, sources=[{"title": "B"}, {"title": "A", "url": "https://a.example/1"}])]
    caption = map_data(rows, syria, day="2024-12-05", with_base=False)["caption"]
    assert caption.startswith("Control on 5 December 2024: 2 places from 2 sources")


def test_document_text_never_becomes_markup(syria):
    evil = control("</script><script>alert(1)</script>", "opposition",
                   evidence="<img src=x onerror=alert(1)>",
                   sources=[{"title": "<b>t</b>", "url": "javascript:alert(1)"}],
                   pending=[{"new_controller": "government", "kind": "recapture", "claim": "denied",
                             "date": "2024-12-07"}])
    page = render_map([evil], syria, day="2024-12-08", title="<i>t</i>")
    assert "<script>alert" not in page and "<img" not in page and "<i>t" not in page
    renderer = package_text("web/static/frontlines-map.js")
    assert "innerHTML" not in renderer and "innerHTML" not in page.split("</script>")[-2]
    place = embedded(page)["places"][0]
    assert place["name"] == "</script><script>alert(1)</script>"  # intact once parsed
    assert place["sources"] == [{"text": "“<b>t</b>”", "url": None}]  # not a link: not http(s)
    assert place["pending"][0]["text"] == "Syrian government and allies recapture denied 2024-12-07"
    assert "\\u003c" in script_json("<") and "&" not in script_json("&")


def test_rows_without_coordinates_or_with_an_unknown_side(syria):
    places = map_places([control("Nowhere", "opposition", lat=None), control("X", "martians")], syria)
    assert [(p["name"], p["label"], p["colour"]) for p in places] == [("X", "martians", "#888888")]
    data = map_data([], syria, day="2024-12-08", with_base=False)
    assert data["places"] == [] and data["areas"] == []
    south, west = data["view"][0]
    assert 32 < south < 34 and 35 < west < 36.5  # Syria's own box when nothing is placed


def test_places_placed_at_a_town_are_one_marker_with_a_count(syria):
    rows = [control("Al-Ghasibiyya", "opposition", 34.72, 36.72, place_id="name:ghasibiyya"),
            control("Homs", "government", 34.72, 36.72, place_id="gn:169577"),
            control("Deir Ful", "opposition", 34.72, 36.72, place_id="name:deir-ful")]
    (marker,) = map_places(rows, syria)
    assert marker["name"] == "Homs" and marker["colour"] == syria.sides["government"].colour
    assert [p["name"] for p in marker["group"]] == ["Deir Ful", "Al-Ghasibiyya"]
    assert map_data(rows, syria, day="2024-12-08", with_base=False)["labels"] == [
        {"id": "gn:169577", "lat": 34.72, "lon": 36.72, "text": "Homs"}]


def test_the_view_fits_the_story_not_its_outliers(syria):
    story = [control(f"Village {i}", "opposition", 34.6 + i / 20, 36.6 + i / 30) for i in range(6)]
    misplaced = [control("Tripoli, Libya", "government", 32.88, 13.19),
                 control("Moscow", "government", 55.75, 37.62)]
    markers = map_places(story + misplaced, syria)
    (south, west), (north, east) = fitted_view(markers, syria)
    assert 34.3 < south < 34.6 and 36.3 < west < 36.6 and 34.8 < north < 35.1 and 36.7 < east < 37.0


def test_the_view_keeps_a_town_at_the_far_end_of_the_country(syria):
    story = [control(f"Village {i}", "opposition", 34.6 + i / 20, 36.6 + i / 30) for i in range(6)]
    far_east = control("Eastend", "government", 34.9, 40.1)  # in Syria, 300 km from the others
    (south, west), (north, east) = fitted_view(map_places(story + [far_east], syria), syria)
    assert west < 36.6 and east > 40.1


def test_the_image_is_widened_to_its_frame_and_keeps_the_story(syria):
    from frontlines.export.map_image import HEIGHT_IN, MAP_BOX, WIDTH_IN, _filled_view

    for view in ([[34.0, 36.0], [35.0, 36.5]], [[34.0, 36.0], [34.2, 40.0]]):
        west, east, south, north = _filled_view(view)
        assert west <= view[0][1] and east >= view[1][1] and south <= view[0][0] and north >= view[1][0]
        shown = (east - west) * math.cos(math.radians((south + north) / 2)) / (north - south)
        assert shown == pytest.approx(MAP_BOX[2] * WIDTH_IN / (MAP_BOX[3] * HEIGHT_IN))


def test_svg_and_png_render_with_caption_and_legend(syria):
    data = map_data(TWO_SIDES + [control("Weakville", "government", 34.75, 36.95, confidence=0.2)],
                    syria, day="2024-12-05")
    svg = render_image(data, "svg")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag.endswith("svg")
    text = svg.decode("utf-8")
    for words in ("Control on 5 December 2024", "Syrian opposition", "Syrian government and allies",
                  "front line", "hatched", "Northtown", "Southtown"):
        assert words in text, words
    png = render_image(data, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (1500, 1200)
    colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20)}
    for side in ("government", "opposition"):  # the places' dots, drawn in their sides' colours
        wanted = tuple(int(syria.sides[side].colour[i:i + 2], 16) for i in (1, 3, 5))
        assert any(sum(abs(a - b) for a, b in zip(wanted, c)) <= 12 for c in colours), side
    with pytest.raises(ValueError):
        render_image(data, "gif")


def test_image_text_from_documents_is_escaped(syria):
    rows = [control("<script>x</script> $a$ & co", "opposition", 34.9, 36.7)]
    svg = render_image(map_data(rows, syria, day="2024-12-05"), "svg")
    ET.fromstring(svg)
    assert b"<script>x" not in svg and b"&lt;script&gt;x&lt;/script&gt; $a$ &amp; co" in svg


def test_another_country_gets_its_own_base_map():
    ukraine = load_profile("ukraine")
    rows = [control("Kupiansk", "ukraine", 49.71, 37.61), control("Izium", "russia", 49.21, 37.26)]
    data = map_data(rows, ukraine, day="2022-09-09")
    countries = {f["properties"]["name"]: f["properties"]["focus"] for f in data["base"]["countries"]["features"]}
    assert countries["Ukraine"] is True and countries["Russia"] is False
    divisions = {f["properties"]["name"] for f in data["base"]["divisions"]["features"]}
    assert "Kharkiv" in divisions
    land = shape(next(f["geometry"] for f in data["base"]["countries"]["features"]
                      if f["properties"]["name"] == "Ukraine"))
    assert all(land.contains(Point(p["lon"], p["lat"])) for p in data["places"])


# --- the command line on the bundled article -------------------------------------------------


@pytest.fixture(scope="module")
def article_db(tmp_path_factory):
    from frontlines.corpus import ingest_file
    from frontlines.store import open_store

    folder = tmp_path_factory.mktemp("map_article")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        path = folder / "article.db"
        with open_store(path) as store:
            ingest_file(store, EXAMPLE)
        yield path


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("day", ["2024-12-08", "2024-12-05"])
def test_control_areas_contain_the_places_whose_side_they_carry(article_db, day):
    """Valid polygons (shapely); each located place with a holder lies in an area of its
    holder that lists it, and in no other side's area."""
    collection = json.loads(run("control", "--db", str(article_db), "--date", day,
                                "--format", "geojson", "--areas"))
    rows = {r["place_id"]: r for r in json.loads(run("control", "--db", str(article_db), "--date",
                                                     day, "--format", "json"))}
    areas = [f for f in collection["features"] if f["properties"]["kind"] == "area"]
    assert areas
    polygons = [shape(f["geometry"]) for f in areas]
    for polygon in polygons:
        assert polygon.is_valid and not polygon.is_empty and polygon.geom_type in ("Polygon", "MultiPolygon")
    located = [r for r in rows.values() if r["latitude"] is not None and r["controller"]]
    assert len(located) >= 10
    for place in located:
        point = Point(place["longitude"], place["latitude"])
        holding = [f["properties"]["side"] for f, polygon in zip(areas, polygons) if polygon.contains(point)]
        listed = [f["properties"]["side"] for f in areas if place["place_id"] in f["properties"]["places"]]
        assert holding == listed == [place["controller"]], place["place"]
    homs = next(r for r in rows.values() if r["place"] == "Homs")
    assert homs["controller"] == ("opposition" if day == "2024-12-08" else "government")


def test_control_areas_on_a_day_with_two_sides_have_a_front(article_db):
    collection = json.loads(run("control", "--db", str(article_db), "--date", "2024-12-05",
                                "--format", "geojson", "--areas"))
    sides = {f["properties"]["side"] for f in collection["features"] if f["properties"]["kind"] == "area"}
    assert sides == {"government", "opposition"}
    assert [f["properties"]["sides"] for f in collection["features"]
            if f["properties"]["kind"] == "front"] == [["government", "opposition"]]


def test_areas_need_geojson(article_db):
    result = CliRunner().invoke(cli, ["control", "--db", str(article_db), "--areas"])
    assert result.exit_code == 2 and "--areas needs --format geojson" in result.output


@pytest.mark.parametrize("suffix", ["svg", "png", "html"])
def test_map_command_writes_each_format(article_db, tmp_path, suffix):
    target = tmp_path / f"map.{suffix}"
    run("map", "--db", str(article_db), "--date", "2024-12-05", "-o", str(target))
    content = target.read_bytes()
    if suffix == "svg":
        assert b"Control on 5 December 2024" in content and b"sources" in content
        ET.fromstring(content)
    elif suffix == "png":
        assert content.startswith(b"\x89PNG")
    else:
        assert embedded(content.decode("utf-8"))["day"] == "2024-12-05"


def test_map_command_refuses_an_unknown_format(article_db, tmp_path):
    result = CliRunner().invoke(cli, ["map", "--db", str(article_db), "-o", str(tmp_path / "map.gif")])
    assert result.exit_code == 2 and "write .html, .svg or .png" in result.output
