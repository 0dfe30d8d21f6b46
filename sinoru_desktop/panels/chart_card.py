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

    With ``off_thread`` (the Compare view's many cards) the card goes further: its chart
    is built only once the card is painted (scrolled into view), on the render thread
    (:mod:`~sinoru_desktop.panels.chart_render`), and drawn again there after a resize.
    ``flush()`` builds it at once, here, for code that needs the figure now.
    """

    def __init__(self, title: str, *, name: str, height_px: int = 260,
                 off_thread: bool = False, parent: QWidget | None = None) -> None:
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
        self.off_thread = off_thread
        self._recipe: tuple | None = None  # (fn, args, warnings, kwargs) of the chart shown
        self._job = None  # the render thread's job for this card, while it runs
        #: What the chart shown was drawn from (set by the view that asks; None: unknown).
        self.drawn_from: tuple | None = None
        if off_thread:
            self.canvas.rebuild = self._on_rebuild_wanted
            self.canvas.before_flush = self.flush

    @property
    def built(self) -> bool:
        """True when the chart asked for last is on the canvas (or said why it is not)."""
        return self._pending is None and self._job is None

    def draw(self, fn: Callable[..., str], *args, warnings: list[str] = (), **kwargs) -> bool:
        """Draw the chart (now, or when shown); the caption gets the chart's own text
        plus ``warnings``.

        Returns False (and shows the reason) when the chart cannot be drawn.
        """
        if self.off_thread:
            self._cancel_job()
            self._pending = self._recipe = (fn, args, warnings, kwargs)
            if self.isVisible() and not self.visibleRegion().isEmpty():
                self._start_job()
            return True
        if self.window().isVisible() and not self.isVisible():  # in a view not shown now
            self._pending = (fn, args, warnings, kwargs)
            return True
        self._pending = None
        return self._draw(fn, *args, warnings=warnings, **kwargs)

    def keep(self, fn: Callable[..., str], *args, warnings: list[str] = (), **kwargs) -> None:
        """The chart shown (or on its way) is what ``draw`` with these arguments would
        give: keep it, drawing nothing, and use these arguments for any later redraw (a
        new size), so the results drawn before can be freed."""
        recipe = (fn, args, warnings, kwargs)
        if self._pending is not None:
            self._pending = recipe
        if self.off_thread:
            self._recipe = recipe

    def flush(self) -> None:
        """Make a waiting draw now (before the card is grabbed or exported unseen)."""
        if self._job is not None:
            self._cancel_job()
            self._pending = self._recipe
        if self._pending is not None:
            fn, args, warnings, kwargs = self._pending
            self._pending = None
            self._draw(fn, *args, warnings=warnings, **kwargs)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if not self.off_thread:
            self.flush()
        super().showEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Painted means in view: the chart is wanted now (cards out of view wait).
        if self.off_thread and self._pending is not None and self._job is None:
            self._start_job()
        super().paintEvent(event)

    # The render thread ------------------------------------------------------------------
    def _start_job(self) -> None:
        from sinoru_desktop.panels.chart_render import RenderJob, chart_renderer

        fn, args, _warnings, kwargs = self._pending
        renderer = chart_renderer()
        size = (max(self.canvas.width(), 1), max(self.canvas.height(), 1),
                float(self.canvas.device_pixel_ratio))
        self._job = renderer.submit(RenderJob(self, (fn, args, kwargs), size))

    def _cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def _on_rebuild_wanted(self) -> bool:
        """The canvas changed size: draw the chart again on the render thread."""
        if self._recipe is None or self._pending is not None:
            return False
        self._cancel_job()
        self._pending = self._recipe
        self._start_job()
        return True

    def on_rendered(self, job, chart) -> None:
        """The render thread's answer (in the GUI thread)."""
        if job is not self._job:
            return  # asked again since (new results, a new size)
        self._job = None
        fn, args, warnings, kwargs = self._pending
        self._pending = None
        if chart.error is not None:
            # A chart without data says so, as on the GUI thread; anything else (e.g. a
            # table only this thread may read) is drawn here instead.
            self._draw(fn, *args, warnings=warnings, **kwargs)
            return
        if not self.canvas.adopt(chart.figure, chart.renderer):
            self._on_rebuild_wanted()
        self._show_caption(chart.caption, warnings)

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
        self._show_caption(text, warnings)
        return True

    def _show_caption(self, text: str, warnings) -> None:
        self.canvas.show()
        lines = [text] if text else []
        if "small sample" not in text.lower():
            lines += [f"\u26a0 {w}" for w in warnings]
        self.caption.setText("\n".join(lines))
        self.canvas.caption = self.caption.text()

