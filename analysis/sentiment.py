"""Document tone: the VADER compound score of every sentence, averaged per document."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from analysis.base import Analyzer, empty_documents_frame
from analysis.corpus import Corpus
from analysis.lang import document_language, method_available
from analysis.progress import ProgressCallback, iterate
from analysis.text import segment

__all__ = ["SentimentAnalyzer", "SentimentResult", "vader", "POSITIVE_THRESHOLD",
           "NEGATIVE_THRESHOLD", "DOCUMENT_COLUMNS", "SENTENCE_COLUMNS"]

#: VADER's customary cut-offs on the compound score (Hutto & Gilbert 2014).
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05

DOCUMENT_COLUMNS = ("mean", "positive_share", "negative_share")
SENTENCE_COLUMNS = ("doc_id", "sentence", "paragraph", "start", "end", "compound")


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

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None) -> SentimentResult:
        scorer = vader() if len(corpus) else None
        rows: list[tuple] = []
        doc_rows: list[tuple[float, float, float]] = []
        for doc in iterate(corpus.documents, progress, every=10):
            scores = []
            lang = document_language(doc)
            # VADER is English: another language's sentences get no score (the document's
            # figures are NaN: "not available for this language"), not a near-zero one.
            sentences = segment(doc.text, lang).sentences if method_available(
                "sentiment", lang) else ()
            for s in sentences:
                compound = scorer.polarity_scores(s.text)["compound"]
                scores.append(compound)
                rows.append((doc.doc_id, s.index, s.paragraph, s.start, s.end, compound))
            if scores:
                arr = np.asarray(scores)
                doc_rows.append((float(arr.mean()), float((arr >= POSITIVE_THRESHOLD).mean()),
                                 float((arr <= NEGATIVE_THRESHOLD).mean())))
            else:
                doc_rows.append((np.nan, np.nan, np.nan))
        if not len(corpus):
            documents = empty_documents_frame(DOCUMENT_COLUMNS)
        else:
            documents = pd.DataFrame(doc_rows, columns=list(DOCUMENT_COLUMNS),
                                     index=pd.Index(corpus.ids, name="doc_id", dtype=object))
        sentences = pd.DataFrame(rows, columns=list(SENTENCE_COLUMNS))
        sentences = sentences.astype({"doc_id": object, "sentence": np.int64,
                                      "paragraph": np.int64, "start": np.int64,
                                      "end": np.int64, "compound": float})
        return SentimentResult(documents, sentences)
