"""Measure the shipped models and their baselines on gold-labelled data.

On the project's gold files (``validation/newsmtsc/train.jsonl``,
``validation/narrative_frames/articles_dev.tsv``) the models' training recipes are
cross-validated, because the shipped models were trained on those rows. On a user's own
labelled file the shipped models are applied as they are, since those rows are new to
them. Every row carries accuracy, macro-F1 with a bootstrap 95% CI and per-class F1;
baselines (VADER on the sentence and on a window around the target; TF-IDF + logistic
regression for frames) are measured on the same items.
"""
from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.base import SENTIMENT_LABELS
from analysis.models.data import (
    FRAME_IDS,
    DataProblem,
    FrameArticles,
    TargetExamples,
    read_frames_tsv,
    read_tsc_jsonl,
)
from analysis.models.metrics import (
    bootstrap_ci,
    bootstrap_multilabel_ci,
    f1_per_class,
    multilabel_f1,
)
from analysis.progress import ProgressCallback, no_progress, wrap_progress

__all__ = ["EvalRow", "EvalReport", "TSC_FILE", "FRAMES_FILE", "default_data_dir",
           "tsc_row", "frames_row", "vader_labels", "evaluate_tsc", "evaluate_frames",
           "frame_baselines",
           "run_evaluation", "subsample_targets"]

TSC_FILE = Path("newsmtsc") / "train.jsonl"
FRAMES_FILE = Path("narrative_frames") / "articles_dev.tsv"
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class EvalRow:
    """One measured model on one data set."""

    task: str
    model: str
    data: str
    n: int
    accuracy: float
    macro_f1: float
    ci95: tuple[float, float]
    per_class: dict[str, float]
    baseline: bool = False
    method: str = ""


@dataclass
class EvalReport:
    rows: list[EvalRow] = field(default_factory=list)
    problems: list[DataProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_data_dir(project_root: Path | None = None) -> Path:
    """``$SINORU_SHARED_DIR/validation``, or ``../shared/validation`` beside the project."""
    env = os.environ.get("SINORU_SHARED_DIR")
    if env:
        return Path(env) / "validation"
    root = project_root or Path(__file__).resolve().parent.parent
    return root.parent / "shared" / "validation"


def tsc_row(model: str, data: str, y: np.ndarray, pred: np.ndarray, *, baseline: bool = False,
            method: str = "", seed: int = 0, groups: np.ndarray | None = None,
            task: str = "target sentiment") -> EvalRow:
    """An :class:`EvalRow` for 3-class sentiment predictions (0 neg, 1 neu, 2 pos); the
    CI resamples whole ``groups`` (e.g. sentences) when given."""
    f1 = f1_per_class(y, pred, 3)
    return EvalRow(task, model, data, len(y), float(np.mean(y == pred)),
                   float(f1.mean()), bootstrap_ci(y, pred, 3, seed=seed, groups=groups),
                   dict(zip(SENTIMENT_LABELS, map(float, f1), strict=False)), baseline, method)


def frames_row(model: str, data: str, y: np.ndarray, pred: np.ndarray, *, baseline: bool = False,
               method: str = "", seed: int = 0) -> EvalRow:
    """An :class:`EvalRow` for 0/1 frame decisions (n, 5); accuracy is the mean over frames."""
    f1 = multilabel_f1(y, pred)
    return EvalRow("generic frames", model, data, len(y), float(np.mean(y == pred)),
                   float(f1.mean()), bootstrap_multilabel_ci(y, pred, seed=seed),
                   dict(zip(FRAME_IDS, map(float, f1), strict=False)), baseline, method)


def _vader_label(compound: float) -> int:
    # VADER's documented cut-offs: >= 0.05 positive, <= -0.05 negative.
    return 2 if compound >= 0.05 else 0 if compound <= -0.05 else 1


def _window(sentence: str, span: tuple[int, int], words: int = 8) -> str:
    starts = [m.start() for m in _WORD.finditer(sentence[:span[0]])]
    ends = [m.end() for m in _WORD.finditer(sentence, span[1])]
    left = starts[-words] if len(starts) >= words else 0
    right = ends[words - 1] if len(ends) >= words else len(sentence)
    return sentence[left:right]


def vader_labels(examples: TargetExamples, mode: str) -> np.ndarray:
    """VADER's label per target: ``mode`` "sentence" (whole sentence) or "window".

    The window baseline uses the engine's ``VaderWindowScorer`` when it is installed and
    otherwise VADER on the eight words either side of the mention.
    """
    if mode == "window":
        try:
            from analysis.targets import VaderWindowScorer
        except ImportError:
            VaderWindowScorer = None
        if VaderWindowScorer is not None:
            proba = VaderWindowScorer().predict_proba(examples.sentences, examples.spans)
            return np.asarray(proba).argmax(axis=1)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    cache: dict[str, int] = {}
    out = np.empty(len(examples), dtype=int)
    for i, (s, span) in enumerate(zip(examples.sentences, examples.spans, strict=False)):
        text = s if mode == "sentence" else _window(s, span)
        if text not in cache:
            cache[text] = _vader_label(vader.polarity_scores(text)["compound"])
        out[i] = cache[text]
    return out


def subsample_targets(examples: TargetExamples, n: int, seed: int = 0) -> TargetExamples:
    """A random subset of about ``n`` targets, whole sentences at a time (for quick runs)."""
    groups = np.unique(examples.groups)
    if n >= len(examples):
        return examples
    rng = np.random.default_rng(seed)
    chosen = set(rng.permutation(groups)[:max(1, int(n * len(groups) / len(examples)))])
    return examples.subset(np.flatnonzero([g in chosen for g in examples.groups]))


def evaluate_tsc(examples: TargetExamples, label: str, *, cross_validate: bool, folds: int,
                 seed: int = 0, progress: ProgressCallback | None = None) -> list[EvalRow]:
    """The target-sentiment model (cross-validated recipe or shipped model) and VADER."""
    progress = progress or no_progress
    rows = []
    y = examples.labels
    if cross_validate:
        from analysis.models.training import TSC_C, cv_tsc

        logits = cv_tsc(examples, folds=folds, seed=seed, progress=wrap_progress(progress, 0, 0.9))
        rows.append(tsc_row("tsc-linear (this recipe)", f"{label} ({folds}-fold CV)", y,
                            logits.argmax(1), seed=seed,
                            method=f"{folds}-fold cross-validation grouped by sentence, "
                                   f"logistic regression C={TSC_C}"))
    else:
        from analysis.models.target_sentiment import load_target_model

        scorer = load_target_model()
        if scorer is None:
            raise FileNotFoundError("the target-sentiment model file is not installed "
                                    "(resources/models/tsc_linear.npz)")
        proba = scorer.predict_proba(examples.sentences, examples.spans, examples.others)
        rows.append(tsc_row(scorer.name, label, y, proba.argmax(1), seed=seed,
                            method="shipped model applied to the file"))
    rows += _transformer_rows(examples, label, cross_validate, seed, wrap_progress(progress, 0.3, 0.9))
    progress(0.9)
    for mode in ("sentence", "window"):
        rows.append(tsc_row(f"VADER {mode}", label, y, vader_labels(examples, mode),
                            baseline=True, seed=seed,
                            method="VADER compound >= 0.05 positive, <= -0.05 negative"))
    progress(1.0)
    return rows


def _transformer_rows(examples: TargetExamples, label: str, from_card: bool, seed: int,
                      progress: ProgressCallback) -> list[EvalRow]:
    """The shipped transformer: its model-card figure on the gold file (re-training it needs
    torch, which the product does not ship), or applied to a user's file."""
    from analysis.models.onnx_target_scorer import load_transformer_model, transformer_card
    from analysis.targets import score_in_chunks

    card = transformer_card()
    if card is None:
        return []
    if from_card:
        acc = card.get("accuracy")
        if not acc or int(acc["n"]) != len(examples):  # its figure is about another file
            return []
        folds = len(acc.get("per_fold_macro_f1") or []) or 5
        return [EvalRow("target sentiment", f"{card['name']} (this recipe)",
                        f"{label} ({folds}-fold CV)",
                        int(acc["n"]), float(acc["accuracy"]), float(acc["macro_f1"]),
                        tuple(acc["ci95"]), dict(acc["per_class_f1"]),
                        method=f"{acc['method']}; from its model card (re-training needs "
                               "torch: python -m analysis.models.train_transformer)")]
    try:
        scorer = load_transformer_model()
    except (ImportError, FileNotFoundError):
        return []
    proba = score_in_chunks(scorer, examples.sentences, examples.spans, progress)
    return [tsc_row(scorer.name, label, examples.labels, proba.argmax(1), seed=seed,
                    method="shipped model applied to the file")]


def _tfidf_baseline(train_texts, train_y, test_texts, balanced: bool = False) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer()
    X = vec.fit_transform(train_texts)
    Xt = vec.transform(test_texts)
    out = np.zeros((len(test_texts), train_y.shape[1]))
    for k in range(train_y.shape[1]):
        if train_y[:, k].min() == train_y[:, k].max():
            out[:, k] = train_y[0, k]
            continue
        clf = LogisticRegression(max_iter=2000, class_weight="balanced" if balanced else None)
        out[:, k] = clf.fit(X, train_y[:, k]).predict_proba(Xt)[:, 1]
    return out


def frame_baselines(articles: FrameArticles, label: str, folds: int, seed: int = 0,
                    progress: ProgressCallback | None = None) -> list[EvalRow]:
    """TF-IDF + logistic regression (scikit-learn defaults; and with balanced class
    weights), cross-validated on the same folds as the detector."""
    from analysis.models.training import cv_frames

    rows = []
    for k, balanced in enumerate((False, True)):
        proba = cv_frames(articles, folds=folds, seed=seed,
                          fitter=functools.partial(_tfidf_baseline, balanced=balanced),
                          progress=wrap_progress(progress, k / 2, (k + 1) / 2))
        rows.append(frames_row("TF-IDF + LR" + (" balanced" if balanced else ""), label,
                               articles.labels, (proba >= 0.5).astype(int), baseline=True,
                               seed=seed,
                               method="scikit-learn TfidfVectorizer + LogisticRegression "
                                      + ("(class_weight=balanced)" if balanced else "defaults")
                               + ", trained on the other folds"))
    return rows


def _frame_recipe_rows(articles: FrameArticles, label: str, folds: int, seed: int,
                       progress: ProgressCallback) -> list[EvalRow]:
    """The shipped frame recipe: cross-validated, and on the held-out split."""
    from analysis.models.training import measure_frames_linear

    return measure_frames_linear(articles, label, folds, seed, progress)


def evaluate_frames(articles: FrameArticles, label: str, *, cross_validate: bool, folds: int,
                    seed: int = 0, progress: ProgressCallback | None = None) -> list[EvalRow]:
    """The frame detector (cross-validated recipe or shipped model) and TF-IDF + LR."""
    progress = progress or no_progress
    y = articles.labels
    rows = []
    if cross_validate:
        rows += _frame_recipe_rows(articles, label, folds, seed, wrap_progress(progress, 0, 0.7))
    else:
        from analysis.models.frame_detector import load_frame_model

        model = load_frame_model()
        if model is None:
            raise FileNotFoundError("the generic-frame model file is not installed "
                                    "(resources/models/generic_frames_linear.npz)")
        rows.append(frames_row(model.name, label, y, model.predict(articles.texts), seed=seed,
                               method="shipped model applied to the file"))
    progress(0.7)
    if len(articles) >= 10 * folds:
        rows += frame_baselines(articles, f"{label} ({folds}-fold CV)", folds, seed,
                                wrap_progress(progress, 0.7, 1.0))
    progress(1.0)
    return rows


def run_evaluation(data_dir: Path | None = None, *, tsc_file: Path | None = None,
                   frames_file: Path | None = None, folds: int = 5, seed: int = 0,
                   sample: int | None = None,
                   progress: ProgressCallback | None = None) -> EvalReport:
    """Run every evaluation that has data.

    ``data_dir`` holds the project's gold files (cross-validated); ``tsc_file`` and
    ``frames_file`` are a user's own labelled files (scored with the shipped models).
    ``sample`` limits the gold data for quick runs: about ``sample`` targets and
    ``sample // 10`` articles.
    """
    progress = progress or no_progress
    report = EvalReport()
    jobs = []
    if data_dir is not None:
        if (data_dir / TSC_FILE).is_file():
            jobs.append(("tsc", data_dir / TSC_FILE, TSC_FILE.as_posix(), True))
        else:
            report.notes.append(f"no {TSC_FILE.as_posix()} in {data_dir}: sentiment not measured")
        if (data_dir / FRAMES_FILE).is_file():
            jobs.append(("frames", data_dir / FRAMES_FILE, FRAMES_FILE.as_posix(), True))
        else:
            report.notes.append(f"no {FRAMES_FILE.as_posix()} in {data_dir}: frames not measured")
    if tsc_file is not None:
        jobs.append(("tsc", Path(tsc_file), Path(tsc_file).name, False))
    if frames_file is not None:
        jobs.append(("frames", Path(frames_file), Path(frames_file).name, False))
    for k, (kind, path, label, cv) in enumerate(jobs):
        step = wrap_progress(progress, k / len(jobs), (k + 1) / len(jobs))
        if kind == "tsc":
            examples = read_tsc_jsonl(path)
            report.problems += examples.problems
            if sample and cv:
                examples = subsample_targets(examples, sample, seed)
                label += f", sample of {len(examples)}"
            report.rows += evaluate_tsc(examples, label, cross_validate=cv, folds=folds,
                                        seed=seed, progress=step)
        else:
            articles = read_frames_tsv(path)
            report.problems += articles.problems
            if sample and cv and sample // 10 < len(articles):
                keep = np.sort(np.random.default_rng(seed).permutation(len(articles))[
                    :max(10 * folds, sample // 10)])
                articles = FrameArticles(articles.table.iloc[keep], articles.source,
                                         articles.problems)
                label += f", sample of {len(articles)}"
            report.rows += evaluate_frames(articles, label, cross_validate=cv, folds=folds,
                                           seed=seed, progress=step)
    return report
