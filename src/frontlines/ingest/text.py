"""Plain-text reader: the text as it is, its title, and the reference list it carries."""

from __future__ import annotations

from ..model import Document
from ..registry import readers
from ..text.footnotes import parse_reference_section
from ..text.infobox import flattened_infobox
from ..text.layout import guess_title


@readers.register("text")
def read_text(text: str, *, source: str | None = None) -> Document:
    doc = Document(text=text, title=guess_title(text), source=source, format="text")
    doc.references = parse_reference_section(text)
    doc.infobox = flattened_infobox(text)
    return doc
