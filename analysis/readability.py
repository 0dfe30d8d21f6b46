"""Readability and lexical variety per document (textstat indices, sentence length, MATTR).

The four formulas (Flesch reading ease, Flesch-Kincaid grade, Gunning fog, SMOG) use
textstat 0.7.8's word, syllable and hard-word counts and Sinoru's own sentences
(:mod:`analysis.text`), the same sentences as the mean sentence length beside them and
every other per-sentence figure in the app.

Type-token ratio depends strongly on text length, so it is reported as the moving-average
TTR (MATTR, Covington & McFall 2010): the mean TTR of every 100-word window. A text
shorter than 100 words gets its plain TTR.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

import numpy as np
import pandas as pd

from analysis.base import Analyzer, empty_documents_frame
from analysis.corpus import Corpus
from analysis.gc_pause import collection_paused
from analysis.lang import document_language, method_available
from analysis.progress import ProgressCallback, iterate
from analysis.syllables import text_counts
from analysis.text import segment

__all__ = ["ReadabilityAnalyzer", "ReadabilityResult", "READABILITY_COLUMNS", "mattr",
           "MIN_WORDS"]

READABILITY_COLUMNS = ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog",
                       "mean_sentence_length", "type_token_ratio")
#: Texts with fewer words get NaN for the textstat indices: the formulas are meaningless there.
MIN_WORDS = 10
#: SMOG is defined on samples of 30 sentences; textstat returns 0 below 3, which we show as NaN.
_SMOG_MIN_SENTENCES = 3
MATTR_WINDOW = 100

NaN = float("nan")


def mattr(tokens: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Moving-average type-token ratio over ``window``-token windows.

    Plain TTR when there are fewer than ``window`` tokens; NaN for no tokens.

    The sum of the windows' type counts is counted per token instead of per window: a
    token adds one type to each window that holds it but not its previous occurrence
    (windows ``j`` with ``previous < j <= i``). Integer arithmetic in numpy, so the
    figure equals sliding a window of counts, without a Python step per token.
    """
    n = len(tokens)
    if n == 0:
        return NaN
    if n < window:
        return len(set(tokens)) / n
    first_seen: dict[str, int] = {}
    # A token's id is the position it first occurs at (setdefault, mapped in C).
    ids = np.fromiter(map(first_seen.setdefault, tokens, count()), dtype=np.int64, count=n)
    order = np.argsort(ids, kind="stable")   # each type's positions, in text order
    previous = np.full(n, -1, dtype=np.int64)
    same = ids[order[1:]] == ids[order[:-1]]
    previous[order[1:][same]] = order[:-1][same]
    position = np.arange(n, dtype=np.int64)
    first_window = np.maximum(previous + 1, position - window + 1)
    last_window = np.minimum(position, n - window)
    total = int(np.maximum(last_window - first_window + 1, 0).sum())
    return total / ((n - window + 1) * window)


@dataclass(frozen=True)
class ReadabilityResult:
    """Readability per document.

    Attributes
    ----------
    documents : DataFrame
        Indexed by ``doc_id``; columns ``flesch_reading_ease, flesch_kincaid_grade,
        gunning_fog, smog`` (textstat; NaN for texts under :data:`MIN_WORDS` words and for
        languages the English formulas are not validated for, SMOG also NaN under 3
        sentences), ``mean_sentence_length`` (words per sentence) and
        ``type_token_ratio`` (MATTR over 100-word windows, plain TTR for shorter texts).
    """

    documents: pd.DataFrame


class ReadabilityAnalyzer(Analyzer):
    """Readability indices, mean sentence length and type-token ratio for each document."""

    section = "readability"

    # No cyclic garbage collection while a chunk is analysed (analysis.gc_pause): the
    # many short-lived objects made here are freed by reference counting, and the
    # collections they set off walk a worker's whole heap of models and lexicons.
    @collection_paused()
    def transform(self, corpus: Corpus,
                  progress: ProgressCallback | None = None) -> ReadabilityResult:
        docs = corpus.documents
        if not docs:
            for _ in iterate((), progress):  # still reports 0 and 1 (and may be cancelled)
                pass
            return ReadabilityResult(empty_documents_frame(READABILITY_COLUMNS))
        rows = []
        for doc in iterate(docs, progress, every=max(1, len(docs) // 200)):
            rows.append(_document_readability(doc.text, document_language(doc)))
        documents = pd.DataFrame(rows, columns=list(READABILITY_COLUMNS),
                                 index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        return ReadabilityResult(documents)


def _document_readability(text: str, lang: str = "") -> list[float]:
    seg = segment(text, lang)
    tokens = seg.word_norms
    n_words, n_sentences = len(tokens), len(seg.sentences)
    msl = n_words / n_sentences if n_sentences else NaN
    ttr = mattr(tokens)
    if n_words < MIN_WORDS or not n_sentences or not method_available("readability", lang):
        # The formulas are English ones (syllables, "hard" words): for another language
        # they are missing, not an English number. Sentence length and MATTR count the
        # language's own words (jieba words, Russian lemmas) and stay.
        return [NaN, NaN, NaN, NaN, msl, ttr]
    # The published formulas, on textstat's word, syllable and hard-word counts but
    # Sinoru's sentences: textstat's own sentence splitter breaks after "U.S." and
    # "Feb." (33 sentences for a 27-sentence news article), which made these indices
    # disagree with the mean sentence length shown beside them. The counts come from
    # analysis.syllables: textstat's, without loading the CMU dictionary.
    counts = text_counts(text)
    words = counts.words
    if not words:
        return [NaN, NaN, NaN, NaN, msl, ttr]
    per_sentence = words / n_sentences
    per_word = counts.syllables / words
    hard = counts.hard_words
    fre = 206.835 - 1.015 * per_sentence - 84.6 * per_word
    fkg = 0.39 * per_sentence + 11.8 * per_word - 15.59
    fog = 0.4 * (per_sentence + 100.0 * hard / words)
    smog = (1.043 * math.sqrt(30.0 * counts.polysyllables / n_sentences) + 3.1291
            if n_sentences >= _SMOG_MIN_SENTENCES else NaN)
    return [fre, fkg, fog, smog, msl, ttr]
