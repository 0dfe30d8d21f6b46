"""CPU time of each per-document analyzer beside raw VADER over the same sentences.

The yardstick of issue 16: raw VADER (``polarity_scores`` on every sentence, one core).
Each analyzer runs once on the same corpus in this process, after the texts have been
segmented (the pipeline segments each text once and every analyzer shares it); the
first run of an analyzer includes its one-off loading (lexicons, syllable file, model,
the default codebooks' matchers). Documents carry the manifest's language, as in
``sinoru analyze``.

The rows after the analyzers are the other per-article costs of ``sinoru analyze``:
importing the folder (reading, layout, metadata, boilerplate, duplicates), the script
guess of a text's language, the topic model's fit, and writing ``--out`` (results.json
and the CSV tables; the analysis itself runs untimed first, ``--no-write`` skips it).

A last table times the corpus stage's passes over the texts as ``sinoru analyze`` makes
them after the per-document stage ran in worker processes (so nothing is segmented yet
in this process): the keyness counts, then the word shift and collocation tables of the
manifest's groups, with how many texts each pass had to segment (the others were still
in the segmentation cache).

Another table times what happens to each analyzer's results after it ran on a chunk of
64 documents, as in a worker: split into per-document JSON entries and put back together
from them in blocks of 2,048 documents (what a run with a cache does), against putting
the chunks' computed results together directly (a run without a cache, as
``sinoru analyze`` without ``--cache``).

``--worker`` prints only a table of each analyzer's CPU seconds as a worker process of
``sinoru analyze`` runs them: chunks of 64 documents, every analyzer of the default
configuration (the generic-frame detector included) one after another on a chunk, its
results kept as computed, the segmentation cache emptied after each chunk. The first
analyzer to meet a text segments it, and the first to read its words reads them: the
rows are what each step costs in that order, not alone. A first, untimed chunk loads
the models and lexicons. Its last row is the CPU time the cyclic garbage collector took
within those chunks (counted in the rows above, whichever step set it off).

Usage::

    python -m benchmarks.bench_analyzers [--n 1000 | --corpus DIR] [--no-write] [--worker]
"""
from __future__ import annotations

import argparse
import gc
import tempfile
import time
from pathlib import Path

from benchmarks._common import ensure_corpus, print_table, timed
from benchmarks.bench_tools import load_corpus


def _cpu(fn) -> float:
    """CPU seconds of one call (benchmarks._common.timed, without wall time and result)."""
    return timed(fn)[1]


def _with_languages(corpus, folder: Path):
    """The corpus with each document's ``language`` from the manifest (when it has one)."""
    import csv

    from analysis.corpus import Corpus, Document

    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        languages = {r["file"]: r.get("language") or "" for r in csv.DictReader(fh)}
    return Corpus(Document(d.doc_id, d.text, {**d.meta, "language": languages[d.doc_id]})
                  for d in corpus)


def _linear_steps(folder: Path, corpus, tmp: Path, write: bool) -> list[tuple[str, float]]:
    """CPU seconds of the costs outside the analyzers (run before anything is cached)."""
    # Imported untimed: the pipeline imports scikit-learn once, whatever the corpus size.
    import sklearn.decomposition  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    from analysis.config import AnalysisConfig
    from analysis.ingest import import_paths
    from analysis.ingest.metadata import guess_language
    from analysis.lang import text_language
    from analysis.pipeline import run_analysis
    from analysis.topics import TopicAnalyzer

    texts = [d.text for d in corpus]
    rows = [("import (files, layout, metadata, duplicates)",
             _cpu(lambda: import_paths([folder], folder / "manifest.csv"))),
            ("language guess (import's and analyzers')",
             _cpu(lambda: [(guess_language(t), text_language(t)) for t in texts])),
            ("topics (fit)", _cpu(lambda: TopicAnalyzer().fit_transform(corpus)))]
    if write:
        results = run_analysis(corpus, AnalysisConfig())
        rows.append(("writing results (JSON + CSV)",
                     _cpu(lambda: results.write(tmp / "out"))))
        from analysis.text import segment

        segment.cache_clear()  # the analyzer rows start cold
    return rows


def _corpus_stage_rows(corpus) -> list[list]:
    """CPU seconds and texts segmented of the corpus stage's passes, from a cold cache."""
    import pandas as pd

    from analysis.collocations import collocations
    from analysis.keyness import TermCounter
    from analysis.pipeline import _target_scorer
    from analysis.targets import TargetSentimentAnalyzer, load_targets
    from analysis.text import _segment, segment
    from analysis.view_tables import group_members
    from analysis.wordshift import word_shift_table

    mentions = TargetSentimentAnalyzer(load_targets(), _target_scorer("linear")) \
        .fit_transform(corpus).mentions
    members = group_members(pd.Series({d.doc_id: d.get("group") or "" for d in corpus}))
    members.pop("", None)
    groups = list(members)
    comparisons = [{"a": a, "b": b} for a, b in zip(groups, groups[1:], strict=False)]
    segment.cache_clear()
    rows = []
    for name, fn in (("keyness counts", lambda: TermCounter().fit_transform(corpus)),
                     ("word shift table", lambda: word_shift_table(corpus, comparisons,
                                                                   members, mentions)),
                     ("collocations table", lambda: collocations(corpus, mentions, members))):
        before = _segment.cache_info().misses
        rows.append([name, _cpu(fn), _segment.cache_info().misses - before])
    return rows


def _put_together(template, ids, made, dtypes) -> list:
    """One analyzer's result from its entries, in blocks of 2,048 documents (as a run)."""
    from analysis.doc_stage import assemble

    return [assemble(template, ids[i:i + 2048], made[i:i + 2048], dtypes)
            for i in range(0, len(ids), 2048)]


def _entry_rows(corpus) -> list[list]:
    """CPU seconds of handing each analyzer's chunk results back as JSON entries and
    putting them together, against putting the computed results together directly
    (checked equal)."""
    import dataclasses

    import pandas as pd

    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus
    from analysis.doc_stage import Fresh, _analyzer, result_dtypes, split_result, template_for
    from analysis.map_stage import stage_spec
    from analysis.pipeline import resolve_inputs

    config = AnalysisConfig()
    spec = stage_spec(config, resolve_inputs(config), False, True)  # without the detector
    docs, ids = corpus.documents, corpus.ids
    rows = []
    for name in spec.run:
        chunks = [(ids[i:i + 64], _analyzer(name, spec).fit_transform(Corpus(docs[i:i + 64])))
                  for i in range(0, len(docs), 64)]
        template, dtypes = template_for(name, spec), result_dtypes(chunks[0][1])
        c0 = time.process_time()
        entries = [e for part, r in chunks for e in split_result(r, template, part)]
        split = time.process_time() - c0
        fresh = [Fresh(r, tuple(part), j) for part, r in chunks for j in range(len(part))]
        c0 = time.process_time()
        from_json = _put_together(template, ids, entries, dtypes)
        as_json = time.process_time() - c0
        c0 = time.process_time()
        direct = _put_together(template, ids, fresh, dtypes)
        computed = time.process_time() - c0
        for a, b in zip(from_json, direct, strict=True):
            for field in dataclasses.fields(a):
                x, y = getattr(a, field.name), getattr(b, field.name)
                if isinstance(x, pd.DataFrame):
                    pd.testing.assert_frame_equal(x, y, check_exact=True)
                else:
                    assert x == y, (name, field.name)
        rows.append([name, split, as_json, split + as_json, computed])
    return rows


def _worker_rows(corpus) -> list[list]:
    """CPU seconds of each analyzer as a worker runs a chunk (see the module's doc)."""
    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus
    from analysis.doc_stage import _analyzer
    from analysis.map_stage import stage_spec
    from analysis.pipeline import resolve_inputs
    from analysis.text import segment

    spec = stage_spec(AnalysisConfig(), resolve_inputs(AnalysisConfig()), True, True)
    docs = corpus.documents
    chunks = [Corpus(docs[i:i + 64]) for i in range(0, len(docs), 64)]
    cpu = dict.fromkeys(spec.run, 0.0)
    collecting = [0.0, 0.0]  # CPU s in cyclic garbage collections; when the current began

    def clock(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[1] = time.process_time()
        else:
            collecting[0] += time.process_time() - collecting[1]

    gc.callbacks.append(clock)
    try:
        for k, chunk in enumerate([chunks[0], *chunks]):
            if k == 1:
                collecting[0] = 0.0
            for name in spec.run:
                c0 = time.process_time()
                _analyzer(name, spec).fit_transform(chunk)
                if k:  # the first pass over chunk 0 loads models and lexicons, untimed
                    cpu[name] += time.process_time() - c0
            segment.cache_clear()
    finally:
        gc.callbacks.remove(clock)
    return [[name, seconds] for name, seconds in cpu.items()] + [
        ["all", sum(cpu.values())], ["(garbage collections in the chunks)", collecting[0]]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of articles (with manifest.csv)")
    parser.add_argument("--n", type=int, default=1000, help="synthetic articles (no --corpus)")
    parser.add_argument("--no-write", action="store_true",
                        help="skip the row that runs the analysis and writes its results")
    parser.add_argument("--worker", action="store_true",
                        help="only the analyzers as a worker process runs them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or ensure_corpus(Path(tmp) / "corpus", args.n)
        corpus = _with_languages(load_corpus(folder), folder)
        if args.worker:
            print(f"{len(corpus)} articles, as a worker runs them (chunks of 64):")
            print_table(["analyzer", "CPU s"], _worker_rows(corpus))
            return 0
        linear_rows = _linear_steps(folder, corpus, Path(tmp), write=not args.no_write)

    from analysis.config import AnalysisConfig
    from analysis.frames import FrameAnalyzer
    from analysis.keyness import TermCounter
    from analysis.lang import document_language
    from analysis.markers import MarkerAnalyzer
    from analysis.pipeline import _target_scorer, resolve_inputs
    from analysis.readability import ReadabilityAnalyzer
    from analysis.sentiment import SentimentAnalyzer
    from analysis.targets import TargetSentimentAnalyzer, load_targets
    from analysis.text import segment, split_sentences

    segment_cpu = _cpu(lambda: [segment(d.text, document_language(d)).norms for d in corpus])
    sentences = [s.text for d in corpus
                 for s in segment(d.text, document_language(d)).sentences]
    n_words = sum(len(s.split()) for s in sentences)

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    raw = SentimentIntensityAnalyzer()
    vader_cpu = _cpu(lambda: [raw.polarity_scores(s) for s in sentences])
    targets = load_targets()
    codebooks = resolve_inputs(AnalysisConfig()).codebooks
    steps = [
        # The part of segmenting that every text meets (a worker reads no token table).
        ("… of it, splitting sentences", lambda: [split_sentences(d.text) for d in corpus]),
        ("codebook frames", lambda: FrameAnalyzer(codebooks).fit_transform(corpus)),
        ("sentence tone", lambda: SentimentAnalyzer().fit_transform(corpus)),
        ("targets (linear model)", lambda: TargetSentimentAnalyzer(
            targets, _target_scorer("linear")).fit_transform(corpus)),
        ("targets (VADER window)", lambda: TargetSentimentAnalyzer(
            targets, _target_scorer("vader")).fit_transform(corpus)),
        ("stance markers", lambda: MarkerAnalyzer().fit_transform(corpus)),
        ("readability", lambda: ReadabilityAnalyzer().fit_transform(corpus)),
        ("keyness counts", lambda: TermCounter().fit_transform(corpus)),
    ]
    rows = [["segmenting (shared)", segment_cpu, f"{segment_cpu / vader_cpu:.2f}"]]
    for name, fn in steps:
        cpu = _cpu(fn)
        rows.append([name, cpu, f"{cpu / vader_cpu:.2f}"])
    rows += [[name, cpu, f"{cpu / vader_cpu:.2f}"] for name, cpu in linear_rows]
    print(f"{len(corpus)} articles, {len(sentences)} sentences, {n_words} words; "
          f"raw VADER {vader_cpu:.2f} s CPU ({n_words / vader_cpu:,.0f} words/s)")
    print_table(["step", "CPU s", "x raw VADER"], rows)
    print("corpus stage, from a cold segmentation cache:")
    print_table(["pass", "CPU s", "texts segmented"], _corpus_stage_rows(corpus))
    print("results of chunks of 64 documents put together, CPU s:")
    print_table(["analyzer", "split into JSON", "put together from JSON", "JSON round trip",
                 "put together as computed"], _entry_rows(corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
