"""Readers: files and strings in any supported format become a `Document`.

A reader is a callable `(text: str, *, source: str | None) -> Document`, registered by name
in `frontlines.registry.readers`.  `read_document` picks one from the file name or content.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..model import Document
from ..registry import readers

# Importing the modules registers the built-in readers; HTML and wikitext (lxml,
# mwparserfromhell) are imported when a document of theirs is first read.
from . import text as _text  # noqa: F401
from .language import script_warning
from .loading import decode, read_bytes
from .published import GIVEN, resolve_published

EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".wiki": "wikitext",
    ".wikitext": "wikitext",
    ".mediawiki": "wikitext",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
}

readers.register_lazy("html", f"{__name__}.html:read_html")
readers.register_lazy("wikitext", f"{__name__}.wikitext:read_wikitext")

_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|article|div|p)\b", re.I | re.S)
_WIKI_SIGNS = re.compile(r"(\{\{\s*[Ii]nfobox|\{\{\s*[Cc]ite\s|<ref[ >]|\[\[[^\]]+\]\]|^==+[^=\n]+==+\s*$|'''[^'\n]+''')", re.M)


def detect_format(text: str, source: str | None = None) -> str:
    """Guess the reader from the file extension, else from the content."""
    if source:
        ext = Path(source).suffix.lower()
        if ext in EXTENSIONS and EXTENSIONS[ext] != "text":
            return EXTENSIONS[ext]
    head = text[:4096]
    if _HTML_START.match(head):
        return "html"
    if len(_WIKI_SIGNS.findall(text[:20000])) >= 3:
        return "wikitext"
    return "text"


def read_string(
    text: str,
    *,
    format: str | None = None,
    source: str | None = None,
    published: date | None = None,
    default_published: date | None = None,
    published_source: str = GIVEN,
) -> Document:
    """Read a document from a string already decoded.  `published` is this document's date
    (it wins); `default_published` only dates a document that carries no date of its own."""
    if not text.strip():
        raise InputError("empty document", source)
    reader = readers.get(format or detect_format(text, source))
    doc = reader(text, source=source)
    warning = script_warning(doc.text)
    if warning and warning not in doc.warnings:
        doc.warnings.append(warning)
    return resolve_published(doc, given=published, given_source=published_source,
                             default=default_published)


def read_document(
    path: str | Path,
    *,
    format: str | None = None,
    published: date | None = None,
    limit: int | None = None,
    default_published: date | None = None,
    published_source: str = GIVEN,
) -> Document:
    """Read one file into a Document; every problem raises an InputError naming the file."""
    name = str(path)
    text = decode(read_bytes(path, limit), name)
    return read_string(text, format=format, source=name, published=published,
                       default_published=default_published, published_source=published_source)
