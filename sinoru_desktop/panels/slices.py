"""Work that must stay on the GUI thread, done in steps: one step per pass of the event
loop, so the window repaints and reacts in between."""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

__all__ = ["Slices"]


class Slices(QObject):
    """``run(steps)`` calls the steps in order, each in its own pass of the event loop
    (all at once when ``widget``'s window is not shown: code and tests get the result
    at once). A new ``run`` drops the steps the previous one had left: only the newest
    work is finished (new results replace results still being shown). ``flush()`` does
    what is left now, for code that needs the outcome at once."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        self._steps: deque[Callable[[], None]] = deque()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_next)

    @property
    def pending(self) -> bool:
        return bool(self._steps)

    def run(self, steps: Iterable[Callable[[], None]]) -> None:
        self._steps = deque(steps)
        if self._widget.window().isVisible():
            self._timer.start()
        else:
            self.flush()

    def flush(self) -> None:
        self._timer.stop()
        while self._steps:
            self._steps.popleft()()

    @Slot()
    def _on_next(self) -> None:
        if self._steps:
            self._steps.popleft()()
        if self._steps:
            self._timer.start()
