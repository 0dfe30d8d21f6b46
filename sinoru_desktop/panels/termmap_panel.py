"""The Term map view: every term of two groups on one chart, searchable and zoomable,
click a point to read the term in context in both groups."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from analysis.charts.termmap import draw_term_map, relabel_term_map
from analysis.termmap import find_terms
from sinoru_desktop.panels.chart_canvas import ChartCanvas
from sinoru_desktop.panels.drilldown import DrillDownPanel
from sinoru_desktop.panels.groups import fill_pair_combo, fit_long_combo
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.state import AppState

__all__ = ["TermMapPanel", "PICK_RADIUS_PX", "WHEEL_ZOOM"]

#: A click further than this from every point picks nothing.
PICK_RADIUS_PX = 8.0
#: Share of the view kept per wheel step (zoom in); its inverse zooms out.
WHEEL_ZOOM = 0.8


def _times(n) -> str:
    n = int(n)
    return {0: "never", 1: "once"}.get(n, f"{n:,} times")


class TermMapPanel(QWidget):
    """Term map of one comparison with search, zoom and parallel keyword-in-context."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.highlight: str | None = None
        self.pair = QComboBox()
        self.pair.setToolTip("The two groups whose vocabularies are mapped.")
        fit_long_combo(self.pair)
        self.axes_mode = QComboBox()
        fit_long_combo(self.axes_mode, 12)  # beside the pair, the find box, three buttons
        self.axes_mode.addItem("Frequency in each group", "freq")
        self.axes_mode.addItem("Frequency against keyness z", "z")
        self.axes_mode.setToolTip("Place terms by their frequency in both groups, or by "
                                  "how often they are used against how distinctive they are.")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a term…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Type a word or phrase and press Enter to ring it on the map.")
        self.info = QLabel("Click a point to read the term in context in both groups.")
        self.info.setWordWrap(True)
        self.canvas = ChartCanvas(self, height_px=360, name="term_map")
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setMaximumHeight(16777215)
        self.canvas.setMinimumHeight(220)
        # WORKAROUND: matplotlib's NavigationToolbar2QT icon engine crashes PySide6 6.11
        # when painted (segfault in _IconEngine.paint); three plain buttons and the
        # mouse wheel do the zooming instead.
        self.zoom_in_button = QToolButton(text="Zoom in", toolTip="Zoom in (or turn the "
                                          "mouse wheel over the map)")
        self.zoom_out_button = QToolButton(text="Zoom out", toolTip="Zoom out")
        self.reset_button = QToolButton(text="Whole map", toolTip="Show every term again")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.drill = DrillDownPanel(state)
        self.drill.hide()

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Groups"))
        controls.addWidget(self.pair)
        controls.addWidget(QLabel("Axes"))
        controls.addWidget(self.axes_mode)
        controls.addStretch(1)
        finding = QHBoxLayout()  # a row of its own, so the view fits a 1024-pixel screen
        finding.addWidget(self.search, 1)
        for button in (self.zoom_in_button, self.zoom_out_button, self.reset_button):
            finding.addWidget(button)
        chart = QWidget()
        chart_layout = QVBoxLayout(chart)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addWidget(self.canvas, 1)
        chart_layout.addWidget(self.caption)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(chart)
        self.splitter.addWidget(self.drill)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(finding)
        layout.addWidget(self.info)
        layout.addWidget(self.splitter, 1)

        # Labels follow the zoom; one relabel per burst of limit changes.
        self._relabel_timer = QTimer(self)
        self._relabel_timer.setSingleShot(True)
        self._relabel_timer.setInterval(60)
        self._relabel_timer.timeout.connect(self._relabel)

        self.pair.currentIndexChanged.connect(self._on_choice_changed)
        self.axes_mode.currentIndexChanged.connect(self._on_choice_changed)
        self.search.returnPressed.connect(self._on_search)
        self.zoom_in_button.clicked.connect(self._on_zoom_in)
        self.zoom_out_button.clicked.connect(self._on_zoom_out)
        self.reset_button.clicked.connect(self._on_reset)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.canvas.wheel_zooms = True  # the map zooms around the cursor
        self.canvas.mpl_connect("scroll_event", self._on_scroll)
        self._refresh = WhenShown(self, self.redraw)  # the map is costly: draw it when seen
        state.resultsChanged.connect(self._on_results_changed)
        self._on_results_changed()

    # Public -------------------------------------------------------------------------
    @property
    def term_map(self):
        ax = self._axes()
        return getattr(ax, "_sinoru_term_map", (None, None))[0] if ax is not None else None

    def labelled_terms(self) -> list[str]:
        """The terms labelled on the map now (what the user can read)."""
        ax = self._axes()
        return [t.get_text() for t in getattr(ax, "_sinoru_labels", [])] if ax else []

    def find(self, text: str) -> str | None:
        """Search as the user does: ring the best match of ``text``; returns it."""
        self.search.setText(text)
        self._on_search()
        return self.highlight

    def pick_term(self, term: str) -> None:
        """Open the parallel keyword-in-context of ``term`` (what a click on it does)."""
        self.drill.show()
        sizes = self.splitter.sizes()
        if len(sizes) == 2 and sizes[1] < 120:
            total = sum(sizes) or self.height()
            self.splitter.setSizes([int(total * 0.55), int(total * 0.45)])
        self.drill.show_item(f"term|{term}|")
        self._describe(term)

    def zoom(self, factor: float, center: tuple[float, float] | None = None) -> None:
        """Zoom the view by ``factor`` (< 1 in) around ``center`` (data coordinates)."""
        ax = self._axes()
        if ax is None:
            return
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        cx, cy = center or ((x0 + x1) / 2, (y0 + y1) / 2)
        ax.set_xlim(cx - (cx - x0) * factor, cx + (x1 - cx) * factor)
        ax.set_ylim(cy - (cy - y0) * factor, cy + (y1 - cy) * factor)
        self._relabel()

    # Drawing ------------------------------------------------------------------------
    def _axes(self):
        axes = self.canvas.figure.axes
        return axes[0] if axes else None

    def redraw(self) -> None:
        results = self.state.results
        pair = self.pair.currentData()
        if results is None:
            self.canvas.clear()
            self.caption.setText("Run the analysis to map the vocabulary of two groups.")
            return
        caption = self.canvas.plot(draw_term_map, results, comparison=pair,
                                   axes=self.axes_mode.currentData(), highlight=self.highlight)
        self.caption.setText(caption)
        ax = self._axes()
        if ax is not None and hasattr(ax, "_sinoru_term_map"):
            ax.callbacks.connect("xlim_changed", self._on_limits_changed)
            ax.callbacks.connect("ylim_changed", self._on_limits_changed)

    def _on_limits_changed(self, _ax) -> None:
        self._relabel_timer.start()

    @Slot()
    def _relabel(self) -> None:
        ax = self._axes()
        if ax is None or not hasattr(ax, "_sinoru_term_map"):
            return
        tm = ax._sinoru_term_map[0]
        index = tm.index_of(self.highlight) if self.highlight else None
        relabel_term_map(ax, highlight=index)
        self.canvas.draw_idle()

    def _describe(self, term: str) -> None:
        tm = self.term_map
        index = tm.index_of(term) if tm is not None else None
        if index is None:
            return
        row = tm.table.iloc[index]
        a, b = self.pair.currentData() or ("a", "b")
        self.info.setText(
            f"\u201c{term}\u201d: {_times(row['count_a'])} in {a} "
            f"({row['freq_a']:,.1f} per million words), {_times(row['count_b'])} in {b} "
            f"({row['freq_b']:,.1f} per million); keyness z {row['z']:+.2f}.")

    # Slots --------------------------------------------------------------------------
    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        fill_pair_combo(self.pair, results.comparisons if results is not None else [])
        self._refresh.request()

    @Slot()
    def _on_choice_changed(self) -> None:
        self.redraw()

    @Slot()
    def _on_search(self) -> None:
        tm = self.term_map
        text = self.search.text()
        matches = find_terms(tm.terms, text, limit=5) if tm is not None else []
        if not text.strip():
            self.highlight = None
            self.info.setText("Click a point to read the term in context in both groups.")
        elif not matches:
            self.highlight = None
            self.info.setText(f"No term \u201c{text.strip()}\u201d in these two groups.")
        else:
            self.highlight = matches[0]
            self._describe(matches[0])
            if len(matches) > 1:
                self.info.setText(self.info.text() + "  Also: " + ", ".join(matches[1:]))
        self._relabel_highlight()

    def _relabel_highlight(self) -> None:
        # Keep the zoom: ring the term on the current view instead of redrawing it.
        ax = self._axes()
        if ax is None or not hasattr(ax, "_sinoru_term_map"):
            return
        limits = ax.get_xlim(), ax.get_ylim()
        self.redraw()
        ax = self._axes()
        tm = self.term_map
        index = tm.index_of(self.highlight) if self.highlight else None
        if index is not None and not (limits[0][0] <= tm.x[index] <= limits[0][1]
                                      and limits[1][0] <= tm.y[index] <= limits[1][1]):
            return  # the term lies outside the zoomed view: show the whole map
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
        self._relabel()

    def _on_click(self, event) -> None:
        ax = self._axes()
        if (event.inaxes is not ax or ax is None or event.button != 1
                or not hasattr(ax, "_sinoru_term_map")):
            return
        tm = ax._sinoru_term_map[0]
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        scale = (ax.bbox.width / (x1 - x0), ax.bbox.height / (y1 - y0))
        index = tm.nearest(event.xdata, event.ydata, scale=scale, max_distance=PICK_RADIUS_PX)
        if index is not None:
            self.pick_term(tm.terms[index])

    @Slot()
    def _on_zoom_in(self) -> None:
        self.zoom(WHEEL_ZOOM)

    @Slot()
    def _on_zoom_out(self) -> None:
        self.zoom(1 / WHEEL_ZOOM)

    @Slot()
    def _on_reset(self) -> None:
        self.redraw()

    def _on_scroll(self, event) -> None:
        if event.inaxes is None or event.xdata is None:
            return
        factor = WHEEL_ZOOM if event.button == "up" else 1 / WHEEL_ZOOM
        self.zoom(factor, (event.xdata, event.ydata))
