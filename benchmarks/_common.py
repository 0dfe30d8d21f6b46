"""Helpers shared by the benchmark scripts: timing, medians, tables, corpora."""
from __future__ import annotations

import gc
import statistics
import sys
import time
from pathlib import Path

#: The project checkout; run the benchmarks from it as ``python -m benchmarks.<name>``.
ROOT = Path(__file__).resolve().parent.parent

__all__ = ["ROOT", "timed", "median_time", "print_table", "ensure_corpus", "read_texts"]


def timed(fn, *args, **kwargs) -> tuple[float, float, object]:
    """Run ``fn`` once: (wall seconds, CPU seconds of this process, result)."""
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return time.perf_counter() - w0, time.process_time() - c0, result


def median_time(fn, repeat: int = 3, setup=None) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeat`` runs (``setup()`` untimed before each)."""
    walls, cpus = [], []
    for _ in range(repeat):
        if setup is not None:
            setup()
        wall, cpu, _ = timed(fn)
        walls.append(wall)
        cpus.append(cpu)
    return statistics.median(walls), statistics.median(cpus)


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    """A Markdown table on stdout (pasteable into docs/benchmarks.md)."""
    cells = [[f"{c:.3f}" if isinstance(c, float) else str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |")
    sys.stdout.flush()


def ensure_corpus(folder: Path, n: int, seed: int = 7, words: int = 600) -> Path:
    """``folder`` holding ``n`` synthetic articles (made by make_corpus.py if missing)."""
    from benchmarks.make_corpus import write_corpus

    folder = Path(folder)
    manifest = folder / "manifest.csv"
    if not manifest.is_file() or len(list(folder.glob("*.txt"))) != n:
        write_corpus(folder, n, seed=seed, mean_words=words)
    return folder


def read_texts(folder: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(Path(folder).glob("*.txt"))]
