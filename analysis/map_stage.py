"""Run the per-document analyzers over a corpus: cached entries first, the rest in chunks,
in this process or on a ``concurrent.futures.Executor`` (worker processes, a Dask cluster).

A small corpus runs in this process: starting worker processes (each imports the engine
and loads its models) costs more than the second core saves below
:data:`PARALLEL_MIN_DOCUMENTS` documents (measured: benchmarks/bench_parallel.py).
"""
from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import pickle
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait

from analysis.assembly import BLOCK_DOCUMENTS, BlockAssembler, Spill, spilled_name
from analysis.corpus import Corpus, Document
from analysis.doc_cache import DocumentCache, SqliteDocumentCache, document_hash, entry_key
from analysis.doc_stage import (
    PER_DOCUMENT,
    StageSpec,
    analyze_chunk,
    analyze_chunk_and_forget,
    analyzer_keys,
    keys_for,
    result_dtypes,
    schema_key,
    template_for,
)
from analysis.gc_pause import settle
from analysis.progress import ProgressCallback, no_progress, wrap_progress

__all__ = ["run_document_stage", "stage_spec", "PARALLEL_MIN_DOCUMENTS", "default_jobs"]

#: Fewer documents to analyse with every analyzer than this run in this process unless
#: an executor is given (measured: benchmarks/bench_parallel.py).
PARALLEL_MIN_DOCUMENTS = 400
# Rough cost of each analyzer per 600-word article relative to all of them but the
# detector (profile of 1,000 articles; the detector from bench_parallel): a re-run that
# recomputes only the frames after a codebook edit is cheap per document, and starting
# workers for it would cost more than it saves.
_RELATIVE_COST = {"frames": 0.1, "detector": 3.0, "sentiment": 0.3, "targets": 0.25,
                  "markers": 0.05, "readability": 0.25, "sizes": 0.05}
#: Documents per chunk in this process, and at most per chunk sent to a worker (a chunk
#: is what Cancel waits for in a worker: 64 articles are about 2 s of work).
_LOCAL_CHUNK = 256
_REMOTE_CHUNK = 64
#: Chunks in flight per worker process: enough that a worker never waits for its next.
_IN_FLIGHT_PER_JOB = 4


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
                       progress: ProgressCallback | None = None,
                       spill: Spill | None = None,
                       shas: Sequence[str] | None = None) -> dict:
    """Each per-document analyzer's result for the whole corpus, by name.

    Parameters
    ----------
    cache : entries to reuse; new entries are put into it.
    executor : runs the chunks (its work function and arguments are picklable); None:
        worker processes on ``jobs`` cores (default all) for large corpora, else this
        process. ``jobs=1`` always runs in this process.
    progress : 0..1; raise ``analysis.Cancelled`` from it to stop (pending chunks are
        cancelled).
    spill : row tables to write to disk as the documents' results are put together
        (block by block, in document order); the results then hold in those fields only
        what ``spill.tables`` keeps of them.
    shas : each document's :func:`analysis.doc_cache.document_hash`, when the caller
        has them already (hashing 10,000 texts again costs a tenth of a second).
    """
    progress = progress or no_progress
    # Without a cache the entries are only put back together: chunks come back as
    # computed instead of as JSON (the same results, about 1 CPU s less per 1,000).
    spec = dataclasses.replace(spec, fresh=cache is None)
    docs = corpus.documents
    keys = analyzer_keys(spec)
    shas = list(shas) if shas is not None else [document_hash(d) for d in docs]
    entries: dict[str, list] = {}
    todo: list[list[str]] = [[] for _ in docs]
    frame_changes: dict = {}
    for name in spec.run:
        names = keys_for(name, keys[name], shas)
        found = [cache.get(k) for k in names] if cache is not None else [None] * len(docs)
        if name == "frames" and cache is not None:
            # After a codebook edit: only the edited frames are matched again.
            from analysis.frame_reuse import reuse_frames

            reuse_frames(docs, shas, spec.codebooks, keys[name], cache, found, frame_changes)
        entries[name] = found
        for i, hit in enumerate(found):
            if hit is None:
                todo[i].append(name)
    pending = [i for i, t in enumerate(todo) if t]
    dtypes = _cached_dtypes(cache, keys)
    ids = corpus.ids
    in_memory = _holds_entries(cache)
    held, recalled = _recall(spec, keys, ids, entries, dtypes, spill, in_memory)
    if held.get("frames") and "frames" not in recalled and spill is not None:
        # After a codebook edit: the last run's frames result with the edited frames spliced in.
        from analysis.frame_splice import spliced_frames

        spliced = spliced_frames(keys["frames"], ids, shas, entries["frames"],
                                 dtypes.get("frames"), spill, held["frames"], cache,
                                 frame_changes)
        if spliced is not None:
            recalled["frames"] = spliced

    def keep(name: str, made: dict[int, bytes]) -> None:
        # Cached as chunks arrive: an interrupted run keeps what it computed.
        if cache is not None:
            for i, entry in made.items():
                cache.put(entry_key(name, *keys[name], shas[i]), entry)

    blocks = _Blocks(spec, ids, todo, entries, dtypes, spill, skip=recalled)
    warnings = _compute(docs, todo, pending, spec, entries, dtypes, keep, executor, jobs,
                        progress, blocks.arrived)
    blocks.arrived(range(len(docs)), ())  # every block is complete now
    outputs: dict = {}
    for name in spec.run:
        if name in recalled:
            outputs[name], tables = recalled[name]
            for field, table in tables.items():
                spill.store.link(spilled_name(name, field), table)
        elif name in warnings:
            # A regex term that ran out of time is left out of every document, so the
            # groups stay comparable: that needs the whole corpus in one run.
            from analysis.frames import FrameAnalyzer

            outputs[name] = blocks.replace(name, FrameAnalyzer(spec.codebooks)
                                           .fit_transform(corpus))
        elif name in blocks.broken:
            # A damaged entry (e.g. from a damaged project file): this analyzer's results
            # are computed afresh for every document, and its entries replaced.
            result = _recompute(name, corpus, spec, keep)
            dtypes[name] = result_dtypes(result)
            outputs[name] = blocks.replace(name, result)
        else:
            outputs[name] = blocks.result(name)
        entries[name] = None
        if cache is not None and dtypes.get(name):
            cache.put(schema_key(name, keys[name]), json.dumps(dtypes[name]).encode())
    if spill is not None:
        spill.store.finish()
    _keep(held, recalled, warnings, outputs, spill, cache, keys, ids, shas, dtypes, in_memory)
    for name in PER_DOCUMENT:
        if name not in outputs:
            # Switched off: the analyzer's result for no document (its columns stay).
            outputs[name] = None if name == "detector" else template_for(name, spec)
    if len(docs) >= TRIM_MIN_DOCUMENTS:
        release_freed_memory()
    progress(1.0)
    return outputs


#: From this many documents on, the memory freed while the entries were put together is
#: handed back to the system when the stage ends (below it there is little to hand back).
TRIM_MIN_DOCUMENTS = 2000


def release_freed_memory() -> None:
    """Hand the memory this process has freed back to the system, where the C library
    can (glibc's ``malloc_trim``; elsewhere nothing happens).

    Putting the entries of a large corpus together frees most of what it allocates, but
    the C library keeps the freed pages of its heap for later use. The group comparisons
    then allocate their large arrays apart from that heap (``mmap``), so the freed pages
    stayed in the process's memory on top of them."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):   # another C library (e.g. musl): nothing to do
        return
    trim(0)


def _holds_entries(cache: DocumentCache | None) -> bool:
    """Whether ``cache`` keeps its entries in memory (the app's worker): then the last
    run's entry objects are held to key the next run's by identity
    (:func:`analysis.reduce_memo.stage_key`); a cache on disk gives new objects."""
    return cache is not None and not isinstance(cache, SqliteDocumentCache)


def _recall(spec: StageSpec, keys: dict, ids: list[str], entries: dict, dtypes: dict,
            spill: Spill | None, in_memory: bool = False) -> tuple[dict, dict]:
    """The keys under which this run's assembled results are kept in this process, and
    the results recalled from an earlier run made of the very same entries (a re-run
    after a codebook edit: only the frames are put together again; with nothing
    changed, nothing is). Which rows of a table on disk stay in memory can depend on
    more than the entries (the frames' evidence candidates on the groups): that is in
    the key too (``Spill.kept_for``)."""
    from analysis.reduce_memo import recall_stage, stage_key

    held, recalled = {}, {}
    for name in spec.run:
        if any(e is None for e in entries[name]):
            held[name] = None  # keyed once computed (see _keep)
            continue
        held[name] = stage_key(name, keys[name], ids, entries[name], dtypes.get(name),
                               _spilled(spill, name), hold_entries=in_memory)
        found = recall_stage(name, held[name])
        if found is not None:
            recalled[name] = found
    return held, recalled


def _keep(held: dict, recalled: dict, warnings: set, outputs: dict, spill: Spill | None,
          cache: DocumentCache | None, keys: dict, ids: list[str], shas: list[str],
          dtypes: dict, in_memory: bool = False) -> None:
    """Keep this run's assembled results (see :func:`_recall`)."""
    from analysis.reduce_memo import keep_stage, stage_key

    for name, key in held.items():
        if name in recalled or name in warnings:
            continue
        if key is None:  # computed in this run: keyed by the entries it cached
            made = [cache.get(k) for k in keys_for(name, keys[name], shas)] \
                if cache is not None else [None]
            if any(e is None for e in made):
                continue
            key = stage_key(name, keys[name], ids, made, dtypes.get(name), _spilled(spill, name),
                            hold_entries=in_memory)
        tables = {}
        if spill is not None:
            for analyzer, field in spill.tables:
                if analyzer == name and spilled_name(name, field) in spill.store:
                    tables[field] = spill.store.table(spilled_name(name, field))
        keep_stage(name, key, outputs[name], tables)


def _spilled(spill: Spill | None, name: str) -> str | None:
    """What, besides its entries, analyzer ``name``'s assembled result depends on: whether
    its row tables went to disk, and what decides the rows kept of them in memory."""
    return None if spill is None else spill.kept_for.get(name, "")


class _Blocks:
    """Puts the entries together block by block as soon as a block's documents all have
    theirs, and frees them: the entries of a large corpus are never all in memory."""

    def __init__(self, spec: StageSpec, ids: list[str], todo, entries: dict, dtypes: dict,
                 spill: Spill | None, skip=()) -> None:
        self.ids, self.entries, self.dtypes = ids, entries, dtypes
        self.assemblers = {name: BlockAssembler(name, template_for(name, spec), ids, spill)
                           for name in spec.run if name not in skip}
        self.missing = [sum(len(todo[i]) for i in range(start, min(start + BLOCK_DOCUMENTS,
                                                                     len(ids))))
                        for start in range(0, len(ids), BLOCK_DOCUMENTS)]
        self.next = 0        # the first block not put together yet
        self.broken: set[str] = set()

    def arrived(self, positions, names) -> None:
        """The entries of ``names`` for the documents at ``positions`` are in."""
        n = len(names)
        if n:
            for i in positions:
                self.missing[i // BLOCK_DOCUMENTS] -= n
        while self.next < len(self.missing) and (self.missing[self.next] <= 0 or not n):
            start = self.next * BLOCK_DOCUMENTS
            end = min(start + BLOCK_DOCUMENTS, len(self.ids))
            for name, assembler in self.assemblers.items():
                if name in self.broken:
                    continue
                block = self.entries[name][start:end]
                try:
                    assembler.add(start, block, self.dtypes.get(name))
                except (ValueError, KeyError, IndexError, TypeError):
                    self.broken.add(name)
                    assembler.reset()
                self.entries[name][start:end] = [None] * (end - start)  # freed as we go
            self.next += 1

    def replace(self, name: str, result):
        """``result`` (for the whole corpus) instead of what the entries gave."""
        assembler = self.assemblers[name]
        assembler.reset()
        assembler.add_result(result)
        return assembler.result()

    def result(self, name: str):
        return self.assemblers[name].result()


def _recompute(name: str, corpus: Corpus, spec: StageSpec, keep):
    from analysis.doc_stage import _analyzer, split_result

    result = _analyzer(name, spec).fit_transform(corpus)
    made = split_result(result, template_for(name, spec), corpus.ids)
    keep(name, dict(enumerate(made)))
    return result


def _cached_dtypes(cache: DocumentCache | None, keys: dict) -> dict:
    """Column types saved with the entries (a run that computes nothing still needs them)."""
    out: dict = {}
    for name, version_fp in keys.items():
        saved = cache.get(schema_key(name, version_fp)) if cache is not None else None
        try:
            types = json.loads(saved) if saved is not None else None
        except ValueError:  # damaged: the types of this run's results are used
            types = None
        if isinstance(types, dict):
            out[name] = types
    return out


def _compute(docs: Sequence[Document], todo, pending: list[int], spec: StageSpec,
             entries: dict, dtypes: dict, keep, executor: Executor | None, jobs: int | None,
             progress: ProgressCallback, arrived) -> set[str]:
    """Fill ``entries`` (and ``dtypes``, column types by analyzer and table) for the
    ``pending`` documents, handing each chunk's entries to ``keep(name, {index: entry})``
    unless they came with warnings, and telling ``arrived(positions, names)``; returns the
    analyzers that warned."""
    progress(0.0)
    if not pending:
        return set()
    # Worker processes when asked for (jobs > 1), or by default for a large corpus.
    work = sum(_RELATIVE_COST.get(name, 1.0) for i in pending for name in todo[i])
    local = executor is None and (jobs == 1 or (jobs is None
                                                and work < PARALLEL_MIN_DOCUMENTS)
                                  # a daemonic process (e.g. an app's worker) may not
                                  # start processes of its own
                                  or multiprocessing.current_process().daemon)
    jobs = jobs or default_jobs()
    warned: set[str] = set()

    def take(chunk: list[int], result: dict) -> None:
        for name, (made, warnings, types) in result.items():
            for table, columns in types.items():
                dtypes.setdefault(name, {}).setdefault(table, columns)
            needed = [i for i in chunk if name in todo[i]]
            for i, entry in zip(needed, made, strict=True):
                entries[name][i] = entry
            if warnings:
                warned.add(name)
            else:
                keep(name, dict(zip(needed, made, strict=True)))
            arrived(needed, (name,))

    if local:
        chunks = _chunks(pending, _LOCAL_CHUNK)
        for n, chunk in enumerate(chunks):
            sub = wrap_progress(progress, n / len(chunks), (n + 1) / len(chunks))
            take(chunk, analyze_chunk([docs[i] for i in chunk], [todo[i] for i in chunk],
                                      spec, sub))
        return warned
    size = max(8, min(_REMOTE_CHUNK, -(-len(pending) // (jobs * 4))))
    chunks = iter(_chunks(pending, size))
    own = executor is None
    pool = executor or ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                                           initializer=_own_worker)
    futures: dict[Future, list[int]] = {}
    # A finished future holds its chunk's entries: it is dropped as soon as they are
    # taken, so the entries received never pile up for the whole corpus. Each worker gets
    # a few chunks at a time, the next sent as one comes back (the texts are copied for
    # sending only then): our own processes, or an executor's that says how many tasks it
    # runs at once (a cluster's threads); any other executor gets every chunk at once.
    slots = jobs if own else getattr(executor, "slots", None)
    window = max(2, _IN_FLIGHT_PER_JOB * slots) if slots else len(pending)
    try:
        done = 0
        while True:
            while len(futures) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                fut = pool.submit(analyze_sent_chunk, [_portable(docs[i]) for i in chunk],
                                  [tuple(todo[i]) for i in chunk], spec)
                futures[fut] = chunk
            if not futures:
                break
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in finished:
                chunk = futures.pop(fut)
                take(chunk, fut.result())
                done += len(chunk)
                progress(done / len(pending))
            del finished, fut
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


# Chunks analysed by this process as one of this stage's own worker processes (None in
# any other process, such as a cluster's worker, which may live on for other work).
_chunks_done: int | None = None


def _own_worker() -> None:
    """Initializer of this stage's own worker processes (which end with the run)."""
    global _chunks_done
    _chunks_done = 0


def analyze_sent_chunk(documents: Sequence[tuple[str, str, dict]], todo, spec: StageSpec):
    """:func:`analyze_chunk` on documents sent as :func:`_portable` tuples (in a worker).

    Our own worker has loaded its models and lexicons once its first chunk is done: they
    are then left out of the garbage collector's walks (:func:`analysis.gc_pause.settle`).
    """
    global _chunks_done
    if _chunks_done is not None:
        if _chunks_done == 1:
            settle()
        _chunks_done += 1
    return analyze_chunk_and_forget([Document(*d) for d in documents], todo, spec)


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
