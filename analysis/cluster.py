"""Run a whole analysis on an existing Dask distributed cluster: the per-document stage
and the corpus stage (topics, keyness, comparisons, view tables) both run on workers.

The client sends the corpus once (scattered to a worker) and submits one task that runs
:func:`analysis.pipeline.run_analysis` on a worker; that task hands the per-document
chunks to the other workers and gathers their outputs itself, so they travel between
workers, never through the client. The fits of the corpus stage (topics, term counts) and
its view tables that read the texts are tasks of their own, which run on any worker while
the chunks are measured and the groups compared (:mod:`analysis.corpus_stage`). The
client receives only the final ``Results`` (and, when it keeps a per-document cache, the
entries computed for it); its row tables come as the file they are kept in on the worker
(:func:`analysis.table_store.pack_tables`), not as tables read back and pickled.

Every task records where it ran and the CPU it took as a Dask event (topic
:data:`STAGE_TOPIC`, ``stage``: "documents" for a chunk, "fits", "views", and "analysis"
for the task that ran the analysis), read with ``Client.get_events`` (the benchmark's
per-worker figures and the tests' proof of where the work ran).

An optional extra (``pip install "sinoru-desktop[cluster]"``): without it nothing here is
imported and every analysis runs locally. The scheduler's address is what ``dask
scheduler`` prints (``tcp://HOST:8786``); every worker needs the same Sinoru version
installed, which :func:`cluster_client` checks before any work is sent.
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import pickle
import re
import threading
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor
from importlib import metadata
from typing import TYPE_CHECKING

from analysis.doc_cache import DocumentCache
from analysis.progress import Cancelled, ProgressCallback, no_progress

if TYPE_CHECKING:
    from distributed import Client

    from analysis.config import AnalysisConfig
    from analysis.corpus import Corpus
    from analysis.pipeline import AnalysisInputs
    from analysis.results import Results

__all__ = ["ClusterError", "cluster_client", "analyze_on_cluster", "normalise_address",
           "DISTRIBUTION", "STAGE_TOPIC"]

#: The installed distribution whose version the workers must share.
DISTRIBUTION = "sinoru-desktop"
#: The Dask event topic where each chunk and the corpus stage say where they ran.
STAGE_TOPIC = "sinoru-stage"
_INSTALL = 'pip install "sinoru-desktop[cluster]"'
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|inproc)://)?([^\s/:]+|\[[0-9a-fA-F:]+\])(?::(\d+))?$")


class ClusterError(RuntimeError):
    """The cluster cannot be used; the message names the address and the reason."""


def normalise_address(address: str) -> str:
    """``"HOST"`` / ``"HOST:PORT"`` / ``"tcp://HOST:PORT"`` -> ``"tcp://HOST:PORT"``
    (port 8786, Dask's default, when none is given). ValueError says what is wrong."""
    text = address.strip()
    m = _ADDRESS.match(text)
    if not text or m is None:
        raise ValueError(f"'{address}' is not a scheduler address (expected tcp://HOST:8786)")
    scheme, host, port = m.group(1) or "tcp", m.group(2), m.group(3) or "8786"
    if not 0 < int(port) < 65536:
        raise ValueError(f"'{address}': port {port} is out of range")
    return f"{scheme}://{host}:{port}"


def _installed_version() -> str | None:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None


@contextlib.contextmanager
def cluster_client(address: str, *, timeout: float = 10.0) -> Iterator[Client]:
    """A Dask ``Client`` connected to the scheduler at ``address``, its workers checked.

    Raises :class:`ClusterError` (naming the address and the reason) when the extra is not
    installed, the scheduler cannot be reached within ``timeout`` seconds, it has no
    workers, or a worker lacks this Sinoru version. The connection closes on exit.
    """
    try:
        url = normalise_address(address)
    except ValueError as exc:
        raise ClusterError(str(exc)) from None
    try:
        from distributed import Client
    except ImportError as exc:
        raise ClusterError(f"cannot use the Dask scheduler {url}: the cluster extra is not "
                           f"installed ({exc}); install it with: {_INSTALL}") from None
    try:
        client = Client(url, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {url}: {reason}") from None
    try:
        _check_workers(client, url, timeout)
        yield client
    finally:
        client.close()


def _check_workers(client, url: str, timeout: float) -> None:
    """Every worker must import this Sinoru version, or its results would differ."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        raise ClusterError(f"the Dask scheduler at {url} has no workers (none joined within "
                           f"{timeout:g} s)") from None
    local = _installed_version()
    if local is None:
        return  # a bundle without distribution metadata: the tasks themselves will tell
    versions = client.run(_installed_version, on_error="return")
    wrong = {w: v for w, v in versions.items() if v != local}
    if wrong:
        shown = "; ".join(f"{w}: {v if isinstance(v, str) else 'not installed'}"
                          for w, v in sorted(wrong.items(), key=lambda kv: str(kv[0])))
        raise ClusterError(f"Dask workers at {url} lack {DISTRIBUTION} {local} ({shown}); "
                           f"install the same version on every worker")


# --- the client side ------------------------------------------------------------------------

_log = logging.getLogger(__name__)
_POLL = 0.25  # seconds between looks at the run's progress (and the user's Cancel)


def analyze_on_cluster(address: str, corpus: Corpus, config: AnalysisConfig | None = None,
                       progress: ProgressCallback | None = None, *,
                       codebook_texts: Mapping[str, str] | None = None,
                       targets_yaml: str | None = None, inputs: AnalysisInputs | None = None,
                       corpus_name: str = "", cache: DocumentCache | None = None,
                       timeout: float = 10.0) -> Results:
    """:func:`analysis.pipeline.run_analysis` (same arguments and results) on the Dask
    cluster at ``address``, its corpus stage included.

    Codebooks and targets are resolved here (their files are on this machine) and sent
    with the corpus. ``cache``: the entries it holds for this corpus go with the run, and
    the entries the cluster computes come back into it. ``progress`` may raise
    ``analysis.Cancelled``: the run on the cluster stops at its next progress report.
    Raises :class:`ClusterError` when the cluster cannot be used or is lost on the way.
    """
    from analysis.config import AnalysisConfig
    from analysis.pipeline import resolve_inputs

    config = config or AnalysisConfig()
    progress = progress or no_progress
    inputs = inputs or resolve_inputs(config, codebook_texts, targets_yaml)
    found = _entries_for(corpus, config, inputs, cache) if cache is not None else None
    with cluster_client(address, timeout=timeout) as client:
        url = normalise_address(address)
        try:
            packed, made, worker = _run_remote(client, corpus, config, _portable(inputs),
                                               corpus_name, found, progress)
        except Exception as exc:
            from distributed import KilledWorker
            from distributed.comm import CommClosedError

            if isinstance(exc, CommClosedError):
                raise ClusterError(f"lost the Dask scheduler at {url}: {exc}") from None
            if isinstance(exc, KilledWorker):
                raise ClusterError(f"a Dask worker at {url} died while analysing ({exc}); "
                                   "see the worker's log (memory?)") from None
            raise
    _log.info("corpus stage ran on the Dask worker %s", worker)
    if cache is not None:
        for key, value in made.items():
            cache.put(key, value)
    try:
        return _unpacked(packed)
    except OSError as exc:
        raise ClusterError(f"cannot keep the results from {url} on this computer: the row "
                           f"tables need a scratch file ({exc.strerror or exc})") from None


def _run_remote(client, corpus, config, inputs, corpus_name, found, progress):
    from distributed import Event, Variable

    run = uuid.uuid4().hex
    done, stop = Variable(f"sinoru-progress-{run}", client=client), Event(f"sinoru-stop-{run}",
                                                                       client=client)
    done.set(0.0)
    # Sent once to one worker (the task below will most likely run where it is).
    [corpus_data, found_data] = client.scatter([corpus, found], hash=False)
    task = client.submit(_analysis_task, corpus_data, config, inputs, corpus_name, found_data,
                         run, corpus_data.key, key=f"sinoru-analysis-{run}", pure=False)
    finished = threading.Event()
    task.add_done_callback(lambda _task: finished.set())
    try:
        while not finished.wait(_POLL):
            progress(done.get())
        # Straight from the worker (the scheduler as a go-between only if that fails):
        # relayed through the scheduler, the results of a large corpus took minutes on a
        # busy machine.
        packed, made, worker = client.gather(task, direct=True)
    except BaseException:
        stop.set()  # the task on the worker stops at its next progress report
        task.cancel()
        raise
    done.delete()  # the scheduler keeps a variable until it is deleted
    progress(1.0)
    return packed, made, worker


def _entries_for(corpus, config, inputs, cache: DocumentCache) -> DocumentCache:
    """The cache entries the per-document stage may look up for ``corpus``: only these
    travel with the run (a cache file may hold other corpora's entries too)."""
    from analysis.doc_cache import document_hash
    from analysis.doc_stage import analyzer_keys, keys_for, schema_key
    from analysis.map_stage import stage_spec
    from analysis.pipeline import _detector_available

    spec = stage_spec(config, inputs, _detector_available(), portable=True)
    versions = analyzer_keys(spec)
    shas = [document_hash(d) for d in corpus]
    found = DocumentCache()
    for name, version_fp in versions.items():
        for key in (schema_key(name, version_fp), *keys_for(name, version_fp, shas)):
            value = cache.get(key)
            if value is not None:
                found.put(key, value)
    return found


def _portable(inputs):
    """``inputs`` as they can travel: a scorer that cannot be pickled (a model session) is
    sent as the config's choice, and the worker loads its own."""
    try:
        pickle.dumps(inputs.scorer)
    except Exception:  # noqa: BLE001 - any object may refuse pickling
        return dataclasses.replace(inputs, scorer=None)
    return inputs


# --- on the workers ---------------------------------------------------------------------

def _analysis_task(corpus, config, inputs, corpus_name, found, run, corpus_key):
    """Task: the whole analysis on this worker, the per-document chunks and the corpus
    stage's tasks on every worker. ``corpus_key``: the key the client scattered the corpus
    under. Returns (results, the cache entries computed, this worker's address)."""
    from distributed import Event, Future, Variable, get_worker, worker_client

    from analysis.pipeline import _target_scorer, run_analysis
    from analysis.text import segment

    if inputs.scorer is None:
        inputs = dataclasses.replace(inputs, scorer=_target_scorer(config.target_model))
    done, stop = Variable(f"sinoru-progress-{run}"), Event(f"sinoru-stop-{run}")
    last = [0.0]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < _POLL:
            return
        last[0] = now
        if stop.is_set():
            raise Cancelled()
        done.set(fraction)

    # Only a client that keeps a cache (sent with the run, if empty) gets entries back.
    cache = _RecordingCache(found) if found is not None else None
    started, cpu = time.perf_counter(), time.thread_time()
    # Seceded from the worker's threads while it waits: the chunks can run here too.
    with worker_client() as client, client.get_executor() as inner:
        executor = _RecordedExecutor(inner, run, client,
                                     {id(corpus): Future(corpus_key, client=client)})
        results = run_analysis(corpus, config, progress, inputs=inputs,
                               corpus_name=corpus_name, cache=cache, executor=executor)
    ended = time.perf_counter()
    worker = get_worker()
    # The corpus stage is what follows the last chunk (all of it when none ran).
    chunks_done = executor.last_done or started
    worker.log_event(STAGE_TOPIC, {"run": run, "stage": "analysis", "worker": worker.address,
                                   "documents": len(corpus), "wall_s": ended - started,
                                   "corpus_stage_wall_s": ended - chunks_done,
                                   "cpu_s": time.thread_time() - cpu})
    segment.cache_clear()  # the texts' segmentations: not worth keeping on a shared worker
    return _packed(results), cache.made if cache is not None else {}, worker.address


def _packed(results: Results) -> tuple:
    """``results`` as they go to the client: the row tables on disk as their file
    (:func:`analysis.table_store.pack_tables`), which the client writes to CSV from a file
    of its own as a local run does; the other tables as they are."""
    from analysis.table_store import SpilledTable, pack_tables

    tables = results.tables
    stored = {n: tables.stored(n) for n in tables}
    on_disk = {n: t for n, t in stored.items() if isinstance(t, SpilledTable)}
    held = {n: None if n in on_disk else tables[n] for n in stored}   # in their order
    return results.data, held, pack_tables(on_disk)


def _unpacked(packed: tuple) -> Results:
    from analysis.results import Results
    from analysis.table_store import unpack_tables

    data, held, on_disk = packed
    received = unpack_tables(on_disk)
    return Results(data, {n: received[n] if n in received else t for n, t in held.items()})


class _RecordingCache(DocumentCache):
    """The entries sent with the run, plus the ones computed (kept apart to send back)."""

    def __init__(self, found: DocumentCache | None) -> None:
        super().__init__()
        for key, value in (found.items() if found is not None else ()):
            super().put(key, value)
        self.made: dict[str, bytes] = {}

    def put(self, key: str, value: bytes) -> None:
        super().put(key, value)
        self.made[key] = value


class _RecordedExecutor(Executor):
    """Submits each task as :func:`_recorded_task`, which says where it ran: a chunk of
    the per-document stage, or a task of the corpus stage (its function's ``stage``)."""

    def __init__(self, inner: Executor, run: str, client, held: dict) -> None:
        self.inner, self.run, self.client = inner, run, client
        self.held = held   # id(object) -> the Future of the object already on the cluster
        self.last_done: float | None = None  # when the last chunk came back
        #: Tasks the cluster runs at once (its workers' threads when the run starts): the
        #: per-document stage keeps a few chunks per slot in flight, not all of them, so
        #: the scheduler never holds every text of a corpus of millions of articles.
        self.slots = sum(client.nthreads().values())

    def submit(self, fn, /, *args, **kwargs):
        stage = getattr(fn, "stage", "documents")
        if stage != "documents":
            # A task over the whole corpus: its arguments wait on the cluster, not in the
            # task graph the scheduler holds (the corpus itself is there already).
            args = [self.held[id(a)] if id(a) in self.held
                    else self.client.scatter(a, hash=False) for a in args]
        future = self.inner.submit(_recorded_task, self.run, stage, fn, *args, **kwargs)
        if stage == "documents":
            future.add_done_callback(self._done)
        return future

    def _done(self, _future) -> None:
        self.last_done = time.perf_counter()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


def _recorded_task(run: str, stage: str, fn, documents, *args, **kwargs):
    """Task: ``fn(documents, ...)``, recorded as a Dask event with this worker's address,
    the stage, its documents and the CPU it took."""
    from distributed import get_worker

    started, cpu = time.perf_counter(), time.thread_time()
    out = fn(documents, *args, **kwargs)
    worker = get_worker()
    worker.log_event(STAGE_TOPIC, {"run": run, "stage": stage, "worker": worker.address,
                                   "documents": len(documents),
                                   "wall_s": time.perf_counter() - started,
                                   "cpu_s": time.thread_time() - cpu})
    if stage != "documents":
        from analysis.text import segment

        segment.cache_clear()  # the texts' segmentations: not worth keeping on a worker
    return out
