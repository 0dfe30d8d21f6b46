"""CPU seconds of each step of the corpus stage (reduce) of ``sinoru analyze``.

Runs the per-document stage once (not timed; ``--jobs 2`` on two worker processes, so
10,000 articles take a minute, not five), then each corpus-stage step as the pipeline
runs it, in its order, from a cold segmentation cache: topics, term counts (keyness),
the frame evidence candidates (kept block by block as the documents arrive), the group
figures and comparisons (``build_results``: bootstraps, permutation tests, keyness per
pair, evidence), the text of results.json, the term map, word shift and collocation
tables. Prints CPU seconds (``time.process_time``, so a loaded machine inflates them
little) and the process's peak RSS.

Usage::

    python -m benchmarks.bench_reduce --n 1000 --workdir WORK_DIR [--jobs 2]

The corpus is the one ``python -m benchmarks.bench_scale --sizes N`` analyses
(make_corpus.py, seed 7, 600 words an article), reused when present.
"""
from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks._common import ensure_corpus, print_table
from benchmarks.bench_tools import load_corpus


def corpus_stage_seconds(corpus, jobs: int = 1) -> list[tuple[str, float]]:
    """``(step, CPU seconds)`` for every corpus-stage step, in pipeline order."""
    from analysis import pipeline
    from analysis.collocations import collocations
    from analysis.compare import build_results
    from analysis.config import AnalysisConfig
    from analysis.keyness import TermCounter
    from analysis.map_stage import run_document_stage, stage_spec
    from analysis.termmap import term_map_tables
    from analysis.text import segment
    from analysis.topics import TopicAnalyzer
    from analysis.view_tables import group_members
    from analysis.wordshift import word_shift_table

    config = AnalysisConfig()
    inputs = pipeline.resolve_inputs(config)
    labels = pipeline._group_labels(corpus, config)
    spec = stage_spec(config, inputs, pipeline._detector_available(), jobs != 1)
    outputs = dict(run_document_stage(corpus, spec, jobs=jobs))
    segment.cache_clear()
    import scipy.stats  # noqa: F401  imports are not the steps' cost
    import sklearn.decomposition  # noqa: F401

    seconds: list[tuple[str, float]] = []

    def step(name, fn):
        start = time.process_time()
        result = fn()
        seconds.append((name, time.process_time() - start))
        return result

    kw = config.keyness
    outputs["topics"] = step("topics", lambda: TopicAnalyzer(
        n_topics=config.n_topics, seed=config.seed).fit_transform(corpus))
    outputs["terms"] = step("term counts (keyness)", lambda: TermCounter(
        ngram_max=kw.ngram_max, min_docs=kw.min_docs,
        stopwords=kw.stopword_setting()).fit_transform(corpus))
    step("frame evidence candidates (blocks of documents)", lambda: _candidates(
        outputs["frames"].matches, labels, config.evidence_per_item))
    data, _tables = step("group figures, tests, keyness per pair", lambda: build_results(
        corpus, labels, config, inputs, outputs, lambda _f: None))
    step("results.json text", lambda: _json_text(data))
    members, comparisons = group_members(labels), data.get("comparisons") or []
    mentions = outputs["targets"].mentions
    step("term map", lambda: term_map_tables(outputs["terms"], comparisons, members,
                                             prior_strength=kw.prior_strength))
    step("word shift", lambda: word_shift_table(corpus, comparisons, members, mentions))
    step("collocations", lambda: collocations(corpus, mentions, members))
    return seconds


def _candidates(matches, labels, limit) -> None:
    """The frame matches the evidence can pick, block by block of documents, as the
    analysis keeps them while the per-document results arrive."""
    from analysis.assembly import BLOCK_DOCUMENTS
    from analysis.compare import frame_evidence_candidates

    ids = labels.index
    block_of = pd.Series(np.arange(len(ids)) // BLOCK_DOCUMENTS, index=ids)
    blocks = block_of.reindex(matches["doc_id"]).to_numpy()
    for block in range(-(-len(ids) // BLOCK_DOCUMENTS)):
        frame_evidence_candidates(matches[blocks == block], labels, limit)


def _json_text(data: dict) -> None:
    """results.json's text, as written (the parts consumed, not stored)."""
    from analysis.results import Results

    for _ in Results(data).json_parts():
        pass


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the corpus is kept between runs (default: a temp folder)")
    parser.add_argument("--jobs", type=int, default=1,
                        help="worker processes for the untimed per-document stage (default 1)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.workdir or Path(tmp)
        folder = ensure_corpus(work / f"corpus_{args.n}", args.n)
        corpus = load_corpus(folder)
        seconds = corpus_stage_seconds(corpus, args.jobs)
    total = sum(s for _, s in seconds)
    print(f"{len(corpus):,} articles: corpus stage {total:.2f} s CPU; peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
          "(the per-document stage included)")
    print_table(["step", "CPU s", "share"],
                [[name, f"{s:.2f}", f"{s / total:.0%}"] for name, s in seconds]
                + [["corpus stage", f"{total:.2f}", "100%"]])


if __name__ == "__main__":
    main()
