"""Which embedding the generic-frame detector should fuse with its terms part: nested
cross-validation on the development articles only, and CPU cost per article.

    python -m benchmarks.frame_designs [--cache DIR] [--seeds 0 1] [--write FILE.json]

The held-out articles (``frame_fusion.heldout_split``) are never read here: the design is
chosen on the other articles, and only the chosen one is then measured on the held-out
split by ``python -m analysis.models.train --only frames``. Every design goes through the
same recipe (``frame_fusion.choose`` inside each outer training part, then the head fitted
on that part); the designs differ only in the article embedding:

* ``sentences``: mean of the unit sentence embeddings (the v2 detector), one sentence per
  encoder call;
* ``lead128``: one encoder call on the first 128 word pieces (headline and lead);
* ``windows128``: mean of the unit embeddings of consecutive 128-piece windows, one
  window per call (a batch would change the int8 activation scale, see
  ``OnnxTargetScorer``);
* ``pieces``: mean of the encoder's per-piece vectors over the article's word pieces (v3;
  no encoder call per article).

Embeddings take minutes to hours on a busy machine: ``--cache`` keeps them (``.npy`` per
design, outside the repository). Costs are CPU ms per article on ``--cost-n`` articles,
one thread, always re-measured.

``--linear`` compares instead recipes that keep v1's features, and so its cost per
article: v1 against per-frame ``C`` and per-frame threshold chosen together in the inner
cross-validation (:func:`linear_nested_cv`), with the paired difference and its bootstrap
95% CI per outer seed.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks._common import print_table

DESIGNS = ("sentences", "lead128", "windows128", "pieces")


class _Encoder:
    """The shipped int8 encoder on word-piece ids, one input per call, one thread."""

    def __init__(self):
        import onnxruntime as ort

        from analysis.models.onnx_target_scorer import EMBEDDING_OUTPUT, TRANSFORMER_DIR
        from analysis.models.wordpiece import WordPiece
        from analysis.resources import resource_path

        folder = resource_path("models", TRANSFORMER_DIR)
        self.tok = WordPiece(folder / "tokenizer.json", 128)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(folder / "model.int8.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self.output = EMBEDDING_OUTPUT

    def unit(self, pieces: list[int]) -> np.ndarray:
        ids = np.array([[self.tok.cls, *pieces, self.tok.sep]], dtype=np.int64)
        v = self.session.run([self.output], {"input_ids": ids,
                                             "attention_mask": np.ones_like(ids)})[0][0]
        return v / (np.linalg.norm(v) or 1.0)


def _unit_mean(rows: list[np.ndarray]) -> np.ndarray:
    if not rows:
        return np.zeros(384)
    m = np.mean(rows, axis=0)
    return m / (np.linalg.norm(m) or 1.0)


def embedder(design: str, cache: Path | None):
    """A function texts -> (n, 384) for ``design``."""
    if design == "pieces":
        from analysis.models.frame_detector import load_piece_mean
        from analysis.models.frame_fusion import piece_embeddings, piece_vectors
        from analysis.models.onnx_target_scorer import TRANSFORMER_DIR
        from analysis.resources import resource_path

        vectors = piece_vectors(resource_path("models", TRANSFORMER_DIR, "model.int8.onnx"),
                                cache=cache / "piece_vectors.npy" if cache else None)
        piece_mean = load_piece_mean()
        return lambda texts: piece_embeddings(texts, vectors, piece_mean)
    enc = _Encoder()
    if design == "sentences":
        from analysis.text import split_sentences

        return lambda texts: np.array([_unit_mean(
            [enc.unit(enc.tok.pieces(s.text)[:126]) for s in split_sentences(t)
             if len(s.text.strip()) > 2]) for t in texts])
    if design == "lead128":
        return lambda texts: np.array([enc.unit(enc.tok.pieces(t)[:126]) for t in texts])
    if design == "windows128":
        def windows(text):
            p = enc.tok.pieces(text)
            return _unit_mean([enc.unit(p[a:a + 126]) for a in range(0, len(p), 126)])
        return lambda texts: np.array([windows(t) for t in texts])
    raise ValueError(design)


def nested_cv(texts, Y, embeddings: dict[str, np.ndarray], seeds) -> dict[str, list[np.ndarray]]:
    """Per design, the per-frame F1 of each outer seed (5-fold outer, choice inside)."""
    from analysis.models.frame_features import Codebook, codebook_features, document_terms
    from analysis.models.frame_fusion import (
        WEIGHTS,
        choose,
        fit_head,
        fold_indices,
        head_proba,
        inner_terms_proba,
    )
    from analysis.models.metrics import multilabel_f1
    from analysis.models.training import fit_frames

    terms = [document_terms(t) for t in texts]
    cb = codebook_features(texts, Codebook())
    names = ["v1 (threshold 0.5)", "v1, tuned thresholds", *embeddings]
    out: dict[str, list[np.ndarray]] = {n: [] for n in names}
    for seed in seeds:
        pred = {n: np.zeros(Y.shape, dtype=int) for n in names}
        for train, test in fold_indices(Y, 5, seed):
            sub = ([texts[i] for i in train], Y[train], [terms[i] for i in train],
                   [cb[i] for i in train])
            p_in = inner_terms_proba(*sub)
            v1 = fit_frames(sub[0], Y[train], terms=sub[2], cb_rows=sub[3])
            p_out = v1.predict_terms_proba([texts[i] for i in test])
            pred[names[0]][test] = p_out >= 0.5
            for name in names[1:]:
                E = embeddings.get(name, np.zeros((len(texts), 1)))
                c = choose(sub[0], Y[train], E[train], sub[2], sub[3], p_terms=p_in,
                           weights=(0.0,) if name == names[1] else WEIGHTS)
                p = (1 - c["weight"]) * p_out
                if c["weight"]:
                    p = p + c["weight"] * head_proba(E[test], *fit_head(E[train], Y[train], c["C"]))
                pred[name][test] = p >= np.asarray(c["thresholds"])
            print(f"seed {seed}: fold done", file=sys.stderr, flush=True)
        for n in names:
            out[n].append(multilabel_f1(Y, pred[n]))
    return out


#: The inverse regularisation strengths a frame may choose in the per-frame recipe.
LINEAR_CS = (0.3, 1.0, 3.0, 10.0, 30.0)


def _oof_by_C(texts, Y, terms, cb, positions, seed: int = 1) -> dict[float, np.ndarray]:
    """Out-of-fold probabilities (len(positions), 5) of the v1 recipe at every C of
    :data:`LINEAR_CS`, by 5-fold CV inside ``positions``."""
    from analysis.models.frame_fusion import fold_indices
    from analysis.models.training import fit_frames

    sub = Y[positions]
    out = {C: np.zeros(sub.shape) for C in LINEAR_CS}
    for train, test in fold_indices(sub, 5, seed):
        tr, te = positions[train], positions[test]
        for C in LINEAR_CS:
            model = fit_frames([texts[i] for i in tr], Y[tr], C, terms=[terms[i] for i in tr],
                               cb_rows=[cb[i] for i in tr])
            out[C][test] = model.predict_terms_proba([texts[i] for i in te])
    return out


def choose_per_frame(texts, Y, terms, cb, positions) -> list[tuple[float, float]]:
    """Per frame, the (C, threshold) with the best inner out-of-fold F1 (ties: the first)."""
    from analysis.models.frame_fusion import THRESHOLDS
    from analysis.models.metrics import multilabel_f1

    oof = _oof_by_C(texts, Y, terms, cb, positions)
    y = Y[positions]
    out = []
    for k in range(Y.shape[1]):
        scores = {(C, t): multilabel_f1(y[:, [k]], (oof[C][:, [k]] >= t))[0]
                  for C in LINEAR_CS for t in THRESHOLDS}
        out.append(max(scores, key=scores.get))
    return out


def linear_nested_cv(texts, Y, seeds) -> dict:
    """Nested 5-fold CV of v1 and of per-frame (C, threshold): per design the per-frame F1
    of each outer seed, and per seed the paired macro-F1 difference with its 95% CI."""
    from analysis.models.frame_features import Codebook, codebook_features, document_terms
    from analysis.models.frame_fusion import fold_indices
    from analysis.models.metrics import multilabel_f1, paired_multilabel_difference_ci
    from analysis.models.training import FRAME_C, fit_frames

    terms = [document_terms(t) for t in texts]
    cb = codebook_features(texts, Codebook())
    names = ("v1 (threshold 0.5)", "per-frame C and threshold")
    f1: dict[str, list] = {n: [] for n in names}
    paired = []
    for seed in seeds:
        pred = {n: np.zeros(Y.shape, dtype=int) for n in names}
        for train, test in fold_indices(Y, 5, seed):
            choice = choose_per_frame(texts, Y, terms, cb, train)
            fitted = {}
            for C in {FRAME_C, *(c for c, _ in choice)}:
                fitted[C] = fit_frames([texts[i] for i in train], Y[train], C,
                                       terms=[terms[i] for i in train],
                                       cb_rows=[cb[i] for i in train]
                                       ).predict_terms_proba([texts[i] for i in test])
            pred[names[0]][test] = fitted[FRAME_C] >= 0.5
            for k, (C, t) in enumerate(choice):
                pred[names[1]][test, k] = fitted[C][:, k] >= t
            print(f"seed {seed}: fold done; choices {choice}", file=sys.stderr, flush=True)
        for n in names:
            f1[n].append(multilabel_f1(Y, pred[n]))
        diff, low, high = paired_multilabel_difference_ci(Y, pred[names[1]], pred[names[0]],
                                                          seed=seed)
        paired.append({"seed": seed, "difference": round(diff, 4),
                       "ci95": [round(low, 4), round(high, 4)]})
    return {"f1": f1, "paired": paired}


def main_linear(texts, Y, seeds, write: Path | None) -> int:
    from analysis.models.data import FRAME_IDS

    out = linear_nested_cv(texts, Y, seeds)
    rows, figures = [], {}
    for name, per_seed in out["f1"].items():
        macro = [float(f.mean()) for f in per_seed]
        per_frame = np.mean(per_seed, axis=0)
        figures[name] = {"macro_f1": round(float(np.mean(macro)), 4),
                         "per_seed": [round(v, 4) for v in macro],
                         "per_frame": {f: round(float(v), 4)
                                       for f, v in zip(FRAME_IDS, per_frame, strict=True)}}
        rows.append([name, figures[name]["macro_f1"], " / ".join(f"{v:.3f}" for v in macro),
                     *(f"{v:.3f}" for v in per_frame)])
    print(f"{len(texts)} development articles; nested 5-fold CV, outer seeds "
          f"{', '.join(map(str, seeds))}; both recipes read v1's features (same cost)")
    print_table(["design", "macro-F1 (mean)", "per seed", *(f"F1 {f}" for f in FRAME_IDS)],
                rows)
    print_table(["outer seed", "per-frame minus v1", "paired 95% CI"],
                [[p["seed"], f"{p['difference']:+.4f}",
                  f"{p['ci95'][0]:+.4f} to {p['ci95'][1]:+.4f}"] for p in out["paired"]])
    if write:
        write.write_text(json.dumps(
            {"n_articles": len(texts), "seeds": list(seeds), "designs": figures,
             "paired": out["paired"], "cs": list(LINEAR_CS),
             "method": "nested 5-fold cross-validation on the development articles only "
                       "(held-out split never read); per frame, C and threshold chosen "
                       "together by 5-fold CV inside each outer training part; paired "
                       "difference with a bootstrap 95% CI over articles per outer seed"},
            indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder for the embeddings (outside the repository)")
    parser.add_argument("--designs", nargs="+", default=list(DESIGNS), choices=DESIGNS)
    parser.add_argument("--cost-only", nargs="*", default=[], choices=DESIGNS,
                        help="designs whose cost alone is measured (e.g. ruled out by it)")
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--cost-n", type=int, default=10)
    parser.add_argument("--write", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument("--linear", action="store_true",
                        help="compare v1 with per-frame C and thresholds (no encoder)")
    args = parser.parse_args(argv)

    from analysis.evaluate import FRAMES_FILE, default_data_dir
    from analysis.models.data import FRAME_IDS, read_frames_tsv
    from analysis.models.frame_fusion import heldout_split

    articles = read_frames_tsv(default_data_dir() / FRAMES_FILE)
    dev, _held = heldout_split(articles.labels)  # the held-out part is not used below
    texts, Y = [articles.texts[i] for i in dev], articles.labels[dev]
    if args.linear:
        return main_linear(texts, Y, args.seeds, args.write)
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)
    embeddings, cost = {}, {}
    for design in [*args.cost_only, *args.designs]:
        embed = embedder(design, args.cache)
        embed(texts[:2])  # warm
        t0 = time.process_time()
        embed(texts[:args.cost_n])
        cost[design] = 1000 * (time.process_time() - t0) / args.cost_n
        print(f"{design}: {cost[design]:.1f} ms/article", file=sys.stderr, flush=True)
        if design not in args.designs:
            continue
        path = args.cache / f"dev_{design}.npy" if args.cache else None
        if path is not None and path.is_file():
            embeddings[design] = np.load(path)
        else:
            embeddings[design] = embed(texts)
            if path is not None:
                np.save(path, embeddings[design])
    f1 = nested_cv(texts, Y, embeddings, args.seeds)
    rows, figures = [], {}
    for name, per_seed in f1.items():
        macro = [float(f.mean()) for f in per_seed]
        per_frame = np.mean(per_seed, axis=0)
        figures[name] = {"macro_f1": round(float(np.mean(macro)), 4),
                         "per_seed": [round(v, 4) for v in macro],
                         "per_frame": {f: round(float(v), 4) for f, v in zip(FRAME_IDS, per_frame,
                                                                             strict=True)},
                         "embedding_ms": round(cost[name], 2) if name in cost else 0.0}
        rows.append([name, figures[name]["embedding_ms"], figures[name]["macro_f1"],
                     " / ".join(f"{v:.3f}" for v in macro),
                     *(f"{v:.3f}" for v in per_frame)])
    for name in args.cost_only:
        figures[name] = {"embedding_ms": round(cost[name], 2), "macro_f1": None}
        rows.append([name, figures[name]["embedding_ms"], "not measured", "", *[""] * 5])
    print(f"{len(texts)} development articles; nested 5-fold CV, outer seeds "
          f"{', '.join(map(str, args.seeds))}; embedding cost: CPU ms/article, one thread")
    print_table(["design", "embedding ms", "macro-F1 (mean)", "per seed",
                 *(f"F1 {f}" for f in FRAME_IDS)], rows)
    if args.write:
        args.write.write_text(json.dumps(
            {"n_articles": len(texts), "seeds": args.seeds, "designs": figures,
             "method": "nested 5-fold cross-validation on the development articles only "
                       "(held-out split never read); weight, C and thresholds chosen inside "
                       "each outer training part; embedding cost in CPU ms per article on "
                       f"{args.cost_n} articles, one thread"},
            indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
