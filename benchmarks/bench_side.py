"""The corpus stage's side process on a large corpus: memory and CPU of each process.

Runs what ``sinoru analyze`` runs around the per-document stage, without that stage:
topics and term counts (:class:`analysis.corpus_stage.CorpusStage`), then the term map,
word shift and collocation tables, once in a side process (``--where side``) and once
in this process (``--where here``, what a corpus above the side process's size limit
got before). Target mentions are left empty unless ``--mentions`` (they come from the
per-document stage; ``--mentions`` finds them first), so without it the word shift and
collocation tables are cheaper than in a run. Prints, for this process and the side
process apart: CPU seconds, the wall time of the view tables from their start (what
the compare step of a run waits for, less its own work), peak resident memory (this process's from before the stage
and after; the side process's also while it makes the view tables, when in a run the
analysing process compares the groups), and the peak of the two together, sampled
every 0.1 s.

Usage::

    python -m benchmarks.bench_side --corpus DIR --where side [--mentions]
    python -m benchmarks.bench_side --corpus DIR --where here [--mentions]
    python -m benchmarks.bench_side --corpus DIR --where side --mentions --as-large
    python -m benchmarks.bench_side --corpus DIR --where side --mentions --idle 30
    python -m benchmarks.bench_side --corpus DIR --one-process

``--one-process`` runs what the side process runs (its fits, then its view tables, over
the texts of a scratch file as a run writes them, with the target mentions) in this
process, and prints the CPU seconds of each and a digest of all four results: the side
process's own cost without the noise of its start-up and of the waits, and the check
that two checkouts give the same results.

DIR holds the articles and manifest.csv that ``python -m benchmarks.make_corpus DIR --n
20000 --words 600`` writes.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import threading
import time
from pathlib import Path


def _load(folder: Path):
    from analysis.corpus import Corpus, Document

    with (folder / "manifest.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return Corpus(Document(r["file"], (folder / r["file"]).read_text(encoding="utf-8"),
                           {k: r[k] for k in ("group", "outlet", "language") if k in r})
                  for r in rows)


def _mentions(corpus):
    """The target mentions of ``corpus`` where the target analysis finds them (their
    sentiment labels are not scored: the view tables read only the places), kept as the
    corpus stage keeps them (:func:`analysis.pipeline.compact_mentions`)."""
    import pandas as pd

    from analysis.lang import document_language
    from analysis.pipeline import compact_mentions
    from analysis.targets import _mention_columns, load_targets
    from analysis.text import segment

    targets = load_targets()
    rows = []
    for doc in corpus:
        found, starts, ends, where, _written = _mention_columns(doc.text, targets,
                                                              document_language(doc))
        rows.extend(zip([doc.doc_id] * len(found), found, where, starts, ends, strict=True))
    segment.cache_clear()   # the stage fills the cache itself, as in a run
    table = pd.DataFrame(rows, columns=["doc_id", "target", "sentence", "start", "end"])
    table["label"] = "neutral"
    return compact_mentions(table)


def _one_process(corpus) -> None:
    """The side process's fits and view tables (``analysis.corpus_stage``'s functions
    that it runs), in this process, timed apart; the results digested."""
    import hashlib

    import scipy.stats  # noqa: F401  imports are not the stage's cost
    import sklearn.decomposition  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401

    from analysis import corpus_stage, pipeline
    from analysis.compare import comparison_pairs
    from analysis.config import AnalysisConfig
    from analysis.text_file import TextFile
    from analysis.view_tables import group_members
    from analysis.word_tally import MentionsByDoc

    config = AnalysisConfig()
    labels = pipeline._group_labels(corpus, config)
    pairs = [(a, b) for a, b, _ in comparison_pairs(list(group_members(labels)))]
    mentions = MentionsByDoc(_mentions(corpus))
    texts = TextFile(corpus)
    jobs = [(j.output, j.analyzer) for j in corpus_stage._jobs(corpus, config, ())]
    try:
        start = time.process_time()
        fits = corpus_stage._fit_in_side_process(jobs, texts.where(), None)
        fits = corpus_stage._taken(fits) if isinstance(fits, str) else fits
        middle = time.process_time()
        views = corpus_stage._views_in_side_process(texts.where(), None, labels, config,
                                                    mentions, pairs)
        end = time.process_time()
    finally:
        corpus_stage._KEPT.clear()
        texts.remove()
    digest = hashlib.sha256()
    terms = fits["terms"]
    for part in (terms.matrix.data, terms.matrix.indices, terms.matrix.indptr, terms.n_words):
        digest.update(part.tobytes())
    digest.update("\n".join(terms.terms).encode())
    digest.update(fits["topics"].documents.to_numpy().tobytes())
    digest.update(repr(fits["topics"].topics).encode())
    for name in sorted(views):
        digest.update(views[name].to_csv().encode())
    print(f"{len(corpus):,} articles, the side process's work in one process: fits "
          f"{middle - start:.2f} CPU s, view tables {end - middle:.2f} CPU s, together "
          f"{end - start:.2f} (load {os.getloadavg()[0]:.1f}); results digest "
          f"{digest.hexdigest()[:16]}")


def _rss_mib(pid: int) -> float:
    """RSS of process ``pid`` (Linux ``/proc``; 0 elsewhere or once it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in children.read_text().split()] if children.exists() else []


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--where", choices=("side", "here"), default="side")
    parser.add_argument("--mentions", action="store_true",
                        help="find the target mentions first (as the per-document stage "
                             "does), so the word shift and collocation tables cost what "
                             "they cost in a run; without it they are left empty")
    parser.add_argument("--as-large", action="store_true",
                        help="take the path of a corpus of FORGET_SEGMENTATIONS_FROM "
                             "documents or more on a smaller one (the segmentation cache "
                             "emptied as texts are read, a fresh side process for the "
                             "view tables), to measure it at a size that runs in minutes")
    parser.add_argument("--idle", type=float, default=0.0, metavar="SECONDS",
                        help="wait this long after the fits are back before the view "
                             "tables are started, as the rest of the per-document stage "
                             "would (what the side process does meanwhile is then off "
                             "the wait for its tables)")
    parser.add_argument("--one-process", action="store_true",
                        help="the side process's work (fits, then view tables) in this "
                             "process: CPU s of each and a digest of the results")
    args = parser.parse_args(argv)
    if args.one_process:
        _one_process(_load(args.corpus))
        return

    import pandas as pd

    from analysis import corpus_stage, pipeline
    from analysis.compare import comparison_pairs
    from analysis.config import AnalysisConfig
    from analysis.corpus_stage import CorpusStage, make_view_tables
    from analysis.view_tables import group_members

    if args.as_large:
        corpus_stage.FORGET_SEGMENTATIONS_FROM = 0
    corpus = _load(args.corpus)
    config = AnalysisConfig()
    labels = pipeline._group_labels(corpus, config)
    pairs = [(a, b) for a, b, _ in comparison_pairs(list(group_members(labels)))]
    mentions = _mentions(corpus) if args.mentions else pd.DataFrame(
        {c: pd.Series(dtype=object if c in ("doc_id", "target", "label") else "int32")
         for c in pipeline.MENTION_KEPT})
    import scipy.stats  # noqa: F401  imports are not the stage's cost
    import sklearn.decomposition  # noqa: F401

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Peaks of the two processes together, and of the side process (its children) while
    # the view tables are made: then the analysing process of a run compares the groups,
    # its own peak.
    tree_peak, views_peak, in_views, done = [0.0], [0.0], threading.Event(), threading.Event()

    def sample() -> None:
        while not done.is_set():
            side = sum(map(_rss_mib, _children(os.getpid())))
            tree_peak[0] = max(tree_peak[0], side + _rss_mib(os.getpid()))
            if in_views.is_set():
                views_peak[0] = max(views_peak[0], side)
            done.wait(0.1)

    threading.Thread(target=sample, daemon=True).start()
    wall, cpu = time.perf_counter(), time.process_time()
    stage = CorpusStage(corpus, config, pipeline._texts_key(corpus))
    try:
        stage.start(side_process=args.where == "side")
        outputs = stage.results(lambda name: lambda fraction: None)
        time.sleep(args.idle)
        views_wall = time.perf_counter()
        here = lambda: make_view_tables(corpus, labels, config, outputs["terms"],  # noqa: E731
                                        mentions, pairs)
        made = stage.view_tables(labels, config, mentions, pairs, here)
        # Once the tables are started: on a large corpus the process of the fits has
        # then ended (a fresh one makes the tables), and is not counted with them.
        in_views.set()
        tables = made()
        views_wall = time.perf_counter() - views_wall
    finally:
        stage.close()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    done.set()
    side = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(corpus):,} articles, fitted {args.where}: {wall:.1f} s wall "
          f"(load {os.getloadavg()[0]:.0f}); this process {cpu:.1f} CPU s, peak RSS "
          f"{before:.0f} MiB before the stage, "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB after; side "
          f"process {side.ru_utime + side.ru_stime:.1f} CPU s, peak RSS "
          f"{side.ru_maxrss / 1024:.0f} MiB ({views_peak[0]:.0f} MiB while making the view "
          f"tables); both together, peak {tree_peak[0]:.0f} MiB; "
          f"{len(outputs['terms'].terms):,} terms, {len(tables['word_shift']):,} word-shift "
          f"rows; the view tables {views_wall:.1f} s wall from their start"
          + (f" (started {args.idle:g} s after the fits)" if args.idle else ""))


if __name__ == "__main__":
    main()
