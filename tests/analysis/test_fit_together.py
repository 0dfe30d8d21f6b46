"""The topics fitted from the words the term counts read (analysis.corpus_stage._fitted,
together) equal the topics and term counts fitted apart, to the bit, on texts whose
words are read alike and on those that are not (another script than their stored
language, lemmatised, segmented, a run of "_" between sentences)."""
from __future__ import annotations

import random

import pytest

from analysis.corpus import Corpus, Document
from analysis.corpus_stage import _fitted
from analysis.keyness import TermCounter
from analysis.text import segment, words
from analysis.topics import TopicAnalyzer
from benchmarks.make_corpus import make_article

ODD = [("Россия и Китай подписали соглашение о газе. Газпром и CNPC.", "ru"),
       ("Россия и Китай подписали соглашение о газе.", "en"),
       ("Gas deal signed in Moscow. Russia's exports rose.", "ru"),
       ("中国 和 俄罗斯 签署 天然气 协议。双方 同意。", "zh"),
       ("Pipeline talks went on.", "zh-CN"),
       ("Gas talks.\n___\nThe snake_case pipeline deal, U.S. officials said.", "en"),
       ("Exports rose. ___ The pipeline deal ... went on – and on.", ""),
       ("", "en"), ("--- ... !!!", "en"), ("China’s gas and China's oil; the deal's end.", "en-GB")]


def _corpus(n: int = 120, seed: int = 9) -> Corpus:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = make_article(rng, rng.choice(["chinese", "western"]), rng.randint(20, 150))
        docs.append(Document(f"d{i:03}", text, {"language": rng.choice(["en", "", "en-US"])}))
    for i, (text, lang) in enumerate(ODD * 2):
        docs.insert(5 * i, Document(f"odd{i}", text, {"language": lang}))
    return Corpus(docs)


def _jobs():
    return [("topics", TopicAnalyzer(n_topics=4, seed=3)),
            ("terms", TermCounter(ngram_max=3, min_docs=2))]


def _same(a: dict, b: dict) -> None:
    ta, tb = a["topics"], b["topics"]
    assert ta.documents.to_numpy().tobytes() == tb.documents.to_numpy().tobytes()
    assert list(ta.documents.index) == list(tb.documents.index)
    assert list(ta.documents.columns) == list(tb.documents.columns)
    assert ta.topics == tb.topics and ta.note == tb.note
    ca, cb = a["terms"], b["terms"]
    for part in ("data", "indices", "indptr"):
        assert getattr(ca.matrix, part).tobytes() == getattr(cb.matrix, part).tobytes()
    assert ca.terms == cb.terms and list(ca.doc_ids) == list(cb.doc_ids)
    assert ca.n_words.tobytes() == cb.n_words.tobytes()


@pytest.mark.parametrize("seed", [9, 10])
def test_together_equals_apart(seed):
    corpus = _corpus(seed=seed)
    apart = _fitted(_jobs(), corpus, together=False)
    segment.cache_clear()
    together = _fitted(_jobs(), corpus, together=True)
    assert list(together) == ["topics", "terms"]
    _same(together, apart)


def test_words_read_are_the_words_of_the_text():
    """Where the term counts give ids, they are the ids of words(text), in order; the
    documents read differently give their text."""
    corpus = _corpus()
    counter = TermCounter()
    encoded = counter.fit_encoded(corpus)
    by_id = list(counter.word_ids_)
    given = list(counter.words_read(encoded, corpus))
    as_ids = 0
    for doc, read in zip(corpus.documents, given, strict=True):
        if isinstance(read, str):
            assert read == doc.text
        else:
            as_ids += 1
            assert [by_id[i] for i in read] == words(doc.text)
    texts = {doc.doc_id for doc, read in zip(corpus.documents, given, strict=True)
             if isinstance(read, str)}
    assert {"odd0", "odd1", "odd2", "odd3", "odd4", "odd5", "odd6"} <= texts
    assert as_ids >= 120


def test_one_analyzer_is_fitted_alone():
    corpus = _corpus(60)
    for jobs in (_jobs()[:1], _jobs()[1:]):
        assert list(_fitted(jobs, corpus, together=True)) == [jobs[0][0]]
