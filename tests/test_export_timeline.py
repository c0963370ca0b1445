"""The timeline: date headings in order, merged lines, footnotes, escaping, on the bundled article."""

from __future__ import annotations

import re

from frontlines.export.timeline import date_heading, timeline_html, timeline_markdown


def change(place, day, *, kind="capture", claim="reported", new="opposition", old="government",
           sources=None, evidence=None):
    return {"place": place, "place_id": f"x:{place}", "date": day, "date_precision": "day",
            "new_controller": new, "previous_controller": old, "kind": kind, "claim": claim,
            "evidence": evidence or f"Rebels took {place}.", "doc_id": "d1",
            "sources": sources if sources is not None else [{"number": 1, "title": "T", "publisher": "P"}]}


def test_bundled_article_reads_in_date_order_with_footnotes(contract, syria):
    text = timeline_markdown(contract["events"], contract["control_changes"], syria)
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[:3] == ["5 November 2024", "16 November 2024", "27 November 2024"]
    assert headings[-1] == "8 December 2024"
    assert "- Syrian opposition captured Talbiseh, Ar Rastan and Al-Dar al-Kabirah from Syrian government" in text
    assert "withdrew from Homs, leaving it to Syrian opposition; this was denied." in text
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    assert lines and all(re.search(r"\[\^\d+\]$", line) for line in lines)  # every line cited
    cited = [int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", text)]
    notes = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", text, re.M)]
    assert notes == list(range(1, len(notes) + 1)) and set(cited) == set(notes)
    assert list(dict.fromkeys(cited)) == sorted(set(cited))  # numbered in reading order
    assert "Reuters, “Syrian army quits Homs, cutting Assad off from coast”" in text


def test_changes_of_a_day_merge_and_territory_events_they_state_are_dropped(syria):
    changes = [change("Talbiseh", "2024-12-06"), change("Ar Rastan", "2024-12-06")]
    events = [{"event_date": "2024-12-06", "time_precision": 1, "place_id": "x:Talbiseh",
               "sub_event_type": "Non-state actor overtakes territory", "location": "Talbiseh",
               "actor1": "Syrian opposition", "claim": "reported", "sources": []},
              {"event_date": "2024-12-06", "time_precision": 1, "place_id": "x:Homs",
               "sub_event_type": "Air/drone strike", "location": "Homs", "actor1": "Syrian Arab Air Force",
               "actor2": "Civilians", "fatalities": 20, "claim": "reported", "evidence": "Strikes killed 20.",
               "doc_id": "d1", "sources": []}]
    text = timeline_markdown(events, changes, syria)
    assert "Syrian opposition captured Talbiseh and Ar Rastan from Syrian government and allies.[^1]" in text
    assert "overtakes" not in text
    assert "Syrian Arab Air Force carried out air strikes on Homs, targeting civilians; 20 people were killed.[^2]" in text
    assert "[^2]: “Strikes killed 20.” (document d1)" in text  # no reference: the evidence is cited


def test_dates_of_coarse_precision_and_undated_rows(syria):
    rows = [change("A", "2024-12-01") | {"date_precision": "month"}, change("B", None)]
    text = timeline_markdown([], rows, syria)
    assert text.index("## December 2024") < text.index("## Undated")
    assert date_heading("2024-12-02", "week") == "Week of 2 December 2024"


def test_document_text_cannot_inject_markup(syria):
    evil = change("<img src=x onerror=alert(1)>", "2024-12-06",
                  sources=[{"title": "</li><script>alert(1)</script>", "url": "javascript:alert(1)"},
                           {"title": "ok", "url": "https://example.org/a?b=1&c=2"}])
    page = timeline_html([], [evil], syria, title="<b>t</b>")
    assert "<script>" not in page and "<img" not in page and "<b>t" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript' not in page
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page
    markdown = timeline_markdown([], [evil], syria)
    assert not re.search(r"(?<!\\)<(img|script|/li)", markdown)
    assert "\\<img src=x onerror=alert(1)\\>" in markdown
    assert "javascript:" not in markdown  # an address that is not http(s) is never a link
    assert "<https://example.org/a?b=1&c=2>" in markdown


def test_empty_store_gives_a_page_that_says_so(syria):
    assert "No events or control changes." in timeline_markdown([], [], syria)
    assert "No events or control changes." in timeline_html([], [], syria)


JARGON = [name for event_type, subs in __import__("frontlines.export.acled", fromlist=["x"]).EVENT_TYPES.items()
          for name in (event_type, *subs) if "/" in name or " " in name or name in ("Battles", "Riots", "Protests")]


def _lines(text: str) -> list[str]:
    return [re.sub(r"(\[\^\d+\])+$", "", line[2:]) for line in text.splitlines() if line.startswith("- ")]


def test_plain_english_without_acled_jargon(syria):
    events = [
        {"event_date": "2024-12-06", "time_precision": 1, "sub_event_type": sub, "event_type": "x",
         "location": "Kafr Nabl", "place_id": "x:kafr", "actor1": actor1, "actor2": actor2,
         "claim": claim, "evidence": f"Sentence {i}.", "doc_id": "d", "sources": []}
        for i, (sub, actor1, actor2, claim) in enumerate([
            ("Armed clash", "Rebel Brigade", "Army", "reported"),
            ("Shelling/artillery/missile attack", "Army", None, "claimed"),
            ("Remote explosive/landmine/IED", None, None, "reported"),
            ("Abduction/forced disappearance", "Militia", None, "unconfirmed"),
            ("Looting/property destruction", None, None, "reported"),
            ("Non-violent transfer of territory", "Army", None, "reported"),
            ("Headquarters or base established", "Rebel Brigade", None, "reported")])]
    text = timeline_markdown(events, [], syria)
    lines = _lines(text)
    assert lines == [
        "Rebel Brigade and Army clashed in Kafr Nabl.",
        "Army shelled Kafr Nabl, according to a claim.",
        "An explosive device went off in Kafr Nabl.",
        "Militia abducted people in Kafr Nabl (unconfirmed).",
        "Property was looted or destroyed in Kafr Nabl.",
        "Control of Kafr Nabl changed hands without fighting.",
        "Rebel Brigade set up a base in Kafr Nabl.",
    ]
    assert not [j for j in JARGON for line in lines if j in line]


def test_one_line_per_fact_on_the_day_of_the_change(syria):
    changes = [change("Qalaat Hill", "2024-12-07")]
    told_twice = [{"event_date": "2024-12-05", "time_precision": 1, "sub_event_type": "Air/drone strike",
                   "location": "Sawran", "place_id": "x:sawran", "actor1": "Air Force", "claim": "reported",
                   "fatalities": f, "evidence": e, "doc_id": "d", "sources": []}
                  for f, e in ((4, "Jets struck Sawran, killing four."), (6, "Six died in the Sawran raid."))]
    restated = [{"event_date": day, "time_precision": 1, "place_id": "x:Qalaat Hill",
                 "sub_event_type": "Non-state actor overtakes territory", "location": "Qalaat Hill",
                 "actor1": "Rebels", "claim": "reported", "evidence": evidence, "doc_id": "d", "sources": []}
                for day, evidence in (("2024-12-06", "Rebels entered the outskirts of Qalaat Hill."),
                                      ("2024-12-07", "Rebels took the prison of Qalaat Hill."))]
    text = timeline_markdown(told_twice + restated, changes, syria)
    assert _lines(text) == [
        "Air Force carried out air strikes on Sawran; 4 people were killed.",
        "Syrian opposition captured Qalaat Hill from Syrian government and allies.",
    ]
    assert re.findall(r"^## (.+)$", text, re.M) == ["5 December 2024", "7 December 2024"]
    assert text.count("[^") - text.count("\n[^") >= 2  # both reports of the strike are cited


def test_bundled_article_timeline_agrees_with_changes(contract, syria):
    changes = contract["control_changes"]
    text = timeline_markdown(contract["events"], changes, syria)
    lines = _lines(text)
    assert not [(j, line) for j in JARGON for line in lines if j in line]
    assert len(lines) == len(set(lines))
    # Every change is told on its own day, and no event line tells a change again.
    days = {}
    heading = None
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:]
        elif line.startswith("- "):
            days.setdefault(heading, []).append(line)
    for row in changes:
        if row.get("claim") == "reported" and row.get("date"):
            from frontlines.export.timeline import date_heading
            on_day = days[date_heading(row["date"], row["date_precision"])]
            assert any(row["place"] in line for line in on_day), row["place"]
    took = [line for line in lines if "took control of" in line]
    assert not [line for line in took for row in changes if row["place"] in line]
