"""The HTML and wikitext readers on their fixtures, dispatch to them, and their robustness."""

from __future__ import annotations

import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontlines.errors import FrontlinesError, InputError
from frontlines.ingest import detect_format, read_document
from frontlines.ingest import html as html_module
from frontlines.ingest.html import read_html
from frontlines.ingest.wikitext import iso_date, read_wikitext
from frontlines.model import Document
from frontlines.text.sentences import segment

DATA = Path(__file__).parent / "data" / "readers"


def markers_after(doc: Document, phrase: str) -> list[int]:
    """The footnote numbers right after `phrase` in the document text."""
    index = doc.text.index(phrase) + len(phrase)
    run = re.match(r"(?:\s*\[\d+\])*", doc.text[index:]).group(0)
    return [int(n) for n in re.findall(r"\d+", run)]


def zone_texts(doc: Document, kind: str) -> list[str]:
    return [doc.text[z.start:z.end] for z in doc.zones if z.kind == kind]


@pytest.fixture(params=["auto", "lxml"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run HTML tests with trafilatura (when importable) and with the plain lxml extractor."""
    if request.param == "lxml":
        monkeypatch.setattr(html_module, "_trafilatura", lambda: None)
    return request.param


@pytest.fixture
def news(backend: str) -> Document:
    return read_document(DATA / "news.html")


@pytest.fixture
def wiki_page(backend: str) -> Document:
    return read_document(DATA / "wiki_mirror.html")


@pytest.fixture(scope="module")
def wiki() -> Document:
    return read_document(DATA / "offensive.wiki")


# --- HTML: a news article ----------------------------------------------------------------


def test_news_metadata(news: Document) -> None:
    assert news.format == "html"
    assert news.title == "Rebels push into Hama countryside as front collapses"
    assert news.url == "https://levantdaily.example/world/2024/12/05/rebels-push-hama"
    assert news.published == date(2024, 12, 5)


def test_news_text_keeps_the_story(news: Document) -> None:
    paragraphs = news.text.split("\n\n")
    assert paragraphs[0].startswith("Opposition fighters advanced into the northern countryside")
    assert any(p.startswith("The rebels said they had captured the town of Souran") for p in paragraphs)
    assert "Pressure on the city" in paragraphs
    assert paragraphs[-1].endswith("moved south along the M5 highway.")
    assert 'had "redeployed" its forces' in news.text


@pytest.mark.parametrize(
    "boilerplate",
    [
        "cookies", "Accept all", "Politics", "Opinion", "Middle East", "Share on Facebook",
        "Email this story", "By Rana Haddad", "Photograph:", "Aleppo falls to opposition",
        "Related", "Sign up for our free newsletter", "Middle East briefing", "All rights reserved",
        "Privacy policy", "dataLayer", "position: fixed",
    ],
)
def test_news_text_drops_boilerplate(news: Document, boilerplate: str) -> None:
    assert boilerplate not in news.text


def test_news_heading_is_a_zone_and_title_is_not_repeated(news: Document) -> None:
    headings = [z for z in news.zones if z.kind == "heading"]
    assert [(news.text[z.start:z.end], z.label) for z in headings] == [("Pressure on the city",) * 2]
    assert not news.text.startswith(news.title)


JSON_LD = (
    '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, {"@type": '
    '"NewsArticle", "datePublished": "2024-12-01T10:00:00Z"}]}</script>'
)
TIME = '<p>Updated <time itemprop="datePublished" datetime="2024-11-29">Friday</time></p>'


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (JSON_LD, "", date(2024, 12, 1)),
        ('<meta itemprop="datePublished" content="2024-11-30">', "", date(2024, 11, 30)),
        ("", TIME, date(2024, 11, 29)),
    ],
)
def test_published_date_sources(head: str, body: str, expected: date) -> None:
    doc = read_html(
        f"<html><head>{head}</head><body><article><p>Rebels entered Hama.</p>{body}"
        "</article></body></html>"
    )
    assert doc.published == expected


def test_no_date_is_guessed_from_the_text() -> None:
    doc = read_html("<html><body><p>On 3 December 2024 the rebels took Souran.</p></body></html>")
    assert doc.published is None


def test_tiny_page_falls_back_to_body_text(backend: str) -> None:
    doc = read_html("<html><body><p>Rebels took Hama.</p></body></html>")
    assert doc.text == "Rebels took Hama."


# --- HTML: a Wikipedia mirror ------------------------------------------------------------


def test_wiki_page_metadata(wiki_page: Document) -> None:
    assert wiki_page.title == "2024 northern Hama offensive"
    assert wiki_page.url == "https://en.wikimirror.example/wiki/2024_northern_Hama_offensive"
    assert wiki_page.published is None  # no declared date; "Retrieved ..." and "last edited" are not it


def test_wiki_page_markers_point_to_the_right_references(wiki_page: Document) -> None:
    assert markers_after(wiki_page, "in the north of Hama Governorate on 27 November 2024.") == [1]
    assert markers_after(wiki_page, "reached the outskirts of Hama.") == [2]
    assert markers_after(wiki_page, "held by conscript units.") == [3]
    assert markers_after(wiki_page, "hills of Jabal Zayn al-Abidin.") == [2]  # a named ref used again
    assert markers_after(wiki_page, "Government forces withdrew from Hama on 5 December.") == [4]
    assert "[a]" not in wiki_page.text  # a lettered note is not a reference


def test_wiki_page_references(wiki_page: Document) -> None:
    refs = wiki_page.references
    assert sorted(refs) == [1, 2, 3, 4]
    first = refs[1]
    assert first.title == "Rebels launch surprise offensive in northwest Syria"
    assert first.publisher == "Northern Wire"
    assert first.date == "2024-11-27"
    assert first.url == "https://northernwire.example/2024/11/27/offensive-begins"
    assert (refs[2].title, refs[2].publisher, refs[2].date) == (
        "Fighting reaches the outskirts of Hama", "Levant Monitor", "2024-12-03")
    assert refs[3].title == "Conscripts hold the line north of Hama"
    assert refs[3].url == "https://levantdaily.example/world/2024/12/02/hama-lines"
    assert refs[4].publisher == "Mideast Agency"
    assert all("^" not in ref.text and "Some sources" not in ref.text for ref in refs.values())


def test_mirror_without_reference_markup() -> None:
    """A mirror that kept "[1]" as text and lost the list's class: the list under "References"."""
    doc = read_html(
        "<html><body><h1>Battle</h1><p>Rebels took Hama.[1] The army left.[2]</p>"
        '<div class="mw-heading"><h2>References</h2></div><ol>'
        '<li><a href="https://wire.example/x">"Rebels take Hama"</a>. <i>Wire</i>. 5 December 2024.</li>'
        "<li>Monitor report, 6 December 2024.</li></ol></body></html>"
    )
    assert markers_after(doc, "Rebels took Hama.") == [1]
    assert (doc.references[1].title, doc.references[1].publisher, doc.references[1].url) == (
        "Rebels take Hama", "Wire", "https://wire.example/x")
    assert doc.references[2].date == "2024-12-06"
    assert "Monitor report" not in doc.text


@pytest.mark.parametrize(
    "chrome",
    [
        "WikiMirror", "Random article", "Jump to content", "From Wikipedia", "Military operation in Syria",
        "For the earlier campaign", "Contents", "edit", "citation needed", "Situation map",
        "Timeline · Battles", "Categories", "last edited", "Creative Commons", "Some sources date",
        "Rebels launch surprise offensive", "Retrieved", "Killed",
    ],
)
def test_wiki_page_drops_chrome(wiki_page: Document, chrome: str) -> None:
    assert chrome not in wiki_page.text


def test_wiki_page_infobox_and_headings(wiki_page: Document) -> None:
    box = wiki_page.infobox
    assert box["name"] == "2024 northern Hama offensive"
    assert box["Date"] == "27 November – 6 December 2024; (9 days)"
    assert box["Location"] == "Hama Governorate, Syria"
    assert box["Result"] == (
        "Opposition victory; Opposition captures Souran and Hama; "
        "Government forces withdraw towards Homs"
    )
    assert "Opposition victory" not in wiki_page.text
    assert zone_texts(wiki_page, "heading")[:3] == ["Background", "Offensive", "Advance on Hama"]
    assert "\n\nBackground\n\nThe front line north of Hama" in wiki_page.text


# --- wikitext ----------------------------------------------------------------------------


def test_wikitext_title_and_narrative(wiki: Document) -> None:
    assert wiki.format == "wikitext"
    assert wiki.title == "2024 Idlib–Hama offensive"
    assert wiki.text.startswith("2024 Idlib–Hama offensive was a military operation launched")
    assert "against government forces in Idlib and northern Hama on 27 November 2024." in wiki.text
    assert "with about 40 km of trenches." in wiki.text
    assert "On 1 December rebels captured Saraqib after a night of fighting." in wiki.text
    assert "towards Maarrat al-Nu'man." in wiki.text
    assert wiki.warnings == []


@pytest.mark.parametrize(
    "markup",
    [
        "{{", "}}", "[[", "]]", "<ref", "'''", "''", "<!--", "TODO", "Category", "thumb", "upright",
        "citation needed", "Northwestern Syria front line", "Idlib ceasefire", "wikitable", "Killed",
        "Reflist", "flagicon", "Short description", "dmy", "Syrian civil war", "Opposition victory",
        "cite news", "access-date",
    ],
)
def test_wikitext_drops_markup(wiki: Document, markup: str) -> None:
    assert markup not in wiki.text


def test_wikitext_markers_in_order_of_first_appearance(wiki: Document) -> None:
    # The infobox's refs come first, as Wikipedia numbers them: "wire" is [1], the casualty note [2].
    assert markers_after(wiki, "on 27 November 2024.") == [3]
    assert markers_after(wiki, "with the capture of Hama.") == [1]
    assert markers_after(wiki, "40 km of trenches.") == [4]
    assert markers_after(wiki, "after a night of fighting.") == [3]
    assert markers_after(wiki, "towards Maarrat al-Nu'man.") == [5]
    assert markers_after(wiki, "rebels took Souran.") == [1]
    assert sorted(wiki.references) == [1, 2, 3, 4, 5]


def test_wikitext_references(wiki: Document) -> None:
    refs = wiki.references
    assert (refs[1].title, refs[1].publisher, refs[1].date, refs[1].url) == (
        "Rebels enter Hama after army withdrawal", "Northern Wire", "2024-12-05",
        "https://northernwire.example/2024/12/05/hama")
    assert (refs[3].publisher, refs[3].date) == ("Levant Monitor", "2024-11-27")  # website=, ISO date=
    assert (refs[4].publisher, refs[4].date) == ("Journal of Levant Security", "March 2024")  # raw
    assert refs[2].date == "2024-12-07"
    plain = refs[5]  # a plain-text ref, parsed as a citation string
    assert (plain.title, plain.publisher, plain.date, plain.url) == (
        "Army pulls back along the M5", "Levant Daily", "2024-12-02",
        "https://levantdaily.example/2024/12/02/m5")


def test_wikitext_headings_captions_lists(wiki: Document) -> None:
    headings = [(wiki.text[z.start:z.end], z.label) for z in wiki.zones if z.kind == "heading"]
    assert [h for h, _ in headings] == [
        "Background", "Offensive", "Saraqib", "Advance on Hama", "See also", "References", "External links"]
    assert all(text == label for text, label in headings)
    assert "\n\nBackground\n\nSince the ceasefire" in wiki.text
    assert zone_texts(wiki, "caption") == ["Fighters at the Saraqib crossroads, 1 December 2024"]
    assert "- 3 December: rebels took Souran.[1]\n- 5 December: government forces left Hama." in wiki.text
    assert zone_texts(wiki, "appendix") == ["- Battle of Aleppo (2024)", "- Levant Monitor live map"]


def test_wikitext_infobox(wiki: Document) -> None:
    box = wiki.infobox
    assert box["conflict"] == "2024 Idlib–Hama offensive"
    assert box["date"] == "27 November – 6 December 2024; (9 days)"
    assert box["place"] == "Idlib and Hama Governorates, Syria"
    assert box["result"] == "Opposition victory; Opposition captures Saraqib and Hama"
    assert box["combatant1"] == "Syrian opposition"
    assert not any("<" in v or "[" in v or "{" in v for v in box.values())


def test_wikitext_sentences_link_their_footnotes(wiki: Document) -> None:
    """What the readers are for: sentence segmentation finds each marker and its zone."""
    footnotes = {s.text: (s.zone, s.footnotes) for s in segment(wiki)}
    assert footnotes["The offensive ended on 6 December with the capture of Hama."] == ("lead", [1])
    assert footnotes["On 1 December rebels captured Saraqib after a night of fighting."] == ("body", [3])
    assert footnotes["Fighters at the Saraqib crossroads, 1 December 2024"] == ("caption", [])
    assert footnotes["- Battle of Aleppo (2024)"][0] == "appendix"


def test_named_ref_used_before_its_definition_and_list_defined_refs() -> None:
    doc = read_wikitext(
        'Souran fell.<ref name="b"/> Hama fell.<ref name="a">Agency report, 5 December 2024.</ref>'
        ' Homs braced.<ref name="b"/>\n\n== References ==\n'
        '{{reflist|refs=<ref name="b">{{cite web|title=Front map|publisher=Monitor'
        "|date=Dec 4, 2024}}</ref>}}"
    )
    assert markers_after(doc, "Souran fell.") == [1]
    assert markers_after(doc, "Hama fell.") == [2]
    assert markers_after(doc, "Homs braced.") == [1]
    assert (doc.references[1].title, doc.references[1].date) == ("Front map", "2024-12-04")
    assert doc.warnings == []


def test_notes_bare_links_and_short_citations() -> None:
    doc = read_wikitext(
        "'''Battle of Souran''' began.<ref group=\"note\">A note.</ref> See [http://a.example]."
        " Known.{{sfn|Nasser|2024|p=14}} Again.{{sfn|Nasser|2024|p=14}}"
    )
    assert doc.title == "Battle of Souran"
    assert doc.text == "Battle of Souran began. See. Known.[1] Again.[1]"
    assert doc.references[1].text == "Nasser 2024, p. 14"


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("{{convert|40|km|mi}}", "40 km"),
        ("{{convert|10|to|15|km}}", "10 to 15 km"),
        ("{{convert|10|-|15|km}}", "10–15 km"),
        ("{{lang|ar|حماة}}", "حماة"),
        ("{{start date|2024|11|27}}", "27 November 2024"),
        ("[[Hama]]", "Hama"),
        ("[[Hama Governorate|the governorate]]", "the governorate"),
        ("[[ar:حماة]]x", "x"),
        ("[[:Category:Battles]]", "Category:Battles"),
        ("[https://x.example/a the report]", "the report"),
    ],
)
def test_inline_markup(markup: str, text: str) -> None:
    assert read_wikitext(markup).text == text


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("5 December 2024", "2024-12-05"), ("December 5, 2024", "2024-12-05"), ("2024-12-05", "2024-12-05"),
     ("5 Dec 2024", "2024-12-05"), ("Sept 3, 2024", "2024-09-03"), ("December 2024", None),
     ("31 February 2024", None)],
)
def test_iso_date(raw: str, iso: str | None) -> None:
    assert iso_date(raw) == iso


# --- dispatch ----------------------------------------------------------------------------


def test_dispatch_by_extension() -> None:
    assert read_document(DATA / "news.html").format == "html"
    assert read_document(DATA / "offensive.wiki").format == "wikitext"


def test_dispatch_by_content(tmp_path: Path) -> None:
    shutil.copy(DATA / "news.html", tmp_path / "saved.txt")
    shutil.copy(DATA / "offensive.wiki", tmp_path / "copied.txt")
    page = read_document(tmp_path / "saved.txt")
    assert page.format == "html" and page.published == date(2024, 12, 5)
    assert read_document(tmp_path / "copied.txt").format == "wikitext"
    assert detect_format((DATA / "wiki_mirror.html").read_text(encoding="utf-8")) == "html"


# --- robustness and speed ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["<div>" * 500 + "Rebels took Hama.", "{{" * 50 + "Rebels took Hama.", "Rebels took [[Hama",
     "Rebels took Hama.<ref>unclosed", "<ref>" * 100 + "Rebels took Hama."],
)
def test_malformed_input_keeps_the_text(text: str) -> None:
    for reader in (read_html, read_wikitext):
        assert "Rebels took" in reader(text).text


@pytest.mark.parametrize(
    "text", ["", "   \n", "<!-- only a comment -->", "<html><head><title>t</title></head></html>"]
)
def test_pages_without_text_raise_input_error(text: str) -> None:
    with pytest.raises(InputError):
        read_html(text)


_TAGS = ["div", "span", "p", "b", "table", "tr", "td", "sup", "ol", "li", "ref", "script", "h2", "a"]
_WIKI_PIECES = [
    "{{", "}}", "[[", "]]", "|", "=", "==", "'''", "''", "<ref>", "</ref>", "<ref name=a/>",
    '<ref name="a">', "<!--", "-->", "{|", "|}", "|-", "\n", "\n\n", "* ", "# ", "[http://x.example ",
    "]", "<br>", "<table>", "File:", "Category:", "Infobox", "cite news|title=", "convert|", "&amp;",
    "Hama", " ", "\ue000",
]
nested_tags = st.builds(
    lambda tag, depth, text, close: f"<{tag}>" * depth + text + (f"</{tag}>" * depth if close else ""),
    st.sampled_from(_TAGS), st.integers(0, 600), st.text(max_size=40), st.booleans(),
)
wiki_fragments = st.lists(
    st.one_of(st.sampled_from(_WIKI_PIECES), st.text(max_size=8)), max_size=80
).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), nested_tags, wiki_fragments))
def test_readers_raise_only_frontlines_errors(text: str) -> None:
    for reader in (read_html, read_wikitext):
        try:
            doc = reader(text)
        except FrontlinesError:
            continue
        assert doc.text.strip()
        for zone in doc.zones:
            assert 0 <= zone.start < zone.end <= len(doc.text)
        for start, end in ((m.start(), m.end()) for m in re.finditer(r"\n\n", doc.text)):
            assert doc.text[start - 1] != "\n" and doc.text[end] != "\n"  # paragraphs are trimmed


def _big_page() -> str:
    page = (DATA / "wiki_mirror.html").read_text(encoding="utf-8")
    start, end = page.index("<p>The <b>"), page.index('<h2><span class="mw-headline" id="See_also">')
    return page[:start] + page[start:end] * (200_000 // (end - start)) + page[end:]


@pytest.mark.parametrize("reader", ["html", "wikitext"])
def test_a_200_kb_document_reads_in_well_under_a_second(reader: str) -> None:
    if reader == "html":
        read, text = read_html, _big_page()
    else:
        wiki_text = (DATA / "offensive.wiki").read_text(encoding="utf-8")
        read, text = read_wikitext, wiki_text * (200_000 // len(wiki_text))
    read("<p>warm up</p>")  # first use imports trafilatura
    started = time.perf_counter()
    doc = read(text)
    assert time.perf_counter() - started < 1.0
    assert len(text) > 190_000 and len(doc.text) > 10_000
