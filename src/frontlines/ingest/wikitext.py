"""Wikitext reader: MediaWiki markup to plain paragraphs, "[n]" footnotes, headings, infobox."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

import mwparserfromhell
from mwparserfromhell.nodes import (
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.parser import ParserError
from mwparserfromhell.wikicode import Wikicode

from ..errors import InputError
from ..model import ZONE_CAPTION, Document, Reference
from ..registry import readers
from ..text.footnotes import parse_reference_entry
from .html import TextBuilder, collapse

# Private-use characters that mark, in the rendered text, what the paragraph pass must treat
# specially; any the input itself carries are removed first.
_HEADING, _CAPTION, _ITEM, _LINE = "\ue000", "\ue001", "\ue002", "\ue003"
_SENTINELS = {ord(c): None for c in (_HEADING, _CAPTION, _ITEM, _LINE)}

_DROP_TAGS = frozenset(
    """table gallery math chem ce timeline graph mapframe maplink imagemap templatestyles score
    hiero syntaxhighlight source inputbox categorytree includeonly noinclude""".split()
)
_NO_TEXT_NAMESPACES = frozenset({"file", "image", "media", "category"})
_IMAGE_OPTION = re.compile(
    r"^(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|upright"
    r"|baseline|middle|sub|super|top|text-top|bottom|text-bottom|\d*x?\d+\s*px"
    r"|(?:upright|alt|link|page|class|lang|thumb|thumbnail)\s*=.*)$",
    re.I | re.S,
)
_LANGUAGE_LINK = re.compile(r"[a-z]{2,3}(?:-[a-z]+)?")
_PUBLISHER_FIELDS = (
    "work", "website", "newspaper", "journal", "magazine", "periodical", "agency", "publisher"
)
_MONTHS = """january february march april may june july august september october november
    december""".split()
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(rf"^(\d{{1,2}})\s+{_MONTH_RE},?\s+(\d{{4}})$", re.I), ("d", "mon", "y")),
    (re.compile(rf"^{_MONTH_RE}\s+(\d{{1,2}}),?\s+(\d{{4}})$", re.I), ("mon", "d", "y")),
)
_MAGIC_WORD = re.compile(r"__[A-Z]+__")
_SPACE_BEFORE_PUNCT = re.compile(r"[^\S\n]+(?=[.,;:!?)])")
_EMPTY_PARENS = re.compile(r"\(\s*[,;]?\s*\)")


def iso_date(raw: str) -> str | None:
    """"5 December 2024", "December 5, 2024", "2024-12-05" as ISO; None for other forms."""
    raw = raw.strip()
    for pattern, order in _DATE_FORMS:
        match = pattern.match(raw)
        if match:
            parts = dict(zip(order, match.groups()))
            month = int(parts["m"]) if "m" in parts else _month_number(parts["mon"])
            try:
                return date(int(parts["y"]), month, int(parts["d"])).isoformat()
            except ValueError:
                return None
    return None


def _month_number(name: str) -> int:
    return next(i for i, month in enumerate(_MONTHS, start=1) if month.startswith(name[:3].lower()))


@readers.register("wikitext")
def read_wikitext(text: str, *, source: str | None = None) -> Document:
    """Read MediaWiki markup: prose paragraphs, headings as zones, refs as "[n]" markers."""
    try:
        renderer = _Renderer()
        rendered = "".join(renderer.render(mwparserfromhell.parse(chunk).nodes)
                           for chunk in parse_chunks(text.translate(_SENTINELS)))
    except (ParserError, RecursionError, ValueError) as err:
        raise InputError(f"unreadable wikitext: {err}", source) from None
    builder = TextBuilder()
    for kind, block in _blocks(rendered):
        if kind == _HEADING:
            builder.heading(block)
        else:
            builder.paragraph(block, ZONE_CAPTION if kind == _CAPTION else None)
    if not builder.text.strip():
        raise InputError("no readable text in wikitext", source)
    infobox = renderer.infobox
    return Document(
        text=builder.text,
        title=infobox.get("name") or infobox.get("conflict") or renderer.first_bold,
        references=renderer.references,
        infobox=infobox,
        source=source,
        format="wikitext",
        zones=builder.zones,
        warnings=renderer.warnings(),
    )


# mwparserfromhell's tokenizer rescans to the end of its input for every unclosed "{{", "[["
# or "<ref>" (100 KB of malformed markup: half a minute).  The text is parsed a section at a
# time (no construct spans a heading), and a paragraph longer than any real one in pieces, so
# a rescan never runs past its piece.
_HEADING_LINE = re.compile(r"^=+[^=\n][^\n]*=[ \t]*$", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
MAX_PIECE = 10_000
PIECE = 4_000


def parse_chunks(text: str) -> Iterable[str]:
    """The text in consecutive pieces that are parsed one by one (joined, they are the text)."""
    starts = [0, *(m.start() for m in _HEADING_LINE.finditer(text) if m.start() > 0), len(text)]
    for start, end in zip(starts, starts[1:]):
        if end - start <= MAX_PIECE:
            yield text[start:end]
            continue
        cuts = [start, *(m.end() for m in _BLANK_LINE.finditer(text, start, end)), end]
        for left, right in zip(cuts, cuts[1:]):
            yield from _pieces(text, left, right)


def _pieces(text: str, start: int, end: int) -> Iterable[str]:
    """A paragraph, or one longer than MAX_PIECE cut after a space about every PIECE characters."""
    if end - start <= MAX_PIECE:
        yield text[start:end]
        return
    while end - start > PIECE:
        cut = text.rfind(" ", start + PIECE // 2, start + PIECE)
        cut = cut + 1 if cut > start else start + PIECE
        yield text[start:cut]
        start = cut
    yield text[start:end]


def _blocks(rendered: str) -> Iterable[tuple[str | None, str]]:
    """(kind, text) per paragraph of the rendered text; kind is a sentinel or None."""
    for chunk in re.split(r"\n[^\S\n]*\n", _MAGIC_WORD.sub("", rendered)):
        chunk = chunk.strip()
        if chunk[:1] in (_HEADING, _CAPTION):
            yield chunk[0], chunk[1:]
        elif chunk:
            yield None, _paragraph(chunk)


def _paragraph(chunk: str) -> str:
    """List items and indented lines stay lines of their own; other wrapped lines join, as
    MediaWiki renders them."""
    lines: list[str] = []
    joinable = False  # whether the last line is running text a wrapped line continues
    for line in chunk.split("\n"):
        line = line.strip()
        marks = line[: len(line) - len(line.lstrip(_ITEM + _LINE + " "))]
        line = line[len(marks):]
        if not line:
            continue
        if marks.strip() or not joinable:
            lines.append(("- " if _ITEM in marks else "") + line)
        else:
            lines[-1] += " " + line
        joinable = not marks.strip()
    text = "\n".join(lines)
    return _SPACE_BEFORE_PUNCT.sub("", _EMPTY_PARENS.sub("", text))


class _Renderer:
    """Turns parsed wikitext into text, collecting references, infobox and first bold phrase.

    In plain mode (infobox values, citations, headings) refs are numbered but leave no marker,
    files leave nothing, and line breaks and list items become "; ".
    """

    def __init__(self) -> None:
        self.references: dict[int, Reference] = {}
        self.infobox: dict[str, str] = {}
        self.first_bold: str | None = None
        self._named: dict[str, int] = {}
        self._keyed: dict[str, int] = {}  # {{sfn}} short citations, by their arguments

    def warnings(self) -> list[str]:
        undefined = [n for n, ref in self.references.items() if not ref.text]
        return [f"reference [{n}] is used but never defined" for n in undefined]

    def render(self, nodes: Iterable[Node], plain: bool = False) -> str:
        return "".join(self._node(node, plain) for node in nodes)

    def plain(self, code: Wikicode | None) -> str:
        return collapse(self.render(code.nodes, plain=True), "; ") if code is not None else ""

    def _node(self, node: Node, plain: bool) -> str:
        if isinstance(node, Text):
            return str(node.value)
        if isinstance(node, HTMLEntity):
            return node.normalize()
        if isinstance(node, Tag):
            return self._tag(node, plain)
        if isinstance(node, Wikilink):
            return self._link(node, plain)
        if isinstance(node, ExternalLink):
            return self._external(node, plain)
        if isinstance(node, Template):
            return self._template(node, plain)
        if isinstance(node, Heading):
            return f"\n\n{_HEADING}{self.plain(node.title)}\n\n"
        return ""  # comments, {{{arguments}}}

    # --- tags -------------------------------------------------------------------------

    def _tag(self, tag: Tag, plain: bool) -> str:
        name = str(tag.tag).strip().lower()
        if name == "ref":
            return self._ref(tag, plain)
        if name == "references" and tag.contents is not None:
            self.render(tag.contents.nodes, plain=True)  # list-defined refs
            return ""
        if name in _DROP_TAGS:
            return ""
        if name in ("li", "dt", "dd") and tag.wiki_markup:
            return "; " if plain else _ITEM if name == "li" else _LINE
        if name in ("br", "hr"):
            return "; " if plain else "\n"
        if tag.contents is None:
            return ""
        inner = self.render(tag.contents.nodes, plain)
        if name == "b" and tag.wiki_markup and not plain and self.first_bold is None:
            self.first_bold = collapse(inner) or None
        return f"\n\n{inner}\n\n" if name in ("blockquote", "p", "div") and not plain else inner

    def _ref(self, tag: Tag, plain: bool) -> str:
        """Number a ref at its first appearance (a definition or a reuse) and leave "[n]"."""
        if tag.has("group"):
            return ""  # explanatory notes ("[a]") are not references
        name = str(tag.get("name").value).strip() if tag.has("name") else ""
        body = tag.contents if tag.contents is not None and str(tag.contents).strip() else None
        if not name and body is None:
            return ""
        number = self._named.get(name) if name else None
        if number is None:
            number = len(self.references) + 1
            self.references[number] = Reference(number=number, text="")
            if name:
                self._named[name] = number
        if body is not None and not self.references[number].text:
            self.references[number] = self._reference(number, body)
        return "" if plain else f"[{number}]"

    def _reference(self, number: int, body: Wikicode) -> Reference:
        cites = [t for t in body.filter_templates(recursive=False) if _is_citation(t)]
        if cites:
            return self._citation(number, cites[0])
        ref = parse_reference_entry(number, collapse(self.render(body.nodes, plain=True)))
        links = body.filter_external_links()
        if links and not ref.url:
            ref.url = str(links[0].url).strip()
        return ref

    def _citation(self, number: int, cite: Template) -> Reference:
        """A {{cite ...}} / {{citation}} template's fields as a Reference."""

        def field(*names: str) -> str | None:
            for name in names:
                if cite.has(name):
                    value = self.plain(cite.get(name).value)
                    if value:
                        return value
            return None

        title = field("title", "script-title", "trans-title", "chapter")
        publisher, raw_date = field(*_PUBLISHER_FIELDS), field("date", "year")
        author = field("author", "last", "author1", "last1")
        parts = [author, f'"{title}"' if title else None, publisher, raw_date]
        return Reference(
            number=number,
            text=". ".join(p for p in parts if p) + ".",
            title=title,
            publisher=publisher,
            date=(iso_date(raw_date) or raw_date) if raw_date else None,
            url=field("url", "archive-url", "chapter-url"),
        )

    # --- links ------------------------------------------------------------------------

    def _link(self, link: Wikilink, plain: bool) -> str:
        title = str(link.title).strip()
        prefix, colon, _ = title.partition(":")
        prefix = prefix.strip().lower()
        if colon and prefix in _NO_TEXT_NAMESPACES:
            return "" if plain or prefix == "category" else self._caption(link)
        if colon and link.text is None and _LANGUAGE_LINK.fullmatch(prefix):
            return ""  # an interlanguage link, shown in the sidebar, not the text
        if link.text is None:
            return title.lstrip(":")
        text = self.render(link.text.nodes, plain)
        return text if text.strip() else re.sub(r"\s*\(.*\)$", "", title.lstrip(":"))

    def _caption(self, link: Wikilink) -> str:
        """A file's caption as a paragraph of its own: the last argument that is not an option."""
        if link.text is None:
            return ""
        segments: list[list[Node | str]] = [[]]
        for node in link.text.nodes:
            if isinstance(node, Text):
                first, *rest = str(node.value).split("|")
                segments[-1].append(first)
                segments.extend([piece] for piece in rest)
            else:
                segments[-1].append(node)
        for segment in reversed(segments):
            text = "".join(p if isinstance(p, str) else self._node(p, False) for p in segment)
            if text.strip() and not _IMAGE_OPTION.match(text.strip()):
                return f"\n\n{_CAPTION}{collapse(text)}\n\n"
        return ""

    def _external(self, link: ExternalLink, plain: bool) -> str:
        if link.title is not None:
            return self.render(link.title.nodes, plain)
        # A bracketed link without a title renders as "[1]", which would pass for a footnote.
        return "" if link.brackets else str(link.url)

    # --- templates --------------------------------------------------------------------

    def _template(self, template: Template, plain: bool) -> str:
        name = " ".join(str(template.name).replace("_", " ").split()).lower()
        if name.startswith("infobox"):
            self._read_infobox(template)
            return ""
        if name in ("reflist", "references") and template.has("refs"):
            self.render(template.get("refs").value.nodes, plain=True)  # list-defined refs
            return ""
        if name == "sfn":
            return self._short_citation(template, plain)
        if name in _QUOTE_TEMPLATES:
            quote = _named(template, "1", "text", "quote")
            text = self.render(quote.nodes, plain) if quote is not None else ""
            return text if plain else f"\n\n{text}\n\n"
        handler = _TEXT_TEMPLATES.get(name) or (_first if name.startswith("lang-") else None)
        if handler is None:
            return ""  # flagicons, navboxes, {{main}}, {{citation needed}}, ...
        return handler([self.plain(p.value) for p in template.params if not p.showkey])

    def _read_infobox(self, template: Template) -> None:
        fields = {str(p.name).strip(): self.plain(p.value) for p in template.params if p.showkey}
        if not self.infobox:
            self.infobox = {key: value for key, value in fields.items() if key and value}

    def _short_citation(self, template: Template, plain: bool) -> str:
        """{{sfn|Author|Year|p=5}}: a footnote whose reference is its own arguments."""
        args = [self.plain(p.value) for p in template.params if not p.showkey]
        page = self.plain(_named(template, "p", "pp")) or None
        text = " ".join(args) + (f", p. {page}" if page else "")
        if text not in self._keyed:
            number = len(self.references) + 1
            self.references[number] = Reference(number=number, text=text)
            self._keyed[text] = number
        return "" if plain else f"[{self._keyed[text]}]"


def _named(template: Template, *names: str) -> Wikicode | None:
    """The value of the first of `names` the template has."""
    return next((p.value for p in template.params if str(p.name).strip() in names), None)


def _is_citation(template: Template) -> bool:
    name = str(template.name).strip().lower()
    return name.startswith("cite") or name == "citation"


def _first(args: list[str]) -> str:
    return args[0] if args else ""


def _last(args: list[str]) -> str:
    return args[-1] if args else ""


def _second(args: list[str]) -> str:
    return args[1] if len(args) > 1 else _first(args)


def _convert(args: list[str]) -> str:
    """{{convert|40|km}} -> "40 km"; {{convert|4|to|5|km}} -> "4 to 5 km"; "-" -> "4–5 km"."""
    if len(args) >= 4 and args[1] in ("-", "–", "to", "and", "or", "by", "x", "×", "+"):
        joiner = "–" if args[1] in ("-", "–") else f" {args[1]} "
        return f"{args[0]}{joiner}{args[2]} {args[3]}"
    return " ".join(args[:2])


def _date(args: list[str]) -> str:
    """{{start date|2024|11|27}} -> "27 November 2024"."""
    numbers = [int(a) for a in args[:3] if a.isdigit()]
    if len(numbers) == 3 and 1 <= numbers[1] <= 12:
        return f"{numbers[2]} {_MONTHS[numbers[1] - 1].title()} {numbers[0]}"
    if len(numbers) == 2 and 1 <= numbers[1] <= 12:
        return f"{_MONTHS[numbers[1] - 1].title()} {numbers[0]}"
    return _first(args)


def _constant(value: str) -> Callable[[list[str]], str]:
    return lambda _args: value


def _joined(args: list[str]) -> str:
    return "; ".join(a for a in args if a)


_QUOTE_TEMPLATES = frozenset({"quote", "blockquote", "cquote", "quote box", "quotation"})
# Templates that print text (besides quotes); every other template prints nothing.
_TEXT_TEMPLATES: dict[str, Callable[[list[str]], str]] = {
    **dict.fromkeys(("convert", "cvt"), _convert),
    **dict.fromkeys(("start date", "end date", "start date and age", "end date and age"), _date),
    **dict.fromkeys(
        ("nowrap", "nobr", "small", "big", "abbr", "ill", "interlanguage link", "flag",
         "flagcountry", "flagu", "keep together", "plainlist", "plain list", "flatlist", "sic"),
        _first,
    ),
    **dict.fromkeys(("lang", "native name"), _second),
    **dict.fromkeys(("transl", "transliteration"), _last),
    **dict.fromkeys(("ubl", "unbulleted list", "hlist", "bulleted list", "ordered list"), _joined),
    "circa": lambda args: f"c. {_first(args)}",
    "ndash": _constant("–"),
    "mdash": _constant("—"),
    "snd": _constant(" – "),
    "spaced ndash": _constant(" – "),
    "nbsp": _constant(" "),
    "!": _constant("|"),
}
