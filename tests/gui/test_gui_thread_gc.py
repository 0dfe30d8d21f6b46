"""Qt objects left in reference cycles are freed on the GUI thread, never on the chart
render thread.

A Python-owned Qt object kept only by a cycle (a panel's parentless AppState, a widget
whose parent was removed) is destroyed by whichever thread runs the cyclic collection.
The render thread allocates the most while charts are drawn, so it used to run most
collections: Qt destructors then ran there, beside the GUI thread, and the test run died
with a segmentation fault ("Garbage-collecting" on one thread, matplotlib on the other).
"""
from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject


def _bars(ax, n: int) -> str:
    ax.bar([f"outlet {i}" for i in range(n)], range(n))
    ax.set_title("Articles per outlet")
    return f"{n} outlets"


class _Owner:
    """Stands for a chart card: receives the rendered charts."""

    def __init__(self) -> None:
        self.captions: list[str] = []

    def on_rendered(self, job, chart) -> None:
        self.captions.append(chart.caption)


def test_qt_objects_in_cycles_are_freed_on_the_gui_thread_while_charts_render(qtbot):
    from sinoru_desktop.panels.chart_render import RenderJob, chart_renderer

    renderer = chart_renderer()
    owner = _Owner()
    freed_on: list[str] = []
    gc.collect()  # start from empty generations: the next collection is the one we watch
    for _ in range(30):
        obj = QObject()  # no parent: its Python wrapper owns the C++ object
        obj.itself = obj  # ... and only a reference cycle keeps it
        weakref.finalize(obj, lambda: freed_on.append(threading.current_thread().name))
    del obj
    for n in range(4, 10):  # the render thread draws meanwhile (and allocates)
        renderer.submit(RenderJob(owner, (_bars, (n,), {}), (480, 260, 1.0)))

    qtbot.waitUntil(lambda: len(owner.captions) == 6, timeout=60_000)
    qtbot.waitUntil(lambda: len(freed_on) == 30, timeout=10_000)
    assert owner.captions == [f"{n} outlets" for n in range(4, 10)]
    assert set(freed_on) == {threading.main_thread().name}


class _ManualCollector:
    """The GUI thread's collector, driven by the test alone, with the generations each
    collection started on (``started``)."""

    def __init__(self) -> None:
        from sinoru_desktop.gui_gc import _Collector

        self.collector = _Collector()
        self.collector._timer.stop()  # collections happen only when the test calls for them
        self.started: list[int] = []
        self.survivors: list = []

    def on_gc(self, phase, info) -> None:
        if phase == "start":
            self.started.append(info["generation"])

    def as_after_a_full_collection(self) -> None:
        self.collector.long_lived_total = len(gc.get_objects(2))

    def collect_often(self, rounds: int) -> None:
        for _ in range(rounds):
            self.survivors.append([[]])  # allocations that pass every threshold
            self.collector.collect_due()


@pytest.fixture
def manual(qtbot):
    """Automatic collection off and every generation empty to start with; the
    collector's settings and the interpreter's are put back afterwards."""
    was_enabled, thresholds = gc.isenabled(), gc.get_threshold()
    frozen = gc.get_freeze_count()
    gc.disable()
    gc.collect()
    driven = _ManualCollector()
    gc.callbacks.append(driven.on_gc)
    try:
        yield driven
    finally:
        if gc.get_freeze_count() != frozen:  # the test froze objects of its own
            gc.unfreeze()
        gc.callbacks.remove(driven.on_gc)
        gc.set_threshold(*thresholds)
        if was_enabled:
            gc.enable()
        driven.collector.deleteLater()


def test_a_full_collection_waits_until_a_quarter_more_objects_are_kept(manual):
    """As CPython's own rule: walking every object of a large open project takes a
    noticeable pause, so it happens only once the long-lived objects grew by a quarter."""
    collector = manual.collector
    manual.as_after_a_full_collection()
    gc.set_threshold(1, 1, 1)
    manual.collect_often(50)
    assert 1 in manual.started and 2 not in manual.started  # a few survivors: no full one
    kept = [[i] for i in range(collector.long_lived_total // 4 + 1000)]
    manual.collect_often(50)
    assert 2 in manual.started  # a quarter more objects kept: one full collection
    assert collector.long_lived_pending < len(kept)


def test_a_burst_of_new_objects_is_walked_once_not_ten_ticks_of_them_at_once(manual):
    """Objects made by another thread between two ticks (a project being read) go to
    the oldest generation at the next tick, so no later tick walks many ticks' worth of
    them at once."""
    from sinoru_desktop.gui_gc import YOUNG_BURST

    collector = manual.collector
    burst = [[i] for i in range(YOUNG_BURST + 1000)]
    collector.collect_due()
    assert manual.started == [1]
    assert any(o is burst for o in gc.get_objects(2))
    assert collector.long_lived_pending >= len(burst)
    # a large project read over many ticks: no full collection while it is made
    for _ in range(3 * gc.get_threshold()[2]):
        burst.append([[i] for i in range(YOUNG_BURST + 1000)])
        collector.collect_due()
    assert 2 not in manual.started
    assert collector.long_lived_pending > collector.long_lived_total // 4


def test_what_a_project_read_makes_brings_no_full_collection(manual):
    """While a project is read, its objects count as kept: no full collection walks them,
    during the read or after it; the app in use afterwards brings one once a quarter
    more objects are kept, as before."""
    from sinoru_desktop.gui_gc import YOUNG_BURST, reading_project

    collector = manual.collector
    manual.as_after_a_full_collection()
    with reading_project():  # far more than a quarter more objects, read in bursts
        project = []
        for _ in range(4 + collector.long_lived_total // YOUNG_BURST):
            project.append([[i] for i in range(YOUNG_BURST + 1000)])
            collector.collect_due()
        gc.set_threshold(1, 1, 1)
        manual.collect_often(50)
    assert 1 in manual.started and 2 not in manual.started
    assert collector.long_lived_pending < YOUNG_BURST
    manual.collect_often(50)  # after the read
    assert 2 not in manual.started
    kept = [[i] for i in range(collector.long_lived_total // 4 + 1000)]
    manual.collect_often(50)
    assert 2 in manual.started and len(kept) > 0


def test_objects_frozen_after_start_up_bring_no_full_collection(manual):
    """The start-up imports, frozen once made, are left out of every collection: they do
    not bring a full collection at the first use of the app (opening a project)."""
    from sinoru_desktop.gui_gc import YOUNG_BURST, objects_frozen

    collector = manual.collector
    manual.as_after_a_full_collection()
    modules = [[[i] for i in range(YOUNG_BURST + 1000)]
               for _ in range(1 + collector.long_lived_total // YOUNG_BURST)]
    for _ in modules:  # imported in bursts, as the start-up imports are
        collector.collect_due()
    gc.freeze()
    objects_frozen()
    gc.set_threshold(1, 1, 1)
    manual.collect_often(50)
    assert 1 in manual.started and 2 not in manual.started


_ticking: list = []  # the collector a _Tick makes collect when it is unpickled


class _Tick:
    """Unpickled, it runs the collector's tick: the GUI thread's timer firing between
    two pieces of a result the reader thread is putting together."""

    def __reduce__(self):
        return _tick, ()


def _tick() -> None:
    _ticking[0].collect_due()


def test_a_result_arriving_from_the_worker_brings_no_full_collection(manual):
    """The result of a large analysis, read from the worker in pieces, is what the window
    is about to show: as with a project read, what survives the collections meanwhile
    counts as kept, and no full collection walks it during its arrival or after it."""
    import multiprocessing

    from sinoru_desktop.gui_gc import YOUNG_BURST
    from sinoru_desktop.message_pieces import ITEMS_PER_PIECE, send_in_pieces
    from sinoru_desktop.warm_worker import _read_message

    collector = manual.collector
    manual.as_after_a_full_collection()
    per_item = YOUNG_BURST // ITEMS_PER_PIECE + 10  # each piece a burst of new objects
    n_items = ITEMS_PER_PIECE * (4 + collector.long_lived_total // YOUNG_BURST)
    rows = [[_Tick() if i % ITEMS_PER_PIECE == 0 else None]
            + [[i, j] for j in range(per_item)] for i in range(n_items)]
    receive, send = multiprocessing.Pipe(duplex=False)
    _ticking[:] = [collector]
    sender = threading.Thread(target=send_in_pieces, args=(send, ("done", 1, rows)))
    sender.start()
    try:
        message = _read_message(receive)
    finally:
        sender.join()
        _ticking.clear()
    assert message[0] == "done" and len(message[2]) == n_items
    assert message[2][-1][-1] == [n_items - 1, per_item - 1]
    del rows  # the sent copy; the result read stays, as the window keeps it
    assert 1 in manual.started and 2 not in manual.started  # collected while it arrived
    gc.set_threshold(1, 1, 1)
    manual.collect_often(50)  # the app in use afterwards
    assert 2 not in manual.started
