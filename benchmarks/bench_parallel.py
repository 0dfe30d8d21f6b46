"""The per-document stage serially and in worker processes: where processes start to pay.

Prints, for a synthetic corpus: the per-document cost of the stage in one process, the
start-up cost of a pool of spawned worker processes (each imports the engine and loads
its models), the break-even corpus size that follows (below it the stage runs in this
process by default: ``analysis.map_stage.PARALLEL_MIN_DOCUMENTS``), and whole-stage
timings serially and with ``--jobs`` workers.

Usage::

    python -m benchmarks.bench_parallel --n 400 --jobs 2 [--with-detector]
"""
from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis.config import AnalysisConfig
from analysis.map_stage import (
    PARALLEL_MIN_DOCUMENTS,
    analyze_sent_chunk,
    run_document_stage,
    stage_spec,
)
from analysis.pipeline import _detector_available, resolve_inputs
from benchmarks._common import ensure_corpus, print_table
from benchmarks.bench_tools import load_corpus


def _stage(corpus, spec, **kwargs) -> float:
    start = time.perf_counter()
    run_document_stage(corpus, spec, **kwargs)
    return time.perf_counter() - start


def _pool_start(spec, jobs: int, doc) -> float:
    """Seconds from creating a spawn pool until every worker has analysed one document."""
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [pool.submit(analyze_sent_chunk, [(doc.doc_id, doc.text, dict(doc.meta))],
                               [spec.run], spec) for _ in range(jobs)]
        for f in futures:
            f.result()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="per-document stage: serial vs processes")
    parser.add_argument("--n", type=int, default=400, help="articles (default 400)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--with-detector", action="store_true",
                        help="include the generic-frame detector (the slowest analyzer)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    args = parser.parse_args(argv)
    config = AnalysisConfig(skip=() if args.with_detector else ("detector",))
    inputs = resolve_inputs(config)
    with tempfile.TemporaryDirectory() as tmp:
        folder = ensure_corpus((args.workdir or Path(tmp)) / f"corpus_{args.n}", args.n)
        corpus = load_corpus(folder)
    spec = stage_spec(config, inputs, _detector_available(), portable=True)
    _stage(corpus.subset(corpus.ids[:5]), spec, jobs=1)  # models loaded, as in a warm app
    serial = _stage(corpus, spec, jobs=1)
    per_doc = serial / len(corpus)
    start_up = _pool_start(spec, args.jobs, corpus.documents[0])
    parallel = _stage(corpus, spec, jobs=args.jobs)
    # Worth it when the time saved, per_doc * n * (1 - 1/jobs), exceeds the start-up.
    break_even = start_up / (per_doc * (1 - 1 / args.jobs))
    print(f"{args.n} articles, per-document analyzers: {', '.join(spec.run)}")
    print_table(["measure", "value"], [
        ["serial stage, s", f"{serial:.2f}"],
        ["per document, ms", f"{per_doc * 1000:.1f}"],
        [f"spawn pool of {args.jobs} start-up, s", f"{start_up:.2f}"],
        [f"stage with {args.jobs} workers, s", f"{parallel:.2f}"],
        ["speed-up", f"{serial / parallel:.2f}"],
        ["break-even documents", f"{break_even:.0f}"],
        ["PARALLEL_MIN_DOCUMENTS", str(PARALLEL_MIN_DOCUMENTS)],
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
