"""The warm worker's side: a separate process that runs analyses and keeps the engine loaded.

An analysis in the GUI process holds the GIL for long stretches and the window stalls.
In this process it holds only its own. The process imports the engine once, warms it up
on a tiny corpus (models, lexicons, scikit-learn), and then serves requests one at a time,
so every run after the first pays none of that fixed cost. It keeps one
:class:`analysis.doc_cache.DocumentCache` for its lifetime: the GUI sends the open
project's entries and gets back what each run computed.

Qt-free on purpose: the child imports this module, never PySide6. The GUI side is
:mod:`sinoru_desktop.warm_worker`.

Protocol (pickled tuples over two one-way pipes)
------------------------------------------------
GUI -> worker: ``("run", task_id, fn, args)``, ``("cancel", task_id)``,
``("cache", [(key, bytes), ...])``, ``("stop",)``.
Worker -> GUI: ``("ready",)``, ``("progress", task_id, fraction)``,
``("done", task_id, result)``, ``("failed", task_id, exception)``,
``("cancelled", task_id)``. A ``done`` message, and every message from the GUI, comes
in pieces: ``("pieces", n)``, then ``n`` pieces and the message itself, as
:func:`~sinoru_desktop.message_pieces.send_in_pieces` sends them (just the message when
it holds nothing large).
"""
from __future__ import annotations

import collections
import multiprocessing
import os
import pickle
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

# Light (hashlib, json, sqlite3): the engine itself is imported only when a task runs.
from analysis.doc_cache import DocumentCache
from sinoru_desktop.message_pieces import recv_in_pieces, send_in_pieces

__all__ = ["serve", "WorkerDied", "SameAsBefore", "PROGRESS_INTERVAL", "worker_cache", "run_analysis_task",
           "AnalysisRun"]

#: Minimum seconds between two progress messages.
PROGRESS_INTERVAL = 0.05

_cache = None  # the worker's DocumentCache (None in the GUI process)


@dataclass(frozen=True)
class SameAsBefore:
    """Stands for the argument in the same place of the previous ``run`` request: a
    corpus of 10,000 articles takes seconds to pickle and unpickle, and a re-run after a
    codebook edit sends the very same one."""


class WorkerDied(RuntimeError):
    """The worker process ended while it ran a task (killed, out of memory, crashed)."""


def worker_cache():
    """The worker process's document cache (created on first use)."""
    global _cache
    if _cache is None:
        _cache = DocumentCache()
    return _cache


def _replace_cache(cache: DocumentCache) -> None:
    global _cache
    _cache = cache


class _Session:
    """The worker's loop state: requests read while a task runs wait in ``pending``."""

    def __init__(self, requests: Connection, replies: Connection) -> None:
        self.requests, self.replies = requests, replies
        self.pending: collections.deque = collections.deque()
        self.cancelled: set[int] = set()
        self.current: int | None = None
        self._last = 0.0
        self._last_args: tuple = ()

    def _read(self, message: tuple) -> None:
        kind = message[0]
        if kind == "cancel":
            self.cancelled.add(message[1])
        elif kind == "cache":  # a project was opened: its entries replace the old ones
            _replace_cache(DocumentCache.from_items(message[1]))
        else:
            self.pending.append(message)

    def drain(self) -> None:
        """Read every request waiting in the pipe (cancels take effect at once)."""
        while self.requests.poll():
            self._read(recv_in_pieces(self.requests))

    def progress(self, fraction: float) -> None:
        """The task's progress callback: raises Cancelled once the GUI cancelled it."""
        from analysis.progress import Cancelled

        self.drain()
        if self.current in self.cancelled:
            raise Cancelled()
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or fraction >= 1.0:
            self._last = now
            self.replies.send(("progress", self.current, float(fraction)))

    def run(self, task_id: int, fn, args: tuple) -> None:
        from analysis.progress import Cancelled

        # Every request, even a cancelled one, sets the arguments the next may refer to.
        args = tuple(self._last_args[i] if isinstance(a, SameAsBefore) else a
                     for i, a in enumerate(args))
        self._last_args = args
        if task_id in self.cancelled:
            self.replies.send(("cancelled", task_id))
            return
        self.current = task_id
        try:
            result = fn(*args, progress=self.progress)
            self.drain()
            if task_id in self.cancelled:
                raise Cancelled()
        except Cancelled:
            self.replies.send(("cancelled", task_id))
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            self.replies.send(("failed", task_id, _picklable(exc)))
        else:
            self._send_done(task_id, result)
        finally:
            self.current = None
            self.cancelled.discard(task_id)

    def _send_done(self, task_id: int, result) -> None:
        """Send the result in pieces (:mod:`~sinoru_desktop.message_pieces`): the app
        reads a large one without holding up its window."""
        send_in_pieces(self.replies, ("done", task_id, result))

    def next_request(self) -> tuple:
        parent = multiprocessing.parent_process()
        while not self.pending:
            # A GUI that was killed may leave its end of the pipe open in some process of
            # its own: checking that it lives keeps this worker from outliving it.
            while not self.requests.poll(1.0):
                if parent is not None and not parent.is_alive():
                    raise EOFError("the app has gone")
            self._read(recv_in_pieces(self.requests))
        return self.pending.popleft()


@dataclass(frozen=True)
class AnalysisRun:
    """What an analysis in the worker sends back: the results, and the cache entries the
    run used (found or computed), which become the project's cache."""

    results: Any
    cache: dict[str, bytes]


def run_analysis_task(corpus, config, codebooks: tuple[tuple[str, str], ...],
                      targets_yaml: str | None, corpus_name: str, scheduler: str = "", *,
                      progress) -> AnalysisRun:
    """Task function: run the whole analysis with the user's edited codebooks/targets,
    reusing the per-document results this process has cached.

    ``codebooks`` pairs a codebook id with the YAML text the user edited (it replaces the
    built-in codebook of that id); ``targets_yaml`` is None for the built-in targets.
    ``scheduler``: a Dask scheduler address to run the analysis on ("" = here);
    a cluster that cannot be used raises ``analysis.cluster.ClusterError`` saying why.
    """
    from analysis.pipeline import run_analysis

    used = RecordingCache(worker_cache())
    edits = {"codebook_texts": dict(codebooks), "targets_yaml": targets_yaml}
    if scheduler:  # both stages on the cluster
        from analysis.cluster import analyze_on_cluster

        results = analyze_on_cluster(scheduler, corpus, config, progress, **edits,
                                     corpus_name=corpus_name, cache=used)
    else:
        results = run_analysis(corpus, config, progress, **edits, corpus_name=corpus_name,
                               cache=used)
    # Keep what this run used, no more: entries for texts or codebooks gone since would
    # otherwise pile up for as long as the app is open.
    _replace_cache(used.entries)
    return AnalysisRun(results, dict(used.entries.items()))


class RecordingCache(DocumentCache):
    """A view of the ``backing`` cache that also keeps every entry a run got or put."""

    def __init__(self, backing: DocumentCache) -> None:
        super().__init__()
        self.backing = backing
        self.entries = DocumentCache()

    def get(self, key: str) -> bytes | None:
        value = self.backing.get(key)
        if value is not None:
            self.entries.put(key, value)
        return value

    def put(self, key: str, value: bytes) -> None:
        self.backing.put(key, value)
        self.entries.put(key, value)


def process_id(*, progress) -> int:
    """Task function: the worker's process id (the self-test's sign of life)."""
    progress(1.0)
    return os.getpid()


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives the pipe, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any exception class may refuse pickling
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def warm_up() -> None:
    """Load everything an analysis needs by analysing a tiny corpus once."""
    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus, Document
    from analysis.pipeline import run_analysis

    texts = ("Officials in Beijing praised the new trade agreement with Moscow. "
             "The partnership will grow, ministers said, despite sanctions.",
             "Critics warned that the deal deepens dependence and threatens security. "
             "Analysts doubted the promises made at the summit.")
    corpus = Corpus(Document(f"warm{i}", texts[i % 2] * 3, meta={"group": "ab"[i % 2]})
                    for i in range(4))
    run_analysis(corpus, AnalysisConfig(n_boot=20, n_perm=20))


def serve(requests: Connection, replies: Connection, warm: bool = True) -> None:
    """The worker process's main function: warm up, then serve until ``stop`` or EOF."""
    session = _Session(requests, replies)
    if warm:
        try:
            warm_up()
        except Exception:  # noqa: BLE001 - a failed warm-up only costs time: the real
            pass           # run reports the same failure with its message.
    replies.send(("ready",))
    while True:
        try:
            message = session.next_request()
        except (EOFError, OSError):  # the GUI process went away
            return
        if message[0] == "stop":
            return
        _kind, task_id, fn, args = message
        session.run(task_id, fn, args)

