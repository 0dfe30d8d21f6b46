"""Speed of the generic-frame detector: articles per second, terms part vs sentence encoder.

    taskset -c 0 python benchmarks/bench_frame_detector.py [--n 30]

Uses the Narrative Frames articles when ../shared/validation is present, otherwise the
demo corpus. The encoder runs with one inference thread here; the app uses up to four.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.evaluate import FRAMES_FILE, default_data_dir  # noqa: E402
from analysis.models.frame_detector import load_frame_model  # noqa: E402
from analysis.models.frame_fusion import article_embeddings  # noqa: E402
from analysis.models.onnx_target_scorer import TRANSFORMER_DIR, OnnxTargetScorer  # noqa: E402
from analysis.resources import resource, resource_path  # noqa: E402
from analysis.text import split_sentences  # noqa: E402


def _texts(n: int) -> list[str]:
    path = default_data_dir() / FRAMES_FILE
    if path.is_file():
        from analysis.models.data import read_frames_tsv

        return read_frames_tsv(path).texts[:n]
    demo = resource("demo")
    return [p.read_text(encoding="utf-8") for p in sorted(demo.iterdir())
            if p.name.endswith(".txt")][:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="articles")
    args = parser.parse_args()
    texts = _texts(args.n)
    model = load_frame_model()
    if model is None:
        print("the frame model file is missing", file=sys.stderr)
        return 2
    sentences = sum(len(split_sentences(t)) for t in texts)
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    model.predict_terms_proba(texts)
    terms_s = time.perf_counter() - start
    encoder = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=1)
    start = time.perf_counter()
    article_embeddings(texts, encoder)
    embed_s = time.perf_counter() - start
    print(f"{len(texts)} articles, {sentences} sentences, {words} words")
    print(f"terms + codebook part: {len(texts) / terms_s:8.1f} articles/s")
    print(f"sentence encoder:      {len(texts) / embed_s:8.1f} articles/s "
          f"({sentences / embed_s:.0f} sentences/s, one thread)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
