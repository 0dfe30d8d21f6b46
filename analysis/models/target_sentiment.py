"""The shipped target-dependent sentiment model: sentence + target mention -> neg/neu/pos.

A calibrated linear model over the features of :mod:`analysis.models.tsc_features`,
trained on NewsMTSC by ``python -m analysis.models.train``. It implements
:class:`analysis.base.TargetScorer`, so the engine can use it wherever VADER is used.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from analysis.base import SENTIMENT_LABELS
from analysis.models.linear import LinearModel, softmax
from analysis.models.tsc_features import target_features
from analysis.models.tsc_matrix import TargetMatrix
from analysis.resources import resource

__all__ = ["LinearTargetScorer", "load_target_model", "TSC_MODEL_FILE"]

TSC_MODEL_FILE = "tsc_linear.npz"


class LinearTargetScorer:
    """Sentiment toward a target mention from a stored linear model.

    Attributes
    ----------
    name : str
        Model id shown in results and reports, e.g. ``"tsc-linear-v1"``.
    accuracy : dict
        Measured accuracy from the model card: ``macro_f1``, ``ci95`` (low, high),
        ``accuracy``, ``per_class_f1``, ``data``, ``n``, ``method``.
    """

    #: Targets per call from :func:`analysis.targets.score_in_chunks`: about 0.1 s of work,
    #: so Cancel still answers quickly while the per-call cost stays small.
    chunk_size = 2048

    def __init__(self, model: LinearModel):
        self.model = model
        self.name: str = model.meta.get("name", "tsc-linear")
        self.accuracy: dict | None = model.meta.get("accuracy")
        self._matrix = TargetMatrix(model.index, len(model.vocab))
        labels = tuple(model.meta.get("labels", SENTIMENT_LABELS))
        if labels != SENTIMENT_LABELS:
            raise ValueError(f"model classes {labels} differ from {SENTIMENT_LABELS}")
        self._packaged: str | None = None  # the shipped model's file name (see _load)

    def __reduce__(self):
        # The shipped model goes to another process by its file name: that process loads
        # it once and keeps it, with its warm token table, for every chunk it gets. Sent
        # by value (4.5 MB), it was pickled and unpickled again for each chunk of 64
        # articles, and each chunk's features then started from an empty token table.
        if self._packaged is not None:
            return load_target_model, (self._packaged,)
        return super().__reduce__()

    def features(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                 others: Sequence[Sequence[tuple[int, int]]] | None = None) -> list[dict]:
        others = others or [()] * len(sentences)
        return [target_features(s, (int(a), int(b)), o)
                for s, (a, b), o in zip(sentences, spans, others, strict=False)]

    def predict_proba(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]],
                      others: Sequence[Sequence[tuple[int, int]]] | None = None) -> np.ndarray:
        """Probabilities (n, 3) of negative, neutral, positive toward each target.

        ``spans`` are ``(start, end)`` character offsets of the mention in its sentence,
        end exclusive; ``others`` optionally lists further mentions of the same target.
        """
        if len(sentences) != len(spans):
            raise ValueError(f"{len(sentences)} sentences but {len(spans)} spans")
        if not len(sentences):
            return np.zeros((0, 3))
        # Built for the whole chunk at once; equal to model.matrix(self.features(...)).
        X = self._matrix.matrix(sentences, spans, others)
        return softmax(self.model.logits(X))

    def predict(self, sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
        """The most probable label of each target."""
        return [SENTIMENT_LABELS[i] for i in self.predict_proba(sentences, spans).argmax(1)]

    def explain(self, sentence: str, span: tuple[int, int], top: int = 8) -> list[tuple[str, float]]:
        """The features that pushed this target's score most: (feature, p_pos - p_neg weight)."""
        feats = target_features(sentence, span)
        rows = [(name, float(value * (self.model.coef[j, 2] - self.model.coef[j, 0])))
                for name, value in feats.items()
                if (j := self.model.index.get(name)) is not None and name != "bias"]
        return sorted(rows, key=lambda r: -abs(r[1]))[:top]


@lru_cache(maxsize=2)
def _load(filename: str) -> LinearTargetScorer | None:
    node = resource("models", filename)
    if not node.is_file():
        return None
    from analysis.models.domain_check import with_domain

    with node.open("rb") as fh:
        scorer = LinearTargetScorer(LinearModel.load(fh))
    scorer.accuracy = with_domain(scorer.accuracy, scorer.name)
    scorer._packaged = filename
    return scorer


def load_target_model(filename: str = TSC_MODEL_FILE) -> LinearTargetScorer | None:
    """The shipped target-sentiment model, or ``None`` when its file is not installed."""
    return _load(filename)
