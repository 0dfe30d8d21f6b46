"""Throughput of the target-sentiment models vs VADER, in targets per second.

Run on one core for the figures the model cards quote:

    taskset -c 0 python benchmarks/bench_target_model.py [--n 3000] [--transformer-n 500]

The transformer runs with one inference thread here; in the app it uses up to four.

With ``--corpus DIR`` (a folder of articles with manifest.csv, e.g. the 1,000-article
corpus of ``python -m benchmarks.bench_scale --sizes 1000 --workdir W``) it instead times
the whole target-sentiment step of the pipeline with the linear model (finding the
mentions, their features, the scores, the tables) per article, before (the per-mention
build kept in ``benchmarks/target_sentiment_reference.py``) and now, in CPU ms, side by
side with the goal (at least 3 times less CPU), and checks both give the same table:

    python -m benchmarks.bench_target_model --corpus DIR [--repeat 3]

Uses the NewsMTSC sentences when ../shared/validation is present, otherwise invented
sentences built from a few templates (so the benchmark runs anywhere).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.evaluate import TSC_FILE, default_data_dir  # noqa: E402
from analysis.models.data import read_tsc_jsonl  # noqa: E402
from analysis.models.target_sentiment import load_target_model  # noqa: E402

_TEMPLATES = [
    "{t} praised the agreement as a historic step toward lasting peace.",
    "Critics said {t} had failed to stop the violence, and the talks collapsed.",
    "Officials from {t} met their counterparts in the capital on Tuesday.",
    "Although {t} denied the charges, the court ruled against it.",
]
_NAMES = ["Russia", "China", "the United States", "the European Union", "Mr. Lavrov"]


def _examples(n: int) -> tuple[list[str], list[tuple[int, int]]]:
    path = default_data_dir() / TSC_FILE
    if path.is_file():
        ex = read_tsc_jsonl(path)
        k = min(n, len(ex))
        return ex.sentences[:k], ex.spans[:k]
    sentences, spans = [], []
    for i in range(n):
        name = _NAMES[i % len(_NAMES)]
        template = _TEMPLATES[i % len(_TEMPLATES)]
        start = template.index("{t}")
        sentences.append(template.format(t=name) + f" ({i})")
        spans.append((start, start + len(name)))
    return sentences, spans


def _batches(sentences, spans, one_per_call) -> None:
    """CPU rate of the int8 transformer with b targets per call, and how far batching moves
    the probabilities from one target per call (activation scale set per call)."""
    import numpy as np

    from analysis.models.onnx_target_scorer import TRANSFORMER_DIR, OnnxTargetScorer
    from analysis.resources import resource_path

    print("| targets per call | targets/s (CPU) | max prob. change | labels changed |")
    print("|---|---|---|---|")
    for b in (1, 8, 32):
        scorer = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=1, batch=b)
        scorer.predict_proba(sentences[:8], spans[:8])
        scorer._cache.clear()
        c0 = time.process_time()
        p = scorer.predict_proba(sentences, spans)
        cpu = time.process_time() - c0
        moved = np.abs(p - one_per_call).max()
        changed = int((p.argmax(1) != one_per_call.argmax(1)).sum())
        print(f"| {b} | {len(sentences) / cpu:,.0f} | {moved:.3f} | {changed} of {len(p)} |")


def _corpus_step(folder: Path, repeat: int) -> int:
    """CPU ms per article of the target-sentiment step, before and now (see the docstring)."""
    import pandas as pd

    from analysis.lang import document_language
    from analysis.targets import TargetSentimentAnalyzer, load_targets
    from analysis.text import segment
    from benchmarks.bench_analyzers import _with_languages
    from benchmarks.bench_tools import load_corpus
    from benchmarks.target_sentiment_reference import reference_transform

    corpus = _with_languages(load_corpus(folder), folder)
    for doc in corpus:  # the pipeline segments each text once for every analyzer
        segment(doc.text, document_language(doc))
    targets, scorer = load_targets(), load_target_model()
    steps = {"before (per-mention features)": lambda: reference_transform(
                 corpus, targets, scorer.model),
             "now (chunk matrix)": lambda: TargetSentimentAnalyzer(
                 targets, scorer).transform(corpus).mentions}
    results = {name: fn() for name, fn in steps.items()}  # warm: lexicon, tables, caches
    pd.testing.assert_frame_equal(*results.values(), check_exact=True)
    cpu: dict[str, list[float]] = {name: [] for name in steps}
    wall: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(repeat):  # alternate, so both see the same load
        for name, fn in steps.items():
            c0, t0 = time.process_time(), time.perf_counter()
            fn()
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - t0)
    n = len(corpus)
    print(f"{n} articles, {len(results['now (chunk matrix)'])} target mentions; "
          f"the two tables are identical; median of {repeat} runs, one process")
    print("| target-sentiment step (linear model) | CPU s | CPU ms per article | wall s |")
    print("|---|---:|---:|---:|")
    med = {name: sorted(v)[len(v) // 2] for name, v in cpu.items()}
    for name in steps:
        print(f"| {name} | {med[name]:.2f} | {1000 * med[name] / n:.2f} | "
              f"{sorted(wall[name])[len(wall[name]) // 2]:.2f} |")
    before, now = med.values()
    print(f"CPU ratio before/now: {before / now:.2f}x (goal: at least 3x)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="targets to score")
    parser.add_argument("--transformer-n", type=int, default=500,
                        help="targets for the (much slower) transformer; 0 skips it")
    parser.add_argument("--batches", action="store_true",
                        help="also time the transformer with several targets per call")
    parser.add_argument("--corpus", type=Path,
                        help="time the whole target-sentiment step on this corpus instead")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (with --corpus)")
    args = parser.parse_args()
    if args.corpus:
        return _corpus_step(args.corpus, args.repeat)
    sentences, spans = _examples(args.n)
    scorer = load_target_model()
    if scorer is None:
        print("the model file resources/models/tsc_linear.npz is missing", file=sys.stderr)
        return 2
    scorer.predict_proba(sentences[:50], spans[:50])  # warm caches (lexicon load)
    t0 = time.perf_counter()
    scorer.predict_proba(sentences, spans)
    model_rate = len(sentences) / (time.perf_counter() - t0)

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for s in sentences:
        vader.polarity_scores(s)
    vader_rate = len(sentences) / (time.perf_counter() - t0)
    print(f"{scorer.name}: {model_rate:,.0f} targets/s ({len(sentences)} targets)")
    print(f"VADER sentence: {vader_rate:,.0f} sentences/s")
    if args.transformer_n:
        from analysis.models.onnx_target_scorer import TRANSFORMER_DIR, OnnxTargetScorer
        from analysis.resources import resource_path

        transformer = OnnxTargetScorer(resource_path("models", TRANSFORMER_DIR), threads=1)
        k = min(args.transformer_n, len(sentences))
        transformer.predict_proba(sentences[:32], spans[:32])  # first run builds kernels
        transformer._cache.clear()  # time the model, not its per-mention cache
        t0 = time.perf_counter()
        base = transformer.predict_proba(sentences[:k], spans[:k])
        rate = k / (time.perf_counter() - t0)
        print(f"{transformer.name}: {rate:,.0f} targets/s ({k} targets, 1 thread); "
              f"{model_rate / rate:.0f} times slower than {scorer.name}")
        t0 = time.perf_counter()
        transformer.predict_proba(sentences[:k], spans[:k])
        print(f"{transformer.name} again on the same targets (cached): "
              f"{k / (time.perf_counter() - t0):,.0f} targets/s")
        if args.batches:
            _batches(sentences[:k], spans[:k], base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
