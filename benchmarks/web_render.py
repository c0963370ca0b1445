"""The map page's time to first render in headless chromium over a synthetic store of 10,000 events.

Builds a store (events spread over places and days, a few changes of control per place),
serves it with `frontlines.web`, opens `/` in Debian's chromium driven by playwright and
prints, for a cold first load and for warm reloads: the time from navigation to the first
drawn map (places coloured on the opening day, that day's events), to the timeline, and
the API calls behind them.  Target: first render < 1.5 s.  Prints figures, asserts nothing.

    python benchmarks/web_render.py [--events 10000] [--places 300] [--days 120] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"]
START = date(2024, 9, 1)
TYPES = [("Battles", "Armed clash"), ("Explosions/Remote violence", "Air/drone strike"),
         ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
         ("Violence against civilians", "Attack"), ("Strategic developments", "Looting/property destruction")]
SIDES = ["government", "opposition", "sdf", "israel"]
CLAIMS = ["reported"] * 6 + ["claimed", "denied", "unconfirmed"]


def synthetic_rows(n_events: int, n_places: int, days: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    """Contract event rows and change rows over Syria's box, reproducible from the seed."""
    rnd = random.Random(seed)
    places = [{"place_id": f"user:synthetic-{i}", "name": f"Place {i}",
               "latitude": round(rnd.uniform(32.6, 36.9), 4), "longitude": round(rnd.uniform(36.0, 41.5), 4)}
              for i in range(n_places)]
    events = [_event(i, rnd.choice(places), START + timedelta(days=rnd.randrange(days)), rnd)
              for i in range(n_events)]
    changes = [change for place in places for change in _changes(place, days, rnd)]
    return events, changes


def _event(index: int, place: dict, day: date, rnd: random.Random) -> dict:
    event_type, sub_type = rnd.choice(TYPES)
    side1, side2 = rnd.sample(SIDES, 2)
    return {"event_id_cnty": f"SYN{index}", "event_date": day.isoformat(), "year": day.year,
            "time_precision": 1, "event_type": event_type, "sub_event_type": sub_type,
            "actor1": f"Forces of {side1}", "actor2": f"Forces of {side2}", "side1": side1, "side2": side2,
            "location": place["name"], "latitude": place["latitude"], "longitude": place["longitude"],
            "place_id": place["place_id"], "place_aliases": [place["name"]], "claim": rnd.choice(CLAIMS),
            "evidence": f"On {day:%d %B %Y}, fighting was reported in {place['name']} (event {index}).",
            "evidence_span": None, "confidence": 0.8, "fatalities": rnd.choice([None, 0, 1, 3]),
            "sources": [{"number": 1, "title": f"Report {index % 50}", "publisher": "Synthetic wire",
                         "date": None, "url": None}]}


def _changes(place: dict, days: int, rnd: random.Random) -> list[dict]:
    holder, rows = "government", []
    for offset in sorted(rnd.sample(range(days), rnd.randrange(0, 4))):
        new = "opposition" if holder == "government" else "government"
        rows.append({"place": place["name"], "place_aliases": [place["name"]], "place_id": place["place_id"],
                     "latitude": place["latitude"], "longitude": place["longitude"],
                     "date": (START + timedelta(days=offset)).isoformat(), "date_precision": "day",
                     "new_controller": new, "previous_controller": holder, "kind": "capture",
                     "claim": "reported", "evidence": f"{new} took {place['name']}.", "evidence_span": None,
                     "sources": [], "confidence": 0.8})
        holder = new
    return rows


def build_store(path: Path, n_events: int, n_places: int, days: int):
    from frontlines.store import open_store

    events, changes = synthetic_rows(n_events, n_places, days)
    store = open_store(path)
    started = time.perf_counter()
    store.ingest_events(events, source_name="synthetic", changes=changes)
    print(f"store: {store.counts()['events']} events, {store.counts()['changes']} changes, "
          f"{n_places} places over {days} days; built in {time.perf_counter() - started:.1f} s")
    return store


def page_load(browser, url: str) -> dict[str, float]:
    """One load in a fresh context (no cache): milliseconds from navigation start."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        page.wait_for_selector("body[data-rendered]")
        first = page.evaluate("window.frontlinesFirstRender")
        page.wait_for_selector("body[data-timeline]")
        timeline = page.evaluate("performance.now()")
        return {"first": first, "timeline": timeline,
                "markers": page.locator("path[data-place-id]").count(),
                "events": page.locator("[data-event-id]").count()}
    finally:
        context.close()


def api_times(url: str, day: str, runs: int) -> list[tuple[str, float]]:
    calls = ["/api/info", f"/api/control?date={day}", f"/api/map?date={day}", f"/api/events?since={day}&until={day}&limit=1000",
             f"/api/changes?since={day}&until={day}&limit=1000", "/api/timeline"]
    figures = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for call in calls:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                client.get(call).raise_for_status()
                times.append((time.perf_counter() - started) * 1000)
            figures.append((call, statistics.median(times)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5, help="warm page loads (median)")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"web_render: no browser at {CHROMIUM}; install Debian's chromium (apt-get install chromium)")
        return
    try:
        from playwright.sync_api import sync_playwright

        from frontlines.web.app import create_app
        from frontlines.web.background import BackgroundServer
    except ImportError as err:
        print(f"web_render: needs the web and test extras (pip install -e '.[test]'): {err}")
        return

    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("FRONTLINES_HOME", str(Path(folder) / "home"))
        store = build_store(Path(folder) / "synthetic.db", args.events, args.places, args.days)
        with BackgroundServer(create_app(store)) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
            try:
                cold = page_load(browser, server.url + "/")
                warm = [page_load(browser, server.url + "/") for _ in range(args.runs)]
            finally:
                browser.close()
            day = httpx.get(server.url + "/api/info").json()["days"]["default"]
            calls = api_times(server.url, day, args.runs)
        store.close()

    print(f"page on {day}: {cold['markers']} places drawn, {cold['events']} events of that day")
    print(f"{'load':<8}{'first render (ms)':>20}{'timeline ready (ms)':>22}")
    print(f"{'cold':<8}{cold['first']:>20.0f}{cold['timeline']:>22.0f}")
    print(f"{'warm':<8}{statistics.median(w['first'] for w in warm):>20.0f}"
          f"{statistics.median(w['timeline'] for w in warm):>22.0f}   (median of {args.runs})")
    print("API (median ms):")
    for call, ms in calls:
        print(f"  {call:<60}{ms:>8.0f}")
    print(f"first_render_ms={cold['first']:.0f} target<1500", file=sys.stdout)


if __name__ == "__main__":
    main()
