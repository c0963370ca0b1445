"""Temporal anchoring: finding date phrases, resolving them, and dating every sentence."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontlines.errors import FrontlinesError
from frontlines.model import (
    ZONE_BODY,
    ZONE_INFOBOX,
    ZONE_REFERENCES,
    ZONE_RELATED,
    Document,
    Sentence,
)
from frontlines.text.anchoring import anchor_dates
from frontlines.text.dates import find_time_expressions
from frontlines.text.sentences import segment

DEV_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "dev" / "homs-offensive-2024.txt"
MON_9_DEC = date(2024, 12, 9)  # a Monday: "on Sunday" is 8 December
SAT_30_NOV = date(2024, 11, 30)
THU_28_NOV = date(2024, 11, 28)
D = date


def dated(text: str, published: date | None = None, default_year: int | None = None) -> list[Sentence]:
    sentences = segment(Document(text=text))
    anchor_dates(sentences, published=published, default_year=default_year)
    return sentences


def sentence_with(sentences: list[Sentence], fragment: str) -> Sentence:
    for sentence in sentences:
        if fragment in sentence.text:
            return sentence
    raise AssertionError(f"no sentence contains {fragment!r}: {[s.text for s in sentences]}")


def made(*parts: tuple[str, int, str | None, str]) -> list[Sentence]:
    """Sentences built by hand: (text, paragraph, section, zone), laid end to end."""
    sentences, cursor = [], 0
    for index, (text, paragraph, section, zone) in enumerate(parts):
        sentences.append(Sentence(index=index, start=cursor, end=cursor + len(text), text=text,
                                  paragraph=paragraph, section=section, zone=zone))
        cursor += len(text) + 2
    return sentences


# --------------------------------------------------------------- finding phrases in a string

@pytest.mark.parametrize(
    "text, phrase, kind, value, precision, role, part",
    [
        # explicit dates in the usual orders
        ("On 6 December 2024, rebels advanced.", "6 December 2024", "explicit", D(2024, 12, 6), "day", "event", None),
        ("It began on December 6, 2024 at dawn.", "December 6, 2024 at dawn", "explicit", D(2024, 12, 6), "day", "event", "morning"),
        ("Rebels entered Aleppo on Friday, November 29, 2024.", "Friday, November 29, 2024", "explicit", D(2024, 11, 29), "day", "event", None),
        ("Shelling resumed on 2024-12-06.", "2024-12-06", "explicit", D(2024, 12, 6), "day", "event", None),
        ("Fighting on Dec. 6 near Hama.", "Dec. 6", "partial", None, "day", "event", None),
        ("Clashes on 6 Dec killed four.", "6 Dec", "partial", None, "day", "event", None),
        ("On the 6th of December rebels entered Rastan.", "the 6th of December", "partial", None, "day", "event", None),
        ("It happened on 5 December.", "5 December", "partial", None, "day", "event", None),
        # ranges: the first day
        ("Rebels advanced between 5 and 8 December 2024.", "5 and 8 December 2024", "range", D(2024, 12, 5), "day", "event", None),
        ("Fighting raged on 5–8 December 2024.", "5–8 December 2024", "range", D(2024, 12, 5), "day", "event", None),
        ("Fighting raged December 5–8, 2024.", "December 5–8, 2024", "range", D(2024, 12, 5), "day", "event", None),
        ("Talks ran 30 November – 2 December 2024.", "30 November – 2 December 2024", "range", D(2024, 11, 30), "day", "event", None),
        ("A timeline from August to December 2015.", "August to December 2015", "range", D(2015, 8, 1), "month", "event", None),
        # part of day
        ("It fell on the night of 7/8 December.", "the night of 7/8 December", "range", None, "day", "event", "night"),
        ("By the early morning of 8 December 2024, it fell.", "the early morning of 8 December 2024", "explicit", D(2024, 12, 8), "day", "event", "morning"),
        ("Reinforcements came on the night of 7 December 2024.", "the night of 7 December 2024", "explicit", D(2024, 12, 7), "day", "event", "night"),
        # months, years, seasons
        ("The army retook the pocket in July 2018.", "July 2018", "explicit", D(2018, 7, 1), "month", "event", None),
        ("In early December, rebels moved south.", "early December", "partial", None, "month", "event", None),
        ("The town fell to rebels in 2012.", "2012", "explicit", D(2012, 1, 1), "year", "event", None),
        ("In mid-2015, the army lost Palmyra.", "mid-2015", "explicit", D(2015, 5, 1), "year", "event", None),
        ("Fighting intensified in late 2016.", "late 2016", "explicit", D(2016, 9, 1), "year", "event", None),
        ("Shelling hit the town in the summer of 2013.", "summer of 2013", "explicit", D(2013, 6, 1), "month", "event", None),
        # weekdays, relative and deictic phrases wait for an anchor
        ("Rebels on Sunday seized Homs.", "Sunday", "weekday", None, "day", "event", None),
        ("Fighting raged late Monday near Hama.", "late Monday", "weekday", None, "day", "event", "evening"),
        ("Jets struck Ariha on Tuesday night.", "Tuesday night", "weekday", None, "day", "event", "night"),
        ("Two days later, the SDF counterattacked.", "Two days later", "relative", None, "day", "event", None),
        ("A week later, talks began.", "A week later", "relative", None, "week", "event", None),
        ("By night, rebels took the prison.", "By night", "relative", None, "day", "event", "night"),
        ("Rebels shelled the town yesterday.", "yesterday", "deictic", None, "day", "event", None),
        ("The base fell last week.", "last week", "deictic", None, "week", "event", None),
        # reference role: measured from, not dated by
        ("The town has been held by rebels since 2012.", "2012", "explicit", D(2012, 1, 1), "year", "reference", None),
        ("The first offensive since the March 2020 Idlib ceasefire.", "March 2020", "explicit", D(2020, 3, 1), "month", "reference", None),
        ("Rebels entered the city, as they did in 2016.", "2016", "explicit", D(2016, 1, 1), "year", "reference", None),
        ("The SAA struck Talbiseh for the first time in several years.", "for the first time in several years", "reference", None, None, "reference", None),
        ("The December 2024 offensive surprised many.", "December 2024", "explicit", D(2024, 12, 1), "month", "reference", None),
    ],
)
def test_find_time_expressions(text, phrase, kind, value, precision, role, part):
    found = find_time_expressions(text)
    assert found, text
    first = found[0]
    assert (first.text, first.kind, first.value, first.precision, first.role, first.part_of_day) == (
        phrase, kind, value, precision, role, part)
    assert text[first.start:first.end] == first.text


@pytest.mark.parametrize(
    "text",
    [
        "The 2024 Hama offensive was launched by HTS.",
        "It was part of the 2024 Syrian opposition offensive.",
        "The offensive is the largest since 31 February 2024.",  # impossible date: skipped whole
        "Hezbollah sent 2,000 fighters and 150 APCs.",
        "The army moved by 2000 fighters to the front.",
        "Troops may 5 times patrol the road.",
        "The 27th Division held the M5 highway.",
        "",
    ],
)
def test_not_time_expressions(text):
    assert find_time_expressions(text) == []


def test_offsets_are_shifted_into_the_document():
    [found] = find_time_expressions("x on 6 December 2024", offset=100)
    assert (found.start, found.end) == (105, 120)


def test_non_text_input_raises_our_error():
    with pytest.raises(FrontlinesError):
        find_time_expressions(None)  # type: ignore[arg-type]
    with pytest.raises(FrontlinesError):
        anchor_dates(dated("Rebels advanced."), published="2024-12-09")  # type: ignore[arg-type]


def test_odd_anchors_are_tolerated():
    [sentence] = dated("Rebels on Sunday seized Homs.", datetime(2024, 12, 9, 18, 30))
    assert sentence.date.value == D(2024, 12, 8)
    [sentence] = dated("Rebels seized Homs.", default_year=0)  # not a calendar year
    assert sentence.date.basis == "none"
    [sentence] = dated("Rebels on Sunday seized Homs.", D(1, 1, 1))  # no Sunday before it
    assert (sentence.times[0].value, sentence.date.basis) == (None, "published")


def test_a_name_is_not_a_month():
    assert find_time_expressions("Talks between Trump and May ended.") == []


# ----------------------------------------------- one sentence against publication/default year

@pytest.mark.parametrize(
    "text, published, default_year, value, precision, basis",
    [
        # news wire (AP/Reuters) against the publication date, a Monday
        ("Rebels on Sunday seized the central city of Homs, a war monitor said.", MON_9_DEC, None, D(2024, 12, 8), "day", "weekday"),
        ("Syrian rebels said late Saturday they had entered Homs.", MON_9_DEC, None, D(2024, 12, 7), "day", "weekday"),
        ("Government warplanes struck Idlib on Sunday evening, residents said.", MON_9_DEC, None, D(2024, 12, 8), "day", "weekday"),
        ("Rebels on Tuesday seized the town of Maarat al-Numan.", MON_9_DEC, None, D(2024, 12, 3), "day", "weekday"),
        ("Rebels said on Monday they had reached Damascus.", MON_9_DEC, None, D(2024, 12, 9), "day", "weekday"),
        ("DAMASCUS, Dec 9 (Reuters) - Syrian rebels declared on Sunday that they had taken Damascus.", MON_9_DEC, None, D(2024, 12, 8), "day", "weekday"),
        ("Clashes erupted today in Daraa province.", MON_9_DEC, None, D(2024, 12, 9), "day", "deictic"),
        ("Explosions were heard tonight in Damascus.", MON_9_DEC, None, D(2024, 12, 9), "day", "deictic"),
        ("Rebels shelled the airport this morning.", MON_9_DEC, None, D(2024, 12, 9), "day", "deictic"),
        ("Israeli jets struck army depots overnight, the monitor said.", MON_9_DEC, None, D(2024, 12, 9), "day", "relative"),
        ("The town was captured earlier this week.", D(2024, 12, 12), None, D(2024, 12, 9), "week", "deictic"),
        ("Rebels seized the air base last week.", MON_9_DEC, None, D(2024, 12, 2), "week", "deictic"),
        ("The army lost the town last month.", MON_9_DEC, None, D(2024, 11, 1), "month", "deictic"),
        ("The airport fell to rebels last year.", MON_9_DEC, None, D(2023, 1, 1), "year", "deictic"),
        ("Four days ago, rebels shelled the town.", MON_9_DEC, None, D(2024, 12, 5), "day", "deictic"),
        # monitor reports (SOHR style)
        ("SOHR activists documented 15 airstrikes by Russian warplanes yesterday on Idlib countryside.", THU_28_NOV, None, D(2024, 11, 27), "day", "deictic"),
        ("SOHR has documented the death of 12 fighters in the past 24 hours.", THU_28_NOV, None, D(2024, 11, 28), "day", "deictic"),
        # encyclopedia narrative
        ("On 6 December 2024, opposition forces captured Al-Rastan.", None, None, D(2024, 12, 6), "day", "explicit"),
        ("Rebels entered Rastan on the 6th of December.", None, 2024, D(2024, 12, 6), "day", "explicit"),
        ("The offensive ended on the night of 7/8 December.", None, 2024, D(2024, 12, 7), "day", "explicit"),
        ("Following the fall of Hama on 5 December 2024, rebels moved south.", None, None, D(2024, 12, 5), "day", "explicit"),
        ("The operation was launched following its capture of Hama on 5 December 2024 during the 2024 Hama offensive.", None, None, D(2024, 12, 5), "day", "explicit"),
        ("Two days after the fall of Hama on 5 December 2024, rebels reached Homs.", None, None, D(2024, 12, 7), "day", "relative"),
        ("Shortly after the capture of Hama on 5 December 2024, rebels advanced on Homs.", None, None, D(2024, 12, 5), "day", "relative"),
        # yearless dates: the latest year that keeps them on or before publication
        ("Fighting started on 5 December.", D(2025, 1, 10), None, D(2024, 12, 5), "day", "explicit"),
        ("In early December, rebels moved south.", MON_9_DEC, None, D(2024, 12, 1), "month", "explicit"),
        ("The town fell in May.", D(2025, 3, 1), None, D(2024, 5, 1), "month", "explicit"),
        ("The rebels advanced in December last year.", D(2025, 3, 1), None, D(2024, 12, 1), "month", "explicit"),
        ("The town fell last December.", D(2025, 3, 1), None, D(2024, 12, 1), "month", "explicit"),
        # months and years
        ("The army retook the northern Homs pocket in July 2018.", None, None, D(2018, 7, 1), "month", "explicit"),
        ("Fighting intensified in late 2016.", None, None, D(2016, 9, 1), "year", "explicit"),
        # nothing stated: publication date, else the default year, else nothing
        ("Rebels seized the city, the opposition said.", MON_9_DEC, None, D(2024, 12, 9), "day", "published"),
        ("The 2024 Homs offensive was a military operation.", None, 2024, D(2024, 1, 1), "year", "inherited"),
        ("Rebels seized the city, the opposition said.", None, None, None, None, "none"),
    ],
)
def test_sentence_date(text, published, default_year, value, precision, basis):
    sentence = dated(text, published, default_year)[-1]
    assert (sentence.date.value, sentence.date.precision, sentence.date.basis) == (value, precision, basis)


@pytest.mark.parametrize(
    "phrase, value, precision, part",
    [
        ("That day", D(2024, 12, 6), "day", None),
        ("The same day", D(2024, 12, 6), "day", None),
        ("Later that day", D(2024, 12, 6), "day", None),
        ("That night", D(2024, 12, 6), "day", "night"),
        ("By afternoon", D(2024, 12, 6), "day", "afternoon"),
        ("By the afternoon", D(2024, 12, 6), "day", "afternoon"),
        ("In the evening", D(2024, 12, 6), "day", "evening"),
        ("Overnight", D(2024, 12, 6), "day", "night"),
        ("Shortly after", D(2024, 12, 6), "day", None),
        ("Soon after", D(2024, 12, 6), "day", None),
        ("Hours later", D(2024, 12, 6), "day", None),
        ("Meanwhile", D(2024, 12, 6), "day", None),
        ("The next day", D(2024, 12, 7), "day", None),
        ("The following day", D(2024, 12, 7), "day", None),
        ("The following morning", D(2024, 12, 7), "day", "morning"),
        ("The day after", D(2024, 12, 7), "day", None),
        ("Two days later", D(2024, 12, 8), "day", None),
        ("A week later", D(2024, 12, 13), "week", None),
        ("Several days later", D(2024, 12, 9), "week", None),
        ("The previous day", D(2024, 12, 5), "day", None),
        ("A day earlier", D(2024, 12, 5), "day", None),
        ("Three days earlier", D(2024, 12, 3), "day", None),
    ],
)
def test_relative_phrases_against_the_narrative_date(phrase, value, precision, part):
    sentence = dated(f"On 6 December 2024, rebels captured Rastan. {phrase}, jets struck Talbiseh.")[-1]
    assert (sentence.date.value, sentence.date.precision, sentence.date.basis) == (value, precision, "relative")
    assert sentence.date.expression is not None and sentence.date.expression.part_of_day == part
    assert sentence.date.expression is sentence.times[0]


@pytest.mark.parametrize(
    "text",
    [
        "The town has been held by rebels since 2012.",
        "This marked the first major offensive since the March 2020 Idlib ceasefire.",
        "The army struck Talbiseh for the first time in several years.",
        "Rebels entered the city, as they did in 2016.",
        "The 2024 Hama offensive ended in victory for the rebels.",
        "It was the deadliest day since 21 August 2013, monitors said.",
    ],
)
def test_reference_phrases_do_not_date_a_sentence(text):
    sentences = dated("On 27 November 2024, rebels launched an offensive on Aleppo. " + text)
    last = sentences[-1]
    assert all(t.role == "reference" for t in last.times)
    assert (last.date.value, last.date.basis) == (D(2024, 11, 27), "inherited")


# ------------------------------------------------------------------- narratives, in context

ENCYCLOPEDIA = """\
On 6 December 2024, opposition forces captured Rastan and Talbiseh. Meanwhile, government forces withdrew from several towns north of the city. By the afternoon, loyalist forces had reportedly left Homs. Airstrikes on the eastern suburbs killed 20 civilians.

That day, Israeli airstrikes targeted two border crossings with Lebanon.

On 7 December 2024, rebels reached the outskirts of Homs city. By night, rebels took over the central prison, releasing hundreds of detainees.

In a separate event, the Revolutionary Commando Army advanced in the eastern desert. The rebels captured Palmyra and Al-Sukhnah.

By the early morning of 8 December 2024, the rebels declared that they had captured Homs. Shortly after, Israeli jets struck a convoy at the border.
"""

NEWS_WITH_ASIDE = """\
Rebels on Sunday seized the city of Homs after a week of fighting, the opposition said.

On 5 March 2020, Russia and Turkey agreed a ceasefire in Idlib that held for four years.

Residents celebrated in the streets of the old city as fighters fired into the air.

The next day, rebels entered the suburbs of Damascus from the south.
"""

NEWS_WITH_YEAR_ASIDE = """\
Rebels on Sunday seized the city of Homs, the opposition said.

The city was the scene of a long siege by government forces that ended in 2014.

Residents celebrated in the streets of the old city as fighters fired into the air.
"""

YEAR_ROLLOVER = """\
On 28 December 2024, clashes erupted near Manbij between the SNA and the SDF.

On 2 January, the SNA shelled the Tishreen Dam. Two days later, the SDF counterattacked near the dam. A week later, talks began in Damascus.
"""

SECTIONS = """\
The offensive began on 27 November 2024 with an attack on the western Aleppo countryside.

Background

In July 2018, government forces retook the northern Homs pocket after a long siege. Rebels who refused the deal were evacuated to Idlib.

Offensive

Rebels captured Aleppo on 30 November after government forces collapsed. The next day they advanced on Hama from the north.
"""

SOHR = """\
SOHR activists documented 15 airstrikes by Russian warplanes yesterday on Idlib countryside. Regime forces shelled Kafr Nabl in the evening. Meanwhile, clashes continued on the Latakia front.
"""

WEEKDAY_SEQUENCE = """\
Syrian rebels launched a surprise attack on Wednesday west of Aleppo. By Thursday, they had seized 20 villages in the countryside. On Friday they entered the city itself.
"""

WEEKDAY_WITHOUT_PUBLICATION = """\
Rebels captured Aleppo on 30 November 2024 after the army collapsed. On Tuesday, they reached the outskirts of Hama.
"""

RELATIVE_CHAIN = """\
On 8 December 2024, President Assad fled to Moscow. The previous day, rebels had entered Homs from the north. Later that day, crowds gathered in Umayyad Square. The following morning, the new authorities imposed a curfew. Hours later, the curfew was lifted.
"""

BACKWARD_YEAR = """\
On 5 January 2025, talks opened in Damascus between the new authorities and the SDF. The talks followed fighting that ended on 28 December near the dam.
"""


@pytest.mark.parametrize(
    "text, published, fragment, value, basis",
    [
        # encyclopedia narrative: relative phrases and inheritance within and across paragraphs
        (ENCYCLOPEDIA, None, "Meanwhile, government forces", D(2024, 12, 6), "relative"),
        (ENCYCLOPEDIA, None, "By the afternoon", D(2024, 12, 6), "relative"),
        (ENCYCLOPEDIA, None, "Airstrikes on the eastern suburbs", D(2024, 12, 6), "inherited"),
        (ENCYCLOPEDIA, None, "That day, Israeli airstrikes", D(2024, 12, 6), "relative"),
        (ENCYCLOPEDIA, None, "By night, rebels took over", D(2024, 12, 7), "relative"),
        (ENCYCLOPEDIA, None, "In a separate event", D(2024, 12, 7), "inherited"),
        (ENCYCLOPEDIA, None, "The rebels captured Palmyra", D(2024, 12, 7), "inherited"),
        (ENCYCLOPEDIA, None, "By the early morning", D(2024, 12, 8), "explicit"),
        (ENCYCLOPEDIA, None, "Shortly after, Israeli jets", D(2024, 12, 8), "relative"),
        # a dated aside does not leak into the next paragraph
        (NEWS_WITH_ASIDE, MON_9_DEC, "Russia and Turkey agreed", D(2020, 3, 5), "explicit"),
        (NEWS_WITH_ASIDE, MON_9_DEC, "Residents celebrated", D(2024, 12, 8), "inherited"),
        (NEWS_WITH_ASIDE, MON_9_DEC, "The next day, rebels entered", D(2024, 12, 9), "relative"),
        (NEWS_WITH_YEAR_ASIDE, MON_9_DEC, "long siege", D(2014, 1, 1), "explicit"),
        (NEWS_WITH_YEAR_ASIDE, MON_9_DEC, "Residents celebrated", D(2024, 12, 8), "inherited"),
        # the year rolls over with the narrative, forwards and backwards
        (YEAR_ROLLOVER, None, "On 2 January", D(2025, 1, 2), "explicit"),
        (YEAR_ROLLOVER, None, "Two days later", D(2025, 1, 4), "relative"),
        (YEAR_ROLLOVER, None, "A week later", D(2025, 1, 11), "relative"),
        (BACKWARD_YEAR, None, "ended on 28 December", D(2024, 12, 28), "explicit"),
        # a background section keeps its own date; the story's year comes back after it
        (SECTIONS, None, "Rebels who refused", D(2018, 7, 1), "inherited"),
        (SECTIONS, None, "Rebels captured Aleppo", D(2024, 11, 30), "explicit"),
        (SECTIONS, None, "The next day they advanced", D(2024, 12, 1), "relative"),
        # monitor report against its publication date
        (SOHR, THU_28_NOV, "SOHR activists", D(2024, 11, 27), "deictic"),
        (SOHR, THU_28_NOV, "in the evening", D(2024, 11, 27), "relative"),
        (SOHR, THU_28_NOV, "Meanwhile, clashes", D(2024, 11, 27), "relative"),
        # weekdays: against publication, or the next one after the narrative date
        (WEEKDAY_SEQUENCE, SAT_30_NOV, "surprise attack on Wednesday", D(2024, 11, 27), "weekday"),
        (WEEKDAY_SEQUENCE, SAT_30_NOV, "By Thursday", D(2024, 11, 28), "weekday"),
        (WEEKDAY_SEQUENCE, SAT_30_NOV, "On Friday", D(2024, 11, 29), "weekday"),
        (WEEKDAY_WITHOUT_PUBLICATION, None, "On Tuesday", D(2024, 12, 3), "weekday"),
        # relative chains
        (RELATIVE_CHAIN, None, "The previous day", D(2024, 12, 7), "relative"),
        (RELATIVE_CHAIN, None, "Later that day", D(2024, 12, 7), "relative"),
        (RELATIVE_CHAIN, None, "The following morning", D(2024, 12, 8), "relative"),
        (RELATIVE_CHAIN, None, "Hours later", D(2024, 12, 8), "relative"),
    ],
)
def test_narrative_context(text, published, fragment, value, basis):
    sentence = sentence_with(dated(text, published), fragment)
    assert (sentence.date.value, sentence.date.basis) == (value, basis)


def test_precision_and_part_of_day_travel_with_the_date():
    sentences = dated(YEAR_ROLLOVER + "\n" + ENCYCLOPEDIA)
    assert sentence_with(sentences, "A week later").date.precision == "week"
    afternoon = sentence_with(sentences, "By the afternoon").date.expression
    assert afternoon is not None and afternoon.part_of_day == "afternoon"


def test_times_carry_document_offsets():
    sentences = dated(ENCYCLOPEDIA)
    for sentence in sentences:
        for time_ in sentence.times:
            assert ENCYCLOPEDIA[time_.start:time_.end] == time_.text


def test_confidence_drops_with_distance():
    sentences = dated(SECTIONS.replace("Rebels captured Aleppo on 30 November after",
                                       "Rebels captured Aleppo after"))
    stated = sentence_with(sentences, "In July 2018").date
    same_paragraph = sentence_with(sentences, "Rebels who refused").date
    assert stated.confidence > same_paragraph.confidence
    across_heading = sentence_with(sentences, "Rebels captured Aleppo").date
    assert across_heading.basis == "inherited"
    assert across_heading.confidence < same_paragraph.confidence


def test_non_narrative_sentences_keep_their_dates_to_themselves():
    sentences = made(
        ("On 6 December 2024, rebels captured Rastan.", 0, None, ZONE_BODY),
        ("Date 5 December 2018 – 8 December 2018", 1, None, ZONE_INFOBOX),
        ("That day, Israeli jets struck the border crossings.", 2, None, ZONE_BODY),
        ("Retrieved 9 January 2025.", 3, "References", ZONE_REFERENCES),
        ("Airstrikes killed 20 civilians in the suburbs.", 4, None, ZONE_BODY),
        ("The army launched the operation on 4 April 2013.", 5, None, ZONE_RELATED),
        ("Rebels surrendered the pocket on 2 May.", 5, None, ZONE_RELATED),
        ("It was a decisive battle.", 5, None, ZONE_RELATED),
    )
    anchor_dates(sentences)
    values = [s.date.value for s in sentences]
    assert values == [D(2024, 12, 6), D(2018, 12, 5), D(2024, 12, 6), D(2025, 1, 9),
                      D(2024, 12, 6), D(2013, 4, 4), D(2013, 5, 2), None]
    assert sentences[-1].date.basis == "none"


# --------------------------------------------------- years that hold, relative phrases

FRI_20_OCT = date(2023, 10, 20)

# A news story whose background years must not become the running year.
BACKGROUND_YEARS = """\
Rebels said on Wednesday they had taken the hill town of Kafr Anbar after two days of fighting.

Held by the army from 2015 until March 2023, the district has changed hands twice since then. On 4 October, rebels took Tell Salma and Deir Hafir.

Fighters also control the crossing at Jisr al-Wadi since the army abandoned it in 2017. Rebels captured the nearby mill as well.

The town was the scene of a long siege that ended in 2012. The siege is remembered as the hardest of the war. Residents fled to the coast.
"""

# An encyclopedia narrative running from one autumn into the next year, with a flashback.
TWO_YEARS = """\
The siege of Tell Hamra began on 12 September 2016, when the brigade cut the road to the coast.

On 20 October, the brigade took the ridge above the town. On 14 November, its artillery reached the market.

On 2 January, rebels broke into the eastern quarter. Two days later, they held the mosque. Militias that had seized the grain silos on 2 March were driven out on 11 January.

On 20 January, the last defenders surrendered the citadel.
"""


@pytest.mark.parametrize(
    "fragment, value, precision",
    [
        ("Rebels said on Wednesday", D(2023, 10, 18), "day"),
        # a period of years is a state, not the time of what the sentence reports
        ("Held by the army from 2015", D(2023, 10, 18), "day"),
        ("On 4 October, rebels took", D(2023, 10, 4), "day"),
        # a since-clause dates its own clause, but the story goes on from its own date
        ("since the army abandoned it", D(2017, 1, 1), "year"),
        ("Rebels captured the nearby mill", D(2023, 10, 4), "day"),
        # a sentence in the present after a background year speaks from the story's time
        ("ended in 2012", D(2012, 1, 1), "year"),
    ],
)
def test_background_years_do_not_become_the_running_year(fragment, value, precision):
    sentence = sentence_with(dated(BACKGROUND_YEARS, FRI_20_OCT), fragment)
    assert (sentence.date.value, sentence.date.precision) == (value, precision)


def test_a_present_sentence_leaves_a_background_year():
    sentences = segment(Document(text=BACKGROUND_YEARS))
    present = {s.index for s in sentences if "is remembered" in s.text}
    anchor_dates(sentences, published=FRI_20_OCT, present=lambda s: s.index in present)
    assert sentence_with(sentences, "is remembered").date.value == D(2023, 10, 4)
    without = dated(BACKGROUND_YEARS, FRI_20_OCT)  # no parse: the paragraph keeps its year
    assert sentence_with(without, "is remembered").date.value == D(2012, 1, 1)


@pytest.mark.parametrize(
    "fragment, value",
    [
        ("On 20 October, the brigade", D(2016, 10, 20)),
        ("On 2 January, rebels", D(2017, 1, 2)),
        ("Two days later, they held", D(2017, 1, 4)),
        # the main clause dates the sentence, not the flashback inside it (see below)
        ("had seized the grain silos", D(2017, 1, 11)),
        ("On 20 January, the last", D(2017, 1, 20)),
    ],
)
def test_a_long_article_spanning_two_years(fragment, value):
    sentence = sentence_with(dated(TWO_YEARS), fragment)
    assert sentence.date.value == value


def test_the_flashback_date_is_the_one_in_its_clause():
    """Told as past already ("had seized ... on 2 March"): the March before, not the next."""
    sentence = sentence_with(dated(TWO_YEARS), "had seized the grain silos")
    assert [t.value for t in sentence.times] == [D(2016, 3, 2), D(2017, 1, 11)]


@pytest.mark.parametrize(
    "text, published, fragment, value, precision",
    [
        ("The militia seized the bridge over a week ago, residents said.", FRI_20_OCT,
         "over a week ago", D(2023, 10, 12), "month"),
        ("The army took the pass nearly two weeks ago.", FRI_20_OCT, "nearly two weeks", D(2023, 10, 6), "month"),
        ("The town fell late last month, officials said.", FRI_20_OCT, "late last month", D(2023, 9, 21), "month"),
        ("Earlier this year, the army lost the ridge.", FRI_20_OCT, "Earlier this year", D(2023, 1, 1), "month"),
        ("Fighting flared in mid-October around the dam.", FRI_20_OCT, "mid-October", D(2023, 10, 11), "month"),
        ("The district changed hands this summer.", FRI_20_OCT, "this summer", D(2023, 6, 1), "month"),
        ("Rebels attacked the depot on Monday.", FRI_20_OCT, "Monday", D(2023, 10, 16), "day"),
        ("Officials will meet the elders on Tuesday.", FRI_20_OCT, "Tuesday", D(2023, 10, 24), "day"),
        ("Jets struck the market overnight.", FRI_20_OCT, "overnight", D(2023, 10, 20), "day"),
        # a date that would fall after publication is the one a year before
        ("On 3 October 2023, the militia attacked. On 2 December, the militia took the dam.",
         FRI_20_OCT, "On 2 December", D(2022, 12, 2), "day"),
        # "after two days of shelling" is how long, not when
        ("On 16 October 2023, rebels took the dam after two days of shelling.", FRI_20_OCT,
         "rebels took the dam", D(2023, 10, 16), "day"),
        # a shift counted from the narrative stops at the publication date
        ("On 18 October 2023, rebels took the dam. A week later, they took the mill.", FRI_20_OCT,
         "A week later", D(2023, 10, 20), "week"),
    ],
)
def test_phrases_against_the_publication_date(text, published, fragment, value, precision):
    sentence = sentence_with(dated(text, published), fragment)
    assert (sentence.date.value, sentence.date.precision) == (value, precision)


@pytest.mark.parametrize(
    "text, fragment, value",
    [
        # measured from the start of the operation, told before or after
        ("The brigade launched the counteroffensive on 4 June 2023. Forty days into the "
         "counteroffensive, troops entered Kamenka.", "Forty days", D(2023, 7, 14)),
        ("Forty days into the counteroffensive, troops entered Kamenka. The brigade launched the "
         "counteroffensive on 4 June 2023.", "Forty days", D(2023, 7, 14)),
        ("The offensive began on 4 June 2023. Earlier in the operation, rebels took Kamenka. "
         "On 9 June 2023 they took Orikhiv.", "Earlier in the operation", D(2023, 6, 4)),
        # measured from the event the narrative last dated
        ("The army captured the city on 2 October 2023. Days after capturing the city, troops "
         "moved on Tell Hamra.", "Days after", D(2023, 10, 4)),
        # a day of the narrative's month
        ("Rebels advanced through early October 2023. By the 11th, they controlled the plain.",
         "By the 11th", D(2023, 10, 11)),
        ("Rebels advanced in October 2023. The village was shelled on the night of 7/8.",
         "the night of 7/8", D(2023, 10, 7)),
        ("The army retreated on 3 October 2023. The previous week had been calm.",
         "The previous week", D(2023, 9, 25)),
    ],
)
def test_relative_phrases_measured_from_the_right_point(text, fragment, value):
    sentence = sentence_with(dated(text), fragment)
    assert sentence.date.value == value


def test_an_offensive_with_no_start_told_gives_no_date_from_it():
    sentence = dated("Forty days into the counteroffensive, troops entered Kamenka.")[0]
    assert sentence.times[0].value is None and sentence.date.basis == "none"


def test_an_undated_opening_takes_the_first_month_told():
    sentences = dated("The offensive opened with raids on the hill villages. Fighting spread to the "
                      "capital.\n\nOn 4 July 2024, the army retook the capital.")
    assert [(s.date.value, s.date.precision) for s in sentences] == [
        (D(2024, 7, 1), "month"), (D(2024, 7, 1), "month"), (D(2024, 7, 4), "day")]


def test_weekdays_without_a_publication_date_take_the_nearest_to_the_narrative():
    sentences = dated("A photograph shows the square on June 5, 2013.\n\nTroops pressed on on Friday. "
                      "Following Wednesday's capture of the town, they turned north.")
    assert sentence_with(sentences, "pressed on").date.value == D(2013, 6, 7)
    assert sentence_with(sentences, "Wednesday's capture").date.value == D(2013, 6, 5)


# ------------------------------------------------------------------ the development article

@pytest.mark.skipif(not DEV_ARTICLE.exists(), reason="development article not available")
@pytest.mark.parametrize(
    "fragment, value",
    [
        ("Government forces called an airstrike against the Al-Rastan bridge", D(2024, 12, 6)),
        ("By night, rebels took over Homs Central Prison", D(2024, 12, 7)),
        ("That day, Israeli airstrikes targeted", D(2024, 12, 6)),
        ("The rebels captured Palmyra", D(2024, 12, 7)),
        ("By the early morning of 8 December 2024", D(2024, 12, 8)),
        ("Following the fall of Hama on 5 December 2024", D(2024, 12, 5)),
        ("Local militant groups captured the engineering battalion", D(2024, 12, 5)),
        ("moved \"large reinforcements\" near Homs city that day", D(2024, 12, 6)),
        ("This marked the first major offensive", D(2024, 11, 27)),
        ("The offensive ended in the city being captured", D(2024, 12, 7)),
    ],
)
def test_development_article(fragment, value):
    text = DEV_ARTICLE.read_text(encoding="utf-8")
    sentences = segment(Document(text=text))
    anchor_dates(sentences, default_year=2024)
    narrative = [s for s in sentences if s.narrative]
    assert sentence_with(narrative, fragment).date.value == value


# ------------------------------------------------------------------------- robustness, speed

FRAGMENTS = st.sampled_from(
    ["On 6 December 2024, ", "rebels captured ", "Homs", ". ", "\n\n", "the night of 7/8 December",
     "that day", "By night, ", "31 February 2024", "Tuesday", "yesterday", "2024-13-45", "—",
     "since 2012", "a week later", "in mid-", "December", "29 February 2023", "9999", "0 May",
     "the 32nd", "on the 31st", "Sunday, ", "last ", "early ", "of ", "1/2/3", "–", " 12 "]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=60).map("".join), st.sampled_from([None, MON_9_DEC, D(2024, 3, 1)]))
def test_never_raises(text, published):
    sentences = dated(text, published, default_year=2024)
    for sentence in sentences:
        assert sentence.date is not None
        for time_ in sentence.times:
            assert text[time_.start:time_.end] == time_.text


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_raises(text):
    for found in find_time_expressions(text):
        assert text[found.start:found.end] == found.text



# ----------------------------------------------------------------- tense from the parse

@pytest.mark.parametrize(
    "text, present",
    [
        ("The evacuation is considered a victory for the army.", True),
        ("The fighting has claimed hundreds of lives.", True),
        ("Rebels hold the northern districts.", True),
        ("The army will hold the bridge.", True),
        ("The army retook the bridge in 2016.", False),
        ("The town had been besieged for months.", False),
        ("Rebels who refused the deal were evacuated to the north.", False),
        ("The militia has announced that it took the camp.", True),
        ("Rebels have also taken the airbase, the monitor said.", True),
        ("\u201cThere are heavy clashes,\u201d the commander told reporters.", False),
    ],
)
def test_present_tense_from_the_parse(text, present):
    from frontlines.nlp import parse
    from frontlines.text.anchoring import is_present_tense

    [doc] = parse([text])
    assert is_present_tense(doc, text) is present


def test_the_pipeline_reads_tense_from_the_parse():
    import frontlines

    text = ("Rebels on Monday seized the town of Saraqib, a monitor said.\n\n"
            "The town was held by the army from 2016 onwards, after it fell in 2016. "
            "The capture is seen as a turning point.\n\n"
            "Rebels have also taken the nearby airbase, the monitor said.\n")
    analysis = frontlines.extract(text, published=D(2024, 12, 4))
    assert sentence_with(analysis.sentences, "is seen as").date.value == D(2024, 12, 2)
    assert sentence_with(analysis.sentences, "have also taken").date.value == D(2024, 12, 4)


# --- phrasings that dated found places wrongly on real documents (sentences of our own) -----

SAT_11_JAN = date(2025, 1, 11)  # a Saturday


@pytest.mark.parametrize(
    ("text", "value", "part"),
    [
        # a bare part of the day beside the day it belongs to is that day's, not the narrative's
        ("On 2 January rebels advanced. Militias took the hill at dawn on Monday.", D(2025, 1, 6), "morning"),
        ("On 2 January rebels advanced. Militias took the hill at midnight yesterday.", D(2025, 1, 10), "night"),
        ("On 2 January rebels advanced. Militias took the hill overnight Thursday.", D(2025, 1, 9), "night"),
        ("On 2 January rebels advanced. Militias, on 4 January, in the morning, took the hill.", D(2025, 1, 4),
         "morning"),
    ],
)
def test_a_part_of_the_day_joins_the_day_beside_it(text, value, part):
    sentence = sentence_with(dated(text, SAT_11_JAN), "Militias")
    assert sentence.date.value == value and sentence.date.precision == "day"
    assert sentence.date.expression.part_of_day == part


@pytest.mark.parametrize(
    ("phrase", "value", "precision"),
    [
        ("in recent months", D(2024, 11, 1), "month"),
        ("over the past few weeks", D(2024, 12, 28), "month"),
        ("in recent days", D(2025, 1, 9), "week"),
    ],
)
def test_recent_spans_reach_back_a_couple_of_units_and_leave_the_story_where_it_was(phrase, value, precision):
    text = f"The army said on Friday it had entered the port. It has shelled the valley {phrase}. Troops took the bridge."
    sentences = dated(text, SAT_11_JAN)
    assert (sentence_with(sentences, "shelled").date.value, sentence_with(sentences, "shelled").date.precision) \
        == (value, precision)
    assert sentence_with(sentences, "Troops took").date.value == D(2025, 1, 10)  # still Friday
    # "months after" inside "in recent months after ..." is no shift from the narrative
    (only,) = sentence_with(dated(f"It stepped up its raids {phrase} after retaking the valley.", SAT_11_JAN),
                            "raids").times
    assert only.text == phrase


def test_a_relative_clause_on_a_name_does_not_date_the_sentence():
    text = ("On 3 January rebels advanced on the ridge. The fight for the ridge was fierce, recalling the assault "
            "on Tell Hamra, which they captured last May. Troops said armed men entered the ridge after an attack "
            "that began two days earlier.")
    sentences = dated(text, SAT_11_JAN)
    recalling = sentence_with(sentences, "recalling")
    assert recalling.date.value == D(2025, 1, 3) and recalling.date.basis == "inherited"
    (may,) = recalling.times
    assert may.value == D(2024, 5, 1)  # the clause keeps its own date for what it tells
    # a clause on a common noun dates the sentence when nothing else does
    assert sentence_with(sentences, "two days earlier").date.value == D(2025, 1, 1)
    # ... and a later date in the sentence is the main clause's again
    later = dated("Militias that had seized the silos on 2 March were driven out on 11 April 2024.")
    assert later[0].date.value == D(2024, 4, 11)


def test_a_span_waged_up_to_now_starts_that_long_before():
    text = ("Troops have waged a fierce three-week assault on the east of the city, a rebel bastion since 2012. "
            "Residents fled west.")
    sentences = dated(text, date(2016, 12, 6))
    assault = sentence_with(sentences, "assault")
    assert (assault.date.value, assault.date.precision) == (D(2016, 11, 15), "week")
    assert sentence_with(sentences, "Residents").date.value == D(2016, 12, 6)


def test_the_outbreak_told_again_takes_the_start_the_text_gave():
    text = ("The army said on Monday it had retaken the port.\n\n"
            "The militia had held the port and the old town since the war began in May 2021.\n\n"
            "Aid groups hope to reach the town.\n\n"
            "The war erupted when the two forces fell out. Their battles around the port spread quickly.")
    sentences = dated(text, date(2025, 3, 26))
    for fragment in ("The war erupted", "Their battles"):
        told = sentence_with(sentences, fragment).date
        assert (told.value, told.precision) == (D(2021, 5, 1), "month"), fragment
    assert sentence_with(sentences, "retaken").date.value == D(2025, 3, 24)


@pytest.mark.parametrize("published, expected", [
    (date(2024, 12, 9), "2024-12-07"),  # a Monday: the weekend just gone
    (date(2024, 12, 6), "2024-11-30"),  # a Friday: the last weekend
    (date(2024, 12, 7), "2024-12-07"),  # a Saturday: today
])
def test_over_the_weekend_is_the_saturday_before_publication(published, expected):
    from frontlines.pipeline import extract

    analysis = extract("Rebels captured Salqin over the weekend.", published=published)
    assert [c["date"] for c in analysis.control_changes] == [expected]
