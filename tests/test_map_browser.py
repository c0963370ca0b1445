"""The control map as people see it, in a real browser (Debian's chromium driven by
playwright): the static map (`frontlines map`) and the served page, for the bundled article
on 5 and 8 December 2024 and for the Ukraine test document, at desktop and phone sizes.
Each view is checked from the DOM: both sides' areas, Homs's area, a front line, land under
every place, no label over another, every place's popup reachable. Screenshots go to
$FRONTLINES_SCREENSHOTS (`make demo` sets it to out/), else to the test's temporary folder."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest

from .conftest import DATA, EXAMPLE
from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no browser at {CHROMIUM} (CI installs Debian's chromium with .ci/run)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra (playwright) is not installed")
pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")

from frontlines.corpus import ingest_file  # noqa: E402
from frontlines.export.map import render_map  # noqa: E402
from frontlines.profiles import load_profile  # noqa: E402
from frontlines.store import open_store  # noqa: E402
from frontlines.web.app import create_app  # noqa: E402
from frontlines.web.background import BackgroundServer  # noqa: E402

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]
WAIT_MS = 15_000
UKRAINE_DOC = DATA / "ukraine" / "kharkiv-counteroffensive-2022.txt"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
SYRIA, UKRAINE = load_profile("syria"), load_profile("ukraine")

# Which SVG fills (country outlines, areas) lie under a point of the screen.
FILLS_AT = """([x, y, selector]) => Array.from(document.querySelectorAll(selector)).filter((path) => {
  const point = path.ownerSVGElement.createSVGPoint();
  point.x = x; point.y = y;
  return path.isPointInFill(point.matrixTransform(path.getScreenCTM().inverse()));
}).map((path) => path.getAttribute("data-side") || path.getAttribute("class"))"""

VISIBLE_LABELS = """() => Array.from(document.querySelectorAll(".fl-label:not(.fl-hidden)")).map((node) => {
  const box = node.getBoundingClientRect();
  return { text: node.textContent, left: box.left, right: box.right, top: box.top, bottom: box.bottom };
})"""

# The map's controls as shown (zoom buttons, legend, heading, scale bar, attribution).
CONTROLS = """() => Array.from(document.querySelectorAll("#map .leaflet-control")).map((node) => {
  const box = node.getBoundingClientRect();
  return { text: node.className, left: box.left, right: box.right, top: box.top, bottom: box.bottom };
}).filter((box) => box.bottom > box.top)"""


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    """The bundled article in one store, the Ukraine report in another."""
    folder = tmp_path_factory.mktemp("map_browser")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        paths = {"syria": folder / "syria.db", "ukraine": folder / "ukraine.db"}
        with open_store(paths["syria"]) as store:
            ingest_file(store, EXAMPLE)
        with open_store(paths["ukraine"]) as store:
            ingest_file(store, UKRAINE_DOC, profile="ukraine", published=date(2022, 9, 12))
        yield paths


@pytest.fixture(scope="module")
def servers(stores, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        with BackgroundServer(create_app(stores["syria"]), timeout=WAIT_MS / 1000) as syria, \
                BackgroundServer(create_app(stores["ukraine"], profile="ukraine"), timeout=WAIT_MS / 1000) as ukraine:
            yield {"syria": syria.url, "ukraine": ukraine.url}


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS,
                                              timeout=WAIT_MS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("FRONTLINES_SCREENSHOTS") or tmp_path).resolve()  # `make demo` says out/
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def static_map(stores, war: str, day: str, folder: Path) -> Path:
    profile = SYRIA if war == "syria" else UKRAINE
    with open_store(stores[war]) as store:
        rows = store.control_on(date.fromisoformat(day))
    path = folder / f"map-{war}-{day}.html"
    path.write_text(render_map(rows, profile, day=day), encoding="utf-8")
    return path


def open_page(browser, url: str, size: str):
    context = browser.new_context(viewport=SIZES[size], is_mobile=size == "phone", has_touch=size == "phone")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.goto(url, timeout=WAIT_MS)
    page.wait_for_selector("body[data-rendered]", timeout=WAIT_MS)
    page.wait_for_selector(".fl-place", timeout=WAIT_MS)
    page.wait_for_selector("#map[data-base]", timeout=WAIT_MS)  # the served page asks for it after
    page.wait_for_timeout(500)  # the end of the view's animation
    return context, page, errors


def places_of(page, static: bool) -> list[dict]:
    """The map's places as the page drew them: the data it was given."""
    if static:
        data = json.loads(page.locator("#map-data").text_content())
    else:
        day = page.evaluate("document.body.dataset.date")
        data = page.evaluate(f"fetch('/api/map?date={day}').then((r) => r.json())")
    return data["places"]


def centre(page, place_id: str) -> tuple[float, float]:
    box = page.locator(f'path.fl-place[data-place-id="{place_id}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def check_land_under_every_place(page, markers: list[dict]) -> None:
    for marker in markers:
        x, y = centre(page, marker["id"])
        assert page.evaluate(FILLS_AT, [x, y, "path.fl-country"]), f"no land under {marker['name']}"


def apart(a: dict, b: dict) -> bool:
    return a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]


def check_labels_apart(page, places: list[dict] | None = None) -> None:
    """No label covers another or sits under a control; every place's own label is shown
    where `places` are given (a quiet map leaves room for each)."""
    labels = page.evaluate(VISIBLE_LABELS)
    assert labels, "no label shown"
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert apart(a, b), f"label {a['text']!r} covers {b['text']!r}"
    for control in page.evaluate(CONTROLS):
        for label in labels:
            assert apart(label, control), f"label {label['text']!r} under {control['text']!r}"
    if places is not None:
        shown = {label["text"] for label in labels}
        assert {p["name"] for p in places} <= shown


# Whatever a popup shares its place on the screen with: the map's edges, a shown control.
POPUP_CLEAR = """() => {
  const popups = document.querySelectorAll(".leaflet-popup");
  const popup = popups[popups.length - 1].getBoundingClientRect();
  const map = document.getElementById("map").getBoundingClientRect();
  const faults = [];
  if (popup.top < map.top - 1 || popup.bottom > map.bottom + 1 || popup.left < map.left - 1 || popup.right > map.right + 1) {
    faults.push("beyond the map");
  }
  document.querySelectorAll("#map .leaflet-control").forEach((control) => {
    const box = control.getBoundingClientRect();
    if (box.height && box.left < popup.right && popup.left < box.right && box.top < popup.bottom && popup.top < box.bottom) {
      faults.push("under " + control.className);
    }
  });
  return faults;
}"""


# Where the newest popup is, and whether the map is still panning (Leaflet marks its pane
# while a pan animates).
POPUP_PLACE = """() => {
  const popups = document.querySelectorAll(".leaflet-popup");
  const box = popups.length ? popups[popups.length - 1].getBoundingClientRect() : null;
  return { panning: document.querySelector(".leaflet-map-pane.leaflet-pan-anim") !== null,
           box: box && [box.left, box.top, box.width, box.height] };
}"""


def wait_until_still(page) -> None:
    """Wait for the pan that brings a new popup into view to end: no pan animating and the
    popup where it was a moment ago.  A click sent while the map still moves lands wherever the
    button was when it was aimed (on a busy machine, on the map, which closes the popup)."""
    last = None
    for _ in range(60):
        place = page.evaluate(POPUP_PLACE)
        if not place["panning"] and place["box"] is not None and place == last:
            return
        last = place
        page.wait_for_timeout(100)
    raise AssertionError(f"the map did not come to rest after opening a popup: {last}")


def check_popup_clear(page) -> None:
    """Once the pan that brings it into view has ended (its animation takes longer on a busy
    machine), the newest popup is inside the map and under no control."""
    wait_until_still(page)
    assert page.evaluate(POPUP_CLEAR) == []


def check_every_popup(page, markers: list[dict]) -> None:
    """Each marker's popup opens on a click, inside the map and clear of its controls; each
    place grouped under it opens from its list."""
    # A closing popup fades out for a moment beside the new one: the newest is the last.
    heading = page.locator(".leaflet-popup-content h2").last
    for marker in markers:
        page.locator(f'path.fl-place[data-place-id="{marker["id"]}"]').dispatch_event("click")
        sync_api.expect(heading).to_have_text(marker["name"], timeout=WAIT_MS)
        check_popup_clear(page)
        for member in marker["group"]:
            page.locator(f'.leaflet-popup-content button.fl-group-place[data-place-id="{member["id"]}"]').last.click()
            sync_api.expect(heading).to_have_text(member["name"], timeout=WAIT_MS)
            page.locator(f'path.fl-place[data-place-id="{marker["id"]}"]').dispatch_event("click")
            sync_api.expect(heading).to_have_text(marker["name"], timeout=WAIT_MS)
            wait_until_still(page)
        page.keyboard.press("Escape")


def area_sides(page) -> set[str]:
    return set(page.evaluate("Array.from(document.querySelectorAll('path.fl-area')).map((p) => p.getAttribute('data-side'))"))


def area_colours(page) -> set[str]:
    return set(page.evaluate("Array.from(document.querySelectorAll('path.fl-area')).map((p) => p.getAttribute('data-colour'))"))


def homs(markers: list[dict]) -> dict:
    return next(m for m in markers if m["name"] == "Homs")


VIEWS = [(kind, size) for kind in ("static", "served") for size in SIZES]


@pytest.mark.parametrize(("kind", "size"), VIEWS)
def test_the_article_on_5_december_shows_both_sides_and_a_front(stores, servers, browser, shots, kind, size):
    url = (static_map(stores, "syria", "2024-12-05", shots).as_uri() if kind == "static"
           else servers["syria"] + "/#2024-12-05")
    context, page, errors = open_page(browser, url, size)
    try:
        markers = places_of(page, kind == "static")
        assert area_sides(page) == {"government", "opposition"}
        assert area_colours(page) == {SYRIA.sides["government"].colour, SYRIA.sides["opposition"].colour}
        assert page.locator("path.fl-front").count() >= 1
        assert "front line" in page.locator(".fl-legend").inner_text()
        x, y = centre(page, homs(markers)["id"])
        assert page.evaluate(FILLS_AT, [x, y, "path.fl-area"]) == ["government"]
        check_land_under_every_place(page, markers)
        check_labels_apart(page, markers if size == "desktop" else None)  # a phone has less room
        page.screenshot(path=str(shots / f"{kind}-syria-2024-12-05-{size}.png"))
        check_every_popup(page, markers)
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("kind", "size"), VIEWS)
def test_the_article_on_8_december_shows_homs_held_by_the_opposition(stores, servers, browser, shots, kind, size):
    url = (static_map(stores, "syria", "2024-12-08", shots).as_uri() if kind == "static"
           else servers["syria"] + "/#2024-12-08")
    context, page, errors = open_page(browser, url, size)
    try:
        markers = places_of(page, kind == "static")
        x, y = centre(page, homs(markers)["id"])
        assert page.evaluate(FILLS_AT, [x, y, "path.fl-area"]) == ["opposition"]
        assert page.locator(f'path.fl-place[data-place-id="{homs(markers)["id"]}"]').get_attribute("fill") == \
            SYRIA.sides["opposition"].colour
        grouped = sum(len(m["group"]) for m in markers)
        assert grouped > 0 and page.locator(".fl-count").count() >= 1  # counted under their anchor
        check_land_under_every_place(page, markers)
        check_labels_apart(page, markers if size == "desktop" else None)  # a phone has less room
        page.screenshot(path=str(shots / f"{kind}-syria-2024-12-08-{size}.png"))
        check_every_popup(page, markers)
        assert errors == []
    finally:
        context.close()


@pytest.mark.parametrize(("kind", "size"), VIEWS)
def test_the_ukraine_report_is_drawn_on_ukraine(stores, servers, browser, shots, kind, size):
    url = (static_map(stores, "ukraine", "2022-09-09", shots).as_uri() if kind == "static"
           else servers["ukraine"] + "/#2022-09-09")
    context, page, errors = open_page(browser, url, size)
    try:
        markers = places_of(page, kind == "static")
        assert markers
        assert area_sides(page) == {"ukraine", "russia"}  # towns tens of km apart: no front between them
        assert page.locator("path.fl-country.fl-focus").count() == 1  # Ukraine itself
        assert page.locator("path.fl-division").count() > 5  # its oblasts
        check_land_under_every_place(page, markers)
        check_labels_apart(page, markers)
        page.screenshot(path=str(shots / f"{kind}-ukraine-2022-09-09-{size}.png"))
        check_every_popup(page, markers)
        assert errors == []
    finally:
        context.close()


def test_labels_stay_apart_at_every_zoom(stores, browser, shots):
    context, page, errors = open_page(browser, static_map(stores, "syria", "2024-12-08", shots).as_uri(), "desktop")
    try:
        shown = []
        for _ in range(4):
            check_labels_apart(page)
            shown.append(len(page.evaluate(VISIBLE_LABELS)))
            page.locator(".leaflet-control-zoom-in").click()
            page.wait_for_timeout(400)
        check_labels_apart(page)
        assert re.fullmatch(r"\d+ km|\d+ m", page.locator(".leaflet-control-scale-line").inner_text())
        assert errors == []
    finally:
        context.close()


def held_by_changes(changes: list[dict], place_id: str, day: str) -> str | None:
    """Who holds a place on a day, read from `changes` alone: the latest reported or claimed
    change up to that day, else the holder its first change names as the previous one."""
    own = sorted((c for c in changes if c["place_id"] == place_id and c.get("date")), key=lambda c: c["date"])
    facts = [c for c in own if c["claim"] in ("reported", "claimed")]
    done = [c for c in facts if c["date"] <= day]
    if done:
        return done[-1]["new_controller"]
    first = next((c for c in facts + own if c.get("previous_controller")), None)
    return first["previous_controller"] if first else None


def test_the_page_the_map_and_changes_agree_on_every_colour_every_day(stores, servers, browser, shots):
    with open_store(stores["syria"]) as store:
        changes = store.changes()
    days = sorted({c["date"] for c in changes if c.get("date")})
    context, page, errors = open_page(browser, servers["syria"] + "/#" + days[0], "desktop")
    try:
        for day in days:
            page.locator("#slider").fill(str((date.fromisoformat(day) - date(1970, 1, 1)).days))
            page.wait_for_selector(f'body[data-date="{day}"]', timeout=WAIT_MS)
            static = json.loads(page.evaluate(f"fetch('/api/map?date={day}').then((r) => r.text())"))
            fills = dict(page.evaluate(
                "Array.from(document.querySelectorAll('path.fl-place')).map((p) => [p.getAttribute('data-place-id'), p.getAttribute('fill')])"))
            for marker in static["places"]:
                assert fills[marker["id"]] == marker["colour"], (day, marker["name"])
                side = held_by_changes(changes, marker["id"], day)
                if side is not None:
                    assert marker["side"] == side, (day, marker["name"])
                    assert marker["colour"] == SYRIA.sides[side].colour
        assert errors == []
    finally:
        context.close()
