"""Generic frames, recipe v2: the v1 detector (terms + codebook) fused with a head over
sentence embeddings, with per-frame thresholds.

An article's embedding is the mean of its sentences' embeddings from the shipped
transformer's encoder (:meth:`OnnxTargetScorer.embed`), unit length. Per frame a
logistic regression reads it; its probability is averaged with the v1 probability
(weight ``w`` for the embedding head) and the frame is marked at a per-frame threshold.
``w``, the head's ``C`` and the thresholds are chosen by cross-validation *inside the
training articles only* (:func:`choose`); :func:`cv_fused` nests that choice in an outer
cross-validation, so the reported figure never sees its test articles during a choice.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from analysis.models.data import FRAME_IDS
from analysis.models.metrics import multilabel_f1, paired_multilabel_difference_ci
from analysis.progress import ProgressCallback, iterate, no_progress, wrap_progress
from analysis.text import split_sentences

__all__ = ["EMB_CS", "WEIGHTS", "THRESHOLDS", "article_embeddings", "fit_head", "head_proba",
           "fold_indices", "choose", "fit_fused", "cv_fused"]

EMB_CS = (1.0, 3.0, 10.0, 30.0)
WEIGHTS = (0.0, 0.25, 0.5, 0.75)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))


def article_embeddings(texts: Sequence[str], encoder, progress: ProgressCallback | None = None
                       ) -> np.ndarray:
    """(n, 384): per text the mean of its sentences' embeddings, unit length (zeros for a
    text without words). ``encoder`` has ``embed(sentences) -> (m, 384)``."""
    out = np.zeros((len(texts), 384))
    for i in iterate(range(len(texts)), progress, every=5):
        sentences = [s.text for s in split_sentences(texts[i]) if len(s.text.strip()) > 2]
        if not sentences:
            continue
        mean = np.asarray(encoder.embed(sentences), dtype=float).mean(axis=0)
        norm = np.linalg.norm(mean)
        out[i] = mean / norm if norm > 0 else mean
    return out


def fit_head(E: np.ndarray, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Per frame a balanced logistic regression on the embeddings: coef (384, 5), intercept (5,)."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((E.shape[1], Y.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        if Y[:, k].min() == Y[:, k].max():
            intercept[k] = 10.0 if Y[0, k] else -10.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        clf.fit(E, Y[:, k])
        coef[:, k], intercept[k] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


def head_proba(E: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(np.asarray(E) @ coef + intercept)))


def _strata(Y: np.ndarray, smallest: int) -> np.ndarray:
    """Joint pattern of the two rare frames; a pattern with fewer than ``smallest``
    articles joins the commonest one (a small training part may hold only a few)."""
    strata = Y[:, FRAME_IDS.index("human_interest")] * 2 + Y[:, FRAME_IDS.index("morality")]
    counts = np.bincount(strata, minlength=4)
    rare = [k for k in range(4) if 0 < counts[k] < smallest]
    return np.where(np.isin(strata, rare), int(np.argmax(counts)), strata)


def fold_indices(Y: np.ndarray, folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified (train, test) positions, stratified on the two rare frames as in v1."""
    from sklearn.model_selection import StratifiedKFold

    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(cv.split(np.zeros(len(Y)), _strata(Y, folds)))


def _terms_proba(texts, Y, terms, cb_rows, train, test) -> np.ndarray:
    from analysis.models.training import fit_frames

    model = fit_frames([texts[i] for i in train], Y[train], terms=[terms[i] for i in train],
                       cb_rows=[cb_rows[i] for i in train])
    return model.predict_terms_proba([texts[i] for i in test])


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    f1 = [multilabel_f1(y[:, None], (p >= t)[:, None])[0] for t in THRESHOLDS]
    return THRESHOLDS[int(np.argmax(f1))]


def choose(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, terms: Sequence[dict],
           cb_rows: Sequence[dict], folds: int = 5, seed: int = 1) -> dict:
    """Choose ``C``, ``weight`` and per-frame ``thresholds`` by cross-validation on these
    articles: the combination with the best out-of-fold macro-F1."""
    p_terms = np.zeros(Y.shape)
    p_head = {C: np.zeros(Y.shape) for C in EMB_CS}
    for train, test in fold_indices(Y, folds, seed):
        p_terms[test] = _terms_proba(texts, Y, terms, cb_rows, train, test)
        for C in EMB_CS:
            p_head[C][test] = head_proba(E[test], *fit_head(E[train], Y[train], C))
    best: dict | None = None
    for C in EMB_CS:
        for w in WEIGHTS:
            p = (1 - w) * p_terms + w * p_head[C]
            thr = np.array([_best_threshold(p[:, k], Y[:, k]) for k in range(Y.shape[1])])
            f1 = float(multilabel_f1(Y, p >= thr).mean())
            if best is None or f1 > best["inner_macro_f1"] + 1e-9:
                best = {"C": C, "weight": w, "thresholds": thr.tolist(), "inner_macro_f1": f1}
    return best


def fit_fused(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, choice: dict,
              terms: Sequence[dict] | None = None, cb_rows: Sequence[dict] | None = None):
    """The v1 model on these articles plus the embedding head, weight and thresholds of
    ``choice`` (a :func:`choose` result), as one :class:`FrameModel`."""
    from analysis.models.training import fit_frames

    model = fit_frames(list(texts), Y, terms=terms, cb_rows=cb_rows)
    coef, intercept = fit_head(E, Y, choice["C"])
    model.set_embedding_head(coef, intercept, choice["weight"],
                             dict(zip(FRAME_IDS, choice["thresholds"], strict=True)),
                             C=choice["C"])
    return model


def cv_fused(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, folds: int = 5, seed: int = 0,
             progress: ProgressCallback | None = None) -> tuple[np.ndarray, list[dict]]:
    """Nested cross-validation of the recipe: out-of-fold 0/1 decisions (n, 5) and the
    choice made inside each outer training part."""
    from analysis.models.frame_features import Codebook, codebook_features, document_terms

    progress = progress or no_progress
    terms = [document_terms(t) for t in texts]
    cb_rows = codebook_features(texts, Codebook())
    pred = np.zeros(Y.shape, dtype=int)
    choices = []
    splits = fold_indices(Y, folds, seed)
    for k, (train, test) in enumerate(splits):
        wrap_progress(progress, k / len(splits), (k + 1) / len(splits))(0.0)
        tr_texts = [texts[i] for i in train]
        choice = choose(tr_texts, Y[train], E[train], [terms[i] for i in train],
                        [cb_rows[i] for i in train])
        model = fit_fused(tr_texts, Y[train], E[train], choice, [terms[i] for i in train],
                          [cb_rows[i] for i in train])
        pred[test] = model.predict([texts[i] for i in test], embeddings=E[test])
        choices.append(choice)
    progress(1.0)
    return pred, choices


#: The held-out split: 20 % of the articles, fixed before any choice was made.
HELDOUT_FRACTION, HELDOUT_SEED = 0.2, 2026


def heldout_split(Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(development, held-out) positions: a stratified 20 % split (seed 2026) that no
    choice of the recipe ever looked at; both recipes are trained on the rest."""
    from sklearn.model_selection import StratifiedShuffleSplit

    strata = _strata(Y, 2)
    split = StratifiedShuffleSplit(n_splits=1, test_size=HELDOUT_FRACTION,
                                   random_state=HELDOUT_SEED)
    dev, held = next(split.split(np.zeros(len(Y)), strata))
    return np.sort(dev), np.sort(held)


def measure(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, label: str, folds: int = 5,
            seed: int = 0, progress: ProgressCallback | None = None) -> tuple[list, list[dict]]:
    """The v2 recipe beside v1: nested ``folds``-fold CV on all articles (the same outer
    folds for both), and the held-out split (trained on the development part, v2's
    choices made inside it). Returns the :class:`EvalRow` list and v2's choices."""
    from analysis.evaluate import frames_row
    from analysis.models.frame_features import Codebook, codebook_features, document_terms

    progress = progress or no_progress
    pred, choices = cv_fused(texts, Y, E, folds, seed, wrap_progress(progress, 0.0, 0.7))
    terms = [document_terms(t) for t in texts]
    cb_rows = codebook_features(texts, Codebook())
    v1 = np.zeros(Y.shape, dtype=int)
    for train, test in fold_indices(Y, folds, seed):
        v1[test] = _terms_proba(texts, Y, terms, cb_rows, train, test) >= 0.5
    cv_label = f"{label} ({folds}-fold nested CV)"
    nested = (f"{folds}-fold cross-validation; weight, C and per-frame thresholds chosen by "
              "5-fold CV inside each training part only; bootstrap 95% CI over articles")
    rows = [frames_row("generic-frames-fused (this recipe)", cv_label, Y, pred, seed=seed,
                       method=nested),
            frames_row("generic-frames-linear v1 (terms + codebook)", cv_label, Y, v1,
                       baseline=True, seed=seed, method="the v1 recipe on the same folds")]
    progress(0.75)
    dev, held = heldout_split(Y)
    dev_texts = [texts[i] for i in dev]
    held_texts = [texts[i] for i in held]
    choice = choose(dev_texts, Y[dev], E[dev], [terms[i] for i in dev], [cb_rows[i] for i in dev])
    model = fit_fused(dev_texts, Y[dev], E[dev], choice, [terms[i] for i in dev],
                      [cb_rows[i] for i in dev])
    held_label = f"{label} (held-out {len(held)} articles)"
    new = model.predict(held_texts, embeddings=E[held])
    old = (model.predict_terms_proba(held_texts) >= 0.5).astype(int)
    diff, low, high = paired_multilabel_difference_ci(Y[held], new, old, seed=seed)
    rows.append(frames_row("generic-frames-fused (this recipe)", held_label, Y[held], new,
                           seed=seed,
                           method=f"trained and tuned on the other {len(dev)} articles; "
                                  f"held-out split never used for a choice (seed "
                                  f"{HELDOUT_SEED}); bootstrap 95% CI over articles; minus "
                                  f"v1 on the same articles {diff:+.3f} (paired 95% CI "
                                  f"{low:+.3f} to {high:+.3f})"))
    rows.append(frames_row("generic-frames-linear v1 (terms + codebook)", held_label, Y[held],
                           old, baseline=True, seed=seed, method="the v1 recipe, same split"))
    progress(1.0)
    return rows, [*choices, {**choice, "part": "held-out development"}]
