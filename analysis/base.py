"""The contract every analyzer follows, and the seam for target-sentiment models.

An analyzer takes its parameters only in ``__init__``; ``fit(corpus)`` learns whatever it
needs (stored in ``name_`` attributes) and returns ``self``; ``transform(corpus)`` returns
a new frozen result object and never mutates its input. Both accept ``progress`` (a
callback taking 0..1) and let :class:`analysis.progress.Cancelled` through.

Every result object has a ``documents`` DataFrame: one row per document, indexed by
``doc_id``, numeric columns only. The comparison layer aggregates these columns per group
(mean, bootstrap CI over documents) without knowing which analyzer made them.
"""
from __future__ import annotations

from typing import ClassVar, Protocol, Self, runtime_checkable

import numpy as np
import pandas as pd

from analysis.corpus import Corpus
from analysis.progress import ProgressCallback

__all__ = ["Analyzer", "TargetScorer", "SENTIMENT_LABELS", "empty_documents_frame",
           "typed_columns"]

SENTIMENT_LABELS = ("negative", "neutral", "positive")


class Analyzer:
    """Base class: a no-op ``fit``; subclasses implement ``transform``."""

    #: The results.json section the per-document columns go to ("frames", "markers" ...).
    section: ClassVar[str] = ""
    #: Bump when the analyzer's output for the same text and inputs changes: cached
    #: per-document results (analysis.doc_cache) of other versions are then not used.
    version: ClassVar[str] = "1"

    def fit(self, corpus: Corpus, progress: ProgressCallback | None = None) -> Self:
        return self

    def transform(self, corpus: Corpus, progress: ProgressCallback | None = None):
        raise NotImplementedError

    def fit_transform(self, corpus: Corpus, progress: ProgressCallback | None = None):
        from analysis.progress import wrap_progress

        return self.fit(corpus, wrap_progress(progress, 0.0, 0.5)).transform(
            corpus, wrap_progress(progress, 0.5, 1.0))

    def get_params(self) -> dict:
        """The constructor parameters (for provenance in results.json)."""
        return {k: v for k, v in vars(self).items() if not k.endswith("_") and not k.startswith("_")}


def empty_documents_frame(columns: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """A per-document table with no rows (what every analyzer returns for an empty corpus)."""
    return pd.DataFrame({c: pd.Series(dtype=float) for c in columns},
                        index=pd.Index([], name="doc_id", dtype=object))


def typed_columns(names, columns, dtypes) -> dict[str, pd.Series]:
    """``name -> Series`` of each of ``columns`` (sequences of values) as ``dtype``, for
    a table built column by column (a frame from one tuple per row costs about as much
    as the analysis that made the rows). A column of dtype ``object`` stays ``object``:
    pandas would read an object array of strings as "str"."""
    return {name: pd.Series(np.array(values, dtype=dtype), dtype=dtype, copy=False)
            for name, values, dtype in zip(names, columns, dtypes, strict=True)}


@runtime_checkable
class TargetScorer(Protocol):
    """Scores the sentiment a sentence expresses toward a marked target mention.

    ``name`` identifies the model in results and reports ("vader-window", "tsc-linear"...).
    ``accuracy`` is the model's measured accuracy (a dict from its model card, or ``None``).
    ``predict_proba`` receives sentences and one ``(start, end)`` character span per
    sentence, and returns an array of shape ``(n, 3)`` with the probabilities of
    :data:`SENTIMENT_LABELS` in that order. A mention's score is ``p_pos - p_neg``.
    """

    name: str
    accuracy: dict | None

    def predict_proba(self, sentences: list[str], spans: list[tuple[int, int]]) -> np.ndarray:
        ...
