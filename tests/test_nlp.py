"""The linguistic backbone: the cached attribute pass gives the Doc the stock pipeline gives."""

from __future__ import annotations

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


def test_parse_keeps_offsets_and_defuses_long_runs():
    text = "Fighters entered " + "&" * 400 + " the town."
    doc = nlp.parse([text])[0]
    assert doc.text == nlp.parseable(text)
    assert len(doc.text) == len(text)
    assert any(t.lemma_ == "enter" for t in doc)
