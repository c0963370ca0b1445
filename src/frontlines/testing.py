"""Hostile inputs of any size, for the robustness tests and the complexity benchmark.

Each shape is a function `size -> bytes` that makes a document of about `size` bytes in one
of the forms that once made a stage superlinear: runs of separators, one huge line, long
lists, floods of tiny sentences or entities, huge tag counts, deep nesting.  The words are
generic war-report English and the country's big cities, never a test document's sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

CITIES = ("Homs", "Hama", "Aleppo", "Idlib", "Latakia", "Tartus", "Raqqa", "Deir ez-Zor")
PROSE = (
    "On 3 March 2021, government forces shelled the outskirts of {city}, a monitor said. "
    "Rebels said they had repelled an attack near {city} and captured two tanks. "
)


@dataclass(frozen=True, slots=True)
class Shape:
    """A hostile input: its name, the file suffix that picks its reader, and its maker."""

    name: str
    suffix: str
    make: Callable[[int], bytes]


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // max(1, len(unit.encode("utf-8"))))


def _prose(size: int) -> str:
    units = [PROSE.format(city=city) for city in CITIES]
    text, length, index = [], 0, 0
    while length < size:
        piece = units[index % len(units)]
        text.append(piece)
        length += len(piece)
        index += 1
    return "".join(text)


def _paragraphs(size: int) -> bytes:
    return _prose(size).replace("said. ", "said.\n\n").encode()


def _runs(separator: str) -> Callable[[int], bytes]:
    def make(size: int) -> bytes:
        return _repeat("Rebels captured " + separator * 10_000 + " Homs ", size).encode()
    return make


def _city_list(size: int) -> bytes:
    names = ", ".join(CITIES)
    return ("Opposition forces captured " + _repeat(names + ", ", size) + "and Damascus.").encode()


def _tiny_sentences(size: int) -> bytes:
    return _repeat("He ran. ", size).encode()


def _entities(size: int) -> bytes:
    return f"<html><body><p>Rebels {_repeat('&amp;', size)} captured Homs.</p></body></html>".encode()


def _tags(tag: str) -> Callable[[int], bytes]:
    def make(size: int) -> bytes:
        return f"<html><body>{_repeat(f'<{tag}>x', size)}</body></html>".encode()
    return make


def _attributes(size: int) -> bytes:
    attributes = "".join(f' data-a{i}="v"' for i in range(max(1, size // 12)))
    return f"<html><body><p{attributes}>Rebels captured Homs on 3 March 2021.</p></body></html>".encode()


def _nesting(size: int) -> bytes:
    depth = max(1, size // 2)
    return ("Rebels " + "(" * depth + "captured Homs" + ")" * depth + ".").encode()


def _quotes(size: int) -> bytes:
    return ("He said " + _repeat('"they said \'', size // 2) + "Homs fell." + "'\"" * (size // 26)).encode()


def _triggers(size: int) -> bytes:
    return _repeat("captured seized shelled attacked withdrew from clashes killed ", size).encode()


def _wikitext(size: int) -> bytes:
    return _repeat("{{Infobox [[Homs|<ref>{| '''x ", size).encode()


def _rtl(size: int) -> bytes:
    return _repeat("Rebels captured \u202eحمص\u202c Homs \u05d7\u05de\u05e1 \u200fالرستن ", size).encode()


SHAPES: tuple[Shape, ...] = (
    Shape("spaces-between-words", ".txt", _runs(" ")),
    Shape("dots-between-words", ".txt", _runs(".")),
    Shape("one-line-of-prose", ".txt", lambda size: _prose(size).encode()),
    Shape("list-of-places", ".txt", _city_list),
    Shape("tiny-sentences", ".txt", _tiny_sentences),
    Shape("entity-flood", ".html", _entities),
    Shape("million-p-tags", ".html", _tags("p")),
    Shape("million-a-tags", ".html", _tags("a")),
    Shape("prose-paragraphs", ".txt", _paragraphs),
    Shape("nested-parentheses", ".txt", _nesting),
    Shape("trigger-flood", ".txt", _triggers),
    Shape("many-attributes", ".html", _attributes),
    Shape("nested-quotes", ".txt", _quotes),
    Shape("malformed-wikitext", ".wiki", _wikitext),
    Shape("mixed-right-to-left", ".txt", _rtl),
)
# The twelve shapes that made the whole batch hang at a megabyte (the FIFO is the 13th case,
# a special file, tested apart); the others were slow, not hung.
HANG_SHAPES = tuple(s.name for s in SHAPES[:12])


def shape(name: str) -> Shape:
    """The shape called `name`."""
    for item in SHAPES:
        if item.name == name:
            return item
    raise KeyError(name)
