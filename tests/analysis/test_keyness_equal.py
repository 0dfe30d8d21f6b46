"""Keyness read from the count matrix in blocks gives every table the code it replaced
gave (``benchmarks.keyness_reference``): same terms, counts, documents, outlets, z,
Log Ratio, G2 and p values, bit for bit, and the term counts of a fit merged with the
new merge equal those of the old one."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

import analysis.keyness as keyness
from analysis.corpus import Corpus, Document
from analysis.keyness import TermCounter, compare
from benchmarks.keyness_reference import compare as reference_compare
from benchmarks.keyness_reference import merge_counts as reference_merge
from benchmarks.keyness_reference import term_counts as reference_term_counts
from benchmarks.make_corpus import make_article

_GROUPS = ("chinese", "western")
_OUTLETS = ("Xinhua", "Reuters", "BBC News", "", "CGTN")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    rng = random.Random(11)
    docs = []
    for i in range(240):
        group = _GROUPS[i % 2]
        text = make_article(rng, group, rng.choice([0, 5, 40, 120]))
        if i % 37 == 0:
            text = "1999 2000, 42."   # words, but no term: a row with no entries
        docs.append(Document(doc_id=f"d{i:03d}", text=text,
                             meta={"outlet": _OUTLETS[i % len(_OUTLETS)], "group": group}))
    return Corpus(docs)


@pytest.fixture(scope="module")
def counts(corpus):
    return TermCounter().fit_transform(corpus)


def _sides(corpus):
    ids = corpus.ids
    return [(ids[0::2], ids[1::2]),                 # the two groups
            (ids[:10], ids[10:]),                   # one small side against the rest
            (ids[:1], ids[1:3]),                    # one document against two
            (ids[::3], ids[::5]),                   # overlapping sides
            (ids[5:80] + ["unknown"], ids[80:])]    # an id the counts do not hold


@pytest.mark.parametrize("block_rows", [3, 4096])
@pytest.mark.parametrize("top_n", [0, 5, 30])
def test_compare_equals_the_reference(corpus, counts, monkeypatch, block_rows, top_n):
    monkeypatch.setattr(keyness, "_BLOCK_ROWS", block_rows)
    outlets = {d.doc_id: d.get("outlet") for d in corpus}
    checked_p = 0
    for ids_a, ids_b in _sides(corpus):
        new = compare(counts, ids_a, ids_b, outlets=outlets, top_n=top_n)
        old = reference_compare(counts, ids_a, ids_b, outlets=outlets, top_n=top_n)
        for part in ("a", "b", "all"):
            pd.testing.assert_frame_equal(getattr(new, part), getattr(old, part),
                                          check_exact=True)
        assert (new.n_documents_a, new.n_documents_b) == (old.n_documents_a,
                                                          old.n_documents_b)
        checked_p += int(new.all["p_doc"].notna().sum())
    assert (checked_p > 0) == (top_n > 0)


def test_compare_without_outlets_equals_the_reference(corpus, counts):
    ids = corpus.ids
    new = compare(counts, ids[:120], ids[120:])
    old = reference_compare(counts, ids[:120], ids[120:])
    pd.testing.assert_frame_equal(new.all, old.all, check_exact=True)
    assert new.all["outlets_a"].eq(0).all()


def test_the_fit_merge_equals_the_reference():
    rng = np.random.default_rng(3)
    keys, df = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    old_keys, old_df = keys, df
    for _ in range(6):
        pending = [np.unique(rng.integers(1, 400, size=rng.integers(0, 60)))
                   for _ in range(rng.integers(1, 9))]
        keys, df = keyness._merge_counts(keys, df, pending)
        old_keys, old_df = reference_merge(old_keys, old_df, pending)
        np.testing.assert_array_equal(keys, old_keys)
        np.testing.assert_array_equal(df, old_df)
        assert keys.dtype == old_keys.dtype and df.dtype == old_df.dtype


def test_term_counts_do_not_depend_on_when_keys_are_merged(corpus, monkeypatch):
    whole = TermCounter().fit_transform(corpus)
    monkeypatch.setattr(keyness, "_MERGE_EVERY", 50)
    merged_often = TermCounter().fit_transform(corpus)
    assert merged_often.terms == whole.terms
    assert (merged_often.matrix != whole.matrix).nnz == 0
    np.testing.assert_array_equal(merged_often.matrix.indptr, whole.matrix.indptr)
    np.testing.assert_array_equal(merged_often.n_words, whole.n_words)


def _same_counts(new, old) -> None:
    assert new.terms == old.terms and new.doc_ids == old.doc_ids
    for part in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(new.matrix, part), getattr(old.matrix, part))
        assert getattr(new.matrix, part).dtype == getattr(old.matrix, part).dtype
    assert new.matrix.shape == old.matrix.shape
    np.testing.assert_array_equal(new.n_words, old.n_words)


def test_the_count_matrix_equals_the_reference(corpus):
    counter = TermCounter()
    fitted = counter.fit_transform(corpus)      # written into arrays sized by the fit
    old = reference_term_counts(counter, corpus)
    _same_counts(fitted, old)
    _same_counts(counter.transform(corpus), old)  # arrays grown as rows come
    assert fitted.matrix.nnz > 1000


def test_counting_an_empty_corpus_gives_an_empty_matrix():
    counter = TermCounter().fit(Corpus([Document(doc_id="a", text="one two three")]))
    counts = counter.transform(Corpus())
    assert counts.matrix.shape == (0, len(counter.terms_)) and counts.matrix.nnz == 0
