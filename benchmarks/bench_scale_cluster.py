"""``sinoru analyze --scheduler`` on a local Dask cluster of 1, 2, … worker processes,
beside the default local run, on the same synthetic corpus.

Each row is one ``sinoru analyze`` process: wall time, CPU of that process (the cluster's
workers are separate processes: their CPU is not in it), articles per second, and the
speed-up against one worker. The cluster (``dask scheduler`` + ``dask worker --nworkers N
--nthreads 1``) is started fresh for each row and its start-up is not timed.

Usage (needs ``pip install "sinoru-desktop[cluster]"``)::

    python -m benchmarks.bench_scale_cluster --n 1000 --workers 1 2 --workdir WORK_DIR
"""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from benchmarks._common import ensure_corpus, print_table
from benchmarks.bench_scale import analyze_cmd, run_measured
from benchmarks.local_dask import local_dask_cluster


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles")
    parser.add_argument("--words", type=int, default=600, help="mean words per article")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-local", action="store_true", help="skip the local run")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    parser.add_argument("extra", nargs=argparse.REMAINDER,
                        help="arguments for sinoru analyze, after --")
    args = parser.parse_args(argv)
    extra = [a for a in args.extra if a != "--"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        corpus = ensure_corpus(work / f"corpus_{args.n}", args.n, words=args.words)
        print(f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f}", flush=True)
        if not args.no_local:
            run = run_measured(analyze_cmd(corpus, work / "out_local", extra))
            rows.append(["this machine (default: worker processes on every core)",
                         f"{run.wall:.1f}", f"{run.cpu:.1f}", f"{args.n / run.wall:.1f}", ""])
            print(f"local: {run.wall:.1f} s", flush=True)
        one = None
        for n in args.workers:
            with local_dask_cluster(work / f"dask_{n}", workers=n) as (address, _client):
                run = run_measured(analyze_cmd(corpus, work / f"out_dask_{n}",
                                               [*extra, "--scheduler", address]))
            one = one or (run.wall if n == 1 else None)
            rows.append([f"Dask cluster, {n} worker process{'es' if n > 1 else ''}",
                         f"{run.wall:.1f}", f"{run.cpu:.1f}", f"{args.n / run.wall:.1f}",
                         f"{one / run.wall:.2f}" if one else ""])
            print(f"{n} workers: {run.wall:.1f} s", flush=True)
        print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print(f"{args.n:,} articles; CPU is the analyze process only (not the workers)")
    print_table(["where", "wall s", "CPU s (client)", "articles/s", "speed-up vs 1 worker"],
                rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
