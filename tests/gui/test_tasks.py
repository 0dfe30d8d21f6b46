"""The task runner: results, errors, cancel, and a new task superseding the old one."""
from __future__ import annotations

import threading

import pytest

from analysis.progress import Cancelled
from sinoru_desktop.tasks import TaskProgressWidget, TaskRunner


def add(a, b, *, progress):
    for i in range(5):
        progress(i / 5)
    progress(1.0)
    return a + b


def fail(name, *, progress):
    progress(0.5)
    raise ValueError(f"{name}: cannot decode bytes")


def wait_for(event: threading.Event, value: str, *, progress):
    """Spins on progress until cancelled (or the event is set), like a long engine loop."""
    while not event.wait(0.005):
        progress(0.5)
    return value


@pytest.fixture
def runner(qtbot):
    r = TaskRunner()
    yield r
    r.shutdown()


def test_result_arrives_on_done(qtbot, runner):
    got, progress = [], []
    runner.progressChanged.connect(progress.append)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(add, 2, 3, label="Adding", on_done=got.append)
    assert got == [5]
    assert progress and progress[-1] == 1.0
    assert not runner.busy


def test_prepare_runs_on_the_result_off_the_gui_thread_before_on_done(qtbot, runner):
    seen = []
    prepare = lambda result: seen.append(("prepare", result, threading.get_ident()))  # noqa: E731
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(add, 2, 3, on_done=lambda r: seen.append(("done", r)), prepare=prepare)
    assert [s[:2] for s in seen] == [("prepare", 5), ("done", 5)]
    assert seen[0][2] != threading.get_ident()


def test_a_failing_prepare_leaves_the_result_to_arrive(qtbot, runner):
    got = []

    def prepare(result):
        raise ValueError("not ready")

    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(add, 2, 3, on_done=got.append, prepare=prepare)
    assert got == [5]


def test_error_reaches_on_error(qtbot, runner):
    errors = []
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(fail, "a.pdf", on_error=errors.append)
    assert len(errors) == 1 and isinstance(errors[0], ValueError)
    assert str(errors[0]) == "a.pdf: cannot decode bytes"


def test_error_without_handler_is_reported_by_signal(qtbot, runner):
    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.start(fail, "b.docx", label="Importing")
    assert blocker.args == ["Importing", "ValueError: b.docx: cannot decode bytes"]


def test_cancel_stops_the_worker_and_drops_its_result(qtbot, runner):
    event, got, errors = threading.Event(), [], []
    runner.start(wait_for, event, "late", on_done=got.append, on_error=errors.append)
    assert runner.busy
    runner.cancel()
    assert not runner.busy
    assert runner.wait(5000)  # the worker really ended: the progress callback raised
    qtbot.wait(50)
    assert got == [] and errors == []


def test_new_task_cancels_previous(qtbot, runner):
    event, got = threading.Event(), []
    runner.start(wait_for, event, "first", on_done=got.append)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(add, 1, 1, on_done=got.append)
    assert runner.wait(5000)
    qtbot.wait(50)
    assert got == [2]


def test_progress_callback_raises_cancelled_synchronously():
    """Task functions can be tested without Qt by passing a raising callback."""
    def cancelled(_fraction):
        raise Cancelled()
    with pytest.raises(Cancelled):
        add(1, 2, progress=cancelled)


def test_progress_widget_only_for_slow_tasks(qtbot, runner):
    widget = TaskProgressWidget(runner)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start(add, 1, 2)
    qtbot.wait(600)
    assert widget.isHidden()

    event = threading.Event()
    runner.start(wait_for, event, "slow", label="Analysing")
    qtbot.waitUntil(lambda: not widget.isHidden(), timeout=3000)
    event.set()
    qtbot.waitUntil(widget.isHidden, timeout=3000)
