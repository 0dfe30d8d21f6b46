"""A chart card: a title, the chart, and a plain-language caption under it."""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from sinoru_desktop.panels.chart_canvas import ChartCanvas
from sinoru_desktop.plain_text import escape, plain_label

__all__ = ["ChartCard"]

log = logging.getLogger(__name__)


class ChartCard(QFrame):
    """One titled chart with its caption (the statistic, the n, small-sample warnings).

    ``draw(fn, *args, **kwargs)`` calls the engine's chart function; when it fails (data
    missing for this chart) the card says why instead of showing a broken chart. A card
    in a hidden view draws when it is shown: new results would otherwise build every
    view's figures at once and freeze the window for seconds.
    """

    def __init__(self, title: str, *, name: str, height_px: int = 260,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The chart draws its own title; the label names the card for screen readers and
        # stays hidden so the title is not shown twice.
        self.title = QLabel(f"<b>{escape(title)}</b>")
        self.title.hide()
        self.setAccessibleName(title)
        self.canvas = ChartCanvas(self, height_px=height_px, name=name)
        self.caption = plain_label(QLabel())  # captions name groups and outlets
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.canvas)
        layout.addWidget(self.caption)
        self._pending: tuple | None = None  # a draw waiting for the card to be shown

    def draw(self, fn: Callable[..., str], *args, warnings: list[str] = (), **kwargs) -> bool:
        """Draw the chart (now, or when shown); the caption gets the chart's own text
        plus ``warnings``.

        Returns False (and shows the reason) when the chart cannot be drawn.
        """
        if self.window().isVisible() and not self.isVisible():  # in a view not shown now
            self._pending = (fn, args, warnings, kwargs)
            return True
        self._pending = None
        return self._draw(fn, *args, warnings=warnings, **kwargs)

    def flush(self) -> None:
        """Make a waiting draw now (before the card is grabbed or exported unseen)."""
        if self._pending is not None:
            fn, args, warnings, kwargs = self._pending
            self._pending = None
            self._draw(fn, *args, warnings=warnings, **kwargs)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.flush()
        super().showEvent(event)

    def _draw(self, fn: Callable[..., str], *args, warnings: list[str] = (), **kwargs) -> bool:
        try:
            text = self.canvas.plot(fn, *args, **kwargs)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            # A chart with no data for this run must not take the whole view down.
            log.info("chart %s not drawn: %s", self.canvas.name, exc)
            self.canvas.clear()
            self.canvas.hide()
            self.caption.setText(f"This chart cannot be drawn for these results ({exc}).")
            self.canvas.caption = ""
            return False
        self.canvas.show()
        lines = [text] if text else []
        if "small sample" not in text.lower():
            lines += [f"\u26a0 {w}" for w in warnings]
        self.caption.setText("\n".join(lines))
        self.canvas.caption = self.caption.text()
        return True
