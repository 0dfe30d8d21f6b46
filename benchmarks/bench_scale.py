"""The whole ``sinoru analyze`` pipeline against raw single-core VADER, side by side.

For each corpus size: wall time, CPU time (user + system of the whole process tree), peak
resident memory of the process tree (the sum over the command and its worker processes,
sampled from ``/proc``), the share of the run in which two or more of its processes had
work (how much of it can use the second core, whatever else loads the machine) and
articles per second of ``sinoru analyze`` run as a separate
process; then vaderSentiment's ``polarity_scores`` over the same sentences (split with
the pipeline's own splitter, split not timed) in one separate process on one core, and the
ratio pipeline / VADER (the goal: at most 1.0 on 10,000 articles).

Then the iteration figures on the seed articles: analysing them, re-running after one
codebook edit (when ``sinoru analyze`` has a ``--cache`` option) and rendering their PDF.

Usage::

    python -m benchmarks.bench_scale --sizes 1000 10000 100000 --workdir WORK_DIR
    python -m benchmarks.bench_scale --sizes 1000 --seeds ../shared/corpus/seeds
    python -m benchmarks.bench_scale --sizes 1000 -- --jobs 2   # extra analyze arguments
    python -m benchmarks.bench_scale --sizes 100000 --no-vader --no-iteration --workdir W

Corpora are written by make_corpus.py (deterministic by seed) and reused between runs.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks._common import ROOT, ensure_corpus, print_table

__all__ = ["Run", "run_measured", "vader_seconds", "tree_rss_mib"]

_VADER = """\
import sys, time
from pathlib import Path
from analysis.text import split_sentences
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
folder = Path(sys.argv[1])
sentences = [s.text for p in sorted(folder.glob('*.txt'))
             for s in split_sentences(p.read_text(encoding='utf-8'))]
words = sum(len(s.split()) for s in sentences)
analyzer = SentimentIntensityAnalyzer()
w0, c0 = time.perf_counter(), time.process_time()
for s in sentences:
    analyzer.polarity_scores(s)
print(time.perf_counter() - w0, time.process_time() - c0, len(sentences), words)
"""


@dataclass(frozen=True)
class Run:
    """One measured command: wall and CPU seconds, peak RSS of its tree, exit code and
    what it wrote to stderr, and the share of the run with two processes at work."""

    wall: float
    cpu: float
    peak_rss_mib: float
    code: int
    err: str = ""
    #: Share of the samples in which two or more of its processes had work (0..1): how
    #: much of the run could use a second core.
    parallel: float = 0.0


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue  # the process ended meanwhile
        # The command name is in brackets and may hold spaces: fields follow the last ")".
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss_mib(pid: int) -> float:
    """Resident memory (MiB) of ``pid`` and all its descendants now (Linux ``/proc``)."""
    return tree_sample(pid)[0]


def tree_sample(pid: int) -> tuple[float, int]:
    """Resident memory (MiB) of ``pid`` and all its descendants now, and how many of them
    have work: running or waiting only for a core (state R). Unlike CPU shares, that count
    does not fall when other programs load the machine (Linux ``/proc``)."""
    tree, todo, total, runnable = _children_of(), [pid], 0, 0
    while todo:
        p = todo.pop()
        todo.extend(tree.get(p, ()))
        try:
            with open(f"/proc/{p}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("State:"):
                        runnable += line.split()[1] == "R"
                    elif line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024, runnable


def run_measured(cmd: list[str], *, interval: float = 0.2) -> Run:
    """Run ``cmd`` from the project root; sample its process tree's RSS while it runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    samples = [0, 0]   # taken, with two or more processes at work
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            rss, runnable = tree_sample(proc.pid)
            peak[0] = max(peak[0], rss)
            samples[0] += 1
            samples[1] += runnable >= 2
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc/self/status").is_file():
        sampler.start()
    err = proc.stderr.read()  # drained while it runs, so a chatty command cannot block
    # wait4: CPU of the child plus every descendant it waited for (worker processes).
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    if sampler.is_alive():
        sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}… failed (exit code {code}):\n"
                         f"{err.decode(errors='replace')[-2000:]}")
    # A process too short for one sample still has its own peak from wait4.
    return Run(wall, usage.ru_utime + usage.ru_stime,
               max(peak[0], usage.ru_maxrss / 1024), code, err.decode(errors="replace"),
               samples[1] / samples[0] if samples[0] else 0.0)


def analyze_cmd(corpus: Path, out: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "analysis", "analyze", str(corpus),
            "--manifest", str(corpus / "manifest.csv"), "--out", str(out), "--quiet", *extra]


def vader_seconds(corpus: Path) -> tuple[float, float, int, int]:
    """(wall s, CPU s, sentences, words) of raw VADER over the corpus, one process."""
    proc = subprocess.run([sys.executable, "-c", _VADER, str(corpus)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    wall, cpu, n, words = proc.stdout.split()
    return float(wall), float(cpu), int(n), int(words)


def _has_option(option: str) -> bool:
    helptext = subprocess.run([sys.executable, "-m", "analysis", "analyze", "--help"],
                              cwd=ROOT, capture_output=True, text=True).stdout
    return option in helptext


def scale_rows(sizes: list[int], work: Path, words: int, extra: list[str],
               vader: bool = True) -> list[list]:
    rows = []
    for n in sizes:
        corpus = ensure_corpus(work / f"corpus_{n}", n, words=words)
        out = work / f"out_{n}"
        (out / "results.json").unlink(missing_ok=True)
        run = run_measured(analyze_cmd(corpus, out, extra))
        if not (out / "results.json").is_file():
            raise SystemExit(f"analyze wrote no results.json for {n} articles (exit code "
                             f"{run.code}):\n{run.err[-2000:]}")
        print(f"{n:,} articles done: analyze {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
              f"peak RSS {run.peak_rss_mib:,.0f} MiB (goal at 100,000: <= 900 s wall, <= 3,072 "
              f"MiB), two or more processes at work {run.parallel:.0%} of the run", flush=True)
        if not vader:
            rows.append([f"{n:,}", "", f"{run.wall:.1f}", f"{run.cpu:.1f}",
                         f"{run.peak_rss_mib:,.0f}", f"{run.parallel:.0%}",
                         f"{n / run.wall:.1f}", "", "", "", "", ""])
            continue
        v_wall, v_cpu, n_sent, n_words = vader_seconds(corpus)
        rows.append([f"{n:,}", f"{n_words:,}", f"{run.wall:.1f}", f"{run.cpu:.1f}",
                     f"{run.peak_rss_mib:,.0f}", f"{run.parallel:.0%}", f"{n / run.wall:.1f}",
                     f"{n_sent:,}",
                     f"{v_wall:.1f}", f"{v_cpu:.1f}", f"{run.wall / v_wall:.2f}",
                     f"{run.cpu / v_cpu:.2f}"])
        print(f"{n:,} articles: VADER {v_wall:.1f} s wall, {v_cpu:.1f} s CPU", flush=True)
    return rows


def _edit_one_term(src: Path, dst: Path) -> None:
    """Copy a codebook YAML and add one term to its first term list."""
    text = src.read_text(encoding="utf-8")
    edited, n = re.subn(r"(\n  terms:\n)", r"\1  - partnership*\n", text, count=1)
    if n != 1:
        raise SystemExit(f"{src}: no term list found to edit")
    dst.write_text(edited, encoding="utf-8")


def iteration_rows(seeds: Path, work: Path, extra: list[str]) -> list[list]:
    """Seeds: analyse; re-run after a codebook edit (with a cache); PDF render."""
    rows = []
    manifest = seeds / "manifest.csv"
    if not manifest.is_file():
        print(f"note: {seeds} holds no manifest.csv: iteration figures skipped")
        return rows
    out = work / "seeds_out"
    run = run_measured(analyze_cmd(seeds, out, extra))
    rows.append(["analyse the seeds (cold process)", f"{run.wall:.2f}", f"{run.cpu:.2f}",
                 f"{run.peak_rss_mib:,.0f}"])
    if _has_option("--cache"):
        codebook = work / "policy_edited.yaml"
        shutil.copy(ROOT / "resources" / "codebooks" / "policy.yaml", codebook)
        cache = ["--cache", str(work / "seeds_cache"), "--codebook", str(codebook)]
        run_measured(analyze_cmd(seeds, work / "seeds_cached", extra + cache))  # fills it
        _edit_one_term(ROOT / "resources" / "codebooks" / "policy.yaml", codebook)
        run = run_measured(analyze_cmd(seeds, work / "seeds_cached", extra + cache))
        rows.append(["re-run after one codebook edit (cache)", f"{run.wall:.2f}",
                     f"{run.cpu:.2f}", f"{run.peak_rss_mib:,.0f}"])
    else:
        print("note: this analyze has no --cache option: codebook-edit re-run skipped")
    pdf = work / "seeds.pdf"
    run = run_measured([sys.executable, "-m", "analysis", "report", str(out), "--pdf",
                        str(pdf), "--quiet"])
    rows.append(["render the seed PDF (sinoru report)", f"{run.wall:.2f}", f"{run.cpu:.2f}",
                 f"{run.peak_rss_mib:,.0f}"])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000],
                        help="corpus sizes (articles), e.g. 1000 10000 100000")
    parser.add_argument("--words", type=int, default=600, help="mean words per article")
    parser.add_argument("--workdir", type=Path, help="keep corpora here (default: temp)")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "corpus" / "seeds",
                        help="seed articles for the iteration figures (folder + manifest.csv)")
    parser.add_argument("--no-iteration", action="store_true",
                        help="skip the seed (iteration) figures")
    parser.add_argument("--no-vader", action="store_true",
                        help="skip the raw-VADER comparison (its goal is on 10,000 articles)")
    parser.add_argument("extra", nargs=argparse.REMAINDER,
                        help="arguments for sinoru analyze, after --")
    args = parser.parse_args(argv)
    extra = [a for a in args.extra if a != "--"]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(f"{os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.1f} at start; "
              f"analyze arguments: {' '.join(extra) or '(defaults)'}", flush=True)
        scale = (scale_rows(args.sizes, work, args.words, extra, not args.no_vader)
                 if args.sizes else [])
        iteration = [] if args.no_iteration else iteration_rows(args.seeds, work, extra)
        print(f"load average {os.getloadavg()[0]:.1f} at the end\n")
    if scale:
        print("Whole pipeline (sinoru analyze, own process) vs raw VADER (one process, one "
              "core); ratio = analyze / VADER")
        print("(2+ at work: share of the run in which two or more of analyze's processes "
              "had work, running or waiting for a core; the rest of the run uses one core)")
        print_table(["articles", "words", "analyze wall s", "analyze CPU s", "peak RSS MiB",
                     "2+ at work", "articles/s (wall)", "sentences", "VADER wall s", "VADER CPU s",
                     "ratio wall", "ratio CPU"], scale)
    if iteration:
        print("\nIteration on the seed articles (each a fresh process)")
        print_table(["task", "wall s", "CPU s", "peak RSS MiB"], iteration)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
