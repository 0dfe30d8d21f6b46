"""The term counts read a text's words and phrase breaks in one pass
(``analysis.keyness._encode``): the same word ids, numbered in the same order, with a 0
between the same chunks as the words of ``analysis.text.phrase_chunks`` looked up chunk
by chunk (the code it replaced, ``benchmarks.keyness_reference.encode_from_chunks``);
and the fitted terms, matrix and word counts are the same bytes."""
from __future__ import annotations

import random

import numpy as np
import pytest

import analysis.keyness as keyness
from analysis.corpus import Corpus, Document
from analysis.keyness import TermCounter, _encode, _unique
from analysis.lang import document_language
from analysis.text import segment
from benchmarks.keyness_reference import encode_from_chunks
from benchmarks.make_corpus import make_article

ODD = [("Россия и Китай подписали соглашение о газе. Газпром и CNPC, «Сила Сибири».", "ru"),
       ("Россия и Китай подписали соглашение о газе.", "en"),
       ("Gas deal signed in Moscow. Russia's exports rose.", "ru"),
       ("中国 和 俄罗斯 签署 天然气 协议。双方 同意，合作（能源）。", "zh"),
       ("Pipeline talks went on.", "zh-CN"),
       ("Gas talks.\n___\nThe snake_case pipeline deal, U.S. officials said.", "en"),
       ("Exports rose. ___ The pipeline deal ... went on – and on - again.", ""),
       ("", "en"), ("--- ... !!!", "en"), (", ; : word", "en"), ("word ; , ;", "en"),
       ("(Reuters) — “Gas,” he said: [sic] {x} …the end… «да»", "en"),
       ("China’s gas and China's oil; the deal's end.", "en-GB"),
       ("Mr. Xi met Dr. Smith in Feb. 2023. The U.S. The talks.\nII. Energy", "en"),
       ("a", ""), ("Ёлка, ёж. Йод?", "ru")]


def _corpus(n: int = 150, seed: int = 5) -> Corpus:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        text = make_article(rng, rng.choice(["chinese", "western"]), rng.randint(0, 150))
        docs.append(Document(f"d{i:03}", text, {"language": rng.choice(["en", "", "ru"])}))
    for i, (text, lang) in enumerate(ODD * 2):
        docs.insert(4 * i, Document(f"odd{i}", text, {"language": lang}))
    return Corpus(docs)


@pytest.mark.parametrize("seed", [5, 6])
def test_encoding_equals_the_chunks_looked_up(seed):
    corpus = _corpus(seed=seed)
    new_ids, old_ids = keyness._WordIds(frozenset()), keyness._WordIds(frozenset())
    for doc in corpus.documents:
        lang = document_language(doc)
        packed, n_words = _encode(doc.text, new_ids.__getitem__, lang)
        old, old_n = encode_from_chunks(doc.text, old_ids.__getitem__, lang)
        assert packed.dtype == np.int64 and n_words == old_n
        assert packed.tobytes() == old.tobytes()
        assert list(new_ids) == list(old_ids)     # every word numbered in the same order


def test_unknown_words_and_a_full_vocabulary(monkeypatch):
    """Words beyond the vocabulary's capacity are id 0 in both (as a break is)."""
    monkeypatch.setattr(keyness, "_MAX_TYPES", 40)
    corpus = _corpus(40)
    new_ids, old_ids = keyness._WordIds(frozenset()), keyness._WordIds(frozenset())
    for doc in corpus.documents:
        packed, n_words = _encode(doc.text, new_ids.__getitem__, document_language(doc))
        old, old_n = encode_from_chunks(doc.text, old_ids.__getitem__, document_language(doc))
        assert packed.tobytes() == old.tobytes() and n_words == old_n
    assert len(new_ids) == 40


def _same_counts(a, b) -> None:
    for part in ("data", "indices", "indptr"):
        assert getattr(a.matrix, part).tobytes() == getattr(b.matrix, part).tobytes()
    assert a.matrix.shape == b.matrix.shape
    assert a.terms == b.terms and list(a.doc_ids) == list(b.doc_ids)
    assert a.n_words.tobytes() == b.n_words.tobytes()


def _old_path(monkeypatch):
    """TermCounter with the encoding and ``np.unique`` it had."""
    monkeypatch.setattr(keyness, "_encode", encode_from_chunks)
    monkeypatch.setattr(keyness, "_unique", np.unique)


@pytest.mark.parametrize("kwargs", [{}, {"ngram_max": 1, "min_docs": 1},
                                    {"ngram_max": 2, "stopwords": "none"}])
def test_fit_and_transform_equal_the_old_path(monkeypatch, kwargs):
    corpus = _corpus()
    fitted = TermCounter(**kwargs)
    new = fitted.fit_transform(corpus)
    again = fitted.transform(corpus)
    segment.cache_clear()
    with monkeypatch.context() as m:
        _old_path(m)
        old_counter = TermCounter(**kwargs)
        old = old_counter.fit_transform(corpus)
        old_again = old_counter.transform(corpus)
    assert len(new.terms) > 50
    _same_counts(new, old)
    _same_counts(again, old_again)
    _same_counts(again, new)


def test_unique_equals_numpy():
    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 7, 1000):
        keys = rng.integers(0, 50, size=size).astype(np.int64) << 30
        assert _unique(keys).tobytes() == np.unique(keys).tobytes()
        got, counts = _unique(keys, return_counts=True)
        want, want_counts = np.unique(keys, return_counts=True)
        assert got.tobytes() == want.tobytes()
        assert counts.dtype == want_counts.dtype
        assert counts.tobytes() == want_counts.tobytes()
