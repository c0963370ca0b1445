"""The static map: one offline HTML file, markers coloured by side, document text kept inert."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from frontlines.export.map import map_places, render_map, script_json
from frontlines.profiles import load_profile


@pytest.fixture(scope="module")
def syria():
    return load_profile("syria")


def control(place, side, lat=34.84, lon=36.73, **extra):
    return {"place": place, "place_id": f"x:{place}", "controller": side, "since": "2024-12-06",
            "latitude": lat, "longitude": lon, "claim": "reported", "confidence": 0.9,
            "evidence": f"Rebels took {place}.", "sources": [], "pending": [], **extra}


def embedded(page: str) -> dict:
    raw = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(raw)


def test_page_is_self_contained_and_offline(syria):
    page = render_map([control("Talbiseh", "opposition"), control("Homs", "government", 34.72, 36.72)],
                      syria, day="2024-12-08")
    assert "<title>Syrian civil war: control on 2024-12-08</title>" in page
    leaflet = (resources.files("frontlines") / "web/vendor/leaflet/leaflet.js").read_text(encoding="utf-8")
    assert leaflet in page  # inlined, not fetched
    ours = page.replace(leaflet, "")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", ours)  # no CDN, no tiles
    assert "L.circleMarker" in ours
    assert "url(images/" not in page  # Leaflet's images are inlined
    assert "default-src 'none'" in page  # and the page may fetch nothing
    data = embedded(page)
    assert {f["properties"]["name"] for f in data["outlines"]["features"]} >= {"Syria", "Lebanon", "Turkey"}
    colours = {p["name"]: p["colour"] for p in data["places"]}
    assert colours == {"Talbiseh": syria.sides["opposition"].colour, "Homs": syria.sides["government"].colour}
    assert "Syrian opposition (1)" in page and "Syrian government and allies (1)" in page


def test_document_text_never_becomes_markup(syria):
    evil = control("</script><script>alert(1)</script>", "opposition",
                   evidence="<img src=x onerror=alert(1)>",
                   sources=[{"title": "<b>t</b>", "url": "javascript:alert(1)"}],
                   pending=[{"new_controller": "government", "kind": "recapture", "claim": "denied",
                             "date": "2024-12-07"}])
    page = render_map([evil], syria, day="2024-12-08", title="<i>t</i>")
    assert "<script>alert" not in page and "<img" not in page and "<i>t" not in page
    assert "innerHTML" not in page.split("</script>")[-2]  # our own script builds popups with textContent
    place = embedded(page)["places"][0]
    assert place["name"] == "</script><script>alert(1)</script>"  # intact once parsed
    assert place["sources"] == [{"text": "“<b>t</b>”", "url": None}]  # not a link: not http(s)
    assert place["pending"] == ["Syrian government and allies recapture denied 2024-12-07"]
    assert "\\u003c" in script_json("<") and "&" not in script_json("&")


def test_rows_without_coordinates_or_side(syria):
    places = map_places([control("Nowhere", "opposition", lat=None), control("X", "martians")], syria)
    assert [(p["name"], p["label"], p["colour"]) for p in places] == [("X", "martians", "#888888")]
    page = render_map([], syria, day="2024-12-08")
    assert "No place with a known controller on 2024-12-08." in page


def test_places_on_one_spot_share_a_label():
    from frontlines.export.map import spot_labels
    places = [{"name": n, "lat": 34.72, "lon": 36.72} for n in ("Al-Ghasibiyya", "Homs", "Deir Ful")]
    assert spot_labels(places) == [{"lat": 34.72, "lon": 36.72, "text": "Homs +2"}]
    crowd = [{"name": str(n), "lat": n / 100, "lon": 36.0} for n in range(100)]
    assert spot_labels(crowd) == []  # too many: names on hover only
