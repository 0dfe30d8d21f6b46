"""Sinoru against the tools an analyst would otherwise use, on the same corpus.

Prints a table: task | Sinoru | other tool | ratio (Sinoru time / other time; below 1
means Sinoru is faster). Times are medians of ``--repeat`` runs of CPU seconds of this
process (wall seconds are printed too: the machine may be shared). Every Sinoru run
starts from a cold text cache.

Usage::

    python -m benchmarks.bench_tools --n 1000 \
        [--scattertext-python OTHER_VENV/bin/python]

Scattertext is timed in a separate Python environment (it pulls spaCy and other heavy
dependencies), through benchmarks/scattertext_keyness.py.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import subprocess
import tempfile
from pathlib import Path

from analysis import text as sinoru_text
from analysis.corpus import Corpus, Document
from benchmarks._common import ROOT, ensure_corpus, median_time, print_table

_NAIVE_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def load_corpus(folder: Path) -> Corpus:
    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return Corpus(Document(r["file"], (folder / r["file"]).read_text(encoding="utf-8"),
                           {"group": r["group"], "outlet": r["outlet"]}) for r in rows)


def _cold() -> None:
    sinoru_text.segment.cache_clear()
    sinoru_text._NORMS.clear()


def _fmt(wall_cpu: tuple[float, float] | None) -> str:
    return "n/a" if wall_cpu is None else f"{wall_cpu[1]:.2f} s ({wall_cpu[0]:.2f} wall)"


def _ratio(ours, theirs) -> str:
    if ours is None or theirs is None or not theirs[1]:
        return "-"
    return f"{ours[1] / theirs[1]:.2f}"


def bench_term_counts(corpus: Corpus, repeat: int):
    from sklearn.feature_extraction.text import CountVectorizer

    from analysis.keyness import TermCounter

    texts = [d.text for d in corpus]
    ours = median_time(lambda: TermCounter(ngram_max=3, min_docs=2).fit_transform(corpus),
                       repeat, setup=_cold)
    theirs = median_time(
        lambda: CountVectorizer(ngram_range=(1, 3), min_df=2).fit_transform(texts), repeat)
    return ("term counts, 1-3-grams, min 2 docs", "scikit-learn CountVectorizer", ours, theirs)


def bench_keyness(corpus: Corpus, folder: Path, repeat: int, other_python: str | None):
    from analysis.keyness import TermCounter, compare

    ids_a = [d.doc_id for d in corpus if d.get("group") == "chinese"]
    ids_b = [d.doc_id for d in corpus if d.get("group") == "western"]

    def ours_fn():
        counts = TermCounter(ngram_max=3, min_docs=2).fit_transform(corpus)
        compare(counts, ids_a, ids_b)

    ours = median_time(ours_fn, repeat, setup=_cold)
    theirs = None
    if other_python:
        script = ROOT / "benchmarks" / "scattertext_keyness.py"
        walls, cpus = [], []
        for _ in range(repeat):
            out = subprocess.run([other_python, str(script), str(folder)], check=True,
                                 capture_output=True, text=True).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            walls.append(figures["total_wall"])
            cpus.append(figures["total_cpu"])
        theirs = (statistics.median(walls), statistics.median(cpus))
    return ("keyness, group A vs B (counting + scoring)",
            "Scattertext (scaled F-score + log-odds prior)", ours, theirs)


def bench_sentiment(corpus: Corpus, repeat: int):
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.sentiment import SentimentAnalyzer

    ours = median_time(lambda: SentimentAnalyzer().fit_transform(corpus), repeat,
                       setup=_cold)
    # The plain tool: VADER over every sentence of a naive split (split untimed).
    sentences = [s for d in corpus for s in _NAIVE_SENTENCE.split(d.text) if s.strip()]
    plain = SentimentIntensityAnalyzer()
    theirs = median_time(lambda: [plain.polarity_scores(s) for s in sentences], repeat)
    return ("sentence sentiment (VADER), per-document summary",
            f"vaderSentiment over {len(sentences)} sentences", ours, theirs)


def bench_readability(corpus: Corpus, repeat: int):
    import textstat

    texts = [d.text for d in corpus]

    def theirs_fn():
        for t in texts:
            textstat.flesch_reading_ease(t)
            textstat.flesch_kincaid_grade(t)
            textstat.gunning_fog(t)
            textstat.smog_index(t)

    theirs = median_time(theirs_fn, repeat)
    try:
        from analysis.readability import ReadabilityAnalyzer
    except ImportError:
        ours = None
    else:
        ours = median_time(lambda: ReadabilityAnalyzer().fit_transform(corpus), repeat,
                           setup=_cold)
    return ("readability (Flesch, FK grade, Fog, SMOG; Sinoru adds MATTR, sentence length)",
            "textstat, called directly", ours, theirs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinoru vs other tools on one corpus")
    parser.add_argument("--corpus", type=Path, help="folder made by make_corpus.py")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scattertext-python", metavar="PYTHON",
                        help="python of an environment with scattertext installed")
    parser.add_argument("--only", nargs="+",
                        choices=("terms", "keyness", "sentiment", "readability"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        corpus = load_corpus(folder)
        words = sum(len(sinoru_text.words(d.text)) for d in corpus)
        print(f"{len(corpus)} documents, {words} words; CPU seconds, median of "
              f"{args.repeat} runs")
        wanted = set(args.only or ("terms", "keyness", "sentiment", "readability"))
        rows = []
        if "terms" in wanted:
            rows.append(bench_term_counts(corpus, args.repeat))
        if "keyness" in wanted:
            rows.append(bench_keyness(corpus, folder, args.repeat, args.scattertext_python))
        if "sentiment" in wanted:
            rows.append(bench_sentiment(corpus, args.repeat))
        if "readability" in wanted:
            rows.append(bench_readability(corpus, args.repeat))
    print_table(["task", "Sinoru", "other tool", "other", "ratio Sinoru/other"],
                [[task, _fmt(ours), tool, _fmt(theirs), _ratio(ours, theirs)]
                 for task, tool, ours, theirs in rows])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
