"""Profile ``run_analysis`` on a synthetic corpus: where does the time go?

Prints the time of each analysis step (measured from the progress callback), then the
cProfile share of total time per engine module and the top functions by own time.

Usage::

    python -m benchmarks.profile_pipeline --n 2000 [--corpus DIR] [--top 25] [--no-profile]

``--no-profile`` prints the step times and the CPU seconds of the analysing process and of
its worker and side processes, without cProfile's overhead.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from analysis.config import AnalysisConfig
from analysis.pipeline import _STEPS, run_analysis
from benchmarks._common import ensure_corpus, print_table
from benchmarks.bench_tools import load_corpus


class StepClock:
    """A progress callback that notes when the bar crosses each step's start."""

    def __init__(self) -> None:
        self.bounds, acc = [], 0.0
        for name, share in _STEPS:
            self.bounds.append((acc, name))
            acc += share
        self.seen: dict[str, float] = {}
        self.rss: dict[str, float] = {}  # peak RSS (MiB) when the step started
        self.start = time.perf_counter()

    def __call__(self, fraction: float) -> None:
        for lo, name in self.bounds:
            if fraction >= lo - 1e-9 and name not in self.seen:
                self.seen[name] = time.perf_counter() - self.start
                self.rss[name] = _peak_rss()

    def rss_growth(self, end: float) -> dict[str, float]:
        """How much each step raised the process's peak RSS (MiB)."""
        names = sorted(self.seen, key=self.seen.get)
        marks = [self.rss[n] for n in names] + [end]
        return {n: marks[i + 1] - marks[i] for i, n in enumerate(names)}

    def durations(self, end: float) -> list[tuple[str, float]]:
        marks = sorted(self.seen.items(), key=lambda kv: kv[1]) + [("end", end)]
        return [(marks[i][0], marks[i + 1][1] - marks[i][1]) for i in range(len(marks) - 1)]


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _peak_rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _module_of(filename: str) -> str:
    path = Path(filename)
    if "analysis" in path.parts:
        return "analysis/" + path.name
    for lib in ("vaderSentiment", "textstat", "pyphen", "sklearn", "pandas", "numpy",
                "scipy", "re", "json"):
        if lib in path.parts or path.stem == lib:
            return lib
    return "other" if filename.startswith(("/", "<frozen")) else filename


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="profile run_analysis")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--n-boot", type=int, default=2000)
    parser.add_argument("--no-profile", action="store_true", help="step times only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        corpus = load_corpus(folder)
    config = AnalysisConfig(n_boot=args.n_boot, n_perm=args.n_boot)
    before = _peak_rss()
    clock = StepClock()
    profiler = None if args.no_profile else cProfile.Profile()
    if profiler:
        profiler.enable()
    t0, cpu0, children0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF), \
        _cpu(resource.RUSAGE_CHILDREN)
    run_analysis(corpus, config, clock)
    total = time.perf_counter() - t0
    own_cpu = _cpu(resource.RUSAGE_SELF) - cpu0
    children_cpu = _cpu(resource.RUSAGE_CHILDREN) - children0
    if profiler:
        profiler.disable()
    rss = _peak_rss()
    print(f"{len(corpus)} documents: run_analysis {total:.1f} s wall"
          f"{' under cProfile' if profiler else ''}; peak RSS {rss:.0f} MiB "
          f"({before:.0f} MiB with the corpus loaded, before the analysis)")
    # The analysing process's CPU (all its threads), and that of the worker and side
    # processes it started: on a machine whose cores the workers keep busy, every CPU
    # second of the analysing process is one the workers do not get.
    print(f"CPU s: analysing process {own_cpu:.2f}{' (under cProfile)' if profiler else ''}, "
          f"its worker and side processes {children_cpu:.2f}")
    growth = clock.rss_growth(rss)
    print_table(["step", "seconds", "share", "peak RSS growth MiB"],
                [[name, f"{d:.2f}", f"{d / total:.0%}", f"{growth.get(name, 0):.0f}"]
                 for name, d in clock.durations(total)])
    if not profiler:
        return 0
    stats = pstats.Stats(profiler)
    own: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        own[_module_of(filename)] += tottime
    whole = sum(own.values())
    print("\nown time by module")
    print_table(["module", "seconds", "share"],
                [[m, f"{t:.2f}", f"{t / whole:.0%}"]
                 for m, t in sorted(own.items(), key=lambda kv: -kv[1])[:20]])
    print()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
