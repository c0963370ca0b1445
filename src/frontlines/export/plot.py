"""A chart of places held per side over time and of events per day by type (matplotlib, PNG)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from ..profiles import Profile
from .map import safe_colour

# ACLED's event types in its own order, with colours that do not echo the sides' colours.
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians",
               "Protests", "Riots", "Strategic developments")
EVENT_COLOURS = ("#4c72b0", "#dd8452", "#8172b3", "#937860", "#da8bc3", "#8c8c8c")
MAX_DAYS = 400  # past this the held-places line is sampled once a week


def parse_day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def days_between(rows: Iterable[dict], *fields: str) -> list[date]:
    """The days to sample: from the day before the first dated row to the day after the last."""
    dated = [d for row in rows for f in fields if (d := parse_day(row.get(f)))]
    if not dated:
        return []
    first, last = min(dated) - timedelta(days=1), max(dated) + timedelta(days=1)
    step = 7 if (last - first).days > MAX_DAYS else 1
    return [first + timedelta(days=n) for n in range(0, (last - first).days + 1, step)]


def held_per_side(states: Mapping[date, list[dict]]) -> dict[date, Counter]:
    """Places held per side on each day, from control rows (`store.control_on(day)`)."""
    return {day: Counter(r["controller"] for r in rows if r.get("controller"))
            for day, rows in sorted(states.items())}


def events_per_day(events: Iterable[dict]) -> dict[date, Counter]:
    counts: dict[date, Counter] = {}
    for event in events:
        day = parse_day(event.get("event_date"))
        if day is not None:
            counts.setdefault(day, Counter())[event.get("event_type") or "Other"] += 1
    return dict(sorted(counts.items()))


def plot_png(held: Mapping[date, Counter], events: Iterable[dict], profile: Profile,
             *, title: str | None = None) -> bytes:
    """Two panels sharing the date axis: places held per side (steps), events per day (stacked)."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart is only ever written to a file
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    per_day = events_per_day(events)
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(10, 7), sharex=True,
                                         gridspec_kw={"height_ratios": [3, 2]})
    _held_panel(top, held, profile)
    _events_panel(bottom, per_day)
    bottom.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
    bottom.xaxis.set_major_formatter(mdates.ConciseDateFormatter(bottom.xaxis.get_major_locator()))
    figure.suptitle(title or f"{profile.title}: control and events", fontsize=13)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()


def _held_panel(axes, held: Mapping[date, Counter], profile: Profile) -> None:
    days = sorted(held)
    totals = Counter()
    for counts in held.values():
        totals.update(counts)
    for side_key, _ in totals.most_common():
        side = profile.side(side_key)
        axes.step(days, [held[d].get(side_key, 0) for d in days], where="post", linewidth=2,
                  color=safe_colour(side.colour if side else None),
                  label=side.label if side else side_key)
    axes.set_ylabel("places held")
    highest = max((n for counts in held.values() for n in counts.values()), default=1)
    axes.set_ylim(0, highest * 1.3)  # headroom for the legend above the lines
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    if totals:
        axes.legend(loc="upper left", fontsize=9, frameon=False)
    else:
        axes.text(0.5, 0.5, "no place with a known controller", ha="center", va="center",
                  transform=axes.transAxes, color="#777")


def _events_panel(axes, per_day: Mapping[date, Counter]) -> None:
    days = list(per_day)
    seen = {t for counts in per_day.values() for t in counts}
    types = [t for t in EVENT_TYPES if t in seen] + sorted(seen - set(EVENT_TYPES))
    base = [0] * len(days)
    for event_type in types:
        heights = [per_day[d].get(event_type, 0) for d in days]
        colour = EVENT_COLOURS[EVENT_TYPES.index(event_type)] if event_type in EVENT_TYPES else "#bbbbbb"
        axes.bar(days, heights, bottom=base, width=0.8, color=colour, label=event_type)
        base = [b + h for b, h in zip(base, heights)]
    axes.set_ylabel("events per day")
    axes.grid(axis="y", alpha=0.3)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if types:
        axes.legend(loc="upper left", fontsize=8, frameon=False)
    else:
        axes.text(0.5, 0.5, "no dated events", ha="center", va="center",
                  transform=axes.transAxes, color="#777")
