"""Cyclic garbage collection on the GUI thread only.

CPython runs a cyclic collection on whichever thread happens to allocate when a threshold
is reached. In this app that is often the chart render thread or a task thread, which
allocate far more than the GUI thread. A collection frees every unreachable cycle,
including Qt objects whose Python wrapper owns the C++ object (a parentless ``AppState``,
a widget whose parent was removed): their C++ destructors then run on that thread, with
the GIL released by shiboken, while the GUI thread keeps painting, or on the GUI thread
in the middle of a paint event of a widget they own. Either way the process can die
with a segmentation fault.

So automatic collection is switched off and the GUI thread collects from a timer, at the
top of its event loop: every cycle (and every Qt object in one) is freed there.
Reference counting still frees everything else at once, on any thread.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

__all__ = ["collect_on_gui_thread", "INTERVAL_MS"]

#: How often the GUI thread does what automatic collection would have done meanwhile.
INTERVAL_MS = 100

_collector: _Collector | None = None


class _Collector(QObject):
    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        """Collect the oldest generation whose count passed its threshold (as CPython's
        automatic collection would), or nothing."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return


def collect_on_gui_thread() -> None:
    """Call once, on the GUI thread, before starting threads that run Python code."""
    global _collector
    if _collector is None:
        _collector = _Collector()
        gc.disable()
