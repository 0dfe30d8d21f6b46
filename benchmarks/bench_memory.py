"""Where the memory of ``sinoru analyze``'s own process goes, per article.

Runs the whole analysis of a synthetic corpus (row tables on disk, as for a large corpus;
the per-document stage in worker processes) with Python's ``tracemalloc`` in this
process, and prints what is held after each step and, for what is held at the end, the
lines of code that allocated it, in KB per article: what grows with the corpus. Worker
processes are not traced (their memory does not grow with the corpus; the whole tree's
peak is ``bench_scale``'s figure). Tracing slows the run about twofold.

With ``--steps`` it instead samples this process's resident memory (RSS, every 20 ms,
no tracing) through a whole analysis with the corpus stage in this process, as at
100,000 articles (no side process), and prints for each corpus-stage step the memory
when it starts, its peak and what it leaves: where the process's peak is reached.

Usage::

    python -m benchmarks.bench_memory --n 1000 --workdir WORK_DIR
    python -m benchmarks.bench_memory --steps --n 20000 --workdir WORK_DIR
    python -m benchmarks.bench_memory --tests 100000

With ``--tests N`` it runs one group comparison's permutation tests (10,001 random
arrangements) on N synthetic documents with 70 figures, half in each group, as the group
comparisons of an N-article corpus do, and prints tracemalloc's peak above the start and
the CPU seconds: the memory one test adds while the groups are compared.
"""
from __future__ import annotations

import argparse
import gc
import os
import resource
import tempfile
import threading
import tracemalloc
from pathlib import Path

from benchmarks._common import ROOT, ensure_corpus, print_table

_STEPS = ("corpus read", "last chunk received", "per-document stage", "topics and keyness",
          "group comparisons", "results")


def _traced(label: str, held: dict, n: int) -> None:
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    held[label] = (current, peak, tracemalloc.take_snapshot())
    print(f"{label}: {current / 2**20:,.0f} MiB held ({current / n / 1024:.1f} KB per "
          f"article), peak so far {peak / 2**20:,.0f} MiB", flush=True)


def measure(corpus_dir: Path, top: int) -> None:
    import analysis.compare as compare
    import analysis.map_stage as map_stage
    import analysis.pipeline as pipeline
    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths

    held: dict = {}
    tracemalloc.start(1)
    corpus = import_paths([str(corpus_dir)], manifest=str(corpus_dir / "manifest.csv")).corpus
    n = len(corpus)
    _traced(_STEPS[0], held, n)

    def after(fn, label):
        def wrapped(*args, **kwargs):
            out = fn(*args, **kwargs)
            _traced(label, held, n)
            return out
        return wrapped

    def waited(fs, *args, **kwargs):   # the last chunk's entries are in, not yet put together
        done = wait(fs, *args, **kwargs)
        if len(done[1]) == 0 and len(fs) == 1:
            _traced(_STEPS[1], held, n)
        return done

    wait = map_stage.wait
    map_stage.wait = waited
    map_stage.run_document_stage = after(map_stage.run_document_stage, _STEPS[2])
    pipeline._corpus_analyzers = after(pipeline._corpus_analyzers, _STEPS[3])
    compare.build_results = after(compare.build_results, _STEPS[4])
    results = pipeline.run_analysis(corpus, AnalysisConfig(), spill=True)
    _traced(_STEPS[5], held, n)
    stats = held[_STEPS[5]][2].compare_to(held[_STEPS[0]][2], "lineno")
    rows = []
    for stat in stats[:top]:
        frame = stat.traceback[0]
        where = Path(frame.filename)
        try:
            where = where.relative_to(ROOT)
        except ValueError:
            where = Path(*where.parts[-2:])
        rows.append([f"{where}:{frame.lineno}", f"{stat.size_diff / n / 1024:.2f}",
                     f"{stat.count_diff / n:.1f}"])
    print(f"\nHeld at the end beyond the corpus, by line that allocated it ({n:,} articles)")
    print_table(["allocated at", "KB per article", "objects per article"], rows)
    text = held[_STEPS[0]][0]
    print(f"\nthe corpus itself (texts and metadata): {text / n / 1024:.1f} KB per article")
    del results


#: (module, function, step name): the corpus-stage steps --steps follows, in run order.
_RSS_STEPS = (("analysis.map_stage", "run_document_stage", "per-document stage"),
              ("analysis.topics", "TopicAnalyzer.fit_transform", "topics"),
              ("analysis.keyness", "TermCounter.fit_transform", "term counts"),
              ("analysis.compare", "_pair_keyness", "keyness per pair"),
              ("analysis.compare", "_document_rows", "documents rows"),
              ("analysis.compare", "build_results", "group comparisons (all of it)"),
              ("analysis.termmap", "term_map_tables", "term map"),
              ("analysis.wordshift", "word_shift_table", "word shift"),
              ("analysis.collocations", "collocations", "collocations"))


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure_steps(corpus_dir: Path) -> None:
    """Each corpus-stage step's RSS when it starts, its peak and when it ends."""
    import importlib

    import analysis.corpus_stage as corpus_stage
    import analysis.pipeline as pipeline
    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths

    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], _rss_mib())

    rows: list[list[str]] = []

    def traced(fn, name):
        def wrapped(*args, **kwargs):
            outer = peak[0]
            start = peak[0] = _rss_mib()
            out = fn(*args, **kwargs)
            end = _rss_mib()
            rows.append([name, f"{start:,.0f}", f"{max(peak[0], end):,.0f}",
                         f"{max(peak[0], end) - start:+,.0f}", f"{end:,.0f}"])
            peak[0] = max(outer, peak[0])
            return out
        return wrapped

    for module, attr, name in _RSS_STEPS:
        owner = importlib.import_module(module)
        if "." in attr:
            owner, attr = getattr(owner, attr.split(".")[0]), attr.split(".")[1]
        setattr(owner, attr, traced(getattr(owner, attr), name))
    # Every corpus-stage step in this process, so each one's memory shows here.
    corpus_stage.SIDE_MIN_DOCUMENTS = 2**62
    threading.Thread(target=sample, daemon=True).start()
    corpus = import_paths([str(corpus_dir)], manifest=str(corpus_dir / "manifest.csv")).corpus
    imported = _rss_mib()
    pipeline.run_analysis(corpus, AnalysisConfig(), spill=True)
    stop.set()
    print(f"{len(corpus):,} articles; RSS after the import {imported:,.0f} MiB; peak of the "
          f"process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    print_table(["step (in the order they end)", "start MiB", "peak MiB", "rise", "end MiB"],
                rows)


def measure_tests(n: int, k: int = 70) -> None:
    """One permutation test of k figures over n documents: its memory peak and CPU."""
    import time

    import numpy as np
    import pandas as pd

    from analysis.aggregate import permutation_pvalues

    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, k))
    x[rng.random((n, k)) < 0.2] = np.nan          # documents without a figure
    values = pd.DataFrame(x)
    weights = pd.DataFrame(np.isfinite(x).astype(float))
    weights.iloc[:, -3:] = rng.integers(0, 5, size=(n, 3))   # mention counts (targets)
    in_a = np.arange(n) % 2 == 0
    tracemalloc.start()
    start = time.process_time()
    p = permutation_pvalues(values, in_a, n_perm=10_001, seed=1, weights=weights)
    _, peak = tracemalloc.get_traced_memory()
    print(f"{n:,} documents, {k} figures: peak {peak / 2**20:,.0f} MiB above the start, "
          f"{time.process_time() - start:.1f} CPU s, {np.isfinite(p).sum()} p-values")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--corpus", type=Path, help="a folder with manifest.csv instead")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    parser.add_argument("--top", type=int, default=15, help="allocation sites shown")
    parser.add_argument("--steps", action="store_true",
                        help="RSS per corpus-stage step instead of tracemalloc")
    parser.add_argument("--tests", type=int, metavar="N",
                        help="only one permutation test over N synthetic documents")
    args = parser.parse_args(argv)
    if args.tests:
        measure_tests(args.tests)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or ensure_corpus((args.workdir or Path(tmp)) / f"corpus_{args.n}",
                                              args.n)
        if args.steps:
            measure_steps(corpus)
        else:
            measure(corpus, args.top)
    return 0


if __name__ == "__main__":   # worker processes import this module: they must not run it
    raise SystemExit(main())
