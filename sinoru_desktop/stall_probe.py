"""Measure how long the GUI event loop was blocked: the longest gap between timer ticks.

Used by the GUI tests (to check work ran in the task runner, not to time it) and by
``benchmarks/bench_gui_stall.py``, which prints the figures.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Slot

__all__ = ["StallProbe"]


class StallProbe(QObject):
    """A precise QTimer ticking every ``interval_ms``; ``longest`` is the longest time in
    seconds between two ticks (or since the last tick, while blocked), i.e. how long the
    window could not repaint or react.

    ``longest_cpu`` is the most CPU time the GUI thread itself spent between two ticks:
    the stall it caused by its own work. On a machine shared with other busy programs
    the wall-clock gaps grow while the process waits for a core; this figure does not.

    ``longest_process_cpu`` is the most CPU time the whole process (every thread) spent
    between two ticks: it also counts another thread holding the interpreter lock, which
    stalls the GUI thread without its own CPU, and so bounds from above the stall the
    same work causes on a machine with a core to spare.

    Use as a context manager::

        with StallProbe() as probe:
            ...  # drive the GUI, process events
        print(probe.longest)
    """

    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_tick)
        self._last = self._last_cpu = self._last_process_cpu = 0.0
        self.longest = self.longest_cpu = self.longest_process_cpu = 0.0
        self.ticks = 0

    def start(self) -> StallProbe:
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._last_process_cpu = time.process_time()
        self.longest, self.longest_cpu, self.longest_process_cpu, self.ticks = 0.0, 0.0, 0.0, 0
        self._timer.start()
        return self

    def stop(self) -> float:
        """Stop measuring; returns ``longest`` (a blocked tail counts too)."""
        if self._timer.isActive():
            self._on_tick()
            self._timer.stop()
        return self.longest

    @Slot()
    def _on_tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()  # the GUI thread's CPU time
        process_cpu = time.process_time()
        self.longest = max(self.longest, now - self._last)
        self.longest_cpu = max(self.longest_cpu, cpu - self._last_cpu)
        self.longest_process_cpu = max(self.longest_process_cpu,
                                       process_cpu - self._last_process_cpu)
        self._last, self._last_cpu, self._last_process_cpu = now, cpu, process_cpu
        self.ticks += 1

    def __enter__(self) -> StallProbe:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
