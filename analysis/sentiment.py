"""Document tone: the VADER compound score of every sentence, averaged per document."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

import numpy as np
import pandas as pd

from analysis.base import Analyzer, empty_documents_frame, typed_columns
from analysis.corpus import Corpus
from analysis.gc_pause import collection_paused
from analysis.lang import document_language, method_available
from analysis.progress import ProgressCallback, iterate
from analysis.text import segment
from analysis.vader import fast_vader

__all__ = ["SentimentAnalyzer", "SentimentResult", "vader", "POSITIVE_THRESHOLD",
           "NEGATIVE_THRESHOLD", "DOCUMENT_COLUMNS", "SENTENCE_COLUMNS"]

#: VADER's customary cut-offs on the compound score (Hutto & Gilbert 2014).
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

DOCUMENT_COLUMNS = ("mean", "positive_share", "negative_share")
SENTENCE_COLUMNS = ("doc_id", "sentence", "paragraph", "start", "end", "compound")
_TEXT = attrgetter("text")


@lru_cache(maxsize=1)
def vader():
    """The one shared VADER analyzer (its lexicon is read on first use only)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class SentimentResult:
    """Sentence-level VADER scores and their per-document summary.

    Attributes
    ----------
    documents : DataFrame
        Index ``doc_id``. ``mean``: mean compound score of the document's sentences
        (-1..1); ``positive_share`` / ``negative_share``: share of its sentences with
        compound >= 0.05 / <= -0.05. NaN for a document without sentences and for one in
        a language VADER is not validated for (:func:`analysis.lang.method_available`).
    sentences : DataFrame
        One row per sentence: ``doc_id``, ``sentence`` (index in the document),
        ``paragraph``, ``start``, ``end`` (character offsets into the document text),
        ``compound``.
    model : str
        The scoring model ("vader").
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    model: str = "vader"


class SentimentAnalyzer(Analyzer):
    """Scores every sentence with VADER (Hutto & Gilbert 2014) and averages per document.

    Whole-document tone is a weak signal in foreign-policy prose; target sentiment
    (:mod:`analysis.targets`) says how a named actor is spoken of.
    """

    section = "sentiment"

    # No cyclic garbage collection while a chunk is analysed (analysis.gc_pause): the
    # many short-lived objects made here are freed by reference counting, and the
    # collections they set off walk a worker's whole heap of models and lexicons.
    @collection_paused()
    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> SentimentResult:
        # The same scores as vader().polarity_scores, several times faster (analysis.vader).
        compound = fast_vader().compound if len(corpus) else None
        doc_ids: list[str] = []
        scored: list = []  # every scored sentence, in order
        scores: list[float] = []
        doc_rows: list[tuple[float, float, float]] = []
        for doc in iterate(corpus.documents, progress, every=10):
            lang = document_language(doc)
            # VADER is English: another language's sentences get no score (the document's
            # figures are NaN: "not available for this language"), not a near-zero one.
            sentences = segment(doc.text, lang).sentences if method_available(
                "sentiment", lang) else ()
            own = list(map(compound, map(_TEXT, sentences)))
            if own:
                doc_ids += [doc.doc_id] * len(own)
                scored += sentences
                scores += own
                doc_rows.append(_document_tone(own))
            else:
                doc_rows.append((np.nan, np.nan, np.nan))
        if not len(corpus):
            documents = empty_documents_frame(DOCUMENT_COLUMNS)
        else:
            documents = pd.DataFrame(doc_rows, columns=list(DOCUMENT_COLUMNS),
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        return SentimentResult(documents, _sentence_table(doc_ids, scored, scores))


def _document_tone(scores: list[float]) -> tuple[float, float, float]:
    """Mean compound and the shares of positive and negative sentences of one document.

    Equal to ``arr.mean()``, ``(arr >= 0.05).mean()`` and ``(arr <= -0.05).mean()`` of
    ``arr = np.asarray(scores)``: numpy's mean is its (pairwise) sum divided by the count,
    and a share is a whole count divided by the count, which Python divides the same way.
    Three array means cost more than scoring a short document's sentences.
    """
    n = len(scores)
    # POSITIVE_THRESHOLD.__le__(c) is c >= POSITIVE_THRESHOLD, counted in C.
    return (float(np.add.reduce(np.asarray(scores))) / n,
            sum(map(POSITIVE_THRESHOLD.__le__, scores)) / n,
            sum(map(NEGATIVE_THRESHOLD.__ge__, scores)) / n)


def _sentence_table(doc_ids: list[str], sentences: list, scores: list[float]) -> pd.DataFrame:
    """The ``sentences`` table (:data:`SENTENCE_COLUMNS`), built column by column: the same
    frame as from one row per sentence, for a fraction of the cost."""
    index, start, end, paragraph = list(zip(*sentences, strict=True))[:4] if sentences \
        else ((), (), (), ())
    return pd.DataFrame(typed_columns(
        SENTENCE_COLUMNS, (doc_ids, index, paragraph, start, end, scores),
        (object, np.int64, np.int64, np.int64, np.int64, float)))
