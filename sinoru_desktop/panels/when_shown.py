"""Refresh a view when it is shown: new results reach every view at once, and a view the
user is not looking at must not spend the GUI thread on them until it is opened."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Slot
from PySide6.QtWidgets import QWidget

__all__ = ["WhenShown"]


class WhenShown(QObject):
    """``request()`` runs ``refresh()`` now when ``widget`` is on screen (or its window
    is not shown at all: code and tests get it at once), else the next time it is shown;
    requests made while it is hidden collapse into that one refresh."""

    def __init__(self, widget: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget, self._refresh = widget, refresh
        self.pending = False
        widget.installEventFilter(self)

    @Slot()
    def request(self) -> None:
        if self._widget.window().isVisible() and not self._widget.isVisible():
            self.pending = True
            return
        self.pending = False
        self._refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt)
        if event.type() == QEvent.Type.Show and self.pending:
            self.pending = False
            self._refresh()
        return False
