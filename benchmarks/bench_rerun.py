"""Iteration speed in a warm process (as in the app's worker): analyse, then re-run after
one codebook edit, with the per-document cache and the reduce memory.

Prints wall and CPU seconds of: the first run, a re-run with nothing changed, and a
re-run after adding one term to the generic codebook (only the frames of each document
and the figures that depend on them are recomputed).

Usage::

    python -m benchmarks.bench_rerun --seeds            # the five seed articles
    python -m benchmarks.bench_rerun --n 10000 --skip detector
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from analysis.config import OPTIONAL_ANALYZERS, AnalysisConfig
from analysis.doc_cache import DocumentCache
from analysis.pipeline import run_analysis
from analysis.resources import resource
from benchmarks._common import ROOT, ensure_corpus, print_table, timed
from benchmarks.bench_tools import load_corpus


def _edited_generic(term: str) -> dict[str, str]:
    text = resource("codebooks", "generic.yaml").read_text(encoding="utf-8")
    return {"generic": text.replace("  - conflict*\n", f"  - conflict*\n  - {term}\n", 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="re-run after a codebook edit, warm process")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (default 1000)")
    parser.add_argument("--seeds", action="store_true",
                        help="the seed corpus (../shared/corpus/seeds) instead")
    parser.add_argument("--skip", action="append", choices=tuple(OPTIONAL_ANALYZERS),
                        default=[], help="switch an optional analyzer off (repeatable)")
    parser.add_argument("--workdir", type=Path, help="keep the corpus here (default: temp)")
    args = parser.parse_args(argv)
    if args.seeds:
        from analysis.ingest import import_paths

        seeds = ROOT.parent / "shared" / "corpus" / "seeds"
        corpus = import_paths([seeds], manifest=seeds / "manifest.csv").corpus
    else:
        with tempfile.TemporaryDirectory() as tmp:
            folder = ensure_corpus((args.workdir or Path(tmp)) / f"corpus_{args.n}", args.n)
            corpus = load_corpus(folder)
    config = AnalysisConfig(skip=tuple(args.skip))
    cache = DocumentCache()
    rows = []
    for label, texts in (("first run", None), ("re-run, nothing changed", None),
                         ("re-run after one codebook edit", _edited_generic("summit")),
                         ("re-run after another edit", _edited_generic("partnership"))):
        wall, cpu, _ = timed(run_analysis, corpus, config, cache=cache, codebook_texts=texts)
        rows.append([label, f"{wall:.2f}", f"{cpu:.2f}"])
    print(f"{len(corpus)} articles; switched off: {', '.join(args.skip) or 'nothing'}; "
          f"{len(cache)} cache entries")
    print_table(["run", "wall s", "CPU s (this process)"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
