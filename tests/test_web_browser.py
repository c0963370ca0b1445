"""The map page in a real browser (Debian's chromium driven by playwright): the slider moves
control, popups show evidence, the timeline and search drive the map, and a hostile
document's markup never runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from .test_store_corpus import shared_cache_dir, shared_gazetteer_cache  # noqa: F401
from .test_web_api import HOMS, HOSTILE_FILE, build_store

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"no browser at {CHROMIUM} (CI installs Debian's chromium with .ci/run)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the test extra (playwright) is not installed")
uvicorn = pytest.importorskip("uvicorn", reason="the web extra (uvicorn) is not installed")

from frontlines.profiles import load_profile  # noqa: E402
from frontlines.web.app import create_app  # noqa: E402
from frontlines.web.background import BackgroundServer  # noqa: E402

from .test_map_browser import wait_until_still  # noqa: E402

BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]
WAIT_MS = 15_000
SYRIA = load_profile("syria")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web_browser")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FRONTLINES_HOME", str(folder / "home"))
        patch.setenv("FRONTLINES_CACHE", str(shared_cache_dir(tmp_path_factory)))
        with BackgroundServer(create_app(build_store(folder)), timeout=WAIT_MS / 1000) as running:
            yield running


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS,
                                              timeout=WAIT_MS)
        yield launched
        launched.close()


class Watched:
    """A page with a record of every dialog (alert, confirm) and script error it raised."""

    def __init__(self, page) -> None:
        self.page, self.dialogs, self.errors = page, [], []
        page.set_default_timeout(WAIT_MS)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda err: self.errors.append(str(err)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.page.goto(url, timeout=WAIT_MS)
        self.page.wait_for_selector("body[data-rendered]", timeout=WAIT_MS)

    def slide_to(self, day: str) -> None:
        number = (date.fromisoformat(day) - date(1970, 1, 1)).days
        self.page.locator("#slider").fill(str(number), timeout=WAIT_MS)
        self.page.wait_for_selector(f'body[data-date="{day}"]', timeout=WAIT_MS)

    def fill_of(self, place_id: str) -> str | None:
        return self.page.locator(f'path[data-place-id="{place_id}"]').get_attribute("fill", timeout=WAIT_MS)

    def assert_inert(self) -> None:
        assert self.dialogs == []
        assert self.page.evaluate("window.__pwned") is None
        assert self.page.evaluate("document.querySelectorAll('script').length") == 3  # Leaflet, the map, the page
        assert self.page.locator("img[src='x'], iframe, svg[onload], [onerror], [onclick]").count() == 0
        assert self.errors == []


@pytest.fixture
def watched(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = Watched(context.new_page())
    yield page
    context.close()


def test_the_slider_moves_control_from_government_to_opposition(server, watched, tmp_path):
    watched.open(server.url + "/")
    watched.slide_to("2024-12-01")
    assert watched.fill_of(HOMS) == SYRIA.sides["government"].colour
    watched.slide_to("2024-12-08")
    assert watched.fill_of(HOMS) == SYRIA.sides["opposition"].colour
    assert "Homs" in watched.page.locator("#today-list").inner_text()  # a change on this day
    assert watched.page.locator(".tl-day.current h3").inner_text(timeout=WAIT_MS) == "8 December 2024"
    shot = tmp_path / "homs-2024-12-08.png"
    watched.page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    watched.assert_inert()


def test_an_event_popup_shows_its_evidence_and_document(server, watched):
    import httpx

    events = httpx.get(server.url + "/api/events?since=2024-12-08&until=2024-12-08&place=Homs", timeout=10)
    event = events.json()["items"][0]
    watched.open(server.url + "/#2024-12-08")
    watched.page.locator(f'[data-event-id="{event["id"]}"]').click()
    popup = watched.page.locator(".leaflet-popup-content")
    sync_api.expect(popup).to_contain_text(event["evidence"], timeout=WAIT_MS)
    sync_api.expect(popup.locator(".badge")).to_have_text(event["claim"], timeout=WAIT_MS)
    wait_until_still(watched.page)
    popup.get_by_role("button", name="2024 Homs offensive").click()
    sync_api.expect(watched.page.locator("#reader .evidence-mark")).to_contain_text(
        event["evidence"][:60], timeout=WAIT_MS)
    watched.page.keyboard.press("Escape")
    sync_api.expect(watched.page.locator("#reader")).to_be_hidden(timeout=WAIT_MS)
    watched.assert_inert()


def test_timeline_search_and_play_drive_the_map(server, watched):
    watched.open(server.url + "/#2024-12-08")
    watched.page.wait_for_selector("body[data-timeline]", timeout=WAIT_MS)
    watched.page.locator(".tl-day", has_text="6 December 2024").locator("a.tl-line").first.click()
    watched.page.wait_for_selector('body[data-date="2024-12-06"]', timeout=WAIT_MS)
    assert watched.page.locator(".tl-day.current h3").inner_text(timeout=WAIT_MS) == "6 December 2024"
    watched.page.locator("#search-input").fill("rastan")
    watched.page.locator("#search button").click()
    sync_api.expect(watched.page.locator("#detail-title")).to_have_text("Ar Rastan", timeout=WAIT_MS)
    sync_api.expect(watched.page.locator("#detail-body")).to_contain_text("capture", timeout=WAIT_MS)
    watched.page.locator("#play").click()
    watched.page.wait_for_selector('body[data-date="2024-12-07"]', timeout=WAIT_MS)
    watched.page.locator("#play").click()
    sync_api.expect(watched.page.locator("#play")).to_have_attribute("aria-pressed", "false", timeout=WAIT_MS)
    watched.assert_inert()


def test_a_hostile_document_is_shown_as_text(server, watched, tmp_path):
    import httpx

    watched.open(server.url + "/#2024-11-20")
    watched.page.wait_for_selector("body[data-timeline]", timeout=WAIT_MS)
    events = httpx.get(server.url + "/api/events?since=2024-11-20&until=2024-11-20", timeout=10).json()["items"]
    assert len(events) == 3  # the document's two events and the hostile row
    for event in events:  # every popup, each with its hostile strings as text
        watched.page.locator(f'[data-event-id="{event["id"]}"]').dispatch_event("click")
        popup = watched.page.locator(".leaflet-popup-content").last
        sync_api.expect(popup).to_contain_text(event["evidence"], timeout=WAIT_MS)
        sync_api.expect(popup).to_contain_text(event["location"], timeout=WAIT_MS)
    watched.page.locator('path[data-place-id="user:hostile"]').click(force=True)
    sync_api.expect(watched.page.locator(".leaflet-popup-content h2").last).to_have_text(
        "<img src=x onerror=window.__pwned=12>", timeout=WAIT_MS)
    wait_until_still(watched.page)
    watched.page.locator(".leaflet-popup-content").last.get_by_role("button", name="History of control").click()
    sync_api.expect(watched.page.locator("#detail-body")).to_contain_text("<iframe src=javascript:", timeout=WAIT_MS)
    watched.page.locator("#search-input").fill("Tall Kalakh")
    watched.page.locator("#search button").click()
    watched.page.locator("#detail-body").get_by_role("button", name=HOSTILE_FILE).first.click()
    reader = watched.page.locator("#reader")
    sync_api.expect(reader).to_contain_text("<script>window.__pwned=2</script>", timeout=WAIT_MS)
    sync_api.expect(reader).to_contain_text('<img src=x onerror="window.__pwned=3;alert(3)">', timeout=WAIT_MS)
    assert reader.locator("a[href^='javascript']").count() == 0
    watched.page.screenshot(path=str(tmp_path / "hostile.png"))
    watched.assert_inert()


def test_a_phone_width_window(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone = Watched(context.new_page())
        phone.open(server.url + "/#2024-12-07")
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing wider than the screen
        for part in ("#map", "#slider", "#play", "#search-input"):
            box = phone.page.locator(part).bounding_box()
            assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= 390, part
        phone.slide_to("2024-12-08")
        assert phone.fill_of(HOMS) == SYRIA.sides["opposition"].colour
        phone.page.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
        phone.assert_inert()
    finally:
        context.close()
