"""The infobox summary: dates, location, belligerents, territory, strengths and casualties."""

from __future__ import annotations

import json
import re

from frontlines.export.summary import (
    gains_text,
    infobox_fields,
    span_text,
    stated_figures,
    summarize,
    summary_json,
    summary_markdown,
)


def test_bundled_article_summary(contract, syria):
    summary = summarize(contract["events"], contract["control_changes"], syria, title="2024 Homs offensive")
    assert summary["date"]["end"] == "2024-12-08" and summary["date"]["from"] == "rows"
    assert summary["location"]["text"].startswith("Homs") and summary["location"]["text"].endswith(", Syria")
    sides = [b["side"] for b in summary["belligerents"]]
    assert {"government", "opposition"} <= set(sides) and "civilians" not in sides
    units = {u["actor"] for b in summary["belligerents"] if b["side"] == "government" for u in b["units"]}
    assert "Syrian Arab Army" in units
    opposition = next(s for s in summary["territory"]["by_side"] if s["side"] == "opposition")
    # 20 towns and the central prison of Homs, a site taken as a place of its own
    assert opposition["count"] == 21 and opposition["places"][0] == "Homs"
    assert re.fullmatch(r"Syrian opposition captures Homs, [^,]+, [^,]+ and 18 more", opposition["text"])
    assert [c["place"] for c in summary["territory"]["disputed"]] == ["Homs"]
    assert any(c["text"] == "killed 20 civilians" and c["side"] == "civilians" for c in summary["casualties"])
    assert summary["fatalities"]["total"] == 27
    text = summary_markdown(summary, syria)
    assert text.startswith("# 2024 Homs offensive\n")
    assert re.search(r"Syrian opposition captures Homs, .* and 18 more(\[\^\d+\])+$", text, re.M)
    assert re.search(r"^- killed 20 civilians \(Civilians\)\[\^\d+\]$", text, re.M)
    json.dumps(summary_json(summary))  # serialisable, rows reduced to their sources


def test_figures_from_sentences(syria):
    rows = [{"evidence": "Hezbollah sent 2,000 fighters and 150+ APCs to Al-Qusayr.", "sources": []},
            {"evidence": "At least seven civilians were killed in airstrikes.", "sources": []},
            {"evidence": "On 1 December rebels captured Saraqib.", "sources": []},  # a date, not a count
            {"evidence": "Dozens of Hezbollah fighters fled Homs.", "sources": [],
             "mentions": [{"evidence": "Strikes killed 20 civilians.", "sources": []}]}]
    strengths, casualties = stated_figures(rows, syria)
    assert [s["text"] for s in strengths] == ["2,000 fighters", "150+ APCs", "Dozens of Hezbollah fighters"]
    assert strengths[2]["side"] == "government"  # Hezbollah is in the government's camp
    assert [c["text"] for c in casualties] == ["At least seven civilians were killed", "killed 20 civilians"]


def test_infobox_fields_win_over_derived_ones(syria):
    infobox = {"date": "5–8 December 2024", "place": "Homs Governorate", "result": "Opposition victory",
               "territory": "Opposition captures Homs", "strength2": "2,000 fighters",
               "casualties1": "Unknown", "Casualties and losses": "27 killed"}
    assert infobox_fields([infobox])["casualties"] == ["Unknown", "27 killed"]
    summary = summarize([], [], syria, infoboxes=[infobox])
    assert summary["date"]["text"] == "5–8 December 2024" and summary["date"]["from"] == "infobox"
    assert (summary["date"]["start"], summary["date"]["end"]) == ("2024-12-05", "2024-12-08")
    text = summary_markdown(summary, syria)
    assert "- **Result:** Opposition victory (infobox)" in text
    assert "- **Territorial changes:** Opposition captures Homs (infobox)" in text
    assert "- 2,000 fighters (infobox)" in text


def test_wording_helpers():
    assert gains_text("Opposition", ["Homs"]) == "Opposition captures Homs"
    assert gains_text("Opposition", ["A", "B", "C"]) == "Opposition captures A, B and C"
    assert gains_text("Opposition", list("ABCDE")) == "Opposition captures A, B, C and 2 more"
    from datetime import date
    assert span_text(date(2024, 12, 5), date(2024, 12, 8)) == "5–8 December 2024"
    assert span_text(date(2024, 12, 30), date(2025, 1, 2)) == "30 December 2024 – 2 January 2025"


def test_document_text_is_escaped_in_markdown(syria):
    change = {"place": "[x](javascript:alert(1))", "place_id": "x", "date": "2024-12-06",
              "new_controller": "opposition", "claim": "reported", "kind": "capture",
              "evidence": "<script>", "sources": []}
    text = summary_markdown(summarize([], [change], syria), syria)
    assert "[x](javascript" not in text and "\\[x\\](javascript:alert(1))" in text
    assert "<script>" not in text


def test_story_span_leaves_background_out(syria):
    from frontlines.export.summary import story_span

    events = [{"event_date": "2024-10-01", "event_type": "Explosions/Remote violence"},
              {"event_date": "2024-11-20", "event_type": "Battles"},  # a week and more before
              {"event_date": "2024-12-02", "event_type": "Battles"},
              {"event_date": "2024-12-30", "event_type": "Explosions/Remote violence"}]
    changes = [{"date": "2024-12-01", "claim": "reported"}, {"date": "2024-12-03", "claim": "claimed"},
               {"date": "2024-12-20", "claim": "denied"}]  # a denied change does not extend it
    span = story_span(events, changes)
    assert (span["start"], span["end"], span["text"]) == ("2024-12-01", "2024-12-03", "1–3 December 2024")
    assert story_span(events[:1], [])["start"] == "2024-10-01"  # nothing but background: all of it


def test_infobox_values_cite_their_references_and_name_sides(syria):
    infobox = {"result": "Government victory [2]", "strength": "Unknown; 300 Hezbollah fighters [3] [2]"}
    references = [{"number": 2, "title": "Town retaken", "publisher": "Levant Wire"},
                  {"number": 3, "title": "Reinforcements", "publisher": "Daily Post"}]
    summary = summarize([], [], syria, infoboxes=[infobox], references=references)
    assert summary["result"]["text"] == "Government victory"
    assert [s["publisher"] for s in summary["result"]["sources"]] == ["Levant Wire"]
    fighters = summary["strength"][1]
    assert fighters["text"] == "300 Hezbollah fighters" and fighters["side"] == "government"
    assert [s["number"] for s in fighters["sources"]] == [3, 2]
    text = summary_markdown(summary, syria)
    assert "- **Result:** Government victory (infobox)[^1]" in text
    assert "- 300 Hezbollah fighters (infobox)[^2][^1]" in text


def test_a_large_store_is_summarised_not_dumped(syria):
    changes = [{"place": f"Village {i}", "place_id": f"x:{i}", "date": "2024-12-06",
                "new_controller": "opposition", "previous_controller": "government",
                "kind": "capture", "claim": "reported", "evidence": f"Rebels took Village {i}.",
                "sources": [{"title": f"Report {i}", "publisher": f"Outlet {i}"}]} for i in range(600)]
    events = [{"event_date": "2024-12-06", "event_type": "Battles", "actor1": f"Brigade {i}",
               "side1": "opposition", "sources": []} for i in range(50)]
    text = summary_markdown(summarize(events, changes, syria), syria)
    assert "captures Village 0, Village 1, Village 2 and 597 more" in text
    assert len(re.findall(r"^\[\^\d+\]:", text, re.M)) <= 5
    assert "and 42 more" in text  # units: the first eight, the rest counted
    assert len(text) < 3000
