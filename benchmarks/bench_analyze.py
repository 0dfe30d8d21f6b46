"""The whole ``sinoru analyze`` command on synthetic corpora of several sizes.

For each size: wall time, CPU time (user + system), peak resident memory (RSS) of the
command's process, and documents per second. Corpora are made by make_corpus.py
(deterministic by seed) and reused between runs.

Usage::

    python -m benchmarks.bench_analyze --sizes 1000 5000 20000 --repeat 3 \
        --workdir WORK_DIR

The default (one run on 1,000 articles) finishes in a few minutes on a small machine.
Extra arguments after ``--`` go to ``sinoru analyze`` (e.g. ``-- --n-boot 500``).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import ROOT, ensure_corpus, print_table

# The analyze sub-command alone, for a checkout where another sub-command of the CLI
# does not import yet: the same code path minus the dispatcher.
_DIRECT = ("import argparse, sys\n"
           "from analysis.commands import analyze\n"
           "parser = argparse.ArgumentParser()\n"
           "analyze.register(parser.add_subparsers(), 'analyze')\n"
           "sys.exit(analyze.run(parser.parse_args(sys.argv[1:])))")


def command_prefix() -> list[str]:
    """``python -m analysis``, or the analyze module alone when the CLI cannot start."""
    cli = [sys.executable, "-m", "analysis"]
    probe = subprocess.run([*cli, "--version"], cwd=ROOT, capture_output=True, text=True)
    if probe.returncode == 0:
        return cli
    print("note: 'python -m analysis' does not start in this checkout "
          f"({probe.stderr.strip().splitlines()[-1] if probe.stderr.strip() else 'no output'});"
          " running the analyze sub-command module directly", flush=True)
    return [sys.executable, "-c", _DIRECT]


def run_once(corpus: Path, out: Path, extra: list[str],
             prefix: list[str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one ``analyze`` run."""
    cmd = [*prefix, "analyze", str(corpus),
           "--manifest", str(corpus / "manifest.csv"), "--out", str(out), "--quiet", *extra]
    results = out / "results.json"
    if results.exists():
        results.unlink()  # a stale file must not pass for a successful run
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # wait4 gives the resource usage of this one child (peak RSS in KiB on Linux).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or not results.is_file():
        err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
        raise SystemExit(f"analyze failed (exit code {code}, no results.json):\n{err}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time sinoru analyze by corpus size")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--words", type=int, default=600, help="mean words per article")
    parser.add_argument("--workdir", type=Path, help="keep corpora here (default: temp)")
    parser.add_argument("extra", nargs=argparse.REMAINDER,
                        help="arguments for sinoru analyze, after --")
    args = parser.parse_args(argv)
    extra = [a for a in args.extra if a != "--"]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        rows = []
        prefix = command_prefix()
        for n in args.sizes:
            corpus = ensure_corpus(work / f"corpus_{n}", n, words=args.words)
            runs = [run_once(corpus, work / f"out_{n}", extra, prefix)
                    for _ in range(args.repeat)]
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            rss = max(r[2] for r in runs)
            rows.append([n, f"{wall:.1f}", f"{cpu:.1f}", f"{rss:.0f}", f"{n / wall:.1f}",
                         f"{n / cpu:.1f}"])
            print(f"{n} articles: runs (wall s) {[round(r[0], 1) for r in runs]}",
                  flush=True)
    print(f"median of {args.repeat} run(s); peak RSS is the largest of the runs")
    print_table(["articles", "wall s", "CPU s", "peak RSS MiB", "docs/s (wall)",
                 "docs/s (CPU)"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
