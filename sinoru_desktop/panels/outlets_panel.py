"""The Outlets view: any group figure with each outlet of the group as its own point."""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from analysis.charts.outlet_points import draw_outlet_points
from analysis.outlet_points import outlet_points
from analysis.progress import Cancelled
from analysis.timeline import label_maps, measures
from sinoru_desktop.panels.chart_card import ChartCard
from sinoru_desktop.panels.groups import refill_combo
from sinoru_desktop.panels.timeline_panel import SYNC_LIMIT
from sinoru_desktop.panels.when_shown import WhenShown
from sinoru_desktop.state import AppState
from sinoru_desktop.tasks import TaskRunner

__all__ = ["OutletsPanel"]


class OutletsPanel(QWidget):
    """A chosen document figure per group, with the outlets inside each group."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.measure = QComboBox()
        self.measure.setToolTip("The document figure shown per group and outlet.")
        self.card = ChartCard("Outlets inside groups", name="outlets", height_px=240)
        self.card.canvas.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.card.canvas.setMaximumHeight(16777215)
        self._runner = TaskRunner(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._runner.shutdown)  # no task outlives the app
        top = QHBoxLayout()
        top.addWidget(QLabel("Figure"))
        top.addWidget(self.measure, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.card, 1)
        self.measure.currentIndexChanged.connect(self._on_measure_chosen)
        # Hidden, the view waits until it is shown to take in new results.
        self._results_shown = WhenShown(self, self._on_results_changed)
        state.resultsChanged.connect(self._results_shown.request)
        self._on_results_changed()

    def redraw(self) -> None:
        if self.state.results is None:
            self.card.canvas.clear()
            self.card.caption.setText("Run the analysis to see the outlets inside each group.")
            return
        documents = self.state.results.table("documents")
        column = self.measure.currentData() or "sentiment.mean"
        task = partial(outlet_points, n_boot=int(self.state.config.n_boot),
                       seed=int(self.state.config.seed))
        if len(documents) <= SYNC_LIMIT:
            self._on_points_ready(task(documents, column))
            return
        self.card.caption.setText("Computing the outlets' figures\u2026")
        self._runner.start(task, documents, column, label="Computing the outlets' figures",
                           on_done=self._on_points_ready, on_error=self._on_failed)

    def _on_points_ready(self, table) -> None:
        self.card.draw(draw_outlet_points, self.state.results,
                       column=self.measure.currentData() or "sentiment.mean",
                       label=self.measure.currentText(), table=table)

    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, Cancelled):
            self.card.caption.setText(f"\u26a0 The figures could not be computed: {exc}")

    @Slot()
    def _on_results_changed(self) -> None:
        results = self.state.results
        choices = []
        if results is not None:
            documents = results.table("documents")
            extra = [(c, c.split(".", 1)[1].replace("_", " ").capitalize())
                     for c in documents.columns if c.startswith(("markers.", "readability."))]
            choices = measures(documents, *label_maps(results.data)) + extra
        refill_combo(self.measure, [(label, column) for column, label in choices])
        self.redraw()

    @Slot()
    def _on_measure_chosen(self) -> None:
        self.redraw()
