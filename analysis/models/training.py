"""Fitting and cross-validating the two shipped models (needs scikit-learn; inference does not).

The recipes are fixed here, so ``python -m analysis.models.train`` and ``sinoru evaluate``
measure exactly what ships:

* target sentiment: multinomial logistic regression (``C`` = :data:`TSC_C`, balanced class
  weights) over :func:`analysis.models.tsc_features.target_features` seen in at least two
  training targets, with a temperature fitted to out-of-fold predictions;
* generic frames: per frame, a logistic regression (``C`` = :data:`FRAME_C`, balanced)
  over sublinear TF-IDF of words and word pairs in at least three training articles plus
  the codebook features; decision threshold 0.5.

Folds keep all targets of one sentence together and are stratified by label; every
vocabulary and idf is learned inside the training fold only.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from scipy import optimize, sparse

from analysis.base import SENTIMENT_LABELS
from analysis.models.data import FRAME_IDS, FrameArticles, TargetExamples
from analysis.models.frame_detector import FrameModel, tfidf_matrix
from analysis.models.frame_features import (
    DEFAULT_INDICATORS,
    Codebook,
    codebook_features,
    document_terms,
)
from analysis.models.linear import LinearModel, softmax, vectorize
from analysis.models.tsc_features import target_features
from analysis.progress import ProgressCallback, no_progress

__all__ = ["TSC_C", "FRAME_C", "tsc_features_of", "fit_tsc", "cv_tsc", "fit_temperature",
           "measure_frames_linear",
           "fit_frames", "cv_frames", "tsc_folds", "frame_folds"]

TSC_C = 0.1
TSC_MIN_COUNT = 2
FRAME_C = 3.0
FRAME_MIN_DF = 3


def tsc_features_of(examples: TargetExamples) -> list[dict[str, float]]:
    """The feature dicts of every target in ``examples``."""
    return [target_features(s, sp, o)
            for s, sp, o in zip(examples.sentences, examples.spans, examples.others, strict=False)]


def _vocabulary(rows: Sequence[dict], min_count: int) -> list[str]:
    counts: dict[str, int] = {}
    for feats in rows:
        for name in feats:
            counts[name] = counts.get(name, 0) + 1
    return sorted(name for name, c in counts.items() if c >= min_count)


def tsc_folds(examples: TargetExamples, folds: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs, stratified by label, grouped by sentence."""
    from sklearn.model_selection import StratifiedGroupKFold

    cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(examples)), examples.labels, examples.groups))


def _fit_tsc_rows(rows: Sequence[dict], labels: np.ndarray, C: float) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    vocab = _vocabulary(rows, TSC_MIN_COUNT)
    index = {name: i for i, name in enumerate(vocab)}
    X = vectorize(rows, index, len(vocab))
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    clf.fit(X, labels)
    if list(clf.classes_) != [0, 1, 2]:
        raise ValueError("training data must hold negative, neutral and positive targets")
    return LinearModel(vocab, clf.coef_.T, clf.intercept_, {"labels": list(SENTIMENT_LABELS)})


def fit_tsc(examples: TargetExamples, C: float = TSC_C,
            rows: Sequence[dict] | None = None) -> LinearModel:
    """Fit the target-sentiment model on all ``examples`` (temperature 1)."""
    return _fit_tsc_rows(rows if rows is not None else tsc_features_of(examples),
                         examples.labels, C)


def cv_tsc(examples: TargetExamples, folds: int = 5, seed: int = 0, C: float = TSC_C,
           rows: Sequence[dict] | None = None,
           progress: ProgressCallback | None = None) -> np.ndarray:
    """Out-of-fold logits (n, 3) of the target-sentiment recipe."""
    progress = progress or no_progress
    rows = rows if rows is not None else tsc_features_of(examples)
    logits = np.zeros((len(examples), 3))
    splits = tsc_folds(examples, folds, seed)
    for k, (train, test) in enumerate(splits):
        progress(k / len(splits))
        model = _fit_tsc_rows([rows[i] for i in train], examples.labels[train], C)
        logits[test] = model.logits(model.matrix([rows[i] for i in test]))
    progress(1.0)
    return logits


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature T minimising the log-loss of ``softmax(logits / T)`` (calibration)."""
    def nll(log_t: float) -> float:
        p = softmax(logits / math.exp(log_t))
        return -float(np.mean(np.log(p[np.arange(len(labels)), labels] + 1e-12)))

    res = optimize.minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return round(math.exp(res.x), 4)


def frame_folds(articles: FrameArticles, folds: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs, stratified by the rarest frames' joint pattern."""
    from sklearn.model_selection import StratifiedKFold

    y = articles.labels
    # Stratify on the two rare frames so every fold sees some of their positives.
    strata = y[:, FRAME_IDS.index("human_interest")] * 2 + y[:, FRAME_IDS.index("morality")]
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(y)), strata))


def fit_frames(texts: Sequence[str], labels: np.ndarray, C: float = FRAME_C,
               indicators: dict | None = None,
               terms: Sequence[dict] | None = None,
               cb_rows: Sequence[dict] | None = None) -> FrameModel:
    """Fit one logistic regression per frame; ``labels`` is 0/1 of shape (n, 5)."""
    from sklearn.linear_model import LogisticRegression

    indicators = indicators or {f: list(v) for f, v in DEFAULT_INDICATORS.items()}
    codebook = Codebook(indicators)
    terms = terms if terms is not None else [document_terms(t) for t in texts]
    cb_rows = cb_rows if cb_rows is not None else codebook_features(texts, codebook)
    df: dict[str, int] = {}
    for counts in terms:
        for t in counts:
            df[t] = df.get(t, 0) + 1
    vocab = sorted(t for t, c in df.items() if c >= FRAME_MIN_DF)
    n = len(terms)
    idf = np.asarray([math.log((1 + n) / (1 + df[t])) + 1.0 for t in vocab])
    index = {t: i for i, t in enumerate(vocab)}
    extra = sorted(cb_rows[0]) if cb_rows else []
    X = sparse.hstack([tfidf_matrix(terms, index, idf),
                       sparse.csr_matrix(np.asarray([[r[e] for e in extra] for r in cb_rows]))]).tocsr()
    coef = np.zeros((X.shape[1], len(FRAME_IDS)))
    intercept = np.zeros(len(FRAME_IDS))
    for k in range(len(FRAME_IDS)):
        y = labels[:, k]
        if y.min() == y.max():  # a fold without any positive: predict the constant
            intercept[k] = 10.0 if y[0] else -10.0
            continue
        # liblinear: exact enough and ~20x faster than lbfgs on a few hundred long rows.
        clf = LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                                 max_iter=1000, random_state=0)
        clf.fit(X, y)
        coef[:, k] = clf.coef_[0]
        intercept[k] = clf.intercept_[0]
    meta = {"labels": list(FRAME_IDS), "thresholds": {f: 0.5 for f in FRAME_IDS},
            "codebook": {f: list(v) for f, v in codebook.indicators.items()}}
    linear = LinearModel([*vocab, *extra], coef, intercept, meta)
    return FrameModel(linear, idf)


def cv_frames(articles: FrameArticles, folds: int = 5, seed: int = 0, C: float = FRAME_C,
              progress: ProgressCallback | None = None,
              fitter: Callable | None = None) -> np.ndarray:
    """Out-of-fold probabilities (n, 5) of the frame recipe (or of ``fitter``'s model)."""
    progress = progress or no_progress
    texts = articles.texts
    terms = [document_terms(t) for t in texts]
    cb_rows = codebook_features(texts, Codebook())
    proba = np.zeros(articles.labels.shape)
    splits = frame_folds(articles, folds, seed)
    for k, (train, test) in enumerate(splits):
        progress(k / len(splits))
        if fitter is not None:
            proba[test] = fitter([texts[i] for i in train], articles.labels[train],
                                 [texts[i] for i in test])
            continue
        model = fit_frames([texts[i] for i in train], articles.labels[train], C,
                           terms=[terms[i] for i in train], cb_rows=[cb_rows[i] for i in train])
        proba[test] = model.predict_proba([texts[i] for i in test])
    progress(1.0)
    return proba


def measure_frames_linear(articles: FrameArticles, label: str, folds: int = 5, seed: int = 0,
                          progress: ProgressCallback | None = None) -> list:
    """The frame recipe (threshold 0.5) as :class:`~analysis.evaluate.EvalRow` s:
    ``folds``-fold CV on all articles, and the held-out split (trained on the development
    part only; ``frame_fusion.heldout_split``)."""
    from analysis.evaluate import frames_row
    from analysis.models.frame_fusion import HELDOUT_SEED, heldout_split

    progress = progress or no_progress
    y, texts = articles.labels, articles.texts
    proba = cv_frames(articles, folds=folds, seed=seed, progress=progress)
    rows = [frames_row("generic-frames-linear (this recipe)", f"{label} ({folds}-fold CV)", y,
                       (proba >= 0.5).astype(int), seed=seed,
                       method=f"{folds}-fold cross-validation, per-frame logistic regression "
                              f"C={FRAME_C} on TF-IDF + codebook, threshold 0.5 (no choice is "
                              "tuned); bootstrap 95% CI over articles")]
    dev, held = heldout_split(y)
    model = fit_frames([texts[i] for i in dev], y[dev])
    pred = (model.predict_terms_proba([texts[i] for i in held]) >= 0.5).astype(int)
    rows.append(frames_row("generic-frames-linear (this recipe)",
                           f"{label} (held-out {len(held)} articles)", y[held], pred, seed=seed,
                           method=f"trained on the other {len(dev)} articles; held-out split "
                                  f"never used for a choice (seed {HELDOUT_SEED}); bootstrap "
                                  "95% CI over articles"))
    return rows
