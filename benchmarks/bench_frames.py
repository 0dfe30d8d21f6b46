"""CPU milliseconds per article of the codebook frames and the generic-frame detector,
before and after their word-keyed rewrite, with identical outputs checked in the same run.

    python -m benchmarks.bench_frames [--n 1000 | --corpus DIR] [--repeat 3]

The texts are segmented first (as in ``sinoru analyze``, where every analyzer shares one
segmentation), then each step runs ``--repeat`` times alternately before and after; the
least CPU time of each is printed, per article, beside the goal (at least 2x cheaper).

- codebook frames, before: ``benchmarks.frames_reference`` (the matcher as it was);
  after: :class:`analysis.frames.FrameAnalyzer`; the built-in codebooks.
- generic-frame detector, before: the same detector with its two word routes switched
  off, which is the code as it was (each frame's indicator pattern run over the whole
  text; every word and word pair of a text counted, not only the model's); after: as
  shipped.
"""
from __future__ import annotations

import argparse
import copy
import tempfile
from pathlib import Path

from benchmarks._common import ensure_corpus, print_table, timed

GOAL = 2.0


def _detector_before(model):
    """The detector with the word routes off: patterns over the whole text, all terms."""
    from analysis.models.frame_detector import GenericFrameDetector

    before = copy.copy(model)
    before.codebook = copy.copy(model.codebook)
    before.codebook.openings = None
    before.vocabulary = None
    return GenericFrameDetector(before)


def _same_frames(a, b) -> bool:
    import pandas as pd

    pd.testing.assert_frame_equal(a.documents, b.documents, check_exact=True)
    pd.testing.assert_frame_equal(a.matches, b.matches, check_exact=True)
    return True


def _same_detection(a, b) -> bool:
    import pandas as pd

    for name in ("documents", "probabilities", "evidence"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of articles (with manifest.csv)")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (no --corpus)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from benchmarks.bench_analyzers import _with_languages
    from benchmarks.bench_tools import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        corpus = _with_languages(load_corpus(folder), folder)

    from analysis.config import AnalysisConfig
    from analysis.frames import FrameAnalyzer
    from analysis.lang import document_language
    from analysis.models.frame_detector import GenericFrameDetector, load_frame_model
    from analysis.pipeline import resolve_inputs
    from analysis.text import segment
    from benchmarks.frames_reference import reference_frames

    # The shared segmentation (tokens included), as the pipeline does it.
    shared = [(segment(d.text, document_language(d)).norms, segment(d.text).norms)
              for d in corpus]
    codebooks = resolve_inputs(AnalysisConfig()).codebooks
    model = load_frame_model()
    steps = [("codebook frames", lambda: reference_frames(codebooks, corpus),
              lambda: FrameAnalyzer(codebooks).transform(corpus), _same_frames)]
    if model is not None:
        before, now = _detector_before(model), GenericFrameDetector(model)
        steps.append(("generic-frame detector", lambda: before.transform(corpus),
                      lambda: now.transform(corpus), _same_detection))
    rows = []
    del shared
    for name, run_before, run_now, same in steps:
        same(run_before(), run_now())  # warm (plans, caches) and check the outputs
        best_before = best_now = float("inf")
        for _ in range(args.repeat):
            best_before = min(best_before, timed(run_before)[1])
            best_now = min(best_now, timed(run_now)[1])
        ratio = best_before / best_now
        rows.append([name, 1000 * best_before / len(corpus), 1000 * best_now / len(corpus),
                     f"{ratio:.2f}x", f">= {GOAL:.0f}x: {'met' if ratio >= GOAL else 'not met'}",
                     "identical"])
    print(f"{len(corpus)} articles; CPU ms per article, least of {args.repeat} runs, one "
          "process")
    print_table(["step", "before", "now", "cheaper by", "goal", "outputs"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
