"""Where the memory of ``sinoru analyze``'s own process goes, per article.

Runs the whole analysis of a synthetic corpus (row tables on disk, as for a large corpus;
the per-document stage in worker processes) with Python's ``tracemalloc`` in this
process, and prints what is held after each step and, for what is held at the end, the
lines of code that allocated it, in KB per article: what grows with the corpus. Worker
processes are not traced (their memory does not grow with the corpus; the whole tree's
peak is ``bench_scale``'s figure). Tracing slows the run about twofold.

Usage::

    python -m benchmarks.bench_memory --n 1000 --workdir WORK_DIR
"""
from __future__ import annotations

import argparse
import gc
import tempfile
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles in the corpus")
    parser.add_argument("--corpus", type=Path, help="a folder with manifest.csv instead")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    parser.add_argument("--top", type=int, default=15, help="allocation sites shown")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus or ensure_corpus((args.workdir or Path(tmp)) / f"corpus_{args.n}",
                                              args.n)
        measure(corpus, args.top)
    return 0


if __name__ == "__main__":   # worker processes import this module: they must not run it
    raise SystemExit(main())
