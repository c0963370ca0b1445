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
    """Events in ACLED's schema and control changes, each with its evidence and sources.

    For a block of a long document, the items are merged with the earlier blocks' and the rows
    are made at the last block, for the whole document."""
    from ..control import change_groups, change_row
    from .events import DocumentContext, Merger, event_row, extract_items, prefer_body

    profile, lexicon, carry = load_profile(analysis.profile), load_lexicon(), analysis.carry
    so_far = carry.state.get("events") if carry is not None else None
    if so_far is None:
        so_far = _ItemsSoFar(DocumentContext(analysis, profile, lexicon))
        if carry is not None:
            carry.state["events"] = so_far
    items = extract_items(analysis, profile, lexicon, so_far.context)
    # taken before merging, which may give a placeless item the place of what merges into it
    so_far.changes.extend(i for i in items if i.change and i.new_controller and i.place is not None)
    so_far.merged.add(items)
    if carry is not None and not carry.last:
        return
    changes = [change_row(group, analysis) for group in change_groups(so_far.changes)]
    kept, so_far.changes, so_far.merged = prefer_body(so_far.merged.kept), [], Merger()
    events = []
    for index, item in enumerate(kept):  # each item let go once in its row (a long document)
        events.append(event_row(item, analysis, profile))
        kept[index] = None
    analysis.control_changes = sorted(changes, key=_row_order("date", "geo_precision"))
    analysis.events = sorted(events, key=_row_order("event_date", "geo_precision"))


class _ItemsSoFar:
    """The events stage's state across the blocks of a long document."""

    def __init__(self, context) -> None:
        from .events import Merger

        self.context = context
        self.merged = Merger()
        self.changes: list = []  # the items that change a place's control


def _row_order(date_key: str, precision_key: str):
    def key(row: dict):
        return (row.get(date_key) or "9999", row.get(precision_key) or 9, row["evidence_span"][0])
    return key
