"""Retrain the shipped models and rewrite their files and model cards.

    python -m analysis.models.train [--data DIR] [--folds 5] [--out resources/models]

Deterministic: the same data gives byte-identical model files and cards. The figures in
the cards are the cross-validated (out-of-fold) measurements of the same recipe.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from analysis.atomic import write_text_atomic
from analysis.evaluate import (
    FRAMES_FILE,
    TSC_FILE,
    EvalRow,
    default_data_dir,
    frame_baselines,
    tsc_row,
    vader_labels,
)
from analysis.models import cards
from analysis.models.data import DataError, read_frames_tsv, read_tsc_jsonl
from analysis.models.frame_detector import FRAME_MODEL_FILE
from analysis.models.onnx_target_scorer import TRANSFORMER_DIR
from analysis.models.target_sentiment import TSC_MODEL_FILE
from analysis.models.training import (
    FRAME_C,
    TSC_C,
    cv_tsc,
    fit_temperature,
    fit_tsc,
    tsc_features_of,
)
from analysis.resources import resource_path

__all__ = ["main", "train_tsc", "train_frames"]

TSC_NAME = "tsc-linear-v1"
FRAME_NAME = "generic-frames-linear-v1"
FRAME_FUSED_NAME = "generic-frames-fused-v3"
#: The embedding designs compared before training (``python -m benchmarks.frame_designs``).
FRAME_DESIGNS = "frame_designs.json"
#: Same-cost linear recipes compared with v1 (``python -m benchmarks.frame_designs --linear``).
FRAME_LINEAR_DESIGNS = "frame_linear_designs.json"


def _accuracy(row: EvalRow) -> dict:
    return {"macro_f1": round(row.macro_f1, 4), "ci95": [round(v, 4) for v in row.ci95],
            "accuracy": round(row.accuracy, 4),
            "per_class_f1": {k: round(v, 4) for k, v in row.per_class.items()},
            "data": row.data, "n": row.n, "method": row.method}


def train_tsc(data_dir: Path, out_dir: Path, folds: int, seed: int = 0) -> list[EvalRow]:
    """Cross-validate, fit and write the target-sentiment model and its card."""
    examples = read_tsc_jsonl(data_dir / TSC_FILE)
    rows = tsc_features_of(examples)
    print(f"target sentiment: {len(examples)} targets; {folds}-fold CV ...", file=sys.stderr)
    logits = cv_tsc(examples, folds=folds, seed=seed, rows=rows)
    temperature = fit_temperature(logits, examples.labels)
    data = f"NewsMTSC train ({TSC_FILE.as_posix()}, {folds}-fold CV grouped by sentence)"
    ours = tsc_row(TSC_NAME, data, examples.labels, logits.argmax(1), seed=seed,
                   method=f"{folds}-fold cross-validation grouped by sentence; bootstrap "
                          "95% CI over targets (1,000 resamples)")
    base = [tsc_row(f"VADER {m}", data, examples.labels, vader_labels(examples, m),
                    baseline=True, seed=seed) for m in ("sentence", "window")]
    print("fitting the final model ...", file=sys.stderr)
    model = fit_tsc(examples, TSC_C, rows=rows)
    proba = _softmax(logits / temperature)
    model.meta.update({
        "name": TSC_NAME, "temperature": temperature, "accuracy": _accuracy(ours),
        "baselines": {r.model: _accuracy(r) for r in base},
        "calibration": {"ece_before": _ece(_softmax(logits), examples.labels),
                        "ece_after": _ece(proba, examples.labels)},
        "training": {"data": "NewsMTSC train split (Hamborg & Donnay 2021), MIT licence",
                     "n_targets": len(examples), "C": TSC_C, "class_weight": "balanced",
                     "n_features": len(model.vocab)},
    })
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / TSC_MODEL_FILE)
    write_text_atomic(out_dir / "MODEL_CARD_tsc.md",
                      cards.tsc_card(model.meta, (out_dir / TSC_MODEL_FILE).stat().st_size,
                                     _stored_domain(out_dir)))
    return [ours, *base]


def train_frames(data_dir: Path, out_dir: Path, folds: int, seed: int = 0,
                 piece_cache: Path | None = None, recipe: str = "linear") -> list[EvalRow]:
    """Measure (CV and the held-out split), fit and write the generic-frame model and its
    card. ``recipe`` "linear" (the default: terms + codebook, threshold 0.5) or "fused"
    (with the word-piece embedding head): nested cross-validation on the development
    articles found no gain from the head (``frame_designs.json``), so linear ships."""
    if recipe == "fused":
        return _train_fused(data_dir, out_dir, folds, seed, piece_cache)
    from analysis.models.training import fit_frames, measure_frames_linear

    articles = read_frames_tsv(data_dir / FRAMES_FILE)
    y, texts = articles.labels, articles.texts
    print(f"generic frames: {len(articles)} articles; {folds}-fold CV and the held-out "
          "split ...", file=sys.stderr)
    data = f"Narrative Frames dev ({FRAMES_FILE.as_posix()})"
    rows = measure_frames_linear(articles, data, folds, seed)
    base = frame_baselines(articles, f"{data} ({folds}-fold CV)", folds, seed)
    model = fit_frames(texts, y)
    model.linear.meta.update({
        "name": FRAME_NAME, "accuracy": _accuracy(rows[0]), "heldout": _accuracy(rows[1]),
        "baselines": {b.model: _accuracy(b) for b in base},
        "training": {"data": "Narrative Frames Corpus dev articles (Frermann et al. 2023), "
                             "MIT licence", "n_articles": len(articles), "C": FRAME_C,
                     "class_weight": "balanced", "n_terms": model.n_terms,
                     "positives": {f: int(v) for f, v in zip(model.linear.meta["labels"],
                                                             y.sum(axis=0), strict=False)}},
    })
    _write_frames(model, out_dir)
    return [*rows, *base]


def _write_frames(model, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save(out_dir / FRAME_MODEL_FILE)
    write_text_atomic(out_dir / "MODEL_CARD_generic_frames.md",
                      cards.frames_card(model.linear.meta,
                                        (out_dir / FRAME_MODEL_FILE).stat().st_size,
                                        _stored_json(out_dir, FRAME_DESIGNS),
                                        _stored_json(out_dir, FRAME_LINEAR_DESIGNS)))


def _train_fused(data_dir: Path, out_dir: Path, folds: int, seed: int,
                 piece_cache: Path | None) -> list[EvalRow]:
    """The fused recipe: nested CV, held-out split, final model with the word-piece head."""
    import time

    from analysis.models.frame_features import Codebook, codebook_features, document_terms
    from analysis.models.frame_fusion import (
        choose,
        fit_fused,
        measure,
        piece_embeddings,
        piece_vectors,
    )

    articles = read_frames_tsv(data_dir / FRAMES_FILE)
    y, texts = articles.labels, articles.texts
    print(f"generic frames: {len(articles)} articles; the encoder's word-piece vectors ...",
          file=sys.stderr)
    start = time.perf_counter()
    vectors = piece_vectors(resource_path("models", TRANSFORMER_DIR, "model.int8.onnx"),
                            cache=piece_cache)
    embed_s = time.perf_counter() - start
    terms = [document_terms(t) for t in texts]
    E = piece_embeddings(texts, vectors, terms=terms)
    print(f"nested {folds}-fold CV and the held-out split ...", file=sys.stderr)
    data = f"Narrative Frames dev ({FRAMES_FILE.as_posix()})"
    rows, choices = measure(texts, y, E, vectors, data, folds, seed)
    base = frame_baselines(articles, f"{data} ({folds}-fold CV)", folds, seed)
    print("choosing and fitting the final model ...", file=sys.stderr)
    cb_rows = codebook_features(texts, Codebook())
    choice = choose(texts, y, E, terms, cb_rows)
    model = fit_fused(texts, y, E, choice, vectors, terms, cb_rows)
    ours, held = rows[0], rows[2]
    model.linear.meta.update({
        "name": FRAME_FUSED_NAME, "accuracy": _accuracy(ours), "heldout": _accuracy(held),
        "baselines": {**{f"{r.model}{' held-out' if 'held-out' in r.data else ''}": _accuracy(r)
                         for r in rows[1:] if r.baseline},
                      **{b.model: _accuracy(b) for b in base}},
        "choices": [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in c.items()}
                    for c in choices],
        "piece_vector_seconds": round(embed_s, 1),
        "training": {"data": "Narrative Frames Corpus dev articles (Frermann et al. 2023), "
                             "MIT licence", "n_articles": len(articles), "C": FRAME_C,
                     "class_weight": "balanced", "n_terms": model.n_terms,
                     "embedding_C": choice["C"], "embedding_weight": choice["weight"],
                     "positives": {f: int(v) for f, v in zip(model.linear.meta["labels"],
                                                             y.sum(axis=0), strict=False)}},
    })
    _write_frames(model, out_dir)
    return [*rows, *base]


def _softmax(z: np.ndarray) -> np.ndarray:
    from analysis.models.linear import softmax

    return softmax(z)


def _ece(proba: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top-class probability (10 equal-width bins)."""
    conf = proba.max(axis=1)
    correct = proba.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    err = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=False):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            err += m.mean() * abs(conf[m].mean() - correct[m].mean())
    return round(float(err), 4)


def _stored_json(out_dir: Path, name: str) -> dict | None:
    path = out_dir / name
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _stored_domain(out_dir: Path) -> dict | None:
    """The China–Russia domain check stored beside the models (``sinoru evaluate --domain``)."""
    from analysis.models.domain_check import MEASUREMENT_NAME

    path = out_dir / MEASUREMENT_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def write_cards(out_dir: Path) -> int:
    """Rewrite both model cards from the metadata stored in the model files."""
    from analysis.models.frame_detector import FrameModel
    from analysis.models.linear import LinearModel

    tsc, frames = out_dir / TSC_MODEL_FILE, out_dir / FRAME_MODEL_FILE
    domain = _stored_domain(out_dir)
    write_text_atomic(out_dir / "MODEL_CARD_tsc.md",
                      cards.tsc_card(LinearModel.load(tsc).meta, tsc.stat().st_size, domain))
    write_text_atomic(out_dir / "MODEL_CARD_generic_frames.md",
                      cards.frames_card(FrameModel.load(frames).linear.meta,
                                        frames.stat().st_size,
                                        _stored_json(out_dir, FRAME_DESIGNS),
                                        _stored_json(out_dir, FRAME_LINEAR_DESIGNS)))
    transformer = out_dir / TRANSFORMER_DIR
    if (transformer / "card.json").is_file():
        card = json.loads((transformer / "card.json").read_text(encoding="utf-8"))
        size = (transformer / card.get("file", "model.int8.onnx")).stat().st_size
        write_text_atomic(out_dir / "MODEL_CARD_tsc_minilm.md",
                          cards.transformer_card_text(card, size, domain))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.models.train",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None,
                        help="validation folder (default: ../shared/validation or "
                             "$SINORU_SHARED_DIR/validation)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[2] / "resources" / "models")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", choices=("tsc", "frames"), default=None)
    parser.add_argument("--frames-recipe", choices=("linear", "fused"), default="linear",
                        help="linear (shipped: terms + codebook) or fused (with the "
                             "word-piece embedding head)")
    parser.add_argument("--piece-cache", type=Path, default=None,
                        help="an .npy file (outside the repository) keeping the encoder's "
                             "word-piece vectors between training runs")
    parser.add_argument("--cards-only", action="store_true",
                        help="rewrite the model cards from the stored models, no training")
    args = parser.parse_args(argv)
    if args.cards_only:
        return write_cards(args.out)
    data_dir = args.data or default_data_dir()
    try:
        rows = []
        if args.only in (None, "tsc"):
            rows += train_tsc(data_dir, args.out, args.folds)
        if args.only in (None, "frames"):
            rows += train_frames(data_dir, args.out, args.folds, piece_cache=args.piece_cache,
                                 recipe=args.frames_recipe)
    except DataError as exc:
        print(f"train: {exc}\nGive the folder holding newsmtsc/train.jsonl and "
              "narrative_frames/articles_dev.tsv with --data.", file=sys.stderr)
        return 2
    for r in rows:
        print(f"{r.model:28s} {r.data[:40]:40s} n={r.n:5d} macro-F1 {r.macro_f1:.3f} "
              f"[{r.ci95[0]:.3f}, {r.ci95[1]:.3f}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
