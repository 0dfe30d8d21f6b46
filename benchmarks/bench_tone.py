"""Sentence tone: raw VADER (``polarity_scores`` per sentence) against Sinoru's fast VADER.

Both score the same sentences (Sinoru's sentence splitter) on one core, in the same run;
ours starts with empty caches. Prints words per second, the speed-up and how many
compound scores differ (must be 0).

Usage::

    python -m benchmarks.bench_tone [--n 1000 | --corpus DIR]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from analysis.sentiment import vader
from analysis.text import segment
from analysis.vader import FastVader
from benchmarks._common import ensure_corpus, print_table, read_texts, timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of .txt articles")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (no --corpus)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        texts = read_texts(folder)
    sentences = [s.text for t in texts for s in segment(t).sentences]
    n_words = sum(len(s.split()) for s in sentences)
    analyzer = vader()
    raw_wall, raw_cpu, raw = timed(lambda: [analyzer.polarity_scores(s)["compound"]
                                            for s in sentences])
    fast = FastVader()
    ours_wall, ours_cpu, ours = timed(fast.compounds, sentences)
    differ = sum(a != b for a, b in zip(raw, ours, strict=True))
    print(f"{len(texts)} articles, {len(sentences)} sentences, {n_words} words; "
          f"{differ} compound scores differ")
    print_table(["scorer", "wall s", "CPU s", "words/s"],
                [["raw VADER polarity_scores", raw_wall, raw_cpu, f"{n_words / raw_cpu:,.0f}"],
                 ["Sinoru fast VADER", ours_wall, ours_cpu, f"{n_words / ours_cpu:,.0f}"]])
    print(f"speed-up (CPU): {raw_cpu / ours_cpu:.1f}x")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
