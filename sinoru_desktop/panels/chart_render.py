"""Charts built and rendered off the GUI thread.

Building a chart (the engine's ``draw_x(ax, results, ...)``, constrained layout, Agg
rendering) costs 50-300 ms per figure, and new results bring a dozen of them: on the GUI
thread that froze the window. Here a worker thread draws each chart onto its own
:class:`~matplotlib.figure.Figure` with an Agg canvas (no Qt involved); the GUI thread
only adopts the finished figure and its pixels (:meth:`ChartCanvas.adopt`).

One thread serves the whole app, so charts come out in the order they were asked for
(cards in view first: a card asks when it is painted).
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QObject, Signal, Slot
from shiboken6 import isValid

__all__ = ["RenderedChart", "RenderJob", "render_chart", "chart_renderer", "DPI"]

#: Logical dots per inch of every on-screen chart (the canvas's figure uses the same).
DPI = 100


@dataclass
class RenderedChart:
    """A finished chart: its figure (drawn), the Agg renderer holding its pixels and the
    caption the chart function returned; or the error it raised."""

    figure: Figure | None = None
    renderer: Any = None
    caption: str = ""
    error: BaseException | None = None


def render_chart(fn: Callable[..., str], args: tuple, kwargs: dict, width_px: int,
                 height_px: int, ratio: float = 1.0) -> RenderedChart:
    """Draw ``fn(ax, *args, **kwargs)`` on a new figure of ``width_px`` x ``height_px``
    logical pixels (``ratio``: device pixels per logical pixel) and render it. Safe on
    any thread: it touches no widget and no figure but its own."""
    figure = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, layout="constrained")
    canvas = FigureCanvasAgg(figure)
    if ratio != 1.0:  # what matplotlib's Qt canvas does for a HiDPI screen
        figure._set_dpi(DPI * ratio, forward=False)
    caption = fn(figure.add_subplot(), *args, **kwargs) or ""
    canvas.draw()
    return RenderedChart(figure, canvas.renderer, caption)


class RenderJob:
    """One chart asked of the render thread; ``cancel()`` drops it (if it has not
    started, it never runs; if it has, its result is not delivered)."""

    def __init__(self, owner: object, recipe: tuple, size: tuple[int, int, float]) -> None:
        # Weak: the last reference to a widget must never be dropped on the render
        # thread (its C++ object would be deleted there).
        self._owner = weakref.ref(owner)
        self.recipe, self.size = recipe, size
        self._cancelled = threading.Event()

    @property
    def owner(self):
        """The widget that asked (None once it is gone)."""
        return self._owner()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class ChartRenderer(QObject):
    """The render thread. A finished chart goes to ``job.owner.on_rendered(job, chart)``
    in the GUI thread (unless the owner widget is gone by then)."""

    _rendered = Signal(object, object)  # render thread -> GUI thread (queued)

    def __init__(self) -> None:
        super().__init__()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sinoru-charts")
        #: Charts asked for so far (the benchmarks count what a re-run draws).
        self.asked = 0
        self._rendered.connect(self._on_rendered)

    @Slot(object, object)
    def _on_rendered(self, job: RenderJob, chart: RenderedChart) -> None:
        owner = job.owner
        if not job.cancelled and owner is not None and isValid(owner):
            owner.on_rendered(job, chart)

    def submit(self, job: RenderJob) -> RenderJob:
        self.asked += 1
        self._pool.submit(self._run, job)
        return job

    def _run(self, job: RenderJob) -> None:
        if job.cancelled:
            return
        fn, args, kwargs = job.recipe
        try:
            result = render_chart(fn, args, kwargs, *job.size)
        except BaseException as exc:  # noqa: BLE001 - the card decides what to show
            result = RenderedChart(error=exc)
        if not job.cancelled:
            self._rendered.emit(job, result)

    def warm_up(self) -> None:
        """Load, on the render thread, what the first chart would otherwise load on the
        GUI thread (the fonts' character tables: ~0.5 s)."""
        from analysis.charts.fonts import supported_chars

        self._pool.submit(supported_chars)

    def wait(self) -> None:
        """Block until every chart asked for so far is rendered (tests, benchmarks)."""
        self._pool.submit(lambda: None).result()


_renderer: ChartRenderer | None = None


def chart_renderer() -> ChartRenderer:
    """The app's one render thread (created on first use, in the GUI thread)."""
    global _renderer
    if _renderer is None:
        from sinoru_desktop.gui_gc import collect_on_gui_thread

        collect_on_gui_thread()  # its collections would free Qt objects on this thread
        _renderer = ChartRenderer()
    return _renderer
