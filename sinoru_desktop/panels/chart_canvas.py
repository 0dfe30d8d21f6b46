"""A matplotlib figure on a Qt widget: clickable items and PNG/SVG export.

Charts are drawn by the engine's plain ``draw_x(ax, results, ...)`` functions
(analysis.charts) onto a :class:`matplotlib.figure.Figure` (never pyplot), so the screen
and the PDF report draw the very same picture.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QSizePolicy, QWidget

# isort: split
# matplotlib picks its Qt binding from what is already imported: PySide6 comes first.
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from analysis.atomic import atomic_path
from analysis.charts._common import tip_of

__all__ = ["ChartCanvas", "ask_export_path", "EXPORT_FILTERS"]

#: Quiet time after a resize or a new plot before the chart is drawn.
SETTLE_MS = 80
EXPORT_FILTERS = "PNG image (*.png);;SVG vector image (*.svg)"


def ask_export_path(parent: QWidget | None, suggested: str) -> str:
    """Ask where to export a chart; an empty string when the user cancels.

    A module-level function so tests can monkeypatch it instead of a modal dialog.
    """
    path, chosen = QFileDialog.getSaveFileName(parent, "Export chart", suggested,
                                               EXPORT_FILTERS)
    if path and not Path(path).suffix:
        path += ".svg" if "SVG" in chosen else ".png"
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
        self._last_pick_event = None
        self.setMinimumHeight(height_px)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.mpl_connect("pick_event", self._on_pick)
        self.mpl_connect("motion_notify_event", self._on_motion)
        # A scroll area full of charts resizes each one several times while its layout
        # settles; drawing a figure costs ~0.1-0.3 s, so redraw once things are still.
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)
        self._stale = False  # the figure changed but was not drawn (out of view)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu)

    # Drawing ------------------------------------------------------------------------
    def plot(self, draw: Callable[..., str], *args, **kwargs) -> str:
        """Clear the figure, call ``draw(ax, *args, **kwargs)`` and return its caption."""
        self.figure.clear()
        ax = self.figure.add_subplot()
        caption = draw(ax, *args, **kwargs)
        self._settle.start()
        return caption or ""

    def clear(self) -> None:
        self.figure.clear()
        self._settle.start()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._settle.start()

    def flush(self) -> None:
        """Draw now if a draw is pending (grabs of the whole view call this)."""
        if self._settle.isActive():
            self._settle.stop()
            self._on_settled()
        if self._stale:
            self._stale = False
            self.draw()
        self.repaint()

    @Slot()
    def _on_settled(self) -> None:
        size = self.size()
        if size.width() <= 0 or size.height() <= 0:
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
    def export(self, path: str | Path) -> Path:
        """Save the chart as PNG or SVG (by suffix), atomically; return the path."""
        path = Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("png", "svg"):
            raise ValueError(f"{path.name}: charts export as .png or .svg, not '.{fmt}'")
        with atomic_path(path) as tmp:
            self.figure.savefig(tmp, format=fmt, dpi=200 if fmt == "png" else None,
                                facecolor="white")
        return path

    # Slots --------------------------------------------------------------------------
    def _on_pick(self, event) -> None:
        # One click may hit overlapping artists (a bar and its label): report it once.
        if event.mouseevent is not None and event.mouseevent is self._last_pick_event:
            return
        self._last_pick_event = event.mouseevent
        gid = event.artist.get_gid()
        if gid:
            self.itemPicked.emit(str(gid))

    def _on_motion(self, event) -> None:
        # The item under the pointer shows its figures as a tooltip (e.g. a keyness bar:
        # counts, documents using the term, the document-level p).
        tip = ""
        for artist in self.figure.findobj(lambda a: bool(tip_of(a))):
            if artist.contains(event)[0]:
                tip = tip_of(artist)
                break
        if tip != self.toolTip():
            self.setToolTip(tip)

    def context_menu(self) -> QMenu:
        """The chart's context menu (export as PNG or SVG)."""
        menu = QMenu(self)
        menu.addAction("Export as PNG…", lambda: self._export_interactive(".png"))
        menu.addAction("Export as SVG…", lambda: self._export_interactive(".svg"))
        return menu

    def _on_context_menu(self, pos) -> None:
        menu = self.context_menu()
        menu.exec(self.mapToGlobal(pos))
        menu.deleteLater()

    def _export_interactive(self, suffix: str) -> None:
        path = ask_export_path(self, self.name + suffix)
        if not path:
            return
        try:
            self.export(path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export chart", f"Could not export the chart:\n{exc}")
