"""Document sentiment: VADER compound per sentence, averaged per document."""
from __future__ import annotations

import math

import pytest

from analysis.corpus import Corpus, Document
from analysis.progress import Cancelled
from analysis.sentiment import DOCUMENT_COLUMNS, SENTENCE_COLUMNS, SentimentAnalyzer, vader


def _scores(*sentences: str) -> list[float]:
    return [vader().polarity_scores(s)["compound"] for s in sentences]


def test_sentence_scores_and_document_mean():
    good = "The summit was a great success and both sides were happy."
    bad = "The talks failed and the sanctions caused terrible damage."
    flat = "The delegation arrived on Tuesday."
    corpus = Corpus([Document("a", f"{good} {bad}\n{flat}"), Document("b", good)])
    result = SentimentAnalyzer().fit_transform(corpus)
    g, b, f = _scores(good, bad, flat)
    assert g > 0.5 and b < -0.5 and f == 0.0
    sent = result.sentences
    assert list(sent.columns) == list(SENTENCE_COLUMNS)
    assert sent[sent.doc_id == "a"]["compound"].tolist() == pytest.approx([g, b, f])
    assert sent[sent.doc_id == "a"]["paragraph"].tolist() == [0, 0, 1]
    first = sent.iloc[1]
    assert corpus["a"].text[first.start:first.end] == bad
    docs = result.documents
    assert list(docs.columns) == list(DOCUMENT_COLUMNS)
    assert docs.loc["a", "mean"] == pytest.approx((g + b + f) / 3)
    assert docs.loc["a", "positive_share"] == pytest.approx(1 / 3)
    assert docs.loc["a", "negative_share"] == pytest.approx(1 / 3)
    assert docs.loc["b", "mean"] == pytest.approx(g)
    assert docs.loc["b", "positive_share"] == 1.0


def test_empty_corpus_and_empty_document():
    result = SentimentAnalyzer().transform(Corpus())
    assert result.documents.empty and list(result.documents.columns) == list(DOCUMENT_COLUMNS)
    assert result.sentences.empty and list(result.sentences.columns) == list(SENTENCE_COLUMNS)
    blank = SentimentAnalyzer().transform(Corpus([Document("x", "   ")]))
    assert math.isnan(blank.documents.loc["x", "mean"])


def test_deterministic_and_cancel():
    corpus = Corpus([Document("a", "Good news. Bad news.")])
    one = SentimentAnalyzer().transform(corpus)
    two = SentimentAnalyzer().transform(corpus)
    assert one.documents.equals(two.documents)

    def cancel(_f):
        raise Cancelled

    with pytest.raises(Cancelled):
        SentimentAnalyzer().transform(corpus, progress=cancel)
