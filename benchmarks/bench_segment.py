"""Segmentation and tokenising (``analysis.text``) on one core: CPU s of each part over a
corpus, the best of ``--repeat`` runs, and a digest of what each part gave.

Every analyzer and the corpus stage's side process read their texts through these
parts; run it in two checkouts one after the other to compare them (the digests must be
the same).

Usage::

    python -m benchmarks.bench_segment [--n 1000 | --corpus DIR] [--repeat 5]
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import tempfile
from pathlib import Path

from analysis.text import _WORD_OR_BREAK, Segmented, split_sentences
from benchmarks._common import ensure_corpus, print_table, read_texts, timed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of .txt articles")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (no --corpus)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        texts = read_texts(folder)
    split = [tuple(split_sentences(t)) for t in texts]
    parts = {
        "sentences (split_sentences)": lambda: [split_sentences(t) for t in texts],
        "token tables, sentences split already":
            lambda: [Segmented(t, s, split=True)._token_table
                     for t, s in zip(texts, split, strict=True)],
        "words alone (word_norms)":
            lambda: [Segmented(t, s, split=True).word_norms
                     for t, s in zip(texts, split, strict=True)],
        "phrase pass (the term counts' regex)":
            lambda: [_WORD_OR_BREAK.findall(";".join([x.text for x in s])) for s in split],
    }
    rows = []
    for name, run in parts.items():
        # Each run makes fresh Segmented objects: nothing is cached from the one before.
        cpus, result = [], None
        for _ in range(args.repeat):
            _, cpu, result = timed(run)
            cpus.append(cpu)
        digest = hashlib.sha256(pickle.dumps(result, protocol=4)).hexdigest()[:16]
        rows.append([name, min(cpus), digest])
    print(f"{len(texts)} articles, best of {args.repeat}")
    print_table(["part", "CPU s", "digest"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
