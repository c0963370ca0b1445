"""HTML reader: a web page's main text without boilerplate, its metadata, footnotes and infobox."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import date
from functools import cache
from types import ModuleType
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..errors import InputError
from ..model import ZONE_HEADING, Document, Reference, Zone
from ..registry import readers
from ..text.footnotes import is_reference_heading, parse_reference_entry
from ..text.layout import CLOSING_HEADINGS

# Control characters libxml2 refuses or that no page means as text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")
_HSPACE = re.compile(r"[^\S\n]+")
_BR_TAGS = frozenset({"br", "lb"})  # "lb" is trafilatura's line break
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})
_BLOCK_TAGS = frozenset(
    """p div section article main aside header footer nav li ul ol dl dt dd blockquote pre
    figure figcaption address center form fieldset details summary body html
    item list quote code""".split()
)
_TABLE_ROWS = frozenset({"tr", "row"})
_TABLE_CELLS = frozenset({"td", "th", "cell"})
_WHOLE_BLOCKS = _HEADING_TAGS | {"table"}  # read as one block, whatever they contain
_SEPARATING = _BR_TAGS | _BLOCK_TAGS | _TABLE_CELLS  # a space (or separator) in inline text
_SKIP_TAGS = frozenset(
    """script style noscript template svg math iframe object embed button select textarea img
    graphic""".split()
)
# Page furniture that is never the article, by tag, role or class (MediaWiki and news sites);
# also MediaWiki's data tables, which the wikitext reader drops as well.
_CHROME_XPATH = " | ".join(
    [
        "//nav", "//footer", "//aside", "//form", "//dialog", "//figure", "//header",
        "//*[@role='navigation' or @role='banner' or @role='contentinfo' or @role='complementary'"
        " or @role='dialog' or @role='search' or @hidden]",
        *(
            f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"
            for cls in (
                "mw-editsection", "navbox", "vertical-navbox", "sidebar", "hatnote", "mw-jump-link",
                "toc", "catlinks", "printfooter", "noprint", "metadata", "ambox", "sistersitebox",
                "thumb", "gallery", "mw-empty-elt", "reflist", "mw-references-wrap", "reference",
                "Inline-Template", "infobox", "navigation-not-searchable", "shortdescription",
                "wikitable",
            )
        ),
        "//*[@id='toc' or @id='siteSub' or @id='contentSub' or @id='jump-to-nav'"
        " or @id='catlinks']",
    ]
)
# Class or id words of cookie banners, share bars, newsletter boxes and similar furniture.
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(cookies?|consent|gdpr|newsletter|subscribe|subscription|share|sharing|social"
    r"|related|recommended|comments?|breadcrumbs?|promo|advert|ads?|banner|masthead|menu"
    r"|popup|modal|paywall|byline|author)(?:$|[\s_-])",
    re.I,
)
_CONTENT_ROOTS = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' mw-parser-output ')]",
    "//*[@id='mw-content-text']",
    "//article",
    "//main",
    "//*[@role='main']",
    "//*[@id='content']",
)
_PUBLISHED_XPATHS = (
    "//meta[@property='article:published_time' or @name='article:published_time'"
    " or @property='og:published_time' or @itemprop='datePublished' or @name='pubdate'"
    " or @name='publishdate' or @name='date' or @name='dc.date' or @name='DC.date.issued'"
    " or @name='dcterms.created' or @name='parsely-pub-date' or @name='sailthru.date']/@content",
    "//time[@itemprop='datePublished' or @pubdate]/@datetime",
)
Block = tuple[str | None, str]  # (ZONE_HEADING or None, text)
_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# huge_tree: without it libxml2 silently drops everything nested deeper than 256 elements.
_PARSER = lxml_html.HTMLParser(encoding="utf-8", huge_tree=True)
# A start tag (or a comment, doctype, processing instruction): what becomes a node of the tree.
_TAG_START = re.compile(r"<[A-Za-z!?]")
# A long Wikipedia article has 20,000-60,000 elements; a page with 100,000 is no article (and
# takes tens of seconds through main-text extraction).
DEFAULT_MAX_ELEMENTS = 100_000
ELEMENTS_ENV = "FRONTLINES_MAX_HTML_ELEMENTS"
# For a page the parser cannot read: tags (scanned to the next bracket, so linear on stray
# "<"), block tags, and elements whose content is no text.
_ANY_TAG = re.compile(r"<[^<>]*>")
_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|table|section|article|blockquote)\b[^<>]*>", re.I)
_NON_TEXT = re.compile(r"<(script|style)\b[^<>]*>[^<]*</\1\s*>", re.I)
_LONG_TAG = re.compile(r"<([A-Za-z][\w:-]{0,40})\s[^<>]{4000,}>")
_MARKER_TEXT = re.compile(r"^\[?\s*(\d{1,4})\s*\]?$")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+[^-|–—]{2,40}$")


@cache
def _trafilatura() -> ModuleType | None:
    """trafilatura, or None where it cannot be imported (it needs lxml_html_clean with lxml 5+)."""
    try:
        import trafilatura
    except ImportError:
        return None
    return trafilatura


@readers.register("html")
def read_html(text: str, *, source: str | None = None) -> Document:
    """Read an HTML page: main text as blank-line separated paragraphs, with "[n]" markers."""
    tree = _parse(text, source)
    parsed_words = sum(len(piece.split()) for piece in tree.itertext())
    title, url = _title(tree), _canonical_url(tree)
    published = _published(tree)
    infobox = _pull_infobox(tree)
    references = _pull_footnotes(tree)
    h1 = _first_text(tree, "//h1")
    _strip_chrome(tree)
    warnings: list[str] = []
    builder = TextBuilder()
    for kind, block in _main_blocks(tree, warnings):
        if kind != ZONE_HEADING:
            builder.paragraph(block)
        elif block != h1:  # the page's h1 is its title, kept in Document.title
            builder.heading(block)
    if not builder.text.strip():
        builder = _markup_stripped(text, parsed_words, warnings, source)
    return Document(
        text=builder.text,
        title=title,
        url=url,
        published=published,
        references=references,
        infobox=infobox,
        source=source,
        format="html",
        zones=builder.zones,
        warnings=warnings,
    )


def _markup_stripped(text: str, parsed_words: int, warnings: list[str], source: str | None) -> TextBuilder:
    """The text of a page whose parse lost most of its words (libxml2 drops what is nested
    deeper than about 2,000 elements): its tags removed, block tags as paragraph breaks."""
    from html import unescape

    plain = _BLOCK_TAG.sub("\n\n", _NON_TEXT.sub(" ", text))
    builder = TextBuilder()
    for paragraph in re.split(r"\n\s*\n", _ANY_TAG.sub("", plain)):
        builder.paragraph(unescape(paragraph))
    if len(builder.text.split()) <= 2 * parsed_words + 5:  # nothing was lost: no text there
        raise InputError("no readable text in HTML", source)
    warnings.append("HTML nested too deep for the parser: read as text without its markup")
    return builder


class TextBuilder:
    """Joins paragraphs with blank lines and records the zones readers know for them.

    Under a closing heading ("References", "See also", ...) paragraphs get that section's zone.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.zones: list[Zone] = []
        self._section: str | None = None
        self._section_zone: str | None = None

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def heading(self, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            return
        self._section = title
        self._section_zone = CLOSING_HEADINGS.get(title.lower().strip(" :"))
        self._append(title, ZONE_HEADING, title)

    def paragraph(self, text: str, kind: str | None = None) -> None:
        self._append(clean_block(text), kind or self._section_zone, self._section)

    def _append(self, text: str, kind: str | None, label: str | None) -> None:
        if not text:
            return
        if self._parts:
            self._parts.append("\n\n")
            self._length += 2
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if kind is None:
            return
        last = self.zones[-1] if self.zones else None
        continues = last is not None and (last.kind, last.label, last.end + 2) == (kind, label, start)
        if last and continues and kind != ZONE_HEADING:
            last.end = self._length  # one zone for a run of paragraphs of a section
        else:
            self.zones.append(Zone(start, self._length, kind, label))


def clean_block(text: str) -> str:
    """One paragraph: spaces collapsed, lines trimmed, no blank lines inside."""
    lines = (_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- parsing and metadata -------------------------------------------------------------


def max_html_elements() -> int:
    """The most elements an HTML page may have, overridable with FRONTLINES_MAX_HTML_ELEMENTS."""
    value = os.environ.get(ELEMENTS_ENV, "")
    return int(value) if value.isdigit() else DEFAULT_MAX_ELEMENTS


def check_html_size(text: str, source: str | None) -> None:
    """Refuse, before building a tree, a page with more elements than the limit: a tree costs
    about a kilobyte of memory per element, several times over in the main-text extraction."""
    limit = max_html_elements()
    for count, _ in enumerate(_TAG_START.finditer(text), start=1):
        if count > limit:
            raise InputError(f"HTML with more than {limit:,} elements (the limit; raise it with "
                             f"{ELEMENTS_ENV})", source)


def _parse(text: str, source: str | None) -> lxml_html.HtmlElement:
    check_html_size(text, source)
    # libxml2 checks each attribute against the others (quadratic in a tag's attributes);
    # no text lives in a tag, so an over-long one (thousands of attributes, a data: image)
    # keeps only its name.
    text = _LONG_TAG.sub(lambda tag: f"<{tag.group(1)}>", text)
    data = _CONTROL.sub("", text).encode("utf-8", "replace")
    if not data.strip():
        raise InputError("no readable text in HTML", source)
    try:
        tree = lxml_html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise InputError(f"unreadable HTML: {err}", source) from None
    # Comments and processing instructions are not text; their tails are.
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return tree


def _first(tree: lxml_html.HtmlElement, xpath: str) -> str | None:
    for value in tree.xpath(xpath):
        value = " ".join(str(value).split())
        if value:
            return value
    return None


def _first_text(tree: lxml_html.HtmlElement, xpath: str) -> str | None:
    found = tree.xpath(xpath)
    return (inline_text(found[0]) or None) if found else None


def _title(tree: lxml_html.HtmlElement) -> str | None:
    found = _first(tree, "//meta[@property='og:title' or @name='twitter:title']/@content")
    if found:
        return found
    found = _first_text(tree, "//h1")
    if found:
        return found
    title = _first(tree, "//title/text()")
    return _TITLE_SUFFIX.sub("", title) if title else None


def _canonical_url(tree: lxml_html.HtmlElement) -> str | None:
    return _first(tree, "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")


def _published(tree: lxml_html.HtmlElement) -> date | None:
    """The publication date the page declares in its markup.

    No guessing from the text (htmldate's fallback): on a wiki page that finds a date of the
    story or a "Retrieved" date, and a wrong publication date misdates relative phrases.
    """
    candidates = [v for xpath in _PUBLISHED_XPATHS for v in tree.xpath(xpath)]
    candidates[1:1] = list(_json_ld_dates(tree))  # JSON-LD right after article:published_time
    for value in candidates:
        found = _iso_date(str(value))
        if found:
            return found
    return None


def _json_ld_dates(tree: lxml_html.HtmlElement) -> Iterator[str]:
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack: list[Any] = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    yield item["datePublished"]
                stack.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _iso_date(value: str) -> date | None:
    match = _ISO_PREFIX.match(value.strip())
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


# --- text of elements ------------------------------------------------------------------


def _events(root: etree._Element) -> Iterator[tuple[str, Any]]:
    """("open", el), ("text", str) and ("close", el) in document order, skipping non-text."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            yield "open", el
            if el.text:
                yield "text", el.text
        else:
            if tag not in _SKIP_TAGS:
                yield "close", el
            if el.tail and el is not root:
                yield "text", el.tail


def inline_text(el: etree._Element, separator: str = " ") -> str:
    """The text of an element on one line; line breaks and blocks inside become `separator`."""
    pieces: list[str] = []
    for event, value in _events(el):
        if event == "text":
            pieces.append(value)
        elif event == "open" and value is not el and value.tag in _SEPARATING:
            pieces.append(separator)
    return collapse("".join(pieces), separator)


def collapse(text: str, separator: str = " ") -> str:
    """Whitespace collapsed; runs of `separator` (say "; ") made one, and none at the ends."""
    text = " ".join(text.split())
    if separator.strip():
        sep = re.escape(separator.strip())
        text = re.sub(rf"\s*{sep}(?:\s*{sep})*\s*", separator, text).strip(separator + " ")
    return text


def blocks_of(root: etree._Element) -> list[Block]:
    """(kind, text) for each paragraph, heading and table under `root`, in order.

    Works on a page tree and on trafilatura's output tree alike (p/head/list/item/row/lb).
    """
    blocks: list[Block] = []
    buffer: list[str] = []

    def flush() -> None:
        if "".join(buffer).strip():
            blocks.append((None, "".join(buffer)))
        buffer.clear()

    walker = _events(root)
    for event, value in walker:
        if event == "text":
            buffer.append(value)
            continue
        tag = value.tag if isinstance(value.tag, str) else ""
        if event == "open" and tag in _WHOLE_BLOCKS:
            flush()
            blocks.append(_whole_block(value))
            _skip_to_close(walker, value)
        elif tag in _BR_TAGS and event == "open":
            buffer.append("\n")
        elif tag in _BLOCK_TAGS:
            flush()
    flush()
    return blocks


def _whole_block(el: etree._Element) -> Block:
    if el.tag == "table":
        rows = (" | ".join(filter(None, map(inline_text, _cells(row)))) for row in _rows(el))
        return None, "\n".join(rows)
    return ZONE_HEADING, inline_text(el)


def _rows(table: etree._Element) -> list[etree._Element]:
    return [el for el in table.iter() if el.tag in _TABLE_ROWS]


def _cells(row: etree._Element) -> list[etree._Element]:
    return [el for el in row if el.tag in _TABLE_CELLS]


def _skip_to_close(walker: Iterator[tuple[str, Any]], el: etree._Element) -> None:
    """Advance `walker` past `el`'s subtree (its text was taken whole)."""
    for event, value in walker:
        if event == "close" and value is el:
            return


# --- infobox and footnotes -------------------------------------------------------------


def _pull_infobox(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """Fields of the first `table.infobox` (label -> value), then the table leaves the tree."""
    tables = tree.xpath("//table[contains(concat(' ', normalize-space(@class), ' '), ' infobox ')]")
    if not tables:
        return {}
    for sup in tables[0].xpath(".//sup"):
        _replace_with_text(sup, "")  # footnote markers in field values
    fields: dict[str, str] = {}
    caption = tables[0].xpath(".//caption | .//th[contains(@class, 'infobox-above')]")
    if caption and inline_text(caption[0]):
        fields["name"] = inline_text(caption[0])
    for row in _rows(tables[0]):
        label, value = row.xpath("./th"), row.xpath("./td")
        if label and value:
            key, text = inline_text(label[0]), inline_text(value[0], "; ")
            if key and text:
                fields.setdefault(key, text)
    for table in tables:
        table.drop_tree()
    return fields


def _pull_footnotes(tree: lxml_html.HtmlElement) -> dict[int, Reference]:
    """Replace each footnote `<sup>` by "[n]" and read the `ol.references` lists it points to."""
    numbers: dict[str, int] = {}  # note id -> number, from the markers
    notes: set[str] = set()  # ids that lettered notes ("[a]") point to
    markers = "//sup[contains(@class, 'reference') or a[starts-with(@href, '#cite_note')]]"
    for sup in tree.xpath(markers):
        links = sup.xpath(".//a/@href")
        target = links[0].lstrip("#") if links else ""
        match = _MARKER_TEXT.match(inline_text(sup))
        if match:
            numbers[target] = int(match.group(1))
        else:
            notes.add(target)
        _replace_with_text(sup, f"[{match.group(1)}]" if match else "")
    references: dict[int, Reference] = {}
    for ol in _reference_lists(tree):
        items = ol.xpath("./li")
        if not any(li.get("id") in notes for li in items):
            for position, li in enumerate(items, start=1):
                number = numbers.get(li.get("id", ""), position)
                references.setdefault(number, _reference(number, li))
        ol.drop_tree()
    return references


def _reference_lists(tree: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """MediaWiki's `ol.references`; where a mirror lost the class, the list after "References"."""
    lists = tree.xpath("//ol[contains(concat(' ', normalize-space(@class), ' '), ' references ')]")
    if lists:
        return lists
    headings = tree.xpath("//h2 | //h3")
    wanted = [h for h in headings if is_reference_heading(inline_text(h))]
    return [ol for h in wanted for ol in h.xpath("following::ol[1]")]


def _replace_with_text(el: lxml_html.HtmlElement, text: str) -> None:
    el.tail = text + (el.tail or "")
    el.drop_tree()


def _reference(number: int, li: lxml_html.HtmlElement) -> Reference:
    """One reference-list entry: the citation's text parsed, its link taken from the markup."""
    for backlink in li.xpath(".//*[contains(@class, 'mw-cite-backlink')]"):
        backlink.drop_tree()
    body = (li.xpath(".//*[contains(@class, 'reference-text')]") or [li])[0]
    ref = parse_reference_entry(number, inline_text(body))
    links = body.xpath(".//a[starts-with(@href, 'http') or starts-with(@href, '//')]/@href")
    if links:
        ref.url = links[0] if links[0].startswith("http") else "https:" + links[0]
    cite_title = body.xpath(".//cite//*[contains(@class, 'citation-title')] | .//cite/a[1]")
    if not ref.title and cite_title:
        ref.title = inline_text(cite_title[0]).strip("\"“”") or None
    return ref


# --- main content ----------------------------------------------------------------------


def _strip_chrome(tree: lxml_html.HtmlElement) -> None:
    """Drop navigation, banners and similar furniture, never an element holding the article."""
    # The content elements and their ancestors (kept alive here, so set membership is exact).
    roots = [el for xpath in _CONTENT_ROOTS for el in tree.xpath(xpath)]
    protected = {a for el in roots for a in (el, *el.iterancestors())}
    paragraphs = _paragraph_counts(tree)
    half = max(2, paragraphs.get(tree, 0) // 2)
    candidates = tree.xpath(_CHROME_XPATH) + [
        el for el in tree.xpath("//*[@class or @id]")
        if _CHROME_WORDS.search(f"{el.get('class', '')} {el.get('id', '')}")
    ]
    for el in candidates:
        if el in protected or el.getparent() is None or paragraphs.get(el, 0) > half:
            continue
        el.drop_tree()


def _paragraph_counts(tree: lxml_html.HtmlElement) -> dict[Any, int]:
    """The number of `<p>` under each element (`.//p`), in one pass: an XPath count per
    element would be quadratic on deep pages."""
    counts: dict[Any, int] = {}
    for _, el in etree.iterwalk(tree, events=("end",)):
        counts[el] = sum(counts.get(child, 0) + (child.tag == "p") for child in el)
    return counts


def _main_blocks(tree: lxml_html.HtmlElement, warnings: list[str]) -> list[Block]:
    """trafilatura's main text; the page's own content element or body when it finds none."""
    blocks = _trafilatura_blocks(tree, warnings)
    if blocks:
        return blocks
    root = next((el for xpath in _CONTENT_ROOTS for el in tree.xpath(xpath)), tree.find("body"))
    return blocks_of(root) if root is not None else []


def _trafilatura_blocks(tree: lxml_html.HtmlElement, warnings: list[str]) -> list[Block]:
    module = _trafilatura()
    if module is None:
        warnings.append("trafilatura unavailable; main text taken from the page's content element")
        return []
    try:
        result = module.bare_extraction(
            lxml_html.tostring(tree, encoding="unicode"),
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            include_tables=True,
            with_metadata=False,
        )
    except Exception:
        return []
    body = getattr(result, "body", None)
    return blocks_of(body) if body is not None else []
