"""The GUI's handle on the warm worker process (see :mod:`sinoru_desktop.worker_process`).

One worker serves the whole app (:func:`shared_worker`). It starts in the background
when the app starts or a project opens, and is started again after it died. Tasks are
sent with an id; its answers come back as Qt signals in the GUI thread:

``progress(id, fraction)``, ``done(id, result)``, ``failed(id, exception)``.

A cancelled task that does not stop within :data:`CANCEL_GRACE_MS` (the engine checks
for Cancel at every progress step, but one step may be long) costs the worker its life:
it is stopped and started again, and the tasks queued behind it are sent to the new one,
so Cancel always frees the worker within about a second. A worker that dies (killed, out
of memory) fails its tasks with :class:`~sinoru_desktop.worker_process.WorkerDied`,
whose message tells the user what happened and that nothing was lost.

Multiprocessing uses the ``spawn`` context everywhere (the same on Linux, macOS and
Windows, and the one the frozen app supports: the entry point calls ``freeze_support``).
"""
from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import queue
import threading
from collections.abc import Callable, Iterable
from multiprocessing.reduction import ForkingPickler

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from analysis.gc_pause import collection_paused
from sinoru_desktop.gui_gc import reading_project
from sinoru_desktop.message_pieces import recv_in_pieces, send_in_pieces
from sinoru_desktop.tasks import prepare_result
from sinoru_desktop.worker_process import SameAsBefore, WorkerDied, serve

__all__ = ["WarmWorker", "shared_worker", "CANCEL_GRACE_MS"]

#: How long a cancelled task may take to stop before its worker is replaced.
CANCEL_GRACE_MS = 1000


class WarmWorker(QObject):
    """A persistent analysis process and the tasks sent to it (GUI thread only)."""

    progress = Signal(int, float)
    done = Signal(int, object)
    failed = Signal(int, object)
    ready = Signal()
    restarted = Signal(str)  # why the worker was started again

    _message = Signal(object, object)  # (connection it came on, message): reader -> GUI

    def __init__(self, parent: QObject | None = None, *, warm: bool = True) -> None:
        super().__init__(parent)
        self._ctx = multiprocessing.get_context("spawn")
        self._warm = warm
        self._process = None
        self._outbox: queue.SimpleQueue | None = None
        self._recv_conn = None
        self._tasks: dict[int, tuple[Callable, tuple]] = {}  # sent, not answered yet
        self._prepare: dict[int, Callable] = {}  # read by the reader thread
        self._cancelled: set[int] = set()
        self._last_args: tuple = ()  # what the worker has of the previous request
        self.is_ready = False
        self.cache_source: Callable[[], Iterable[tuple[str, bytes]]] | None = None
        self._message.connect(self._on_message)

    # Process life ---------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def ensure_started(self) -> None:
        """Start the worker (in the background: it warms up on its own) unless it runs."""
        if self._process is not None:
            return
        requests_r, requests_w = self._ctx.Pipe(duplex=False)
        replies_r, replies_w = self._ctx.Pipe(duplex=False)
        process = self._ctx.Process(target=serve, args=(requests_r, replies_w, self._warm),
                                    name="sinoru-analysis-worker", daemon=True)
        process.start()
        requests_r.close()  # our copies of the child's ends: EOF must reach each side
        replies_w.close()
        self._process, self._recv_conn = process, replies_r
        self._outbox = queue.SimpleQueue()
        self._last_args = ()
        self.is_ready = False
        threading.Thread(target=self._read, args=(replies_r,), daemon=True,
                         name="sinoru-worker-reader").start()
        threading.Thread(target=self._write, args=(requests_w, self._outbox), daemon=True,
                         name="sinoru-worker-writer").start()
        if self.cache_source is not None:
            self._send(("cache", list(self.cache_source())))

    def _read(self, conn) -> None:
        """Reader thread: forward every message to the GUI thread; None means EOF."""
        while True:
            try:
                message = _read_message(conn)
            except (EOFError, OSError):
                message = None
            except Exception as exc:  # noqa: BLE001 - a result that cannot be unpickled
                message = ("unreadable", exc)
            if message is not None and message[0] == "done":
                prepare_result(self._prepare.get(message[1]), message[2])
            try:
                self._message.emit(conn, message)
            except RuntimeError:  # the app is quitting: this object is gone already
                return
            if message is None:
                return

    @staticmethod
    def _write(conn, outbox: queue.SimpleQueue) -> None:
        """Writer thread: a send blocks while the worker is busy (warming up), and a
        corpus takes a while to pickle: neither may hold up the GUI thread (so a large
        message is pickled in pieces, and the GUI thread runs between two)."""
        while True:
            message = outbox.get()
            try:
                send_in_pieces(conn, message)
            except (OSError, ValueError):  # it died: its reader reports that
                return
            if message[0] == "stop":
                conn.close()
                return

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        outbox, self._outbox = self._outbox, None
        self._recv_conn = None
        if process is None:
            return
        outbox.put(("stop",))
        process.join(0.5)
        if process.is_alive():
            process.kill()
            process.join(2)

    @Slot()
    def shutdown(self) -> None:
        """Stop the worker (the app quits); tasks still queued are dropped."""
        self._tasks.clear()
        self._prepare.clear()
        self._stop_process()

    def restart(self, reason: str) -> None:
        """Replace the worker; tasks it had not answered go to the new one."""
        self._stop_process()
        self.ensure_started()
        for task_id, (fn, args) in list(self._tasks.items()):
            self._send_run(task_id, fn, args)
        self.restarted.emit(reason)

    # Tasks ----------------------------------------------------------------------------------
    def submit(self, task_id: int, fn: Callable, args: tuple, *,
               prepare: Callable | None = None) -> None:
        """Run ``fn(*args, progress=cb)`` in the worker (after the tasks before it);
        ``prepare(result)`` runs on the reader thread once its result is read."""
        self.ensure_started()
        self._tasks[task_id] = (fn, args)
        if prepare is not None:
            self._prepare[task_id] = prepare
        self._send_run(task_id, fn, args)

    def _send_run(self, task_id: int, fn: Callable, args: tuple) -> None:
        # Inputs are immutable: the very object sent last time need not travel again.
        last = self._last_args
        sent = tuple(SameAsBefore() if i < len(last) and a is last[i] and a is not None
                     else a for i, a in enumerate(args))
        self._last_args = args
        self._send(("run", task_id, fn, sent))

    def cancel(self, task_id: int) -> None:
        """Stop task ``task_id`` (its answer is dropped), within about a second."""
        if task_id not in self._tasks:
            return
        self._cancelled.add(task_id)
        self._send(("cancel", task_id))
        QTimer.singleShot(CANCEL_GRACE_MS, lambda: self._check_cancelled(task_id))

    def _check_cancelled(self, task_id: int) -> None:
        if task_id in self._tasks and task_id in self._cancelled:
            del self._tasks[task_id]
            self._cancelled.discard(task_id)
            self.restart("a cancelled analysis did not stop in time")

    def use_cache(self, source: Callable[[], Iterable[tuple[str, bytes]]]) -> None:
        """Give the worker the cached per-document results ``source()`` of the project
        just opened (and again whenever the worker is started anew)."""
        self.cache_source = source
        if self._process is None:
            self.ensure_started()  # sends them
        else:
            self._send(("cache", list(source())))

    def _send(self, message: tuple) -> None:
        if self._outbox is not None:
            self._outbox.put(message)

    # Answers ------------------------------------------------------------------------------------
    @Slot(object, object)
    def _on_message(self, conn, message) -> None:
        if conn is not self._recv_conn:  # from a worker already replaced
            return
        if message is None:
            self._on_died()
            return
        kind = message[0]
        if kind == "ready":
            self.is_ready = True
            self.ready.emit()
        elif kind == "progress":
            if message[1] not in self._cancelled:
                self.progress.emit(message[1], message[2])
        elif kind == "unreadable":
            self._fail_all(RuntimeError(f"the analysis result could not be read ({message[1]})"))
        else:
            task_id = message[1]
            self._tasks.pop(task_id, None)
            self._prepare.pop(task_id, None)
            if task_id in self._cancelled or kind == "cancelled":
                self._cancelled.discard(task_id)
            elif kind == "done":
                self.done.emit(task_id, message[2])
            else:
                self.failed.emit(task_id, message[2])

    def _on_died(self) -> None:
        process = self._process
        code = None
        if process is not None:
            process.join(2)
            code = process.exitcode
        was_ready = self.is_ready
        if self._outbox is not None:
            self._outbox.put(("stop",))  # ends the writer thread
        self._process = self._outbox = self._recv_conn = None
        how = (f"it was killed (signal {-code})" if code is not None and code < 0
               else f"it ended with exit code {code}" if code is not None else "it ended")
        self._fail_all(WorkerDied(
            f"the analysis process stopped unexpectedly: {how}. Sinoru started a new one; "
            "your documents, codebooks and earlier results are unchanged. Run the analysis "
            "again (F5)."))
        if was_ready:  # warm the replacement now (not when it died warming up: retry later)
            self.ensure_started()
        self.restarted.emit(how)

    def _fail_all(self, exc: BaseException) -> None:
        tasks, self._tasks = list(self._tasks), {}
        self._prepare.clear()
        for task_id in tasks:
            if task_id not in self._cancelled:
                self.failed.emit(task_id, exc)
        self._cancelled.clear()


def _read_message(conn):
    """The next message from the worker; a result sent in pieces is unpickled piece by
    piece, so that the GUI thread gets the interpreter lock between two pieces."""
    return recv_in_pieces(conn, _unpickle, _result_arriving)


@contextlib.contextmanager
def _result_arriving():
    """While a result sent in pieces is put together: no collection on this thread, and
    what survives the GUI thread's collections meanwhile counted as kept (the result is
    what the window is about to show, as a project being read is: see
    :func:`sinoru_desktop.gui_gc.reading_project`). Counted as new, the result of a
    10,000-article analysis brought a full collection (0.13 CPU s of the GUI thread)
    during its arrival or soon after, which walked the whole result only to keep it."""
    with reading_project(), collection_paused():
        yield


def _unpickle(data: bytes):
    """A message (or a piece of one) from the worker, read without stalling the window."""
    with collection_paused():
        return ForkingPickler.loads(data)


_shared: WarmWorker | None = None


def shared_worker() -> WarmWorker:
    """The app's one warm worker (created on first use, in the GUI thread)."""
    global _shared
    if _shared is None:
        _shared = WarmWorker()
        atexit.register(_shared.shutdown)
    return _shared
