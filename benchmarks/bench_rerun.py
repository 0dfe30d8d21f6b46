"""Iteration speed in a warm process (as in the app's worker): analyse, then re-run after
one codebook edit, with the per-document cache and the reduce memory.

Prints wall and CPU seconds of: the first run, a re-run with nothing changed, and
re-runs after editing one term of the generic codebook (only the edited frame is matched
again, only in the documents where the edited term can occur, and only the figures that
depend on it are recomputed), beside the goals (<= 0.5 s on the seeds, <= 5 s on 10,000
articles). CPU seconds count this process and its worker processes.

Usage::

    python -m benchmarks.bench_rerun --seeds            # the five seed articles
    python -m benchmarks.bench_rerun --n 10000 --workdir W
    python -m benchmarks.bench_rerun --n 10000 --workdir W --cache W/cache.sqlite

``--cache`` keeps the per-document results in a SQLite file (as ``sinoru analyze
--cache`` does), so a second invocation's first run reads them instead of analysing
every article again; the re-runs are timed the same way. ``--from-cache`` copies such a
file's entries into memory first and leaves the file as it is: the re-runs are then
timed as in the app (entries in memory), and the file can serve many invocations: the
entries of the edited codebooks it may hold (from a ``--cache`` invocation) are left out,
so each edit is matched again.

    python -m benchmarks.bench_rerun --n 10000 --workdir W --from-cache W/cache.sqlite
"""
from __future__ import annotations

import argparse
import resource as rusage
import sys
import tempfile
import time
from pathlib import Path

from analysis.config import OPTIONAL_ANALYZERS, AnalysisConfig
from analysis.doc_cache import DocumentCache, SqliteDocumentCache
from analysis.pipeline import run_analysis
from analysis.resources import resource
from benchmarks._common import ROOT, ensure_corpus, print_table


def _edited_generic(term: str) -> dict[str, str]:
    text = resource("codebooks", "generic.yaml").read_text(encoding="utf-8")
    return {"generic": text.replace("  - conflict*\n", f"  - conflict*\n  - {term}\n", 1)}


def _without_edits(items, config: AnalysisConfig, edits):
    """``items`` of a cache file without the frames entries of the ``edits``' codebooks."""
    from analysis.doc_cache import entry_key
    from analysis.doc_stage import StageSpec, analyzer_keys
    from analysis.pipeline import resolve_inputs

    prefixes = []
    for texts in edits:
        codebooks = tuple(resolve_inputs(config, texts).codebooks)
        version, fp = analyzer_keys(StageSpec(codebooks, (), None, ("frames",)))["frames"]
        prefixes.append(entry_key("frames", version, fp, ""))  # every text's key starts so
    return ((key, value) for key, value in items if not key.startswith(tuple(prefixes)))


def _timed_tree(fn, *args, **kwargs) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process and its finished worker processes."""
    import gc

    gc.collect()

    def cpu() -> float:
        own, kids = (rusage.getrusage(who) for who in (rusage.RUSAGE_SELF,
                                                         rusage.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    w0, c0 = time.perf_counter(), cpu()
    fn(*args, **kwargs)
    return time.perf_counter() - w0, cpu() - c0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="re-run after a codebook edit, warm process")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--seeds", action="store_true",
                        help="the seed corpus (../shared/corpus/seeds) instead")
    parser.add_argument("--skip", action="append", choices=tuple(OPTIONAL_ANALYZERS),
                        default=[], help="switch an optional analyzer off (repeatable)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    parser.add_argument("--cache", type=Path,
                        help="SQLite file of per-document results kept between invocations")
    parser.add_argument("--from-cache", type=Path,
                        help="SQLite file (of --cache) to copy into memory, left unchanged")
    args = parser.parse_args(argv)
    from analysis.ingest import import_paths

    # Imported as the app and the CLI import (each document's language is stored then).
    if args.seeds:
        seeds = ROOT.parent / "shared" / "corpus" / "seeds"
        corpus = import_paths([seeds], manifest=seeds / "manifest.csv").corpus
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = ensure_corpus((args.workdir or Path(tmp)) / f"corpus_{args.n}", args.n)
            corpus = import_paths([folder], manifest=folder / "manifest.csv").corpus
    config = AnalysisConfig(skip=tuple(args.skip))
    edits = (_edited_generic("summit"), _edited_generic("partnership"))
    if args.from_cache:
        with SqliteDocumentCache(args.from_cache) as kept:
            cache = DocumentCache.from_items(_without_edits(kept.items(), config, edits))
    else:
        cache = SqliteDocumentCache(args.cache) if args.cache else DocumentCache()
    goal = 0.5 if args.seeds else 5.0 if len(corpus) == 10_000 else None
    rows = []
    for label, texts in (("first run", None), ("re-run, nothing changed", None),
                         ("re-run after one codebook edit", edits[0]),
                         ("re-run after another edit", edits[1])):
        wall, cpu = _timed_tree(run_analysis, corpus, config, cache=cache,
                                codebook_texts=texts)
        shown = f"<= {goal} s" if goal and "edit" in label else ""
        verdict = ("yes" if wall <= goal else "no") if shown else ""
        rows.append([label, f"{wall:.2f}", f"{cpu:.2f}", shown, verdict])
        print(f"{label}: {wall:.2f} s wall, {cpu:.2f} CPU s", file=sys.stderr, flush=True)
    peak = rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(corpus):,} articles; switched off: {', '.join(args.skip) or 'nothing'}; "
          f"{len(cache):,} cache entries; peak RSS of this process {peak:.0f} MiB")
    print_table(["run (warm process)", "wall s", "CPU s (with workers)", "goal", "met"], rows)
    if args.cache:
        cache.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
