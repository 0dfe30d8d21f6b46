"""CPU seconds of writing an analysis's results folder (``sinoru analyze --out``).

Runs the analysis once (untimed; its row tables on disk, as for a corpus of 2,000
articles or more), then writes the folder ``--repeat`` times with
:func:`analysis.parallel_write.write_results` (results.json and the tables in memory in
this process, each table on disk in a worker process), printing the CPU seconds of this
process and of the workers, and the time of results.json's text alone
(:meth:`Results.to_json`, which a project save writes too). Every write's files are
compared with the first's (an md5 of each; results.json's time stamp is the same object).

Usage::

    python -m benchmarks.bench_write --corpus DIR [--repeat 3]
"""
from __future__ import annotations

import argparse
import hashlib
import resource
import tempfile
import time
from pathlib import Path

from benchmarks._common import print_table
from benchmarks.bench_tools import load_corpus


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from analysis.config import AnalysisConfig
    from analysis.parallel_write import write_results
    from analysis.pipeline import run_analysis

    corpus = load_corpus(args.corpus)
    results = run_analysis(corpus, AnalysisConfig(), spill=True)
    rows, first = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.repeat):
            out = Path(tmp) / f"out{k}"
            own, children, wall = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN), \
                time.perf_counter()
            write_results(results, out)
            wall = time.perf_counter() - wall
            own = _cpu(resource.RUSAGE_SELF) - own
            children = _cpu(resource.RUSAGE_CHILDREN) - children
            c0 = time.process_time()
            results.to_json()
            as_json = time.process_time() - c0
            digests = _digests(out)
            first = first or digests
            rows.append([k + 1, f"{own:.2f}", f"{children:.2f}", f"{own + children:.2f}",
                         f"{as_json:.2f}", f"{wall:.2f}", "yes" if digests == first else "NO"])
            print(f"write {k + 1}: done", flush=True)
    print(f"{len(corpus)} documents; results folder written {args.repeat} times")
    print_table(["write", "this process CPU s", "workers CPU s", "total CPU s",
                 "results.json text CPU s", "wall s", "same files"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
