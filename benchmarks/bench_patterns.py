"""Frame matching with and without regex terms (which run with a time budget).

Run from the project root::

    python -m benchmarks.bench_patterns ../shared/corpus/seeds --copies 40

Matches the built-in codebooks, then the same plus three ordinary regex terms, over the
articles of a folder repeated ``--copies`` times; prints the median of five runs.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks._common import median_time, print_table

REGEX_TERMS = r"""id: rx
frames:
- id: f
  terms:
  - {regex: '\bsanction\w*'}
  - {regex: '\b(?:Xi|Putin)\b'}
  - {regex: '\d+(?:\.\d+)? (?:billion|million)'}
"""


def main(argv: list[str] | None = None) -> int:
    from analysis.codebook import load_codebook, parse_codebook
    from analysis.corpus import Corpus, Document
    from analysis.frame_plan import compiled_plan
    from analysis.frames import FrameAnalyzer
    from analysis.ingest import import_paths

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="a folder of articles (with manifest.csv, if any)")
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    manifest = folder / "manifest.csv"
    imported = import_paths([folder], manifest=manifest if manifest.is_file() else None)
    corpus = Corpus(Document(f"{d.doc_id}-{k}", d.text) for k in range(args.copies)
                    for d in imported.corpus)
    books = [load_codebook(n) for n in ("generic", "policy", "china_russia")]
    rows = []
    for label, codebooks in (("built-in codebooks", books),
                             ("built-in + 3 regex terms", [*books, parse_codebook(REGEX_TERMS)])):
        result = FrameAnalyzer(codebooks).transform(corpus)
        wall, cpu = median_time(lambda cbs=codebooks: FrameAnalyzer(cbs).transform(corpus),
                                repeat=5, setup=compiled_plan.cache_clear)
        rows.append([label, len(corpus), len(result.matches), wall, cpu])
    print_table(["codebooks", "documents", "matches", "wall s", "CPU s"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
