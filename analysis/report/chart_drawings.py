"""A PDF report's charts drawn in a second process while this one lays out the text.

Drawing the charts (matplotlib) and laying out the text and tables (fpdf2) take about the
same time, and the text needs only each chart's caption: the size is known beforehand.
So a second process (spawned: safe in the app as on the command line) first sends the
caption of every chart the report places, in report order (the cheap part: the chart's
marks on its axes), then lays out and renders each chart and sends it as a
:class:`Drawing`. The report keeps each chart's place, lays out all its text, and puts the
drawings in their places at the end (:meth:`analysis.report.pdf.ReportPDF.fill_charts`).

The drawings are the same bytes either way: when no second process can be started (one
core, a daemon process, results that cannot be sent), or a chart fails there, it is drawn
here by the very same functions.
"""
from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from analysis.report.options import ReportOptions

__all__ = ["Drawing", "ChartDrawings", "draw_chart", "report_drawings",
           "second_process_available"]


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


def _finish(fig, caption: str, raster_dpi: int | None) -> Drawing:
    """Lay out a drawn figure and render it: vector operators, SVG when the operators
    cannot carry it, or pixels at ``raster_dpi`` when given."""
    from analysis.report.chart_export import figure_images, figure_raster, lay_out
    from analysis.report.pdf_charts import NeedsSVG, figure_operators

    lay_out(fig)
    size = tuple(float(v) for v in fig.get_size_inches())
    if raster_dpi is not None:
        image = figure_raster(fig, raster_dpi)
        return Drawing(caption, size, "raster", image.tobytes(), pixels=image.size)
    try:
        ops, opacities = figure_operators(fig)
    except NeedsSVG:
        return Drawing(caption, size, "svg", figure_images(fig, ("svg",))["svg"])
    return Drawing(caption, size, "ops", ops, opacities)


def draw_chart(instance, results, raster_dpi: int | None = None) -> Drawing:
    """Draw ``instance`` for the PDF (see :func:`_finish`)."""
    from analysis.report.chart_export import unlaid_figure

    return _finish(*unlaid_figure(instance, results), raster_dpi)


#: The detail tables the charts draw from (the split of the Compare view needs them all).
CHART_TABLES = ("documents", "term_map", "word_shift")


def _for_charts(results, options: ReportOptions):
    """``results`` with only the tables its charts need: what is sent to the chart
    process (a large project's sentence-level tables would cost time and memory)."""
    from analysis.charts._common import data_of
    from analysis.results import Results

    tables = getattr(results, "tables", None)
    if options.split_by or tables is None:
        return results
    return Results(data_of(results), {name: tables[name] for name in CHART_TABLES
                                      if name in tables})


def second_process_available() -> bool:
    """Whether drawing in a second process can pay: a second core, and a process allowed
    to start one (multiprocessing's daemon processes may not)."""
    return (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon


class ChartDrawings:
    """The captions and drawings of ``todo`` (``(instance, raster_dpi)`` in report order),
    from a second process when one is available, else drawn here when asked for."""

    def __init__(self, results, options: ReportOptions, todo) -> None:
        self._results = results
        self._todo = {inst.key: (inst, dpi) for inst, dpi in todo}
        self._captions: dict[str, str | None] = {}
        self._drawings: dict[str, Drawing | None] = {}
        self._process = self._conn = None
        if len(self._todo) > 1 and second_process_available():
            self._start(options, [(key, dpi) for key, (_, dpi) in self._todo.items()])

    def _start(self, options: ReportOptions, keys) -> None:
        ctx = multiprocessing.get_context("spawn")
        receive, send = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_serve, args=(send, _for_charts(self._results, options),
                                                   options, keys),
                              daemon=True, name="sinoru-report-charts")
        try:
            process.start()
        except Exception:  # noqa: BLE001 - results that cannot be sent: draw them here
            receive.close()
            return
        finally:
            send.close()
        self._process, self._conn = process, receive

    def _receive(self, kept: dict, key: str) -> None:
        while key not in kept and self._conn is not None:
            try:
                kind, got, value = self._conn.recv()
            except (EOFError, OSError):   # the process ended early: draw the rest here
                self.close()
                break
            (self._captions if kind == "caption" else self._drawings)[got] = value

    def caption(self, instance) -> str:
        """The caption of ``instance`` (drawing it here when no other process does)."""
        self._receive(self._captions, instance.key)
        caption = self._captions.get(instance.key)
        if caption is None:
            drawing = self._draw_here(instance)
            self._drawings[instance.key] = drawing
            caption = drawing.caption
        return caption

    def drawing(self, instance) -> Drawing:
        """The drawing of ``instance`` (one of ``todo``; any other is drawn here)."""
        self._receive(self._drawings, instance.key)
        drawing = self._drawings.pop(instance.key, None)
        return drawing if drawing is not None else self._draw_here(instance)

    def _draw_here(self, instance) -> Drawing:
        return draw_chart(instance, self._results, self._todo.get(instance.key, (None, None))[1])

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


def report_drawings(results, options: ReportOptions) -> ChartDrawings:
    """The drawings of every chart a PDF report places, started at once. ``charts`` and
    ``views`` (attributes) list the report's charts and its views' charts in order."""
    from analysis.report.options import selected_charts
    from analysis.report.views import view_instances, view_raster_dpi

    charts, views = selected_charts(results, options), view_instances(results, options)
    todo = [(inst, None) for inst in charts] if options.includes("charts") else []
    drawings = ChartDrawings(results, options,
                             todo + [(inst, view_raster_dpi(inst)) for inst in views])
    drawings.charts, drawings.views = charts, views
    return drawings


def _serve(conn, results, options: ReportOptions, keys) -> None:
    """The second process: every chart's caption in order, then every drawing in order. A
    chart that fails is sent as None: the report draws it itself and meets the error there."""
    from analysis.report.chart_export import unlaid_figure
    from analysis.report.options import selected_charts
    from analysis.report.views import view_instances

    try:
        instances = {inst.key: inst for inst in selected_charts(results, options)}
        if any(key not in instances for key, _ in keys):
            instances.update((inst.key, inst) for inst in view_instances(results, options))
        figures = []
        for key, dpi in keys:
            try:
                fig, caption = unlaid_figure(instances[key], results)
            except Exception:  # noqa: BLE001 - met again, and reported, by the report
                fig = caption = None
            conn.send(("caption", key, caption))
            figures.append((key, dpi, fig, caption))
        for key, dpi, fig, caption in figures:
            try:
                drawing = None if fig is None else _finish(fig, caption, dpi)
            except Exception:  # noqa: BLE001
                drawing = None
            conn.send(("drawing", key, drawing))
    except (BrokenPipeError, EOFError, OSError):
        pass   # the report stopped (cancelled or failed): nothing more to send
    finally:
        conn.close()
