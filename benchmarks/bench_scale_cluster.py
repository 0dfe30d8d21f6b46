"""``sinoru analyze --scheduler`` on a local Dask cluster of 1, 2, … worker processes,
beside the default local run, on the same synthetic corpus: wall, CPU, throughput per
worker, speed-up, and the Amdahl projection beyond these workers.

Each run is one ``sinoru analyze`` process; the cluster (``dask scheduler`` + ``dask worker
--nworkers N --nthreads 1``) is started fresh for it and its start-up is not timed. The
workers' own figures come from what they record while working (the ``sinoru-stage`` Dask
events, :mod:`analysis.cluster`): the documents each analysed, its wall and CPU seconds,
and those of the corpus stage's tasks. CPU seconds per article do not depend on the machine's load; wall
times and speed-ups do (the load average is printed: measure on an idle machine).

Usage (needs ``pip install "sinoru-desktop[cluster]"``)::

    python -m benchmarks.bench_scale_cluster --n 1000 --workers 1 2 --workdir WORK_DIR
"""
from __future__ import annotations

import argparse
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from analysis.cluster import STAGE_TOPIC
from benchmarks._common import ensure_corpus, print_table
from benchmarks.bench_scale import analyze_cmd, run_measured
from benchmarks.local_dask import local_dask_cluster

#: Cluster sizes the projection is printed for.
PROJECT_TO = (2, 4, 8, 16, 64, 256)


def cluster_run(corpus: Path, out: Path, work: Path, workers: int, extra: list[str]):
    """One ``sinoru analyze --scheduler`` run on a fresh cluster: (run, stage events)."""
    with local_dask_cluster(work, workers=workers) as (address, client):
        run = run_measured(analyze_cmd(corpus, out, [*extra, "--scheduler", address]))
        events = [msg for _, msg in client.get_events(STAGE_TOPIC)]
    if run.code != 0:
        raise SystemExit(f"sinoru analyze --scheduler failed (exit code {run.code})")
    return run, events


def worker_rows(workers: int, events: list[dict]) -> list[list]:
    """Per worker: articles, busy wall s, articles/s, CPU s, CPU ms/article."""
    docs, wall, cpu = defaultdict(int), defaultdict(float), defaultdict(float)
    for e in events:
        if e["stage"] == "documents":
            docs[e["worker"]] += e["documents"]
            wall[e["worker"]] += e["wall_s"]
            cpu[e["worker"]] += e["cpu_s"]
    return [[workers, w, docs[w], f"{wall[w]:.1f}", f"{docs[w] / wall[w]:.1f}",
             f"{cpu[w]:.1f}", f"{1000 * cpu[w] / docs[w]:.1f}"] for w in sorted(docs)]


def serial_part(run, events: list[dict]) -> tuple[float, float, float, float]:
    """(serial CPU s, parallel CPU s, longest corpus-stage task CPU s, corpus-stage wall s)
    of one cluster run.

    Serial: the client's own CPU (reading the files, sending them, writing results) and
    that of the task that runs the analysis (putting the documents' results together,
    comparing the groups). Parallel: the chunks and the corpus stage's tasks (fits, view
    tables), which run on any worker while the chunks are measured and the groups
    compared; each of those tasks is one piece of work, so it is not divided."""
    stage = [e for e in events if e["stage"] == "analysis"][-1]
    others = [e for e in events if e["run"] == stage["run"] and e["stage"] != "analysis"]
    parallel = sum(e["cpu_s"] for e in others)
    longest = max((e["cpu_s"] for e in others if e["stage"] != "documents"), default=0.0)
    return run.cpu + stage["cpu_s"], parallel, longest, stage["corpus_stage_wall_s"]


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
    rows, per_worker, serial = [], [], None
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        corpus = ensure_corpus(work / f"corpus_{args.n}", args.n, words=args.words)
        loads = [os.getloadavg()[0]]
        print(f"{os.cpu_count()} CPU cores; load average {loads[0]:.1f}", flush=True)
        if not args.no_local:
            run = run_measured(analyze_cmd(corpus, work / "out_local", extra))
            rows.append(["this machine (default: worker processes on every core)",
                         f"{run.wall:.1f}", f"{run.cpu:.1f}", "", f"{args.n / run.wall:.1f}",
                         "", ""])
            print(f"local: {run.wall:.1f} s", flush=True)
        one = None
        for n in args.workers:
            run, events = cluster_run(corpus, work / f"out_dask_{n}", work / f"dask_{n}", n,
                                      extra)
            loads.append(os.getloadavg()[0])
            one = one or (run.wall if n == 1 else None)
            cpu_serial, cpu_parallel, longest, reduce_wall = serial_part(run, events)
            serial = serial or (cpu_serial, cpu_parallel, longest)
            rows.append([f"Dask cluster, {n} worker process{'es' if n > 1 else ''}",
                         f"{run.wall:.1f}", f"{run.cpu:.1f}",
                         f"{cpu_serial - run.cpu + cpu_parallel:.1f}",
                         f"{args.n / run.wall:.1f}", f"{args.n / run.wall / n:.1f}",
                         f"{one / run.wall:.2f}" if one else ""])
            per_worker += worker_rows(n, events)
            print(f"{n} workers: {run.wall:.1f} s (after the last chunk {reduce_wall:.1f} s "
                  "wall)", flush=True)
    print(f"\n{args.n:,} articles of about {args.words} words; load average "
          f"{min(loads):.1f}-{max(loads):.1f} while measuring ({os.cpu_count()} cores)\n")
    print_table(["where", "wall s", "CPU s client", "CPU s workers", "articles/s",
                 "articles/s per worker", "speed-up vs 1 worker"], rows)
    print()
    print_table(["workers", "worker", "articles", "busy wall s", "articles/s", "CPU s",
                 "CPU ms/article"], per_worker)
    if serial:
        print_projection(*serial, args.n)
    return 0


def print_projection(cpu_serial: float, cpu_parallel: float, longest: float, n: int) -> None:
    """On CPU seconds (load-independent): T(W) = serial + max(longest task, parallel / W),
    Amdahl's law with the corpus stage's tasks as pieces no worker can share."""
    def t(w: int) -> float:
        return cpu_serial + max(longest, cpu_parallel / w)

    one = t(1)
    print(f"\nSerial part (client + the task that runs the analysis): {cpu_serial:.1f} CPU s; "
          f"parallel part (chunks and the corpus stage's tasks): {cpu_parallel:.1f} CPU s "
          f"({1000 * cpu_parallel / n:.1f} ms/article), its longest task {longest:.1f} CPU s. "
          f"T(W) = {cpu_serial:.1f} + max({longest:.1f}, {cpu_parallel:.1f} / W); "
          f"speed-up at most {one / (cpu_serial + longest):.1f}x")
    print_table(["workers", "projected speed-up", "projected s for these articles"],
                [[w, f"{one / t(w):.2f}", f"{t(w):.1f}"] for w in PROJECT_TO])


if __name__ == "__main__":
    raise SystemExit(main())
