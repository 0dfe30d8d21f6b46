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
    args = parser.parse_args(argv)

    from analysis.evaluate import FRAMES_FILE, default_data_dir
    from analysis.models.data import FRAME_IDS, read_frames_tsv
    from analysis.models.frame_fusion import heldout_split

    articles = read_frames_tsv(default_data_dir() / FRAMES_FILE)
    dev, _held = heldout_split(articles.labels)  # the held-out part is not used below
    texts, Y = [articles.texts[i] for i in dev], articles.labels[dev]
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
