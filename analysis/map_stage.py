"""Run the per-document analyzers over a corpus: cached entries first, the rest in chunks,
in this process or on a ``concurrent.futures.Executor`` (worker processes, a Dask cluster).

A small corpus runs in this process: starting worker processes (each imports the engine
and loads its models) costs more than the second core saves below
:data:`PARALLEL_MIN_DOCUMENTS` documents (measured: benchmarks/bench_parallel.py).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed

from analysis.corpus import Corpus, Document
from analysis.doc_cache import DocumentCache, text_hash
from analysis.doc_stage import (
    PER_DOCUMENT,
    StageSpec,
    analyze_chunk,
    analyzer_keys,
    assemble,
    keys_for,
    schema_key,
    template_for,
)
from analysis.progress import ProgressCallback, no_progress, wrap_progress

__all__ = ["run_document_stage", "stage_spec", "PARALLEL_MIN_DOCUMENTS", "default_jobs"]

#: Fewer documents to analyse than this run in this process unless an executor is given.
PARALLEL_MIN_DOCUMENTS = 400
#: Documents per chunk in this process, and at most per chunk sent to a worker (a chunk
#: is what Cancel waits for in a worker: 64 articles are about 2 s of work).
_LOCAL_CHUNK = 256
_REMOTE_CHUNK = 64


def default_jobs() -> int:
    """Worker processes by default: one per core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def stage_spec(config, inputs, detector_available: bool, portable: bool) -> StageSpec:
    """The spec for ``config``; ``portable`` when it will be sent to other processes."""
    run = tuple(n for n in PER_DOCUMENT if n not in config.skip
                and (n != "detector" or detector_available))
    scorer = inputs.scorer
    if portable:
        try:
            pickle.dumps(scorer)
        except Exception:  # a model session: each worker loads its own  # noqa: BLE001
            scorer = config.target_model
    return StageSpec(tuple(inputs.codebooks), tuple(inputs.targets), scorer, run)


def run_document_stage(corpus: Corpus, spec: StageSpec, *, cache: DocumentCache | None = None,
                       executor: Executor | None = None, jobs: int | None = None,
                       progress: ProgressCallback | None = None) -> dict:
    """Each per-document analyzer's result for the whole corpus, by name.

    Parameters
    ----------
    cache : entries to reuse; new entries are put into it.
    executor : runs the chunks (its work function and arguments are picklable); None:
        worker processes on ``jobs`` cores (default all) for large corpora, else this
        process. ``jobs=1`` always runs in this process.
    progress : 0..1; raise ``analysis.Cancelled`` from it to stop (pending chunks are
        cancelled).
    """
    progress = progress or no_progress
    docs = corpus.documents
    keys = analyzer_keys(spec)
    shas = [text_hash(d.text) for d in docs]
    entries: dict[str, list] = {}
    todo: list[list[str]] = [[] for _ in docs]
    for name in spec.run:
        names = keys_for(name, keys[name], shas)
        found = [cache.get(k) for k in names] if cache is not None else [None] * len(docs)
        entries[name] = found
        for i, hit in enumerate(found):
            if hit is None:
                todo[i].append(name)
    pending = [i for i, t in enumerate(todo) if t]
    dtypes = _cached_dtypes(cache, keys)
    warnings = _compute(docs, todo, pending, spec, entries, dtypes, executor, jobs, progress)
    outputs: dict = {}
    ids = corpus.ids
    for name in spec.run:
        if name in warnings:
            # A regex term that ran out of time is left out of every document, so the
            # groups stay comparable: that needs the whole corpus in one run.
            from analysis.frames import FrameAnalyzer

            outputs[name] = FrameAnalyzer(spec.codebooks).fit_transform(corpus)
            continue
        if cache is not None:
            for i in pending:
                if name in todo[i]:
                    cache.put(keys_for(name, keys[name], [shas[i]])[0], entries[name][i])
            if dtypes.get(name):
                cache.put(schema_key(name, keys[name]), json.dumps(dtypes[name]).encode())
        outputs[name] = assemble(template_for(name, spec), ids, entries[name], dtypes.get(name))
    for name in PER_DOCUMENT:
        if name not in outputs:
            # Switched off: the analyzer's result for no document (its columns stay).
            outputs[name] = None if name == "detector" else template_for(name, spec)
    progress(1.0)
    return outputs


def _cached_dtypes(cache: DocumentCache | None, keys: dict) -> dict:
    """Column types saved with the entries (a run that computes nothing still needs them)."""
    out: dict = {}
    for name, version_fp in keys.items():
        saved = cache.get(schema_key(name, version_fp)) if cache is not None else None
        if saved is not None:
            out[name] = json.loads(saved)
    return out


def _compute(docs: Sequence[Document], todo, pending: list[int], spec: StageSpec,
             entries: dict, dtypes: dict, executor: Executor | None, jobs: int | None,
             progress: ProgressCallback) -> set[str]:
    """Fill ``entries`` (and ``dtypes``, column types by analyzer and table) for the
    ``pending`` documents; returns the analyzers that warned."""
    progress(0.0)
    if not pending:
        return set()
    # Worker processes when asked for (jobs > 1), or by default for a large corpus.
    local = executor is None and (jobs == 1 or (jobs is None
                                                and len(pending) < PARALLEL_MIN_DOCUMENTS))
    jobs = jobs or default_jobs()
    warned: set[str] = set()

    def take(chunk: list[int], result: dict) -> None:
        for name, (made, warnings, types) in result.items():
            if warnings:
                warned.add(name)
            for table, columns in types.items():
                dtypes.setdefault(name, {}).setdefault(table, columns)
            needed = [i for i in chunk if name in todo[i]]
            for i, entry in zip(needed, made, strict=True):
                entries[name][i] = entry

    if local:
        chunks = _chunks(pending, _LOCAL_CHUNK)
        for n, chunk in enumerate(chunks):
            sub = wrap_progress(progress, n / len(chunks), (n + 1) / len(chunks))
            take(chunk, analyze_chunk([docs[i] for i in chunk], [todo[i] for i in chunk],
                                      spec, sub))
        return warned
    size = max(8, min(_REMOTE_CHUNK, -(-len(pending) // (jobs * 4))))
    chunks = _chunks(pending, size)
    own = executor is None
    pool = executor or ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    futures: dict[Future, list[int]] = {}
    try:
        for chunk in chunks:
            fut = pool.submit(analyze_sent_chunk, [_portable(docs[i]) for i in chunk],
                              [tuple(todo[i]) for i in chunk], spec)
            futures[fut] = chunk
        done = 0
        for fut in as_completed(futures):
            take(futures[fut], fut.result())
            done += len(futures[fut])
            progress(done / len(pending))
    except BaseException:
        for fut in futures:
            fut.cancel()
        if own:
            pool.shutdown(wait=False, cancel_futures=True)
            own = False
        raise
    finally:
        if own:
            pool.shutdown(wait=True)
    return warned


def _portable(doc: Document) -> tuple[str, str, dict]:
    """What a worker needs of a document (its text once, metadata as a plain dict)."""
    return doc.doc_id, doc.text, dict(doc.meta)


def analyze_sent_chunk(documents: Sequence[tuple[str, str, dict]], todo, spec: StageSpec):
    """:func:`analyze_chunk` on documents sent as :func:`_portable` tuples (in a worker)."""
    return analyze_chunk([Document(*d) for d in documents], todo, spec)


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
