"""Cost of the generic-frame detector per 600-word article, part by part, on one core.

    taskset -c 0 python -m benchmarks.bench_frame_detector [--n 300] [--encoder-n 5]

Articles: invented 600-word news articles (``benchmarks.make_corpus``), and the Narrative
Frames articles when ../shared/validation is present. Prints CPU milliseconds per article
for the whole detector (``GenericFrameDetector.transform``, evidence included) beside the
detector before its single-pass rewrite (``benchmarks.frame_detector_reference``, same
decisions and evidence) and the goal (at least 3x cheaper), then the parts; for
comparison, what encoding every sentence with the transformer cost (the v2 detector's
route, one sentence per call, one thread), on ``--encoder-n`` articles. The segmentation
cache is emptied before every timing; the whole detector is timed twice: segmenting the
texts itself, and with the texts already segmented (as in an analysis, where the
detector shares ``segment(text)`` with the marker and target analyzers, but never saw
the sentences alone).
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


GOAL = 3.0  # times cheaper per article than before the single-pass rewrite


def _per_article_ms(fn, texts, segmented: bool = False) -> float:
    from analysis.text import segment

    fn(texts[:3])  # warm: model, tokenizer and caches loaded outside the timing
    segment.cache_clear()
    if segmented:
        for t in texts:
            segment(t)
    _, cpu, _ = timed(fn, texts)
    return 1000 * cpu / len(texts)


def _whole(model, detector, texts: list[str], segmented: bool) -> list:
    """CPU ms per article: before, now, the ratio and whether it meets the goal."""
    from analysis.corpus import Corpus, Document
    from benchmarks.frame_detector_reference import reference_transform

    def docs(ts):
        return [Document(str(i), t) for i, t in enumerate(ts)]

    before = _per_article_ms(lambda ts: reference_transform(model, docs(ts)), texts, segmented)
    now = _per_article_ms(lambda ts: detector.transform(Corpus(docs(ts))), texts, segmented)
    return ["already segmented" if segmented else "segmenting included", before, now,
            f"{before / now:.1f}x",
            f">= {GOAL:.0f}x: {'met' if before / now >= GOAL else 'not met'}"]


def _parts(model, texts: list[str]) -> list:
    """CPU ms per article: terms by sentence (with segmenting; every term, as with the
    word-piece head, and the model's terms of 64 texts at a time, as the detector reads
    them without it), codebook (finding each text's words, and with the words terms by
    sentence found, as the detector runs it), the head."""
    from analysis.models.frame_features import (
        codebook_features,
        terms_by_sentence,
        terms_of_texts,
    )

    found = [terms_by_sentence(t, model.vocabulary) for t in texts]
    terms = [terms_by_sentence(t).counts for t in texts]
    counts = _per_article_ms(lambda ts: [terms_by_sentence(t) for t in ts], texts)
    known = _per_article_ms(lambda ts: [d for a in range(0, len(ts), 64)
                                        for d in terms_of_texts(ts[a:a + 64], model.vocabulary)],
                            texts)
    codebook = _per_article_ms(lambda ts: codebook_features(ts, model.codebook), texts)
    at_hand = _per_article_ms(
        lambda ts: codebook_features(ts, model.codebook, [f.segmented for f in found[:len(ts)]],
                                     [f.words for f in found[:len(ts)]]), texts)
    head = (_per_article_ms(lambda ts: model.head_logits(terms[:len(ts)]), texts)
            if model.embedding_head is not None else "— (no head)")
    return [counts, known, codebook, at_hand, head]


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
    rows, parts = [], []
    for label, texts in _articles(args.n):
        size = [label, len(texts), round(sum(len(t.split()) for t in texts) / len(texts))]
        rows += [[*size, *_whole(model, detector, texts, segmented)]
                 for segmented in (False, True)]
        parts.append([*size, *_parts(model, texts)])
    print_table(["articles", "n", "words/article", "texts", "before", "now", "cheaper by",
                 "goal"], rows)
    print("\nparts of the detector now, CPU ms per article")
    print_table(["articles", "n", "words/article", "terms by sentence (segmenting included)",
                 "the model's terms, 64 texts at a time (segmenting included)",
                 "codebook features", "codebook features, words at hand", "word-piece head"],
                parts)
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
