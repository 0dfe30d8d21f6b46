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
