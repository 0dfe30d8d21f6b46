"""The topics' word counts: scikit-learn's ``CountVectorizer`` with a faster fit.

Imported only for a fit (it imports scikit-learn, seconds of start-up a small corpus
never needs)."""
from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

__all__ = ["TopicCounts"]


class TopicCounts(CountVectorizer):
    """``CountVectorizer(analyzer=terms)`` for a :class:`analysis.topics._TopicTerms`
    ``terms``, the same vocabulary and counts to the bit.

    Its fit counted a text with a Python loop per word (the analyzer's list of kept words,
    then a dict update for each): here each distinct word is judged and numbered once,
    and a text's words are counted by one ``Counter`` over their numbers, mapped in C.
    The numbers are those the loop gave (each kept word's first appearance in the corpus),
    and each row's counts are in the same order (the word's first appearance in the
    text), so sorting and cutting the vocabulary afterwards give the same matrix."""

    def _count_vocab(self, raw_documents, fixed_vocab):
        if fixed_vocab:   # transform: as scikit-learn counts
            return super()._count_vocab(raw_documents, fixed_vocab)
        terms = self.analyzer
        vocabulary: dict[str, int] = {}
        numbers = _Numbers(terms, vocabulary)
        number = numbers.__getitem__
        # A document may come as the ids of its words, read already (words_by_id).
        by_id = _IdNumbers(numbers, getattr(self, "words_by_id", ())).__getitem__
        indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for text in raw_documents:
            if isinstance(text, str):
                counted = Counter(map(number, terms.words(text)))
            else:
                counted = Counter(map(by_id, text))
            counted.pop(-1, None)   # the words a topic cannot stand for
            indices.extend(counted.keys())
            values.extend(counted.values())
            indptr.append(len(indices))
        if not vocabulary:
            raise ValueError("empty vocabulary; perhaps the documents only contain stop words")
        dtype = np.int64 if indptr[-1] > np.iinfo(np.int32).max else np.int32
        counts = sparse.csr_matrix((np.asarray(values, dtype=np.intc),
                                    np.asarray(indices, dtype=dtype),
                                    np.asarray(indptr, dtype=dtype)),
                                   shape=(len(indptr) - 1, len(vocabulary)), dtype=self.dtype)
        counts.sort_indices()
        return vocabulary, counts


class _Numbers(dict):
    """word -> its number in ``vocabulary`` (the next one when first kept), or -1 for a
    word ``terms`` leaves out."""

    def __init__(self, terms, vocabulary: dict[str, int]) -> None:
        super().__init__()
        self.terms, self.vocabulary = terms, vocabulary

    def __missing__(self, word: str) -> int:
        vocabulary = self.vocabulary
        n = self[word] = (vocabulary.setdefault(word, len(vocabulary))
                          if self.terms.keeps(word) else -1)
        return n


class _IdNumbers(dict):
    """word id -> the number of its word (:class:`_Numbers`), for ids of ``words``."""

    def __init__(self, numbers: _Numbers, words) -> None:
        super().__init__()
        self.numbers, self.words = numbers, words

    def __missing__(self, i: int) -> int:
        n = self[i] = self.numbers[self.words[i]]
        return n
