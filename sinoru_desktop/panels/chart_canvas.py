"""A matplotlib figure on a Qt widget: clickable items and PNG/SVG/PDF export.

Charts are drawn by the engine's plain ``draw_x(ax, results, ...)`` functions
(analysis.charts) onto a :class:`matplotlib.figure.Figure` (never pyplot), so the screen
and the PDF report draw the very same picture.
"""
from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFileDialog,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QWidget,
)

# isort: split
# matplotlib picks its Qt binding from what is already imported: PySide6 comes first.
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from analysis.atomic import atomic_path
from analysis.charts._common import tip_of
from sinoru_desktop.plain_text import literal_text

__all__ = ["ChartCanvas", "ask_export_path", "EXPORT_FILTERS"]

#: Quiet time after a resize or a new plot before the chart is drawn.
SETTLE_MS = 80
MIN_WIDTH_PX = 420
EXPORT_FILTERS = "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"
EXPORT_FORMATS = ("png", "svg", "pdf")
#: Outline of the clicked bar or point: near-black reads on every group colour.
HIGHLIGHT_EDGE = "#111111"
#: Room (logical pixels) kept around a clicked item when its highlight is drawn over the
#: picture: its thicker outline and antialiased edge reach a little beyond it.
HIGHLIGHT_MARGIN_PX = 6


def ask_export_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to export a chart; an empty string when the user cancels.

    A module-level function so tests can monkeypatch it instead of a modal dialog.
    """
    path, chosen = QFileDialog.getSaveFileName(parent, "Export chart", suggested,
                                               EXPORT_FILTERS)
    if path and not Path(path).suffix:
        path += ".svg" if "SVG" in chosen else ".pdf" if "PDF" in chosen else ".png"
    return path


class ChartCanvas(FigureCanvasQTAgg):
    """One chart.

    Signals
    -------
    itemPicked(str) : the user clicked a bar, point or term; the argument is the artist's
        gid, ``"section|key|group"`` (e.g. ``"term|no-limits partnership|western"``).
    """

    itemPicked = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, height_px: int = 260,
                 name: str = "chart") -> None:
        self.figure = Figure(figsize=(6.0, height_px / 100.0), dpi=100, layout="constrained")
        super().__init__(self.figure)
        self.setParent(parent)
        self.name = name
        #: The plain-language caption shown under the chart (set by its card).
        self.caption = ""
        #: Whether exports carry the caption under the chart (the context menu's choice).
        self.export_caption = True
        self._last_pick_event = None
        self.setMinimumHeight(height_px)
        # Below ~4 inches a chart with real group names has no room left for its axes.
        self.setMinimumWidth(MIN_WIDTH_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._connect_figure()
        self._highlighted: tuple | None = None  # (artist, its own look) of the clicked item
        # The picture without any highlight (saved at the first click after a full
        # draw), and whether the renderer's pixels are that picture right now: a click
        # then draws only the clicked item over it instead of the whole figure.
        self._clean_picture = None
        self._picture_is_clean = False
        # A scroll area full of charts resizes each one several times while its layout
        # settles; drawing a figure costs ~0.1-0.3 s, so redraw once things are still.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._stale = False  # the figure changed but was not drawn (out of view)
        #: Set by a card whose chart is built off the GUI thread: called (instead of a
        #: redraw here) when the chart must be drawn again at a new size; returns
        #: whether it took the job.
        self.rebuild: Callable[[], bool] | None = None
        #: Set by such a card: makes a chart still being built now (grabs, exports).
        self.before_flush: Callable[[], None] | None = None
        self._rebuilding = False  # a new picture is coming: paint the last one meanwhile
        self._adopted = False  # the figure shown came drawn from the render thread
        self._plotted_here = False  # plot()/clear() put a figure here to draw
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)

    def _connect_figure(self) -> None:
        # matplotlib keeps a canvas's event connections on its figure.
        self.mpl_connect("pick_event", self._on_pick)
        self.mpl_connect("motion_notify_event", self._on_motion)
        self.mpl_connect("draw_event", self._on_drawn)

    def _on_drawn(self, event) -> None:
        # A whole new picture (a resize, a new plot, a PNG export) in this canvas's
        # renderer: what was saved of the last one is outdated. It shows a highlight if
        # one was set (the clicked item keeps its look on the artist itself).
        if event.renderer is getattr(self, "renderer", None):
            self._clean_picture = None
            self._picture_is_clean = self._highlighted is None

    # Drawing ------------------------------------------------------------------------
    def adopt(self, figure: Figure, renderer) -> bool:
        """Show ``figure``, already drawn by ``renderer`` on another thread: no drawing
        here, only the hand-over. Returns False when the widget's size changed since
        (the caller asks for the chart again at the new size)."""
        self._highlighted = self._clean_picture = None
        self._picture_is_clean = True  # drawn there without a highlight
        self._settle.stop()
        self._stale = self._rebuilding = False
        self._adopted = True
        self.figure = figure
        figure.set_canvas(self)
        figure._original_dpi = self.figure.dpi / self.device_pixel_ratio
        self._connect_figure()
        self.renderer = renderer
        self._lastKey = (*self.get_width_height(physical=True), figure.dpi)
        self.update()
        return self.rendered_size_matches()

    def _built_elsewhere(self) -> bool:
        return self.rebuild is not None and self._adopted

    def rendered_size_matches(self) -> bool:
        width, height = self.get_width_height(physical=False)
        return (width, height) == (self.width(), self.height())

    def plot(self, draw: Callable[..., str], *args, **kwargs) -> str:
        """Clear the figure, call ``draw(ax, *args, **kwargs)`` and return its caption."""
        self._highlighted = self._clean_picture = None
        self._rebuilding = self._adopted = False
        self._plotted_here = True
        self.figure.clear()
        ax = self.figure.add_subplot()
        caption = draw(ax, *args, **kwargs)
        self._settle.start()
        return caption or ""

    def clear(self) -> None:
        self._highlighted = self._clean_picture = None
        self._rebuilding = self._adopted = False
        self._plotted_here = True
        self.figure.clear()
        self._settle.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._settle.start()

    def flush(self) -> None:
        """Draw now if a draw is pending (grabs of the whole view call this)."""
        if self.before_flush is not None:
            self.before_flush()
        rebuild, self.rebuild = self.rebuild, None  # now, here: not on the render thread
        try:
            if self._settle.isActive() or self._rebuilding:
                self._settle.stop()
                self._rebuilding = False
                self._on_settled()
            if self._stale:
                self._stale = False
                self.draw()
        finally:
            self.rebuild = rebuild
        self.repaint()

    def _waiting_for_render_thread(self) -> bool:
        """True while this canvas's first chart is being built on the render thread:
        its figure is still the blank one it was made with."""
        return self.rebuild is not None and not self._adopted and not self._plotted_here

    @Slot()
    def _on_settled(self) -> None:
        size = self.size()
        if size.width() <= 0 or size.height() <= 0 or self._waiting_for_render_thread():
            # Nothing to draw yet (paintEvent paints it blank). Drawing the blank figure
            # would cost little, but matplotlib lets one figure draw at a time in the
            # whole process (``Figure._render_lock``): the GUI thread would wait for the
            # chart the render thread is drawing, 0.1-0.3 s with a 10,000-article result.
            return
        if self._built_elsewhere():
            # Drawn on the render thread: never here. A new size asks for a new picture.
            if not self.rendered_size_matches() and self.rebuild():
                self._rebuilding = True  # the old picture stays until the new one comes
            return
        if self.visibleRegion().isEmpty():
            # Scrolled out of view (or hidden): size the figure now, draw when painted.
            ratio = self.device_pixel_ratio
            self.figure.set_size_inches(size.width() * ratio / self.figure.dpi,
                                        size.height() * ratio / self.figure.dpi,
                                        forward=False)
            self._stale = True
            return
        self._stale = False
        # matplotlib's own resize handling sets the figure size and draws.
        super().resizeEvent(QResizeEvent(size, QSize(size)))

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._waiting_for_render_thread():
            self._paint_last_picture()  # blank: the chart is on its way
            return
        if self._built_elsewhere() and (self._rebuilding or self._settle.isActive()
                                        or not self.rendered_size_matches()):
            self._paint_last_picture()  # stretched, until the new one comes
            return
        # Never paint an undrawn or outdated figure (it would flash black): draw first.
        if self._stale or self._settle.isActive():
            self._settle.stop()
            self._stale = False
            size = self.size()
            ratio = self.device_pixel_ratio
            self.figure.set_size_inches(size.width() * ratio / self.figure.dpi,
                                        size.height() * ratio / self.figure.dpi,
                                        forward=False)
            self.draw()
        super().paintEvent(event)

    def _paint_last_picture(self) -> None:
        """The picture drawn last, as it was (no drawing, no scaling: both cost a GUI
        thread tens of milliseconds)."""
        renderer = getattr(self, "renderer", None)
        painter = QPainter(self)
        try:
            painter.eraseRect(self.rect())
            if renderer is not None:
                buf = memoryview(renderer.buffer_rgba())
                image = QImage(buf, buf.shape[1], buf.shape[0],
                               QImage.Format.Format_RGBA8888)
                image.setDevicePixelRatio(self.device_pixel_ratio)
                painter.drawImage(QPoint(0, 0), image)
        finally:
            painter.end()

    def set_height(self, height_px: int) -> None:
        """Resize the chart vertically (long frame lists need more room)."""
        self.setMinimumHeight(height_px)
        self.setMaximumHeight(height_px)
        self.figure.set_figheight(height_px / self.figure.dpi)

    def pickable_gids(self) -> list[str]:
        """Every clickable item's gid (what a user can click), in drawing order."""
        gids = []
        for artist in self.figure.findobj(lambda a: bool(a.get_gid()) and a.pickable()):
            gids.append(artist.get_gid())
        return gids

    # Export -------------------------------------------------------------------------
    def export(self, path: str | Path, *, caption: bool = False) -> Path:
        """Save the chart as PNG, SVG or PDF (by suffix), atomically; return the path.

        With ``caption`` the chart's caption is printed under it, wrapped to its width.
        """
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"{path.name}: charts export as .png, .svg or .pdf, not '.{fmt}'")
        extra = []
        if caption and self.caption.strip():
            width_in = self.figure.get_figwidth()
            # About 0.55 em per character at 8 pt: wrap the caption to the chart's width.
            chars = max(40, int(width_in * 72 / (8 * 0.55)))
            text = "\n".join(textwrap.fill(line, chars) for line in self.caption.splitlines())
            extra.append(self.figure.text(0.01, -0.02, text, ha="left", va="top", fontsize=8,
                                          color="#444444", transform=self.figure.transFigure))
        try:
            with atomic_path(path) as tmp:
                self.figure.savefig(tmp, format=fmt, dpi=200 if fmt == "png" else None,
                                    facecolor="white", bbox_inches="tight" if extra else None,
                                    bbox_extra_artists=extra or None)
        finally:
            for artist in extra:
                artist.remove()
        return path

    # Slots --------------------------------------------------------------------------
    def _on_pick(self, event) -> None:
        # One click may hit overlapping artists (a bar and its label): report it once.
        if event.mouseevent is not None and event.mouseevent is self._last_pick_event:
            return
        self._last_pick_event = event.mouseevent
        gid = event.artist.get_gid()
        if gid:
            self.highlight(event.artist)
            self.itemPicked.emit(str(gid))

    def highlight(self, artist) -> None:
        """Outline the clicked bar or point (bold for a term) until another is clicked."""
        if self._highlighted is not None:
            old, look = self._highlighted
            for setter, value in look.items():
                getattr(old, setter)(value)
        look = {}
        if hasattr(artist, "get_fontweight"):  # a term
            look = {"set_fontweight": artist.get_fontweight(),
                    "set_backgroundcolor": (artist.get_bbox_patch().get_facecolor()
                                            if artist.get_bbox_patch() else "none")}
            artist.set_fontweight("bold")
            artist.set_backgroundcolor("#ffe9a8")
        elif hasattr(artist, "get_markeredgewidth"):  # a point
            look = {"set_markeredgewidth": artist.get_markeredgewidth(),
                    "set_markeredgecolor": artist.get_markeredgecolor()}
            artist.set_markeredgewidth(2.5)
            artist.set_markeredgecolor(HIGHLIGHT_EDGE)
        elif hasattr(artist, "get_edgecolor"):  # a bar
            look = {"set_linewidth": artist.get_linewidth(),
                    "set_edgecolor": artist.get_edgecolor()}
            artist.set_linewidth(2.2)
            artist.set_edgecolor(HIGHLIGHT_EDGE)
        self._highlighted = (artist, look)
        if not self._draw_highlight_only(artist):
            self.draw_idle()

    def _draw_highlight_only(self, artist) -> bool:
        """Show the highlight by drawing the clicked item (and what lies on top of it)
        over the picture without a highlight: a few milliseconds, where drawing the
        whole figure again took 60-90 ms of the GUI thread with a 10,000-article chart.
        False when the renderer's picture is not this figure as it stands (a draw is
        due anyway, or its pixels hold a highlight drawn with the figure)."""
        renderer = getattr(self, "renderer", None)
        if renderer is None or artist.figure is not self.figure or self._lastKey != (
                *self.get_width_height(physical=True), self.figure.dpi):
            return False
        if self._clean_picture is None:
            if not self._picture_is_clean:
                return False
            self._clean_picture = self.copy_from_bbox(self.figure.bbox)
        self.restore_region(self._clean_picture)
        artist.draw(renderer)
        area = _drawn_area(artist, renderer, HIGHLIGHT_MARGIN_PX * self.device_pixel_ratio)
        for later in _drawn_after(artist):
            if later.get_window_extent(renderer).overlaps(area):
                later.draw(renderer)  # labels or error bars on the clicked bar stay seen
        # Keep the new pixels inside the item's area only: outside it, whatever was drawn
        # again on top would be drawn twice (antialiased edges darker).
        area = Bbox.intersection(area, self.figure.bbox)
        if area is not None:
            new = self.copy_from_bbox(area)
            self.restore_region(self._clean_picture)
            self.restore_region(new)
        self._picture_is_clean = False
        self.update()
        return True

    def highlighted_gid(self) -> str:
        """The gid of the item shown as clicked ("" if none)."""
        return str(self._highlighted[0].get_gid()) if self._highlighted else ""

    def _on_motion(self, event) -> None:
        # An elided legend label shows the full group or outlet name as a tooltip; any
        # other item under the pointer shows its figures (e.g. a keyness bar: counts,
        # documents using the term, the document-level p).
        tip = ""
        for ax in self.figure.axes:
            legend = ax.get_legend()
            full = getattr(legend, "_sinoru_full_labels", None)
            for text in (legend.get_texts() if full else ()):
                if text.contains(event)[0] and full.get(text.get_text()) != text.get_text():
                    tip = literal_text(full.get(text.get_text(), ""))
        if not tip:
            for artist in self.figure.findobj(lambda a: bool(tip_of(a))):
                if artist.contains(event)[0]:
                    tip = literal_text(tip_of(artist))
                    break
        if tip != self.toolTip():
            self.setToolTip(tip)

    #: Set by a view whose chart zooms with the wheel (the term map): the wheel then
    #: reaches matplotlib as a scroll event instead of scrolling the page.
    wheel_zooms = False

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self.wheel_zooms:
            super().wheelEvent(event)
            return
        # The charts do not zoom: the wheel scrolls the page they sit in. Handed to the
        # scroll area directly (matplotlib's canvas would swallow it as a scroll event).
        area = self.parentWidget()
        while area is not None and not isinstance(area, QAbstractScrollArea):
            area = area.parentWidget()
        if area is None:
            event.ignore()
            return
        viewport = area.viewport()
        local = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
        QApplication.sendEvent(viewport, QWheelEvent(
            local, event.globalPosition(), event.pixelDelta(), event.angleDelta(),
            event.buttons(), event.modifiers(), event.phase(), event.inverted()))
        event.accept()

    def context_menu(self) -> QMenu:
        """The chart's context menu (export as PNG, SVG or PDF, with or without caption)."""
        menu = QMenu(self)
        menu.addAction("Export as PNG…", lambda: self._export_interactive(".png"))
        menu.addAction("Export as SVG…", lambda: self._export_interactive(".svg"))
        menu.addAction("Export as PDF…", lambda: self._export_interactive(".pdf"))
        menu.addSeparator()
        with_caption = menu.addAction("Include the caption in exports")
        with_caption.setCheckable(True)
        with_caption.setChecked(self.export_caption)
        with_caption.toggled.connect(self._on_caption_toggled)
        return menu

    @Slot(bool)
    def _on_caption_toggled(self, checked: bool) -> None:
        self.export_caption = checked

    def _on_context_menu(self, pos) -> None:
        menu = self.context_menu()
        menu.exec(self.mapToGlobal(pos))
        menu.deleteLater()

    def _export_interactive(self, suffix: str) -> None:
        path = ask_export_path(self, self.name + suffix)
        if not path:
            return
        try:
            self.export(path, caption=self.export_caption)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export chart",
                                literal_text(f"Could not export the chart:\n{exc}"))


def _drawn_area(artist, renderer, margin: float) -> Bbox:
    """Where ``artist`` was just drawn, in display pixels, with ``margin`` around it (a
    term's background box included)."""
    box = artist.get_window_extent(renderer)
    patch = artist.get_bbox_patch() if hasattr(artist, "get_bbox_patch") else None
    if patch is not None:
        box = Bbox.union([box, patch.get_window_extent(renderer)])
    return box.padded(margin)


def _drawn_after(artist) -> list:
    """The visible artists its axes draw after ``artist`` (higher zorder, or the same and
    added later), as ``Axes.draw`` orders them."""
    ax = artist.axes
    if ax is None:
        return []
    children = sorted((a for a in ax.get_children() if a is not ax.patch),
                      key=lambda a: a.zorder)
    ids = [id(a) for a in children]
    if id(artist) not in ids:
        return []
    return [a for a in children[ids.index(id(artist)) + 1:]
            if a.get_visible() and not a.get_animated()]
