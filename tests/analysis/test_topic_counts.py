"""The topics' fitted counts (analysis.topic_counts.TopicCounts) equal scikit-learn's
CountVectorizer with the same analyzer, to the bit: vocabulary, counts, and each row's
order (the TF-IDF row norms are summed in it)."""
from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

from analysis.corpus import Corpus, Document
from analysis.topic_counts import TopicCounts
from analysis.topics import TopicAnalyzer, _TopicTerms
from benchmarks.make_corpus import make_article

ODD = ["", "a I 7 42 -- ...", "The the THE and of", "Россия и Китай подписали соглашение.",
       "中国 和 俄罗斯 签署 协议。", "snake_case words_here and China’s gas, China's oil.",
       "x y z energy energy energy pipeline", "   \n\n  ", "co-operation U.S. 3.5% rose"]


def _texts(n: int = 300, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    # Generated articles, with rare made-up words so that the vocabulary is cut by
    # max_features among many ties.
    texts = [make_article(rng, rng.choice(["chinese", "western"]), rng.randint(5, 200))
             + " ".join(rng.choice("bcdklmnprst") + rng.choice("aeiou") + rng.choice("ntrs")
                        for _ in range(rng.randint(0, 30)))
             for _ in range(n)]
    for i, odd in enumerate(ODD):
        texts.insert(7 * i, odd)
    return texts


def _fit(kind, texts, max_features):
    stop = TopicAnalyzer()._stop()
    counter = kind(analyzer=_TopicTerms(stop), max_features=max_features, dtype=np.float64)
    return counter, counter.fit_transform(iter(texts))


def _same(x, y) -> None:
    assert type(x) is type(y) and x.dtype == y.dtype and x.shape == y.shape
    for part in ("indptr", "indices", "data"):
        a, b = getattr(x, part), getattr(y, part)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), part


@pytest.mark.parametrize("max_features", [5000, 40, None])
def test_fit_equals_countvectorizer(max_features):
    texts = _texts()
    old, old_counts = _fit(CountVectorizer, texts, max_features)
    new, new_counts = _fit(TopicCounts, texts, max_features)
    assert list(new.vocabulary_.items()) == list(old.vocabulary_.items())
    _same(new_counts, old_counts)
    # transform (the fitted vocabulary) counts as scikit-learn does
    _same(new.transform(texts[::-1]), old.transform(texts[::-1]))


def test_no_words_is_an_error_as_before():
    for kind in (CountVectorizer, TopicCounts):
        with pytest.raises(ValueError):
            _fit(kind, ["", "a the of", "--"], 5000)


def test_topic_shares_unchanged(monkeypatch):
    """The whole topic fit with the stock counter gives the same shares and topics."""
    corpus = Corpus(Document(f"d{i}", t) for i, t in enumerate(_texts(200, seed=5)))
    new = TopicAnalyzer(n_topics=4, seed=11).fit_transform(corpus)
    import analysis.topic_counts as topic_counts

    monkeypatch.setattr(topic_counts, "TopicCounts", CountVectorizer)
    old = TopicAnalyzer(n_topics=4, seed=11).fit_transform(corpus)
    assert new.documents.to_numpy().tobytes() == old.documents.to_numpy().tobytes()
    assert list(new.documents.index) == list(old.documents.index)
    assert new.topics == old.topics and new.note == old.note
