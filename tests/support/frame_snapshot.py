"""Frame results of the built-in codebooks on the seeds and the demo corpus, as plain data.

``PYTHONPATH=tests/support python -m frame_snapshot OUT.json`` writes them; the frames tests compare a
fresh run with the file written before the multilingual one-pass matcher replaced the
earlier one, so English figures provably stay the same.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis.codebook import builtin_codebook_names, load_codebook
from analysis.frames import FrameAnalyzer
from analysis.ingest import import_paths
from analysis.resources import resource_path


def corpus_of(folder: Path):
    """The corpus of a folder with a manifest.csv."""
    return import_paths([folder], manifest=folder / "manifest.csv").corpus


def snapshot(corpus) -> dict:
    """Per-document shares (12 digits) and every match without its text."""
    books = [load_codebook(name) for name in builtin_codebook_names()]
    result = FrameAnalyzer(books).transform(corpus)
    order = {doc_id: n for n, doc_id in enumerate(corpus.ids)}
    shares = result.documents.round(12).astype(object)
    shares = shares.where(shares.notna(), None)
    return {
        "columns": list(result.documents.columns),
        "shares": shares.values.tolist(),
        "matches": sorted([order[r.doc_id], r.codebook, r.frame, int(r.sentence), int(r.start),
                           int(r.end), r.rule, bool(r.negated)]
                          for r in result.matches.itertuples()),
    }


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[2]
    out = {"demo": snapshot(corpus_of(resource_path("demo")))}
    seeds = root.parent / "shared" / "corpus" / "seeds"
    out["seeds"] = snapshot(corpus_of(seeds))
    Path(argv[0]).write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
