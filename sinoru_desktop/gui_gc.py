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

The timer follows CPython's own rules, including the one for full collections: the
oldest generation is collected only once the objects moved into it since its last
collection are a quarter of those it kept then. A full collection walks every object
of the process (~0.2 s with a 10,000-article project open); without that rule one came
every 10-20 s while the app was in use, and the window stalled each time. What survives
while a project is read counts as kept, not as moved (see :func:`reading_project`).
"""
from __future__ import annotations

import contextlib
import gc

from PySide6.QtCore import QObject, QTimer, Slot

__all__ = ["collect_on_gui_thread", "reading_project", "objects_frozen", "INTERVAL_MS"]

#: How often the GUI thread does what automatic collection would have done meanwhile.
INTERVAL_MS = 50
#: New objects since the last collection above which they are collected with generation
#: 1 at once (see :meth:`_Collector.collect_due`).
YOUNG_BURST = 10_000

_collector: _Collector | None = None
_reading = 0  # projects being read by other threads (see reading_project)
_frozen = False  # see objects_frozen


def objects_frozen() -> None:
    """Call after ``gc.freeze()`` (any thread): the frozen objects are left out of every
    collection, so they no longer count towards a full collection. Counted (the app's
    start-up imports, moved to the oldest generation before they were frozen), they
    brought a full collection at the first use after start-up: when the user opened a
    project, which it then walked too."""
    global _frozen
    _frozen = True


@contextlib.contextmanager
def reading_project():
    """Run the body (a project read, or an analysis's result put together, on another
    thread) with no full collection, and what survives the collections meanwhile counted
    as kept, as if a full collection had just kept it.

    The project read is what the app is about to show. Counted as moved into the oldest
    generation, it brought a full collection during the read and another right after
    it, which walked every object of the project only to keep them: 0.1 s of the GUI
    thread at 10,000 articles, 0.5-1.6 s at 100,000. Garbage made before the read is
    still counted, and collected by a full collection once a quarter more objects are
    kept.
    """
    global _reading
    _reading += 1
    try:
        yield
    finally:
        _reading -= 1


class _Collector(QObject):
    def __init__(self) -> None:
        super().__init__()
        # Objects kept by the last full collection (CPython's own count is not readable:
        # what the oldest generation holds now stands for it), and moved there since.
        self.long_lived_total = _kept()
        self.long_lived_pending = 0
        self.young_collections = 0  # of generation 1 since the last full collection
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        """Collect the oldest generation whose count passed its threshold (as CPython's
        automatic collection would), or nothing."""
        global _frozen
        if _frozen:  # objects were frozen since the last tick (see objects_frozen)
            _frozen = False
            self.long_lived_total, self.long_lived_pending = _kept(), 0
        counts, thresholds = gc.get_count(), gc.get_threshold()
        burst = counts[0] > YOUNG_BURST
        if self.young_collections > thresholds[2] and not burst and not _reading \
                and self.long_lived_pending > self.long_lived_total // 4:
            gc.collect(2)
            self.long_lived_total, self.long_lived_pending = _kept(), 0
            self.young_collections = 0
        elif counts[1] > thresholds[1] or burst:
            # Collecting generation 1 takes generation 0 with it; what survives moves on.
            # A burst of new objects (a project read or results unpickled by another
            # thread) goes on at once: moved to generation 1 first, it would be walked
            # again with ten ticks' worth of others, in one pause of a tenth of a second.
            # Bursts do not count towards a full collection (CPython's own count would
            # bring one every half second while a large project is read).
            young = len(gc.get_objects(0)) + len(gc.get_objects(1))
            survivors = max(young - gc.collect(1), 0)
            if _reading:  # see reading_project
                self.long_lived_total += survivors
            else:
                self.long_lived_pending += survivors
            self.young_collections += not burst
        elif counts[0] > thresholds[0]:
            gc.collect(0)


def _kept() -> int:
    """Objects kept for good: the oldest generation's and the frozen ones (those the app
    froze at start-up, see ``sinoru_desktop.window.views``). Counting the frozen keeps a
    large result arriving after start-up from passing the quarter at once."""
    return len(gc.get_objects(2)) + gc.get_freeze_count()


def collect_on_gui_thread() -> None:
    """Call once, on the GUI thread, before starting threads that run Python code."""
    global _collector
    if _collector is None:
        _collector = _Collector()
        gc.disable()
