"""The chart: places held per side over time and events per day by type, as a PNG."""

from __future__ import annotations

from collections import Counter
from datetime import date

import frontlines
from frontlines.export.plot import days_between, events_per_day, held_per_side, plot_png
from frontlines.profiles import load_profile

PNG = b"\x89PNG\r\n\x1a\n"


def test_bundled_article_chart(example_text):
    contract = frontlines.extract(example_text).to_contract()
    changes = contract["control_changes"]
    days = days_between([*contract["events"], *changes], "event_date", "date")
    assert days[0] == date(2024, 11, 4) and days[-1] == date(2024, 12, 9)

    def state(day):  # what store.control_on(day) gives, reduced to the controller
        held = {}
        for change in sorted(changes, key=lambda c: c["date"]):
            if change["claim"] == "reported" and date.fromisoformat(change["date"]) <= day:
                held[change["place"]] = {"controller": change["new_controller"]}
        return list(held.values())
    held = held_per_side({day: state(day) for day in days})
    # Every place the rebels took by the end (Homs Central Prison among them), none before the offensive.
    taken = {c["place"] for c in changes if c["claim"] == "reported" and c["new_controller"] == "opposition"}
    assert held[date(2024, 12, 9)]["opposition"] == len(taken) >= 20 and not held[date(2024, 12, 1)]
    png = plot_png(held, contract["events"], load_profile("syria"))
    assert png.startswith(PNG) and len(png) > 10_000


def test_counts_and_empty_input():
    events = [{"event_date": "2024-12-06", "event_type": "Battles"},
              {"event_date": "2024-12-06", "event_type": "Battles"}, {"event_date": None}]
    assert events_per_day(events) == {date(2024, 12, 6): Counter({"Battles": 2})}
    assert days_between([], "date") == []
    assert plot_png({}, [], load_profile("syria")).startswith(PNG)
