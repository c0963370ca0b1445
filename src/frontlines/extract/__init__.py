"""Extraction stages: place mentions, then events and control changes, from dated sentences."""

from __future__ import annotations

from ..model import Analysis
from ..profiles import load_profile
from ..registry import stages
from .lexicon import load_lexicon


@stages.register("actors")
def actors_stage(analysis: Analysis) -> None:
    """The profile's actors in each narrative sentence, found once for the stages after."""
    from .actors import matcher_for

    matcher = matcher_for(load_profile(analysis.profile))
    for sentence in analysis.sentences:
        if sentence.narrative or sentence.zone == "title":
            analysis.actors[sentence.index] = matcher.find(sentence.text, _day(sentence))


def actors_of(analysis: Analysis, sentence) -> list:
    """A sentence's actor mentions: from the actors layer, or found now if the stage did not run."""
    found = analysis.actors.get(sentence.index)
    if found is None:
        from .actors import matcher_for

        found = analysis.actors[sentence.index] = matcher_for(load_profile(analysis.profile)).find(
            sentence.text, _day(sentence))
    return found


def _day(sentence):
    """The sentence's date, which puts actors that changed sides on the side of the day."""
    return sentence.date.value if sentence.date is not None else None


@stages.register("places")
def places_stage(analysis: Analysis) -> None:
    from .places import place_mentions

    analysis.mentions.extend(place_mentions(analysis, load_profile(analysis.profile)))


@stages.register("events")
def events_stage(analysis: Analysis) -> None:
    """Events in ACLED's schema and control changes, each with its evidence and sources."""
    from ..control import change_groups, change_row
    from .events import event_row, extract_items, merge_items, prefer_body

    profile = load_profile(analysis.profile)
    items = extract_items(analysis, profile, load_lexicon())
    changes = [change_row(group, analysis) for group in change_groups(items)]
    events = [event_row(item, analysis, profile) for item in prefer_body(merge_items(items))]
    analysis.control_changes = sorted(changes, key=_row_order("date", "geo_precision"))
    analysis.events = sorted(events, key=_row_order("event_date", "geo_precision"))


def _row_order(date_key: str, precision_key: str):
    def key(row: dict):
        return (row.get(date_key) or "9999", row.get(precision_key) or 9, row["evidence_span"][0])
    return key
