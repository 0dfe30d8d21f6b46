"""A PDF report's charts drawn in a second process while this one lays out the text.

Drawing the charts (matplotlib) and laying out the text and tables (fpdf2) take about the
same time and need nothing from each other but the finished chart: its caption and its
drawing operators. So a second process (spawned: safe in the app as on the command line)
draws every chart the report will place, in report order, and sends each one back as a
:class:`Drawing`; the report waits only when it reaches a chart not drawn yet.

The drawings are the same bytes either way: when no second process can be started (one
core, a daemon process, results that cannot be sent), or a chart fails there, it is drawn
here by the very same :func:`draw_chart`.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from analysis.report.options import ReportOptions

__all__ = ["Drawing", "ChartDrawings", "draw_chart", "second_process_available"]


@dataclass(frozen=True)
class Drawing:
    """One chart ready to place: ``kind`` "ops" (PDF operators, see
    :mod:`analysis.report.pdf_charts`), "svg" (SVG bytes) or "raster" (RGBA pixels of
    ``pixels`` size)."""

    caption: str
    size_in: tuple[float, float]
    kind: str
    data: bytes
    opacities: tuple[tuple[float, float], ...] = ()
    pixels: tuple[int, int] = (0, 0)


def draw_chart(instance, results, raster_dpi: int | None = None) -> Drawing:
    """Draw ``instance`` for the PDF: vector operators, SVG when the operators cannot carry
    it, or pixels at ``raster_dpi`` when given."""
    from analysis.report.chart_export import draw_figure, figure_images, figure_raster
    from analysis.report.pdf_charts import NeedsSVG, figure_operators

    fig, caption = draw_figure(instance, results)
    size = tuple(float(v) for v in fig.get_size_inches())
    if raster_dpi is not None:
        image = figure_raster(fig, raster_dpi)
        return Drawing(caption, size, "raster", image.tobytes(), pixels=image.size)
    try:
        ops, opacities = figure_operators(fig)
    except NeedsSVG:
        return Drawing(caption, size, "svg", figure_images(fig, ("svg",))["svg"])
    return Drawing(caption, size, "ops", ops, opacities)


def second_process_available() -> bool:
    """Whether drawing in a second process can pay: a second core, and a process allowed
    to start one (multiprocessing's daemon processes may not)."""
    return (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon


class ChartDrawings:
    """The drawings of ``todo`` (``(instance, raster_dpi)`` in report order), from a
    second process when one is available, else drawn when asked for."""

    def __init__(self, results, options: ReportOptions, todo) -> None:
        self._results = results
        self._todo = {inst.key: (inst, dpi) for inst, dpi in todo}
        self._received: dict[str, Drawing | None] = {}
        self._process = self._conn = None
        if len(self._todo) > 1 and second_process_available():
            self._start(options, [(key, dpi) for key, (_, dpi) in self._todo.items()])

    def _start(self, options: ReportOptions, keys) -> None:
        ctx = multiprocessing.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_serve, args=(send, self._results, options, keys),
                              daemon=True, name="sinoru-report-charts")
        try:
            process.start()
        except Exception:  # noqa: BLE001 - results that cannot be sent: draw them here
            receive.close()
            return
        finally:
            send.close()
        self._process, self._conn = process, receive

    def drawing(self, instance) -> Drawing:
        """The drawing of ``instance`` (one of ``todo``; any other is drawn here)."""
        key = instance.key
        while key not in self._received and self._conn is not None:
            try:
                got, drawing = self._conn.recv()
            except (EOFError, OSError):   # the process ended early: draw the rest here
                self.close()
                break
            self._received[got] = drawing
        drawing = self._received.pop(key, None)
        if drawing is None:
            drawing = draw_chart(instance, self._results, self._todo.get(key, (None, None))[1])
        return drawing

    def close(self) -> None:
        """Stop the second process (a cancelled report leaves none behind)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=0.5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
            self._process = None

    def __enter__(self) -> ChartDrawings:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _serve(conn, results, options: ReportOptions, keys) -> None:
    """The second process: draw each chart in order and send it; a chart that fails is
    sent as None (the report draws it itself and meets the error there)."""
    from analysis.report.options import selected_charts
    from analysis.report.views import view_instances

    try:
        instances = {inst.key: inst for inst in selected_charts(results, options)}
        if any(key not in instances for key, _ in keys):
            instances.update((inst.key, inst) for inst in view_instances(results, options))
        for key, dpi in keys:
            try:
                drawing = draw_chart(instances[key], results, dpi)
            except Exception:  # noqa: BLE001 - met again, and reported, by the report
                drawing = None
            conn.send((key, drawing))
    except (BrokenPipeError, EOFError, OSError):
        pass   # the report stopped (cancelled or failed): nothing more to send
    finally:
        conn.close()
