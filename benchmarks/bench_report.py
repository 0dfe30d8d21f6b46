"""Time ``sinoru report --pdf`` in a fresh process: wall and CPU seconds beside the goal.

Issue 16's goal: the seed PDF renders in at most 5 s. The seeds are analysed once (not
timed), then ``python -m analysis report OUT --pdf FILE --quiet`` runs ``--repeat`` times,
each in a new process as a user would start it; CPU is user + system of that process
(``wait4``), so it holds on a busy machine where wall time does not.

    python -m benchmarks.bench_report                      # the seeds beside the repo
    python -m benchmarks.bench_report --seeds SEEDS --repeat 5
    python -m benchmarks.bench_report --results OUT_DIR    # any analyze output folder
    python -m benchmarks.bench_report --baseline OTHER_CHECKOUT   # before/after, alternating

``--baseline`` runs the same command from another checkout of the project (e.g. a
``git worktree`` of the commit before a change) with the same Python, alternating with
this checkout's runs, so both see the same machine load.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks._common import ROOT, print_table
from benchmarks.bench_scale import analyze_cmd, run_measured

GOAL_S = 5.0


def _pages(pdf: Path) -> str:
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return str(len(PdfReader(str(pdf)).pages))


def _report_run(root: Path, out: Path, pdf: Path):
    """One measured ``sinoru report --pdf`` of the checkout at ``root``."""
    cmd = [sys.executable, "-m", "analysis", "report", str(out), "--pdf", str(pdf), "--quiet"]
    if root == ROOT:
        return run_measured(cmd)
    # ``python -m`` imports from its working folder first: start it in the other checkout.
    return run_measured(["env", "-C", str(root), f"PYTHONPATH={root}", *cmd])


def _rows(label: str, runs) -> tuple[list[list[str]], float, float]:
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    rss = statistics.median(r.peak_rss_mib for r in runs)
    walls = ", ".join(f"{r.wall:.2f}" for r in runs)
    cpus = ", ".join(f"{r.cpu:.2f}" for r in runs)
    return [[label, f"{wall:.2f} ({walls})", f"{cpu:.2f} ({cpus})", f"{rss:,.0f}"]], wall, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds",
                        help="seed articles (folder with manifest.csv), analysed first")
    parser.add_argument("--results", type=Path,
                        help="an existing 'sinoru analyze' output folder (skips analysing)")
    parser.add_argument("--repeat", type=int, default=3, help="report runs (default 3)")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                        help="another checkout of the project to measure alternately")
    args = parser.parse_args(argv)
    roots = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    runs: dict[Path, list] = {root: [] for root in roots}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = args.results
        if out is None:
            if not (args.seeds / "manifest.csv").is_file():
                raise SystemExit(f"{args.seeds}: no manifest.csv (give --seeds or --results)")
            subprocess.run(analyze_cmd(args.seeds, work / "out", []), cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out = work / "out"
        print(f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f} at start; "
              f"results: {out}", flush=True)
        for _ in range(max(1, args.repeat)):
            for k, root in enumerate(roots):
                runs[root].append(_report_run(root, out, work / f"report{k}.pdf"))
        pages = [_pages(work / f"report{k}.pdf") for k in range(len(roots))]
        print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    rows, wall, cpu = _rows(f"this checkout ({pages[0]} pages)", runs[ROOT])
    if args.baseline:
        rows += _rows(f"baseline ({pages[1]} pages)", runs[roots[1]])[0]
    print_table(["sinoru report --pdf", "wall s, median (runs)", "CPU s, median (runs)",
                 "peak RSS MiB"], rows)
    verdict = "met" if wall <= GOAL_S else "not met"
    print(f"\ngoal: wall <= {GOAL_S:.0f} s on an idle machine; this checkout: median wall "
          f"{wall:.2f} s ({verdict}), CPU {cpu:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
