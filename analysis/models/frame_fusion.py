"""Generic frames, recipe v3: the v1 detector (terms + codebook) fused with a head over
word-piece embeddings, with per-frame thresholds.

Every word piece of the shipped transformer's vocabulary gets one vector: the encoder's
mean token state for that piece alone (``[CLS] piece [SEP]``, :func:`piece_vectors`,
computed once at training time). An article's embedding is the mean of those vectors over
the pieces of its words (:class:`~analysis.models.frame_features.PieceMean`). Per frame a
logistic regression reads it (standardised features); its probability is averaged with
the v1 probability (weight ``w`` for the embedding head) and the frame is marked at a
per-frame threshold. The stored head is one score per piece, so the shipped detector
never runs the transformer. ``w``, the head's ``C`` and the thresholds are chosen by
cross-validation *inside the training articles only* (:func:`choose`); :func:`cv_fused`
nests that choice in an outer cross-validation, so the reported figure never sees its test
articles during a choice.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.models.data import FRAME_IDS
from analysis.models.metrics import multilabel_f1, paired_multilabel_difference_ci
from analysis.progress import ProgressCallback, iterate, no_progress, wrap_progress

__all__ = ["EMB_CS", "WEIGHTS", "THRESHOLDS", "ENCODER_NAME", "piece_vectors", "used_piece_vectors",
           "piece_embeddings", "fit_head", "head_proba", "fold_indices", "inner_terms_proba",
           "choose",
           "fit_fused", "cv_fused"]

#: The head's inverse regularisation (on standardised features), weights and thresholds tried.
EMB_CS = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
WEIGHTS = (0.0, 0.25, 0.5, 0.75)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))
ENCODER_NAME = "tsc-minilm-v1 mean token state of each word piece alone"


def piece_vectors(model_path: str | Path, progress: ProgressCallback | None = None,
                  cache: str | Path | None = None, ids: Sequence[int] | None = None
                  ) -> np.ndarray:
    """(n_pieces, 384): per word piece id, the encoder's ``sentence_embedding`` output for
    ``[CLS] piece [SEP]``, one piece per call (so no vector depends on another; the int8
    model quantises per call). About 30,000 calls: minutes, once per training run;
    ``cache`` (an ``.npy`` file outside the repository) keeps them between runs. With
    ``ids``, only those pieces' vectors (len(ids), 384), uncached.
    """
    import onnxruntime as ort

    from analysis.models.onnx_target_scorer import EMBEDDING_OUTPUT
    from analysis.models.wordpiece import WordPiece

    if cache is not None and ids is None and Path(cache).is_file():
        return np.load(cache)
    if not Path(model_path).is_file():
        raise FileNotFoundError(f"{model_path}: the encoder's model file is missing")
    tok = WordPiece(Path(model_path).parent / "tokenizer.json")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
    wanted = list(ids) if ids is not None else range(max(tok.vocab.values()) + 1)
    out = np.zeros((len(wanted), 384), dtype=np.float32)
    mask = np.ones((1, 3), dtype=np.int64)
    for row, v in enumerate(iterate(wanted, progress, every=500)):
        one = np.array([[tok.cls, v, tok.sep]], dtype=np.int64)
        out[row] = session.run([EMBEDDING_OUTPUT], {"input_ids": one, "attention_mask": mask})[0][0]
    if cache is not None and ids is None:
        np.save(cache, out)
    return out


def used_piece_vectors(model_path: str | Path, texts: Sequence[str],
                       progress: ProgressCallback | None = None) -> np.ndarray:
    """(n_pieces, 384) with the :func:`piece_vectors` of the pieces that occur in ``texts``
    and zeros elsewhere: all that measuring the recipe on these texts reads, in a fraction
    of the time (a shipped model needs every piece: :func:`piece_vectors`)."""
    from analysis.models.frame_detector import load_piece_mean
    from analysis.models.frame_features import document_terms

    piece_mean = load_piece_mean()
    used = sorted({p for t in texts for w in document_terms(t) if " " not in w
                   for p in piece_mean.pieces(w)})
    out = np.zeros((piece_mean.n_pieces, 384), dtype=np.float32)
    out[used] = piece_vectors(model_path, progress, ids=used)
    return out


def piece_embeddings(texts: Sequence[str], vectors: np.ndarray, piece_mean=None,
                     terms: Sequence[dict] | None = None) -> np.ndarray:
    """(n, 384): per text the mean of ``vectors`` over the word pieces of its words."""
    from analysis.models.frame_detector import load_piece_mean
    from analysis.models.frame_features import document_terms

    terms = terms if terms is not None else [document_terms(t) for t in texts]
    return (piece_mean or load_piece_mean()).mean(terms, vectors)


def fit_head(E: np.ndarray, Y: np.ndarray, C: float) -> tuple[np.ndarray, np.ndarray]:
    """Per frame a balanced logistic regression on the standardised embeddings, returned
    on the raw scale (the scaling folded in): coef (384, 5), intercept (5,)."""
    from sklearn.linear_model import LogisticRegression

    mu, sd = E.mean(axis=0), E.std(axis=0) + 1e-9
    Z = (E - mu) / sd
    coef = np.zeros((E.shape[1], Y.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        if Y[:, k].min() == Y[:, k].max():
            intercept[k] = 10.0 if Y[0, k] else -10.0
            continue
        clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
        clf.fit(Z, Y[:, k])
        coef[:, k] = clf.coef_[0] / sd
        intercept[k] = clf.intercept_[0] - mu @ coef[:, k]
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


def inner_terms_proba(texts: Sequence[str], Y: np.ndarray, terms: Sequence[dict],
                      cb_rows: Sequence[dict], folds: int = 5, seed: int = 1) -> np.ndarray:
    """Out-of-fold probabilities (n, 5) of the v1 part on these articles (what
    :func:`choose` weighs the head against)."""
    p_terms = np.zeros(Y.shape)
    for train, test in fold_indices(Y, folds, seed):
        p_terms[test] = _terms_proba(texts, Y, terms, cb_rows, train, test)
    return p_terms


def choose(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, terms: Sequence[dict],
           cb_rows: Sequence[dict], folds: int = 5, seed: int = 1,
           p_terms: np.ndarray | None = None, weights: Sequence[float] = WEIGHTS) -> dict:
    """Choose ``C``, ``weight`` and per-frame ``thresholds`` by cross-validation on these
    articles: the combination with the best out-of-fold macro-F1 (``p_terms``: the
    :func:`inner_terms_proba` of the same folds, when already computed)."""
    if p_terms is None:
        p_terms = inner_terms_proba(texts, Y, terms, cb_rows, folds, seed)
    p_head = {C: np.zeros(Y.shape) for C in EMB_CS}
    if any(weights):
        for train, test in fold_indices(Y, folds, seed):
            for C in EMB_CS:
                p_head[C][test] = head_proba(E[test], *fit_head(E[train], Y[train], C))
    best: dict | None = None
    for C in EMB_CS:
        for w in weights:
            p = (1 - w) * p_terms + w * p_head[C]
            thr = np.array([_best_threshold(p[:, k], Y[:, k]) for k in range(Y.shape[1])])
            f1 = float(multilabel_f1(Y, p >= thr).mean())
            if best is None or f1 > best["inner_macro_f1"] + 1e-9:
                best = {"C": C, "weight": w, "thresholds": thr.tolist(), "inner_macro_f1": f1}
    return best


def fit_fused(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, choice: dict,
              vectors: np.ndarray, terms: Sequence[dict] | None = None,
              cb_rows: Sequence[dict] | None = None):
    """The v1 model on these articles plus the embedding head (on ``E``, the
    :func:`piece_embeddings` of ``texts`` from ``vectors``), weight and thresholds of
    ``choice`` (a :func:`choose` result), as one :class:`FrameModel`."""
    from analysis.models.training import fit_frames

    model = fit_frames(list(texts), Y, terms=terms, cb_rows=cb_rows)
    coef, intercept = fit_head(E, Y, choice["C"])
    model.set_embedding_head(coef, intercept, choice["weight"],
                             dict(zip(FRAME_IDS, choice["thresholds"], strict=True)),
                             C=choice["C"], piece_vectors=vectors, encoder=ENCODER_NAME)
    return model


def cv_fused(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, vectors: np.ndarray,
             folds: int = 5, seed: int = 0, progress: ProgressCallback | None = None
             ) -> tuple[np.ndarray, list[dict]]:
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
        model = fit_fused(tr_texts, Y[train], E[train], choice, vectors,
                          [terms[i] for i in train], [cb_rows[i] for i in train])
        pred[test] = model.predict([texts[i] for i in test])
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


def measure(texts: Sequence[str], Y: np.ndarray, E: np.ndarray, vectors: np.ndarray, label: str,
            folds: int = 5, seed: int = 0, progress: ProgressCallback | None = None
            ) -> tuple[list, list[dict]]:
    """The v2 recipe beside v1: nested ``folds``-fold CV on all articles (the same outer
    folds for both), and the held-out split (trained on the development part, v2's
    choices made inside it). Returns the :class:`EvalRow` list and v2's choices."""
    from analysis.evaluate import frames_row
    from analysis.models.frame_features import Codebook, codebook_features, document_terms

    progress = progress or no_progress
    pred, choices = cv_fused(texts, Y, E, vectors, folds, seed, wrap_progress(progress, 0.0, 0.7))
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
    model = fit_fused(dev_texts, Y[dev], E[dev], choice, vectors, [terms[i] for i in dev],
                      [cb_rows[i] for i in dev])
    held_label = f"{label} (held-out {len(held)} articles)"
    new = model.predict(held_texts)
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
