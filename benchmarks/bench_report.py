"""Time ``sinoru report --pdf`` in a fresh process: wall and CPU seconds beside the goal.

Issue 16's goal: the seed PDF renders in at most 5 s. The seeds are analysed once (not
timed), then ``python -m analysis report OUT --pdf FILE --quiet`` runs ``--repeat`` times,
each in a new process as a user would start it; CPU is user + system of that process
(``wait4``), so it holds on a busy machine where wall time does not.

    python -m benchmarks.bench_report                      # the seeds beside the repo
    python -m benchmarks.bench_report --seeds SEEDS --repeat 5
    python -m benchmarks.bench_report --results OUT_DIR    # any analyze output folder
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds",
                        help="seed articles (folder with manifest.csv), analysed first")
    parser.add_argument("--results", type=Path,
                        help="an existing 'sinoru analyze' output folder (skips analysing)")
    parser.add_argument("--repeat", type=int, default=3, help="report runs (default 3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        out = args.results
        if out is None:
            if not (args.seeds / "manifest.csv").is_file():
                raise SystemExit(f"{args.seeds}: no manifest.csv (give --seeds or --results)")
            subprocess.run(analyze_cmd(args.seeds, work / "out", []), cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out = work / "out"
        pdf = work / "report.pdf"
        print(f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f} at start; "
              f"results: {out}", flush=True)
        runs = [run_measured([sys.executable, "-m", "analysis", "report", str(out), "--pdf",
                              str(pdf), "--quiet"]) for _ in range(max(1, args.repeat))]
        pages = _pages(pdf)
        print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    rows = [[f"run {i}", f"{r.wall:.2f}", f"{r.cpu:.2f}", f"{r.peak_rss_mib:,.0f}"]
            for i, r in enumerate(runs, 1)]
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    rows.append(["median", f"{wall:.2f}", f"{cpu:.2f}",
                 f"{statistics.median(r.peak_rss_mib for r in runs):,.0f}"])
    print_table([f"sinoru report --pdf ({pages} pages)", "wall s", "CPU s", "peak RSS MiB"],
                rows)
    verdict = "met" if wall <= GOAL_S else "not met"
    print(f"\ngoal: wall <= {GOAL_S:.0f} s on an idle machine; median wall {wall:.2f} s "
          f"({verdict}), CPU {cpu:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
