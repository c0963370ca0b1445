"""The linguistic backbone: the cached attribute pass gives the Doc the stock pipeline gives."""

from __future__ import annotations

import subprocess
import sys

import spacy

from frontlines import nlp

# Sentences of our own that touch every kind of rule of the model's attribute ruler: tag map
# entries, words with a tag ("was", "her", "not"), dependency rules ("it" as a subject or an
# object, auxiliaries, "there is"), rules of two tokens ("gon na", "ai n't", "y' all", "let 's").
SENTENCES = [
    "Rebel fighters captured the hilltop village and its headquarters on Tuesday, the monitor said.",
    "The garrison was overwhelmed after it had been shelled for three days; nobody surrendered.",
    "Troops did not withdraw, but they were pushed back from the crossing by her brother's unit.",
    "There is no sign that the militia has handed over the base, which is still held by them.",
    "I ain't gonna leave, y'all gotta see it. Let's go! Something's wrong with me and him.",
    "He said: \"We'd have stormed the airport if we could,\" and then   they   fled\n\n the town.",
    "The army's headquarters fell; the headquarters of the 4th Division was moved to Hama.",
    "",
]


def _attributes(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


def test_fast_attributes_give_the_stock_pipelines_doc():
    stock = spacy.load(nlp.model_name())
    fast = nlp.load()
    assert "frontlines_attributes" in fast.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(fast.disabled)
    # twice: the second pass runs on the caches the first one filled
    for _ in range(2):
        for expected, got in zip(stock.pipe(SENTENCES), fast.pipe(SENTENCES), strict=True):
            assert _attributes(got) == _attributes(expected)


def test_lemmas_of_a_whole_article_are_the_stock_lemmatizers():
    """The lemmatizer's index read as sets (`_Index`) gives every lemma the lists give."""
    from pathlib import Path

    article = Path(__file__).parents[1] / "examples" / "homs-offensive-2024.txt"
    paragraphs = [p for p in article.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    stock, fast = spacy.load(nlp.model_name()), nlp.load()
    index = fast.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(words, nlp._Index) for words in index.values())
    for expected, got in zip(stock.pipe(paragraphs), fast.pipe(paragraphs), strict=True):
        assert [t.lemma_ for t in got] == [t.lemma_ for t in expected]
    stock_index = stock.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    for key, words in index.items():
        assert list(words) == stock_index[key]
        assert "fighter" in words if "fighter" in stock_index[key] else "fighter" not in words


def test_parse_keeps_offsets_and_defuses_long_runs():
    text = "Fighters entered " + "&" * 400 + " the town."
    doc = nlp.parse([text])[0]
    assert doc.text == nlp.parseable(text)
    assert len(doc.text) == len(text)
    assert any(t.lemma_ == "enter" for t in doc)


def test_the_tokenizer_built_once_has_the_models_rules():
    stock = spacy.load(nlp.model_name()).tokenizer
    ours = nlp.load().tokenizer
    assert ours.rules == stock.rules
    for attr in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        assert _pattern(getattr(ours, attr)) == _pattern(getattr(stock, attr))
    text = "U.S.-backed forces didn't enter al-Bab (Aleppo gov.) at 5:30am; e-mail x@y.org :-) 2,000km."
    assert [t.text for t in ours(text)] == [t.text for t in stock(text)]


def _pattern(method):
    return None if method is None else method.__self__.pattern


def test_loading_leaves_out_spacys_command_line_until_asked():
    code = ("import sys\nfrom frontlines import nlp\nnlp.load()\n"
            "print('spacy.cli' in sys.modules, 'requests' in sys.modules)\n"
            "import spacy.cli\nprint(callable(spacy.cli.download), callable(sys.modules['spacy'].info))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "True", "True"]


def test_loading_leaves_out_pydantics_v1_api_until_asked():
    code = ("import sys\nfrom frontlines import nlp\nnlp.load()\n"
            "print('pydantic.v1' in sys.modules)\n"
            "import pydantic.v1\nprint(pydantic.v1.BaseModel.__module__)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "pydantic.v1.main"]


def test_registries_list_what_catalogues_own_get_all_lists():
    import catalogue

    nlp.load()
    faster = catalogue.Registry.get_all
    assert getattr(faster, "frontlines_faster", False)
    registries = [getattr(spacy.registry, name) for name in spacy.registry.get_registry_names()]
    registries += [catalogue.create("srsly", "msgpack_decoders"), catalogue.create("thinc", "ops")]
    assert len(registries) > 20
    for registry in registries:
        assert list(faster(registry).items()) == list(faster.original(registry).items()), registry.namespace


def test_token_at_finds_the_token_covering_each_character():
    for doc in nlp.parse(SENTENCES):
        for char in range(-1, len(doc.text) + 2):
            expected = next((t for t in doc if t.idx <= char < t.idx + len(t.text)), None)
            got = nlp.token_at(doc, char)
            assert (got.i if got is not None else None) == (expected.i if expected is not None else None)


def test_tokens_with_lemma_are_those_a_loop_over_the_tokens_finds():
    wanted = frozenset({"capture", "headquarters", "be", "base"})
    for doc in nlp.parse(SENTENCES + ["Rebels Captured the BASE; bases were captured."]):
        assert nlp.tokens_with_lemma(doc, wanted) == [t for t in doc if t.lemma_.lower() in wanted]


# Entities at the edges of what the recognizer decides: one at the very end, one of a single
# token, several words long, two in a row, a sentence boundary inside a Doc, spaces.
ENTITY_CASES = [
    "Damascus",
    "Forces of the Syrian Democratic Forces entered Raqqa on 17 October 2017 and the Kurdish YPG left.",
    "The United Nations Security Council met in New York. Russia and China vetoed it on Friday",
    "Mr. Abdul Karim al-Hassan  \n  met   Lt. Gen. John Smith of the U.S. Army in Kyiv, Ukraine, on May 5.",
    "Between 300 and 400 fighters of the 25th Special Mission Forces Division held the Tabqa Dam.",
]


def _entities(doc) -> tuple[list[tuple], list[str]]:
    return [(e.start, e.end, e.label_) for e in doc.ents], [t.ent_iob_ for t in doc]


def test_fast_entities_are_the_stock_recognizers():
    """The vectorised decoding takes the decisions spaCy's takes: the same entities, label for
    label, and the same IOB of every token, for Docs alone and in batches."""
    from pathlib import Path

    root = Path(__file__).parents[1]
    texts = [p for path in [root / "examples" / "homs-offensive-2024.txt", *sorted((root / "tests" / "data" / "gold").glob("*.txt"))]
             for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    texts += SENTENCES + ENTITY_CASES
    stock, fast = spacy.load(nlp.model_name()), nlp.load()
    assert "frontlines_entities" in fast.pipe_names and "ner" in fast.disabled
    expected = [_entities(doc) for doc in stock.pipe(texts)]
    assert sum(len(ents) for ents, _ in expected) > 1000
    assert [_entities(doc) for doc in fast.pipe(texts, batch_size=64)] == expected
    assert [_entities(fast(text)) for text in SENTENCES + ENTITY_CASES] == expected[-len(SENTENCES + ENTITY_CASES):]


def test_fast_entities_leave_entities_set_beforehand_to_the_stock_recognizer():
    from spacy.tokens import Span

    fast = nlp.load()
    stock = spacy.load(nlp.model_name()).get_pipe("ner")
    docs = []
    for _ in range(2):
        doc = fast(ENTITY_CASES[1], disable=["frontlines_entities"])
        doc.set_ents([Span(doc, 2, 4, label="ORG")], default="unmodified")
        docs.append(doc)
    fast.get_pipe("frontlines_entities")(docs[0])
    stock(docs[1])
    assert _entities(docs[0]) == _entities(docs[1])
    assert (2, 4, "ORG") in _entities(docs[0])[0]


def test_a_recognizer_of_another_kind_keeps_its_own_decoding():
    other = spacy.load(nlp.model_name())
    other.get_pipe("ner").cfg["beam_width"] = 4
    other = nlp._with_fast_entities(other)
    assert "frontlines_entities" not in other.pipe_names and "ner" not in other.disabled
