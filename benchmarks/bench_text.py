"""Time analysis.text and TermCounter against the original text implementation.

The original implementation is the frozen reference kept in
tests/analysis/test_text_legacy.py. Each figure is the median of ``--repeat`` runs,
with every cache emptied before each run (a cold start, as for a new corpus), except
where the task says the sentences are already split: in the pipeline, the analyzers
share one cached segmentation per text.

Usage::

    python -m benchmarks.bench_text --n 400 --words 2000
"""
from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from functools import partial
from pathlib import Path

from analysis import keyness
from analysis import text as current
from analysis.corpus import Corpus, Document
from benchmarks._common import ROOT, ensure_corpus, median_time, print_table, read_texts
from benchmarks.keyness_reference import encode_from_chunks


def _legacy_module():
    path = ROOT / "tests" / "analysis" / "test_text_legacy.py"
    spec = importlib.util.spec_from_file_location("text_legacy", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _clear() -> None:
    current.segment.cache_clear()
    current._NORMS.clear()


def _warm(texts: list[str]):
    """Setup: the text cache holds every text's sentences (other analyzers ran first)."""
    def setup() -> None:
        _clear()
        for t in texts:
            current.segment(t)
    return setup


def _term_counter(texts: list[str], chunks_fn=None) -> None:
    """TermCounter's fit, reading the words from ``chunks_fn`` run by run as it did
    (None: as it reads them now)."""
    corpus = Corpus(Document(f"d{i}", t) for i, t in enumerate(texts))
    saved = keyness._encode
    if chunks_fn is not None:
        keyness._encode = partial(encode_from_chunks, chunks=chunks_fn)
    try:
        keyness.TermCounter().fit_transform(corpus)
    finally:
        keyness._encode = saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="analysis.text: original vs current")
    parser.add_argument("--corpus", type=Path, help="folder of .txt articles "
                        "(default: a synthetic one from make_corpus.py)")
    parser.add_argument("--n", type=int, default=400, help="synthetic articles")
    parser.add_argument("--words", type=int, default=2000, help="mean words per article")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n, words=args.words)
        texts = read_texts(folder)
    legacy = _legacy_module()
    n_words = sum(len(current.words(t)) for t in texts)
    print(f"{len(texts)} texts, {n_words} words; median of {args.repeat} runs "
          "(wall s / CPU s)")

    def each(fn):
        return lambda: [fn(t) for t in texts]

    tasks = [
        ("split_sentences", each(legacy.split_sentences), each(current.split_sentences)),
        ("segment (sentences + word count)",
         each(lambda t: legacy.segment.__wrapped__(t).n_words),
         each(lambda t: current.segment(t).n_words)),
        ("segment + Token objects",
         each(lambda t: legacy.segment.__wrapped__(t).tokens),
         each(lambda t: current.segment(t).tokens)),
        ("segment + token table (norms, offsets)",
         each(lambda t: legacy.segment.__wrapped__(t).tokens),
         each(lambda t: current.segment(t).norms)),
        ("words", each(legacy.words), each(current.words)),
        ("phrase_chunks", each(legacy.phrase_chunks), each(current.phrase_chunks)),
        ("phrase_chunks, sentences already split (as in the pipeline)",
         each(legacy.phrase_chunks), each(current.phrase_chunks), _warm),
        ("ngrams (1-3)", each(legacy.ngrams), each(current.ngrams)),
        ("TermCounter.fit_transform", lambda: _term_counter(texts, legacy.phrase_chunks),
         lambda: _term_counter(texts)),
    ]
    rows = []
    for name, old_fn, new_fn, *setup in tasks:
        old_wall, old_cpu = median_time(old_fn, args.repeat, setup=_clear)
        new_wall, new_cpu = median_time(new_fn, args.repeat,
                                        setup=setup[0](texts) if setup else _clear)
        rows.append([name, f"{old_wall:.2f} / {old_cpu:.2f}", f"{new_wall:.2f} / {new_cpu:.2f}",
                     f"{old_cpu / new_cpu:.1f}x" if new_cpu else "-"])
    print_table(["task", "original", "current", "speed-up (CPU)"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
