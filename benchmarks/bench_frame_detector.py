"""Cost of the generic-frame detector per 600-word article, part by part, on one core.

    taskset -c 0 python -m benchmarks.bench_frame_detector [--n 300] [--encoder-n 5]

Articles: invented 600-word news articles (``benchmarks.make_corpus``), and the Narrative
Frames articles when ../shared/validation is present. Prints CPU milliseconds per article
for the whole detector (``GenericFrameDetector.transform``, evidence included) and for its
parts; for comparison, what encoding every sentence with the transformer cost (the v2
detector's route, one sentence per call, one thread), on ``--encoder-n`` articles.
"""
from __future__ import annotations

import argparse
import random
import sys

from benchmarks._common import print_table, timed
from benchmarks.make_corpus import make_article


def _articles(n: int) -> list[tuple[str, list[str]]]:
    rng = random.Random(7)
    out = [("invented 600-word", [make_article(rng, ("chinese", "western")[i % 2], 600)
                                  for i in range(n)])]
    from analysis.evaluate import FRAMES_FILE, default_data_dir

    path = default_data_dir() / FRAMES_FILE
    if path.is_file():
        from analysis.models.data import read_frames_tsv

        out.append(("Narrative Frames", read_frames_tsv(path).texts[:n]))
    return out


def _per_article_ms(fn, texts) -> float:
    fn(texts[:3])  # warm: model, tokenizer and caches loaded outside the timing
    _, cpu, _ = timed(fn, texts)
    return 1000 * cpu / len(texts)


def _parts(model, detector, texts: list[str]) -> list:
    """CPU ms per article: the whole detector, word counts, terms + codebook, the head."""
    from analysis.corpus import Corpus, Document
    from analysis.models.frame_features import document_terms

    terms = [document_terms(t) for t in texts]
    whole = _per_article_ms(lambda ts: detector.transform(
        Corpus([Document(str(i), t) for i, t in enumerate(ts)])), texts)
    counts = _per_article_ms(lambda ts: [document_terms(t) for t in ts], texts)
    design = _per_article_ms(lambda ts: model.design(ts, terms=terms[:len(ts)]), texts)
    head = (_per_article_ms(lambda ts: model.head_logits(terms[:len(ts)]), texts)
            if model.embedding_head is not None else "— (no head)")
    return [whole, counts, design, head]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="articles per corpus")
    parser.add_argument("--encoder-n", type=int, default=5,
                        help="articles for the sentence-encoder comparison (0: skip)")
    args = parser.parse_args(argv)

    from analysis.models.frame_detector import GenericFrameDetector, load_frame_model
    from analysis.text import split_sentences

    model = load_frame_model()
    if model is None:
        print("the frame model file is missing (python -m analysis.models.train)",
              file=sys.stderr)
        return 2
    detector = GenericFrameDetector(model)
    print(f"model {model.name}; CPU ms per article, one process")
    rows = []
    for label, texts in _articles(args.n):
        rows.append([label, len(texts), round(sum(len(t.split()) for t in texts) / len(texts)),
                     *_parts(model, detector, texts)])
    print_table(["articles", "n", "words/article", "whole detector", "word counts",
                 "terms + codebook features", "word-piece head"], rows)
    if args.encoder_n:
        from analysis.models.onnx_target_scorer import TRANSFORMER_DIR, OnnxTargetScorer
        from analysis.resources import resource_path

        encoder = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=1)
        texts = _articles(args.encoder_n)[0][1]
        sentences = [[s.text for s in split_sentences(t)] for t in texts]
        ms = _per_article_ms(lambda ts: [encoder.embed(sentences[i]) for i in range(len(ts))],
                             texts)
        print(f"\nfor comparison, the transformer on every sentence (v2's route, one "
              f"thread): {ms:.0f} ms per article")
    return 0


if __name__ == "__main__":
    sys.exit(main())
