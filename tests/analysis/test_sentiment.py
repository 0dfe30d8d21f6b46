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


def _former_tables(corpus: Corpus, compound) -> tuple:
    """The analyzer's two tables as they were built before: one tuple per sentence, then
    a frame cast column by column, and three numpy means per document (frozen here)."""
    import numpy as np
    import pandas as pd

    from analysis.base import empty_documents_frame
    from analysis.text import segment

    rows, doc_rows = [], []
    for doc in corpus.documents:
        sentences = segment(doc.text).sentences
        scores = [compound(s.text) for s in sentences]
        rows.extend([(doc.doc_id, s.index, s.paragraph, s.start, s.end, c)
                     for s, c in zip(sentences, scores, strict=True)])
        if scores:
            arr = np.asarray(scores)
            doc_rows.append((float(arr.mean()), float((arr >= 0.05).mean()),
                             float((arr <= -0.05).mean())))
        else:
            doc_rows.append((np.nan, np.nan, np.nan))
    documents = empty_documents_frame(DOCUMENT_COLUMNS) if not len(corpus) else pd.DataFrame(
        doc_rows, columns=list(DOCUMENT_COLUMNS),
        index=pd.Index(corpus.ids, name="doc_id", dtype=object))
    sentences = pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS)).astype(
        {"doc_id": object, "sentence": np.int64, "paragraph": np.int64, "start": np.int64,
         "end": np.int64, "compound": float})
    return documents, sentences


def test_tables_equal_the_former_row_by_row_build_to_the_bit(monkeypatch):
    """Random compound scores (so that the means' last bits and the cut-offs are met:
    exactly +-0.05, zeros, long documents past numpy's pairwise blocks), documents
    without sentences, an empty corpus: both tables equal the former build exactly,
    dtypes and index types included."""
    import random

    import pandas as pd

    import analysis.sentiment as sentiment

    rng = random.Random(16)
    values = [0.05, -0.05, 0.0, 0.0499, -0.0501, 1.0, -1.0]

    def compound(text: str) -> float:
        return rng.choice(values) if rng.random() < 0.3 else round(rng.uniform(-1, 1), 4)

    class Fake:
        def __init__(self):
            self.compound = compound

    monkeypatch.setattr(sentiment, "fast_vader", Fake)
    for _ in range(40):
        docs = []
        for i in range(rng.choice([0, 1, 3, 9])):
            n = rng.choice([0, 1, 2, 7, 8, 9, 17, 130, 300])
            docs.append(Document(f"d{i}", " ".join(f"Line {k} here." for k in range(n))))
        corpus = Corpus(docs)
        state = rng.getstate()
        got = SentimentAnalyzer().fit_transform(corpus)
        rng.setstate(state)  # the same scores for the former build
        documents, sentences = _former_tables(corpus, compound)
        for new, old in ((got.documents, documents), (got.sentences, sentences)):
            pd.testing.assert_frame_equal(new, old, check_exact=True)
            assert type(new.index) is type(old.index)
        assert got.documents.to_numpy().tobytes() == documents.to_numpy().tobytes()
