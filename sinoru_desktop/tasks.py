"""Long work off the GUI thread: one task runner and its status-bar progress widget.

A task is a module-level function ``fn(*args, progress=callback)`` taking immutable
inputs. Starting a task cancels the one before it; cancelling makes the progress callback
raise :class:`analysis.Cancelled` inside the worker, so the engine needs no Qt. Progress
reaches the GUI thread throttled; the result arrives as ``on_done(result)``, a failure as
``on_error(exc)``. Results of a cancelled or superseded task are dropped.

``start(..., in_worker=True)`` runs the task in the app's warm worker process instead
(:mod:`sinoru_desktop.warm_worker`): for CPU-bound engine work, which on a thread would
hold the GIL and stall the window. Its inputs and result are pickled, so the function
must be importable without Qt; everything else (progress, Cancel, callbacks) is the same.
"""
from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from analysis.progress import Cancelled

__all__ = ["TaskRunner", "TaskProgressWidget", "PROGRESS_INTERVAL", "SHOW_DELAY_MS"]

#: Minimum seconds between two progress signals from one worker.
PROGRESS_INTERVAL = 0.05
#: A busy indicator appears only for tasks that take longer than this.
SHOW_DELAY_MS = 500

#: Task ids, unique across runners: they share the one warm worker.
_IDS = itertools.count(1)


class _Signals(QObject):
    """Lives in the GUI thread; the worker emits, so delivery is queued to the GUI thread."""

    progress = Signal(int, float)
    done = Signal(int, object)
    failed = Signal(int, object)


class _Worker(QRunnable):
    def __init__(self, task_id: int, fn: Callable, args: tuple, signals: _Signals,
                 cancel: threading.Event, prepare: Callable | None = None) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._id, self._fn, self._args, self._prepare = task_id, fn, args, prepare
        self._signals, self._cancel = signals, cancel
        self._last = 0.0

    def _progress(self, fraction: float) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or fraction >= 1.0:
            self._last = now
            self._signals.progress.emit(self._id, float(fraction))

    def run(self) -> None:
        try:
            result = self._fn(*self._args, progress=self._progress)
            if self._cancel.is_set():
                raise Cancelled()
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            self._signals.failed.emit(self._id, exc)
        else:
            prepare_result(self._prepare, result)
            self._signals.done.emit(self._id, result)


def prepare_result(prepare: Callable | None, result: object) -> None:
    """Run ``prepare(result)`` off the GUI thread before the result is handed over: work
    the views would otherwise do on the GUI thread when they show it. It only warms what
    the views remember, so a failure here is left for the views to meet (and report)."""
    if prepare is None:
        return
    try:
        prepare(result)
    except Exception:  # noqa: BLE001 - the views do the same work again and say what failed
        pass


class _WorkerCancel:
    """The cancel flag of a task in the warm worker: setting it tells the worker."""

    def __init__(self, worker, task_id: int) -> None:
        self._worker, self._id = worker, task_id

    def set(self) -> None:
        self._worker.cancel(self._id)


class TaskRunner(QObject):
    """Runs one task at a time on a worker thread.

    Signals
    -------
    started(str) : a task with this label started.
    progressChanged(float) : fraction done of the current task (throttled).
    stageChanged(str) : the current task entered a stage ("fitting topics"), for tasks
        started with ``stages``.
    finished() : the current task ended (done, failed or cancelled).
    cancelled(str) : the user cancelled the task with this label (not: superseded).
    failed(str, str) : a task without its own ``on_error`` failed: label, message.
    """

    started = Signal(str)
    progressChanged = Signal(float)
    stageChanged = Signal(str)
    finished = Signal()
    cancelled = Signal(str)
    failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from sinoru_desktop.gui_gc import collect_on_gui_thread

        collect_on_gui_thread()  # a task thread's collections would free Qt objects there
        # A private pool: a cancelled task still unwinding must not block the next one.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._current: int | None = None
        self._label = ""
        self._cancel: threading.Event | None = None
        self._callbacks: tuple[Callable | None, Callable | None] = (None, None)
        self._running: set[int] = set()
        self._stages: Callable[[float], str] | None = None
        self._stage = ""
        self._worker = None  # the warm worker, once a task ran there

    # Public API ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a task (not yet cancelled) is running."""
        return self._current is not None

    @property
    def label(self) -> str:
        return self._label

    def start(self, fn: Callable[..., Any], *args: Any, label: str = "",
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              stages: Callable[[float], str] | None = None, in_worker: bool = False,
              prepare: Callable[[Any], None] | None = None) -> int:
        """Run ``fn(*args, progress=cb)`` on a worker; cancels the running task first.

        ``stages`` names the stage at a fraction done (shown beside the label);
        ``in_worker`` runs it in the warm worker process rather than on a thread;
        ``prepare(result)`` runs off the GUI thread before ``on_done`` (see
        :func:`prepare_result`).
        Returns the task id.
        """
        self.stop()
        task_id = next(_IDS)
        self._current, self._label = task_id, label
        self._cancel = threading.Event()
        self._callbacks = (on_done, on_error)
        self._stages, self._stage = stages, ""
        self._running.add(task_id)
        self.started.emit(label)
        if in_worker:
            worker = self._warm_worker()
            self._cancel = _WorkerCancel(worker, task_id)
            worker.submit(task_id, fn, args, prepare=prepare)
        else:
            self._pool.start(_Worker(task_id, fn, args, self._signals, self._cancel, prepare))
        return task_id

    def _warm_worker(self):
        if self._worker is None:
            from sinoru_desktop.warm_worker import shared_worker

            self._worker = shared_worker()
            self._worker.progress.connect(self._on_progress)
            self._worker.done.connect(self._on_done)
            self._worker.failed.connect(self._on_failed)
        return self._worker

    @Slot()
    def cancel(self) -> None:
        """The user's Cancel: stop the running task (its result is dropped) and say so."""
        label = self._label if self._current is not None else None
        self.stop()
        if label is not None:
            self.cancelled.emit(label)

    def stop(self) -> None:
        """Ask the running task to stop; its result, if any, is dropped."""
        if self._cancel is not None:
            self._cancel.set()
        if self._current is not None:
            self._current = None
            self._callbacks = (None, None)
            self.finished.emit()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker ended (True) or ``msecs`` passed (False)."""
        return self._pool.waitForDone(msecs)

    @Slot()
    def shutdown(self) -> None:
        """Cancel and wait for the workers (connected to ``aboutToQuit``)."""
        self.stop()
        self.wait(10_000)

    # Worker signals -----------------------------------------------------------------
    @Slot(int, float)
    def _on_progress(self, task_id: int, fraction: float) -> None:
        if task_id == self._current:
            self.progressChanged.emit(fraction)
            stage = self._stages(fraction) if self._stages is not None else ""
            if stage != self._stage:
                self._stage = stage
                self.stageChanged.emit(stage)

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        self._running.discard(task_id)
        if task_id != self._current:
            return
        on_done = self._callbacks[0]
        self._finish()
        if on_done is not None:
            on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: object) -> None:
        self._running.discard(task_id)
        if task_id != self._current:
            return
        label, on_error = self._label, self._callbacks[1]
        self._finish()
        if isinstance(exc, Cancelled):
            return
        if on_error is not None:
            on_error(exc)
        else:
            self.failed.emit(label, f"{type(exc).__name__}: {exc}")

    def _finish(self) -> None:
        self._current, self._cancel = None, None
        self._callbacks = (None, None)
        self.finished.emit()


class TaskProgressWidget(QWidget):
    """Status-bar progress bar with a Cancel button, shown only for tasks over 0.5 s."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._label = QLabel()
        self._task = ""
        self._bar = QProgressBar()
        self._bar.setRange(0, 1000)
        self._bar.setMaximumWidth(220)
        self._bar.setTextVisible(False)
        self._cancel = QToolButton()
        self._cancel.setText("Cancel")
        self._cancel.setToolTip("Stop the running task")
        self._cancel.clicked.connect(runner.cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for w in (self._label, self._bar, self._cancel):
            layout.addWidget(w)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOW_DELAY_MS)
        self._timer.timeout.connect(self._on_delay)
        runner.started.connect(self._on_started)
        runner.progressChanged.connect(self._on_progress)
        runner.stageChanged.connect(self._on_stage)
        runner.finished.connect(self._on_finished)
        self.hide()

    @Slot(str)
    def _on_started(self, label: str) -> None:
        self._task = label
        self._label.setText(label)
        self._bar.setValue(0)
        self._timer.start()

    @Slot()
    def _on_delay(self) -> None:
        if self._runner.busy:
            self.show()

    @Slot(str)
    def _on_stage(self, stage: str) -> None:
        self._label.setText(f"{self._task.rstrip('…')}: {stage}…" if stage else self._task)

    @Slot(float)
    def _on_progress(self, fraction: float) -> None:
        self._bar.setValue(round(1000 * min(max(fraction, 0.0), 1.0)))

    @Slot()
    def _on_finished(self) -> None:
        if not self._runner.busy:
            self._timer.stop()
            self.hide()
